/* nt-schedule-service.h: the scheduling REST API and change feed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How the facility wires it (nt_facility_new):
 *
 *   self->schedule = nt_schedule_service_new (self->db, error);
 *   nt_schedule_service_seed_demo (self->schedule, fiscal year of the clock's now, error);
 *   nt_schedule_service_attach (self->schedule, self->server);
 *   g_signal_connect (self->schedule, "plan-changed", G_CALLBACK (plan_changed_cb), self);
 *   …and on shutdown nt_schedule_service_shutdown (self->schedule).
 *
 * Routes (all under /api/v1, JSON, "Authorization: Bearer TOKEN"):
 *   GET  /beamlines  /terms?fy=  /summary?fy=  /audit?from=&to=
 *   GET  /run-plan?from=&to=                      POST /run-plan
 *   GET  /allocations?from=&to=&station=&beamline=&slot=   POST /allocations
 *   GET  /members                                 POST /members
 *   GET  /proposals                               POST /proposals
 *   GET|PATCH|DELETE /<collection>/<id>           (PATCH, DELETE need If-Match)
 *   GET  /calendar.ics[?station=|?beamline=]      (token also as ?token=)
 *   WebSocket /changes?since=N                    (token also as ?token=)
 *
 * Statuses: 201 + Location + ETag on create, 200 + ETag on read and
 * update, 204 on delete; 400 malformed JSON, 422 invalid field
 * (details.field), 409 a rule (code per rule, nt-alloc-rules.h), 412 stale
 * If-Match (details.current = the object now), 428 no If-Match, 401 no or
 * unknown token, 403 role not allowed, 404, 405, 413 body too large.
 *
 * The service runs on the thread-default main context of the thread that
 * attaches it; SQLite calls are synchronous there.
 */
#pragma once

#include <libsoup/soup.h>

#include "nt-db.h"
#include "nt-schedule-store.h"

G_BEGIN_DECLS

#define NT_SCHEDULE_DEFAULT_MAX_BODY (64 * 1024)

#define NT_TYPE_SCHEDULE_SERVICE (nt_schedule_service_get_type ())

G_DECLARE_FINAL_TYPE (NtScheduleService, nt_schedule_service, NT, SCHEDULE_SERVICE, GObject)

/* Opens the store on @db (running its migrations) with the default
 * catalogue. */
NtScheduleService *nt_schedule_service_new              (NtDb              *db,
                                                         GError           **error);
NtScheduleStore   *nt_schedule_service_get_store        (NtScheduleService *self);
/* Seeds the demo years around @fiscal_year not seeded yet (see
 * nt_schedule_store_seed_demo). */
gboolean           nt_schedule_service_seed_demo        (NtScheduleService *self,
                                                         int                fiscal_year,
                                                         GError           **error);
void               nt_schedule_service_attach           (NtScheduleService *self,
                                                         SoupServer        *server);
void               nt_schedule_service_set_max_body_size (NtScheduleService *self,
                                                          gsize              max_bytes);
/* An admin token for the embedding console, made on first call (its hash
 * is stored; earlier local tokens are revoked).  Never printed. */
const char        *nt_schedule_service_get_local_token  (NtScheduleService *self,
                                                         GError           **error);
/* The run plan now: sorted GArray of NtPeriodSpan (new reference). */
GArray            *nt_schedule_service_dup_plan         (NtScheduleService *self);
guint              nt_schedule_service_get_n_feed_clients (NtScheduleService *self);
/* Closes every change-feed socket. */
void               nt_schedule_service_shutdown         (NtScheduleService *self);

/* `nanoterasu-facility token create --db FILE --role ROLE --name NAME`,
 * `nanoterasu-facility token revoke --db FILE (--name NAME | --token TOKEN)`,
 * `nanoterasu-facility seed --db FILE [--fy 2026]`.
 * @argv[0] is "token" or "seed".  Returns the exit status. */
int                nt_schedule_token_command            (int                argc,
                                                         char             **argv);
int                nt_schedule_seed_command             (int                argc,
                                                         char             **argv);

G_END_DECLS
