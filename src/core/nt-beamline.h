/* nt-beamline.h: one beamline of the facility, from the catalogue
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "nt-types.h"
#include "nt-station.h"

G_BEGIN_DECLS

#define NT_TYPE_BEAMLINE (nt_beamline_get_type ())

G_DECLARE_FINAL_TYPE (NtBeamline, nt_beamline, NT, BEAMLINE, GObject)

const char *nt_beamline_get_id             (NtBeamline *self);
NtProgram   nt_beamline_get_program        (NtBeamline *self);
NtSource    nt_beamline_get_source         (NtBeamline *self);
const char *nt_beamline_get_technique_ja   (NtBeamline *self);
const char *nt_beamline_get_technique_en   (NtBeamline *self);
const char *nt_beamline_get_energy_label   (NtBeamline *self);
double      nt_beamline_get_energy_min_ev  (NtBeamline *self);
double      nt_beamline_get_energy_max_ev  (NtBeamline *self);
guint       nt_beamline_get_requested_days (NtBeamline *self);
GListModel *nt_beamline_get_stations       (NtBeamline *self);
guint       nt_beamline_get_n_stations     (NtBeamline *self);
NtStation  *nt_beamline_get_main_station   (NtBeamline *self);
gboolean    nt_beamline_get_energy_is_nominal (NtBeamline *self);

G_END_DECLS
