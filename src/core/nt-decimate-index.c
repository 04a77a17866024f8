/* nt-decimate-index.c: the min/max index that decimation reads
 *
 * A pyramid of minima and maxima over an NtSeries' blocks: its leaves
 * (min and max of 16 samples, 32 a block) and each level above (nodes of
 * 16 children: 256 samples, 4,096, …) are flat arrays in the series (not
 * in the blocks: a decimation walks them in order, and the hardware
 * prefetcher follows an array, not leaves spread over the blocks).  "Min and max of samples i0 … i1" then costs
 * O(log n): the partial leaves at the two ends, then whole nodes level by
 * level.  A fan-out of 16 keeps a query's partial groups to a cache line
 * or two each (64 was measured 40 % slower with cold caches), for about
 * one byte of index per sample.  NaNs (gaps) never take part.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-decimate"

#include "config.h"

#include "nt-series-private.h"

#define SHIFT NT_SERIES_LEVEL_SHIFT
#define FANOUT NT_SERIES_FANOUT
#define MASK NT_SERIES_FANOUT_MASK

static void
level_ensure (NtSeriesLevel *level,
              gsize          n_nodes)
{
  gsize alloc;

  if (n_nodes <= level->alloc)
    return;

  alloc = MAX (level->alloc, 16);
  while (alloc < n_nodes)
    alloc *= 2;
  level->mm = nt_series_realloc_aligned (&level->mem, level->mm, 2 * level->n_nodes * sizeof (double),
                                         2 * alloc * sizeof (double));
  level->alloc = alloc;
}

/* Folds a min and a max into the running ones (the loops below keep them
 * in locals: through the pointers the compiler would have to store and
 * reload them for every element). */
#define TAKE(a, b, mn, mx) \
  G_STMT_START { \
    double ta_ = (a), tb_ = (b); \
    if (ta_ < (mn)) \
      (mn) = ta_; \
    if (tb_ > (mx)) \
      (mx) = tb_; \
  } G_STMT_END

/* Samples [lo, hi), a block at a time. */
static inline __attribute__((always_inline)) void
samples_minmax (const NtSeries *self,
                gsize           lo,
                gsize           hi,
                double         *mn,
                double         *mx)
{
  while (lo < hi)
    {
      gsize slot;
      const NtSeriesBlock *b = nt_series_block_at (self, lo, &slot);
      gsize end = MIN (hi - lo, NT_SERIES_BLOCK_SIZE - slot) + slot;
      double a = *mn, z = *mx, a2 = INFINITY, z2 = -INFINITY;
      gsize k = slot;

      /* Two chains of minima and maxima: one would wait on each compare. */
      if (b->values != NT_SERIES_VALUES_FLOAT)
        {
          const double *v = b->values == NT_SERIES_VALUES_DOUBLE ? b->vals : b->wide;

          for (; k + 1 < end; k += 2)
            {
              TAKE (v[k], v[k], a, z);
              TAKE (v[k + 1], v[k + 1], a2, z2);
            }
          if (k < end)
            TAKE (v[k], v[k], a, z);
        }
      else
        {
          const float *v = (const float *)b->vals;

          for (; k + 1 < end; k += 2)
            {
              TAKE (v[k], v[k], a, z);
              TAKE (v[k + 1], v[k + 1], a2, z2);
            }
          if (k < end)
            TAKE (v[k], v[k], a, z);
        }
      TAKE (a2, z2, a, z);
      *mn = a;
      *mx = z;
      lo += end - slot;
    }
}

static inline __attribute__((always_inline)) void
nodes_minmax (const double *mm,
              gsize         lo,
              gsize         hi,
              double       *mn,
              double       *mx)
{
  double a = *mn, z = *mx, a2 = INFINITY, z2 = -INFINITY;
  gsize k = lo;

  for (; k + 1 < hi; k += 2)
    {
      TAKE (mm[2 * k], mm[2 * k + 1], a, z);
      TAKE (mm[2 * k + 2], mm[2 * k + 3], a2, z2);
    }
  if (k < hi)
    TAKE (mm[2 * k], mm[2 * k + 1], a, z);
  TAKE (a2, z2, a, z);
  *mn = a;
  *mx = z;
}

/* Leaves [lo, hi). */
static inline __attribute__((always_inline)) void
leaves_minmax (const NtSeries *self,
               gsize           lo,
               gsize           hi,
               double         *mn,
               double         *mx)
{
  nodes_minmax (nt_series_leaf_mm (self, 0), lo, hi, mn, mx);
}

/* Recomputes the leaves and nodes that hold a sample at index >= @from. */
void
nt_series_index_rebuild_from (NtSeries *self,
                              gsize     from)
{
  gsize n_leaves = (self->n + MASK) >> SHIFT;
  gsize below_n = n_leaves, below_from = from >> SHIFT;

  for (gsize k = below_from; k < n_leaves; k++)
    {
      double *mm = nt_series_leaf_mm (self, k);
      double mn = INFINITY, mx = -INFINITY;

      samples_minmax (self, k << SHIFT, MIN ((k + 1) << SHIFT, self->n), &mn, &mx);
      mm[0] = mn;
      mm[1] = mx;
    }

  for (guint l = 0; l < NT_SERIES_N_LEVELS; l++)
    {
      NtSeriesLevel *level = &self->levels[l];
      gsize n_nodes = (below_n + MASK) >> SHIFT;
      gsize g0 = below_from >> SHIFT;

      level_ensure (level, n_nodes);
      for (gsize g = g0; g < n_nodes; g++)
        {
          gsize c0 = g << SHIFT, c1 = MIN (c0 + FANOUT, below_n);
          double mn = INFINITY, mx = -INFINITY;

          if (l == 0)
            leaves_minmax (self, c0, c1, &mn, &mx);
          else
            nodes_minmax (self->levels[l - 1].mm, c0, c1, &mn, &mx);
          level->mm[2 * g] = mn;
          level->mm[2 * g + 1] = mx;
        }
      level->n_nodes = n_nodes;
      below_n = n_nodes;
      below_from = g0;
    }
}

/* The sample at index n - 1 was just appended. */
void
nt_series_index_push (NtSeries *self)
{
  gsize i = self->n - 1;
  double x = nt_series_value_at (self, i);
  double *mm = nt_series_leaf_mm (self, i >> SHIFT);

  if ((i & MASK) == 0)
    {
      mm[0] = INFINITY;
      mm[1] = -INFINITY;
    }
  TAKE (x, x, mm[0], mm[1]);

  for (guint l = 0; l < NT_SERIES_N_LEVELS; l++)
    {
      NtSeriesLevel *level = &self->levels[l];
      gsize g = i >> (SHIFT * (l + 2));

      if (g >= level->n_nodes)
        {
          level_ensure (level, g + 1);
          level->mm[2 * g] = INFINITY;
          level->mm[2 * g + 1] = -INFINITY;
          level->n_nodes = g + 1;
        }
      TAKE (x, x, level->mm[2 * g], level->mm[2 * g + 1]);
    }
}

void
nt_series_index_clear (NtSeries *self)
{
  for (guint l = 0; l < NT_SERIES_N_LEVELS; l++)
    {
      g_clear_pointer (&self->levels[l].mem, g_free);
      self->levels[l].mm = NULL;
      self->levels[l].n_nodes = 0;
      self->levels[l].alloc = 0;
    }
}

/* The levels above the leaves (the leaves are counted with the blocks). */
gsize
nt_series_index_bytes (NtSeries *self)
{
  gsize bytes = 0;

  for (guint l = 0; l < NT_SERIES_N_LEVELS; l++)
    bytes += 2 * self->levels[l].alloc * sizeof (double);

  return bytes;
}

/**
 * nt_series_range_minmax:
 * @i0: first sample index
 * @i1: end index (exclusive)
 * @min: (out): the least non-NaN value in [@i0, @i1)
 * @max: (out): the greatest
 *
 * O(log n) through the index.
 *
 * Returns: %FALSE if the range holds no real (non-NaN) value
 */
gboolean
nt_series_range_minmax (NtSeries *self,
                        gsize     i0,
                        gsize     i1,
                        double   *min,
                        double   *max)
{
  double mn = INFINITY, mx = -INFINITY;
  gsize lo, hi;

  g_return_val_if_fail (NT_IS_SERIES (self), FALSE);

  lo = MIN (i0, self->n);
  hi = MIN (i1, self->n);

  /* A few samples: scanning them costs less than climbing the index. */
  if (lo >= hi || hi - lo <= 2 * FANOUT)
    {
      samples_minmax (self, lo, hi, &mn, &mx);
      lo = hi;
    }

  /* Level -2 are the samples, -1 the leaves, then the node levels: take
   * the unaligned ends at each level and go up with what remains. */
  for (int l = -2; lo < hi; l++)
    {
      const double *mm = l >= 0 ? self->levels[l].mm : NULL;
      gboolean last = FALSE;
      gsize a, b;

      if (l == NT_SERIES_N_LEVELS - 1 ||
          (hi - lo) < FANOUT || (lo >> SHIFT) == ((hi - 1) >> SHIFT))
        {
          a = b = hi;
          last = TRUE;
        }
      else
        {
          a = (lo + MASK) & ~(gsize)MASK;
          b = hi & ~(gsize)MASK;
        }

      /* [lo, a) and [b, hi) here; [a, b) whole nodes of the level above */
      if (l == -2)
        {
          samples_minmax (self, lo, a, &mn, &mx);
          if (b < hi)
            samples_minmax (self, b, hi, &mn, &mx);
        }
      else if (l == -1)
        {
          leaves_minmax (self, lo, a, &mn, &mx);
          if (b < hi)
            leaves_minmax (self, b, hi, &mn, &mx);
        }
      else
        {
          nodes_minmax (mm, lo, a, &mn, &mx);
          if (b < hi)
            nodes_minmax (mm, b, hi, &mn, &mx);
        }

      if (last)
        break;
      lo = a >> SHIFT;
      hi = b >> SHIFT;
    }

  if (min != NULL)
    *min = mn;
  if (max != NULL)
    *max = mx;

  return mn <= mx;
}

/* Fetches what a range query ending at sample @index reads in its block
 * and the leaves: the times about it, the values of its leaf and the group
 * of leaves it is in.  All
 * at addresses computed from the index, so nothing here waits for memory.
 */
static inline void
prefetch_block (NtSeries *self,
                gsize     index)
{
  gsize slot;
  const NtSeriesBlock *b = nt_series_block_at (self, index, &slot);
  gsize leaf0 = slot & ~(gsize)MASK;
  const double *mm = nt_series_leaf_mm (self, (index >> SHIFT) & ~(gsize)MASK);

  /* The header with a real load: a prefetch of it is often dropped (it
   * misses the TLB as often as the cache), and every read of the block
   * waits on it.  Nothing waits for the load itself. */
  __asm__ volatile ("" : : "r" (b->unit));
  __builtin_prefetch (&b->off[slot]);
  if (self->precision == NT_SERIES_PRECISION_FLOAT)
    __builtin_prefetch ((const float *)b->vals + leaf0);
  else
    {
      __builtin_prefetch (&b->vals[leaf0]);
      __builtin_prefetch (&b->vals[leaf0 + FANOUT / 2]);
    }
  for (guint k = 0; k < 2 * FANOUT; k += 8)
    __builtin_prefetch (mm + k);
}

/**
 * nt_series_prefetch:
 * @index: a sample index about to be used
 *
 * Hints the CPU to fetch what a range query ending near @index will read,
 * so that decimation can overlap the memory latency of the next columns:
 * the times and values about it, its block's leaves and the group of
 * nodes above them.
 */
void
nt_series_prefetch (NtSeries *self,
                    gsize     index)
{
  gsize g;

  if (index >= self->n)
    return;

  prefetch_block (self, index);

  g = index >> (2 * SHIFT);
  if (g < self->levels[0].n_nodes)
    {
      const double *mm = &self->levels[0].mm[2 * (g & ~(gsize)MASK)];

      for (guint k = 0; k < 2 * FANOUT; k += 8)
        __builtin_prefetch (mm + k);
    }
}
