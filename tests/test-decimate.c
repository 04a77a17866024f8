/* test-decimate.c: the series store and min/max decimation are exact
 *
 * Property tests against brute-force references on random data: every
 * pixel column keeps the exact minimum and maximum of its samples
 * (single-sample spikes included), NaN gaps are skipped and flagged, empty
 * columns stay empty, for many widths and windows.  The block storage
 * (nt-series-private.h) against a flat model: block boundaries, each time
 * encoding, float rounding, inserts, joins and refills across blocks,
 * drops for the capacity, and the bytes a sample it takes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <float.h>
#include <math.h>

#include "nt-decimate.h"
#include "nt-series-private.h"
#include "test-instants.h"

typedef struct
{
  double   min, max, first, last;
  guint32  n;
  gboolean has_nan;
} RefColumn;

/* Random data: clustered times (so some columns are empty, some full),
 * duplicate times, a smooth signal with rare single-sample spikes and dips,
 * and NaN gap markers.
 */
static NtSeries *
random_series (GRand *rand,
               gsize  n,
               gint64 t_start,
               gint64 *t_end)
{
  NtSeries *series = nt_series_new (0);
  g_autofree gint64 *t = g_new (gint64, n);
  g_autofree double *v = g_new (double, n);
  gint64 now = t_start;
  double x = 400.0;

  for (gsize i = 0; i < n; i++)
    {
      double r = g_rand_double (rand);

      if (r < 0.01)
        now += g_rand_int_range (rand, 1000, 50000000);   /* a silence */
      else if (r < 0.05)
        now += 0;                                         /* same instant */
      else
        now += g_rand_int_range (rand, 1, 2000000);

      x += g_rand_double_range (rand, -0.5, 0.5);
      t[i] = now;
      r = g_rand_double (rand);
      if (r < 0.002)
        v[i] = x + g_rand_double_range (rand, 100, 1000);     /* spike */
      else if (r < 0.004)
        v[i] = x - g_rand_double_range (rand, 100, 1000);     /* dump */
      else if (r < 0.010)
        v[i] = NAN;                                            /* gap */
      else
        v[i] = x;
    }

  /* Half by one batch, half one sample at a time: the pyramid is built
   * both ways. */
  nt_series_append_many (series, t, v, NULL, n / 2);
  for (gsize i = n / 2; i < n; i++)
    nt_series_append (series, t[i], v[i], NT_SERIES_SEVERITY_NONE);

  *t_end = now;

  return series;
}

static void
reference_decimate (NtSeries  *series,
                    gint64     t0,
                    gint64     t1,
                    guint      width,
                    RefColumn *ref)
{
  gsize n = nt_series_get_n_samples (series);
  g_autofree gint64 *ts = g_new (gint64, n);
  g_autofree double *vs = g_new (double, n);
  g_autofree gint64 *bounds = g_new (gint64, width + 1);
  guint c = 0;

  nt_series_copy_range (series, 0, n, ts, vs, NULL);
  for (guint k = 0; k <= width; k++)
    bounds[k] = nt_decimate_column_start (t0, t1, width, k);
  for (guint k = 0; k < width; k++)
    ref[k] = (RefColumn) { NAN, NAN, NAN, NAN, 0, FALSE };

  for (gsize i = 0; i < n; i++)
    {
      RefColumn *col;

      if (ts[i] < t0 || ts[i] >= t1)
        continue;
      while (ts[i] >= bounds[c + 1])
        c++;
      g_assert_cmpint (ts[i], >=, bounds[c]);

      col = &ref[c];
      col->n++;
      if (isnan (vs[i]))
        {
          col->has_nan = TRUE;
          continue;
        }
      if (isnan (col->min) || vs[i] < col->min)
        col->min = vs[i];
      if (isnan (col->max) || vs[i] > col->max)
        col->max = vs[i];
      if (isnan (col->first))
        col->first = vs[i];
      col->last = vs[i];
    }
}

static void
assert_same_double (double a,
                    double b)
{
  if (isnan (b))
    g_assert_true (isnan (a));
  else
    g_assert_cmpfloat (a, ==, b);
}

static void
check_window (NtSeries *series,
              gint64    t0,
              gint64    t1,
              guint     width)
{
  g_autofree NtColumn *cols = g_new0 (NtColumn, width);
  g_autofree RefColumn *ref = g_new0 (RefColumn, width);

  nt_decimate (series, t0, t1, width, cols);
  reference_decimate (series, t0, t1, width, ref);

  for (guint c = 0; c < width; c++)
    {
      assert_same_double (cols[c].min, ref[c].min);
      assert_same_double (cols[c].max, ref[c].max);
      assert_same_double (cols[c].first, ref[c].first);
      assert_same_double (cols[c].last, ref[c].last);
      g_assert_cmpuint (cols[c].n, ==, ref[c].n);
      g_assert_cmpint (!!(cols[c].flags & NT_COLUMN_HAS_NAN), ==, ref[c].has_nan);
    }
}

static void
test_decimate_random (void)
{
  static const guint widths[] = { 1, 2, 3, 7, 64, 100, 333, 1200, 1921, 4000 };
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261128);

  for (guint round = 0; round < 12; round++)
    {
      gsize n = round < 4 ? g_rand_int_range (rand, 1, 300)
                          : g_rand_int_range (rand, 1000, 200000);
      gint64 t_start = (gint64)1796000000 * G_USEC_PER_SEC;
      gint64 t_end;
      g_autoptr(NtSeries) series = random_series (rand, n, t_start, &t_end);

      for (guint w = 0; w < G_N_ELEMENTS (widths); w++)
        {
          /* The whole series, a window inside it, and one hanging over
           * both ends. */
          gint64 span = MAX (t_end - t_start, 1);
          gint64 a = t_start + g_rand_int_range (rand, 0, 1000) * (span / 1000);
          gint64 b = a + 1 + g_rand_int_range (rand, 0, 1000) * (span / 1000);

          check_window (series, t_start, t_end + 1, widths[w]);
          check_window (series, a, b, widths[w]);
          check_window (series, t_start - span / 3, t_end + span / 3, widths[w]);
        }
    }
}

/* One huge spike among a million flat samples survives any width. */
static void
test_decimate_single_spike (void)
{
  g_autoptr(NtSeries) series = nt_series_new (0);
  gsize n = 1000000;
  g_autofree gint64 *t = g_new (gint64, n);
  g_autofree double *v = g_new (double, n);
  gsize spike = 654321, dip = 123457;

  for (gsize i = 0; i < n; i++)
    {
      t[i] = (gint64)i * G_USEC_PER_SEC;
      v[i] = 400.0;
    }
  v[spike] = 1e9;
  v[dip] = -5.0;
  nt_series_append_many (series, t, v, NULL, n);

  for (guint width = 1; width <= 3001; width += 250)
    {
      g_autofree NtColumn *cols = g_new0 (NtColumn, width);
      guint cs = nt_decimate_column_at (0, t[n - 1] + 1, width, t[spike]);
      guint cd = nt_decimate_column_at (0, t[n - 1] + 1, width, t[dip]);

      nt_decimate (series, 0, t[n - 1] + 1, width, cols);
      g_assert_cmpfloat (cols[cs].max, ==, 1e9);
      g_assert_cmpfloat (cols[cd].min, ==, -5.0);
      for (guint c = 0; c < width; c++)
        {
          if (c != cs)
            g_assert_cmpfloat (cols[c].max, ==, 400.0);
          if (c != cd)
            g_assert_cmpfloat (cols[c].min, ==, 400.0);
        }
    }
}

/* Pyramid range queries against a scan, on random ranges. */
static void
test_series_range_minmax (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  gint64 t_end;
  g_autoptr(NtSeries) series = random_series (rand, 300000, 0, &t_end);
  gsize n = nt_series_get_n_samples (series);
  g_autofree double *v = g_new (double, n);

  nt_series_copy_range (series, 0, n, NULL, v, NULL);

  for (guint k = 0; k < 3000; k++)
    {
      gsize i0 = g_rand_int_range (rand, 0, n);
      gsize len = k % 3 == 0 ? g_rand_int_range (rand, 0, 100)
                             : g_rand_int_range (rand, 0, n - i0 + 1);
      gsize i1 = MIN (i0 + len, n);
      double mn = INFINITY, mx = -INFINITY, got_mn, got_mx;
      gboolean any;

      for (gsize i = i0; i < i1; i++)
        {
          if (v[i] < mn)
            mn = v[i];
          if (v[i] > mx)
            mx = v[i];
        }

      any = nt_series_range_minmax (series, i0, i1, &got_mn, &got_mx);
      g_assert_cmpint (any, ==, mn <= mx);
      if (any)
        {
          g_assert_cmpfloat (got_mn, ==, mn);
          g_assert_cmpfloat (got_mx, ==, mx);
        }
    }
}

static void
test_series_capacity (void)
{
  g_autoptr(NtSeries) series = nt_series_new (1000);
  double mn, mx;

  for (gint64 i = 0; i < 5000; i++)
    nt_series_append (series, i, (double)i, NT_SERIES_SEVERITY_NONE);

  g_assert_cmpuint (nt_series_get_n_samples (series), <=, 1000);
  g_assert_cmpuint (nt_series_get_n_samples (series), >=, 1000 - 1000 / 16);
  g_assert_cmpint (nt_series_get_time (series, nt_series_get_n_samples (series) - 1), ==, 4999);

  /* The pyramid follows the drops: the oldest value left is the minimum. */
  g_assert_true (nt_series_range_minmax (series, 0, nt_series_get_n_samples (series), &mn, &mx));
  g_assert_cmpfloat (mn, ==, (double)nt_series_get_time (series, 0));
  g_assert_cmpfloat (mx, ==, 4999.0);
}

static void
test_series_out_of_order (void)
{
  g_autoptr(NtSeries) series = nt_series_new (0);
  gint64 t[3];
  gsize idx;

  nt_series_append (series, 10, 1.0, 0);
  nt_series_append (series, 30, 3.0, 0);
  nt_series_append (series, 20, 2.0, 0);
  g_assert_cmpuint (nt_series_get_n_samples (series), ==, 3);
  g_assert_cmpuint (nt_series_copy_range (series, 0, 3, t, NULL, NULL), ==, 3);
  g_assert_cmpint (t[0], ==, 10);
  g_assert_cmpint (t[1], ==, 20);
  g_assert_cmpint (t[2], ==, 30);

  g_assert_true (nt_series_nearest (series, 24, &idx));
  g_assert_cmpuint (idx, ==, 1);
  g_assert_true (nt_series_nearest (series, 26, &idx));
  g_assert_cmpuint (idx, ==, 2);
  g_assert_true (nt_series_nearest (series, 25, &idx));
  g_assert_cmpuint (idx, ==, 1);
  g_assert_true (nt_series_nearest (series, -100, &idx));
  g_assert_cmpuint (idx, ==, 0);
}

static void
changed_cb (NtSeries *series,
            gint64    from,
            gint64    to,
            gint64   *span)
{
  span[0] = from;
  span[1] = to;
  span[2]++;
}

/* A disconnect leaves a gap; after the reconnect the archive's samples
 * replace it and the series is whole again. */
static void
test_series_gap_refill (void)
{
  g_autoptr(NtSeries) series = nt_series_new (0);
  g_autoptr(GArray) gaps = NULL;
  gint64 span[3] = { 0, 0, 0 };
  gint64 start, at[20];
  double av[20];
  g_autofree NtColumn *cols = g_new0 (NtColumn, 60);

  g_signal_connect (series, "changed", G_CALLBACK (changed_cb), span);

  for (gint64 s = 0; s < 20; s++)
    nt_series_append (series, s * G_USEC_PER_SEC, 400.0 - s * 0.01, 0);
  g_assert_false (nt_series_get_open_gap (series, NULL));

  nt_series_mark_gap (series, 20 * G_USEC_PER_SEC);
  g_assert_true (nt_series_get_open_gap (series, &start));
  g_assert_cmpint (start, ==, 20 * G_USEC_PER_SEC);

  gaps = nt_series_get_gaps (series, 0, 60 * G_USEC_PER_SEC);
  g_assert_cmpuint (gaps->len, ==, 1);
  g_assert_cmpint (g_array_index (gaps, NtSeriesGap, 0).start, ==, 20 * G_USEC_PER_SEC);
  g_assert_cmpint (g_array_index (gaps, NtSeriesGap, 0).end, ==, G_MAXINT64);
  g_clear_pointer (&gaps, g_array_unref);

  /* Reconnected at 40 s: live values resume. */
  for (gint64 s = 40; s < 60; s++)
    nt_series_append (series, s * G_USEC_PER_SEC, 399.0, 0);
  g_assert_false (nt_series_get_open_gap (series, NULL));
  gaps = nt_series_get_gaps (series, 0, 60 * G_USEC_PER_SEC);
  g_assert_cmpuint (gaps->len, ==, 1);
  g_assert_cmpint (g_array_index (gaps, NtSeriesGap, 0).end, ==, 40 * G_USEC_PER_SEC);
  g_clear_pointer (&gaps, g_array_unref);

  nt_decimate (series, 0, 60 * G_USEC_PER_SEC, 60, cols);
  g_assert_true (cols[20].flags & NT_COLUMN_HAS_NAN);
  g_assert_true (cols[30].flags & NT_COLUMN_GAP_AT_START);
  g_assert_cmpuint (cols[30].n, ==, 0);

  /* The archive had the samples all along: refill [20 s, 40 s). */
  for (guint k = 0; k < 20; k++)
    {
      at[k] = (20 + k) * G_USEC_PER_SEC;
      av[k] = 399.5 - k * 0.01;
    }
  span[2] = 0;
  nt_series_replace_range (series, 20 * G_USEC_PER_SEC, 40 * G_USEC_PER_SEC,
                           at, av, NULL, 20);
  g_assert_cmpint (span[2], ==, 1);
  g_assert_cmpint (span[0], ==, 20 * G_USEC_PER_SEC);
  g_assert_cmpint (span[1], ==, 40 * G_USEC_PER_SEC);

  gaps = nt_series_get_gaps (series, 0, 60 * G_USEC_PER_SEC);
  g_assert_cmpuint (gaps->len, ==, 0);
  g_assert_cmpuint (nt_series_get_n_samples (series), ==, 60);

  nt_decimate (series, 0, 60 * G_USEC_PER_SEC, 60, cols);
  for (guint c = 0; c < 60; c++)
    {
      g_assert_cmpuint (cols[c].n, ==, 1);
      g_assert_cmpuint (cols[c].flags, ==, 0);
    }
  g_assert_cmpfloat (cols[25].min, ==, 399.5 - 5 * 0.01);
}

static void
test_decimate_partial (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  gint64 t_end;
  g_autoptr(NtSeries) series = random_series (rand, 50000, 0, &t_end);
  g_autofree NtColumn *whole = g_new0 (NtColumn, 800);
  g_autofree NtColumn *part = g_new0 (NtColumn, 800);

  nt_decimate (series, 0, t_end + 1, 800, whole);
  nt_decimate_columns (series, 0, t_end + 1, 800, 0, 400, part);
  nt_decimate_columns (series, 0, t_end + 1, 800, 400, 800, part);
  for (guint c = 0; c < 800; c++)
    {
      assert_same_double (part[c].min, whole[c].min);
      assert_same_double (part[c].max, whole[c].max);
      g_assert_cmpuint (part[c].n, ==, whole[c].n);
      g_assert_cmpuint (part[c].flags, ==, whole[c].flags);
    }
}

static void
test_column_at (void)
{
  for (guint width = 1; width < 50; width++)
    for (gint64 t = 100; t < 337; t++)
      {
        guint c = nt_decimate_column_at (100, 337, width, t);

        g_assert_cmpuint (c, <, width);
        g_assert_cmpint (nt_decimate_column_start (100, 337, width, c), <=, t);
        g_assert_cmpint (nt_decimate_column_start (100, 337, width, c + 1), >, t);
      }
  g_assert_cmpuint (nt_decimate_column_at (100, 337, 10, 99), ==, 10);
  g_assert_cmpuint (nt_decimate_column_at (100, 337, 10, 337), ==, 10);
}

/* ------------------------------------------------------------------ */
/* Block storage against a flat model                                  */

typedef struct
{
  GArray *t;    /* gint64 */
  GArray *v;    /* double */
  GArray *sev;  /* guint8 */
} Model;

static void
model_init (Model *m)
{
  m->t = g_array_new (FALSE, FALSE, sizeof (gint64));
  m->v = g_array_new (FALSE, FALSE, sizeof (double));
  m->sev = g_array_new (FALSE, FALSE, sizeof (guint8));
}

static void
model_clear (Model *m)
{
  g_array_unref (m->t);
  g_array_unref (m->v);
  g_array_unref (m->sev);
}

static gsize
model_lower_bound (Model  *m,
                   gint64  t)
{
  gsize i = 0;

  while (i < m->t->len && g_array_index (m->t, gint64, i) < t)
    i++;
  return i;
}

/* As nt_series_append(): after every sample at or before @t. */
static void
model_append (Model  *m,
              gint64  t,
              double  v,
              guint8  sev)
{
  gsize i = m->t->len;

  while (i > 0 && g_array_index (m->t, gint64, i - 1) > t)
    i--;
  g_array_insert_val (m->t, i, t);
  g_array_insert_val (m->v, i, v);
  g_array_insert_val (m->sev, i, sev);
}

static void
model_replace (Model        *m,
               gint64        from,
               gint64        to,
               const gint64 *t,
               const double *v,
               const guint8 *sev,
               gsize         n)
{
  gsize i0 = model_lower_bound (m, from), i1 = model_lower_bound (m, to);

  g_array_remove_range (m->t, i0, i1 - i0);
  g_array_remove_range (m->v, i0, i1 - i0);
  g_array_remove_range (m->sev, i0, i1 - i0);
  g_array_insert_vals (m->t, i0, t, n);
  g_array_insert_vals (m->v, i0, v, n);
  g_array_insert_vals (m->sev, i0, sev, n);
}

static void
assert_same_value (double got,
                   double want)
{
  if (isnan (want))
    g_assert_true (isnan (got));
  else
    g_assert_cmpfloat (got, ==, want);
}

/* The series holds exactly the model's last n samples (all of them when
 * nothing was dropped), and its index agrees with a scan. */
static void
assert_matches (NtSeries *series,
                Model    *m,
                GRand    *rand)
{
  gsize n = nt_series_get_n_samples (series);
  gsize skip;
  g_autofree gint64 *t = g_new (gint64, n + 1);
  g_autofree double *v = g_new (double, n + 1);
  g_autofree guint8 *sev = g_new (guint8, n + 1);

  g_assert_cmpuint (n, <=, m->t->len);
  skip = m->t->len - n;
  g_assert_cmpuint (nt_series_copy_range (series, 0, n, t, v, sev), ==, n);
  for (gsize i = 0; i < n; i++)
    {
      g_assert_cmpint (t[i], ==, g_array_index (m->t, gint64, skip + i));
      assert_same_value (v[i], g_array_index (m->v, double, skip + i));
      g_assert_cmpuint (sev[i], ==, g_array_index (m->sev, guint8, skip + i));
      g_assert_cmpint (nt_series_get_time (series, i), ==, t[i]);
      assert_same_value (nt_series_get_value (series, i), v[i]);
      if (i > 0)
        g_assert_cmpint (t[i - 1], <=, t[i]);
    }

  for (guint k = 0; k < 200 && n > 0; k++)
    {
      gsize i0 = g_rand_int_range (rand, 0, n);
      gsize len = g_rand_int_range (rand, 0, 40);
      gsize i1 = k % 2 ? MIN (n, i0 + len) : (gsize)g_rand_int_range (rand, i0, n + 1);
      double mn = INFINITY, mx = -INFINITY, got_mn, got_mx;
      gint64 probe = t[i0] + (k % 3) - 1;
      gsize lb = 0;

      for (gsize i = i0; i < i1; i++)
        {
          mn = MIN (mn, isnan (v[i]) ? mn : v[i]);
          mx = MAX (mx, isnan (v[i]) ? mx : v[i]);
        }
      g_assert_cmpint (nt_series_range_minmax (series, i0, i1, &got_mn, &got_mx), ==, mn <= mx);
      if (mn <= mx)
        {
          g_assert_cmpfloat (got_mn, ==, mn);
          g_assert_cmpfloat (got_mx, ==, mx);
        }

      while (lb < n && t[lb] < probe)
        lb++;
      g_assert_cmpuint (nt_series_lower_bound (series, probe), ==, lb);
    }
}

/* Every count about a block boundary, with severities in a few blocks
 * only (their arrays exist only there). */
static void
test_blocks_boundaries (void)
{
  static const gsize counts[] = { 1, 15, 16, 17, NT_SERIES_BLOCK_SIZE - 1, NT_SERIES_BLOCK_SIZE,
                                  NT_SERIES_BLOCK_SIZE + 1, 2 * NT_SERIES_BLOCK_SIZE,
                                  3 * NT_SERIES_BLOCK_SIZE + 5 };
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);

  for (guint c = 0; c < G_N_ELEMENTS (counts); c++)
    for (guint batch = 0; batch < 2; batch++)
      {
        g_autoptr(NtSeries) series = nt_series_new (0);
        Model m;
        g_autofree gint64 *t = g_new (gint64, counts[c]);
        g_autofree double *v = g_new (double, counts[c]);
        g_autofree guint8 *sev = g_new (guint8, counts[c]);

        model_init (&m);
        for (gsize i = 0; i < counts[c]; i++)
          {
            t[i] = (gint64)1800000000 * G_USEC_PER_SEC + (gint64)i * 1000003;
            v[i] = i % 97 == 5 ? NAN : 400.0 + g_rand_double_range (rand, -1, 1);
            sev[i] = i / NT_SERIES_BLOCK_SIZE == 1 && i % 7 == 0 ? NT_SERIES_SEVERITY_MAJOR : 0;
            if (batch == 1)
              nt_series_append (series, t[i], v[i], sev[i]);
            model_append (&m, t[i], v[i], sev[i]);
          }
        if (batch == 0)
          nt_series_append_many (series, t, v, sev, counts[c]);

        g_assert_cmpuint (nt_series_get_n_samples (series), ==, counts[c]);
        assert_matches (series, &m, rand);
        model_clear (&m);
      }
}

/* Times in each encoding: µs offsets, whole seconds far apart (a coarser
 * step), µs stamps further apart than any 32-bit offset spans (64-bit
 * times), before 1970, and a block that has to change its encoding when
 * a sample arrives that does not fit it. */
static void
test_blocks_time_encodings (void)
{
  static const gint64 steps[] = { 1, 999983, 60 * G_USEC_PER_SEC, 600 * G_USEC_PER_SEC + 17,
                                  (gint64)86400 * 365 * G_USEC_PER_SEC };
  g_autoptr(GRand) rand = g_rand_new_with_seed (12);

  for (guint k = 0; k < G_N_ELEMENTS (steps); k++)
    {
      g_autoptr(NtSeries) series = nt_series_new (0);
      Model m;
      gint64 t = -(gint64)1000 * G_USEC_PER_SEC;

      model_init (&m);
      for (guint i = 0; i < 3 * NT_SERIES_BLOCK_SIZE; i++)
        {
          /* now and then a µs stamp in a series of whole seconds */
          gint64 step = (i % 200 == 199) ? steps[k] + 1 : steps[k];

          t += step;
          nt_series_append (series, t, (double)i, 0);
          model_append (&m, t, (double)i, 0);
        }
      assert_matches (series, &m, rand);
      model_clear (&m);
    }
}

/* A series of float precision rounds each value to the nearest float (and
 * keeps NaN, the infinities and a value beyond the float range); an exact
 * one keeps every double. */
static void
test_series_float_rounding (void)
{
  static const double values[] = { 400.123456789, 0.1, -0.000123456789, 12398.4198,
                                   1e-30, 3e38, NAN, INFINITY, -INFINITY, 1e300, -1e300,
                                   399.99999999 };
  g_autoptr(NtSeries) rounded = nt_series_new_with_precision (0, NT_SERIES_PRECISION_FLOAT);
  g_autoptr(NtSeries) exact = nt_series_new (0);

  g_assert_cmpuint (nt_series_get_precision (rounded), ==, NT_SERIES_PRECISION_FLOAT);
  g_assert_cmpuint (nt_series_get_precision (exact), ==, NT_SERIES_PRECISION_EXACT);

  for (guint r = 0; r < 2 * NT_SERIES_BLOCK_SIZE; r++)
    {
      double x = values[r % G_N_ELEMENTS (values)];

      /* the value beyond the float range only in the second block */
      if (fabs (x) == 1e300 && r < NT_SERIES_BLOCK_SIZE)
        x = 1.5;
      nt_series_append (rounded, r, x, 0);
      nt_series_append (exact, r, x, 0);
    }

  for (guint r = 0; r < 2 * NT_SERIES_BLOCK_SIZE; r++)
    {
      double x = values[r % G_N_ELEMENTS (values)];
      double got = nt_series_get_value (rounded, r);

      if (fabs (x) == 1e300 && r < NT_SERIES_BLOCK_SIZE)
        x = 1.5;
      assert_same_value (nt_series_get_value (exact, r), x);
      if (fabs (x) > FLT_MAX && !isinf (x))
        g_assert_cmpfloat (got, ==, x);
      else
        {
          assert_same_value (got, (double)(float)x);
          if (isfinite (x) && x != 0)
            g_assert_cmpfloat (fabs (got - x) / fabs (x), <, 6e-8);
        }
    }

  /* The index holds the rounded values: a min is one of them. */
  {
    double mn, mx;

    g_assert_true (nt_series_range_minmax (rounded, 0, 6, &mn, &mx));
    g_assert_cmpfloat (mn, ==, (double)(float)-0.000123456789);
    g_assert_cmpfloat (mx, ==, (double)(float)3e38);
  }
}

/* Random appends, late samples, archive joins and refills that cross
 * blocks (growing, shrinking or keeping the series' length), gaps and
 * clears, against the model after each step. */
static void
test_blocks_splice (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (13);

  for (guint precision = 0; precision < 2; precision++)
    {
      g_autoptr(NtSeries) series = nt_series_new_with_precision (0, precision);
      Model m;
      gint64 now = (gint64)1800000000 * G_USEC_PER_SEC;

      model_init (&m);
      for (guint step = 0; step < 300; step++)
        {
          double r = g_rand_double (rand);

          if (r < 0.45)
            {
              /* live values */
              guint k = g_rand_int_range (rand, 1, 300);

              for (guint i = 0; i < k; i++)
                {
                  double x = precision ? (double)(float)(400 + i * 0.25) : 400 + g_rand_double (rand);
                  guint8 sev = g_rand_int_range (rand, 0, 50) == 0 ? NT_SERIES_SEVERITY_MINOR : 0;

                  now += g_rand_int_range (rand, 0, 3) == 0 ? 0 : g_rand_int_range (rand, 1, 2000000);
                  nt_series_append (series, now, x, sev);
                  model_append (&m, now, x, sev);
                }
            }
          else if (r < 0.55 && m.t->len > 0)
            {
              /* a late sample */
              gint64 t = g_array_index (m.t, gint64, g_rand_int_range (rand, 0, m.t->len));

              nt_series_append (series, t, 1.0, 0);
              model_append (&m, t, 1.0, 0);
            }
          else if (r < 0.6)
            {
              nt_series_mark_gap (series, now);
              model_append (&m, now, NAN, NT_SERIES_SEVERITY_UNDEFINED);
            }
          else if (r < 0.99 && m.t->len > 2)
            {
              /* history in: replace a span with fewer, as many or more samples */
              gint64 t0 = g_array_index (m.t, gint64, 0);
              gint64 from = t0 + (gint64)(g_rand_double (rand) * (now - t0));
              gint64 to = from + (gint64)(g_rand_double (rand) * (now + 1 - from));
              gsize had = model_lower_bound (&m, to) - model_lower_bound (&m, from);
              gsize want = (gsize)g_rand_int_range (rand, 0, 3) * had / 2 + g_rand_int_range (rand, 0, 5);
              gsize n = MIN (want, (gsize)(to - from));
              g_autofree gint64 *t = g_new (gint64, n + 1);
              g_autofree double *v = g_new (double, n + 1);
              g_autofree guint8 *sev = g_new0 (guint8, n + 1);

              for (gsize i = 0; i < n; i++)
                {
                  t[i] = from + (gint64)((to - from) * (double)i / MAX (n, 1));
                  v[i] = precision ? (double)(float)(300 + i) : 300 + i * 0.001;
                }
              nt_series_replace_range (series, from, to, t, v, sev, n);
              model_replace (&m, from, to, t, v, sev, n);
            }
          else
            {
              nt_series_clear (series);
              model_clear (&m);
              model_init (&m);
            }

          g_assert_cmpuint (nt_series_get_n_samples (series), ==, m.t->len);
          assert_matches (series, &m, rand);
        }
      model_clear (&m);
    }
}

/* Dropping the oldest samples for the capacity, at any offset in a block,
 * keeps the newest ones in order, the index and the gaps. */
static void
test_blocks_capacity (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (14);
  g_autoptr(NtSeries) series = nt_series_new (3 * NT_SERIES_BLOCK_SIZE + 100);
  Model m;

  model_init (&m);
  for (gint64 i = 0; i < 20 * NT_SERIES_BLOCK_SIZE; i++)
    {
      double x = i % 301 == 0 ? NAN : (double)(i % 1000);

      nt_series_append (series, i * 1000, x, 0);
      model_append (&m, i * 1000, x, 0);
      if (i % 97 == 0)
        assert_matches (series, &m, rand);
    }
  g_assert_cmpuint (nt_series_get_n_samples (series), <=, 3 * NT_SERIES_BLOCK_SIZE + 100);
  assert_matches (series, &m, rand);

  /* a refill after drops */
  {
    gint64 t[3] = { 19 * NT_SERIES_BLOCK_SIZE * 1000 + 1, 19 * NT_SERIES_BLOCK_SIZE * 1000 + 2,
                    19 * NT_SERIES_BLOCK_SIZE * 1000 + 3 };
    double v[3] = { -5, -6, -7 };
    guint8 sev[3] = { 0, 0, 0 };

    nt_series_replace_range (series, t[0], t[0] + 5000, t, v, sev, 3);
    model_replace (&m, t[0], t[0] + 5000, t, v, sev, 3);
    assert_matches (series, &m, rand);
  }
  model_clear (&m);
}

/* What the stored samples and their index take, slack included. */
static void
test_series_memory (void)
{
  g_autoptr(NtSeries) rounded = nt_series_new_with_precision (0, NT_SERIES_PRECISION_FLOAT);
  g_autoptr(NtSeries) exact = nt_series_new (0);
  const gsize n = 604800;

  for (gsize i = 0; i < n; i++)
    {
      gint64 t = (gint64)1800000000 * G_USEC_PER_SEC + (gint64)i * G_USEC_PER_SEC + (gint64)(i * 7919 % 1000);
      double x = 400.0 * exp (-(double)(i % 300) / 36000.0) + (i % 13) * 0.001;

      nt_series_append (rounded, t, x, 0);
      nt_series_append (exact, t, x, 0);
    }

  g_test_message ("bytes a sample: %.2f float, %.2f exact",
                  (double)nt_series_get_memory_size (rounded) / n,
                  (double)nt_series_get_memory_size (exact) / n);
  g_assert_cmpfloat ((double)nt_series_get_memory_size (rounded) / n, <=, 10.5);
  g_assert_cmpfloat ((double)nt_series_get_memory_size (exact) / n, <=, 14.0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* Every test here runs at a named instant, never at the real date. */
  nt_test_clock_run_from (NT_TEST_USER_OPERATION, 1.0);

  g_test_add_func ("/decimate/random", test_decimate_random);
  g_test_add_func ("/decimate/single-spike", test_decimate_single_spike);
  g_test_add_func ("/decimate/partial", test_decimate_partial);
  g_test_add_func ("/decimate/column-at", test_column_at);
  g_test_add_func ("/series/range-minmax", test_series_range_minmax);
  g_test_add_func ("/series/capacity", test_series_capacity);
  g_test_add_func ("/series/out-of-order", test_series_out_of_order);
  g_test_add_func ("/series/gap-refill", test_series_gap_refill);
  g_test_add_func ("/series/float-rounding", test_series_float_rounding);
  g_test_add_func ("/series/memory", test_series_memory);
  g_test_add_func ("/series/blocks/boundaries", test_blocks_boundaries);
  g_test_add_func ("/series/blocks/time-encodings", test_blocks_time_encodings);
  g_test_add_func ("/series/blocks/splice", test_blocks_splice);
  g_test_add_func ("/series/blocks/capacity", test_blocks_capacity);

  return g_test_run ();
}
