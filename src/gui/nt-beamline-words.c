/* nt-beamline-words.c: a beamline's catalogue facts in words
 *
 * What a beamline card and a beamline's page both say about the catalogue
 * entry: its program, light source, technique and a station's photon
 * energies.  The words follow a language scope (nt-i18n.h), so a card the
 * kiosk shows speaks the kiosk's language.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-beamline-words"

#include "config.h"

#include "nt-beamline-words.h"
#include "nt-i18n.h"
#include "nt-units.h"

/**
 * nt_beamline_words_program:
 *
 * Returns: "Public" or "Coalition"
 */
const char *
nt_beamline_words_program (NtBeamline *beamline)
{
  return nt_beamline_get_program (beamline) == NT_PROGRAM_PUBLIC
         ? C_("program", "Public") : C_("program", "Coalition");
}

/**
 * nt_beamline_words_program_class:
 *
 * Returns: the CSS class of the program's badge: "public" or "coalition"
 */
const char *
nt_beamline_words_program_class (NtBeamline *beamline)
{
  return nt_beamline_get_program (beamline) == NT_PROGRAM_PUBLIC ? "public" : "coalition";
}

/**
 * nt_beamline_words_source:
 *
 * Returns: the light source: "Undulator" or "Multipole wiggler"
 */
const char *
nt_beamline_words_source (NtBeamline *beamline)
{
  switch (nt_beamline_get_source (beamline))
    {
    case NT_SOURCE_UNDULATOR:
      return _("Undulator");
    case NT_SOURCE_WIGGLER:
      return _("Multipole wiggler");
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * nt_beamline_words_technique:
 * @japanese: the catalogue's Japanese name, else its English one
 */
const char *
nt_beamline_words_technique (NtBeamline *beamline,
                             gboolean    japanese)
{
  return japanese ? nt_beamline_get_technique_ja (beamline) : nt_beamline_get_technique_en (beamline);
}

/**
 * nt_beamline_words_energy:
 *
 * Returns: (transfer full): a station's photon energies: its fixed
 *   energies, its nominal band, or its range
 */
char *
nt_beamline_words_energy (NtStation *station)
{
  const double *fixed;
  guint n_fixed;

  fixed = nt_station_get_fixed_energies_ev (station, &n_fixed);
  if (n_fixed > 0)
    return nt_format_energy_list (fixed, n_fixed);
  if (nt_station_get_energy_is_nominal (station))
    return nt_format_energy_band (nt_station_get_energy_max_ev (station));
  return nt_format_energy_range (nt_station_get_energy_min_ev (station),
                                 nt_station_get_energy_max_ev (station));
}
