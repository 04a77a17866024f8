/* test-strip-chart.c: NtStripChart on a real display (Xvfb)
 *
 * Range switching, follow-live with a fake clock, pan and zoom through the
 * same paths the keys, scroll, drag and pinch take, hover readout against
 * the sample under the pointer, gap refill after a reconnect, colours from
 * the theme (light and dark) in the rendered pixels, CSV and PNG export.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "nt-decimate.h"
#include "nt-gui-resources.h"
#include "nt-series.h"
#include "nt-strip-chart-private.h"
#include "nt-strip-chart.h"
#include "test-instants.h"

#define SEC ((gint64) G_USEC_PER_SEC)

typedef struct
{
  GtkWidget    *window;
  NtStripChart *chart;
  NtSeries     *series;
  gint64        now;
  gint64        start;
  guint         n_range_changed;
  gint64        last_from;
  gint64        last_to;
  guint         last_width;
} Fixture;

static gint64
fake_clock (gpointer user_data)
{
  Fixture *f = user_data;

  return f->now;
}

static void
range_changed_cb (NtStripChart *chart,
                  gint64        from,
                  gint64        to,
                  guint         width,
                  Fixture      *f)
{
  f->n_range_changed++;
  f->last_from = from;
  f->last_to = to;
  f->last_width = width;
}

static void
css_parsing_error_cb (GtkCssProvider *provider,
                      GtkCssSection  *section,
                      const GError   *error,
                      gpointer        user_data)
{
  g_error ("CSS: %s", error->message);
}

/* The console's stylesheet, as the application loads it (it imports
 * nt-strip-chart.css); a parse error fails the test. */
static void
load_css (void)
{
  g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

  g_assert_nonnull (nt_gui_get_resource ());
  g_signal_connect (provider, "parsing-error", G_CALLBACK (css_parsing_error_cb), NULL);
  gtk_css_provider_load_from_resource (provider, "/jp/nanoterasu/Console/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static void
wait_for (gboolean (*cond) (Fixture *), Fixture *f)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!cond (f))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static gboolean
is_shown (Fixture *f)
{
  return gtk_widget_get_mapped (GTK_WIDGET (f->chart)) &&
         gtk_widget_get_width (GTK_WIDGET (f->chart)) > 0;
}

static void
settle (void)
{
  /* Let layout, the update phase and painting run. */
  for (int i = 0; i < 50 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
}

/* 2026-11-28 18:00:00 UTC = 2026-11-29 03:00:00 JST */
static gint64
base_time (void)
{
  g_autoptr(GDateTime) dt = g_date_time_new_utc (2026, 11, 28, 18, 0, 0);

  return g_date_time_to_unix (dt) * SEC;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->start = base_time ();
  f->now = f->start + 2 * 3600 * SEC;
  f->series = nt_series_new (0);

  /* Two hours at 1 Hz: a slow decay with a top-up saw tooth and one dump
   * spike, so the line is not flat. */
  for (gint64 i = 0; i < 2 * 3600; i++)
    {
      double v = 400.0 - (i % 300) * 0.01;

      if (i == 5000)
        v = 250.0;
      nt_series_append (f->series, f->start + i * SEC, v, NT_SERIES_SEVERITY_NONE);
    }

  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1000, 400);
  f->chart = NT_STRIP_CHART (nt_strip_chart_new ());
  g_object_ref_sink (f->chart);
  nt_strip_chart_set_clock (f->chart, fake_clock, f, NULL);
  nt_strip_chart_add_series (f->chart, "Ring current", "mA", f->series, "ring-current");
  nt_strip_chart_set_series_precision (f->chart, 0, 2);
  g_signal_connect (f->chart, "range-changed", G_CALLBACK (range_changed_cb), f);
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->chart));
  gtk_window_present (GTK_WINDOW (f->window));

  wait_for (is_shown, f);
  settle ();
  nt_strip_chart_flush_range_changed (f->chart);
  f->n_range_changed = 0;
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  settle ();
  g_assert_finalize_object (f->chart);
  g_assert_finalize_object (f->series);
}

static double
column_us (Fixture *f)
{
  graphene_rect_t plot;

  nt_strip_chart_get_plot_area (f->chart, &plot);

  return nt_strip_chart_get_visible_span (f->chart) * SEC / floor (plot.size.width);
}

/* A day's chart says where the date changes: the local midnight's label
 * carries the date, so it is wider than its neighbours, and it must still
 * be drawn, at every span from a day to two, not dropped for colliding. */
static void
test_midnight_label (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();
  guint n_midnights = 0;
  g_autofree char *font = NULL;

  /* The kiosk's large type, where the dates are wide. */
  gtk_css_provider_load_from_data (css, "stripchart { font-size: 20px; }", -1);
  gtk_style_context_add_provider_for_display (gtk_widget_get_display (GTK_WIDGET (f->chart)),
                                              GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_USER);
  for (int i = 0; i < 20; i++)
    {
      settle ();
      g_usleep (20000);
    }
  font = pango_font_description_to_string (pango_context_get_font_description (
                                             gtk_widget_get_pango_context (GTK_WIDGET (f->chart))));
  g_test_message ("chart font: %s", font);

  for (int minutes = 20 * 60; minutes <= 48 * 60; minutes += 20)
    {
      g_autoptr(GArray) ticks = NULL;
      GPtrArray *labels;
      gboolean midnight_tick = FALSE;
      gboolean midnight_label = FALSE;
      gint64 step;

      nt_strip_chart_set_visible_span (f->chart, minutes * 60.0);
      /* ends 2026-11-29 05:00 JST: midnight is inside every span */
      nt_strip_chart_set_end_time (f->chart, f->now);
      ticks = nt_strip_chart_get_time_ticks (f->chart, &step);
      labels = nt_strip_chart_get_time_labels (f->chart);

      for (guint k = 0; k < ticks->len; k++)
        {
          g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (g_array_index (ticks, gint64, k));

          /* 15:00 UTC is midnight in Tokyo */
          if (g_date_time_get_hour (utc) == 15 && g_date_time_get_minute (utc) == 0)
            midnight_tick = TRUE;
        }
      for (guint k = 0; k < labels->len; k++)
        if (g_str_has_suffix (g_ptr_array_index (labels, k), "\n2026-11-29"))
          midnight_label = TRUE;

      if (midnight_tick)
        {
          n_midnights++;
          if (!midnight_label)
            g_test_message ("span %d min, ticks every %lld s: the midnight label is missing",
                            minutes, (long long) step);
          g_assert_true (midnight_label);
        }
    }
  g_assert_cmpuint (n_midnights, >, 10);
  gtk_style_context_remove_provider_for_display (gtk_widget_get_display (GTK_WIDGET (f->chart)),
                                                 GTK_STYLE_PROVIDER (css));
}

/* The time axis has sensible ticks at every zoom level, on whole JST
 * units (the test runs with TZ=UTC), days at JST midnight. */
static void
test_time_ticks (Fixture       *f,
                 gconstpointer  data)
{
  static const double spans[] = { 10, 45, 300, 900, 3600, 8 * 3600, 24 * 3600,
                                  3 * 24 * 3600, 7 * 24 * 3600, 31 * 24 * 3600 };
  g_autoptr(GTimeZone) tokyo = g_time_zone_new_identifier ("Asia/Tokyo");
  graphene_rect_t plot;
  gint64 prev_step = 0;

  nt_strip_chart_get_plot_area (f->chart, &plot);

  for (guint i = 0; i < G_N_ELEMENTS (spans); i++)
    {
      g_autoptr(GArray) ticks = NULL;
      gint64 from, to, step;

      nt_strip_chart_set_visible_span (f->chart, spans[i]);
      /* an end that is on no round number */
      nt_strip_chart_set_end_time (f->chart, f->start + 12345678901);
      nt_strip_chart_get_visible_range (f->chart, &from, &to);
      ticks = nt_strip_chart_get_time_ticks (f->chart, &step);

      g_test_message ("span %.0f s: %u ticks every %" G_GINT64_FORMAT " s",
                      spans[i], ticks->len, step);
      g_assert_cmpuint (ticks->len, >=, 2);
      g_assert_cmpfloat (step * plot.size.width / spans[i], >=, 40);
      g_assert_cmpint (step, >=, prev_step);
      prev_step = step;

      for (guint k = 0; k < ticks->len; k++)
        {
          gint64 ts = g_array_index (ticks, gint64, k);
          int interval = g_time_zone_find_interval (tokyo, G_TIME_TYPE_UNIVERSAL, ts);
          gint64 local = ts + g_time_zone_get_offset (tokyo, interval);

          g_assert_cmpint (ts * SEC, >=, from);
          g_assert_cmpint (ts * SEC, <, to);
          if (k > 0)
            g_assert_cmpint (ts - g_array_index (ticks, gint64, k - 1), ==, step);
          if (step < 86400)
            g_assert_cmpint (local % step, ==, 0);
          else
            g_assert_cmpint (local % 86400, ==, 0);   /* JST midnight = 15:00 UTC */
        }
    }
}

/* The keys are bound to the actions the tests above drive. */
static void
test_key_bindings (Fixture       *f,
                   gconstpointer  data)
{
  static const struct { const char *trigger; const char *action; } expected[] = {
    { "plus", "action(chart.zoom-in)" },
    { "equal", "action(chart.zoom-in)" },
    { "KP_Add", "action(chart.zoom-in)" },
    { "minus", "action(chart.zoom-out)" },
    { "KP_Subtract", "action(chart.zoom-out)" },
    { "Left", "action(chart.pan-left)" },
    { "Right", "action(chart.pan-right)" },
    { "End", "action(chart.follow-live)" },
  };
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (f->chart));
  g_autoptr(GHashTable) bound = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint k = 0; k < g_list_model_get_n_items (G_LIST_MODEL (controller)); k++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), k);

          g_hash_table_insert (bound,
                               gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut)),
                               gtk_shortcut_action_to_string (gtk_shortcut_get_action (shortcut)));
        }
    }

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpstr (g_hash_table_lookup (bound, expected[i].trigger), ==, expected[i].action);
  g_assert_true (gtk_widget_get_focusable (GTK_WIDGET (f->chart)));
}

static gboolean
is_following (Fixture *f)
{
  return nt_strip_chart_get_follow_live (f->chart);
}

static gboolean
got_range_changed (Fixture *f)
{
  return f->n_range_changed > 0;
}

static void
test_range_switching (Fixture       *f,
                      gconstpointer  data)
{
  static const struct { NtStripChartRange range; double seconds; } cases[] = {
    { NT_STRIP_CHART_RANGE_15_MIN, 900 },
    { NT_STRIP_CHART_RANGE_1_HOUR, 3600 },
    { NT_STRIP_CHART_RANGE_8_HOURS, 8 * 3600 },
    { NT_STRIP_CHART_RANGE_24_HOURS, 24 * 3600 },
    { NT_STRIP_CHART_RANGE_7_DAYS, 7 * 24 * 3600 },
  };
  graphene_rect_t plot;

  nt_strip_chart_get_plot_area (f->chart, &plot);
  g_assert_cmpfloat (plot.size.width, >, 500);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 from, to;

      f->n_range_changed = 0;
      nt_strip_chart_set_range (f->chart, cases[i].range);
      g_assert_cmpfloat (nt_strip_chart_get_visible_span (f->chart), ==, cases[i].seconds);
      g_assert_true (nt_strip_chart_get_follow_live (f->chart));

      nt_strip_chart_get_visible_range (f->chart, &from, &to);
      g_assert_cmpint (to - from, ==, (gint64)(cases[i].seconds * SEC));
      /* Following live: the view ends just after "now". */
      g_assert_cmpint (to, >, f->now);
      g_assert_cmpint (to - f->now, <=, (gint64)column_us (f) + 1);

      /* The owner hears of it once, debounced, with the plot width, so it
       * can ask the archive for that many bins. */
      g_assert_cmpuint (f->n_range_changed, ==, 0);
      wait_for (got_range_changed, f);
      settle ();
      g_assert_cmpuint (f->n_range_changed, ==, 1);
      g_assert_cmpint (f->last_from, ==, from);
      g_assert_cmpint (f->last_to, ==, to);
      g_assert_cmpuint (f->last_width, ==, (guint)plot.size.width);
    }
}

static void
test_follow_live (Fixture       *f,
                  gconstpointer  data)
{
  gint64 from, to, from2, to2, frozen_to;
  GtkWidget *button = NULL;
  double x_last;

  nt_strip_chart_set_range (f->chart, NT_STRIP_CHART_RANGE_15_MIN);
  nt_strip_chart_get_visible_range (f->chart, &from, &to);

  /* The clock moves on: the view moves with it. */
  f->now += 10 * 60 * SEC;
  nt_strip_chart_update_now (f->chart);
  nt_strip_chart_get_visible_range (f->chart, &from2, &to2);
  g_assert_cmpint (to2 - to, >=, 10 * 60 * SEC - (gint64)column_us (f));
  g_assert_cmpint (to2 - to, <=, 10 * 60 * SEC + (gint64)column_us (f));
  g_assert_cmpint (to2, >, f->now);

  /* A live sample at "now" lands in the last column. */
  nt_series_append (f->series, f->now, 401.0, NT_SERIES_SEVERITY_NONE);
  settle ();
  x_last = nt_strip_chart_x_at_time (f->chart, f->now);
  {
    graphene_rect_t plot;

    nt_strip_chart_get_plot_area (f->chart, &plot);
    g_assert_cmpfloat (x_last, >=, plot.origin.x + plot.size.width - 2);
    g_assert_cmpfloat (x_last, <, plot.origin.x + plot.size.width);
  }

  /* The follow-live button is hidden while following. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (f->chart));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_has_css_class (child, "follow-live"))
      button = child;
  g_assert_nonnull (button);
  g_assert_false (gtk_widget_get_visible (button));

  /* A drag (pan) leaves follow-live; the view stays put as time passes. */
  nt_strip_chart_drag_begin (f->chart, 500, 200);
  nt_strip_chart_drag_update (f->chart, 100, 0);
  nt_strip_chart_drag_end (f->chart);
  g_assert_false (nt_strip_chart_get_follow_live (f->chart));
  g_assert_true (gtk_widget_get_visible (button));
  frozen_to = nt_strip_chart_get_end_time (f->chart);
  g_assert_cmpint (llabs (frozen_to - (to2 - (gint64)(100 * column_us (f)))), <=, 2);

  f->now += 60 * SEC;
  nt_strip_chart_update_now (f->chart);
  g_assert_cmpint (nt_strip_chart_get_end_time (f->chart), ==, frozen_to);

  /* One click restores it (a keyboard activation clicks after a short
   * animation). */
  gtk_widget_activate (button);
  wait_for (is_following, f);
  g_assert_true (nt_strip_chart_get_follow_live (f->chart));
  g_assert_false (gtk_widget_get_visible (button));
  nt_strip_chart_get_visible_range (f->chart, &from, &to);
  g_assert_cmpint (to, >, f->now);
  g_assert_cmpint (to - f->now, <=, (gint64)column_us (f) + 1);

  /* The arrow keys' action pans, and leaves follow-live too; End returns. */
  gtk_widget_activate_action (GTK_WIDGET (f->chart), "chart.pan-left", NULL);
  g_assert_false (nt_strip_chart_get_follow_live (f->chart));
  g_assert_cmpint (llabs (nt_strip_chart_get_end_time (f->chart) - (to - 90 * SEC)), <=, 2);
  gtk_widget_activate_action (GTK_WIDGET (f->chart), "chart.pan-right", NULL);
  g_assert_cmpint (llabs (nt_strip_chart_get_end_time (f->chart) - to), <=, 4);
  gtk_widget_activate_action (GTK_WIDGET (f->chart), "chart.follow-live", NULL);
  g_assert_true (nt_strip_chart_get_follow_live (f->chart));
}

static void
test_zoom (Fixture       *f,
           gconstpointer  data)
{
  graphene_rect_t plot;
  gint64 end, anchor_t;
  double anchor_x;

  nt_strip_chart_get_plot_area (f->chart, &plot);
  nt_strip_chart_set_range (f->chart, NT_STRIP_CHART_RANGE_1_HOUR);

  /* Keys (+ and −) while following: the end stays at now. */
  gtk_widget_activate_action (GTK_WIDGET (f->chart), "chart.zoom-in", NULL);
  g_assert_cmpfloat_with_epsilon (nt_strip_chart_get_visible_span (f->chart), 2400, 0.001);
  g_assert_true (nt_strip_chart_get_follow_live (f->chart));
  g_assert_cmpint (nt_strip_chart_get_end_time (f->chart), >, f->now);
  gtk_widget_activate_action (GTK_WIDGET (f->chart), "chart.zoom-out", NULL);
  g_assert_cmpfloat_with_epsilon (nt_strip_chart_get_visible_span (f->chart), 3600, 0.001);

  /* Away from live, the scroll wheel zooms about the pointer: the instant
   * under it stays under it. */
  end = f->start + 3600 * SEC;
  nt_strip_chart_set_end_time (f->chart, end);
  g_assert_false (nt_strip_chart_get_follow_live (f->chart));
  anchor_x = plot.origin.x + plot.size.width * 0.3;
  nt_strip_chart_pointer_motion (f->chart, anchor_x, plot.origin.y + 10);
  anchor_t = nt_strip_chart_time_at_x (f->chart, anchor_x);
  nt_strip_chart_scroll (f->chart, 0, -1);   /* wheel up: zoom in */
  g_assert_cmpfloat_with_epsilon (nt_strip_chart_get_visible_span (f->chart), 3000, 0.001);
  g_assert_cmpint (llabs (nt_strip_chart_time_at_x (f->chart, anchor_x) - anchor_t), <=, (gint64)column_us (f));
  nt_strip_chart_scroll (f->chart, 0, 1);    /* wheel down: zoom out */
  g_assert_cmpfloat_with_epsilon (nt_strip_chart_get_visible_span (f->chart), 3600, 0.001);
  g_assert_cmpint (llabs (nt_strip_chart_time_at_x (f->chart, anchor_x) - anchor_t), <=, (gint64)column_us (f));

  /* Pinch: spreading the fingers twice as far shows half the span, about
   * the centre of the fingers. */
  anchor_x = plot.origin.x + plot.size.width * 0.6;
  anchor_t = nt_strip_chart_time_at_x (f->chart, anchor_x);
  nt_strip_chart_pinch_begin (f->chart, anchor_x);
  nt_strip_chart_pinch_scale (f->chart, 1.5);
  nt_strip_chart_pinch_scale (f->chart, 2.0);
  nt_strip_chart_pinch_end (f->chart);
  g_assert_cmpfloat_with_epsilon (nt_strip_chart_get_visible_span (f->chart), 1800, 0.001);
  g_assert_cmpint (llabs (nt_strip_chart_time_at_x (f->chart, anchor_x) - anchor_t), <=, (gint64)column_us (f));

  /* Zoom has limits. */
  for (int i = 0; i < 40; i++)
    gtk_widget_activate_action (GTK_WIDGET (f->chart), "chart.zoom-in", NULL);
  g_assert_cmpfloat (nt_strip_chart_get_visible_span (f->chart), ==, 10);
  for (int i = 0; i < 80; i++)
    gtk_widget_activate_action (GTK_WIDGET (f->chart), "chart.zoom-out", NULL);
  g_assert_cmpfloat (nt_strip_chart_get_visible_span (f->chart), ==, 31 * 24 * 3600);
}

static void
test_hover (Fixture       *f,
            gconstpointer  data)
{
  graphene_rect_t plot;
  g_autoptr(GTimeZone) tokyo = g_time_zone_new_identifier ("Asia/Tokyo");
  gsize n = nt_series_get_n_samples (f->series);
  g_autofree gint64 *ts = g_new (gint64, n);
  g_autofree double *vs = g_new (double, n);

  g_assert_nonnull (tokyo);
  nt_series_copy_range (f->series, 0, n, ts, vs, NULL);
  nt_strip_chart_get_plot_area (f->chart, &plot);

  /* Sparse (15 min: under a sample a column) and dense (2 h: several a
   * column, the spike among them), pointer low and high. */
  for (guint config = 0; config < 4; config++)
  {
  nt_strip_chart_set_visible_span (f->chart, config < 2 ? 900 : 7200);
  nt_strip_chart_set_end_time (f->chart, f->start + (config < 2 ? 1800 : 7000) * SEC);
  settle ();

  for (double x = plot.origin.x + 0.5; x < plot.origin.x + plot.size.width; x += 7.3)
    {
      double py = plot.origin.y + plot.size.height * (config % 2 ? 0.1 : 0.9);
      gint64 from, to, cb, ce;
      guint width = (guint)plot.size.width;
      guint column = (guint)floor (x - plot.origin.x);
      gssize best = -1;
      gint64 ht;
      double hv;
      guint8 hsev;
      guint hs;
      const char *text;
      g_autoptr(GDateTime) utc = NULL;
      g_autoptr(GDateTime) jst = NULL;
      g_autofree char *when = NULL;
      g_autofree char *value = NULL;

      /* Brute force: of the samples in the pixel column under the pointer
       * the one drawn nearest to it, else the value holding there. */
      nt_strip_chart_get_visible_range (f->chart, &from, &to);
      cb = nt_decimate_column_start (from, to, width, column);
      ce = nt_decimate_column_start (from, to, width, column + 1);
      for (gsize i = 0; i < n; i++)
        {
          if (ts[i] >= cb && ts[i] < ce &&
              (best < 0 || ts[best] < cb ||
               fabs (nt_strip_chart_y_at_value (f->chart, vs[i]) - py) <
               fabs (nt_strip_chart_y_at_value (f->chart, vs[best]) - py)))
            best = i;
          else if (ts[i] < cb)
            best = i;
        }
      nt_strip_chart_pointer_motion (f->chart, x, py);
      if (best < 0)
        {
          /* before the first sample: nothing to read out */
          g_assert_false (nt_strip_chart_get_hover_sample (f->chart, NULL, NULL, NULL, NULL));
          continue;
        }

      g_assert_true (nt_strip_chart_get_hover_sample (f->chart, &hs, &ht, &hv, &hsev));
      g_assert_cmpuint (hs, ==, 0);
      g_assert_cmpint (ht, ==, ts[best]);
      g_assert_cmpfloat (hv, ==, vs[best]);

      /* The readout says the same, in JST (the test runs with TZ=UTC). */
      utc = g_date_time_new_from_unix_utc (ts[best] / SEC);
      jst = g_date_time_to_timezone (utc, tokyo);
      when = g_date_time_format (jst, "%Y-%m-%d %H:%M:%S JST");
      value = g_strdup_printf ("%.2f mA", vs[best]);
      text = nt_strip_chart_get_readout_text (f->chart);
      g_assert_nonnull (text);
      g_assert_nonnull (strstr (text, when));
      g_assert_nonnull (strstr (text, value));
    }
  }

  /* 04:5x JST on the 29th for 19:5x UTC on the 28th (the last pointer). */
  g_assert_nonnull (strstr (nt_strip_chart_get_readout_text (f->chart), "2026-11-29 04:5"));

  nt_strip_chart_pointer_leave (f->chart);
  g_assert_false (nt_strip_chart_get_hover_sample (f->chart, NULL, NULL, NULL, NULL));
  g_assert_null (nt_strip_chart_get_readout_text (f->chart));
}

typedef struct
{
  GMainLoop *loop;
  gboolean   ok;
  GError    *error;
} AsyncWait;

static void
export_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  AsyncWait *w = user_data;

  if (g_task_get_source_tag (G_TASK (result)) == nt_strip_chart_export_csv_async)
    w->ok = nt_strip_chart_export_csv_finish (NT_STRIP_CHART (object), result, &w->error);
  else
    w->ok = nt_strip_chart_export_png_finish (NT_STRIP_CHART (object), result, &w->error);
  g_main_loop_quit (w->loop);
}

static GdkTexture *
render_png (Fixture *f)
{
  g_autofree char *dir = g_dir_make_tmp ("test-strip-chart-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "chart.png", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  AsyncWait w = { g_main_loop_new (NULL, FALSE), FALSE, NULL };
  GdkTexture *texture;
  GError *error = NULL;

  settle ();
  nt_strip_chart_export_png_async (f->chart, file, NULL, export_done_cb, &w);
  g_main_loop_run (w.loop);
  g_main_loop_unref (w.loop);
  g_assert_no_error (w.error);
  g_assert_true (w.ok);

  texture = gdk_texture_new_from_file (file, &error);
  g_assert_no_error (error);

  /* To look at what the tests see: NT_TEST_PNG_DIR=/some/dir */
  if (g_getenv ("NT_TEST_PNG_DIR") != NULL)
    {
      static guint n;
      g_autofree char *name = g_strdup_printf ("strip-chart-%02u.png", n++);
      g_autofree char *keep = g_build_filename (g_getenv ("NT_TEST_PNG_DIR"), name, NULL);

      g_rename (path, keep);
    }
  g_unlink (path);
  g_rmdir (dir);

  return texture;
}

static void
pixel_at (GdkTexture *texture,
          const guchar *pixels,
          int         x,
          int         y,
          GdkRGBA    *out)
{
  /* GDK_MEMORY_DEFAULT: B, G, R, A premultiplied */
  const guchar *p = pixels + (gsize)y * gdk_texture_get_width (texture) * 4 + (gsize)x * 4;
  double a = p[3] / 255.0;

  out->alpha = a;
  out->red = a > 0 ? p[2] / 255.0 / a : 0;
  out->green = a > 0 ? p[1] / 255.0 / a : 0;
  out->blue = a > 0 ? p[0] / 255.0 / a : 0;
}

static gboolean
near_color (const GdkRGBA *a,
            const GdkRGBA *b)
{
  return fabs (a->red - b->red) < 0.03 && fabs (a->green - b->green) < 0.03 &&
         fabs (a->blue - b->blue) < 0.03;
}

static GtkWidget *
legend_label (Fixture *f)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (f->chart));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_has_css_class (child, "legend"))
      return gtk_widget_get_first_child (child);

  return NULL;
}

/* The series is drawn where it should be, in its CSS colour, in light and
 * in dark mode; a disconnected span has no line. */
static void
check_line_pixels (Fixture *f,
                   gint64   gap_from,
                   gint64   gap_to)
{
  g_autoptr(GdkTexture) texture = render_png (f);
  g_autofree guchar *pixels = NULL;
  GdkRGBA series_color, px;
  GtkWidget *label = legend_label (f);
  graphene_rect_t plot;
  guint hits = 0, checked = 0;

  g_assert_nonnull (label);
  gtk_style_context_get_color (gtk_widget_get_style_context (label), &series_color);
  nt_strip_chart_get_plot_area (f->chart, &plot);

  pixels = g_malloc ((gsize)gdk_texture_get_width (texture) * gdk_texture_get_height (texture) * 4);
  gdk_texture_download (texture, pixels, (gsize)gdk_texture_get_width (texture) * 4);

  for (int x = (int)plot.origin.x + 2; x < plot.origin.x + plot.size.width - 2; x += 13)
    {
      gint64 t = nt_strip_chart_time_at_x (f->chart, x + 0.5);
      gsize idx;
      double v;
      int y;
      gboolean found = FALSE;

      nt_series_nearest (f->series, t, &idx);
      nt_series_get_sample (f->series, idx, NULL, &v, NULL);

      if (t >= gap_from && t < gap_to)
        {
          /* No line anywhere in this column. */
          for (y = (int)plot.origin.y; y < plot.origin.y + plot.size.height; y++)
            {
              pixel_at (texture, pixels, x, y, &px);
              g_assert_false (near_color (&px, &series_color));
            }
          continue;
        }
      if (isnan (v))
        continue;

      y = (int)nt_strip_chart_y_at_value (f->chart, v);
      checked++;
      for (int dy = -3; dy <= 3 && !found; dy++)
        {
          if (y + dy < 0 || y + dy >= gdk_texture_get_height (texture))
            continue;
          pixel_at (texture, pixels, x, y + dy, &px);
          found = near_color (&px, &series_color);
        }
      hits += found;
    }

  g_assert_cmpuint (checked, >, 20);
  g_assert_cmpuint (hits, ==, checked);
}

static GtkWidget *
legend_label_n (Fixture *f,
                guint    n)
{
  GtkWidget *label = legend_label (f);

  while (label != NULL && n-- > 0)
    label = gtk_widget_get_next_sibling (label);

  return label;
}

static guchar *
download (GdkTexture *texture)
{
  guchar *pixels = g_malloc ((gsize)gdk_texture_get_width (texture) * gdk_texture_get_height (texture) * 4);

  gdk_texture_download (texture, pixels, (gsize)gdk_texture_get_width (texture) * 4);

  return pixels;
}

/* Run-plan mode bands along the time axis, no-beam shading across the
 * plot (planned, and read from the data: a dump), and a sparse series held
 * flat between its samples (values come only on change). */
static void
test_bands_and_hold (Fixture       *f,
                     gconstpointer  data)
{
  gint64 s0 = f->start / SEC;
  const NtPeriodSpan plan[] = {
    { s0, s0 + 1800, NT_PERIOD_USER_OPERATION },
    { s0 + 1800, s0 + 2400, NT_PERIOD_MAINTENANCE },
    { s0 + 2400, s0 + 3600, NT_PERIOD_MACHINE_STUDY },
  };
  g_autofree gint64 *dump_t = g_new (gint64, 600);
  g_autofree double *dump_v = g_new (double, 600);
  g_autoptr(NtSeries) sparse = nt_series_new (0);
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guchar *pixels = NULL;
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (f->chart));
  GdkRGBA user_op, study, maint, sparse_color, px, shaded, clear;
  graphene_rect_t plot;
  int band_y, x;

  for (int k = 0; k < 12; k++)
    nt_series_append (sparse, f->start + k * 300 * SEC, 100.0 + 20 * k, NT_SERIES_SEVERITY_NONE);
  nt_strip_chart_add_series (f->chart, "Sparse", "mA", sparse, "series-2");
  nt_strip_chart_set_run_plan (f->chart, plan, G_N_ELEMENTS (plan));

  /* A beam dump from 10 to 20 minutes past: no beam, read from the data. */
  for (int k = 0; k < 600; k++)
    {
      dump_t[k] = f->start + (600 + k) * SEC;
      dump_v[k] = 0.02;
    }
  nt_series_replace_range (f->series, f->start + 600 * SEC, f->start + 1200 * SEC,
                           dump_t, dump_v, NULL, 600);
  nt_strip_chart_set_beam_threshold (f->chart, 0, 10.0);
  nt_strip_chart_set_visible_span (f->chart, 3600);
  nt_strip_chart_set_end_time (f->chart, f->start + 3600 * SEC);
  settle ();

  g_assert_true (gtk_style_context_lookup_color (context, "nt_chart_band_user_operation", &user_op));
  g_assert_true (gtk_style_context_lookup_color (context, "nt_chart_band_machine_study", &study));
  g_assert_true (gtk_style_context_lookup_color (context, "nt_chart_band_maintenance", &maint));
  gtk_style_context_get_color (gtk_widget_get_style_context (legend_label_n (f, 1)), &sparse_color);

  texture = render_png (f);
  pixels = download (texture);
  nt_strip_chart_get_plot_area (f->chart, &plot);

  /* The mode strip just under the plot. */
  band_y = (int)(plot.origin.y + plot.size.height + 4);
  x = (int)nt_strip_chart_x_at_time (f->chart, f->start + 800 * SEC);
  pixel_at (texture, pixels, x, band_y, &px);
  g_assert_true (near_color (&px, &user_op));
  x = (int)nt_strip_chart_x_at_time (f->chart, f->start + 2100 * SEC);
  pixel_at (texture, pixels, x, band_y, &px);
  g_assert_true (near_color (&px, &maint));
  x = (int)nt_strip_chart_x_at_time (f->chart, f->start + 2600 * SEC);
  pixel_at (texture, pixels, x, band_y, &px);
  g_assert_true (near_color (&px, &study));

  /* No-beam shading: the plot background differs inside the dump and in
   * the maintenance period, and is the same in both. */
  x = (int)nt_strip_chart_x_at_time (f->chart, f->start + 1400 * SEC);
  pixel_at (texture, pixels, x, (int)plot.origin.y + 2, &clear);
  x = (int)nt_strip_chart_x_at_time (f->chart, f->start + 700 * SEC);
  pixel_at (texture, pixels, x, (int)plot.origin.y + 2, &shaded);
  g_assert_false (near_color (&shaded, &clear));
  x = (int)nt_strip_chart_x_at_time (f->chart, f->start + 2300 * SEC);
  pixel_at (texture, pixels, x, (int)plot.origin.y + 2, &px);
  g_assert_true (near_color (&px, &shaded));

  /* The readout names the planned mode in words. */
  nt_strip_chart_pointer_motion (f->chart, nt_strip_chart_x_at_time (f->chart, f->start + 2100 * SEC),
                                 plot.origin.y + 10);
  g_assert_nonnull (strstr (nt_strip_chart_get_readout_text (f->chart), "Maintenance"));
  nt_strip_chart_pointer_leave (f->chart);

  /* The sparse series holds each value until the next one. */
  for (int k = 0; k < 11; k++)
    {
      gint64 t = f->start + k * 300 * SEC + 150 * SEC;
      int y = (int)nt_strip_chart_y_at_value (f->chart, 100.0 + 20 * k);
      gboolean found = FALSE;

      x = (int)nt_strip_chart_x_at_time (f->chart, t);
      for (int dy = -2; dy <= 2 && !found; dy++)
        {
          pixel_at (texture, pixels, x, y + dy, &px);
          found = near_color (&px, &sparse_color);
        }
      g_assert_true (found);
    }
}

static void
test_render_and_dark_mode (Fixture       *f,
                           gconstpointer  data)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  GdkRGBA light, dark;

  nt_strip_chart_set_visible_span (f->chart, 1800);
  nt_strip_chart_set_end_time (f->chart, f->start + 3600 * SEC);

  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_LIGHT);
  settle ();
  gtk_style_context_get_color (gtk_widget_get_style_context (legend_label (f)), &light);
  check_line_pixels (f, 0, 0);

  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_DARK);
  settle ();
  gtk_style_context_get_color (gtk_widget_get_style_context (legend_label (f)), &dark);
  g_assert_false (gdk_rgba_equal (&light, &dark));
  check_line_pixels (f, 0, 0);

  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_DEFAULT);
  settle ();
}

/* The client reports a disconnect, then a reconnect: the chart shows the
 * gap without a line across it, and after the archive's samples refill
 * the gap the line is whole. */
static void
test_gap_refill (Fixture       *f,
                 gconstpointer  data)
{
  gint64 lost = f->now + 10 * SEC;
  gint64 back = lost + 300 * SEC;
  g_autofree gint64 *at = g_new (gint64, 300);
  g_autofree double *av = g_new (double, 300);
  graphene_rect_t plot;
  gint64 open_start;
  guint8 sev;
  double v;

  nt_strip_chart_set_range (f->chart, NT_STRIP_CHART_RANGE_15_MIN);
  nt_strip_chart_get_plot_area (f->chart, &plot);

  /* Live values up to the disconnect. */
  for (gint64 s = 0; s < 10; s++)
    nt_series_append (f->series, f->now + s * SEC, 399.0, NT_SERIES_SEVERITY_NONE);
  nt_series_mark_gap (f->series, lost);
  g_assert_true (nt_series_get_open_gap (f->series, &open_start));
  g_assert_cmpint (open_start, ==, lost);

  /* Reconnected five minutes later; live values resume. */
  f->now = back;
  nt_strip_chart_update_now (f->chart);
  for (gint64 s = 0; s < 30; s++)
    nt_series_append (f->series, back + s * SEC, 398.0, NT_SERIES_SEVERITY_NONE);
  f->now = back + 30 * SEC;
  nt_strip_chart_update_now (f->chart);
  settle ();

  /* Hovering the middle of the gap reads "disconnected", not a number. */
  nt_strip_chart_pointer_motion (f->chart, nt_strip_chart_x_at_time (f->chart, lost + 100 * SEC),
                                 plot.origin.y + 20);
  g_assert_true (nt_strip_chart_get_hover_sample (f->chart, NULL, NULL, &v, &sev));
  g_assert_true (isnan (v));
  g_assert_cmpint (sev, ==, NT_SERIES_SEVERITY_UNDEFINED);
  g_assert_nonnull (strstr (nt_strip_chart_get_readout_text (f->chart), "disconnected"));
  nt_strip_chart_pointer_leave (f->chart);
  check_line_pixels (f, lost + 2 * (gint64)column_us (f), back - 2 * (gint64)column_us (f));

  /* The archive fills [lost, back). */
  for (guint k = 0; k < 300; k++)
    {
      at[k] = lost + k * SEC;
      av[k] = 399.0 - k * 0.002;
    }
  nt_series_replace_range (f->series, lost, back, at, av, NULL, 300);
  g_assert_false (nt_series_get_open_gap (f->series, NULL));
  settle ();

  nt_strip_chart_pointer_motion (f->chart, nt_strip_chart_x_at_time (f->chart, lost + 100 * SEC),
                                 plot.origin.y + 20);
  g_assert_true (nt_strip_chart_get_hover_sample (f->chart, NULL, NULL, &v, &sev));
  g_assert_false (isnan (v));
  g_assert_cmpint (sev, ==, NT_SERIES_SEVERITY_NONE);
  nt_strip_chart_pointer_leave (f->chart);
  check_line_pixels (f, 0, 0);
}

static void
test_export_csv (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *dir = g_dir_make_tmp ("test-strip-chart-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "chart.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  AsyncWait w = { g_main_loop_new (NULL, FALSE), FALSE, NULL };
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  GError *error = NULL;
  gint64 from, to;
  gsize expected;

  nt_strip_chart_set_visible_span (f->chart, 600);
  nt_strip_chart_set_end_time (f->chart, f->start + 3000 * SEC + 1);
  nt_strip_chart_get_visible_range (f->chart, &from, &to);
  expected = nt_series_lower_bound (f->series, to) - nt_series_lower_bound (f->series, from);
  g_assert_cmpuint (expected, ==, 600);

  nt_strip_chart_export_csv_async (f->chart, file, NULL, export_done_cb, &w);
  g_main_loop_run (w.loop);
  g_main_loop_unref (w.loop);
  g_assert_no_error (w.error);
  g_assert_true (w.ok);

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "time_utc,time_jst,series,value,severity");
  g_assert_cmpuint (g_strv_length (lines), ==, expected + 2);   /* header, trailing "" */
  g_assert_cmpstr (lines[expected + 1], ==, "");

  /* Sample 2401 s after 18:00 UTC: 18:40:01 UTC = 03:40:01 JST next day. */
  g_assert_cmpstr (lines[1], ==,
                   "2026-11-28T18:40:01.000Z,2026-11-29T03:40:01.000+09:00,Ring current,399.99,NONE");

  g_unlink (path);
  g_rmdir (dir);
}
/* A week of stored current with beam dumps: without beam the DCCT reads
 * its noise about 0 mA, a little under it at times.  Padding the axis
 * for those readings put it below 0 mA; with the series' lower bound at
 * 0 (a current is never negative) the axis starts at 0, and the readings
 * themselves are kept as they are.  Dumps to exactly 0 start at 0 too. */
static void
fill_week_with_dumps (Fixture *f,
                      double   noise)
{
  nt_series_clear (f->series);
  for (gint64 i = 0; i < 7 * 24 * 60; i++)
    {
      gint64 minute_of_day = i % (24 * 60);
      double v = 400.0 - (i % 5) * 0.4;

      /* every day a dump at 03:00 and two hours without beam */
      if (minute_of_day >= 180 && minute_of_day < 300)
        v = (i % 2 == 0 ? -noise : noise);
      nt_series_append (f->series, f->start + i * 60 * SEC, v, NT_SERIES_SEVERITY_NONE);
    }
  f->now = f->start + 7 * 24 * 3600 * SEC;
  nt_strip_chart_set_range (f->chart, NT_STRIP_CHART_RANGE_7_DAYS);
  nt_strip_chart_set_end_time (f->chart, f->now);
  settle ();
}

static void
test_value_axis_lower_bound (Fixture       *f,
                             gconstpointer  data)
{
  double min = NAN, max = NAN;
  gint64 from, to;

  /* Noise under 0 mA, no bound: the padding goes below 0. */
  fill_week_with_dumps (f, 0.02);
  nt_strip_chart_get_visible_range (f->chart, &from, &to);
  g_assert_cmpint (from, <=, f->start + 60 * SEC);
  nt_strip_chart_get_value_axis (f->chart, &min, &max);
  g_test_message ("no bound: axis %g … %g", min, max);
  g_assert_cmpfloat (min, <, 0.0);

  /* A current is never negative: the axis starts at 0 mA. */
  nt_strip_chart_set_series_lower_bound (f->chart, 0, 0.0);
  nt_strip_chart_get_value_axis (f->chart, &min, &max);
  g_test_message ("bound 0: axis %g … %g", min, max);
  g_assert_cmpfloat (min, ==, 0.0);
  g_assert_cmpfloat (max, >=, 400.0);
  g_assert_cmpfloat (max, <=, 500.0);
  {
    double v = 0;

    /* The data are not clamped, only the axis. */
    g_assert_true (nt_series_range_minmax (f->series, 0, nt_series_get_n_samples (f->series), &v, NULL));
    g_assert_cmpfloat (v, ==, -0.02);
  }

  /* A new dump (live data) keeps the axis at 0, not below. */
  nt_series_append (f->series, f->now + 60 * SEC, -0.5, NT_SERIES_SEVERITY_NONE);
  f->now += 120 * SEC;
  nt_strip_chart_set_end_time (f->chart, f->now);
  settle ();
  nt_strip_chart_get_value_axis (f->chart, &min, &max);
  g_assert_cmpfloat (min, ==, 0.0);

  /* Only beam, no dump: the axis is fitted to the data, not pinned to
   * the bound. */
  nt_series_clear (f->series);
  for (gint64 i = 0; i < 7 * 24 * 60; i++)
    nt_series_append (f->series, f->start + i * 60 * SEC, 400.0 - (i % 5) * 0.4, NT_SERIES_SEVERITY_NONE);
  f->now = f->start + 7 * 24 * 3600 * SEC;
  nt_strip_chart_set_end_time (f->chart, f->now);
  settle ();
  nt_strip_chart_get_value_axis (f->chart, &min, &max);
  g_assert_cmpfloat (min, >, 390.0);
  g_assert_cmpfloat (min, <, 398.4);

  /* Without the bound, dumps to exactly 0 mA also start the axis at 0. */
  nt_strip_chart_set_series_lower_bound (f->chart, 0, -INFINITY);
  fill_week_with_dumps (f, 0.0);
  nt_strip_chart_get_value_axis (f->chart, &min, &max);
  g_assert_cmpfloat (min, ==, 0.0);
  g_assert_cmpfloat (max, >=, 400.0);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  /* Every test here runs at a named instant, never at the real date. */
  nt_test_clock_run_from (NT_TEST_USER_OPERATION, 1.0);
  adw_init ();

  load_css ();

  g_test_add ("/strip-chart/range-switching", Fixture, NULL,
              fixture_set_up, test_range_switching, fixture_tear_down);
  g_test_add ("/strip-chart/follow-live", Fixture, NULL,
              fixture_set_up, test_follow_live, fixture_tear_down);
  g_test_add ("/strip-chart/zoom", Fixture, NULL,
              fixture_set_up, test_zoom, fixture_tear_down);
  g_test_add ("/strip-chart/time-ticks", Fixture, NULL,
              fixture_set_up, test_time_ticks, fixture_tear_down);
  g_test_add ("/strip-chart/midnight-label", Fixture, NULL,
              fixture_set_up, test_midnight_label, fixture_tear_down);
  g_test_add ("/strip-chart/key-bindings", Fixture, NULL,
              fixture_set_up, test_key_bindings, fixture_tear_down);
  g_test_add ("/strip-chart/hover", Fixture, NULL,
              fixture_set_up, test_hover, fixture_tear_down);
  g_test_add ("/strip-chart/render-dark-mode", Fixture, NULL,
              fixture_set_up, test_render_and_dark_mode, fixture_tear_down);
  g_test_add ("/strip-chart/bands-and-hold", Fixture, NULL,
              fixture_set_up, test_bands_and_hold, fixture_tear_down);
  g_test_add ("/strip-chart/gap-refill", Fixture, NULL,
              fixture_set_up, test_gap_refill, fixture_tear_down);
  g_test_add ("/strip-chart/value-axis-lower-bound", Fixture, NULL,
              fixture_set_up, test_value_axis_lower_bound, fixture_tear_down);
  g_test_add ("/strip-chart/export-csv", Fixture, NULL,
              fixture_set_up, test_export_csv, fixture_tear_down);

  return g_test_run ();
}
