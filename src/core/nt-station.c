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
  char          *energy_label;
  double         energy_min_ev;
  double         energy_max_ev;
  gboolean       energy_nominal;
  GArray        *fixed_ev;
  guint          public_shifts_2026a;
};

G_DEFINE_FINAL_TYPE (NtStation, nt_station, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_BEAMLINE_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
nt_station_finalize (GObject *object)
{
  NtStation *self = (NtStation *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->beamline_id, g_free);
  g_clear_pointer (&self->energy_label, g_free);
  g_clear_pointer (&self->fixed_ev, g_array_unref);

  G_OBJECT_CLASS (nt_station_parent_class)->finalize (object);
}

static void
nt_station_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  NtStation *self = NT_STATION (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_BEAMLINE_ID:
      g_value_set_string (value, self->beamline_id);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nt_station_class_init (NtStationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = nt_station_finalize;
  object_class->get_property = nt_station_get_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_BEAMLINE_ID] =
    g_param_spec_string ("beamline-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
nt_station_init (NtStation *self)
{
}

void
nt_energy_range_clear (NtEnergyRange *range)
{
  g_clear_pointer (&range->label, g_free);
  g_clear_pointer (&range->fixed_ev, g_array_unref);
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
  self->energy_label = g_strdup (energy->label);
  self->energy_min_ev = energy->min_ev;
  self->energy_max_ev = energy->max_ev;
  self->energy_nominal = energy->nominal;
  if (energy->fixed_ev != NULL)
    self->fixed_ev = g_array_ref (energy->fixed_ev);
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
  return self->energy_label;
}

double
nt_station_get_energy_min_ev (NtStation *self)
{
  g_return_val_if_fail (NT_IS_STATION (self), 0.0);
  return self->energy_min_ev;
}

double
nt_station_get_energy_max_ev (NtStation *self)
{
  g_return_val_if_fail (NT_IS_STATION (self), 0.0);
  return self->energy_max_ev;
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

  if (self->fixed_ev == NULL)
    {
      *n_energies = 0;
      return NULL;
    }

  *n_energies = self->fixed_ev->len;
  return (const double *)(gpointer)self->fixed_ev->data;
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
  return self->energy_nominal;
}
