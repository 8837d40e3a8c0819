# Sourced by the scripts: one environment for every cargo call, so the
# cargo-leptos build, the tests and the benchmark reuse each other's output.
export PATH="$HOME/.cargo/bin:$PWD/.tools/node_modules/.bin:$PATH"
# leptos bakes the output name in at compile time; the same value everywhere
# keeps cargo from rebuilding leptos between cargo-leptos and plain cargo.
export LEPTOS_OUTPUT_NAME=doorstep
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
