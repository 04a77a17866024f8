/* fuzz-catalogue.c: the beamline catalogue loader
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The whole input is a catalogue (beamlines.json as shipped, or a site's
 * own): loaded, and when it loads every beamline and station read back
 * and looked up by its id, as the views and the scheduling rules do.
 */
#define G_LOG_DOMAIN "fuzz-catalogue"

#include "config.h"

#include "fuzz-common.h"
#include "nt-beamline.h"
#include "nt-catalogue.h"
#include "nt-station.h"

static gboolean ready;

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(NtCatalogue) catalogue = NULL;
  g_autoptr(GPtrArray) stations = NULL;
  GListModel *beamlines;

  if (!ready)
    {
      fuzz_setup_once ();
      ready = TRUE;
    }

  catalogue = nt_catalogue_new_from_bytes (bytes, &error);
  if (catalogue == NULL)
    {
      g_assert_nonnull (error);
      return 0;
    }

  (void) nt_catalogue_get_facility (catalogue);
  beamlines = nt_catalogue_get_beamlines (catalogue);
  for (guint i = 0; i < g_list_model_get_n_items (beamlines); i++)
    {
      g_autoptr(NtBeamline) bl = g_list_model_get_item (beamlines, i);
      GListModel *bl_stations = nt_beamline_get_stations (bl);

      g_assert_true (nt_catalogue_lookup_beamline (catalogue, nt_beamline_get_id (bl)) == bl);
      g_assert_cmpuint (g_list_model_get_n_items (bl_stations), ==, nt_beamline_get_n_stations (bl));
      g_assert_nonnull (nt_beamline_get_main_station (bl));
      g_assert_true (nt_beamline_get_energy_min_ev (bl) <= nt_beamline_get_energy_max_ev (bl) ||
                     nt_beamline_get_energy_is_nominal (bl));
      (void) nt_beamline_get_energy_label (bl);
    }
  stations = nt_catalogue_list_stations (catalogue);
  for (guint i = 0; i < stations->len; i++)
    {
      NtStation *st = g_ptr_array_index (stations, i);

      g_assert_true (nt_catalogue_lookup_station (catalogue, nt_station_get_id (st)) == st);
      g_assert_nonnull (nt_catalogue_lookup_beamline (catalogue, nt_station_get_beamline_id (st)));
      (void) nt_station_get_name (st);
      (void) nt_station_get_energy_label (st);
    }
  return 0;
}
