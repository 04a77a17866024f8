/* bench-timeline.c: NtTimeline frame cost for a full year of allocations
 *
 * Run under a display (`xvfb-run -a`).  Every station of the catalogue is
 * filled for the whole fiscal year with 8 h allocations (public, coalition,
 * staff and commissioning in turn, some drafts and cancelled), over the
 * demo run plan; then frames are drawn offscreen: the widget's layer
 * rebuilt for a view that moved (as while panning or zooming) and
 * rasterised with cairo.  Prints CPU milliseconds per frame (median and
 * worst) for the full-year, quarter and week views, the peak resident
 * memory and of it what the data and the widget added (target: 12 MB),
 * and the bytes per allocation (the store's, and the data and widget's
 * share).  The allocations are read from the wire format into the compact
 * store (NtBookingStore) the timeline draws from, as the schedule page
 * reads them.  Target: under 8 ms per frame for the full year.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE

#include "config.h"

#include <adwaita.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include "nt-allocation.h"
#include "nt-booking-store.h"
#include "nt-catalogue.h"
#include "nt-gui-resources.h"
#include "nt-run-period.h"
#include "nt-time.h"
#include "nt-timeline.h"

#define WIDTH  1400
#define HEIGHT 560
#define FY     2026

static gint64
cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64)ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static long
peak_rss_kb (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

static int
cmp_double (const void *a,
            const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return x < y ? -1 : x > y;
}

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

static GPtrArray *
make_periods (void)
{
  g_autoptr(GArray) plan = nt_demo_plan_build (FY);
  GPtrArray *periods = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < plan->len; i++)
    {
      NtPeriodSpan *s = &g_array_index (plan, NtPeriodSpan, i);
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *json = NULL;
      char a[NT_TIME_ISO_LEN + 1], b[NT_TIME_ISO_LEN + 1];

      nt_time_format_iso_buf (s->start, a);
      nt_time_format_iso_buf (s->end, b);
      json = g_strdup_printf ("{\"id\":%u,\"kind\":\"%s\",\"start\":\"%s\",\"end\":\"%s\",\"note\":\"\","
                              "\"etag\":\"\\\"p%u\\\"\",\"revision\":1}",
                              i + 1, nt_period_kind_to_string (s->kind), a, b, i + 1);
      node = json_from_string (json, NULL);
      g_ptr_array_add (periods, nt_run_period_new_from_json (node, NULL));
    }

  return periods;
}

/* Every station, every 8 h of the year, read from the wire format into
 * the compact store as the scheduling client reads a list. */
static NtBookingStore *
make_allocations (NtCatalogue *catalogue,
                  guint       *n_stations)
{
  g_autoptr(GPtrArray) stations = nt_catalogue_list_stations (catalogue);
  NtBookingStore *allocs = nt_booking_store_new ();
  gint64 fy_start, fy_end;
  guint id = 1;

  nt_time_fiscal_year_bounds (FY, &fy_start, &fy_end);
  *n_stations = stations->len;

  for (guint s = 0; s < stations->len; s++)
    {
      const char *station = nt_station_get_id (g_ptr_array_index (stations, s));
      guint k = s;

      for (gint64 t = fy_start; t < fy_end; t += 8 * 3600, k++)
        {
          g_autoptr(JsonNode) node = NULL;
          g_autofree char *json = NULL;
          char a[NT_TIME_ISO_LEN + 1], b[NT_TIME_ISO_LEN + 1];
          g_autoptr(GError) error = NULL;
          NtSlot slot = k % 4;
          const char *status = k % 17 == 0 ? "draft" : k % 23 == 0 ? "cancelled" : "confirmed";

          nt_time_format_iso_buf (t, a);
          nt_time_format_iso_buf (t + 8 * 3600, b);
          json = g_strdup_printf ("{\"id\":%u,\"station\":\"%s\",\"start\":\"%s\",\"end\":\"%s\","
                                  "\"slot\":\"%s\",\"proposal\":%s,\"member\":%s,\"status\":\"%s\","
                                  "\"note\":\"\",\"etag\":\"\\\"a%u\\\"\",\"revision\":1}",
                                  id, station, a, b, nt_slot_to_string (slot),
                                  slot == NT_SLOT_PUBLIC ? "\"2026A0012\"" : "null",
                                  slot == NT_SLOT_COALITION ? "3" : "null", status, id);
          node = json_from_string (json, NULL);
          if (nt_booking_store_put_json (allocs, NT_TYPE_ALLOCATION, node, &error) == NULL)
            g_error ("%s", error->message);
          id++;
        }
    }

  return allocs;
}

typedef struct
{
  double median;
  double worst;
} Figures;

/* Frames of a view that moves by @step seconds each frame (to and fro),
 * as while panning: the layer is rebuilt every frame. */
static Figures
measure (NtTimeline      *timeline,
         cairo_surface_t *surface,
         gint64           start,
         gint64           span,
         gint64           step,
         int              frames)
{
  g_autofree double *ms = g_new (double, frames);
  Figures f;

  for (int i = -3; i < frames; i++)
    {
      gint64 off = (i % 2 == 0) ? 0 : step;
      g_autoptr(GskRenderNode) node = NULL;
      gint64 t0;
      cairo_t *cr;

      nt_timeline_set_view (timeline, start + off, start + off + span);
      t0 = cpu_us ();
      node = nt_timeline_render_node (timeline);
      if (g_getenv ("BENCH_SPLIT"))
        g_printerr ("layer %.2f ms\n", (cpu_us () - t0) / 1000.0);
      cr = cairo_create (surface);
      cairo_set_operator (cr, CAIRO_OPERATOR_CLEAR);
      cairo_paint (cr);
      cairo_set_operator (cr, CAIRO_OPERATOR_OVER);
      if (node != NULL)
        gsk_render_node_draw (node, cr);
      cairo_destroy (cr);
      cairo_surface_flush (surface);
      if (i >= 0)
        ms[i] = (cpu_us () - t0) / 1000.0;
    }

  qsort (ms, frames, sizeof (double), cmp_double);
  f.median = frames % 2 ? ms[frames / 2] : (ms[frames / 2 - 1] + ms[frames / 2]) / 2;
  f.worst = ms[frames - 1];
  return f;
}

int
main (int   argc,
      char *argv[])
{
  int frames = 60;
  g_autofree char *png = NULL;
  GOptionEntry entries[] = {
    { "frames", 0, 0, G_OPTION_ARG_INT, &frames, "Frames per measurement", "N" },
    { "png", 0, 0, G_OPTION_ARG_FILENAME, &png, "Write the full-year and week frames as PNG with this prefix", "PREFIX" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- NtTimeline frame cost");
  g_autoptr(GError) error = NULL;
  g_autoptr(NtCatalogue) catalogue = NULL;
  g_autoptr(GPtrArray) periods = NULL;
  NtBookingStore *allocs;
  guint n_allocs;
  cairo_surface_t *surface;
  GtkWidget *window;
  NtTimeline *timeline;
  gint64 fy_start, fy_end, week;
  guint n_stations;
  long rss_before, rss_data;
  Figures year, year_zoom, wk;
  cpu_set_t cpus;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  frames = MAX (frames, 3);

  CPU_ZERO (&cpus);
  CPU_SET (0, &cpus);
  sched_setaffinity (0, sizeof cpus, &cpus);

  gtk_init ();
  adw_init ();
  load_css ();

  catalogue = nt_catalogue_new_default (&error);
  g_assert_no_error (error);
  nt_time_fiscal_year_bounds (FY, &fy_start, &fy_end);

  rss_before = peak_rss_kb ();
  periods = make_periods ();
  allocs = make_allocations (catalogue, &n_stations);
  rss_data = peak_rss_kb ();

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), WIDTH, HEIGHT);
  timeline = NT_TIMELINE (nt_timeline_new ());
  nt_timeline_set_catalogue (timeline, catalogue);
  nt_timeline_set_bounds (timeline, fy_start, fy_end);
  nt_timeline_set_now (timeline, fy_start + 200 * 86400);
  nt_timeline_set_periods (timeline, periods);
  n_allocs = nt_booking_store_get_size (allocs);
  nt_timeline_set_allocation_store (timeline, allocs);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (timeline));
  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (GTK_WIDGET (timeline)) ||
         gtk_widget_get_width (GTK_WIDGET (timeline)) == 0)
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, gtk_widget_get_width (GTK_WIDGET (timeline)),
                                        gtk_widget_get_height (GTK_WIDGET (timeline)));

  g_print ("NtTimeline, %dx%d, %u rows, %u stations × a year of 8 h allocations = %u allocations, %u periods\n",
           gtk_widget_get_width (GTK_WIDGET (timeline)), gtk_widget_get_height (GTK_WIDGET (timeline)), nt_timeline_get_n_rows (timeline),
           n_stations, n_allocs, periods->len);
  g_print ("one core, CPU ms per frame (layer rebuilt for a moved view, then rasterised), %d frames\n", frames);

  /* The whole year (with the margin either side), panned by an hour. */
  year = measure (timeline, surface, fy_start, fy_end - fy_start, 3600, frames);
  /* Zoomed to a quarter, panned by a day. */
  year_zoom = measure (timeline, surface, fy_start + 90 * 86400, 91 * 86400, 86400, frames);
  /* A week, panned by an hour: every bar wide enough for its label. */
  week = 7 * 86400;
  wk = measure (timeline, surface, fy_start + 150 * 86400, week, 3600, frames);

  g_print ("%-28s %10s %10s\n", "view", "median ms", "worst ms");
  g_print ("%-28s %10.2f %10.2f\n", "full year", year.median, year.worst);
  g_print ("%-28s %10.2f %10.2f\n", "quarter", year_zoom.median, year_zoom.worst);
  g_print ("%-28s %10.2f %10.2f\n", "week (labels)", wk.median, wk.worst);
  g_print ("peak RSS: %.1f MB (of it the data and widget: %.1f MB, target <= 12 MB: %s)\n",
           peak_rss_kb () / 1024.0, (peak_rss_kb () - rss_before) / 1024.0,
           (peak_rss_kb () - rss_before) / 1024.0 <= 12.0 ? "met" : "NOT met");
  /* Where the peak is: the data themselves, and the window with the
   * timeline drawn (GTK's window surface and first frames, the layer). */
  g_print ("of which: the periods and allocations %.1f MB, the window and its first frames %.1f MB\n",
           (rss_data - rss_before) / 1024.0, (peak_rss_kb () - rss_data) / 1024.0);
  g_print ("bytes per allocation: %.0f in the store (records, id index, etags); "
           "%.0f of the data and widget's peak\n",
           (double)nt_booking_store_get_bytes (nt_timeline_get_allocation_store (timeline)) / n_allocs,
           (peak_rss_kb () - rss_before) * 1024.0 / n_allocs);
  g_print ("full-year target < 8 ms: %s\n", year.median < 8.0 ? "met" : "NOT met");

  if (png != NULL)
    {
      g_autofree char *a = g_strdup_printf ("%s-year.png", png);
      g_autofree char *b = g_strdup_printf ("%s-week.png", png);

      measure (timeline, surface, fy_start, fy_end - fy_start, 0, 3);
      cairo_surface_write_to_png (surface, a);
      measure (timeline, surface, fy_start + 150 * 86400, week, 0, 3);
      cairo_surface_write_to_png (surface, b);
    }

  cairo_surface_destroy (surface);
  gtk_window_destroy (GTK_WINDOW (window));

  return 0;
}
