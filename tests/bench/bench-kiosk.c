/* bench-kiosk.c: the lobby kiosk left running, under Xvfb
 *
 * Runs the kiosk against the reference services (their simulation faster
 * than real time, so beam dumps, top-ups and shutter changes come often)
 * with the pages turning every 2 s, stops and restarts the services
 * halfway, and prints the resident memory over time: a kiosk that runs
 * for weeks must level off, not grow.
 *
 *   xvfb-run -a dbus-run-session -- ./bench-kiosk [SECONDS] [TIME_SCALE]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <stdlib.h>
#include <unistd.h>

#include "../client-test-util.h"
#include "nt-auth.h"
#include "nt-context.h"
#include "nt-kiosk-window.h"
#include "../test-instants.h"

static double
rss_mib (void)
{
  g_autofree char *text = NULL;
  long pages = 0, resident = 0;

  if (!g_file_get_contents ("/proc/self/statm", &text, NULL, NULL) ||
      sscanf (text, "%ld %ld", &pages, &resident) != 2)
    return -1;

  return resident * (double) sysconf (_SC_PAGESIZE) / (1024.0 * 1024.0);
}

static void
open_facility (TestFacility *tf,
               guint         port,
               double        time_scale)
{
  g_autoptr(GError) error = NULL;
  NtFacilityOptions options = { 0 };

  options.db_path = tf->db_path;
  options.seed = 7;
  /* The services follow the default clock, which main() runs at
   * @time_scale; a restart goes on from where they stopped. */
  tf->facility = nt_facility_new (&options, &error);
  g_assert_no_error (error);
  nt_facility_listen (tf->facility, "127.0.0.1", port, &error);
  g_assert_no_error (error);
  g_free (tf->base_uri);
  tf->base_uri = nt_facility_dup_base_uri (tf->facility);
  tf->port = uri_port (tf->base_uri);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(NtContext) context = NULL;
  g_autofree char *token = NULL;
  TestFacility *tf = g_new0 (TestFacility, 1);
  double seconds = argc > 1 ? g_ascii_strtod (argv[1], NULL) : 120;
  double time_scale = argc > 2 ? g_ascii_strtod (argv[2], NULL) : 30;
  double rss_settled = 0, rss_end = 0, rss_max = 0;
  gint64 start, restart_at;
  gboolean restarted = FALSE;
  NtKioskWindow *kiosk;
  GtkCssProvider *css;

  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  gtk_init ();
  adw_init ();

  /* The console's stylesheet, as the application loads it. */
  css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (css, "/jp/nanoterasu/Console/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  tf->dir = g_dir_make_tmp ("nt-bench-kiosk-XXXXXX", &error);
  g_assert_no_error (error);
  tf->db_path = g_build_filename (tf->dir, "facility.db", NULL);
  nt_clock_set_scaled (nt_clock_get_default (), nt_test_instant (NT_TEST_USER_OPERATION), time_scale);
  open_facility (tf, 0, time_scale);
  token = nt_auth_token_create (nt_facility_get_db (tf->facility), NT_ROLE_VIEWER, "Lobby", &error);
  g_assert_no_error (error);

  settings = g_settings_new ("jp.nanoterasu.Console");
  g_settings_set_uint (settings, "kiosk-interval", 2);
  context = nt_context_new (settings, tf->base_uri);
  nt_context_set_token (context, token);
  kiosk = nt_kiosk_window_new (NULL, context);
  gtk_window_set_default_size (GTK_WINDOW (kiosk), 1920, 1080);
  gtk_window_present (GTK_WINDOW (kiosk));
  nt_context_start (context);

  g_print ("kiosk soak: %.0f s, services at %.0fx real time, pages every 2 s, services restarted halfway\n",
           seconds, time_scale);
  g_print ("%8s %6s %9s  %s\n", "time/s", "turns", "RSS/MiB", "status");

  start = g_get_monotonic_time ();
  restart_at = start + (gint64) (seconds / 2 * G_USEC_PER_SEC);
  while (g_get_monotonic_time () - start < seconds * G_USEC_PER_SEC)
    {
      double elapsed;
      double rss;

      spin_for (5000);
      elapsed = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
      rss = rss_mib ();
      rss_max = MAX (rss_max, rss);
      if (rss_settled == 0 && elapsed >= MIN (30, seconds / 4))
        rss_settled = rss;
      rss_end = rss;
      g_print ("%8.0f %6u %9.1f  %s\n", elapsed, nt_kiosk_window_get_n_turns (kiosk), rss,
               nt_kiosk_window_get_status_text (kiosk));

      if (!restarted && g_get_monotonic_time () >= restart_at)
        {
          guint port = tf->port;

          g_print ("         services stopped for 10 s\n");
          nt_facility_shutdown (tf->facility);
          g_clear_object (&tf->facility);
          spin_for (10000);
          open_facility (tf, port, time_scale);
          restarted = TRUE;
        }
    }

  g_print ("RSS after settling %.1f MiB, at the end %.1f MiB (%+.1f MiB), peak %.1f MiB\n",
           rss_settled, rss_end, rss_end - rss_settled, rss_max);

  nt_context_shutdown (context);
  nt_kiosk_window_exit (kiosk);
  spin_for (200);
  test_facility_free (tf);
  g_object_unref (css);

  return 0;
}
