/* nt-beamline-card.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "nt-beamline.h"
#include "nt-context.h"
#include "nt-station-schedule.h"

G_BEGIN_DECLS

#define NT_TYPE_BEAMLINE_CARD (nt_beamline_card_get_type ())

G_DECLARE_FINAL_TYPE (NtBeamlineCard, nt_beamline_card, NT, BEAMLINE_CARD, GtkWidget)

/* What one station row of a card shows. */
typedef enum
{
  NT_CARD_FIELD_STATE,
  NT_CARD_FIELD_SHUTTER,
  NT_CARD_FIELD_ENERGY,
  NT_CARD_FIELD_SCHEDULED,
} NtCardField;

GtkWidget  *nt_beamline_card_new                   (NtContext         *context,
                                                    NtBeamline        *beamline);
NtBeamline *nt_beamline_card_get_beamline          (NtBeamlineCard    *self);
void        nt_beamline_card_set_language          (NtBeamlineCard    *self,
                                                    const char        *language);
const char *nt_beamline_card_get_language          (NtBeamlineCard    *self);
void        nt_beamline_card_set_schedule          (NtBeamlineCard    *self,
                                                    NtStationSchedule *schedule);

gboolean    nt_beamline_card_get_problem           (NtBeamlineCard    *self);
gboolean    nt_beamline_card_get_disconnected      (NtBeamlineCard    *self);
gboolean    nt_beamline_card_get_no_beam           (NtBeamlineCard    *self);
const char *nt_beamline_card_get_status_text       (NtBeamlineCard    *self);
const char *nt_beamline_card_get_fe_shutter_text   (NtBeamlineCard    *self);
const char *nt_beamline_card_get_station_text      (NtBeamlineCard    *self,
                                                    const char        *station_id,
                                                    NtCardField        field);
const char *nt_beamline_card_get_accessible_name   (NtBeamlineCard    *self);
const char *nt_beamline_card_get_accessible_description (NtBeamlineCard *self);
guint       nt_beamline_card_get_n_refreshes       (NtBeamlineCard    *self);

G_END_DECLS
