/* nt-beamlines-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "nt-beamline-card.h"
#include "nt-context.h"
#include "nt-station-schedule.h"

G_BEGIN_DECLS

#define NT_TYPE_BEAMLINES_PAGE (nt_beamlines_page_get_type ())

G_DECLARE_FINAL_TYPE (NtBeamlinesPage, nt_beamlines_page, NT, BEAMLINES_PAGE, GtkWidget)

typedef enum
{
  NT_BEAMLINE_FILTER_ALL,
  NT_BEAMLINE_FILTER_PUBLIC,
  NT_BEAMLINE_FILTER_COALITION,
  NT_BEAMLINE_FILTER_PROBLEMS,
} NtBeamlineFilter;

NtBeamlinesPage   *nt_beamlines_page_new           (NtContext        *context);
void               nt_beamlines_page_set_filter    (NtBeamlinesPage  *self,
                                                    NtBeamlineFilter  filter);
NtBeamlineFilter   nt_beamlines_page_get_filter    (NtBeamlinesPage  *self);
guint              nt_beamlines_page_count_visible (NtBeamlinesPage  *self);
gboolean           nt_beamlines_page_is_visible    (NtBeamlinesPage  *self,
                                                    const char       *beamline_id);
NtBeamlineCard    *nt_beamlines_page_get_card      (NtBeamlinesPage  *self,
                                                    const char       *beamline_id);
NtStationSchedule *nt_beamlines_page_get_schedule  (NtBeamlinesPage  *self);
gboolean           nt_beamlines_page_open          (NtBeamlinesPage  *self,
                                                    const char       *beamline_id);
void               nt_beamlines_page_close_detail  (NtBeamlinesPage  *self);
GtkWidget         *nt_beamlines_page_get_detail    (NtBeamlinesPage  *self);

G_END_DECLS
