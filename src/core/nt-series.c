/* nt-series.c: a time series in flat arrays, with a min/max pyramid
 *
 * Samples live in three parallel arrays (time in Unix µs, value, severity)
 * sorted by time.  Beside them a pyramid of block minima and maxima (blocks
 * of 16 samples, of 16 such blocks, …) answers "min and max of samples
 * i0..i1" in O(log n) work, so that decimating millions of samples to a
 * plot's pixel columns costs about the same as decimating thousands.  A
 * fan-out of 16 keeps the partial blocks at a query's ends to a cache
 * line or two each (64 was measured 40 % slower with cold caches), for
 * about one byte of pyramid per sample.
 *
 * A NaN value marks a gap (a disconnected span): the series is in a gap from
 * that sample to the next sample with a real value.  NaNs never take part in
 * minima and maxima.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-series"

#include "config.h"

#include <math.h>
#include <string.h>

#include "nt-decimate-private.h"
#include "nt-series.h"

#ifndef LEVEL_SHIFT
#define LEVEL_SHIFT 4                   /* 16 children per block */
#endif
#ifndef N_LEVELS
#define N_LEVELS    6                   /* blocks of 16, 256, … 16.7M */
#endif
#define FANOUT      (1u << LEVEL_SHIFT)
#define FANOUT_MASK (FANOUT - 1)

typedef struct
{
  double *mm;       /* min, max interleaved, per block */
  gsize   n_blocks;
  gsize   alloc;
} Level;

struct _NtSeries
{
  GObject  parent_instance;

  gint64  *t;
  double  *v;
  guint8  *sev;
  gsize    n;
  gsize    alloc;
  gsize    capacity;    /* 0: unbounded */

  Level    levels[N_LEVELS];

  GArray  *gap_times;   /* gint64: times of NaN samples, ascending */
};

G_DEFINE_FINAL_TYPE (NtSeries, nt_series, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CAPACITY,
  PROP_N_SAMPLES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Doubles @alloc (from at least @floor) until it holds @needed. */
static gsize
grown_size (gsize alloc,
            gsize floor,
            gsize needed)
{
  alloc = MAX (alloc, floor);
  while (alloc < needed)
    alloc *= 2;
  return alloc;
}

static void
ensure_alloc (NtSeries *self,
              gsize     needed)
{
  gsize alloc;

  if (needed <= self->alloc)
    return;

  alloc = grown_size (self->alloc, 1024, needed);
  if (self->capacity > 0)
    alloc = MIN (alloc, MAX (self->capacity, needed));

  self->t = g_renew (gint64, self->t, alloc);
  self->v = g_renew (double, self->v, alloc);
  self->sev = g_renew (guint8, self->sev, alloc);
  self->alloc = alloc;
}

static void
level_ensure (Level *level,
              gsize  n_blocks)
{
  gsize alloc;

  if (n_blocks <= level->alloc)
    return;

  alloc = grown_size (level->alloc, 64, n_blocks);
  level->mm = g_renew (double, level->mm, 2 * alloc);
  level->alloc = alloc;
}

/* Recomputes every pyramid block that holds a sample at index >= @from. */
static void
rebuild_pyramid_from (NtSeries *self,
                      gsize     from)
{
  gsize below_n = self->n;
  gsize below_from = from;

  for (guint l = 0; l < N_LEVELS; l++)
    {
      Level *level = &self->levels[l];
      gsize n_blocks = (below_n + FANOUT_MASK) >> LEVEL_SHIFT;
      gsize b0 = below_from >> LEVEL_SHIFT;

      level_ensure (level, n_blocks);

      for (gsize b = b0; b < n_blocks; b++)
        {
          gsize c0 = b << LEVEL_SHIFT;
          gsize c1 = MIN (c0 + FANOUT, below_n);
          double mn = INFINITY, mx = -INFINITY;

          if (l == 0)
            {
              const double *v = self->v;

              for (gsize c = c0; c < c1; c++)
                {
                  if (v[c] < mn)
                    mn = v[c];
                  if (v[c] > mx)
                    mx = v[c];
                }
            }
          else
            {
              const double *mm = self->levels[l - 1].mm;

              for (gsize c = c0; c < c1; c++)
                {
                  if (mm[2 * c] < mn)
                    mn = mm[2 * c];
                  if (mm[2 * c + 1] > mx)
                    mx = mm[2 * c + 1];
                }
            }

          level->mm[2 * b] = mn;
          level->mm[2 * b + 1] = mx;
        }

      level->n_blocks = n_blocks;
      below_n = n_blocks;
      below_from = b0;
    }
}

/* The sample at index n - 1 was just appended. */
static void
pyramid_push (NtSeries *self)
{
  gsize i = self->n - 1;
  double x = self->v[i];

  for (guint l = 0; l < N_LEVELS; l++)
    {
      Level *level = &self->levels[l];
      gsize b = i >> (LEVEL_SHIFT * (l + 1));

      if (b >= level->n_blocks)
        {
          level_ensure (level, b + 1);
          level->mm[2 * b] = INFINITY;
          level->mm[2 * b + 1] = -INFINITY;
          level->n_blocks = b + 1;
        }
      if (x < level->mm[2 * b])
        level->mm[2 * b] = x;
      if (x > level->mm[2 * b + 1])
        level->mm[2 * b + 1] = x;
    }
}

static void
rebuild_gaps (NtSeries *self)
{
  g_array_set_size (self->gap_times, 0);
  for (gsize i = 0; i < self->n; i++)
    if (isnan (self->v[i]))
      g_array_append_val (self->gap_times, self->t[i]);
}

/* Drops the oldest samples so that @incoming more fit in the capacity.
 * Drops a sixteenth of the capacity at once so the O(n) shift is rare.
 * Returns TRUE if anything was dropped (the pyramid then needs a rebuild).
 */
static gboolean
make_room (NtSeries *self,
           gsize     incoming)
{
  gsize drop;

  if (self->capacity == 0 || self->n + incoming <= self->capacity)
    return FALSE;

  drop = self->n + incoming - self->capacity + self->capacity / 16;
  drop = MIN (drop, self->n);
  if (drop == 0)
    return FALSE;

  memmove (self->t, self->t + drop, (self->n - drop) * sizeof (gint64));
  memmove (self->v, self->v + drop, (self->n - drop) * sizeof (double));
  memmove (self->sev, self->sev + drop, (self->n - drop) * sizeof (guint8));
  self->n -= drop;

  return TRUE;
}

static gsize
upper_bound (NtSeries *self,
             gint64    t)
{
  /* the first sample after t: the first at or after t + 1 */
  if (t == G_MAXINT64)
    return self->n;
  return nt_times_lower_bound (self->t, 0, self->n, t + 1);
}

static gsize
gap_lower_bound (NtSeries *self,
                 gint64    t)
{
  const gint64 *g = (const gint64 *)(gpointer)self->gap_times->data;

  return nt_times_lower_bound (g, 0, self->gap_times->len, t);
}

static void
emit_changed (NtSeries *self,
              gint64    from,
              gint64    to,
              gsize     old_n)
{
  g_signal_emit (self, signals[CHANGED], 0, from, to);
  if (old_n != self->n)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SAMPLES]);
}

static void
nt_series_finalize (GObject *object)
{
  NtSeries *self = (NtSeries *)object;

  g_clear_pointer (&self->t, g_free);
  g_clear_pointer (&self->v, g_free);
  g_clear_pointer (&self->sev, g_free);
  for (guint l = 0; l < N_LEVELS; l++)
    g_clear_pointer (&self->levels[l].mm, g_free);
  g_clear_pointer (&self->gap_times, g_array_unref);

  G_OBJECT_CLASS (nt_series_parent_class)->finalize (object);
}

static void
nt_series_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  NtSeries *self = NT_SERIES (object);

  switch (prop_id)
    {
    case PROP_CAPACITY:
      g_value_set_uint64 (value, self->capacity);
      break;

    case PROP_N_SAMPLES:
      g_value_set_uint64 (value, self->n);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nt_series_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  NtSeries *self = NT_SERIES (object);

  switch (prop_id)
    {
    case PROP_CAPACITY:
      self->capacity = g_value_get_uint64 (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nt_series_class_init (NtSeriesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = nt_series_finalize;
  object_class->get_property = nt_series_get_property;
  object_class->set_property = nt_series_set_property;

  /**
   * NtSeries:capacity:
   *
   * The most samples kept; the oldest are dropped beyond it. 0: unbounded.
   */
  properties[PROP_CAPACITY] =
    g_param_spec_uint64 ("capacity", NULL, NULL,
                         0, G_MAXSIZE, 0,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_N_SAMPLES] =
    g_param_spec_uint64 ("n-samples", NULL, NULL,
                         0, G_MAXSIZE, 0,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * NtSeries::changed:
   * @from: first instant (Unix µs) whose samples may have changed
   * @to: end of the changed span (exclusive)
   *
   * Emitted once per modification (one append, one batch, one replace).
   * Dropping old samples for the capacity reports @from as %G_MININT64.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_INT64);
}

static void
nt_series_init (NtSeries *self)
{
  self->gap_times = g_array_new (FALSE, FALSE, sizeof (gint64));
}

/**
 * nt_series_new:
 * @capacity: the most samples to keep (the oldest are dropped), or 0
 *
 * Returns: (transfer full): an empty series
 */
NtSeries *
nt_series_new (gsize capacity)
{
  return g_object_new (NT_TYPE_SERIES, "capacity", (guint64)capacity, NULL);
}

gsize
nt_series_get_capacity (NtSeries *self)
{
  g_return_val_if_fail (NT_IS_SERIES (self), 0);

  return self->capacity;
}

gsize
nt_series_get_n_samples (NtSeries *self)
{
  g_return_val_if_fail (NT_IS_SERIES (self), 0);

  return self->n;
}

/**
 * nt_series_get_times:
 *
 * Returns: (transfer none): the sample times, valid until the next change
 */
const gint64 *
nt_series_get_times (NtSeries *self)
{
  g_return_val_if_fail (NT_IS_SERIES (self), NULL);

  return self->t;
}

const double *
nt_series_get_values (NtSeries *self)
{
  g_return_val_if_fail (NT_IS_SERIES (self), NULL);

  return self->v;
}

const guint8 *
nt_series_get_severities (NtSeries *self)
{
  g_return_val_if_fail (NT_IS_SERIES (self), NULL);

  return self->sev;
}

gboolean
nt_series_get_sample (NtSeries *self,
                      gsize     index,
                      gint64   *t,
                      double   *v,
                      guint8   *severity)
{
  g_return_val_if_fail (NT_IS_SERIES (self), FALSE);

  if (index >= self->n)
    return FALSE;

  if (t != NULL)
    *t = self->t[index];
  if (v != NULL)
    *v = self->v[index];
  if (severity != NULL)
    *severity = self->sev[index];

  return TRUE;
}

static void
insert_sorted (NtSeries *self,
               gint64    t,
               double    v,
               guint8    severity)
{
  gsize i = upper_bound (self, t);

  ensure_alloc (self, self->n + 1);
  memmove (self->t + i + 1, self->t + i, (self->n - i) * sizeof (gint64));
  memmove (self->v + i + 1, self->v + i, (self->n - i) * sizeof (double));
  memmove (self->sev + i + 1, self->sev + i, (self->n - i) * sizeof (guint8));
  self->t[i] = t;
  self->v[i] = v;
  self->sev[i] = severity;
  self->n++;

  rebuild_pyramid_from (self, i);
  rebuild_gaps (self);
}

static void
append_one (NtSeries *self,
            gint64    t,
            double    v,
            guint8    severity,
            gboolean *rebuild)
{
  if (self->n > 0 && t < self->t[self->n - 1])
    {
      insert_sorted (self, t, v, severity);
      return;
    }

  if (make_room (self, 1))
    *rebuild = TRUE;

  ensure_alloc (self, self->n + 1);
  self->t[self->n] = t;
  self->v[self->n] = v;
  self->sev[self->n] = severity;
  self->n++;

  if (*rebuild)
    return;

  pyramid_push (self);
  if (isnan (v))
    g_array_append_val (self->gap_times, t);
}

/**
 * nt_series_append:
 * @t: Unix µs
 * @v: the value, NaN to mark the start of a gap
 * @severity: an #NtSeriesSeverity
 *
 * Appends a sample.  A sample older than the last one is inserted in time
 * order (slower, but correct).
 */
void
nt_series_append (NtSeries *self,
                  gint64    t,
                  double    v,
                  guint8    severity)
{
  gsize old_n;
  gboolean rebuild = FALSE;

  g_return_if_fail (NT_IS_SERIES (self));

  old_n = self->n;
  append_one (self, t, v, severity, &rebuild);
  if (rebuild)
    {
      rebuild_pyramid_from (self, 0);
      rebuild_gaps (self);
    }

  emit_changed (self, rebuild ? G_MININT64 : t, t + 1, old_n);
}

/**
 * nt_series_append_many:
 * @severity: (nullable): severities, or %NULL for all NONE
 *
 * Appends a batch of samples with one ::changed emission.
 */
void
nt_series_append_many (NtSeries     *self,
                       const gint64 *t,
                       const double *v,
                       const guint8 *severity,
                       gsize         n)
{
  gsize old_n;
  gboolean rebuild = FALSE;
  gint64 from = G_MAXINT64, to = G_MININT64;

  g_return_if_fail (NT_IS_SERIES (self));
  g_return_if_fail (n == 0 || (t != NULL && v != NULL));

  if (n == 0)
    return;

  old_n = self->n;
  for (gsize i = 0; i < n; i++)
    {
      append_one (self, t[i], v[i],
                  severity != NULL ? severity[i] : NT_SERIES_SEVERITY_NONE,
                  &rebuild);
      from = MIN (from, t[i]);
      to = MAX (to, t[i] + 1);
    }

  if (rebuild)
    {
      rebuild_pyramid_from (self, 0);
      rebuild_gaps (self);
      from = G_MININT64;
    }

  emit_changed (self, from, to, old_n);
}

/**
 * nt_series_mark_gap:
 * @t: when the connection was lost (Unix µs)
 *
 * Starts a gap: appends a NaN sample of severity UNDEFINED.  The gap lasts
 * until the next real sample.
 */
void
nt_series_mark_gap (NtSeries *self,
                    gint64    t)
{
  nt_series_append (self, t, NAN, NT_SERIES_SEVERITY_UNDEFINED);
}

/**
 * nt_series_replace_range:
 * @from: start of the span (Unix µs, inclusive)
 * @to: end of the span (exclusive)
 * @t: (array length=n): sorted times, each in [@from, @to)
 * @v: (array length=n): values
 * @severity: (nullable) (array length=n): severities, or %NULL for NONE
 *
 * Replaces every sample in [@from, @to) with the given ones: how history
 * from the archive goes in (a finer fetch replacing coarser bins, or the
 * archive's samples filling a gap after a reconnect).
 */
void
nt_series_replace_range (NtSeries     *self,
                         gint64        from,
                         gint64        to,
                         const gint64 *t,
                         const double *v,
                         const guint8 *severity,
                         gsize         n)
{
  gsize i0, i1, new_n, old_n;

  g_return_if_fail (NT_IS_SERIES (self));
  g_return_if_fail (from <= to);
  g_return_if_fail (n == 0 || (t != NULL && v != NULL));

  for (gsize k = 0; k < n; k++)
    {
      if (t[k] < from || t[k] >= to || (k > 0 && t[k] < t[k - 1]))
        {
          g_critical ("%s: samples must be sorted and inside the span",
                      G_STRFUNC);
          return;
        }
    }

  old_n = self->n;
  i0 = nt_series_lower_bound (self, from);
  i1 = nt_series_lower_bound (self, to);
  new_n = self->n - (i1 - i0) + n;

  ensure_alloc (self, new_n);
  memmove (self->t + i0 + n, self->t + i1, (self->n - i1) * sizeof (gint64));
  memmove (self->v + i0 + n, self->v + i1, (self->n - i1) * sizeof (double));
  memmove (self->sev + i0 + n, self->sev + i1, (self->n - i1) * sizeof (guint8));
  if (n > 0)
    {
      memcpy (self->t + i0, t, n * sizeof (gint64));
      memcpy (self->v + i0, v, n * sizeof (double));
      if (severity != NULL)
        memcpy (self->sev + i0, severity, n);
      else
        memset (self->sev + i0, NT_SERIES_SEVERITY_NONE, n);
    }
  self->n = new_n;

  if (make_room (self, 0))
    {
      i0 = 0;
      from = G_MININT64;
    }

  rebuild_pyramid_from (self, i0);
  rebuild_gaps (self);

  emit_changed (self, from, to, old_n);
}

void
nt_series_clear (NtSeries *self)
{
  gsize old_n;

  g_return_if_fail (NT_IS_SERIES (self));

  old_n = self->n;
  self->n = 0;
  rebuild_pyramid_from (self, 0);
  g_array_set_size (self->gap_times, 0);

  emit_changed (self, G_MININT64, G_MAXINT64, old_n);
}

/**
 * nt_series_lower_bound:
 *
 * Returns: the index of the first sample at or after @t (n if none)
 */
gsize
nt_series_lower_bound (NtSeries *self,
                       gint64    t)
{
  g_return_val_if_fail (NT_IS_SERIES (self), 0);

  return nt_times_lower_bound (self->t, 0, self->n, t);
}

/**
 * nt_series_nearest:
 * @index: (out): the index of the sample nearest in time to @t
 *
 * Ties go to the earlier sample.
 *
 * Returns: %FALSE if the series is empty
 */
gboolean
nt_series_nearest (NtSeries *self,
                   gint64    t,
                   gsize    *index)
{
  gsize i;

  g_return_val_if_fail (NT_IS_SERIES (self), FALSE);

  if (self->n == 0)
    return FALSE;

  i = nt_series_lower_bound (self, t);
  if (i == self->n)
    i = self->n - 1;
  else if (i > 0 && (t - self->t[i - 1]) <= (self->t[i] - t))
    i = i - 1;

  if (index != NULL)
    *index = i;

  return TRUE;
}

/**
 * nt_series_range_minmax:
 * @i0: first sample index
 * @i1: end index (exclusive)
 * @min: (out): the least non-NaN value in [@i0, @i1)
 * @max: (out): the greatest
 *
 * O(log n) through the pyramid.
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

  for (guint l = 0; lo < hi; l++)
    {
      const double *mm = l == 0 ? NULL : self->levels[l - 1].mm;
      const double *v = self->v;

      /* Take the unaligned ends at this level, then go up a level with
       * what remains: whole blocks of the level above. */
      if (l == N_LEVELS)
        {
          for (gsize b = lo; b < hi; b++)
            {
              mn = MIN (mn, mm[2 * b]);
              mx = MAX (mx, mm[2 * b + 1]);
            }
          break;
        }

      if ((hi - lo) < FANOUT || (lo >> LEVEL_SHIFT) == ((hi - 1) >> LEVEL_SHIFT))
        {
          for (gsize c = lo; c < hi; c++)
            {
              double a = mm ? mm[2 * c] : v[c];
              double b = mm ? mm[2 * c + 1] : v[c];

              if (a < mn)
                mn = a;
              if (b > mx)
                mx = b;
            }
          break;
        }

      while (lo < hi && (lo & FANOUT_MASK) != 0)
        {
          double a = mm ? mm[2 * lo] : v[lo];
          double b = mm ? mm[2 * lo + 1] : v[lo];

          if (a < mn)
            mn = a;
          if (b > mx)
            mx = b;
          lo++;
        }
      while (hi > lo && (hi & FANOUT_MASK) != 0)
        {
          hi--;
          {
            double a = mm ? mm[2 * hi] : v[hi];
            double b = mm ? mm[2 * hi + 1] : v[hi];

            if (a < mn)
              mn = a;
            if (b > mx)
              mx = b;
          }
        }

      lo >>= LEVEL_SHIFT;
      hi >>= LEVEL_SHIFT;
    }

  if (min != NULL)
    *min = mn;
  if (max != NULL)
    *max = mx;

  return mn <= mx;
}

/**
 * nt_series_prefetch:
 * @index: a sample index about to be used
 *
 * Hints the CPU to fetch what a range query ending near @index will read,
 * so that decimation can overlap the memory latency of the next columns.
 */
void
nt_series_prefetch (NtSeries *self,
                    gsize     index)
{
  gsize base;

  if (index >= self->n)
    return;

  /* A query ending at @index reads the sample times about it, the values
   * of its partial block, and the partial groups of the two levels above
   * (16 entries of 16 bytes: four cache lines each). */
  __builtin_prefetch (&self->t[index]);
  base = index & ~(gsize)FANOUT_MASK;
  __builtin_prefetch (&self->v[base]);
  __builtin_prefetch (&self->v[base + FANOUT / 2]);
  for (guint l = 0; l < 2 && l < N_LEVELS; l++)
    {
      gsize b = index >> (LEVEL_SHIFT * (l + 1));
      const double *mm;

      if (b >= self->levels[l].n_blocks)
        break;
      mm = &self->levels[l].mm[2 * (b & ~(gsize)FANOUT_MASK)];
      for (guint k = 0; k < 2 * FANOUT; k += 8)
        __builtin_prefetch (mm + k);
    }
}

/**
 * nt_series_has_gap_in:
 *
 * Returns: whether a NaN (gap) sample lies in [@from, @to)
 */
gboolean
nt_series_has_gap_in (NtSeries *self,
                      gint64    from,
                      gint64    to)
{
  gsize k;

  g_return_val_if_fail (NT_IS_SERIES (self), FALSE);

  k = gap_lower_bound (self, from);

  return k < self->gap_times->len &&
         g_array_index (self->gap_times, gint64, k) < to;
}

/**
 * nt_series_get_gaps:
 *
 * Returns: (transfer full) (element-type NtSeriesGap): the gaps that overlap
 *   [@from, @to), merged, in time order
 */
GArray *
nt_series_get_gaps (NtSeries *self,
                    gint64    from,
                    gint64    to)
{
  GArray *gaps;
  gsize k;
  const gint64 *g;

  g_return_val_if_fail (NT_IS_SERIES (self), NULL);

  gaps = g_array_new (FALSE, FALSE, sizeof (NtSeriesGap));
  g = (const gint64 *)(gpointer)self->gap_times->data;
  k = gap_lower_bound (self, from);
  if (k > 0)
    k--;

  while (k < self->gap_times->len && g[k] < to)
    {
      NtSeriesGap gap = { g[k], G_MAXINT64 };
      gsize i = nt_series_lower_bound (self, g[k]);

      /* The NaN sample itself, then the first real sample after it. */
      while (i < self->n && !isnan (self->v[i]))
        i++;
      while (i < self->n && isnan (self->v[i]))
        i++;
      if (i < self->n)
        gap.end = self->t[i];

      if (gap.end > from)
        g_array_append_val (gaps, gap);

      /* Skip the NaN samples that belong to this same gap. */
      while (k < self->gap_times->len && g[k] < gap.end)
        k++;
    }

  return gaps;
}

/**
 * nt_series_get_open_gap:
 * @start: (out) (optional): when the open gap began
 *
 * Returns: whether the series ends in a gap (its last sample is NaN), as it
 *   does between a disconnect and the first value after the reconnect
 */
gboolean
nt_series_get_open_gap (NtSeries *self,
                        gint64   *start)
{
  gsize i;

  g_return_val_if_fail (NT_IS_SERIES (self), FALSE);

  if (self->n == 0 || !isnan (self->v[self->n - 1]))
    return FALSE;

  i = self->n - 1;
  while (i > 0 && isnan (self->v[i - 1]))
    i--;
  if (start != NULL)
    *start = self->t[i];

  return TRUE;
}
