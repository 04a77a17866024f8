/* nt-catalogue.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-catalogue"

#include "config.h"

#include <json-glib/json-glib.h>

#include "nt-catalogue.h"
#include "nt-catalogue-private.h"
#include "nt-core-resources.h"
#include "nt-nicks-private.h"
#include "nt-model-json.h"

#define CATALOGUE_RESOURCE "/jp/nanoterasu/Console/catalogue/beamlines.json"

struct _NtCatalogue
{
  GObject     parent_instance;

  char       *facility;
  GListStore *beamlines;
  GHashTable *beamlines_by_id;  /* id -> NtBeamline (borrowed) */
  GHashTable *stations_by_id;   /* id -> NtStation (borrowed) */
};

G_DEFINE_FINAL_TYPE (NtCatalogue, nt_catalogue, G_TYPE_OBJECT)

G_DEFINE_QUARK (nt-catalogue-error-quark, nt_catalogue_error)

static const char * const program_nicks[] = {
  [NT_PROGRAM_PUBLIC] = "public",
  [NT_PROGRAM_COALITION] = "coalition",
};

static const char * const station_kind_nicks[] = {
  [NT_STATION_MAIN] = "main",
  [NT_STATION_BRANCH] = "branch",
};

const char *
nt_program_to_string (NtProgram program)
{
  g_return_val_if_fail ((guint)program < G_N_ELEMENTS (program_nicks), NULL);
  return program_nicks[program];
}

gboolean
nt_program_from_string (const char *str,
                        NtProgram  *program)
{
  int v;

  if (!nt_nick_lookup (program_nicks, G_N_ELEMENTS (program_nicks), str, &v))
    return FALSE;
  *program = v;
  return TRUE;
}

const char *
nt_station_kind_to_string (NtStationKind kind)
{
  g_return_val_if_fail ((guint)kind < G_N_ELEMENTS (station_kind_nicks), NULL);
  return station_kind_nicks[kind];
}

gboolean
nt_station_kind_from_string (const char    *str,
                             NtStationKind *kind)
{
  int v;

  if (!nt_nick_lookup (station_kind_nicks, G_N_ELEMENTS (station_kind_nicks), str, &v))
    return FALSE;
  *kind = v;
  return TRUE;
}

/* Shared by NtBeamline and NtStation */

void
nt_energy_range_clear (NtEnergyRange *range)
{
  g_clear_pointer (&range->label, g_free);
  g_clear_pointer (&range->fixed_ev, g_array_unref);
}

void
nt_energy_range_copy (NtEnergyRange       *dest,
                      const NtEnergyRange *src)
{
  dest->label = g_strdup (src->label);
  dest->min_ev = src->min_ev;
  dest->max_ev = src->max_ev;
  dest->fixed_ev = src->fixed_ev != NULL ? g_array_ref (src->fixed_ev) : NULL;
  dest->nominal = src->nominal;
}

void
nt_string_properties_install (GObjectClass           *object_class,
                              GParamSpec            **pspecs,
                              const NtStringProperty *props,
                              guint                   n_props)
{
  pspecs[0] = NULL;
  for (guint i = 0; i < n_props; i++)
    pspecs[i + 1] = g_param_spec_string (props[i].name, NULL, NULL, NULL,
                                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, n_props + 1, pspecs);
}

void
nt_string_properties_get (GObject                *object,
                          const NtStringProperty *props,
                          guint                   n_props,
                          guint                   prop_id,
                          GValue                 *value,
                          GParamSpec             *pspec)
{
  if (prop_id >= 1 && prop_id <= n_props)
    g_value_set_string (value, G_STRUCT_MEMBER (char *, object, props[prop_id - 1].offset));
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

/* Small strict accessors: each names the path of what is wrong. */

static JsonObject *
get_object (JsonObject  *object,
            const char  *member,
            const char  *where,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, NT_CATALOGUE_ERROR, NT_CATALOGUE_ERROR_INVALID,
                   "%s: “%s” must be an object", where, member);
      return NULL;
    }
  return json_node_get_object (node);
}

static JsonArray *
get_array (JsonObject  *object,
           const char  *member,
           const char  *where,
           GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, NT_CATALOGUE_ERROR, NT_CATALOGUE_ERROR_INVALID,
                   "%s: “%s” must be an array", where, member);
      return NULL;
    }
  return json_node_get_array (node);
}

static const char *
get_string (JsonObject  *object,
            const char  *member,
            gboolean     optional,
            const char  *where,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL && optional)
    return NULL;

  if (node == NULL ||
      !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING ||
      json_node_get_string (node)[0] == '\0')
    {
      g_set_error (error, NT_CATALOGUE_ERROR, NT_CATALOGUE_ERROR_INVALID,
                   "%s: “%s” must be a non-empty string", where, member);
      return NULL;
    }
  return json_node_get_string (node);
}

static gboolean
get_number (JsonObject  *object,
            const char  *member,
            double      *out,
            const char  *where,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  GType type;

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node))
    {
      type = json_node_get_value_type (node);
      if (type == G_TYPE_INT64 || type == G_TYPE_DOUBLE)
        {
          *out = json_node_get_double (node);
          if (*out >= 0)
            return TRUE;
        }
    }

  g_set_error (error, NT_CATALOGUE_ERROR, NT_CATALOGUE_ERROR_INVALID,
               "%s: “%s” must be a number not below zero", where, member);
  return FALSE;
}

/* A number of days or shifts: get_number(), and small enough for the
 * guint it is kept in (a double beyond that does not fit the cast). */
static gboolean
get_count (JsonObject  *object,
           const char  *member,
           double      *out,
           const char  *where,
           GError     **error)
{
  if (!get_number (object, member, out, where, error))
    return FALSE;
  if (*out > G_MAXUINT)
    {
      g_set_error (error, NT_CATALOGUE_ERROR, NT_CATALOGUE_ERROR_INVALID,
                   "%s: “%s” is too large", where, member);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_energy (JsonObject     *parent,
              const char     *where,
              NtEnergyRange  *range,
              GError        **error)
{
  g_autofree char *energy_where = g_strdup_printf ("%s.energy", where);
  JsonObject *obj;
  const char *label;

  if (!(obj = get_object (parent, "energy", where, error)) ||
      !(label = get_string (obj, "label", FALSE, energy_where, error)) ||
      !get_number (obj, "min_ev", &range->min_ev, energy_where, error) ||
      !get_number (obj, "max_ev", &range->max_ev, energy_where, error))
    return FALSE;

  if (range->min_ev > range->max_ev)
    {
      g_set_error (error, NT_CATALOGUE_ERROR, NT_CATALOGUE_ERROR_INVALID,
                   "%s: “min_ev” is above “max_ev”", energy_where);
      return FALSE;
    }

  range->label = g_strdup (label);

  if (json_object_has_member (obj, "nominal"))
    {
      JsonNode *n = json_object_get_member (obj, "nominal");

      if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_BOOLEAN)
        {
          g_set_error (error, NT_CATALOGUE_ERROR, NT_CATALOGUE_ERROR_INVALID,
                       "%s: “nominal” must be true or false", energy_where);
          return FALSE;
        }
      range->nominal = json_node_get_boolean (n);
    }

  if (json_object_has_member (obj, "fixed_ev"))
    {
      JsonArray *fixed = get_array (obj, "fixed_ev", energy_where, error);

      if (fixed == NULL)
        return FALSE;

      range->fixed_ev = g_array_new (FALSE, FALSE, sizeof (double));
      for (guint i = 0; i < json_array_get_length (fixed); i++)
        {
          JsonNode *n = json_array_get_element (fixed, i);
          double v;

          if (!JSON_NODE_HOLDS_VALUE (n) ||
              (json_node_get_value_type (n) != G_TYPE_INT64 &&
               json_node_get_value_type (n) != G_TYPE_DOUBLE))
            {
              g_set_error (error, NT_CATALOGUE_ERROR, NT_CATALOGUE_ERROR_INVALID,
                           "%s: “fixed_ev” must hold numbers", energy_where);
              return FALSE;
            }
          v = json_node_get_double (n);
          g_array_append_val (range->fixed_ev, v);
        }
    }

  return TRUE;
}

static NtStation *
parse_station (JsonNode     *node,
               const char   *beamline_id,
               NtEnergyRange *beamline_energy,
               guint         index,
               GError      **error)
{
  g_autofree char *where = g_strdup_printf ("%s.stations[%u]", beamline_id, index);
  NtEnergyRange energy = { 0 };
  JsonObject *obj;
  const char *id;
  const char *kind_str;
  const char *name;
  NtStationKind kind;
  double shifts = 0;
  NtStation *station;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, NT_CATALOGUE_ERROR, NT_CATALOGUE_ERROR_INVALID,
                   "%s must be an object", where);
      return NULL;
    }
  obj = json_node_get_object (node);

  if (!(id = get_string (obj, "id", FALSE, where, error)) ||
      !(kind_str = get_string (obj, "kind", FALSE, where, error)))
    return NULL;

  if (!nt_station_kind_from_string (kind_str, &kind))
    {
      g_set_error (error, NT_CATALOGUE_ERROR, NT_CATALOGUE_ERROR_UNKNOWN_VALUE,
                   "%s: unknown station kind “%s” (expected “main” or “branch”)",
                   where, kind_str);
      return NULL;
    }

  name = get_string (obj, "name", TRUE, where, error);
  if (name == NULL)
    {
      if (json_object_has_member (obj, "name"))
        return NULL;
      name = id;
    }

  if (json_object_has_member (obj, "public_shifts_2026a") &&
      !get_count (obj, "public_shifts_2026a", &shifts, where, error))
    return NULL;

  if (json_object_has_member (obj, "energy"))
    {
      if (!parse_energy (obj, where, &energy, error))
        {
          nt_energy_range_clear (&energy);
          return NULL;
        }
    }
  else
    {
      energy.label = g_strdup (beamline_energy->label);
      energy.min_ev = beamline_energy->min_ev;
      energy.max_ev = beamline_energy->max_ev;
      energy.nominal = beamline_energy->nominal;
    }

  station = nt_station_new_internal (id, name, beamline_id, kind, &energy, (guint)shifts);
  nt_energy_range_clear (&energy);

  return station;
}

static NtBeamline *
parse_beamline (NtCatalogue  *self,
                JsonNode     *node,
                guint         index,
                GError      **error)
{
  g_autofree char *where = g_strdup_printf ("beamlines[%u]", index);
  g_autoptr(GPtrArray) stations = g_ptr_array_new_with_free_func (g_object_unref);
  NtEnergyRange energy = { 0 };
  JsonObject *obj;
  JsonObject *technique;
  JsonArray *stations_array;
  const char *id;
  const char *program_str;
  const char *source_str;
  const char *ja;
  const char *en;
  NtProgram program;
  NtSource source;
  double requested_days = 0;
  guint n_main = 0;
  NtBeamline *beamline = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, NT_CATALOGUE_ERROR, NT_CATALOGUE_ERROR_INVALID,
                   "%s must be an object", where);
      return NULL;
    }
  obj = json_node_get_object (node);

  if (!(id = get_string (obj, "id", FALSE, where, error)))
    return NULL;

  /* From here on, name the beamline rather than its index. */
  g_free (where);
  where = g_strdup (id);

  if (g_hash_table_contains (self->beamlines_by_id, id))
    {
      g_set_error (error, NT_CATALOGUE_ERROR, NT_CATALOGUE_ERROR_DUPLICATE,
                   "%s: the beamline id appears twice", id);
      return NULL;
    }

  if (!(program_str = get_string (obj, "program", FALSE, where, error)))
    return NULL;
  if (!nt_program_from_string (program_str, &program))
    {
      g_set_error (error, NT_CATALOGUE_ERROR, NT_CATALOGUE_ERROR_UNKNOWN_VALUE,
                   "%s: unknown program “%s” (expected “public” or “coalition”)",
                   where, program_str);
      return NULL;
    }

  if (!(source_str = get_string (obj, "source", FALSE, where, error)))
    return NULL;
  if (g_str_equal (source_str, "undulator"))
    source = NT_SOURCE_UNDULATOR;
  else if (g_str_equal (source_str, "wiggler"))
    source = NT_SOURCE_WIGGLER;
  else
    {
      g_set_error (error, NT_CATALOGUE_ERROR, NT_CATALOGUE_ERROR_UNKNOWN_VALUE,
                   "%s: unknown source “%s” (expected “undulator” or “wiggler”)",
                   where, source_str);
      return NULL;
    }

  if (!(technique = get_object (obj, "technique", where, error)))
    return NULL;
  {
    g_autofree char *twhere = g_strdup_printf ("%s.technique", where);

    if (!(ja = get_string (technique, "ja", FALSE, twhere, error)) ||
        !(en = get_string (technique, "en", FALSE, twhere, error)))
      return NULL;
  }

  if (json_object_has_member (obj, "requested_days") &&
      !get_count (obj, "requested_days", &requested_days, where, error))
    return NULL;

  if (!parse_energy (obj, where, &energy, error))
    goto out;

  if (!(stations_array = get_array (obj, "stations", where, error)))
    goto out;

  if (json_array_get_length (stations_array) == 0)
    {
      g_set_error (error, NT_CATALOGUE_ERROR, NT_CATALOGUE_ERROR_INVALID,
                   "%s: a beamline needs at least one station", where);
      goto out;
    }

  for (guint i = 0; i < json_array_get_length (stations_array); i++)
    {
      NtStation *station = parse_station (json_array_get_element (stations_array, i),
                                          id, &energy, i, error);

      if (station == NULL)
        goto out;

      g_ptr_array_add (stations, station);

      if (g_hash_table_contains (self->stations_by_id, nt_station_get_id (station)))
        {
          g_set_error (error, NT_CATALOGUE_ERROR, NT_CATALOGUE_ERROR_DUPLICATE,
                       "%s: the station id “%s” appears twice",
                       where, nt_station_get_id (station));
          goto out;
        }
      g_hash_table_insert (self->stations_by_id,
                           (gpointer)nt_station_get_id (station), station);

      if (nt_station_get_kind (station) == NT_STATION_MAIN)
        n_main++;
    }

  if (n_main != 1)
    {
      g_set_error (error, NT_CATALOGUE_ERROR, NT_CATALOGUE_ERROR_INVALID,
                   "%s: a beamline needs exactly one main station (it has %u)",
                   where, n_main);
      goto out;
    }

  beamline = nt_beamline_new_internal (id, program, source, ja, en, &energy,
                                       (guint)requested_days, stations);

out:
  nt_energy_range_clear (&energy);
  return beamline;
}

static gboolean
nt_catalogue_load (NtCatalogue  *self,
                   GBytes       *bytes,
                   GError      **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;
  JsonObject *obj;
  JsonArray *beamlines;
  const char *facility;
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  if (!nt_json_load_one (parser, data, len, &local_error))
    {
      g_set_error (error, NT_CATALOGUE_ERROR, NT_CATALOGUE_ERROR_PARSE,
                   "The catalogue is not valid JSON: %s", local_error->message);
      return FALSE;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, NT_CATALOGUE_ERROR, NT_CATALOGUE_ERROR_INVALID,
                           "The catalogue must be a JSON object");
      return FALSE;
    }
  obj = json_node_get_object (root);

  if (!(facility = get_string (obj, "facility", FALSE, "catalogue", error)) ||
      !(beamlines = get_array (obj, "beamlines", "catalogue", error)))
    return FALSE;

  self->facility = g_strdup (facility);

  for (guint i = 0; i < json_array_get_length (beamlines); i++)
    {
      g_autoptr(NtBeamline) beamline = parse_beamline (self, json_array_get_element (beamlines, i), i, error);

      if (beamline == NULL)
        return FALSE;

      g_hash_table_insert (self->beamlines_by_id,
                           (gpointer)nt_beamline_get_id (beamline), beamline);
      g_list_store_append (self->beamlines, beamline);
    }

  return TRUE;
}

static void
nt_catalogue_finalize (GObject *object)
{
  NtCatalogue *self = (NtCatalogue *)object;

  g_clear_pointer (&self->facility, g_free);
  g_clear_pointer (&self->beamlines_by_id, g_hash_table_unref);
  g_clear_pointer (&self->stations_by_id, g_hash_table_unref);
  g_clear_object (&self->beamlines);

  G_OBJECT_CLASS (nt_catalogue_parent_class)->finalize (object);
}

static void
nt_catalogue_class_init (NtCatalogueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = nt_catalogue_finalize;
}

static void
nt_catalogue_init (NtCatalogue *self)
{
  self->beamlines = g_list_store_new (NT_TYPE_BEAMLINE);
  self->beamlines_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->stations_by_id = g_hash_table_new (g_str_hash, g_str_equal);
}

/**
 * nt_catalogue_new_from_bytes:
 * @bytes: the catalogue as JSON
 *
 * Loads a catalogue. On failure the error says what is wrong and where
 * (“BL08W.stations[1]: unknown station kind …”).
 *
 * Returns: (transfer full): a new catalogue, or %NULL with @error set
 */
NtCatalogue *
nt_catalogue_new_from_bytes (GBytes  *bytes,
                             GError **error)
{
  g_autoptr(NtCatalogue) self = NULL;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (NT_TYPE_CATALOGUE, NULL);
  if (!nt_catalogue_load (self, bytes, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * nt_catalogue_new_default:
 *
 * Loads the catalogue of NanoTerasu's beamlines shipped with the console.
 *
 * Returns: (transfer full): the catalogue, or %NULL with @error set
 */
NtCatalogue *
nt_catalogue_new_default (GError **error)
{
  g_autoptr(GBytes) bytes = NULL;

  nt_core_get_resource ();
  bytes = g_resources_lookup_data (CATALOGUE_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return NULL;

  return nt_catalogue_new_from_bytes (bytes, error);
}

const char *
nt_catalogue_get_facility (NtCatalogue *self)
{
  g_return_val_if_fail (NT_IS_CATALOGUE (self), NULL);
  return self->facility;
}

/**
 * nt_catalogue_get_beamlines:
 *
 * Returns: (transfer none): a #GListModel of #NtBeamline in catalogue order
 */
GListModel *
nt_catalogue_get_beamlines (NtCatalogue *self)
{
  g_return_val_if_fail (NT_IS_CATALOGUE (self), NULL);
  return G_LIST_MODEL (self->beamlines);
}

/**
 * nt_catalogue_lookup_beamline:
 *
 * Returns: (transfer none) (nullable): the beamline with that id
 */
NtBeamline *
nt_catalogue_lookup_beamline (NtCatalogue *self,
                              const char  *id)
{
  g_return_val_if_fail (NT_IS_CATALOGUE (self), NULL);
  return id ? g_hash_table_lookup (self->beamlines_by_id, id) : NULL;
}

/**
 * nt_catalogue_lookup_station:
 *
 * Returns: (transfer none) (nullable): the station with that id
 */
NtStation *
nt_catalogue_lookup_station (NtCatalogue *self,
                             const char  *id)
{
  g_return_val_if_fail (NT_IS_CATALOGUE (self), NULL);
  return id ? g_hash_table_lookup (self->stations_by_id, id) : NULL;
}

/**
 * nt_catalogue_list_stations:
 *
 * Returns: (transfer container) (element-type NtStation): every station,
 *   in catalogue order
 */
GPtrArray *
nt_catalogue_list_stations (NtCatalogue *self)
{
  GPtrArray *ret;
  guint n;

  g_return_val_if_fail (NT_IS_CATALOGUE (self), NULL);

  ret = g_ptr_array_new_with_free_func (g_object_unref);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->beamlines));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(NtBeamline) bl = g_list_model_get_item (G_LIST_MODEL (self->beamlines), i);
      GListModel *stations = nt_beamline_get_stations (bl);

      for (guint j = 0; j < g_list_model_get_n_items (stations); j++)
        g_ptr_array_add (ret, g_list_model_get_item (stations, j));
    }

  return ret;
}
