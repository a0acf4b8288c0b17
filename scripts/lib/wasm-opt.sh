# Sourced by the scripts that build or deploy the programs: the Binaryen
# wasm-opt recipe of Stylus.toml's [wasm-opt] table (the one cargo-stylus
# applies at deploy and verification), with that Binaryen release installed
# from npm (tools/binaryen, pinned by its package-lock.json) and put first on
# PATH, where cargo-stylus looks for it.
#
# Sets wasm_opt_flags (an array) and wasm_opt_version.
wasm_opt_version=$(sed -n '/^\[wasm-opt\]/,/^\[/ s/^version *= *"\([0-9]*\)".*/\1/p' Stylus.toml)
mapfile -t wasm_opt_flags < <(
  sed -n '/^\[wasm-opt\]/,/^\[/ s/^flags *= *\[\(.*\)\].*/\1/p' Stylus.toml |
    tr ',' '\n' | sed 's/^ *"//; s/" *$//'
)
if [ -z "$wasm_opt_version" ] || [ "${#wasm_opt_flags[@]}" -eq 0 ]; then
  echo "Stylus.toml: no [wasm-opt] version and flags" >&2
  exit 1
fi
pinned=$(sed -n 's/^ *"binaryen": *"\([0-9]*\)\..*/\1/p' tools/binaryen/package.json)
if [ "$pinned" != "$wasm_opt_version" ]; then
  echo "tools/binaryen/package.json pins Binaryen $pinned, Stylus.toml $wasm_opt_version: make them agree" >&2
  exit 1
fi

export PATH="$PWD/tools/binaryen/node_modules/.bin:$PATH"
wasm_opt_installed() {
  wasm-opt --version 2>/dev/null | grep -q "version ${wasm_opt_version}\b"
}
if ! wasm_opt_installed; then
  if ! command -v npm >/dev/null; then
    echo "wasm-opt $wasm_opt_version (Binaryen) comes from npm: install Node.js 18 or later" \
      "(https://nodejs.org, or your system's nodejs and npm packages), then run this again" >&2
    exit 1
  fi
  echo "installing Binaryen $wasm_opt_version (wasm-opt) from npm into tools/binaryen" >&2
  npm ci --prefix tools/binaryen --no-audit --no-fund --loglevel=error >&2
fi
if ! wasm_opt_installed; then
  echo "wasm-opt version $wasm_opt_version is not runnable from tools/binaryen:" \
    "$(wasm-opt --version 2>&1 | head -n 1)" >&2
  exit 1
fi
