"""`trials serve`: the HTTP service under uvicorn."""

from __future__ import annotations

import os
import re
from pathlib import Path

import click

from service.config import ServiceSettings

_ENV_HELP = "\b\nSettings (environment variables; options override them):\n" + "\n".join(
    f"  TRIALS_{name.upper():<18} {re.sub(r' [(]TRIALS_[A-Z_]+[^)]*[)]', '', field.description or '')}"
    for name, field in ServiceSettings.model_fields.items()
)


def serve(host: str, port: int, workers: int, log_level: str) -> None:
    """Run uvicorn on the app factory; each worker process builds its app from the TRIALS_* environment."""
    import uvicorn

    click.echo(f"serving on http://{host}:{port}  (API docs at http://{host}:{port}/docs)", err=True)
    uvicorn.run(
        "service.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=log_level,
        access_log=False,
    )


@click.command("serve", epilog=_ENV_HELP)
@click.option("--host", default=None, help="bind address [env TRIALS_HOST; default 127.0.0.1]")
@click.option("--port", type=click.IntRange(0, 65535), default=None, help="port [env TRIALS_PORT; default 8000]")
@click.option(
    "--workers", type=click.IntRange(min=1), default=None, help="worker processes [env TRIALS_WORKERS; default 1]"
)
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=None, help="trial store [env TRIALS_DB]")
@click.option(
    "--builds-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="builds [env TRIALS_BUILDS_DIR]",
)
def serve_command(
    host: str | None, port: int | None, workers: int | None, db: Path | None, builds_dir: Path | None
) -> None:
    """Serve related trials, records and search over HTTP from the published build."""
    for name, value in (("HOST", host), ("PORT", port), ("WORKERS", workers), ("DB", db), ("BUILDS_DIR", builds_dir)):
        if value is not None:
            os.environ[f"TRIALS_{name}"] = str(value)
    settings = ServiceSettings()
    serve(settings.host, settings.port, settings.workers, settings.log_level)
