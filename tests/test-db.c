/* test-db.c: NtDb opens SQLite in WAL with foreign keys, and migrates
 * each component step by step, atomically
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "nt-db.h"
#include "test-instants.h"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("nt-db-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "test.db", NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);

  g_remove (f->path);
  g_remove (wal);
  g_remove (shm);
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static gint64
query_int (NtDb       *db,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (nt_db_get_handle (db), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static char *
query_text (NtDb       *db,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (nt_db_get_handle (db), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

static void
test_pragmas (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NtDb) db = nt_db_open (f->path, &error);
  g_autofree char *mode = NULL;

  g_assert_no_error (error);
  mode = query_text (db, "PRAGMA journal_mode");
  g_assert_cmpstr (mode, ==, "wal");
  g_assert_cmpint (query_int (db, "PRAGMA foreign_keys"), ==, 1);
  g_assert_cmpint (query_int (db, "PRAGMA synchronous"), ==, 2);  /* FULL */
  g_assert_cmpint (query_int (db, "PRAGMA busy_timeout"), >, 0);

  /* Foreign keys are enforced, as a constraint error. */
  nt_db_exec (db, "CREATE TABLE a (id INTEGER PRIMARY KEY);"
                  "CREATE TABLE b (a INTEGER NOT NULL REFERENCES a (id))", &error);
  g_assert_no_error (error);
  g_assert_false (nt_db_exec (db, "INSERT INTO b (a) VALUES (42)", &error));
  g_assert_error (error, NT_DB_ERROR, NT_DB_ERROR_CONSTRAINT);
}

static void
test_not_a_database (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NtDb) db = NULL;
  g_autofree char *bad = g_build_filename (f->dir, "no", "dir", "x.db", NULL);

  g_file_set_contents (f->path, "this is not an SQLite file, but it is long enough to look like one. "
                                "this is not an SQLite file, but it is long enough to look like one.",
                       -1, &error);
  g_assert_no_error (error);
  db = nt_db_open (f->path, &error);
  g_assert_null (db);
  g_assert_error (error, NT_DB_ERROR, NT_DB_ERROR_OPEN);
  g_clear_error (&error);

  db = nt_db_open (bad, &error);
  g_assert_null (db);
  g_assert_error (error, NT_DB_ERROR, NT_DB_ERROR_OPEN);
}

static void
test_migrations (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *v1[] = {
    "CREATE TABLE thing (id INTEGER PRIMARY KEY, name TEXT NOT NULL)",
  };
  const char *v3[] = {
    "CREATE TABLE thing (id INTEGER PRIMARY KEY, name TEXT NOT NULL)",
    "ALTER TABLE thing ADD COLUMN colour TEXT; INSERT INTO thing (name, colour) VALUES ('a', 'red')",
    "CREATE INDEX thing_by_name ON thing (name)",
  };
  const char *broken[] = {
    "CREATE TABLE thing (id INTEGER PRIMARY KEY, name TEXT NOT NULL)",
    "ALTER TABLE thing ADD COLUMN colour TEXT; INSERT INTO thing (name, colour) VALUES ('a', 'red')",
    "CREATE INDEX thing_by_name ON thing (name)",
    "INSERT INTO thing (name) VALUES ('b'); THIS IS NOT SQL",
  };
  const char *other[] = { "CREATE TABLE other (x INTEGER)" };

  {
    g_autoptr(NtDb) db = nt_db_open (f->path, &error);

    g_assert_no_error (error);
    g_assert_cmpint (nt_db_get_version (db, "things"), ==, 0);
    g_assert_true (nt_db_migrate (db, "things", v1, G_N_ELEMENTS (v1), &error));
    g_assert_no_error (error);
    g_assert_cmpint (nt_db_get_version (db, "things"), ==, 1);
    /* Again: nothing to do. */
    g_assert_true (nt_db_migrate (db, "things", v1, G_N_ELEMENTS (v1), &error));
    g_assert_no_error (error);
    /* Components are independent. */
    g_assert_true (nt_db_migrate (db, "other", other, 1, &error));
    g_assert_no_error (error);
    g_assert_cmpint (nt_db_get_version (db, "other"), ==, 1);
  }

  {
    /* Reopened: continues from version 1 (step 1 is not run twice). */
    g_autoptr(NtDb) db = nt_db_open (f->path, &error);

    g_assert_no_error (error);
    g_assert_true (nt_db_migrate (db, "things", v3, G_N_ELEMENTS (v3), &error));
    g_assert_no_error (error);
    g_assert_cmpint (nt_db_get_version (db, "things"), ==, 3);
    g_assert_cmpint (query_int (db, "SELECT count(*) FROM thing"), ==, 1);

    /* A failing step is rolled back whole; the version stays. */
    g_assert_false (nt_db_migrate (db, "things", broken, G_N_ELEMENTS (broken), &error));
    g_assert_error (error, NT_DB_ERROR, NT_DB_ERROR_SQL);
    g_assert_true (g_str_has_prefix (error->message, "Migration things step 4 failed"));
    g_clear_error (&error);
    g_assert_cmpint (nt_db_get_version (db, "things"), ==, 3);
    g_assert_cmpint (query_int (db, "SELECT count(*) FROM thing"), ==, 1);

    /* An older program meets a newer file. */
    g_assert_false (nt_db_migrate (db, "things", v1, G_N_ELEMENTS (v1), &error));
    g_assert_error (error, NT_DB_ERROR, NT_DB_ERROR_SCHEMA);
  }
}

static void
test_readonly (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NtDb) db = nt_db_open (f->path, &error);
  g_autoptr(NtDb) reader = NULL;

  g_assert_no_error (error);
  nt_db_exec (db, "CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1)", &error);
  g_assert_no_error (error);

  reader = nt_db_open_readonly (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (query_int (reader, "SELECT x FROM t"), ==, 1);
  g_assert_false (nt_db_exec (reader, "INSERT INTO t VALUES (2)", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* A writer's transaction in progress does not block the reader (WAL). */
  g_assert_true (nt_db_begin (db, &error));
  nt_db_exec (db, "INSERT INTO t VALUES (3)", &error);
  g_assert_no_error (error);
  g_assert_cmpint (query_int (reader, "SELECT count(*) FROM t"), ==, 1);
  g_assert_true (nt_db_commit (db, &error));
  g_assert_cmpint (query_int (reader, "SELECT count(*) FROM t"), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* Every test here runs at a named instant, never at the real date. */
  nt_test_clock_run_from (NT_TEST_USER_OPERATION, 1.0);

  g_test_add ("/db/pragmas", Fixture, NULL, fixture_setup, test_pragmas, fixture_teardown);
  g_test_add ("/db/not-a-database", Fixture, NULL, fixture_setup, test_not_a_database, fixture_teardown);
  g_test_add ("/db/migrations", Fixture, NULL, fixture_setup, test_migrations, fixture_teardown);
  g_test_add ("/db/readonly", Fixture, NULL, fixture_setup, test_readonly, fixture_teardown);

  return g_test_run ();
}
