/* nt-statistics-page.h: the Statistics area
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "nt-context.h"
#include "nt-statistics-client.h"

G_BEGIN_DECLS

#define NT_TYPE_STATISTICS_PAGE (nt_statistics_page_get_type ())

G_DECLARE_FINAL_TYPE (NtStatisticsPage, nt_statistics_page, NT, STATISTICS_PAGE, GtkWidget)

/* What the Export menu offers. */
enum
{
  NT_STATISTICS_EXPORT_FAULTS_CSV,
  NT_STATISTICS_EXPORT_DAYS_CSV,
  NT_STATISTICS_EXPORT_PDF,
};

GtkWidget     *nt_statistics_page_new            (NtContext        *context);
void           nt_statistics_page_set_range      (NtStatisticsPage *self,
                                                  gint64            from,
                                                  gint64            to);
void           nt_statistics_page_get_range      (NtStatisticsPage *self,
                                                  gint64           *from,
                                                  gint64           *to);
guint          nt_statistics_page_get_n_ranges   (NtStatisticsPage *self);
NtStatistics  *nt_statistics_page_get_statistics (NtStatisticsPage *self);
const char    *nt_statistics_page_get_state      (NtStatisticsPage *self);
guint          nt_statistics_page_get_n_reads    (NtStatisticsPage *self);
GtkColumnView *nt_statistics_page_get_fault_view (NtStatisticsPage *self);
gint64         nt_statistics_page_get_fault_start (NtStatisticsPage *self,
                                                   guint             position);
GBytes        *nt_statistics_page_dup_faults_csv (NtStatisticsPage *self);
GBytes        *nt_statistics_page_dup_days_csv   (NtStatisticsPage *self);
gboolean       nt_statistics_page_export_pdf     (NtStatisticsPage *self,
                                                  const char       *path,
                                                  int              *n_pages,
                                                  GError          **error);

G_END_DECLS
