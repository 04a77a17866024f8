/* nt-strip-chart-axes.c: the value and time axes of NtStripChart
 *
 * The automatic value axis (with hysteresis) or a fixed one, value to y,
 * the time-axis ticks on whole local (JST) units and their labels, and
 * the drawing of both axes (grid lines and labels) into the static
 * layer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-strip-chart"

#include "config.h"

#include <math.h>

#include "nt-decimate.h"
#include "nt-i18n.h"
#include "nt-strip-chart-private.h"
#include "nt-strip-chart.h"
#include "nt-time.h"

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
gboolean
_nt_strip_chart_update_value_axis (NtStripChart *self)
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

double
_nt_strip_chart_y_at (NtStripChart *self,
                      double        v)
{
  double range = self->axis_max - self->axis_min;

  if (!(range > 0))
    return self->plot.origin.y + self->plot.size.height / 2;

  return self->plot.origin.y + (self->axis_max - v) / range * self->plot.size.height;
}

double
_nt_strip_chart_x_at (NtStripChart *self,
                      gint64        t0,
                      gint64        t1,
                      gint64        t)
{
  return self->plot.origin.x + (double)(t - t0) / (double)(t1 - t0) * self->win_width;
}

GDateTime *
_nt_strip_chart_local_time (gint64 t_us)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (t_us / G_USEC_PER_SEC);

  if (utc == NULL)
    return NULL;

  return g_date_time_to_timezone (utc, nt_time_get_zone ());
}

gint64
_nt_strip_chart_zone_offset_s (gint64 t_s)
{
  GTimeZone *zone = nt_time_get_zone ();
  int interval = g_time_zone_find_interval (zone, G_TIME_TYPE_UNIVERSAL, t_s);

  return g_time_zone_get_offset (zone, MAX (interval, 0));
}

int
_nt_strip_chart_series_digits (NtStripChart *self,
                               Series       *s)
{
  if (s->precision >= 0)
    return s->precision;

  return digits_for_step (self->axis_step) + 1;
}

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

void
_nt_strip_chart_draw_value_axis (NtStripChart *self,
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
      double y = floor (_nt_strip_chart_y_at (self, v));
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
  gint64 off = _nt_strip_chart_zone_offset_s (s0);
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
      gint64 ts = local - _nt_strip_chart_zone_offset_s (local - off);

      if (ts > s1)
        break;
      if (ts * G_USEC_PER_SEC >= t0 && ts * G_USEC_PER_SEC < t1)
        g_array_append_val (ticks, ts);
    }

  return ticks;
}

void
_nt_strip_chart_draw_time_axis (NtStripChart *self,
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

      x = floor (_nt_strip_chart_x_at (self, t0, t1, ts * G_USEC_PER_SEC));
      gtk_snapshot_append_color (snapshot, &self->grid,
                                 &GRAPHENE_RECT_INIT (x, p->origin.y, 1, p->size.height));

      dt = _nt_strip_chart_local_time (ts * G_USEC_PER_SEC);
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

/* The time axis's labels as last drawn ("HH:MM", "HH:MM\nYYYY-MM-DD"). */
GPtrArray *
nt_strip_chart_get_time_labels (NtStripChart *self)
{
  g_return_val_if_fail (NT_IS_STRIP_CHART (self), NULL);

  _nt_strip_chart_ensure_layers (self);
  return self->time_labels;
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
  _nt_strip_chart_compute_window (self, &t0, &t1);
  st = choose_time_step (self, t0, t1, layout);
  if (step != NULL)
    *step = st;

  return time_ticks (t0, t1, st);
}

/* Chooses the automatic axis afresh, not with the hysteresis of the old
 * one. */
void
_nt_strip_chart_reset_value_axis (NtStripChart *self)
{
  self->axis_min = self->axis_max = 0;
  _nt_strip_chart_invalidate_columns (self);
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
  _nt_strip_chart_invalidate_columns (self);
}

void
nt_strip_chart_set_auto_range (NtStripChart *self)
{
  g_return_if_fail (NT_IS_STRIP_CHART (self));

  self->fixed_range = FALSE;
  _nt_strip_chart_reset_value_axis (self);
}

void
nt_strip_chart_get_value_axis (NtStripChart *self,
                               double       *min,
                               double       *max)
{
  g_return_if_fail (NT_IS_STRIP_CHART (self));

  _nt_strip_chart_ensure_columns (self);
  if (min != NULL)
    *min = self->axis_min;
  if (max != NULL)
    *max = self->axis_max;
}

double
nt_strip_chart_y_at_value (NtStripChart *self,
                           double        v)
{
  g_return_val_if_fail (NT_IS_STRIP_CHART (self), 0);

  _nt_strip_chart_ensure_columns (self);

  return _nt_strip_chart_y_at (self, v);
}
