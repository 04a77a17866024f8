/* nt-alloc-rules.c: the scheduling rules as pure functions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-alloc-rules"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "nt-alloc-rules.h"
#include "nt-nicks-private.h"

G_DEFINE_QUARK (nt-rule-error-quark, nt_rule_error)

static const char * const rule_codes[NT_N_RULE_ERRORS] = {
  [NT_RULE_ERROR_OVERLAP] = "overlap",
  [NT_RULE_ERROR_OUTSIDE_OPERATION] = "outside_user_operation",
  [NT_RULE_ERROR_OFF_GRID] = "off_grid",
  [NT_RULE_ERROR_SHIFT_COUNT] = "invalid_shift_count",
  [NT_RULE_ERROR_SHIFTS_EXCEEDED] = "shifts_exceeded",
  [NT_RULE_ERROR_PUBLIC_ON_BRANCH] = "public_slot_on_branch",
  [NT_RULE_ERROR_COALITION_ON_PUBLIC] = "coalition_slot_on_public_beamline",
  [NT_RULE_ERROR_QUOTA_EXCEEDED] = "quota_exceeded",
  [NT_RULE_ERROR_OUTSIDE_CONTRACT] = "outside_contract",
  [NT_RULE_ERROR_STRANDED] = "stranded_allocations",
  [NT_RULE_ERROR_PERIOD_OVERLAP] = "period_overlap",
  [NT_RULE_ERROR_IN_USE] = "in_use",
};

static gint64
local_midnight (const GDate *date,
                int          add_days)
{
  GDate d = *date;

  g_date_add_days (&d, (guint) add_days);
  return nt_time_from_local (g_date_get_year (&d), g_date_get_month (&d), g_date_get_day (&d), 0, 0);
}

const char *
nt_rule_error_to_code (NtRuleError code)
{
  g_return_val_if_fail ((int) code >= 0 && code < NT_N_RULE_ERRORS, NULL);
  return rule_codes[code];
}

gboolean
nt_rule_error_from_code (const char  *str,
                         NtRuleError *code)
{
  int v;

  if (!nt_nick_lookup (rule_codes, NT_N_RULE_ERRORS, str, &v))
    return FALSE;
  if (code != NULL)
    *code = (NtRuleError) v;
  return TRUE;
}

gboolean
nt_rules_spans_overlap (gint64 a0,
                        gint64 a1,
                        gint64 b0,
                        gint64 b1)
{
  return a0 < b1 && b0 < a1;
}

gboolean
nt_rules_check_shift_count (gint64   shifts,
                            GError **error)
{
  if (shifts == 1 || shifts == 2 || (shifts >= 3 && shifts % 3 == 0))
    return TRUE;

  g_set_error (error, NT_RULE_ERROR, NT_RULE_ERROR_SHIFT_COUNT,
               /* Translators: %lld is a number of 8 h shifts */
               _("%lld shifts cannot be approved: approve 1, 2, or a multiple of 3"),
               (long long) shifts);
  return FALSE;
}

gboolean
nt_rules_check_grid (NtSlot             slot,
                     gint64             start,
                     gint64             end,
                     const NtTimeGrid  *shift_grid,
                     const NtTimeGrid  *hour_grid,
                     GError           **error)
{
  const NtTimeGrid *grid = slot == NT_SLOT_PUBLIC ? shift_grid : hour_grid;

  g_return_val_if_fail (nt_time_grid_is_valid (grid), FALSE);

  if (nt_time_grid_is_on_grid (grid, start) && nt_time_grid_is_on_grid (grid, end))
    return TRUE;

  if (slot == NT_SLOT_PUBLIC)
    g_set_error (error, NT_RULE_ERROR, NT_RULE_ERROR_OFF_GRID,
                 _("Public beam time must start and end on shift boundaries"));
  else
    g_set_error (error, NT_RULE_ERROR, NT_RULE_ERROR_OFF_GRID,
                 _("Beam time must start and end on whole hours"));
  return FALSE;
}

gboolean
nt_rules_check_station_slot (NtSlot          slot,
                             NtProgram       program,
                             NtStationKind   station_kind,
                             GError        **error)
{
  if (slot == NT_SLOT_PUBLIC && program == NT_PROGRAM_COALITION && station_kind == NT_STATION_BRANCH)
    {
      g_set_error (error, NT_RULE_ERROR, NT_RULE_ERROR_PUBLIC_ON_BRANCH,
                   _("Public beam time is not offered on branch stations"));
      return FALSE;
    }
  if (slot == NT_SLOT_COALITION && program == NT_PROGRAM_PUBLIC)
    {
      g_set_error (error, NT_RULE_ERROR, NT_RULE_ERROR_COALITION_ON_PUBLIC,
                   _("Coalition beam time is only on coalition beamlines"));
      return FALSE;
    }
  return TRUE;
}

gboolean
nt_rules_slot_fits_plan (GArray *plan,
                         NtSlot  slot,
                         gint64  start,
                         gint64  end)
{
  gint64 t = start;
  guint lo = 0, hi;

  g_return_val_if_fail (plan != NULL, FALSE);

  if (end <= start)
    return FALSE;

  /* First span that ends after @start */
  hi = plan->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (plan, NtPeriodSpan, mid).end <= start)
        lo = mid + 1;
      else
        hi = mid;
    }

  for (guint i = lo; i < plan->len && t < end; i++)
    {
      const NtPeriodSpan *s = &g_array_index (plan, NtPeriodSpan, i);
      gboolean fits = s->kind == NT_PERIOD_USER_OPERATION ||
                      (slot == NT_SLOT_COMMISSIONING && s->kind == NT_PERIOD_COMMISSIONING);

      if (s->start > t || !fits)
        return FALSE;
      t = MAX (t, s->end);
    }
  return t >= end;
}

gboolean
nt_rules_check_in_operation (GArray  *plan,
                             NtSlot   slot,
                             gint64   start,
                             gint64   end,
                             GError **error)
{
  if (nt_rules_slot_fits_plan (plan, slot, start, end))
    return TRUE;

  g_set_error (error, NT_RULE_ERROR, NT_RULE_ERROR_OUTSIDE_OPERATION,
               _("Beam time must lie inside user-operation periods of the run plan"));
  return FALSE;
}

gint64
nt_rules_shifts_of (const NtTimeGrid *shift_grid,
                    gint64            start,
                    gint64            end)
{
  g_return_val_if_fail (nt_time_grid_is_valid (shift_grid), 0);
  return (end - start) / ((gint64) shift_grid->length_minutes * 60);
}

gboolean
nt_rules_check_proposal_shifts (const char  *proposal,
                                gint64       other_shifts,
                                gint64       new_shifts,
                                gint64       approved,
                                GError     **error)
{
  if (other_shifts + new_shifts <= approved)
    return TRUE;

  g_set_error (error, NT_RULE_ERROR, NT_RULE_ERROR_SHIFTS_EXCEEDED,
               _("Proposal %s would have %lld shifts allocated, more than the %lld approved"),
               proposal, (long long) (other_shifts + new_shifts), (long long) approved);
  return FALSE;
}

gint64
nt_rules_seconds_in_fiscal_year (gint64 start,
                                 gint64 end,
                                 int    fiscal_year)
{
  gint64 fy_start, fy_end;

  nt_time_fiscal_year_bounds (fiscal_year, &fy_start, &fy_end);
  return MAX (0, MIN (end, fy_end) - MAX (start, fy_start));
}

gboolean
nt_rules_check_quota (const char  *member_name,
                      int          fiscal_year,
                      gint64       booked_seconds,
                      gint64       units,
                      GError     **error)
{
  gint64 limit = units * NT_HOURS_PER_UNIT * 3600;

  if (booked_seconds <= limit)
    return TRUE;

  g_set_error (error, NT_RULE_ERROR, NT_RULE_ERROR_QUOTA_EXCEEDED,
               _("%s would have %lld h booked in FY%d, more than the %lld h of %lld units"),
               member_name, (long long) (booked_seconds / 3600), fiscal_year,
               (long long) (units * NT_HOURS_PER_UNIT), (long long) units);
  return FALSE;
}

gboolean
nt_rules_check_contract (const char   *member_name,
                         const GDate  *contract_start,
                         const GDate  *contract_end,
                         gint64        start,
                         gint64        end,
                         GError      **error)
{
  if (start >= local_midnight (contract_start, 0) && end <= local_midnight (contract_end, 1))
    return TRUE;

  g_set_error (error, NT_RULE_ERROR, NT_RULE_ERROR_OUTSIDE_CONTRACT,
               _("The booking lies outside %s’s contract"), member_name);
  return FALSE;
}
