"""The `trials` command group."""

from __future__ import annotations

from typing import Any

import click

from indexing.store import StoreError
from trials_cli.store_commands import ingest_command, run_command, show_command, stats_command


class TrialsGroup(click.Group):
    """Turns errors a user can cause into one readable line and a non-zero exit, not a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except StoreError as error:
            raise click.ClickException(str(error)) from None


@click.group(cls=TrialsGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="open-related-trials", prog_name="trials")
def cli() -> None:
    """Related trials and trial search over ClinicalTrials.gov records.

    Settings come from TRIALS_* environment variables (TRIALS_DB, TRIALS_BUILDS_DIR,
    TRIALS_SHARED_DIR, TRIALS_CORPUS_DIR); each command's options override them.
    """


for command in (run_command, ingest_command, show_command, stats_command):
    cli.add_command(command)


def main() -> None:
    """Console-script entry point."""
    cli()
