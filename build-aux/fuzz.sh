#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Builds the libFuzzer targets (tests/fuzz) with clang, AddressSanitizer
# and UndefinedBehaviorSanitizer in _build/fuzz, and runs each for SECONDS
# (default 60), one after the other, starting from its committed seed
# corpus and dictionary.  What a run finds new goes to
# _build/fuzz/corpus/TARGET (never into the tree); a crash is written to
# _build/fuzz/artifacts/TARGET/ and stops the script with its status.
#
#   build-aux/fuzz.sh [SECONDS] [TARGET…]
#   FUZZ_RUNS=10000000 build-aux/fuzz.sh 0 fuzz-client   # by executions
#   FUZZ_JOBS=2        (libFuzzer -fork=N: N processes per target)
#
# A crash found: fix it in src/, copy the input to
# tests/fuzz/regressions/TARGET/ (the suite replays it from then on).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
seconds=${1:-60}
shift || true
builddir=${FUZZ_BUILDDIR:-_build/fuzz}
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(fuzz-client fuzz-service fuzz-catalogue)
fi

if [ ! -f "$builddir/build.ninja" ]; then
  CC=${FUZZ_CC:-clang-14} meson setup "$builddir" \
    -Dfuzzing=true -Dbenchmarks=false \
    -Db_sanitize=address,undefined -Db_lundef=false \
    -Dc_args="-fsanitize=fuzzer-no-link -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
fi
ninja -C "$builddir" $(printf 'tests/fuzz/%s ' "${targets[@]}")

export ASAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1:detect_leaks=1:strict_string_checks=1"
export UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1"
export LSAN_OPTIONS="suppressions=$top/build-aux/lsan.supp:print_suppressions=0"
export G_SLICE=always-malloc
# The schema of the build (nothing here reads settings, but GLib may ask)
export GSETTINGS_BACKEND=memory

for t in "${targets[@]}"; do
  work="$builddir/corpus/$t"
  artifacts="$builddir/artifacts/$t/"
  mkdir -p "$work" "$artifacts"
  args=(-dict="tests/fuzz/$t.dict" -artifact_prefix="$artifacts"
        -timeout=10 -rss_limit_mb=2048 -print_final_stats=1)
  if [ -n "${FUZZ_RUNS:-}" ]; then
    args+=(-runs="$FUZZ_RUNS")
  else
    args+=(-max_total_time="$seconds")
  fi
  if [ -n "${FUZZ_JOBS:-}" ]; then
    args+=(-fork="$FUZZ_JOBS")
  fi
  echo "== $t"
  "$builddir/tests/fuzz/$t" "${args[@]}" "$work" "tests/fuzz/corpus/$t" \
    "tests/fuzz/regressions/$t"
done
