"""Dependencies the routes share, as Annotated aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Request

from models.trial import NCT_ID_PATTERN
from service.state import LoadedBuild, ServiceState


async def get_state(request: Request) -> ServiceState:
    return request.app.state.service


async def get_build(request: Request) -> LoadedBuild:
    return request.app.state.service.require_build()


StateDep = Annotated[ServiceState, Depends(get_state)]
BuildDep = Annotated[LoadedBuild, Depends(get_build)]
NctIdPath = Annotated[
    str,
    Path(
        pattern=NCT_ID_PATTERN,
        description="ClinicalTrials.gov identifier: NCT followed by 8 digits",
        openapi_examples={"seed trial": {"value": "NCT03458156"}},
    ),
]
