/* nt-history-store.c: archived PV samples in SQLite: recording, the rows
 * of recent samples, moving closed days into compact blocks
 * (nt-history-store-blocks.c), and the queries over both
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-history-store"

#include "config.h"

#include <math.h>

#include "nt-history-store-private.h"

typedef struct
{
  gint64      pv_id;
  gint64      time_us;
  double      value;
  GRefString *text;
  int         severity;
} Pending;

typedef struct
{
  gint64              db_id;
  gint64              last_time_us;   /* last archived, µs */
  NtSeverity          last_severity;
  NtHistoryBlockSink *sink;           /* block mode, numeric PVs: in sinks */
} PvState;

struct _NtHistoryStore
{
  GObject       parent_instance;

  NtDb         *db;
  NtPvTable    *pvs;
  gulong        changed_id;
  GArray       *states;       /* of PvState, per PV of pvs */
  GArray       *pending;      /* of Pending */
  GPtrArray    *sinks;        /* of NtHistoryBlockSink, by PV, across attaches */
  guint         n_in_sinks;
  sqlite3_stmt *insert;
  guint64       n_written;
  gboolean      block_mode;   /* numeric samples go into sinks, written as day blocks */
};

#define BLOCK_MODE_MAX_PENDING (8 * NT_HISTORY_MAX_PENDING)

G_DEFINE_FINAL_TYPE (NtHistoryStore, nt_history_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (nt-history-error-quark, nt_history_error)

static const char * const migrations[] = {
  /* 1 */
  "CREATE TABLE history_pv ("
  "  id INTEGER PRIMARY KEY,"
  "  name TEXT NOT NULL UNIQUE,"
  "  type INTEGER NOT NULL DEFAULT 0,"
  "  units TEXT NOT NULL DEFAULT '',"
  "  precision INTEGER NOT NULL DEFAULT 0);"
  "CREATE TABLE history_sample ("
  "  pv INTEGER NOT NULL REFERENCES history_pv (id) ON DELETE CASCADE,"
  "  t INTEGER NOT NULL,"
  "  val REAL,"
  "  txt TEXT,"
  "  severity INTEGER NOT NULL DEFAULT 0,"
  "  PRIMARY KEY (pv, t)) WITHOUT ROWID;",
  /* 2: compact day blocks (nt-history-store-private.h) */
  "CREATE TABLE history_block ("
  "  id INTEGER PRIMARY KEY,"
  "  pv INTEGER NOT NULL REFERENCES history_pv (id) ON DELETE CASCADE,"
  "  t0 INTEGER NOT NULL,"
  "  t1 INTEGER NOT NULL,"
  "  n INTEGER NOT NULL,"
  "  data BLOB NOT NULL);"
  "CREATE UNIQUE INDEX history_block_pv_t0 ON history_block (pv, t0, t1, n);",
};

static void
pending_clear (gpointer data)
{
  Pending *p = data;

  g_clear_pointer (&p->text, g_ref_string_release);
}

static void
sample_clear (gpointer data)
{
  NtHistorySample *s = data;

  g_clear_pointer (&s->text, g_free);
}

/* Writes what is pending when there is enough of it. */
static void
check_pending (NtHistoryStore *self)
{
  g_autoptr(GError) error = NULL;

  if (self->pending->len + self->n_in_sinks < (self->block_mode ? BLOCK_MODE_MAX_PENDING : NT_HISTORY_MAX_PENDING))
    return;
  if (nt_history_store_flush (self, &error))
    return;

  /* Keep memory bounded: drop the oldest half of the rows, and what the
   * sinks hold, rather than grow. */
  g_warning ("Cannot write history, dropping %u samples: %s",
             self->pending->len / 2 + self->n_in_sinks, error->message);
  g_array_remove_range (self->pending, 0, self->pending->len / 2);
  for (guint i = 0; i < self->sinks->len; i++)
    nt_history_block_sink_drop (g_ptr_array_index (self->sinks, i));
  self->n_in_sinks = 0;
}

static void
queue_sample (NtHistoryStore *self,
              guint           pv)
{
  PvState *state = &g_array_index (self->states, PvState, pv);
  NtPvType type = nt_pv_table_get_info (self->pvs, pv)->type;
  const char *text = nt_pv_table_get_text (self->pvs, pv);
  Pending p;

  if (self->block_mode && type != NT_PV_TYPE_STRING)
    {
      if (state->sink == NULL)
        {
          state->sink = nt_history_block_sink_new (state->db_id);
          g_ptr_array_add (self->sinks, state->sink);
        }
      state->last_time_us = nt_pv_table_get_time (self->pvs, pv);
      state->last_severity = nt_pv_table_get_severity (self->pvs, pv);
      nt_history_block_sink_add (state->sink, state->last_time_us, nt_pv_table_get_number (self->pvs, pv),
                                 state->last_severity);
      self->n_in_sinks++;
      check_pending (self);
      return;
    }

  p.pv_id = state->db_id;
  p.time_us = nt_pv_table_get_time (self->pvs, pv);
  p.value = nt_pv_table_get_number (self->pvs, pv);
  p.text = (type == NT_PV_TYPE_STRING && text != NULL) ? g_ref_string_acquire ((char *) text) : NULL;
  p.severity = nt_pv_table_get_severity (self->pvs, pv);

  g_array_append_val (self->pending, p);
  state->last_time_us = p.time_us;
  state->last_severity = p.severity;
  check_pending (self);
}

static void
on_changed_cb (NtPvTable *pvs,
               guint      pv,
               gpointer   user_data)
{
  NtHistoryStore *self = user_data;
  const NtPvInfo *info;
  PvState *state;

  if (pv >= self->states->len)
    return;

  info = nt_pv_table_get_info (pvs, pv);
  state = &g_array_index (self->states, PvState, pv);

  if (info->archive_period > 0 &&
      state->last_severity == nt_pv_table_get_severity (pvs, pv) &&
      nt_pv_table_get_time (pvs, pv) - state->last_time_us < (gint64) info->archive_period * G_USEC_PER_SEC)
    return;

  queue_sample (self, pv);
}

static void
nt_history_store_dispose (GObject *object)
{
  NtHistoryStore *self = (NtHistoryStore *)object;

  if (self->pending != NULL && self->pending->len + self->n_in_sinks > 0 && self->db != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!nt_history_store_flush (self, &error))
        g_warning ("Cannot write history: %s", error->message);
    }
  nt_history_store_detach (self);
  g_clear_pointer (&self->insert, sqlite3_finalize);

  G_OBJECT_CLASS (nt_history_store_parent_class)->dispose (object);
}

static void
nt_history_store_finalize (GObject *object)
{
  NtHistoryStore *self = (NtHistoryStore *)object;

  g_clear_pointer (&self->pending, g_array_unref);
  g_clear_pointer (&self->sinks, g_ptr_array_unref);
  g_clear_pointer (&self->states, g_array_unref);
  g_clear_object (&self->db);

  G_OBJECT_CLASS (nt_history_store_parent_class)->finalize (object);
}

static void
nt_history_store_class_init (NtHistoryStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = nt_history_store_dispose;
  object_class->finalize = nt_history_store_finalize;
}

static void
nt_history_store_init (NtHistoryStore *self)
{
  self->pending = g_array_new (FALSE, FALSE, sizeof (Pending));
  g_array_set_clear_func (self->pending, pending_clear);
  self->states = g_array_new (FALSE, TRUE, sizeof (PvState));
  self->sinks = g_ptr_array_new_with_free_func ((GDestroyNotify) nt_history_block_sink_free);
}

NtHistoryStore *
nt_history_store_new (NtDb    *db,
                      GError **error)
{
  g_autoptr(NtHistoryStore) self = NULL;

  g_return_val_if_fail (NT_IS_DB (db), NULL);

  if (!nt_db_migrate (db, "history", migrations, G_N_ELEMENTS (migrations), error))
    return NULL;

  self = g_object_new (NT_TYPE_HISTORY_STORE, NULL);
  self->db = g_object_ref (db);

  return g_steal_pointer (&self);
}

NtDb *
nt_history_store_get_db (NtHistoryStore *self)
{
  g_return_val_if_fail (NT_IS_HISTORY_STORE (self), NULL);

  return self->db;
}

static gboolean
register_pv (NtHistoryStore *self,
             const NtPvInfo *info,
             gint64         *db_id,
             GError        **error)
{
  sqlite3 *handle = nt_db_get_handle (self->db);
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (handle,
                           "INSERT INTO history_pv (name, type, units, precision) VALUES (?1, ?2, ?3, ?4) "
                           "ON CONFLICT (name) DO UPDATE SET type = ?2, units = ?3, precision = ?4 "
                           "RETURNING id",
                           -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      nt_db_set_error (self->db, error, "Cannot register PV");
      return FALSE;
    }

  sqlite3_bind_text (stmt, 1, info->name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, info->type);
  sqlite3_bind_text (stmt, 3, info->units ? info->units : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 4, info->precision);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *db_id = sqlite3_column_int64 (stmt, 0);
  else
    nt_db_set_error (self->db, error, "Cannot register PV");
  sqlite3_finalize (stmt);

  return rc == SQLITE_ROW;
}

gboolean
nt_history_store_attach (NtHistoryStore  *self,
                         NtPvTable       *pvs,
                         GError         **error)
{
  guint n;

  g_return_val_if_fail (NT_IS_HISTORY_STORE (self), FALSE);
  g_return_val_if_fail (NT_IS_PV_TABLE (pvs), FALSE);

  nt_history_store_detach (self);

  n = nt_pv_table_get_n_pvs (pvs);
  g_array_set_size (self->states, n);

  if (!nt_db_begin (self->db, error))
    return FALSE;

  for (guint i = 0; i < n; i++)
    {
      PvState *state = &g_array_index (self->states, PvState, i);

      if (!register_pv (self, nt_pv_table_get_info (pvs, i), &state->db_id, error))
        {
          nt_db_rollback (self->db);
          return FALSE;
        }
      state->last_time_us = G_MININT64 / 2;
      state->last_severity = NT_SEVERITY_UNDEFINED;
      state->sink = NULL;
      for (guint k = 0; k < self->sinks->len && state->sink == NULL; k++)
        if (nt_history_block_sink_get_pv_id (g_ptr_array_index (self->sinks, k)) == state->db_id)
          state->sink = g_ptr_array_index (self->sinks, k);
    }

  if (!nt_db_commit (self->db, error))
    {
      nt_db_rollback (self->db);
      return FALSE;
    }

  self->pvs = g_object_ref (pvs);
  self->changed_id = g_signal_connect (pvs, "changed", G_CALLBACK (on_changed_cb), self);

  return TRUE;
}

void
nt_history_store_detach (NtHistoryStore *self)
{
  g_return_if_fail (NT_IS_HISTORY_STORE (self));

  if (self->pvs != NULL)
    g_clear_signal_handler (&self->changed_id, self->pvs);
  g_clear_object (&self->pvs);
}

void
nt_history_store_record_all (NtHistoryStore *self)
{
  g_return_if_fail (NT_IS_HISTORY_STORE (self));
  g_return_if_fail (self->pvs != NULL);

  for (guint i = 0; i < self->states->len; i++)
    if (nt_pv_table_get_time (self->pvs, i) > 0)
      queue_sample (self, i);
}

gboolean
nt_history_store_flush (NtHistoryStore  *self,
                        GError         **error)
{
  sqlite3 *handle;

  g_return_val_if_fail (NT_IS_HISTORY_STORE (self), FALSE);

  if (self->pending->len + self->n_in_sinks == 0)
    return TRUE;

  handle = nt_db_get_handle (self->db);
  if (self->pending->len > 0 && self->insert == NULL &&
      sqlite3_prepare_v3 (handle,
                          "INSERT OR REPLACE INTO history_sample (pv, t, val, txt, severity) "
                          "VALUES (?, ?, ?, ?, ?)",
                          -1, SQLITE_PREPARE_PERSISTENT, &self->insert, NULL) != SQLITE_OK)
    {
      nt_db_set_error (self->db, error, "Cannot write history");
      return FALSE;
    }

  if (!nt_db_begin (self->db, error))
    return FALSE;

  for (guint i = 0; i < self->sinks->len; i++)
    if (!nt_history_block_sink_write (g_ptr_array_index (self->sinks, i), self->db, error))
      {
        nt_db_rollback (self->db);
        return FALSE;
      }

  for (guint i = 0; i < self->pending->len; i++)
    {
      const Pending *p = &g_array_index (self->pending, Pending, i);

      sqlite3_bind_int64 (self->insert, 1, p->pv_id);
      sqlite3_bind_int64 (self->insert, 2, p->time_us);
      if (isnan (p->value))
        sqlite3_bind_null (self->insert, 3);
      else
        sqlite3_bind_double (self->insert, 3, p->value);
      if (p->text != NULL)
        sqlite3_bind_text (self->insert, 4, p->text, -1, SQLITE_STATIC);
      else
        sqlite3_bind_null (self->insert, 4);
      sqlite3_bind_int (self->insert, 5, p->severity);

      if (sqlite3_step (self->insert) != SQLITE_DONE)
        {
          nt_db_set_error (self->db, error, "Cannot write history");
          sqlite3_reset (self->insert);
          nt_db_rollback (self->db);
          return FALSE;
        }
      sqlite3_reset (self->insert);
    }
  if (self->insert != NULL)
    sqlite3_clear_bindings (self->insert);

  if (!nt_db_commit (self->db, error))
    {
      nt_db_rollback (self->db);
      return FALSE;
    }

  self->n_written += self->pending->len + self->n_in_sinks;
  for (guint i = 0; i < self->sinks->len; i++)
    nt_history_block_sink_drop (g_ptr_array_index (self->sinks, i));
  self->n_in_sinks = 0;
  g_array_set_size (self->pending, 0);

  return TRUE;
}

guint
nt_history_store_get_n_pending (NtHistoryStore *self)
{
  g_return_val_if_fail (NT_IS_HISTORY_STORE (self), 0);

  return self->pending->len + self->n_in_sinks;
}

guint64
nt_history_store_get_n_written (NtHistoryStore *self)
{
  g_return_val_if_fail (NT_IS_HISTORY_STORE (self), 0);

  return self->n_written;
}

/* Runs @sql, a DELETE of samples with one time bound, with @t_us. */
static gboolean
delete_samples (NtHistoryStore  *self,
                const char      *sql,
                gint64           t_us,
                const char      *what,
                GError         **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (nt_db_get_handle (self->db), sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      nt_db_set_error (self->db, error, what);
      return FALSE;
    }
  sqlite3_bind_int64 (stmt, 1, t_us);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    nt_db_set_error (self->db, error, what);
  sqlite3_finalize (stmt);

  return rc == SQLITE_DONE;
}

gboolean
nt_history_store_prune (NtHistoryStore  *self,
                        gint64           before_us,
                        GError         **error)
{
  g_return_val_if_fail (NT_IS_HISTORY_STORE (self), FALSE);

  /* Per PV, so that the primary key does the work. */
  return delete_samples (self, "DELETE FROM history_sample WHERE pv IN (SELECT id FROM history_pv) AND t < ?",
                         before_us, "Cannot prune history", error) &&
         nt_history_blocks_prune (self->db, before_us, error);
}

gboolean
nt_history_store_truncate (NtHistoryStore  *self,
                           gint64           from_us,
                           GError         **error)
{
  g_return_val_if_fail (NT_IS_HISTORY_STORE (self), FALSE);

  if (!nt_db_begin (self->db, error))
    return FALSE;
  if (!delete_samples (self, "DELETE FROM history_sample WHERE pv IN (SELECT id FROM history_pv) AND t >= ?",
                       from_us, "Cannot drop the history after the clock's time", error) ||
      !nt_history_blocks_truncate (self->db, from_us, error) ||
      !nt_db_commit (self->db, error))
    {
      nt_db_rollback (self->db);
      return FALSE;
    }
  return TRUE;
}

void
nt_history_store_set_block_mode (NtHistoryStore *self,
                                 gboolean        blocks)
{
  g_return_if_fail (NT_IS_HISTORY_STORE (self));

  self->block_mode = blocks;
}

gint64
nt_history_get_last_time (NtDb       *db,
                          const char *pv)
{
  sqlite3_stmt *stmt = NULL;
  gint64 t = 0;

  g_return_val_if_fail (NT_IS_DB (db), 0);

  if (sqlite3_prepare_v2 (nt_db_get_handle (db),
                          "SELECT max(s.t) FROM history_sample s JOIN history_pv p ON p.id = s.pv "
                          "WHERE p.name = ?",
                          -1, &stmt, NULL) != SQLITE_OK)
    return 0;
  sqlite3_bind_text (stmt, 1, pv, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    t = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return MAX (t, nt_history_blocks_last_time (db, pv));
}

static gboolean
lookup_pv (NtDb            *db,
           const char      *pv,
           gint64          *id,
           NtHistoryPvMeta *meta,
           GError         **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (nt_db_get_handle (db),
                          "SELECT id, type, units, precision FROM history_pv WHERE name = ?",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      nt_db_set_error (db, error, "Cannot read history");
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, pv, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      if (id)
        *id = sqlite3_column_int64 (stmt, 0);
      if (meta)
        {
          meta->name = g_strdup (pv);
          meta->type = sqlite3_column_int (stmt, 1);
          meta->units = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
          meta->precision = sqlite3_column_int (stmt, 3);
        }
    }
  else if (rc == SQLITE_DONE)
    g_set_error (error, NT_HISTORY_ERROR, NT_HISTORY_ERROR_NOT_FOUND,
                 "PV %s is not archived", pv);
  else
    nt_db_set_error (db, error, "Cannot read history");
  sqlite3_finalize (stmt);

  return rc == SQLITE_ROW;
}

gboolean
nt_history_get_pv_meta (NtDb             *db,
                        const char       *pv,
                        NtHistoryPvMeta  *meta,
                        GError          **error)
{
  g_return_val_if_fail (NT_IS_DB (db), FALSE);
  g_return_val_if_fail (meta != NULL, FALSE);

  return lookup_pv (db, pv, NULL, meta, error);
}

void
nt_history_pv_meta_clear (NtHistoryPvMeta *meta)
{
  g_clear_pointer (&meta->name, g_free);
  g_clear_pointer (&meta->units, g_free);
}

/* @pv's id, and a read transaction begun (one snapshot of rows and
 * blocks). */
static gboolean
begin_read (NtDb        *db,
            const char  *pv,
            gint64      *id,
            GError     **error)
{
  return lookup_pv (db, pv, id, NULL, error) && nt_db_exec (db, "BEGIN", error);
}

static void
read_row (sqlite3_stmt    *stmt,
          NtHistorySample *s)
{
  s->time_us = sqlite3_column_int64 (stmt, 0);
  s->value = sqlite3_column_type (stmt, 1) == SQLITE_NULL ? NAN : sqlite3_column_double (stmt, 1);
  s->text = sqlite3_column_type (stmt, 2) == SQLITE_NULL ? NULL
            : g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  s->severity = sqlite3_column_int (stmt, 3);
  s->count = 1;
}

static int
compare_sample_times (gconstpointer a,
                      gconstpointer b)
{
  gint64 ta = ((const NtHistorySample *) a)->time_us;
  gint64 tb = ((const NtHistorySample *) b)->time_us;

  return ta < tb ? -1 : ta > tb;
}

/* Rows and blocks are each in order; sorts only where they interleave,
 * and keeps one sample per instant (the later written, as a row would). */
static void
sort_samples (GArray *samples)
{
  guint n = 0;

  for (guint i = 1; i < samples->len; i++)
    if (g_array_index (samples, NtHistorySample, i - 1).time_us > g_array_index (samples, NtHistorySample, i).time_us)
      {
        g_array_sort (samples, compare_sample_times);
        break;
      }
  for (guint i = 0; i < samples->len; i++)
    {
      NtHistorySample *s = &g_array_index (samples, NtHistorySample, i);

      if (n > 0 && g_array_index (samples, NtHistorySample, n - 1).time_us == s->time_us)
        {
          sample_clear (&g_array_index (samples, NtHistorySample, n - 1));
          g_array_index (samples, NtHistorySample, n - 1) = *s;
          continue;
        }
      if (n != i)
        g_array_index (samples, NtHistorySample, n) = *s;
      n++;
    }
  /* The moved-from tail holds no strings of its own any more. */
  for (guint i = n; i < samples->len; i++)
    g_array_index (samples, NtHistorySample, i).text = NULL;
  g_array_set_size (samples, n);
}

GArray *
nt_history_query_raw (NtDb        *db,
                      const char  *pv,
                      gint64       from_us,
                      gint64       to_us,
                      guint        limit,
                      GError     **error)
{
  g_autoptr(GArray) out = NULL;
  sqlite3 *handle;
  sqlite3_stmt *stmt = NULL;
  gint64 id;
  gint64 count = 0;
  int rc;

  g_return_val_if_fail (NT_IS_DB (db), NULL);
  g_return_val_if_fail (pv != NULL, NULL);

  /* Read in one snapshot so the count and the rows agree. */
  if (!begin_read (db, pv, &id, error))
    return NULL;
  handle = nt_db_get_handle (db);

  if (sqlite3_prepare_v2 (handle, "SELECT count(*) FROM history_sample WHERE pv = ? AND t >= ? AND t <= ?",
                          -1, &stmt, NULL) != SQLITE_OK)
    goto sql_error;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, from_us);
  sqlite3_bind_int64 (stmt, 3, to_us);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    goto sql_error;
  count = sqlite3_column_int64 (stmt, 0);
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (count > limit)
    {
      g_set_error (error, NT_HISTORY_ERROR, NT_HISTORY_ERROR_TOO_MANY,
                   "%" G_GINT64_FORMAT " raw samples of %s in the range; the limit is %u: "
                   "ask for a shorter range or for binned data (mean_N(...))",
                   count, pv, limit);
      nt_db_exec (db, "ROLLBACK", NULL);
      return NULL;
    }

  out = g_array_sized_new (FALSE, TRUE, sizeof (NtHistorySample), (guint) count + 1);
  g_array_set_clear_func (out, sample_clear);

  /* The value at from_us: the last sample before it, in a row or a block. */
  if (sqlite3_prepare_v2 (handle,
                          "SELECT t, val, txt, severity FROM history_sample WHERE pv = ? AND t < ? "
                          "ORDER BY t DESC LIMIT 1",
                          -1, &stmt, NULL) != SQLITE_OK)
    goto sql_error;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, from_us);
  {
    NtHistorySample before = { 0 };
    gboolean found = FALSE;

    if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        read_row (stmt, &before);
        found = TRUE;
      }
    else if (rc != SQLITE_DONE)
      goto sql_error;
    g_clear_pointer (&stmt, sqlite3_finalize);
    {
      NtHistorySample in_block;
      gboolean in_found;

      if (!nt_history_blocks_last_before (db, id, from_us, &in_block, &in_found, error))
        {
          sample_clear (&before);
          nt_db_exec (db, "ROLLBACK", NULL);
          return NULL;
        }
      if (in_found && (!found || in_block.time_us > before.time_us))
        {
          sample_clear (&before);
          before = in_block;
          found = TRUE;
        }
    }
    if (found)
      g_array_append_val (out, before);
  }

  if (sqlite3_prepare_v2 (handle,
                          "SELECT t, val, txt, severity FROM history_sample WHERE pv = ? AND t >= ? AND t <= ? "
                          "ORDER BY t",
                          -1, &stmt, NULL) != SQLITE_OK)
    goto sql_error;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, from_us);
  sqlite3_bind_int64 (stmt, 3, to_us);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      NtHistorySample s;

      read_row (stmt, &s);
      g_array_append_val (out, s);
    }
  if (rc != SQLITE_DONE)
    goto sql_error;
  g_clear_pointer (&stmt, sqlite3_finalize);

  {
    guint n_rows = out->len;

    if (!nt_history_blocks_read (db, id, from_us, to_us, count, limit, pv, FALSE, out, error))
      {
        nt_db_exec (db, "ROLLBACK", NULL);
        return NULL;
      }
    if (out->len > n_rows)
      sort_samples (out);
  }

  nt_db_exec (db, "COMMIT", NULL);

  return g_steal_pointer (&out);

sql_error:
  nt_db_set_error (db, error, "Cannot read history");
  g_clear_pointer (&stmt, sqlite3_finalize);
  nt_db_exec (db, "ROLLBACK", NULL);
  return NULL;
}

static int
compare_times (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

gboolean
nt_history_query_times (NtDb        *db,
                        const char  *pv,
                        gint64       from_us,
                        gint64       to_us,
                        GArray      *times,
                        GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  gint64 id;
  guint n = 0;
  int rc;

  g_return_val_if_fail (NT_IS_DB (db), FALSE);
  g_return_val_if_fail (pv != NULL, FALSE);

  g_array_set_size (times, 0);
  /* One snapshot for the rows and the blocks. */
  if (!begin_read (db, pv, &id, error))
    return FALSE;
  if (sqlite3_prepare_v2 (nt_db_get_handle (db), "SELECT t FROM history_sample WHERE pv = ? AND t >= ? AND t <= ? ORDER BY t",
                          -1, &stmt, NULL) != SQLITE_OK)
    goto sql_error;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, from_us);
  sqlite3_bind_int64 (stmt, 3, to_us);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 t = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (times, t);
    }
  if (rc != SQLITE_DONE)
    goto sql_error;
  g_clear_pointer (&stmt, sqlite3_finalize);
  if (!nt_history_blocks_read (db, id, from_us, to_us, 0, G_MAXUINT, pv, TRUE, times, error))
    {
      nt_db_exec (db, "ROLLBACK", NULL);
      return FALSE;
    }
  nt_db_exec (db, "COMMIT", NULL);

  /* Rows and blocks are each in order: sort only where they interleave. */
  for (guint i = 1; i < times->len; i++)
    if (g_array_index (times, gint64, i - 1) > g_array_index (times, gint64, i))
      {
        g_array_sort (times, compare_times);
        break;
      }
  for (guint i = 0; i < times->len; i++)
    if (n == 0 || g_array_index (times, gint64, n - 1) != g_array_index (times, gint64, i))
      g_array_index (times, gint64, n++) = g_array_index (times, gint64, i);
  g_array_set_size (times, n);
  return TRUE;

sql_error:
  nt_db_set_error (db, error, "Cannot read history");
  g_clear_pointer (&stmt, sqlite3_finalize);
  nt_db_exec (db, "ROLLBACK", NULL);
  return FALSE;
}

typedef struct
{
  gint64 bin;
  double sum;
  double min;
  double max;
  guint  count;
  int    severity;
} Bin;

static int
compare_bins (gconstpointer a,
              gconstpointer b)
{
  gint64 x = ((const Bin *) a)->bin, y = ((const Bin *) b)->bin;

  return x < y ? -1 : x > y;
}

/* Bins the block samples in [from, to] a day at a time (memory stays
 * bounded) and merges them with the bins of the rows in *@out. */
static gboolean
add_block_bins (NtDb            *db,
                gint64           id,
                const char      *pv,
                gint64           from_us,
                gint64           to_us,
                gint64           bin_us,
                NtHistoryBinOp   op,
                GArray         **out,
                GError         **error)
{
  g_autoptr(GHashTable) index = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GArray) bins = g_array_new (FALSE, FALSE, sizeof (Bin));
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (NtHistorySample));
  GArray *merged;
  guint i = 0, j = 0;

  for (gint64 t = from_us; t <= to_us; t += NT_HISTORY_BLOCK_SPAN_US)
    {
      gint64 end = MIN (to_us, t + NT_HISTORY_BLOCK_SPAN_US - 1);

      g_array_set_size (samples, 0);
      if (!nt_history_blocks_read (db, id, t, end, 0, G_MAXUINT, pv, FALSE, samples, error))
        return FALSE;
      for (guint k = 0; k < samples->len; k++)
        {
          const NtHistorySample *s = &g_array_index (samples, NtHistorySample, k);
          gint64 b = s->time_us / bin_us;
          gpointer at;
          Bin *bin;

          if (!g_hash_table_lookup_extended (index, &b, NULL, &at))
            {
              Bin fresh = { b, 0, INFINITY, -INFINITY, 0, s->severity };

              g_array_append_val (bins, fresh);
              at = GUINT_TO_POINTER (bins->len);   /* index + 1 */
              g_hash_table_insert (index, g_memdup2 (&b, sizeof b), at);
            }
          bin = &g_array_index (bins, Bin, GPOINTER_TO_UINT (at) - 1);
          bin->severity = MAX (bin->severity, s->severity);
          if (isnan (s->value))
            continue;
          bin->sum += s->value;
          bin->min = MIN (bin->min, s->value);
          bin->max = MAX (bin->max, s->value);
          bin->count++;
        }
    }
  if (bins->len == 0)
    return TRUE;
  g_array_sort (bins, compare_bins);

  merged = g_array_new (FALSE, TRUE, sizeof (NtHistorySample));
  g_array_set_clear_func (merged, sample_clear);
  while (i < (*out)->len || j < bins->len)
    {
      NtHistorySample *row = i < (*out)->len ? &g_array_index (*out, NtHistorySample, i) : NULL;
      Bin *bin = j < bins->len ? &g_array_index (bins, Bin, j) : NULL;
      NtHistorySample s = { 0 };

      if (bin != NULL && (row == NULL || bin->bin * bin_us < row->time_us))
        {
          j++;
          if (bin->count == 0)
            continue;
          s.time_us = bin->bin * bin_us;
          s.value = op == NT_HISTORY_BIN_MEAN ? bin->sum / bin->count : op == NT_HISTORY_BIN_MIN ? bin->min : bin->max;
          s.count = bin->count;
          s.severity = bin->severity;
        }
      else if (bin == NULL || row->time_us < bin->bin * bin_us)
        {
          i++;
          s = *row;
        }
      else
        {
          i++;
          j++;
          s = *row;
          s.severity = MAX (row->severity, bin->severity);
          if (bin->count > 0)
            {
              s.count = row->count + bin->count;
              s.value = op == NT_HISTORY_BIN_MEAN ? (row->value * row->count + bin->sum) / s.count
                        : op == NT_HISTORY_BIN_MIN ? MIN (row->value, bin->min) : MAX (row->value, bin->max);
            }
        }
      g_array_append_val (merged, s);
    }
  g_array_unref (*out);
  *out = merged;
  return TRUE;
}

GArray *
nt_history_query_binned (NtDb            *db,
                         const char      *pv,
                         gint64           from_us,
                         gint64           to_us,
                         guint            bin_seconds,
                         NtHistoryBinOp   op,
                         GError         **error)
{
  g_auto(NtHistoryPvMeta) meta = { 0 };
  g_autoptr(GArray) out = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 id;
  gint64 bin_us;
  int rc;

  g_return_val_if_fail (NT_IS_DB (db), NULL);
  g_return_val_if_fail (pv != NULL, NULL);
  g_return_val_if_fail (bin_seconds > 0, NULL);

  if (!lookup_pv (db, pv, &id, &meta, error))
    return NULL;

  if (meta.type == NT_PV_TYPE_STRING)
    {
      g_set_error (error, NT_HISTORY_ERROR, NT_HISTORY_ERROR_NOT_NUMERIC,
                   "PV %s holds strings; it cannot be binned", pv);
      return NULL;
    }

  bin_us = (gint64) bin_seconds * G_USEC_PER_SEC;

  /* Bins are aligned to multiples of bin_seconds since the epoch.  The
   * rows come in time order from the primary key, so each bin's rows are
   * consecutive: summed here in that order, without a GROUP BY (whose
   * sorter took 8 MiB, held by the thread's malloc arena after, for a
   * week at 1 Hz).  NULL values (NaN) count for no bin's mean, min or max,
   * as in SQL's avg/min/max; a bin of only NULLs is left out. */
  if (sqlite3_prepare_v2 (nt_db_get_handle (db),
                          "SELECT t, val, severity FROM history_sample "
                          "WHERE pv = ?1 AND t >= ?2 AND t <= ?3 ORDER BY t",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      nt_db_set_error (db, error, "Cannot read history");
      return NULL;
    }
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, MAX (from_us, 0));
  sqlite3_bind_int64 (stmt, 3, to_us);

  out = g_array_new (FALSE, TRUE, sizeof (NtHistorySample));
  g_array_set_clear_func (out, sample_clear);

  {
    gint64 bin = -1;
    double sum = 0, mn = 0, mx = 0;
    int count = 0, severity = 0;

    for (;;)
      {
        gint64 b = -1;

        rc = sqlite3_step (stmt);
        if (rc == SQLITE_ROW)
          b = sqlite3_column_int64 (stmt, 0) / bin_us;

        /* a bin ends: at a row of the next one, or at the end */
        if (bin >= 0 && b != bin && count > 0)
          {
            NtHistorySample s = { 0 };

            s.time_us = bin * bin_us;
            s.value = op == NT_HISTORY_BIN_MEAN ? sum / count : op == NT_HISTORY_BIN_MIN ? mn : mx;
            s.count = count;
            s.severity = severity;
            g_array_append_val (out, s);
          }
        if (rc != SQLITE_ROW)
          break;

        if (b != bin)
          {
            bin = b;
            sum = 0;
            count = 0;
            severity = 0;
          }
        severity = MAX (severity, sqlite3_column_int (stmt, 2));
        if (sqlite3_column_type (stmt, 1) != SQLITE_NULL)
          {
            double v = sqlite3_column_double (stmt, 1);

            sum += v;
            mn = count == 0 || v < mn ? v : mn;
            mx = count == 0 || v > mx ? v : mx;
            count++;
          }
      }
  }
  if (rc != SQLITE_DONE)
    {
      nt_db_set_error (db, error, "Cannot read history");
      sqlite3_finalize (stmt);
      return NULL;
    }
  sqlite3_finalize (stmt);

  if (!add_block_bins (db, id, pv, MAX (from_us, 0), to_us, bin_us, op, &out, error))
    return NULL;

  return g_steal_pointer (&out);
}
