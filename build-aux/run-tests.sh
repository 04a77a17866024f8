#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Sets up everything and runs every test: installs the Debian packages that
# are missing, configures a build with warnings as errors, builds, runs
# `meson test` under a virtual X server and a session bus, and ends with a
# line "N passed, N failed".  Exits non-zero on any failure.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
builddir=${BUILDDIR:-_build/ci}

bash build-aux/install-deps.sh

if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" --werror -Dbenchmarks=true
fi
ninja -C "$builddir"

set +e
xvfb-run -a -s "-screen 0 1280x1024x24" \
  dbus-run-session --config-file="$top/build-aux/test-session.conf" -- \
  meson test -C "$builddir" --print-errorlogs --num-processes 2 "$@"
status=$?
set -e

# Count from meson's machine-readable log: one JSON object per test.
log="$builddir/meson-logs/testlog.json"
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
echo "$passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
