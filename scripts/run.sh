#!/usr/bin/env bash
# The main job on the embedded defaults, from a fresh clone: install, then ingest the sample corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
exec .venv/bin/trials run "$@"
