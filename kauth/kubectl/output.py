"""What a kubectl command printed: stdout lines, collected errors, exit code."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from kauth.api import errors
from kauth.api.errors import ClientError, StatusError
from kauth.apiserver.request import Response


@dataclass
class Outcome:
    stdout: list[str] = field(default_factory=list)  # text chunks, written as they are
    errors: list[StatusError | ClientError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # kubectl's informational stderr lines ("No resources found")
    responses: list[Response] = field(default_factory=list)
    status: int = 0  # an exit code that comes with no error to print (can-i's "no")
    # client-side reasoning for --explain: a title and its lines, or a function making them (apply's reasons
    # cost a walk of three objects, paid only when someone asks)
    explanations: list[tuple[str, list[str] | Callable[[], list[str]]]] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return max([*(e.exit_code if isinstance(e, ClientError) else 1 for e in self.errors), self.status])

    @property
    def stderr(self) -> str:
        """Warnings as the API server sent them, then kubectl's error report."""
        # kubectl's warning handler prints each distinct text once (WarningWriterOptions.Deduplicate).
        lines = [f"Warning: {w}" for w in dict.fromkeys(self.warnings)] + self.notes
        text = "".join(line + "\n" for line in lines)
        report = errors.kubectl_report(self.errors)
        if report:
            text += report if report.endswith("\n") else report + "\n"  # CheckErr adds a newline only if missing
        return text

    def explained(self) -> list[tuple[str, list[str]]]:
        """The explanations, each made now if it was deferred."""
        return [(title, lines() if callable(lines) else lines) for title, lines in self.explanations]

    def print(self, line: str) -> None:
        """One line of output (the newline is added)."""
        self.stdout.append(line + "\n")

    def write(self, text: str) -> None:
        """Text exactly as given: jsonpath output, for one, has no final newline in kubectl."""
        self.stdout.append(text)

    @property
    def text(self) -> str:
        return "".join(self.stdout)

    def fail(self, err: StatusError | ClientError) -> None:
        self.errors.append(err)

    def record(self, response: Response) -> None:
        self.responses.append(response)
        self.warnings.extend(response.warnings)

    def answered(self, response: Response) -> bool:
        """Record a response; a failed one becomes the command's error (kubectl's `Error from server ...`)."""
        self.record(response)
        if not response.ok:
            self.fail(response_error(response))
        return response.ok


def response_error(response: Response) -> StatusError:
    err = StatusError.from_status(response.body)
    return err
