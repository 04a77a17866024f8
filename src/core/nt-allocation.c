/* nt-allocation.c: one booking of a station
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-allocation"

#include "config.h"

#include "nt-allocation.h"
#include "nt-booking-private.h"
#include "nt-model-json.h"
#include "nt-nicks-private.h"
#include "nt-record-private.h"

struct _NtAllocation
{
  GObject             parent_instance;

  NtRecordMeta        meta;
  char               *station;   /* station id: "BL07U", "BL08W-SAXS" */
  gint64              start;     /* Unix seconds, UTC */
  gint64              end;       /* Unix seconds, UTC, exclusive */
  NtSlot              slot;
  char               *proposal;  /* nullable: public slots */
  gint64              member;    /* 0 = none: coalition slots name one */
  NtAllocationStatus  status;
  char               *note;
};

G_DEFINE_FINAL_TYPE (NtAllocation, nt_allocation, G_TYPE_OBJECT)

static const char * const slot_nicks[NT_N_SLOTS] = {
  [NT_SLOT_PUBLIC] = "public",
  [NT_SLOT_COALITION] = "coalition",
  [NT_SLOT_STAFF] = "staff",
  [NT_SLOT_COMMISSIONING] = "commissioning",
};

static const char * const status_nicks[NT_N_ALLOCATION_STATUSES] = {
  [NT_ALLOCATION_DRAFT] = "draft",
  [NT_ALLOCATION_CONFIRMED] = "confirmed",
  [NT_ALLOCATION_CANCELLED] = "cancelled",
};

enum {
  F_STATION,
  F_START,
  F_END,
  F_SLOT,
  F_PROPOSAL,
  F_MEMBER,
  F_STATUS,
  F_NOTE,
  N_FIELDS
};

#define FIELD(m) .member = #m, .offset = G_STRUCT_OFFSET (NtAllocation, m)

/* The wire format's members in order; the properties are named after them. */
static const NtField fields[N_FIELDS] = {
  [F_STATION] = { FIELD (station), .kind = NT_FIELD_STRING },
  [F_START] = { FIELD (start), .kind = NT_FIELD_INSTANT, .flags = NT_FIELD_SPAN_START },
  [F_END] = { FIELD (end), .kind = NT_FIELD_INSTANT, .flags = NT_FIELD_SPAN_END },
  [F_SLOT] = { FIELD (slot), .kind = NT_FIELD_ENUM, .nicks = slot_nicks, .n_nicks = NT_N_SLOTS,
               .enum_type = nt_slot_get_type },
  [F_PROPOSAL] = { FIELD (proposal), .kind = NT_FIELD_STRING,
                   .flags = NT_FIELD_NULLABLE | NT_FIELD_EMPTY_IS_NULL },
  [F_MEMBER] = { FIELD (member), .kind = NT_FIELD_INT64, .flags = NT_FIELD_NULLABLE,
                 .min = 1, .max = G_MAXINT64 },
  [F_STATUS] = { FIELD (status), .kind = NT_FIELD_ENUM, .nicks = status_nicks,
                 .n_nicks = NT_N_ALLOCATION_STATUSES, .enum_type = nt_allocation_status_get_type },
  [F_NOTE] = { FIELD (note), .kind = NT_FIELD_STRING,
               .flags = NT_FIELD_OPTIONAL | NT_FIELD_NULLABLE | NT_FIELD_ALLOW_EMPTY |
                        NT_FIELD_DEFAULT_EMPTY | NT_FIELD_NULL_IS_EMPTY },
};

static GParamSpec *properties[NT_RECORD_N_PSPECS (N_FIELDS)];

static const NtRecordInfo record = {
  .what = "allocation",
  .meta_offset = G_STRUCT_OFFSET (NtAllocation, meta),
  .fields = fields,
  .n_fields = N_FIELDS,
  .pspecs = properties,
};

GType
nt_slot_get_type (void)
{
  static gsize type_id = 0;

  return nt_nick_enum_type (&type_id, "NtSlot", "NT_SLOT_", slot_nicks, NT_N_SLOTS);
}

GType
nt_allocation_status_get_type (void)
{
  static gsize type_id = 0;

  return nt_nick_enum_type (&type_id, "NtAllocationStatus", "NT_ALLOCATION_",
                            status_nicks, NT_N_ALLOCATION_STATUSES);
}

const char *
nt_slot_to_string (NtSlot slot)
{
  g_return_val_if_fail ((int)slot >= 0 && slot < NT_N_SLOTS, NULL);
  return slot_nicks[slot];
}

/**
 * nt_slot_from_string:
 * @str: (nullable): a wire name
 *
 * Returns: %TRUE and sets @slot when @str is a slot's wire name
 */
gboolean
nt_slot_from_string (const char *str,
                     NtSlot     *slot)
{
  int v;

  if (!nt_nick_lookup (slot_nicks, NT_N_SLOTS, str, &v))
    return FALSE;
  *slot = v;
  return TRUE;
}

const char *
nt_allocation_status_to_string (NtAllocationStatus status)
{
  g_return_val_if_fail ((int)status >= 0 && status < NT_N_ALLOCATION_STATUSES, NULL);
  return status_nicks[status];
}

gboolean
nt_allocation_status_from_string (const char         *str,
                                  NtAllocationStatus *status)
{
  int v;

  if (!nt_nick_lookup (status_nicks, NT_N_ALLOCATION_STATUSES, str, &v))
    return FALSE;
  *status = v;
  return TRUE;
}

static void
nt_allocation_class_init (NtAllocationClass *klass)
{
  nt_record_class_init (G_OBJECT_CLASS (klass), &record);
}

static void
nt_allocation_init (NtAllocation *self)
{
  nt_record_init (self, &record);
}

/**
 * nt_allocation_new:
 *
 * An allocation not yet stored: id 0, no etag, status draft, no proposal
 * or member.
 */
NtAllocation *
nt_allocation_new (const char *station,
                   gint64      start,
                   gint64      end,
                   NtSlot      slot)
{
  NtAllocation *self = g_object_new (NT_TYPE_ALLOCATION, NULL);

  self->station = g_strdup (station);
  self->start = start;
  self->end = end;
  self->slot = slot;

  return self;
}

/* A stored allocation made from a booking record (nt-booking-store.c). */
NtAllocation *
nt_allocation_new_stored (gint64              id,
                          const char         *etag,
                          gint64              revision,
                          const char         *station,
                          gint64              start,
                          gint64              end,
                          NtSlot              slot,
                          const char         *proposal,
                          gint64              member,
                          NtAllocationStatus  status,
                          const char         *note)
{
  NtAllocation *self = nt_allocation_new (station, start, end, slot);

  self->meta.id = id;
  self->meta.etag = g_strdup (etag);
  self->meta.revision = revision;
  self->proposal = g_strdup (proposal);
  self->member = member;
  self->status = status;
  g_free (self->note);
  self->note = g_strdup (note != NULL ? note : "");

  return self;
}

/**
 * nt_allocation_new_from_json:
 * @node: a JSON object in the wire format of HACKING.md
 *
 * "id", "etag", "revision" and "note" may be absent (an allocation not
 * yet stored); "proposal" is a string or null, "member" an integer id or
 * null; "end" must be after "start".
 *
 * Returns: (transfer full): the allocation, or %NULL with @error set in
 *   %NT_MODEL_ERROR, naming the member at fault
 */
NtAllocation *
nt_allocation_new_from_json (JsonNode  *node,
                             GError   **error)
{
  return nt_record_new_from_json (NT_TYPE_ALLOCATION, &record, node, error);
}

/**
 * nt_allocation_to_json:
 *
 * Returns: (transfer full): the allocation in the wire format; "id",
 *   "etag" and "revision" only when it has them
 */
JsonNode *
nt_allocation_to_json (NtAllocation *self)
{
  g_return_val_if_fail (NT_IS_ALLOCATION (self), NULL);
  return nt_record_to_json (self, &record);
}

/**
 * nt_allocation_copy:
 *
 * Returns: (transfer full): a new allocation with the same values, etag
 *   and revision, for an editor to change
 */
NtAllocation *
nt_allocation_copy (NtAllocation *self)
{
  g_return_val_if_fail (NT_IS_ALLOCATION (self), NULL);
  return nt_record_copy (self, &record);
}

gint64
nt_allocation_get_id (NtAllocation *self)
{
  g_return_val_if_fail (NT_IS_ALLOCATION (self), 0);
  return self->meta.id;
}

const char *
nt_allocation_get_station (NtAllocation *self)
{
  g_return_val_if_fail (NT_IS_ALLOCATION (self), NULL);
  return self->station;
}

void
nt_allocation_set_station (NtAllocation *self,
                           const char   *station)
{
  g_return_if_fail (NT_IS_ALLOCATION (self));
  nt_record_set_string (self, &record, F_STATION, station);
}

gint64
nt_allocation_get_start (NtAllocation *self)
{
  g_return_val_if_fail (NT_IS_ALLOCATION (self), 0);
  return self->start;
}

void
nt_allocation_set_start (NtAllocation *self,
                         gint64        start)
{
  g_return_if_fail (NT_IS_ALLOCATION (self));
  nt_record_set_int (self, &record, F_START, start);
}

gint64
nt_allocation_get_end (NtAllocation *self)
{
  g_return_val_if_fail (NT_IS_ALLOCATION (self), 0);
  return self->end;
}

void
nt_allocation_set_end (NtAllocation *self,
                       gint64        end)
{
  g_return_if_fail (NT_IS_ALLOCATION (self));
  nt_record_set_int (self, &record, F_END, end);
}

NtSlot
nt_allocation_get_slot (NtAllocation *self)
{
  g_return_val_if_fail (NT_IS_ALLOCATION (self), NT_SLOT_PUBLIC);
  return self->slot;
}

void
nt_allocation_set_slot (NtAllocation *self,
                        NtSlot        slot)
{
  g_return_if_fail (NT_IS_ALLOCATION (self));
  nt_record_set_int (self, &record, F_SLOT, slot);
}

/**
 * nt_allocation_get_proposal:
 *
 * Returns: (nullable): the public proposal's id ("2026A0012"), or %NULL
 */
const char *
nt_allocation_get_proposal (NtAllocation *self)
{
  g_return_val_if_fail (NT_IS_ALLOCATION (self), NULL);
  return self->proposal;
}

void
nt_allocation_set_proposal (NtAllocation *self,
                            const char   *proposal)
{
  g_return_if_fail (NT_IS_ALLOCATION (self));
  nt_record_set_string (self, &record, F_PROPOSAL, proposal);
}

/**
 * nt_allocation_get_member:
 *
 * Returns: the coalition member's id, or 0 for none
 */
gint64
nt_allocation_get_member (NtAllocation *self)
{
  g_return_val_if_fail (NT_IS_ALLOCATION (self), 0);
  return self->member;
}

void
nt_allocation_set_member (NtAllocation *self,
                          gint64        member)
{
  g_return_if_fail (NT_IS_ALLOCATION (self));
  nt_record_set_int (self, &record, F_MEMBER, member);
}

NtAllocationStatus
nt_allocation_get_status (NtAllocation *self)
{
  g_return_val_if_fail (NT_IS_ALLOCATION (self), NT_ALLOCATION_DRAFT);
  return self->status;
}

void
nt_allocation_set_status (NtAllocation       *self,
                          NtAllocationStatus  status)
{
  g_return_if_fail (NT_IS_ALLOCATION (self));
  nt_record_set_int (self, &record, F_STATUS, status);
}

const char *
nt_allocation_get_note (NtAllocation *self)
{
  g_return_val_if_fail (NT_IS_ALLOCATION (self), NULL);
  return self->note;
}

void
nt_allocation_set_note (NtAllocation *self,
                        const char   *note)
{
  g_return_if_fail (NT_IS_ALLOCATION (self));
  nt_record_set_string (self, &record, F_NOTE, note);
}

/**
 * nt_allocation_get_etag:
 *
 * Returns: (nullable): the entity tag (quoted, as in the ETag header) of
 *   the version this object was read at, or %NULL if never stored
 */
const char *
nt_allocation_get_etag (NtAllocation *self)
{
  g_return_val_if_fail (NT_IS_ALLOCATION (self), NULL);
  return self->meta.etag;
}

gint64
nt_allocation_get_revision (NtAllocation *self)
{
  g_return_val_if_fail (NT_IS_ALLOCATION (self), 0);
  return self->meta.revision;
}
