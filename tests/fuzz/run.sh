#!/usr/bin/env bash
# run.sh — builds the libFuzzer harnesses of tests/fuzz/ (clang,
# -fsanitize=fuzzer,address,undefined) and runs each for a bounded time.
#   tests/fuzz/run.sh                       every target, GRADLAB_FUZZ_SECONDS (default 10) each
#   tests/fuzz/run.sh fuzz_mlp              one target
#   GRADLAB_FUZZ_SECONDS=600 tests/fuzz/run.sh   a long run
#   tests/fuzz/run.sh --update-corpus       merge what the runs found into the committed seeds
# Each target starts from its committed seeds (tests/fuzz/corpus/<target>/) and
# keeps what it finds in build/fuzz/corpus/<target>/.  A crash, a leak, an
# ASan/UBSan report or a broken contract (fuzz.h) fails the target and prints
# the reproducer: build/fuzz/bin/<target> <file>.  Ends with "N passed, M failed".
# clang and libFuzzer come from Debian (clang, libclang-rt-14-dev): installed
# here when root and missing, else this fails — it never skips.
set -uo pipefail
cd "$(dirname "$0")/../.."
SECONDS_EACH=${GRADLAB_FUZZ_SECONDS:-10}
SEEDS_MAX=48
OUT=build/fuzz
CC=${GRADLAB_FUZZ_CC:-clang}
FLAGS=(-g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined -Isrc)
update=0
targets=()
for a in "$@"; do
  if [ "$a" = --update-corpus ]; then update=1; else targets+=("${a%.c}"); fi
done
[ ${#targets[@]} -gt 0 ] || for f in tests/fuzz/fuzz_*.c; do targets+=("$(basename "$f" .c)"); done

have_libfuzzer() {
  local probe
  probe=$(mktemp -d) || return 1
  printf '#include <stdint.h>\n#include <stddef.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n' >"$probe/p.c"
  "$CC" -fsanitize=fuzzer,address,undefined "$probe/p.c" -o "$probe/p" >/dev/null 2>&1
  local rc=$?
  rm -rf "$probe"
  return $rc
}
if ! have_libfuzzer; then
  if [ "$(id -u)" = 0 ]; then
    echo "==> installing clang and libclang-rt-14-dev (apt-get)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang libclang-rt-14-dev >/dev/null
  fi
  if ! have_libfuzzer; then
    echo "fuzz: clang with libFuzzer is missing; run: sudo apt-get install -y clang libclang-rt-14-dev" >&2
    echo "0 passed, ${#targets[@]} failed"
    exit 1
  fi
fi

# The core once, instrumented for coverage (fuzzer-no-link) and the sanitizers.
mkdir -p "$OUT/obj" "$OUT/bin" "$OUT/artifacts"
for src in src/*.c; do
  obj="$OUT/obj/$(basename "$src" .c).o"
  if [ ! -e "$obj" ] || [ "$src" -nt "$obj" ] || [ src/gradlab.h -nt "$obj" ] || [ src/internal.h -nt "$obj" ]; then
    "$CC" "${FLAGS[@]}" -fsanitize=fuzzer-no-link -c "$src" -o "$obj" || { echo "fuzz: building $src failed"; echo "0 passed, ${#targets[@]} failed"; exit 1; }
  fi
done

passed=0
failed=0
for t in "${targets[@]}"; do
  src=tests/fuzz/$t.c
  if [ ! -e "$src" ]; then echo "fuzz: no harness $src"; failed=$((failed + 1)); continue; fi
  if ! "$CC" "${FLAGS[@]}" -fsanitize=fuzzer "$src" "$OUT"/obj/*.o -lm -o "$OUT/bin/$t"; then
    echo "$t: FAILED to build"; failed=$((failed + 1)); continue
  fi
  seeds=tests/fuzz/corpus/$t
  work=$OUT/corpus/$t
  mkdir -p "$work" "$seeds"
  log=$OUT/$t.log
  rm -f "$OUT/artifacts/$t-"*
  "$OUT/bin/$t" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$OUT/artifacts/$t-" "$work" "$seeds" >"$log" 2>&1
  rc=$?
  runs=$(grep -aoE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1)
  rate=$(grep -aoE 'stat::average_exec_per_sec: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1)
  crash=$(ls "$OUT/artifacts/$t-"* 2>/dev/null | head -1)
  if [ "$rc" = 0 ] && [ -z "$crash" ]; then
    echo "$t: ok, ${runs:-?} runs, ${rate:-?} execs/s in ${SECONDS_EACH} s (corpus $(ls "$work" | wc -l))"
    passed=$((passed + 1))
    if [ "$update" = 1 ]; then
      rm -rf "$seeds.new" && mkdir -p "$seeds.new"
      "$OUT/bin/$t" -merge=1 "$seeds.new" "$seeds" "$work" >/dev/null 2>&1 && rm -rf "$seeds" && mv "$seeds.new" "$seeds"
      # a small committed seed set: at most SEEDS_MAX of the merged inputs (the runs grow their own)
      ls "$seeds" | sort | tail -n +$((SEEDS_MAX + 1)) | while read -r x; do rm -f "$seeds/$x"; done
      echo "$t: seeds now $(ls "$seeds" | wc -l) files"
    fi
  else
    echo "$t: FAILED (exit $rc) after ${runs:-?} runs; log $log"
    grep -aE 'ERROR|runtime error|contract broken|SUMMARY' "$log" | head -5
    [ -n "$crash" ] && echo "$t: reproduce with: $OUT/bin/$t $crash"
    failed=$((failed + 1))
  fi
done
echo "${passed} passed, ${failed} failed"
[ "$failed" = 0 ]
