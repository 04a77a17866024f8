/* test-catalogue.c: the beamline catalogue loads, and malformed ones say why
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "nt-catalogue.h"
#include "test-instants.h"

static void
test_default_catalogue (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NtCatalogue) catalogue = nt_catalogue_new_default (&error);
  g_autoptr(GPtrArray) stations = NULL;
  GListModel *beamlines;
  NtBeamline *bl08w;
  NtStation *station;
  guint n_public = 0, n_coalition = 0;
  const double *fixed;
  guint n_fixed;

  g_assert_no_error (error);
  g_assert_nonnull (catalogue);

  beamlines = nt_catalogue_get_beamlines (catalogue);
  g_assert_cmpuint (g_list_model_get_n_items (beamlines), ==, 10);

  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(NtBeamline) bl = g_list_model_get_item (beamlines, i);

      if (nt_beamline_get_program (bl) == NT_PROGRAM_PUBLIC)
        n_public++;
      else
        n_coalition++;

      g_assert_nonnull (nt_beamline_get_main_station (bl));
      g_assert_cmpstr (nt_beamline_get_technique_ja (bl), !=, NULL);
      g_assert_cmpuint (nt_beamline_get_requested_days (bl), >, 0);
    }
  g_assert_cmpuint (n_public, ==, 3);
  g_assert_cmpuint (n_coalition, ==, 7);

  bl08w = nt_catalogue_lookup_beamline (catalogue, "BL08W");
  g_assert_nonnull (bl08w);
  g_assert_cmpint (nt_beamline_get_program (bl08w), ==, NT_PROGRAM_COALITION);
  g_assert_cmpint (nt_beamline_get_source (bl08w), ==, NT_SOURCE_WIGGLER);
  g_assert_cmpuint (nt_beamline_get_n_stations (bl08w), ==, 3);
  g_assert_cmpstr (nt_station_get_id (nt_beamline_get_main_station (bl08w)), ==, "BL08W-XAFS");
  g_assert_cmpuint (nt_beamline_get_requested_days (bl08w), ==, 1243);

  station = nt_catalogue_lookup_station (catalogue, "BL08W-XRD");
  g_assert_nonnull (station);
  g_assert_cmpint (nt_station_get_kind (station), ==, NT_STATION_BRANCH);
  g_assert_cmpstr (nt_station_get_beamline_id (station), ==, "BL08W");
  fixed = nt_station_get_fixed_energies_ev (station, &n_fixed);
  g_assert_cmpuint (n_fixed, ==, 2);
  g_assert_cmpfloat (fixed[0], ==, 17500.0);
  g_assert_cmpfloat (fixed[1], ==, 28500.0);

  station = nt_catalogue_lookup_station (catalogue, "BL02U");
  g_assert_nonnull (station);
  g_assert_cmpint (nt_station_get_kind (station), ==, NT_STATION_MAIN);
  g_assert_cmpuint (nt_station_get_public_shifts_2026a (station), ==, 267);

  g_assert_cmpstr (nt_beamline_get_technique_ja (nt_catalogue_lookup_beamline (catalogue, "BL02U")),
                   ==, "軟X線超高分解能共鳴非弾性散乱");

  g_assert_null (nt_catalogue_lookup_station (catalogue, "BL08W"));
  g_assert_null (nt_catalogue_lookup_beamline (catalogue, "BL99X"));

  stations = nt_catalogue_list_stations (catalogue);
  g_assert_cmpuint (stations->len, ==, 12);

  g_assert_finalize_object (g_steal_pointer (&catalogue));
}

typedef struct
{
  const char *name;
  const char *json;
  int         code;
  const char *fragment;  /* the message must name what is wrong */
} BadCase;

#define BL_HEAD "{\"facility\":\"X\",\"beamlines\":["
#define BL_OK(id) "{\"id\":\"" id "\",\"program\":\"public\",\"source\":\"undulator\"," \
  "\"technique\":{\"ja\":\"a\",\"en\":\"b\"},\"energy\":{\"label\":\"l\",\"min_ev\":1,\"max_ev\":2}," \
  "\"stations\":[{\"id\":\"" id "\",\"kind\":\"main\"}]}"

static const BadCase bad_cases[] = {
  { "not-json", "{\"facility\": ", NT_CATALOGUE_ERROR_PARSE, "not valid JSON" },
  { "not-object", "[1,2,3]", NT_CATALOGUE_ERROR_INVALID, "must be a JSON object" },
  { "no-beamlines", "{\"facility\":\"X\"}", NT_CATALOGUE_ERROR_INVALID, "“beamlines”" },
  { "missing-id",
    BL_HEAD "{\"program\":\"public\"}]}", NT_CATALOGUE_ERROR_INVALID, "beamlines[0]: “id”" },
  { "id-not-string",
    BL_HEAD "{\"id\":42}]}", NT_CATALOGUE_ERROR_INVALID, "beamlines[0]: “id”" },
  { "unknown-program",
    BL_HEAD "{\"id\":\"BL01X\",\"program\":\"private\"}]}", NT_CATALOGUE_ERROR_UNKNOWN_VALUE,
    "BL01X: unknown program “private”" },
  { "unknown-station-kind",
    BL_HEAD "{\"id\":\"BL01X\",\"program\":\"public\",\"source\":\"undulator\","
    "\"technique\":{\"ja\":\"a\",\"en\":\"b\"},\"energy\":{\"label\":\"l\",\"min_ev\":1,\"max_ev\":2},"
    "\"stations\":[{\"id\":\"S\",\"kind\":\"side\"}]}]}", NT_CATALOGUE_ERROR_UNKNOWN_VALUE,
    "BL01X.stations[0]: unknown station kind “side”" },
  { "no-main-station",
    BL_HEAD "{\"id\":\"BL01X\",\"program\":\"public\",\"source\":\"undulator\","
    "\"technique\":{\"ja\":\"a\",\"en\":\"b\"},\"energy\":{\"label\":\"l\",\"min_ev\":1,\"max_ev\":2},"
    "\"stations\":[{\"id\":\"S\",\"kind\":\"branch\"}]}]}", NT_CATALOGUE_ERROR_INVALID,
    "exactly one main station" },
  { "energy-reversed",
    BL_HEAD "{\"id\":\"BL01X\",\"program\":\"public\",\"source\":\"undulator\","
    "\"technique\":{\"ja\":\"a\",\"en\":\"b\"},\"energy\":{\"label\":\"l\",\"min_ev\":5,\"max_ev\":2},"
    "\"stations\":[{\"id\":\"S\",\"kind\":\"main\"}]}]}", NT_CATALOGUE_ERROR_INVALID,
    "BL01X.energy: “min_ev” is above “max_ev”" },
  { "duplicate-beamline",
    BL_HEAD BL_OK ("BL01X") "," BL_OK ("BL01X") "]}", NT_CATALOGUE_ERROR_DUPLICATE,
    "BL01X: the beamline id appears twice" },
};

static void
test_bad_catalogue (gconstpointer data)
{
  const BadCase *c = data;
  g_autoptr(GBytes) bytes = g_bytes_new_static (c->json, strlen (c->json));
  g_autoptr(GError) error = NULL;
  g_autoptr(NtCatalogue) catalogue = nt_catalogue_new_from_bytes (bytes, &error);

  g_assert_null (catalogue);
  g_assert_error (error, NT_CATALOGUE_ERROR, c->code);
  if (strstr (error->message, c->fragment) == NULL)
    g_error ("message “%s” does not contain “%s”", error->message, c->fragment);
}

static void
test_good_minimal (void)
{
  static const char json[] = BL_HEAD BL_OK ("BL01X") "]}";
  g_autoptr(GBytes) bytes = g_bytes_new_static (json, strlen (json));
  g_autoptr(GError) error = NULL;
  g_autoptr(NtCatalogue) catalogue = nt_catalogue_new_from_bytes (bytes, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (nt_catalogue_get_beamlines (catalogue)), ==, 1);
  /* A station without its own energy inherits the beamline's. */
  g_assert_cmpfloat (nt_station_get_energy_max_ev (nt_catalogue_lookup_station (catalogue, "BL01X")), ==, 2.0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* Every test here runs at a named instant, never at the real date. */
  nt_test_clock_run_from (NT_TEST_USER_OPERATION, 1.0);

  g_test_add_func ("/catalogue/default", test_default_catalogue);
  g_test_add_func ("/catalogue/minimal", test_good_minimal);
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/catalogue/bad/%s", bad_cases[i].name);
      g_test_add_data_func (path, &bad_cases[i], test_bad_catalogue);
    }

  return g_test_run ();
}
