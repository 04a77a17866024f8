/* nt-series-blocks.c: the blocks an NtSeries keeps its samples in
 *
 * Every block but the last holds NT_SERIES_BLOCK_SIZE samples, so sample i
 * is slot (i + head) of the series' array of blocks however the blocks are
 * encoded.  A block's times are 32-bit offsets from its base in the
 * coarsest step (s, ms, µs) that is exact for all of them and spans them,
 * or 64-bit times beside the block when no step does (samples further
 * apart than 2^32 µs / 512, about 8 s, at µs stamps); its values are floats
 * in a series of float precision (doubles beside the block for one beyond
 * the float range), doubles in an exact one; its severities exist only if
 * one is not NONE.  An append that does not fit the block's encoding
 * re-encodes that block.  Inserting or replacing samples rewrites the
 * blocks from the first one it changes, a block at a time through one
 * block's worth of unpacked samples, so it needs no copy of the series.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-series"

#include "config.h"

#include <float.h>
#include <string.h>

#include "nt-series-private.h"

static const guint32 units[] = { 1000000, 1000, 1 };

/**
 * nt_series_blocks_size_for:
 *
 * Returns: the bytes of one block of a series of @precision
 */
gsize
nt_series_blocks_size_for (NtSeriesPrecision precision)
{
  return sizeof (NtSeriesBlock) +
         NT_SERIES_BLOCK_SIZE * (precision == NT_SERIES_PRECISION_FLOAT ? sizeof (float) : sizeof (double));
}

static NtSeriesBlock *
block_init (NtSeries      *self,
            NtSeriesBlock *b,
            gint64         base)
{
  b->base = base;
  b->unit = 1;
  b->wide_t = FALSE;
  b->values = self->precision == NT_SERIES_PRECISION_FLOAT ? NT_SERIES_VALUES_FLOAT
                                                           : NT_SERIES_VALUES_DOUBLE;
  b->t64 = NULL;
  b->wide = NULL;
  b->sev = NULL;

  return b;
}

static void
block_fini (NtSeriesBlock *b)
{
  g_clear_pointer (&b->t64, g_free);
  g_clear_pointer (&b->wide, g_free);
  g_clear_pointer (&b->sev, g_free);
}

/* Whether a float block can hold @v: all but a finite value beyond the
 * float range. */
static gboolean
float_holds (double v)
{
  return !isinf ((float)v) || isinf (v) || isnan (v);
}

static void
block_store_value (NtSeriesBlock *b,
                   gsize          slot,
                   double         v)
{
  if (b->values == NT_SERIES_VALUES_FLOAT)
    ((float *)b->vals)[slot] = (float)v;
  else if (b->values == NT_SERIES_VALUES_DOUBLE)
    b->vals[slot] = v;
  else
    b->wide[slot] = float_holds (v) ? (double)(float)v : v;   /* rounded as in the other blocks */
}

/* The coarsest step that stores @ts[s0 … s1) exactly as offsets from
 * @ts[s0], or 0 if none does. */
static guint32
choose_unit (const gint64 *ts,
             gsize         s0,
             gsize         s1)
{
  gint64 base = ts[s0];

  for (guint u = 0; u < G_N_ELEMENTS (units); u++)
    {
      gint64 unit = units[u];
      gboolean ok = (ts[s1 - 1] - base) / unit <= (gint64)G_MAXUINT32;

      for (gsize k = s0; ok && k < s1; k++)
        ok = (ts[k] - base) % unit == 0;
      if (ok)
        return units[u];
    }

  return 0;
}

/* Encodes slots [s0, s1) of @b from unpacked samples (slots below s0, in
 * the first block, are unused). */
static void
block_encode (NtSeries      *self,
              NtSeriesBlock *b,
              gsize          s0,
              gsize          s1,
              const gint64  *ts,
              const double  *vs,
              const guint8  *sevs)
{
  guint32 unit = choose_unit (ts, s0, s1);
  gboolean any_sev = FALSE, wide_v = FALSE;

  for (gsize k = s0; k < s1; k++)
    {
      if (sevs[k] != NT_SERIES_SEVERITY_NONE)
        any_sev = TRUE;
      if (self->precision == NT_SERIES_PRECISION_FLOAT && !float_holds (vs[k]))
        wide_v = TRUE;
    }

  block_fini (b);
  block_init (self, b, ts[s0]);
  b->wide_t = unit == 0;
  b->unit = unit == 0 ? 1 : unit;

  if (b->wide_t)
    {
      b->t64 = g_new (gint64, NT_SERIES_BLOCK_SIZE);
      memcpy (b->t64 + s0, ts + s0, (s1 - s0) * sizeof (gint64));
    }
  else
    for (gsize k = s0; k < s1; k++)
      b->off[k] = (guint32)((ts[k] - b->base) / unit);

  if (wide_v)
    {
      b->values = NT_SERIES_VALUES_WIDE;
      b->wide = g_new (double, NT_SERIES_BLOCK_SIZE);
    }
  for (gsize k = s0; k < s1; k++)
    block_store_value (b, k, vs[k]);

  if (any_sev)
    {
      b->sev = g_malloc0 (NT_SERIES_BLOCK_SIZE);
      memcpy (b->sev + s0, sevs + s0, s1 - s0);
    }
}

/* Unpacks slots [s0, s1) of @b. */
static void
block_decode (const NtSeriesBlock *b,
              gsize                s0,
              gsize                s1,
              gint64              *ts,
              double              *vs,
              guint8              *sevs)
{
  for (gsize k = s0; k < s1; k++)
    {
      ts[k] = nt_series_block_time (b, k);
      vs[k] = nt_series_block_value (b, k);
      sevs[k] = b->sev != NULL ? b->sev[k] : NT_SERIES_SEVERITY_NONE;
    }
}

gpointer
nt_series_realloc_aligned (gpointer *mem,
                           gpointer  aligned,
                           gsize     used,
                           gsize     size)
{
  gsize old_off = aligned != NULL ? (gsize) ((guint8 *) aligned - (guint8 *) *mem) : 0;
  guint8 *raw = g_realloc (*mem, size + NT_SERIES_CACHE_LINE - 1);
  gsize off = (NT_SERIES_CACHE_LINE - ((guintptr) raw & (NT_SERIES_CACHE_LINE - 1))) & (NT_SERIES_CACHE_LINE - 1);

  /* realloc kept the bytes from the start; the line may fall elsewhere
   * now (rarely, for a big array: mremap keeps the offset in the page). */
  if (off != old_off && used > 0)
    memmove (raw + off, raw + old_off, used);
  *mem = raw;
  return raw + off;
}

static void
ensure_blocks (NtSeries *self,
               gsize     n_blocks)
{
  gsize leaf_bytes = 2 * NT_SERIES_LEAVES_PER_BLOCK * sizeof (double);

  if (n_blocks <= self->blocks_alloc)
    return;

  /* By a sixteenth: doubling would hold up to the series' size again
   * unused (a big array grows in place, by mremap, so this costs little). */
  self->blocks_alloc = MAX (self->blocks_alloc + self->blocks_alloc / 16 + 2, n_blocks);
  self->blocks = nt_series_realloc_aligned (&self->blocks_mem, self->blocks, self->n_blocks * self->block_size,
                                            self->blocks_alloc * self->block_size);
  self->leaves = nt_series_realloc_aligned (&self->leaves_mem, self->leaves, self->n_blocks * leaf_bytes,
                                            self->blocks_alloc * leaf_bytes);
}

void
nt_series_blocks_clear (NtSeries *self)
{
  for (gsize d = 0; d < self->n_blocks; d++)
    block_fini (nt_series_block (self, d));
  g_clear_pointer (&self->blocks_mem, g_free);
  g_clear_pointer (&self->leaves_mem, g_free);
  self->blocks = NULL;
  self->leaves = NULL;
  self->n_blocks = 0;
  self->blocks_alloc = 0;
  self->head = 0;
  self->n = 0;
}

/* Appends a sample at or after the last one. */
void
nt_series_blocks_push (NtSeries *self,
                       gint64    t,
                       double    v,
                       guint8    severity)
{
  gsize p = self->head + self->n;
  gsize slot = p & NT_SERIES_BLOCK_MASK;
  NtSeriesBlock *b;

  if (slot == 0 || self->n_blocks == 0)
    {
      ensure_blocks (self, self->n_blocks + 1);
      b = block_init (self, nt_series_block (self, self->n_blocks++), t);
    }
  else
    b = nt_series_block (self, p >> NT_SERIES_BLOCK_SHIFT);

  if (!b->wide_t)
    {
      gint64 d = t - b->base;

      if (d < 0 || d % b->unit != 0 || d / b->unit > (gint64)G_MAXUINT32)
        {
          gint64 ts[NT_SERIES_BLOCK_SIZE];
          double vs[NT_SERIES_BLOCK_SIZE];
          guint8 sevs[NT_SERIES_BLOCK_SIZE];
          gsize s0 = (p >> NT_SERIES_BLOCK_SHIFT) == 0 ? self->head : 0;

          /* Re-encode the block with the new sample in it. */
          block_decode (b, s0, slot, ts, vs, sevs);
          ts[slot] = t;
          vs[slot] = v;
          sevs[slot] = severity;
          block_encode (self, b, s0, slot + 1, ts, vs, sevs);
          self->n++;
          return;
        }
      b->off[slot] = (guint32)(d / b->unit);
    }
  else
    b->t64[slot] = t;

  if (b->values == NT_SERIES_VALUES_FLOAT && !float_holds (v))
    {
      b->wide = g_new (double, NT_SERIES_BLOCK_SIZE);
      for (gsize k = 0; k < slot; k++)
        b->wide[k] = ((float *)b->vals)[k];
      b->values = NT_SERIES_VALUES_WIDE;
    }
  block_store_value (b, slot, v);

  if (severity != NT_SERIES_SEVERITY_NONE && b->sev == NULL)
    b->sev = g_malloc0 (NT_SERIES_BLOCK_SIZE);
  if (b->sev != NULL)
    b->sev[slot] = severity;

  self->n++;
}

typedef struct
{
  NtSeries     *self;
  gsize         i0;
  gsize         n_new;
  gsize         i1;
  const gint64 *t;
  const double *v;
  const guint8 *sev;
} Splice;

/* Sample @k of the series as it is after the splice. */
static void
splice_get (const Splice *sp,
            gsize         k,
            gint64       *t,
            double       *v,
            guint8       *sev)
{
  const NtSeriesBlock *b;
  gsize slot;

  if (k >= sp->i0 && k < sp->i0 + sp->n_new)
    {
      *t = sp->t[k - sp->i0];
      *v = sp->v[k - sp->i0];
      *sev = sp->sev != NULL ? sp->sev[k - sp->i0] : NT_SERIES_SEVERITY_NONE;
      return;
    }

  if (k >= sp->i0)
    k = k - sp->i0 - sp->n_new + sp->i1;
  b = nt_series_block_at (sp->self, k, &slot);
  *t = nt_series_block_time (b, slot);
  *v = nt_series_block_value (b, slot);
  *sev = b->sev != NULL ? b->sev[slot] : NT_SERIES_SEVERITY_NONE;
}

static void
splice_block (Splice *sp,
              gsize   d,
              gsize   new_n)
{
  NtSeries *self = sp->self;
  gint64 ts[NT_SERIES_BLOCK_SIZE];
  double vs[NT_SERIES_BLOCK_SIZE];
  guint8 sevs[NT_SERIES_BLOCK_SIZE];
  gsize s0 = d == 0 ? self->head : 0;
  gsize s1 = MIN (NT_SERIES_BLOCK_SIZE, self->head + new_n - (d << NT_SERIES_BLOCK_SHIFT));
  gsize first = (d << NT_SERIES_BLOCK_SHIFT) + s0 - self->head;

  for (gsize k = s0; k < s1; k++)
    splice_get (sp, first + k - s0, &ts[k], &vs[k], &sevs[k]);
  block_encode (self, nt_series_block (self, d), s0, s1, ts, vs, sevs);
}

/* Replaces samples [i0, i1) with @n given ones (sorted, and in order with
 * the samples about them). The index and the gaps are the caller's. */
void
nt_series_blocks_splice (NtSeries     *self,
                         gsize         i0,
                         gsize         i1,
                         const gint64 *t,
                         const double *v,
                         const guint8 *severity,
                         gsize         n)
{
  Splice sp = { self, i0, n, i1, t, v, severity };
  gsize new_n = self->n - (i1 - i0) + n;
  gsize new_nb, d0;

  if (n == 0 && i0 == i1)
    return;
  if (new_n == 0)
    {
      nt_series_blocks_clear (self);
      return;
    }

  new_nb = ((self->head + new_n - 1) >> NT_SERIES_BLOCK_SHIFT) + 1;
  d0 = (self->head + i0) >> NT_SERIES_BLOCK_SHIFT;

  ensure_blocks (self, new_nb);
  while (self->n_blocks < new_nb)
    block_init (self, nt_series_block (self, self->n_blocks++), 0);

  /* Every output slot reads a sample at or after it when the series
   * shrinks (write forwards) or at or before it when it grows (write
   * backwards), so a block is rewritten only once all it held is read. */
  if (n <= i1 - i0)
    {
      for (gsize d = d0; d < new_nb; d++)
        splice_block (&sp, d, new_n);
    }
  else
    {
      for (gsize d = new_nb; d > d0; d--)
        splice_block (&sp, d - 1, new_n);
    }

  while (self->n_blocks > new_nb)
    block_fini (nt_series_block (self, --self->n_blocks));
  self->n = new_n;
}

/* Forgets the oldest @drop samples; head + drop must stay a multiple of
 * the leaf size. */
void
nt_series_blocks_drop_front (NtSeries *self,
                             gsize     drop)
{
  gsize n_free;

  g_assert (drop <= self->n);
  g_assert (((self->head + drop) & NT_SERIES_FANOUT_MASK) == 0 || drop == self->n);

  if (drop == self->n)
    {
      nt_series_blocks_clear (self);
      return;
    }

  self->head += drop;
  self->n -= drop;
  n_free = self->head >> NT_SERIES_BLOCK_SHIFT;
  for (gsize b = 0; b < n_free; b++)
    block_fini (nt_series_block (self, b));
  memmove (self->blocks, self->blocks + n_free * self->block_size,
           (self->n_blocks - n_free) * self->block_size);
  memmove (self->leaves, self->leaves + 2 * NT_SERIES_LEAVES_PER_BLOCK * n_free,
           (self->n_blocks - n_free) * 2 * NT_SERIES_LEAVES_PER_BLOCK * sizeof (double));
  self->n_blocks -= n_free;
  self->head &= NT_SERIES_BLOCK_MASK;
}

/* The first index in [lo, hi) whose time is >= @t (@hi if none): first
 * the block, by the blocks' bases (each at or before the block's first
 * sample), then the sample inside it, so that a search reads a line or
 * so a step and touches few blocks. */
gsize
nt_series_blocks_lower_bound (NtSeries *self,
                              gsize     lo,
                              gsize     hi,
                              gint64    t)
{
  gsize d_lo, d_hi, d, s0, s1, first;
  const NtSeriesBlock *b;

  if (lo >= hi)
    return lo;

  /* The last block in the range whose base is before t holds the answer,
   * or the answer is the first sample of the block after it. */
  d_lo = (lo + self->head) >> NT_SERIES_BLOCK_SHIFT;
  d_hi = ((hi - 1 + self->head) >> NT_SERIES_BLOCK_SHIFT) + 1;
  d = d_lo;
  while (d_lo < d_hi)
    {
      gsize mid = d_lo + (d_hi - d_lo) / 2;

      if (nt_series_block (self, mid)->base < t)
        {
          d = mid;
          d_lo = mid + 1;
        }
      else
        d_hi = mid;
    }

  first = (d << NT_SERIES_BLOCK_SHIFT) - MIN (self->head, d << NT_SERIES_BLOCK_SHIFT);
  lo = MAX (lo, first);
  s0 = (lo + self->head) & NT_SERIES_BLOCK_MASK;
  s1 = MIN (hi - lo + s0, NT_SERIES_BLOCK_SIZE);
  b = nt_series_block (self, d);

  if (b->wide_t)
    {
      while (s0 < s1)
        {
          gsize mid = s0 + (s1 - s0) / 2;

          if (b->t64[mid] < t)
            s0 = mid + 1;
          else
            s1 = mid;
        }
    }
  else
    {
      /* offsets below ceil ((t - base) / unit) are before t */
      gint64 d_t = t - b->base;
      gint64 key = d_t <= 0 ? 0 : (d_t + b->unit - 1) / b->unit;

      if (key > (gint64)G_MAXUINT32)
        s0 = s1;
      while (s0 < s1)
        {
          gsize mid = s0 + (s1 - s0) / 2;

          if ((gint64)b->off[mid] < key)
            s0 = mid + 1;
          else
            s1 = mid;
        }
    }

  return MIN (lo + s0 - ((lo + self->head) & NT_SERIES_BLOCK_MASK), hi);
}

gsize
nt_series_blocks_bytes (NtSeries *self)
{
  gsize bytes = self->blocks_alloc * (self->block_size + 2 * NT_SERIES_LEAVES_PER_BLOCK * sizeof (double));

  for (gsize d = 0; d < self->n_blocks; d++)
    {
      const NtSeriesBlock *b = nt_series_block (self, d);

      bytes += (b->t64 != NULL ? NT_SERIES_BLOCK_SIZE * sizeof (gint64) : 0) +
               (b->wide != NULL ? NT_SERIES_BLOCK_SIZE * sizeof (double) : 0) +
               (b->sev != NULL ? NT_SERIES_BLOCK_SIZE : 0);
    }

  return bytes;
}
