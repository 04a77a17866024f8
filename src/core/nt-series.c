/* nt-series.c: a time series in compact blocks, with a min/max index
 *
 * The object, its properties and its public API.  Samples (time in Unix
 * µs, value, severity) are kept sorted by time in fixed-size blocks
 * (nt-series-blocks.c, the format in nt-series-private.h): about 10 bytes
 * a sample at float precision and 14 exact, with the min/max index that
 * answers "min and max of samples i0..i1" in O(log n) (nt-decimate-index.c)
 * counted in.
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
#include "nt-series-private.h"

G_DEFINE_FINAL_TYPE (NtSeries, nt_series, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CAPACITY,
  PROP_PRECISION,
  PROP_N_SAMPLES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
rebuild_gaps (NtSeries *self)
{
  g_array_set_size (self->gap_times, 0);
  for (gsize i = 0; i < self->n; i++)
    {
      gsize slot;
      const NtSeriesBlock *b = nt_series_block_at (self, i, &slot);

      if (isnan (nt_series_block_value (b, slot)))
        {
          gint64 t = nt_series_block_time (b, slot);

          g_array_append_val (self->gap_times, t);
        }
    }
}

/* Drops the oldest samples so that @incoming more fit in the capacity.
 * Drops about a sixteenth of the capacity at once (so that what follows,
 * rebuilding the index, is rare), keeping the first sample on a leaf of
 * the index.  Returns TRUE if anything was dropped (the index then needs
 * a rebuild).
 */
static gboolean
make_room (NtSeries *self,
           gsize     incoming)
{
  gsize need, drop;

  if (self->capacity == 0 || self->n + incoming <= self->capacity)
    return FALSE;

  need = MIN (self->n + incoming - self->capacity, self->n);
  drop = MIN (need + self->capacity / 16, self->n);
  /* head + drop on a leaf boundary: round down, or up if that is too few */
  drop = ((self->head + drop) & ~(gsize)NT_SERIES_FANOUT_MASK) - self->head;
  if (drop < need)
    drop = ((self->head + need + NT_SERIES_FANOUT_MASK) & ~(gsize)NT_SERIES_FANOUT_MASK) - self->head;
  drop = MIN (drop, self->n);
  if (drop == 0)
    return FALSE;

  nt_series_blocks_drop_front (self, drop);

  return TRUE;
}

static gsize
upper_bound (NtSeries *self,
             gint64    t)
{
  /* the first sample after t: the first at or after t + 1 */
  if (t == G_MAXINT64)
    return self->n;
  return nt_series_blocks_lower_bound (self, 0, self->n, t + 1);
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

  nt_series_blocks_clear (self);
  nt_series_index_clear (self);
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

    case PROP_PRECISION:
      g_value_set_uint (value, self->precision);
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

    case PROP_PRECISION:
      self->precision = g_value_get_uint (value);
      self->block_size = nt_series_blocks_size_for (self->precision);
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

  /**
   * NtSeries:precision:
   *
   * An #NtSeriesPrecision: whether values are kept exact or as floats.
   */
  properties[PROP_PRECISION] =
    g_param_spec_uint ("precision", NULL, NULL,
                       NT_SERIES_PRECISION_EXACT, NT_SERIES_PRECISION_FLOAT,
                       NT_SERIES_PRECISION_EXACT,
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
  self->block_size = nt_series_blocks_size_for (self->precision);
}

/**
 * nt_series_new:
 * @capacity: the most samples to keep (the oldest are dropped), or 0
 *
 * Returns: (transfer full): an empty series that keeps values exact
 */
NtSeries *
nt_series_new (gsize capacity)
{
  return nt_series_new_with_precision (capacity, NT_SERIES_PRECISION_EXACT);
}

/**
 * nt_series_new_with_precision:
 * @capacity: the most samples to keep (the oldest are dropped), or 0
 * @precision: how exactly to keep the values
 *
 * Returns: (transfer full): an empty series
 */
NtSeries *
nt_series_new_with_precision (gsize             capacity,
                              NtSeriesPrecision precision)
{
  g_return_val_if_fail (precision <= NT_SERIES_PRECISION_FLOAT, NULL);

  return g_object_new (NT_TYPE_SERIES,
                       "capacity", (guint64)capacity,
                       "precision", (guint)precision,
                       NULL);
}

NtSeriesPrecision
nt_series_get_precision (NtSeries *self)
{
  g_return_val_if_fail (NT_IS_SERIES (self), NT_SERIES_PRECISION_EXACT);

  return self->precision;
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
 * nt_series_get_memory_size:
 *
 * Returns: the bytes the samples and their min/max index take (what the
 *   series allocated for them, slack included)
 */
gsize
nt_series_get_memory_size (NtSeries *self)
{
  g_return_val_if_fail (NT_IS_SERIES (self), 0);

  return sizeof (NtSeries) + nt_series_blocks_bytes (self) + nt_series_index_bytes (self) +
         self->gap_times->len * sizeof (gint64);
}

/**
 * nt_series_get_time:
 * @index: a sample index, below the number of samples
 *
 * Returns: the time of sample @index (Unix µs)
 */
gint64
nt_series_get_time (NtSeries *self,
                    gsize     index)
{
  g_return_val_if_fail (NT_IS_SERIES (self), 0);
  g_return_val_if_fail (index < self->n, 0);

  return nt_series_time_at (self, index);
}

/**
 * nt_series_get_value:
 * @index: a sample index, below the number of samples
 *
 * Returns: the value of sample @index (NaN in a gap)
 */
double
nt_series_get_value (NtSeries *self,
                     gsize     index)
{
  g_return_val_if_fail (NT_IS_SERIES (self), NAN);
  g_return_val_if_fail (index < self->n, NAN);

  return nt_series_value_at (self, index);
}

/**
 * nt_series_copy_range:
 * @i0: first sample index
 * @i1: end index (exclusive)
 * @t: (out caller-allocates) (array) (nullable): room for the times
 * @v: (out caller-allocates) (array) (nullable): room for the values
 * @severity: (out caller-allocates) (array) (nullable): room for the severities
 *
 * Copies samples [@i0, @i1) (clamped to the series) out into flat arrays.
 *
 * Returns: how many were copied
 */
gsize
nt_series_copy_range (NtSeries *self,
                      gsize     i0,
                      gsize     i1,
                      gint64   *t,
                      double   *v,
                      guint8   *severity)
{
  gsize lo, hi;

  g_return_val_if_fail (NT_IS_SERIES (self), 0);

  lo = MIN (i0, self->n);
  hi = MIN (i1, self->n);
  for (gsize i = lo; i < hi; i++)
    {
      gsize slot;
      const NtSeriesBlock *b = nt_series_block_at (self, i, &slot);

      if (t != NULL)
        t[i - lo] = nt_series_block_time (b, slot);
      if (v != NULL)
        v[i - lo] = nt_series_block_value (b, slot);
      if (severity != NULL)
        severity[i - lo] = b->sev != NULL ? b->sev[slot] : NT_SERIES_SEVERITY_NONE;
    }

  return hi - lo;
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

  nt_series_copy_range (self, index, index + 1, t, v, severity);

  return TRUE;
}

static void
insert_sorted (NtSeries *self,
               gint64    t,
               double    v,
               guint8    severity)
{
  gsize i = upper_bound (self, t);

  nt_series_blocks_splice (self, i, i, &t, &v, &severity, 1);
  nt_series_index_rebuild_from (self, i);
  rebuild_gaps (self);
}

static void
append_one (NtSeries *self,
            gint64    t,
            double    v,
            guint8    severity,
            gboolean *rebuild)
{
  if (self->n > 0 && t < nt_series_time_at (self, self->n - 1))
    {
      insert_sorted (self, t, v, severity);
      return;
    }

  if (make_room (self, 1))
    *rebuild = TRUE;

  nt_series_blocks_push (self, t, v, severity);

  if (*rebuild)
    return;

  nt_series_index_push (self);
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
      nt_series_index_rebuild_from (self, 0);
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
      nt_series_index_rebuild_from (self, 0);
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
  gsize i0, i1, old_n;

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
  nt_series_blocks_splice (self, i0, i1, t, v, severity, n);

  if (make_room (self, 0))
    {
      i0 = 0;
      from = G_MININT64;
    }

  nt_series_index_rebuild_from (self, i0);
  rebuild_gaps (self);

  emit_changed (self, from, to, old_n);
}

void
nt_series_clear (NtSeries *self)
{
  gsize old_n;

  g_return_if_fail (NT_IS_SERIES (self));

  old_n = self->n;
  nt_series_blocks_clear (self);
  nt_series_index_rebuild_from (self, 0);
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

  return nt_series_blocks_lower_bound (self, 0, self->n, t);
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
  else if (i > 0 && (t - nt_series_time_at (self, i - 1)) <= (nt_series_time_at (self, i) - t))
    i = i - 1;

  if (index != NULL)
    *index = i;

  return TRUE;
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
      while (i < self->n && !isnan (nt_series_value_at (self, i)))
        i++;
      while (i < self->n && isnan (nt_series_value_at (self, i)))
        i++;
      if (i < self->n)
        gap.end = nt_series_time_at (self, i);

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

  if (self->n == 0 || !isnan (nt_series_value_at (self, self->n - 1)))
    return FALSE;

  i = self->n - 1;
  while (i > 0 && isnan (nt_series_value_at (self, i - 1)))
    i--;
  if (start != NULL)
    *start = nt_series_time_at (self, i);

  return TRUE;
}
