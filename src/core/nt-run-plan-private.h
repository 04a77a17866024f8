/* nt-run-plan-private.h: the run-plan period kinds' wire names, for the models
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * NtRunPeriod's field table names its "kind" by these; internal to src/core.
 */
#pragma once

#include "nt-run-plan.h"

G_BEGIN_DECLS

/* "user_operation", "machine_study", …: indexed by NtPeriodKind */
extern const char * const nt_period_kind_nicks[NT_N_PERIOD_KINDS];

G_END_DECLS
