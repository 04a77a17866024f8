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
nt_timeline_item_free (gpointer data)
{
  Item *item = data;

  g_clear_object (&item->object);
  g_free (item->label);
  g_free (item);
}

void
nt_timeline_row_clear (gpointer data)
{
  Row *row = data;

  g_free (row->station);
  g_free (row->label);
  g_clear_pointer (&row->index, nt_interval_index_free);
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
      return g_strdup (nt_timeline_slot_label (nt_allocation_get_slot (alloc)));
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
      item->label = g_strdup (nt_timeline_period_kind_label (nt_run_period_get_kind (period)));
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
    nt_interval_index_remove (nt_timeline_row (self, item->row)->index, item);
}

static void
index_item (NtTimeline *self,
            Item       *item)
{
  if (item->row < self->rows->len)
    nt_interval_index_add (nt_timeline_row (self, item->row)->index,
                           item->start, item->end, item);
}

static void
reindex_all (NtTimeline *self)
{
  GHashTableIter iter;
  gpointer value;

  for (guint i = 0; i < self->rows->len; i++)
    nt_interval_index_clear (nt_timeline_row (self, i)->index);

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
  return item->slot < 0 || (self->slot_mask & (1u << item->slot)) != 0;
}

Item *
nt_timeline_item_of (NtTimeline *self,
                     gpointer    object)
{
  gint64 id = NT_IS_RUN_PERIOD (object) ? nt_run_period_get_id (object)
                                         : nt_allocation_get_id (object);

  return g_hash_table_lookup (table_for (self, G_OBJECT_TYPE (object)), &id);
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
  nt_timeline_invalidate (self);
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
    nt_timeline_select_item (self, NULL);
  if (item == self->drag_item)
    self->drag_item = NULL;
  unindex (self, item);
  g_hash_table_remove (table, &id);
  nt_timeline_invalidate (self);
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
  nt_interval_index_foreach_in (nt_timeline_row (self, row)->index, start, end,
                                overlap_cb, &o);
  return o.found;
}
