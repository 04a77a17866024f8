/* nt-stored-current.c: the chart of the ring's stored current
 *
 * The Overview (the last 24 h) and the Beam page (15 min to a week) chart
 * the same series the same way: "Stored current" in mA from 0, at least
 * 10 mA high, shaded below 1 mA where the ring holds no beam, fed from the
 * archive and the live client by the facility's "ring.current" signal.
 * The DCCT reads to 0.01 mA of 400: the series keeps floats (seven
 * digits), about 10 bytes a sample instead of 14.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-stored-current"

#include "config.h"

#include <glib/gi18n.h>

#include "nt-series.h"
#include "nt-stored-current.h"

/**
 * nt_stored_current_add_series:
 * @capacity: how many samples the series keeps
 *
 * Adds the stored current to @chart as its series 0.
 */
void
nt_stored_current_add_series (NtStripChart *chart,
                              gsize         capacity)
{
  g_autoptr(NtSeries) series = nt_series_new_with_precision (capacity, NT_SERIES_PRECISION_FLOAT);

  nt_strip_chart_add_series (chart, _("Stored current"), "mA", series, "ring-current");
  /* From 0 mA, at least 10 mA high; below 1 mA the ring has no beam to
   * speak of: those columns are shaded too, so a dump shows even where
   * the plan expected beam. */
  nt_strip_chart_show_stored_current (chart, 0);
}

/**
 * nt_stored_current_feed_new:
 * @context: a context that is ready
 *
 * Returns: (transfer full) (nullable): the feed of series 0, or %NULL when
 *   the facility profile names no signal for the stored current
 */
NtChartFeed *
nt_stored_current_feed_new (NtStripChart *chart,
                            NtContext    *context)
{
  const char *pv = nt_context_lookup_pv (context, "ring.current");

  if (pv == NULL)
    return NULL;

  return nt_chart_feed_new (chart, 0, nt_context_get_pv_client (context),
                            nt_context_get_archive_client (context), pv);
}
