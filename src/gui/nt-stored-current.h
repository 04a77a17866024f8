/* nt-stored-current.h: the chart of the ring's stored current
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "nt-chart-feed.h"
#include "nt-context.h"
#include "nt-strip-chart.h"

G_BEGIN_DECLS

void         nt_stored_current_add_series (NtStripChart *chart,
                                           gsize         capacity);
NtChartFeed *nt_stored_current_feed_new   (NtStripChart *chart,
                                           NtContext    *context);

G_END_DECLS
