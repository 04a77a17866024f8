#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Builds the libFuzzer targets (tests/fuzz) with clang, AddressSanitizer
# and UndefinedBehaviorSanitizer in _build/fuzz, and runs each for SECONDS
# (default 60), one after the other.  With no TARGET named: every
# per-parser target of tests/fuzz/targets.txt, in its order.  A target
# may also be a family's own binary (fuzz-client, fuzz-service: the
# selector byte first, its corpus as committed).
#
# A per-parser target starts from its seeds: the files of its family's
# corpus and regressions (tests/fuzz/corpus/FAMILY, regressions/FAMILY)
# whose selector byte picks its parser, the selector stripped, written to
# _build/fuzz/seeds/TARGET at each run.  What a run finds new goes to
# _build/fuzz/corpus/TARGET (never into the tree); a crash is written to
# _build/fuzz/artifacts/TARGET/ and stops the script with its status.
# The dictionary is the family's (tests/fuzz/FAMILY.dict).
#
#   build-aux/fuzz.sh [SECONDS] [TARGET…]
#   FUZZ_RUNS=10000000 build-aux/fuzz.sh 0 fuzz-client-pvws   # by executions
#   FUZZ_JOBS=2        (libFuzzer -fork=N: N processes per target)
#   FUZZ_LIST=1 build-aux/fuzz.sh   # only prints the per-parser targets
#
# A crash found: fix it in src/, and copy the input to
# tests/fuzz/regressions/FAMILY/ with the target's selector byte before it
# ('A' + its index in targets.txt; none for fuzz-catalogue): the suite
# replays it from then on, and it seeds the target.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
table=tests/fuzz/targets.txt

# target → "family index", from the table
declare -A family index n_parsers
all=()
while read -r t f i; do
  case "$t" in ''|'#'*) continue ;; esac
  family[$t]=$f
  index[$t]=$i
  n_parsers[$f]=$(( ${n_parsers[$f]:-0} + 1 ))
  all+=("$t")
done < "$table"

if [ -n "${FUZZ_LIST:-}" ]; then
  printf '%s\n' "${all[@]}"
  exit 0
fi

seconds=${1:-60}
shift || true
builddir=${FUZZ_BUILDDIR:-_build/fuzz}
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=("${all[@]}")
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

# Writes the seeds of per-parser target $1 into directory $2: each file of
# its family's corpus and regressions that fuzz_selector() (fuzz-common.h)
# sends to its parser, without the selector byte.
derive_seeds () {
  local t=$1 out=$2 f=${family[$1]} i=${index[$1]} n=${n_parsers[${family[$1]}]} file b
  rm -rf "$out"
  mkdir -p "$out"
  for file in "tests/fuzz/corpus/$f"/* "tests/fuzz/regressions/$f"/*; do
    [ -f "$file" ] && [ -s "$file" ] || continue
    b=$(head -c 1 "$file" | od -An -tu1 | tr -d ' ')
    if [ $(( ((b - 65) & 255) % n )) -eq "$i" ]; then
      tail -c +2 "$file" > "$out/${file##*/}"
    fi
  done
  if [ -z "$(ls -A "$out")" ]; then
    echo "fuzz.sh: no seeds for $t in tests/fuzz/corpus/$f" >&2
    exit 1
  fi
}

for t in "${targets[@]}"; do
  work="$builddir/corpus/$t"
  artifacts="$builddir/artifacts/$t/"
  mkdir -p "$work" "$artifacts"
  if [ -n "${family[$t]:-}" ] && [ "${index[$t]}" != - ]; then
    f=${family[$t]}
    seeds="$builddir/seeds/$t"
    derive_seeds "$t" "$seeds"
    inputs=("$seeds")
  else
    f=$t
    inputs=("tests/fuzz/corpus/$t" "tests/fuzz/regressions/$t")
  fi
  args=(-dict="tests/fuzz/$f.dict" -artifact_prefix="$artifacts"
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
  "$builddir/tests/fuzz/$t" "${args[@]}" "$work" "${inputs[@]}"
done
