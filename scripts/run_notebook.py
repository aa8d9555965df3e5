"""Execute notebooks/evaluation.ipynb in place of a person: `python scripts/run_notebook.py [--output FILE]`.

Figures land in docs/benchmarks/ (or NOTEBOOK_FIGURES); the executed copy goes to --output when given.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import nbformat
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parent.parent
NOTEBOOK = REPO / "notebooks" / "evaluation.ipynb"


def run(output: Path | None = None, timeout: int = 600) -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(
        notebook, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(REPO)}}
    ).execute()
    if output:
        nbformat.write(notebook, output)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=None, help="where to save the executed notebook")
    args = parser.parse_args()
    run(args.output)
    print(f"executed {NOTEBOOK.relative_to(REPO)}")


if __name__ == "__main__":
    main()
