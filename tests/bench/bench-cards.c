/* bench-cards.c: CPU cost of the beamline cards with every card updating
 *
 * The real path, end to end: the reference services run in a thread of
 * their own (own GMainContext) on 127.0.0.1, and a driver there changes
 * every beamline signal (front-end shutters, station shutters, states and
 * photon energies: 46 PVs) 10 times a second on top of the simulator; the
 * console side, on the main thread, is an NtContext connected over the PV
 * Web Socket protocol and the Beamlines page with all 10 cards (12
 * stations) in a window on the display (run with `xvfb-run -a`), drawn by
 * GTK as usual.
 *
 * It prints the main thread's CPU time over the measured wall time as a
 * percentage of one core (the console's whole cost: socket reads, JSON
 * parsing, the batched updates, the cards' refresh, layout and drawing),
 * once idle (the simulator alone) and once with the 10 Hz driver, with
 * how many card refreshes and frames that took.  Frames painted are
 * counted apart from frame clock cycles: a change of a CSS class starts a
 * cycle that runs only the update phase (no layout, no paint) after the
 * frame that painted it, so cycles are about twice the frames there.
 *
 *   bench-cards [--seconds N]
 *
 * With BENCH_TRACE=1 it also prints each frame clock cycle (update, layout,
 * paint phases and the after-paint that ends it) against the 100 ms grid
 * of the card refreshes; BENCH_NO_WINDOW=1 leaves the window unshown.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <math.h>
#include <sys/resource.h>
#include <time.h>

#include "nt-beamline-card.h"
#include "nt-beamlines-page.h"
#include "nt-context.h"
#include "nt-facility.h"
#include "nt-gui-resources.h"
#include "nt-clock.h"

#define DRIVE_HZ 10

typedef struct
{
  char          *db_path;
  GMainContext  *context;
  GMainLoop     *loop;
  NtFacility    *facility;
  char          *base_uri;
  GArray        *pvs;        /* guint: indexes of the driven PVs */
  gboolean       drive;      /* read on the services' thread */
  gboolean       energies_only;
  guint          tick;
  GMutex         lock;
  GCond          cond;
  gboolean       ready;
} Services;

static gboolean
drive_cb (gpointer user_data)
{
  Services *s = user_data;
  NtPvTable *table = nt_ring_sim_get_pvs (nt_facility_get_ring_sim (s->facility));
  gint64 now = nt_clock_now_us ();

  if (!g_atomic_int_get (&s->drive))
    return G_SOURCE_CONTINUE;

  s->tick++;
  for (guint i = 0; i < s->pvs->len; i++)
    {
      guint pv = g_array_index (s->pvs, guint, i);
      const NtPvInfo *info = nt_pv_table_get_info (table, pv);
      double value;

      if (info->type == NT_PV_TYPE_ENUM && s->energies_only)
        continue;
      if (info->type == NT_PV_TYPE_ENUM)
        value = (s->tick + i) % MAX (nt_pv_table_get_n_labels (table, pv), 1u);
      else
        value = 1000.0 + (s->tick % 100) * 10.0 + i;
      nt_pv_table_set_number (table, pv, value, NT_SEVERITY_NONE, now);
    }

  return G_SOURCE_CONTINUE;
}

static gpointer
services_thread (gpointer user_data)
{
  Services *s = user_data;
  g_autoptr(GError) error = NULL;
  NtFacilityOptions options = { .db_path = s->db_path, .seed = 5, .mtbf_hours = -1 };
  NtRingSim *sim;
  NtPvTable *table;
  g_autoptr(GSource) driver = NULL;
  GHashTableIter iter;
  gpointer key, value;

  g_main_context_push_thread_default (s->context);

  s->facility = nt_facility_new (&options, &error);
  if (s->facility == NULL || !nt_facility_listen (s->facility, "127.0.0.1", 0, &error))
    g_error ("The services did not start: %s", error->message);
  s->base_uri = nt_facility_dup_base_uri (s->facility);

  sim = nt_facility_get_ring_sim (s->facility);
  table = nt_ring_sim_get_pvs (sim);
  s->pvs = g_array_new (FALSE, FALSE, sizeof (guint));
  g_hash_table_iter_init (&iter, nt_ring_sim_get_signals (sim));
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint index;

      if (g_str_has_prefix (key, "bl.") && nt_pv_table_lookup (table, value, &index))
        g_array_append_val (s->pvs, index);
    }

  driver = g_timeout_source_new (1000 / DRIVE_HZ);
  g_source_set_callback (driver, drive_cb, s, NULL);
  g_source_attach (driver, s->context);

  g_mutex_lock (&s->lock);
  s->ready = TRUE;
  g_cond_signal (&s->cond);
  g_mutex_unlock (&s->lock);

  g_main_loop_run (s->loop);

  g_source_destroy (driver);
  nt_facility_shutdown (s->facility);
  g_clear_object (&s->facility);
  g_main_context_pop_thread_default (s->context);

  return NULL;
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static double
thread_cpu_s (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double
process_cpu_s (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static gboolean
wake_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static void
spin (double seconds)
{
  gint64 end = g_get_monotonic_time () + (gint64)(seconds * G_USEC_PER_SEC);
  guint tick = g_timeout_add (50, wake_cb, NULL);

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
}

static guint
sum_refreshes (NtBeamlinesPage *page,
               NtCatalogue     *catalogue)
{
  GListModel *beamlines = nt_catalogue_get_beamlines (catalogue);
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (beamlines); i++)
    {
      g_autoptr(NtBeamline) bl = g_list_model_get_item (beamlines, i);

      n += nt_beamline_card_get_n_refreshes (nt_beamlines_page_get_card (page, nt_beamline_get_id (bl)));
    }
  return n;
}

static guint64 n_frames;   /* frame clock cycles (after-paint) */
static guint64 n_paints;   /* of which painted */
static gboolean trace;
static NtBeamlinesPage *trace_page;
static NtCatalogue *trace_catalogue;

static void
after_paint_cb (GdkFrameClock *clock)
{
  n_frames++;
  if (trace)
    g_print ("frame  %12.3f ms  grid+%6.2f ms  refreshes %u\n",
             g_get_monotonic_time () / 1000.0, (g_get_monotonic_time () % 100000) / 1000.0,
             sum_refreshes (trace_page, trace_catalogue));
}

/* BENCH_TRACE=1: one line per frame clock phase, to tell frames that
 * paint from cycles that only run the update phase. */
static void
paint_cb (GdkFrameClock *clock)
{
  n_paints++;
}

static void
phase_cb (GdkFrameClock *clock,
          gpointer       what)
{
  if (trace)
    g_print ("  %-6s %12.3f ms  grid+%6.2f ms\n", (const char *) what, g_get_monotonic_time () / 1000.0,
             (g_get_monotonic_time () % 100000) / 1000.0);
}

static void
measure (const char      *what,
         double           seconds,
         NtBeamlinesPage *page,
         NtCatalogue     *catalogue)
{
  double cpu0 = thread_cpu_s ();
  double proc0 = process_cpu_s ();
  gint64 wall0 = g_get_monotonic_time ();
  guint refresh0 = sum_refreshes (page, catalogue);
  guint64 frames0 = n_frames;
  guint64 paints0 = n_paints;
  double cpu, proc, wall;

  spin (seconds);

  cpu = thread_cpu_s () - cpu0;
  proc = process_cpu_s () - proc0;
  wall = (g_get_monotonic_time () - wall0) / 1e6;

  g_print ("%-34s main thread %5.2f %% of one core   (process incl. services %5.2f %%)   "
           "%5.1f card refreshes/s   %5.1f frames painted/s (%5.1f frame clock cycles/s)\n",
           what, 100.0 * cpu / wall, 100.0 * proc / wall,
           (sum_refreshes (page, catalogue) - refresh0) / wall, (n_paints - paints0) / wall,
           (n_frames - frames0) / wall);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *schema_dir = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(NtContext) context = NULL;
  g_autoptr(GtkCssProvider) provider = NULL;
  Services s = { 0 };
  GThread *thread;
  GtkWidget *window;
  NtBeamlinesPage *page;
  double seconds = 10.0;
  GOptionEntry entries[] = {
    { "seconds", 0, 0, G_OPTION_ARG_DOUBLE, &seconds, "Seconds to measure each case", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) options = g_option_context_new ("- CPU of the beamline cards at 10 Hz");

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  /* Run from the build tree: the compiled schema is in <build>/data. */
  if (g_getenv ("GSETTINGS_SCHEMA_DIR") == NULL)
    {
      g_autofree char *bindir = g_path_get_dirname (argv[0]);

      schema_dir = g_build_filename (bindir, "..", "..", "data", NULL);
      g_setenv ("GSETTINGS_SCHEMA_DIR", schema_dir, TRUE);
    }
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  g_setenv ("GTK_A11Y", "none", FALSE);

  gtk_init ();
  adw_init ();

  provider = gtk_css_provider_new ();
  g_assert (nt_gui_get_resource () != NULL);
  gtk_css_provider_load_from_resource (provider, "/jp/nanoterasu/Console/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  dir = g_dir_make_tmp ("nt-bench-cards-XXXXXX", &error);
  g_assert_no_error (error);
  s.db_path = g_build_filename (dir, "facility.db", NULL);
  s.context = g_main_context_new ();
  s.loop = g_main_loop_new (s.context, FALSE);
  g_mutex_init (&s.lock);
  g_cond_init (&s.cond);
  thread = g_thread_new ("services", services_thread, &s);
  g_mutex_lock (&s.lock);
  while (!s.ready)
    g_cond_wait (&s.cond, &s.lock);
  g_mutex_unlock (&s.lock);

  settings = g_settings_new ("jp.nanoterasu.Console");
  context = nt_context_new (settings, s.base_uri);
  window = gtk_window_new ();
  page = nt_beamlines_page_new (context);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_set_default_size (GTK_WINDOW (window), 1600, 1000);
  if (g_getenv ("BENCH_NO_WINDOW") == NULL)
    gtk_window_present (GTK_WINDOW (window));
  nt_context_start (context);

  while (nt_context_get_state (context) != NT_CONTEXT_READY)
    {
      g_main_context_iteration (NULL, TRUE);
      if (nt_context_get_state (context) == NT_CONTEXT_FAILED)
        g_error ("%s", nt_context_get_error (context)->message);
    }
  trace = g_getenv ("BENCH_TRACE") != NULL;
  trace_page = page;
  trace_catalogue = nt_context_get_catalogue (context);
  if (gtk_widget_get_frame_clock (window) != NULL)
    {
      GdkFrameClock *clock = gtk_widget_get_frame_clock (window);

      g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), NULL);
      g_signal_connect (clock, "paint", G_CALLBACK (paint_cb), NULL);
      if (trace)
        {
          g_signal_connect (clock, "update", G_CALLBACK (phase_cb), (gpointer) "update");
          g_signal_connect (clock, "layout", G_CALLBACK (phase_cb), (gpointer) "layout");
          g_signal_connect (clock, "paint", G_CALLBACK (phase_cb), (gpointer) "paint");
        }
    }

  g_print ("%u beamline signals driven at %d Hz; %u cards; %.0f s per case\n",
           s.pvs->len, DRIVE_HZ, g_list_model_get_n_items (nt_catalogue_get_beamlines (nt_context_get_catalogue (context))),
           seconds);

  /* Let the first values and the first layout settle. */
  spin (3.0);
  measure ("idle (simulator only):", seconds, page, nt_context_get_catalogue (context));

  s.energies_only = TRUE;
  g_atomic_int_set (&s.drive, TRUE);
  spin (1.0);
  measure ("photon energies at 10 Hz:", seconds, page, nt_context_get_catalogue (context));
  g_atomic_int_set (&s.drive, FALSE);
  spin (1.0);

  s.energies_only = FALSE;
  g_atomic_int_set (&s.drive, TRUE);
  spin (1.0);
  measure ("every signal at 10 Hz:", seconds, page, nt_context_get_catalogue (context));
  g_atomic_int_set (&s.drive, FALSE);

  nt_context_shutdown (context);
  gtk_window_destroy (GTK_WINDOW (window));
  spin (0.3);

  {
    GSource *quit = g_idle_source_new ();

    g_source_set_callback (quit, quit_cb, s.loop, NULL);
    g_source_attach (quit, s.context);
    g_source_unref (quit);
  }
  g_thread_join (thread);

  g_array_unref (s.pvs);
  g_main_loop_unref (s.loop);
  g_main_context_unref (s.context);
  g_free (s.base_uri);
  {
    const char *names[] = { "facility.db", "facility.db-wal", "facility.db-shm" };

    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        g_autofree char *path = g_build_filename (dir, names[i], NULL);

        g_unlink (path);
      }
    g_rmdir (dir);
  }
  g_free (s.db_path);

  return 0;
}
