/* nt-db.h: the services' SQLite database, with per-component migrations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <sqlite3.h>

#include "nt-clock.h"

G_BEGIN_DECLS

#define NT_DB_ERROR (nt_db_error_quark ())

typedef enum
{
  NT_DB_ERROR_OPEN,       /* the file cannot be opened or is not a database */
  NT_DB_ERROR_SQL,        /* a statement failed */
  NT_DB_ERROR_BUSY,       /* locked by another writer for longer than the busy timeout */
  NT_DB_ERROR_CONSTRAINT, /* a constraint (unique, foreign key, check) was violated */
  NT_DB_ERROR_SCHEMA,     /* the file's schema is newer than this program knows */
  NT_DB_ERROR_FULL,       /* the disk (or the file system's quota) is full */
  NT_DB_ERROR_IO,         /* the operating system reported an I/O error */
} NtDbError;

#define NT_TYPE_DB (nt_db_get_type ())

G_DECLARE_FINAL_TYPE (NtDb, nt_db, NT, DB, GObject)

GQuark    nt_db_error_quark  (void);
/* The NtDbError for an SQLite result code (primary or extended). */
NtDbError nt_db_error_from_sqlite (int rc);

/* Opens (creating if missing) an SQLite file with journal_mode=WAL,
 * foreign_keys=ON, a busy timeout and synchronous=FULL, so that a
 * committed (acknowledged) write survives kill -9 and power loss.
 * One NtDb is one connection: use it from one thread at a time. */
NtDb     *nt_db_open         (const char   *path,
                              GError      **error);
/* Same, but the connection is read only (for reader threads). */
NtDb     *nt_db_open_readonly (const char  *path,
                               GError     **error);
const char *nt_db_get_path   (NtDb         *self);
/* The clock whose "now" the services on this database use (created and
 * modified stamps, token times, "now" in the rules); NULL = the default. */
void      nt_db_set_clock    (NtDb         *self,
                              NtClock      *clock);
NtClock  *nt_db_get_clock    (NtDb         *self);
/* nt_clock_get_now (nt_db_get_clock (self)), in Unix seconds. */
gint64    nt_db_now          (NtDb         *self);
sqlite3  *nt_db_get_handle   (NtDb         *self);

/* Runs steps[version..n_steps-1] of @component, each in its own
 * transaction together with the update of schema_migrations
 * (component TEXT PRIMARY KEY, version INTEGER).  A step may hold several
 * statements.  Fails with NT_DB_ERROR_SCHEMA if the file is at a version
 * newer than n_steps. */
gboolean  nt_db_migrate      (NtDb               *self,
                              const char         *component,
                              const char * const *steps,
                              guint               n_steps,
                              GError            **error);
gint      nt_db_get_version  (NtDb               *self,
                              const char         *component);

/* Runs one or more statements that return no rows. */
gboolean  nt_db_exec         (NtDb         *self,
                              const char   *sql,
                              GError      **error);

/* Transactions: BEGIN IMMEDIATE / COMMIT / ROLLBACK. */
gboolean  nt_db_begin        (NtDb         *self,
                              GError      **error);
gboolean  nt_db_commit       (NtDb         *self,
                              GError      **error);
void      nt_db_rollback     (NtDb         *self);

/* Sets @error from the connection's last error (code and message). */
void      nt_db_set_error    (NtDb         *self,
                              GError      **error,
                              const char   *what);

G_END_DECLS
