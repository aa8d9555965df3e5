"""Commands over the trial store: run, ingest, show, stats."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from tqdm import tqdm

from indexing.ingest import IngestProgress, IngestSummary, ingest
from indexing.related import RelatedIndex
from indexing.sample import SEED_TRIAL
from indexing.settings import load_settings
from models import Trial, is_nct_id
from service.config import ServiceSettings
from trials_cli.index_commands import describe_build, render_related, run_build
from trials_cli.options import builds_dir_option, db_option, encoder_options, open_store, resolve_db
from trials_cli.render import render_stats, render_summary, render_trial
from trials_cli.serve_command import serve as serve_http

QUICKSTART_SAMPLE = 1500


def _progress_bar() -> tuple[IngestProgress, list[tqdm]]:
    """A bar over input files with the running trial count; messages print above it."""
    bars: list[tqdm] = []

    def start(total: int) -> None:
        bars.append(tqdm(total=total, unit="file", desc="ingest", file=sys.stderr, dynamic_ncols=True, disable=None))

    def file_done(trials: int) -> None:
        bars[0].update(1)
        bars[0].set_postfix(trials=trials, refresh=False)

    def say(line: str) -> None:
        tqdm.write(line, file=sys.stderr)

    return (
        IngestProgress(
            on_start=start,
            on_file_done=file_done,
            on_rejection=lambda r: say(f"rejected: {r}"),
            on_superseded=lambda line: say(f"older version skipped: {line}"),
        ),
        bars,
    )


def _ingest_and_report(paths: list[Path], db: Path | None) -> IngestSummary:
    progress, bars = _progress_bar()
    with open_store(db, read_only=False) as store:
        try:
            summary = ingest(paths, store, progress)
        finally:
            for bar in bars:
                bar.close()
        click.echo(render_summary(summary, resolve_db(db), store.count()))
    return summary


@click.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@db_option
def ingest_command(paths: tuple[Path, ...], db: Path | None) -> None:
    """Read trials from PATHS into the store, keeping the newest version of each.

    PATHS may be API v2 JSON (a study, a /studies page, an array, JSON lines), legacy XML,
    zips of either (the bulk downloads), or directories of any of these; the format is read
    from the content. Unreadable files and records are listed and skipped; the exit code is 1
    when anything was rejected.
    """
    summary = _ingest_and_report(list(paths), db)
    if summary.rejected:
        sys.exit(1)


@click.command("run")
@click.option(
    "--corpus",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="sample corpus directory [env TRIALS_CORPUS_DIR; default TRIALS_SHARED_DIR/corpus = ../shared/corpus]",
)
@click.option(
    "--sample",
    type=click.IntRange(min=0),
    default=QUICKSTART_SAMPLE,
    show_default=True,
    help="build the index from the N lowest NCT IDs plus the seed trial (0 = every stored trial)",
)
@click.option("--serve/--no-serve", default=True, show_default=True, help="end by serving the HTTP API")
@db_option
@builds_dir_option
@encoder_options
def run_command(
    corpus: Path | None,
    sample: int,
    serve: bool,
    db: Path | None,
    builds_dir: Path | None,
    model: Path | None,
    device: str | None,
    cache: Path | None,
) -> None:
    """The main job on the embedded defaults: ingest the sample corpus, build the index, serve it.

    Embedding runs at a few dozen texts a second on a laptop CPU, so the index is built from a
    documented sample by default (about 5 minutes); `--sample 0` builds from the whole store.
    """
    corpus = corpus or load_settings().corpus
    if not corpus.is_dir():
        raise click.ClickException(
            f"no sample corpus at {corpus}; set TRIALS_CORPUS_DIR or pass --corpus to point at one"
        )
    summary = _ingest_and_report([corpus], db)
    with open_store(db, read_only=True) as store:
        click.echo()
        click.echo(render_stats(store.stats()))
    click.echo(f"\nbuilding the index from {'every stored trial' if not sample else f'a sample of {sample:,} trials'}")
    result = run_build(db, builds_dir, model, device, cache, sample or None)
    click.echo(describe_build(result))
    index = RelatedIndex.open(result.path, checksums=False)
    if SEED_TRIAL in index.rows:
        click.echo()
        click.echo(render_related(index.related(SEED_TRIAL, limit=5), index))
    if summary.rejected:
        sys.exit(1)
    if serve:
        for name, value in (("DB", db), ("BUILDS_DIR", builds_dir), ("MODEL", model), ("DEVICE", device)):
            if value is not None:
                os.environ[f"TRIALS_{name}"] = str(value)
        settings = ServiceSettings()
        click.echo(f"\ntry: curl http://{settings.host}:{settings.port}/v1/trials/{SEED_TRIAL}/related")
        serve_http(settings.host, settings.port, settings.workers, settings.log_level)


@click.command("show")
@click.argument("nct_id")
@click.option("--json", "as_json", is_flag=True, help="print the whole record as JSON")
@db_option
def show_command(nct_id: str, as_json: bool, db: Path | None) -> None:
    """Print the stored record of NCT_ID."""
    nct_id = nct_id.strip().upper()
    if not is_nct_id(nct_id):
        raise click.UsageError(f"{nct_id!r} is not an NCT ID (NCT followed by 8 digits, e.g. NCT03458156)")
    with open_store(db, read_only=True) as store:
        trial: Trial | None = store.get(nct_id)
    if trial is None:
        raise click.ClickException(f"{nct_id} is not in the store {resolve_db(db)}")
    click.echo(trial.model_dump_json(indent=2) if as_json else render_trial(trial))


@click.command("stats")
@db_option
def stats_command(db: Path | None) -> None:
    """Print counts of stored trials by source format, status, phase and study type."""
    with open_store(db, read_only=True) as store:
        click.echo(render_stats(store.stats()))
