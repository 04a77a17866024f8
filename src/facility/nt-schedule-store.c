/* nt-schedule-store.c: the scheduling plan of record in SQLite: the
 * object, its schema, opening it, and the run plan it keeps in memory
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The rest of the store: nt-schedule-store-txn.c (faults, statements,
 * transactions, audit), -rows.c (rows through their column tables),
 * -crud.c (get, list, create, update, delete), -periods.c,
 * -allocations.c, -members.c, -proposals.c (each resource's columns and
 * rules), -settings.c and -calendar.c.
 */
#define G_LOG_DOMAIN "nt-schedule-store"

#include "config.h"

#include "nt-schedule-store-private.h"

G_DEFINE_FINAL_TYPE (NtScheduleStore, nt_schedule_store, G_TYPE_OBJECT)

guint nt_schedule_store_signals[NT_SCHEDULE_STORE_N_SIGNALS];

static const char * const resource_names[NT_N_RESOURCES] = {
  [NT_RESOURCE_PERIOD] = "period",
  [NT_RESOURCE_ALLOCATION] = "allocation",
  [NT_RESOURCE_MEMBER] = "member",
  [NT_RESOURCE_PROPOSAL] = "proposal",
  [NT_RESOURCE_SETTINGS] = "settings",
};

static const char * const schema_steps[] = {
  /* 1: the whole first schema */
  "CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);"
  "INSERT INTO meta (key, value) VALUES ('revision', 0);"
  "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
  "CREATE TABLE periods ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  kind TEXT NOT NULL CHECK (kind IN ('user_operation', 'machine_study', 'commissioning',"
  "                                     'maintenance', 'inspection', 'shutdown')),"
  "  start INTEGER NOT NULL,"
  "  \"end\" INTEGER NOT NULL CHECK (\"end\" > start),"
  "  note TEXT NOT NULL DEFAULT '',"
  "  revision INTEGER NOT NULL,"
  "  sequence INTEGER NOT NULL DEFAULT 0,"
  "  updated INTEGER NOT NULL);"
  "CREATE INDEX periods_start ON periods (start);"
  "CREATE TABLE members ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  name TEXT NOT NULL UNIQUE,"
  "  units INTEGER NOT NULL CHECK (units >= 1),"
  "  contract_start TEXT NOT NULL,"
  "  contract_end TEXT NOT NULL CHECK (contract_end >= contract_start),"
  "  revision INTEGER NOT NULL);"
  "CREATE TABLE proposals ("
  "  id TEXT PRIMARY KEY,"
  "  term TEXT NOT NULL,"
  "  title TEXT NOT NULL,"
  "  pi TEXT NOT NULL,"
  "  organisation TEXT NOT NULL,"
  "  proprietary INTEGER NOT NULL CHECK (proprietary IN (0, 1)),"
  "  shifts_requested INTEGER NOT NULL CHECK (shifts_requested >= 0),"
  "  shifts_approved INTEGER NOT NULL CHECK (shifts_approved >= 0),"
  "  revision INTEGER NOT NULL);"
  "CREATE TABLE allocations ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  station TEXT NOT NULL,"
  "  start INTEGER NOT NULL,"
  "  \"end\" INTEGER NOT NULL CHECK (\"end\" > start),"
  "  slot TEXT NOT NULL CHECK (slot IN ('public', 'coalition', 'staff', 'commissioning')),"
  "  proposal TEXT REFERENCES proposals (id) ON DELETE RESTRICT,"
  "  member INTEGER REFERENCES members (id) ON DELETE RESTRICT,"
  "  status TEXT NOT NULL CHECK (status IN ('draft', 'confirmed', 'cancelled')),"
  "  note TEXT NOT NULL DEFAULT '',"
  "  revision INTEGER NOT NULL,"
  "  sequence INTEGER NOT NULL DEFAULT 0,"
  "  updated INTEGER NOT NULL);"
  "CREATE INDEX allocations_station ON allocations (station, start);"
  "CREATE INDEX allocations_start ON allocations (start);"
  "CREATE INDEX allocations_proposal ON allocations (proposal);"
  "CREATE INDEX allocations_member ON allocations (member);"
  "CREATE TABLE tokens ("
  "  hash TEXT PRIMARY KEY,"
  "  name TEXT NOT NULL,"
  "  role TEXT NOT NULL,"
  "  created INTEGER NOT NULL,"
  "  revoked INTEGER);"
  "CREATE TABLE changes ("
  "  revision INTEGER PRIMARY KEY,"
  "  at INTEGER NOT NULL,"
  "  who TEXT NOT NULL,"
  "  resource TEXT NOT NULL,"
  "  action TEXT NOT NULL,"
  "  object_id TEXT NOT NULL,"
  "  before TEXT,"
  "  after TEXT,"
  "  reason TEXT);"
  "CREATE INDEX changes_at ON changes (at);",
};

void
nt_schedule_store_load_plan (NtScheduleStore *self)
{
  sqlite3_stmt *s = nt_schedule_store_stmt (self, "SELECT kind, start, \"end\" FROM periods ORDER BY start, id");

  g_array_set_size (self->plan, 0);
  while (sqlite3_step (s) == SQLITE_ROW)
    {
      NtPeriodSpan span;

      nt_period_kind_from_string ((const char *) sqlite3_column_text (s, 0), &span.kind);
      span.start = sqlite3_column_int64 (s, 1);
      span.end = sqlite3_column_int64 (s, 2);
      g_array_append_val (self->plan, span);
    }
  sqlite3_reset (s);
}

/* GObject */

static void
nt_schedule_store_finalize (GObject *object)
{
  NtScheduleStore *self = (NtScheduleStore *)object;

  if (self->in_tx)
    nt_schedule_store_rollback (self);
  g_clear_pointer (&self->stmts, g_hash_table_unref);
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  g_clear_pointer (&self->plan, g_array_unref);
  g_clear_pointer (&self->settings, g_hash_table_unref);
  g_clear_pointer (&self->alloc_text, g_hash_table_unref);
  g_clear_object (&self->catalogue);
  g_clear_object (&self->db);

  G_OBJECT_CLASS (nt_schedule_store_parent_class)->finalize (object);
}

static void
nt_schedule_store_class_init (NtScheduleStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = nt_schedule_store_finalize;

  /**
   * NtScheduleStore::changed:
   * @message: (type JsonNode): the change-feed message
   *
   * Emitted after a commit, once per change, in revision order.
   */
  nt_schedule_store_signals[NT_SCHEDULE_STORE_SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, JSON_TYPE_NODE | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * NtScheduleStore::plan-changed:
   * @plan: (type GArray): sorted NtPeriodSpan of the whole run plan
   *
   * Emitted after a commit that changed the run plan.
   */
  nt_schedule_store_signals[NT_SCHEDULE_STORE_SIGNAL_PLAN_CHANGED] =
    g_signal_new ("plan-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ARRAY | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
stmt_finalize (gpointer data)
{
  sqlite3_finalize (data);
}

static void
nt_schedule_store_init (NtScheduleStore *self)
{
  self->stmts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, stmt_finalize);
  self->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  self->plan = g_array_new (FALSE, FALSE, sizeof (NtPeriodSpan));
  self->settings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->alloc_text = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, nt_cached_text_free);
  self->shift_grid = NT_TIME_GRID_SHIFT_DEFAULT;
  self->hour_grid = NT_TIME_GRID_HOUR;
}

/* Public API */

const char *
nt_resource_to_string (NtResource resource)
{
  g_return_val_if_fail ((guint) resource < NT_N_RESOURCES, NULL);
  return resource_names[resource];
}

NtScheduleStore *
nt_schedule_store_new (NtDb         *db,
                       NtCatalogue  *catalogue,
                       GError      **error)
{
  g_autoptr(NtScheduleStore) self = NULL;

  g_return_val_if_fail (NT_IS_DB (db), NULL);
  g_return_val_if_fail (NT_IS_CATALOGUE (catalogue), NULL);

  if (!nt_db_migrate (db, "schedule", schema_steps, G_N_ELEMENTS (schema_steps), error))
    return NULL;
  /* A write touches the disk only when it commits, never half-way by
   * spilling the page cache: a full disk or an I/O error then fails the
   * COMMIT, which SQLite undoes whole, rather than a read inside the
   * transaction, which no caller would notice (see _tx_open ()). */
  if (!nt_db_exec (db, "PRAGMA cache_spill=OFF", error))
    return NULL;

  self = g_object_new (NT_TYPE_SCHEDULE_STORE, NULL);
  self->db = g_object_ref (db);
  self->catalogue = g_object_ref (catalogue);
  self->revision = nt_schedule_store_query_int (self, nt_schedule_store_stmt (self, "SELECT value FROM meta WHERE key = 'revision'"));
  nt_schedule_store_load_settings (self);
  nt_schedule_store_load_plan (self);
  return g_steal_pointer (&self);
}

NtDb *
nt_schedule_store_get_db (NtScheduleStore *self)
{
  g_return_val_if_fail (NT_IS_SCHEDULE_STORE (self), NULL);
  return self->db;
}

NtCatalogue *
nt_schedule_store_get_catalogue (NtScheduleStore *self)
{
  g_return_val_if_fail (NT_IS_SCHEDULE_STORE (self), NULL);
  return self->catalogue;
}

gint64
nt_schedule_store_get_revision (NtScheduleStore *self)
{
  g_return_val_if_fail (NT_IS_SCHEDULE_STORE (self), 0);
  return self->revision;
}

gboolean
nt_schedule_store_is_empty (NtScheduleStore *self)
{
  g_return_val_if_fail (NT_IS_SCHEDULE_STORE (self), FALSE);
  return nt_schedule_store_query_int (self, nt_schedule_store_stmt (self, "SELECT (SELECT COUNT (*) FROM periods) + "
                                                                          "(SELECT COUNT (*) FROM allocations) + "
                                                                          "(SELECT COUNT (*) FROM members) + "
                                                                          "(SELECT COUNT (*) FROM proposals)")) == 0;
}

GArray *
nt_schedule_store_dup_plan (NtScheduleStore *self)
{
  GArray *copy;

  g_return_val_if_fail (NT_IS_SCHEDULE_STORE (self), NULL);
  nt_schedule_store_refresh (self);
  copy = g_array_sized_new (FALSE, FALSE, sizeof (NtPeriodSpan), self->plan->len);

  g_array_append_vals (copy, self->plan->data, self->plan->len);
  return copy;
}

GArray *
nt_schedule_store_get_plan (NtScheduleStore *self)
{
  return self->plan;
}
