"""Registry text becomes one plain-text form, whichever format it came from."""

from indexing.text import clean_block, clean_inline, text_blocks


def test_markdown_escapes_and_entities_are_undone() -> None:
    assert clean_block(r"* BMI \&lt; 37 kg/m2", markdown=True) == "- BMI < 37 kg/m2"
    assert clean_block(r"p\<0.05 and \> 3 months", markdown=True) == "p<0.05 and > 3 months"


def test_backslashes_in_xml_text_are_kept() -> None:
    assert clean_inline(r"C:\temp & more") == r"C:\temp & more"


def test_hard_wrapped_xml_paragraphs_are_joined() -> None:
    raw = "\n      This study will test the ability of extended release nifedipine (Procardia XL), a blood\r\n      pressure medication.\r\n\r\n      Second paragraph.\n    "
    assert clean_block(raw) == (
        "This study will test the ability of extended release nifedipine (Procardia XL), a blood pressure medication."
        "\n\nSecond paragraph."
    )


def test_wrapped_list_items_are_joined_and_nesting_is_kept() -> None:
    raw = """
        DISEASE CHARACTERISTICS:

          -  Histologically proven anaplastic
             oligodendroglioma

               -  Prior low-grade glioma allowed if
                  current proof

          -  No spinal cord tumors
    """
    assert clean_block(raw) == (
        "DISEASE CHARACTERISTICS:\n\n"
        "- Histologically proven anaplastic oligodendroglioma\n"
        "  - Prior low-grade glioma allowed if current proof\n"
        "- No spinal cord tumors"
    )


def test_numbered_items_keep_their_numbers() -> None:
    blocks = text_blocks("Inclusion Criteria:\n\n1. Adults\n2) Consent", markdown=True)
    assert [b.render() for b in blocks] == ["Inclusion Criteria:", "1. Adults", "2. Consent"]


def test_a_heading_line_is_not_joined_to_the_next_line() -> None:
    assert clean_block("Primary objective:\nTo assess safety.") == "Primary objective:\n\nTo assess safety."


def test_empty_text_is_none() -> None:
    assert clean_block("  \r\n  ") is None
    assert clean_inline("   ") is None
    assert clean_inline(None) is None
