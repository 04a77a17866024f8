/* nt-strip-chart.c: a live strip chart of one or more time series
 *
 * This file holds the widget itself (its children, vfuncs, properties
 * and ::range-changed) and its view: the span, the end, follow-live,
 * zoom and pan, and the mapping from time to x.  The other concerns
 * live beside it (see nt-strip-chart-private.h).
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

#include "nt-clock.h"
#include "nt-i18n.h"
#include "nt-strip-chart-private.h"
#include "nt-strip-chart.h"

#define DEFAULT_SPAN_US    ((gint64)3600 * G_USEC_PER_SEC)
#define RANGE_DEBOUNCE_MS  150

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

static gint64
default_clock (gpointer user_data)
{
  return nt_clock_now_us ();
}

guint
_nt_strip_chart_plot_columns (NtStripChart *self)
{
  return self->win_width > 0 ? self->win_width : 1;
}

void
_nt_strip_chart_compute_window (NtStripChart *self,
                                gint64       *t0,
                                gint64       *t1)
{
  gint64 end;

  if (self->follow_live)
    {
      gint64 now = self->clock (self->clock_data);
      gint64 d = MAX (1, self->span_us / _nt_strip_chart_plot_columns (self));

      /* Snap to a whole column so the picture does not shimmer as it
       * scrolls; the end is always just after "now". */
      end = (now / d + 1) * d;
    }
  else
    end = self->end_us;

  *t0 = end - self->span_us;
  *t1 = end;
}

void
_nt_strip_chart_invalidate_columns (NtStripChart *self)
{
  self->columns_valid = FALSE;
  _nt_strip_chart_schedule_update (self);
}

static void
range_changed_now (NtStripChart *self)
{
  gint64 t0, t1;

  g_clear_handle_id (&self->range_source, g_source_remove);
  _nt_strip_chart_compute_window (self, &t0, &t1);
  g_signal_emit (self, signals[RANGE_CHANGED], 0, t0, t1, _nt_strip_chart_plot_columns (self));
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
void
_nt_strip_chart_view_changed (NtStripChart *self)
{
  _nt_strip_chart_invalidate_columns (self);
  g_clear_handle_id (&self->range_source, g_source_remove);
  self->range_source = g_timeout_add (RANGE_DEBOUNCE_MS, range_changed_timeout_cb, self);
  if (self->hovering)
    _nt_strip_chart_update_hover (self);
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
  interval = (guint)CLAMP (self->span_us / _nt_strip_chart_plot_columns (self) / 1000, 100, 60000);
  self->follow_source = g_timeout_add (interval, follow_timeout_cb, self);
}

void
_nt_strip_chart_set_span_internal (NtStripChart *self,
                                   gint64        span_us)
{
  span_us = CLAMP (span_us, MIN_SPAN_US, MAX_SPAN_US);
  if (span_us == self->span_us)
    return;

  self->span_us = span_us;
  update_follow_timer (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VISIBLE_SPAN]);
}

void
_nt_strip_chart_set_end_internal (NtStripChart *self,
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

  _nt_strip_chart_compute_window (self, &t0, &t1);
  _nt_strip_chart_set_end_internal (self, t1);
  nt_strip_chart_set_follow_live (self, FALSE);
}

static void
follow_clicked_cb (GtkButton    *button,
                   NtStripChart *self)
{
  nt_strip_chart_set_follow_live (self, TRUE);
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

  _nt_strip_chart_allocate_readout (self);

  if (old_width != self->win_width || !graphene_rect_equal (&old_plot, &self->plot))
    {
      self->static_dirty = TRUE;
      self->data_dirty = TRUE;
      if (old_width != self->win_width)
        _nt_strip_chart_view_changed (self);
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
  _nt_strip_chart_ensure_layers (self);
  self->in_snapshot = FALSE;

  if (self->static_node != NULL)
    gtk_snapshot_append_node (snapshot, self->static_node);
  if (self->data_node != NULL)
    gtk_snapshot_append_node (snapshot, self->data_node);

  _nt_strip_chart_snapshot_hover (self, snapshot);

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
  _nt_strip_chart_schedule_update (self);
}

static void
nt_strip_chart_map (GtkWidget *widget)
{
  NtStripChart *self = NT_STRIP_CHART (widget);

  GTK_WIDGET_CLASS (nt_strip_chart_parent_class)->map (widget);

  update_follow_timer (self);
  _nt_strip_chart_schedule_update (self);
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

  _nt_strip_chart_input_class_init (widget_class);

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
    _nt_strip_chart_set_accessible_label (self, _("Strip chart"));
}

static void
nt_strip_chart_init (NtStripChart *self)
{
  GtkWidget *widget = GTK_WIDGET (self);

  self->series = g_ptr_array_new_with_free_func (_nt_strip_chart_series_free);
  self->time_labels = g_ptr_array_new_with_free_func (g_free);
  self->bands = _nt_strip_chart_band_array_new ();
  self->shading = _nt_strip_chart_band_array_new ();

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

  _nt_strip_chart_input_init (self);

  set_fixed_texts (self);
}

void
nt_strip_chart_update_now (NtStripChart *self)
{
  gint64 t0, t1;

  g_return_if_fail (NT_IS_STRIP_CHART (self));

  if (!self->follow_live)
    return;

  _nt_strip_chart_compute_window (self, &t0, &t1);
  if (t0 != self->win_t0 || t1 != self->win_t1)
    _nt_strip_chart_invalidate_columns (self);
}

void
nt_strip_chart_flush (NtStripChart *self)
{
  g_return_if_fail (NT_IS_STRIP_CHART (self));

  _nt_strip_chart_ensure_layers (self);
}

void
nt_strip_chart_invalidate_all (NtStripChart *self)
{
  g_return_if_fail (NT_IS_STRIP_CHART (self));

  self->columns_valid = FALSE;
  self->colors_dirty = TRUE;
  self->static_dirty = TRUE;
  self->data_dirty = TRUE;
  _nt_strip_chart_schedule_update (self);
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
  _nt_strip_chart_words_changed (self);
  nt_strip_chart_invalidate_all (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LANGUAGE]);
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
    _nt_strip_chart_view_changed (self);
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
  _nt_strip_chart_set_span_internal (self, (gint64)(seconds * G_USEC_PER_SEC));
  if (old != self->span_us)
    _nt_strip_chart_view_changed (self);
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

  _nt_strip_chart_compute_window (self, &t0, &t1);

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
  _nt_strip_chart_set_end_internal (self, end_time);
  _nt_strip_chart_view_changed (self);
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
      _nt_strip_chart_compute_window (self, &t0, &t1);
      self->end_us = t1;
    }

  self->follow_live = follow_live;
  gtk_widget_set_visible (self->follow_button, !follow_live);
  update_follow_timer (self);
  _nt_strip_chart_view_changed (self);
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

  _nt_strip_chart_compute_window (self, &t0, &t1);
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

  _nt_strip_chart_compute_window (self, &t0, &t1);
  span = CLAMP ((gint64)(self->span_us / factor), MIN_SPAN_US, MAX_SPAN_US);
  if (span == self->span_us)
    return;

  if (!self->follow_live)
    {
      frac = CLAMP ((anchor_x - self->plot.origin.x) / _nt_strip_chart_plot_columns (self), 0.0, 1.0);
      anchor_t = t0 + (gint64)(frac * (t1 - t0));
      _nt_strip_chart_set_end_internal (self, anchor_t + (gint64)((1.0 - frac) * span));
    }
  _nt_strip_chart_set_span_internal (self, span);
  _nt_strip_chart_view_changed (self);
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

  _nt_strip_chart_compute_window (self, &t0, &t1);
  leave_follow_live (self);
  _nt_strip_chart_set_end_internal (self, t1 - (gint64)(dx * (double)self->span_us / _nt_strip_chart_plot_columns (self)));
  _nt_strip_chart_view_changed (self);
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

  _nt_strip_chart_compute_window (self, &t0, &t1);

  return t0 + (gint64)((x - self->plot.origin.x) / _nt_strip_chart_plot_columns (self) * (double)(t1 - t0));
}

double
nt_strip_chart_x_at_time (NtStripChart *self,
                          gint64        t)
{
  gint64 t0, t1;

  g_return_val_if_fail (NT_IS_STRIP_CHART (self), 0);

  _nt_strip_chart_compute_window (self, &t0, &t1);

  return _nt_strip_chart_x_at (self, t0, t1, t);
}
