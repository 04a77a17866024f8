/* test-window.c: the real main window under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "nt-application.h"
#include "nt-beamlines-page.h"
#include "nt-context.h"
#include "nt-statistics-page.h"
#include "nt-window.h"
#include "ui-test-util.h"
#include "test-instants.h"

static void
iterate (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

/* Whether the process has mapped a shared library whose path holds @name. */
static gboolean
library_loaded (const char *name)
{
  g_autofree char *maps = NULL;

  g_assert_true (g_file_get_contents ("/proc/self/maps", &maps, NULL, NULL));
  return strstr (maps, name) != NULL;
}

static void
test_window_areas_and_state (void)
{
  g_autoptr(NtApplication) app = nt_application_new ();
  g_autoptr(GSettings) settings = g_settings_new ("jp.nanoterasu.Console");
  g_autoptr(NtContext) context = NULL;
  g_autofree char *last_area = NULL;
  g_autoptr(GError) error = NULL;
  NtBeamlinesPage *page;
  NtWindow *window;
  int width, height;

  g_settings_set_int (settings, "window-width", 900);
  g_settings_set_int (settings, "window-height", 640);
  /* The Overview is the home of a console that never ran before. */
  {
    g_autofree char *first = g_settings_get_string (settings, "last-area");

    g_assert_cmpstr (first, ==, "overview");
  }
  g_settings_set_string (settings, "last-area", "no-such-area");

  ui_test_register_app (G_APPLICATION (app));

  context = nt_context_new (settings, NULL);
  g_assert_true (nt_context_is_simulated (context));
  g_assert_nonnull (nt_context_get_catalogue (context));

  window = nt_window_new (app, context);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *)&window);
  gtk_window_present (GTK_WINDOW (window));
  iterate (300);

  /* Size restored; an unknown last area falls back to the Overview. */
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 900);
  g_assert_cmpint (height, ==, 640);
  g_assert_cmpstr (nt_window_get_area (window), ==, "overview");

  /* The Overview as it starts shows no SVG: the sidebar's icons are PNGs
   * and the other areas' status pages get theirs when first shown, so
   * librsvg (about 7 MiB resident) is not loaded for pictures nobody sees
   * (a spinner, when one is shown, is an SVG at its size). */
  g_assert_false (library_loaded ("librsvg"));
  /* Nor does the Statistics area, not shown, ask the services for its
   * figures (a fiscal year computed at every start for nobody). */
  g_assert_cmpuint (nt_statistics_page_get_n_reads (NT_STATISTICS_PAGE (
    ui_test_find_widget (GTK_WIDGET (window), NT_TYPE_STATISTICS_PAGE))), ==, 0);

  /* Area switching through the action the sidebar and Alt+N use. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-area", "s", "beamlines");
  g_assert_cmpstr (nt_window_get_area (window), ==, "beamlines");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-area", "s", "beam");
  g_assert_cmpstr (nt_window_get_area (window), ==, "beam");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-area", "s", "beamlines");
  /* An area that does not exist is ignored, not shown blank. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-area", "s", "nowhere");
  g_assert_cmpstr (nt_window_get_area (window), ==, "beamlines");

  page = NT_BEAMLINES_PAGE (ui_test_find_widget (GTK_WIDGET (window), NT_TYPE_BEAMLINES_PAGE));
  g_assert_nonnull (page);
  iterate (100);
  g_assert_cmpuint (nt_beamlines_page_count_visible (page), ==, 10);
  nt_beamlines_page_set_filter (page, NT_BEAMLINE_FILTER_PUBLIC);
  iterate (50);
  g_assert_cmpuint (nt_beamlines_page_count_visible (page), ==, 3);
  nt_beamlines_page_set_filter (page, NT_BEAMLINE_FILTER_COALITION);
  iterate (50);
  g_assert_cmpuint (nt_beamlines_page_count_visible (page), ==, 7);
  nt_beamlines_page_set_filter (page, NT_BEAMLINE_FILTER_ALL);
  iterate (50);
  g_assert_cmpuint (nt_beamlines_page_count_visible (page), ==, 10);

  /* Narrow: the leaflet folds and the sidebar gives way to the content. */
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 600);
  iterate (500);
  {
    AdwLeaflet *leaflet = ADW_LEAFLET (ui_test_find_widget (GTK_WIDGET (window), ADW_TYPE_LEAFLET));

    g_assert_true (adw_leaflet_get_folded (leaflet));
    gtk_widget_activate_action (GTK_WIDGET (window), "win.show-sidebar", NULL);
    iterate (400);
    g_assert_cmpstr (gtk_widget_get_name (adw_leaflet_get_visible_child (leaflet)), ==, "GtkBox");
    gtk_widget_activate_action (GTK_WIDGET (window), "win.show-area", "s", "beamlines");
    iterate (400);
    g_assert_true (gtk_widget_is_ancestor (GTK_WIDGET (page), adw_leaflet_get_visible_child (leaflet)));
  }

  /* Closing saves the state. */
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  iterate (100);
  gtk_window_close (GTK_WINDOW (window));
  iterate (100);
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 1000);
  last_area = g_settings_get_string (settings, "last-area");
  g_assert_cmpstr (last_area, ==, "beamlines");
  g_assert_null (window);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  /* Every test here runs at a named instant, never at the real date. */
  nt_test_clock_run_from (NT_TEST_USER_OPERATION, 1.0);
  adw_init ();

  g_test_add_func ("/window/areas-and-state", test_window_areas_and_state);

  return g_test_run ();
}
