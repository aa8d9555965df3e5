"""Criteria text splits into inclusion and exclusion lists."""

from indexing.criteria import parse_criteria
from indexing.text import text_blocks


def parse(raw: str, markdown: bool = True):
    return parse_criteria(text_blocks(raw, markdown=markdown))


def test_sections_and_items() -> None:
    parsed = parse("Inclusion Criteria:\n\n* Adults\n* Consent\n\nExclusion Criteria:\n\n* Pregnancy")
    assert parsed.inclusion == ["Adults", "Consent"]
    assert parsed.exclusion == ["Pregnancy"]


def test_key_criteria_headings_and_inline_first_item() -> None:
    parsed = parse("Key Inclusion Criteria: age over 18\n\nKEY EXCLUSION CRITERIA\n\n- prior therapy")
    assert parsed.inclusion == ["age over 18"]
    assert parsed.exclusion == ["prior therapy"]


def test_field_labels_prefix_their_items_but_group_headings_do_not() -> None:
    raw = "PATIENT CHARACTERISTICS:\n\nAge:\n\n  -  18 and over\n\nPerformance status:\n\n  -  Karnofsky 60-100%"
    assert parse(raw, markdown=False).inclusion == ["Age: 18 and over", "Performance status: Karnofsky 60-100%"]


def test_prose_without_headings_counts_as_inclusion() -> None:
    assert parse("Patients with stable angina.").inclusion == ["Patients with stable angina."]
    assert parse("Patients with stable angina.").exclusion == []


def test_a_sentence_that_starts_with_exclusion_is_not_a_heading_unless_it_has_a_colon() -> None:
    parsed = parse("Inclusion Criteria:\n\n* adults\n\nExclusion of smokers is planned in a later phase")
    assert parsed.exclusion == []
    assert "Exclusion of smokers is planned in a later phase" in parsed.inclusion
