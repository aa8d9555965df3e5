#!/usr/bin/env bash
# The whole test suite on a fresh clone: install, lint the layering, run pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
.venv/bin/lint-imports --no-cache
.venv/bin/ruff check .
.venv/bin/python -m pytest "$@"
