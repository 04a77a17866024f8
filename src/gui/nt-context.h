/* nt-context.h: what every view of the console shares
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "nt-catalogue.h"

G_BEGIN_DECLS

#define NT_TYPE_CONTEXT (nt_context_get_type ())

G_DECLARE_FINAL_TYPE (NtContext, nt_context, NT, CONTEXT, GObject)

NtContext   *nt_context_new            (GSettings  *settings,
                                        const char *facility_url);
GSettings   *nt_context_get_settings   (NtContext  *self);
NtCatalogue *nt_context_get_catalogue  (NtContext  *self);
const char  *nt_context_get_facility_url (NtContext *self);
gboolean     nt_context_is_simulated   (NtContext  *self);
const GError *nt_context_get_catalogue_error (NtContext *self);
void         nt_context_shutdown       (NtContext  *self);

G_END_DECLS
