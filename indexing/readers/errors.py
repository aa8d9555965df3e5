"""What a reader says when a file or a record cannot be read."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError


@dataclass(frozen=True, slots=True)
class Rejection:
    """One unreadable file or record: where it is and why, in words a person can act on."""

    source: str
    reason: str
    record: str | None = None  # NCT ID or position in the file, when the file held many records

    def __str__(self) -> str:
        where = f"{self.source} [{self.record}]" if self.record else self.source
        return f"{where}: {self.reason}"


class RecordError(ValueError):
    """A record that cannot become a Trial; the message is the reason shown to the user."""


def validation_reason(error: ValidationError) -> str:
    """The first problem pydantic found, as `invalid field a.b: message`."""
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    return f"invalid field {where}: {first['msg']}"
