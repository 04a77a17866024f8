/* nt-timeline.c: the run plan and every station's allocations over time
 *
 * How it draws (STYLE.md §9–10):
 *
 *  - One row per station (BL08W's three under a header row), the run plan
 *    on top; each row keeps its items in an NtIntervalIndex, so a frame
 *    asks each visible row only for what overlaps the visible span.
 *  - Bars are snapped to whole pixels and merged: a bar narrower than a
 *    pixel column that is already painted adds nothing, and neighbours of
 *    one colour become one rectangle, so a frame costs at most one
 *    rectangle per pixel column and row, whatever the number of items.
 *    The rectangles of one colour and style are filled with one
 *    cairo_fill, without antialiasing.
 *  - The grid, the bars, their labels and the row headers form one cached
 *    render node, rebuilt when the view, the size, the contents or the
 *    style change; the selection and the drag in progress are drawn on
 *    top in a cheap pass, so moving the pointer never rebuilds it.
 *  - Colours are named colours of the stylesheet (data/style.css), read
 *    again when the style changes.
 *  - The same drawing code prints (nt_timeline_draw_rows()).
 *  - Row heights, the axis and the header column are measured from the
 *    widget's font, again when the font or the text size changes (GNOME's
 *    Large Text raises gtk-xft-dpi); at the normal size they are the
 *    MIN_* sizes.  Axis labels are drawn only where they clear the last.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-timeline"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "nt-clock.h"
#include "nt-alloc-rules.h"
#include "nt-beamline.h"
#include "nt-interval-index.h"
#include "nt-proposal.h"
#include "nt-station.h"
#include "nt-timeline.h"

/* The metrics at the normal text size, the least ever used: with larger
 * text the rows, the axis and the headers grow to fit it (update_metrics). */
#define MIN_HEADER_W  150.0
#define MIN_AXIS_H    40.0
#define MIN_ROW_H     30.0
#define MIN_GROUP_H   22.0
#define AXIS_LINE_H   18.0  /* the axis's lower line of labels, from its bottom */
#define BAR_PAD       4.0
#define EDGE_GRAB     5.0
#define MIN_SPAN      (6 * 3600.0)
#define MAX_SPAN      (400 * 86400.0)
#define DAY           86400

/* Colour indices: the period kinds, then the slots, then the rest. */
enum
{
  COLOR_SLOT_BASE = NT_N_PERIOD_KINDS,
  COLOR_GRID = COLOR_SLOT_BASE + NT_N_SLOTS,
  COLOR_GRID_STRONG,
  COLOR_ROW_ALT,
  COLOR_NOW,
  COLOR_TEXT,
  COLOR_BAR_TEXT,
  COLOR_VALID,
  COLOR_INVALID,
  COLOR_SELECTED,
  COLOR_HEADER_BG,
  N_COLORS
};

#define N_BAR_COLORS COLOR_GRID
#define N_KEYS       (N_BAR_COLORS * NT_N_ALLOCATION_STATUSES)

typedef struct
{
  GObject  *object;  /* NtRunPeriod or NtAllocation */
  gint64    id;
  gint64    start;
  gint64    end;
  guint     row;     /* G_MAXUINT: no row (unknown station) */
  guint8    color;
  guint8    status;
  int       slot;    /* NtSlot, or -1 for a period */
  char     *label;
  int       label_w; /* pixels; -1 until measured */
} Item;

typedef struct
{
  NtTimelineRowKind  kind;
  char              *station;
  char              *label;
  NtProgram          program;
  NtStationKind      station_kind;
  NtIntervalIndex   *index;  /* Item*, not owned */
  double             y;      /* top, in content coordinates */
  double             h;
} Row;

typedef enum
{
  DRAG_NONE,
  DRAG_PAN,
  DRAG_MOVE,
  DRAG_RESIZE_START,
  DRAG_RESIZE_END,
  DRAG_CREATE,
} DragMode;

typedef struct
{
  double x, y, w, h;
} Rect;

struct _NtTimeline
{
  GtkWidget            parent_instance;

  GArray              *rows;        /* Row */
  GHashTable          *row_of;      /* station id → row + 1 */
  GHashTable          *periods;     /* &id → Item* (owned) */
  GHashTable          *allocations; /* &id → Item* (owned) */
  GHashTable          *members;     /* id → name */
  GHashTable          *proposals;   /* id → "title, PI (organisation)" */
  double               content_h;

  /* View */
  double               view_start;  /* seconds */
  double               view_span;
  gint64               bounds_start;
  gint64               bounds_end;
  double               yoff;
  gint64               now;
  guint                now_timer;
  guint                slot_mask;

  /* Editing */
  NtTimelineEditMode   edit_mode;
  int                  create_slot;
  NtTimeGrid           shift_grid;
  NtTimelineCheckFunc  check_func;
  gpointer             check_data;
  GDestroyNotify       check_destroy;
  Item                *selected;
  guint                cursor_row;
  gint64               cursor_time;

  DragMode             drag_mode;
  double               pointer_x;   /* last pointer position, for zoom about it */
  double               drag_x0;
  double               drag_y0;
  double               drag_view0;
  guint                drag_row;    /* the row the drag is in: a move's target */
  Item                *drag_item;
  gint64               drag_start;
  gint64               drag_end;
  gboolean             drag_moved;
  gboolean             drag_valid;
  char                *drag_message;

  /* Metrics, from the widget's font */
  double               header_w;
  double               axis_h;
  double               row_h;
  double               group_h;
  double               axis_line_y; /* top of the axis's lower line of labels */
  GtkSettings         *settings;    /* watched for the text size */

  /* Drawing */
  GdkRGBA              colors[N_COLORS];
  GskRenderNode       *layer;
  cairo_surface_t     *surface;
  gboolean             layer_dirty;
  double               layer_w;
  double               layer_h;
  PangoLayout         *layout;
  GPtrArray           *scratch;     /* Item*, one row's visible items */
  GArray              *rects[N_KEYS];
};

G_DEFINE_FINAL_TYPE (NtTimeline, nt_timeline, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_EDIT_MODE,
  PROP_DRAG_MESSAGE,
  PROP_SELECTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  CREATE,
  CHANGE,
  MOVE_STATION,
  ACTIVATE,
  DELETE,
  VIEW_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ------------------------------------------------------------------ */
/* Items and rows                                                      */

static void
item_free (gpointer data)
{
  Item *item = data;

  g_clear_object (&item->object);
  g_free (item->label);
  g_free (item);
}

static void
row_clear (gpointer data)
{
  Row *row = data;

  g_free (row->station);
  g_free (row->label);
  g_clear_pointer (&row->index, nt_interval_index_free);
}

static const char *
period_kind_label (NtPeriodKind kind)
{
  switch (kind)
    {
    case NT_PERIOD_USER_OPERATION:
      return _("User operation");
    case NT_PERIOD_MACHINE_STUDY:
      return _("Machine study");
    case NT_PERIOD_COMMISSIONING:
      return _("Beamline commissioning");
    case NT_PERIOD_MAINTENANCE:
      return _("Maintenance");
    case NT_PERIOD_INSPECTION:
      return _("Inspection");
    case NT_PERIOD_SHUTDOWN:
      return _("Shutdown");
    default:
      return "";
    }
}

static const char *
slot_label (NtSlot slot)
{
  switch (slot)
    {
    case NT_SLOT_PUBLIC:
      return _("Public");
    case NT_SLOT_COALITION:
      return _("Coalition");
    case NT_SLOT_STAFF:
      return _("Staff");
    case NT_SLOT_COMMISSIONING:
      return _("Commissioning");
    default:
      return "";
    }
}

static const char *
status_label (NtAllocationStatus status)
{
  switch (status)
    {
    case NT_ALLOCATION_DRAFT:
      return _("Draft");
    case NT_ALLOCATION_CONFIRMED:
      return _("Confirmed");
    case NT_ALLOCATION_CANCELLED:
      return _("Cancelled");
    default:
      return "";
    }
}

static char *
allocation_label (NtTimeline   *self,
                  NtAllocation *alloc)
{
  switch (nt_allocation_get_slot (alloc))
    {
    case NT_SLOT_PUBLIC:
      if (nt_allocation_get_proposal (alloc) != NULL)
        return g_strdup (nt_allocation_get_proposal (alloc));
      return g_strdup (_("Public"));

    case NT_SLOT_COALITION:
      {
        gint64 member = nt_allocation_get_member (alloc);
        const char *name = g_hash_table_lookup (self->members, &member);

        if (name != NULL)
          return g_strdup (name);
        if (member > 0)
          return g_strdup_printf (_("Member %lld"), (long long)member);
        return g_strdup (_("Coalition"));
      }

    case NT_SLOT_STAFF:
    case NT_SLOT_COMMISSIONING:
    default:
      return g_strdup (slot_label (nt_allocation_get_slot (alloc)));
    }
}

static Item *
item_new (NtTimeline *self,
          gpointer    object)
{
  Item *item = g_new0 (Item, 1);

  item->object = g_object_ref (object);
  item->label_w = -1;
  item->row = G_MAXUINT;

  if (NT_IS_RUN_PERIOD (object))
    {
      NtRunPeriod *period = object;

      item->id = nt_run_period_get_id (period);
      item->start = nt_run_period_get_start (period);
      item->end = nt_run_period_get_end (period);
      item->color = (guint8)nt_run_period_get_kind (period);
      item->status = NT_ALLOCATION_CONFIRMED;
      item->slot = -1;
      item->label = g_strdup (period_kind_label (nt_run_period_get_kind (period)));
      if (self->rows->len > 0)
        item->row = 0;
    }
  else
    {
      NtAllocation *alloc = object;
      gpointer row;

      item->id = nt_allocation_get_id (alloc);
      item->start = nt_allocation_get_start (alloc);
      item->end = nt_allocation_get_end (alloc);
      item->slot = nt_allocation_get_slot (alloc);
      item->color = (guint8)(COLOR_SLOT_BASE + item->slot);
      item->status = (guint8)nt_allocation_get_status (alloc);
      item->label = allocation_label (self, alloc);
      row = g_hash_table_lookup (self->row_of, nt_allocation_get_station (alloc));
      if (row != NULL)
        item->row = GPOINTER_TO_UINT (row) - 1;
    }

  return item;
}

static GHashTable *
table_for (NtTimeline *self,
           GType       type)
{
  if (type == NT_TYPE_RUN_PERIOD)
    return self->periods;
  if (type == NT_TYPE_ALLOCATION)
    return self->allocations;
  g_return_val_if_reached (NULL);
}

static void
unindex (NtTimeline *self,
         Item       *item)
{
  if (item->row < self->rows->len)
    nt_interval_index_remove (g_array_index (self->rows, Row, item->row).index, item);
}

static void
index_item (NtTimeline *self,
            Item       *item)
{
  if (item->row < self->rows->len)
    nt_interval_index_add (g_array_index (self->rows, Row, item->row).index,
                           item->start, item->end, item);
}

static void
invalidate (NtTimeline *self)
{
  self->layer_dirty = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
reindex_all (NtTimeline *self)
{
  GHashTableIter iter;
  gpointer value;

  for (guint i = 0; i < self->rows->len; i++)
    nt_interval_index_clear (g_array_index (self->rows, Row, i).index);

  g_hash_table_iter_init (&iter, self->periods);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Item *item = value;

      item->row = self->rows->len > 0 ? 0 : G_MAXUINT;
      index_item (self, item);
    }

  g_hash_table_iter_init (&iter, self->allocations);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Item *item = value;
      gpointer row = g_hash_table_lookup (self->row_of,
                                          nt_allocation_get_station (NT_ALLOCATION (item->object)));

      item->row = row != NULL ? GPOINTER_TO_UINT (row) - 1 : G_MAXUINT;
      index_item (self, item);
    }

  invalidate (self);
}

static void
layout_rows (NtTimeline *self)
{
  double y = 0;

  for (guint i = 0; i < self->rows->len; i++)
    {
      Row *row = &g_array_index (self->rows, Row, i);

      row->y = y;
      row->h = row->kind == NT_TIMELINE_ROW_GROUP ? self->group_h : self->row_h;
      y += row->h;
    }
  self->content_h = y;
}

static void
add_row (NtTimeline        *self,
         NtTimelineRowKind  kind,
         const char        *station,
         const char        *label,
         NtProgram          program,
         NtStationKind      station_kind)
{
  Row row = { 0 };

  row.kind = kind;
  row.station = g_strdup (station);
  row.label = g_strdup (label);
  row.program = program;
  row.station_kind = station_kind;
  row.index = nt_interval_index_new (NULL);
  g_array_append_val (self->rows, row);

  if (station != NULL)
    g_hash_table_insert (self->row_of, g_strdup (station), GUINT_TO_POINTER (self->rows->len));
}

/* ------------------------------------------------------------------ */
/* Geometry                                                            */

static double
plot_width (NtTimeline *self,
            double      width)
{
  return MAX (1.0, width - self->header_w);
}

static double
x_for (NtTimeline *self,
       double      width,
       double      t)
{
  return self->header_w + (t - self->view_start) * plot_width (self, width) / self->view_span;
}

static double
t_for (NtTimeline *self,
       double      x)
{
  double w = gtk_widget_get_width (GTK_WIDGET (self));

  return self->view_start + (x - self->header_w) * self->view_span / plot_width (self, w);
}

static int
row_at (NtTimeline *self,
        double      y)
{
  double cy = y - self->axis_h + self->yoff;

  if (y < self->axis_h)
    return -1;
  for (guint i = 0; i < self->rows->len; i++)
    {
      Row *row = &g_array_index (self->rows, Row, i);

      if (cy >= row->y && cy < row->y + row->h)
        return (int)i;
    }

  return -1;
}

static void
clamp_view (NtTimeline *self)
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

static void update_accessible (NtTimeline *self);

static void
view_changed (NtTimeline *self)
{
  clamp_view (self);
  update_accessible (self);
  invalidate (self);
  g_signal_emit (self, signals[VIEW_CHANGED], 0);
}

static gint64
now_s (NtTimeline *self)
{
  return self->now != 0 ? self->now : nt_clock_now ();
}

/* ------------------------------------------------------------------ */
/* Metrics                                                             */

/* The left indent of a row's header: a branch station under its
 * beamline's header row is indented further. */
static double
header_indent (const Row *row)
{
  return row->kind == NT_TIMELINE_ROW_STATION && row->station != NULL &&
         strchr (row->station, '-') != NULL ? 18 : 8;
}

/* Measures the widget's font: a bar holds a line of text, a group row
 * one line, the axis its two lines of labels, and the header column the
 * widest row header.  Never less than the sizes of the normal text size
 * (MIN_*), so that the look does not change there.  Returns whether any
 * metric changed. */
static gboolean
update_metrics (NtTimeline *self)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  gint64 now = now_s (self);
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
      Row *row = &g_array_index (self->rows, Row, i);

      pango_layout_set_text (layout, row->label, -1);
      pango_layout_get_pixel_size (layout, &w, &h);
      line_h = MAX (line_h, h);
      widest = MAX (widest, header_indent (row) + w + 8);
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
static void
text_changed (NtTimeline *self)
{
  GHashTableIter iter;
  gpointer value;

  g_clear_object (&self->layout);
  g_hash_table_iter_init (&iter, self->allocations);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    ((Item *)value)->label_w = -1;
  g_hash_table_iter_init (&iter, self->periods);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    ((Item *)value)->label_w = -1;

  if (update_metrics (self))
    {
      layout_rows (self);
      clamp_view (self);
      gtk_widget_queue_resize (GTK_WIDGET (self));
    }
  invalidate (self);
}

static gboolean
row_editable (NtTimeline *self,
              guint       row)
{
  Row *r;

  if (row >= self->rows->len)
    return FALSE;
  r = &g_array_index (self->rows, Row, row);

  return (self->edit_mode == NT_TIMELINE_EDIT_PLAN && r->kind == NT_TIMELINE_ROW_PLAN) ||
         (self->edit_mode == NT_TIMELINE_EDIT_ALLOCATIONS && r->kind == NT_TIMELINE_ROW_STATION);
}

static gboolean
item_shown (NtTimeline *self,
            Item       *item)
{
  return item->slot < 0 || (self->slot_mask & (1u << item->slot)) != 0;
}

static NtTimeGrid
grid_for_slot (NtTimeline *self,
               int         slot)
{
  if (slot == NT_SLOT_PUBLIC)
    return self->shift_grid;
  return NT_TIME_GRID_HOUR;
}

static int
create_slot_for_row (NtTimeline *self,
                     guint       row)
{
  Row *r = &g_array_index (self->rows, Row, row);

  if (r->kind == NT_TIMELINE_ROW_PLAN)
    return NT_PERIOD_USER_OPERATION;
  if (self->create_slot >= 0)
    return self->create_slot;
  if (r->program == NT_PROGRAM_PUBLIC)
    return NT_SLOT_PUBLIC;
  return NT_SLOT_COALITION;
}

/* ------------------------------------------------------------------ */
/* Colours                                                             */

static void
lookup_color (NtTimeline *self,
              const char *name,
              GdkRGBA    *color,
              double      fallback_alpha)
{
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self));

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (!gtk_style_context_lookup_color (context, name, color))
    {
      gtk_style_context_get_color (context, color);
      color->alpha *= fallback_alpha;
    }
  G_GNUC_END_IGNORE_DEPRECATIONS
}

static void
update_colors (NtTimeline *self)
{
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
    lookup_color (self, kinds[i], &self->colors[i], 0.5);
  for (guint i = 0; i < NT_N_SLOTS; i++)
    lookup_color (self, slots[i], &self->colors[COLOR_SLOT_BASE + i], 0.6);
  lookup_color (self, "nt_timeline_grid", &self->colors[COLOR_GRID], 0.10);
  lookup_color (self, "nt_timeline_grid_strong", &self->colors[COLOR_GRID_STRONG], 0.35);
  lookup_color (self, "nt_timeline_row_alt", &self->colors[COLOR_ROW_ALT], 0.03);
  lookup_color (self, "nt_timeline_now", &self->colors[COLOR_NOW], 1.0);
  lookup_color (self, "nt_timeline_text", &self->colors[COLOR_TEXT], 1.0);
  lookup_color (self, "nt_timeline_bar_text", &self->colors[COLOR_BAR_TEXT], 1.0);
  lookup_color (self, "nt_timeline_valid", &self->colors[COLOR_VALID], 0.8);
  lookup_color (self, "nt_timeline_invalid", &self->colors[COLOR_INVALID], 0.8);
  lookup_color (self, "nt_timeline_selected", &self->colors[COLOR_SELECTED], 1.0);
  lookup_color (self, "nt_timeline_header_bg", &self->colors[COLOR_HEADER_BG], 0.04);
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
  /* Set when drawing into the widget's own image surface: opaque bars
   * are written straight into its pixels. */
  guint8      *pixels;
  int          stride;
  int          scale;
  int          px_width;
  int          px_height;
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
      double last_label = -1e9, last_end = -1e9;

      for (; t < t1; t = nt_time_grid_ceil (grid, t + 1))
        {
          double x = dx (d, t);
          gboolean shift = nt_time_grid_is_on_grid (&self->shift_grid, t);

          vline (d, x, self->axis_h, bottom, &self->colors[COLOR_GRID], 1);
          if (ppd >= 300 && (shift || ppd >= 1000) && x - last_label > 40 && x > self->header_w)
            {
              g_autofree char *text = nt_time_format_local (t, "%H:%M");

              if (x > last_end)
                {
                  show_text (d, text, x + 2, self->axis_line_y, &self->colors[COLOR_TEXT]);
                  last_label = x;
                  last_end = x + text_width (d, text);
                }
            }
        }
    }

  /* Days */
  if (ppd >= 6)
    {
      g_autoptr(GDateTime) day = local_midnight (t0);
      double last_label = -1e9, last_end = -1e9;

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
              if (ppd >= 300 && x - last_label > 120 && x > last_end)
                {
                  g_autofree char *text = nt_time_format_local (t, "%Y-%m-%d %a");

                  show_text (d, text, x + 3, 2, &self->colors[COLOR_TEXT]);
                  last_label = x;
                  last_end = x + text_width (d, text);
                }
              else if (ppd >= 18 && ppd < 300 && x - last_label > 22 && x > last_end)
                {
                  g_autofree char *text = nt_time_format_local (t, ppd >= 60 ? "%d %a" : "%d");

                  show_text (d, text, x + 2, self->axis_line_y, &self->colors[COLOR_TEXT]);
                  last_label = x;
                  last_end = x + text_width (d, text);
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
          int fy;
          NtTerm nt_term = nt_time_term_of (t, &fy);
          g_autofree char *term_name = nt_time_term_name (fy, nt_term);

          show_text (d, term_name, MAX (x, self->header_w) + 3, self->axis_line_y, &self->colors[COLOR_TEXT]);
        }

      if (ppd < 300)
        {
          int fy;
          NtTerm nt_term = nt_time_term_of (t, &fy);
          g_autofree char *term_name = nt_time_term_name (fy, nt_term);
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

static gboolean
collect_cb (gint64   start,
            gint64   end,
            gpointer data,
            gpointer user_data)
{
  g_ptr_array_add (user_data, data);
  return TRUE;
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

  g_ptr_array_set_size (self->scratch, 0);
  nt_interval_index_foreach_in (row->index, (gint64)floor (d->v_start),
                                (gint64)ceil (d->v_start + d->v_span) + 1,
                                collect_cb, self->scratch);

  for (guint i = 0; i < self->scratch->len; i++)
    {
      Item *item = g_ptr_array_index (self->scratch, i);
      double x0, x1;
      int key;

      if (!item_shown (self, item))
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

      key = item->color * NT_N_ALLOCATION_STATUSES + item->status;

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

      if (x1 - x0 >= 24 && item->label != NULL)
        {
          if (item->label_w < 0 || !d->cached_widths)
            item->label_w = text_width (d, item->label);
          if (item->label_w + 8 <= x1 - x0)
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

/* Opaque pixel-aligned rectangles straight into the image surface: one
 * 32-bit store per pixel, none of cairo's per-rectangle set-up.  Clipped
 * to the plot below the axis. */
static void
fill_rects_direct (Draw          *d,
                   GArray        *rects,
                   const GdkRGBA *c)
{
  guint32 pixel = 0xff000000u |
                  ((guint32)(c->red * 255 + 0.5) << 16) |
                  ((guint32)(c->green * 255 + 0.5) << 8) |
                  (guint32)(c->blue * 255 + 0.5);
  int clip_x0 = (int)d->self->header_w * d->scale, clip_y0 = (int)d->self->axis_h * d->scale;

  for (guint i = 0; i < rects->len; i++)
    {
      Rect *r = &g_array_index (rects, Rect, i);
      int x0 = MAX ((int)r->x * d->scale, clip_x0);
      int x1 = MIN ((int)(r->x + r->w) * d->scale, d->px_width);
      int y0 = MAX ((int)r->y * d->scale, clip_y0);
      int y1 = MIN ((int)(r->y + r->h) * d->scale, d->px_height);

      for (int y = y0; y < y1; y++)
        {
          guint32 *row = (guint32 *)(void *)(d->pixels + (gsize)y * d->stride);

          for (int x = x0; x < x1; x++)
            row[x] = pixel;
        }
    }
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

      if (d->pixels != NULL && status == NT_ALLOCATION_CONFIRMED && c->alpha >= 1.0)
        {
          cairo_surface_flush (cairo_get_target (cr));
          fill_rects_direct (d, rects, c);
          cairo_surface_mark_dirty (cairo_get_target (cr));
          g_array_set_size (rects, 0);
          continue;
        }

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
      Row *row = &g_array_index (self->rows, Row, i);
      double indent = header_indent (row);
      int tw, th;

      if (y + row->h > self->axis_h)
        {
          pango_layout_set_text (d->layout, row->label, -1);
          pango_layout_get_pixel_size (d->layout, &tw, &th);
          set_color (d->cr, &self->colors[COLOR_TEXT],
                     row->kind == NT_TIMELINE_ROW_GROUP ? 0.7 : 1.0);
          cairo_move_to (d->cr, indent, y + (row->h - th) / 2);
          pango_cairo_show_layout (d->cr, d->layout);
        }
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
      Row *row = &g_array_index (self->rows, Row, i);

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
      Row *row = &g_array_index (self->rows, Row, i);

      if (y + row->h > self->axis_h && row->kind != NT_TIMELINE_ROW_GROUP)
        draw_row_bars (d, row, y, labels);
      y += row->h;
    }
  fill_rects (d);

  for (guint i = 0; i < labels->len; i++)
    {
      Rect *r = &g_array_index (labels, Rect, i);
      Item *item = GSIZE_TO_POINTER ((gsize)r->w);
      int tw, th;

      pango_layout_set_text (d->layout, item->label, -1);
      pango_layout_get_pixel_size (d->layout, &tw, &th);
      set_color (d->cr, item->status == NT_ALLOCATION_CONFIRMED
                        ? &self->colors[COLOR_BAR_TEXT] : &self->colors[COLOR_TEXT], 1.0);
      cairo_move_to (d->cr, r->x, r->y + (r->h - th) / 2);
      pango_cairo_show_layout (d->cr, d->layout);
    }

  /* Now */
  {
    double x = dx (d, now_s (self));

    if (x >= self->header_w && x < d->width)
      vline (d, x - 1, 0, d->height, &self->colors[COLOR_NOW], 2);
  }
  cairo_restore (d->cr);

  vline (d, self->header_w, self->axis_h - 1, self->axis_h, &self->colors[COLOR_GRID_STRONG], d->width - self->header_w);
  draw_headers (d, first_row, last_row);

  return last_row - first_row;
}

/* The layer is drawn with cairo straight into an image surface kept from
 * frame to frame (fast for thousands of pixel-aligned rectangles, unlike
 * a recorded cairo node replayed at every render), then painted into the
 * node in one blit (cairo snapshots the surface copy-on-write). */
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

  if (self->surface == NULL ||
      cairo_image_surface_get_width (self->surface) != (int)w * scale ||
      cairo_image_surface_get_height (self->surface) != (int)h * scale)
    {
      g_clear_pointer (&self->surface, cairo_surface_destroy);
      self->surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int)w * scale, (int)h * scale);
      cairo_surface_set_device_scale (self->surface, scale, scale);
    }

  cr = cairo_create (self->surface);
  cairo_set_operator (cr, CAIRO_OPERATOR_CLEAR);
  cairo_paint (cr);
  cairo_set_operator (cr, CAIRO_OPERATOR_OVER);
  d.self = self;
  d.cr = cr;
  d.layout = self->layout;
  d.width = w;
  d.height = h;
  d.v_start = self->view_start;
  d.v_span = self->view_span;
  d.cached_widths = TRUE;
  cairo_surface_flush (self->surface);
  d.pixels = cairo_image_surface_get_data (self->surface);
  d.stride = cairo_image_surface_get_stride (self->surface);
  d.scale = scale;
  d.px_width = cairo_image_surface_get_width (self->surface);
  d.px_height = cairo_image_surface_get_height (self->surface);
  draw_all (&d, self->yoff);
  cairo_destroy (cr);
  cairo_surface_flush (self->surface);

  snapshot = gtk_snapshot_new ();
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, (float)w, (float)h));
  cairo_set_source_surface (cr, self->surface, 0, 0);
  cairo_paint (cr);
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

static gboolean
area_of (NtTimeline      *self,
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
  row = &g_array_index (self->rows, Row, row_index);
  x0 = floor (x_for (self, w, start));
  x1 = MAX (x0 + 1, floor (x_for (self, w, end)));
  y = self->axis_h - self->yoff + row->y + BAR_PAD;
  graphene_rect_init (area, (float)x0, (float)y, (float)(x1 - x0), (float)(row->h - 2 * BAR_PAD));

  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Hit testing and editing                                             */

static Item *
item_at (NtTimeline *self,
         double      x,
         double      y,
         DragMode   *edge)
{
  int row = row_at (self, y);
  double w = gtk_widget_get_width (GTK_WIDGET (self));
  double t, tol;
  Item *best = NULL;
  Row *r;

  if (edge != NULL)
    *edge = DRAG_MOVE;
  if (row < 0 || x < self->header_w)
    return NULL;

  r = &g_array_index (self->rows, Row, row);
  t = t_for (self, x);
  tol = EDGE_GRAB * self->view_span / plot_width (self, w);

  g_ptr_array_set_size (self->scratch, 0);
  nt_interval_index_foreach_in (r->index, (gint64)floor (t - tol), (gint64)ceil (t + tol) + 1,
                                collect_cb, self->scratch);
  for (guint i = 0; i < self->scratch->len; i++)
    {
      Item *item = g_ptr_array_index (self->scratch, i);

      if (!item_shown (self, item))
        continue;
      if (item->start <= t && t < item->end)
        best = item;  /* the last one that starts before: on top */
      else if (best == NULL)
        best = item;
    }

  if (best != NULL && edge != NULL)
    {
      double x0 = x_for (self, w, best->start), x1 = x_for (self, w, best->end);

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

static NtTimeGrid
grid_for_item (NtTimeline *self,
               Item       *item,
               guint       row)
{
  if (item != NULL)
    return grid_for_slot (self, item->slot);
  if (g_array_index (self->rows, Row, row).kind == NT_TIMELINE_ROW_PLAN)
    return NT_TIME_GRID_HOUR;
  return grid_for_slot (self, create_slot_for_row (self, row));
}

static void
set_drag_message (NtTimeline *self,
                  const char *message)
{
  if (g_strcmp0 (self->drag_message, message) == 0)
    return;
  g_free (self->drag_message);
  self->drag_message = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DRAG_MESSAGE]);
}

static void
check_proposal (NtTimeline *self)
{
  g_autoptr(GError) error = NULL;
  Row *row = &g_array_index (self->rows, Row, self->drag_row);
  int slot = self->drag_item != NULL
             ? (self->drag_item->slot >= 0 ? self->drag_item->slot : self->drag_item->color)
             : create_slot_for_row (self, self->drag_row);

  self->drag_valid = TRUE;
  if (self->drag_item != NULL && self->drag_item->slot >= 0 && row->kind != NT_TIMELINE_ROW_STATION)
    {
      self->drag_valid = FALSE;
      set_drag_message (self, _("A booking can only be moved onto a station’s row"));
      return;
    }
  if (self->drag_end <= self->drag_start)
    {
      self->drag_valid = FALSE;
      set_drag_message (self, _("A booking must be at least one step of its grid long"));
      return;
    }
  if (self->check_func != NULL &&
      !self->check_func (self->drag_item != NULL ? self->drag_item->object : NULL,
                         row->station, slot, self->drag_start, self->drag_end,
                         self->check_data, &error))
    {
      self->drag_valid = FALSE;
      set_drag_message (self, error != NULL ? error->message : _("Not allowed here"));
      return;
    }
  set_drag_message (self, NULL);
}

static void
select_item (NtTimeline *self,
             Item       *item)
{
  if (self->selected == item)
    return;
  self->selected = item;
  if (item != NULL)
    {
      self->cursor_row = item->row;
      self->cursor_time = item->start;
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
  update_accessible (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

static char *
describe_item (Item *item)
{
  g_autofree char *from = nt_time_format_local (item->start, "%Y-%m-%d %H:%M");
  g_autofree char *to = nt_time_format_local (item->end, "%Y-%m-%d %H:%M");

  if (NT_IS_RUN_PERIOD (item->object))
    return g_strdup_printf (_("%s, %s – %s JST"), item->label, from, to);
  return g_strdup_printf (_("%s, %s, %s, %s – %s JST"),
                          nt_allocation_get_station (NT_ALLOCATION (item->object)),
                          item->label, status_label (item->status), from, to);
}

/* What a screen reader says: the span shown and the selection. */
static void
update_accessible (NtTimeline *self)
{
  g_autofree char *from = nt_time_format_local ((gint64)self->view_start, "%Y-%m-%d %H:%M");
  g_autofree char *to = nt_time_format_local ((gint64)(self->view_start + self->view_span), "%Y-%m-%d %H:%M");
  g_autofree char *selected = self->selected != NULL ? describe_item (self->selected) : NULL;
  g_autofree char *text = NULL;

  if (selected != NULL)
    text = g_strdup_printf (_("Showing %s to %s JST. Selected: %s"), from, to, selected);
  else
    text = g_strdup_printf (_("Showing %s to %s JST. Nothing selected; arrow keys select bookings."), from, to);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                  -1);
}

/* ------------------------------------------------------------------ */
/* Callbacks                                                           */

static void
drag_begin_cb (GtkGestureDrag *gesture,
               double          x,
               double          y,
               NtTimeline     *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture));

  gtk_widget_grab_focus (GTK_WIDGET (self));
  nt_timeline_drag_begin (self, x, y);
  if (button == GDK_BUTTON_MIDDLE || (state & GDK_CONTROL_MASK) != 0)
    self->drag_mode = DRAG_PAN;
}

static void
drag_update_cb (GtkGestureDrag *gesture,
                double          ox,
                double          oy,
                NtTimeline     *self)
{
  nt_timeline_drag_update (self, self->drag_x0 + ox, self->drag_y0 + oy);
}

static void
drag_end_cb (GtkGestureDrag *gesture,
             double          ox,
             double          oy,
             NtTimeline     *self)
{
  nt_timeline_drag_end (self, self->drag_x0 + ox, self->drag_y0 + oy);
}

static void
pressed_cb (GtkGestureClick *gesture,
            int              n_press,
            double           x,
            double           y,
            NtTimeline      *self)
{
  Item *item;

  if (n_press != 2)
    return;
  item = item_at (self, x, y, NULL);
  if (item != NULL)
    {
      select_item (self, item);
      g_signal_emit (self, signals[ACTIVATE], 0, item->object);
    }
}

static gboolean
scroll_cb (GtkEventControllerScroll *controller,
           double                    sx,
           double                    sy,
           NtTimeline               *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));

  if (state & GDK_CONTROL_MASK)
    {
      /* About the instant under the pointer, which stays where it is. */
      double x = self->pointer_x >= self->header_w ? self->pointer_x
                 : self->header_w + plot_width (self, gtk_widget_get_width (GTK_WIDGET (self))) / 2;
      double t = t_for (self, x);
      double factor = sy < 0 ? 1.25 : 1 / 1.25;

      self->view_span /= factor;
      self->view_start = t - (x - self->header_w) * self->view_span /
                             plot_width (self, gtk_widget_get_width (GTK_WIDGET (self)));
      view_changed (self);
      return TRUE;
    }
  if (state & GDK_SHIFT_MASK)
    {
      self->yoff += sy * 30;
      view_changed (self);
      return TRUE;
    }

  self->view_start += (sx + sy) * self->view_span * 0.05;
  view_changed (self);
  return TRUE;
}

static void
motion_cb (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           NtTimeline               *self)
{
  self->pointer_x = x;
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                NtTimeline            *self)
{
  return nt_timeline_handle_key (self, keyval, state);
}

static gboolean
now_tick_cb (gpointer user_data)
{
  NtTimeline *self = user_data;

  if (self->now == 0)
    invalidate (self);
  return G_SOURCE_CONTINUE;
}

/* ------------------------------------------------------------------ */
/* vfuncs                                                              */

static gboolean
nt_timeline_query_tooltip (GtkWidget  *widget,
                           int         x,
                           int         y,
                           gboolean    keyboard,
                           GtkTooltip *tooltip)
{
  NtTimeline *self = NT_TIMELINE (widget);
  Item *item = keyboard ? self->selected : item_at (self, x, y, NULL);
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *text = NULL;
  double hours;

  if (item == NULL)
    return FALSE;

  from = nt_time_format_local (item->start, "%Y-%m-%d %H:%M");
  to = nt_time_format_local (item->end, "%Y-%m-%d %H:%M");
  hours = (item->end - item->start) / 3600.0;

  if (NT_IS_RUN_PERIOD (item->object))
    {
      NtRunPeriod *p = NT_RUN_PERIOD (item->object);

      text = g_strdup_printf (_("%s\n%s – %s JST (%.0f h)%s%s"),
                              item->label, from, to, hours,
                              *nt_run_period_get_note (p) ? "\n" : "", nt_run_period_get_note (p));
    }
  else
    {
      NtAllocation *a = NT_ALLOCATION (item->object);
      const char *note = nt_allocation_get_note (a) ? nt_allocation_get_note (a) : "";

      const char *about = nt_allocation_get_proposal (a) != NULL
                          ? g_hash_table_lookup (self->proposals, nt_allocation_get_proposal (a)) : NULL;

      text = g_strdup_printf (_("%s · %s · %s\n%s%s%s\n%s – %s JST (%.0f h)%s%s"),
                              nt_allocation_get_station (a), slot_label (nt_allocation_get_slot (a)),
                              status_label (nt_allocation_get_status (a)), item->label,
                              about != NULL ? ": " : "", about != NULL ? about : "",
                              from, to, hours, *note ? "\n" : "", note);
    }

  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
settings_notify_cb (NtTimeline  *self,
                    GParamSpec  *pspec,
                    GtkSettings *settings)
{
  text_changed (self);
}

static void
nt_timeline_snapshot (GtkWidget   *widget,
                      GtkSnapshot *snapshot)
{
  NtTimeline *self = NT_TIMELINE (widget);
  graphene_rect_t area;

  ensure_layer (self);
  if (self->layer != NULL)
    gtk_snapshot_append_node (snapshot, self->layer);

  if (self->selected != NULL &&
      nt_timeline_get_item_area (self, self->selected->object, &area) &&
      area.origin.y + area.size.height > self->axis_h)
    append_outline (snapshot, area.origin.x - 1, area.origin.y - 1,
                    area.size.width + 2, area.size.height + 2,
                    &self->colors[COLOR_SELECTED], 2);

  if (self->drag_mode == DRAG_MOVE || self->drag_mode == DRAG_RESIZE_START ||
      self->drag_mode == DRAG_RESIZE_END || self->drag_mode == DRAG_CREATE)
    {
      const GdkRGBA *c = &self->colors[self->drag_valid ? COLOR_VALID : COLOR_INVALID];

      if (self->drag_moved && area_of (self, self->drag_row, self->drag_start,
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

static void
nt_timeline_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  NtTimeline *self = NT_TIMELINE (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = (int)self->header_w + 200;
      *natural = (int)self->header_w + 800;
    }
  else
    {
      *minimum = (int)self->axis_h + 3 * (int)self->row_h;
      *natural = (int)(self->axis_h + self->content_h);
    }
}

static void
nt_timeline_size_allocate (GtkWidget *widget,
                           int        width,
                           int        height,
                           int        baseline)
{
  NtTimeline *self = NT_TIMELINE (widget);

  clamp_view (self);
  self->layer_dirty = TRUE;
}

static void
nt_timeline_css_changed (GtkWidget         *widget,
                         GtkCssStyleChange *change)
{
  NtTimeline *self = NT_TIMELINE (widget);

  GTK_WIDGET_CLASS (nt_timeline_parent_class)->css_changed (widget, change);

  update_colors (self);
  /* The font may have changed with the style. */
  text_changed (self);
}

static void
nt_timeline_root (GtkWidget *widget)
{
  NtTimeline *self = NT_TIMELINE (widget);

  GTK_WIDGET_CLASS (nt_timeline_parent_class)->root (widget);

  /* The text size (GNOME's Large Text sets the resolution) and the font
   * name reach the widget through its settings. */
  self->settings = g_object_ref (gtk_widget_get_settings (widget));
  g_signal_connect_object (self->settings, "notify::gtk-xft-dpi",
                           G_CALLBACK (settings_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "notify::gtk-font-name",
                           G_CALLBACK (settings_notify_cb), self, G_CONNECT_SWAPPED);
  text_changed (self);
}

static void
nt_timeline_unroot (GtkWidget *widget)
{
  NtTimeline *self = NT_TIMELINE (widget);

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);

  GTK_WIDGET_CLASS (nt_timeline_parent_class)->unroot (widget);
}

static void
nt_timeline_dispose (GObject *object)
{
  NtTimeline *self = (NtTimeline *)object;

  g_clear_handle_id (&self->now_timer, g_source_remove);
  if (self->check_destroy != NULL)
    self->check_destroy (self->check_data);
  self->check_destroy = NULL;
  self->check_func = NULL;
  self->selected = NULL;
  self->drag_item = NULL;
  g_clear_pointer (&self->layer, gsk_render_node_unref);
  g_clear_pointer (&self->surface, cairo_surface_destroy);
  g_clear_object (&self->layout);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (nt_timeline_parent_class)->dispose (object);
}

static void
nt_timeline_finalize (GObject *object)
{
  NtTimeline *self = (NtTimeline *)object;

  g_clear_pointer (&self->rows, g_array_unref);
  g_clear_pointer (&self->row_of, g_hash_table_unref);
  g_clear_pointer (&self->periods, g_hash_table_unref);
  g_clear_pointer (&self->allocations, g_hash_table_unref);
  g_clear_pointer (&self->members, g_hash_table_unref);
  g_clear_pointer (&self->proposals, g_hash_table_unref);
  g_clear_pointer (&self->scratch, g_ptr_array_unref);
  for (guint i = 0; i < N_KEYS; i++)
    g_clear_pointer (&self->rects[i], g_array_unref);
  g_free (self->drag_message);

  G_OBJECT_CLASS (nt_timeline_parent_class)->finalize (object);
}

static void
nt_timeline_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  NtTimeline *self = NT_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_EDIT_MODE:
      g_value_set_int (value, self->edit_mode);
      break;
    case PROP_DRAG_MESSAGE:
      g_value_set_string (value, self->drag_message);
      break;
    case PROP_SELECTED:
      g_value_set_object (value, self->selected != NULL ? self->selected->object : NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nt_timeline_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  NtTimeline *self = NT_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_EDIT_MODE:
      nt_timeline_set_edit_mode (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nt_timeline_class_init (NtTimelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = nt_timeline_dispose;
  object_class->finalize = nt_timeline_finalize;
  object_class->get_property = nt_timeline_get_property;
  object_class->set_property = nt_timeline_set_property;

  widget_class->snapshot = nt_timeline_snapshot;
  widget_class->measure = nt_timeline_measure;
  widget_class->size_allocate = nt_timeline_size_allocate;
  widget_class->css_changed = nt_timeline_css_changed;
  widget_class->root = nt_timeline_root;
  widget_class->unroot = nt_timeline_unroot;
  widget_class->query_tooltip = nt_timeline_query_tooltip;

  properties[PROP_EDIT_MODE] =
    g_param_spec_int ("edit-mode", NULL, NULL,
                      NT_TIMELINE_EDIT_NONE, NT_TIMELINE_EDIT_ALLOCATIONS, NT_TIMELINE_EDIT_NONE,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DRAG_MESSAGE] =
    g_param_spec_string ("drag-message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED] =
    g_param_spec_object ("selected", NULL, NULL, G_TYPE_OBJECT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * NtTimeline::create:
   * @station: (nullable): the station, NULL on the run-plan row
   * @slot: the NtSlot of the new allocation (the NtPeriodKind on the plan row)
   * @start, @end: the span, on the slot's grid
   *
   * The user made a new booking that the rules allow.
   */
  signals[CREATE] =
    g_signal_new ("create", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4, G_TYPE_STRING, G_TYPE_INT, G_TYPE_INT64, G_TYPE_INT64);
  /**
   * NtTimeline::change:
   * @object: the NtAllocation or NtRunPeriod as it is now
   * @start, @end: where the user moved or resized it
   */
  signals[CHANGE] =
    g_signal_new ("change", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_OBJECT, G_TYPE_INT64, G_TYPE_INT64);
  /**
   * NtTimeline::move-station:
   * @object: the NtAllocation as it is now
   * @station: the station the user moved it to
   * @start, @end: its span there
   *
   * The user moved an allocation to another station's row (and maybe in
   * time), where the rules allow it.
   */
  signals[MOVE_STATION] =
    g_signal_new ("move-station", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4, G_TYPE_OBJECT, G_TYPE_STRING, G_TYPE_INT64, G_TYPE_INT64);
  signals[ACTIVATE] =
    g_signal_new ("activate-item", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_OBJECT);
  signals[DELETE] =
    g_signal_new ("delete-item", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_OBJECT);
  signals[VIEW_CHANGED] =
    g_signal_new ("view-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_css_name (widget_class, "timeline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
nt_timeline_init (NtTimeline *self)
{
  GtkGesture *drag, *click;
  GtkEventController *scroll, *key, *motion;
  gint64 fy_start, fy_end;

  self->rows = g_array_new (FALSE, TRUE, sizeof (Row));
  g_array_set_clear_func (self->rows, row_clear);
  self->row_of = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->periods = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, item_free);
  self->allocations = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, item_free);
  self->members = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  self->proposals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->scratch = g_ptr_array_new ();
  for (guint i = 0; i < N_KEYS; i++)
    self->rects[i] = g_array_new (FALSE, FALSE, sizeof (Rect));
  self->slot_mask = (1u << NT_N_SLOTS) - 1;
  self->create_slot = -1;
  self->shift_grid = NT_TIME_GRID_SHIFT_DEFAULT;
  self->layer_dirty = TRUE;
  self->header_w = MIN_HEADER_W;
  self->axis_h = MIN_AXIS_H;
  self->row_h = MIN_ROW_H;
  self->group_h = MIN_GROUP_H;
  self->axis_line_y = MIN_AXIS_H - AXIS_LINE_H;

  nt_time_fiscal_year_bounds (nt_time_fiscal_year_of (nt_clock_now ()),
                              &fy_start, &fy_end);
  self->bounds_start = fy_start;
  self->bounds_end = fy_end;
  self->view_start = fy_start;
  self->view_span = (double)(fy_end - fy_start);

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

  drag = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), 0);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  click = gtk_gesture_click_new ();
  g_signal_connect (click, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect (scroll, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);

  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (motion_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  key = gtk_event_controller_key_new ();
  g_signal_connect (key, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), key);

  self->now_timer = g_timeout_add_seconds (60, now_tick_cb, self);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Run plan and allocations over time"),
                                  -1);
  update_accessible (self);
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */

GtkWidget *
nt_timeline_new (void)
{
  return g_object_new (NT_TYPE_TIMELINE, NULL);
}

/**
 * nt_timeline_set_catalogue:
 *
 * Makes the rows: the run plan, then every station of every beamline in
 * catalogue order, a beamline with several stations as a header row
 * followed by its stations.
 */
void
nt_timeline_set_catalogue (NtTimeline  *self,
                           NtCatalogue *catalogue)
{
  GListModel *beamlines;

  g_return_if_fail (NT_IS_TIMELINE (self));
  g_return_if_fail (catalogue != NULL);

  self->selected = NULL;
  g_array_set_size (self->rows, 0);
  g_hash_table_remove_all (self->row_of);

  add_row (self, NT_TIMELINE_ROW_PLAN, NULL, _("Run plan"), NT_PROGRAM_PUBLIC, NT_STATION_MAIN);

  beamlines = nt_catalogue_get_beamlines (catalogue);
  for (guint i = 0; i < g_list_model_get_n_items (beamlines); i++)
    {
      g_autoptr(NtBeamline) bl = g_list_model_get_item (beamlines, i);
      GListModel *stations = nt_beamline_get_stations (bl);
      guint n = g_list_model_get_n_items (stations);

      if (n > 1)
        add_row (self, NT_TIMELINE_ROW_GROUP, NULL, nt_beamline_get_id (bl),
                 nt_beamline_get_program (bl), NT_STATION_MAIN);

      for (guint j = 0; j < n; j++)
        {
          g_autoptr(NtStation) st = g_list_model_get_item (stations, j);
          g_autofree char *label = NULL;

          if (n > 1)
            label = g_strdup_printf ("%s (%s)", nt_station_get_name (st),
                                     nt_station_get_kind (st) == NT_STATION_MAIN ? _("main") : _("branch"));
          else
            label = g_strdup (nt_station_get_id (st));
          add_row (self, NT_TIMELINE_ROW_STATION, nt_station_get_id (st), label,
                   nt_beamline_get_program (bl), nt_station_get_kind (st));
        }
    }

  update_metrics (self);
  layout_rows (self);
  reindex_all (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

guint
nt_timeline_get_n_rows (NtTimeline *self)
{
  g_return_val_if_fail (NT_IS_TIMELINE (self), 0);
  return self->rows->len;
}

NtTimelineRowKind
nt_timeline_get_row_kind (NtTimeline *self,
                          guint       row)
{
  g_return_val_if_fail (NT_IS_TIMELINE (self), 0);
  g_return_val_if_fail (row < self->rows->len, 0);
  return g_array_index (self->rows, Row, row).kind;
}

const char *
nt_timeline_get_row_label (NtTimeline *self,
                           guint       row)
{
  g_return_val_if_fail (NT_IS_TIMELINE (self), NULL);
  g_return_val_if_fail (row < self->rows->len, NULL);
  return g_array_index (self->rows, Row, row).label;
}

const char *
nt_timeline_get_row_station (NtTimeline *self,
                             guint       row)
{
  g_return_val_if_fail (NT_IS_TIMELINE (self), NULL);
  g_return_val_if_fail (row < self->rows->len, NULL);
  return g_array_index (self->rows, Row, row).station;
}

int
nt_timeline_find_row (NtTimeline *self,
                      const char *station)
{
  gpointer row;

  g_return_val_if_fail (NT_IS_TIMELINE (self), -1);

  if (station == NULL)
    return self->rows->len > 0 ? 0 : -1;
  row = g_hash_table_lookup (self->row_of, station);
  return row != NULL ? (int)GPOINTER_TO_UINT (row) - 1 : -1;
}

static void
set_items (NtTimeline *self,
           GHashTable *table,
           GPtrArray  *objects)
{
  gint64 selected_id = 0;
  GType selected_type = G_TYPE_INVALID;

  if (self->selected != NULL && g_hash_table_lookup (table, &self->selected->id) == self->selected)
    {
      selected_id = self->selected->id;
      selected_type = G_OBJECT_TYPE (self->selected->object);
      self->selected = NULL;
    }
  self->drag_item = NULL;

  g_hash_table_remove_all (table);
  for (guint i = 0; objects != NULL && i < objects->len; i++)
    {
      Item *item = item_new (self, g_ptr_array_index (objects, i));

      g_hash_table_replace (table, &item->id, item);
    }
  reindex_all (self);

  if (selected_type != G_TYPE_INVALID)
    {
      Item *item = g_hash_table_lookup (table, &selected_id);

      self->selected = item;
    }
}

void
nt_timeline_set_periods (NtTimeline *self,
                         GPtrArray  *periods)
{
  g_return_if_fail (NT_IS_TIMELINE (self));
  set_items (self, self->periods, periods);
}

void
nt_timeline_set_allocations (NtTimeline *self,
                             GPtrArray  *allocations)
{
  g_return_if_fail (NT_IS_TIMELINE (self));
  set_items (self, self->allocations, allocations);
}

void
nt_timeline_set_members (NtTimeline *self,
                         GPtrArray  *members)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (NT_IS_TIMELINE (self));

  g_hash_table_remove_all (self->members);
  for (guint i = 0; members != NULL && i < members->len; i++)
    {
      NtMember *m = g_ptr_array_index (members, i);

      g_hash_table_replace (self->members, g_memdup2 (&(gint64){ nt_member_get_id (m) }, sizeof (gint64)),
                            g_strdup (nt_member_get_name (m)));
    }

  g_hash_table_iter_init (&iter, self->allocations);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Item *item = value;

      g_free (item->label);
      item->label = allocation_label (self, NT_ALLOCATION (item->object));
      item->label_w = -1;
    }
  invalidate (self);
}

/* Proposal titles and investigators, for the tooltips. */
void
nt_timeline_set_proposals (NtTimeline *self,
                           GPtrArray  *proposals)
{
  g_return_if_fail (NT_IS_TIMELINE (self));

  g_hash_table_remove_all (self->proposals);
  for (guint i = 0; proposals != NULL && i < proposals->len; i++)
    {
      NtProposal *p = g_ptr_array_index (proposals, i);

      g_hash_table_replace (self->proposals, g_strdup (nt_proposal_get_id (p)),
                            g_strdup_printf (_("%s, %s (%s)"), nt_proposal_get_title (p),
                                             nt_proposal_get_pi (p), nt_proposal_get_organisation (p)));
    }
}

void
nt_timeline_upsert (NtTimeline *self,
                    gpointer    object)
{
  GHashTable *table;
  Item *item, *old;
  gboolean was_selected = FALSE;

  g_return_if_fail (NT_IS_TIMELINE (self));
  g_return_if_fail (NT_IS_RUN_PERIOD (object) || NT_IS_ALLOCATION (object));

  table = table_for (self, G_OBJECT_TYPE (object));
  item = item_new (self, object);
  old = g_hash_table_lookup (table, &item->id);
  if (old != NULL)
    {
      was_selected = old == self->selected;
      if (old == self->drag_item)
        self->drag_item = NULL;
      unindex (self, old);
      g_hash_table_remove (table, &item->id);
    }
  g_hash_table_replace (table, &item->id, item);
  index_item (self, item);
  if (was_selected)
    {
      self->selected = item;
      if (item->row < self->rows->len)
        self->cursor_row = item->row;
    }
  invalidate (self);
}

void
nt_timeline_remove (NtTimeline *self,
                    GType       type,
                    gint64      id)
{
  GHashTable *table;
  Item *item;

  g_return_if_fail (NT_IS_TIMELINE (self));

  table = table_for (self, type);
  item = g_hash_table_lookup (table, &id);
  if (item == NULL)
    return;

  if (item == self->selected)
    select_item (self, NULL);
  if (item == self->drag_item)
    self->drag_item = NULL;
  unindex (self, item);
  g_hash_table_remove (table, &id);
  invalidate (self);
}

/**
 * nt_timeline_lookup:
 *
 * Returns: (transfer none) (nullable): the item of that type and id
 */
gpointer
nt_timeline_lookup (NtTimeline *self,
                    GType       type,
                    gint64      id)
{
  Item *item;

  g_return_val_if_fail (NT_IS_TIMELINE (self), NULL);

  item = g_hash_table_lookup (table_for (self, type), &id);
  return item != NULL ? item->object : NULL;
}

guint
nt_timeline_get_n_items (NtTimeline *self,
                         GType       type)
{
  g_return_val_if_fail (NT_IS_TIMELINE (self), 0);
  return g_hash_table_size (table_for (self, type));
}

GPtrArray *
nt_timeline_list (NtTimeline *self,
                  GType       type)
{
  GPtrArray *list = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (NT_IS_TIMELINE (self), list);

  g_hash_table_iter_init (&iter, table_for (self, type));
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (list, g_object_ref (((Item *)value)->object));

  return list;
}

static int
span_cmp (gconstpointer a,
          gconstpointer b)
{
  const NtPeriodSpan *x = a, *y = b;

  return x->start < y->start ? -1 : x->start > y->start;
}

GArray *
nt_timeline_dup_plan_spans (NtTimeline *self)
{
  GArray *spans = g_array_new (FALSE, FALSE, sizeof (NtPeriodSpan));
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (NT_IS_TIMELINE (self), spans);

  g_hash_table_iter_init (&iter, self->periods);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Item *item = value;
      NtPeriodSpan span = { item->start, item->end, (NtPeriodKind)item->color };

      g_array_append_val (spans, span);
    }
  g_array_sort (spans, span_cmp);

  return spans;
}

typedef struct
{
  gpointer      except;
  NtAllocation *found;
} Overlap;

static gboolean
overlap_cb (gint64   start,
            gint64   end,
            gpointer data,
            gpointer user_data)
{
  Item *item = data;
  Overlap *o = user_data;

  if (item->object == o->except || item->status == NT_ALLOCATION_CANCELLED)
    return TRUE;
  o->found = NT_ALLOCATION (item->object);
  return FALSE;
}

/**
 * nt_timeline_find_overlap:
 *
 * Returns: (transfer none) (nullable): an allocation in the way
 */
NtAllocation *
nt_timeline_find_overlap (NtTimeline *self,
                          const char *station,
                          gint64      start,
                          gint64      end,
                          gpointer    except)
{
  Overlap o = { except, NULL };
  int row;

  g_return_val_if_fail (NT_IS_TIMELINE (self), NULL);

  row = nt_timeline_find_row (self, station);
  if (row <= 0 || station == NULL)
    return NULL;
  nt_interval_index_foreach_in (g_array_index (self->rows, Row, row).index, start, end,
                                overlap_cb, &o);
  return o.found;
}

void
nt_timeline_set_bounds (NtTimeline *self,
                        gint64      start,
                        gint64      end)
{
  g_return_if_fail (NT_IS_TIMELINE (self));
  g_return_if_fail (end > start);

  self->bounds_start = start;
  self->bounds_end = end;
  view_changed (self);
}

void
nt_timeline_set_view (NtTimeline *self,
                      gint64      start,
                      gint64      end)
{
  g_return_if_fail (NT_IS_TIMELINE (self));
  g_return_if_fail (end > start);

  self->view_start = start;
  self->view_span = end - start;
  view_changed (self);
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
  double centre;

  g_return_if_fail (NT_IS_TIMELINE (self));
  g_return_if_fail (factor > 0);

  centre = self->view_start + self->view_span / 2;
  self->view_span /= factor;
  self->view_start = centre - self->view_span / 2;
  view_changed (self);
}

void
nt_timeline_fit (NtTimeline *self)
{
  g_return_if_fail (NT_IS_TIMELINE (self));

  self->view_start = self->bounds_start;
  self->view_span = self->bounds_end - self->bounds_start;
  view_changed (self);
}

void
nt_timeline_show_now (NtTimeline *self)
{
  g_return_if_fail (NT_IS_TIMELINE (self));

  self->view_start = now_s (self) - self->view_span / 3;
  view_changed (self);
}

void
nt_timeline_set_now (NtTimeline *self,
                     gint64      now)
{
  g_return_if_fail (NT_IS_TIMELINE (self));

  self->now = now;
  invalidate (self);
}

void
nt_timeline_set_slot_mask (NtTimeline *self,
                           guint       mask)
{
  g_return_if_fail (NT_IS_TIMELINE (self));

  if (self->slot_mask == mask)
    return;
  self->slot_mask = mask;
  if (self->selected != NULL && !item_shown (self, self->selected))
    select_item (self, NULL);
  invalidate (self);
}

guint
nt_timeline_get_slot_mask (NtTimeline *self)
{
  g_return_val_if_fail (NT_IS_TIMELINE (self), 0);
  return self->slot_mask;
}

void
nt_timeline_set_edit_mode (NtTimeline         *self,
                           NtTimelineEditMode  mode)
{
  g_return_if_fail (NT_IS_TIMELINE (self));

  if (self->edit_mode == mode)
    return;
  self->edit_mode = mode;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EDIT_MODE]);
}

NtTimelineEditMode
nt_timeline_get_edit_mode (NtTimeline *self)
{
  g_return_val_if_fail (NT_IS_TIMELINE (self), NT_TIMELINE_EDIT_NONE);
  return self->edit_mode;
}

void
nt_timeline_set_create_slot (NtTimeline *self,
                             int         slot)
{
  g_return_if_fail (NT_IS_TIMELINE (self));
  g_return_if_fail (slot >= -1 && slot < NT_N_SLOTS);
  self->create_slot = slot;
}

void
nt_timeline_set_shift_grid (NtTimeline       *self,
                            const NtTimeGrid *grid)
{
  g_return_if_fail (NT_IS_TIMELINE (self));
  g_return_if_fail (nt_time_grid_is_valid (grid));

  self->shift_grid = *grid;
  invalidate (self);
}

void
nt_timeline_set_check_func (NtTimeline          *self,
                            NtTimelineCheckFunc  func,
                            gpointer             user_data,
                            GDestroyNotify       destroy)
{
  g_return_if_fail (NT_IS_TIMELINE (self));

  if (self->check_destroy != NULL)
    self->check_destroy (self->check_data);
  self->check_func = func;
  self->check_data = user_data;
  self->check_destroy = destroy;
}

/**
 * nt_timeline_get_selected:
 *
 * Returns: (transfer none) (nullable): the selected allocation or period
 */
gpointer
nt_timeline_get_selected (NtTimeline *self)
{
  g_return_val_if_fail (NT_IS_TIMELINE (self), NULL);
  return self->selected != NULL ? self->selected->object : NULL;
}

void
nt_timeline_select (NtTimeline *self,
                    gpointer    object)
{
  Item *item = NULL;

  g_return_if_fail (NT_IS_TIMELINE (self));

  if (object != NULL)
    {
      gint64 id = NT_IS_RUN_PERIOD (object) ? nt_run_period_get_id (object)
                                             : nt_allocation_get_id (object);

      item = g_hash_table_lookup (table_for (self, G_OBJECT_TYPE (object)), &id);
    }
  select_item (self, item);
}

const char *
nt_timeline_get_drag_message (NtTimeline *self)
{
  g_return_val_if_fail (NT_IS_TIMELINE (self), NULL);
  return self->drag_message;
}

gboolean
nt_timeline_get_item_area (NtTimeline      *self,
                           gpointer         object,
                           graphene_rect_t *area)
{
  Item *item;
  gint64 id;

  g_return_val_if_fail (NT_IS_TIMELINE (self), FALSE);
  g_return_val_if_fail (object != NULL, FALSE);

  id = NT_IS_RUN_PERIOD (object) ? nt_run_period_get_id (object) : nt_allocation_get_id (object);
  item = g_hash_table_lookup (table_for (self, G_OBJECT_TYPE (object)), &id);
  if (item == NULL)
    return FALSE;

  return area_of (self, item->row, item->start, item->end, area);
}

double
nt_timeline_x_for_time (NtTimeline *self,
                        gint64      t)
{
  g_return_val_if_fail (NT_IS_TIMELINE (self), 0);
  return x_for (self, gtk_widget_get_width (GTK_WIDGET (self)), t);
}

/* The vertical middle of a row, in widget coordinates. */
double
nt_timeline_y_for_row (NtTimeline *self,
                       guint       row)
{
  Row *r;

  g_return_val_if_fail (NT_IS_TIMELINE (self), 0);
  g_return_val_if_fail (row < self->rows->len, 0);

  r = &g_array_index (self->rows, Row, row);
  return self->axis_h - self->yoff + r->y + r->h / 2;
}

void
nt_timeline_drag_begin (NtTimeline *self,
                        double      x,
                        double      y)
{
  DragMode edge;
  Item *item;
  int row;

  g_return_if_fail (NT_IS_TIMELINE (self));

  self->drag_x0 = x;
  self->drag_y0 = y;
  self->drag_view0 = self->view_start;
  self->drag_moved = FALSE;
  self->drag_valid = FALSE;
  self->drag_item = NULL;
  set_drag_message (self, NULL);

  row = row_at (self, y);
  item = item_at (self, x, y, &edge);

  if (row < 0 || x < self->header_w || !row_editable (self, (guint)row))
    {
      self->drag_mode = DRAG_PAN;
      if (item != NULL)
        select_item (self, item);
      return;
    }

  self->drag_row = (guint)row;
  if (item != NULL)
    {
      self->drag_mode = item->status == NT_ALLOCATION_CANCELLED ? DRAG_PAN : edge;
      self->drag_item = item;
      self->drag_start = item->start;
      self->drag_end = item->end;
      select_item (self, item);
    }
  else
    {
      NtTimeGrid grid = grid_for_item (self, NULL, (guint)row);
      gint64 t = (gint64)t_for (self, x);

      self->drag_mode = DRAG_CREATE;
      self->drag_start = nt_time_grid_floor (&grid, t);
      self->drag_end = nt_time_grid_ceil (&grid, t + 1);
    }
}

void
nt_timeline_drag_update (NtTimeline *self,
                         double      x,
                         double      y)
{
  NtTimeGrid grid;
  gint64 t, t0;

  g_return_if_fail (NT_IS_TIMELINE (self));

  if (fabs (x - self->drag_x0) >= 3 || fabs (y - self->drag_y0) >= 3)
    self->drag_moved = TRUE;
  if (!self->drag_moved)
    return;

  switch (self->drag_mode)
    {
    case DRAG_NONE:
      return;

    case DRAG_PAN:
      self->view_start = self->drag_view0 - (x - self->drag_x0) * self->view_span /
                         plot_width (self, gtk_widget_get_width (GTK_WIDGET (self)));
      view_changed (self);
      return;

    case DRAG_MOVE:
      if (self->drag_item == NULL)
        return;
      /* An allocation follows the pointer to another row (checked against
       * that row's station); a period stays on the run-plan row. */
      if (self->drag_item->slot >= 0 && self->edit_mode == NT_TIMELINE_EDIT_ALLOCATIONS)
        {
          int row = row_at (self, y);

          if (row >= 0)
            self->drag_row = (guint)row;
        }
      grid = grid_for_item (self, self->drag_item, self->drag_row);
      t = (gint64)round ((x - self->drag_x0) * self->view_span /
                         plot_width (self, gtk_widget_get_width (GTK_WIDGET (self))));
      self->drag_start = nt_time_grid_nearest (&grid, self->drag_item->start + t);
      self->drag_end = self->drag_start + (self->drag_item->end - self->drag_item->start);
      break;

    case DRAG_RESIZE_START:
      grid = grid_for_item (self, self->drag_item, self->drag_row);
      self->drag_start = MIN (nt_time_grid_nearest (&grid, (gint64)t_for (self, x)),
                              self->drag_item->end);
      self->drag_end = self->drag_item->end;
      break;

    case DRAG_RESIZE_END:
      grid = grid_for_item (self, self->drag_item, self->drag_row);
      self->drag_start = self->drag_item->start;
      self->drag_end = MAX (nt_time_grid_nearest (&grid, (gint64)t_for (self, x)),
                            self->drag_item->start);
      break;

    case DRAG_CREATE:
      grid = grid_for_item (self, NULL, self->drag_row);
      t0 = (gint64)t_for (self, self->drag_x0);
      t = (gint64)t_for (self, x);
      self->drag_start = nt_time_grid_floor (&grid, MIN (t0, t));
      self->drag_end = nt_time_grid_ceil (&grid, MAX (t0, t));
      if (self->drag_end <= self->drag_start)
        self->drag_end = nt_time_grid_ceil (&grid, self->drag_start + 1);
      break;

    default:
      g_return_if_reached ();
    }

  check_proposal (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
nt_timeline_drag_end (NtTimeline *self,
                      double      x,
                      double      y)
{
  DragMode mode;
  Row *row;

  g_return_if_fail (NT_IS_TIMELINE (self));

  nt_timeline_drag_update (self, x, y);
  mode = self->drag_mode;
  self->drag_mode = DRAG_NONE;
  gtk_widget_queue_draw (GTK_WIDGET (self));

  if (!self->drag_moved)
    {
      /* A click: select what is under the pointer (or nothing). */
      Item *item = item_at (self, x, y, NULL);

      select_item (self, item);
      if (item == NULL && row_at (self, y) >= 0)
        {
          self->cursor_row = (guint)row_at (self, y);
          self->cursor_time = (gint64)t_for (self, x);
        }
      return;
    }

  if (mode == DRAG_PAN || mode == DRAG_NONE)
    return;

  /* The reason stays shown until the next drag; a refused drag changes
   * nothing. */
  if (!self->drag_valid)
    return;
  set_drag_message (self, NULL);

  row = &g_array_index (self->rows, Row, self->drag_row);
  if (mode == DRAG_CREATE)
    g_signal_emit (self, signals[CREATE], 0, row->station,
                   create_slot_for_row (self, self->drag_row),
                   self->drag_start, self->drag_end);
  else if (self->drag_item != NULL && self->drag_row != self->drag_item->row && row->station != NULL)
    {
      g_autoptr(GObject) object = g_object_ref (self->drag_item->object);

      g_signal_emit (self, signals[MOVE_STATION], 0, object, row->station,
                     self->drag_start, self->drag_end);
    }
  else if (self->drag_item != NULL &&
           (self->drag_start != self->drag_item->start || self->drag_end != self->drag_item->end))
    {
      g_autoptr(GObject) object = g_object_ref (self->drag_item->object);

      g_signal_emit (self, signals[CHANGE], 0, object, self->drag_start, self->drag_end);
    }
}

static void
select_neighbour (NtTimeline *self,
                  int         direction)
{
  Row *row;
  guint pos, n;

  if (self->cursor_row >= self->rows->len)
    return;
  row = &g_array_index (self->rows, Row, self->cursor_row);
  n = nt_interval_index_get_size (row->index);

  if (self->selected != NULL && self->selected->row == self->cursor_row)
    {
      int p = nt_interval_index_position (row->index, self->selected);

      for (p += direction; p >= 0 && (guint)p < n; p += direction)
        {
          Item *item = nt_interval_index_get_nth (row->index, (guint)p, NULL, NULL);

          if (item_shown (self, item))
            {
              select_item (self, item);
              break;
            }
        }
    }
  else
    {
      pos = nt_interval_index_lower_bound (row->index, self->cursor_time);
      if (direction < 0 && pos > 0)
        pos--;
      if (pos < n)
        select_item (self, nt_interval_index_get_nth (row->index, pos, NULL, NULL));
    }

  /* Keep the selection in view. */
  if (self->selected != NULL &&
      (self->selected->end < self->view_start || self->selected->start > self->view_start + self->view_span))
    {
      self->view_start = self->selected->start - self->view_span / 3;
      view_changed (self);
    }
}

/* Scrolls vertically so that @row is in view. */
static void
show_row (NtTimeline *self,
          guint       row)
{
  Row *r = &g_array_index (self->rows, Row, row);
  double visible = gtk_widget_get_height (GTK_WIDGET (self)) - self->axis_h;

  if (r->y < self->yoff)
    self->yoff = r->y;
  else if (r->y + r->h > self->yoff + visible)
    self->yoff = r->y + r->h - visible;
  view_changed (self);
}

static void
change_row (NtTimeline *self,
            int         direction)
{
  int row = (int)self->cursor_row;
  gint64 t = self->selected != NULL ? self->selected->start : self->cursor_time;

  do
    row += direction;
  while (row >= 0 && (guint)row < self->rows->len &&
         g_array_index (self->rows, Row, row).kind == NT_TIMELINE_ROW_GROUP);
  if (row < 0 || (guint)row >= self->rows->len)
    return;

  self->cursor_row = (guint)row;
  self->cursor_time = t;
  select_item (self, NULL);
  self->cursor_row = (guint)row;
  self->cursor_time = t;
  select_neighbour (self, +1);

  show_row (self, (guint)row);
}

/* Alt+arrows move the selection by one step of its grid; with Shift they
 * move its end. */
static void
key_edit (NtTimeline *self,
          int         direction,
          gboolean    resize)
{
  g_autoptr(GError) error = NULL;
  Item *item = self->selected;
  NtTimeGrid grid;
  gint64 step, start, end;

  if (item == NULL || !row_editable (self, item->row) || item->status == NT_ALLOCATION_CANCELLED)
    return;

  grid = grid_for_item (self, item, item->row);
  step = (gint64)grid.length_minutes * 60;
  start = resize ? item->start : item->start + direction * step;
  end = item->end + direction * step;
  if (end <= start)
    return;

  self->drag_row = item->row;
  self->drag_item = item;
  self->drag_start = start;
  self->drag_end = end;
  check_proposal (self);
  self->drag_item = NULL;
  if (!self->drag_valid)
    return;

  {
    g_autoptr(GObject) object = g_object_ref (item->object);

    g_signal_emit (self, signals[CHANGE], 0, object, start, end);
  }
}

/* Alt+Up/Down move the selected allocation to the station row above or
 * below, at the same time, skipping the stations that take no time of its
 * slot (a branch station and public time); anything else in the way (an
 * overlap there, a rule) refuses the move with its reason.  Returns FALSE
 * when there is no allocation to move. */
static gboolean
key_move_station (NtTimeline *self,
                  int         direction)
{
  Item *item = self->selected;
  Row *target = NULL;
  int row;

  if (item == NULL || item->slot < 0 || !row_editable (self, item->row))
    return FALSE;
  if (item->status == NT_ALLOCATION_CANCELLED)
    return TRUE;

  for (row = (int)item->row + direction; row >= 0 && (guint)row < self->rows->len; row += direction)
    {
      Row *r = &g_array_index (self->rows, Row, row);

      if (r->kind != NT_TIMELINE_ROW_STATION)
        continue;
      if (!nt_rules_check_station_slot ((NtSlot)item->slot, r->program, r->station_kind, NULL))
        continue;
      target = r;
      break;
    }
  if (target == NULL)
    return TRUE;  /* no station further that way */

  self->drag_row = (guint)row;
  self->drag_item = item;
  self->drag_start = item->start;
  self->drag_end = item->end;
  check_proposal (self);
  self->drag_item = NULL;
  if (!self->drag_valid)
    return TRUE;

  {
    g_autoptr(GObject) object = g_object_ref (item->object);

    self->cursor_row = (guint)row;
    g_signal_emit (self, signals[MOVE_STATION], 0, object, target->station, item->start, item->end);
  }
  show_row (self, (guint)row);
  return TRUE;
}

static void
key_create (NtTimeline *self)
{
  NtTimeGrid grid;
  Row *row;

  if (!row_editable (self, self->cursor_row))
    return;

  row = &g_array_index (self->rows, Row, self->cursor_row);
  grid = grid_for_item (self, NULL, self->cursor_row);
  self->drag_row = self->cursor_row;
  self->drag_item = NULL;
  self->drag_start = nt_time_grid_floor (&grid, self->selected != NULL ? self->selected->end
                                                                       : self->cursor_time);
  self->drag_end = nt_time_grid_ceil (&grid, self->drag_start + 1);
  check_proposal (self);
  if (!self->drag_valid)
    return;

  g_signal_emit (self, signals[CREATE], 0, row->station,
                 create_slot_for_row (self, self->cursor_row),
                 self->drag_start, self->drag_end);
}

/**
 * nt_timeline_handle_key:
 *
 * Arrows select (Left/Right the previous/next item of the row, Up/Down
 * another row), Alt+Left/Right move the selection by one grid step,
 * Shift+Alt+Left/Right move its end, Alt+Up/Down move a selected
 * allocation to the station above or below, Insert makes a booking of one grid
 * step after the selection (or at the cursor), Return opens the editor,
 * Delete deletes; +, − and 0 zoom in, out and to fit, Home shows now,
 * Page Up/Down pan by most of the view.
 */
gboolean
nt_timeline_handle_key (NtTimeline      *self,
                        guint            keyval,
                        GdkModifierType  state)
{
  gboolean alt = (state & GDK_ALT_MASK) != 0;
  gboolean shift = (state & GDK_SHIFT_MASK) != 0;

  g_return_val_if_fail (NT_IS_TIMELINE (self), FALSE);

  if ((state & GDK_CONTROL_MASK) != 0)
    return FALSE;

  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      {
        int direction = keyval == GDK_KEY_Left || keyval == GDK_KEY_KP_Left ? -1 : +1;

        if (alt)
          key_edit (self, direction, shift);
        else
          select_neighbour (self, direction);
        return TRUE;
      }

    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      if (!(alt && !shift && key_move_station (self, -1)))
        change_row (self, -1);
      return TRUE;

    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      if (!(alt && !shift && key_move_station (self, +1)))
        change_row (self, +1);
      return TRUE;

    case GDK_KEY_Insert:
    case GDK_KEY_KP_Insert:
      key_create (self);
      return TRUE;

    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
      if (self->selected != NULL)
        g_signal_emit (self, signals[ACTIVATE], 0, self->selected->object);
      return self->selected != NULL;

    case GDK_KEY_Delete:
    case GDK_KEY_KP_Delete:
      if (self->selected != NULL && row_editable (self, self->selected->row))
        {
          g_autoptr(GObject) object = g_object_ref (self->selected->object);

          g_signal_emit (self, signals[DELETE], 0, object);
          return TRUE;
        }
      return FALSE;

    case GDK_KEY_plus:
    case GDK_KEY_equal:
    case GDK_KEY_KP_Add:
      nt_timeline_zoom (self, 1.5);
      return TRUE;

    case GDK_KEY_minus:
    case GDK_KEY_KP_Subtract:
      nt_timeline_zoom (self, 1 / 1.5);
      return TRUE;

    case GDK_KEY_0:
    case GDK_KEY_KP_0:
      nt_timeline_fit (self);
      return TRUE;

    case GDK_KEY_Home:
      nt_timeline_show_now (self);
      return TRUE;

    case GDK_KEY_Page_Up:
    case GDK_KEY_Page_Down:
      self->view_start += (keyval == GDK_KEY_Page_Up ? -0.8 : 0.8) * self->view_span;
      view_changed (self);
      return TRUE;

    case GDK_KEY_Escape:
      if (self->selected == NULL)
        return FALSE;
      select_item (self, NULL);
      return TRUE;

    default:
      return FALSE;
    }
}

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
    y += g_array_index (self->rows, Row, i).h;

  d.self = self;
  d.cr = cr;
  d.layout = layout;
  d.width = width;
  d.height = y;
  d.v_start = start;
  d.v_span = end - start;
  d.cached_widths = FALSE;

  yoff = g_array_index (self->rows, Row, first_row).y;
  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, width, y);
  cairo_clip (cr);
  /* Only the rows from first_row: draw_all lays rows out from the top of
   * the content, so shift the content up. */
  draw_all (&d, yoff);
  cairo_restore (cr);

  return n;
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
      double h = g_array_index (self->rows, Row, i).h;

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
