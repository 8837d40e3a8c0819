#!/usr/bin/env bash
# The whole test suite, as CI runs it: formatting, lints for both builds,
# unit and integration tests on SQLite and PostgreSQL, the release site, and
# the browser tests in Debian's Chromium against that release build.
# Any failing step fails the run.
#
# `scripts/test.sh quick` is the development loop instead: formatting, the
# server build's lints and every Rust test on SQLite, in the debug profile
# (no release build, no PostgreSQL, no fuzzing, no browser).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
started=$(date +%s)
step() { printf '\n\033[1;34m==> [%ss] %s\033[0m\n' "$(( $(date +%s) - started ))" "$*"; }

if [ "${1:-}" = "quick" ]; then
  source scripts/env.sh
  step "cargo fmt --check"
  cargo fmt --all --check
  step "clippy, server build (ssr)"
  cargo clippy --workspace --all-targets --locked -- -D warnings
  step "unit and integration tests, SQLite only (debug build)"
  cargo test --workspace --locked -- --skip postgres
  step "all passed"
  exit 0
fi

step "install what is missing"
scripts/install.sh --for-tests
source scripts/env.sh

FUZZ_SECONDS="${DOORSTEP_FUZZ_SECONDS:-10}"
export DOORSTEP_TEST_PG_URL="${DOORSTEP_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/test}"
if ! psql "$DOORSTEP_TEST_PG_URL" -qAtc 'SELECT 1' >/dev/null 2>&1; then
  step "start PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
  for _ in $(seq 1 30); do
    psql "$DOORSTEP_TEST_PG_URL" -qAtc 'SELECT 1' >/dev/null 2>&1 && break
    sleep 1
  done
  psql "$DOORSTEP_TEST_PG_URL" -qAtc 'SELECT 1' >/dev/null
fi

step "cargo fmt --check"
cargo fmt --all --check

step "clippy, server build (ssr)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "clippy, browser build (hydrate, wasm32)"
cargo clippy -p app --lib --locked --target wasm32-unknown-unknown \
  --no-default-features --features hydrate -- -D warnings

step "release build of the site (cargo leptos build --release --precompress --split)"
cargo leptos build --release --precompress --split

step "unit and integration tests (SQLite and PostgreSQL)"
cargo test --release --workspace --locked

# A bounded run of every fuzz target, from the committed seeds; docs/testing.md
# ("Fuzzing") has the longer runs. DOORSTEP_FUZZ_SECONDS sets the time each.
step "fuzzing: $FUZZ_SECONDS s for each target (cargo fuzz, nightly, tests/fuzz)"
mkdir -p target
for target in $(cargo +nightly fuzz list --fuzz-dir tests/fuzz); do
  mkdir -p "tests/fuzz/corpus/$target"
  log="target/fuzz-$target.log"
  if ! cargo +nightly fuzz run --fuzz-dir tests/fuzz --sanitizer none --debug-assertions "$target" \
      "tests/fuzz/corpus/$target" "tests/fuzz/seeds/$target" \
      -- -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      > "$log" 2>&1; then
    tail -n 60 "$log"
    echo "fuzz target $target failed (the input is under tests/fuzz/artifacts/$target); whole log: $log" >&2
    exit 1
  fi
  echo "$target: $(grep -E '^stat::(number_of_executed_units|new_units_added)' "$log" | tr '\n' ' ')"
done

step "browser tests (Playwright, Debian Chromium, release build)"
rm -rf target/e2e
(cd tests && npx playwright test)

step "all passed"
