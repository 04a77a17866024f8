/* nt-schedule-store-proposals.c: beamtime proposals in the scheduling
 * store: their columns and rules
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A proposal is keyed by its id ("2026A0012": the term, four digits); its
 * public allocations stay within its approved shifts.
 */
#define G_LOG_DOMAIN "nt-schedule-store"

#include "config.h"

#include <string.h>

#include "nt-alloc-rules.h"
#include "nt-schedule-store-private.h"

#define COLUMN(name, type, flags, field, max_len) \
  { name, NT_COLUMN_##type, flags, G_STRUCT_OFFSET (NtProposalRow, field), max_len, NULL }

static const NtColumn columns[] = {
  COLUMN ("id",               TEXT,     NT_COLUMN_KEY | NT_COLUMN_REQUIRED, id,               64),
  COLUMN ("term",             TEXT,     0,                                  term,             16),
  COLUMN ("title",            TEXT,     NT_COLUMN_REQUIRED,                 title,            1000),
  COLUMN ("pi",               TEXT,     NT_COLUMN_REQUIRED,                 pi,               200),
  COLUMN ("organisation",     TEXT,     NT_COLUMN_REQUIRED,                 organisation,     200),
  COLUMN ("proprietary",      BOOL,     0,                                  proprietary,      0),
  COLUMN ("shifts_requested", INT,      NT_COLUMN_REQUIRED,                 shifts_requested, 0),
  COLUMN ("shifts_approved",  INT,      0,                                  shifts_approved,  0),
  COLUMN ("revision",         REVISION, 0,                                  revision,         0),
};

#undef COLUMN

gint64
nt_schedule_proposal_other_seconds (NtScheduleStore *self,
                                    const char      *proposal,
                                    gint64           exclude_alloc)
{
  sqlite3_stmt *s = nt_schedule_store_stmt (self, "SELECT COALESCE (SUM (\"end\" - start), 0) FROM allocations "
                                                  "WHERE proposal = ? AND status != 'cancelled' AND id != ?");

  nt_schedule_bind_text (s, 1, proposal);
  sqlite3_bind_int64 (s, 2, exclude_alloc);
  return nt_schedule_store_query_int (self, s);
}

static gboolean
valid_proposal_id (const char *id)
{
  int fy;

  /* "2026A0012": the term, then four digits */
  if (id == NULL || strlen (id) != 9 || !nt_time_parse_term ((char[6]) { id[0], id[1], id[2], id[3], id[4], 0 },
                                                             &fy, NULL))
    return FALSE;
  for (int i = 5; i < 9; i++)
    if (!g_ascii_isdigit (id[i]))
      return FALSE;
  return TRUE;
}

static gboolean
check_shift_count (const char       *field,
                   gint64            shifts,
                   NtScheduleFault **fault)
{
  if (shifts < 0 || shifts > 10000)
    return nt_schedule_invalid (fault, field, "must be from 0 to 10000");
  return TRUE;
}

static gboolean
validate (NtRowChange *c)
{
  g_autoptr(GError) error = NULL;
  NtProposalRow *p = c->row;
  NtScheduleFault **fault = c->fault;

  if (!valid_proposal_id (p->id))
    return nt_schedule_invalid (fault, "id", "must be a term and four digits, like 2026A0012");
  if (p->term == NULL)
    p->term = g_strndup (p->id, 5);
  else if (strncmp (p->term, p->id, 5) != 0 || strlen (p->term) != 5)
    return nt_schedule_invalid (fault, "term", "must be the term the proposal id begins with");
  if (*p->title == '\0')
    return nt_schedule_invalid (fault, "title", "must not be empty");
  if (*p->pi == '\0')
    return nt_schedule_invalid (fault, "pi", "must not be empty");
  if (!check_shift_count ("shifts_requested", p->shifts_requested, fault) ||
      !check_shift_count ("shifts_approved", p->shifts_approved, fault))
    return FALSE;
  if (p->shifts_approved > 0 && !nt_rules_check_shift_count (p->shifts_approved, &error))
    return nt_schedule_rule_fault (fault, error, nt_schedule_field_details ("shifts_approved"));
  return TRUE;
}

/* A new proposal has no allocations: an update keeps the shifts already
 * allocated within the approved ones. */
static gboolean
check (NtRowChange *c)
{
  g_autoptr(GError) error = NULL;
  const NtProposalRow *p = c->row;
  gint64 shift_s = (gint64) c->self->shift_grid.length_minutes * 60;
  gint64 allocated;

  if (c->old == NULL)
    return TRUE;
  allocated = nt_schedule_proposal_other_seconds (c->self, p->id, 0) / shift_s;
  if (!nt_rules_check_proposal_shifts (p->id, allocated, 0, p->shifts_approved, &error))
    return nt_schedule_rule_fault (c->fault, error, nt_schedule_field_details ("shifts_approved"));
  return TRUE;
}

const NtRowTable nt_schedule_proposals = {
  .resource = NT_RESOURCE_PROPOSAL,
  .table = "proposals",
  NT_ROW_COLUMNS (NtProposalRow, columns),
  .used_by = "proposal",
  .duplicate_column = "id",
  .duplicate_text = { "A proposal ", " exists" },
  .validate = validate,
  .check = check,
};
