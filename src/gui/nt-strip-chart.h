/* nt-strip-chart.h: a live strip chart of one or more time series
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "nt-run-plan.h"
#include "nt-series.h"

G_BEGIN_DECLS

#define NT_TYPE_STRIP_CHART (nt_strip_chart_get_type ())

G_DECLARE_FINAL_TYPE (NtStripChart, nt_strip_chart, NT, STRIP_CHART, GtkWidget)

/* The preset ranges of the range switcher. */
typedef enum
{
  NT_STRIP_CHART_RANGE_15_MIN,
  NT_STRIP_CHART_RANGE_1_HOUR,
  NT_STRIP_CHART_RANGE_8_HOURS,
  NT_STRIP_CHART_RANGE_24_HOURS,
  NT_STRIP_CHART_RANGE_7_DAYS,
} NtStripChartRange;

/* A span of time drawn as a band: run-plan mode bands along the time axis
 * (nt_strip_chart_set_bands) or shading across the plot (no beam;
 * nt_strip_chart_set_shading).  The colour is the named colour
 * "nt_chart_band_<name>" of data/nt-strip-chart.css, where <name> is
 * @kind with '-' replaced by '_' (e.g. kind "user-operation" is coloured
 * by @nt_chart_band_user_operation).
 */
typedef struct
{
  gint64      start;  /* Unix µs, inclusive */
  gint64      end;    /* Unix µs, exclusive */
  const char *kind;   /* "user-operation", "machine-study", "maintenance", "no-beam", … */
} NtStripChartBand;

/* Returns "now" in Unix µs; tests pass a fake clock. */
typedef gint64 (*NtStripChartClock) (gpointer user_data);

GtkWidget   *nt_strip_chart_new                  (void);
void         nt_strip_chart_set_language         (NtStripChart      *self,
                                                  const char        *language);
void         nt_strip_chart_set_series_name      (NtStripChart      *self,
                                                  guint              index,
                                                  const char        *name);

guint        nt_strip_chart_add_series           (NtStripChart      *self,
                                                  const char        *name,
                                                  const char        *unit,
                                                  NtSeries          *series,
                                                  const char        *css_class);
guint        nt_strip_chart_get_n_series         (NtStripChart      *self);
NtSeries    *nt_strip_chart_get_series           (NtStripChart      *self,
                                                  guint              index);
void         nt_strip_chart_set_series_precision (NtStripChart      *self,
                                                  guint              index,
                                                  int                digits);
void         nt_strip_chart_set_series_lower_bound (NtStripChart    *self,
                                                  guint              index,
                                                  double             bound);

void         nt_strip_chart_set_clock            (NtStripChart      *self,
                                                  NtStripChartClock  clock,
                                                  gpointer           user_data,
                                                  GDestroyNotify     destroy);
gint64       nt_strip_chart_get_now              (NtStripChart      *self);

double       nt_strip_chart_get_visible_span     (NtStripChart      *self);
void         nt_strip_chart_set_visible_span     (NtStripChart      *self,
                                                  double             seconds);
void         nt_strip_chart_set_range            (NtStripChart      *self,
                                                  NtStripChartRange  range);
gint64       nt_strip_chart_get_end_time         (NtStripChart      *self);
void         nt_strip_chart_set_end_time         (NtStripChart      *self,
                                                  gint64             end_time);
gboolean     nt_strip_chart_get_follow_live      (NtStripChart      *self);
void         nt_strip_chart_set_follow_live      (NtStripChart      *self,
                                                  gboolean           follow_live);
void         nt_strip_chart_get_visible_range    (NtStripChart      *self,
                                                  gint64            *from,
                                                  gint64            *to);

void         nt_strip_chart_zoom                 (NtStripChart      *self,
                                                  double             factor,
                                                  double             anchor_x);
void         nt_strip_chart_pan                  (NtStripChart      *self,
                                                  double             dx);

void         nt_strip_chart_set_value_range      (NtStripChart      *self,
                                                  double             min,
                                                  double             max);
void         nt_strip_chart_set_auto_range       (NtStripChart      *self);
void         nt_strip_chart_get_value_axis       (NtStripChart      *self,
                                                  double            *min,
                                                  double            *max);

void         nt_strip_chart_set_bands            (NtStripChart      *self,
                                                  const NtStripChartBand *bands,
                                                  guint              n_bands);
void         nt_strip_chart_set_shading          (NtStripChart      *self,
                                                  const NtStripChartBand *spans,
                                                  guint              n_spans);

void         nt_strip_chart_set_run_plan         (NtStripChart      *self,
                                                  const NtPeriodSpan *spans,
                                                  guint              n_spans);
/* The least span of a stored-current axis, in mA. */
#define NT_STRIP_CHART_CURRENT_MIN_SPAN 10.0
void         nt_strip_chart_set_series_min_span  (NtStripChart      *self,
                                                  guint              index,
                                                  double             span);
void         nt_strip_chart_show_stored_current  (NtStripChart      *self,
                                                  guint              index);
void         nt_strip_chart_set_beam_threshold   (NtStripChart      *self,
                                                  guint              series_index,
                                                  double             threshold);

void         nt_strip_chart_get_plot_area        (NtStripChart      *self,
                                                  graphene_rect_t   *area);
gint64       nt_strip_chart_time_at_x            (NtStripChart      *self,
                                                  double             x);
double       nt_strip_chart_x_at_time            (NtStripChart      *self,
                                                  gint64             t);
double       nt_strip_chart_y_at_value           (NtStripChart      *self,
                                                  double             v);

gboolean     nt_strip_chart_get_hover_sample     (NtStripChart      *self,
                                                  guint             *series_index,
                                                  gint64            *t,
                                                  double            *v,
                                                  guint8            *severity);
const char  *nt_strip_chart_get_readout_text     (NtStripChart      *self);

void         nt_strip_chart_export_csv_async     (NtStripChart      *self,
                                                  GFile             *file,
                                                  GCancellable      *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer           user_data);
gboolean     nt_strip_chart_export_csv_finish    (NtStripChart      *self,
                                                  GAsyncResult      *result,
                                                  GError           **error);
void         nt_strip_chart_export_png_async     (NtStripChart      *self,
                                                  GFile             *file,
                                                  GCancellable      *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer           user_data);
gboolean     nt_strip_chart_export_png_finish    (NtStripChart      *self,
                                                  GAsyncResult      *result,
                                                  GError           **error);

G_END_DECLS
