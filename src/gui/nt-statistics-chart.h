/* nt-statistics-chart.h: cumulative delivered against scheduled hours
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "nt-statistics-client.h"

G_BEGIN_DECLS

typedef struct
{
  GdkRGBA scheduled;
  GdkRGBA delivered;
  GdkRGBA target;
  GdkRGBA fault;
  GdkRGBA grid;
  GdkRGBA text;
  GdkRGBA unknown;
} NtStatisticsChartColors;

#define NT_TYPE_STATISTICS_CHART (nt_statistics_chart_get_type ())

G_DECLARE_FINAL_TYPE (NtStatisticsChart, nt_statistics_chart, NT, STATISTICS_CHART, GtkWidget)

GtkWidget    *nt_statistics_chart_new            (void);
void          nt_statistics_chart_set_statistics (NtStatisticsChart             *self,
                                                  NtStatistics                  *stats);
NtStatistics *nt_statistics_chart_get_statistics (NtStatisticsChart             *self);
void          nt_statistics_chart_get_colors     (NtStatisticsChart             *self,
                                                  NtStatisticsChartColors       *colors);
void          nt_statistics_chart_draw           (NtStatistics                  *stats,
                                                  cairo_t                       *cr,
                                                  PangoLayout                   *layout,
                                                  double                         width,
                                                  double                         height,
                                                  const NtStatisticsChartColors *colors);

G_END_DECLS
