/* nt-preferences-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "nt-context.h"

G_BEGIN_DECLS

#define NT_TYPE_PREFERENCES_WINDOW (nt_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (NtPreferencesWindow, nt_preferences_window, NT, PREFERENCES_WINDOW, AdwPreferencesWindow)

NtPreferencesWindow *nt_preferences_window_new              (GSettings           *settings);
void                 nt_preferences_window_set_context      (NtPreferencesWindow *self,
                                                             NtContext           *context);
const char          *nt_preferences_window_get_token_status (NtPreferencesWindow *self);

G_END_DECLS
