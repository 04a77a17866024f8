/* nt-beamline-grid.h: every beamline's card in a flow box
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "nt-beamline-card.h"

G_BEGIN_DECLS

void            nt_beamline_grid_fill (GtkFlowBox        *flow_box,
                                       GPtrArray         *cards,
                                       NtContext         *context,
                                       NtStationSchedule *schedule);
NtBeamlineCard *nt_beamline_grid_find (GPtrArray         *cards,
                                       const char        *beamline_id);

G_END_DECLS
