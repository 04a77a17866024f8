/* nt-beamline-words.h: a beamline's catalogue facts in words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "nt-catalogue.h"

G_BEGIN_DECLS

const char *nt_beamline_words_program       (NtBeamline *beamline);
const char *nt_beamline_words_program_class (NtBeamline *beamline);
const char *nt_beamline_words_source        (NtBeamline *beamline);
const char *nt_beamline_words_technique     (NtBeamline *beamline,
                                             gboolean    japanese);
char       *nt_beamline_words_energy        (NtStation  *station);

G_END_DECLS
