/* test-schedule-rules.c: the scheduling rules as pure functions, both sides
 * of every limit
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "nt-alloc-rules.h"
#include "test-instants.h"

/* A rule refused, with its own code and a message. */
#define expect(call, error, code) \
  G_STMT_START { \
    gboolean ok_ = (call); \
    g_assert_false (ok_); \
    g_assert_error ((error), NT_RULE_ERROR, (int) (code)); \
    g_assert_nonnull ((error)->message); \
  } G_STMT_END

static void
test_codes (void)
{
  for (int i = 0; i < NT_N_RULE_ERRORS; i++)
    {
      NtRuleError back;

      g_assert_true (nt_rule_error_from_code (nt_rule_error_to_code (i), &back));
      g_assert_cmpint (back, ==, i);
    }
  g_assert_cmpstr (nt_rule_error_to_code (NT_RULE_ERROR_OVERLAP), ==, "overlap");
  g_assert_false (nt_rule_error_from_code ("nope", NULL));
}

static void
test_shift_count (void)
{
  for (gint64 n = 0; n <= 30; n++)
    {
      g_autoptr(GError) error = NULL;
      gboolean valid = n == 1 || n == 2 || (n >= 3 && n % 3 == 0);
      gboolean ok = nt_rules_check_shift_count (n, &error);

      g_assert_cmpint (ok, ==, valid);
      if (!ok)
        g_assert_error (error, NT_RULE_ERROR, NT_RULE_ERROR_SHIFT_COUNT);
    }
}

static void
test_grid (void)
{
  NtTimeGrid shift = NT_TIME_GRID_SHIFT_DEFAULT, hour = NT_TIME_GRID_HOUR;
  gint64 nine = nt_time_from_local (2026, 6, 2, 9, 0);
  g_autoptr(GError) error = NULL;

  g_assert_true (nt_rules_check_grid (NT_SLOT_PUBLIC, nine, nine + 8 * 3600, &shift, &hour, NULL));
  g_assert_true (nt_rules_check_grid (NT_SLOT_PUBLIC, nine - 8 * 3600, nine + 16 * 3600, &shift, &hour, NULL));
  expect (nt_rules_check_grid (NT_SLOT_PUBLIC, nine + 3600, nine + 9 * 3600, &shift, &hour, &error), error,
          NT_RULE_ERROR_OFF_GRID);
  g_clear_error (&error);
  g_assert_true (nt_rules_check_grid (NT_SLOT_COALITION, nine + 3600, nine + 2 * 3600, &shift, &hour, NULL));
  g_assert_true (nt_rules_check_grid (NT_SLOT_STAFF, nine + 3600, nine + 2 * 3600, &shift, &hour, NULL));
  expect (nt_rules_check_grid (NT_SLOT_COALITION, nine + 1800, nine + 3600, &shift, &hour, &error), error,
          NT_RULE_ERROR_OFF_GRID);
}

static void
test_station_slot (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (nt_rules_check_station_slot (NT_SLOT_PUBLIC, NT_PROGRAM_PUBLIC, NT_STATION_MAIN, NULL));
  g_assert_true (nt_rules_check_station_slot (NT_SLOT_PUBLIC, NT_PROGRAM_COALITION, NT_STATION_MAIN, NULL));
  expect (nt_rules_check_station_slot (NT_SLOT_PUBLIC, NT_PROGRAM_COALITION, NT_STATION_BRANCH, &error), error,
          NT_RULE_ERROR_PUBLIC_ON_BRANCH);
  g_clear_error (&error);
  g_assert_true (nt_rules_check_station_slot (NT_SLOT_COALITION, NT_PROGRAM_COALITION, NT_STATION_BRANCH, NULL));
  expect (nt_rules_check_station_slot (NT_SLOT_COALITION, NT_PROGRAM_PUBLIC, NT_STATION_MAIN, &error), error,
          NT_RULE_ERROR_COALITION_ON_PUBLIC);
}

static void
test_plan (void)
{
  g_autoptr(GArray) plan = g_array_new (FALSE, FALSE, sizeof (NtPeriodSpan));
  NtPeriodSpan spans[] = {
    { 0, 100, NT_PERIOD_USER_OPERATION },
    { 100, 200, NT_PERIOD_USER_OPERATION },
    { 200, 300, NT_PERIOD_MACHINE_STUDY },
    { 300, 400, NT_PERIOD_COMMISSIONING },
    { 500, 600, NT_PERIOD_USER_OPERATION },
  };
  g_autoptr(GError) error = NULL;

  g_array_append_vals (plan, spans, G_N_ELEMENTS (spans));
  g_assert_true (nt_rules_slot_fits_plan (plan, NT_SLOT_PUBLIC, 0, 200));       /* across adjacent */
  g_assert_true (nt_rules_slot_fits_plan (plan, NT_SLOT_PUBLIC, 150, 200));
  g_assert_false (nt_rules_slot_fits_plan (plan, NT_SLOT_PUBLIC, 150, 201));    /* into study */
  g_assert_false (nt_rules_slot_fits_plan (plan, NT_SLOT_PUBLIC, -1, 50));      /* before the plan */
  g_assert_true (nt_rules_slot_fits_plan (plan, NT_SLOT_COMMISSIONING, 300, 400));
  g_assert_false (nt_rules_slot_fits_plan (plan, NT_SLOT_STAFF, 300, 400));
  g_assert_false (nt_rules_slot_fits_plan (plan, NT_SLOT_COMMISSIONING, 350, 501)); /* across a gap */
  g_assert_true (nt_rules_slot_fits_plan (plan, NT_SLOT_COALITION, 500, 600));
  g_assert_false (nt_rules_slot_fits_plan (plan, NT_SLOT_COALITION, 500, 601));
  expect (nt_rules_check_in_operation (plan, NT_SLOT_STAFF, 250, 260, &error), error,
          NT_RULE_ERROR_OUTSIDE_OPERATION);
}

static void
test_shifts_and_quota (void)
{
  g_autoptr(GError) error = NULL;
  NtTimeGrid shift = NT_TIME_GRID_SHIFT_DEFAULT;
  gint64 fy0, fy1;

  g_assert_cmpint (nt_rules_shifts_of (&shift, 0, 24 * 3600), ==, 3);
  g_assert_true (nt_rules_check_proposal_shifts ("2026A0001", 4, 2, 6, NULL));
  expect (nt_rules_check_proposal_shifts ("2026A0001", 4, 3, 6, &error), error, NT_RULE_ERROR_SHIFTS_EXCEEDED);
  g_clear_error (&error);

  g_assert_true (nt_rules_check_quota ("M", 2026, 200 * 3600, 1, NULL));
  expect (nt_rules_check_quota ("M", 2026, 200 * 3600 + 1, 1, &error), error, NT_RULE_ERROR_QUOTA_EXCEEDED);
  g_clear_error (&error);
  g_assert_true (nt_rules_check_quota ("M", 2026, 600 * 3600, 3, NULL));

  /* An allocation across the fiscal-year boundary counts in each year */
  nt_time_fiscal_year_bounds (2026, &fy0, &fy1);
  g_assert_cmpint (nt_rules_seconds_in_fiscal_year (fy1 - 3600, fy1 + 7200, 2026), ==, 3600);
  g_assert_cmpint (nt_rules_seconds_in_fiscal_year (fy1 - 3600, fy1 + 7200, 2027), ==, 7200);
  g_assert_cmpint (nt_rules_seconds_in_fiscal_year (fy0 - 7200, fy0 - 3600, 2026), ==, 0);
}

static void
test_contract (void)
{
  g_autoptr(GError) error = NULL;
  GDate c0, c1;
  gint64 first = nt_time_from_local (2026, 4, 1, 0, 0);
  gint64 end = nt_time_from_local (2027, 4, 1, 0, 0);

  g_assert_true (nt_time_parse_date ("2026-04-01", &c0));
  g_assert_true (nt_time_parse_date ("2027-03-31", &c1));
  g_assert_true (nt_rules_check_contract ("M", &c0, &c1, first, end, NULL));
  expect (nt_rules_check_contract ("M", &c0, &c1, first - 3600, first, &error), error, NT_RULE_ERROR_OUTSIDE_CONTRACT);
  g_clear_error (&error);
  expect (nt_rules_check_contract ("M", &c0, &c1, end - 3600, end + 3600, &error), error, NT_RULE_ERROR_OUTSIDE_CONTRACT);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* Every test here runs at a named instant, never at the real date. */
  nt_test_clock_run_from (NT_TEST_USER_OPERATION, 1.0);

  g_test_add_func ("/rules/codes", test_codes);
  g_test_add_func ("/rules/shift-count", test_shift_count);
  g_test_add_func ("/rules/grid", test_grid);
  g_test_add_func ("/rules/station-slot", test_station_slot);
  g_test_add_func ("/rules/plan", test_plan);
  g_test_add_func ("/rules/shifts-quota", test_shifts_and_quota);
  g_test_add_func ("/rules/contract", test_contract);

  return g_test_run ();
}
