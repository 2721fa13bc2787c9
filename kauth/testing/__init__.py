"""Policy tests with no cluster: `kauth test` suites (suite, runner, coverage, report), the fluent API
(`fluent.PolicyCluster`) and the pytest plugin (`pytest_plugin`)."""
