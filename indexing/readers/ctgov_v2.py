"""ClinicalTrials.gov API v2 study objects to Trial records."""

from __future__ import annotations

from typing import Any

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

Json = dict[str, Any]


def _dig(obj: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


def _list(obj: Any, *keys: str) -> list[Any]:
    value = _dig(obj, *keys)
    return value if isinstance(value, list) else []


def _inline(value: Any) -> str | None:
    return clean_inline(value, markdown=True) if isinstance(value, str) else None


def _block(value: Any) -> str | None:
    return clean_block(value, markdown=True) if isinstance(value, str) else None


def _inline_list(values: list[Any]) -> list[str]:
    return [text for text in (_inline(v) for v in values) if text]


def _mesh(entries: list[Any]) -> list[MeshTerm]:
    return [
        MeshTerm(term=term, id=vocab.mesh_id(entry.get("id")))
        for entry in entries
        if isinstance(entry, dict) and (term := _inline(entry.get("term")))
    ]


def _outcomes(entries: list[Any]) -> list[Outcome]:
    return [
        Outcome(measure=measure, description=_block(o.get("description")), time_frame=_inline(o.get("timeFrame")))
        for o in entries
        if isinstance(o, dict) and (measure := _inline(o.get("measure")))
    ]


def _strip_type_prefix(name: str, types: set[str]) -> str:
    """Arm groups name interventions as `Drug: Abexinostat`; keep the name only."""
    head, sep, tail = name.partition(": ")
    return tail if sep and vocab.enum_name(head) in types else name


def _interventions(arms_module: Json) -> tuple[list[Intervention], list[ArmGroup]]:
    interventions = [
        Intervention(
            type=vocab.enum_name(i.get("type")),
            name=name,
            description=_block(i.get("description")),
            other_names=_inline_list(_list(i, "otherNames")),
            arm_labels=_inline_list(_list(i, "armGroupLabels")),
        )
        for i in _list(arms_module, "interventions")
        if isinstance(i, dict) and (name := _inline(i.get("name")))
    ]
    types = {i.type for i in interventions if i.type} | {"DRUG", "DEVICE", "BIOLOGICAL", "PROCEDURE", "OTHER"}
    arms = [
        ArmGroup(
            label=label,
            type=vocab.enum_name(a.get("type")),
            description=_block(a.get("description")),
            intervention_names=[_strip_type_prefix(n, types) for n in _inline_list(_list(a, "interventionNames"))],
        )
        for a in _list(arms_module, "armGroups")
        if isinstance(a, dict) and (label := _inline(a.get("label")))
    ]
    return interventions, arms


def _eligibility(module: Json) -> Eligibility:
    raw = module.get("eligibilityCriteria")
    blocks = text_blocks(raw, markdown=True) if isinstance(raw, str) else []
    parsed = parse_criteria(blocks)
    return Eligibility(
        criteria=render_blocks(blocks) or None,
        inclusion=parsed.inclusion,
        exclusion=parsed.exclusion,
        sex=vocab.sex(module.get("sex")),
        minimum_age_years=vocab.age_in_years(module.get("minimumAge")),
        maximum_age_years=vocab.age_in_years(module.get("maximumAge")),
        healthy_volunteers=module.get("healthyVolunteers"),
        study_population=_block(module.get("studyPopulation")),
    )


def _countries(module: Json) -> list[str]:
    seen: dict[str, None] = {}
    for location in _list(module, "locations"):
        if isinstance(location, dict) and (country := _inline(location.get("country"))):
            seen.setdefault(country, None)
    return list(seen)


def trial_from_v2(study: Any, source: str) -> Trial:
    """One API v2 study object to a Trial; raises RecordError with a readable reason."""
    if not isinstance(study, dict):
        raise RecordError(f"expected a study object, found JSON {type(study).__name__}")
    protocol = study.get("protocolSection")
    if not isinstance(protocol, dict):
        raise RecordError("not a ClinicalTrials.gov study: no protocolSection")
    ident = _dig(protocol, "identificationModule") or {}
    nct_id = ident.get("nctId")
    if not nct_id:
        raise RecordError("record has no NCT ID (protocolSection.identificationModule.nctId)")
    if not isinstance(nct_id, str) or not is_nct_id(nct_id):
        raise RecordError(f"NCT ID {nct_id!r} is not 'NCT' followed by 8 digits")
    status = _dig(protocol, "statusModule") or {}
    design = _dig(protocol, "designModule") or {}
    design_info = _dig(design, "designInfo") or {}
    sponsors = _dig(protocol, "sponsorCollaboratorsModule") or {}
    derived = study.get("derivedSection") or {}
    interventions, arms = _interventions(_dig(protocol, "armsInterventionsModule") or {})
    enrollment = _dig(design, "enrollmentInfo") or {}
    lead = _dig(sponsors, "leadSponsor") or {}
    with record_errors():
        return Trial(
            nct_id=nct_id,
            brief_title=_inline(ident.get("briefTitle")) or _inline(ident.get("officialTitle")) or nct_id,
            official_title=_inline(ident.get("officialTitle")),
            acronym=_inline(ident.get("acronym")),
            brief_summary=_block(_dig(protocol, "descriptionModule", "briefSummary")),
            detailed_description=_block(_dig(protocol, "descriptionModule", "detailedDescription")),
            conditions=_inline_list(_list(protocol, "conditionsModule", "conditions")),
            keywords=_inline_list(_list(protocol, "conditionsModule", "keywords")),
            condition_mesh=_mesh(_list(derived, "conditionBrowseModule", "meshes")),
            condition_mesh_ancestors=_mesh(_list(derived, "conditionBrowseModule", "ancestors")),
            intervention_mesh=_mesh(_list(derived, "interventionBrowseModule", "meshes")),
            intervention_mesh_ancestors=_mesh(_list(derived, "interventionBrowseModule", "ancestors")),
            interventions=interventions,
            arm_groups=arms,
            eligibility=_eligibility(_dig(protocol, "eligibilityModule") or {}),
            phases=vocab.phases(_list(design, "phases")),
            overall_status=vocab.overall_status(status.get("overallStatus")),
            study_type=vocab.study_type(design.get("studyType")),
            design=Design(
                allocation=vocab.enum_name(design_info.get("allocation")),
                intervention_model=vocab.enum_name(design_info.get("interventionModel")),
                masking=vocab.enum_name(_dig(design_info, "maskingInfo", "masking")),
                primary_purpose=vocab.enum_name(design_info.get("primaryPurpose")),
                observational_model=vocab.enum_name(design_info.get("observationalModel")),
                time_perspective=vocab.enum_name(design_info.get("timePerspective")),
            ),
            enrollment=(
                Enrollment(count=enrollment["count"], type=vocab.enum_name(enrollment.get("type")))
                if isinstance(enrollment.get("count"), int)
                else None
            ),
            dates=TrialDates(
                start=vocab.partial_date(_dig(status, "startDateStruct", "date")),
                primary_completion=vocab.partial_date(_dig(status, "primaryCompletionDateStruct", "date")),
                completion=vocab.partial_date(_dig(status, "completionDateStruct", "date")),
                first_posted=vocab.partial_date(_dig(status, "studyFirstPostDateStruct", "date")),
                last_update_posted=vocab.partial_date(_dig(status, "lastUpdatePostDateStruct", "date")),
            ),
            lead_sponsor=(
                Sponsor(name=name, agency_class=vocab.enum_name(lead.get("class")))
                if (name := _inline(lead.get("name")))
                else None
            ),
            collaborators=[
                Sponsor(name=name, agency_class=vocab.enum_name(c.get("class")))
                for c in _list(sponsors, "collaborators")
                if isinstance(c, dict) and (name := _inline(c.get("name")))
            ],
            location_countries=_countries(_dig(protocol, "contactsLocationsModule") or {}),
            primary_outcomes=_outcomes(_list(protocol, "outcomesModule", "primaryOutcomes")),
            secondary_outcomes=_outcomes(_list(protocol, "outcomesModule", "secondaryOutcomes")),
            has_results=bool(study.get("hasResults")) or "resultsSection" in study,
            provenance=Provenance(
                format=SourceFormat.CTGOV_V2_JSON,
                source_file=source,
                registry_date=vocab.partial_date(_dig(derived, "miscInfoModule", "versionHolder")),
            ),
        )
