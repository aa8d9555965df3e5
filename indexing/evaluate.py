"""TrialSim evaluation: rank each target's ten labelled candidates and score the ranking as Trial2Vec does."""

from __future__ import annotations

import csv
import json
import math
import random
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from indexing.embedding import AspectEmbedder, EmbeddingConfig
from indexing.ingest import ingest
from indexing.scoring import DEFAULT_LEXICAL_WEIGHT, DEFAULT_WEIGHTS, combine, normalise_weights
from indexing.store import TrialStore
from models.lexical import TfidfScorer
from models.trial import Trial, is_nct_id
from models.trial_text import ASPECTS, Aspect, full_text

DEFAULT_SYSTEM = "hybrid"

METRICS = ("P@1", "P@2", "P@5", "R@1", "R@2", "R@5", "nDCG@5")


class LabelsError(ValueError):
    """The labels file is unreadable or not in the TrialSim layout."""


class MissingTrials(LookupError):
    """Labelled trials whose records were not among the given sources."""

    def __init__(self, nct_ids: Sequence[str]) -> None:
        self.nct_ids = sorted(nct_ids)
        super().__init__(
            f"no trial text for {len(self.nct_ids)} labelled trials: {', '.join(self.nct_ids)}; "
            "add the files that hold them with --trials"
        )


@dataclass(frozen=True)
class LabelledGroup:
    """One target trial with ten candidates in published order and their 0/1 labels."""

    group: str
    target: str
    candidates: tuple[str, ...]
    labels: tuple[int, ...]

    @property
    def nct_ids(self) -> list[str]:
        return [self.target, *self.candidates]


def load_trialsim_labels(path: Path) -> list[LabelledGroup]:
    """`group,target_trial,rank_1..rank_10,label_1..label_10` rows; raises LabelsError naming the row."""
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError) as error:
        raise LabelsError(f"cannot read labels {path}: {error}") from None
    groups: list[LabelledGroup] = []
    for line, row in enumerate(rows, start=2):
        try:
            candidates = tuple(row[f"rank_{k}"].strip() for k in range(1, 11))
            labels = tuple(int(row[f"label_{k}"]) for k in range(1, 11))
            target = row["target_trial"].strip()
        except (KeyError, ValueError, TypeError, AttributeError):
            raise LabelsError(
                f"{path} line {line}: expected columns group,target_trial,rank_1..rank_10,label_1..label_10 "
                "with 0/1 labels"
            ) from None
        bad = [x for x in (target, *candidates) if not is_nct_id(x)]
        if bad or any(label not in (0, 1) for label in labels):
            raise LabelsError(f"{path} line {line}: malformed NCT IDs {bad} or labels not 0/1")
        groups.append(LabelledGroup(row.get("group", str(line)), target, candidates, labels))
    if not groups:
        raise LabelsError(f"{path} holds no labelled groups")
    return groups


def ranking_metrics(ranked_labels: Sequence[int]) -> dict[str, float]:
    """Precision, recall at 1/2/5 and binary nDCG@5 of one ranked list of 0/1 labels."""
    positives = sum(ranked_labels)
    out: dict[str, float] = {}
    for k in (1, 2, 5):
        hits = sum(ranked_labels[:k])
        out[f"P@{k}"] = hits / k
        out[f"R@{k}"] = hits / positives
    dcg = sum(rel / math.log2(i + 2) for i, rel in enumerate(ranked_labels[:5]))
    ideal = sum(rel / math.log2(i + 2) for i, rel in enumerate(sorted(ranked_labels, reverse=True)[:5]))
    out["nDCG@5"] = dcg / ideal
    return out


def rank_by_scores(labels: Sequence[int], scores: Sequence[float]) -> list[int]:
    """Labels in descending score order; ties keep the published order (a stable sort)."""
    order = sorted(range(len(labels)), key=lambda i: -scores[i])
    return [labels[i] for i in order]


@dataclass
class SystemResult:
    """Mean metrics of one system over the scored targets."""

    name: str
    metrics: dict[str, float]
    default: bool = False

    def as_json(self) -> dict[str, object]:
        return {"name": self.name, "default": self.default, **{m: round(self.metrics[m], 4) for m in METRICS}}


@dataclass
class EvalReport:
    """All systems side by side on the same targets."""

    targets: int
    systems: list[SystemResult] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {"targets": self.targets, "systems": [s.as_json() for s in self.systems]}

    def system(self, name: str) -> SystemResult:
        return next(s for s in self.systems if s.name == name)


# A system scores each candidate of a group: (target index, candidate indices) -> scores.
Scorer = Callable[[int, list[int]], np.ndarray]


def evaluate(
    groups: Sequence[LabelledGroup], scorers: Mapping[str, Scorer], index: Mapping[str, int], default: str
) -> EvalReport:
    """Score every system on the groups with at least one positive."""
    scored = [g for g in groups if any(g.labels)]
    report = EvalReport(targets=len(scored))
    for name, scorer in scorers.items():
        totals = dict.fromkeys(METRICS, 0.0)
        for g in scored:
            scores = scorer(index[g.target], [index[c] for c in g.candidates])
            for metric, value in ranking_metrics(rank_by_scores(g.labels, list(scores))).items():
                totals[metric] += value
        report.systems.append(SystemResult(name, {m: v / len(scored) for m, v in totals.items()}, name == default))
    return report


@dataclass
class TrialSimInputs:
    """The trials the labels name, in one row order, with what every system needs."""

    trials: list[Trial]
    aspect_vectors: dict[Aspect, np.ndarray]
    single_vectors: np.ndarray
    lexical_vectors: object  # sparse rows, TF-IDF

    @property
    def index(self) -> dict[str, int]:
        return {t.nct_id: i for i, t in enumerate(self.trials)}


def prepare_inputs(
    trials: Sequence[Trial],
    corpus_texts: Iterable[str],
    embedder: AspectEmbedder,
    single_embedder: AspectEmbedder,
) -> TrialSimInputs:
    """Embed the labelled trials (through the cache) and fit the lexical scorer on the whole store."""
    aspect_vectors = embedder.embed_trials(trials)
    single = single_embedder.embed_units([[full_text(t)] for t in trials])
    lexical = TfidfScorer().fit(corpus_texts)
    return TrialSimInputs(list(trials), aspect_vectors, single, lexical.transform([full_text(t) for t in trials]))


def trialsim_scorers(
    inputs: TrialSimInputs,
    weights: Mapping[Aspect, float] = DEFAULT_WEIGHTS,
    lexical_weight: float = DEFAULT_LEXICAL_WEIGHT,
    seed: int = 0,
) -> dict[str, Scorer]:
    """random, published, lexical, dense-single, dense-aspects and hybrid, scored on the same inputs.

    `hybrid` is exactly the score a build ranks related lists by: dense aspects + lexical_weight x lexical.
    """
    weights = normalise_weights(weights)
    rng = random.Random(seed)
    lex = inputs.lexical_vectors

    def aspects_score(t: int, cands: list[int]) -> np.ndarray:
        sims = {a: inputs.aspect_vectors[a][cands] @ inputs.aspect_vectors[a][t] for a in ASPECTS}
        return combine(sims, weights)

    def lexical_score(t: int, cands: list[int]) -> np.ndarray:
        return TfidfScorer.similarity(lex[t], lex[cands])[0]  # type: ignore[index]

    return {
        "random": lambda t, cands: np.array([rng.random() for _ in cands]),
        "published": lambda t, cands: np.zeros(len(cands)),  # ties keep the published order
        "lexical": lexical_score,
        "dense-single": lambda t, cands: inputs.single_vectors[cands] @ inputs.single_vectors[t],
        "dense-aspects": aspects_score,
        "hybrid": lambda t, cands: aspects_score(t, cands) + lexical_weight * lexical_score(t, cands),
    }


def single_text_config() -> EmbeddingConfig:
    """The dense single-text baseline: the whole text as one input, truncated by the model."""
    return EmbeddingConfig(pooling="truncate")


def run_trialsim(
    labels_path: Path,
    sources: Sequence[Path],
    embedder: AspectEmbedder,
    single_embedder: AspectEmbedder,
    systems: Sequence[str] | None = None,
    weights: Mapping[Aspect, float] = DEFAULT_WEIGHTS,
    lexical_weight: float = DEFAULT_LEXICAL_WEIGHT,
    workdir: Path | None = None,
) -> EvalReport:
    """Ingest `sources` into a temporary store, embed the labelled trials, and score every system."""
    groups = load_trialsim_labels(labels_path)
    with tempfile.TemporaryDirectory(dir=workdir) as tmp, TrialStore(Path(tmp) / "eval.sqlite") as store:
        ingest(sources, store)
        wanted = sorted({x for g in groups for x in g.nct_ids})
        found = store.get_many(wanted)
        missing = [x for x in wanted if x not in found]
        if missing:
            raise MissingTrials(missing)
        trials = [found[x] for x in wanted]
        inputs = prepare_inputs(trials, (full_text(t) for t in store.iter_trials()), embedder, single_embedder)
    scorers = trialsim_scorers(inputs, weights, lexical_weight)
    if systems:
        unknown = [s for s in systems if s not in scorers]
        if unknown:
            raise ValueError(f"unknown systems {unknown}; choose from {', '.join(scorers)}")
        scorers = {name: scorers[name] for name in systems}
    return evaluate(groups, scorers, inputs.index, DEFAULT_SYSTEM)


@dataclass(frozen=True)
class Expectation:
    """Checked-in minimum scores of the default system on one labels file."""

    labels_sha256: str
    system: str
    metrics: dict[str, float]
    tolerance: float


def load_expectation(path: Path) -> Expectation:
    data = json.loads(path.read_text())
    return Expectation(data["labels_sha256"], data["system"], data["metrics"], data["tolerance"])


def check_expectation(report: EvalReport, expectation: Expectation) -> list[str]:
    """Metrics of the expected system that fell below expectation minus tolerance (empty = pass)."""
    try:
        result = report.system(expectation.system)
    except StopIteration:
        return [f"system {expectation.system!r} was not evaluated"]
    return [
        f"{expectation.system} {metric} = {result.metrics[metric]:.4f} is below the expected "
        f"{floor:.4f} - {expectation.tolerance}"
        for metric, floor in expectation.metrics.items()
        if result.metrics[metric] < floor - expectation.tolerance
    ]
