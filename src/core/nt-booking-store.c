/* nt-booking-store.c: a year of allocations (or run-plan periods) as compact records
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Records live in blocks of BLOCK that never move; a removed record goes
 * on a free list and is reused.  The id index is a GHashTable whose key
 * is the record itself (its first member is the id), so it costs one
 * pointer and one hash a booking.  Strings are interned in a GStringChunk:
 * stations, proposals and notes once per distinct value, etags (one of a
 * kind) without the lookup.
 */
#define G_LOG_DOMAIN "nt-booking-store"

#include "config.h"

#include <string.h>

#include "nt-booking-private.h"
#include "nt-booking-store.h"
#include "nt-model-json.h"

#define BLOCK 512

struct _NtBookingStore
{
  GPtrArray       *blocks;   /* NtBooking[BLOCK] */
  guint            n_used;   /* records handed out, free ones included */
  GPtrArray       *free;     /* NtBooking*, id 0 */
  GHashTable      *by_id;    /* NtBooking* (its &id) → itself */
  GStringChunk    *strings;
  gsize            string_bytes;
};

G_STATIC_ASSERT (G_STRUCT_OFFSET (NtBooking, id) == 0);

G_DEFINE_BOXED_TYPE (NtBookingStore, nt_booking_store, nt_booking_store_ref, nt_booking_store_unref)

static NtBooking *
record_new (NtBookingStore *self)
{
  NtBooking *b;

  if (self->free->len > 0)
    b = g_ptr_array_steal_index_fast (self->free, self->free->len - 1);
  else
    {
      if (self->n_used == self->blocks->len * BLOCK)
        g_ptr_array_add (self->blocks, g_new (NtBooking, BLOCK));
      b = (NtBooking *)g_ptr_array_index (self->blocks, self->n_used / BLOCK) + self->n_used % BLOCK;
      self->n_used++;
    }
  memset (b, 0, sizeof *b);
  return b;
}

static const char *
intern_unique (NtBookingStore *self,
               const char     *str)
{
  if (str == NULL)
    return NULL;
  self->string_bytes += strlen (str) + 1;
  return g_string_chunk_insert (self->strings, str);
}

/* Fills @b from an object with an id; FALSE for anything else. */
static gboolean
fill_from_object (NtBookingStore *self,
                  NtBooking      *b,
                  gpointer        object)
{
  if (NT_IS_ALLOCATION (object))
    {
      NtAllocation *a = object;

      b->id = nt_allocation_get_id (a);
      b->start = nt_allocation_get_start (a);
      b->end = nt_allocation_get_end (a);
      b->member = nt_allocation_get_member (a);
      b->revision = nt_allocation_get_revision (a);
      b->station = nt_booking_store_intern (self, nt_allocation_get_station (a));
      b->proposal = nt_booking_store_intern (self, nt_allocation_get_proposal (a));
      b->note = nt_booking_store_intern (self, nt_allocation_get_note (a));
      b->etag = intern_unique (self, nt_allocation_get_etag (a));
      b->slot = (guint8)nt_allocation_get_slot (a);
      b->status = (guint8)nt_allocation_get_status (a);
      return TRUE;
    }
  if (NT_IS_RUN_PERIOD (object))
    {
      NtRunPeriod *p = object;

      b->id = nt_run_period_get_id (p);
      b->start = nt_run_period_get_start (p);
      b->end = nt_run_period_get_end (p);
      b->revision = nt_run_period_get_revision (p);
      b->note = nt_booking_store_intern (self, nt_run_period_get_note (p));
      b->etag = intern_unique (self, nt_run_period_get_etag (p));
      b->slot = NT_BOOKING_PERIOD;
      b->kind = (guint8)nt_run_period_get_kind (p);
      b->status = NT_ALLOCATION_CONFIRMED;
      return TRUE;
    }
  return FALSE;
}

NtBookingStore *
nt_booking_store_new (void)
{
  NtBookingStore *self = g_atomic_rc_box_new0 (NtBookingStore);

  self->blocks = g_ptr_array_new_with_free_func (g_free);
  self->free = g_ptr_array_new ();
  self->by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  self->strings = g_string_chunk_new (4096);
  return self;
}

static void
booking_store_clear (NtBookingStore *self)
{
  g_hash_table_unref (self->by_id);
  g_ptr_array_unref (self->free);
  g_ptr_array_unref (self->blocks);
  g_string_chunk_free (self->strings);
}

NtBookingStore *
nt_booking_store_ref (NtBookingStore *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return g_atomic_rc_box_acquire (self);
}

void
nt_booking_store_unref (NtBookingStore *self)
{
  g_return_if_fail (self != NULL);
  g_atomic_rc_box_release_full (self, (GDestroyNotify) booking_store_clear);
}

guint
nt_booking_store_get_size (NtBookingStore *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return g_hash_table_size (self->by_id);
}

gsize
nt_booking_store_get_bytes (NtBookingStore *self)
{
  guint n = g_hash_table_size (self->by_id);
  gsize buckets = 8;

  g_return_val_if_fail (self != NULL, 0);
  while (buckets < n * 2)
    buckets *= 2;
  return self->blocks->len * BLOCK * sizeof (NtBooking) + self->free->len * sizeof (gpointer) +
         buckets * (sizeof (guint) + sizeof (gpointer)) + self->string_bytes;
}

/* Drops every booking and every string. */
void
nt_booking_store_clear (NtBookingStore *self)
{
  g_return_if_fail (self != NULL);

  g_hash_table_remove_all (self->by_id);
  g_ptr_array_set_size (self->free, 0);
  g_ptr_array_set_size (self->blocks, 0);
  self->n_used = 0;
  g_string_chunk_clear (self->strings);
  self->string_bytes = 0;
}

/**
 * nt_booking_store_intern:
 * @str: (nullable): a string
 *
 * Returns: (nullable): the store's copy of @str, the same one for equal strings
 */
const char *
nt_booking_store_intern (NtBookingStore *self,
                         const char     *str)
{
  const char *kept;

  g_return_val_if_fail (self != NULL, NULL);

  if (str == NULL)
    return NULL;
  kept = g_string_chunk_insert_const (self->strings, str);
  return kept;
}

/**
 * nt_booking_store_put_object:
 * @object: an NtAllocation or NtRunPeriod
 *
 * Returns: (transfer none) (nullable): its record in the store
 */
NtBooking *
nt_booking_store_put_object (NtBookingStore *self,
                             gpointer        object)
{
  NtBooking tmp = { 0 }, *b;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (NT_IS_ALLOCATION (object) || NT_IS_RUN_PERIOD (object), NULL);

  if (!fill_from_object (self, &tmp, object) || tmp.id <= 0)
    return NULL;

  b = g_hash_table_lookup (self->by_id, &tmp.id);
  if (b == NULL)
    {
      b = record_new (self);
      *b = tmp;
      g_hash_table_add (self->by_id, b);
    }
  else
    {
      guint32 tag = b->tag;

      /* The key is the record itself: same id, same place. */
      *b = tmp;
      b->tag = tag;
    }
  return b;
}

/**
 * nt_booking_store_put_json:
 * @type: %NT_TYPE_ALLOCATION or %NT_TYPE_RUN_PERIOD
 *
 * Returns: (transfer none) (nullable): the record, or %NULL with @error
 *   set in %NT_MODEL_ERROR
 */
NtBooking *
nt_booking_store_put_json (NtBookingStore  *self,
                           GType            type,
                           JsonNode        *node,
                           GError         **error)
{
  g_autoptr(GObject) object = NULL;
  const char *etag;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (type == NT_TYPE_ALLOCATION || type == NT_TYPE_RUN_PERIOD, NULL);

  if (type == NT_TYPE_ALLOCATION)
    object = G_OBJECT (nt_allocation_new_from_json (node, error));
  else
    object = G_OBJECT (nt_run_period_new_from_json (node, error));
  if (object == NULL)
    return NULL;

  etag = type == NT_TYPE_ALLOCATION ? nt_allocation_get_etag (NT_ALLOCATION (object))
                                    : nt_run_period_get_etag (NT_RUN_PERIOD (object));
  if (etag == NULL)
    {
      g_set_error (error, NT_MODEL_ERROR, NT_MODEL_ERROR_INVALID, "%s: “etag” is missing",
                   type == NT_TYPE_ALLOCATION ? "allocation" : "period");
      return NULL;
    }
  if ((type == NT_TYPE_ALLOCATION ? nt_allocation_get_id (NT_ALLOCATION (object))
                                  : nt_run_period_get_id (NT_RUN_PERIOD (object))) <= 0)
    {
      g_set_error (error, NT_MODEL_ERROR, NT_MODEL_ERROR_INVALID, "%s: “id” is missing",
                   type == NT_TYPE_ALLOCATION ? "allocation" : "period");
      return NULL;
    }

  return nt_booking_store_put_object (self, object);
}

gboolean
nt_booking_store_remove (NtBookingStore *self,
                         gint64          id)
{
  NtBooking *b;

  g_return_val_if_fail (self != NULL, FALSE);

  b = g_hash_table_lookup (self->by_id, &id);
  if (b == NULL)
    return FALSE;
  g_hash_table_remove (self->by_id, b);
  b->id = 0;
  g_ptr_array_add (self->free, b);
  return TRUE;
}

/**
 * nt_booking_store_lookup:
 *
 * Returns: (transfer none) (nullable): the booking with that id
 */
NtBooking *
nt_booking_store_lookup (NtBookingStore *self,
                         gint64          id)
{
  g_return_val_if_fail (self != NULL, NULL);
  return g_hash_table_lookup (self->by_id, &id);
}

gboolean
nt_booking_store_foreach (NtBookingStore *self,
                          NtBookingFunc   func,
                          gpointer        user_data)
{
  g_return_val_if_fail (self != NULL, FALSE);

  for (guint i = 0; i < self->n_used; i++)
    {
      const NtBooking *b = (NtBooking *)g_ptr_array_index (self->blocks, i / BLOCK) + i % BLOCK;

      if (b->id != 0 && !func (b, user_data))
        return FALSE;
    }
  return TRUE;
}

/**
 * nt_booking_make_object:
 *
 * Returns: (transfer full): an NtAllocation, or an NtRunPeriod for a period
 */
gpointer
nt_booking_make_object (const NtBooking *b)
{
  g_return_val_if_fail (b != NULL, NULL);

  if (NT_BOOKING_IS_PERIOD (b))
    return nt_run_period_new_stored (b->id, b->etag, b->revision, (NtPeriodKind)b->kind,
                                     b->start, b->end, b->note);
  return nt_allocation_new_stored (b->id, b->etag, b->revision, b->station, b->start, b->end,
                                   (NtSlot)b->slot, b->proposal, b->member,
                                   (NtAllocationStatus)b->status, b->note);
}

gboolean
nt_booking_equal_object (const NtBooking *b,
                         gpointer         object)
{
  g_return_val_if_fail (b != NULL, FALSE);

  if (NT_IS_RUN_PERIOD (object))
    {
      NtRunPeriod *p = object;

      return NT_BOOKING_IS_PERIOD (b) && b->id == nt_run_period_get_id (p) &&
             b->start == nt_run_period_get_start (p) && b->end == nt_run_period_get_end (p) &&
             b->kind == nt_run_period_get_kind (p) && b->revision == nt_run_period_get_revision (p) &&
             g_strcmp0 (b->note, nt_run_period_get_note (p)) == 0 &&
             g_strcmp0 (b->etag, nt_run_period_get_etag (p)) == 0;
    }
  if (NT_IS_ALLOCATION (object))
    {
      NtAllocation *a = object;

      return !NT_BOOKING_IS_PERIOD (b) && b->id == nt_allocation_get_id (a) &&
             b->start == nt_allocation_get_start (a) && b->end == nt_allocation_get_end (a) &&
             b->slot == nt_allocation_get_slot (a) && b->status == nt_allocation_get_status (a) &&
             b->member == nt_allocation_get_member (a) &&
             b->revision == nt_allocation_get_revision (a) &&
             g_strcmp0 (b->station, nt_allocation_get_station (a)) == 0 &&
             g_strcmp0 (b->proposal, nt_allocation_get_proposal (a)) == 0 &&
             g_strcmp0 (b->note, nt_allocation_get_note (a)) == 0 &&
             g_strcmp0 (b->etag, nt_allocation_get_etag (a)) == 0;
    }
  return FALSE;
}
