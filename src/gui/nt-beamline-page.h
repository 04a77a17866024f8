/* nt-beamline-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "nt-beamline-card.h"
#include "nt-context.h"
#include "nt-station-schedule.h"
#include "nt-strip-chart.h"

G_BEGIN_DECLS

#define NT_TYPE_BEAMLINE_PAGE (nt_beamline_page_get_type ())

G_DECLARE_FINAL_TYPE (NtBeamlinePage, nt_beamline_page, NT, BEAMLINE_PAGE, GtkWidget)

GtkWidget      *nt_beamline_page_new              (NtContext         *context,
                                                   NtBeamline        *beamline,
                                                   NtStationSchedule *schedule);
NtBeamline     *nt_beamline_page_get_beamline     (NtBeamlinePage    *self);
NtBeamlineCard *nt_beamline_page_get_card         (NtBeamlinePage    *self);
NtStripChart   *nt_beamline_page_get_energy_chart (NtBeamlinePage    *self);
NtStripChart   *nt_beamline_page_get_shutter_chart (NtBeamlinePage   *self);
void            nt_beamline_page_set_range        (NtBeamlinePage    *self,
                                                   NtStripChartRange  range);
guint           nt_beamline_page_get_n_allocation_rows (NtBeamlinePage *self);
gboolean        nt_beamline_page_is_loading       (NtBeamlinePage    *self);

G_END_DECLS
