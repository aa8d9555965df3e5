"""Trial records and their related lists."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from indexing.filters import TrialFilters
from models.vocabulary import OverallStatus, Phase, StudyType
from service.deps import NctIdPath, StateDep
from service.errors import ApiError
from service.schemas import AspectName, ErrorResponse, RelatedTrials, TrialPublic
from service.state import related_validators, validators

router = APIRouter(prefix="/v1/trials", tags=["trials"])
ERRORS = {
    404: {"model": ErrorResponse, "description": "unknown NCT ID"},
    422: {"model": ErrorResponse, "description": "malformed NCT ID or parameter"},
    503: {"model": ErrorResponse, "description": "no build or store loaded yet"},
}


def _cacheable(request: Request, response: Response, tag: str, max_age: int) -> Response | None:
    """Set ETag and Cache-Control; a 304 answer when the client already has this version."""
    etag, cache_control = validators(tag, max_age)
    headers = {"ETag": etag, "Cache-Control": cache_control}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    response.headers.update(headers)
    return None


@router.get("/{nct_id}", response_model=TrialPublic, responses=ERRORS, summary="A stored trial record")
async def get_trial(nct_id: NctIdPath, state: StateDep, request: Request, response: Response) -> object:
    """The normalised record of one trial, as the store holds it."""
    trial = await run_in_threadpool(state.trial, nct_id)
    if trial is None:
        raise ApiError(404, "trial_not_found", f"{nct_id} is not in the store")
    build_id = state.build.build_id if state.build else "none"
    cached = _cacheable(request, response, f"{build_id}:{trial.content_hash()}", state.settings.cache_max_age_s)
    return cached or trial


class RelatedParams(BaseModel):
    """Query parameters of a related list, validated in one pass."""

    model_config = ConfigDict(extra="forbid")

    limit: int = Field(10, ge=1, le=100, description="how many related trials")
    aspect: AspectName = Field("overall", description="rank by the overall score or by one aspect")
    status: list[OverallStatus] = Field(default_factory=list, description="keep trials with any of these statuses")
    phase: list[Phase] = Field(default_factory=list, description="keep trials in any of these phases")
    study_type: list[StudyType] = Field(default_factory=list, description="keep trials of these study types")
    explain: bool = Field(True, description="include the reasons each trial is related")


@router.get("/{nct_id}/related", response_model=RelatedTrials, responses=ERRORS, summary="Trials related to one trial")
async def related_trials(
    nct_id: NctIdPath, params: Annotated[RelatedParams, Query()], state: StateDep, request: Request
) -> object:
    """Best first, with the score, per-aspect scores and reasons. An unfiltered list is a lookup in the
    build's precomputed lists; filters that leave too few fall back to a live index search."""
    build = state.require_build()
    limit, aspect, explain = params.limit, params.aspect, params.explain
    status, phase, study_type = params.status, params.phase, params.study_type
    etag, cache_control = related_validators(build, request.scope, state.settings.cache_max_age_s)
    headers = {"ETag": etag, "Cache-Control": cache_control}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    filters = TrialFilters(frozenset(status), frozenset(phase), frozenset(study_type))
    if build.index.is_lookup(aspect, filters, limit):
        # A lookup in the precomputed lists is a fraction of a millisecond of numpy work: a thread hop
        # would cost more than it saves. Answers are immutable per build, so their bytes are cached.
        body = build.related_body(nct_id, limit, explain)
    else:
        result = await run_in_threadpool(build.index.related, nct_id, limit, aspect, filters, explain)
        body = json.dumps(result.as_json()).encode()
    return Response(body, media_type="application/json", headers=headers)
