/* nt-schedule-store-members.c: coalition members in the scheduling store:
 * their columns, their contract and their quota
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A member's active allocations stay inside its contract, and their hours
 * in each fiscal year within its units (an admin may override the quota,
 * giving a reason).
 */
#define G_LOG_DOMAIN "nt-schedule-store"

#include "config.h"

#include <string.h>

#include "nt-alloc-rules.h"
#include "nt-schedule-store-private.h"

#define COLUMN(name, type, flags, field, max_len) \
  { name, NT_COLUMN_##type, flags, G_STRUCT_OFFSET (NtMemberRow, field), max_len, NULL }

static const NtColumn columns[] = {
  COLUMN ("id",             ID,       0,                  id,             0),
  COLUMN ("name",           TEXT,     NT_COLUMN_REQUIRED, name,           200),
  COLUMN ("units",          INT,      NT_COLUMN_REQUIRED, units,          0),
  COLUMN ("contract_start", DATE,     NT_COLUMN_REQUIRED, contract_start, 0),
  COLUMN ("contract_end",   DATE,     NT_COLUMN_REQUIRED, contract_end,   0),
  COLUMN ("revision",       REVISION, 0,                  revision,       0),
};

#undef COLUMN

/* Adds [start, end) to the booked seconds of each fiscal year it touches. */
static void
add_booked (GHashTable *per_fy,
            gint64      start,
            gint64      end)
{
  for (int fy = nt_time_fiscal_year_of (start); fy <= nt_time_fiscal_year_of (end - 1); fy++)
    {
      gint64 *sum = g_hash_table_lookup (per_fy, &fy);

      if (sum == NULL)
        {
          int *k = g_new (int, 1);

          *k = fy;
          sum = g_new0 (gint64, 1);
          g_hash_table_insert (per_fy, k, sum);
        }
      *sum += nt_rules_seconds_in_fiscal_year (start, end, fy);
    }
}

gboolean
nt_schedule_check_member_quota (NtScheduleStore    *self,
                                const NtMemberRow  *m,
                                gint64              exclude_alloc,
                                const NtAllocRow   *extra,
                                const char         *override_reason,
                                NtScheduleFault   **fault)
{
  sqlite3_stmt *s;
  g_autoptr(GHashTable) per_fy = g_hash_table_new_full (g_int_hash, g_int_equal, g_free, g_free);
  GHashTableIter iter;
  gpointer key, value;

  /* Per fiscal year: booked seconds of the member's active allocations. */
  s = nt_schedule_store_stmt (self, "SELECT start, \"end\" FROM allocations "
                                    "WHERE member = ? AND status != 'cancelled' AND id != ?");
  sqlite3_bind_int64 (s, 1, m->id);
  sqlite3_bind_int64 (s, 2, exclude_alloc);
  while (sqlite3_step (s) == SQLITE_ROW)
    add_booked (per_fy, sqlite3_column_int64 (s, 0), sqlite3_column_int64 (s, 1));
  sqlite3_reset (s);
  if (extra != NULL)
    add_booked (per_fy, extra->start, extra->end);

  g_hash_table_iter_init (&iter, per_fy);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autoptr(GError) error = NULL;
      int fy = *(int *) key;
      gint64 booked = *(gint64 *) value;

      if (!nt_rules_check_quota (m->name, fy, booked, m->units, &error) && override_reason == NULL)
        {
          JsonObject *d = json_object_new ();

          json_object_set_int_member (d, "member", m->id);
          json_object_set_int_member (d, "fiscal_year", fy);
          json_object_set_int_member (d, "hours_booked", booked / 3600);
          json_object_set_int_member (d, "hours_allowed", m->units * NT_HOURS_PER_UNIT);
          return nt_schedule_rule_fault (fault, error, nt_schedule_take_object (d));
        }
    }
  return TRUE;
}

static gboolean
validate (gpointer          row,
          JsonObject       *body,
          NtScheduleFault **fault)
{
  NtMemberRow *m = row;

  if (m->name == NULL || *m->name == '\0')
    return nt_schedule_invalid (fault, "name", "must not be empty");
  if (m->units < 1 || m->units > 1000)
    return nt_schedule_invalid (fault, "units", "must be from 1 to 1000");
  if (strcmp (m->contract_end, m->contract_start) < 0)
    return nt_schedule_invalid (fault, "contract_end", "must not be before “contract_start”");
  return TRUE;
}

/* An edited member's allocations still fit its contract and quota. */
static gboolean
check_member_change (NtScheduleStore    *self,
                     const NtMemberRow  *m,
                     const char         *override_reason,
                     NtScheduleFault   **fault)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *s;
  gint64 first = 0, last = 0;
  gboolean any;
  GDate c0, c1;

  s = nt_schedule_store_stmt (self, "SELECT MIN (start), MAX (\"end\"), COUNT (*) FROM allocations "
                                    "WHERE member = ? AND status != 'cancelled'");
  sqlite3_bind_int64 (s, 1, m->id);
  sqlite3_step (s);
  first = sqlite3_column_int64 (s, 0);
  last = sqlite3_column_int64 (s, 1);
  any = sqlite3_column_int64 (s, 2) > 0;
  sqlite3_reset (s);
  if (!any)
    return TRUE;

  nt_time_parse_date (m->contract_start, &c0);
  nt_time_parse_date (m->contract_end, &c1);
  if (!nt_rules_check_contract (m->name, &c0, &c1, first, last, &error))
    return nt_schedule_rule_fault (fault, error, NULL);
  return nt_schedule_check_member_quota (self, m, 0, NULL, override_reason, fault);
}

/* A new member has no allocations: only an update is checked. */
static gboolean
check (NtScheduleStore        *self,
       gconstpointer           old,
       gpointer                row,
       JsonObject             *body,
       const NtScheduleActor  *actor,
       char                  **reason,
       NtScheduleFault       **fault)
{
  if (old == NULL)
    return TRUE;
  return nt_schedule_body_override (body, actor, reason, fault) &&
         check_member_change (self, row, *reason, fault);
}

static void
duplicate (gconstpointer     row,
           NtScheduleFault **fault)
{
  const NtMemberRow *m = row;

  FAULT (fault, 409, "duplicate", nt_schedule_field_details ("name"), "A member named “%s” exists", m->name);
}

const NtRowTable nt_schedule_members = {
  .resource = NT_RESOURCE_MEMBER,
  .table = "members",
  .row_size = sizeof (NtMemberRow),
  .columns = columns,
  .n_columns = G_N_ELEMENTS (columns),
  .used_by = "member",
  .validate = validate,
  .check = check,
  .duplicate = duplicate,
};
