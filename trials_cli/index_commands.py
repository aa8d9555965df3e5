"""Commands over index builds: build, related."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
from tqdm import tqdm

from indexing.build import BuildConfig, BuildProgress, BuildResult, build_index
from indexing.embedding import EmbeddingConfig
from indexing.embedding_cache import EmbeddingCache
from indexing.filters import TrialFilters
from indexing.related import OVERALL, RelatedIndex, RelatedResult
from indexing.sample import quickstart_sample
from indexing.scoring import DEFAULT_LEXICAL_WEIGHT, normalise_weights, parse_weights
from indexing.scoring import DEFAULT_WEIGHTS as WEIGHTS
from indexing.settings import load_settings
from models.encoders import load_encoder
from models.trial_text import ASPECTS
from models.vocabulary import OverallStatus, Phase, StudyType
from trials_cli.options import (
    VocabularyChoice,
    builds_dir_option,
    db_option,
    encoder_options,
    open_store,
    resolve_builds_dir,
)


def _stage_bars() -> tuple[BuildProgress, list[tqdm]]:
    """One progress bar per build stage, each with its own ETA."""
    bars: list[tqdm] = []

    def stage(name: str, total: int) -> None:
        if bars:
            bars[-1].close()
        unit = "trial" if name in ("embed", "related lists", "lexical") else "index"
        bars.append(tqdm(total=total, desc=f"{name:<13}", unit=unit, file=sys.stderr, dynamic_ncols=True, disable=None))

    def advance(n: int) -> None:
        bars[-1].update(n)

    return BuildProgress(on_stage=stage, on_advance=advance), bars


def run_build(
    db: Path | None,
    builds_dir: Path | None,
    model: Path | None,
    device: str | None,
    cache: Path | None,
    sample: int | None = None,
    config: BuildConfig | None = None,
) -> BuildResult:
    """Build and publish from the store, with progress bars; shared by `build` and `run`."""
    settings = load_settings()
    encoder = load_encoder(model or settings.model, device or settings.device)
    progress, bars = _stage_bars()
    with open_store(db, read_only=True) as store:
        ids = quickstart_sample(store.content_hashes(), sample) if sample else None
        try:
            result = build_index(
                store,
                encoder,
                EmbeddingCache(cache or settings.cache),
                resolve_builds_dir(builds_dir),
                config,
                progress,
                ids,
            )
        finally:
            for bar in bars:
                bar.close()
    return result


def describe_build(result: BuildResult) -> str:
    m = result.manifest
    stats = m["embed_stats"]
    return (
        f"published build {result.build_id}: {result.count:,} trials, model {m['model']['model_id']}, "
        f"{stats['encoded']:,} windows embedded, {stats['cached']:,} from the cache, "
        f"{m['timings']['total_s']:.1f} s\n  at {result.path}"
    )


@click.command("build")
@db_option
@builds_dir_option
@encoder_options
@click.option("--sample", type=click.IntRange(min=2), default=None, help="build from a documented sample of N trials")
@click.option(
    "--weights",
    default=None,
    help="aspect weights, e.g. condition=0.3,intervention=0.15,eligibility=0.2,overview=0.35 (normalised)",
)
@click.option("--lexical-weight", type=click.FloatRange(min=0), default=DEFAULT_LEXICAL_WEIGHT, show_default=True)
@click.option("--pooling", type=click.Choice(["chunked", "truncate"]), default="chunked", show_default=True)
@click.option("--window-tokens", type=click.IntRange(min=16), default=128, show_default=True)
@click.option(
    "--hnsw-threshold",
    type=click.IntRange(min=1),
    default=100_000,
    show_default=True,
    help="above this many trials, HNSW instead of exact search",
)
def build_command(
    db: Path | None,
    builds_dir: Path | None,
    model: Path | None,
    device: str | None,
    cache: Path | None,
    sample: int | None,
    weights: str | None,
    lexical_weight: float,
    pooling: str,
    window_tokens: int,
    hnsw_threshold: int,
) -> None:
    """Embed the stored trials into a new index build and publish it as `current`.

    Only text the embedding cache has not seen reaches the encoder, so a rebuild after a small
    change takes seconds. The build is verified before `current` switches to it.
    """
    try:
        chosen = parse_weights(weights) if weights else normalise_weights(WEIGHTS)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--weights") from None
    config = BuildConfig(
        embedding=EmbeddingConfig(window_tokens=window_tokens, pooling=pooling),  # type: ignore[arg-type]
        weights=chosen,
        lexical_weight=lexical_weight,
        hnsw_threshold=hnsw_threshold,
    )
    click.echo(describe_build(run_build(db, builds_dir, model, device, cache, sample, config)))


def _choice(values: Any) -> VocabularyChoice:
    return VocabularyChoice([v.value for v in values])


def render_related(result: RelatedResult, index: RelatedIndex) -> str:
    seed = index.catalog[index.rows[result.nct_id]]
    lines = [
        f"Related to {result.nct_id}  {seed.title}",
        f"  ({result.aspect}, {result.source}, build {index.build_id})",
    ]
    if not result.hits:
        lines.append("  no trials pass these filters")
    for rank, hit in enumerate(result.hits, start=1):
        lines.append(f"{rank:>3}. {hit.nct_id}  {hit.score:.3f}  {hit.title}")
        lines.append(f"       conditions: {'; '.join(hit.conditions) or '-'}")
        if hit.why:
            lines.append(f"       why: {'; '.join(hit.why)}")
    return "\n".join(lines)


@click.command("related")
@click.argument("nct_id")
@click.option("--limit", type=click.IntRange(1, 100), default=10, show_default=True)
@click.option("--aspect", type=click.Choice([OVERALL, *[a.value for a in ASPECTS]]), default=OVERALL, show_default=True)
@click.option("--status", "statuses", multiple=True, type=_choice(OverallStatus), help="keep trials with this status")
@click.option("--phase", "phases", multiple=True, type=_choice(Phase), help="keep trials in this phase")
@click.option("--study-type", "study_types", multiple=True, type=_choice(StudyType), help="keep this study type")
@click.option("--json", "as_json", is_flag=True, help="print {nct_id, hits: [...]} as JSON")
@builds_dir_option
def related_command(
    nct_id: str,
    limit: int,
    aspect: str,
    statuses: tuple[str, ...],
    phases: tuple[str, ...],
    study_types: tuple[str, ...],
    as_json: bool,
    builds_dir: Path | None,
) -> None:
    """The trials most related to NCT_ID in the current build, with scores and reasons."""
    index = RelatedIndex.open_current(resolve_builds_dir(builds_dir))
    filters = TrialFilters(frozenset(statuses), frozenset(phases), frozenset(study_types))
    result = index.related(nct_id, limit, aspect, filters)
    click.echo(json.dumps(result.as_json(), indent=2) if as_json else render_related(result, index))
