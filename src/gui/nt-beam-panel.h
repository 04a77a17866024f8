/* nt-beam-panel.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "nt-context.h"

G_BEGIN_DECLS

#define NT_TYPE_BEAM_PANEL (nt_beam_panel_get_type ())

G_DECLARE_FINAL_TYPE (NtBeamPanel, nt_beam_panel, NT, BEAM_PANEL, GtkWidget)

GtkWidget  *nt_beam_panel_new               (NtContext   *context);
void        nt_beam_panel_set_language      (NtBeamPanel *self,
                                             const char  *language);
const char *nt_beam_panel_get_language      (NtBeamPanel *self);
const char *nt_beam_panel_get_current_text  (NtBeamPanel *self);
const char *nt_beam_panel_get_state_text    (NtBeamPanel *self);
const char *nt_beam_panel_get_mode_text     (NtBeamPanel *self);
const char *nt_beam_panel_get_topup_text    (NtBeamPanel *self);

G_END_DECLS
