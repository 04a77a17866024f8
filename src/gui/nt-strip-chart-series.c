/* nt-strip-chart-series.c: the series an NtStripChart draws
 *
 * Adding a series (its legend label, its ::changed handler, which marks
 * only the pixel columns a change touches), and what the owner says of
 * each: its name, precision, lower bound and least axis span.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-strip-chart"

#include "config.h"

#include <math.h>

#include "nt-decimate.h"
#include "nt-strip-chart-private.h"
#include "nt-strip-chart.h"

void
_nt_strip_chart_series_free (gpointer data)
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
      _nt_strip_chart_invalidate_columns (self);
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
  _nt_strip_chart_schedule_update (self);
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
    _nt_strip_chart_set_accessible_label (self, name);
  _nt_strip_chart_words_changed (self);
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
    _nt_strip_chart_set_accessible_label (self, name);

  self->colors_dirty = TRUE;
  _nt_strip_chart_invalidate_columns (self);

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
    _nt_strip_chart_update_hover (self);
}

/* A series' lower bound or least span: a new one chooses the axis afresh. */
static void
set_axis_limit (NtStripChart *self,
                double       *limit,
                double        value)
{
  if (*limit == value)
    return;

  *limit = value;
  _nt_strip_chart_reset_value_axis (self);
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
  g_return_if_fail (NT_IS_STRIP_CHART (self));
  g_return_if_fail (index < self->series->len);
  g_return_if_fail (!isnan (bound) && bound < INFINITY);

  set_axis_limit (self, &((Series *)g_ptr_array_index (self->series, index))->lower_bound, bound);
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
  g_return_if_fail (NT_IS_STRIP_CHART (self));
  g_return_if_fail (index < self->series->len);
  g_return_if_fail (span >= 0 && isfinite (span));

  set_axis_limit (self, &((Series *)g_ptr_array_index (self->series, index))->min_span, span);
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
