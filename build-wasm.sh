#!/usr/bin/env bash
# build-wasm.sh — set up, build and (optionally) serve GradLab.
#
#   ./build-wasm.sh               install what is missing, build web/gen/
#   ./build-wasm.sh --debug       also build the debug core (assertions, sanitizers)
#   ./build-wasm.sh --serve [PORT]  build, then serve the repository on 127.0.0.1
#
# What it produces (all git-ignored, in web/gen/):
#   gradlab.js        the C core as one classic script with the wasm embedded
#                     (-sSINGLE_FILE): loads in Node, over http and from file://
#   gradlab-debug.js  the same at -O1 with -sASSERTIONS=2 and ASan/UBSan (--debug)
#   abi.mjs           the core's enum names, limits and constants as an ES module,
#                     read from gradlab.js by tools/gen-abi.cjs (web/core.js imports it)
#   xavier-math.mjs   the Xavier lesson's formulas as MathML, rendered by KaTeX
#                     (npm) at build time by tools/gen-math.mjs: no fonts, no CSS
#   app.js            the UI (web/app/entry.js bundled by esbuild into one classic script)
#   worker-src.js     the compute worker's source (glue + web/app/worker.js) as a string
#   app-test.js, worker-src-test.js   the same with test hooks (served by
#                     tools/serve.js --test-hooks; never loaded by the product page)
#   chart.umd.min.js  Chart.js, copied from node_modules (installed from npm)
#   embed.js          the loader course pages include to embed GradLab (web/embed.js
#                     minified: no dependencies, < 3 KB; docs/embed.md)
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
GEN=web/gen

debug=0
serve=0
port=8000
while [ $# -gt 0 ]; do
  case "$1" in
    --debug) debug=1 ;;
    --serve)
      serve=1
      if [ $# -gt 1 ] && [[ "$2" =~ ^[0-9]+$ ]]; then port=$2; shift; fi ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build-wasm.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done
if [ "$serve" = 1 ] && { [ "$port" -lt 1 ] || [ "$port" -gt 65535 ]; }; then
  echo "build-wasm.sh: port must be 1..65535, got $port" >&2; exit 2
fi

as_root() { [ "$(id -u)" = 0 ]; }

# ---- toolchain: Debian's emscripten (3.1.6 on Debian 12) and Node ------------
need_pkgs=()
command -v emcc >/dev/null 2>&1 || need_pkgs+=(emscripten)
command -v node >/dev/null 2>&1 || need_pkgs+=(nodejs)
command -v npm >/dev/null 2>&1 || need_pkgs+=(npm)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  if as_root; then
    echo "==> installing ${need_pkgs[*]} (apt-get)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_pkgs[@]}" >/dev/null
  else
    echo "build-wasm.sh: missing ${need_pkgs[*]}; run: sudo apt-get install -y ${need_pkgs[*]}" >&2
    exit 1
  fi
fi

# Debian's emcc runs its JS tools with the system Node; they find acorn and
# friends only through NODE_PATH.
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}
# The packaged cache is read-only for ordinary users: work on a private copy,
# made atomically, once, under a lock, and made again if it is incomplete.
if [ -z "${EM_CACHE:-}" ] && [ -d /usr/share/emscripten/cache ] && [ ! -w /usr/share/emscripten/cache ]; then
  export EM_CACHE=$ROOT/build/em-cache
  tools/em-cache.sh /usr/share/emscripten/cache "$EM_CACHE"
fi

# ---- JS packages from npm (Chart.js, KaTeX, esbuild, playwright-core) --------
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "==> npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi

mkdir -p "$GEN"
# The glue is CommonJS; web/gen/package.json keeps Node from reading it as ESM
# (the repository's package.json says "type": "module").
echo '{ "type": "commonjs" }' > "$GEN/package.json"

# ---- the C core → one JavaScript file with the wasm inside -----------------
exports=$(grep -v '^\s*#' src/exports.txt | grep -v '^\s*$' | paste -sd, -)
common=(
  src/*.c -Isrc
  -sMODULARIZE=1 -sEXPORT_NAME=createGradLab
  -sSINGLE_FILE=1
  -sENVIRONMENT=web,worker,node
  -sALLOW_MEMORY_GROWTH=1 -sMAXIMUM_MEMORY=2GB
  -sFILESYSTEM=0 -sDYNAMIC_EXECUTION=0
  -sNODEJS_CATCH_EXIT=0 -sNODEJS_CATCH_REJECTION=0
  "-sEXPORTED_FUNCTIONS=[${exports}]"
  "-sEXPORTED_RUNTIME_METHODS=['UTF8ToString']"
)

build_core() { # $1 = output, rest = flags
  local out=$1; shift
  echo "==> emcc → $out"
  emcc "${common[@]}" "$@" -o "$out.$$.tmp.js" # a private name: builds may overlap
  mv "$out.$$.tmp.js" "$out"
}

build_core "$GEN/gradlab.js" -O3 -msimd128 -mnontrapping-fptoint
# Names and limits come from the core, so JavaScript never retypes them.
echo "==> gen-abi → $GEN/abi.mjs"
node tools/gen-abi.cjs "$GEN/gradlab.js" "$GEN/abi.mjs"
if [ "$debug" = 1 ]; then
  # -sASSERTIONS=2 checks the runtime; ASan/UBSan check the C code itself,
  # with -msimd128 so that the wasm SIMD kernels (matmul tile, tanh/sigmoid,
  # statistics) run under the sanitizers too: native builds never compile them.
  build_core "$GEN/gradlab-debug.js" -O1 -g -msimd128 -sASSERTIONS=2 -fsanitize=address,undefined \
    -sINITIAL_MEMORY=128MB
fi

# ---- Chart.js, the formulas and the UI bundle -------------------------------
cp node_modules/chart.js/dist/chart.umd.min.js "$GEN/chart.umd.min.js"
echo "==> KaTeX → $GEN/xavier-math.mjs"
node tools/gen-math.mjs web/lessons/xavier/formulas.js "$GEN/xavier-math.mjs"
echo "==> esbuild → $GEN/app.js, $GEN/worker-src.js, $GEN/embed.js (and the test builds)"
# bundle page|worker ENTRY OUT: one classic script (the page also works from
# file://); a worker bundle leaves out the lessons' views and messages.
bundle() { node tools/bundle.mjs "$@"; }
# worker_src GLUE WORKER OUT: the compute worker's source — the wasm glue
# followed by the worker bundle — as one string the page turns into a Blob
# worker (a worker cannot load a file from file://).
worker_src() {
  node -e '
    const fs = require("fs");
    const [glue, worker, out] = process.argv.slice(1);
    const src = fs.readFileSync(glue, "utf8") + ";\n" + fs.readFileSync(worker, "utf8");
    fs.writeFileSync(out, "// generated by build-wasm.sh: the compute worker source\n" +
      "globalThis.GRADLAB_WORKER_SRC = " + JSON.stringify(src) + ";\n" +
      fs.readFileSync("web/app/early-worker.js", "utf8"));
  ' "$1" "$2" "$3"
}
# The product page: no test hooks.
bundle page web/app/entry.js "$GEN/app.js"
bundle worker web/app/worker.js "$GEN/worker.js"
bundle loader web/embed.js "$GEN/embed.js"
worker_src "$GEN/gradlab.js" "$GEN/worker.js" "$GEN/worker-src.js"
# The test build (tools/serve.js --test-hooks serves it in their place): the
# same app with globalThis.gradlabTest and a tiny extra lesson behind
# ?testlesson=1 (tests/browser/fixtures/).
bundle page tests/browser/fixtures/entry-test.js "$GEN/app-test.js"
bundle worker tests/browser/fixtures/worker-test.js "$GEN/worker-test.js"
worker_src "$GEN/gradlab.js" "$GEN/worker-test.js" "$GEN/worker-src-test.js"

echo "==> built: $(ls "$GEN" | tr '\n' ' ')"

if [ "$serve" = 1 ]; then
  exec node tools/serve.js --port "$port"
fi
