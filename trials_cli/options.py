"""Options and helpers every command shares."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from indexing.settings import load_settings
from indexing.store import TrialStore


def db_option(func: Any) -> Any:
    """`--db FILE`, defaulting to TRIALS_DB or data/trials.sqlite."""
    return click.option(
        "--db",
        "db",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="SQLite trial store [env TRIALS_DB; default data/trials.sqlite]",
    )(func)


def resolve_db(db: Path | None) -> Path:
    """The store path: the option if given, else the settings."""
    return db or load_settings().db


def open_store(db: Path | None, *, read_only: bool) -> TrialStore:
    """Open the store named by `--db` or the settings."""
    return TrialStore(resolve_db(db), read_only=read_only)
