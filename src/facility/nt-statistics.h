/* nt-statistics.h: operations statistics (availability, faults, MTBF,
 * MTTR, delivered hours per beamline) as a pure function of archived
 * samples, the run plan, the allocations and the settings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The computation is split in pieces of time (a facility day, or part of
 * one at the ends of a range): nt_stats_piece_compute() gives one piece's
 * sums and the times below the threshold in it; nt_stats_assemble() joins
 * pieces into the answer of GET /api/v1/statistics (HACKING.md,
 * "Statistics").  A piece depends only on its inputs, so a closed day's
 * piece can be kept until the settings or the plan change
 * (nt-statistics-service.c).  nt_stats_compute() does the whole thing
 * over samples held in memory (for tests).
 */
#pragma once

#include <json-glib/json-glib.h>

#include "nt-allocation.h"
#include "nt-history-store.h"
#include "nt-run-plan.h"

G_BEGIN_DECLS

typedef struct
{
  double threshold_fraction;    /* of the period's planned current, 0 < f <= 1 */
  gint64 grace_us;              /* a loss longer than this is a fault */
  double target_availability;   /* percent, reported only */
  gint64 max_gap_us;            /* a current sample stands for at most this long */
} NtStatsSettings;

#define NT_STATS_DEFAULT_THRESHOLD_FRACTION 0.1
#define NT_STATS_DEFAULT_GRACE_SECONDS      60
#define NT_STATS_DEFAULT_TARGET             95.0
#define NT_STATS_DEFAULT_MAX_GAP_SECONDS    30
#define NT_STATS_MAX_SPAN_DAYS              1827

void nt_stats_settings_init_default (NtStatsSettings *settings);

/* Times in Unix µs, [start, end). */
typedef struct
{
  gint64       start;
  gint64       end;
  NtPeriodKind kind;
  double       planned_ma;      /* the period's planned stored current */
} NtStatsPeriod;

typedef struct
{
  gint64 start;
  gint64 end;
} NtStatsSpan;

typedef struct
{
  guint  beamline;              /* index into NtStatsPlan.beamlines */
  NtSlot slot;                  /* public and coalition are counted */
  gint64 start;
  gint64 end;
} NtStatsAllocation;

typedef struct
{
  GArray    *periods;           /* NtStatsPeriod, sorted, not overlapping */
  GArray    *refills;           /* NtStatsSpan, sorted: planned refills */
  GArray    *allocations;       /* NtStatsAllocation, any order */
  GPtrArray *beamlines;         /* char *: beamline ids */
} NtStatsPlan;

NtStatsPlan *nt_stats_plan_new  (void);
void         nt_stats_plan_free (NtStatsPlan *plan);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NtStatsPlan, nt_stats_plan_free)

/* Samples (NtHistorySample, oldest first) as nt_history_query_raw() gives
 * them: the first one may be before the piece (the value at its start). */
typedef struct
{
  GArray    *current;           /* mA */
  GArray    *mode;              /* NtRingMode index */
  GArray    *message;           /* text: the operator message */
  GPtrArray *shutters;          /* GArray per beamline (plan order): NtShutterState */
} NtStatsSamples;

/* A time below the threshold during user operation (outside planned
 * refills) within a piece. */
typedef struct
{
  gint64  start;
  gint64  end;
  int     mode;                 /* NtRingMode just before the start, -1 unknown */
  char   *message;              /* operator message at the start, owned */
} NtStatsLoss;

typedef struct
{
  gint64  from;
  gint64  to;
  gint64  scheduled_us;
  gint64  delivered_us;
  gint64  unknown_us;
  GArray *losses;               /* NtStatsLoss, oldest first */
  guint   n_beamlines;
  gint64 *beamline_us;          /* 4 per beamline: allocated public, coalition; delivered public, coalition */
} NtStatsPiece;

NtStatsPiece *nt_stats_piece_compute (const NtStatsPlan     *plan,
                                      const NtStatsSamples  *samples,
                                      const NtStatsSettings *settings,
                                      gint64                 from,
                                      gint64                 to);
NtStatsPiece *nt_stats_piece_ref     (NtStatsPiece *piece);
void          nt_stats_piece_unref   (NtStatsPiece *piece);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NtStatsPiece, nt_stats_piece_unref)

/* Gives the piece of [from, to) (a new reference), or NULL with @error. */
typedef NtStatsPiece *(*NtStatsPieceFunc) (gint64    from,
                                           gint64    to,
                                           gpointer  user_data,
                                           GError  **error);

/* The answer for [from, to) at @now (Unix µs): pieces cut at facility days
 * (Asia/Tokyo), at @from and at min(@to, @now); up to a week before and
 * after is read where a fault crosses the range's ends. */
JsonNode     *nt_stats_assemble      (const NtStatsPlan     *plan,
                                      const NtStatsSettings *settings,
                                      gint64                 from,
                                      gint64                 to,
                                      gint64                 now,
                                      NtStatsPieceFunc       get_piece,
                                      gpointer               user_data,
                                      GError               **error);

/* nt_stats_assemble() over samples in memory. */
JsonNode     *nt_stats_compute       (const NtStatsPlan     *plan,
                                      const NtStatsSamples  *samples,
                                      const NtStatsSettings *settings,
                                      gint64                 from,
                                      gint64                 to,
                                      gint64                 now);

/* The facility day (00:00 Asia/Tokyo) at or before @t_us, and the next. */
gint64        nt_stats_day_floor     (gint64 t_us);
gint64        nt_stats_day_next      (gint64 day_us);

const char   *nt_stats_mode_nick     (int mode);

G_END_DECLS
