#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Sets up everything and runs every test twice: installs the Debian
# packages that are missing, configures a build with warnings as errors,
# builds, runs `meson test` under a virtual X server and a session bus;
# then does the same in a second build with AddressSanitizer,
# UndefinedBehaviorSanitizer and LeakSanitizer, where any report fails
# the test.  Ends with one line "N passed, N failed, N skipped" over both
# builds and exits non-zero on any failure.
#
#   BUILDDIR        the plain build (default _build/ci)
#   SAN_BUILDDIR    the sanitizer build (default _build/ci-san)
#   NT_SKIP_SANITIZERS=1   only the plain build (a quick local run)
#
# Arguments are passed to both `meson test` runs (test names, --suite …).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
builddir=${BUILDDIR:-_build/ci}
san_builddir=${SAN_BUILDDIR:-_build/ci-san}

bash build-aux/install-deps.sh

total_passed=0
total_failed=0
total_skipped=0

# run_suite BUILDDIR TIMEOUT-MULTIPLIER [meson test arguments…]
run_suite () {
  local dir=$1 multiplier=$2 status passed failed skipped log
  shift 2

  rm -f "$dir/meson-logs/testlog.json"
  set +e
  xvfb-run -a -s "-screen 0 1280x1024x24" \
    dbus-run-session --config-file="$top/build-aux/test-session.conf" -- \
    meson test -C "$dir" --print-errorlogs --num-processes 2 \
      --timeout-multiplier "$multiplier" "$@"
  status=$?
  set -e

  # Count from meson's machine-readable log: one JSON object per test.
  log="$dir/meson-logs/testlog.json"
  passed=0
  failed=0
  skipped=0
  if [ -f "$log" ]; then
    passed=$(grep -c '"result": "OK"' "$log" || true)
    failed=$(grep -cE '"result": "(FAIL|TIMEOUT|ERROR|UNEXPECTEDPASS)"' "$log" || true)
    skipped=$(grep -c '"result": "SKIP"' "$log" || true)
  fi
  if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
    failed=1
  fi
  echo "$dir: $passed passed, $failed failed, $skipped skipped"
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
  total_skipped=$((total_skipped + skipped))
}

# 1. The plain build
if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" --werror -Dbenchmarks=true
fi
if ninja -C "$builddir"; then
  run_suite "$builddir" 1 "$@"
else
  total_failed=$((total_failed + 1))
fi

# 2. The same suite with ASan + UBSan (gcc; float-cast-overflow named
# because gcc's "undefined" leaves it out) and LeakSanitizer.  The
# benchmarks are left out (never run by `meson test`).  Every report
# aborts the test (abort_on_error), so it fails with the report and a
# stack in its log.
if [ "${NT_SKIP_SANITIZERS:-0}" != 1 ]; then
  if [ ! -f "$san_builddir/build.ninja" ]; then
    meson setup "$san_builddir" --werror -Dbenchmarks=false \
      -Db_sanitize=address,undefined \
      -Dc_args="['-fsanitize=float-cast-overflow', '-fno-sanitize-recover=all', '-fno-omit-frame-pointer']"
  fi
  export ASAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1:detect_leaks=1:strict_string_checks=1:fast_unwind_on_malloc=0:malloc_context_size=16"
  export UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1:print_summary=1"
  export LSAN_OPTIONS="suppressions=$top/build-aux/lsan.supp:print_suppressions=0"
  # fast_unwind_on_malloc=0: GLib and GTK have no frame pointers, so only
  # the slow unwinder gets past g_malloc to name who allocated a leak (and
  # lets lsan.supp match a library).  G_SLICE: GLib's slice allocator
  # keeps freed blocks in magazines that LeakSanitizer cannot see through;
  # plain malloc shows every block to the sanitizers.
  export G_SLICE=always-malloc
  # No OpenGL: GSK_RENDERER=cairo draws anyway, and the GL drivers GDK would
  # probe are dlopen()ed code whose own leaks LeakSanitizer cannot name.
  export GDK_DEBUG=gl-disable
  if ninja -C "$san_builddir"; then
    # Tests wait that much longer for things to happen (tests/test-wait.h).
    export NT_TEST_WAIT_FACTOR=4
    # Ten times each test's timeout: everything runs several times slower
    # there, and test-store-faults (37 s plain) took over 190 s in CI.
    run_suite "$san_builddir" 10 "$@"
  else
    total_failed=$((total_failed + 1))
  fi
fi

echo "$total_passed passed, $total_failed failed, $total_skipped skipped"
[ "$total_failed" -eq 0 ]
