/* nt-station.h: one experimental station of a beamline
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "nt-types.h"

G_BEGIN_DECLS

#define NT_TYPE_STATION (nt_station_get_type ())

G_DECLARE_FINAL_TYPE (NtStation, nt_station, NT, STATION, GObject)

const char    *nt_station_get_id                 (NtStation *self);
const char    *nt_station_get_name               (NtStation *self);
const char    *nt_station_get_beamline_id        (NtStation *self);
NtStationKind  nt_station_get_kind               (NtStation *self);
const char    *nt_station_get_energy_label       (NtStation *self);
double         nt_station_get_energy_min_ev      (NtStation *self);
double         nt_station_get_energy_max_ev      (NtStation *self);
const double  *nt_station_get_fixed_energies_ev  (NtStation *self,
                                                  guint     *n_energies);
guint          nt_station_get_public_shifts_2026a (NtStation *self);
gboolean    nt_station_get_energy_is_nominal (NtStation *self);

G_END_DECLS
