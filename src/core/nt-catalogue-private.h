/* nt-catalogue-private.h: what the catalogue loader, NtBeamline and NtStation share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The constructors only the loader uses, the energy range both objects
 * keep, and their read-only string properties described as a table.
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

void        nt_energy_range_clear     (NtEnergyRange       *range);
void        nt_energy_range_copy      (NtEnergyRange       *dest,
                                       const NtEnergyRange *src);

/* A read-only string property: its name and where the string lives. */
typedef struct
{
  const char *name;
  gsize       offset;
} NtStringProperty;

/* Properties 1 to @n_props, in @pspecs[1] to @pspecs[n_props]. */
void        nt_string_properties_install (GObjectClass           *object_class,
                                          GParamSpec            **pspecs,
                                          const NtStringProperty *props,
                                          guint                   n_props);
void        nt_string_properties_get     (GObject                *object,
                                          const NtStringProperty *props,
                                          guint                   n_props,
                                          guint                   prop_id,
                                          GValue                 *value,
                                          GParamSpec             *pspec);

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
