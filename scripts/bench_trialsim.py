"""TrialSim figures behind the ranking defaults; writes docs/benchmarks/trialsim.md and data/benchmarks/trialsim.json.

Run: `python scripts/bench_trialsim.py`. Every system is scored on the same 16 development groups in
one run: the systems side by side, chunked pooling against truncation, each aspect alone, a coarse
grid of aspect weights, and the lexical weight of the hybrid.
"""

from __future__ import annotations

import itertools
import json
import os
import statistics
import tempfile
from pathlib import Path

import numpy as np

from indexing.embedding import AspectEmbedder, EmbeddingConfig
from indexing.embedding_cache import EmbeddingCache
from indexing.evaluate import (
    METRICS,
    TrialSimInputs,
    evaluate,
    load_trialsim_labels,
    prepare_inputs,
    single_text_config,
    trialsim_scorers,
)
from indexing.ingest import ingest
from indexing.scoring import DEFAULT_LEXICAL_WEIGHT, DEFAULT_WEIGHTS, normalise_weights
from indexing.store import TrialStore
from models.encoders import load_encoder
from models.trial_text import ASPECTS, Aspect, full_text

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("TRIALS_SHARED_DIR", REPO.parent / "shared"))


def row(name: str, metrics: dict[str, float]) -> str:
    return f"| {name} | " + " | ".join(f"{metrics[m]:.3f}" for m in METRICS) + " |"


HEADER = "| system | " + " | ".join(METRICS) + " |\n|---|" + "---:|" * len(METRICS)


def main() -> None:
    labels = SHARED / "bench" / "trialsim" / "labels.csv"
    groups = load_trialsim_labels(labels)
    encoder = load_encoder()
    cache = EmbeddingCache(REPO / "data" / "cache" / "embeddings.sqlite")
    with tempfile.TemporaryDirectory() as tmp, TrialStore(Path(tmp) / "s.sqlite") as store:
        ingest([SHARED / "bench" / "trialsim" / "xml", SHARED / "corpus"], store)
        wanted = sorted({x for g in groups for x in g.nct_ids})
        found = store.get_many(wanted)
        trials = [found[x] for x in wanted]
        chunked = prepare_inputs(
            trials,
            (full_text(t) for t in store.iter_trials()),
            AspectEmbedder(encoder, cache, EmbeddingConfig()),
            AspectEmbedder(encoder, cache, single_text_config()),
        )
    truncated = TrialSimInputs(
        chunked.trials,
        AspectEmbedder(encoder, cache, EmbeddingConfig(pooling="truncate")).embed_trials(trials),
        chunked.single_vectors,
        chunked.lexical_vectors,
    )
    index = chunked.index
    results: dict[str, object] = {"targets": sum(1 for g in groups if any(g.labels))}

    systems = evaluate(groups, trialsim_scorers(chunked), index, "hybrid")
    results["systems"] = systems.as_json()["systems"]

    pooling = {}
    for name, inputs in (("chunked (default)", chunked), ("truncated at 256 tokens", truncated)):
        scorers = trialsim_scorers(inputs)
        report = evaluate(groups, {"dense-aspects": scorers["dense-aspects"], "hybrid": scorers["hybrid"]}, index, "")
        pooling[name] = {s.name: s.metrics for s in report.systems}
    results["pooling"] = pooling

    alone = {}
    for aspect in ASPECTS:
        weights = {a: float(a == aspect) for a in ASPECTS}
        alone[aspect.value] = (
            evaluate(groups, {"x": trialsim_scorers(chunked, weights)["dense-aspects"]}, index, "").systems[0].metrics
        )
    results["aspect_alone"] = alone

    grid = []
    for wc, wi, we, wo in itertools.product([0.1, 0.3, 0.5], [0.05, 0.15, 0.3], [0.0, 0.2, 0.4], [0.15, 0.35, 0.55]):
        weights = normalise_weights(
            {Aspect.CONDITION: wc, Aspect.INTERVENTION: wi, Aspect.ELIGIBILITY: we, Aspect.OVERVIEW: wo}
        )
        m = evaluate(groups, {"x": trialsim_scorers(chunked, weights)["dense-aspects"]}, index, "").systems[0].metrics
        grid.append({"weights": [wc, wi, we, wo], "nDCG@5": m["nDCG@5"], "P@1": m["P@1"]})
    default_m = evaluate(groups, {"x": trialsim_scorers(chunked)["dense-aspects"]}, index, "").systems[0].metrics
    results["grid"] = grid

    sweep = {}
    for beta in (0.0, 0.25, 0.5, 1.0, 2.0):
        m = (
            evaluate(groups, {"x": trialsim_scorers(chunked, DEFAULT_WEIGHTS, beta)["hybrid"]}, index, "")
            .systems[0]
            .metrics
        )
        sweep[beta] = m
    results["lexical_weight"] = {str(k): v for k, v in sweep.items()}

    (REPO / "data" / "benchmarks").mkdir(parents=True, exist_ok=True)
    (REPO / "data" / "benchmarks" / "trialsim.json").write_text(json.dumps(results, indent=2) + "\n")

    ndcgs = sorted((g["nDCG@5"] for g in grid), reverse=True)
    rank = 1 + sum(1 for x in ndcgs if x > default_m["nDCG@5"] + 1e-9)
    best = max(grid, key=lambda g: (g["nDCG@5"], g["P@1"]))
    names = ", ".join(a.value for a in ASPECTS)
    doc = [
        "# TrialSim evaluation (development groups)",
        "",
        f"Written by `python scripts/bench_trialsim.py`; {results['targets']} targets with at least one positive, "
        "each ranking its ten labelled candidates. Metrics exactly as Trial2Vec defines them (see "
        "`../shared/bench/trialsim/README.md`). Encoder: all-MiniLM-L6-v2 on CPU. The same systems run with "
        "`trials eval trialsim`.",
        "",
        "## Systems side by side (one run)",
        "",
        HEADER,
        *[row(s.name + (" (default)" if s.default else ""), s.metrics) for s in systems.systems],
        "",
        "- **lexical**: TF-IDF (sublinear, unigrams, English stop words; IDF from the whole store) over the full text.",
        "- **dense-single**: MiniLM over the full text as one input, truncated at 256 word pieces.",
        "- **dense-aspects**: four aspect vectors (long text split into 128-token windows of whole criteria or sentences, "
        "window vectors averaged), combined with the default weights.",
        "- **hybrid** (the default, what builds rank related lists by): dense-aspects + "
        f"{DEFAULT_LEXICAL_WEIGHT} x lexical.",
        "",
        "## Does splitting long text help? (chunked windows vs one truncated input per aspect)",
        "",
        HEADER,
        *[row(f"{system}, {name}", m) for name, per in pooling.items() for system, m in per.items()],
        "",
        "## Each aspect alone",
        "",
        HEADER,
        *[row(a, m) for a, m in alone.items()],
        "",
        f"## Aspect weights ({names})",
        "",
        f"A coarse grid of {len(grid)} weightings (normalised), dense-aspects alone: nDCG@5 median "
        f"{statistics.median(ndcgs):.3f}, best {ndcgs[0]:.3f} at {best['weights']}, worst {ndcgs[-1]:.3f}. "
        f"The default {[round(DEFAULT_WEIGHTS[a], 2) for a in ASPECTS]} scores {default_m['nDCG@5']:.3f} "
        f"(rank {rank} of {len(grid)}). The default is deliberately not the grid's top: on 16 easy groups the "
        "spread between reasonable weightings is one or two swapped candidates, which would not carry over to "
        "unseen groups; it is set by what holds on its own (the overview describes the whole study and is the best "
        "single aspect here, the condition is what a trial designer matches first, intervention names alone are "
        "often generic; see `indexing/scoring.py`). What lifts the default is the lexical score (below), not the weights.",
        "",
        "## Lexical weight in the hybrid",
        "",
        "| lexical weight | nDCG@5 | P@1 | R@5 |",
        "|---:|---:|---:|---:|",
        *[f"| {b} | {m['nDCG@5']:.3f} | {m['P@1']:.3f} | {m['R@5']:.3f} |" for b, m in sweep.items()],
        "",
    ]
    (REPO / "docs" / "benchmarks" / "trialsim.md").write_text("\n".join(doc))
    print("\n".join(doc))


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
