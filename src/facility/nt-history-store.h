/* nt-history-store.h: archived PV samples in SQLite
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tables (component "history"):
 *   history_pv (id, name UNIQUE, type, units, precision)
 *   history_sample (pv -> history_pv, t Unix µs, val REAL, txt TEXT,
 *                   severity, PRIMARY KEY (pv, t)) WITHOUT ROWID
 *   history_block (id, pv, t0, t1, n, data): closed days of numeric PVs,
 *                   compact (nt-history-store-private.h)
 * Enum values are stored as the index in val; strings in txt.
 *
 * Recording follows each PV's archive policy (NtPvInfo.archive_period):
 * every change, or at most one sample per period (a change of severity is
 * always kept).  Samples are batched in memory (bounded) and written in one
 * transaction per flush.
 */
#pragma once

#include <gio/gio.h>

#include "nt-db.h"
#include "nt-pv-table.h"

G_BEGIN_DECLS

typedef enum
{
  NT_HISTORY_ERROR_NOT_FOUND,    /* no such PV in the archive */
  NT_HISTORY_ERROR_NOT_NUMERIC,  /* binning asked of a string PV */
  NT_HISTORY_ERROR_TOO_MANY,     /* more samples than the limit */
} NtHistoryError;

#define NT_HISTORY_ERROR (nt_history_error_quark ())

typedef enum
{
  NT_HISTORY_BIN_MEAN,
  NT_HISTORY_BIN_MIN,
  NT_HISTORY_BIN_MAX,
} NtHistoryBinOp;

typedef struct
{
  gint64      time_us;   /* Unix µs; for a bin, the bin's start */
  double      value;     /* number, enum index, or NaN for strings */
  char       *text;      /* string PVs only, owned */
  int         severity;  /* NtSeverity; for a bin, the worst in it */
  guint       count;     /* samples in the bin (1 for raw) */
} NtHistorySample;

typedef struct
{
  char       *name;
  NtPvType    type;
  char       *units;
  int         precision;
} NtHistoryPvMeta;

#define NT_HISTORY_MAX_PENDING 20000

#define NT_TYPE_HISTORY_STORE (nt_history_store_get_type ())

G_DECLARE_FINAL_TYPE (NtHistoryStore, nt_history_store, NT, HISTORY_STORE, GObject)

GQuark          nt_history_error_quark          (void);

/* Runs the history migrations on @db. */
NtHistoryStore *nt_history_store_new            (NtDb            *db,
                                                 GError         **error);
NtDb           *nt_history_store_get_db         (NtHistoryStore  *self);

/* Records the changes of @pvs from now on (registers the PVs). */
gboolean        nt_history_store_attach         (NtHistoryStore  *self,
                                                 NtPvTable       *pvs,
                                                 GError         **error);
void            nt_history_store_detach         (NtHistoryStore  *self);
/* Also records each PV's current value now (after a gap). */
void            nt_history_store_record_all     (NtHistoryStore  *self);
/* Writes what is pending in one transaction. */
gboolean        nt_history_store_flush          (NtHistoryStore  *self,
                                                 GError         **error);
guint           nt_history_store_get_n_pending  (NtHistoryStore  *self);
guint64         nt_history_store_get_n_written  (NtHistoryStore  *self);
/* Deletes samples older than @before_us. */
gboolean        nt_history_store_prune          (NtHistoryStore  *self,
                                                 gint64           before_us,
                                                 GError         **error);

/* Moves the samples of numeric PVs before the UTC day of @before_us from
 * rows into compact day blocks (nt-history-store-private.h); queries read
 * both alike.  One day of one PV per transaction. */
gboolean        nt_history_store_compact        (NtHistoryStore  *self,
                                                 gint64           before_us,
                                                 GCancellable    *cancellable,
                                                 GError         **error);
/* Flushes write numeric samples as day blocks (generating history). */
void            nt_history_store_set_block_mode (NtHistoryStore  *self,
                                                 gboolean         blocks);

/* Deletes samples at or after @from_us (a clock set back before them). */
gboolean        nt_history_store_truncate       (NtHistoryStore  *self,
                                                 gint64           from_us,
                                                 GError         **error);

/* Queries: work on any connection (a read-only one in a thread). */
/* Time (Unix µs) of the newest sample of @pv, or 0 if there is none. */
gint64          nt_history_get_last_time        (NtDb            *db,
                                                 const char      *pv);
gboolean        nt_history_get_pv_meta          (NtDb            *db,
                                                 const char      *pv,
                                                 NtHistoryPvMeta *meta,
                                                 GError         **error);
void            nt_history_pv_meta_clear        (NtHistoryPvMeta *meta);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (NtHistoryPvMeta, nt_history_pv_meta_clear)
/* Raw samples with from_us <= t <= to_us, oldest first, preceded by the
 * last sample before from_us if there is one (the value at from_us, as the
 * Archiver Appliance does).  Fails with TOO_MANY beyond @limit samples. */
GArray         *nt_history_query_raw            (NtDb            *db,
                                                 const char      *pv,
                                                 gint64           from_us,
                                                 gint64           to_us,
                                                 guint            limit,
                                                 GError         **error);
/* Sets @times (gint64) to the times of @pv's samples with from_us <= t <=
 * to_us, rows and blocks, ascending, one per instant: what finding the
 * holes in an archive needs, at 8 bytes a sample, none decoded beyond its
 * time. */
gboolean        nt_history_query_times          (NtDb            *db,
                                                 const char      *pv,
                                                 gint64           from_us,
                                                 gint64           to_us,
                                                 GArray          *times,
                                                 GError         **error);
/* One sample per bin of @bin_seconds that holds samples in [from, to];
 * bins are aligned to multiples of @bin_seconds since the epoch and
 * stamped at their start.  Empty bins are left out. */
GArray         *nt_history_query_binned         (NtDb            *db,
                                                 const char      *pv,
                                                 gint64           from_us,
                                                 gint64           to_us,
                                                 guint            bin_seconds,
                                                 NtHistoryBinOp   op,
                                                 GError         **error);

G_END_DECLS
