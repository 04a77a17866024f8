/* bench-startup.c: the console's main window from process start
 *
 * Runs the real console (NtApplication, the way nanoterasu-console does,
 * with the embedded reference services over a demo database in
 * XDG_DATA_HOME) in a child process per run and measures, against the
 * targets of DESIGN §8:
 *
 *  - the time from process start to the first live stored current drawn:
 *    the Overview's beam panel label (found in the widget tree by its CSS
 *    class, "beam-current") showing a number, and the frame clock's
 *    after-paint that follows (target: under 1 s);
 *  - the resident memory (VmRSS, and the peak VmHWM, from
 *    /proc/self/status) at that moment (target of issue 16: at most
 *    70 MiB), after the Beam area shows the week range with the chart
 *    holding 7 days of 1 Hz history, and after the Beamlines area
 *    (target: under 150 MB resident).
 *
 * The first start of a fresh data directory generates the demo history;
 * a warm-up run does that first and is reported apart.  Each run is a new
 * process (the parent passes the monotonic time just before it spawns the
 * child, so exec, linking and GTK's start are counted); the parent prints
 * the figures of every run and their medians.
 *
 *   xvfb-run -a -s "-screen 0 1280x1024x24" dbus-run-session -- \
 *     ./_build/tests/bench/bench-startup [--runs N] [--data-dir DIR]
 *
 * With --filling N, one more start over a new data directory stays N
 * seconds and prints its resident memory then: the console while the
 * embedded services fill their year of demo archive (in a thread of its
 * process; about 30 s of one core).
 *
 * To profile one start up to the first value (heaptrack, massif), run the
 * child alone: `bench-startup --child=0 --first-value-only` with
 * XDG_DATA_HOME set to a --data-dir that has been started once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <malloc.h>
#include <math.h>
#include <stdlib.h>

#include "nt-application.h"
#include "nt-beam-page.h"
#include "nt-context.h"
#include "nt-overview-page.h"
#include "nt-series.h"
#include "nt-strip-chart.h"
#include "nt-window.h"
#include "nt-clock.h"

#define WEEK_S (7 * 86400)
/* The chart holds "7 days" when its history reaches this far back. */
#define WEEK_SLACK_S 3600
#define STEP_TIMEOUT_S 120
#define BEAMLINES_SETTLE_MS 3000

/* ------------------------------------------------------------------ */
/* The child: one start of the console                                 */

typedef enum {
  STEP_FIRST_VALUE,
  STEP_WEEK,
  STEP_BEAMLINES,
  STEP_DONE,
} Step;

typedef struct
{
  GApplication  *app;
  GtkWidget     *window;
  GtkLabel      *current;
  NtStripChart  *week_chart;
  GdkFrameClock *clock;
  Step           step;
  gboolean       painted;        /* a paint phase since the step's event */
  gint64         t0;             /* monotonic µs at spawn (from the parent) */
  gint64         t_value;        /* the label first showed a number */
  gint64         t_week_loaded;  /* the chart first held a week */
  gboolean       failed;
  gboolean       ready_seen;
  guint          poll_id;
  guint          timeout_id;
} Run;

static double
ms_since (Run    *run,
          gint64  t)
{
  return (t - run->t0) / 1000.0;
}

static void
result (const char *key,
        double      value)
{
  g_print ("RESULT %s %.3f\n", key, value);
}

/* kB from a "Key:   N kB" line of /proc/self/status, or -1 */
static double
status_kb (const char *text,
           const char *key)
{
  const char *line = strstr (text, key);

  if (line == NULL)
    return -1;
  return g_ascii_strtod (line + strlen (key) + 1, NULL);
}

static gboolean first_value_only;
static int hold_s;   /* the child stays this long from its start, then reports */

static void
report_memory (const char *when)
{
  static const char *keys[] = { "VmRSS:", "VmHWM:", "RssAnon:", "RssFile:", "RssShmem:" };
  g_autofree char *text = NULL;
  struct mallinfo2 mi = mallinfo2 ();

  if (!g_file_get_contents ("/proc/self/status", &text, NULL, NULL))
    return;

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autofree char *key = g_strdup_printf ("%s.%.*s_MiB", when, (int) strlen (keys[i]) - 1, keys[i]);

      result (key, status_kb (text, keys[i]) / 1024.0);
    }
  {
    g_autofree char *used = g_strdup_printf ("%s.malloc_in_use_MiB", when);
    g_autofree char *free_ = g_strdup_printf ("%s.malloc_free_MiB", when);

    result (used, (mi.uordblks + mi.hblkhd) / (1024.0 * 1024.0));
    result (free_, mi.fordblks / (1024.0 * 1024.0));
  }
}

static GtkWidget *
find_widget (GtkWidget                  *root,
             gboolean (*match) (GtkWidget *widget, gconstpointer data),
             gconstpointer               data)
{
  if (match (root, data))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, match, data);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
is_type (GtkWidget     *widget,
         gconstpointer  data)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (data));
}

static gboolean
is_current_label (GtkWidget     *widget,
                  gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "beam-current");
}

static gboolean
shows_number (GtkLabel *label)
{
  const char *text = gtk_label_get_label (label);
  char *end = NULL;

  if (text == NULL || !g_ascii_isdigit (text[0]))
    return FALSE;
  g_ascii_strtod (text, &end);
  return end != text;
}

static void
fail (Run        *run,
      const char *why)
{
  g_printerr ("bench-startup: %s\n", why);
  run->failed = TRUE;
  g_application_quit (run->app);
}

static gboolean
step_timeout_cb (gpointer user_data)
{
  Run *run = user_data;

  run->timeout_id = 0;
  fail (run, run->step == STEP_FIRST_VALUE ? "no live stored current was drawn in time"
                                           : "the Beam area did not load a week of history in time");
  return G_SOURCE_REMOVE;
}

static void
restart_step_timeout (Run *run)
{
  g_clear_handle_id (&run->timeout_id, g_source_remove);
  run->timeout_id = g_timeout_add_seconds (STEP_TIMEOUT_S, step_timeout_cb, run);
}

static gboolean
chart_holds_week (NtStripChart *chart,
                  gsize        *n_samples)
{
  NtSeries *series;
  gsize n;
  gint64 now = nt_clock_now_us ();

  if (nt_strip_chart_get_n_series (chart) == 0)
    return FALSE;
  series = nt_strip_chart_get_series (chart, 0);
  n = nt_series_get_n_samples (series);
  *n_samples = n;
  if (n == 0)
    return FALSE;
  return nt_series_get_time (series, 0) <= now - (gint64) (WEEK_S - WEEK_SLACK_S) * G_USEC_PER_SEC;
}

static gboolean
week_poll_cb (gpointer user_data)
{
  Run *run = user_data;
  gsize n = 0;

  if (!chart_holds_week (run->week_chart, &n))
    return G_SOURCE_CONTINUE;

  /* Measured at the next frame: the chart drawn with the week. */
  run->t_week_loaded = g_get_monotonic_time ();
  result ("week_samples", n);
  gtk_widget_queue_draw (GTK_WIDGET (run->week_chart));
  run->poll_id = 0;
  return G_SOURCE_REMOVE;
}

static gboolean
held_cb (gpointer user_data)
{
  Run *run = user_data;

  run->poll_id = 0;
  report_memory ("held");
  run->step = STEP_DONE;
  g_clear_handle_id (&run->timeout_id, g_source_remove);
  g_application_quit (run->app);
  return G_SOURCE_REMOVE;
}

static gboolean
beamlines_settled_cb (gpointer user_data)
{
  Run *run = user_data;

  run->poll_id = 0;
  report_memory ("beamlines");
  if (hold_s > 0)
    {
      gint64 left_ms = (run->t0 + (gint64) hold_s * G_USEC_PER_SEC - g_get_monotonic_time ()) / 1000;

      g_clear_handle_id (&run->timeout_id, g_source_remove);
      run->poll_id = g_timeout_add ((guint) MAX (left_ms, 0), held_cb, run);
      return G_SOURCE_REMOVE;
    }
  run->step = STEP_DONE;
  g_clear_handle_id (&run->timeout_id, g_source_remove);
  g_application_quit (run->app);
  return G_SOURCE_REMOVE;
}

/* Frame clock cycles that run only the update phase also end in
 * after-paint: a value counts as drawn after a cycle that painted. */
static void
paint_cb (GdkFrameClock *clock,
          Run           *run)
{
  if ((run->step == STEP_FIRST_VALUE && run->t_value != 0) ||
      (run->step == STEP_WEEK && run->t_week_loaded != 0))
    run->painted = TRUE;
}

static void
after_paint_cb (GdkFrameClock *clock,
                Run           *run)
{
  gint64 now = g_get_monotonic_time ();
  GtkWidget *beam_page;

  if (!run->painted)
    return;
  run->painted = FALSE;

  switch (run->step)
    {
    case STEP_FIRST_VALUE:
      result ("first_value_set_ms", ms_since (run, run->t_value));
      result ("first_value_drawn_ms", ms_since (run, now));
      report_memory ("first_value");
      if (first_value_only)
        {
          run->step = STEP_DONE;
          g_clear_handle_id (&run->timeout_id, g_source_remove);
          g_application_quit (run->app);
          return;
        }

      /* The Beam area, with the week range (set in the settings before
       * the start, as a user who left it there would have it). */
      run->step = STEP_WEEK;
      beam_page = find_widget (run->window, is_type, GSIZE_TO_POINTER (NT_TYPE_BEAM_PAGE));
      if (beam_page == NULL)
        {
          fail (run, "the window has no Beam page");
          return;
        }
      run->week_chart = nt_beam_page_get_chart (NT_BEAM_PAGE (beam_page));
      result ("beam_area_shown_ms", ms_since (run, g_get_monotonic_time ()));
      gtk_widget_activate_action (run->window, "win.show-area", "s", "beam");
      restart_step_timeout (run);
      run->poll_id = g_timeout_add (20, week_poll_cb, run);
      break;

    case STEP_WEEK:
      result ("week_loaded_ms", ms_since (run, run->t_week_loaded));
      result ("week_drawn_ms", ms_since (run, now));
      report_memory ("beam_week");

      run->step = STEP_BEAMLINES;
      gtk_widget_activate_action (run->window, "win.show-area", "s", "beamlines");
      run->poll_id = g_timeout_add (BEAMLINES_SETTLE_MS, beamlines_settled_cb, run);
      break;

    case STEP_BEAMLINES:
    case STEP_DONE:
    default:
      break;
    }
}

static void
current_label_cb (GtkLabel   *label,
                  GParamSpec *pspec,
                  Run        *run)
{
  if (run->t_value == 0 && shows_number (label))
    {
      run->t_value = g_get_monotonic_time ();
      /* Make sure a frame follows even if nothing else asked for one. */
      gtk_widget_queue_draw (GTK_WIDGET (label));
    }
}

static void
window_realize_cb (GtkWidget *window,
                   Run       *run)
{
  result ("window_realized_ms", ms_since (run, g_get_monotonic_time ()));
  {
    GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (window));

    g_print ("RENDERER %s\n", renderer ? G_OBJECT_TYPE_NAME (renderer) : "none");
  }
  run->clock = gtk_widget_get_frame_clock (window);
  g_signal_connect (run->clock, "paint", G_CALLBACK (paint_cb), run);
  g_signal_connect (run->clock, "after-paint", G_CALLBACK (after_paint_cb), run);
}

static void
context_state_cb (NtContext  *context,
                  GParamSpec *pspec,
                  Run        *run)
{
  if (nt_context_get_state (context) == NT_CONTEXT_READY && !run->ready_seen)
    {
      run->ready_seen = TRUE;
      result ("context_ready_ms", ms_since (run, g_get_monotonic_time ()));
    }
}

static void
window_added_cb (GtkApplication *app,
                 GtkWindow      *window,
                 Run            *run)
{
  GtkWidget *overview;
  GtkWidget *panel;
  GtkWidget *label;

  if (run->window != NULL || !NT_IS_WINDOW (window))
    return;

  run->window = GTK_WIDGET (window);
  result ("window_created_ms", ms_since (run, g_get_monotonic_time ()));

  overview = find_widget (run->window, is_type, GSIZE_TO_POINTER (NT_TYPE_OVERVIEW_PAGE));
  if (overview == NULL)
    {
      fail (run, "the window has no Overview page");
      return;
    }
  panel = nt_overview_page_get_panel (NT_OVERVIEW_PAGE (overview));
  label = panel ? find_widget (panel, is_current_label, NULL) : NULL;
  if (label == NULL)
    {
      fail (run, "the Overview's beam panel has no label of class beam-current");
      return;
    }
  run->current = GTK_LABEL (label);
  g_signal_connect (nt_window_get_context (NT_WINDOW (window)), "notify::state",
                    G_CALLBACK (context_state_cb), run);
  context_state_cb (nt_window_get_context (NT_WINDOW (window)), NULL, run);
  g_signal_connect (label, "notify::label", G_CALLBACK (current_label_cb), run);
  current_label_cb (run->current, NULL, run);
  g_signal_connect_after (window, "realize", G_CALLBACK (window_realize_cb), run);
  if (gtk_widget_get_realized (run->window))
    window_realize_cb (run->window, run);
}

static void
startup_cb (GApplication *app,
            Run          *run)
{
  result ("app_startup_ms", ms_since (run, g_get_monotonic_time ()));
}

static int
run_child (gint64 t0)
{
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(NtApplication) app = NULL;
  char *argv[] = { (char *) "nanoterasu-console", NULL };
  Run run = { 0 };
  int status;

  run.t0 = t0 > 0 ? t0 : g_get_monotonic_time ();
  result ("main_entered_ms", ms_since (&run, g_get_monotonic_time ()));
  /* As nanoterasu-console's main() does (BENCH_GL=1 measures GTK's default
   * renderer instead). */
  if (g_getenv ("BENCH_GL") == NULL)
    nt_application_prepare_process ();

  /* What a user who left the console on the Overview, with the Beam
   * area's chart on the week, starts with. */
  settings = g_settings_new ("jp.nanoterasu.Console");
  g_settings_set_string (settings, "last-area", "overview");
  g_settings_set_string (settings, "chart-range", "7d");
  g_settings_set_string (settings, "facility-url", "");
  g_settings_set_boolean (settings, "kiosk", FALSE);

  app = nt_application_new ();
  run.app = G_APPLICATION (app);
  g_signal_connect_after (app, "startup", G_CALLBACK (startup_cb), &run);
  g_signal_connect (app, "window-added", G_CALLBACK (window_added_cb), &run);
  restart_step_timeout (&run);

  status = g_application_run (G_APPLICATION (app), 1, argv);
  g_clear_handle_id (&run.timeout_id, g_source_remove);
  g_clear_handle_id (&run.poll_id, g_source_remove);

  if (run.failed || run.step != STEP_DONE)
    return 1;
  return status;
}

/* ------------------------------------------------------------------ */
/* The parent: a warm-up start, then the measured ones                  */

typedef struct
{
  char   *key;
  GArray *values;  /* double */
} Figure;

static void
figure_free (gpointer data)
{
  Figure *f = data;

  g_free (f->key);
  g_array_unref (f->values);
  g_free (f);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (GArray *values)
{
  g_autoptr(GArray) sorted = g_array_copy (values);
  guint n = sorted->len;

  if (n == 0)
    return NAN;
  g_array_sort (sorted, compare_doubles);
  if (n % 2 == 1)
    return g_array_index (sorted, double, n / 2);
  return (g_array_index (sorted, double, n / 2 - 1) + g_array_index (sorted, double, n / 2)) / 2;
}

static Figure *
figure_get (GPtrArray  *figures,
            const char *key)
{
  Figure *f;

  for (guint i = 0; i < figures->len; i++)
    {
      f = g_ptr_array_index (figures, i);
      if (g_str_equal (f->key, key))
        return f;
    }
  f = g_new0 (Figure, 1);
  f->key = g_strdup (key);
  f->values = g_array_new (FALSE, FALSE, sizeof (double));
  g_ptr_array_add (figures, f);
  return f;
}

/* Runs one child; adds its RESULT lines to @figures (when not NULL) and
 * prints them.  Returns whether it ran to the end. */
static gboolean
spawn_run (const char *self_exe,
           const char *data_dir,
           const char *label,
           const char *extra_arg,
           GPtrArray  *figures,
           double     *wall_ms)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *t0_arg = NULL;
  g_auto(GStrv) env = g_get_environ ();
  g_auto(GStrv) lines = NULL;
  gint64 t0;
  int wait_status = 0;
  char *argv[4];

  env = g_environ_setenv (env, "XDG_DATA_HOME", data_dir, TRUE);
  env = g_environ_setenv (env, "GSETTINGS_BACKEND", "memory", TRUE);

  t0 = g_get_monotonic_time ();
  t0_arg = g_strdup_printf ("--child=%" G_GINT64_FORMAT, t0);
  argv[0] = (char *) self_exe;
  argv[1] = t0_arg;
  argv[2] = (char *) extra_arg;
  argv[3] = NULL;

  if (!g_spawn_sync (NULL, argv, env, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &wait_status, &error))
    {
      g_printerr ("%s: %s\n", label, error->message);
      return FALSE;
    }
  *wall_ms = (g_get_monotonic_time () - t0) / 1000.0;

  g_print ("%s (%.1f s in all):", label, *wall_ms / 1000.0);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) parts = NULL;

      if (g_str_has_prefix (lines[i], "RENDERER ") && figures == NULL)
        g_print ("  renderer %s", lines[i] + 9);
      if (!g_str_has_prefix (lines[i], "RESULT "))
        continue;
      parts = g_strsplit (lines[i] + 7, " ", 2);
      if (g_strv_length (parts) != 2)
        continue;
      if (strstr (parts[0], "_ms") != NULL || g_str_has_suffix (parts[0], "VmRSS_MiB"))
        g_print ("  %s %s", parts[0], parts[1]);
      if (figures != NULL)
        {
          double v = g_ascii_strtod (parts[1], NULL);

          g_array_append_val (figure_get (figures, parts[0])->values, v);
        }
    }
  g_print ("\n");

  if (!g_spawn_check_wait_status (wait_status, &error))
    {
      g_printerr ("%s failed: %s\n%s\n", label, error->message, err ? err : "");
      return FALSE;
    }
  return TRUE;
}

static void
print_median (GPtrArray  *figures,
              const char *key,
              const char *what,
              const char *unit,
              double      target)
{
  Figure *f = figure_get (figures, key);
  double m = median (f->values);
  double lo = NAN, hi = NAN;

  for (guint i = 0; i < f->values->len; i++)
    {
      double v = g_array_index (f->values, double, i);

      lo = i == 0 ? v : MIN (lo, v);
      hi = i == 0 ? v : MAX (hi, v);
    }

  g_print ("  %-62s %9.1f %-3s (%.1f to %.1f)", what, m, unit, lo, hi);
  if (target > 0)
    g_print ("   target < %.0f %s: %s", target, unit, m < target ? "met" : "MISSED");
  g_print ("\n");
}

static void
remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            remove_tree (child);
          else
            g_unlink (child);
        }
      g_dir_close (dir);
    }
  g_rmdir (path);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) options = NULL;
  g_autoptr(GPtrArray) figures = g_ptr_array_new_with_free_func (figure_free);
  g_autofree char *self_exe = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *tmp_dir = NULL;
  char *child = NULL;
  int runs = 5;
  int filling = 0;
  double wall;
  guint ok = 0;
  GOptionEntry entries[] = {
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Measured starts (after the warm-up)", "N" },
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &data_dir,
      "XDG_DATA_HOME to use (its demo database kept); a new one by default", "DIR" },
    { "filling", 0, 0, G_OPTION_ARG_INT, &filling,
      "Then one first start over a new data directory, its memory after N s (the fill running)", "N" },
    { "child", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &child, NULL, NULL },
    { "hold-s", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT, &hold_s, NULL, NULL },
    { "first-value-only", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &first_value_only, NULL, NULL },
    { NULL }
  };

  options = g_option_context_new ("- the console's start to first value and its memory");
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
      g_autofree char *schema_dir = g_build_filename (bindir, "..", "..", "data", NULL);

      g_setenv ("GSETTINGS_SCHEMA_DIR", schema_dir, TRUE);
    }

  if (child != NULL)
    return run_child (g_ascii_strtoll (child, NULL, 10));

  self_exe = g_file_read_link ("/proc/self/exe", &error);
  g_assert_no_error (error);
  if (data_dir == NULL)
    {
      tmp_dir = g_dir_make_tmp ("nt-bench-startup-XXXXXX", &error);
      g_assert_no_error (error);
      data_dir = g_strdup (tmp_dir);
    }

  g_print ("the console's main window, embedded services, XDG_DATA_HOME=%s; "
           "GSK_RENDERER=%s; %d measured starts after a warm-up\n",
           data_dir, g_getenv ("GSK_RENDERER") ? g_getenv ("GSK_RENDERER") : "(GTK's choice)", runs);

  /* The first start of a data directory generates its week of history. */
  if (!spawn_run (self_exe, data_dir, "warm-up (first start, history generated)", NULL, NULL, &wall))
    return 1;

  for (int i = 0; i < runs; i++)
    {
      g_autofree char *label = g_strdup_printf ("run %d", i + 1);

      if (spawn_run (self_exe, data_dir, label, NULL, figures, &wall))
        ok++;
    }

  g_print ("\nmedians of %u runs (min to max):\n", ok);
  print_median (figures, "app_startup_ms", "process start -> application startup", "ms", 0);
  print_median (figures, "window_realized_ms", "process start -> window realized", "ms", 0);
  print_median (figures, "context_ready_ms", "process start -> context ready (profile read, live client up)", "ms", 0);
  print_median (figures, "first_value_set_ms", "process start -> first live current in the label", "ms", 0);
  print_median (figures, "first_value_drawn_ms", "process start -> first live current drawn", "ms", 1000);
  print_median (figures, "first_value.VmRSS_MiB", "resident at the first value drawn", "MiB", 0);
  print_median (figures, "first_value.RssAnon_MiB", "  of which anonymous (heap)", "MiB", 0);
  print_median (figures, "first_value.RssFile_MiB", "  of which file-backed (libraries, fonts, drivers)", "MiB", 0);
  print_median (figures, "first_value.RssShmem_MiB", "  of which shared memory", "MiB", 0);
  print_median (figures, "first_value.malloc_in_use_MiB", "  malloc in use", "MiB", 0);
  print_median (figures, "first_value.malloc_free_MiB", "  malloc free (held, not returned)", "MiB", 0);
  print_median (figures, "week_loaded_ms", "process start -> Beam area chart holds 7 days", "ms", 0);
  print_median (figures, "week_samples", "samples in the Beam area chart", "", 0);
  print_median (figures, "beam_week.VmRSS_MiB", "resident, Beam area with the week drawn", "MiB", 150 / 1.048576);
  print_median (figures, "beam_week.RssAnon_MiB", "  of which anonymous (heap)", "MiB", 0);
  print_median (figures, "beam_week.RssFile_MiB", "  of which file-backed (libraries, fonts, drivers)", "MiB", 0);
  print_median (figures, "beam_week.RssShmem_MiB", "  of which shared memory", "MiB", 0);
  print_median (figures, "beam_week.malloc_in_use_MiB", "  malloc in use", "MiB", 0);
  print_median (figures, "beam_week.malloc_free_MiB", "  malloc free (held, not returned)", "MiB", 0);
  print_median (figures, "beamlines.VmRSS_MiB", "resident, Beamlines area after 3 s", "MiB", 150 / 1.048576);
  print_median (figures, "beamlines.VmHWM_MiB", "peak resident (VmHWM) by then", "MiB", 150 / 1.048576);
  g_print ("(150 MB = %.1f MiB)\n", 150 / 1.048576);
  {
    double m = median (figure_get (figures, "first_value.VmRSS_MiB")->values);

    g_print ("target (issue 16): resident at the first value drawn <= 70 MiB: %s (%.1f MiB)\n",
             m <= 70 ? "met" : "NOT met", m);
  }

  if (filling > 0)
    {
      g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (figure_free);
      g_autofree char *fill_dir = g_dir_make_tmp ("nt-bench-startup-XXXXXX", &error);
      g_autofree char *arg = g_strdup_printf ("--hold-s=%d", filling);
      g_autofree char *label = g_strdup_printf ("first start held %d s", filling);

      g_assert_no_error (error);
      if (spawn_run (self_exe, fill_dir, label, arg, held, &wall))
        {
          g_print ("resident %d s after a first start (the year's fill running in the process):\n", filling);
          print_median (held, "held.VmRSS_MiB", "resident", "MiB", 0);
          print_median (held, "held.VmHWM_MiB", "peak resident (VmHWM) by then", "MiB", 0);
          print_median (held, "held.RssAnon_MiB", "  of which anonymous (heap)", "MiB", 0);
          print_median (held, "held.malloc_in_use_MiB", "  malloc in use", "MiB", 0);
          print_median (held, "held.malloc_free_MiB", "  malloc free (held, not returned)", "MiB", 0);
        }
      else
        ok = 0;
      remove_tree (fill_dir);
    }

  if (tmp_dir != NULL)
    remove_tree (tmp_dir);

  return ok == (guint) runs ? 0 : 1;
}
