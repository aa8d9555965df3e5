"""The related score: a weighted sum of per-aspect cosine similarities."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from models.trial_text import ASPECTS, Aspect

# Set by what holds on its own, then checked on the TrialSim development labels: the overview
# (titles, summary, outcomes) describes the whole study and was the best single aspect there; the
# condition is what a trial designer matches first; eligibility says who enrols; intervention names
# alone are often generic ("Placebo", "Arm A"), so they weigh least. On a coarse grid of weightings
# these sit at the median for dense scores alone; the spread between reasonable weightings is one or
# two swapped candidates on 16 easy groups, too little to fit to. Figures: docs/benchmarks/trialsim.md.
DEFAULT_WEIGHTS: dict[Aspect, float] = {
    Aspect.CONDITION: 0.30,
    Aspect.INTERVENTION: 0.15,
    Aspect.ELIGIBILITY: 0.20,
    Aspect.OVERVIEW: 0.35,
}
# The lexical score (TF-IDF cosine, 0..1) adds to the dense one with this weight: exact rare terms
# such as drug and gene names are where a small sentence encoder is weakest.
DEFAULT_LEXICAL_WEIGHT = 0.5


class UnknownAspect(ValueError):
    """An aspect name that does not exist."""


def parse_aspect(name: str) -> Aspect:
    """An aspect by name, or UnknownAspect listing the allowed names."""
    try:
        return Aspect(name)
    except ValueError:
        allowed = ", ".join(a.value for a in ASPECTS)
        raise UnknownAspect(f"unknown aspect {name!r}; choose one of: overall, {allowed}") from None


def normalise_weights(weights: Mapping[Aspect, float]) -> dict[Aspect, float]:
    """Non-negative weights summing to one, in the canonical aspect order."""
    if any(w < 0 for w in weights.values()):
        raise ValueError("aspect weights must be non-negative")
    total = sum(weights.values())
    if total <= 0:
        raise ValueError("at least one aspect weight must be positive")
    return {aspect: float(weights.get(aspect, 0.0)) / total for aspect in ASPECTS}


def parse_weights(spec: str) -> dict[Aspect, float]:
    """`condition=0.4,intervention=0.3,...` -> weights (missing aspects get 0), normalised."""
    weights: dict[Aspect, float] = {}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        name, sep, value = part.partition("=")
        if not sep:
            raise ValueError(f"weight {part!r} is not NAME=NUMBER")
        try:
            weights[parse_aspect(name.strip())] = float(value)
        except ValueError as error:
            if isinstance(error, UnknownAspect):
                raise
            raise ValueError(f"weight {part!r}: {value!r} is not a number") from None
    return normalise_weights(weights)


def combined_vectors(aspect_vectors: Mapping[Aspect, np.ndarray], weights: Mapping[Aspect, float]) -> np.ndarray:
    """Concatenate sqrt(w)-scaled aspect vectors: their inner product is the weighted sum of cosines.

    That identity lets one inner-product index answer the combined score exactly.
    """
    return np.hstack([np.sqrt(weights[a]) * aspect_vectors[a] for a in ASPECTS]).astype(np.float32)


def combine(similarities: Mapping[Aspect, np.ndarray], weights: Mapping[Aspect, float]) -> np.ndarray:
    """Weighted sum of per-aspect similarity arrays of one shape."""
    return sum(weights[a] * similarities[a] for a in ASPECTS if weights.get(a))  # type: ignore[return-value]
