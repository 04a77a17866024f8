/* nt-alloc-rules.h: the scheduling rules as pure functions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The scheduling service enforces these on every write; the console runs
 * the same checks before it sends, so a person sees the reason at once.
 * Each broken rule is its own NtRuleError code, and each code has a wire
 * name (nt_rule_error_to_code) that the service sends in a 409 body.
 *
 * "Active" allocations are those not cancelled (drafts count: a draft
 * holds its place until it is confirmed or cancelled).
 */
#pragma once

#include <glib.h>

#include "nt-allocation.h"
#include "nt-run-plan.h"
#include "nt-time.h"
#include "nt-types.h"

G_BEGIN_DECLS

#define NT_RULE_ERROR (nt_rule_error_quark ())

typedef enum
{
  NT_RULE_ERROR_OVERLAP,                /* "overlap" */
  NT_RULE_ERROR_OUTSIDE_OPERATION,      /* "outside_user_operation" */
  NT_RULE_ERROR_OFF_GRID,               /* "off_grid" */
  NT_RULE_ERROR_SHIFT_COUNT,            /* "invalid_shift_count" */
  NT_RULE_ERROR_SHIFTS_EXCEEDED,        /* "shifts_exceeded" */
  NT_RULE_ERROR_PUBLIC_ON_BRANCH,       /* "public_slot_on_branch" */
  NT_RULE_ERROR_COALITION_ON_PUBLIC,    /* "coalition_slot_on_public_beamline" */
  NT_RULE_ERROR_QUOTA_EXCEEDED,         /* "quota_exceeded" */
  NT_RULE_ERROR_OUTSIDE_CONTRACT,       /* "outside_contract" */
  NT_RULE_ERROR_STRANDED,               /* "stranded_allocations" */
  NT_RULE_ERROR_PERIOD_OVERLAP,         /* "period_overlap" */
  NT_RULE_ERROR_IN_USE,                 /* "in_use" */
} NtRuleError;

#define NT_N_RULE_ERRORS (NT_RULE_ERROR_IN_USE + 1)

/* 1 unit of coalition membership = 200 h of beam time a fiscal year. */
#define NT_HOURS_PER_UNIT 200

GQuark      nt_rule_error_quark            (void);
const char *nt_rule_error_to_code          (NtRuleError        code);
gboolean    nt_rule_error_from_code        (const char        *str,
                                            NtRuleError       *code);

/* [a0, a1) and [b0, b1) share at least one second. */
gboolean    nt_rules_spans_overlap         (gint64             a0,
                                            gint64             a1,
                                            gint64             b0,
                                            gint64             b1);

/* Approved shifts: 1, 2, or a multiple of 3 from 3 upward. */
gboolean    nt_rules_check_shift_count     (gint64             shifts,
                                            GError           **error);

/* Public allocations on the shift grid, the others on the hour grid. */
gboolean    nt_rules_check_grid            (NtSlot             slot,
                                            gint64             start,
                                            gint64             end,
                                            const NtTimeGrid  *shift_grid,
                                            const NtTimeGrid  *hour_grid,
                                            GError           **error);

/* Public slots only on public beamlines and coalition main stations;
 * coalition slots only on coalition beamlines. */
gboolean    nt_rules_check_station_slot    (NtSlot             slot,
                                            NtProgram          program,
                                            NtStationKind      station_kind,
                                            GError           **error);

/* Whether [start, end) lies wholly inside periods where @slot may run:
 * user operation for every slot, and also beamline-commissioning periods
 * for the commissioning slot.  @plan is a sorted array of NtPeriodSpan
 * (gaps allowed). */
gboolean    nt_rules_slot_fits_plan        (GArray            *plan,
                                            NtSlot             slot,
                                            gint64             start,
                                            gint64             end);
gboolean    nt_rules_check_in_operation    (GArray            *plan,
                                            NtSlot             slot,
                                            gint64             start,
                                            gint64             end,
                                            GError           **error);

/* Number of shifts of a public allocation (its length over the shift
 * length), assuming it is on the grid. */
gint64      nt_rules_shifts_of             (const NtTimeGrid  *shift_grid,
                                            gint64             start,
                                            gint64             end);

/* @other_shifts: shifts of the proposal's other active allocations. */
gboolean    nt_rules_check_proposal_shifts (const char        *proposal,
                                            gint64             other_shifts,
                                            gint64             new_shifts,
                                            gint64             approved,
                                            GError           **error);

/* Seconds of [start, end) that fall inside fiscal year @fiscal_year. */
gint64      nt_rules_seconds_in_fiscal_year (gint64            start,
                                             gint64            end,
                                             int               fiscal_year);

/* A member's booked seconds in @fiscal_year stay within units × 200 h. */
gboolean    nt_rules_check_quota           (const char        *member_name,
                                            int                fiscal_year,
                                            gint64             booked_seconds,
                                            gint64             units,
                                            GError           **error);

/* A coalition booking lies inside the member's contract (whole days,
 * from contract_start 00:00 to the end of contract_end, Asia/Tokyo). */
gboolean    nt_rules_check_contract        (const char        *member_name,
                                            const GDate       *contract_start,
                                            const GDate       *contract_end,
                                            gint64             start,
                                            gint64             end,
                                            GError           **error);

G_END_DECLS
