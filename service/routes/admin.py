"""Operator endpoints, behind a bearer token; without a configured token they are disabled."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from service.deps import StateDep
from service.errors import ApiError
from service.schemas import ErrorResponse, ReloadResult

router = APIRouter(prefix="/v1/admin", tags=["admin"])
bearer = HTTPBearer(auto_error=False, description="the token set in TRIALS_ADMIN_TOKEN")


async def require_admin(
    state: StateDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> None:
    token = state.settings.admin_token
    if not token:
        raise ApiError(403, "admin_disabled", "admin endpoints are disabled: set TRIALS_ADMIN_TOKEN to enable them")
    if credentials is None:
        raise ApiError(401, "unauthorized", "send Authorization: Bearer <token>", {"WWW-Authenticate": "Bearer"})
    if not secrets.compare_digest(credentials.credentials.encode(), token.encode()):
        raise ApiError(403, "forbidden", "wrong admin token")


@router.post(
    "/reload",
    response_model=ReloadResult,
    dependencies=[Depends(require_admin)],
    responses={401: {"model": ErrorResponse}, 403: {"model": ErrorResponse}},
    summary="Load the newest published build",
)
async def reload(state: StateDep) -> ReloadResult:
    """Open and verify the build `current` points to and swap it in; a build that fails verification is
    not loaded and the old one keeps serving."""
    reloaded, message = await run_in_threadpool(state.reload)
    return ReloadResult(reloaded=reloaded, build_id=state.build.build_id if state.build else None, message=message)
