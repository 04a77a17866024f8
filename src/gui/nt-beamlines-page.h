/* nt-beamlines-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "nt-context.h"

G_BEGIN_DECLS

#define NT_TYPE_BEAMLINES_PAGE (nt_beamlines_page_get_type ())

G_DECLARE_FINAL_TYPE (NtBeamlinesPage, nt_beamlines_page, NT, BEAMLINES_PAGE, GtkWidget)

typedef enum
{
  NT_BEAMLINE_FILTER_ALL,
  NT_BEAMLINE_FILTER_PUBLIC,
  NT_BEAMLINE_FILTER_COALITION,
} NtBeamlineFilter;

NtBeamlinesPage *nt_beamlines_page_new        (NtContext        *context);
void             nt_beamlines_page_set_filter (NtBeamlinesPage  *self,
                                               NtBeamlineFilter  filter);
guint            nt_beamlines_page_count_visible (NtBeamlinesPage *self);

G_END_DECLS
