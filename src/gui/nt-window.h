/* nt-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "nt-application.h"
#include "nt-context.h"

G_BEGIN_DECLS

#define NT_TYPE_WINDOW (nt_window_get_type ())

G_DECLARE_FINAL_TYPE (NtWindow, nt_window, NT, WINDOW, AdwApplicationWindow)

NtWindow   *nt_window_new             (NtApplication *application,
                                       NtContext     *context);
NtContext  *nt_window_get_context     (NtWindow      *self);
const char *nt_window_get_area        (NtWindow      *self);
void        nt_window_set_area        (NtWindow      *self,
                                       const char    *area);
void        nt_window_add_toast       (NtWindow      *self,
                                       AdwToast      *toast);

G_END_DECLS
