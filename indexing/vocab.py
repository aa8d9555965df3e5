"""Registry values to the shared vocabulary: legacy XML labels become API v2 enum names."""

from __future__ import annotations

import re
from datetime import datetime

from models import OverallStatus, Phase, Sex, StudyType

_NON_WORD = re.compile(r"[^A-Z0-9]+")
_AGE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(year|month|week|day|hour|minute)s?\s*$", re.IGNORECASE)
_YEARS_PER_UNIT = {
    "year": 1.0,
    "month": 1 / 12,
    "week": 7 / 365.25,
    "day": 1 / 365.25,
    "hour": 1 / (365.25 * 24),
    "minute": 1 / (365.25 * 24 * 60),
}
_MESH_ID = re.compile(r"^([A-Z])(\d+)$")
_SPECIAL = {
    # legacy label (already upper-snake) -> API v2 name
    "UNKNOWN_STATUS": "UNKNOWN",
    "N_A": "NA",
    "ANTICIPATED": "ESTIMATED",
    "U_S_FED": "FED",
    "INDIVIDUAL": "INDIV",
    "EDUCATIONAL_COUNSELING_TRAINING": "ECT",
}


def enum_name(label: str | None) -> str | None:
    """`Active, not recruiting` -> `ACTIVE_NOT_RECRUITING`; API v2 names pass through unchanged."""
    if label is None or not label.strip():
        return None
    name = _NON_WORD.sub("_", label.upper()).strip("_")
    return _SPECIAL.get(name, name)


def overall_status(label: str | None) -> OverallStatus:
    """Recruitment status in the API v2 vocabulary; a missing or unheard-of value is UNKNOWN."""
    name = enum_name(label)
    try:
        return OverallStatus(name) if name else OverallStatus.UNKNOWN
    except ValueError:
        return OverallStatus.UNKNOWN


def phases(labels: list[str]) -> list[Phase]:
    """`Phase 1/Phase 2` or `["PHASE1", "PHASE2"]` -> [PHASE1, PHASE2]; unknown labels raise ValueError."""
    out: list[Phase] = []
    for label in labels:
        if enum_name(label) == "NA":  # `N/A` would otherwise split into `N` and `A`
            label = "NA"
        for part in label.split("/"):
            name = enum_name(part)
            if name is None:
                continue
            name = {"EARLY_PHASE_1": "EARLY_PHASE1"}.get(name, name.replace("PHASE_", "PHASE"))
            phase = Phase(name)
            if phase not in out:
                out.append(phase)
    return out


def study_type(label: str | None) -> StudyType | None:
    """`Observational [Patient Registry]` -> OBSERVATIONAL."""
    name = enum_name(label)
    if name is None:
        return None
    for member in StudyType:
        if name.startswith(member.value):
            return member
    raise ValueError(f"unknown study type {label!r}")


def sex(label: str | None) -> Sex | None:
    """`All`/`ALL` -> ALL; None when not given."""
    name = enum_name(label)
    return Sex(name) if name else None


def design_value(label: str | None, *, drop_suffix: str = "") -> str | None:
    """A design label as an API v2 name: `Parallel Assignment` -> PARALLEL, `Double (Participant)` -> DOUBLE."""
    name = enum_name(label)
    if name is None:
        return None
    if drop_suffix and name.endswith(drop_suffix):
        name = name[: -len(drop_suffix)]
    return name


def masking(label: str | None) -> str | None:
    """`Double (Participant, Investigator)` -> DOUBLE; `None (Open Label)` -> NONE."""
    name = enum_name(label)
    return name.split("_", 1)[0] if name else None


def age_in_years(label: str | None) -> float | None:
    """`18 Years` -> 18.0, `6 Months` -> 0.5; `N/A` or empty -> None (no limit)."""
    if label is None:
        return None
    match = _AGE.match(label)
    if not match:
        if label.strip().upper() in {"", "N/A", "NA", "NONE"}:
            return None
        raise ValueError(f"unreadable age {label!r}")
    return round(float(match[1]) * _YEARS_PER_UNIT[match[2].lower()], 4)


def partial_date(label: str | None) -> str | None:
    """`2019-08`, `August 2019`, `August 5, 2019` -> ISO partial date keeping its precision."""
    if label is None or not label.strip():
        return None
    text = label.strip()
    if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", text):
        return text
    for pattern, iso in (("%B %d, %Y", "%Y-%m-%d"), ("%B %Y", "%Y-%m"), ("%b %d, %Y", "%Y-%m-%d"), ("%b %Y", "%Y-%m")):
        try:
            return datetime.strptime(text, pattern).strftime(iso)
        except ValueError:
            continue
    raise ValueError(f"unreadable date {label!r}")


def mesh_id(raw: str | None) -> str | None:
    """MeSH UIs come in two widths (D007405, D000006937); both become the 9-digit form."""
    if not raw:
        return None
    match = _MESH_ID.match(raw.strip())
    if not match:
        return raw.strip()
    return f"{match[1]}{int(match[2]):09d}"
