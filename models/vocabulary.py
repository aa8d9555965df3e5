"""Controlled vocabularies shared by every source format (the API v2 enums)."""

from __future__ import annotations

from enum import StrEnum


class OverallStatus(StrEnum):
    """Recruitment status, as the API v2 `Status` enum spells it."""

    ACTIVE_NOT_RECRUITING = "ACTIVE_NOT_RECRUITING"
    COMPLETED = "COMPLETED"
    ENROLLING_BY_INVITATION = "ENROLLING_BY_INVITATION"
    NOT_YET_RECRUITING = "NOT_YET_RECRUITING"
    RECRUITING = "RECRUITING"
    SUSPENDED = "SUSPENDED"
    TERMINATED = "TERMINATED"
    WITHDRAWN = "WITHDRAWN"
    AVAILABLE = "AVAILABLE"
    NO_LONGER_AVAILABLE = "NO_LONGER_AVAILABLE"
    TEMPORARILY_NOT_AVAILABLE = "TEMPORARILY_NOT_AVAILABLE"
    APPROVED_FOR_MARKETING = "APPROVED_FOR_MARKETING"
    WITHHELD = "WITHHELD"
    UNKNOWN = "UNKNOWN"


class Phase(StrEnum):
    """Trial phase, as the API v2 `Phase` enum spells it."""

    NA = "NA"
    EARLY_PHASE1 = "EARLY_PHASE1"
    PHASE1 = "PHASE1"
    PHASE2 = "PHASE2"
    PHASE3 = "PHASE3"
    PHASE4 = "PHASE4"


class StudyType(StrEnum):
    """Study type, as the API v2 `StudyType` enum spells it."""

    INTERVENTIONAL = "INTERVENTIONAL"
    OBSERVATIONAL = "OBSERVATIONAL"
    EXPANDED_ACCESS = "EXPANDED_ACCESS"


class Sex(StrEnum):
    """Sexes eligible to take part."""

    ALL = "ALL"
    FEMALE = "FEMALE"
    MALE = "MALE"


class SourceFormat(StrEnum):
    """The registry format a record was read from."""

    CTGOV_V2_JSON = "ctgov-v2-json"
    CTGOV_LEGACY_XML = "ctgov-legacy-xml"
