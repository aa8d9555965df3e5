"""The `trials` command group."""

from __future__ import annotations

from typing import Any

import click

from indexing.build import EmptyStore
from indexing.builds import BuildError
from indexing.evaluate import LabelsError, MissingTrials
from indexing.related import InvalidNctId, TrialNotIndexed
from indexing.scoring import UnknownAspect
from indexing.store import StoreError
from models.encoders import ModelNotFound
from trials_cli.eval_commands import eval_group
from trials_cli.index_commands import build_command, related_command
from trials_cli.serve_command import serve_command
from trials_cli.store_commands import ingest_command, run_command, show_command, stats_command

# Errors a user can cause, each shown as one line: usage mistakes exit 2, the rest exit 1.
_USAGE_ERRORS = (InvalidNctId, UnknownAspect)
_RUN_ERRORS = (StoreError, BuildError, EmptyStore, TrialNotIndexed, ModelNotFound, LabelsError, MissingTrials)


class TrialsGroup(click.Group):
    """Turns errors a user can cause into one readable line and a non-zero exit, not a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except _USAGE_ERRORS as error:
            raise click.UsageError(str(error)) from None
        except _RUN_ERRORS as error:
            raise click.ClickException(str(error)) from None


@click.group(cls=TrialsGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="open-related-trials", prog_name="trials")
def cli() -> None:
    """Related trials and trial search over ClinicalTrials.gov records.

    Settings come from TRIALS_* environment variables (TRIALS_DB, TRIALS_BUILDS_DIR, TRIALS_CACHE,
    TRIALS_SHARED_DIR, TRIALS_CORPUS_DIR, TRIALS_MODEL, TRIALS_DEVICE); each command's options override them.
    """


for command in (
    run_command,
    ingest_command,
    show_command,
    stats_command,
    build_command,
    related_command,
    eval_group,
    serve_command,
):
    cli.add_command(command)


def main() -> None:
    """Console-script entry point."""
    cli()
