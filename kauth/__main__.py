from kauth.cli.main import main

main()
