/* nt-db.c: SQLite connection with WAL, foreign keys and migrations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-db"

#include "config.h"

#include "nt-db.h"

#define BUSY_TIMEOUT_MS 5000

struct _NtDb
{
  GObject  parent_instance;

  char    *path;
  sqlite3 *handle;
  NtClock *clock;   /* NULL: the default clock */
};

G_DEFINE_FINAL_TYPE (NtDb, nt_db, G_TYPE_OBJECT)

G_DEFINE_QUARK (nt-db-error-quark, nt_db_error)

NtDbError
nt_db_error_from_sqlite (int rc)
{
  switch (rc & 0xff)
    {
    case SQLITE_FULL:
      return NT_DB_ERROR_FULL;
    case SQLITE_IOERR:
      return NT_DB_ERROR_IO;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return NT_DB_ERROR_BUSY;
    case SQLITE_CONSTRAINT:
      return NT_DB_ERROR_CONSTRAINT;
    case SQLITE_CANTOPEN:
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      return NT_DB_ERROR_OPEN;
    default:
      return NT_DB_ERROR_SQL;
    }
}

void
nt_db_set_error (NtDb        *self,
                 GError     **error,
                 const char  *what)
{
  int rc;

  g_return_if_fail (NT_IS_DB (self));

  rc = sqlite3_extended_errcode (self->handle);
  g_set_error (error, NT_DB_ERROR, nt_db_error_from_sqlite (rc),
               "%s: %s (%d)", what, sqlite3_errmsg (self->handle), rc);
}

static void
nt_db_finalize (GObject *object)
{
  NtDb *self = (NtDb *)object;

  if (self->handle != NULL)
    {
      /* Finalize any statement a caller leaked, so the close succeeds. */
      sqlite3_stmt *stmt;

      while ((stmt = sqlite3_next_stmt (self->handle, NULL)) != NULL)
        sqlite3_finalize (stmt);
      sqlite3_close (self->handle);
      self->handle = NULL;
    }
  g_clear_pointer (&self->path, g_free);

  g_clear_object (&self->clock);
  G_OBJECT_CLASS (nt_db_parent_class)->finalize (object);
}

static void
nt_db_class_init (NtDbClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = nt_db_finalize;
}

static void
nt_db_init (NtDb *self)
{
}

static NtDb *
open_common (const char  *path,
             gboolean     readonly,
             GError     **error)
{
  g_autoptr(NtDb) self = NULL;
  int flags;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (NT_TYPE_DB, NULL);
  self->path = g_strdup (path);

  flags = SQLITE_OPEN_NOMUTEX;
  flags |= readonly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);

  rc = sqlite3_open_v2 (path, &self->handle, flags, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, NT_DB_ERROR, NT_DB_ERROR_OPEN,
                   "Cannot open database %s: %s", path,
                   self->handle ? sqlite3_errmsg (self->handle) : sqlite3_errstr (rc));
      return NULL;
    }

  sqlite3_extended_result_codes (self->handle, 1);
  sqlite3_busy_timeout (self->handle, BUSY_TIMEOUT_MS);

  if (!readonly)
    {
      sqlite3_stmt *stmt = NULL;
      gboolean wal = FALSE;

      /* journal_mode returns a row with the mode actually in effect. */
      if (sqlite3_prepare_v2 (self->handle, "PRAGMA journal_mode=WAL", -1, &stmt, NULL) == SQLITE_OK &&
          sqlite3_step (stmt) == SQLITE_ROW)
        wal = g_ascii_strcasecmp ((const char *) sqlite3_column_text (stmt, 0), "wal") == 0;
      sqlite3_finalize (stmt);

      if (!wal)
        {
          g_set_error (error, NT_DB_ERROR, NT_DB_ERROR_OPEN,
                       "Cannot open database %s: it cannot use write-ahead logging (%s)",
                       path, sqlite3_errmsg (self->handle));
          return NULL;
        }
    }

  if (!nt_db_exec (self,
                   "PRAGMA foreign_keys=ON;"
                   "PRAGMA synchronous=FULL;",
                   error))
    return NULL;

  /* Reading the schema here turns "not a database" into an error now,
   * rather than at the first query. */
  if (!nt_db_exec (self, "SELECT count(*) FROM sqlite_schema", error))
    return NULL;

  return g_steal_pointer (&self);
}

NtDb *
nt_db_open (const char  *path,
            GError     **error)
{
  return open_common (path, FALSE, error);
}

NtDb *
nt_db_open_readonly (const char  *path,
                     GError     **error)
{
  return open_common (path, TRUE, error);
}

void
nt_db_set_clock (NtDb    *self,
                 NtClock *clock)
{
  g_return_if_fail (NT_IS_DB (self));
  g_return_if_fail (clock == NULL || NT_IS_CLOCK (clock));

  g_set_object (&self->clock, clock);
}

NtClock *
nt_db_get_clock (NtDb *self)
{
  g_return_val_if_fail (NT_IS_DB (self), NULL);

  return self->clock != NULL ? self->clock : nt_clock_get_default ();
}

gint64
nt_db_now (NtDb *self)
{
  return nt_clock_get_now (nt_db_get_clock (self));
}

const char *
nt_db_get_path (NtDb *self)
{
  g_return_val_if_fail (NT_IS_DB (self), NULL);

  return self->path;
}

sqlite3 *
nt_db_get_handle (NtDb *self)
{
  g_return_val_if_fail (NT_IS_DB (self), NULL);

  return self->handle;
}

gboolean
nt_db_exec (NtDb        *self,
            const char  *sql,
            GError     **error)
{
  char *errmsg = NULL;
  int rc;

  g_return_val_if_fail (NT_IS_DB (self), FALSE);
  g_return_val_if_fail (sql != NULL, FALSE);

  rc = sqlite3_exec (self->handle, sql, NULL, NULL, &errmsg);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, NT_DB_ERROR, nt_db_error_from_sqlite (rc),
                   "%s", errmsg ? errmsg : sqlite3_errstr (rc));
      sqlite3_free (errmsg);
      return FALSE;
    }

  return TRUE;
}

gboolean
nt_db_begin (NtDb    *self,
             GError **error)
{
  return nt_db_exec (self, "BEGIN IMMEDIATE", error);
}

gboolean
nt_db_commit (NtDb    *self,
              GError **error)
{
  return nt_db_exec (self, "COMMIT", error);
}

void
nt_db_rollback (NtDb *self)
{
  g_return_if_fail (NT_IS_DB (self));

  if (!sqlite3_get_autocommit (self->handle))
    sqlite3_exec (self->handle, "ROLLBACK", NULL, NULL, NULL);
}

static gboolean
ensure_migrations_table (NtDb    *self,
                         GError **error)
{
  return nt_db_exec (self,
                     "CREATE TABLE IF NOT EXISTS schema_migrations ("
                     "  component TEXT PRIMARY KEY NOT NULL,"
                     "  version INTEGER NOT NULL CHECK (version >= 0))",
                     error);
}

gint
nt_db_get_version (NtDb       *self,
                   const char *component)
{
  sqlite3_stmt *stmt = NULL;
  gint version = 0;

  g_return_val_if_fail (NT_IS_DB (self), -1);
  g_return_val_if_fail (component != NULL, -1);

  if (sqlite3_prepare_v2 (self->handle,
                          "SELECT version FROM schema_migrations WHERE component = ?",
                          -1, &stmt, NULL) != SQLITE_OK)
    return 0; /* no table yet */

  sqlite3_bind_text (stmt, 1, component, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);

  return version;
}

gboolean
nt_db_migrate (NtDb               *self,
               const char         *component,
               const char * const *steps,
               guint               n_steps,
               GError            **error)
{
  gint version;

  g_return_val_if_fail (NT_IS_DB (self), FALSE);
  g_return_val_if_fail (component != NULL, FALSE);
  g_return_val_if_fail (steps != NULL || n_steps == 0, FALSE);

  if (!ensure_migrations_table (self, error))
    return FALSE;

  version = nt_db_get_version (self, component);
  if (version > (gint) n_steps)
    {
      g_set_error (error, NT_DB_ERROR, NT_DB_ERROR_SCHEMA,
                   "Database %s has schema version %d for %s; this program knows up to %u",
                   self->path, version, component, n_steps);
      return FALSE;
    }

  for (guint i = (guint) version; i < n_steps; i++)
    {
      sqlite3_stmt *stmt = NULL;
      g_autoptr(GError) local_error = NULL;
      int rc;

      if (!nt_db_begin (self, error))
        return FALSE;

      if (!nt_db_exec (self, steps[i], &local_error))
        {
          nt_db_rollback (self);
          g_set_error (error, local_error->domain, local_error->code,
                       "Migration %s step %u failed: %s", component, i + 1,
                       local_error->message);
          return FALSE;
        }

      rc = sqlite3_prepare_v2 (self->handle,
                               "INSERT INTO schema_migrations (component, version) VALUES (?, ?) "
                               "ON CONFLICT (component) DO UPDATE SET version = excluded.version",
                               -1, &stmt, NULL);
      if (rc == SQLITE_OK)
        {
          sqlite3_bind_text (stmt, 1, component, -1, SQLITE_TRANSIENT);
          sqlite3_bind_int (stmt, 2, (int) (i + 1));
          rc = sqlite3_step (stmt);
        }
      sqlite3_finalize (stmt);
      if (rc != SQLITE_DONE && rc != SQLITE_OK)
        {
          nt_db_set_error (self, error, "Cannot record migration");
          nt_db_rollback (self);
          return FALSE;
        }

      if (!nt_db_commit (self, error))
        {
          nt_db_rollback (self);
          return FALSE;
        }
    }

  return TRUE;
}
