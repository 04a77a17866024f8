/* nt-timeline-geometry.c: where things are on NtTimeline
 *
 * The view (a span of time and a vertical offset, kept within the
 * bounds), the metrics measured from the widget's font (row heights, the
 * axis, the header column; again when the font or the text size changes:
 * GNOME's Large Text raises gtk-xft-dpi; at the normal size they are the
 * MIN_* sizes), the mapping between time and x and between rows and y,
 * and hit testing: which item, and which of its edges, is under a point.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-timeline"

#include "config.h"

#include <math.h>
#include <string.h>

#include "nt-clock.h"
#include "nt-timeline-private.h"

/* ------------------------------------------------------------------ */
/* Geometry                                                            */

double
nt_timeline_plot_width (NtTimeline *self,
                        double      width)
{
  return MAX (1.0, width - self->header_w);
}

double
nt_timeline_x_for (NtTimeline *self,
                   double      width,
                   double      t)
{
  return self->header_w + (t - self->view_start) * nt_timeline_plot_width (self, width) / self->view_span;
}

double
nt_timeline_t_for (NtTimeline *self,
                   double      x)
{
  double w = gtk_widget_get_width (GTK_WIDGET (self));

  return self->view_start + (x - self->header_w) * self->view_span / nt_timeline_plot_width (self, w);
}

int
nt_timeline_row_at (NtTimeline *self,
                    double      y)
{
  double cy = y - self->axis_h + self->yoff;

  if (y < self->axis_h)
    return -1;
  for (guint i = 0; i < self->rows->len; i++)
    {
      Row *row = nt_timeline_row (self, i);

      if (cy >= row->y && cy < row->y + row->h)
        return (int)i;
    }

  return -1;
}

void
nt_timeline_clamp_view (NtTimeline *self)
{
  double lo = self->bounds_start, hi = self->bounds_end;
  double h = gtk_widget_get_height (GTK_WIDGET (self)) - self->axis_h;

  self->view_span = CLAMP (self->view_span, MIN_SPAN, MAX_SPAN);
  if (hi > lo)
    {
      /* A little room either side of the bounds, never more than them. */
      double margin = MIN (self->view_span * 0.25, 7.0 * DAY);

      if (self->view_span > hi - lo + 2 * margin)
        self->view_span = hi - lo + 2 * margin;
      self->view_start = CLAMP (self->view_start, lo - margin, hi + margin - self->view_span);
    }

  self->yoff = CLAMP (self->yoff, 0.0, MAX (0.0, self->content_h - h));
}

void
nt_timeline_view_changed (NtTimeline *self)
{
  nt_timeline_clamp_view (self);
  nt_timeline_update_accessible (self);
  nt_timeline_invalidate (self);
  g_signal_emit (self, nt_timeline_signals[SIGNAL_VIEW_CHANGED], 0);
}

gint64
nt_timeline_now_s (NtTimeline *self)
{
  return self->now != 0 ? self->now : nt_clock_now ();
}

/* ------------------------------------------------------------------ */
/* Metrics                                                             */

/* The left indent of a row's header: a branch station under its
 * beamline's header row is indented further. */
double
nt_timeline_header_indent (const Row *row)
{
  return row->kind == NT_TIMELINE_ROW_STATION && row->station != NULL &&
         strchr (row->station, '-') != NULL ? 18 : 8;
}

/* Measures the widget's font: a bar holds a line of text, a group row
 * one line, the axis its two lines of labels, and the header column the
 * widest row header.  Never less than the sizes of the normal text size
 * (MIN_*), so that the look does not change there.  Returns whether any
 * metric changed. */
gboolean
nt_timeline_update_metrics (NtTimeline *self)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  gint64 now = nt_timeline_now_s (self);
  int fy;
  NtTerm term = nt_time_term_of (now, &fy);
  g_autofree char *term_name = nt_time_term_name (fy, term);
  g_autofree char *date = nt_time_format_local (now, "%Y-%m-%d %a");
  const char *samples[] = { "0123456789:-", date, term_name };
  double line_h = 0, widest = 0;
  double header_w, axis_h, row_h, group_h, axis_line_y;
  int w, h;

  /* The axis's words and the row headers set the height of a line (a
   * fallback font for other scripts can make it taller). */
  for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      pango_layout_set_text (layout, samples[i], -1);
      pango_layout_get_pixel_size (layout, &w, &h);
      line_h = MAX (line_h, h);
    }
  for (guint i = 0; i < self->rows->len; i++)
    {
      Row *row = nt_timeline_row (self, i);

      pango_layout_set_text (layout, row->label, -1);
      pango_layout_get_pixel_size (layout, &w, &h);
      line_h = MAX (line_h, h);
      widest = MAX (widest, nt_timeline_header_indent (row) + w + 8);
    }

  row_h = MAX (MIN_ROW_H, line_h + 2 * BAR_PAD + 2);
  group_h = MAX (MIN_GROUP_H, line_h + 2);
  axis_h = MAX (MIN_AXIS_H, 2 * line_h + 4);
  axis_line_y = axis_h - MAX (AXIS_LINE_H, line_h);
  header_w = MAX (MIN_HEADER_W, ceil (widest));

  if (row_h == self->row_h && group_h == self->group_h && axis_h == self->axis_h &&
      axis_line_y == self->axis_line_y && header_w == self->header_w)
    return FALSE;

  g_debug ("metrics for a line of %.0f px: rows %.0f, groups %.0f, axis %.0f, headers %.0f",
           line_h, row_h, group_h, axis_h, header_w);
  self->row_h = row_h;
  self->group_h = group_h;
  self->axis_h = axis_h;
  self->axis_line_y = axis_line_y;
  self->header_w = header_w;

  return TRUE;
}

/* The font or the text size changed: measure everything again. */
void
nt_timeline_text_changed (NtTimeline *self)
{
  g_clear_object (&self->layout);
  g_hash_table_remove_all (self->labels);

  if (nt_timeline_update_metrics (self))
    {
      nt_timeline_layout_rows (self);
      nt_timeline_clamp_view (self);
      gtk_widget_queue_resize (GTK_WIDGET (self));
    }
  nt_timeline_invalidate (self);
}

gboolean
nt_timeline_area_of (NtTimeline      *self,
                     guint            row_index,
                     gint64           start,
                     gint64           end,
                     graphene_rect_t *area)
{
  double w = gtk_widget_get_width (GTK_WIDGET (self));
  Row *row;
  double x0, x1, y;

  if (row_index >= self->rows->len)
    return FALSE;
  row = nt_timeline_row (self, row_index);
  x0 = floor (nt_timeline_x_for (self, w, start));
  x1 = MAX (x0 + 1, floor (nt_timeline_x_for (self, w, end)));
  y = self->axis_h - self->yoff + row->y + BAR_PAD;
  graphene_rect_init (area, (float)x0, (float)y, (float)(x1 - x0), (float)(row->h - 2 * BAR_PAD));

  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Hit testing                                                         */

Item *
nt_timeline_item_at (NtTimeline *self,
                     double      x,
                     double      y,
                     DragMode   *edge)
{
  int row = nt_timeline_row_at (self, y);
  double w = gtk_widget_get_width (GTK_WIDGET (self));
  double t, tol;
  Item *best = NULL;
  GPtrArray *items;

  if (edge != NULL)
    *edge = DRAG_MOVE;
  if (row < 0 || x < self->header_w)
    return NULL;

  t = nt_timeline_t_for (self, x);
  tol = EDGE_GRAB * self->view_span / nt_timeline_plot_width (self, w);

  items = nt_timeline_collect (self, nt_timeline_row (self, (guint)row),
                               (gint64)floor (t - tol), (gint64)ceil (t + tol) + 1);
  for (guint i = 0; i < items->len; i++)
    {
      Item *item = g_ptr_array_index (items, i);

      if (!nt_timeline_item_shown (self, item))
        continue;
      if (item->start <= t && t < item->end)
        best = item;  /* the last one that starts before: on top */
      else if (best == NULL)
        best = item;
    }

  if (best != NULL && edge != NULL)
    {
      double x0 = nt_timeline_x_for (self, w, best->start), x1 = nt_timeline_x_for (self, w, best->end);

      if (x1 - x0 >= 3 * EDGE_GRAB)
        {
          if (fabs (x - x0) <= EDGE_GRAB)
            *edge = DRAG_RESIZE_START;
          else if (fabs (x - x1) <= EDGE_GRAB)
            *edge = DRAG_RESIZE_END;
        }
    }

  return best;
}

/* Shows @span seconds from @start, as far as the bounds allow. */
static void
show_span (NtTimeline *self,
           double      start,
           double      span)
{
  self->view_start = start;
  self->view_span = span;
  nt_timeline_view_changed (self);
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */

void
nt_timeline_set_bounds (NtTimeline *self,
                        gint64      start,
                        gint64      end)
{
  g_return_if_fail (NT_IS_TIMELINE (self));
  g_return_if_fail (end > start);

  self->bounds_start = start;
  self->bounds_end = end;
  nt_timeline_view_changed (self);
}

void
nt_timeline_set_view (NtTimeline *self,
                      gint64      start,
                      gint64      end)
{
  g_return_if_fail (NT_IS_TIMELINE (self));
  g_return_if_fail (end > start);

  show_span (self, start, end - start);
}

void
nt_timeline_get_view (NtTimeline *self,
                      gint64     *start,
                      gint64     *end)
{
  g_return_if_fail (NT_IS_TIMELINE (self));

  if (start != NULL)
    *start = (gint64)floor (self->view_start);
  if (end != NULL)
    *end = (gint64)ceil (self->view_start + self->view_span);
}

/* Zooms by @factor (> 1 zooms in) about the centre of the view. */
void
nt_timeline_zoom (NtTimeline *self,
                  double      factor)
{
  double centre, span;

  g_return_if_fail (NT_IS_TIMELINE (self));
  g_return_if_fail (factor > 0);

  centre = self->view_start + self->view_span / 2;
  span = self->view_span / factor;
  show_span (self, centre - span / 2, span);
}

void
nt_timeline_fit (NtTimeline *self)
{
  g_return_if_fail (NT_IS_TIMELINE (self));

  show_span (self, self->bounds_start, self->bounds_end - self->bounds_start);
}

void
nt_timeline_show_now (NtTimeline *self)
{
  g_return_if_fail (NT_IS_TIMELINE (self));

  self->view_start = nt_timeline_now_s (self) - self->view_span / 3;
  nt_timeline_view_changed (self);
}

void
nt_timeline_set_now (NtTimeline *self,
                     gint64      now)
{
  g_return_if_fail (NT_IS_TIMELINE (self));

  self->now = now;
  nt_timeline_invalidate (self);
}

gboolean
nt_timeline_get_item_area (NtTimeline      *self,
                           gpointer         object,
                           graphene_rect_t *area)
{
  Item *item;

  g_return_val_if_fail (NT_IS_TIMELINE (self), FALSE);
  g_return_val_if_fail (object != NULL, FALSE);

  item = nt_timeline_item_of (self, object);
  if (item == NULL)
    return FALSE;

  return nt_timeline_area_of (self, item->tag, item->start, item->end, area);
}

double
nt_timeline_x_for_time (NtTimeline *self,
                        gint64      t)
{
  g_return_val_if_fail (NT_IS_TIMELINE (self), 0);
  return nt_timeline_x_for (self, gtk_widget_get_width (GTK_WIDGET (self)), t);
}

/* The vertical middle of a row, in widget coordinates. */
double
nt_timeline_y_for_row (NtTimeline *self,
                       guint       row)
{
  Row *r;

  g_return_val_if_fail (NT_IS_TIMELINE (self), 0);
  g_return_val_if_fail (row < self->rows->len, 0);

  r = nt_timeline_row (self, row);
  return self->axis_h - self->yoff + r->y + r->h / 2;
}
guint
nt_timeline_rows_that_fit (NtTimeline *self,
                           guint       first_row,
                           double      height)
{
  double y = self->axis_h;
  guint n = 0;

  g_return_val_if_fail (NT_IS_TIMELINE (self), 0);

  for (guint i = first_row; i < self->rows->len; i++)
    {
      double h = nt_timeline_row (self, i)->h;

      if (y + h > height && n > 0)
        break;
      y += h;
      n++;
    }

  return n;
}

/**
 * nt_timeline_get_metrics:
 *
 * The sizes the timeline lays itself out with, in pixels; any may be
 * NULL.  They follow the widget's font and the text size, never below
 * those of the normal text size.
 */
void
nt_timeline_get_metrics (NtTimeline *self,
                         double     *header_width,
                         double     *axis_height,
                         double     *row_height,
                         double     *group_height)
{
  g_return_if_fail (NT_IS_TIMELINE (self));

  if (header_width != NULL)
    *header_width = self->header_w;
  if (axis_height != NULL)
    *axis_height = self->axis_h;
  if (row_height != NULL)
    *row_height = self->row_h;
  if (group_height != NULL)
    *group_height = self->group_h;
}
