/* nt-decimate-private.h: the binary search over sorted sample times
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by the decimation and NtSeries; internal to src/core.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The first index in [lo, hi) of the ascending @ts whose time is >= @t (@hi if none). */
gsize nt_times_lower_bound (const gint64 *ts,
                            gsize         lo,
                            gsize         hi,
                            gint64        t);

G_END_DECLS
