/* test-clock.c: NtClock, the one source of "now"
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "nt-clock.h"
#include "nt-time.h"
#include "test-instants.h"

static void
changed_cb (NtClock *clock,
            guint   *count)
{
  (*count)++;
}

static void
test_fixed (void)
{
  g_autoptr(NtClock) clock = nt_clock_new_fixed (G_GINT64_CONSTANT (1784077200) * G_USEC_PER_SEC);
  guint changed = 0;

  g_signal_connect (clock, "changed", G_CALLBACK (changed_cb), &changed);
  g_assert_cmpint (nt_clock_get_mode (clock), ==, NT_CLOCK_FIXED);
  g_assert_cmpfloat (nt_clock_get_scale (clock), ==, 0.0);
  g_assert_cmpint (nt_clock_get_now (clock), ==, 1784077200);
  g_usleep (20000);
  g_assert_cmpint (nt_clock_get_now (clock), ==, 1784077200);   /* it stands still */

  nt_clock_advance (clock, 90 * G_USEC_PER_SEC);
  g_assert_cmpint (nt_clock_get_now (clock), ==, 1784077290);
  g_assert_cmpuint (changed, ==, 1);

  nt_clock_set_fixed (clock, -1500000);   /* 1.5 s before the epoch floors to -2 */
  g_assert_cmpint (nt_clock_get_now (clock), ==, -2);
  g_assert_cmpuint (changed, ==, 2);
  g_assert_true (nt_clock_differs_from_real (clock, 60 * G_USEC_PER_SEC));
}

static void
test_scaled (void)
{
  gint64 start = nt_test_instant (NT_TEST_USER_OPERATION);
  g_autoptr(NtClock) clock = nt_clock_new_scaled (start, 100.0);
  g_autoptr(NtClock) copy = NULL;
  gint64 t0 = g_get_monotonic_time (), a, b;

  g_assert_cmpint (nt_clock_get_mode (clock), ==, NT_CLOCK_SCALED);
  g_assert_cmpfloat (nt_clock_get_scale (clock), ==, 100.0);
  g_usleep (50000);
  a = nt_clock_get_now_us (clock) - start;
  b = (g_get_monotonic_time () - t0) * 100;
  /* 50 ms of real time are 5 s of the clock's, give or take the reading. */
  g_assert_cmpint (a, >=, 5 * G_USEC_PER_SEC);
  g_assert_cmpint (a, <=, b + 100000);

  /* A copy goes on from where the clock is, at its rate. */
  copy = nt_clock_copy (clock);
  g_assert_cmpint (nt_clock_get_mode (copy), ==, NT_CLOCK_SCALED);
  g_assert_cmpint (ABS (nt_clock_get_now_us (copy) - nt_clock_get_now_us (clock)), <, 200000);
  g_assert_true (nt_clock_differs_from_real (copy, G_MAXINT64 / 4));   /* another rate */
}

static void
test_offset_and_real (void)
{
  g_autoptr(NtClock) clock = nt_clock_new ();
  g_autoptr(NtClock) other = nt_clock_new_fixed (0);
  gint64 real = nt_clock_real_now ();

  g_assert_cmpint (nt_clock_get_mode (clock), ==, NT_CLOCK_REAL);
  g_assert_cmpint (ABS (nt_clock_get_now (clock) - real), <=, 1);
  g_assert_false (nt_clock_differs_from_real (clock, 60 * G_USEC_PER_SEC));

  nt_clock_set_offset (clock, G_GINT64_CONSTANT (-3600) * G_USEC_PER_SEC);
  g_assert_cmpint (ABS (nt_clock_get_now (clock) - (real - 3600)), <=, 1);
  g_assert_true (nt_clock_differs_from_real (clock, 60 * G_USEC_PER_SEC));
  g_assert_false (nt_clock_differs_from_real (clock, G_GINT64_CONSTANT (7200) * G_USEC_PER_SEC));

  /* Advancing the real clock makes it an offset one. */
  nt_clock_set_real (clock);
  nt_clock_advance (clock, 120 * G_USEC_PER_SEC);
  g_assert_cmpint (nt_clock_get_mode (clock), ==, NT_CLOCK_OFFSET);

  nt_clock_set_from (clock, other);
  g_assert_cmpint (nt_clock_get_mode (clock), ==, NT_CLOCK_FIXED);
  g_assert_cmpint (nt_clock_get_now_us (clock), ==, 0);
}

static void
test_parse (void)
{
  static const struct {
    const char *text;
    const char *utc;   /* NULL: refused */
  } cases[] = {
    { "2026-07-15T10:00+09:00", "2026-07-15T01:00:00Z" },
    { "2026-07-15T10:00:30+09:00", "2026-07-15T01:00:30Z" },
    { "2026-07-15T01:00:00Z", "2026-07-15T01:00:00Z" },
    { "2026-07-15T01:00Z", "2026-07-15T01:00:00Z" },
    { "2026-07-15 10:00", "2026-07-15T01:00:00Z" },        /* Japan time */
    { "2026-07-15T10:00", "2026-07-15T01:00:00Z" },
    { "2026-07-15", "2026-07-14T15:00:00Z" },              /* 00:00 in Sendai */
    { "  2028-02-29T12:00+09:00 ", "2028-02-29T03:00:00Z" },
    { "2027-02-29", NULL },
    { "2026-13-01T00:00Z", NULL },
    { "yesterday", NULL },
    { "", NULL },
    { "2026-07-15T25:00+09:00", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 us = 0;
      gboolean ok = nt_clock_parse_instant (cases[i].text, &us, &error);

      g_test_message ("%s", cases[i].text);
      if (cases[i].utc == NULL)
        {
          g_assert_false (ok);
          g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
          /* The words say how to write it. */
          g_assert_nonnull (strstr (error->message, "2026-07-15T10:00+09:00"));
        }
      else
        {
          g_autofree char *iso = NULL;

          g_assert_no_error (error);
          g_assert_true (ok);
          iso = nt_time_format_iso (us / G_USEC_PER_SEC);
          g_assert_cmpstr (iso, ==, cases[i].utc);
        }
    }
  g_assert_false (nt_clock_parse_instant (NULL, &(gint64){ 0 }, NULL));
}

static void
test_configure (void)
{
  g_autoptr(NtClock) clock = nt_clock_new ();
  g_autoptr(GError) error = NULL;

  /* Neither option: the clock is left alone. */
  g_assert_true (nt_clock_configure (clock, NULL, 1.0, &error));
  g_assert_cmpint (nt_clock_get_mode (clock), ==, NT_CLOCK_REAL);

  /* --now alone runs from that instant at the real rate. */
  g_assert_true (nt_clock_configure (clock, NT_TEST_USER_OPERATION, 1.0, &error));
  g_assert_no_error (error);
  g_assert_cmpint (nt_clock_get_mode (clock), ==, NT_CLOCK_OFFSET);
  g_assert_cmpint (ABS (nt_clock_get_now_us (clock) - nt_test_instant (NT_TEST_USER_OPERATION)), <, G_USEC_PER_SEC);
  g_assert_cmpfloat (nt_clock_get_scale (clock), ==, 1.0);

  /* With --time-scale it is scaled. */
  g_assert_true (nt_clock_configure (clock, NT_TEST_SHUTDOWN, 60.0, &error));
  g_assert_cmpint (nt_clock_get_mode (clock), ==, NT_CLOCK_SCALED);
  g_assert_cmpfloat (nt_clock_get_scale (clock), ==, 60.0);

  g_assert_false (nt_clock_configure (clock, NULL, 0.0, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (nt_clock_configure (clock, NULL, -2.0, &error));
  g_clear_error (&error);
  g_assert_false (nt_clock_configure (clock, "soon", 1.0, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  /* A refused setting leaves the clock as it was. */
  g_assert_cmpfloat (nt_clock_get_scale (clock), ==, 60.0);
}

/* Read from many threads while another sets it: no torn value. */
static gpointer
reader_thread (gpointer data)
{
  NtClock *clock = data;
  gint64 lo = nt_test_instant (NT_TEST_USER_OPERATION), hi = nt_test_instant (NT_TEST_FY2030);

  for (guint i = 0; i < 200000; i++)
    {
      gint64 t = nt_clock_get_now_us (clock);

      if (t != lo && t != hi)
        return GINT_TO_POINTER (1);
    }
  return NULL;
}

static void
test_threads (void)
{
  g_autoptr(NtClock) clock = nt_clock_new_fixed (nt_test_instant (NT_TEST_USER_OPERATION));
  GThread *threads[3];
  gboolean torn = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("reader", reader_thread, clock);
  for (guint i = 0; i < 2000; i++)
    nt_clock_set_fixed (clock, nt_test_instant (i % 2 ? NT_TEST_USER_OPERATION : NT_TEST_FY2030));
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    torn |= g_thread_join (threads[i]) != NULL;
  g_assert_false (torn);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  nt_test_clock_run_from (NT_TEST_USER_OPERATION, 1.0);

  g_test_add_func ("/clock/fixed", test_fixed);
  g_test_add_func ("/clock/scaled", test_scaled);
  g_test_add_func ("/clock/offset-and-real", test_offset_and_real);
  g_test_add_func ("/clock/parse", test_parse);
  g_test_add_func ("/clock/configure", test_configure);
  g_test_add_func ("/clock/threads", test_threads);

  /* The default clock is what this process was told. */
  g_assert_true (nt_clock_get_default () == nt_clock_get_default ());

  return g_test_run ();
}
