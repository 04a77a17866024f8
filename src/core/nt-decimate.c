/* nt-decimate.c: min/max per pixel column of a time window
 *
 * Column c of a window [t0, t1) split into width columns holds the samples
 * with nt_decimate_column_start (c) <= t < nt_decimate_column_start (c + 1).
 * Boundaries are found by galloping search from the previous column's end
 * and each column's extremes come from the series' min/max index
 * (nt-decimate-index.c), so the cost grows with the width, not with the
 * number of samples.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-decimate"

#include "config.h"

#include <math.h>

#include "nt-decimate.h"
#include "nt-decimate-private.h"
#include "nt-series-private.h"

/* Samples from which decimation hints the CPU what to fetch next: below,
 * what a decimation reads stays in the caches from one frame to the next
 * and the hints only cost (measured with bench-strip-chart). */
#define PREFETCH_FROM 65536

gsize
nt_times_lower_bound (const gint64 *ts,
                      gsize         lo,
                      gsize         hi,
                      gint64        t)
{
  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;

      if (ts[mid] < t)
        lo = mid + 1;
      else
        hi = mid;
    }

  return lo;
}

/* First index in [from, n) whose time is >= t: gallop, then bisect. */
static gsize
gallop_lower_bound (NtSeries *series,
                    gsize     n,
                    gsize     from,
                    gint64    t)
{
  gsize lo = from, hi, step = 1;

  if (lo >= n || nt_series_time_at (series, lo) >= t)
    return lo;

  /* time (lo) < t here */
  hi = lo + 1;
  while (hi < n && nt_series_time_at (series, hi) < t)
    {
      lo = hi;
      step *= 2;
      hi = lo + step;
    }
  return nt_series_blocks_lower_bound (series, lo + 1, MIN (hi, n), t);
}

/* First index in [from, n) whose time is >= t, searched outwards from a
 * guess: for regularly sampled data the guess from the previous column is
 * right to within a sample or two, so a column costs a couple of cache
 * lines however long the series; irregular data falls back to galloping. */
static gsize
hinted_lower_bound (NtSeries *series,
                    gsize     n,
                    gsize     from,
                    gsize     hint,
                    gint64    t)
{
  gsize hi, step = 1;

  hint = CLAMP (hint, from, n);
  if (hint < n && nt_series_time_at (series, hint) < t)
    return gallop_lower_bound (series, n, hint, t);

  /* time (hint) >= t, or hint == n: the answer is in [from, hint] */
  hi = hint;
  while (hi > from)
    {
      gsize probe = hi - MIN (step, hi - from);

      if (nt_series_time_at (series, probe) < t)
        return nt_series_blocks_lower_bound (series, probe + 1, hi, t);
      hi = probe;
      step *= 2;
    }

  return from;
}

/**
 * nt_decimate_column_start:
 *
 * Returns: the first instant of @column of the window [@t0, @t1) split in
 *   @width columns; for @column == @width, @t1
 */
gint64
nt_decimate_column_start (gint64 t0,
                          gint64 t1,
                          guint  width,
                          guint  column)
{
  gint64 span = t1 - t0;

  g_return_val_if_fail (width > 0, t0);

  if (column >= width)
    return t1;

  if (span < G_MAXINT64 / (gint64)width)
    return t0 + (span * (gint64)column) / (gint64)width;

  return t0 + (span / (gint64)width) * (gint64)column;
}

/**
 * nt_decimate_column_at:
 *
 * Returns: the column holding instant @t, or @width if @t is outside
 *   [@t0, @t1)
 */
guint
nt_decimate_column_at (gint64 t0,
                       gint64 t1,
                       guint  width,
                       gint64 t)
{
  gint64 c;

  g_return_val_if_fail (width > 0, 0);

  if (t < t0 || t >= t1)
    return width;

  c = (gint64)(((double)(t - t0) / (double)(t1 - t0)) * width);
  c = CLAMP (c, 0, (gint64)width - 1);

  while (c > 0 && nt_decimate_column_start (t0, t1, width, c) > t)
    c--;
  while (c + 1 < (gint64)width && nt_decimate_column_start (t0, t1, width, c + 1) <= t)
    c++;

  return (guint)c;
}

/**
 * nt_decimate_columns:
 * @columns: (array length=width): the whole column array of the window;
 *   only [@first_column, @end_column) are written
 *
 * Decimates part of a window: what an appended live sample needs (only the
 * last column changes).
 */
void
nt_decimate_columns (NtSeries *series,
                     gint64    t0,
                     gint64    t1,
                     guint     width,
                     guint     first_column,
                     guint     end_column,
                     NtColumn *columns)
{
  gsize n, i, guess;
  gint64 b;
  double before;   /* the value of sample i - 1 */
  gboolean prefetch;

  g_return_if_fail (NT_IS_SERIES (series));
  g_return_if_fail (width > 0);
  g_return_if_fail (t0 < t1);
  g_return_if_fail (columns != NULL);

  end_column = MIN (end_column, width);
  n = series->n;
  prefetch = n >= PREFETCH_FROM;

  b = nt_decimate_column_start (t0, t1, width, first_column);
  i = nt_series_lower_bound (series, b);
  before = i > 0 ? nt_series_value_at (series, i - 1) : 0.0;
  guess = (nt_series_lower_bound (series, nt_decimate_column_start (t0, t1, width, end_column)) - i) /
          MAX (end_column - first_column, 1);

  for (guint c = first_column; c < end_column; c++)
    {
      NtColumn *col = &columns[c];
      gint64 e = nt_decimate_column_start (t0, t1, width, c + 1);
      gsize j;
      double last;

      /* Seven columns ahead: its boundary will be about here.  A series
       * that fits in the caches needs no hints. */
      if (prefetch)
        nt_series_prefetch (series, i + 8 * guess);
      j = hinted_lower_bound (series, n, i, i + guess, e);

      col->n = (guint32)(j - i);
      col->flags = 0;

      last = j > i ? nt_series_value_at (series, j - 1) : before;
      if (i > 0 && isnan (before))
        col->flags |= NT_COLUMN_GAP_AT_START;
      if (j > 0 && isnan (last))
        col->flags |= NT_COLUMN_GAP_AT_END;

      if (j > i && nt_series_range_minmax (series, i, j, &col->min, &col->max))
        {
          gsize k = i;
          double first = nt_series_value_at (series, i);

          col->first = first;
          while (isnan (col->first))
            col->first = nt_series_value_at (series, ++k);
          k = j - 1;
          col->last = last;
          while (isnan (col->last))
            col->last = nt_series_value_at (series, --k);

          if (isnan (first) || isnan (last) ||
              (series->gap_times->len > 0 && nt_series_has_gap_in (series, b, e)))
            col->flags |= NT_COLUMN_HAS_NAN;
        }
      else
        {
          col->min = col->max = col->first = col->last = NAN;
          if (j > i)
            col->flags |= NT_COLUMN_HAS_NAN;
        }

      if (j > i)
        guess = j - i;
      before = last;
      i = j;
      b = e;
    }
}

/**
 * nt_decimate:
 * @columns: (array length=width) (out caller-allocates): the columns
 *
 * For each pixel column of [@t0, @t1), the exact min and max of its samples
 * (NaN skipped), its first and last values and its gap flags.
 */
void
nt_decimate (NtSeries *series,
             gint64    t0,
             gint64    t1,
             guint     width,
             NtColumn *columns)
{
  nt_decimate_columns (series, t0, t1, width, 0, width, columns);
}

void
nt_decimate_edges (NtSeries        *series,
                   gint64           t0,
                   gint64           t1,
                   NtDecimateEdges *edges)
{
  gsize i0, i1, n;

  g_return_if_fail (NT_IS_SERIES (series));
  g_return_if_fail (edges != NULL);

  n = nt_series_get_n_samples (series);
  i0 = nt_series_lower_bound (series, t0);
  i1 = nt_series_lower_bound (series, t1);

  edges->has_before = i0 > 0;
  edges->before_t = i0 > 0 ? nt_series_time_at (series, i0 - 1) : 0;
  edges->before_v = i0 > 0 ? nt_series_value_at (series, i0 - 1) : NAN;
  edges->has_after = i1 < n;
  edges->after_t = i1 < n ? nt_series_time_at (series, i1) : 0;
  edges->after_v = i1 < n ? nt_series_value_at (series, i1) : NAN;
}

/**
 * nt_decimate_value_range:
 *
 * Returns: %FALSE if no column holds a real value
 */
gboolean
nt_decimate_value_range (const NtColumn *columns,
                         guint           width,
                         double         *min,
                         double         *max)
{
  double mn = INFINITY, mx = -INFINITY;

  for (guint c = 0; c < width; c++)
    {
      if (columns[c].min < mn)
        mn = columns[c].min;
      if (columns[c].max > mx)
        mx = columns[c].max;
    }

  if (min != NULL)
    *min = mn;
  if (max != NULL)
    *max = mx;

  return mn <= mx;
}
