"""What a reader says when a file or a record cannot be read."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
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


@contextmanager
def record_errors() -> Iterator[None]:
    """Turn what building a Trial can raise (pydantic, or vocab's ValueError) into a RecordError with a reason."""
    try:
        yield
    except RecordError:
        raise
    except ValidationError as error:
        raise RecordError(validation_reason(error)) from None
    except ValueError as error:  # an unreadable date, age or enum value from vocab
        raise RecordError(str(error)) from None
