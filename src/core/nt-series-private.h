/* nt-series-private.h: how NtSeries stores its samples
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Internal to src/core (nt-series*.c, nt-decimate*.c), and to the tests
 * and benchmarks of the series.  Samples live in fixed-size blocks of
 * NT_SERIES_BLOCK_SIZE slots, one array of blocks per series: time as a
 * 32-bit offset from the block's base (in µs, ms or s steps, whichever is
 * exact and fits; 64-bit times beside the block when none does), value as
 * float in a series of float precision, double in an exact one, severity
 * beside the block only if one is not NONE.  The min/max index over the
 * blocks (nt-decimate-index.c) is flat arrays: its leaves (one per
 * NT_SERIES_LEAF_SIZE slots, NT_SERIES_LEAVES_PER_BLOCK per block, kept
 * and dropped with the blocks) and the levels above them.
 * A time, a value and a leaf are each at an address computed from the
 * index: decimation never waits on one load to know where the next is.
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

/* The blocks, their leaves and the levels start on a cache line, and a
 * block's offsets and values do too: a leaf's 16 floats are one line, a
 * group of 16 leaves or nodes four, and the header never straddles two
 * (cold decimation reads a few of each per pixel column). */
#define NT_SERIES_CACHE_LINE  64

/* Where a block's values are. */
enum
{
  NT_SERIES_VALUES_FLOAT,     /* in vals, as floats (a series of float precision) */
  NT_SERIES_VALUES_DOUBLE,    /* in vals, as doubles (an exact series) */
  NT_SERIES_VALUES_WIDE,      /* in wide: a float series' block with a value beyond the float range */
};

typedef struct
{
  gint64   base;       /* the offsets count from here (Unix µs) */
  guint32  unit;       /* µs per offset step: 1, 1000 or 1000000 */
  guint8   wide_t;     /* times in t64 (else offsets in off) */
  guint8   values;     /* NT_SERIES_VALUES_* */
  gint64  *t64;
  double  *wide;
  guint8  *sev;        /* NULL: every sample's severity is NONE */
  guint32  off[NT_SERIES_BLOCK_SIZE] __attribute__ ((aligned (NT_SERIES_CACHE_LINE)));
  double   vals[];     /* NT_SERIES_BLOCK_SIZE floats or doubles, by the series' precision */
} NtSeriesBlock;

typedef struct
{
  double  *mm;         /* min, max interleaved, per node (in mem, aligned) */
  gpointer mem;
  gsize    n_nodes;
  gsize    alloc;
} NtSeriesLevel;

struct _NtSeries
{
  GObject            parent_instance;

  guint8            *blocks;     /* n_blocks of block_size bytes (in blocks_mem, aligned) */
  gpointer           blocks_mem;
  gsize              block_size;
  gsize              n_blocks;
  gsize              blocks_alloc;
  double            *leaves;     /* min, max per leaf of the blocks, blocks_alloc blocks' worth (in leaves_mem) */
  gpointer           leaves_mem;
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
  return (NtSeriesBlock *)(gpointer)(self->blocks + (p >> NT_SERIES_BLOCK_SHIFT) * self->block_size);
}

static inline NtSeriesBlock *
nt_series_block (const NtSeries *self,
                 gsize           block)
{
  return (NtSeriesBlock *)(gpointer)(self->blocks + block * self->block_size);
}

static inline gint64
nt_series_block_time (const NtSeriesBlock *b,
                      gsize                slot)
{
  if (b->wide_t)
    return b->t64[slot];
  return b->base + (gint64)b->off[slot] * b->unit;
}

static inline double
nt_series_block_value (const NtSeriesBlock *b,
                       gsize                slot)
{
  if (b->values == NT_SERIES_VALUES_FLOAT)
    return (double)((const float *)b->vals)[slot];
  if (b->values == NT_SERIES_VALUES_DOUBLE)
    return b->vals[slot];
  return b->wide[slot];
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
  return &self->leaves[2 * (leaf + (self->head >> NT_SERIES_LEVEL_SHIFT))];
}

/* nt-series-blocks.c */
/* Grows *@mem (g_realloc) to hold @size bytes from a cache line on, the
 * @used bytes at @aligned (in it) kept: returns where they are now. */
gpointer nt_series_realloc_aligned (gpointer      *mem,
                                    gpointer       aligned,
                                    gsize          used,
                                    gsize          size);
gsize  nt_series_blocks_size_for   (NtSeriesPrecision precision);
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


G_END_DECLS
