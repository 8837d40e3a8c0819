#!/usr/bin/env bash
# Installs what Doorstep needs to build and serve, skipping whatever is
# already there. With --for-tests it also installs the browser-test tools.
# Safe to run again and again; the slow steps are skipped when current.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

CARGO_LEPTOS_VERSION=0.3.10
BINARYEN_VERSION=132
CARGO_FUZZ_VERSION=0.13.2
for_tests=false
[ "${1:-}" = "--for-tests" ] && for_tests=true

say() { printf '\033[1;32m==>\033[0m %s\n' "$*"; }

export PATH="$HOME/.cargo/bin:$PWD/.tools/node_modules/.bin:$PATH"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(cargo leptos --version 2>/dev/null || true)" != "cargo-leptos $CARGO_LEPTOS_VERSION" ]; then
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (the longest step on a fresh machine)"
  # A build tool needs no -O3: opt-level 1 (for its Rust and, through cc, for
  # the C++ of the binaryen it bundles) builds it much faster on 2 cores.
  CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_DEBUG=false \
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --features no_downloads
fi

# The CLI must equal the wasm-bindgen crate the lock file resolved.
wasm_bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ -z "$wasm_bindgen_version" ]; then
  echo "install.sh: cannot find the wasm-bindgen version in Cargo.lock" >&2
  exit 1
fi
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $wasm_bindgen_version" ]; then
  say "installing wasm-bindgen-cli $wasm_bindgen_version"
  # Not --locked: the registry lacks one of the CLI's locked dependencies.
  cargo install wasm-bindgen-cli --version "$wasm_bindgen_version" --force
fi

# Debian's binaryen 108 emits WASM that fails to hydrate; npm's is current.
if ! (.tools/node_modules/.bin/wasm-opt --version 2>/dev/null | grep -q "version $BINARYEN_VERSION"); then
  say "installing wasm-opt (npm binaryen $BINARYEN_VERSION) into .tools/"
  mkdir -p .tools
  npm install --prefix .tools --no-audit --no-fund --silent "binaryen@$BINARYEN_VERSION"
fi

if $for_tests; then
  # The fuzz targets (tests/fuzz) build with the machine's nightly toolchain.
  if [ "$(cargo fuzz --version 2>/dev/null || true)" != "cargo-fuzz $CARGO_FUZZ_VERSION" ]; then
    say "installing cargo-fuzz $CARGO_FUZZ_VERSION"
    cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked
  fi
  if ! rustup toolchain list | grep -q '^nightly'; then
    echo "install.sh: the fuzz targets need a nightly toolchain (rustup toolchain install nightly)" >&2
    exit 1
  fi
  if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep "Noto Sans CJK" >/dev/null; then
    say "installing Debian's Chromium and CJK fonts for the browser tests"
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-noto-cjk
  fi
  if [ ! -d tests/node_modules/@playwright/test ] || [ tests/package-lock.json -nt tests/node_modules/.package-lock.json ]; then
    say "installing Playwright (no browser download: it drives Debian's Chromium)"
    (cd tests && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent)
  fi
fi
