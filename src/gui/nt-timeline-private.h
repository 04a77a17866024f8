/* nt-timeline-private.h: the NtTimeline instance and the internals its files share
 *
 * NtTimeline is split by concern: nt-timeline.c (the widget: properties,
 * signals, vfuncs, settings), nt-timeline-items.c (the rows and the items
 * on them), nt-timeline-geometry.c (view, metrics, coordinates, hit
 * testing), nt-timeline-draw.c (colours, the cached layer, printing),
 * nt-timeline-edit.c (pointer and keyboard editing) and nt-timeline-a11y.c
 * (tooltips and what a screen reader says).  This header holds what they
 * share; it is not installed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "nt-booking-store.h"
#include "nt-interval-index.h"
#include "nt-timeline.h"

G_BEGIN_DECLS

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

/* An item is the compact record of its booking (nt-booking-store.h): the
 * row it is drawn on is its tag (ITEM_NO_ROW: an unknown station).  A
 * full NtAllocation or NtRunPeriod is made only when asked for
 * (nt_timeline_item_object()). */
typedef NtBooking Item;

#define ITEM_NO_ROW G_MAXUINT32

/* The slot of an allocation, -1 for a period. */
static inline int
nt_timeline_item_slot (const Item *item)
{
  return NT_BOOKING_IS_PERIOD (item) ? -1 : item->slot;
}

/* Colour index: the period's kind, or the allocation's slot. */
static inline guint
nt_timeline_item_color (const Item *item)
{
  return NT_BOOKING_IS_PERIOD (item) ? item->kind : COLOR_SLOT_BASE + item->slot;
}

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
  NtBookingStore      *periods;     /* the run plan's items */
  NtBookingStore      *allocations; /* every station's items */
  GHashTable          *made;        /* Item* → the GObject made or handed in for it */
  GHashTable          *labels;      /* label (interned or static) → NtTimelineLabel* */
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
  gboolean             layer_dirty;
  double               layer_w;
  double               layer_h;
  PangoLayout         *layout;
  GPtrArray           *scratch;     /* Item*, one row's visible items */
  GArray              *rects[N_KEYS];
};

/* Defined in nt-timeline.c; every file notifies and emits through them. */
enum
{
  PROP_0,
  PROP_EDIT_MODE,
  PROP_DRAG_MESSAGE,
  PROP_SELECTED,
  N_PROPS
};

extern GParamSpec *nt_timeline_properties[N_PROPS];

enum
{
  SIGNAL_CREATE,
  SIGNAL_CHANGE,
  SIGNAL_MOVE_STATION,
  SIGNAL_ACTIVATE,
  SIGNAL_DELETE,
  SIGNAL_VIEW_CHANGED,
  N_SIGNALS
};

extern guint nt_timeline_signals[N_SIGNALS];

/* Row @row (< rows->len). */
static inline Row *
nt_timeline_row (NtTimeline *self,
                 guint       row)
{
  return &g_array_index (self->rows, Row, row);
}

/* nt-timeline.c */
/* The cached layer is out of date: rebuilt at the next frame. */
void      nt_timeline_invalidate         (NtTimeline      *self);
/* Selects @item (NULL: nothing) and puts the keyboard's cursor on it. */
void      nt_timeline_select_item        (NtTimeline      *self,
                                          Item            *item);
/* The reason against the drag in progress (NULL: none), notified. */
void      nt_timeline_set_drag_message   (NtTimeline      *self,
                                          const char      *message);

/* nt-timeline-items.c */
void      nt_timeline_row_clear          (gpointer         data);
/* The item of an NtRunPeriod or NtAllocation, or NULL. */
Item     *nt_timeline_item_of            (NtTimeline      *self,
                                          gpointer         object);
/* The full object of @item, made on first asking and kept until the item
 * changes or goes: (transfer none). */
gpointer  nt_timeline_item_object        (NtTimeline      *self,
                                          Item            *item);
/* The words drawn on @item: its proposal, member, slot or period kind. */
const char *nt_timeline_item_label       (NtTimeline      *self,
                                          const Item      *item);
/* The width of @label in pixels, measured once per distinct label when
 * @cached (then @layout is the widget's). */
int       nt_timeline_label_width        (NtTimeline      *self,
                                          const char      *label,
                                          PangoLayout     *layout,
                                          gboolean         cached);
/* A distinct label laid out once in the widget's font: its layout and size. */
typedef struct
{
  PangoLayout *layout;
  int          width;
  int          height;
} NtTimelineLabel;

NtTimelineLabel *nt_timeline_label_get   (NtTimeline      *self,
                                          const char      *label,
                                          PangoLayout     *layout);
void      nt_timeline_label_free         (gpointer         data);
gboolean  nt_timeline_item_shown         (NtTimeline      *self,
                                          Item            *item);
/* The items of @row that overlap [start, end), in self->scratch. */
GPtrArray *nt_timeline_collect           (NtTimeline      *self,
                                          Row             *row,
                                          gint64           start,
                                          gint64           end);
void      nt_timeline_layout_rows        (NtTimeline      *self);

/* nt-timeline-geometry.c: x for an instant and back at a width, the
 * row under a y, the view kept within the bounds (view_changed also tells
 * the screen reader and the ::view-changed handlers), "now", the metrics
 * (update_metrics returns whether one changed), a span's area on a row
 * and the item (and its edge) under a point. */
double    nt_timeline_plot_width         (NtTimeline      *self,
                                          double           width);
double    nt_timeline_x_for              (NtTimeline      *self,
                                          double           width,
                                          double           t);
double    nt_timeline_t_for              (NtTimeline      *self,
                                          double           x);
int       nt_timeline_row_at             (NtTimeline      *self,
                                          double           y);
void      nt_timeline_clamp_view         (NtTimeline      *self);
void      nt_timeline_view_changed       (NtTimeline      *self);
gint64    nt_timeline_now_s              (NtTimeline      *self);
double    nt_timeline_header_indent      (const Row       *row);
gboolean  nt_timeline_update_metrics     (NtTimeline      *self);
void      nt_timeline_text_changed       (NtTimeline      *self);
gboolean  nt_timeline_area_of            (NtTimeline      *self,
                                          guint            row_index,
                                          gint64           start,
                                          gint64           end,
                                          graphene_rect_t *area);
Item     *nt_timeline_item_at            (NtTimeline      *self,
                                          double           x,
                                          double           y,
                                          DragMode        *edge);

/* nt-timeline-draw.c: colours read from the style, the snapshot vfunc */
void      nt_timeline_update_colors      (NtTimeline      *self);
void      nt_timeline_snapshot           (GtkWidget       *widget,
                                          GtkSnapshot     *snapshot);

/* nt-timeline-edit.c: the pointer, scroll and key controllers */
void      nt_timeline_add_controllers    (NtTimeline      *self);

/* nt-timeline-a11y.c: the accessible description, the tooltip vfunc */
void      nt_timeline_update_accessible  (NtTimeline      *self);
gboolean  nt_timeline_query_tooltip      (GtkWidget       *widget,
                                          int              x,
                                          int              y,
                                          gboolean         keyboard,
                                          GtkTooltip      *tooltip);

G_END_DECLS
