/* nt-statistics-service.h: GET /api/v1/statistics over the archive and
 * the scheduling store, with a cache of closed days
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The route (nt-schedule-service-routes.c) checks the token and the range
 * and hands the request here.  The plan, allocations and settings are read
 * on the service's thread; the samples are read and the figures computed in
 * a worker thread on a read-only connection.  A closed facility day's piece
 * is kept in memory until the plan, the allocations or the settings change
 * (the store's revision moves) or the plan is set again.
 */
#pragma once

#include <libsoup/soup.h>

#include "nt-clock.h"
#include "nt-schedule-service.h"
#include "nt-schedule-store.h"
#include "nt-statistics.h"

G_BEGIN_DECLS

/* Which archived PVs the figures come from. */
typedef struct
{
  const char         *current_pv;     /* stored current, mA */
  const char         *mode_pv;        /* machine mode (NtRingMode index) */
  const char         *message_pv;     /* operator message (string), or NULL */
  const char * const *beamlines;      /* beamline ids, NULL-terminated */
  const char * const *shutter_pvs;    /* their front-end shutters, same order */
  double              planned_ma;     /* every user-operation period's planned current */
} NtStatisticsSources;

#define NT_TYPE_STATISTICS_SERVICE (nt_statistics_service_get_type ())

G_DECLARE_FINAL_TYPE (NtStatisticsService, nt_statistics_service, NT, STATISTICS_SERVICE, GObject)

NtStatisticsService *nt_statistics_service_new        (const char                *db_path,
                                                       NtScheduleStore           *store,
                                                       NtClock                   *clock,
                                                       const NtStatisticsSources *sources);
/* The run plan the ring followed (sorted NtPeriodSpan); NULL = the store's.
 * Drops the cache. */
void                 nt_statistics_service_set_plan   (NtStatisticsService *self,
                                                       GArray              *spans);
/* While the archive is still being filled, no day is kept in the cache. */
void                 nt_statistics_service_set_history_ready (NtStatisticsService *self,
                                                              gboolean             ready);
/* Answers @msg (paused meanwhile) for [from_us, to_us). */
void                 nt_statistics_service_handle     (NtStatisticsService *self,
                                                       SoupServerMessage   *msg,
                                                       gint64               from_us,
                                                       gint64               to_us);
/* The same answer, computed in the calling thread (benchmarks, tools). */
JsonNode            *nt_statistics_service_compute    (NtStatisticsService *self,
                                                       gint64               from_us,
                                                       gint64               to_us,
                                                       GError             **error);
/* Computes the closed days of the clock's fiscal year into the cache, in a
 * thread (nothing is answered). */
void                 nt_statistics_service_warm       (NtStatisticsService *self);
guint                nt_statistics_service_get_n_cached (NtStatisticsService *self);
void                 nt_statistics_service_drop_cache (NtStatisticsService *self);

/* GET /api/v1/statistics of @service is answered by @statistics (NULL:
 * 503 "unavailable"); the caller keeps it alive while it is set.  In
 * nt-schedule-service-routes.c, beside the route. */
void                 nt_schedule_service_set_statistics (NtScheduleService   *service,
                                                         NtStatisticsService *statistics);

/* The settings of the scheduling store that the figures use. */
void                 nt_statistics_settings_from_store (NtScheduleStore *store,
                                                        NtStatsSettings *settings);

G_END_DECLS
