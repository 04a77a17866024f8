/* test-history-blocks.c: the archive's compact day blocks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Encoding keeps every sample exactly (scaled and raw, and when a block's
 * scale has to grow as it is written); moving closed days from rows into
 * blocks changes no query's answer (raw, binned, the value before a range,
 * the last time), nor does recording straight into blocks (block mode, as
 * the archive's fill does); truncating cuts a block in two; pruning drops
 * whole blocks.
 */
#include "config.h"

#include <math.h>
#include <glib/gstdio.h>

#include "nt-history-store-private.h"

#define S   ((gint64) G_USEC_PER_SEC)
#define DAY ((gint64) 86400 * S)
#define T0  ((gint64) 1796000000 / 86400 * 86400 * S)   /* a UTC midnight */

static void
assert_same (GArray *a,
             GArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    {
      NtHistorySample *x = &g_array_index (a, NtHistorySample, i);
      NtHistorySample *y = &g_array_index (b, NtHistorySample, i);

      g_assert_cmpint (x->time_us, ==, y->time_us);
      if (isnan (x->value))
        g_assert_true (isnan (y->value));
      else
        g_assert_cmpfloat (x->value, ==, y->value);
      g_assert_cmpint (x->severity, ==, y->severity);
      g_assert_cmpstr (x->text, ==, y->text);
    }
}

static void
test_roundtrip (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);

  for (int kind = 0; kind < 3; kind++)
    {
      g_autoptr(GArray) in = g_array_new (FALSE, TRUE, sizeof (NtHistorySample));
      g_autoptr(GArray) out = g_array_new (FALSE, TRUE, sizeof (NtHistorySample));
      g_autoptr(GByteArray) data = g_byte_array_new ();
      gint64 t = T0 + 17;
      double walk = 400;

      for (guint i = 0; i < 5000; i++)
        {
          NtHistorySample s = { 0 };

          t += g_rand_int_range (rand, 0, 3) == 0 ? g_rand_int_range (rand, 1, 10 * S) : S;
          s.time_us = t;
          walk += g_rand_double_range (rand, -0.008, 0.008);
          s.value = kind == 0 ? round (walk * 1000) / 1000.0                                  /* 1 µA steps */
                    : kind == 1 ? g_rand_int_range (rand, 0, 5)                              /* an enum */
                    : g_rand_double (rand) * 3.3;                                            /* raw */
          if (kind == 2 && i % 97 == 0)
            s.value = NAN;
          s.severity = i % 501 == 0 ? 2 : i % 777 == 0 ? 3 : 0;
          s.count = 1;
          g_array_append_val (in, s);
        }
      nt_history_block_encode ((NtHistorySample *) (gpointer) in->data, in->len, data);
      g_test_message ("kind %d: %.2f bytes a sample", kind, (double) data->len / in->len);
      if (kind == 0)
        g_assert_cmpfloat ((double) data->len / in->len, <, 4.0);
      g_assert_true (nt_history_block_decode (data->data, data->len, G_MININT64, G_MAXINT64, out));
      assert_same (in, out);

      /* A window of it, and a damaged block. */
      g_array_set_size (out, 0);
      g_assert_true (nt_history_block_decode (data->data, data->len, g_array_index (in, NtHistorySample, 100).time_us,
                                              g_array_index (in, NtHistorySample, 199).time_us, out));
      g_assert_cmpuint (out->len, ==, 100);
      g_array_set_size (out, 0);
      g_assert_false (nt_history_block_decode (data->data, data->len / 2, G_MININT64, G_MAXINT64, out));
    }
}

/* A block written a sample at a time whose values need a finer scale as
 * they come (integers, then 1 µA steps, then 1e-9, then raw doubles, then
 * scaled ones again), and severities that change, decode to what went in. */
static void
test_writer_rescale (void)
{
  static const double values[] = { 400, 401, 399.5, 399.123, 399.123456789, -2, 1.0 / 3, 7.25, 1e300 };
  g_autoptr(GArray) out = g_array_new (FALSE, TRUE, sizeof (NtHistorySample));

  for (guint last = 1; last <= G_N_ELEMENTS (values); last++)
    {
      g_autoptr(GArray) in = g_array_new (FALSE, TRUE, sizeof (NtHistorySample));
      g_autoptr(GByteArray) data = g_byte_array_new ();

      for (guint i = 0; i < 3 * last; i++)
        {
          NtHistorySample s = { T0 + i * S + (i % 3) * 1000, values[i / 3], NULL, (int) (i % 4 == 1), 1 };

          g_array_append_val (in, s);
        }
      nt_history_block_encode ((NtHistorySample *) (gpointer) in->data, in->len, data);
      g_array_set_size (out, 0);
      g_assert_true (nt_history_block_decode (data->data, data->len, G_MININT64, G_MAXINT64, out));
      assert_same (in, out);
    }
}

typedef struct
{
  char           *dir;
  char           *path;
  NtDb           *db;
  NtHistoryStore *store;
  NtPvTable      *pvs;
  guint           current;
  guint           mode;
  guint           message;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  static const char * const labels[] = { "A", "B", "C", NULL };

  f->dir = g_dir_make_tmp ("nt-blocks-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "history.db", NULL);
  f->db = nt_db_open (f->path, &error);
  g_assert_no_error (error);
  f->store = nt_history_store_new (f->db, &error);
  g_assert_no_error (error);
  f->pvs = nt_pv_table_new ();
  f->current = nt_pv_table_add (f->pvs, &(NtPvInfo) { .name = "CUR", .type = NT_PV_TYPE_DOUBLE, .units = "mA",
                                                      .min = NAN, .max = NAN, .warn_low = NAN, .warn_high = NAN,
                                                      .alarm_low = NAN, .alarm_high = NAN });
  f->mode = nt_pv_table_add (f->pvs, &(NtPvInfo) { .name = "MODE", .type = NT_PV_TYPE_ENUM, .labels = labels,
                                                   .min = NAN, .max = NAN, .warn_low = NAN, .warn_high = NAN,
                                                   .alarm_low = NAN, .alarm_high = NAN });
  f->message = nt_pv_table_add (f->pvs, &(NtPvInfo) { .name = "MSG", .type = NT_PV_TYPE_STRING,
                                                      .min = NAN, .max = NAN, .warn_low = NAN, .warn_high = NAN,
                                                      .alarm_low = NAN, .alarm_high = NAN });
  g_assert_true (nt_history_store_attach (f->store, f->pvs, &error));

  /* Three days: the current every second (a 2 h hole on day 2), the
   * mode hourly, a message now and then. */
  for (gint64 t = T0; t < T0 + 3 * DAY; t += S)
    {
      gint64 k = (t / S) % 86400;

      if (t >= T0 + DAY + 5 * 3600 * S && t < T0 + DAY + 7 * 3600 * S)
        continue;
      nt_pv_table_set_number (f->pvs, f->current, round ((400 - (k % 120) * 0.011 + (k % 7) * 0.003) * 1000) / 1000.0,
                              k % 3600 < 10 ? NT_SEVERITY_MINOR : NT_SEVERITY_NONE, t);
      if (k % 3600 == 0)
        nt_pv_table_set_number (f->pvs, f->mode, (k / 3600) % 3, NT_SEVERITY_NONE, t);
      if (k % 20000 == 0)
        {
          g_autofree char *text = g_strdup_printf ("message %" G_GINT64_FORMAT, t / S);

          nt_pv_table_set_string (f->pvs, f->message, text, NT_SEVERITY_NONE, t);
        }
      if (nt_history_store_get_n_pending (f->store) > NT_HISTORY_MAX_PENDING / 2)
        g_assert_true (nt_history_store_flush (f->store, &error));
    }
  g_assert_true (nt_history_store_flush (f->store, &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);

  g_clear_object (&f->store);
  g_clear_object (&f->pvs);
  g_clear_object (&f->db);
  g_remove (f->path);
  g_remove (wal);
  g_remove (shm);
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

typedef struct
{
  const char *pv;
  gint64      from;
  gint64      to;
} Range;

static const Range ranges[] = {
  { "CUR", T0 + 3600 * S, T0 + 2 * 3600 * S },
  { "CUR", T0 + DAY - 100 * S, T0 + DAY + 100 * S },
  { "CUR", T0 + DAY + 4 * 3600 * S, T0 + DAY + 8 * 3600 * S },
  { "MODE", T0, T0 + 3 * DAY },
  { "MODE", T0 + DAY + 1800 * S, T0 + 2 * DAY + 1800 * S },
  { "MSG", T0, T0 + 3 * DAY },
};

/* Every answer, before and after the rows of the first two days move
 * into blocks. */
static void
test_compact_same_answers (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) before = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  gint64 last = nt_history_get_last_time (f->db, "CUR");
  guint k = 0;

  for (guint pass = 0; pass < 2; pass++)
    {
      if (pass == 1)
        {
          sqlite3_stmt *stmt = NULL;

          g_assert_true (nt_history_store_compact (f->store, T0 + 2 * DAY + 3600 * S, NULL, &error));
          g_assert_no_error (error);
          sqlite3_prepare_v2 (nt_db_get_handle (f->db), "SELECT count(*), sum(length(data)) FROM history_block", -1, &stmt, NULL);
          g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
          /* CUR and MODE on two days; strings stay rows. */
          g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 4);
          g_test_message ("2 days in blocks: %d bytes", sqlite3_column_int (stmt, 1));
          sqlite3_finalize (stmt);
          g_assert_cmpint (nt_history_get_last_time (f->db, "CUR"), ==, last);
        }
      for (guint i = 0; i < G_N_ELEMENTS (ranges); i++)
        {
          GArray *raw = nt_history_query_raw (f->db, ranges[i].pv, ranges[i].from, ranges[i].to, 100000, &error);
          GArray *bins = NULL;

          g_assert_no_error (error);
          if (!g_str_equal (ranges[i].pv, "MSG"))
            {
              bins = nt_history_query_binned (f->db, ranges[i].pv, ranges[i].from, ranges[i].to, 600,
                                              i % 2 == 0 ? NT_HISTORY_BIN_MEAN : NT_HISTORY_BIN_MAX, &error);
              g_assert_no_error (error);
            }
          if (pass == 0)
            {
              g_ptr_array_add (before, raw);
              g_ptr_array_add (before, bins != NULL ? bins : g_array_new (FALSE, TRUE, sizeof (NtHistorySample)));
              continue;
            }
          assert_same (g_ptr_array_index (before, k), raw);
          if (bins != NULL)
            {
              GArray *old = g_ptr_array_index (before, k + 1);

              g_assert_cmpuint (old->len, ==, bins->len);
              for (guint j = 0; j < bins->len; j++)
                {
                  g_assert_cmpint (g_array_index (old, NtHistorySample, j).time_us, ==,
                                   g_array_index (bins, NtHistorySample, j).time_us);
                  g_assert_cmpuint (g_array_index (old, NtHistorySample, j).count, ==,
                                    g_array_index (bins, NtHistorySample, j).count);
                  g_assert_cmpfloat_with_epsilon (g_array_index (old, NtHistorySample, j).value,
                                                  g_array_index (bins, NtHistorySample, j).value, 1e-9);
                  g_assert_cmpint (g_array_index (old, NtHistorySample, j).severity, ==,
                                   g_array_index (bins, NtHistorySample, j).severity);
                }
              g_array_unref (bins);
            }
          g_array_unref (raw);
          k += 2;
        }
    }

  /* The limit counts block samples too. */
  g_assert_null (nt_history_query_raw (f->db, "CUR", T0, T0 + 2 * DAY, 1000, &error));
  g_assert_error (error, NT_HISTORY_ERROR, NT_HISTORY_ERROR_TOO_MANY);
}

/* A clock set back into a block's day: what follows is gone, what came
 * before stays; pruning drops whole blocks that end before. */
static void
test_truncate_prune (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) raw = NULL;
  gint64 cut = T0 + DAY / 2 + 7 * S;

  g_assert_true (nt_history_store_compact (f->store, T0 + 3 * DAY, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (nt_history_store_truncate (f->store, cut, &error));
  g_assert_no_error (error);
  g_assert_cmpint (nt_history_get_last_time (f->db, "CUR"), ==, cut - S);
  raw = nt_history_query_raw (f->db, "CUR", T0, T0 + 3 * DAY, 1000000, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (raw->len, ==, (guint) ((cut - T0) / S));

  g_assert_true (nt_history_store_prune (f->store, T0 + DAY / 2 + 8 * S, &error));
  g_assert_cmpint (nt_history_get_last_time (f->db, "CUR"), ==, 0);
}

/* Feeds @pvs of @store a day and a half across a UTC midnight: a current
 * whose values need a finer scale, then raw doubles, after the midnight;
 * several values at one instant (the last one is kept); an enum; a
 * string.  Flushes now and then, as the fill's bound does. */
static void
feed (NtHistoryStore *store,
      NtPvTable      *pvs,
      guint           cur,
      guint           mode,
      guint           msg)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (nt_history_store_attach (store, pvs, &error));
  for (gint64 t = T0 + DAY / 2; t < T0 + 2 * DAY; t += S)
    {
      gint64 k = (t - T0) / S;
      double v = 400 - (k % 300) * 0.001;

      if (t >= T0 + DAY + 3600 * S)
        v += 1e-7;   /* a finer scale, mid-block */
      if (t >= T0 + DAY + 7200 * S && k % 1000 == 0)
        v = 1.0 / 3;   /* raw doubles from here on */
      nt_pv_table_set_number (pvs, cur, v, k % 500 < 3 ? NT_SEVERITY_MAJOR : NT_SEVERITY_NONE, t);
      if (k % 777 == 0)
        nt_pv_table_set_number (pvs, cur, v + 1, NT_SEVERITY_MINOR, t);
      if (k % 3600 == 0)
        nt_pv_table_set_number (pvs, mode, (k / 3600) % 3, NT_SEVERITY_NONE, t);
      if (k % 10000 == 0)
        {
          g_autofree char *text = g_strdup_printf ("message %" G_GINT64_FORMAT, k);

          nt_pv_table_set_string (pvs, msg, text, NT_SEVERITY_NONE, t);
        }
      if (k % 40000 == 0)
        g_assert_true (nt_history_store_flush (store, &error));
    }
  g_assert_true (nt_history_store_flush (store, &error));
  g_assert_no_error (error);
  nt_history_store_detach (store);
}

/* Recording in block mode answers every query as recording rows does. */
static void
test_block_mode_same_answers (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "blocks.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autoptr(NtDb) db = nt_db_open (path, &error);
  g_autoptr(NtHistoryStore) store = nt_history_store_new (db, &error);
  g_autoptr(NtPvTable) rows_pvs = nt_pv_table_new ();
  g_autoptr(NtPvTable) block_pvs = nt_pv_table_new ();
  g_autoptr(NtDb) rows_db = NULL;
  g_autoptr(NtHistoryStore) rows_store = NULL;
  g_autofree char *rows_path = g_build_filename (f->dir, "rows.db", NULL);
  g_autofree char *rows_wal = g_strconcat (rows_path, "-wal", NULL);
  g_autofree char *rows_shm = g_strconcat (rows_path, "-shm", NULL);
  static const char * const labels[] = { "A", "B", "C", NULL };
  NtPvTable *tables[] = { rows_pvs, block_pvs };
  guint ids[2][3];
  sqlite3_stmt *stmt = NULL;

  g_assert_no_error (error);
  rows_db = nt_db_open (rows_path, &error);
  g_assert_no_error (error);
  rows_store = nt_history_store_new (rows_db, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 2; i++)
    {
      ids[i][0] = nt_pv_table_add (tables[i], &(NtPvInfo) { .name = "CUR", .type = NT_PV_TYPE_DOUBLE,
                                                            .min = NAN, .max = NAN, .warn_low = NAN,
                                                            .warn_high = NAN, .alarm_low = NAN, .alarm_high = NAN });
      ids[i][1] = nt_pv_table_add (tables[i], &(NtPvInfo) { .name = "MODE", .type = NT_PV_TYPE_ENUM,
                                                            .labels = labels, .min = NAN, .max = NAN,
                                                            .warn_low = NAN, .warn_high = NAN, .alarm_low = NAN,
                                                            .alarm_high = NAN });
      ids[i][2] = nt_pv_table_add (tables[i], &(NtPvInfo) { .name = "MSG", .type = NT_PV_TYPE_STRING,
                                                            .min = NAN, .max = NAN, .warn_low = NAN,
                                                            .warn_high = NAN, .alarm_low = NAN, .alarm_high = NAN });
    }
  feed (rows_store, rows_pvs, ids[0][0], ids[0][1], ids[0][2]);
  nt_history_store_set_block_mode (store, TRUE);
  feed (store, block_pvs, ids[1][0], ids[1][1], ids[1][2]);
  g_assert_cmpuint (nt_history_store_get_n_written (store), ==, nt_history_store_get_n_written (rows_store));

  /* Numeric PVs only in blocks, one per day and flush at most. */
  sqlite3_prepare_v2 (nt_db_get_handle (db), "SELECT (SELECT count(*) FROM history_block), "
                      "(SELECT count(DISTINCT pv) FROM history_sample)", -1, &stmt, NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), >=, 4);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), <=, 2 * 6);
  g_assert_cmpint (sqlite3_column_int (stmt, 1), ==, 1);
  sqlite3_finalize (stmt);

  for (guint i = 0; i < 3; i++)
    {
      static const char * const names[] = { "CUR", "MODE", "MSG" };
      g_autoptr(GArray) want = nt_history_query_raw (rows_db, names[i], T0, T0 + 2 * DAY, 1000000, &error);
      g_autoptr(GArray) got = NULL;

      g_assert_no_error (error);
      got = nt_history_query_raw (db, names[i], T0, T0 + 2 * DAY, 1000000, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (want->len, >, 0);
      assert_same (want, got);

      /* The times alone (what finding holes reads), from rows and blocks. */
      for (guint k = 0; k < 2; k++)
        {
          g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));

          g_assert_true (nt_history_query_times (k == 0 ? db : rows_db, names[i], T0, T0 + 2 * DAY, times, &error));
          g_assert_no_error (error);
          g_assert_cmpuint (times->len, ==, want->len);
          for (guint j = 0; j < times->len; j++)
            g_assert_cmpint (g_array_index (times, gint64, j), ==, g_array_index (want, NtHistorySample, j).time_us);
        }
      g_assert_cmpint (nt_history_get_last_time (db, names[i]), ==, nt_history_get_last_time (rows_db, names[i]));
    }

  g_clear_object (&store);
  g_clear_object (&db);
  g_clear_object (&rows_store);
  g_clear_object (&rows_db);
  g_remove (path);
  g_remove (wal);
  g_remove (shm);
  g_remove (rows_path);
  g_remove (rows_wal);
  g_remove (rows_shm);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/history-blocks/roundtrip", test_roundtrip);
  g_test_add_func ("/history-blocks/writer-rescale", test_writer_rescale);
  g_test_add ("/history-blocks/block-mode-same-answers", Fixture, NULL, fixture_setup, test_block_mode_same_answers,
              fixture_teardown);
  g_test_add ("/history-blocks/compact-same-answers", Fixture, NULL, fixture_setup, test_compact_same_answers,
              fixture_teardown);
  g_test_add ("/history-blocks/truncate-prune", Fixture, NULL, fixture_setup, test_truncate_prune, fixture_teardown);

  return g_test_run ();
}
