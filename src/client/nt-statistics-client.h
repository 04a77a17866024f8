/* nt-statistics-client.h: the operations statistics of a time range
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "nt-client-error.h"

G_BEGIN_DECLS

/* One beam loss.  Instants are Unix seconds, UTC. */
typedef struct
{
  gint64  start;
  gint64  recovered;      /* 0: not recovered yet */
  double  lost_hours;
  char   *mode;           /* the machine mode's nick at the start */
  char   *message;        /* the operator message at the start, "" if none */
} NtStatisticsFault;

/* One facility day (Asia/Tokyo calendar date). */
typedef struct
{
  char    date[11];       /* "YYYY-MM-DD" */
  gint64  start;          /* 00:00 Asia/Tokyo of that date, Unix seconds */
  double  scheduled_hours;
  double  delivered_hours;
  double  unknown_hours;
  guint   faults;
} NtStatisticsDay;

typedef struct
{
  char   *beamline;
  double  allocated_public_hours;
  double  allocated_coalition_hours;
  double  delivered_public_hours;
  double  delivered_coalition_hours;
} NtStatisticsBeamline;

/* What GET /api/v1/statistics answered; read only once made.  A figure
 * the service sent as null is NAN. */
typedef struct
{
  gint64  from;
  gint64  to;
  gint64  complete_to;
  double  threshold_fraction;
  double  grace_seconds;
  double  target_availability;
  double  scheduled_hours;
  double  delivered_hours;
  double  unknown_hours;
  double  availability;   /* percent, or NAN */
  guint   fault_count;
  double  mtbf_hours;     /* NAN without faults */
  double  mttr_hours;     /* NAN without recovered faults */
  GArray *faults;         /* of NtStatisticsFault, by start */
  GArray *days;           /* of NtStatisticsDay, by date */
  GArray *beamlines;      /* of NtStatisticsBeamline */
} NtStatistics;

#define NT_TYPE_STATISTICS (nt_statistics_get_type ())

GType         nt_statistics_get_type   (void) G_GNUC_CONST;
NtStatistics *nt_statistics_ref        (NtStatistics  *self);
void          nt_statistics_unref      (NtStatistics  *self);
NtStatistics *nt_statistics_parse      (GBytes        *body,
                                        GError       **error);
gboolean      nt_statistics_is_live    (NtStatistics  *self);
gboolean      nt_statistics_is_filling (NtStatistics  *before,
                                        NtStatistics  *answer);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NtStatistics, nt_statistics_unref)

#define NT_TYPE_STATISTICS_CLIENT (nt_statistics_client_get_type ())

G_DECLARE_FINAL_TYPE (NtStatisticsClient, nt_statistics_client, NT, STATISTICS_CLIENT, GObject)

NtStatisticsClient *nt_statistics_client_new          (const char          *base_uri,
                                                       const char          *token);
const char         *nt_statistics_client_get_base_uri (NtStatisticsClient  *self);
void                nt_statistics_client_set_token    (NtStatisticsClient  *self,
                                                       const char          *token);
void                nt_statistics_client_fetch_async  (NtStatisticsClient  *self,
                                                       gint64               from,
                                                       gint64               to,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
NtStatistics       *nt_statistics_client_fetch_finish (NtStatisticsClient  *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);

G_END_DECLS
