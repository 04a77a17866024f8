/* nt-booking-private.h: the stored-object constructors the booking store uses
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An NtAllocation or NtRunPeriod made from a compact NtBooking carries the
 * id, etag and revision it was read with, which no public setter sets.
 * Internal to src/core.
 */
#pragma once

#include "nt-allocation.h"
#include "nt-run-period.h"

G_BEGIN_DECLS

NtAllocation *nt_allocation_new_stored (gint64              id,
                                        const char         *etag,
                                        gint64              revision,
                                        const char         *station,
                                        gint64              start,
                                        gint64              end,
                                        NtSlot              slot,
                                        const char         *proposal,
                                        gint64              member,
                                        NtAllocationStatus  status,
                                        const char         *note);
NtRunPeriod  *nt_run_period_new_stored (gint64              id,
                                        const char         *etag,
                                        gint64              revision,
                                        NtPeriodKind        kind,
                                        gint64              start,
                                        gint64              end,
                                        const char         *note);

G_END_DECLS
