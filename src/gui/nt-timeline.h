/* nt-timeline.h: the run plan and every station's allocations over time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "nt-allocation.h"
#include "nt-booking-store.h"
#include "nt-catalogue.h"
#include "nt-member.h"
#include "nt-run-period.h"
#include "nt-time.h"

G_BEGIN_DECLS

typedef enum
{
  NT_TIMELINE_EDIT_NONE,         /* read only */
  NT_TIMELINE_EDIT_PLAN,         /* the run-plan row */
  NT_TIMELINE_EDIT_ALLOCATIONS,  /* the station rows */
} NtTimelineEditMode;

typedef enum
{
  NT_TIMELINE_ROW_PLAN,     /* the accelerator's run plan */
  NT_TIMELINE_ROW_GROUP,    /* a beamline with several stations (a header) */
  NT_TIMELINE_ROW_STATION,  /* one station */
} NtTimelineRowKind;

/* Whether a proposed booking is allowed; sets @error with the reason in
 * words when it is not.  @object is the allocation or period being moved
 * or resized, NULL for a new one; @station is NULL on the run-plan row. */
typedef gboolean (*NtTimelineCheckFunc) (gpointer     object,
                                         const char  *station,
                                         int          slot_or_kind,
                                         gint64       start,
                                         gint64       end,
                                         gpointer     user_data,
                                         GError     **error);

#define NT_TYPE_TIMELINE (nt_timeline_get_type ())

G_DECLARE_FINAL_TYPE (NtTimeline, nt_timeline, NT, TIMELINE, GtkWidget)

GtkWidget         *nt_timeline_new                 (void);

/* Rows */
void               nt_timeline_set_catalogue       (NtTimeline          *self,
                                                    NtCatalogue         *catalogue);
guint              nt_timeline_get_n_rows          (NtTimeline          *self);
NtTimelineRowKind  nt_timeline_get_row_kind        (NtTimeline          *self,
                                                    guint                row);
const char        *nt_timeline_get_row_label       (NtTimeline          *self,
                                                    guint                row);
/* The station id of a station row, else NULL. */
const char        *nt_timeline_get_row_station     (NtTimeline          *self,
                                                    guint                row);
int                nt_timeline_find_row            (NtTimeline          *self,
                                                    const char          *station);

/* Contents: the timeline keeps its own references. */
void               nt_timeline_set_periods         (NtTimeline          *self,
                                                    GPtrArray           *periods);
void               nt_timeline_set_allocations     (NtTimeline          *self,
                                                    GPtrArray           *allocations);
/* The allocations as compact records (nt-booking-store.h): the timeline
 * takes @store (transfer full) and its records become its items. */
void               nt_timeline_set_allocation_store (NtTimeline         *self,
                                                    NtBookingStore      *store);
NtBookingStore    *nt_timeline_get_allocation_store (NtTimeline         *self);
void               nt_timeline_set_members         (NtTimeline          *self,
                                                    GPtrArray           *members);
void               nt_timeline_set_proposals       (NtTimeline          *self,
                                                    GPtrArray           *proposals);
/* Adds or replaces (by id) one NtRunPeriod or NtAllocation. */
void               nt_timeline_upsert              (NtTimeline          *self,
                                                    gpointer             object);
void               nt_timeline_remove              (NtTimeline          *self,
                                                    GType                type,
                                                    gint64               id);
gpointer           nt_timeline_lookup              (NtTimeline          *self,
                                                    GType                type,
                                                    gint64               id);
guint              nt_timeline_get_n_items         (NtTimeline          *self,
                                                    GType                type);
/* Every item of one kind, in no order: (transfer container). */
GPtrArray         *nt_timeline_list                (NtTimeline          *self,
                                                    GType                type);
/* The run plan as a sorted GArray of NtPeriodSpan (for the rules). */
GArray            *nt_timeline_dup_plan_spans      (NtTimeline          *self);
/* An allocation of @station (not cancelled, not @except) that shares a
 * second with [start, end), or NULL. */
NtAllocation      *nt_timeline_find_overlap        (NtTimeline          *self,
                                                    const char          *station,
                                                    gint64               start,
                                                    gint64               end,
                                                    gpointer             except);
/* The same as a record, leaving out the booking with id @except_id; no
 * object is made. */
const NtBooking   *nt_timeline_find_overlap_booking (NtTimeline         *self,
                                                    const char          *station,
                                                    gint64               start,
                                                    gint64               end,
                                                    gint64               except_id);

/* View: Unix seconds, UTC.  Bounds limit panning (a fiscal year). */
void               nt_timeline_set_bounds          (NtTimeline          *self,
                                                    gint64               start,
                                                    gint64               end);
void               nt_timeline_set_view            (NtTimeline          *self,
                                                    gint64               start,
                                                    gint64               end);
void               nt_timeline_get_view            (NtTimeline          *self,
                                                    gint64              *start,
                                                    gint64              *end);
void               nt_timeline_zoom                (NtTimeline          *self,
                                                    double               factor);
void               nt_timeline_fit                 (NtTimeline          *self);
void               nt_timeline_show_now            (NtTimeline          *self);
/* The instant drawn as "now"; 0 follows the clock. */
void               nt_timeline_set_now             (NtTimeline          *self,
                                                    gint64               now);
void               nt_timeline_set_slot_mask       (NtTimeline          *self,
                                                    guint                mask);
guint              nt_timeline_get_slot_mask       (NtTimeline          *self);

/* Editing */
void               nt_timeline_set_edit_mode       (NtTimeline          *self,
                                                    NtTimelineEditMode   mode);
NtTimelineEditMode nt_timeline_get_edit_mode       (NtTimeline          *self);
/* The slot of allocations made by dragging; -1 chooses by station. */
void               nt_timeline_set_create_slot     (NtTimeline          *self,
                                                    int                  slot);
void               nt_timeline_set_shift_grid      (NtTimeline          *self,
                                                    const NtTimeGrid    *grid);
void               nt_timeline_set_check_func      (NtTimeline          *self,
                                                    NtTimelineCheckFunc  func,
                                                    gpointer             user_data,
                                                    GDestroyNotify       destroy);
gpointer           nt_timeline_get_selected        (NtTimeline          *self);
void               nt_timeline_select              (NtTimeline          *self,
                                                    gpointer             object);
/* The reason the rules give against the drag in progress, or NULL. */
const char        *nt_timeline_get_drag_message    (NtTimeline          *self);
/* Where an item is drawn, in widget coordinates. */
gboolean           nt_timeline_get_item_area       (NtTimeline          *self,
                                                    gpointer             object,
                                                    graphene_rect_t     *area);
double             nt_timeline_x_for_time          (NtTimeline          *self,
                                                    gint64               t);
double             nt_timeline_y_for_row           (NtTimeline          *self,
                                                    guint                row);

/* The pointer and key paths, as the widget's own controllers call them
 * (also for tests: GTK cannot synthesise input). */
void               nt_timeline_drag_begin          (NtTimeline          *self,
                                                    double               x,
                                                    double               y);
void               nt_timeline_drag_update         (NtTimeline          *self,
                                                    double               x,
                                                    double               y);
void               nt_timeline_drag_end            (NtTimeline          *self,
                                                    double               x,
                                                    double               y);
gboolean           nt_timeline_handle_key          (NtTimeline          *self,
                                                    guint                keyval,
                                                    GdkModifierType      state);

/* Drawing: the cached layer (for benchmarks), and any range of rows and
 * time onto any cairo context (for printing). */
GskRenderNode     *nt_timeline_render_node         (NtTimeline          *self);
guint              nt_timeline_draw_rows           (NtTimeline          *self,
                                                    cairo_t             *cr,
                                                    PangoLayout         *layout,
                                                    double               width,
                                                    double               height,
                                                    gint64               start,
                                                    gint64               end,
                                                    guint                first_row);

/* How many rows from @first_row nt_timeline_draw_rows() puts in @height. */
guint              nt_timeline_rows_that_fit       (NtTimeline          *self,
                                                    guint                first_row,
                                                    double               height);

/* The header column's width, the axis's height and the heights of a row
 * and of a beamline's header row, in pixels: they follow the font and the
 * text size, never below those of the normal text size. */
void               nt_timeline_get_metrics         (NtTimeline          *self,
                                                    double              *header_width,
                                                    double              *axis_height,
                                                    double              *row_height,
                                                    double              *group_height);

G_END_DECLS
