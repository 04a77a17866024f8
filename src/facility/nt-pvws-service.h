/* nt-pvws-service.h: live values over the PV Web Socket protocol
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Serves the PVs of an NtPvTable on a WebSocket the way the EPICS pvws
 * server does (DESIGN.md §6):
 *
 *   client -> {"type":"subscribe","pvs":[...]}   {"type":"clear","pvs":[...]}
 *             {"type":"list"}  {"type":"echo","body":"..."}  {"type":"ping"}
 *   server -> {"type":"update","pv":NAME, ...}
 *             {"type":"list","pvs":[subscribed...],"available":[all served...]}
 *             the echo message itself, verbatim
 *             {"type":"pong"} for a ping (pvws answers with a WebSocket ping
 *             frame, which libsoup 3.2 cannot send on demand; a client that
 *             must work with both should keep alive with "echo")
 *             {"type":"error","message":"..."} for a bad request; the
 *             socket stays open
 *
 * The first update of a PV on a socket carries its metadata (vtype, units,
 * description, precision, min, max, warn_low, warn_high, alarm_low,
 * alarm_high, labels, readonly) and its full value; later ones carry only
 * the fields that changed.  Updates are throttled to the latest value per
 * PV per period (default 100 ms); a socket whose send buffer is full is
 * skipped for the period and later gets the latest value, so a slow reader
 * costs bounded memory.  Enum values are sent as the index with
 * "text"; an undefined or disconnected PV as severity UNDEFINED, value "NaN".
 */
#pragma once

#include <libsoup/soup.h>

#include "nt-pv-table.h"

G_BEGIN_DECLS

#define NT_PVWS_DEFAULT_PERIOD_MS        100
#define NT_PVWS_DEFAULT_MAX_MESSAGE_SIZE (64 * 1024)

#define NT_TYPE_PVWS_SERVICE (nt_pvws_service_get_type ())

G_DECLARE_FINAL_TYPE (NtPvwsService, nt_pvws_service, NT, PVWS_SERVICE, GObject)

NtPvwsService *nt_pvws_service_new                  (NtPvTable     *pvs);
/* Adds the WebSocket handler at @path (e.g. "/pvws/pv") to @server. */
void           nt_pvws_service_attach               (NtPvwsService *self,
                                                     SoupServer    *server,
                                                     const char    *path);
void           nt_pvws_service_set_period           (NtPvwsService *self,
                                                     guint          period_ms);
/* Text messages longer than this get an error reply (the socket stays
 * usable); a frame beyond 16 times this closes the socket (1009). */
void           nt_pvws_service_set_max_message_size (NtPvwsService *self,
                                                     gsize          max_size);
guint          nt_pvws_service_get_n_clients        (NtPvwsService *self);
guint64        nt_pvws_service_get_n_updates_sent   (NtPvwsService *self);
/* Updates held back from sockets whose send buffer was full (slow
 * readers get the latest value once they catch up; memory stays bounded). */
guint64        nt_pvws_service_get_n_skipped        (NtPvwsService *self);
/* Closes every socket (going away) and stops the flush timer. */
void           nt_pvws_service_shutdown             (NtPvwsService *self);

G_END_DECLS
