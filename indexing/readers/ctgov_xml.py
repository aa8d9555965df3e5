"""Legacy ClinicalTrials.gov XML (AllPublicXML, `<clinical_study>`) to Trial records."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from indexing import vocab
from indexing.criteria import parse_criteria
from indexing.readers.errors import RecordError, record_errors
from indexing.text import clean_block, clean_inline, render_blocks, text_blocks
from models import (
    ArmGroup,
    Design,
    Eligibility,
    Enrollment,
    Intervention,
    MeshTerm,
    Outcome,
    Provenance,
    SourceFormat,
    Sponsor,
    Trial,
    TrialDates,
    is_nct_id,
)

_DOWNLOAD_DATE = re.compile(r"processed this data on (.+?)\s*$")
_DECLARED_ENCODING = re.compile(rb"^\s*<\?xml[^>]*encoding=[\"']([A-Za-z0-9._-]+)[\"']")


def _text(node: ET.Element | None, path: str) -> str | None:
    found = node.find(path) if node is not None else None
    return clean_inline(found.text) if found is not None and found.text else None


def _texts(node: ET.Element | None, path: str) -> list[str]:
    if node is None:
        return []
    return [text for found in node.findall(path) if (text := clean_inline(found.text))]


def _textblock(node: ET.Element | None, path: str) -> str | None:
    found = node.find(path) if node is not None else None
    return clean_block(found.text) if found is not None and found.text else None


def _outcomes(root: ET.Element, tag: str) -> list[Outcome]:
    return [
        Outcome(measure=measure, description=_textblock(o, "description"), time_frame=_text(o, "time_frame"))
        for o in root.findall(tag)
        if (measure := _text(o, "measure"))
    ]


def _sponsor(node: ET.Element) -> Sponsor | None:
    name = _text(node, "agency")
    return Sponsor(name=name, agency_class=vocab.enum_name(_text(node, "agency_class"))) if name else None


def _interventions(root: ET.Element) -> tuple[list[Intervention], list[ArmGroup]]:
    interventions = [
        Intervention(
            type=vocab.enum_name(_text(i, "intervention_type")),
            name=name,
            description=_textblock(i, "description"),
            other_names=_texts(i, "other_name"),
            arm_labels=_texts(i, "arm_group_label"),
        )
        for i in root.findall("intervention")
        if (name := _text(i, "intervention_name"))
    ]
    # The XML lists arms without their interventions; the interventions name their arms instead.
    arms = [
        ArmGroup(
            label=label,
            type=vocab.enum_name(_text(a, "arm_group_type")),
            description=_textblock(a, "description"),
            intervention_names=[i.name for i in interventions if label in i.arm_labels],
        )
        for a in root.findall("arm_group")
        if (label := _text(a, "arm_group_label"))
    ]
    return interventions, arms


def _eligibility(node: ET.Element | None) -> Eligibility:
    criteria = node.find("criteria/textblock") if node is not None else None
    blocks = text_blocks(criteria.text, markdown=False) if criteria is not None and criteria.text else []
    parsed = parse_criteria(blocks)
    healthy = _text(node, "healthy_volunteers")
    return Eligibility(
        criteria=render_blocks(blocks) or None,
        inclusion=parsed.inclusion,
        exclusion=parsed.exclusion,
        sex=vocab.sex(_text(node, "gender")),
        minimum_age_years=vocab.age_in_years(_text(node, "minimum_age")),
        maximum_age_years=vocab.age_in_years(_text(node, "maximum_age")),
        healthy_volunteers={"Accepts Healthy Volunteers": True, "Yes": True, "No": False}.get(healthy or ""),
        study_population=_textblock(node, "study_pop/textblock"),
    )


def _registry_date(root: ET.Element) -> str | None:
    match = _DOWNLOAD_DATE.search(_text(root, "required_header/download_date") or "")
    return vocab.partial_date(match[1]) if match else None


def parse_xml_bytes(data: bytes) -> ET.Element:
    """Parse one XML document; raises RecordError naming the problem (encoding or syntax)."""
    declared = _DECLARED_ENCODING.match(data)
    if declared is None or declared[1].lower().replace("_", "-") in {"utf-8", "utf8"}:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise RecordError(f"not valid UTF-8: byte 0x{data[error.start]:02x} at offset {error.start}") from None
    try:
        return ET.fromstring(data)
    except ET.ParseError as error:
        line, column = error.position
        raise RecordError(f"malformed XML at line {line}, column {column + 1}: {error.msg.split(':')[0]}") from None


def trial_from_xml(root: ET.Element, source: str) -> Trial:
    """One `<clinical_study>` element to a Trial; raises RecordError with a readable reason."""
    if root.tag != "clinical_study":
        raise RecordError(f"not a ClinicalTrials.gov record: XML root is <{root.tag}>, expected <clinical_study>")
    nct_id = _text(root, "id_info/nct_id")
    if not nct_id:
        raise RecordError("record has no NCT ID (<id_info><nct_id>)")
    if not is_nct_id(nct_id):
        raise RecordError(f"NCT ID {nct_id!r} is not 'NCT' followed by 8 digits")
    design = root.find("study_design_info")
    interventions, arms = _interventions(root)
    enrollment = root.find("enrollment")
    lead = root.find("sponsors/lead_sponsor")
    with record_errors():
        return Trial(
            nct_id=nct_id,
            brief_title=_text(root, "brief_title") or _text(root, "official_title") or nct_id,
            official_title=_text(root, "official_title"),
            acronym=_text(root, "acronym"),
            brief_summary=_textblock(root, "brief_summary/textblock"),
            detailed_description=_textblock(root, "detailed_description/textblock"),
            conditions=_texts(root, "condition"),
            keywords=_texts(root, "keyword"),
            condition_mesh=[MeshTerm(term=t) for t in _texts(root, "condition_browse/mesh_term")],
            intervention_mesh=[MeshTerm(term=t) for t in _texts(root, "intervention_browse/mesh_term")],
            interventions=interventions,
            arm_groups=arms,
            eligibility=_eligibility(root.find("eligibility")),
            phases=vocab.phases(_texts(root, "phase")),
            overall_status=vocab.overall_status(_text(root, "overall_status")),
            study_type=vocab.study_type(_text(root, "study_type")),
            design=Design(
                allocation=vocab.design_value(_text(design, "allocation")),
                intervention_model=vocab.design_value(_text(design, "intervention_model"), drop_suffix="_ASSIGNMENT"),
                masking=vocab.masking(_text(design, "masking")),
                primary_purpose=vocab.design_value(_text(design, "primary_purpose")),
                observational_model=vocab.design_value(_text(design, "observational_model")),
                time_perspective=vocab.design_value(_text(design, "time_perspective")),
            ),
            enrollment=(
                Enrollment(count=int(enrollment.text), type=vocab.enum_name(enrollment.get("type")))
                if enrollment is not None and (enrollment.text or "").strip().isdigit()
                else None
            ),
            dates=TrialDates(
                start=vocab.partial_date(_text(root, "start_date")),
                primary_completion=vocab.partial_date(_text(root, "primary_completion_date")),
                completion=vocab.partial_date(_text(root, "completion_date")),
                first_posted=vocab.partial_date(_text(root, "study_first_posted")),
                last_update_posted=vocab.partial_date(_text(root, "last_update_posted")),
            ),
            lead_sponsor=_sponsor(lead) if lead is not None else None,
            collaborators=[s for c in root.findall("sponsors/collaborator") if (s := _sponsor(c))],
            location_countries=list(dict.fromkeys(_texts(root, "location_countries/country"))),
            primary_outcomes=_outcomes(root, "primary_outcome"),
            secondary_outcomes=_outcomes(root, "secondary_outcome"),
            has_results=root.find("clinical_results") is not None,
            provenance=Provenance(
                format=SourceFormat.CTGOV_LEGACY_XML, source_file=source, registry_date=_registry_date(root)
            ),
        )
