#!/usr/bin/env bash
# The performance harness: prints its figures (see server/src/bin/bench/main.rs).
# Usage: scripts/bench.sh [pages | dashboard [--visits N,M] [--engines sqlite,postgres]]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/install.sh
source scripts/env.sh
# The page-size figures need the release site; the dashboard's do not.
if [ "${1:-all}" != "dashboard" ]; then
  cargo leptos build --release
fi
cargo build --release --locked -p server --bin bench
exec target/release/bench "$@"
