#!/usr/bin/env bash
# run-all.sh — `npm test`: every test, nothing skipped silently.
#   1. builds the wasm core (release and debug) and the UI from the current source
#   2. native C unit tests with ctest, plain and with ASan/UBSan
#   2b. libFuzzer harnesses (tests/fuzz/run.sh: clang -fsanitize=fuzzer,address,
#      undefined, GRADLAB_FUZZ_SECONDS each, default 10; Debian's clang and
#      libclang-rt-14-dev, installed there when root, else the stage fails)
#   3. the PyTorch reference's own tests (tests/torch; Debian's python3-torch,
#      installed here when root, else the stage fails — never skipped)
#   4. Node tests (node:test) against the release build, then the debug build;
#      torch-train.test.js runs tests/torch/train_ref.py, torch-snippets.test.js
#      every lesson's "Copy as PyTorch" snippet, with $GRADLAB_PYTHON
#   5. browser tests in headless Chromium (Debian's chromium + playwright-core),
#      export.test.js among them, and embed.test.js with a course page on a
#      second origin (a server of its own)
# Ends with one line "npm test: N passed, M failed" summing every stage.
set -uo pipefail
cd "$(dirname "$0")/.."
LOG=build/test-logs
mkdir -p "$LOG"
passed=0
failed=0
stages_failed=()

stage() { echo; echo "======== $* ========"; }

# node:test prints "ℹ pass N" / "ℹ fail N" (spec reporter); ctest prints
# "… tests passed, N tests failed out of M"; the torch reference "N passed, M failed".
count_node() {
  local p f
  p=$(grep -aoE '^ℹ pass [0-9]+' "$1" | awk '{s+=$3} END {print s+0}')
  f=$(grep -aoE '^ℹ fail [0-9]+' "$1" | awk '{s+=$3} END {print s+0}')
  passed=$((passed + p)); failed=$((failed + f))
}
count_ctest() {
  local line total f
  line=$(grep -aE 'tests passed, [0-9]+ tests? failed out of [0-9]+' "$1" | tail -1)
  total=$(echo "$line" | grep -oE 'out of [0-9]+' | grep -oE '[0-9]+')
  f=$(echo "$line" | grep -oE '[0-9]+ tests? failed' | grep -oE '^[0-9]+')
  passed=$((passed + ${total:-0} - ${f:-0})); failed=$((failed + ${f:-0}))
}
count_py() {
  local line
  line=$(grep -aE '^[0-9]+ passed, [0-9]+ failed$' "$1" | tail -1)
  passed=$((passed + $(echo "$line" | awk '{print $1+0}'))); failed=$((failed + $(echo "$line" | awk '{print $3+0}')))
}
run() { # name, log, command...
  local name=$1 log=$2; shift 2
  "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  [ "$rc" = 0 ] || stages_failed+=("$name (exit $rc)")
  return 0
}

stage "build (./build-wasm.sh --debug)"
if ! ./build-wasm.sh --debug; then
  echo "npm test: the build failed; no test ran"
  echo "total: 0 passed, 1 failed"
  exit 1
fi

stage "native C tests (ctest)"
cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release >/dev/null &&
  cmake --build build/native -j2 >"$LOG/native-build.log" 2>&1 || { cat "$LOG/native-build.log"; stages_failed+=("native build"); }
run "ctest" "$LOG/ctest.log" ctest --test-dir build/native --output-on-failure
count_ctest "$LOG/ctest.log"

stage "native C tests with -fsanitize=address,undefined (ctest)"
cmake -S . -B build/native-san -DGRADLAB_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null &&
  cmake --build build/native-san -j2 >"$LOG/san-build.log" 2>&1 || { cat "$LOG/san-build.log"; stages_failed+=("sanitized build"); }
run "ctest (sanitized)" "$LOG/ctest-san.log" ctest --test-dir build/native-san --output-on-failure
count_ctest "$LOG/ctest-san.log"

stage "libFuzzer harnesses with ASan/UBSan (tests/fuzz/run.sh)"
run "fuzz" "$LOG/fuzz.log" tests/fuzz/run.sh
count_py "$LOG/fuzz.log"

stage "PyTorch reference (tests/torch/test_train_ref.py)"
# the Node stages compare the training core with this reference, so it must exist
# (find-python.sh: $GRADLAB_PYTHON if set, else python3 or /usr/bin/python3 with torch)
py_wanted=${GRADLAB_PYTHON:-}
if ! GRADLAB_PYTHON=$(GRADLAB_PYTHON=$py_wanted tests/torch/find-python.sh 2>/dev/null); then
  if [ "$(id -u)" = 0 ]; then
    echo "==> installing python3-torch (apt-get)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch >/dev/null
  fi
  GRADLAB_PYTHON=$(GRADLAB_PYTHON=$py_wanted tests/torch/find-python.sh) || {
    echo "npm test: PyTorch is missing; run: sudo apt-get install -y python3-torch" >&2
    stages_failed+=("torch reference (python3-torch missing)")
    GRADLAB_PYTHON=
  }
fi
if [ -n "$GRADLAB_PYTHON" ]; then
  export GRADLAB_PYTHON
  echo "==> $GRADLAB_PYTHON: torch $("$GRADLAB_PYTHON" -c 'import torch; print(torch.__version__)')"
  run "torch reference" "$LOG/torch-ref.log" "$GRADLAB_PYTHON" tests/torch/test_train_ref.py
  count_py "$LOG/torch-ref.log"
fi

for build in release debug; do
  stage "Node tests against the $build wasm build"
  run "node ($build)" "$LOG/node-$build.log" env GRADLAB_BUILD=$build node --test --test-reporter=spec tests/node/*.test.js
  count_node "$LOG/node-$build.log"
done

stage "browser tests (headless Chromium)"
if ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "==> installing chromium (apt-get)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "npm test: Chromium is missing; run: sudo apt-get install -y chromium" >&2
    stages_failed+=("browser tests (chromium missing)")
  fi
fi
if [ -x /usr/bin/chromium ]; then
  run "browser" "$LOG/browser.log" node --test --test-reporter=spec --test-concurrency=1 tests/browser/*.test.js
  count_node "$LOG/browser.log"
fi

echo
if [ ${#stages_failed[@]} -gt 0 ]; then
  echo "npm test: failing stages: ${stages_failed[*]}"
  [ "$failed" -gt 0 ] || failed=${#stages_failed[@]}
fi
echo "total: ${passed} passed, ${failed} failed"
[ ${#stages_failed[@]} -eq 0 ] && [ "$failed" -eq 0 ]
