# Sourced by scripts/build.sh: the Binaryen wasm-opt recipe of Stylus.toml's
# [wasm-opt] table (the one cargo-stylus applies at deploy and verification),
# with that Binaryen version installed if it is missing.
#
# Sets wasm_opt_flags (an array); installs Debian's binaryen package when
# the pinned version is what it provides, and otherwise says what to install.
wasm_opt_version=$(sed -n '/^\[wasm-opt\]/,/^\[/ s/^version *= *"\([0-9]*\)".*/\1/p' Stylus.toml)
mapfile -t wasm_opt_flags < <(
  sed -n '/^\[wasm-opt\]/,/^\[/ s/^flags *= *\[\(.*\)\].*/\1/p' Stylus.toml |
    tr ',' '\n' | sed 's/^ *"//; s/" *$//'
)
if [ -z "$wasm_opt_version" ] || [ "${#wasm_opt_flags[@]}" -eq 0 ]; then
  echo "Stylus.toml: no [wasm-opt] version and flags" >&2
  exit 1
fi

wasm_opt_installed() {
  wasm-opt --version 2>/dev/null | grep -q "version ${wasm_opt_version}\b"
}
if ! wasm_opt_installed; then
  debian=$(apt-cache policy binaryen 2>/dev/null | sed -n 's/^ *Candidate: *\([0-9]*\).*/\1/p')
  if [ "$debian" = "$wasm_opt_version" ] && command -v apt-get >/dev/null; then
    sudo=$([ "$(id -u)" = 0 ] || echo sudo)
    $sudo apt-get install -y -qq binaryen >/dev/null ||
      { $sudo apt-get update -qq && $sudo apt-get install -y -qq binaryen >/dev/null; }
  fi
fi
if ! wasm_opt_installed; then
  echo "wasm-opt version $wasm_opt_version (Binaryen) is needed on PATH: Debian 12's binaryen" \
    "package, or https://github.com/WebAssembly/binaryen/releases/tag/version_$wasm_opt_version" >&2
  exit 1
fi
