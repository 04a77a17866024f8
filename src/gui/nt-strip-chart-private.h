/* nt-strip-chart-private.h: what the files of NtStripChart share
 *
 * NtStripChart is split by concern: nt-strip-chart.c (the widget, its
 * view and the public API of the view), nt-strip-chart-series.c (the
 * series it draws), nt-strip-chart-axes.c (value and time axes),
 * nt-strip-chart-layers.c (decimation, colours, bands and the two cached
 * layers), nt-strip-chart-input.c (pointer, touch, keys, hover readout),
 * nt-strip-chart-a11y.c (the accessible description) and
 * nt-strip-chart-export.c (CSV and PNG).  This header holds the instance
 * struct and the internal functions those files call (named
 * _nt_strip_chart_*), and the input paths the event controllers call:
 * a test (or a benchmark) drives the same code a pointer, a touchpad or
 * a touchscreen does.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "nt-decimate.h"
#include "nt-strip-chart.h"

G_BEGIN_DECLS

#define MIN_SPAN_US        ((gint64)10 * G_USEC_PER_SEC)
#define MAX_SPAN_US        ((gint64)31 * 24 * 3600 * G_USEC_PER_SEC)
#define BAND_STRIP_HEIGHT  6.0

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

/* nt-strip-chart.c: the view */
guint          _nt_strip_chart_plot_columns       (NtStripChart *self);
void           _nt_strip_chart_compute_window     (NtStripChart *self,
                                                   gint64       *t0,
                                                   gint64       *t1);
void           _nt_strip_chart_invalidate_columns (NtStripChart *self);
void           _nt_strip_chart_view_changed       (NtStripChart *self);
void           _nt_strip_chart_set_span_internal  (NtStripChart *self,
                                                   gint64        span_us);
void           _nt_strip_chart_set_end_internal   (NtStripChart *self,
                                                   gint64        end_us);

/* nt-strip-chart-series.c */
void           _nt_strip_chart_series_free        (gpointer      data);

/* nt-strip-chart-axes.c */
gboolean       _nt_strip_chart_update_value_axis  (NtStripChart *self);
void           _nt_strip_chart_reset_value_axis   (NtStripChart *self);
double         _nt_strip_chart_y_at               (NtStripChart *self,
                                                   double        v);
double         _nt_strip_chart_x_at               (NtStripChart *self,
                                                   gint64        t0,
                                                   gint64        t1,
                                                   gint64        t);
GDateTime     *_nt_strip_chart_local_time         (gint64        t_us);
gint64         _nt_strip_chart_zone_offset_s      (gint64        t_s);
int            _nt_strip_chart_series_digits      (NtStripChart *self,
                                                   Series       *s);
void           _nt_strip_chart_draw_value_axis    (NtStripChart *self,
                                                   GtkSnapshot  *snapshot,
                                                   PangoLayout  *layout);
void           _nt_strip_chart_draw_time_axis     (NtStripChart *self,
                                                   GtkSnapshot  *snapshot,
                                                   PangoLayout  *layout,
                                                   gint64        t0,
                                                   gint64        t1);

/* nt-strip-chart-layers.c */
GArray        *_nt_strip_chart_band_array_new     (void);
void           _nt_strip_chart_schedule_update    (NtStripChart *self);
void           _nt_strip_chart_ensure_columns     (NtStripChart *self);
void           _nt_strip_chart_ensure_layers      (NtStripChart *self);

/* nt-strip-chart-input.c */
void           _nt_strip_chart_input_class_init   (GtkWidgetClass *widget_class);
void           _nt_strip_chart_input_init         (NtStripChart *self);
void           _nt_strip_chart_update_hover       (NtStripChart *self);
void           _nt_strip_chart_allocate_readout   (NtStripChart *self);
void           _nt_strip_chart_snapshot_hover     (NtStripChart *self,
                                                   GtkSnapshot  *snapshot);
const char    *_nt_strip_chart_severity_word      (guint8        severity);

/* nt-strip-chart-a11y.c */
void           _nt_strip_chart_update_accessible  (NtStripChart *self);
void           _nt_strip_chart_set_accessible_label (NtStripChart *self,
                                                     const char   *label);
void           _nt_strip_chart_words_changed      (NtStripChart *self);

/* The input paths: what the event controllers call. */
void nt_strip_chart_pointer_motion       (NtStripChart *self,
                                          double        x,
                                          double        y);
void nt_strip_chart_pointer_leave        (NtStripChart *self);
void nt_strip_chart_scroll               (NtStripChart *self,
                                          double        dx,
                                          double        dy);
void nt_strip_chart_drag_begin           (NtStripChart *self,
                                          double        x,
                                          double        y);
void nt_strip_chart_drag_update          (NtStripChart *self,
                                          double        offset_x,
                                          double        offset_y);
void nt_strip_chart_drag_end             (NtStripChart *self);
void nt_strip_chart_pinch_begin          (NtStripChart *self,
                                          double        center_x);
void nt_strip_chart_pinch_scale          (NtStripChart *self,
                                          double        scale);
void nt_strip_chart_pinch_end            (NtStripChart *self);

/* What the follow-live timer does: re-read the clock, move the window. */
void nt_strip_chart_update_now           (NtStripChart *self);
/* What the frame clock's update phase does: decimate and rebuild the
 * cached layers that are out of date. */
void nt_strip_chart_flush                (NtStripChart *self);
/* Drops every cache, as if data, size and view had all changed. */
void nt_strip_chart_invalidate_all       (NtStripChart *self);
/* The time-axis ticks of the view (Unix seconds) and their step. */
GArray *nt_strip_chart_get_time_ticks (NtStripChart *self,
                                       gint64       *step);
/* The whole chart (background, layers, hover, children) as one node. */
GskRenderNode *nt_strip_chart_render_node (NtStripChart *self);
GPtrArray *nt_strip_chart_get_time_labels (NtStripChart *self);
/* Emits a pending (debounced) ::range-changed now. */
gboolean nt_strip_chart_flush_range_changed (NtStripChart *self);

G_END_DECLS
