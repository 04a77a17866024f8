/* nt-pv-client.h: live values over one PV Web Socket connection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "nt-pv-record.h"

G_BEGIN_DECLS

#define NT_TYPE_CONNECTION_STATE (nt_connection_state_get_type ())
#define NT_TYPE_PV_CLIENT (nt_pv_client_get_type ())

typedef enum
{
  NT_CONNECTION_DISCONNECTED,
  NT_CONNECTION_CONNECTING,
  NT_CONNECTION_CONNECTED,
} NtConnectionState;

GType nt_connection_state_get_type (void) G_GNUC_CONST;

G_DECLARE_FINAL_TYPE (NtPvClient, nt_pv_client, NT, PV_CLIENT, GObject)

NtPvClient        *nt_pv_client_new                    (const char  *uri);

void               nt_pv_client_start                  (NtPvClient  *self);
void               nt_pv_client_stop                   (NtPvClient  *self);
void               nt_pv_client_reconnect_now          (NtPvClient  *self);

NtPvRecord        *nt_pv_client_subscribe              (NtPvClient  *self,
                                                        const char  *name);
void               nt_pv_client_unsubscribe            (NtPvClient  *self,
                                                        const char  *name);
NtPvRecord        *nt_pv_client_lookup                 (NtPvClient  *self,
                                                        const char  *name);
char             **nt_pv_client_dup_subscriptions      (NtPvClient  *self);

const char        *nt_pv_client_get_uri                (NtPvClient  *self);
NtConnectionState  nt_pv_client_get_state              (NtPvClient  *self);
const char        *nt_pv_client_get_disconnect_reason  (NtPvClient  *self);
gint64             nt_pv_client_get_lost_at            (NtPvClient  *self);
int                nt_pv_client_get_reconnect_seconds  (NtPvClient  *self);

void               nt_pv_client_set_reconnect_delays   (NtPvClient  *self,
                                                        guint        min_ms,
                                                        guint        max_ms);
void               nt_pv_client_set_keepalive          (NtPvClient  *self,
                                                        guint        interval_ms,
                                                        guint        timeout_ms);
void               nt_pv_client_set_batch_interval     (NtPvClient  *self,
                                                        guint        interval_ms);

G_END_DECLS
