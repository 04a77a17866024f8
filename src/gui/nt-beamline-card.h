/* nt-beamline-card.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "nt-beamline.h"

G_BEGIN_DECLS

#define NT_TYPE_BEAMLINE_CARD (nt_beamline_card_get_type ())

G_DECLARE_FINAL_TYPE (NtBeamlineCard, nt_beamline_card, NT, BEAMLINE_CARD, GtkWidget)

GtkWidget  *nt_beamline_card_new          (NtBeamline     *beamline);
NtBeamline *nt_beamline_card_get_beamline (NtBeamlineCard *self);

G_END_DECLS
