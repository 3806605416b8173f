#!/usr/bin/env bash
# Installs everything the book needs from Debian's packages (Debian 12 / Ubuntu).
# Idempotent: packages already present are skipped by apt. Works as root or via sudo.
#
#   scripts/install-deps.sh              build, tests, tour, exercise runner
#   scripts/install-deps.sh --docs       ... plus the docs site (doxygen, MathJax, graphviz, gnuplot,
#                                            and emscripten for the Look inside page's translator)
#   scripts/install-deps.sh --browser    ... plus Chromium, for scripts/check-docs.sh, and npm for
#                                            the Look inside page's browser test
#   scripts/install-deps.sh --torch      ... plus PyTorch and NumPy, to regenerate the fixtures
#                                            and run the side-by-side benchmarks
#   scripts/install-deps.sh --dev-tools  ... plus clang-format, for scripts/check-format.sh
#   scripts/install-deps.sh --dev        all of the above
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libxtensor-dev libxtensor-blas-dev libxsimd-dev xtl-dev
  libopenblas-openmp-dev
  catch2
  libcli11-dev nlohmann-json3-dev
  zlib1g-dev libsentencepiece-dev libopenmpi-dev openmpi-bin
  python3 git
)
docs_packages=(doxygen doxygen-awesome-css libjs-mathjax graphviz gnuplot-nox emscripten)
browser_packages=(chromium)
torch_packages=(python3-numpy python3-torch)
dev_tool_packages=(clang-format)

needs_npm=0
for arg in "$@"; do
  case "$arg" in
    --docs) packages+=("${docs_packages[@]}") ;;
    --browser) packages+=("${browser_packages[@]}"); needs_npm=1 ;;
    --torch) packages+=("${torch_packages[@]}") ;;
    --dev-tools) packages+=("${dev_tool_packages[@]}") ;;
    --dev) packages+=("${docs_packages[@]}" "${browser_packages[@]}" "${torch_packages[@]}" "${dev_tool_packages[@]}")
           needs_npm=1 ;;
    *) echo "install-deps.sh: unknown option '$arg' (expected --docs, --browser, --torch, --dev-tools or --dev)" >&2
       exit 2 ;;
  esac
done

# The browser test installs puppeteer-core with npm. A node from elsewhere (NodeSource's
# nodejs package carries npm itself, and conflicts with Debian's npm) is kept as it is.
if [ "$needs_npm" = 1 ] && ! command -v npm > /dev/null; then packages+=(npm); fi

if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps.sh: all ${#packages[@]} packages already installed"
  exit 0
fi
echo "install-deps.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
