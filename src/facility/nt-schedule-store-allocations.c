/* nt-schedule-store-allocations.c: allocations in the scheduling store:
 * their columns, their rules, their list and its cache of serialized rows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An allocation books a station for a slot (public for a proposal,
 * coalition for a member, staff, commissioning) on the grid of its slot,
 * inside the time the run plan opens to it, without overlapping another
 * one on the station, within the proposal's approved shifts or the
 * member's quota.
 */
#define G_LOG_DOMAIN "nt-schedule-store"

#include "config.h"

#include <string.h>

#include "nt-alloc-rules.h"
#include "nt-schedule-store-private.h"

NT_ENUM_CODEC (slot_codec, NtSlot, nt_slot, "must be one of public, coalition, staff, commissioning");
NT_ENUM_CODEC (status_codec, NtAllocationStatus, nt_allocation_status, "must be one of draft, confirmed, cancelled");

/* A new allocation, a zeroed row, starts as a draft */
G_STATIC_ASSERT (NT_ALLOCATION_DRAFT == 0);

#define COLUMN(name, type, flags, field, max_len, codec) \
  { name, NT_COLUMN_##type, flags, G_STRUCT_OFFSET (NtAllocRow, field), max_len, codec }

static const NtColumn columns[] = {
  COLUMN ("id",       ID,       0,                  id,       0,    NULL),
  COLUMN ("station",  STATION,  NT_COLUMN_REQUIRED, station,  64,   NULL),
  COLUMN ("start",    INSTANT,  NT_COLUMN_REQUIRED, start,    0,    NULL),
  COLUMN ("end",      INSTANT,  NT_COLUMN_REQUIRED, end,      0,    NULL),
  COLUMN ("slot",     ENUM,     NT_COLUMN_REQUIRED, slot,     0,    &slot_codec),
  COLUMN ("proposal", TEXT,     NT_COLUMN_NULLABLE, proposal, 64,   NULL),
  COLUMN ("member",   INT,      NT_COLUMN_NULLABLE, member,   0,    NULL),
  COLUMN ("status",   ENUM,     0,                  status,   0,    &status_codec),
  COLUMN ("note",     TEXT,     0,                  note,     4000, NULL),
  COLUMN ("revision", REVISION, 0,                  revision, 0,    NULL),
  COLUMN ("sequence", SEQUENCE, 0,                  sequence, 0,    NULL),
  COLUMN ("updated",  UPDATED,  0,                  updated,  0,    NULL),
};

#undef COLUMN

void
nt_cached_text_free (gpointer data)
{
  NtCachedText *c = data;

  g_free (c->text);
  g_free (c);
}

static gboolean
validate (NtRowChange *c)
{
  const NtAllocRow *a = c->row;

  if (json_object_has_member (c->body, "member") && a->member < 0)
    return nt_schedule_invalid (c->fault, "member", "must be a member id");
  return TRUE;
}

/* Who the time is for */
static gboolean
check_holder (const NtAllocRow  *a,
              NtScheduleFault  **fault)
{
  switch (a->slot)
    {
    case NT_SLOT_PUBLIC:
      if (a->proposal == NULL)
        return nt_schedule_invalid (fault, "proposal", "is required for a public slot");
      if (a->member != 0)
        return nt_schedule_invalid (fault, "member", "must be null for a public slot");
      break;
    case NT_SLOT_COALITION:
      if (a->member == 0)
        return nt_schedule_invalid (fault, "member", "is required for a coalition slot");
      if (a->proposal != NULL)
        return nt_schedule_invalid (fault, "proposal", "must be null for a coalition slot");
      break;
    case NT_SLOT_STAFF:
    case NT_SLOT_COMMISSIONING:
    default:
      if (a->proposal != NULL)
        return nt_schedule_invalid (fault, "proposal", "must be null for staff and commissioning slots");
      if (a->member != 0)
        return nt_schedule_invalid (fault, "member", "must be null for staff and commissioning slots");
      break;
    }
  return TRUE;
}

static gboolean
check_overlap (NtScheduleStore   *self,
               const NtAllocRow  *a,
               NtScheduleFault  **fault)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *s;

  s = nt_schedule_store_stmt (self, "SELECT id FROM allocations WHERE station = ? AND status != 'cancelled' "
                                    "AND start < ? AND \"end\" > ? AND id != ? ORDER BY start");
  nt_schedule_bind_text (s, 1, a->station);
  sqlite3_bind_int64 (s, 2, a->end);
  sqlite3_bind_int64 (s, 3, a->start);
  sqlite3_bind_int64 (s, 4, a->id);
  while (sqlite3_step (s) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (s, 0);
      g_array_append_val (ids, id);
    }
  sqlite3_reset (s);
  if (ids->len == 0)
    return TRUE;
  FAULT (fault, 409, nt_rule_error_to_code (NT_RULE_ERROR_OVERLAP), nt_schedule_ids_details ("allocations", ids),
         "The station %s is already booked at that time", a->station);
  return FALSE;
}

static gboolean
check_proposal_shifts (NtScheduleStore   *self,
                       const NtAllocRow  *a,
                       NtScheduleFault  **fault)
{
  g_autoptr(GError) error = NULL;
  g_auto(NtProposalRow) p = { 0 };
  gint64 shift_s = (gint64) self->shift_grid.length_minutes * 60;
  gint64 other;

  if (!nt_schedule_row_load (self, &nt_schedule_proposals, 0, a->proposal, &p))
    return nt_schedule_invalid (fault, "proposal", "names no proposal");
  other = nt_schedule_proposal_other_seconds (self, a->proposal, a->id) / shift_s;
  if (!nt_rules_check_proposal_shifts (p.id, other, (a->end - a->start) / shift_s,
                                       p.shifts_approved, &error))
    {
      JsonObject *d = json_object_new ();

      json_object_set_string_member (d, "proposal", p.id);
      json_object_set_int_member (d, "shifts_approved", p.shifts_approved);
      json_object_set_int_member (d, "shifts_allocated", other);
      json_object_set_int_member (d, "shifts_requested_here", (a->end - a->start) / shift_s);
      return nt_schedule_rule_fault (fault, error, nt_schedule_take_object (d));
    }
  return TRUE;
}

static gboolean
check_member_contract (NtScheduleStore   *self,
                       const NtAllocRow  *a,
                       const char        *override_reason,
                       NtScheduleFault  **fault)
{
  g_auto(NtMemberRow) m = { 0 };

  if (!nt_schedule_row_load (self, &nt_schedule_members, a->member, NULL, &m))
    return nt_schedule_invalid (fault, "member", "names no coalition member");
  return nt_schedule_check_member_booking (self, &m, a->start, a->end, a->id, a, override_reason, fault);
}

static gboolean
check_alloc (NtScheduleStore   *self,
             const NtAllocRow  *a,
             const char        *override_reason,
             NtScheduleFault  **fault)
{
  g_autoptr(GError) error = NULL;
  NtStation *station;
  NtBeamline *beamline;

  station = nt_catalogue_lookup_station (self->catalogue, a->station);
  if (station == NULL)
    return nt_schedule_invalid (fault, "station", "names no station of the catalogue");
  beamline = nt_catalogue_lookup_beamline (self->catalogue, nt_station_get_beamline_id (station));

  if (a->end <= a->start)
    return nt_schedule_invalid (fault, "end", "must be after “start”");
  if (a->note != NULL && strlen (a->note) > 4000)
    return nt_schedule_invalid (fault, "note", "is too long");
  if (!check_holder (a, fault))
    return FALSE;

  if (!nt_rules_check_station_slot (a->slot, nt_beamline_get_program (beamline),
                                    nt_station_get_kind (station), &error))
    return nt_schedule_rule_fault (fault, error, nt_schedule_field_details ("station"));

  if (!nt_rules_check_grid (a->slot, a->start, a->end, &self->shift_grid, &self->hour_grid, &error))
    {
      g_autofree char *grid = nt_time_grid_to_string (a->slot == NT_SLOT_PUBLIC ?
                                                      &self->shift_grid : &self->hour_grid);
      JsonObject *d = json_object_new ();

      json_object_set_string_member (d, "grid", grid);
      return nt_schedule_rule_fault (fault, error, nt_schedule_take_object (d));
    }

  /* A cancelled allocation holds no time: the rest does not apply. */
  if (a->status == NT_ALLOCATION_CANCELLED)
    return TRUE;

  if (!check_overlap (self, a, fault))
    return FALSE;
  if (!nt_rules_check_in_operation (self->plan, a->slot, a->start, a->end, &error))
    return nt_schedule_rule_fault (fault, error, NULL);

  if (a->slot == NT_SLOT_PUBLIC)
    return check_proposal_shifts (self, a, fault);
  if (a->slot == NT_SLOT_COALITION)
    return check_member_contract (self, a, override_reason, fault);
  return TRUE;
}

static gboolean
check (NtRowChange *c)
{
  return nt_schedule_body_override (c->body, c->actor, &c->reason, c->fault) &&
         check_alloc (c->self, c->row, c->reason, c->fault);
}

/* The cached text of a deleted allocation goes with it */
static gboolean
check_delete (NtRowChange *c)
{
  const NtAllocRow *a = c->old;

  g_hash_table_remove (c->self->alloc_text, &a->id);
  return TRUE;
}

static gboolean
check_query (NtScheduleStore        *self,
             const NtScheduleQuery  *query,
             NtScheduleFault       **fault)
{
  NtSlot slot;

  if (query->slot != NULL && !nt_slot_from_string (query->slot, &slot))
    return nt_schedule_invalid (fault, "slot", slot_codec.choices);
  if (query->station != NULL && nt_catalogue_lookup_station (self->catalogue, query->station) == NULL)
    return nt_schedule_invalid (fault, "station", "names no station of the catalogue");
  if (query->beamline != NULL && nt_catalogue_lookup_beamline (self->catalogue, query->beamline) == NULL)
    return nt_schedule_invalid (fault, "beamline", "names no beamline of the catalogue");
  return TRUE;
}

static sqlite3_stmt *
list_stmt (NtScheduleStore        *self,
           const NtScheduleQuery  *query,
           NtScheduleFault       **fault)
{
  sqlite3_stmt *s;

  if (!check_query (self, query, fault))
    return NULL;
  if (query->station != NULL)
    s = nt_schedule_row_select (self, &nt_schedule_allocations,
                                "INDEXED BY allocations_station "
                                "WHERE station = ?3 AND \"end\" > ?1 AND start < ?2 AND (?4 IS NULL OR slot = ?4) "
                                "ORDER BY start, id");
  else
    s = nt_schedule_row_select (self, &nt_schedule_allocations,
                                "WHERE \"end\" > ?1 AND start < ?2 "
                                "AND (?4 IS NULL OR slot = ?4) "
                                "AND (?5 IS NULL OR station = ?5 OR station LIKE ?5 || '-%') "
                                "ORDER BY start, id");
  nt_schedule_bind_span (s, query);
  if (query->station != NULL)
    nt_schedule_bind_text (s, 3, query->station);
  nt_schedule_bind_text (s, 4, query->slot);
  if (query->station == NULL)
    nt_schedule_bind_text (s, 5, query->beamline);
  return s;
}

const NtRowTable nt_schedule_allocations = {
  .resource = NT_RESOURCE_ALLOCATION,
  .table = "allocations",
  NT_ROW_COLUMNS (NtAllocRow, columns),
  .validate = validate,
  .check = check,
  .check_delete = check_delete,
  .list_stmt = list_stmt,
};

/* The text of the allocation @s is on, from the cache while its revision
 * is the one cached. */
static const char *
cached_text (NtScheduleStore *self,
             sqlite3_stmt    *s,
             int              revision_col)
{
  gint64 id = sqlite3_column_int64 (s, 0);
  gint64 rev = sqlite3_column_int64 (s, revision_col);
  NtCachedText *cached = g_hash_table_lookup (self->alloc_text, &id);

  if (cached == NULL || cached->revision != rev)
    {
      g_auto(NtAllocRow) a = { 0 };
      g_autoptr(JsonNode) node = NULL;

      nt_schedule_row_read (&nt_schedule_allocations, s, &a);
      node = nt_schedule_row_to_json (self, &nt_schedule_allocations, &a);
      if (cached == NULL)
        {
          cached = g_new0 (NtCachedText, 1);
          cached->id = id;
          g_hash_table_insert (self->alloc_text, &cached->id, cached);
        }
      g_free (cached->text);
      cached->text = json_to_string (node, FALSE);
      cached->revision = rev;
    }
  return cached->text;
}

/* The list as JSON text.  Allocations, the big list, are serialized once
 * per (id, revision) and kept: a committed revision never changes, so a
 * cached text is reused until the object's revision moves on. */
char *
nt_schedule_store_list_text (NtScheduleStore        *self,
                             NtResource              resource,
                             const NtScheduleQuery  *query,
                             NtScheduleFault       **fault)
{
  static const NtScheduleQuery none = { 0 };
  int revision_col = nt_schedule_row_column_index (&nt_schedule_allocations, NT_COLUMN_REVISION, NULL);
  g_autoptr(JsonNode) revision = NULL;
  g_autofree char *revision_text = NULL;
  GString *out;
  sqlite3_stmt *s;
  gboolean first = TRUE;

  g_return_val_if_fail (NT_IS_SCHEDULE_STORE (self), NULL);
  nt_schedule_store_refresh (self);

  if (query == NULL)
    query = &none;

  if (resource != NT_RESOURCE_ALLOCATION)
    {
      g_autoptr(JsonNode) node = nt_schedule_store_list (self, resource, query, fault);

      return node != NULL ? json_to_string (node, FALSE) : NULL;
    }

  if ((s = list_stmt (self, query, fault)) == NULL)
    return NULL;

  out = g_string_sized_new (4096);
  g_string_append (out, "{\"items\":[");
  while (sqlite3_step (s) == SQLITE_ROW)
    {
      if (!first)
        g_string_append_c (out, ',');
      g_string_append (out, cached_text (self, s, revision_col));
      first = FALSE;
    }
  sqlite3_reset (s);

  /* The envelope's one number, through json-glib like the rest */
  revision = json_node_new (JSON_NODE_VALUE);
  json_node_set_int (revision, self->revision);
  revision_text = json_to_string (revision, FALSE);
  g_string_append_printf (out, "],\"revision\":%s}", revision_text);
  return g_string_free (out, FALSE);
}
