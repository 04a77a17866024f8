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
nt_schedule_check_member_booking (NtScheduleStore    *self,
                                  const NtMemberRow  *m,
                                  gint64              first,
                                  gint64              last,
                                  gint64              exclude_alloc,
                                  const NtAllocRow   *extra,
                                  const char         *override_reason,
                                  NtScheduleFault   **fault)
{
  g_autoptr(GHashTable) per_fy = g_hash_table_new_full (g_int_hash, g_int_equal, g_free, g_free);
  g_autoptr(GError) contract_error = NULL;
  GHashTableIter iter;
  gpointer key, value;
  sqlite3_stmt *s;
  GDate c0, c1;

  nt_time_parse_date (m->contract_start, &c0);
  nt_time_parse_date (m->contract_end, &c1);
  if (!nt_rules_check_contract (m->name, &c0, &c1, first, last, &contract_error))
    return nt_schedule_rule_fault (fault, contract_error, NULL);

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
validate (NtRowChange *c)
{
  const NtMemberRow *m = c->row;
  NtScheduleFault **fault = c->fault;

  if (m->name == NULL || *m->name == '\0')
    return nt_schedule_invalid (fault, "name", "must not be empty");
  if (m->units < 1 || m->units > 1000)
    return nt_schedule_invalid (fault, "units", "must be from 1 to 1000");
  if (strcmp (m->contract_end, m->contract_start) < 0)
    return nt_schedule_invalid (fault, "contract_end", "must not be before “contract_start”");
  return TRUE;
}

/* A new member has no allocations: only an update is checked, that the
 * member's allocations still fit its contract and quota. */
static gboolean
check (NtRowChange *c)
{
  const NtMemberRow *m = c->row;
  sqlite3_stmt *s;
  gint64 first, last;
  gboolean any;

  if (c->old == NULL)
    return TRUE;
  if (!nt_schedule_body_override (c->body, c->actor, &c->reason, c->fault))
    return FALSE;

  s = nt_schedule_store_stmt (c->self, "SELECT MIN (start), MAX (\"end\"), COUNT (*) FROM allocations "
                                       "WHERE member = ? AND status != 'cancelled'");
  sqlite3_bind_int64 (s, 1, m->id);
  sqlite3_step (s);
  first = sqlite3_column_int64 (s, 0);
  last = sqlite3_column_int64 (s, 1);
  any = sqlite3_column_int64 (s, 2) > 0;
  sqlite3_reset (s);
  return !any || nt_schedule_check_member_booking (c->self, m, first, last, 0, NULL, c->reason, c->fault);
}

const NtRowTable nt_schedule_members = {
  .resource = NT_RESOURCE_MEMBER,
  .table = "members",
  NT_ROW_COLUMNS (NtMemberRow, columns),
  .used_by = "member",
  .duplicate_column = "name",
  .duplicate_text = { "A member named “", "” exists" },
  .validate = validate,
  .check = check,
};
