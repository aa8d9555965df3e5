"""Eligibility criteria text to inclusion and exclusion lists."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from indexing.text import Block

# "Inclusion Criteria:", "Key exclusion criteria for part B: ...", or a bare "EXCLUSION CRITERIA".
_SECTION = re.compile(
    r"^(?:key |main |major |general |additional )?(?P<kind>inclusion|exclusion)\b"
    r"(?:[^:]{0,60}:\s*(?P<rest>.*)|(?: criteria| criterion)?\s*)$",
    re.IGNORECASE,
)
_SUBHEADER_MAX = 80


@dataclass
class ParsedCriteria:
    """Criteria split by section; text before any section heading counts as inclusion."""

    inclusion: list[str] = field(default_factory=list)
    exclusion: list[str] = field(default_factory=list)


def _is_subheader(block: Block) -> bool:
    return block.marker is None and block.text.endswith(":") and len(block.text) <= _SUBHEADER_MAX


def _is_field_label(text: str) -> bool:
    """`Age:` labels the items below it; `DISEASE CHARACTERISTICS:` only groups them."""
    return not text.isupper()


def parse_criteria(blocks: list[Block]) -> ParsedCriteria:
    """Each list item (or stray paragraph) becomes one criterion of the section it sits in.

    Items under a short field label such as `Age:` carry it as a prefix (`Age: 18 and over`),
    because the item alone ("18 and over") would lose its meaning; upper-case group headings
    such as `PATIENT CHARACTERISTICS:` are left out.
    """
    parsed = ParsedCriteria()
    section = parsed.inclusion
    subheader: str | None = None
    for block in blocks:
        heading = _SECTION.match(block.text) if block.marker is None else None
        if heading:
            section = parsed.exclusion if heading["kind"].lower() == "exclusion" else parsed.inclusion
            subheader = None
            rest = (heading["rest"] or "").strip()
            if rest:
                section.append(rest)
            continue
        if _is_subheader(block):
            subheader = block.text if _is_field_label(block.text) else None
            continue
        if block.marker is None:
            subheader = None  # a paragraph ends the scope of a sub-heading
        section.append(f"{subheader} {block.text}" if subheader and block.marker else block.text)
    return parsed
