/* nt-history-store-private.h: the compact day blocks of the archive,
 * shared by nt-history-store.c (rows, recording, queries) and
 * nt-history-store-blocks.c (encoding, writing and reading blocks)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Table history_block (id, pv, t0, t1, n, data): the samples of one
 * numeric PV within one UTC day, t0..t1 (µs, inclusive), n of them, in
 * data.  A sample is in a block or in history_sample, never in both (a
 * closed day's rows are moved into blocks by nt_history_store_compact()).
 *
 * data: byte 0 version (1); byte 1 the decimal scale e (values are k/10^e,
 * exactly) or 255 (raw doubles); a varint n; the first time as a zigzag
 * varint; then per sample the change of the time step (zigzag varint,
 * none for the first) and, scaled, zigzag(Δk) << 1 | (severity changed)
 * as a varint followed by the severity byte when it changed, or, raw, the
 * double's 8 bytes (little-endian) and the severity byte.  The 1 Hz
 * stored current (1 µA steps) takes about 2 bytes a sample.
 */
#pragma once

#include "nt-history-store.h"

G_BEGIN_DECLS

#define NT_HISTORY_BLOCK_SPAN_US ((gint64) 86400 * G_USEC_PER_SEC)

/* One block encoded a sample at a time: the samples are never held
 * decoded.  The scale is the smallest that keeps every value so far
 * exact; a sample that needs a finer one (or raw doubles) re-encodes the
 * values before it (rare: a signal's first few samples settle it). */
typedef struct
{
  GByteArray *body;       /* the samples, as they follow the count */
  guint       n;
  guint8      scale;
  gint64      first_us;
  gint64      last_us;
  gint64      prev_t;
  gint64      prev_step;
  gint64      prev_k;
  int         prev_sev;
  double      max_abs;    /* of the values so far, while scaled */
} NtHistoryBlockWriter;

void      nt_history_block_writer_init   (NtHistoryBlockWriter  *w);
void      nt_history_block_writer_clear  (NtHistoryBlockWriter  *w);
void      nt_history_block_writer_push   (NtHistoryBlockWriter  *w,
                                          gint64                 time_us,
                                          double                 value,
                                          int                    severity);
/* Appends the block (header and samples) to @out; @w is empty after. */
void      nt_history_block_writer_finish (NtHistoryBlockWriter  *w,
                                          GByteArray            *out);

/* The samples of one numeric PV recorded in block mode, encoded as they
 * come into day blocks (closed days kept encoded) until they are written:
 * a day of the 1 Hz stored current takes about 200 kB, not the 6 MB of
 * rows it would as pending samples. */
typedef struct _NtHistoryBlockSink NtHistoryBlockSink;

NtHistoryBlockSink *nt_history_block_sink_new   (gint64              pv_id);
void                nt_history_block_sink_free  (NtHistoryBlockSink *sink);
gint64              nt_history_block_sink_get_pv_id (NtHistoryBlockSink *sink);
/* One sample per instant, as INSERT OR REPLACE keeps it: a sample at or
 * before the last one replaces it. */
void                nt_history_block_sink_add   (NtHistoryBlockSink *sink,
                                                 gint64              time_us,
                                                 double              value,
                                                 int                 severity);
/* Samples added since the last write. */
guint               nt_history_block_sink_get_n (NtHistoryBlockSink *sink);
/* Writes them as blocks, inside the caller's transaction; they stay in the
 * sink (drop them once it is committed). */
gboolean            nt_history_block_sink_write (NtHistoryBlockSink *sink,
                                                 NtDb               *db,
                                                 GError            **error);
/* Forgets what the sink holds. */
void                nt_history_block_sink_drop  (NtHistoryBlockSink *sink);

void      nt_history_block_encode     (const NtHistorySample *samples,
                                       guint                  n,
                                       GByteArray            *out);
/* Appends the samples with from_us <= t <= to_us; FALSE if @data is bad. */
gboolean  nt_history_block_decode     (const guint8          *data,
                                       gsize                  size,
                                       gint64                 from_us,
                                       gint64                 to_us,
                                       GArray                *out);

/* Writes @samples (numeric, oldest first) of @pv_id as blocks, one per
 * UTC day; inside the caller's transaction. */
gboolean  nt_history_blocks_write     (NtDb                  *db,
                                       gint64                 pv_id,
                                       const NtHistorySample *samples,
                                       guint                  n,
                                       GError               **error);
/* Appends the block samples in [from_us, to_us] to @out (unsorted across
 * blocks): NtHistorySample, or with @times_only their times (gint64);
 * fails with TOO_MANY when @rows plus them pass @limit (G_MAXUINT: no
 * limit). */
gboolean  nt_history_blocks_read      (NtDb                  *db,
                                       gint64                 pv_id,
                                       gint64                 from_us,
                                       gint64                 to_us,
                                       gint64                 rows,
                                       guint                  limit,
                                       const char            *pv,
                                       gboolean               times_only,
                                       GArray                *out,
                                       GError               **error);
/* The last block sample before @before_us, if any. */
gboolean  nt_history_blocks_last_before (NtDb                *db,
                                         gint64               pv_id,
                                         gint64               before_us,
                                         NtHistorySample     *out,
                                         gboolean            *found,
                                         GError             **error);
gint64    nt_history_blocks_last_time (NtDb                  *db,
                                       const char            *pv);
/* Drops blocks that end before @before_us. */
gboolean  nt_history_blocks_prune     (NtDb                  *db,
                                       gint64                 before_us,
                                       GError               **error);
/* Drops block samples at or after @from_us (rewriting a block cut in two). */
gboolean  nt_history_blocks_truncate  (NtDb                  *db,
                                       gint64                 from_us,
                                       GError               **error);

G_END_DECLS
