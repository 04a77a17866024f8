/* test-instants.h: the named instants tests run at
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * No test reads the real date: each one that depends on the demo plan's
 * phase sets the process's clock (nt_clock_get_default, which every view,
 * client and embedded service reads) to one of these, or gives its
 * facility a clock of its own.  The phases are those of the demo run plan
 * (nt_demo_plan_build), the same every year.
 */
#pragma once

#include <glib.h>

#include "nt-clock.h"

/* Wednesday, an hour into a week of user operation (term 2026A). */
#define NT_TEST_USER_OPERATION   "2026-07-15T10:00+09:00"
/* Wednesday of the maintenance week before cycle 6 (no beam). */
#define NT_TEST_MAINTENANCE      "2026-12-02T10:00+09:00"
/* Tuesday's machine study between two user weeks. */
#define NT_TEST_MACHINE_STUDY    "2026-07-14T12:00+09:00"
/* Inside the summer shutdown. */
#define NT_TEST_SHUTDOWN         "2026-08-20T12:00+09:00"
/* Half an hour before the fiscal year 2027 begins (spring maintenance). */
#define NT_TEST_FY_TURN          "2027-03-31T23:30+09:00"
/* Half an hour before term 2026B begins (user operation across it). */
#define NT_TEST_TERM_TURN        "2026-09-30T23:30+09:00"
/* New Year's Day: the winter shutdown. */
#define NT_TEST_NEW_YEAR         "2027-01-01T12:00+09:00"
/* The leap day of FY2027: machine study from 09:00. */
#define NT_TEST_LEAP_DAY         "2028-02-29T12:00+09:00"
/* Thursday of a user week in FY2030 (a year no earlier start seeded). */
#define NT_TEST_FY2030           "2030-06-06T14:00+09:00"

static inline gint64
nt_test_instant (const char *name)
{
  g_autoptr(GError) error = NULL;
  gint64 us = 0;

  g_assert_true (nt_clock_parse_instant (name, &us, &error));
  g_assert_no_error (error);
  return us;
}

/* Runs the default clock from @name at @scale (1 = real rate). */
static inline void
nt_test_clock_run_from (const char *name,
                        double      scale)
{
  nt_clock_set_scaled (nt_clock_get_default (), nt_test_instant (name), scale);
}

/* Stops the default clock at @name. */
static inline void
nt_test_clock_fix_at (const char *name)
{
  nt_clock_set_fixed (nt_clock_get_default (), nt_test_instant (name));
}
