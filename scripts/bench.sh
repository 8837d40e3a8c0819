#!/usr/bin/env bash
# The performance harness: builds the release site and prints its figures.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/install.sh
source scripts/env.sh
cargo leptos build --release
cargo build --release --locked -p server --bin bench
exec target/release/bench "$@"
