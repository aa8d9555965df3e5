"""Evaluation commands: quality on labelled benchmarks, with checked-in expectations."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import click

from indexing.embedding import AspectEmbedder, EmbeddingConfig
from indexing.embedding_cache import EmbeddingCache
from indexing.evaluate import (
    DEFAULT_SYSTEM,
    METRICS,
    EvalReport,
    check_expectation,
    load_expectation,
    run_trialsim,
    single_text_config,
)
from indexing.settings import load_settings
from models.encoders import load_encoder
from trials_cli.options import encoder_options

EXPECTATIONS = Path(__file__).resolve().parent.parent / "data" / "eval" / "trialsim-expected.json"


def render_report(report: EvalReport) -> str:
    header = f"{'system':<16}" + "".join(f"{m:>8}" for m in METRICS)
    lines = [f"TrialSim: {report.targets} targets with at least one positive", header, "-" * len(header)]
    for s in report.systems:
        mark = " *" if s.default else ""
        lines.append(f"{s.name:<16}" + "".join(f"{s.metrics[m]:>8.3f}" for m in METRICS) + mark)
    lines.append(f"(* the default system, {DEFAULT_SYSTEM}: what index builds rank related lists by)")
    return "\n".join(lines)


@click.group("eval")
def eval_group() -> None:
    """Measure ranking quality on labelled benchmarks."""


@eval_group.command("trialsim")
@click.option(
    "--labels",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="TrialSim labels CSV [default SHARED/bench/trialsim/labels.csv]",
)
@click.option(
    "--trials",
    "sources",
    multiple=True,
    type=click.Path(path_type=Path),
    help="files or directories holding the labelled trials (repeatable) "
    "[default SHARED/bench/trialsim/xml and the sample corpus]",
)
@click.option(
    "--system",
    "systems",
    multiple=True,
    help="systems to compare: random, published, lexical, dense-single, dense-aspects, hybrid [default all]",
)
@click.option(
    "--expected",
    type=click.Path(dir_okay=False, path_type=Path),
    default=EXPECTATIONS,
    show_default=True,
    help="checked-in minimum scores; the command fails when the default system falls below them",
)
@click.option("--json", "as_json", is_flag=True, help="print {targets, systems: [...]} as JSON")
@encoder_options
def trialsim_command(
    labels: Path | None,
    sources: tuple[Path, ...],
    systems: tuple[str, ...],
    expected: Path,
    as_json: bool,
    model: Path | None,
    device: str | None,
    cache: Path | None,
) -> None:
    """Rank each target's ten labelled candidates with every system; report P@k, R@k and nDCG@5."""
    settings = load_settings()
    labels = labels or settings.shared_dir / "bench" / "trialsim" / "labels.csv"
    if not labels.is_file():
        raise click.ClickException(f"no labels file at {labels}")
    paths = list(sources) or [settings.shared_dir / "bench" / "trialsim" / "xml", settings.corpus]
    encoder = load_encoder(model or settings.model, device or settings.device)
    embed_cache = EmbeddingCache(cache or settings.cache)
    report = run_trialsim(
        labels,
        paths,
        AspectEmbedder(encoder, embed_cache, EmbeddingConfig()),
        AspectEmbedder(encoder, embed_cache, single_text_config()),
        systems or None,
    )
    click.echo(json.dumps(report.as_json(), indent=2) if as_json else render_report(report))
    if expected.is_file() and model is None and settings.model is None:
        expectation = load_expectation(expected)
        if hashlib.sha256(labels.read_bytes()).hexdigest() != expectation.labels_sha256:
            click.echo(f"note: {expected} holds expectations for another labels file; not checked", err=True)
            return
        failures = check_expectation(report, expectation)
        for failure in failures:
            click.echo(f"regression: {failure}", err=True)
        if failures:
            sys.exit(1)
