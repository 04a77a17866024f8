#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Fails when anything in src/ reads the wall clock itself instead of asking
# NtClock (src/core/nt-clock.c is the one place allowed to).  Monotonic
# time (g_get_monotonic_time, for timeouts and frame timing) is fine.
set -eu
top=${1:-.}
cd "$top"

pattern='g_get_real_time[[:space:]]*\(|g_date_time_new_now(_local|_utc)?[[:space:]]*\(|[^_a-z]time[[:space:]]*\([[:space:]]*(NULL|0|&)|gettimeofday[[:space:]]*\(|clock_gettime[[:space:]]*\([[:space:]]*CLOCK_REALTIME|g_get_current_time[[:space:]]*\(|[^_a-z]localtime(_r)?[[:space:]]*\(|[^_a-z]gmtime(_r)?[[:space:]]*\('

hits=$(grep -rnE "$pattern" src --include='*.c' --include='*.h' | grep -v '^src/core/nt-clock\.c:' || true)
if [ -n "$hits" ]; then
  echo "These read the wall clock; ask the clock instead (nt_clock_now (), nt_clock_now_us (),"
  echo "or the clock of the service's NtDb):"
  echo "$hits"
  exit 1
fi
echo "No wall-clock read in src/ outside src/core/nt-clock.c"
