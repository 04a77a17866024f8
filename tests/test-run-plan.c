/* test-run-plan.c: period kinds, lookup and the demo fiscal-year plan
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "nt-run-plan.h"
#include "nt-time.h"
#include "test-instants.h"

static void
test_kinds (void)
{
  for (int k = 0; k < NT_N_PERIOD_KINDS; k++)
    {
      NtPeriodKind back = NT_N_PERIOD_KINDS;

      g_assert_true (nt_period_kind_from_string (nt_period_kind_to_string (k), &back));
      g_assert_cmpint (back, ==, k);
    }
  g_assert_cmpstr (nt_period_kind_to_string (NT_PERIOD_USER_OPERATION), ==, "user_operation");
  g_assert_cmpstr (nt_period_kind_to_string (NT_PERIOD_MACHINE_STUDY), ==, "machine_study");
  g_assert_false (nt_period_kind_from_string ("User_operation", NULL));
  g_assert_false (nt_period_kind_from_string (NULL, NULL));
  g_assert_true (nt_period_kind_has_beam (NT_PERIOD_USER_OPERATION));
  g_assert_true (nt_period_kind_has_beam (NT_PERIOD_MACHINE_STUDY));
  g_assert_true (nt_period_kind_has_beam (NT_PERIOD_COMMISSIONING));
  g_assert_false (nt_period_kind_has_beam (NT_PERIOD_MAINTENANCE));
  g_assert_false (nt_period_kind_has_beam (NT_PERIOD_INSPECTION));
  g_assert_false (nt_period_kind_has_beam (NT_PERIOD_SHUTDOWN));
}

static void
check_plan (int fy)
{
  g_autoptr(GArray) plan = nt_demo_plan_build (fy);
  gint64 hours[NT_N_PERIOD_KINDS] = { 0 };
  NtTimeGrid shift = NT_TIME_GRID_SHIFT_DEFAULT;
  gint64 fy_start, fy_end, beam;
  gboolean summer = FALSE, winter = FALSE;

  nt_time_fiscal_year_bounds (fy, &fy_start, &fy_end);
  g_assert_cmpuint (plan->len, >, 50);
  g_assert_cmpint (g_array_index (plan, NtPeriodSpan, 0).start, ==, fy_start);
  g_assert_cmpint (g_array_index (plan, NtPeriodSpan, plan->len - 1).end, ==, fy_end);

  for (guint i = 0; i < plan->len; i++)
    {
      const NtPeriodSpan *s = &g_array_index (plan, NtPeriodSpan, i);

      g_assert_cmpint (s->start, <, s->end);
      if (i > 0)
        {
          g_assert_cmpint (g_array_index (plan, NtPeriodSpan, i - 1).end, ==, s->start);
          g_assert_cmpint (g_array_index (plan, NtPeriodSpan, i - 1).kind, !=, s->kind);
        }
      /* Beam periods begin and end on shift boundaries. */
      if (nt_period_kind_has_beam (s->kind))
        {
          g_assert_true (nt_time_grid_is_on_grid (&shift, s->start));
          g_assert_true (nt_time_grid_is_on_grid (&shift, s->end));
        }
      hours[s->kind] += (s->end - s->start) / 3600;

      if (s->kind == NT_PERIOD_SHUTDOWN)
        {
          g_autoptr(GDateTime) local = nt_time_to_local (s->start);

          if (g_date_time_get_month (local) >= 7 && g_date_time_get_month (local) <= 8)
            summer = TRUE;
          if (g_date_time_get_month (local) == 12)
            winter = TRUE;
          g_assert_cmpint (s->end - s->start, >=, 14 * 86400);
        }

      g_assert_true (nt_run_plan_lookup (plan, s->start) == s);
      g_assert_true (nt_run_plan_lookup (plan, s->end - 1) == s);
    }

  g_assert_null (nt_run_plan_lookup (plan, fy_start - 1));
  g_assert_null (nt_run_plan_lookup (plan, fy_end));
  g_assert_true (summer);
  g_assert_true (winter);

  beam = hours[NT_PERIOD_USER_OPERATION] + hours[NT_PERIOD_MACHINE_STUDY] +
         hours[NT_PERIOD_COMMISSIONING];
  g_test_message ("FY%d: user %" G_GINT64_FORMAT " h, study %" G_GINT64_FORMAT
                  " h, commissioning %" G_GINT64_FORMAT " h", fy,
                  hours[NT_PERIOD_USER_OPERATION], hours[NT_PERIOD_MACHINE_STUDY],
                  hours[NT_PERIOD_COMMISSIONING]);
  g_assert_cmpint (beam, >=, 5800);
  g_assert_cmpint (beam, <=, 6200);
  g_assert_cmpint (hours[NT_PERIOD_USER_OPERATION], >=, 4800);
  g_assert_cmpint (hours[NT_PERIOD_USER_OPERATION], <=, 5200);
  g_assert_cmpint (hours[NT_PERIOD_MACHINE_STUDY] + hours[NT_PERIOD_COMMISSIONING], >=, 900);
  g_assert_cmpint (hours[NT_PERIOD_MACHINE_STUDY] + hours[NT_PERIOD_COMMISSIONING], <=, 1200);
  g_assert_cmpint (hours[NT_PERIOD_MAINTENANCE], >, 0);
  g_assert_cmpint (hours[NT_PERIOD_INSPECTION], >, 0);
  g_assert_cmpint (hours[NT_PERIOD_COMMISSIONING], >, 0);
}

static void
test_demo_plan (void)
{
  g_autoptr(GArray) a = nt_demo_plan_build (2026);
  g_autoptr(GArray) b = nt_demo_plan_build (2026);

  /* Deterministic */
  g_assert_cmpuint (a->len, ==, b->len);
  g_assert_cmpmem (a->data, a->len * sizeof (NtPeriodSpan), b->data, b->len * sizeof (NtPeriodSpan));

  for (int fy = 2024; fy <= 2032; fy++)
    check_plan (fy);
}

static void
test_lookup_empty (void)
{
  g_autoptr(GArray) empty = g_array_new (FALSE, FALSE, sizeof (NtPeriodSpan));

  g_assert_null (nt_run_plan_lookup (empty, 0));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* Every test here runs at a named instant, never at the real date. */
  nt_test_clock_run_from (NT_TEST_USER_OPERATION, 1.0);

  g_test_add_func ("/run-plan/kinds", test_kinds);
  g_test_add_func ("/run-plan/demo", test_demo_plan);
  g_test_add_func ("/run-plan/lookup-empty", test_lookup_empty);

  return g_test_run ();
}
