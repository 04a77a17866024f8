/* nt-series-blocks.c: the blocks an NtSeries keeps its samples in
 *
 * Every block but the last holds NT_SERIES_BLOCK_SIZE samples, so sample i
 * is slot (i + head) of the series' block list however the blocks are
 * encoded.  A block's times are 32-bit offsets from its base in the
 * coarsest step (s, ms, µs) that is exact for all of them and spans them,
 * or plain 64-bit times when no step does (samples further apart than
 * 2^32 µs / 512, about 8 s, at µs stamps); its values are floats when the
 * series is of float precision, or when every value is a float exactly,
 * doubles otherwise; its severities exist only if one is not NONE.  An
 * append that does not fit the block's encoding re-encodes that block.
 * Inserting or replacing samples rewrites the blocks from the first one
 * it changes, a block at a time through one block's worth of unpacked
 * samples, so it needs no copy of the series.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-series"

#include "config.h"

#include <float.h>
#include <string.h>

#include "nt-series-private.h"

#define FIRST_CAP 16

static const guint32 units[] = { 1000000, 1000, 1 };

static gsize
time_width (const NtSeriesBlock *b)
{
  return b->wide_t ? sizeof (gint64) : sizeof (guint32);
}

static gsize
value_width (const NtSeriesBlock *b)
{
  return b->wide_v ? sizeof (double) : sizeof (float);
}

static NtSeriesBlock *
block_init (NtSeriesBlock *b,
            gint64         base)
{
  memset (b, 0, sizeof *b);
  b->base = base;
  b->unit = 1;
  b->cap = FIRST_CAP;
  b->t = g_new (guint32, FIRST_CAP);
  b->v = g_new (float, FIRST_CAP);

  return b;
}

static void
block_fini (NtSeriesBlock *b)
{
  g_free (b->t);
  g_free (b->v);
  g_free (b->sev);
}

static void
block_grow (NtSeriesBlock *b,
            gsize          cap)
{
  b->t = g_realloc (b->t, cap * time_width (b));
  b->v = g_realloc (b->v, cap * value_width (b));
  if (b->sev != NULL)
    {
      b->sev = g_realloc (b->sev, cap);
      memset (b->sev + b->cap, 0, cap - b->cap);
    }
  b->cap = (guint16)cap;
}

/* Whether @v keeps its meaning as a float in @self: always for a series of
 * float precision (but for a finite value beyond the float range), for an
 * exact one only if the float is the same number. */
static gboolean
float_holds (NtSeries *self,
             double    v)
{
  float f = (float)v;

  if (isnan (v))
    return TRUE;
  if (self->precision == NT_SERIES_PRECISION_FLOAT)
    return !isinf (f) || isinf (v);
  return (double)f == v;
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
  gboolean wide_v = FALSE, any_sev = FALSE;
  gsize cap = FIRST_CAP;

  while (cap < s1)
    cap *= 2;

  for (gsize k = s0; k < s1; k++)
    {
      if (!wide_v && !float_holds (self, vs[k]))
        wide_v = TRUE;
      if (sevs[k] != NT_SERIES_SEVERITY_NONE)
        any_sev = TRUE;
    }

  g_free (b->t);
  g_free (b->v);
  g_clear_pointer (&b->sev, g_free);
  b->cap = (guint16)cap;
  b->wide_t = unit == 0;
  b->wide_v = wide_v;
  b->base = ts[s0];
  b->unit = unit == 0 ? 1 : unit;
  b->t = g_malloc (cap * time_width (b));
  b->v = g_malloc (cap * value_width (b));

  if (b->wide_t)
    memcpy ((gint64 *)b->t + s0, ts + s0, (s1 - s0) * sizeof (gint64));
  else
    for (gsize k = s0; k < s1; k++)
      ((guint32 *)b->t)[k] = (guint32)((ts[k] - b->base) / unit);

  if (wide_v)
    memcpy ((double *)b->v + s0, vs + s0, (s1 - s0) * sizeof (double));
  else
    for (gsize k = s0; k < s1; k++)
      ((float *)b->v)[k] = (float)vs[k];

  if (any_sev)
    {
      b->sev = g_malloc0 (cap);
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

static void
ensure_blocks (NtSeries *self,
               gsize     n_blocks)
{
  if (n_blocks <= self->blocks_alloc)
    return;

  /* By a quarter: a block's entry (with its leaves) is half a kilobyte,
   * about a byte a sample, so doubling would waste up to that. */
  self->blocks_alloc = MAX (self->blocks_alloc + self->blocks_alloc / 4 + 4, n_blocks);
  self->blocks = g_renew (NtSeriesBlock, self->blocks, self->blocks_alloc);
}

void
nt_series_blocks_clear (NtSeries *self)
{
  for (gsize b = 0; b < self->n_blocks; b++)
    block_fini (&self->blocks[b]);
  g_clear_pointer (&self->blocks, g_free);
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
      b = block_init (&self->blocks[self->n_blocks++], t);
    }
  else
    {
      b = &self->blocks[p >> NT_SERIES_BLOCK_SHIFT];
      if (slot >= b->cap)
        block_grow (b, 2 * (gsize)b->cap);
    }

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
      ((guint32 *)b->t)[slot] = (guint32)(d / b->unit);
    }
  else
    ((gint64 *)b->t)[slot] = t;

  if (!b->wide_v && !float_holds (self, v))
    {
      double *wide = g_new (double, b->cap);

      for (gsize k = 0; k < slot; k++)
        wide[k] = ((float *)b->v)[k];
      g_free (b->v);
      b->v = wide;
      b->wide_v = TRUE;
    }
  if (b->wide_v)
    ((double *)b->v)[slot] = v;
  else
    ((float *)b->v)[slot] = (float)v;

  if (severity != NT_SERIES_SEVERITY_NONE && b->sev == NULL)
    b->sev = g_malloc0 (b->cap);
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
  block_encode (self, &self->blocks[d], s0, s1, ts, vs, sevs);
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
    block_init (&self->blocks[self->n_blocks++], 0);

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
    block_fini (&self->blocks[--self->n_blocks]);
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
    block_fini (&self->blocks[b]);
  memmove (self->blocks, self->blocks + n_free, (self->n_blocks - n_free) * sizeof (NtSeriesBlock));
  self->n_blocks -= n_free;
  self->head &= NT_SERIES_BLOCK_MASK;
}

/* The first index in [lo, hi) whose time is >= @t (@hi if none). */
gsize
nt_series_blocks_lower_bound (NtSeries *self,
                              gsize     lo,
                              gsize     hi,
                              gint64    t)
{
  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;

      if (nt_series_time_at (self, mid) < t)
        lo = mid + 1;
      else
        hi = mid;
    }

  return lo;
}

gsize
nt_series_blocks_bytes (NtSeries *self)
{
  gsize bytes = self->blocks_alloc * sizeof (NtSeriesBlock);

  for (gsize d = 0; d < self->n_blocks; d++)
    {
      const NtSeriesBlock *b = &self->blocks[d];

      bytes += b->cap * (time_width (b) + value_width (b) + (b->sev != NULL ? 1 : 0));
    }

  return bytes;
}
