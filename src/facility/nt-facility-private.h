/* nt-facility-private.h: what nt-facility.c (the services on one server)
 * and nt-facility-history.c (filling the archive from the simulator) share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "nt-archive-service.h"
#include "nt-facility.h"
#include "nt-statistics-service.h"

G_BEGIN_DECLS

#define WARMUP_SECONDS     (6 * 3600)   /* model run before recording starts */
#define CURRENT_PV_KEY     "ring.current"
#define HOLE_MIN_SECONDS   5
#define CHUNK_SECONDS      86400        /* history is generated a day at a time */
#define FILL_CACHE_KIB     256          /* SQLite page cache of the fill's connection */

/* How far the filling of the archive is (atomic; shared with the worker). */
typedef struct
{
  gint          done_days;
  gint          days;
} Progress;

typedef struct
{
  char         *db_path;
  guint64       seed;
  GArray       *plan;
  gint64        from;         /* first second to record */
  gint64        to;           /* last second to record */
  gint64        ready_from;   /* archive queries wait until [ready_from, to] is filled */
  Progress     *progress;     /* rc box */
  char         *current_pv;   /* archived at 1 Hz: its holes are filled */
  double        mtbf_h;
  double        recovery_s;
  GCancellable *cancellable;
  gint         *ready;        /* set to 1 when done */
  NtArchiveService *archive;  /* told when done, in its own main context */
  NtStatisticsService *statistics;  /* told when done (thread safe) */
  GMainContext *context;      /* the facility's, where the statistics are warmed */
} GenerateJob;

/* Frees @job (the worker's, when it is done). */
void     nt_facility_generate_job_free       (GenerateJob  *job);
/* The worker thread: finds the holes of [job->from, job->to] and fills them. */
gpointer nt_facility_generate_history_thread (gpointer      data);
/* A GTaskThreadFunc (source: the facility, data: the database path): moves
 * the rows of closed days into blocks. */
void     nt_facility_compact_thread          (GTask        *task,
                                              gpointer      source_object,
                                              gpointer      task_data,
                                              GCancellable *cancellable);

G_END_DECLS
