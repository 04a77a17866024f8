/* nt-timeline-labels.h: the words for a period's kind, a slot and a status
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "nt-allocation.h"
#include "nt-run-plan.h"

G_BEGIN_DECLS

/* Each in the user's language; "" for a value out of range. */
const char *nt_timeline_period_kind_label (NtPeriodKind       kind);
const char *nt_timeline_slot_label        (NtSlot             slot);
const char *nt_timeline_status_label      (NtAllocationStatus status);

G_END_DECLS
