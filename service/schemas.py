"""Request and response schemas, named by role; each carries an example for /docs."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from models.trial import NCT_ID_PATTERN, Trial
from models.vocabulary import OverallStatus, Phase, Sex, StudyType
from service.config import MAX_QUERY_CHARS

SEED = "NCT03458156"
PartialDateText = Annotated[str, StringConstraints(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")]
AspectName = Literal["overall", "condition", "intervention", "eligibility", "overview"]


class TrialPublic(Trial):
    """A stored trial record, every field as the indexing pipeline normalised it."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "nct_id": SEED,
                "brief_title": "Umbilical Cord Mesenchymal Stem Cell Transplantation for Lupus Nephritis",
                "conditions": ["Lupus Nephritis"],
                "overall_status": "UNKNOWN",
                "phases": ["NA"],
                "study_type": "INTERVENTIONAL",
                "provenance": {"format": "ctgov-legacy-xml", "source_file": "AllPublicXML.zip!NCT03458156.xml"},
            }
        }
    )


class RelatedHitPublic(BaseModel):
    """One related trial: its score, per-aspect scores, and reasons from the records."""

    nct_id: str = Field(pattern=NCT_ID_PATTERN)
    title: str
    conditions: list[str]
    score: float
    aspect_scores: dict[str, float]
    why: list[str]


class RelatedTrials(BaseModel):
    """The related list of one trial, best first; the trial itself never appears."""

    nct_id: str = Field(pattern=NCT_ID_PATTERN)
    hits: list[RelatedHitPublic]

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "nct_id": SEED,
                "hits": [
                    {
                        "nct_id": "NCT00001676",
                        "title": "Cyclophosphamide and Fludarabine to Treat Lupus Nephritis",
                        "conditions": ["Glomerulonephritis", "Lupus Nephritis", "Systemic Lupus Erythematosus"],
                        "score": 0.564,
                        "aspect_scores": {
                            "condition": 0.81,
                            "intervention": 0.31,
                            "eligibility": 0.62,
                            "overview": 0.58,
                        },
                        "why": ["shared conditions: Lupus Nephritis", "shared MeSH terms: Nephritis"],
                    }
                ],
            }
        }
    )


class SearchFilterFields(BaseModel):
    """Filters a search may apply; every one is optional."""

    status: list[OverallStatus] = Field(default_factory=list, description="keep trials with any of these statuses")
    phase: list[Phase] = Field(default_factory=list, description="keep trials in any of these phases")
    study_type: list[StudyType] = Field(default_factory=list, description="keep trials of these study types")
    sex: Sex | None = Field(None, description="keep trials open to this sex (trials open to ALL included)")
    age: float | None = Field(None, ge=0, le=130, description="keep trials whose age range includes this age (years)")
    condition: str | None = Field(None, min_length=1, max_length=200, description="text in a condition or MeSH term")
    intervention: str | None = Field(None, min_length=1, max_length=200, description="text in an intervention name")
    start_from: PartialDateText | None = Field(
        None, description="trials starting on or after (yyyy, yyyy-mm, yyyy-mm-dd)"
    )
    start_to: PartialDateText | None = Field(
        None, description="trials starting on or before (yyyy, yyyy-mm, yyyy-mm-dd)"
    )


class SearchRequest(SearchFilterFields):
    """A search in a JSON body, for queries too long for a URL (a patient description)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "q": "45-year-old woman with systemic lupus erythematosus and biopsy-proven class IV lupus nephritis",
                "limit": 10,
                "status": ["RECRUITING"],
                "age": 45,
                "sex": "FEMALE",
            }
        },
    )

    q: str = Field(min_length=1, max_length=MAX_QUERY_CHARS, description="free text: keywords or a patient description")
    limit: int = Field(10, ge=1, le=100)
    offset: int = Field(0, ge=0, le=10_000)


class SearchHitPublic(BaseModel):
    """One trial matching a query."""

    nct_id: str = Field(pattern=NCT_ID_PATTERN)
    title: str
    conditions: list[str]
    overall_status: str
    phases: list[str]
    study_type: str | None
    score: float


class SearchResults(BaseModel):
    """A page of search hits, best first; `total` counts every trial that passes the filters."""

    query: str
    total: int
    offset: int
    limit: int
    hits: list[SearchHitPublic]

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "query": "lupus nephritis stem cell",
                "total": 7542,
                "offset": 0,
                "limit": 1,
                "hits": [
                    {
                        "nct_id": SEED,
                        "title": "Umbilical Cord Mesenchymal Stem Cell Transplantation for Lupus Nephritis",
                        "conditions": ["Lupus Nephritis"],
                        "overall_status": "UNKNOWN",
                        "phases": ["NA"],
                        "study_type": "INTERVENTIONAL",
                        "score": 0.61,
                    }
                ],
            }
        }
    )


class Health(BaseModel):
    """The process is up."""

    model_config = ConfigDict(json_schema_extra={"example": {"status": "ok"}})

    status: Literal["ok"] = "ok"


class Readiness(BaseModel):
    """The build this worker serves."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "status": "ready",
                "build_id": "20261126T234747301465Z-5bf57ed1",
                "model": "sentence-transformers/all-MiniLM-L6-v2@8e3f0175f615",
                "count": 7542,
                "created_at": "2026-11-26T23:52:44+00:00",
                "age_s": 3600.0,
                "search": True,
            }
        }
    )

    status: Literal["ready"] = "ready"
    build_id: str
    model: str
    count: int
    created_at: str
    age_s: float = Field(description="seconds since the build was made")
    search: bool = Field(description="whether free-text search is available (the encoder matches the build)")


class ReloadResult(BaseModel):
    """What an admin reload did."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "reloaded": True,
                "build_id": "20261127T010203000000Z-9a8b7c6d",
                "message": "now serving build ...",
            }
        }
    )

    reloaded: bool
    build_id: str | None
    message: str


class ErrorDetail(BaseModel):
    code: str = Field(examples=["trial_not_found"])
    message: str = Field(examples=["NCT99999999 is not in build 20261126T234747301465Z-5bf57ed1"])
    status: int = Field(examples=[404])


class ErrorResponse(BaseModel):
    """The one error shape of every endpoint."""

    error: ErrorDetail
