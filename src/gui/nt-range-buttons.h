/* nt-range-buttons.h: the row of buttons that picks a chart's time range
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "nt-strip-chart.h"

G_BEGIN_DECLS

void nt_range_buttons_fill (GtkBox                  *box,
                            const NtStripChartRange *ranges,
                            guint                    n_ranges,
                            GtkToggleButton        **buttons,
                            GCallback                toggled,
                            gpointer                 data);
int  nt_range_buttons_find (GtkToggleButton * const *buttons,
                            guint                    n_buttons,
                            GtkToggleButton         *button);

G_END_DECLS
