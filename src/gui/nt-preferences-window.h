/* nt-preferences-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define NT_TYPE_PREFERENCES_WINDOW (nt_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (NtPreferencesWindow, nt_preferences_window, NT, PREFERENCES_WINDOW, AdwPreferencesWindow)

NtPreferencesWindow *nt_preferences_window_new (GSettings *settings);

G_END_DECLS
