/* bench-strip-chart.c: frame cost of NtStripChart against data size
 *
 * Renders the real widget (1200×400, in a window on the display: run it
 * with `xvfb-run -a`) offscreen: the widget's own snapshot, rasterised by
 * GSK's cairo path into an image surface, on one core.  For 10,000,
 * 100,000, 604,800 (a week at 1 Hz) and 6,000,000 samples over a 7-day
 * view it times
 *
 *  - a full redraw: every cache dropped (decimation, static layer, data
 *    layer) then drawn, as when the data or the view change;
 *  - one appended live sample: the chart following live with a clock
 *    that moves on by one sample period;
 *  - decimation alone, warm and with the caches evicted first;
 *
 * and prints milliseconds per frame (median CPU time of the thread, so
 * that other load on the machine does not count), the bytes per sample
 * the series holds (samples and min/max index, slack included) and the
 * process's peak resident memory, against the targets of issue 16.  The
 * series is the stored current's (float precision, as
 * nt_stored_current_add_series() makes it), filled from the archive's way
 * in: batches of 64 Ki samples; an exact series' bytes per sample are
 * printed after.  The process is set up as the console's
 * (nt_application_prepare_process(): no GL driver under the cairo
 * renderer).
 *
 *   bench-strip-chart [--frames N] [--png DIR] [--only SAMPLES]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define _GNU_SOURCE
#include <adwaita.h>
#include <math.h>
#include <sched.h>
#include <sys/resource.h>
#include <time.h>

#include "nt-application.h"
#include "nt-gui-resources.h"
#include "nt-series.h"
#include "nt-strip-chart-private.h"
#include "nt-strip-chart.h"

#define WIDTH  1200
#define HEIGHT 400
#define WEEK_US ((gint64)7 * 24 * 3600 * G_USEC_PER_SEC)
#define EVICT_BYTES ((gsize)40 * 1024 * 1024)   /* more than the caches hold */
#define BATCH 65536                             /* samples per append_many */

static gint64 fake_now;

static gint64
fake_clock (gpointer user_data)
{
  return fake_now;
}

static gboolean evicted;

/* Peak resident memory, less the cache-eviction buffer once it exists. */
static long
peak_rss_kb (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);

  return ru.ru_maxrss - (evicted ? (long)(EVICT_BYTES / 1024) : 0);
}

/* A week of ring current: decay with an 10 h lifetime, top-up every 5
 * minutes back to 400 mA, a few beam dumps with an hour of recovery, and
 * measurement noise. */
static NtSeries *
make_series (gsize             n,
             gint64            end,
             NtSeriesPrecision precision)
{
  NtSeries *series = nt_series_new_with_precision (0, precision);
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  g_autofree gint64 *t = g_new (gint64, BATCH);
  g_autofree double *v = g_new (double, BATCH);
  gint64 start = end - WEEK_US;
  double dt = (double)WEEK_US / n;

  for (gsize i = 0; i < n; i++)
    {
      gint64 ti = start + (gint64)(i * dt);
      double s = (ti - start) / 1e6;
      double since_topup = fmod (s, 300.0);
      double day = fmod (s, 86400.0 * 2.3);
      double x = 400.0 * exp (-since_topup / (10 * 3600.0));

      if (day > 40000 && day < 43600)
        x = day < 40010 ? x * (1 - (day - 40000) / 10) : 0.0;   /* dump */
      x += g_rand_double_range (rand, -0.02, 0.02);
      t[i % BATCH] = ti;
      v[i % BATCH] = x;
      if (i % BATCH == BATCH - 1 || i == n - 1)
        nt_series_append_many (series, t, v, NULL, i % BATCH + 1);
    }

  return series;
}

static int
cmp_double (gconstpointer a,
            gconstpointer b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return x < y ? -1 : x > y;
}

static double
median (double *ms,
        guint   n)
{
  qsort (ms, n, sizeof (double), cmp_double);

  return n % 2 ? ms[n / 2] : (ms[n / 2 - 1] + ms[n / 2]) / 2;
}

/* One frame: the update phase (decimation and layers, when out of date),
 * the widget's snapshot, and rasterising it. */
/* CPU time of this thread, in µs: what a frame costs on one core, without
 * the time other processes on a busy machine take the core away. */
static gint64
cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);

  return (gint64)ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static double layers_ms;

/* Streams through more memory than the caches hold. */
static void
evict_caches (void)
{
  static guint8 *junk;
  static const gsize size = EVICT_BYTES;
  volatile guint8 sink = 0;

  if (junk == NULL)
    {
      junk = g_malloc0 (size);
      evicted = TRUE;
    }
  for (gsize i = 0; i < size; i += 64)
    junk[i]++;
  sink = junk[size / 2];
  (void)sink;
}   /* of the last frame: decimation and layers */

static void
frame (NtStripChart    *chart,
       cairo_surface_t *surface)
{
  g_autoptr(GskRenderNode) node = NULL;
  cairo_t *cr;
  gint64 t0 = cpu_us ();

  nt_strip_chart_flush (chart);
  layers_ms = (cpu_us () - t0) / 1000.0;
  node = nt_strip_chart_render_node (chart);

  cr = cairo_create (surface);
  cairo_set_operator (cr, CAIRO_OPERATOR_CLEAR);
  cairo_paint (cr);
  cairo_set_operator (cr, CAIRO_OPERATOR_OVER);
  gsk_render_node_draw (node, cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
}

static gboolean
is_shown (GtkWidget *widget)
{
  return gtk_widget_get_mapped (widget) && gtk_widget_get_width (widget) == WIDTH;
}

/* The console's stylesheet (it imports nt-strip-chart.css). */
static void
load_css (void)
{
  g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

  g_assert (nt_gui_get_resource () != NULL);
  gtk_css_provider_load_from_resource (provider, "/jp/nanoterasu/Console/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

int
main (int   argc,
      char *argv[])
{
  static const gsize sizes[] = { 10000, 100000, 604800, 6000000 };
  int frames = 40;
  gint64 only = 0;
  g_autofree char *png_dir = NULL;
  GOptionEntry entries[] = {
    { "frames", 0, 0, G_OPTION_ARG_INT, &frames, "Frames per measurement", "N" },
    { "png", 0, 0, G_OPTION_ARG_FILENAME, &png_dir, "Write each chart as PNG here", "DIR" },
    { "only", 0, 0, G_OPTION_ARG_INT64, &only, "Only the row of this many samples (for heaptrack)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- NtStripChart frame cost");
  g_autoptr(GError) error = NULL;
  double full_ms[G_N_ELEMENTS (sizes)];
  double rss_mb[G_N_ELEMENTS (sizes)];
  double bytes_per_sample[G_N_ELEMENTS (sizes)];
  double exact_bytes;
  cpu_set_t cpus;
  GtkWidget *window;
  NtStripChart *chart;
  cairo_surface_t *surface;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  frames = MAX (frames, 3);

  /* One core, as the target says. */
  CPU_ZERO (&cpus);
  CPU_SET (0, &cpus);
  sched_setaffinity (0, sizeof cpus, &cpus);

  nt_application_prepare_process ();
  gtk_init ();
  adw_init ();
  load_css ();

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, WIDTH, HEIGHT);
  fake_now = (gint64)1796000000 * G_USEC_PER_SEC;

  g_print ("NtStripChart, %dx%d widget, 7-day view, median of %d frames, one core\n", WIDTH, HEIGHT, frames);
  g_print ("%10s  %13s  %13s  %13s  %13s  %13s  %11s  %12s\n",
           "samples", "full ms/frame", "(of it: dec.", "+ layers)", "dec. cold", "append ms/fr", "peak RSS MB",
           "bytes/sample");

  for (guint k = 0; k < G_N_ELEMENTS (sizes); k++)
    {
      if (only != 0 && (gint64)sizes[k] != only)
        {
          full_ms[k] = NAN;
          rss_mb[k] = bytes_per_sample[k] = NAN;
          continue;
        }
      gsize n = sizes[k];
      gint64 end = fake_now;
      g_autoptr(NtSeries) series = make_series (n, end, NT_SERIES_PRECISION_FLOAT);
      g_autofree double *ms = g_new (double, frames);
      g_autofree double *lms = g_new (double, frames);
      double dt_us = (double)WEEK_US / n;
      double full, append, decim, decim_cold, layers;
      graphene_rect_t plot;

      window = gtk_window_new ();
      gtk_window_set_default_size (GTK_WINDOW (window), WIDTH, HEIGHT);
      chart = NT_STRIP_CHART (nt_strip_chart_new ());
      nt_strip_chart_set_clock (chart, fake_clock, NULL, NULL);
      nt_strip_chart_add_series (chart, "Ring current", "mA", series, "ring-current");
      nt_strip_chart_set_range (chart, NT_STRIP_CHART_RANGE_7_DAYS);
      gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (chart));
      gtk_window_present (GTK_WINDOW (window));
      while (!is_shown (GTK_WIDGET (chart)))
        g_main_context_iteration (NULL, TRUE);
      while (g_main_context_pending (NULL))
        g_main_context_iteration (NULL, FALSE);
      nt_strip_chart_get_plot_area (chart, &plot);

      /* Warm up (fonts, glyph caches). */
      nt_strip_chart_invalidate_all (chart);
      frame (chart, surface);

      /* Full redraw */
      for (int f = 0; f < frames; f++)
        {
          gint64 t0;

          nt_strip_chart_invalidate_all (chart);
          t0 = cpu_us ();
          frame (chart, surface);
          ms[f] = (cpu_us () - t0) / 1000.0;
          lms[f] = layers_ms;
        }
      full = median (ms, frames);
      layers = median (lms, frames);
      full_ms[k] = full;

      if (png_dir != NULL)
        {
          g_autofree char *name = g_strdup_printf ("strip-chart-%" G_GSIZE_FORMAT ".png", n);
          g_autofree char *path = g_build_filename (png_dir, name, NULL);

          cairo_surface_write_to_png (surface, path);
        }

      /* Decimation alone, for the record */
      for (int f = 0; f < frames; f++)
        {
          gint64 t0;

          nt_strip_chart_invalidate_all (chart);
          t0 = cpu_us ();
          nt_strip_chart_get_value_axis (chart, NULL, NULL);
          ms[f] = (cpu_us () - t0) / 1000.0;
        }
      decim = median (ms, frames);

      /* … and with cold caches, as after drawing a frame */
      for (int f = 0; f < frames; f++)
        {
          gint64 t0;

          nt_strip_chart_invalidate_all (chart);
          evict_caches ();
          t0 = cpu_us ();
          nt_strip_chart_get_value_axis (chart, NULL, NULL);
          ms[f] = (cpu_us () - t0) / 1000.0;
        }
      decim_cold = median (ms, frames);
      nt_strip_chart_invalidate_all (chart);
      frame (chart, surface);

      /* One appended live sample per frame, the clock moving on with it */
      for (int f = 0; f < frames; f++)
        {
          gint64 t0;
          gint64 t = fake_now + (gint64)MAX (dt_us, 1);

          t0 = cpu_us ();
          fake_now = t;
          nt_series_append (series, t, 399.5 + (f % 7) * 0.01, NT_SERIES_SEVERITY_NONE);
          nt_strip_chart_update_now (chart);
          frame (chart, surface);
          ms[f] = (cpu_us () - t0) / 1000.0;
        }
      append = median (ms, frames);
      rss_mb[k] = peak_rss_kb () / 1024.0;
      bytes_per_sample[k] = (double)nt_series_get_memory_size (series) / nt_series_get_n_samples (series);

      g_print ("%10" G_GSIZE_FORMAT "  %13.3f  %13.3f  %13.3f  %13.3f  %13.3f  %11.1f  %12.2f\n",
               n, full, decim, layers, decim_cold, append, rss_mb[k], bytes_per_sample[k]);

      gtk_window_destroy (GTK_WINDOW (window));
      while (g_main_context_pending (NULL))
        g_main_context_iteration (NULL, FALSE);
    }

  g_print ("target: full frame at 604,800 < 4 ms: %s (%.3f ms)\n",
           full_ms[2] < 4.0 ? "met" : "NOT met", full_ms[2]);
  g_print ("target: 6,000,000 frame <= 3x the 10,000 frame: %s (%.2fx)\n",
           full_ms[3] <= 3 * full_ms[0] ? "met" : "NOT met", full_ms[3] / full_ms[0]);
  {
    g_autoptr(NtSeries) exact = make_series (sizes[2], fake_now, NT_SERIES_PRECISION_EXACT);

    exact_bytes = (double)nt_series_get_memory_size (exact) / nt_series_get_n_samples (exact);
  }
  g_print ("target: bytes per sample, index included, <= 14: %s (%.2f at 6,000,000; "
           "an exact series of 604,800: %.2f)\n",
           bytes_per_sample[3] <= 14 && exact_bytes <= 14 ? "met" : "NOT met", bytes_per_sample[3], exact_bytes);
  g_print ("target: peak RSS at 604,800 <= 75 MB: %s (%.1f MB)\n",
           rss_mb[2] <= 75 ? "met" : "NOT met", rss_mb[2]);
  g_print ("target: peak RSS at 6,000,000 <= 120 MB: %s (%.1f MB)\n",
           rss_mb[3] <= 120 ? "met" : "NOT met", rss_mb[3]);
  g_print ("peak RSS: %.1f MB\n", peak_rss_kb () / 1024.0);

  cairo_surface_destroy (surface);

  return 0;
}
