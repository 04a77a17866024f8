/* nt-timeline-draw.c: how NtTimeline draws (STYLE.md §9–10)
 *
 *  - Each visible row is asked only for the items that overlap the
 *    visible span (its NtIntervalIndex).
 *  - Bars are snapped to whole pixels and merged: a bar narrower than a
 *    pixel column that is already painted adds nothing, and neighbours of
 *    one colour become one rectangle, so a frame costs at most one
 *    rectangle per pixel column and row, whatever the number of items.
 *    On screen a row's bars are strips one pixel high stretched over the
 *    row; printed, the rectangles of one colour and style are filled with
 *    one cairo_fill, without antialiasing.  Both give the same pixels.
 *  - The grid, the bars, their labels and the row headers form one cached
 *    render node, rebuilt when the view, the size, the contents or the
 *    style change; the selection and the drag in progress are drawn on
 *    top in a cheap pass, so moving the pointer never rebuilds it.
 *  - Colours are named colours of the stylesheet (data/style.css), read
 *    again when the style changes.
 *  - The same drawing code prints (nt_timeline_draw_rows()).
 *  - Axis labels are drawn only where they clear the last.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-timeline"

#include "config.h"

#include <math.h>

#include "nt-timeline-private.h"
#include "nt-widget-util.h"

/* ------------------------------------------------------------------ */
/* Colours                                                             */

void
nt_timeline_update_colors (NtTimeline *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  static const char * const kinds[] = {
    "nt_timeline_user_operation", "nt_timeline_machine_study", "nt_timeline_commissioning",
    "nt_timeline_maintenance", "nt_timeline_inspection", "nt_timeline_shutdown",
  };
  static const char * const slots[] = {
    "nt_timeline_slot_public", "nt_timeline_slot_coalition",
    "nt_timeline_slot_staff", "nt_timeline_slot_commissioning",
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (kinds) == NT_N_PERIOD_KINDS);
  G_STATIC_ASSERT (G_N_ELEMENTS (slots) == NT_N_SLOTS);

  for (guint i = 0; i < NT_N_PERIOD_KINDS; i++)
    nt_widget_lookup_color (widget, kinds[i], 0.5, &self->colors[i]);
  for (guint i = 0; i < NT_N_SLOTS; i++)
    nt_widget_lookup_color (widget, slots[i], 0.6, &self->colors[COLOR_SLOT_BASE + i]);
  nt_widget_lookup_color (widget, "nt_timeline_grid", 0.10, &self->colors[COLOR_GRID]);
  nt_widget_lookup_color (widget, "nt_timeline_grid_strong", 0.35, &self->colors[COLOR_GRID_STRONG]);
  nt_widget_lookup_color (widget, "nt_timeline_row_alt", 0.03, &self->colors[COLOR_ROW_ALT]);
  nt_widget_lookup_color (widget, "nt_timeline_now", 1.0, &self->colors[COLOR_NOW]);
  nt_widget_lookup_color (widget, "nt_timeline_text", 1.0, &self->colors[COLOR_TEXT]);
  nt_widget_lookup_color (widget, "nt_timeline_bar_text", 1.0, &self->colors[COLOR_BAR_TEXT]);
  nt_widget_lookup_color (widget, "nt_timeline_valid", 0.8, &self->colors[COLOR_VALID]);
  nt_widget_lookup_color (widget, "nt_timeline_invalid", 0.8, &self->colors[COLOR_INVALID]);
  nt_widget_lookup_color (widget, "nt_timeline_selected", 1.0, &self->colors[COLOR_SELECTED]);
  nt_widget_lookup_color (widget, "nt_timeline_header_bg", 0.04, &self->colors[COLOR_HEADER_BG]);
}

/* ------------------------------------------------------------------ */
/* Drawing                                                             */

typedef struct
{
  NtTimeline  *self;
  cairo_t     *cr;
  PangoLayout *layout;
  double       width;
  double       height;
  double       v_start;   /* seconds */
  double       v_span;
  double       top;       /* y of the first row drawn */
  gboolean     cached_widths;
  /* Set when drawing the widget's layer: each row's bars go into strips
   * one device pixel a column, stretched over the bar's height
   * (fill_row_strips), at @scale device pixels a unit. */
  gboolean     strips;
  int          scale;
} Draw;

static inline double
dx (Draw   *d,
    double  t)
{
  return d->self->header_w + (t - d->v_start) * (d->width - d->self->header_w) / d->v_span;
}

static void
set_color (cairo_t       *cr,
           const GdkRGBA *c,
           double         alpha)
{
  cairo_set_source_rgba (cr, c->red, c->green, c->blue, c->alpha * alpha);
}

static void
show_text (Draw          *d,
           const char    *text,
           double         x,
           double         y,
           const GdkRGBA *color)
{
  pango_layout_set_text (d->layout, text, -1);
  set_color (d->cr, color, 1.0);
  cairo_move_to (d->cr, x, y);
  pango_cairo_show_layout (d->cr, d->layout);
}

/* @text at @x, in the middle of the band of height @h from @y. */
static void
show_text_centred (Draw          *d,
                   const char    *text,
                   double         x,
                   double         y,
                   double         h,
                   const GdkRGBA *color,
                   double         alpha)
{
  int tw, th;

  pango_layout_set_text (d->layout, text, -1);
  pango_layout_get_pixel_size (d->layout, &tw, &th);
  set_color (d->cr, color, alpha);
  cairo_move_to (d->cr, x, y + (h - th) / 2);
  pango_cairo_show_layout (d->cr, d->layout);
}

static int
text_width (Draw       *d,
            const char *text)
{
  int w, h;

  pango_layout_set_text (d->layout, text, -1);
  pango_layout_get_pixel_size (d->layout, &w, &h);
  return w;
}

static void
vline (Draw          *d,
       double         x,
       double         y0,
       double         y1,
       const GdkRGBA *color,
       double         w)
{
  set_color (d->cr, color, 1.0);
  cairo_rectangle (d->cr, round (x), y0, w, y1 - y0);
  cairo_fill (d->cr);
}

static GDateTime *
local_midnight (gint64 t)
{
  g_autoptr(GDateTime) local = nt_time_to_local (t);

  return g_date_time_new (nt_time_get_zone (),
                          g_date_time_get_year (local), g_date_time_get_month (local),
                          g_date_time_get_day_of_month (local), 0, 0, 0);
}

/* The last label drawn along a line of the axis: the next must clear it. */
typedef struct
{
  double x;
  double end;
} LabelRun;

/* Draws @text at @x + @indent on the axis and makes it the last of @run. */
static void
axis_label (Draw       *d,
            LabelRun   *run,
            const char *text,
            double      x,
            double      indent,
            double      y)
{
  show_text (d, text, x + indent, y, &d->self->colors[COLOR_TEXT]);
  run->x = x;
  run->end = x + text_width (d, text);
}

/* The name of the term (and fiscal year) @t falls in. */
static char *
term_name_at (gint64 t)
{
  int fy;
  NtTerm term = nt_time_term_of (t, &fy);

  return nt_time_term_name (fy, term);
}

/* Month and term boundaries, days, shifts and hours, and their labels. */
static void
draw_grid (Draw *d)
{
  NtTimeline *self = d->self;
  double ppd = (d->width - self->header_w) / (d->v_span / DAY);
  gint64 t0 = (gint64)floor (d->v_start), t1 = (gint64)ceil (d->v_start + d->v_span);
  double bottom = d->height;
  g_autoptr(GDateTime) month = NULL;

  /* Shift grid and hours when zoomed in far enough to tell them apart. */
  if (ppd >= 18)
    {
      NtTimeGrid hour = NT_TIME_GRID_HOUR;
      const NtTimeGrid *grid = ppd >= 288 ? &hour : &self->shift_grid;
      gint64 t = nt_time_grid_ceil (grid, t0);
      LabelRun run = { -1e9, -1e9 };

      for (; t < t1; t = nt_time_grid_ceil (grid, t + 1))
        {
          double x = dx (d, t);
          gboolean shift = nt_time_grid_is_on_grid (&self->shift_grid, t);

          vline (d, x, self->axis_h, bottom, &self->colors[COLOR_GRID], 1);
          if (ppd >= 300 && (shift || ppd >= 1000) && x - run.x > 40 && x > self->header_w)
            {
              g_autofree char *text = nt_time_format_local (t, "%H:%M");

              if (x > run.end)
                axis_label (d, &run, text, x, 2, self->axis_line_y);
            }
        }
    }

  /* Days */
  if (ppd >= 6)
    {
      g_autoptr(GDateTime) day = local_midnight (t0);
      LabelRun run = { -1e9, -1e9 };

      while (g_date_time_to_unix (day) < t1)
        {
          gint64 t = g_date_time_to_unix (day);
          double x = dx (d, t);
          GDateTime *next;

          if (x >= self->header_w)
            {
              /* Across the axis when the date is written on top, else
               * down from the lower line of labels. */
              vline (d, x, ppd >= 300 ? 0 : self->axis_line_y - 2, bottom,
                     &self->colors[ppd >= 18 ? COLOR_GRID_STRONG : COLOR_GRID], 1);
              /* Labels where they fit: never over the last one. */
              if (ppd >= 300 && x - run.x > 120 && x > run.end)
                {
                  g_autofree char *text = nt_time_format_local (t, "%Y-%m-%d %a");

                  axis_label (d, &run, text, x, 3, 2);
                }
              else if (ppd >= 18 && ppd < 300 && x - run.x > 22 && x > run.end)
                {
                  g_autofree char *text = nt_time_format_local (t, ppd >= 60 ? "%d %a" : "%d");

                  axis_label (d, &run, text, x, 2, self->axis_line_y);
                }
            }

          next = g_date_time_add_days (day, 1);
          g_date_time_unref (day);
          day = next;
        }
    }

  /* Months and terms */
  {
    g_autoptr(GDateTime) local = nt_time_to_local (t0);

    month = g_date_time_new (nt_time_get_zone (), g_date_time_get_year (local),
                             g_date_time_get_month (local), 1, 0, 0, 0);
  }
  while (g_date_time_to_unix (month) < t1)
    {
      gint64 t = g_date_time_to_unix (month);
      GDateTime *next = g_date_time_add_months (month, 1);
      double x = dx (d, t), xn = dx (d, g_date_time_to_unix (next));
      int m = g_date_time_get_month (month);
      gboolean term = m == 4 || m == 10;

      if (x >= self->header_w)
        vline (d, x, 0, bottom, &self->colors[COLOR_GRID_STRONG], term ? 2 : 1);

      /* The term's name under its first month, when days are not shown. */
      if (term && ppd < 18 && x >= self->header_w - 1)
        {
          g_autofree char *term_name = term_name_at (t);

          show_text (d, term_name, MAX (x, self->header_w) + 3, self->axis_line_y, &self->colors[COLOR_TEXT]);
        }

      if (ppd < 300)
        {
          g_autofree char *term_name = term_name_at (t);
          g_autofree char *month_text = nt_time_format_local (t, "%Y-%m");
          g_autofree char *text = term && xn - x > 110
                                  ? g_strdup_printf ("%s  %s", month_text, term_name)
                                  : g_strdup (month_text);
          double lx = MAX (x, self->header_w) + 3;

          if (xn - lx > text_width (d, text) + 4)
            show_text (d, text, lx, 2, &self->colors[COLOR_TEXT]);
        }

      g_date_time_unref (month);
      month = next;
    }
}

static void
push_rect (NtTimeline *self,
           guint       key,
           double      x0,
           double      x1,
           double      y,
           double      h)
{
  Rect r = { x0, y, x1 - x0, h };

  g_array_append_val (self->rects[key], r);
}

/* One row's bars, merged per pixel column; labels where they fit. */
static void
draw_row_bars (Draw  *d,
               Row   *row,
               double y,
               GArray *labels)
{
  NtTimeline *self = d->self;
  double by = y + BAR_PAD, bh = row->h - 2 * BAR_PAD;
  double run_x0 = 0, run_x1 = -1;
  int run_key = -1;
  GPtrArray *items = nt_timeline_collect (self, row, (gint64)floor (d->v_start),
                                          (gint64)ceil (d->v_start + d->v_span) + 1);

  for (guint i = 0; i < items->len; i++)
    {
      Item *item = g_ptr_array_index (items, i);
      double x0, x1;
      int key;

      if (!nt_timeline_item_shown (self, item))
        continue;

      x0 = floor (dx (d, item->start));
      x1 = floor (dx (d, item->end));
      if (x1 - x0 >= 4)
        x1 -= 1;  /* a gap between neighbours wide enough to see */
      if (x1 <= x0)
        x1 = x0 + 1;
      x0 = MAX (x0, self->header_w);
      x1 = MIN (x1, d->width);
      if (x1 <= x0)
        continue;

      key = (int)nt_timeline_item_color (item) * NT_N_ALLOCATION_STATUSES + item->status;

      if (key == run_key && x0 <= run_x1)
        {
          run_x1 = MAX (run_x1, x1);
        }
      else
        {
          if (x0 < run_x1)
            x0 = run_x1;  /* this pixel column is painted already */
          if (x0 >= x1)
            continue;
          if (run_key >= 0)
            push_rect (self, run_key, run_x0, run_x1, by, bh);
          run_key = key;
          run_x0 = x0;
          run_x1 = x1;
        }

      if (x1 - x0 >= 24)
        {
          const char *label = nt_timeline_item_label (self, item);

          if (label != NULL &&
              nt_timeline_label_width (self, label, d->layout, d->cached_widths) + 8 <= x1 - x0)
            {
              Rect r = { x0 + 4, by, 0, bh };

              r.w = GPOINTER_TO_SIZE (item);  /* the item, carried along */
              g_array_append_val (labels, r);
            }
        }
    }

  if (run_key >= 0)
    push_rect (self, run_key, run_x0, run_x1, by, bh);
}

static void
fill_rects (Draw *d)
{
  NtTimeline *self = d->self;
  cairo_t *cr = d->cr;

  cairo_save (cr);
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_NONE);

  for (guint key = 0; key < N_KEYS; key++)
    {
      GArray *rects = self->rects[key];
      guint color = key / NT_N_ALLOCATION_STATUSES;
      guint status = key % NT_N_ALLOCATION_STATUSES;
      const GdkRGBA *c = &self->colors[color];

      if (rects->len == 0)
        continue;

      /* Confirmed: solid.  Draft: pale with a solid top and bottom edge.
       * Cancelled: faint with a line struck through. */
      set_color (cr, c, status == NT_ALLOCATION_CONFIRMED ? 1.0 :
                        status == NT_ALLOCATION_DRAFT ? 0.4 : 0.12);
      for (guint i = 0; i < rects->len; i++)
        {
          Rect *r = &g_array_index (rects, Rect, i);

          cairo_rectangle (cr, r->x, r->y, r->w, r->h);
        }
      cairo_fill (cr);

      if (status != NT_ALLOCATION_CONFIRMED)
        {
          set_color (cr, c, status == NT_ALLOCATION_DRAFT ? 1.0 : 0.7);
          for (guint i = 0; i < rects->len; i++)
            {
              Rect *r = &g_array_index (rects, Rect, i);

              if (status == NT_ALLOCATION_DRAFT)
                {
                  cairo_rectangle (cr, r->x, r->y, r->w, 2);
                  cairo_rectangle (cr, r->x, r->y + r->h - 2, r->w, 2);
                }
              else
                cairo_rectangle (cr, r->x, floor (r->y + r->h / 2), r->w, 1);
            }
          cairo_fill (cr);
        }

      g_array_set_size (rects, 0);
    }

  cairo_restore (cr);
}

/* A channel as cairo makes it for a solid fill: 16 bits, rounded, then
 * the top 8. */
static inline guint32
channel (double v)
{
  return (guint32)(CLAMP (v, 0.0, 1.0) * 65535.0 + 0.5) >> 8;
}

/* A pixel of @c at @alpha, premultiplied as cairo's fills make it. */
static guint32
premultiplied (const GdkRGBA *c,
               double         alpha)
{
  double a = CLAMP (c->alpha * alpha, 0.0, 1.0);

  return channel (a) << 24 | channel (c->red * a) << 16 | channel (c->green * a) << 8 | channel (c->blue * a);
}

/* Paints @strip (one device pixel a column, one row) over the band
 * [y, y + h), and lets it go (the recording takes its pixels over);
 * marked dirty before. */
static void
paint_strip (Draw            *d,
             cairo_surface_t *strip,
             double           y,
             double           h)
{
  cairo_t *cr = d->cr;

  if (strip == NULL)
    return;
  cairo_save (cr);
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_NONE);
  cairo_rectangle (cr, 0, y, d->width, h);
  cairo_clip (cr);
  cairo_translate (cr, 0, y);
  cairo_scale (cr, 1.0 / d->scale, h);
  cairo_set_source_surface (cr, strip, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_NEAREST);
  cairo_paint (cr);
  cairo_restore (cr);
  cairo_surface_destroy (strip);
}

/* One row's bars (the rects gathered by draw_row_bars), as the cairo path
 * of fill_rects would draw them: every bar of a row spans the same band,
 * so a row is three strips one pixel high (the fills, the drafts' edges,
 * the line through the cancelled) stretched over their bands.  A layer so
 * costs a few kilobytes a row, not a surface the widget's size, and
 * replays in a few scaled blits. */
static void
fill_row_strips (Draw   *d,
                 double  by,
                 double  bh)
{
  NtTimeline *self = d->self;
  int n = (int)ceil (d->width * d->scale);
  cairo_surface_t *strip[3] = { NULL, NULL, NULL };  /* fill, draft edges, strike */

  if (n <= 0)
    return;

  for (guint key = 0; key < N_KEYS; key++)
    {
      GArray *rects = self->rects[key];
      guint status = key % NT_N_ALLOCATION_STATUSES;
      const GdkRGBA *c = &self->colors[key / NT_N_ALLOCATION_STATUSES];
      guint32 px[3];

      if (rects->len == 0)
        continue;

      px[0] = premultiplied (c, status == NT_ALLOCATION_CONFIRMED ? 1.0 :
                                status == NT_ALLOCATION_DRAFT ? 0.4 : 0.12);
      px[1] = status == NT_ALLOCATION_DRAFT ? premultiplied (c, 1.0) : 0;
      px[2] = status == NT_ALLOCATION_CANCELLED ? premultiplied (c, 0.7) : 0;

      for (guint k = 0; k < 3; k++)
        {
          guint32 *data;

          if (k > 0 && status != (k == 1 ? NT_ALLOCATION_DRAFT : NT_ALLOCATION_CANCELLED))
            continue;
          if (strip[k] == NULL)
            strip[k] = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, n, 1);
          cairo_surface_flush (strip[k]);
          data = (guint32 *)(void *)cairo_image_surface_get_data (strip[k]);
          for (guint i = 0; i < rects->len; i++)
            {
              Rect *r = &g_array_index (rects, Rect, i);
              int x0 = MAX ((int)r->x * d->scale, 0);
              int x1 = MIN ((int)(r->x + r->w) * d->scale, n);

              for (int x = x0; x < x1; x++)
                data[x] = px[k];
            }
        }
      g_array_set_size (rects, 0);
    }

  for (guint k = 0; k < 3; k++)
    if (strip[k] != NULL)
      cairo_surface_mark_dirty (strip[k]);
  paint_strip (d, strip[0], by, bh);
  if (strip[1] != NULL)
    {
      cairo_surface_reference (strip[1]);
      paint_strip (d, strip[1], by, 2);
      paint_strip (d, strip[1], by + bh - 2, 2);
    }
  paint_strip (d, strip[2], floor (by + bh / 2), 1);
}

static void
draw_headers (Draw  *d,
              guint  first_row,
              guint  last_row)
{
  NtTimeline *self = d->self;
  double y = d->top;

  set_color (d->cr, &self->colors[COLOR_HEADER_BG], 1.0);
  cairo_rectangle (d->cr, 0, 0, self->header_w, d->height);
  cairo_fill (d->cr);
  vline (d, self->header_w - 1, 0, d->height, &self->colors[COLOR_GRID_STRONG], 1);

  for (guint i = first_row; i < last_row; i++)
    {
      Row *row = nt_timeline_row (self, i);

      if (y + row->h > self->axis_h)
        show_text_centred (d, row->label, nt_timeline_header_indent (row), y, row->h,
                           &self->colors[COLOR_TEXT], row->kind == NT_TIMELINE_ROW_GROUP ? 0.7 : 1.0);
      y += row->h;
    }
}

/* Draws rows from @first_row down until the height is used; returns the
 * number of rows drawn. */
static guint
draw_all (Draw  *d,
          double yoff)
{
  NtTimeline *self = d->self;
  g_autoptr(GArray) labels = g_array_new (FALSE, FALSE, sizeof (Rect));
  guint first_row = 0, last_row = 0;
  double y;

  /* Rows are laid out from the top of the content at axis_h - yoff;
   * those above the axis are not drawn. */
  y = self->axis_h - yoff;
  d->top = y;
  for (guint i = 0; i < self->rows->len; i++)
    {
      Row *row = nt_timeline_row (self, i);

      if (y >= d->height)
        break;
      if (y + row->h > self->axis_h && (i % 2 == 1 || row->kind == NT_TIMELINE_ROW_GROUP))
        {
          set_color (d->cr, &self->colors[COLOR_ROW_ALT], 1.0);
          cairo_rectangle (d->cr, self->header_w, MAX (y, self->axis_h), d->width - self->header_w,
                           y + row->h - MAX (y, self->axis_h));
          cairo_fill (d->cr);
        }
      y += row->h;
      last_row = i + 1;
    }

  draw_grid (d);

  /* Bars, clipped below the axis */
  cairo_save (d->cr);
  cairo_rectangle (d->cr, self->header_w, self->axis_h, d->width - self->header_w, d->height - self->axis_h);
  cairo_clip (d->cr);

  y = d->top;
  for (guint i = first_row; i < last_row; i++)
    {
      Row *row = nt_timeline_row (self, i);

      if (y + row->h > self->axis_h && row->kind != NT_TIMELINE_ROW_GROUP)
        {
          draw_row_bars (d, row, y, labels);
          if (d->strips)
            fill_row_strips (d, y + BAR_PAD, row->h - 2 * BAR_PAD);
        }
      y += row->h;
    }
  fill_rects (d);

  for (guint i = 0; i < labels->len; i++)
    {
      Rect *r = &g_array_index (labels, Rect, i);
      Item *item = GSIZE_TO_POINTER ((gsize)r->w);

      const char *text = nt_timeline_item_label (self, item);
      const GdkRGBA *color = item->status == NT_ALLOCATION_CONFIRMED
                             ? &self->colors[COLOR_BAR_TEXT] : &self->colors[COLOR_TEXT];

      if (d->cached_widths)
        {
          /* Shaped once per distinct label, not once per bar. */
          NtTimelineLabel *label = nt_timeline_label_get (self, text, d->layout);

          set_color (d->cr, color, 1.0);
          cairo_move_to (d->cr, r->x, r->y + (r->h - label->height) / 2);
          pango_cairo_show_layout (d->cr, label->layout);
        }
      else
        show_text_centred (d, text, r->x, r->y, r->h, color, 1.0);
    }

  /* Now */
  {
    double x = dx (d, nt_timeline_now_s (self));

    if (x >= self->header_w && x < d->width)
      vline (d, x - 1, 0, d->height, &self->colors[COLOR_NOW], 2);
  }
  cairo_restore (d->cr);

  vline (d, self->header_w, self->axis_h - 1, self->axis_h, &self->colors[COLOR_GRID_STRONG], d->width - self->header_w);
  draw_headers (d, first_row, last_row);

  return last_row - first_row;
}

/* The layer is one recorded cairo node: the backgrounds, the grid, each
 * row's bars as a few one-pixel-high strips stretched over the row
 * (fill_row_strips: thousands of bars as a handful of scaled blits, not
 * thousands of rectangles to replay), and the labels, each distinct one
 * shaped once.  No image surface the widget's size is kept: it cost one
 * more copy whenever GTK still held the layer before (cairo's snapshot
 * copy-on-write), three at worst. */
static void
ensure_layer (NtTimeline *self)
{
  double w = gtk_widget_get_width (GTK_WIDGET (self));
  double h = gtk_widget_get_height (GTK_WIDGET (self));
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  GtkSnapshot *snapshot;
  cairo_t *cr;
  Draw d = { 0 };

  if (!self->layer_dirty && self->layer != NULL && w == self->layer_w && h == self->layer_h)
    return;

  g_clear_pointer (&self->layer, gsk_render_node_unref);
  self->layer_w = w;
  self->layer_h = h;
  self->layer_dirty = FALSE;
  if (w <= self->header_w || h <= self->axis_h)
    return;

  if (self->layout == NULL)
    self->layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);

  snapshot = gtk_snapshot_new ();
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, (float)w, (float)h));
  d.self = self;
  d.cr = cr;
  d.layout = self->layout;
  d.width = w;
  d.height = h;
  d.v_start = self->view_start;
  d.v_span = self->view_span;
  d.cached_widths = TRUE;
  d.strips = TRUE;
  d.scale = scale;
  draw_all (&d, self->yoff);
  cairo_destroy (cr);
  self->layer = gtk_snapshot_free_to_node (snapshot);
}

static void
append_outline (GtkSnapshot   *snapshot,
                double         x,
                double         y,
                double         w,
                double         h,
                const GdkRGBA *color,
                float          width)
{
  GskRoundedRect rect;
  float widths[4] = { width, width, width, width };
  GdkRGBA colors[4] = { *color, *color, *color, *color };

  gsk_rounded_rect_init_from_rect (&rect, &GRAPHENE_RECT_INIT ((float)x, (float)y, (float)w, (float)h), 0);
  gtk_snapshot_append_border (snapshot, &rect, widths, colors);
}

void
nt_timeline_snapshot (GtkWidget   *widget,
                      GtkSnapshot *snapshot)
{
  NtTimeline *self = NT_TIMELINE (widget);
  graphene_rect_t area;

  ensure_layer (self);
  if (self->layer != NULL)
    gtk_snapshot_append_node (snapshot, self->layer);

  if (self->selected != NULL &&
      nt_timeline_area_of (self, self->selected->tag, self->selected->start, self->selected->end, &area) &&
      area.origin.y + area.size.height > self->axis_h)
    append_outline (snapshot, area.origin.x - 1, area.origin.y - 1,
                    area.size.width + 2, area.size.height + 2,
                    &self->colors[COLOR_SELECTED], 2);

  if (self->drag_mode == DRAG_MOVE || self->drag_mode == DRAG_RESIZE_START ||
      self->drag_mode == DRAG_RESIZE_END || self->drag_mode == DRAG_CREATE)
    {
      const GdkRGBA *c = &self->colors[self->drag_valid ? COLOR_VALID : COLOR_INVALID];

      if (self->drag_moved && nt_timeline_area_of (self, self->drag_row, self->drag_start,
                                       MAX (self->drag_end, self->drag_start + 1), &area))
        {
          GdkRGBA fill = *c;

          fill.alpha *= 0.3;
          gtk_snapshot_append_color (snapshot, &fill, &area);
          append_outline (snapshot, area.origin.x, area.origin.y, area.size.width,
                          area.size.height, c, 2);

          if (self->drag_message != NULL && self->layout != NULL)
            {
              int tw, th;
              double lx, ly;

              pango_layout_set_text (self->layout, self->drag_message, -1);
              pango_layout_get_pixel_size (self->layout, &tw, &th);
              lx = CLAMP (area.origin.x, self->header_w, MAX (self->header_w, gtk_widget_get_width (widget) - tw - 12));
              ly = area.origin.y + area.size.height + 4;
              if (ly + th + 6 > gtk_widget_get_height (widget))
                ly = area.origin.y - th - 10;
              gtk_snapshot_append_color (snapshot, c,
                                         &GRAPHENE_RECT_INIT ((float)lx, (float)ly, (float)tw + 12, (float)th + 6));
              gtk_snapshot_save (snapshot);
              gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT ((float)lx + 6, (float)ly + 3));
              gtk_snapshot_append_layout (snapshot, self->layout, &self->colors[COLOR_BAR_TEXT]);
              gtk_snapshot_restore (snapshot);
            }
        }
    }
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */

/**
 * nt_timeline_render_node:
 *
 * Returns: (transfer full) (nullable): the cached layer as the next frame
 *   would draw it, rebuilt if out of date
 */
GskRenderNode *
nt_timeline_render_node (NtTimeline *self)
{
  g_return_val_if_fail (NT_IS_TIMELINE (self), NULL);

  ensure_layer (self);
  return self->layer != NULL ? gsk_render_node_ref (self->layer) : NULL;
}

/**
 * nt_timeline_draw_rows:
 * @layout: a layout made for @cr (pango_cairo_create_layout())
 *
 * Draws the axis, then rows from @first_row as many as fit in @height, of
 * the span [start, end), with the row headers; for printing.
 *
 * Returns: the number of rows drawn
 */
guint
nt_timeline_draw_rows (NtTimeline  *self,
                       cairo_t     *cr,
                       PangoLayout *layout,
                       double       width,
                       double       height,
                       gint64       start,
                       gint64       end,
                       guint        first_row)
{
  Draw d = { 0 };
  double yoff;
  guint n = 0;
  double y = self->axis_h;

  g_return_val_if_fail (NT_IS_TIMELINE (self), 0);
  g_return_val_if_fail (end > start, 0);

  if (first_row >= self->rows->len)
    return 0;

  /* How many rows fit below the axis. */
  n = nt_timeline_rows_that_fit (self, first_row, height);
  for (guint i = first_row; i < first_row + n; i++)
    y += nt_timeline_row (self, i)->h;

  d.self = self;
  d.cr = cr;
  d.layout = layout;
  d.width = width;
  d.height = y;
  d.v_start = start;
  d.v_span = end - start;
  d.cached_widths = FALSE;

  yoff = nt_timeline_row (self, first_row)->y;
  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, width, y);
  cairo_clip (cr);
  /* Only the rows from first_row: draw_all lays rows out from the top of
   * the content, so shift the content up. */
  draw_all (&d, yoff);
  cairo_restore (cr);

  return n;
}

