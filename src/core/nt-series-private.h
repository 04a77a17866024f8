/* nt-series-private.h: how NtSeries stores its samples
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Internal to src/core (nt-series*.c, nt-decimate*.c), and to the tests
 * and benchmarks of the series.  Samples live in fixed-size blocks of
 * NT_SERIES_BLOCK_SIZE slots: time as a 32-bit offset from the block's base
 * (in µs, ms or s steps, whichever is exact and fits; 64-bit times when
 * none does), value as float where the series' precision allows it (or the
 * block's values are all exact floats), double otherwise, severity only in
 * blocks that hold one that is not NONE.  Each block also holds the leaves
 * of the min/max index (one per NT_SERIES_LEAF_SIZE samples); the levels
 * above them are flat arrays in the series (nt-decimate-index.c).
 */
#pragma once

#include <math.h>

#include "nt-series.h"

G_BEGIN_DECLS

#define NT_SERIES_BLOCK_SHIFT 9
#define NT_SERIES_BLOCK_SIZE  (1u << NT_SERIES_BLOCK_SHIFT)
#define NT_SERIES_BLOCK_MASK  (NT_SERIES_BLOCK_SIZE - 1)

/* The min/max index: leaves of 16 samples, then levels of 16 children. */
#define NT_SERIES_LEVEL_SHIFT 4
#define NT_SERIES_FANOUT      (1u << NT_SERIES_LEVEL_SHIFT)
#define NT_SERIES_FANOUT_MASK (NT_SERIES_FANOUT - 1)
#define NT_SERIES_LEAF_SIZE   NT_SERIES_FANOUT
#define NT_SERIES_LEAVES_PER_BLOCK (NT_SERIES_BLOCK_SIZE / NT_SERIES_LEAF_SIZE)
#define NT_SERIES_N_LEVELS    5      /* above the leaves: 256, 4096, … 16.7M samples */

typedef struct
{
  gint64   base;       /* the offsets count from here (Unix µs) */
  guint32  unit;       /* µs per offset step: 1, 1000 or 1000000 */
  guint16  cap;        /* slots allocated in t, v and sev */
  guint8   wide_t;     /* t is gint64[] (else guint32[] offsets) */
  guint8   wide_v;     /* v is double[] (else float[]) */
  gpointer t;
  gpointer v;
  guint8  *sev;        /* NULL: every sample's severity is NONE */
  double   mm[2 * NT_SERIES_LEAVES_PER_BLOCK];  /* leaf min, max */
} NtSeriesBlock;

typedef struct
{
  double *mm;          /* min, max interleaved, per node */
  gsize   n_nodes;
  gsize   alloc;
} NtSeriesLevel;

struct _NtSeries
{
  GObject            parent_instance;

  NtSeriesBlock     *blocks;     /* one array: a sample is two loads away */
  gsize              n_blocks;
  gsize              blocks_alloc;
  gsize              head;       /* slot of sample 0 in blocks[0]: a multiple of the leaf size */
  gsize              n;
  gsize              capacity;   /* 0: unbounded */
  NtSeriesPrecision  precision;

  NtSeriesLevel      levels[NT_SERIES_N_LEVELS];

  GArray            *gap_times;  /* gint64: times of NaN samples, ascending */
};

static inline NtSeriesBlock *
nt_series_block_at (const NtSeries *self,
                    gsize           index,
                    gsize          *slot)
{
  gsize p = index + self->head;

  *slot = p & NT_SERIES_BLOCK_MASK;
  return &self->blocks[p >> NT_SERIES_BLOCK_SHIFT];
}

static inline gint64
nt_series_block_time (const NtSeriesBlock *b,
                      gsize                slot)
{
  if (b->wide_t)
    return ((const gint64 *)b->t)[slot];
  return b->base + (gint64)((const guint32 *)b->t)[slot] * b->unit;
}

static inline double
nt_series_block_value (const NtSeriesBlock *b,
                       gsize                slot)
{
  if (b->wide_v)
    return ((const double *)b->v)[slot];
  return (double)((const float *)b->v)[slot];
}

static inline gint64
nt_series_time_at (const NtSeries *self,
                   gsize           index)
{
  gsize slot;
  const NtSeriesBlock *b = nt_series_block_at (self, index, &slot);

  return nt_series_block_time (b, slot);
}

static inline double
nt_series_value_at (const NtSeries *self,
                    gsize           index)
{
  gsize slot;
  const NtSeriesBlock *b = nt_series_block_at (self, index, &slot);

  return nt_series_block_value (b, slot);
}

/* The leaf holding samples [16 k, 16 k + 16): its min and max. */
static inline double *
nt_series_leaf_mm (const NtSeries *self,
                   gsize           leaf)
{
  gsize p = (leaf << NT_SERIES_LEVEL_SHIFT) + self->head;

  return &self->blocks[p >> NT_SERIES_BLOCK_SHIFT].mm[2 * ((p & NT_SERIES_BLOCK_MASK) >> NT_SERIES_LEVEL_SHIFT)];
}

/* nt-series-blocks.c */
void   nt_series_blocks_clear      (NtSeries      *self);
void   nt_series_blocks_push       (NtSeries      *self,
                                    gint64         t,
                                    double         v,
                                    guint8         severity);
void   nt_series_blocks_splice     (NtSeries      *self,
                                    gsize          i0,
                                    gsize          i1,
                                    const gint64  *t,
                                    const double  *v,
                                    const guint8  *severity,
                                    gsize          n);
void   nt_series_blocks_drop_front (NtSeries      *self,
                                    gsize          drop);
gsize  nt_series_blocks_lower_bound (NtSeries     *self,
                                     gsize         lo,
                                     gsize         hi,
                                     gint64        t);
gsize  nt_series_blocks_bytes      (NtSeries      *self);

/* nt-decimate-index.c */
void   nt_series_index_rebuild_from (NtSeries     *self,
                                     gsize         from);
void   nt_series_index_push        (NtSeries      *self);
void   nt_series_index_clear       (NtSeries      *self);
gsize  nt_series_index_bytes       (NtSeries      *self);
void   nt_series_prefetch_block    (NtSeries      *self,
                                    gsize          index);

G_END_DECLS
