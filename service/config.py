"""Service settings: the shared TRIALS_* settings plus what only the HTTP service needs."""

from __future__ import annotations

from pydantic import Field

from indexing.settings import Settings

MAX_QUERY_CHARS = 20_000


class ServiceSettings(Settings):
    """Read from TRIALS_* environment variables; `trials serve --help` lists them."""

    host: str = Field("127.0.0.1", description="bind address (TRIALS_HOST)")
    port: int = Field(8000, ge=0, le=65535, description="port (TRIALS_PORT)")
    workers: int = Field(1, ge=1, description="uvicorn worker processes (TRIALS_WORKERS)")
    cors_origins: list[str] = Field(
        default_factory=lambda: ["*"],
        description="origins allowed to call the API from a browser (TRIALS_CORS_ORIGINS, JSON list)",
    )
    admin_token: str | None = Field(
        None, description="bearer token for /v1/admin/*; unset disables them (TRIALS_ADMIN_TOKEN)"
    )
    reload_poll_s: float = Field(
        10.0, ge=0, description="seconds between checks for a new build; 0 disables (TRIALS_RELOAD_POLL_S)"
    )
    max_query_chars: int = Field(
        MAX_QUERY_CHARS, ge=1, description="longest accepted search query (TRIALS_MAX_QUERY_CHARS)"
    )
    cache_max_age_s: int = Field(
        300, ge=0, description="Cache-Control max-age of record and related answers (TRIALS_CACHE_MAX_AGE_S)"
    )
    log_level: str = Field("info", description="log level (TRIALS_LOG_LEVEL)")


def load_service_settings(**overrides: object) -> ServiceSettings:
    """Settings from the environment, with explicit overrides (CLI options) on top."""
    return ServiceSettings(**{k: v for k, v in overrides.items() if v is not None})
