/* nt-token-store.h: the facility access token in the user's keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void      nt_token_store_lookup_async  (const char          *facility_url,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
char     *nt_token_store_lookup_finish (GAsyncResult        *result,
                                        GError             **error);
void      nt_token_store_save_async    (const char          *facility_url,
                                        const char          *token,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean  nt_token_store_save_finish   (GAsyncResult        *result,
                                        GError             **error);

G_END_DECLS
