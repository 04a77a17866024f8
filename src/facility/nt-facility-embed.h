/* nt-facility-embed.h: the reference services in a thread of their own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs an NtFacility in a thread with its own GMainContext, listening on
 * 127.0.0.1 at a free port, so the console's main loop never waits on the
 * services (SQLite, history generation, simulation).  The console talks to
 * it over HTTP/WebSocket like to any other facility.
 */
#pragma once

#include <gio/gio.h>

#include "nt-facility.h"

G_BEGIN_DECLS

typedef struct _NtFacilityThread NtFacilityThread;

void              nt_facility_thread_start_async  (const NtFacilityOptions *options,
                                                   GCancellable            *cancellable,
                                                   GAsyncReadyCallback      callback,
                                                   gpointer                 user_data);
NtFacilityThread *nt_facility_thread_start_finish (GAsyncResult            *result,
                                                   GError                 **error);
/* For tests and the daemon-less CLI; blocks until listening on 127.0.0.1:free. */
NtFacilityThread *nt_facility_thread_start_sync   (const NtFacilityOptions *options,
                                                   GError                 **error);
/* "http://127.0.0.1:PORT/" */
const char       *nt_facility_thread_get_base_uri (NtFacilityThread        *self);
/* The scheduling API's admin token for this console (see
 * nt_facility_get_local_token()); send it as "Authorization: Bearer". */
const char       *nt_facility_thread_get_local_token (NtFacilityThread *self);
/* The embedded demo database: $XDG_DATA_HOME/nanoterasu-console/demo-facility.db
 * (the directory is created, mode 0700). */
char             *nt_facility_thread_dup_default_db_path (GError **error);
/* Stops the services, joins the thread, frees @self. */
void              nt_facility_thread_stop         (NtFacilityThread        *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NtFacilityThread, nt_facility_thread_stop)

G_END_DECLS
