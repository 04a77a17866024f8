/* nt-kiosk-window.h: the console as the lobby shows it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "nt-context.h"

G_BEGIN_DECLS

#define NT_TYPE_KIOSK_WINDOW (nt_kiosk_window_get_type ())

G_DECLARE_FINAL_TYPE (NtKioskWindow, nt_kiosk_window, NT, KIOSK_WINDOW, AdwApplicationWindow)

NtKioskWindow *nt_kiosk_window_new                (GtkApplication *application,
                                                   NtContext      *context);

guint          nt_kiosk_window_get_n_pages        (NtKioskWindow  *self);
const char    *nt_kiosk_window_get_page_name      (NtKioskWindow  *self);
guint          nt_kiosk_window_get_n_turns        (NtKioskWindow  *self);
void           nt_kiosk_window_next_page          (NtKioskWindow  *self);

const char    *nt_kiosk_window_get_language       (NtKioskWindow  *self);
void           nt_kiosk_window_set_language       (NtKioskWindow  *self,
                                                   const char     *language);
const char    *nt_kiosk_window_lookup_text        (NtKioskWindow  *self,
                                                   const char     *key);

const char    *nt_kiosk_window_get_status_text    (NtKioskWindow  *self);
const char    *nt_kiosk_window_get_plan_text      (NtKioskWindow  *self);
const char    *nt_kiosk_window_get_reliability_text (NtKioskWindow *self);
gboolean       nt_kiosk_window_is_loading         (NtKioskWindow  *self);
gboolean       nt_kiosk_window_get_pointer_hidden (NtKioskWindow  *self);
gboolean       nt_kiosk_window_get_exit_chord     (NtKioskWindow  *self,
                                                   guint          *keyval,
                                                   GdkModifierType *modifiers);
void           nt_kiosk_window_exit               (NtKioskWindow  *self);

G_END_DECLS
