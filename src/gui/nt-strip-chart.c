/* nt-strip-chart.c: a live strip chart of one or more time series
 *
 * How it draws (STYLE.md §9, DESIGN.md §8):
 *
 *  - Series are NtSeries (flat arrays with a min/max pyramid).  When the
 *    data, the size or the view change, each series is decimated to one
 *    NtColumn per pixel column of the plot (exact min/max, first/last,
 *    gap flags).  An appended live sample redoes only the columns it
 *    touches.  This happens in the frame clock's update phase, not in
 *    snapshot().
 *  - Two cached render nodes: the static layer (no-beam shading, grid,
 *    axis labels, run-plan mode bands) rebuilt only when size, view, value
 *    axis or style change; the data layer (disconnected spans, one cairo
 *    path per series made of one pixel-aligned rectangle per column,
 *    filled once, without antialiasing) rebuilt when columns change.
 *  - snapshot() appends the two nodes and draws the hover marker: moving
 *    the pointer never rebuilds a layer.
 *  - Colours come from CSS: series from their legend label (which carries
 *    the series' CSS class), everything else from named colours in
 *    data/nt-strip-chart.css, read again when the style changes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-strip-chart"

#include "config.h"

#include <math.h>
#include <string.h>

#include "nt-clock.h"
#include "nt-decimate.h"
#include "nt-i18n.h"
#include "nt-run-plan.h"
#include "nt-strip-chart-private.h"
#include "nt-strip-chart.h"
#include "nt-time.h"

#define MIN_SPAN_US        ((gint64)10 * G_USEC_PER_SEC)
#define MAX_SPAN_US        ((gint64)31 * 24 * 3600 * G_USEC_PER_SEC)
#define DEFAULT_SPAN_US    ((gint64)3600 * G_USEC_PER_SEC)
#define RANGE_DEBOUNCE_MS  150
#define LINE_WIDTH         2.0
#define BAND_STRIP_HEIGHT  6.0
#define KEY_ZOOM_FACTOR    1.5

typedef struct
{
  NtStripChart    *chart;
  char            *name;
  char            *unit;
  char            *css_class;
  NtSeries        *series;
  gulong           changed_id;
  int              precision;      /* -1: from the value axis */
  double           lower_bound;    /* the least value the quantity has; -INFINITY: none */
  double           min_span;       /* the automatic axis spans at least this above lower_bound */
  GtkWidget       *legend_label;
  GdkRGBA          color;

  NtColumn        *columns;        /* chart->win_width of them */
  NtDecimateEdges  edges;
  guint            dirty_from;     /* columns to redo: [dirty_from, dirty_to) */
  guint            dirty_to;
} Series;

typedef struct
{
  gint64  start;
  gint64  end;
  char   *kind;
  GdkRGBA color;
} Band;

struct _NtStripChart
{
  GtkWidget          parent_instance;

  GPtrArray         *series;          /* Series* */

  /* View */
  gint64             span_us;
  gint64             end_us;          /* used when not following live */
  gboolean           follow_live;
  NtStripChartClock  clock;
  gpointer           clock_data;
  GDestroyNotify     clock_destroy;
  guint              follow_source;

  /* Value axis */
  gboolean           fixed_range;
  double             fixed_min;
  double             fixed_max;
  double             axis_min;
  double             axis_max;
  double             axis_step;

  /* Layout (widget coordinates) */
  graphene_rect_t    plot;
  guint              win_width;       /* pixel columns */
  int                line_height;

  /* Decimation window the columns were computed for */
  gboolean           columns_valid;
  gint64             win_t0;
  gint64             win_t1;

  /* Cached layers */
  GskRenderNode     *static_node;
  GskRenderNode     *data_node;
  gboolean           static_dirty;
  gboolean           data_dirty;
  gboolean           colors_dirty;
  gboolean           in_snapshot;
  guint              update_tick_id;

  /* Bands */
  GArray            *bands;           /* Band, along the time axis */
  GArray            *shading;         /* Band, across the plot */

  /* Colours */
  GdkRGBA            fg;
  GdkRGBA            grid;
  GdkRGBA            axis;
  GdkRGBA            gap;
  GdkRGBA            hover;
  GdkRGBA            no_beam;

  /* No beam read from the data: columns of this series below this */
  guint              beam_series;
  double             beam_threshold;  /* NaN: off */

  /* Hover */
  gboolean           hovering;
  double             pointer_x;
  double             pointer_y;
  gboolean           hover_valid;
  guint              hover_series;
  gsize              hover_index;
  gint64             hover_t;
  double             hover_v;
  guint8             hover_sev;

  /* Gestures */
  gint64             drag_start_t1;
  gboolean           dragging;
  gint64             pinch_start_span;
  gint64             pinch_anchor_t;
  double             pinch_anchor_x;

  /* Notifications */
  guint              range_source;
  gint64             last_a11y_update;

  char              *language;
  GPtrArray         *time_labels;   /* the time axis's labels as last drawn */

  /* Children */
  GtkWidget         *legend;
  GtkWidget         *follow_button;
  GtkWidget         *readout;
};

G_DEFINE_FINAL_TYPE (NtStripChart, nt_strip_chart, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_VISIBLE_SPAN,
  PROP_END_TIME,
  PROP_FOLLOW_LIVE,
  PROP_LANGUAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  RANGE_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char * const severity_classes[] = {
  "severity-none",
  "severity-minor",
  "severity-major",
  "severity-invalid",
  "severity-undefined",
};

static void schedule_update   (NtStripChart *self);
static void ensure_columns    (NtStripChart *self);
static void update_hover      (NtStripChart *self);

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static void
series_free (gpointer data)
{
  Series *s = data;

  g_clear_signal_handler (&s->changed_id, s->series);
  g_clear_object (&s->series);
  g_clear_pointer (&s->name, g_free);
  g_clear_pointer (&s->unit, g_free);
  g_clear_pointer (&s->css_class, g_free);
  g_clear_pointer (&s->columns, g_free);
  g_free (s);
}

static void
band_clear (gpointer data)
{
  Band *band = data;

  g_clear_pointer (&band->kind, g_free);
}

static gint64
default_clock (gpointer user_data)
{
  return nt_clock_now_us ();
}

static guint
plot_columns (NtStripChart *self)
{
  return self->win_width > 0 ? self->win_width : 1;
}

static void
compute_window (NtStripChart *self,
                gint64       *t0,
                gint64       *t1)
{
  gint64 end;

  if (self->follow_live)
    {
      gint64 now = self->clock (self->clock_data);
      gint64 d = MAX (1, self->span_us / plot_columns (self));

      /* Snap to a whole column so the picture does not shimmer as it
       * scrolls; the end is always just after "now". */
      end = (now / d + 1) * d;
    }
  else
    end = self->end_us;

  *t0 = end - self->span_us;
  *t1 = end;
}

static void
invalidate_columns (NtStripChart *self)
{
  self->columns_valid = FALSE;
  schedule_update (self);
}

static void
range_changed_now (NtStripChart *self)
{
  gint64 t0, t1;

  g_clear_handle_id (&self->range_source, g_source_remove);
  compute_window (self, &t0, &t1);
  g_signal_emit (self, signals[RANGE_CHANGED], 0, t0, t1, plot_columns (self));
}

static gboolean
range_changed_timeout_cb (gpointer user_data)
{
  NtStripChart *self = user_data;

  self->range_source = 0;
  range_changed_now (self);

  return G_SOURCE_REMOVE;
}

/* The view (span, end, follow, width) changed: redo the columns and tell
 * the owner, debounced, so it can fetch history for the new span. */
static void
view_changed (NtStripChart *self)
{
  invalidate_columns (self);
  g_clear_handle_id (&self->range_source, g_source_remove);
  self->range_source = g_timeout_add (RANGE_DEBOUNCE_MS, range_changed_timeout_cb, self);
  if (self->hovering)
    update_hover (self);
}

static gboolean
follow_timeout_cb (gpointer user_data)
{
  nt_strip_chart_update_now (NT_STRIP_CHART (user_data));

  return G_SOURCE_CONTINUE;
}

static void
update_follow_timer (NtStripChart *self)
{
  guint interval;

  g_clear_handle_id (&self->follow_source, g_source_remove);

  if (!self->follow_live || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;

  /* Once per pixel column, but not more than 10 times a second. */
  interval = (guint)CLAMP (self->span_us / plot_columns (self) / 1000, 100, 60000);
  self->follow_source = g_timeout_add (interval, follow_timeout_cb, self);
}

static void
set_span_internal (NtStripChart *self,
                   gint64        span_us)
{
  span_us = CLAMP (span_us, MIN_SPAN_US, MAX_SPAN_US);
  if (span_us == self->span_us)
    return;

  self->span_us = span_us;
  update_follow_timer (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VISIBLE_SPAN]);
}

static void
set_end_internal (NtStripChart *self,
                  gint64        end_us)
{
  if (end_us == self->end_us)
    return;

  self->end_us = end_us;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_END_TIME]);
}

static void
leave_follow_live (NtStripChart *self)
{
  gint64 t0, t1;

  if (!self->follow_live)
    return;

  compute_window (self, &t0, &t1);
  set_end_internal (self, t1);
  nt_strip_chart_set_follow_live (self, FALSE);
}

static double
nice_step (double raw)
{
  double mag, f;

  if (!(raw > 0) || !isfinite (raw))
    return 1.0;

  mag = pow (10.0, floor (log10 (raw)));
  f = raw / mag;
  if (f <= 1.0)
    return mag;
  if (f <= 2.0)
    return 2.0 * mag;
  if (f <= 2.5)
    return 2.5 * mag;
  if (f <= 5.0)
    return 5.0 * mag;
  return 10.0 * mag;
}

static int
digits_for_step (double step)
{
  int digits = 0;

  while (digits < 9 && fabs (step * pow (10.0, digits) - round (step * pow (10.0, digits))) > 1e-6)
    digits++;

  return digits;
}

/* Auto range with hysteresis: keep the axis while the data fit in it and
 * use a fair part of it, so a live sample rarely rebuilds the labels. */
static gboolean
update_value_axis (NtStripChart *self)
{
  double mn = INFINITY, mx = -INFINITY;
  double floor_bound = INFINITY;  /* the lowest lower bound of the series with data */
  double min_top = -INFINITY;     /* the axis reaches at least this (min spans) */
  double lo, hi, step, amin, amax;
  double n_ticks;

  if (self->fixed_range)
    {
      lo = self->fixed_min;
      hi = self->fixed_max;
      n_ticks = MAX (2.0, self->plot.size.height / 50.0);
      step = nice_step ((hi - lo) / n_ticks);
      if (lo == self->axis_min && hi == self->axis_max && step == self->axis_step)
        return FALSE;
      self->axis_min = lo;
      self->axis_max = hi;
      self->axis_step = step;
      return TRUE;
    }

  for (guint i = 0; i < self->series->len; i++)
    {
      Series *s = g_ptr_array_index (self->series, i);
      double a, b;

      if (s->columns != NULL && nt_decimate_value_range (s->columns, self->win_width, &a, &b))
        {
          /* Readings scattered under the bound (a DCCT's noise about
           * 0 mA without beam) do not pull the axis below it. */
          mn = MIN (mn, MAX (a, s->lower_bound));
          mx = MAX (mx, MAX (b, s->lower_bound));
          floor_bound = MIN (floor_bound, s->lower_bound);
          if (s->min_span > 0 && isfinite (s->lower_bound))
            min_top = MAX (min_top, s->lower_bound + s->min_span);
        }
    }
  if (!isfinite (floor_bound))
    floor_bound = -INFINITY;

  if (!(mn <= mx))
    {
      if (self->axis_max > self->axis_min)
        return FALSE;
      mn = 0.0;
      mx = 1.0;
    }

  if (mn >= self->axis_min && mx <= self->axis_max &&
      ((mx - mn) >= 0.4 * (self->axis_max - self->axis_min) ||
       (isfinite (min_top) && self->axis_max <= MAX (min_top, mx / 0.4))))
    return FALSE;

  lo = mn;
  hi = mx;
  if (hi - lo < MAX (fabs (hi), 1.0) * 1e-4)
    {
      double pad = MAX (fabs (hi) * 1e-3, 1e-3);

      lo -= pad;
      hi += pad;
    }
  {
    double pad = (hi - lo) * 0.05;

    /* Pad, but do not cross zero for data that do not, nor the
     * series' lower bound. */
    lo = (mn >= 0 && lo - pad < 0) ? 0.0 : lo - pad;
    hi = (mx <= 0 && hi + pad > 0) ? 0.0 : hi + pad;
    lo = MAX (lo, floor_bound);
    /* Noise about the bound (a DCCT without beam) is not blown up to
     * fill the plot. */
    hi = MAX (hi, min_top);
  }

  n_ticks = MAX (2.0, self->plot.size.height / 50.0);
  step = nice_step ((hi - lo) / n_ticks);
  amin = MAX (floor (lo / step) * step, floor_bound);
  amax = ceil (hi / step) * step;
  if (amax <= amin)
    amax = amin + step;

  if (amin == self->axis_min && amax == self->axis_max)
    return FALSE;

  self->axis_min = amin;
  self->axis_max = amax;
  self->axis_step = step;

  return TRUE;
}

static double
y_at (NtStripChart *self,
      double        v)
{
  double range = self->axis_max - self->axis_min;

  if (!(range > 0))
    return self->plot.origin.y + self->plot.size.height / 2;

  return self->plot.origin.y + (self->axis_max - v) / range * self->plot.size.height;
}

static double
x_at (NtStripChart *self,
      gint64        t0,
      gint64        t1,
      gint64        t)
{
  return self->plot.origin.x + (double)(t - t0) / (double)(t1 - t0) * self->win_width;
}

static GDateTime *
local_time (gint64 t_us)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (t_us / G_USEC_PER_SEC);

  if (utc == NULL)
    return NULL;

  return g_date_time_to_timezone (utc, nt_time_get_zone ());
}

static gint64
zone_offset_s (gint64 t_s)
{
  GTimeZone *zone = nt_time_get_zone ();
  int interval = g_time_zone_find_interval (zone, G_TIME_TYPE_UNIVERSAL, t_s);

  return g_time_zone_get_offset (zone, MAX (interval, 0));
}

static void
lookup_named_color (NtStripChart *self,
                    const char   *name,
                    GdkRGBA      *color,
                    double        fallback_alpha)
{
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self));

  if (!gtk_style_context_lookup_color (context, name, color))
    {
      /* Not themed: a tone of the foreground, still correct in dark mode. */
      *color = self->fg;
      color->alpha *= fallback_alpha;
    }
}

static void
band_color (NtStripChart *self,
            Band         *band,
            double        fallback_alpha)
{
  g_autofree char *name = g_strdup_printf ("nt_chart_band_%s", band->kind);

  g_strdelimit (name, "-", '_');
  lookup_named_color (self, name, &band->color, fallback_alpha);
}

static void
update_colors (NtStripChart *self)
{
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self));

  if (!self->colors_dirty)
    return;

  gtk_style_context_get_color (context, &self->fg);
  lookup_named_color (self, "nt_chart_grid_color", &self->grid, 0.12);
  lookup_named_color (self, "nt_chart_axis_color", &self->axis, 0.45);
  lookup_named_color (self, "nt_chart_gap_color", &self->gap, 0.10);
  lookup_named_color (self, "nt_chart_hover_color", &self->hover, 0.6);
  lookup_named_color (self, "nt_chart_band_no_beam", &self->no_beam, 0.07);

  for (guint i = 0; i < self->bands->len; i++)
    band_color (self, &g_array_index (self->bands, Band, i), 0.35);
  for (guint i = 0; i < self->shading->len; i++)
    band_color (self, &g_array_index (self->shading, Band, i), 0.07);

  for (guint i = 0; i < self->series->len; i++)
    {
      Series *s = g_ptr_array_index (self->series, i);

      gtk_style_context_get_color (gtk_widget_get_style_context (s->legend_label), &s->color);
    }

  self->colors_dirty = FALSE;
}

static const char *
severity_word (guint8 severity)
{
  switch (severity)
    {
    case NT_SERIES_SEVERITY_NONE:
      return NULL;
    case NT_SERIES_SEVERITY_MINOR:
      return _("minor alarm");
    case NT_SERIES_SEVERITY_MAJOR:
      return _("major alarm");
    case NT_SERIES_SEVERITY_INVALID:
      return _("invalid");
    case NT_SERIES_SEVERITY_UNDEFINED:
    default:
      return _("disconnected");
    }
}

/* The run-plan mode in words, for the readout. */
static const char *
band_words (const char *kind)
{
  static const struct { const char *kind; const char *words; } names[] = {
    { "user_operation", N_("User operation") },
    { "machine_study", N_("Machine study") },
    { "commissioning", N_("Beamline commissioning") },
    { "maintenance", N_("Maintenance") },
    { "inspection", N_("Facility inspection") },
    { "shutdown", N_("Shutdown") },
  };
  g_autofree char *key = g_strdelimit (g_strdup (kind), "-", '_');

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (names[i].kind, key))
      return _(names[i].words);

  return NULL;
}

/* "15 minutes", "8 hours", "7 days": for the accessible description. */
static char *
span_words (gint64 span_us)
{
  gint64 s = span_us / G_USEC_PER_SEC;

  if (s < 2 * 3600)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute", "%d minutes", (gulong)MAX (s / 60, 1)),
                            (int)MAX (s / 60, 1));
  if (s < 2 * 86400)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour", "%d hours", (gulong)(s / 3600)),
                            (int)(s / 3600));

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day", "%d days", (gulong)(s / 86400)),
                          (int)(s / 86400));
}

static int
series_digits (NtStripChart *self,
               Series       *s)
{
  if (s->precision >= 0)
    return s->precision;

  return digits_for_step (self->axis_step) + 1;
}

/* ------------------------------------------------------------------ */
/* Decimation (update phase)                                           */
/* ------------------------------------------------------------------ */

static void
update_accessible (NtStripChart *self)
{
  Series *s;
  gint64 t = 0;
  double v = NAN;
  guint8 sev = 0;
  gsize n;
  g_autofree char *desc = NULL;
  g_autofree char *span = NULL;
  gint64 now_mono = g_get_monotonic_time ();
  g_auto(NtLanguageScope) scope = NT_LANGUAGE_SCOPE_INIT;

  if (self->series->len == 0)
    return;
  nt_language_scope_enter (&scope, self->language);
  if (now_mono - self->last_a11y_update < G_USEC_PER_SEC && self->last_a11y_update != 0)
    return;
  self->last_a11y_update = now_mono;

  s = g_ptr_array_index (self->series, 0);
  span = span_words (self->span_us);
  n = nt_series_get_n_samples (s->series);
  if (n > 0)
    nt_series_get_sample (s->series, n - 1, &t, &v, &sev);

  if (n == 0)
    desc = g_strdup_printf (_("%s: no data"), s->name);
  else if (isnan (v) || sev == NT_SERIES_SEVERITY_UNDEFINED)
    desc = g_strdup_printf (_("%s: disconnected"), s->name);
  else
    {
      g_autoptr(GDateTime) dt = local_time (t);
      g_autofree char *when = dt ? g_date_time_format (dt, "%H:%M:%S") : g_strdup ("");
      const char *word = severity_word (sev);

      /* TRANSLATORS: accessible description: series, value, unit, time,
       * severity (", minor alarm" or nothing), the span shown */
      desc = g_strdup_printf (_("%s: %.*f %s at %s JST%s%s; chart of the last %s"),
                              s->name, series_digits (self, s), v, s->unit, when,
                              word ? ", " : "", word ? word : "", span);
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, desc,
                                  -1);
}

static void
ensure_columns (NtStripChart *self)
{
  gint64 t0, t1;
  guint width = self->win_width;
  gboolean changed = FALSE;

  if (width == 0)
    return;

  compute_window (self, &t0, &t1);
  if (!self->columns_valid || t0 != self->win_t0 || t1 != self->win_t1)
    {
      self->win_t0 = t0;
      self->win_t1 = t1;
      for (guint i = 0; i < self->series->len; i++)
        {
          Series *s = g_ptr_array_index (self->series, i);

          s->columns = g_renew (NtColumn, s->columns, width);
          s->dirty_from = 0;
          s->dirty_to = width;
        }
      self->columns_valid = TRUE;
      self->static_dirty = TRUE;
    }

  for (guint i = 0; i < self->series->len; i++)
    {
      Series *s = g_ptr_array_index (self->series, i);

      if (s->dirty_from < s->dirty_to)
        {
          nt_decimate_columns (s->series, t0, t1, width, s->dirty_from, s->dirty_to, s->columns);
          nt_decimate_edges (s->series, t0, t1, &s->edges);
          s->dirty_from = width;
          s->dirty_to = 0;
          changed = TRUE;
        }
    }

  if (changed)
    {
      self->data_dirty = TRUE;
      if (update_value_axis (self))
        self->static_dirty = TRUE;
      update_accessible (self);
      if (self->hovering && !self->in_snapshot)
        update_hover (self);
    }
}

/* ------------------------------------------------------------------ */
/* Static layer: shading, grid, labels, mode bands                     */
/* ------------------------------------------------------------------ */

static void
append_label (NtStripChart *self,
              GtkSnapshot  *snapshot,
              PangoLayout  *layout,
              const char   *text,
              double        x,
              double        y,
              double        xalign,
              double        yalign,
              double       *right_edge)
{
  int w, h;
  double lx, ly;

  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &w, &h);
  lx = round (x - w * xalign);
  ly = round (y - h * yalign);

  if (right_edge != NULL)
    {
      if (lx < *right_edge + 6 || lx + w > gtk_widget_get_width (GTK_WIDGET (self)))
        return;
      *right_edge = lx + w;
    }
  lx = MAX (lx, 0);

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (lx, ly));
  gtk_snapshot_append_layout (snapshot, layout, &self->fg);
  gtk_snapshot_restore (snapshot);
}

static void
draw_value_axis (NtStripChart *self,
                 GtkSnapshot  *snapshot,
                 PangoLayout  *layout)
{
  const graphene_rect_t *p = &self->plot;
  double step = self->axis_step;
  int digits;

  if (!(step > 0) || !(self->axis_max > self->axis_min))
    return;

  digits = digits_for_step (step);
  for (double v = ceil (self->axis_min / step - 1e-9) * step;
       v <= self->axis_max + step * 1e-9;
       v += step)
    {
      double y = floor (y_at (self, v));
      char text[64];

      if (y < p->origin.y - 0.5 || y > p->origin.y + p->size.height + 0.5)
        continue;

      gtk_snapshot_append_color (snapshot, &self->grid,
                                 &GRAPHENE_RECT_INIT (p->origin.x, y, p->size.width, 1));
      g_snprintf (text, sizeof text, "%.*f", digits, fabs (v) < step * 1e-9 ? 0.0 : v);
      append_label (self, snapshot, layout, text, p->origin.x - 6, y, 1.0, 0.5, NULL);
    }
}

static const gint64 time_steps_s[] = {
  1, 2, 5, 10, 15, 30,
  60, 120, 300, 600, 900, 1800,
  3600, 2 * 3600, 3 * 3600, 6 * 3600, 12 * 3600,
  86400, 2 * 86400, 7 * 86400, 14 * 86400,
};

static int
time_label_width (NtStripChart *self,
                  PangoLayout  *layout)
{
  int char_w;

  pango_layout_set_text (layout, "00:00:00", -1);
  pango_layout_get_pixel_size (layout, &char_w, NULL);

  return char_w;
}

static int
date_label_width (PangoLayout *layout)
{
  int date_w;

  pango_layout_set_text (layout, "0000-00-00", -1);
  pango_layout_get_pixel_size (layout, &date_w, NULL);

  return date_w;
}

/* The smallest step whose labels fit: "HH:MM:SS" below a minute, else
 * "HH:MM" or "MM-DD". The first label and each local midnight carry the
 * date under them, so from a minute up two neighbours must also clear
 * half a date and half a time. */
static gint64
choose_time_step (NtStripChart *self,
                  gint64        t0,
                  gint64        t1,
                  PangoLayout  *layout)
{
  double px_per_s = self->plot.size.width / ((double)(t1 - t0) / G_USEC_PER_SEC);
  int label_w = time_label_width (self, layout);
  int date_w = date_label_width (layout);

  for (guint i = 0; i < G_N_ELEMENTS (time_steps_s); i++)
    {
      double need = time_steps_s[i] < 60
                    ? label_w + 16
                    : MAX (label_w * 0.7 + 20, (label_w * 0.7 + date_w) / 2 + 12);

      if (time_steps_s[i] * px_per_s >= need)
        return time_steps_s[i];
    }

  return time_steps_s[G_N_ELEMENTS (time_steps_s) - 1];
}

/* Ticks (Unix seconds) in [t0, t1] on whole local (JST) units of @step:
 * the zone gives the offset at each instant; nothing assumes +9 h. */
static GArray *
time_ticks (gint64 t0,
            gint64 t1,
            gint64 step)
{
  GArray *ticks = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 s0 = t0 / G_USEC_PER_SEC - 1;
  gint64 s1 = t1 / G_USEC_PER_SEC + 1;
  gint64 off = zone_offset_s (s0);
  gint64 local = s0 + off;

  if (step >= 86400)
    {
      gint64 days = step / 86400;
      gint64 day = (local >= 0 ? local / 86400 : (local - 86399) / 86400);

      day = ((day + days - 1) / days) * days;
      local = day * 86400;
    }
  else
    local = ((local + step - 1) / step) * step;

  for (; ; local += step)
    {
      gint64 ts = local - zone_offset_s (local - off);

      if (ts > s1)
        break;
      if (ts * G_USEC_PER_SEC >= t0 && ts * G_USEC_PER_SEC < t1)
        g_array_append_val (ticks, ts);
    }

  return ticks;
}

static void
draw_time_axis (NtStripChart *self,
                GtkSnapshot  *snapshot,
                PangoLayout  *layout,
                gint64        t0,
                gint64        t1)
{
  const graphene_rect_t *p = &self->plot;
  double label_y = p->origin.y + p->size.height + BAND_STRIP_HEIGHT + 4;
  double right_edge = -G_MAXDOUBLE;
  g_autoptr(GArray) ticks = NULL;
  gboolean first = TRUE;
  gint64 step;

  /* Say which zone the axis is in, at the far left; tick labels keep
   * clear of it. */
  pango_layout_set_alignment (layout, PANGO_ALIGN_LEFT);
  append_label (self, snapshot, layout, _("JST"), 4, label_y, 0.0, 0.0, &right_edge);

  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  step = choose_time_step (self, t0, t1, layout);
  ticks = time_ticks (t0, t1, step);
  g_ptr_array_set_size (self->time_labels, 0);

  for (guint i = 0; i < ticks->len; i++)
    {
      gint64 ts = g_array_index (ticks, gint64, i);
      g_autoptr(GDateTime) dt = NULL;
      g_autofree char *line1 = NULL;
      g_autofree char *text = NULL;
      double x, before;

      x = floor (x_at (self, t0, t1, ts * G_USEC_PER_SEC));
      gtk_snapshot_append_color (snapshot, &self->grid,
                                 &GRAPHENE_RECT_INIT (x, p->origin.y, 1, p->size.height));

      dt = local_time (ts * G_USEC_PER_SEC);
      if (dt == NULL)
        continue;
      if (step >= 86400)
        line1 = g_date_time_format (dt, "%m-%d");
      else
        line1 = g_date_time_format (dt, step < 60 ? "%H:%M:%S" : "%H:%M");

      /* The date under the first label and at each local midnight. */
      if (first || (g_date_time_get_hour (dt) == 0 && g_date_time_get_minute (dt) == 0 &&
                    g_date_time_get_second (dt) == 0))
        {
          g_autofree char *date = g_date_time_format (dt, "%Y-%m-%d");

          text = g_strdup_printf ("%s\n%s", line1, date);
        }
      else
        text = g_strdup (line1);

      before = right_edge;
      append_label (self, snapshot, layout, text, x, label_y, 0.5, 0.0, &right_edge);
      if (right_edge != before)
        {
          first = FALSE;
          g_ptr_array_add (self->time_labels, g_steal_pointer (&text));
        }
    }
}

static void
draw_bands (NtStripChart *self,
            GtkSnapshot  *snapshot,
            GArray       *bands,
            double        y,
            double        height,
            gint64        t0,
            gint64        t1)
{
  const graphene_rect_t *p = &self->plot;

  for (guint i = 0; i < bands->len; i++)
    {
      Band *band = &g_array_index (bands, Band, i);
      double x0, x1;

      if (band->end <= t0 || band->start >= t1)
        continue;

      x0 = round (x_at (self, t0, t1, MAX (band->start, t0)));
      x1 = round (x_at (self, t0, t1, MIN (band->end, t1)));
      x0 = MAX (x0, p->origin.x);
      x1 = MIN (x1, p->origin.x + p->size.width);
      if (x1 <= x0)
        continue;

      gtk_snapshot_append_color (snapshot, &band->color,
                                 &GRAPHENE_RECT_INIT (x0, y, x1 - x0, height));
    }
}

static GskRenderNode *
build_static_node (NtStripChart *self)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  const graphene_rect_t *p = &self->plot;
  gint64 t0 = self->win_t0, t1 = self->win_t1;

  draw_bands (self, snapshot, self->shading, p->origin.y, p->size.height, t0, t1);
  draw_value_axis (self, snapshot, layout);
  draw_time_axis (self, snapshot, layout, t0, t1);

  gtk_snapshot_append_color (snapshot, &self->axis,
                             &GRAPHENE_RECT_INIT (p->origin.x, p->origin.y + p->size.height,
                                                  p->size.width, 1));
  draw_bands (self, snapshot, self->bands, p->origin.y + p->size.height + 1,
              BAND_STRIP_HEIGHT, t0, t1);

  return gtk_snapshot_free_to_node (snapshot);
}

/* ------------------------------------------------------------------ */
/* Data layer: gaps and one path of column rectangles per series        */
/* ------------------------------------------------------------------ */

static void
add_column_rect (cairo_t               *cr,
                 const graphene_rect_t *p,
                 double                 x,
                 double                 w,
                 double                 y_hi,
                 double                 y_lo)
{
  double top = floor (MIN (y_hi, y_lo));
  double bottom = ceil (MAX (y_hi, y_lo));

  if (w <= 0)
    return;
  if (bottom - top < LINE_WIDTH)
    {
      double mid = (top + bottom) / 2;

      top = floor (mid - LINE_WIDTH / 2);
      bottom = top + LINE_WIDTH;
    }
  top = MAX (top, p->origin.y);
  bottom = MIN (bottom, p->origin.y + p->size.height);
  if (bottom > top)
    cairo_rectangle (cr, x, top, w, bottom - top);
}

/* One pixel-aligned rectangle per column, from the column's min to its max
 * (reaching back to the previous value so the line is joined), all filled
 * at once without antialiasing.  Between samples the value holds (EPICS
 * values are sent only on change): empty columns get a flat run at the
 * previous value, and the last value holds up to "now" while it is live.
 * Nothing is drawn across a gap. */
static void
draw_series (NtStripChart *self,
             cairo_t      *cr,
             Series       *s)
{
  const graphene_rect_t *p = &self->plot;
  guint width = self->win_width;
  double col_us = (double)(self->win_t1 - self->win_t0) / width;
  gboolean have_prev = FALSE;
  double prev_v = 0;
  int last_drawn = -1;
  int end;

  /* The sample before the window: the line enters from the left. */
  if (s->edges.has_before && !isnan (s->edges.before_v))
    {
      have_prev = TRUE;
      prev_v = s->edges.before_v;
    }

  for (guint c = 0; c < width; c++)
    {
      const NtColumn *col = &s->columns[c];
      double x = p->origin.x + c;

      if (col->flags & NT_COLUMN_GAP_AT_START)
        have_prev = FALSE;

      if (isnan (col->min))
        {
          if (col->flags & NT_COLUMN_HAS_NAN)
            have_prev = FALSE;
          continue;
        }

      if (have_prev)
        {
          double y = y_at (self, prev_v);

          add_column_rect (cr, p, p->origin.x + last_drawn + 1, (int)c - last_drawn - 1, y, y);
          add_column_rect (cr, p, x, 1,
                           y_at (self, MAX (col->max, prev_v)),
                           y_at (self, MIN (col->min, prev_v)));
        }
      else
        add_column_rect (cr, p, x, 1, y_at (self, col->max), y_at (self, col->min));

      have_prev = !(col->flags & NT_COLUMN_GAP_AT_END);
      prev_v = col->last;
      last_drawn = (int)c;
    }

  /* The value holds to the window's end if more samples follow it, else
   * up to "now". */
  if (have_prev)
    {
      if (s->edges.has_after)
        end = (int)width;
      else
        {
          double now_col = floor ((self->clock (self->clock_data) - self->win_t0) / col_us) + 1;

          end = (int)CLAMP (now_col, (double)last_drawn + 1, (double)width);
        }

      {
        double y = y_at (self, prev_v);

        add_column_rect (cr, p, p->origin.x + last_drawn + 1, end - last_drawn - 1, y, y);
      }
    }

  gdk_cairo_set_source_rgba (cr, &s->color);
  cairo_fill (cr);
}

static GskRenderNode *
build_data_node (NtStripChart *self)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  const graphene_rect_t *p = &self->plot;
  g_autoptr(PangoLayout) layout = NULL;
  int label_w = 0;
  cairo_t *cr;

  /* No beam, as the data say (a dump, a trip): shaded, and said. */
  if (!isnan (self->beam_threshold) && self->beam_series < self->series->len)
    {
      Series *s = g_ptr_array_index (self->series, self->beam_series);
      g_autoptr(PangoLayout) beam_layout = NULL;
      int beam_w = 0;
      guint run = 0;

      for (guint c = 0; c <= self->win_width; c++)
        {
          gboolean below = c < self->win_width && !isnan (s->columns[c].max) &&
                           s->columns[c].max < self->beam_threshold;

          if (below)
            {
              run++;
              continue;
            }
          if (run == 0)
            continue;

          gtk_snapshot_append_color (snapshot, &self->no_beam,
                                     &GRAPHENE_RECT_INIT (p->origin.x + c - run, p->origin.y,
                                                          run, p->size.height));
          if (beam_layout == NULL)
            {
              beam_layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), _("No beam"));
              pango_layout_get_pixel_size (beam_layout, &beam_w, NULL);
            }
          if (run >= (guint)beam_w + 8)
            {
              gtk_snapshot_save (snapshot);
              gtk_snapshot_translate (snapshot,
                                      &GRAPHENE_POINT_INIT (round (p->origin.x + c - (run + beam_w) / 2.0),
                                                            p->origin.y + 4));
              gtk_snapshot_append_layout (snapshot, beam_layout, &self->axis);
              gtk_snapshot_restore (snapshot);
            }
          run = 0;
        }
    }

  /* Disconnected spans: a band, and no line drawn across them. */
  for (guint i = 0; i < self->series->len; i++)
    {
      Series *s = g_ptr_array_index (self->series, i);
      g_autoptr(GArray) gaps = nt_series_get_gaps (s->series, self->win_t0, self->win_t1);

      for (guint k = 0; k < gaps->len; k++)
        {
          NtSeriesGap *gap = &g_array_index (gaps, NtSeriesGap, k);
          double x0 = floor (x_at (self, self->win_t0, self->win_t1, MAX (gap->start, self->win_t0)));
          double x1 = ceil (x_at (self, self->win_t0, self->win_t1, MIN (gap->end, self->win_t1)));

          x0 = MAX (x0, p->origin.x);
          x1 = MIN (x1, p->origin.x + p->size.width);
          if (x1 <= x0)
            continue;

          gtk_snapshot_append_color (snapshot, &self->gap,
                                     &GRAPHENE_RECT_INIT (x0, p->origin.y, x1 - x0, p->size.height));

          /* Say it in words too, where it fits. */
          if (layout == NULL)
            {
              layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), _("No data: disconnected"));
              pango_layout_get_pixel_size (layout, &label_w, NULL);
            }
          if (x1 - x0 >= label_w + 8)
            {
              gtk_snapshot_save (snapshot);
              gtk_snapshot_translate (snapshot,
                                      &GRAPHENE_POINT_INIT (round ((x0 + x1 - label_w) / 2),
                                                            p->origin.y + 4 + i * self->line_height));
              gtk_snapshot_append_layout (snapshot, layout, &self->axis);
              gtk_snapshot_restore (snapshot);
            }
        }
    }

  cr = gtk_snapshot_append_cairo (snapshot, p);
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_NONE);
  for (guint i = 0; i < self->series->len; i++)
    draw_series (self, cr, g_ptr_array_index (self->series, i));
  cairo_destroy (cr);

  return gtk_snapshot_free_to_node (snapshot);
}

static void
ensure_layers (NtStripChart *self)
{
  g_auto(NtLanguageScope) scope = NT_LANGUAGE_SCOPE_INIT;

  if (self->win_width == 0)
    return;

  nt_language_scope_enter (&scope, self->language);

  ensure_columns (self);

  if (self->colors_dirty)
    {
      update_colors (self);
      self->static_dirty = TRUE;
      self->data_dirty = TRUE;
    }

  if (self->static_dirty || self->static_node == NULL)
    {
      g_clear_pointer (&self->static_node, gsk_render_node_unref);
      self->static_node = build_static_node (self);
      self->static_dirty = FALSE;
    }

  if (self->data_dirty || self->data_node == NULL)
    {
      g_clear_pointer (&self->data_node, gsk_render_node_unref);
      self->data_node = build_data_node (self);
      self->data_dirty = FALSE;
    }
}

static gboolean
update_tick_cb (GtkWidget     *widget,
                GdkFrameClock *frame_clock,
                gpointer       user_data)
{
  NtStripChart *self = NT_STRIP_CHART (widget);

  self->update_tick_id = 0;
  ensure_layers (self);
  gtk_widget_queue_draw (widget);

  return G_SOURCE_REMOVE;
}

static void
schedule_update (NtStripChart *self)
{
  if (self->update_tick_id == 0 && gtk_widget_get_mapped (GTK_WIDGET (self)))
    self->update_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), update_tick_cb,
                                                         NULL, NULL);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* ------------------------------------------------------------------ */
/* Hover                                                               */
/* ------------------------------------------------------------------ */

static void
update_hover (NtStripChart *self)
{
  gint64 t0, t1, b, e;
  guint column;
  double best = G_MAXDOUBLE;
  gboolean found = FALSE;
  const graphene_rect_t *p = &self->plot;
  g_auto(NtLanguageScope) scope = NT_LANGUAGE_SCOPE_INIT;

  nt_language_scope_enter (&scope, self->language);
  if (!self->hovering || self->win_width == 0 ||
      self->pointer_x < p->origin.x || self->pointer_x >= p->origin.x + p->size.width)
    {
      self->hover_valid = FALSE;
      gtk_widget_set_visible (self->readout, FALSE);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      return;
    }

  /* The sample under the pointer is what the line shows in the pixel
   * column under it: of the samples in that column the one nearest the
   * pointer (a spike if the pointer is on it), or, in a column without
   * samples, the value that holds there (the last one before it, NaN in a
   * gap). */
  compute_window (self, &t0, &t1);
  column = (guint)CLAMP (floor (self->pointer_x - p->origin.x), 0, self->win_width - 1);
  b = nt_decimate_column_start (t0, t1, self->win_width, column);
  e = nt_decimate_column_start (t0, t1, self->win_width, column + 1);

  for (guint i = 0; i < self->series->len; i++)
    {
      Series *s = g_ptr_array_index (self->series, i);
      const double *vs = nt_series_get_values (s->series);
      gsize i0 = nt_series_lower_bound (s->series, b);
      gsize i1 = nt_series_lower_bound (s->series, e);
      gsize idx;
      gint64 st;
      double sv, dist;
      guint8 sev;

      if (i1 > i0)
        {
          double d_best = G_MAXDOUBLE;

          idx = i0;
          for (gsize k = i0; k < i1; k++)
            {
              double d = isnan (vs[k]) ? G_MAXDOUBLE / 4 : fabs (y_at (self, vs[k]) - self->pointer_y);

              if (d < d_best)
                {
                  d_best = d;
                  idx = k;
                }
            }
        }
      else if (i0 > 0)
        idx = i0 - 1;
      else
        continue;

      nt_series_get_sample (s->series, idx, &st, &sv, &sev);
      dist = isnan (sv) ? G_MAXDOUBLE / 2 : fabs (y_at (self, sv) - self->pointer_y);
      if (!found || dist < best)
        {
          found = TRUE;
          best = dist;
          self->hover_series = i;
          self->hover_index = idx;
          self->hover_t = st;
          self->hover_v = sv;
          self->hover_sev = sev;
        }
    }

  self->hover_valid = found;
  if (found)
    {
      Series *s = g_ptr_array_index (self->series, self->hover_series);
      g_autoptr(GDateTime) dt = local_time (self->hover_t);
      g_autofree char *when = dt ? g_date_time_format (dt, "%Y-%m-%d %H:%M:%S") : g_strdup ("");
      g_autofree char *value = NULL;
      g_autofree char *text = NULL;
      const char *word = severity_word (self->hover_sev);

      if (isnan (self->hover_v))
        value = g_strdup (_("no value"));
      else
        value = g_strdup_printf ("%.*f %s", series_digits (self, s), self->hover_v, s->unit);

      const char *mode = NULL;

      for (guint k = 0; k < self->bands->len && mode == NULL; k++)
        {
          Band *band = &g_array_index (self->bands, Band, k);

          if (band->start <= self->hover_t && self->hover_t < band->end)
            mode = band_words (band->kind);
        }

      /* TRANSLATORS: hover readout: time (JST), series name, value, severity */
      text = g_strdup_printf (_("%s JST\n%s: %s%s%s"), when, s->name, value,
                              word ? " · " : "", word ? word : "");
      if (mode != NULL)
        {
          char *with_mode = g_strconcat (text, "\n", mode, NULL);

          g_free (text);
          text = with_mode;
        }
      gtk_label_set_text (GTK_LABEL (self->readout), text);

      for (guint k = 0; k < G_N_ELEMENTS (severity_classes); k++)
        gtk_widget_remove_css_class (self->readout, severity_classes[k]);
      if (self->hover_sev != NT_SERIES_SEVERITY_NONE && self->hover_sev < G_N_ELEMENTS (severity_classes))
        gtk_widget_add_css_class (self->readout, severity_classes[self->hover_sev]);
    }

  gtk_widget_set_visible (self->readout, found);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* ------------------------------------------------------------------ */
/* Callbacks                                                           */
/* ------------------------------------------------------------------ */

static void
series_changed_cb (NtSeries *series,
                   gint64    from,
                   gint64    to,
                   Series   *s)
{
  NtStripChart *self = s->chart;
  guint width = self->win_width;
  guint c0, c1;

  if (!self->columns_valid || width == 0 || s->columns == NULL)
    {
      invalidate_columns (self);
      return;
    }

  /* Only the columns the change touches; the edges always. */
  if (to <= self->win_t0 || from >= self->win_t1)
    {
      c0 = from >= self->win_t1 ? width - 1 : 0;
      c1 = c0 + 1;
    }
  else
    {
      c0 = from <= self->win_t0 ? 0 : nt_decimate_column_at (self->win_t0, self->win_t1, width, from);
      c1 = to >= self->win_t1 ? width : nt_decimate_column_at (self->win_t0, self->win_t1, width, to - 1) + 1;
    }

  s->dirty_from = MIN (s->dirty_from, c0);
  s->dirty_to = MAX (s->dirty_to, MIN (c1, width));
  schedule_update (self);
}

static void
motion_cb (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           NtStripChart             *self)
{
  nt_strip_chart_pointer_motion (self, x, y);
}

static void
leave_cb (GtkEventControllerMotion *controller,
          NtStripChart             *self)
{
  nt_strip_chart_pointer_leave (self);
}

static gboolean
scroll_cb (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           NtStripChart             *self)
{
  nt_strip_chart_scroll (self, dx, dy);

  return TRUE;
}

static void
drag_begin_cb (GtkGestureDrag *gesture,
               double          x,
               double          y,
               NtStripChart   *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self));
  nt_strip_chart_drag_begin (self, x, y);
}

static void
drag_update_cb (GtkGestureDrag *gesture,
                double          offset_x,
                double          offset_y,
                NtStripChart   *self)
{
  nt_strip_chart_drag_update (self, offset_x, offset_y);
}

static void
drag_end_cb (GtkGestureDrag *gesture,
             double          offset_x,
             double          offset_y,
             NtStripChart   *self)
{
  nt_strip_chart_drag_end (self);
}

static void
zoom_begin_cb (GtkGesture       *gesture,
               GdkEventSequence *sequence,
               NtStripChart     *self)
{
  double cx = 0, cy = 0;

  gtk_gesture_get_bounding_box_center (gesture, &cx, &cy);
  nt_strip_chart_pinch_begin (self, cx);
}

static void
zoom_scale_changed_cb (GtkGestureZoom *gesture,
                       double          scale,
                       NtStripChart   *self)
{
  nt_strip_chart_pinch_scale (self, scale);
}

static void
zoom_end_cb (GtkGesture       *gesture,
             GdkEventSequence *sequence,
             NtStripChart     *self)
{
  nt_strip_chart_pinch_end (self);
}

static void
follow_clicked_cb (GtkButton    *button,
                   NtStripChart *self)
{
  nt_strip_chart_set_follow_live (self, TRUE);
}

static double
key_anchor_x (NtStripChart *self)
{
  if (self->follow_live)
    return self->plot.origin.x + self->plot.size.width;

  return self->plot.origin.x + self->plot.size.width / 2;
}

static void
zoom_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  NtStripChart *self = NT_STRIP_CHART (widget);

  nt_strip_chart_zoom (self, KEY_ZOOM_FACTOR, key_anchor_x (self));
}

static void
zoom_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  NtStripChart *self = NT_STRIP_CHART (widget);

  nt_strip_chart_zoom (self, 1.0 / KEY_ZOOM_FACTOR, key_anchor_x (self));
}

static void
pan_left_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  NtStripChart *self = NT_STRIP_CHART (widget);

  nt_strip_chart_pan (self, plot_columns (self) / 10.0);
}

static void
pan_right_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  NtStripChart *self = NT_STRIP_CHART (widget);

  nt_strip_chart_pan (self, -(plot_columns (self) / 10.0));
}

static void
follow_live_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  nt_strip_chart_set_follow_live (NT_STRIP_CHART (widget), TRUE);
}

/* ------------------------------------------------------------------ */
/* Vfuncs                                                              */
/* ------------------------------------------------------------------ */

static void
nt_strip_chart_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 240;
      *natural = 720;
    }
  else
    {
      *minimum = 160;
      *natural = 320;
    }
}

static void
nt_strip_chart_size_allocate (GtkWidget *widget,
                              int        width,
                              int        height,
                              int        baseline)
{
  NtStripChart *self = NT_STRIP_CHART (widget);
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, "-0000.000");
  int label_w, label_h, legend_h, legend_min_w, button_w = 0, button_h = 0, dummy;
  double left, top, bottom, right = 12;
  guint old_width = self->win_width;
  graphene_rect_t old_plot = self->plot;

  pango_layout_get_pixel_size (layout, &label_w, &label_h);
  self->line_height = label_h;

  gtk_widget_measure (self->legend, GTK_ORIENTATION_VERTICAL, -1, &dummy, &legend_h, NULL, NULL);
  if (gtk_widget_get_visible (self->follow_button))
    {
      gtk_widget_measure (self->follow_button, GTK_ORIENTATION_HORIZONTAL, -1, &dummy, &button_w, NULL, NULL);
      gtk_widget_measure (self->follow_button, GTK_ORIENTATION_VERTICAL, -1, &dummy, &button_h, NULL, NULL);
    }

  left = label_w + 10;
  top = MAX (legend_h, button_h) + 6;
  bottom = BAND_STRIP_HEIGHT + 4 + 2 * label_h + 4;

  self->plot = GRAPHENE_RECT_INIT (left, top,
                                   MAX (1, width - left - right),
                                   MAX (1, height - top - bottom));
  self->win_width = (guint)self->plot.size.width;

  gtk_widget_measure (self->legend, GTK_ORIENTATION_HORIZONTAL, -1, &legend_min_w, NULL, NULL, NULL);
  gtk_widget_allocate (self->legend,
                       MAX (legend_min_w, width - (int)left - button_w - (int)right - 8), legend_h, -1,
                       gsk_transform_translate (NULL, &GRAPHENE_POINT_INIT (left, 2)));
  if (gtk_widget_get_visible (self->follow_button))
    gtk_widget_allocate (self->follow_button, button_w, button_h, -1,
                         gsk_transform_translate (NULL, &GRAPHENE_POINT_INIT (width - right - button_w, 2)));

  if (gtk_widget_get_visible (self->readout))
    {
      int rw, rh;
      double rx, ry;

      gtk_widget_measure (self->readout, GTK_ORIENTATION_HORIZONTAL, -1, &dummy, &rw, NULL, NULL);
      gtk_widget_measure (self->readout, GTK_ORIENTATION_VERTICAL, rw, &dummy, &rh, NULL, NULL);
      rx = self->pointer_x + 14;
      if (rx + rw > self->plot.origin.x + self->plot.size.width)
        rx = self->pointer_x - 14 - rw;
      ry = self->plot.origin.y + 6;
      gtk_widget_allocate (self->readout, rw, rh, -1,
                           gsk_transform_translate (NULL, &GRAPHENE_POINT_INIT (MAX (rx, 0), ry)));
    }

  if (old_width != self->win_width || !graphene_rect_equal (&old_plot, &self->plot))
    {
      self->static_dirty = TRUE;
      self->data_dirty = TRUE;
      if (old_width != self->win_width)
        view_changed (self);
      update_follow_timer (self);
    }
}

static void
nt_strip_chart_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  NtStripChart *self = NT_STRIP_CHART (widget);

  /* Normally done in the update phase already; a no-op then. */
  self->in_snapshot = TRUE;
  ensure_layers (self);
  self->in_snapshot = FALSE;

  if (self->static_node != NULL)
    gtk_snapshot_append_node (snapshot, self->static_node);
  if (self->data_node != NULL)
    gtk_snapshot_append_node (snapshot, self->data_node);

  if (self->hover_valid)
    {
      const graphene_rect_t *p = &self->plot;
      double x = floor (x_at (self, self->win_t0, self->win_t1, self->hover_t));

      if (x >= p->origin.x && x < p->origin.x + p->size.width)
        {
          Series *s = g_ptr_array_index (self->series, self->hover_series);

          gtk_snapshot_append_color (snapshot, &self->hover,
                                     &GRAPHENE_RECT_INIT (x, p->origin.y, 1, p->size.height));
          if (!isnan (self->hover_v))
            {
              double y = round (y_at (self, self->hover_v));

              if (y >= p->origin.y && y <= p->origin.y + p->size.height)
                gtk_snapshot_append_color (snapshot, &s->color,
                                           &GRAPHENE_RECT_INIT (x - 3, y - 3, 7, 7));
            }
        }
    }

  gtk_widget_snapshot_child (widget, self->legend, snapshot);
  if (gtk_widget_get_visible (self->follow_button))
    gtk_widget_snapshot_child (widget, self->follow_button, snapshot);
  if (gtk_widget_get_visible (self->readout))
    gtk_widget_snapshot_child (widget, self->readout, snapshot);
}

static void
nt_strip_chart_css_changed (GtkWidget         *widget,
                            GtkCssStyleChange *change)
{
  NtStripChart *self = NT_STRIP_CHART (widget);

  GTK_WIDGET_CLASS (nt_strip_chart_parent_class)->css_changed (widget, change);

  /* Dark mode, high contrast, a new stylesheet: read the colours again. */
  self->colors_dirty = TRUE;
  schedule_update (self);
}

static void
nt_strip_chart_map (GtkWidget *widget)
{
  NtStripChart *self = NT_STRIP_CHART (widget);

  GTK_WIDGET_CLASS (nt_strip_chart_parent_class)->map (widget);

  update_follow_timer (self);
  schedule_update (self);
}

static void
nt_strip_chart_unmap (GtkWidget *widget)
{
  NtStripChart *self = NT_STRIP_CHART (widget);

  g_clear_handle_id (&self->follow_source, g_source_remove);
  if (self->update_tick_id != 0)
    {
      gtk_widget_remove_tick_callback (widget, self->update_tick_id);
      self->update_tick_id = 0;
    }

  GTK_WIDGET_CLASS (nt_strip_chart_parent_class)->unmap (widget);
}

static void
nt_strip_chart_dispose (GObject *object)
{
  NtStripChart *self = (NtStripChart *)object;

  g_clear_handle_id (&self->follow_source, g_source_remove);
  g_clear_handle_id (&self->range_source, g_source_remove);
  g_clear_pointer (&self->legend, gtk_widget_unparent);
  g_clear_pointer (&self->follow_button, gtk_widget_unparent);
  g_clear_pointer (&self->readout, gtk_widget_unparent);
  if (self->series != NULL)
    g_ptr_array_set_size (self->series, 0);
  g_clear_pointer (&self->static_node, gsk_render_node_unref);
  g_clear_pointer (&self->data_node, gsk_render_node_unref);

  G_OBJECT_CLASS (nt_strip_chart_parent_class)->dispose (object);
}

static void
nt_strip_chart_finalize (GObject *object)
{
  NtStripChart *self = (NtStripChart *)object;

  g_clear_pointer (&self->series, g_ptr_array_unref);
  g_clear_pointer (&self->bands, g_array_unref);
  g_clear_pointer (&self->shading, g_array_unref);
  if (self->clock_destroy != NULL)
    self->clock_destroy (self->clock_data);
  g_free (self->language);
  g_clear_pointer (&self->time_labels, g_ptr_array_unref);

  G_OBJECT_CLASS (nt_strip_chart_parent_class)->finalize (object);
}

static void
nt_strip_chart_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  NtStripChart *self = NT_STRIP_CHART (object);

  switch (prop_id)
    {
    case PROP_VISIBLE_SPAN:
      g_value_set_double (value, nt_strip_chart_get_visible_span (self));
      break;

    case PROP_END_TIME:
      g_value_set_int64 (value, nt_strip_chart_get_end_time (self));
      break;

    case PROP_FOLLOW_LIVE:
      g_value_set_boolean (value, self->follow_live);
      break;

    case PROP_LANGUAGE:
      g_value_set_string (value, self->language);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nt_strip_chart_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  NtStripChart *self = NT_STRIP_CHART (object);

  switch (prop_id)
    {
    case PROP_VISIBLE_SPAN:
      nt_strip_chart_set_visible_span (self, g_value_get_double (value));
      break;

    case PROP_END_TIME:
      nt_strip_chart_set_end_time (self, g_value_get_int64 (value));
      break;

    case PROP_FOLLOW_LIVE:
      nt_strip_chart_set_follow_live (self, g_value_get_boolean (value));
      break;

    case PROP_LANGUAGE:
      nt_strip_chart_set_language (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nt_strip_chart_class_init (NtStripChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = nt_strip_chart_dispose;
  object_class->finalize = nt_strip_chart_finalize;
  object_class->get_property = nt_strip_chart_get_property;
  object_class->set_property = nt_strip_chart_set_property;

  widget_class->measure = nt_strip_chart_measure;
  widget_class->size_allocate = nt_strip_chart_size_allocate;
  widget_class->snapshot = nt_strip_chart_snapshot;
  widget_class->css_changed = nt_strip_chart_css_changed;
  widget_class->map = nt_strip_chart_map;
  widget_class->unmap = nt_strip_chart_unmap;

  /**
   * NtStripChart:visible-span:
   *
   * The width of the view, in seconds.
   */
  properties[PROP_VISIBLE_SPAN] =
    g_param_spec_double ("visible-span", NULL, NULL,
                         MIN_SPAN_US / 1e6, MAX_SPAN_US / 1e6, DEFAULT_SPAN_US / 1e6,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * NtStripChart:end-time:
   *
   * The end of the view (Unix µs).  Setting it leaves follow-live.
   */
  properties[PROP_END_TIME] =
    g_param_spec_int64 ("end-time", NULL, NULL,
                        G_MININT64, G_MAXINT64, 0,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * NtStripChart:follow-live:
   *
   * Whether the end of the view tracks "now".  Panning leaves it.
   */
  properties[PROP_FOLLOW_LIVE] =
    g_param_spec_boolean ("follow-live", NULL, NULL,
                          TRUE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * NtStripChart:language:
   *
   * The language of the chart's own words ("en", "ja": the axis, the
   * bands, the readout), or %NULL for the session's. Series names are
   * the owner's (nt_strip_chart_set_series_name()).
   */
  properties[PROP_LANGUAGE] = nt_language_param_spec_new ();

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * NtStripChart::range-changed:
   * @from: start of the visible span (Unix µs)
   * @to: end of the visible span (Unix µs)
   * @width: the plot width in pixels: ask the archive for about this many bins
   *
   * Emitted (debounced) when the view changes by a range switch, zoom,
   * pan, resize or a return to follow-live, so the owner fetches history
   * for the new span and inserts it with nt_series_replace_range().
   */
  signals[RANGE_CHANGED] =
    g_signal_new ("range-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_INT64, G_TYPE_INT64, G_TYPE_UINT);

  gtk_widget_class_install_action (widget_class, "chart.zoom-in", NULL, zoom_in_action);
  gtk_widget_class_install_action (widget_class, "chart.zoom-out", NULL, zoom_out_action);
  gtk_widget_class_install_action (widget_class, "chart.pan-left", NULL, pan_left_action);
  gtk_widget_class_install_action (widget_class, "chart.pan-right", NULL, pan_right_action);
  gtk_widget_class_install_action (widget_class, "chart.follow-live", NULL, follow_live_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, 0, "chart.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, 0, "chart.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, 0, "chart.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, 0, "chart.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, 0, "chart.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, 0, "chart.pan-left", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Left, 0, "chart.pan-left", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, 0, "chart.pan-right", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Right, 0, "chart.pan-right", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_End, 0, "chart.follow-live", NULL);

  gtk_widget_class_set_css_name (widget_class, "stripchart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

/* The chart's own words, in its language. */
static void
set_fixed_texts (NtStripChart *self)
{
  g_auto(NtLanguageScope) scope = NT_LANGUAGE_SCOPE_INIT;

  nt_language_scope_enter (&scope, self->language);
  gtk_button_set_label (GTK_BUTTON (self->follow_button), _("Follow live"));
  gtk_widget_set_tooltip_text (self->follow_button, _("Show the latest values as they come (End)"));
  if (self->series->len == 0)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, _("Strip chart"),
                                    -1);
}

static void
nt_strip_chart_init (NtStripChart *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkEventController *controller;
  GtkGesture *gesture;

  self->series = g_ptr_array_new_with_free_func (series_free);
  self->time_labels = g_ptr_array_new_with_free_func (g_free);
  self->bands = g_array_new (FALSE, TRUE, sizeof (Band));
  g_array_set_clear_func (self->bands, band_clear);
  self->shading = g_array_new (FALSE, TRUE, sizeof (Band));
  g_array_set_clear_func (self->shading, band_clear);

  self->span_us = DEFAULT_SPAN_US;
  self->follow_live = TRUE;
  self->clock = default_clock;
  self->end_us = nt_clock_now_us ();
  self->colors_dirty = TRUE;
  self->axis_step = 1.0;
  self->beam_threshold = NAN;

  gtk_widget_set_focusable (widget, TRUE);
  gtk_widget_set_overflow (widget, GTK_OVERFLOW_HIDDEN);

  self->legend = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_add_css_class (self->legend, "legend");
  gtk_widget_set_parent (self->legend, widget);

  self->follow_button = gtk_button_new ();
  gtk_widget_add_css_class (self->follow_button, "follow-live");
  gtk_widget_set_visible (self->follow_button, FALSE);
  gtk_widget_set_parent (self->follow_button, widget);
  g_signal_connect (self->follow_button, "clicked", G_CALLBACK (follow_clicked_cb), self);

  self->readout = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->readout, "readout");
  gtk_label_set_xalign (GTK_LABEL (self->readout), 0.0);
  gtk_widget_set_can_target (self->readout, FALSE);
  gtk_widget_set_visible (self->readout, FALSE);
  gtk_widget_set_parent (self->readout, widget);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect (controller, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect (controller, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (widget, controller);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect (controller, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (widget, controller);

  gesture = gtk_gesture_drag_new ();
  g_signal_connect (gesture, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (gesture, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect (gesture, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_zoom_new ();
  g_signal_connect (gesture, "begin", G_CALLBACK (zoom_begin_cb), self);
  g_signal_connect (gesture, "scale-changed", G_CALLBACK (zoom_scale_changed_cb), self);
  g_signal_connect (gesture, "end", G_CALLBACK (zoom_end_cb), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (gesture));

  set_fixed_texts (self);
}

/* ------------------------------------------------------------------ */
/* Input paths (nt-strip-chart-private.h)                              */
/* ------------------------------------------------------------------ */

void
nt_strip_chart_pointer_motion (NtStripChart *self,
                               double        x,
                               double        y)
{
  g_return_if_fail (NT_IS_STRIP_CHART (self));

  self->hovering = TRUE;
  self->pointer_x = x;
  self->pointer_y = y;
  ensure_columns (self);
  update_hover (self);
}

void
nt_strip_chart_pointer_leave (NtStripChart *self)
{
  g_return_if_fail (NT_IS_STRIP_CHART (self));

  self->hovering = FALSE;
  update_hover (self);
}

void
nt_strip_chart_scroll (NtStripChart *self,
                       double        dx,
                       double        dy)
{
  g_return_if_fail (NT_IS_STRIP_CHART (self));

  if (dy != 0)
    {
      double anchor = self->hovering ? self->pointer_x : key_anchor_x (self);

      nt_strip_chart_zoom (self, pow (1.2, -dy), anchor);
    }
  if (dx != 0)
    nt_strip_chart_pan (self, -dx * 20);
}

void
nt_strip_chart_drag_begin (NtStripChart *self,
                           double        x,
                           double        y)
{
  gint64 t0, t1;

  g_return_if_fail (NT_IS_STRIP_CHART (self));

  compute_window (self, &t0, &t1);
  self->drag_start_t1 = t1;
  self->dragging = TRUE;
}

void
nt_strip_chart_drag_update (NtStripChart *self,
                            double        offset_x,
                            double        offset_y)
{
  gint64 end;

  g_return_if_fail (NT_IS_STRIP_CHART (self));

  if (!self->dragging || fabs (offset_x) < 1)
    return;

  end = self->drag_start_t1 - (gint64)(offset_x * (double)self->span_us / plot_columns (self));
  if (self->follow_live)
    nt_strip_chart_set_follow_live (self, FALSE);
  set_end_internal (self, end);
  view_changed (self);
}

void
nt_strip_chart_drag_end (NtStripChart *self)
{
  g_return_if_fail (NT_IS_STRIP_CHART (self));

  self->dragging = FALSE;
}

void
nt_strip_chart_pinch_begin (NtStripChart *self,
                            double        center_x)
{
  g_return_if_fail (NT_IS_STRIP_CHART (self));

  self->pinch_start_span = self->span_us;
  self->pinch_anchor_x = self->follow_live ? key_anchor_x (self) : center_x;
  self->pinch_anchor_t = nt_strip_chart_time_at_x (self, self->pinch_anchor_x);
}

void
nt_strip_chart_pinch_scale (NtStripChart *self,
                            double        scale)
{
  gint64 span;

  g_return_if_fail (NT_IS_STRIP_CHART (self));

  if (!(scale > 0) || self->pinch_start_span == 0)
    return;

  span = CLAMP ((gint64)(self->pinch_start_span / scale), MIN_SPAN_US, MAX_SPAN_US);
  set_span_internal (self, span);
  if (!self->follow_live)
    {
      double frac = (self->pinch_anchor_x - self->plot.origin.x) / plot_columns (self);

      set_end_internal (self, self->pinch_anchor_t + (gint64)((1.0 - frac) * span));
    }
  view_changed (self);
}

void
nt_strip_chart_pinch_end (NtStripChart *self)
{
  g_return_if_fail (NT_IS_STRIP_CHART (self));

  self->pinch_start_span = 0;
}

void
nt_strip_chart_update_now (NtStripChart *self)
{
  gint64 t0, t1;

  g_return_if_fail (NT_IS_STRIP_CHART (self));

  if (!self->follow_live)
    return;

  compute_window (self, &t0, &t1);
  if (t0 != self->win_t0 || t1 != self->win_t1)
    invalidate_columns (self);
}

void
nt_strip_chart_flush (NtStripChart *self)
{
  g_return_if_fail (NT_IS_STRIP_CHART (self));

  ensure_layers (self);
}

/* The time axis's labels as last drawn ("HH:MM", "HH:MM\nYYYY-MM-DD"). */
GPtrArray *
nt_strip_chart_get_time_labels (NtStripChart *self)
{
  g_return_val_if_fail (NT_IS_STRIP_CHART (self), NULL);

  ensure_layers (self);
  return self->time_labels;
}

void
nt_strip_chart_invalidate_all (NtStripChart *self)
{
  g_return_if_fail (NT_IS_STRIP_CHART (self));

  self->columns_valid = FALSE;
  self->colors_dirty = TRUE;
  self->static_dirty = TRUE;
  self->data_dirty = TRUE;
  schedule_update (self);
}

/**
 * nt_strip_chart_get_time_ticks:
 * @step: (out) (optional): the tick step in seconds
 *
 * Returns: (transfer full) (element-type gint64): the time-axis ticks of
 *   the current view, Unix seconds
 */
GArray *
nt_strip_chart_get_time_ticks (NtStripChart *self,
                               gint64       *step)
{
  g_autoptr(PangoLayout) layout = NULL;
  gint64 t0, t1, st;

  g_return_val_if_fail (NT_IS_STRIP_CHART (self), NULL);

  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  compute_window (self, &t0, &t1);
  st = choose_time_step (self, t0, t1, layout);
  if (step != NULL)
    *step = st;

  return time_ticks (t0, t1, st);
}

/**
 * nt_strip_chart_render_node:
 *
 * The chart as it is shown, themed background included, as one render
 * node: what the PNG export and the benchmark render.
 *
 * Returns: (transfer full) (nullable): the node
 */
GskRenderNode *
nt_strip_chart_render_node (NtStripChart *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkSnapshot *snapshot;

  g_return_val_if_fail (NT_IS_STRIP_CHART (self), NULL);

  snapshot = gtk_snapshot_new ();
  gtk_snapshot_render_background (snapshot, gtk_widget_get_style_context (widget), 0, 0,
                                  gtk_widget_get_width (widget), gtk_widget_get_height (widget));
  nt_strip_chart_snapshot (widget, snapshot);

  return gtk_snapshot_free_to_node (snapshot);
}

gboolean
nt_strip_chart_flush_range_changed (NtStripChart *self)
{
  g_return_val_if_fail (NT_IS_STRIP_CHART (self), FALSE);

  if (self->range_source == 0)
    return FALSE;

  range_changed_now (self);

  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

GtkWidget *
nt_strip_chart_new (void)
{
  return g_object_new (NT_TYPE_STRIP_CHART, NULL);
}

/**
 * nt_strip_chart_add_series:
 * @name: shown in the legend and the readout ("Ring current")
 * @unit: the unit ("mA")
 * @series: the data; the chart follows its ::changed signal
 * @css_class: (nullable): the CSS class whose `color` draws the series
 *
 * Returns: the index of the new series
 */
/**
 * nt_strip_chart_set_language:
 * @language: (nullable): "en", "ja", or %NULL for the session's language
 */
void
nt_strip_chart_set_language (NtStripChart *self,
                             const char   *language)
{
  g_return_if_fail (NT_IS_STRIP_CHART (self));

  if (!nt_language_replace (&self->language, language))
    return;

  set_fixed_texts (self);
  self->last_a11y_update = 0;
  update_accessible (self);
  if (self->hovering)
    update_hover (self);
  nt_strip_chart_invalidate_all (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LANGUAGE]);
}

static void
set_legend_text (Series *s)
{
  g_autofree char *text = s->unit[0] ? g_strdup_printf ("%s (%s)", s->name, s->unit) : g_strdup (s->name);

  gtk_label_set_label (GTK_LABEL (s->legend_label), text);
}

/**
 * nt_strip_chart_set_series_name:
 * @index: a series, as nt_strip_chart_add_series() numbered it
 * @name: what the legend, the readout and screen readers call it
 */
void
nt_strip_chart_set_series_name (NtStripChart *self,
                                guint         index,
                                const char   *name)
{
  Series *s;

  g_return_if_fail (NT_IS_STRIP_CHART (self));
  g_return_if_fail (index < self->series->len);
  g_return_if_fail (name != NULL);

  s = g_ptr_array_index (self->series, index);
  g_free (s->name);
  s->name = g_strdup (name);
  set_legend_text (s);
  if (index == 0)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                    -1);
  self->last_a11y_update = 0;
  update_accessible (self);
  if (self->hovering)
    update_hover (self);
}

guint
nt_strip_chart_add_series (NtStripChart *self,
                           const char   *name,
                           const char   *unit,
                           NtSeries     *series,
                           const char   *css_class)
{
  Series *s;

  g_return_val_if_fail (NT_IS_STRIP_CHART (self), 0);
  g_return_val_if_fail (name != NULL, 0);
  g_return_val_if_fail (NT_IS_SERIES (series), 0);

  s = g_new0 (Series, 1);
  s->chart = self;
  s->name = g_strdup (name);
  s->unit = g_strdup (unit ? unit : "");
  s->css_class = g_strdup (css_class);
  s->series = g_object_ref (series);
  s->precision = -1;
  s->lower_bound = -INFINITY;
  s->changed_id = g_signal_connect (series, "changed", G_CALLBACK (series_changed_cb), s);

  s->legend_label = gtk_label_new (NULL);
  set_legend_text (s);
  gtk_widget_add_css_class (s->legend_label, "series");
  if (css_class != NULL)
    gtk_widget_add_css_class (s->legend_label, css_class);
  gtk_box_append (GTK_BOX (self->legend), s->legend_label);

  g_ptr_array_add (self->series, s);

  if (self->series->len == 1)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                    -1);

  self->colors_dirty = TRUE;
  invalidate_columns (self);

  return self->series->len - 1;
}

guint
nt_strip_chart_get_n_series (NtStripChart *self)
{
  g_return_val_if_fail (NT_IS_STRIP_CHART (self), 0);

  return self->series->len;
}

/**
 * nt_strip_chart_get_series:
 *
 * Returns: (transfer none) (nullable): the series at @index
 */
NtSeries *
nt_strip_chart_get_series (NtStripChart *self,
                           guint         index)
{
  g_return_val_if_fail (NT_IS_STRIP_CHART (self), NULL);

  if (index >= self->series->len)
    return NULL;

  return ((Series *)g_ptr_array_index (self->series, index))->series;
}

/**
 * nt_strip_chart_set_series_precision:
 * @digits: digits after the point (from the signal's metadata), or -1
 */
void
nt_strip_chart_set_series_precision (NtStripChart *self,
                                     guint         index,
                                     int           digits)
{
  g_return_if_fail (NT_IS_STRIP_CHART (self));
  g_return_if_fail (index < self->series->len);

  ((Series *)g_ptr_array_index (self->series, index))->precision = CLAMP (digits, -1, 12);
  if (self->hovering)
    update_hover (self);
}

/**
 * nt_strip_chart_set_series_lower_bound:
 * @bound: the least value the quantity can have (0 for a current), or
 *   -INFINITY for none
 *
 * The automatic value axis never starts below @bound, however the
 * readings scatter about it: a stored current reads a little under 0 mA
 * without beam, and its axis still starts at 0.  Readings under the bound
 * are drawn at the plot's lower edge.
 */
void
nt_strip_chart_set_series_lower_bound (NtStripChart *self,
                                       guint         index,
                                       double        bound)
{
  Series *s;

  g_return_if_fail (NT_IS_STRIP_CHART (self));
  g_return_if_fail (index < self->series->len);
  g_return_if_fail (!isnan (bound) && bound < INFINITY);

  s = g_ptr_array_index (self->series, index);
  if (s->lower_bound == bound)
    return;
  s->lower_bound = bound;
  /* Choose the axis afresh, not with the hysteresis of the old one. */
  self->axis_min = self->axis_max = 0;
  invalidate_columns (self);
}

/**
 * nt_strip_chart_set_series_min_span:
 * @span: the least height of the automatic axis above the series' lower
 *   bound (0: none)
 *
 * Without it a reading that only wanders by its noise (0.02 mA of a DCCT
 * without beam) would fill the plot and look like a signal.
 */
void
nt_strip_chart_set_series_min_span (NtStripChart *self,
                                    guint         index,
                                    double        span)
{
  Series *s;

  g_return_if_fail (NT_IS_STRIP_CHART (self));
  g_return_if_fail (index < self->series->len);
  g_return_if_fail (span >= 0 && isfinite (span));

  s = g_ptr_array_index (self->series, index);
  if (s->min_span == span)
    return;
  s->min_span = span;
  self->axis_min = self->axis_max = 0;
  invalidate_columns (self);
}

/**
 * nt_strip_chart_show_stored_current:
 * @index: the series holding the ring's stored current (mA)
 *
 * What every stored-current chart shows the same way: the axis starts at
 * 0 mA (a current is never negative, whatever the DCCT's noise says),
 * spans at least %NT_STRIP_CHART_CURRENT_MIN_SPAN mA, and the columns
 * under 1 mA are shaded and marked "No beam".
 */
void
nt_strip_chart_show_stored_current (NtStripChart *self,
                                    guint         index)
{
  g_return_if_fail (NT_IS_STRIP_CHART (self));
  g_return_if_fail (index < self->series->len);

  nt_strip_chart_set_series_lower_bound (self, index, 0.0);
  nt_strip_chart_set_series_min_span (self, index, NT_STRIP_CHART_CURRENT_MIN_SPAN);
  nt_strip_chart_set_beam_threshold (self, index, 1.0);
}

/**
 * nt_strip_chart_set_clock:
 * @clock: (nullable): returns "now" (Unix µs), or %NULL for the real time
 *
 * Tests pass a fake clock to drive follow-live.
 */
void
nt_strip_chart_set_clock (NtStripChart      *self,
                          NtStripChartClock  clock,
                          gpointer           user_data,
                          GDestroyNotify     destroy)
{
  g_return_if_fail (NT_IS_STRIP_CHART (self));

  if (self->clock_destroy != NULL)
    self->clock_destroy (self->clock_data);

  self->clock = clock ? clock : default_clock;
  self->clock_data = clock ? user_data : NULL;
  self->clock_destroy = clock ? destroy : NULL;

  if (self->follow_live)
    view_changed (self);
}

gint64
nt_strip_chart_get_now (NtStripChart *self)
{
  g_return_val_if_fail (NT_IS_STRIP_CHART (self), 0);

  return self->clock (self->clock_data);
}

double
nt_strip_chart_get_visible_span (NtStripChart *self)
{
  g_return_val_if_fail (NT_IS_STRIP_CHART (self), 0);

  return self->span_us / (double)G_USEC_PER_SEC;
}

/**
 * nt_strip_chart_set_visible_span:
 * @seconds: the width of the view
 *
 * Keeps the end of the view (and follow-live).
 */
void
nt_strip_chart_set_visible_span (NtStripChart *self,
                                 double        seconds)
{
  gint64 old;

  g_return_if_fail (NT_IS_STRIP_CHART (self));
  g_return_if_fail (seconds > 0);

  old = self->span_us;
  set_span_internal (self, (gint64)(seconds * G_USEC_PER_SEC));
  if (old != self->span_us)
    view_changed (self);
}

void
nt_strip_chart_set_range (NtStripChart      *self,
                          NtStripChartRange  range)
{
  static const double spans[] = { 15 * 60, 3600, 8 * 3600, 24 * 3600, 7 * 24 * 3600 };

  g_return_if_fail (NT_IS_STRIP_CHART (self));
  g_return_if_fail ((guint)range < G_N_ELEMENTS (spans));

  nt_strip_chart_set_visible_span (self, spans[range]);
}

/**
 * nt_strip_chart_get_end_time:
 *
 * Returns: the end of the view (Unix µs); while following live, just
 *   after "now" from the chart's clock
 */
gint64
nt_strip_chart_get_end_time (NtStripChart *self)
{
  gint64 t0, t1;

  g_return_val_if_fail (NT_IS_STRIP_CHART (self), 0);

  compute_window (self, &t0, &t1);

  return t1;
}

/**
 * nt_strip_chart_set_end_time:
 *
 * Shows the span ending at @end_time; leaves follow-live.
 */
void
nt_strip_chart_set_end_time (NtStripChart *self,
                             gint64        end_time)
{
  g_return_if_fail (NT_IS_STRIP_CHART (self));

  if (self->follow_live)
    nt_strip_chart_set_follow_live (self, FALSE);
  set_end_internal (self, end_time);
  view_changed (self);
}

gboolean
nt_strip_chart_get_follow_live (NtStripChart *self)
{
  g_return_val_if_fail (NT_IS_STRIP_CHART (self), FALSE);

  return self->follow_live;
}

void
nt_strip_chart_set_follow_live (NtStripChart *self,
                                gboolean      follow_live)
{
  g_return_if_fail (NT_IS_STRIP_CHART (self));

  follow_live = !!follow_live;
  if (follow_live == self->follow_live)
    return;

  if (!follow_live)
    {
      gint64 t0, t1;

      /* Freeze the view where it is. */
      compute_window (self, &t0, &t1);
      self->end_us = t1;
    }

  self->follow_live = follow_live;
  gtk_widget_set_visible (self->follow_button, !follow_live);
  update_follow_timer (self);
  view_changed (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLLOW_LIVE]);
}

void
nt_strip_chart_get_visible_range (NtStripChart *self,
                                  gint64       *from,
                                  gint64       *to)
{
  gint64 t0, t1;

  g_return_if_fail (NT_IS_STRIP_CHART (self));

  compute_window (self, &t0, &t1);
  if (from != NULL)
    *from = t0;
  if (to != NULL)
    *to = t1;
}

/**
 * nt_strip_chart_zoom:
 * @factor: > 1 zooms in (shows a shorter span)
 * @anchor_x: the widget x that keeps its instant; while following live the
 *   end stays at "now" whatever the anchor
 */
void
nt_strip_chart_zoom (NtStripChart *self,
                     double        factor,
                     double        anchor_x)
{
  gint64 t0, t1, anchor_t, span;
  double frac;

  g_return_if_fail (NT_IS_STRIP_CHART (self));
  g_return_if_fail (factor > 0);

  compute_window (self, &t0, &t1);
  span = CLAMP ((gint64)(self->span_us / factor), MIN_SPAN_US, MAX_SPAN_US);
  if (span == self->span_us)
    return;

  if (!self->follow_live)
    {
      frac = CLAMP ((anchor_x - self->plot.origin.x) / plot_columns (self), 0.0, 1.0);
      anchor_t = t0 + (gint64)(frac * (t1 - t0));
      set_end_internal (self, anchor_t + (gint64)((1.0 - frac) * span));
    }
  set_span_internal (self, span);
  view_changed (self);
}

/**
 * nt_strip_chart_pan:
 * @dx: pixels; positive moves the view to earlier times (as a drag to the
 *   right does)
 *
 * Leaves follow-live.
 */
void
nt_strip_chart_pan (NtStripChart *self,
                    double        dx)
{
  gint64 t0, t1;

  g_return_if_fail (NT_IS_STRIP_CHART (self));

  if (dx == 0)
    return;

  compute_window (self, &t0, &t1);
  leave_follow_live (self);
  set_end_internal (self, t1 - (gint64)(dx * (double)self->span_us / plot_columns (self)));
  view_changed (self);
}

/**
 * nt_strip_chart_set_value_range:
 *
 * Fixes the value axis to [@min, @max].
 */
void
nt_strip_chart_set_value_range (NtStripChart *self,
                                double        min,
                                double        max)
{
  g_return_if_fail (NT_IS_STRIP_CHART (self));
  g_return_if_fail (min < max);

  self->fixed_range = TRUE;
  self->fixed_min = min;
  self->fixed_max = max;
  invalidate_columns (self);
}

void
nt_strip_chart_set_auto_range (NtStripChart *self)
{
  g_return_if_fail (NT_IS_STRIP_CHART (self));

  self->fixed_range = FALSE;
  self->axis_min = self->axis_max = 0;
  invalidate_columns (self);
}

void
nt_strip_chart_get_value_axis (NtStripChart *self,
                               double       *min,
                               double       *max)
{
  g_return_if_fail (NT_IS_STRIP_CHART (self));

  ensure_columns (self);
  if (min != NULL)
    *min = self->axis_min;
  if (max != NULL)
    *max = self->axis_max;
}

static void
copy_bands (GArray                 *array,
            const NtStripChartBand *bands,
            guint                   n)
{
  g_array_set_size (array, 0);
  for (guint i = 0; i < n; i++)
    {
      Band band = { bands[i].start, bands[i].end, g_strdup (bands[i].kind ? bands[i].kind : "none"), { 0 } };

      g_array_append_val (array, band);
    }
}

/**
 * nt_strip_chart_set_bands:
 * @bands: (array length=n_bands): run-plan periods, drawn as a strip along
 *   the time axis
 */
void
nt_strip_chart_set_bands (NtStripChart           *self,
                          const NtStripChartBand *bands,
                          guint                   n_bands)
{
  g_return_if_fail (NT_IS_STRIP_CHART (self));
  g_return_if_fail (n_bands == 0 || bands != NULL);

  copy_bands (self->bands, bands, n_bands);
  self->colors_dirty = TRUE;
  schedule_update (self);
}

/**
 * nt_strip_chart_set_shading:
 * @spans: (array length=n_spans): periods shaded across the plot (no beam)
 */
void
nt_strip_chart_set_shading (NtStripChart           *self,
                            const NtStripChartBand *spans,
                            guint                   n_spans)
{
  g_return_if_fail (NT_IS_STRIP_CHART (self));
  g_return_if_fail (n_spans == 0 || spans != NULL);

  copy_bands (self->shading, spans, n_spans);
  self->colors_dirty = TRUE;
  schedule_update (self);
}

/**
 * nt_strip_chart_set_run_plan:
 * @spans: (array length=n_spans): the run plan's periods, sorted
 *
 * Shows the plan's modes as bands along the time axis (coloured by
 * @nt_chart_band_<kind>, e.g. @nt_chart_band_user_operation) and shades
 * the periods planned without beam (maintenance, inspection, shutdown).
 */
void
nt_strip_chart_set_run_plan (NtStripChart       *self,
                             const NtPeriodSpan *spans,
                             guint               n_spans)
{
  g_autoptr(GArray) bands = NULL;
  g_autoptr(GArray) shading = NULL;

  g_return_if_fail (NT_IS_STRIP_CHART (self));
  g_return_if_fail (n_spans == 0 || spans != NULL);

  bands = g_array_sized_new (FALSE, FALSE, sizeof (NtStripChartBand), n_spans);
  shading = g_array_new (FALSE, FALSE, sizeof (NtStripChartBand));
  for (guint i = 0; i < n_spans; i++)
    {
      NtStripChartBand band = {
        spans[i].start * G_USEC_PER_SEC,
        spans[i].end * G_USEC_PER_SEC,
        nt_period_kind_to_string (spans[i].kind),
      };

      g_array_append_val (bands, band);
      if (!nt_period_kind_has_beam (spans[i].kind))
        {
          band.kind = "no-beam";
          g_array_append_val (shading, band);
        }
    }

  nt_strip_chart_set_bands (self, (NtStripChartBand *)(gpointer)bands->data, bands->len);
  nt_strip_chart_set_shading (self, (NtStripChartBand *)(gpointer)shading->data, shading->len);
}

/**
 * nt_strip_chart_set_beam_threshold:
 * @series_index: the series that tells whether there is beam (ring current)
 * @threshold: below this there is no beam; NaN to stop
 *
 * Shades the columns where the series is below @threshold (a beam dump, a
 * trip), with the words "No beam" where they fit, besides the planned
 * periods without beam.
 */
void
nt_strip_chart_set_beam_threshold (NtStripChart *self,
                                   guint         series_index,
                                   double        threshold)
{
  g_return_if_fail (NT_IS_STRIP_CHART (self));

  self->beam_series = series_index;
  self->beam_threshold = threshold;
  self->data_dirty = TRUE;
  schedule_update (self);
}

void
nt_strip_chart_get_plot_area (NtStripChart    *self,
                              graphene_rect_t *area)
{
  g_return_if_fail (NT_IS_STRIP_CHART (self));
  g_return_if_fail (area != NULL);

  *area = self->plot;
}

gint64
nt_strip_chart_time_at_x (NtStripChart *self,
                          double        x)
{
  gint64 t0, t1;

  g_return_val_if_fail (NT_IS_STRIP_CHART (self), 0);

  compute_window (self, &t0, &t1);

  return t0 + (gint64)((x - self->plot.origin.x) / plot_columns (self) * (double)(t1 - t0));
}

double
nt_strip_chart_x_at_time (NtStripChart *self,
                          gint64        t)
{
  gint64 t0, t1;

  g_return_val_if_fail (NT_IS_STRIP_CHART (self), 0);

  compute_window (self, &t0, &t1);

  return x_at (self, t0, t1, t);
}

double
nt_strip_chart_y_at_value (NtStripChart *self,
                           double        v)
{
  g_return_val_if_fail (NT_IS_STRIP_CHART (self), 0);

  ensure_columns (self);

  return y_at (self, v);
}

/**
 * nt_strip_chart_get_hover_sample:
 *
 * Returns: %FALSE if the pointer is not over a sample
 */
gboolean
nt_strip_chart_get_hover_sample (NtStripChart *self,
                                 guint        *series_index,
                                 gint64       *t,
                                 double       *v,
                                 guint8       *severity)
{
  g_return_val_if_fail (NT_IS_STRIP_CHART (self), FALSE);

  if (!self->hover_valid)
    return FALSE;

  if (series_index != NULL)
    *series_index = self->hover_series;
  if (t != NULL)
    *t = self->hover_t;
  if (v != NULL)
    *v = self->hover_v;
  if (severity != NULL)
    *severity = self->hover_sev;

  return TRUE;
}

/**
 * nt_strip_chart_get_readout_text:
 *
 * Returns: (nullable): the hover readout as shown, or %NULL when hidden
 */
const char *
nt_strip_chart_get_readout_text (NtStripChart *self)
{
  g_return_val_if_fail (NT_IS_STRIP_CHART (self), NULL);

  if (!self->hover_valid)
    return NULL;

  return gtk_label_get_text (GTK_LABEL (self->readout));
}

/* ------------------------------------------------------------------ */
/* Export                                                              */
/* ------------------------------------------------------------------ */

typedef struct
{
  char   *name;
  gint64 *t;
  double *v;
  guint8 *sev;
  gsize   n;
} ExportSeries;

typedef struct
{
  GFile  *file;
  GArray *series;   /* ExportSeries */
  GBytes *png;      /* PNG export: the rendered pixels */
  int     width;
  int     height;
  gsize   stride;
} ExportData;

static void
export_series_clear (gpointer data)
{
  ExportSeries *es = data;

  g_free (es->name);
  g_free (es->t);
  g_free (es->v);
  g_free (es->sev);
}

static void
export_data_free (gpointer data)
{
  ExportData *ed = data;

  g_clear_object (&ed->file);
  g_clear_pointer (&ed->series, g_array_unref);
  g_clear_pointer (&ed->png, g_bytes_unref);
  g_free (ed);
}

/* Days since 1970-01-01 to a proleptic Gregorian date. */
static void
civil_from_days (gint64  days,
                 int    *year,
                 int    *month,
                 int    *day)
{
  gint64 z = days + 719468;
  gint64 era = (z >= 0 ? z : z - 146096) / 146097;
  gint64 doe = z - era * 146097;
  gint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  gint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  gint64 mp = (5 * doy + 2) / 153;
  gint64 d = doy - (153 * mp + 2) / 5 + 1;
  gint64 m = mp < 10 ? mp + 3 : mp - 9;

  *year = (int)(yoe + era * 400 + (m <= 2));
  *month = (int)m;
  *day = (int)d;
}

static void
append_iso (GString    *out,
            gint64      t_us,
            gint64      offset_s)
{
  gint64 local_us = t_us + offset_s * G_USEC_PER_SEC;
  gint64 secs = local_us >= 0 ? local_us / G_USEC_PER_SEC : (local_us - G_USEC_PER_SEC + 1) / G_USEC_PER_SEC;
  gint64 frac_ms = (local_us - secs * G_USEC_PER_SEC) / 1000;
  gint64 days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
  gint64 sod = secs - days * 86400;
  int y, m, d;

  civil_from_days (days, &y, &m, &d);
  g_string_append_printf (out, "%04d-%02d-%02dT%02d:%02d:%02d.%03d",
                          y, m, d, (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60),
                          (int)frac_ms);
  if (offset_s == 0)
    g_string_append_c (out, 'Z');
  else
    g_string_append_printf (out, "%c%02d:%02d", offset_s < 0 ? '-' : '+',
                            (int)(ABS (offset_s) / 3600), (int)(ABS (offset_s) / 60 % 60));
}

static void
append_csv_field (GString    *out,
                  const char *text)
{
  if (strpbrk (text, ",\"\n\r") == NULL)
    {
      g_string_append (out, text);
      return;
    }

  g_string_append_c (out, '"');
  for (const char *p = text; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/* The shortest of %.15g, %.16g, %.17g that reads back as the same double:
 * 399.99, not 399.99000000000001. */
static const char *
format_value (char   *buf,
              gsize   len,
              double  v)
{
  static const char * const formats[] = { "%.15g", "%.16g" };

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_ascii_formatd (buf, len, formats[i], v);
      if (g_ascii_strtod (buf, NULL) == v)
        return buf;
    }

  return g_ascii_formatd (buf, len, "%.17g", v);
}

static void
export_csv_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  static const char * const sev_names[] = { "NONE", "MINOR", "MAJOR", "INVALID", "UNDEFINED" };
  ExportData *ed = task_data;
  g_autoptr(GString) out = g_string_new ("time_utc,time_jst,series,value,severity\n");
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;

  for (guint i = 0; i < ed->series->len; i++)
    {
      ExportSeries *es = &g_array_index (ed->series, ExportSeries, i);

      for (gsize k = 0; k < es->n; k++)
        {
          char buf[G_ASCII_DTOSTR_BUF_SIZE];

          if (k % 65536 == 0 && g_cancellable_set_error_if_cancelled (cancellable, &error))
            {
              g_task_return_error (task, error);
              return;
            }

          append_iso (out, es->t[k], 0);
          g_string_append_c (out, ',');
          append_iso (out, es->t[k], zone_offset_s (es->t[k] / G_USEC_PER_SEC));
          g_string_append_c (out, ',');
          append_csv_field (out, es->name);
          g_string_append_c (out, ',');
          if (!isnan (es->v[k]))
            g_string_append (out, format_value (buf, sizeof buf, es->v[k]));
          g_string_append_c (out, ',');
          g_string_append (out, es->sev[k] < G_N_ELEMENTS (sev_names) ? sev_names[es->sev[k]] : "UNDEFINED");
          g_string_append_c (out, '\n');
        }
    }

  bytes = g_string_free_to_bytes (g_steal_pointer (&out));
  if (!g_file_replace_contents (ed->file,
                                g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                NULL, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

/**
 * nt_strip_chart_export_csv_async:
 * @file: where to write
 *
 * Writes the samples of the visible range, every series, as CSV with the
 * columns time_utc, time_jst, series, value, severity.  Formatting and
 * writing happen in a worker thread.
 */
void
nt_strip_chart_export_csv_async (NtStripChart        *self,
                                 GFile               *file,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ExportData *ed;
  gint64 t0, t1;

  g_return_if_fail (NT_IS_STRIP_CHART (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, nt_strip_chart_export_csv_async);

  compute_window (self, &t0, &t1);
  ed = g_new0 (ExportData, 1);
  ed->file = g_object_ref (file);
  ed->series = g_array_new (FALSE, TRUE, sizeof (ExportSeries));
  g_array_set_clear_func (ed->series, export_series_clear);

  /* Copy the visible samples now: the series may change meanwhile. */
  for (guint i = 0; i < self->series->len; i++)
    {
      Series *s = g_ptr_array_index (self->series, i);
      gsize i0 = nt_series_lower_bound (s->series, t0);
      gsize i1 = nt_series_lower_bound (s->series, t1);
      ExportSeries es = { 0 };

      es.name = g_strdup (s->name);
      es.n = i1 - i0;
      es.t = g_memdup2 (nt_series_get_times (s->series) + i0, es.n * sizeof (gint64));
      es.v = g_memdup2 (nt_series_get_values (s->series) + i0, es.n * sizeof (double));
      es.sev = g_memdup2 (nt_series_get_severities (s->series) + i0, es.n);
      g_array_append_val (ed->series, es);
    }

  g_task_set_task_data (task, ed, export_data_free);
  g_task_run_in_thread (task, export_csv_thread);
}

gboolean
nt_strip_chart_export_csv_finish (NtStripChart  *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (NT_IS_STRIP_CHART (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
export_png_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  ExportData *ed = task_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GBytes) png = NULL;
  GError *error = NULL;

  texture = gdk_memory_texture_new (ed->width, ed->height, GDK_MEMORY_DEFAULT,
                                    ed->png, ed->stride);
  png = gdk_texture_save_to_png_bytes (texture);

  if (!g_file_replace_contents (ed->file,
                                g_bytes_get_data (png, NULL), g_bytes_get_size (png),
                                NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                NULL, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

typedef struct
{
  GTask         *task;
  GdkFrameClock *frame_clock;
  gulong         handler_id;
} PngExport;

static void
render_png_now (GTask *task)
{
  NtStripChart *self = g_task_get_source_object (task);
  ExportData *ed = g_task_get_task_data (task);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GtkNative *native;
  GskRenderer *renderer;
  int width, height;
  guchar *pixels;

  width = gtk_widget_get_width (GTK_WIDGET (self));
  height = gtk_widget_get_height (GTK_WIDGET (self));
  native = gtk_widget_get_native (GTK_WIDGET (self));
  renderer = native ? gtk_native_get_renderer (native) : NULL;
  if (renderer == NULL || width <= 0 || height <= 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                               _("The chart is not shown, so it cannot be exported as an image"));
      return;
    }

  node = nt_strip_chart_render_node (self);
  if (node == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               _("The chart could not be drawn"));
      return;
    }

  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  ed->width = gdk_texture_get_width (texture);
  ed->height = gdk_texture_get_height (texture);
  ed->stride = (gsize)ed->width * 4;
  pixels = g_malloc (ed->stride * ed->height);
  gdk_texture_download (texture, pixels, ed->stride);
  ed->png = g_bytes_new_take (pixels, ed->stride * ed->height);

  g_task_run_in_thread (task, export_png_thread);
}

static void
png_after_paint_cb (GdkFrameClock *frame_clock,
                    PngExport     *pe)
{
  g_autoptr(GTask) task = g_steal_pointer (&pe->task);

  g_signal_handler_disconnect (frame_clock, pe->handler_id);
  g_object_unref (pe->frame_clock);
  g_free (pe);

  render_png_now (task);
}

/**
 * nt_strip_chart_export_png_async:
 * @file: where to write
 *
 * Renders the chart as it is shown (theme colours included) into a PNG,
 * right after the next frame is painted so that what is saved is what is
 * on screen.  Encoding and writing happen in a worker thread.
 */
void
nt_strip_chart_export_png_async (NtStripChart        *self,
                                 GFile               *file,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GdkFrameClock *frame_clock;
  ExportData *ed;
  PngExport *pe;

  g_return_if_fail (NT_IS_STRIP_CHART (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, nt_strip_chart_export_png_async);

  ed = g_new0 (ExportData, 1);
  ed->file = g_object_ref (file);
  g_task_set_task_data (task, ed, export_data_free);

  frame_clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));
  if (frame_clock == NULL || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                               _("The chart is not shown, so it cannot be exported as an image"));
      return;
    }

  pe = g_new0 (PngExport, 1);
  pe->task = g_steal_pointer (&task);
  pe->frame_clock = g_object_ref (frame_clock);
  pe->handler_id = g_signal_connect (frame_clock, "after-paint",
                                     G_CALLBACK (png_after_paint_cb), pe);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
nt_strip_chart_export_png_finish (NtStripChart  *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (NT_IS_STRIP_CHART (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
