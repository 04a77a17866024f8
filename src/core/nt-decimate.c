/* nt-decimate.c: min/max per pixel column of a time window
 *
 * Column c of a window [t0, t1) split into width columns holds the samples
 * with nt_decimate_column_start (c) <= t < nt_decimate_column_start (c + 1).
 * Boundaries are found by galloping search from the previous column's end
 * and each column's extremes come from the series' min/max pyramid, so the
 * cost grows with the width, not with the number of samples.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-decimate"

#include "config.h"

#include <math.h>

#include "nt-decimate.h"
#include "nt-decimate-private.h"

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
gallop_lower_bound (const gint64 *ts,
                    gsize         n,
                    gsize         from,
                    gint64        t)
{
  gsize lo = from, hi, step = 1;

  if (lo >= n || ts[lo] >= t)
    return lo;

  /* ts[lo] < t here */
  hi = lo + 1;
  while (hi < n && ts[hi] < t)
    {
      lo = hi;
      step *= 2;
      hi = lo + step;
    }
  return nt_times_lower_bound (ts, lo + 1, MIN (hi, n), t);
}

/* First index in [from, n) whose time is >= t, searched outwards from a
 * guess: for regularly sampled data the guess from the previous column is
 * right to within a sample or two, so a column costs a couple of cache
 * lines however long the series; irregular data falls back to galloping. */
static gsize
hinted_lower_bound (const gint64 *ts,
                    gsize         n,
                    gsize         from,
                    gsize         hint,
                    gint64        t)
{
  gsize hi, step = 1;

  hint = CLAMP (hint, from, n);
  if (hint < n && ts[hint] < t)
    return gallop_lower_bound (ts, n, hint, t);

  /* ts[hint] >= t, or hint == n: the answer is in [from, hint] */
  hi = hint;
  while (hi > from)
    {
      gsize probe = hi - MIN (step, hi - from);

      if (ts[probe] < t)
        return nt_times_lower_bound (ts, probe + 1, hi, t);
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
  const gint64 *ts;
  const double *vs;
  gsize n, i, guess;
  gint64 b;

  g_return_if_fail (NT_IS_SERIES (series));
  g_return_if_fail (width > 0);
  g_return_if_fail (t0 < t1);
  g_return_if_fail (columns != NULL);

  end_column = MIN (end_column, width);
  ts = nt_series_get_times (series);
  vs = nt_series_get_values (series);
  n = nt_series_get_n_samples (series);

  b = nt_decimate_column_start (t0, t1, width, first_column);
  i = nt_series_lower_bound (series, b);
  guess = (nt_series_lower_bound (series, nt_decimate_column_start (t0, t1, width, end_column)) - i) /
          MAX (end_column - first_column, 1);

  for (guint c = first_column; c < end_column; c++)
    {
      NtColumn *col = &columns[c];
      gint64 e = nt_decimate_column_start (t0, t1, width, c + 1);
      gsize j;

      /* Two columns ahead: its boundary will be about here. */
      nt_series_prefetch (series, i + 3 * guess);
      j = hinted_lower_bound (ts, n, i, i + guess, e);

      col->n = (guint32)(j - i);
      col->flags = 0;

      if (i > 0 && isnan (vs[i - 1]))
        col->flags |= NT_COLUMN_GAP_AT_START;
      if (j > 0 && isnan (vs[j - 1]))
        col->flags |= NT_COLUMN_GAP_AT_END;

      if (j > i && nt_series_range_minmax (series, i, j, &col->min, &col->max))
        {
          gsize k = i;

          while (isnan (vs[k]))
            k++;
          col->first = vs[k];
          k = j - 1;
          while (isnan (vs[k]))
            k--;
          col->last = vs[k];

          if (isnan (vs[i]) || isnan (vs[j - 1]) ||
              nt_series_has_gap_in (series, b, e))
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
  edges->before_t = i0 > 0 ? nt_series_get_times (series)[i0 - 1] : 0;
  edges->before_v = i0 > 0 ? nt_series_get_values (series)[i0 - 1] : NAN;
  edges->has_after = i1 < n;
  edges->after_t = i1 < n ? nt_series_get_times (series)[i1] : 0;
  edges->after_v = i1 < n ? nt_series_get_values (series)[i1] : NAN;
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
