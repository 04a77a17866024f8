/* nt-overview-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "nt-beamline-card.h"
#include "nt-context.h"
#include "nt-strip-chart.h"

G_BEGIN_DECLS

#define NT_TYPE_OVERVIEW_PAGE (nt_overview_page_get_type ())

G_DECLARE_FINAL_TYPE (NtOverviewPage, nt_overview_page, NT, OVERVIEW_PAGE, GtkWidget)

GtkWidget      *nt_overview_page_new               (NtContext      *context);
GtkWidget      *nt_overview_page_get_panel         (NtOverviewPage *self);
NtStripChart   *nt_overview_page_get_chart         (NtOverviewPage *self);
NtBeamlineCard *nt_overview_page_get_card          (NtOverviewPage *self,
                                                    const char     *beamline_id);
guint           nt_overview_page_get_n_cards       (NtOverviewPage *self);
const char     *nt_overview_page_get_now_next_text (NtOverviewPage *self);

G_END_DECLS
