"""Why two trials are related, in words taken from the records themselves."""

from __future__ import annotations

import re

from indexing.catalog import CatalogEntry

_MAX_ITEMS = 3
_WORD = re.compile(r"[a-z][a-z0-9-]{3,}")
# Words too common in condition names to say anything about relatedness.
_GENERIC = {"disease", "diseases", "disorder", "disorders", "syndrome", "chronic", "acute", "cancer", "type", "healthy"}


def _shared(a: list[str], b: list[str]) -> list[str]:
    """Values both lists hold, compared case-insensitively, in the order of `a`."""
    other = {x.casefold() for x in b}
    return list(dict.fromkeys(x for x in a if x.casefold() in other))


def _listing(values: list[str]) -> str:
    shown = "; ".join(values[:_MAX_ITEMS])
    return shown + (f" (+{len(values) - _MAX_ITEMS} more)" if len(values) > _MAX_ITEMS else "")


def _age_overlap(a: CatalogEntry, b: CatalogEntry) -> str | None:
    if a.minimum_age_years is None and a.maximum_age_years is None:
        return None
    if b.minimum_age_years is None and b.maximum_age_years is None:
        return None
    low = max(a.minimum_age_years or 0.0, b.minimum_age_years or 0.0)
    highs = [x for x in (a.maximum_age_years, b.maximum_age_years) if x is not None]
    high = min(highs) if highs else None
    if high is not None and high < low:
        return None
    if high is None:
        return f"both enrol ages {low:g} years and older"
    return f"overlapping ages {low:g} to {high:g} years"


def _condition_words(entry: CatalogEntry) -> set[str]:
    return {w for c in entry.conditions + entry.mesh_terms for w in _WORD.findall(c.casefold())} - _GENERIC


def _similar_conditions(seed: CatalogEntry, hit: CatalogEntry) -> str | None:
    """`Lupus Nephritis` and `Systemic Lupus Erythematosus` share no name but share `lupus`."""
    words = _condition_words(seed) & _condition_words(hit)
    if not words:
        return None
    named = [c for c in hit.conditions if words & set(_WORD.findall(c.casefold()))]
    return f"similar conditions: {_listing(named)}" if named else None


def explain(seed: CatalogEntry, hit: CatalogEntry) -> list[str]:
    """Short reasons, strongest first: shared conditions or MeSH terms (else similar conditions or broader
    MeSH areas), shared interventions (else the same intervention type), overlapping ages."""
    reasons: list[str] = []
    conditions = _shared(seed.conditions, hit.conditions)
    if conditions:
        reasons.append(f"shared conditions: {_listing(conditions)}")
    mesh = [
        m for m in _shared(seed.mesh_terms, hit.mesh_terms) if m.casefold() not in {c.casefold() for c in conditions}
    ]
    if mesh:
        reasons.append(f"shared MeSH terms: {_listing(mesh)}")
    elif not conditions:
        similar = _similar_conditions(seed, hit)
        broader = _shared(seed.mesh_ancestors, hit.mesh_ancestors)
        if similar:
            reasons.append(similar)
        elif broader:
            reasons.append(f"related condition areas: {_listing(broader)}")
    interventions = _shared(seed.interventions, hit.interventions)
    if interventions:
        reasons.append(f"shared interventions: {_listing(interventions)}")
    types = _shared(seed.intervention_types, hit.intervention_types)
    if types and not interventions:
        reasons.append(f"same intervention type: {_listing([t.replace('_', ' ').lower() for t in types])}")
    ages = _age_overlap(seed, hit)
    if ages:
        reasons.append(ages)
    return reasons
