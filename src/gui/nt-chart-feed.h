/* nt-chart-feed.h: live values and archive history into one chart series
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "nt-archive-client.h"
#include "nt-pv-client.h"
#include "nt-strip-chart.h"

G_BEGIN_DECLS

#define NT_TYPE_CHART_FEED (nt_chart_feed_get_type ())

G_DECLARE_FINAL_TYPE (NtChartFeed, nt_chart_feed, NT, CHART_FEED, GObject)

NtChartFeed *nt_chart_feed_new             (NtStripChart    *chart,
                                            guint            series_index,
                                            NtPvClient      *live,
                                            NtArchiveClient *archive,
                                            const char      *pv);

const char  *nt_chart_feed_get_pv          (NtChartFeed     *self);
guint        nt_chart_feed_get_n_fetches   (NtChartFeed     *self);
guint        nt_chart_feed_get_n_pending   (NtChartFeed     *self);
gboolean     nt_chart_feed_is_refilling    (NtChartFeed     *self);
const GError *nt_chart_feed_get_last_error (NtChartFeed     *self);

G_END_DECLS
