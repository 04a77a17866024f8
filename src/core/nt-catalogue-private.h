/* nt-catalogue-private.h: constructors only the catalogue loader uses
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "nt-beamline.h"
#include "nt-station.h"

G_BEGIN_DECLS

typedef struct
{
  char   *label;
  double  min_ev;
  double  max_ev;
  GArray *fixed_ev;  /* of double, or NULL */
  gboolean nominal;  /* the range is not published; only the band is */
} NtEnergyRange;

void        nt_energy_range_clear     (NtEnergyRange *range);

NtStation  *nt_station_new_internal   (const char          *id,
                                       const char          *name,
                                       const char          *beamline_id,
                                       NtStationKind        kind,
                                       const NtEnergyRange *energy,
                                       guint                public_shifts_2026a);
NtBeamline *nt_beamline_new_internal  (const char          *id,
                                       NtProgram            program,
                                       NtSource             source,
                                       const char          *technique_ja,
                                       const char          *technique_en,
                                       const NtEnergyRange *energy,
                                       guint                requested_days,
                                       GPtrArray           *stations);

G_END_DECLS
