#!/usr/bin/env bash
# The performance harness: prints its figures (see server/src/bin/bench/main.rs).
# Usage: scripts/bench.sh [pages | dashboard [--visits N,M] [--engines sqlite,postgres]
#                          | load [--engines sqlite,postgres] [--rates 100,200] ...]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/install.sh
source scripts/env.sh
# The page-size figures need the release site; the others do not.
case "${1:-all}" in
  dashboard|load) ;;
  *) cargo leptos build --release ;;
esac
# The load run starts real server processes from this same build.
cargo build --release --locked -p server --bin bench --bin server
exec target/release/bench "$@"
