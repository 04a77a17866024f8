/* nt-timeline-items.c: the rows of NtTimeline and the items on them
 *
 * One row per station (a beamline with several stations under a header
 * row), the run plan on top.  Each NtRunPeriod or NtAllocation becomes an
 * Item (its span, colour, status and label), kept by id and indexed in its
 * row's NtIntervalIndex.  The contents API: the catalogue's rows, the
 * periods, allocations, members and proposals, one item added, replaced
 * or removed, and the questions the rules ask (the plan, an overlap).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-timeline"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "nt-beamline.h"
#include "nt-proposal.h"
#include "nt-station.h"
#include "nt-timeline-labels.h"
#include "nt-timeline-private.h"

/* ------------------------------------------------------------------ */
/* Items and rows                                                      */

void
nt_timeline_row_clear (gpointer data)
{
  Row *row = data;

  g_free (row->station);
  g_free (row->label);
  g_clear_pointer (&row->index, nt_interval_index_free);
}

const char *
nt_timeline_item_label (NtTimeline *self,
                        const Item *item)
{
  if (NT_BOOKING_IS_PERIOD (item))
    return nt_timeline_period_kind_label (item->kind);

  switch (item->slot)
    {
    case NT_SLOT_PUBLIC:
      return item->proposal != NULL ? item->proposal : _("Public");

    case NT_SLOT_COALITION:
      {
        const char *name = g_hash_table_lookup (self->members, &item->member);
        g_autofree char *words = NULL;

        if (name != NULL)
          return name;
        if (item->member <= 0)
          return _("Coalition");
        words = g_strdup_printf (_("Member %lld"), (long long)item->member);
        return nt_booking_store_intern (self->allocations, words);
      }

    case NT_SLOT_STAFF:
    case NT_SLOT_COMMISSIONING:
    default:
      return nt_timeline_slot_label (item->slot);
    }
}

void
nt_timeline_label_free (gpointer data)
{
  NtTimelineLabel *label = data;

  g_clear_object (&label->layout);
  g_free (label);
}

/* Shaped once and kept (by the string's address: labels are interned or
 * static) until the font, the text size, the members or the contents
 * change. */
NtTimelineLabel *
nt_timeline_label_get (NtTimeline  *self,
                       const char  *text,
                       PangoLayout *layout)
{
  NtTimelineLabel *label = g_hash_table_lookup (self->labels, text);

  if (label == NULL)
    {
      label = g_new0 (NtTimelineLabel, 1);
      label->layout = pango_layout_copy (layout);
      pango_layout_set_text (label->layout, text, -1);
      pango_layout_get_pixel_size (label->layout, &label->width, &label->height);
      g_hash_table_insert (self->labels, (gpointer)text, label);
    }
  return label;
}

int
nt_timeline_label_width (NtTimeline  *self,
                         const char  *label,
                         PangoLayout *layout,
                         gboolean     cached)
{
  int w, h;

  if (cached)
    return nt_timeline_label_get (self, label, layout)->width;
  pango_layout_set_text (layout, label, -1);
  pango_layout_get_pixel_size (layout, &w, &h);
  return w;
}

static NtBookingStore *
store_for (NtTimeline *self,
           GType       type)
{
  if (type == NT_TYPE_RUN_PERIOD)
    return self->periods;
  if (type == NT_TYPE_ALLOCATION)
    return self->allocations;
  g_return_val_if_reached (NULL);
}

static guint
row_for (NtTimeline *self,
         const Item *item)
{
  gpointer row;

  if (NT_BOOKING_IS_PERIOD (item))
    return self->rows->len > 0 ? 0 : ITEM_NO_ROW;
  row = item->station != NULL ? g_hash_table_lookup (self->row_of, item->station) : NULL;
  return row != NULL ? GPOINTER_TO_UINT (row) - 1 : ITEM_NO_ROW;
}

static void
unindex (NtTimeline *self,
         Item       *item)
{
  if (item->tag < self->rows->len)
    nt_interval_index_remove (nt_timeline_row (self, item->tag)->index, item);
}

static void
index_item (NtTimeline *self,
            Item       *item)
{
  if (item->tag < self->rows->len)
    nt_interval_index_add (nt_timeline_row (self, item->tag)->index,
                           item->start, item->end, item);
}

static gboolean
reindex_cb (const NtBooking *booking,
            gpointer         user_data)
{
  NtTimeline *self = user_data;
  Item *item = (Item *)booking;

  item->tag = row_for (self, item);
  index_item (self, item);
  return TRUE;
}

static void
reindex_all (NtTimeline *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    nt_interval_index_clear (nt_timeline_row (self, i)->index);

  nt_booking_store_foreach (self->periods, reindex_cb, self);
  nt_booking_store_foreach (self->allocations, reindex_cb, self);

  nt_timeline_invalidate (self);
}

void
nt_timeline_layout_rows (NtTimeline *self)
{
  double y = 0;

  for (guint i = 0; i < self->rows->len; i++)
    {
      Row *row = nt_timeline_row (self, i);

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

gboolean
nt_timeline_item_shown (NtTimeline *self,
                        Item       *item)
{
  return NT_BOOKING_IS_PERIOD (item) || (self->slot_mask & (1u << item->slot)) != 0;
}

Item *
nt_timeline_item_of (NtTimeline *self,
                     gpointer    object)
{
  gint64 id = NT_IS_RUN_PERIOD (object) ? nt_run_period_get_id (object)
                                         : nt_allocation_get_id (object);

  return nt_booking_store_lookup (store_for (self, G_OBJECT_TYPE (object)), id);
}

gpointer
nt_timeline_item_object (NtTimeline *self,
                         Item       *item)
{
  gpointer object;

  if (item == NULL)
    return NULL;
  object = g_hash_table_lookup (self->made, item);
  if (object == NULL)
    {
      object = nt_booking_make_object (item);
      g_hash_table_insert (self->made, item, object);
    }
  return object;
}

/* Forgets the objects made for items, but those of the selection and the
 * drag (whose pointers the page may be holding on to). */
static void
forget_made (NtTimeline *self,
             gboolean    all)
{
  GHashTableIter iter;
  gpointer key;

  if (all)
    {
      g_hash_table_remove_all (self->made);
      return;
    }
  g_hash_table_iter_init (&iter, self->made);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (key != self->selected && key != self->drag_item)
      g_hash_table_iter_remove (&iter);
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

GPtrArray *
nt_timeline_collect (NtTimeline *self,
                     Row        *row,
                     gint64      start,
                     gint64      end)
{
  g_ptr_array_set_size (self->scratch, 0);
  nt_interval_index_foreach_in (row->index, start, end, collect_cb, self->scratch);
  return self->scratch;
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */

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

  nt_timeline_update_metrics (self);
  nt_timeline_layout_rows (self);
  reindex_all (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

guint
nt_timeline_get_n_rows (NtTimeline *self)
{
  g_return_val_if_fail (NT_IS_TIMELINE (self), 0);
  return self->rows->len;
}

/* @row of @self; a row of zeros (the plan's kind, no label, no station)
 * when either is not valid. */
static const Row *
checked_row (NtTimeline *self,
             guint       row)
{
  static const Row none = { 0 };

  g_return_val_if_fail (NT_IS_TIMELINE (self), &none);
  g_return_val_if_fail (row < self->rows->len, &none);
  return nt_timeline_row (self, row);
}

NtTimelineRowKind
nt_timeline_get_row_kind (NtTimeline *self,
                          guint       row)
{
  return checked_row (self, row)->kind;
}

const char *
nt_timeline_get_row_label (NtTimeline *self,
                           guint       row)
{
  return checked_row (self, row)->label;
}

const char *
nt_timeline_get_row_station (NtTimeline *self,
                             guint       row)
{
  return checked_row (self, row)->station;
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

/* Puts @store in place of the items of @type, keeping the selection by id. */
static void
take_store (NtTimeline     *self,
            GType           type,
            NtBookingStore *store)
{
  NtBookingStore **slot = type == NT_TYPE_RUN_PERIOD ? &self->periods : &self->allocations;
  gint64 selected_id = 0;

  if (self->selected != NULL && nt_booking_store_lookup (*slot, self->selected->id) == self->selected)
    selected_id = self->selected->id;
  if (self->selected != NULL && selected_id != 0)
    self->selected = NULL;
  self->drag_item = NULL;

  /* Every made object, label width and index entry may point into the old store. */
  forget_made (self, TRUE);
  g_hash_table_remove_all (self->labels);
  for (guint i = 0; i < self->rows->len; i++)
    nt_interval_index_clear (nt_timeline_row (self, i)->index);

  g_clear_pointer (slot, nt_booking_store_unref);
  *slot = store;
  reindex_all (self);

  if (selected_id != 0)
    self->selected = nt_booking_store_lookup (*slot, selected_id);
}

static NtBookingStore *
store_of_objects (GPtrArray *objects)
{
  NtBookingStore *store = nt_booking_store_new ();

  for (guint i = 0; objects != NULL && i < objects->len; i++)
    nt_booking_store_put_object (store, g_ptr_array_index (objects, i));
  return store;
}

void
nt_timeline_set_periods (NtTimeline *self,
                         GPtrArray  *periods)
{
  g_return_if_fail (NT_IS_TIMELINE (self));
  take_store (self, NT_TYPE_RUN_PERIOD, store_of_objects (periods));
}

/* Copies what each allocation says into the timeline's own records: the
 * objects themselves are not kept. */
void
nt_timeline_set_allocations (NtTimeline *self,
                             GPtrArray  *allocations)
{
  g_return_if_fail (NT_IS_TIMELINE (self));
  take_store (self, NT_TYPE_ALLOCATION, store_of_objects (allocations));
}

/**
 * nt_timeline_set_allocation_store:
 * @store: (transfer full): the allocations, as the scheduling client reads
 *   them (nt_schedule_client_list_allocation_store_finish())
 *
 * Shows the bookings of @store, which the timeline owns from now on: its
 * records are the timeline's items.
 */
void
nt_timeline_set_allocation_store (NtTimeline     *self,
                                  NtBookingStore *store)
{
  g_return_if_fail (NT_IS_TIMELINE (self));
  g_return_if_fail (store != NULL);
  take_store (self, NT_TYPE_ALLOCATION, store);
}

/**
 * nt_timeline_get_allocation_store:
 *
 * Returns: (transfer none): the allocations shown, as records (read only)
 */
NtBookingStore *
nt_timeline_get_allocation_store (NtTimeline *self)
{
  g_return_val_if_fail (NT_IS_TIMELINE (self), NULL);
  return self->allocations;
}

void
nt_timeline_set_members (NtTimeline *self,
                         GPtrArray  *members)
{
  g_return_if_fail (NT_IS_TIMELINE (self));

  /* The label widths are kept by the names' addresses. */
  g_hash_table_remove_all (self->labels);
  g_hash_table_remove_all (self->members);
  for (guint i = 0; members != NULL && i < members->len; i++)
    {
      NtMember *m = g_ptr_array_index (members, i);

      g_hash_table_replace (self->members, g_memdup2 (&(gint64){ nt_member_get_id (m) }, sizeof (gint64)),
                            g_strdup (nt_member_get_name (m)));
    }
  nt_timeline_invalidate (self);
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

/* Past this many made objects, an edit forgets those of items neither
 * selected nor dragged. */
#define MAX_MADE 256

/* The object handed in is the one nt_timeline_lookup() returns from now
 * on (until the item changes again). */
void
nt_timeline_upsert (NtTimeline *self,
                    gpointer    object)
{
  NtBookingStore *store;
  gint64 id;
  Item *item;

  g_return_if_fail (NT_IS_TIMELINE (self));
  g_return_if_fail (NT_IS_RUN_PERIOD (object) || NT_IS_ALLOCATION (object));

  store = store_for (self, G_OBJECT_TYPE (object));
  id = NT_IS_RUN_PERIOD (object) ? nt_run_period_get_id (object) : nt_allocation_get_id (object);
  if (id <= 0)
    return;

  /* The record keeps its place: the selection and a drag stay on it. */
  item = nt_booking_store_lookup (store, id);
  if (item != NULL)
    {
      if (item == self->drag_item)
        self->drag_item = NULL;
      unindex (self, item);
      g_hash_table_remove (self->made, item);
    }
  item = nt_booking_store_put_object (store, object);
  item->tag = row_for (self, item);
  index_item (self, item);
  if (g_hash_table_size (self->made) >= MAX_MADE)
    forget_made (self, FALSE);
  g_hash_table_insert (self->made, item, g_object_ref (object));

  if (item == self->selected && item->tag < self->rows->len)
    self->cursor_row = item->tag;
  nt_timeline_invalidate (self);
}

void
nt_timeline_remove (NtTimeline *self,
                    GType       type,
                    gint64      id)
{
  NtBookingStore *store;
  Item *item;

  g_return_if_fail (NT_IS_TIMELINE (self));

  store = store_for (self, type);
  item = nt_booking_store_lookup (store, id);
  if (item == NULL)
    return;

  if (item == self->selected)
    nt_timeline_select_item (self, NULL);
  if (item == self->drag_item)
    self->drag_item = NULL;
  unindex (self, item);
  g_hash_table_remove (self->made, item);
  nt_booking_store_remove (store, id);
  nt_timeline_invalidate (self);
}

/**
 * nt_timeline_lookup:
 *
 * The object is made from the item's record when first asked for, and
 * stays the same until the item changes or goes.
 *
 * Returns: (transfer none) (nullable): the item of that type and id
 */
gpointer
nt_timeline_lookup (NtTimeline *self,
                    GType       type,
                    gint64      id)
{
  g_return_val_if_fail (NT_IS_TIMELINE (self), NULL);

  return nt_timeline_item_object (self, nt_booking_store_lookup (store_for (self, type), id));
}

guint
nt_timeline_get_n_items (NtTimeline *self,
                         GType       type)
{
  g_return_val_if_fail (NT_IS_TIMELINE (self), 0);
  return nt_booking_store_get_size (store_for (self, type));
}

typedef struct
{
  NtTimeline *self;
  GPtrArray  *list;
} ListData;

static gboolean
list_cb (const NtBooking *booking,
         gpointer         user_data)
{
  ListData *d = user_data;
  gpointer made = g_hash_table_lookup (d->self->made, booking);

  g_ptr_array_add (d->list, made != NULL ? g_object_ref (made)
                                         : nt_booking_make_object (booking));
  return TRUE;
}

/* Objects made for the list are the caller's alone: the timeline keeps
 * none of them. */
GPtrArray *
nt_timeline_list (NtTimeline *self,
                  GType       type)
{
  ListData d = { self, g_ptr_array_new_with_free_func (g_object_unref) };

  g_return_val_if_fail (NT_IS_TIMELINE (self), d.list);

  nt_booking_store_foreach (store_for (self, type), list_cb, &d);
  return d.list;
}

static int
span_cmp (gconstpointer a,
          gconstpointer b)
{
  const NtPeriodSpan *x = a, *y = b;

  return x->start < y->start ? -1 : x->start > y->start;
}

static gboolean
span_cb (const NtBooking *booking,
         gpointer         user_data)
{
  NtPeriodSpan span = { booking->start, booking->end, (NtPeriodKind)booking->kind };

  g_array_append_val ((GArray *)user_data, span);
  return TRUE;
}

GArray *
nt_timeline_dup_plan_spans (NtTimeline *self)
{
  GArray *spans = g_array_new (FALSE, FALSE, sizeof (NtPeriodSpan));

  g_return_val_if_fail (NT_IS_TIMELINE (self), spans);

  nt_booking_store_foreach (self->periods, span_cb, spans);
  g_array_sort (spans, span_cmp);

  return spans;
}

typedef struct
{
  gint64  except;
  Item   *found;
} Overlap;

static gboolean
overlap_cb (gint64   start,
            gint64   end,
            gpointer data,
            gpointer user_data)
{
  Item *item = data;
  Overlap *o = user_data;

  if (item->id == o->except || item->status == NT_ALLOCATION_CANCELLED)
    return TRUE;
  o->found = item;
  return FALSE;
}

/* The record of an allocation of @station in the way of [start, end), or NULL. */
const NtBooking *
nt_timeline_find_overlap_booking (NtTimeline *self,
                                  const char *station,
                                  gint64      start,
                                  gint64      end,
                                  gint64      except_id)
{
  Overlap o = { except_id, NULL };
  int row;

  g_return_val_if_fail (NT_IS_TIMELINE (self), NULL);

  row = nt_timeline_find_row (self, station);
  if (row <= 0 || station == NULL)
    return NULL;
  nt_interval_index_foreach_in (nt_timeline_row (self, row)->index, start, end,
                                overlap_cb, &o);
  return o.found;
}

/**
 * nt_timeline_find_overlap:
 * @except: (nullable): an allocation to leave out (by id)
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
  const NtBooking *found;

  g_return_val_if_fail (NT_IS_TIMELINE (self), NULL);

  found = nt_timeline_find_overlap_booking (self, station, start, end,
                                            NT_IS_ALLOCATION (except) ? nt_allocation_get_id (except) : -1);
  return found != NULL ? nt_timeline_item_object (self, (Item *)found) : NULL;
}
