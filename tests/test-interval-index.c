/* test-interval-index.c: the interval index against a brute-force scan
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib.h>

#include "nt-interval-index.h"
#include "test-instants.h"

typedef struct
{
  gint64 start;
  gint64 end;
  guint  id;
} Iv;

static gboolean
collect_cb (gint64   start,
            gint64   end,
            gpointer data,
            gpointer user_data)
{
  Iv *iv = data;

  g_assert_cmpint (iv->start, ==, start);
  g_assert_cmpint (iv->end, ==, end);
  g_ptr_array_add (user_data, data);
  return TRUE;
}

static void
test_empty (void)
{
  g_autoptr(NtIntervalIndex) index = nt_interval_index_new (NULL);
  g_autoptr(GPtrArray) hits = g_ptr_array_new ();

  g_assert_cmpuint (nt_interval_index_foreach_in (index, 0, 100, collect_cb, hits), ==, 0);
  g_assert_cmpuint (nt_interval_index_lower_bound (index, 5), ==, 0);
  g_assert_false (nt_interval_index_any_in (index, G_MININT64 / 2, G_MAXINT64 / 2, NULL));
}

static void
test_half_open (void)
{
  g_autoptr(NtIntervalIndex) index = nt_interval_index_new (NULL);
  Iv a = { 10, 20, 1 }, b = { 20, 30, 2 }, empty = { 25, 25, 3 };

  nt_interval_index_add (index, a.start, a.end, &a);
  nt_interval_index_add (index, b.start, b.end, &b);
  nt_interval_index_add (index, empty.start, empty.end, &empty);

  /* Touching is not overlapping; empty intervals are never reported. */
  g_assert_false (nt_interval_index_any_in (index, 0, 10, NULL));
  g_assert_true (nt_interval_index_any_in (index, 0, 11, NULL));
  g_assert_false (nt_interval_index_any_in (index, 30, 40, NULL));
  g_assert_cmpuint (nt_interval_index_foreach_in (index, 19, 21, NULL, NULL), ==, 2);
  g_assert_cmpuint (nt_interval_index_foreach_in (index, 24, 26, NULL, NULL), ==, 1);
  /* The one being moved does not collide with itself. */
  g_assert_false (nt_interval_index_any_in (index, 12, 18, &a));
  g_assert_true (nt_interval_index_any_in (index, 12, 22, &a));
  /* A reversed query is empty. */
  g_assert_cmpuint (nt_interval_index_foreach_in (index, 30, 0, NULL, NULL), ==, 0);
}

static gboolean
stop_after_two_cb (gint64   start,
                   gint64   end,
                   gpointer data,
                   gpointer user_data)
{
  guint *n = user_data;

  return ++*n < 2;
}

static void
test_stop (void)
{
  g_autoptr(NtIntervalIndex) index = nt_interval_index_new (NULL);
  guint n = 0;

  for (guint i = 0; i < 10; i++)
    nt_interval_index_add (index, i, i + 5, GUINT_TO_POINTER (i + 1));

  g_assert_cmpuint (nt_interval_index_foreach_in (index, 0, 100, stop_after_two_cb, &n), ==, 2);
  g_assert_cmpuint (n, ==, 2);
}

static void
free_iv (gpointer data)
{
  Iv *iv = data;

  iv->id = 0;  /* marks it freed; the array below owns the memory */
}

/* Random intervals, random queries: the same hits as a scan, in start
 * order, after adds and removes. */
static void
test_random (void)
{
  g_autoptr(NtIntervalIndex) index = nt_interval_index_new (free_iv);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  Iv *ivs = g_new0 (Iv, 3000);
  guint n = 3000;

  for (guint i = 0; i < n; i++)
    {
      ivs[i].start = g_rand_int_range (rand, 0, 100000);
      /* Mostly short, a few very long ones (whole terms among shifts). */
      ivs[i].end = ivs[i].start + (g_rand_int_range (rand, 0, 50) == 0
                                   ? g_rand_int_range (rand, 0, 60000)
                                   : g_rand_int_range (rand, 0, 300));
      ivs[i].id = i + 1;
      nt_interval_index_add (index, ivs[i].start, ivs[i].end, &ivs[i]);
    }
  g_assert_cmpuint (nt_interval_index_get_size (index), ==, n);

  for (guint round = 0; round < 2; round++)
    {
      for (guint q = 0; q < 400; q++)
        {
          gint64 from = g_rand_int_range (rand, -1000, 101000);
          gint64 to = from + g_rand_int_range (rand, 1, 5000);
          g_autoptr(GPtrArray) hits = g_ptr_array_new ();
          guint expected = 0;

          nt_interval_index_foreach_in (index, from, to, collect_cb, hits);
          for (guint i = 0; i < n; i++)
            if (ivs[i].id != 0 && ivs[i].end > ivs[i].start && ivs[i].start < to && ivs[i].end > from)
              expected++;
          g_assert_cmpuint (hits->len, ==, expected);
          for (guint i = 1; i < hits->len; i++)
            g_assert_cmpint (((Iv *)hits->pdata[i - 1])->start, <=, ((Iv *)hits->pdata[i])->start);
          for (guint i = 0; i < hits->len; i++)
            {
              Iv *iv = hits->pdata[i];

              g_assert_cmpuint (iv->id, !=, 0);
              g_assert_true (iv->start < to && iv->end > from);
            }
        }

      /* Remove every third one, then query again. */
      for (guint i = 0; i < n; i += 3)
        if (ivs[i].id != 0)
          g_assert_true (nt_interval_index_remove (index, &ivs[i]));
      g_assert_false (nt_interval_index_remove (index, &ivs[0]));
    }

  /* Sorted access and lower bound agree with each other. */
  {
    guint size = nt_interval_index_get_size (index);
    guint lb = nt_interval_index_lower_bound (index, 50000);
    gint64 s = 0, prev = G_MININT64;

    for (guint i = 0; i < size; i++)
      {
        Iv *iv = nt_interval_index_get_nth (index, i, &s, NULL);

        g_assert_cmpint (s, >=, prev);
        g_assert_cmpint (iv->start, ==, s);
        g_assert_cmpint (nt_interval_index_position (index, iv), ==, (int)i);
        if (i < lb)
          g_assert_cmpint (s, <, 50000);
        else
          g_assert_cmpint (s, >=, 50000);
        prev = s;
      }
  }

  nt_interval_index_clear (index);
  g_assert_cmpuint (nt_interval_index_get_size (index), ==, 0);
  for (guint i = 0; i < n; i++)
    g_assert_cmpuint (ivs[i].id, ==, 0);
  g_free (ivs);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* Every test here runs at a named instant, never at the real date. */
  nt_test_clock_run_from (NT_TEST_USER_OPERATION, 1.0);

  g_test_add_func ("/interval-index/empty", test_empty);
  g_test_add_func ("/interval-index/half-open", test_half_open);
  g_test_add_func ("/interval-index/stop", test_stop);
  g_test_add_func ("/interval-index/random", test_random);

  return g_test_run ();
}
