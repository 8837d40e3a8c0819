#!/usr/bin/env bash
# The performance harness: prints its figures (see server/src/bin/bench/main.rs).
# Usage: scripts/bench.sh [pages | phone | sync | dashboard [--visits N,M] [--engines sqlite,postgres]
#                          | load [--engines sqlite,postgres] [--rates 100,200] ...
#                          | plan [--iterations N] [--generations N]]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# The phone budget and the sync drive Chromium with Playwright: the test tools.
case "${1:-}" in
  phone|sync) scripts/install.sh --for-tests ;;
  *) scripts/install.sh ;;
esac
source scripts/env.sh
# The page-size and phone figures need the release site; the others do not.
case "${1:-all}" in
  dashboard|load|plan) ;;
  *) cargo leptos build --release --precompress --split ;;
esac
# The load and phone runs start real server processes from this same build.
# The planner's run also solves each day with vrp-core, which only it needs.
features=()
if [ "${1:-}" = "plan" ]; then features=(--features vrp-core); fi
cargo build --release --locked -p server --bin bench --bin server "${features[@]}"
exec target/release/bench "$@"
