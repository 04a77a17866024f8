/* nt-client-private.h: what the live-value and scheduling clients share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

guint nt_client_backoff_ms   (guint                     attempt,
                              guint                     min_ms,
                              guint                     max_ms,
                              GRand                    *rand);
void  nt_client_close_socket (SoupWebsocketConnection **conn,
                              gpointer                  handler_data);

G_END_DECLS
