"""How a trial becomes text: the four aspect texts that define a trial, each a list of units.

A unit is a piece of meaning that should not be cut (a criterion, a sentence, one intervention);
the embedder packs units into windows the model can read and pools the window vectors.

| aspect       | from the record                                                          |
|--------------|--------------------------------------------------------------------------|
| condition    | conditions, keywords, condition MeSH terms                               |
| intervention | interventions (type, name, other names, description), arm groups         |
| eligibility  | sex and ages, inclusion and exclusion criteria (or study population)     |
| overview     | brief and official title, acronym, brief summary, outcome measures       |
"""

from __future__ import annotations

import re
from enum import StrEnum

from models.trial import Trial


class Aspect(StrEnum):
    """One side of what makes two trials related."""

    CONDITION = "condition"
    INTERVENTION = "intervention"
    ELIGIBILITY = "eligibility"
    OVERVIEW = "overview"


ASPECTS: tuple[Aspect, ...] = tuple(Aspect)
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[A-Z0-9(\[])")


def sentences(text: str | None) -> list[str]:
    """Prose split at sentence ends and paragraph breaks."""
    if not text:
        return []
    out: list[str] = []
    for line in text.split("\n"):
        out.extend(part.strip() for part in _SENTENCE_END.split(line) if part.strip())
    return out


def _join(values: list[str]) -> str:
    return "; ".join(dict.fromkeys(v for v in values if v))


def condition_units(trial: Trial) -> list[str]:
    units = [_join(trial.conditions)]
    if trial.keywords:
        units.append(f"Keywords: {_join(trial.keywords)}")
    mesh = [m.term for m in trial.condition_mesh if m.term not in trial.conditions]
    if mesh:
        units.append(f"MeSH: {_join(mesh)}")
    return [u for u in units if u]


def _humanise(enum_value: str | None) -> str:
    return enum_value.replace("_", " ").lower() if enum_value else ""


def intervention_units(trial: Trial) -> list[str]:
    units: list[str] = []
    for i in trial.interventions:
        head = f"{_humanise(i.type)}: {i.name}".strip(": ") if i.type else i.name
        if i.other_names:
            head += f" ({_join(i.other_names)})"
        units.append(head)
        units.extend(sentences(i.description))
    for arm in trial.arm_groups:
        units.append(f"{_humanise(arm.type) or 'arm'}: {arm.label}")
        units.extend(sentences(arm.description))
    return list(dict.fromkeys(units))  # interventions often repeat their arm's text word for word


def _ages(trial: Trial) -> str:
    e = trial.eligibility
    low = f"{e.minimum_age_years:g}" if e.minimum_age_years is not None else None
    high = f"{e.maximum_age_years:g}" if e.maximum_age_years is not None else None
    if low and high:
        return f"ages {low} to {high} years"
    if low:
        return f"ages {low} years and older"
    if high:
        return f"ages up to {high} years"
    return "all ages"


def eligibility_units(trial: Trial) -> list[str]:
    e = trial.eligibility
    sex = {"FEMALE": "female participants", "MALE": "male participants"}.get(e.sex or "", "all sexes")
    units = [f"Eligible: {sex}, {_ages(trial)}" + (", healthy volunteers accepted" if e.healthy_volunteers else "")]
    units += [f"Inclusion: {c}" for c in e.inclusion]
    units += [f"Exclusion: {c}" for c in e.exclusion]
    if not (e.inclusion or e.exclusion):
        units += sentences(e.study_population)
    return units


def overview_units(trial: Trial) -> list[str]:
    titles = [trial.brief_title]
    if trial.official_title and trial.official_title != trial.brief_title:
        titles.append(trial.official_title)
    units = titles + sentences(trial.brief_summary)
    units += [f"Outcome: {o.measure}" for o in trial.primary_outcomes + trial.secondary_outcomes]
    return units


_UNITS = {
    Aspect.CONDITION: condition_units,
    Aspect.INTERVENTION: intervention_units,
    Aspect.ELIGIBILITY: eligibility_units,
    Aspect.OVERVIEW: overview_units,
}


def aspect_units(trial: Trial, aspect: Aspect) -> list[str]:
    """The units of one aspect of a trial, in reading order; empty when the record has nothing for it."""
    return _UNITS[aspect](trial)


def trial_text(trial: Trial, aspect: Aspect) -> str:
    """One aspect as a single string (what a single-window encoder or a lexical scorer reads)."""
    return "\n".join(aspect_units(trial, aspect))


def full_text(trial: Trial) -> str:
    """Every aspect, the detailed description included: the text a lexical baseline indexes."""
    parts = [trial_text(trial, aspect) for aspect in (Aspect.OVERVIEW, Aspect.CONDITION, Aspect.INTERVENTION)]
    parts.append(trial.detailed_description or "")
    parts.append(trial_text(trial, Aspect.ELIGIBILITY))
    return "\n".join(p for p in parts if p)
