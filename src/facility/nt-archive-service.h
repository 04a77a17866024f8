/* nt-archive-service.h: history over the Archiver Appliance retrieval API
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GET /retrieval/data/getData.json?pv=SPEC&from=ISO&to=ISO
 *
 * SPEC is a PV name (raw samples) or OP_N(NAME) with OP one of mean, min,
 * max and N the bin width in seconds (1..31536000).  Answers
 *
 *   [{"meta":{"name":NAME,"EGU":UNITS,"PREC":"2"},
 *     "data":[{"secs":S,"nanos":N,"val":V,"severity":0,"status":0}, ...]}]
 *
 * - Raw: the samples with from <= t <= to, preceded by the last sample
 *   before from (its value at from); at most NT_ARCHIVE_MAX_RAW_POINTS.
 * - Binned: one sample per non-empty bin; bins are aligned to multiples of
 *   N seconds since the epoch, and a binned sample's secs is the bin START
 *   (a client draws it at the bin centre, start + N/2).  Only samples
 *   inside [from, to] count.  Each binned sample also has "count".
 * - Enum PVs give the index as val; string PVs the string.
 * - from and to are ISO 8601 with a zone (…Z); to defaults to now, from to
 *   one hour before to.
 *
 * Errors are 4xx with {"error":{"code":…,"message":…,"details":…}}:
 * 400 missing_pv / invalid_pv / invalid_time / invalid_range /
 * too_many_points / not_numeric, 404 not_found, 405 for methods other than
 * GET and HEAD, 503 unavailable once the service is shut down.  Queries
 * run in a worker thread on a read-only connection of their own; the
 * server's loop never waits on SQLite.
 *
 * Until the history generated at first start is written (see
 * nt_archive_service_set_history_ready()), queries are parked without a
 * thread, their messages paused, and started in the worker pool when it
 * is, or after a minute (nt_archive_service_set_history_wait()) with the
 * history there is then.  A parked query whose client goes away is
 * dropped.  The service works in the thread-default GMainContext of the
 * thread that made it.
 */
#pragma once

#include <libsoup/soup.h>

#include "nt-clock.h"

G_BEGIN_DECLS

#define NT_ARCHIVE_MAX_RAW_POINTS 500000
#define NT_ARCHIVE_MAX_BIN_SECONDS (365 * 24 * 3600)

#define NT_TYPE_ARCHIVE_SERVICE (nt_archive_service_get_type ())

G_DECLARE_FINAL_TYPE (NtArchiveService, nt_archive_service, NT, ARCHIVE_SERVICE, GObject)

/* @db_path: the SQLite file holding the history tables. */
NtArchiveService *nt_archive_service_new          (const char       *db_path);
void              nt_archive_service_attach       (NtArchiveService *self,
                                                   SoupServer       *server,
                                                   const char       *path);
/* The clock that says what "now" is when a query has no 'to' (NULL: the
 * default clock). */
void              nt_archive_service_set_clock    (NtArchiveService *self,
                                                   NtClock          *clock);
void              nt_archive_service_set_max_raw_points (NtArchiveService *self,
                                                         guint             max_points);
/* In the service's main context: */
void              nt_archive_service_set_history_ready (NtArchiveService *self,
                                                        gboolean          ready);
void              nt_archive_service_set_history_wait  (NtArchiveService *self,
                                                        guint             timeout_ms);
guint             nt_archive_service_get_n_parked      (NtArchiveService *self);
void              nt_archive_service_shutdown          (NtArchiveService *self);
/* From any thread: */
void              nt_archive_service_notify_history_ready (NtArchiveService *self);

G_END_DECLS
