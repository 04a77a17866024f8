/* nt-beam-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "nt-context.h"
#include "nt-strip-chart.h"

G_BEGIN_DECLS

#define NT_TYPE_BEAM_PAGE (nt_beam_page_get_type ())

G_DECLARE_FINAL_TYPE (NtBeamPage, nt_beam_page, NT, BEAM_PAGE, GtkWidget)

GtkWidget    *nt_beam_page_new        (NtContext  *context);
NtStripChart *nt_beam_page_get_chart  (NtBeamPage *self);
GtkWidget    *nt_beam_page_get_panel  (NtBeamPage *self);

G_END_DECLS
