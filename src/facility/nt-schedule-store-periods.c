/* nt-schedule-store-periods.c: the run plan's periods in the scheduling
 * store: their columns and rules
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * No two periods overlap, and no change of the plan may leave a confirmed
 * allocation outside the time where its slot may run.
 */
#define G_LOG_DOMAIN "nt-schedule-store"

#include "config.h"

#include "nt-alloc-rules.h"
#include "nt-schedule-store-private.h"

NT_ENUM_CODEC (kind_codec, NtPeriodKind, nt_period_kind,
               "must be one of user_operation, machine_study, commissioning, maintenance, inspection, shutdown");

#define COLUMN(name, type, flags, field, max_len, codec) \
  { name, NT_COLUMN_##type, flags, G_STRUCT_OFFSET (NtPeriodRow, field), max_len, codec }

static const NtColumn columns[] = {
  COLUMN ("id",       ID,       0,                  id,       0,    NULL),
  COLUMN ("kind",     ENUM,     NT_COLUMN_REQUIRED, kind,     0,    &kind_codec),
  COLUMN ("start",    INSTANT,  NT_COLUMN_REQUIRED, start,    0,    NULL),
  COLUMN ("end",      INSTANT,  NT_COLUMN_REQUIRED, end,      0,    NULL),
  COLUMN ("note",     TEXT,     0,                  note,     4000, NULL),
  COLUMN ("revision", REVISION, 0,                  revision, 0,    NULL),
  COLUMN ("sequence", SEQUENCE, 0,                  sequence, 0,    NULL),
  COLUMN ("updated",  UPDATED,  0,                  updated,  0,    NULL),
};

#undef COLUMN

gboolean
nt_schedule_check_plan_change (NtScheduleStore    *self,
                               const NtPeriodRow  *old,
                               const NtPeriodRow  *new,
                               NtScheduleFault   **fault)
{
  g_autoptr(GArray) plan = g_array_new (FALSE, FALSE, sizeof (NtPeriodSpan));
  g_autoptr(GArray) stranded = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *s;
  gint64 lo, hi;
  gboolean removed = FALSE;

  /* The plan after the change */
  for (guint i = 0; i < self->plan->len; i++)
    {
      NtPeriodSpan span = g_array_index (self->plan, NtPeriodSpan, i);

      if (old != NULL && !removed && span.start == old->start && span.end == old->end &&
          span.kind == old->kind)
        {
          removed = TRUE;
          continue;
        }
      g_array_append_val (plan, span);
    }
  if (new != NULL)
    {
      NtPeriodSpan span = { new->start, new->end, new->kind };
      guint at = 0;

      while (at < plan->len && g_array_index (plan, NtPeriodSpan, at).start <= span.start)
        at++;
      if ((at > 0 && g_array_index (plan, NtPeriodSpan, at - 1).end > span.start) ||
          (at < plan->len && g_array_index (plan, NtPeriodSpan, at).start < span.end))
        {
          s = nt_schedule_store_stmt (self, "SELECT id FROM periods WHERE start < ? AND \"end\" > ? AND id != ?");
          sqlite3_bind_int64 (s, 1, span.end);
          sqlite3_bind_int64 (s, 2, span.start);
          sqlite3_bind_int64 (s, 3, new->id);
          while (sqlite3_step (s) == SQLITE_ROW)
            {
              gint64 id = sqlite3_column_int64 (s, 0);
              g_array_append_val (stranded, id);
            }
          sqlite3_reset (s);
          FAULT (fault, 409, nt_rule_error_to_code (NT_RULE_ERROR_PERIOD_OVERLAP),
                 nt_schedule_ids_details ("periods", stranded),
                 "The period overlaps another period of the run plan");
          return FALSE;
        }
      g_array_insert_val (plan, at, span);
    }

  /* Confirmed allocations in the time that changed */
  lo = G_MAXINT64;
  hi = G_MININT64;
  if (old != NULL)
    {
      lo = MIN (lo, old->start);
      hi = MAX (hi, old->end);
    }
  if (new != NULL)
    {
      lo = MIN (lo, new->start);
      hi = MAX (hi, new->end);
    }

  s = nt_schedule_store_stmt (self, "SELECT id, slot, start, \"end\" FROM allocations WHERE status = 'confirmed' "
                                    "AND start < ? AND \"end\" > ? ORDER BY start");
  sqlite3_bind_int64 (s, 1, hi);
  sqlite3_bind_int64 (s, 2, lo);
  while (sqlite3_step (s) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (s, 0);
      NtSlot slot = NT_SLOT_STAFF;

      nt_slot_from_string ((const char *) sqlite3_column_text (s, 1), &slot);
      if (!nt_rules_slot_fits_plan (plan, slot, sqlite3_column_int64 (s, 2), sqlite3_column_int64 (s, 3)))
        g_array_append_val (stranded, id);
    }
  sqlite3_reset (s);

  if (stranded->len > 0)
    {
      FAULT (fault, 409, nt_rule_error_to_code (NT_RULE_ERROR_STRANDED),
             nt_schedule_ids_details ("allocations", stranded),
             "The change would leave %u confirmed allocations outside user operation", stranded->len);
      return FALSE;
    }

  g_array_set_size (self->plan, 0);
  g_array_append_vals (self->plan, plan->data, plan->len);
  self->plan_dirty = TRUE;
  return TRUE;
}

static gboolean
validate (NtRowChange *c)
{
  const NtPeriodRow *p = c->row;

  if (p->end <= p->start)
    return nt_schedule_invalid (c->fault, "end", "must be after “start”");
  return TRUE;
}

/* On create, update and delete: the plan after it */
static gboolean
check (NtRowChange *c)
{
  return nt_schedule_check_plan_change (c->self, c->old, c->row, c->fault);
}

static sqlite3_stmt *
list_stmt (NtScheduleStore        *self,
           const NtScheduleQuery  *query,
           NtScheduleFault       **fault)
{
  sqlite3_stmt *s = nt_schedule_row_select (self, &nt_schedule_periods,
                                            "WHERE \"end\" > ? AND start < ? ORDER BY start, id");

  nt_schedule_bind_span (s, query);
  return s;
}

const NtRowTable nt_schedule_periods = {
  .resource = NT_RESOURCE_PERIOD,
  .table = "periods",
  NT_ROW_COLUMNS (NtPeriodRow, columns),
  .validate = validate,
  .check = check,
  .check_delete = check,
  .list_stmt = list_stmt,
};
