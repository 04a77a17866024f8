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

G_END_DECLS
