/* test-beam-page.c: the beam panel, chart and connection indicator
 * against the real reference services, under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <stdlib.h>

#include "client-test-util.h"
#include "nt-beam-page.h"
#include "nt-beam-panel.h"
#include "nt-connection-indicator.h"
#include "nt-context.h"
#include "nt-series.h"
#include "test-instants.h"

static gboolean
is_number (const char *text)
{
  char *end = NULL;

  if (text == NULL || text[0] == '\0')
    return FALSE;
  g_ascii_strtod (text, &end);
  return end != text && *end == '\0';
}

static void
test_live_then_lost (void)
{
  TestFacility *tf = test_facility_start ();
  g_autoptr(GSettings) settings = g_settings_new ("jp.nanoterasu.Console");
  g_autoptr(NtContext) context = nt_context_new (settings, tf->base_uri);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *page;
  GtkWidget *indicator;
  NtBeamPanel *panel;
  NtStripChart *chart;
  gint64 lost;

  g_assert_false (nt_context_is_simulated (context));

  page = nt_beam_page_new (context);
  indicator = nt_connection_indicator_new (context);
  {
    GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

    gtk_box_append (GTK_BOX (box), indicator);
    gtk_box_append (GTK_BOX (box), page);
    gtk_window_set_child (GTK_WINDOW (window), box);
  }
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 700);
  gtk_window_present (GTK_WINDOW (window));

  panel = NT_BEAM_PANEL (nt_beam_page_get_panel (NT_BEAM_PAGE (page)));
  chart = nt_beam_page_get_chart (NT_BEAM_PAGE (page));

  /* Before anything is connected, no number is shown. */
  g_assert_cmpstr (nt_beam_panel_get_current_text (panel), ==, "—");

  nt_context_start (context);
  g_assert_true (SPIN_UNTIL (nt_context_get_state (context) == NT_CONTEXT_READY, 10000));

  /* A live number with the precision of the signal, a mode in words. */
  g_assert_true (SPIN_UNTIL (is_number (nt_beam_panel_get_current_text (panel)), 10000));
  g_assert_cmpfloat (g_ascii_strtod (nt_beam_panel_get_current_text (panel), NULL), >=, 0.0);
  g_assert_cmpfloat (g_ascii_strtod (nt_beam_panel_get_current_text (panel), NULL), <, 420.0);
  g_assert_cmpstr (nt_beam_panel_get_mode_text (panel), !=, "—");

  {
    g_autofree char *expected = g_strdup_printf ("Connected to 127.0.0.1:%u", tf->port);

    g_assert_cmpstr (nt_connection_indicator_get_text (NT_CONNECTION_INDICATOR (indicator)), ==, expected);
  }

  /* History arrives in the chart's series, binned to the plot width. */
  g_assert_true (SPIN_UNTIL (nt_series_get_n_samples (nt_strip_chart_get_series (chart, 0)) > 100, 20000));

  /* The services go away: within 2 s the number is gone and the panel
   * and the indicator say why. */
  test_facility_stop (tf);
  lost = g_get_monotonic_time ();
  g_assert_true (SPIN_UNTIL (g_strcmp0 (nt_beam_panel_get_current_text (panel), "—") == 0, 2500));
  g_assert_cmpint (g_get_monotonic_time () - lost, <, 2 * G_USEC_PER_SEC + 500000);
  g_assert_cmpstr (nt_beam_panel_get_state_text (panel), ==,
                   "Disconnected: the last value is not shown because it may no longer be true");
  g_assert_true (SPIN_UNTIL (g_str_has_prefix (nt_connection_indicator_get_text (NT_CONNECTION_INDICATOR (indicator)),
                                               "Offline: showing data from "), 3000));

  /* They come back on the same port: live again, without the user. */
  test_facility_restart (tf);
  g_assert_true (SPIN_UNTIL (is_number (nt_beam_panel_get_current_text (panel)), 20000));
  g_assert_true (SPIN_UNTIL (g_str_has_prefix (nt_connection_indicator_get_text (NT_CONNECTION_INDICATOR (indicator)),
                                               "Connected to "), 5000));

  nt_context_shutdown (context);
  gtk_window_destroy (GTK_WINDOW (window));
  spin_for (100);
  /* Calls cancelled by the shutdown still hold the context until their
   * callbacks have run: on a loaded machine that takes a moment. */
  g_assert_true (SPIN_UNTIL (G_OBJECT (context)->ref_count == 1, 10000));
  g_assert_finalize_object (g_steal_pointer (&context));
  test_facility_free (tf);
}

static void
test_facility_unreachable (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("jp.nanoterasu.Console");
  /* Port 1 on loopback: nothing listens there. */
  g_autoptr(NtContext) context = nt_context_new (settings, "http://127.0.0.1:1/");
  GtkWidget *indicator = g_object_ref_sink (nt_connection_indicator_new (context));

  nt_context_start (context);
  g_assert_true (SPIN_UNTIL (nt_context_get_state (context) == NT_CONTEXT_FAILED, 10000));
  g_assert_nonnull (nt_context_get_error (context));
  g_assert_true (g_str_has_prefix (nt_context_get_error (context)->message,
                                   "The facility at http://127.0.0.1:1/ did not describe its signals"));
  g_assert_cmpstr (nt_connection_indicator_get_text (NT_CONNECTION_INDICATOR (indicator)), ==, "Not connected");

  g_object_unref (indicator);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  /* Every test here runs at a named instant, never at the real date. */
  nt_test_clock_run_from (NT_TEST_USER_OPERATION, 1.0);
  adw_init ();

  g_test_add_func ("/beam-page/live-then-lost", test_live_then_lost);
  g_test_add_func ("/beam-page/unreachable", test_facility_unreachable);

  return g_test_run ();
}
