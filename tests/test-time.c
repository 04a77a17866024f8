/* test-time.c: ISO instants, fiscal years, terms and time grids
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include "nt-i18n.h"
#include "nt-time.h"
#include "test-instants.h"

static void
test_iso_round_trip (void)
{
  static const struct { const char *s; gint64 t; } good[] = {
    { "1970-01-01T00:00:00Z", 0 },
    { "2026-04-01T00:00:00Z", 1775001600 },
    { "2000-02-29T12:34:56Z", 951827696 },
    { "1969-12-31T23:59:59Z", -1 },
    { "2027-03-31T15:00:00Z", 1806505200 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      gint64 t = 42;
      g_autofree char *back = NULL;

      g_assert_true (nt_time_parse_iso (good[i].s, &t));
      g_assert_cmpint (t, ==, good[i].t);
      back = nt_time_format_iso (t);
      g_assert_cmpstr (back, ==, good[i].s);
    }
}

static void
test_iso_strict (void)
{
  static const char *bad[] = {
    NULL, "", "2026-04-01", "2026-04-01T00:00:00", "2026-04-01T00:00:00+09:00",
    "2026-04-01 00:00:00Z", "2026-04-01T00:00:00.5Z", "2026-4-01T00:00:00Z",
    "2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z", "2026-04-31T00:00:00Z",
    "2026-04-01T24:00:00Z", "2026-04-01T00:60:00Z", "2026-04-01T00:00:60Z",
    "2026-04-01t00:00:00z", "x026-04-01T00:00:00Z", "2026-04-01T00:00:00Z ",
    "0000-01-01T00:00:00Z", "2026-00-10T00:00:00Z", "2026-04-00T00:00:00Z",
  };
  GDate d;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      gint64 t = 42;

      g_assert_false (nt_time_parse_iso (bad[i], &t));
      g_assert_cmpint (t, ==, 42);
    }

  g_assert_true (nt_time_parse_date ("2024-04-01", &d));
  g_assert_cmpint (g_date_get_year (&d), ==, 2024);
  g_assert_cmpint (g_date_get_month (&d), ==, 4);
  g_assert_cmpint (g_date_get_day (&d), ==, 1);
  g_assert_true (nt_time_parse_date ("2028-02-29", &d));
  g_assert_false (nt_time_parse_date ("2027-02-29", &d));
  g_assert_false (nt_time_parse_date ("2024-04-01T00:00:00Z", &d));
  g_assert_false (nt_time_parse_date ("2024/04/01", &d));
}

static void
test_fiscal_year (void)
{
  gint64 start, end, t;

  /* TZ=UTC in the test environment: the Tokyo answers must not come from it. */
  nt_time_fiscal_year_bounds (2026, &start, &end);
  g_assert_true (nt_time_parse_iso ("2026-03-31T15:00:00Z", &t));
  g_assert_cmpint (start, ==, t);
  g_assert_true (nt_time_parse_iso ("2027-03-31T15:00:00Z", &t));
  g_assert_cmpint (end, ==, t);
  g_assert_cmpint ((end - start) / 3600, ==, 8760);

  g_assert_cmpint (nt_time_fiscal_year_of (start), ==, 2026);
  g_assert_cmpint (nt_time_fiscal_year_of (start - 1), ==, 2025);
  g_assert_cmpint (nt_time_fiscal_year_of (end - 1), ==, 2026);
  g_assert_cmpint (nt_time_fiscal_year_of (end), ==, 2027);

  /* 2028 is a leap year: FY2027 has 366 days. */
  nt_time_fiscal_year_bounds (2027, &start, &end);
  g_assert_cmpint ((end - start) / 3600, ==, 8784);
}

static void
test_terms (void)
{
  gint64 a0, a1, b0, b1, t;
  int fy = 0;
  g_autofree char *name = NULL;
  NtTerm term;

  nt_time_term_bounds (2026, NT_TERM_A, &a0, &a1);
  nt_time_term_bounds (2026, NT_TERM_B, &b0, &b1);
  g_assert_cmpint (a1, ==, b0);
  g_assert_true (nt_time_parse_iso ("2026-09-30T15:00:00Z", &t));
  g_assert_cmpint (a1, ==, t);

  g_assert_cmpint (nt_time_term_of (a0, &fy), ==, NT_TERM_A);
  g_assert_cmpint (fy, ==, 2026);
  g_assert_cmpint (nt_time_term_of (a1 - 1, &fy), ==, NT_TERM_A);
  g_assert_cmpint (nt_time_term_of (b0, &fy), ==, NT_TERM_B);
  g_assert_cmpint (nt_time_term_of (b1 - 1, &fy), ==, NT_TERM_B);
  g_assert_cmpint (fy, ==, 2026);
  g_assert_cmpint (nt_time_term_of (b1, &fy), ==, NT_TERM_A);
  g_assert_cmpint (fy, ==, 2027);

  name = nt_time_term_name (2026, NT_TERM_B);
  g_assert_cmpstr (name, ==, "2026B");
  g_assert_true (nt_time_parse_term ("2026A", &fy, &term));
  g_assert_cmpint (fy, ==, 2026);
  g_assert_cmpint (term, ==, NT_TERM_A);
  g_assert_false (nt_time_parse_term ("2026C", &fy, &term));
  g_assert_false (nt_time_parse_term ("26A", &fy, &term));
  g_assert_false (nt_time_parse_term ("2026AB", &fy, &term));
}

static void
test_shift_grid (void)
{
  NtTimeGrid shift = NT_TIME_GRID_SHIFT_DEFAULT;
  NtTimeGrid hour = NT_TIME_GRID_HOUR;
  NtTimeGrid parsed;
  g_autofree char *str = NULL;
  gint64 t, nine, seventeen, one;

  g_assert_true (nt_time_grid_is_valid (&shift));
  nine = nt_time_from_local (2026, 5, 12, 9, 0);
  seventeen = nt_time_from_local (2026, 5, 12, 17, 0);
  one = nt_time_from_local (2026, 5, 13, 1, 0);
  g_assert_true (nt_time_parse_iso ("2026-05-12T00:00:00Z", &t));
  g_assert_cmpint (nine, ==, t);

  g_assert_true (nt_time_grid_is_on_grid (&shift, nine));
  g_assert_true (nt_time_grid_is_on_grid (&shift, seventeen));
  g_assert_true (nt_time_grid_is_on_grid (&shift, one));
  g_assert_false (nt_time_grid_is_on_grid (&shift, nine + 3600));
  g_assert_false (nt_time_grid_is_on_grid (&shift, nine - 1));

  g_assert_cmpint (nt_time_grid_floor (&shift, nine + 3600), ==, nine);
  g_assert_cmpint (nt_time_grid_ceil (&shift, nine + 3600), ==, seventeen);
  g_assert_cmpint (nt_time_grid_ceil (&shift, nine), ==, nine);
  g_assert_cmpint (nt_time_grid_nearest (&shift, nine + 3 * 3600), ==, nine);
  g_assert_cmpint (nt_time_grid_nearest (&shift, nine + 5 * 3600), ==, seventeen);
  g_assert_cmpint (nt_time_grid_floor (&shift, one - 1), ==, seventeen);

  g_assert_cmpint (nt_time_grid_count (&shift, nine, one), ==, 2);
  g_assert_cmpint (nt_time_grid_count (&shift, nine, nine + 3600), ==, -1);
  g_assert_cmpint (nt_time_grid_count (&shift, one, nine), ==, -1);

  g_assert_true (nt_time_grid_is_on_grid (&hour, nine + 3600));
  g_assert_false (nt_time_grid_is_on_grid (&hour, nine + 1800));
  g_assert_cmpint (nt_time_grid_count (&hour, nine, seventeen), ==, 8);

  str = nt_time_grid_to_string (&shift);
  g_assert_cmpstr (str, ==, "09:00/8h");
  g_assert_true (nt_time_grid_parse ("08:30/12h", &parsed));
  g_assert_cmpint (parsed.anchor_minute, ==, 510);
  g_assert_cmpint (parsed.length_minutes, ==, 720);
  g_assert_true (nt_time_grid_parse ("00:00/30m", &parsed));
  g_assert_cmpint (parsed.length_minutes, ==, 30);
  g_assert_false (nt_time_grid_parse ("09:00/7h", &parsed));
  g_assert_false (nt_time_grid_parse ("25:00/8h", &parsed));
  g_assert_false (nt_time_grid_parse ("09:00/8", &parsed));
  g_assert_false (nt_time_grid_parse ("09:00/0h", &parsed));
  g_assert_false (nt_time_grid_parse ("9:00/8h", &parsed));
}

static void
test_local_display (void)
{
  g_autofree char *s = nt_time_format_local (0, "%Y-%m-%d %H:%M");
  g_autoptr(GDateTime) local = nt_time_to_local (0);

  g_assert_cmpstr (s, ==, "1970-01-01 09:00");
  g_assert_cmpint (g_date_time_get_utc_offset (local), ==, G_GINT64_CONSTANT (9) * G_TIME_SPAN_HOUR);
}

/* Day and month names follow the console's language (here a language
 * scope, as in the kiosk), not LC_TIME, which the tests leave at C. */
static void
test_local_names (void)
{
  /* 2026-11-30 00:30 UTC = Monday 30 November, 09:30 JST */
  gint64 t = 1795998600;
  g_autofree char *en = NULL;
  g_autofree char *ja = NULL;
  g_autofree char *full = NULL;
  g_autofree char *percent = NULL;

  g_assert_cmpint (t, ==, nt_time_from_local (2026, 11, 30, 9, 30));

  en = nt_time_format_local (t, "%a %d %b %H:%M");
  g_assert_cmpstr (en, ==, "Mon 30 Nov 09:30");
  full = nt_time_format_local (t, "%A %-d %B");
  g_assert_cmpstr (full, ==, "Monday 30 November");
  percent = nt_time_format_local (t, "100%% %a");
  g_assert_cmpstr (percent, ==, "100% Mon");

  {
    g_auto(NtLanguageScope) scope = NT_LANGUAGE_SCOPE_INIT;
    g_autofree char *ja_full = NULL;

    nt_language_scope_enter (&scope, "ja");
    ja = nt_time_format_local (t, "%-m月%-d日(%a) %H:%M");
    g_assert_cmpstr (ja, ==, "11月30日(月) 09:30");
    ja_full = nt_time_format_local (t, "%A %B");
    g_assert_cmpstr (ja_full, ==, "月曜日 11月");
  }
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("NT_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  g_test_init (&argc, &argv, NULL);
  /* Every test here runs at a named instant, never at the real date. */
  nt_test_clock_run_from (NT_TEST_USER_OPERATION, 1.0);

  g_test_add_func ("/time/local-names", test_local_names);

  g_test_add_func ("/time/iso/round-trip", test_iso_round_trip);
  g_test_add_func ("/time/iso/strict", test_iso_strict);
  g_test_add_func ("/time/fiscal-year", test_fiscal_year);
  g_test_add_func ("/time/terms", test_terms);
  g_test_add_func ("/time/grid", test_shift_grid);
  g_test_add_func ("/time/local", test_local_display);

  return g_test_run ();
}
