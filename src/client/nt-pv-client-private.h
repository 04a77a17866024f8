/* nt-pv-client-private.h: the client's message path, for tests and benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "nt-pv-client.h"

G_BEGIN_DECLS

void    nt_pv_client_handle_message       (NtPvClient *self,
                                           const char *data,
                                           gsize       len);
void    nt_pv_client_flush_updates        (NtPvClient *self);
guint64 nt_pv_client_get_n_messages       (NtPvClient *self);
guint64 nt_pv_client_get_n_protocol_errors (NtPvClient *self);
guint   nt_pv_client_get_next_delay_ms    (NtPvClient *self);

G_END_DECLS
