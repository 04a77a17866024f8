/* nt-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define NT_TYPE_APPLICATION (nt_application_get_type ())

G_DECLARE_FINAL_TYPE (NtApplication, nt_application, NT, APPLICATION, AdwApplication)

void           nt_application_prepare_process  (void);
NtApplication *nt_application_new              (void);
const char    *nt_application_get_facility_url (NtApplication *self);

G_END_DECLS
