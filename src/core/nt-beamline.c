/* nt-beamline.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-beamline"

#include "config.h"

#include "nt-beamline.h"
#include "nt-catalogue-private.h"

struct _NtBeamline
{
  GObject        parent_instance;

  char          *id;
  NtProgram      program;
  NtSource       source;
  char          *technique_ja;
  char          *technique_en;
  NtEnergyRange  energy;
  guint          requested_days;
  GListStore    *stations;
};

G_DEFINE_FINAL_TYPE (NtBeamline, nt_beamline, G_TYPE_OBJECT)

static const NtStringProperty string_props[] = {
  { "id", G_STRUCT_OFFSET (NtBeamline, id) },
  { "technique-ja", G_STRUCT_OFFSET (NtBeamline, technique_ja) },
  { "technique-en", G_STRUCT_OFFSET (NtBeamline, technique_en) },
};

static GParamSpec *properties[G_N_ELEMENTS (string_props) + 1];

static void
nt_beamline_finalize (GObject *object)
{
  NtBeamline *self = (NtBeamline *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->technique_ja, g_free);
  g_clear_pointer (&self->technique_en, g_free);
  nt_energy_range_clear (&self->energy);
  g_clear_object (&self->stations);

  G_OBJECT_CLASS (nt_beamline_parent_class)->finalize (object);
}

static void
nt_beamline_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  nt_string_properties_get (object, string_props, G_N_ELEMENTS (string_props),
                            prop_id, value, pspec);
}

static void
nt_beamline_class_init (NtBeamlineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = nt_beamline_finalize;
  object_class->get_property = nt_beamline_get_property;

  nt_string_properties_install (object_class, properties,
                                string_props, G_N_ELEMENTS (string_props));
}

static void
nt_beamline_init (NtBeamline *self)
{
  self->stations = g_list_store_new (NT_TYPE_STATION);
}

NtBeamline *
nt_beamline_new_internal (const char          *id,
                          NtProgram            program,
                          NtSource             source,
                          const char          *technique_ja,
                          const char          *technique_en,
                          const NtEnergyRange *energy,
                          guint                requested_days,
                          GPtrArray           *stations)
{
  NtBeamline *self = g_object_new (NT_TYPE_BEAMLINE, NULL);

  self->id = g_strdup (id);
  self->program = program;
  self->source = source;
  self->technique_ja = g_strdup (technique_ja);
  self->technique_en = g_strdup (technique_en);
  nt_energy_range_copy (&self->energy, energy);
  self->requested_days = requested_days;
  g_list_store_splice (self->stations, 0, 0, stations->pdata, stations->len);

  return self;
}

const char *
nt_beamline_get_id (NtBeamline *self)
{
  g_return_val_if_fail (NT_IS_BEAMLINE (self), NULL);
  return self->id;
}

NtProgram
nt_beamline_get_program (NtBeamline *self)
{
  g_return_val_if_fail (NT_IS_BEAMLINE (self), NT_PROGRAM_PUBLIC);
  return self->program;
}

NtSource
nt_beamline_get_source (NtBeamline *self)
{
  g_return_val_if_fail (NT_IS_BEAMLINE (self), NT_SOURCE_UNDULATOR);
  return self->source;
}

const char *
nt_beamline_get_technique_ja (NtBeamline *self)
{
  g_return_val_if_fail (NT_IS_BEAMLINE (self), NULL);
  return self->technique_ja;
}

const char *
nt_beamline_get_technique_en (NtBeamline *self)
{
  g_return_val_if_fail (NT_IS_BEAMLINE (self), NULL);
  return self->technique_en;
}

const char *
nt_beamline_get_energy_label (NtBeamline *self)
{
  g_return_val_if_fail (NT_IS_BEAMLINE (self), NULL);
  return self->energy.label;
}

double
nt_beamline_get_energy_min_ev (NtBeamline *self)
{
  g_return_val_if_fail (NT_IS_BEAMLINE (self), 0.0);
  return self->energy.min_ev;
}

double
nt_beamline_get_energy_max_ev (NtBeamline *self)
{
  g_return_val_if_fail (NT_IS_BEAMLINE (self), 0.0);
  return self->energy.max_ev;
}

/**
 * nt_beamline_get_requested_days:
 *
 * Returns: the days a year requested in the facility's 2022 user survey
 *   (academic and industry together).
 */
guint
nt_beamline_get_requested_days (NtBeamline *self)
{
  g_return_val_if_fail (NT_IS_BEAMLINE (self), 0);
  return self->requested_days;
}

/**
 * nt_beamline_get_stations:
 *
 * Returns: (transfer none): a #GListModel of #NtStation, main station first
 */
GListModel *
nt_beamline_get_stations (NtBeamline *self)
{
  g_return_val_if_fail (NT_IS_BEAMLINE (self), NULL);
  return G_LIST_MODEL (self->stations);
}

guint
nt_beamline_get_n_stations (NtBeamline *self)
{
  g_return_val_if_fail (NT_IS_BEAMLINE (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->stations));
}

/**
 * nt_beamline_get_main_station:
 *
 * Returns: (transfer none): the beamline's main station
 */
NtStation *
nt_beamline_get_main_station (NtBeamline *self)
{
  guint n;

  g_return_val_if_fail (NT_IS_BEAMLINE (self), NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->stations));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(NtStation) station = g_list_model_get_item (G_LIST_MODEL (self->stations), i);

      if (nt_station_get_kind (station) == NT_STATION_MAIN)
        return station;
    }

  return NULL;
}

/**
 * nt_beamline_get_energy_is_nominal:
 *
 * Returns: %TRUE when the facility publishes only the band (“soft X-ray”)
 *   and the range is a nominal one used by the simulator
 */
gboolean
nt_beamline_get_energy_is_nominal (NtBeamline *self)
{
  g_return_val_if_fail (NT_IS_BEAMLINE (self), FALSE);
  return self->energy.nominal;
}
