"""The trial record: one typed shape for a ClinicalTrials.gov study, whatever format it came in."""

from __future__ import annotations

import hashlib
import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from models.vocabulary import OverallStatus, Phase, Sex, SourceFormat, StudyType

NCT_ID_PATTERN = r"^NCT\d{8}$"
NCT_ID_RE = re.compile(NCT_ID_PATTERN)

NctId = Annotated[str, StringConstraints(pattern=NCT_ID_PATTERN)]
# A date that keeps the precision the registry gave it: yyyy, yyyy-mm or yyyy-mm-dd.
PartialDate = Annotated[str, StringConstraints(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")]
DateKind = Literal["ACTUAL", "ESTIMATED"]


def is_nct_id(value: str) -> bool:
    """True when `value` is `NCT` followed by exactly eight digits."""
    return bool(NCT_ID_RE.match(value))


def date_precision(value: str) -> Literal["year", "month", "day"]:
    """How much of a partial date is known."""
    return {4: "year", 7: "month", 10: "day"}[len(value)]  # type: ignore[return-value]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MeshTerm(_Record):
    """A MeSH heading; `id` is the 9-digit UI (e.g. D000008180) when the source gives one."""

    term: str
    id: str | None = None


class Intervention(_Record):
    """Something given to or done with participants."""

    type: str | None = None  # API v2 InterventionType, e.g. DRUG, BIOLOGICAL
    name: str
    description: str | None = None
    other_names: list[str] = []
    arm_labels: list[str] = []


class ArmGroup(_Record):
    """An arm or cohort of the study."""

    label: str
    type: str | None = None  # API v2 ArmGroupType, e.g. EXPERIMENTAL
    description: str | None = None
    intervention_names: list[str] = []


class Eligibility(_Record):
    """Who may take part."""

    criteria: str | None = None
    inclusion: list[str] = []
    exclusion: list[str] = []
    sex: Sex | None = None
    minimum_age_years: float | None = None
    maximum_age_years: float | None = None
    healthy_volunteers: bool | None = None
    study_population: str | None = None


class Design(_Record):
    """How the study is run; values are API v2 enum names."""

    allocation: str | None = None
    intervention_model: str | None = None
    masking: str | None = None
    primary_purpose: str | None = None
    observational_model: str | None = None
    time_perspective: str | None = None


class Enrollment(_Record):
    """Participant count, actual or estimated."""

    count: int
    type: DateKind | None = None


class TrialDates(_Record):
    """Key dates, each a partial date as precise as the registry gave it."""

    start: PartialDate | None = None
    primary_completion: PartialDate | None = None
    completion: PartialDate | None = None
    first_posted: PartialDate | None = None
    last_update_posted: PartialDate | None = None


class Sponsor(_Record):
    """An organisation behind the study; `agency_class` is the API v2 AgencyClass."""

    name: str
    agency_class: str | None = None


class Outcome(_Record):
    """A primary or secondary outcome measure."""

    measure: str
    description: str | None = None
    time_frame: str | None = None


class Provenance(_Record):
    """Where a record came from; not part of its content hash."""

    format: SourceFormat
    source_file: str
    registry_date: PartialDate | None = None


class Trial(_Record):
    """One clinical trial, normalised from any supported registry format."""

    nct_id: NctId
    brief_title: str
    official_title: str | None = None
    acronym: str | None = None
    brief_summary: str | None = None
    detailed_description: str | None = None
    conditions: list[str] = []
    keywords: list[str] = []
    condition_mesh: list[MeshTerm] = []
    condition_mesh_ancestors: list[MeshTerm] = []
    intervention_mesh: list[MeshTerm] = []
    intervention_mesh_ancestors: list[MeshTerm] = []
    interventions: list[Intervention] = []
    arm_groups: list[ArmGroup] = []
    eligibility: Eligibility = Field(default_factory=Eligibility)
    phases: list[Phase] = []
    overall_status: OverallStatus = OverallStatus.UNKNOWN
    study_type: StudyType | None = None
    design: Design = Field(default_factory=Design)
    enrollment: Enrollment | None = None
    dates: TrialDates = Field(default_factory=TrialDates)
    lead_sponsor: Sponsor | None = None
    collaborators: list[Sponsor] = []
    location_countries: list[str] = []
    primary_outcomes: list[Outcome] = []
    secondary_outcomes: list[Outcome] = []
    has_results: bool = False
    provenance: Provenance

    def content_hash(self) -> str:
        """SHA-256 of everything but provenance: equal hashes mean equal content."""
        body = self.model_dump_json(exclude={"provenance"})
        return hashlib.sha256(body.encode("utf-8")).hexdigest()

    @property
    def phase_label(self) -> str:
        """Phases joined the way the registry shows them, e.g. `PHASE1/PHASE2`."""
        return "/".join(self.phases) if self.phases else "NONE"
