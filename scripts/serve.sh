#!/usr/bin/env bash
# Installs what is missing, builds the release site and serves it at
# http://127.0.0.1:3000 on the embedded SQLite database (./data/), with demo
# visits for today when the database is empty.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/install.sh
source scripts/env.sh
export DOORSTEP_DEMO_DATA="${DOORSTEP_DEMO_DATA:-true}"
exec cargo leptos serve --release --precompress --split
