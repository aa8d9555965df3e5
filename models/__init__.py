"""What a trial is: the record model and its vocabularies. Imports nothing else of ours."""

from models.trial import (
    ArmGroup,
    Design,
    Eligibility,
    Enrollment,
    Intervention,
    MeshTerm,
    Outcome,
    Provenance,
    Sponsor,
    Trial,
    TrialDates,
    is_nct_id,
)
from models.vocabulary import OverallStatus, Phase, Sex, SourceFormat, StudyType

__all__ = [
    "ArmGroup",
    "Design",
    "Eligibility",
    "Enrollment",
    "Intervention",
    "MeshTerm",
    "Outcome",
    "OverallStatus",
    "Phase",
    "Provenance",
    "Sex",
    "SourceFormat",
    "Sponsor",
    "StudyType",
    "Trial",
    "TrialDates",
    "is_nct_id",
]
