/* nt-station.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-station"

#include "config.h"

#include "nt-catalogue-private.h"
#include "nt-station.h"

struct _NtStation
{
  GObject        parent_instance;

  char          *id;
  char          *name;
  char          *beamline_id;
  NtStationKind  kind;
  NtEnergyRange  energy;
  guint          public_shifts_2026a;
};

G_DEFINE_FINAL_TYPE (NtStation, nt_station, G_TYPE_OBJECT)

static const NtStringProperty string_props[] = {
  { "id", G_STRUCT_OFFSET (NtStation, id) },
  { "name", G_STRUCT_OFFSET (NtStation, name) },
  { "beamline-id", G_STRUCT_OFFSET (NtStation, beamline_id) },
};

static GParamSpec *properties[G_N_ELEMENTS (string_props) + 1];

static void
nt_station_finalize (GObject *object)
{
  NtStation *self = (NtStation *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->beamline_id, g_free);
  nt_energy_range_clear (&self->energy);

  G_OBJECT_CLASS (nt_station_parent_class)->finalize (object);
}

static void
nt_station_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  nt_string_properties_get (object, string_props, G_N_ELEMENTS (string_props),
                            prop_id, value, pspec);
}

static void
nt_station_class_init (NtStationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = nt_station_finalize;
  object_class->get_property = nt_station_get_property;

  nt_string_properties_install (object_class, properties,
                                string_props, G_N_ELEMENTS (string_props));
}

static void
nt_station_init (NtStation *self)
{
}

NtStation *
nt_station_new_internal (const char          *id,
                         const char          *name,
                         const char          *beamline_id,
                         NtStationKind        kind,
                         const NtEnergyRange *energy,
                         guint                public_shifts_2026a)
{
  NtStation *self = g_object_new (NT_TYPE_STATION, NULL);

  self->id = g_strdup (id);
  self->name = g_strdup (name);
  self->beamline_id = g_strdup (beamline_id);
  self->kind = kind;
  nt_energy_range_copy (&self->energy, energy);
  self->public_shifts_2026a = public_shifts_2026a;

  return self;
}

const char *
nt_station_get_id (NtStation *self)
{
  g_return_val_if_fail (NT_IS_STATION (self), NULL);
  return self->id;
}

/**
 * nt_station_get_name:
 *
 * Returns: the station's short name ("XRD"); for a beamline's only
 *   station, the beamline id.
 */
const char *
nt_station_get_name (NtStation *self)
{
  g_return_val_if_fail (NT_IS_STATION (self), NULL);
  return self->name;
}

const char *
nt_station_get_beamline_id (NtStation *self)
{
  g_return_val_if_fail (NT_IS_STATION (self), NULL);
  return self->beamline_id;
}

NtStationKind
nt_station_get_kind (NtStation *self)
{
  g_return_val_if_fail (NT_IS_STATION (self), NT_STATION_MAIN);
  return self->kind;
}

const char *
nt_station_get_energy_label (NtStation *self)
{
  g_return_val_if_fail (NT_IS_STATION (self), NULL);
  return self->energy.label;
}

double
nt_station_get_energy_min_ev (NtStation *self)
{
  g_return_val_if_fail (NT_IS_STATION (self), 0.0);
  return self->energy.min_ev;
}

double
nt_station_get_energy_max_ev (NtStation *self)
{
  g_return_val_if_fail (NT_IS_STATION (self), 0.0);
  return self->energy.max_ev;
}

/**
 * nt_station_get_fixed_energies_ev:
 * @n_energies: (out): the number of fixed energies
 *
 * Returns: the fixed photon energies a branch station runs at, or %NULL
 *   when its energy is tunable over its range.
 */
const double *
nt_station_get_fixed_energies_ev (NtStation *self,
                                  guint     *n_energies)
{
  g_return_val_if_fail (NT_IS_STATION (self), NULL);
  g_return_val_if_fail (n_energies != NULL, NULL);

  if (self->energy.fixed_ev == NULL)
    {
      *n_energies = 0;
      return NULL;
    }

  *n_energies = self->energy.fixed_ev->len;
  return (const double *)(gpointer)self->energy.fixed_ev->data;
}

guint
nt_station_get_public_shifts_2026a (NtStation *self)
{
  g_return_val_if_fail (NT_IS_STATION (self), 0);
  return self->public_shifts_2026a;
}

/**
 * nt_station_get_energy_is_nominal:
 *
 * Returns: %TRUE when the facility publishes only the band (“soft X-ray”)
 *   and the range is a nominal one used by the simulator
 */
gboolean
nt_station_get_energy_is_nominal (NtStation *self)
{
  g_return_val_if_fail (NT_IS_STATION (self), FALSE);
  return self->energy.nominal;
}
