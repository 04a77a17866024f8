/* nt-schedule-service-private.h: the service's instance struct, shared by
 * nt-schedule-service.c (the object, its public API and the change feed)
 * and nt-schedule-service-routes.c (the REST routes)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "nt-schedule-service.h"
#include "nt-statistics-service.h"

G_BEGIN_DECLS

#define NT_SCHEDULE_API_PREFIX "/api/v1"

struct _NtScheduleService
{
  GObject          parent_instance;

  NtScheduleStore *store;
  SoupServer      *server;
  GPtrArray       *clients;        /* SoupWebsocketConnection */
  gsize            max_body;
  char            *local_token;
  gulong           changed_id;
  gulong           plan_id;
  NtStatisticsService *statistics;  /* not owned: the facility's (set by it), or NULL */
};

/* The SoupServer handler of everything under NT_SCHEDULE_API_PREFIX
 * (@user_data the service); for the change feed it only authenticates. */
void nt_schedule_service_handle_api   (SoupServer        *server,
                                       SoupServerMessage *msg,
                                       const char        *path,
                                       GHashTable        *query,
                                       gpointer           user_data);
/* The early handler: refuses a body beyond the limit before it is read. */
void nt_schedule_service_handle_early (SoupServer        *server,
                                       SoupServerMessage *msg,
                                       const char        *path,
                                       GHashTable        *query,
                                       gpointer           user_data);

/* Request parsing, apart from the SoupServerMessage (the routes, tests and
 * tests/fuzz): each returns FALSE (NULL) with @fault set, the 4xx the route
 * answers. */
const char *nt_schedule_service_bearer_token      (const char         *authorization,
                                                   GHashTable         *query,
                                                   gboolean            allow_query);
gboolean    nt_schedule_service_query_range       (GHashTable         *query,
                                                   NtScheduleQuery    *q,
                                                   NtScheduleFault   **fault);
gboolean    nt_schedule_service_query_fiscal_year (NtScheduleService  *self,
                                                   GHashTable         *query,
                                                   int                *fy,
                                                   NtScheduleFault   **fault);
gboolean    nt_schedule_service_query_since       (GHashTable         *query,
                                                   gint64             *since,
                                                   NtScheduleFault   **fault);
gboolean    nt_schedule_service_query_calendar    (GHashTable         *query,
                                                   const char        **station,
                                                   const char        **beamline,
                                                   gint64             *from,
                                                   gint64             *to,
                                                   NtScheduleFault   **fault);
gboolean    nt_schedule_service_query_statistics  (GHashTable         *query,
                                                   gint64             *from,
                                                   gint64             *to,
                                                   NtScheduleFault   **fault);
JsonNode   *nt_schedule_service_parse_body        (NtScheduleService  *self,
                                                   GBytes             *bytes,
                                                   NtScheduleFault   **fault);

/* The first path segments under NT_SCHEDULE_API_PREFIX that the service
 * answers: the store's collections (which also have items, SEGMENT/ID),
 * then, unless @collections_only, the named routes.  For the tests (the
 * auth matrix checks it has a row for each). */
GStrv nt_schedule_service_dup_segments (gboolean collections_only);

G_END_DECLS
