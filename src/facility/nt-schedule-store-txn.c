/* nt-schedule-store-txn.c: faults, statements, transactions, revisions and
 * the audit log of the scheduling store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every write runs between nt_schedule_store_begin() and _commit(): one
 * BEGIN IMMEDIATE, one revision per change taken from table meta, one
 * audit row per change in table changes, and the feed messages emitted
 * after the commit.  The audit and the change feed are read back here too.
 */
#define G_LOG_DOMAIN "nt-schedule-store"

#include "config.h"

#include "nt-alloc-rules.h"
#include "nt-schedule-store-private.h"

/* Faults */

NtScheduleFault *
nt_schedule_fault_new (guint        status,
                       const char  *code,
                       JsonNode    *details,
                       const char  *format,
                       ...)
{
  NtScheduleFault *fault = g_new0 (NtScheduleFault, 1);
  va_list args;

  fault->status = status;
  fault->code = g_strdup (code);
  fault->details = details;
  va_start (args, format);
  fault->message = g_strdup_vprintf (format, args);
  va_end (args);
  return fault;
}

void
nt_schedule_fault_free (NtScheduleFault *fault)
{
  if (fault == NULL)
    return;
  g_free (fault->code);
  g_free (fault->message);
  g_clear_pointer (&fault->details, json_node_unref);
  g_free (fault);
}

JsonNode *
nt_schedule_fault_to_json (const NtScheduleFault *fault)
{
  g_autoptr(JsonObject) error = json_object_new ();
  g_autoptr(JsonObject) root = json_object_new ();
  JsonNode *node;

  json_object_set_string_member (error, "code", fault->code);
  json_object_set_string_member (error, "message", fault->message);
  if (fault->details != NULL)
    json_object_set_member (error, "details", json_node_copy (fault->details));
  else
    json_object_set_null_member (error, "details");
  json_object_set_object_member (root, "error", g_steal_pointer (&error));

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, root);
  return node;
}

JsonNode *
nt_schedule_take_object (JsonObject *o)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, o);
  return node;
}

JsonNode *
nt_schedule_field_details (const char *field)
{
  JsonObject *obj = json_object_new ();

  json_object_set_string_member (obj, "field", field);
  return nt_schedule_take_object (obj);
}

JsonNode *
nt_schedule_ids_details (const char *key,
                         GArray     *ids)
{
  JsonObject *o = json_object_new ();
  JsonArray *a = json_array_new ();

  for (guint i = 0; i < ids->len; i++)
    json_array_add_int_element (a, g_array_index (ids, gint64, i));
  json_object_set_array_member (o, key, a);
  return nt_schedule_take_object (o);
}

gboolean
nt_schedule_invalid (NtScheduleFault **fault,
                     const char       *field,
                     const char       *what)
{
  FAULT (fault, 422, "invalid", nt_schedule_field_details (field), "“%s” %s", field, what);
  return FALSE;
}

gboolean
nt_schedule_rule_fault (NtScheduleFault **fault,
                        GError           *error,
                        JsonNode         *details)
{
  const char *code = error->domain == NT_RULE_ERROR ? nt_rule_error_to_code (error->code) : "conflict";

  FAULT (fault, 409, code, details, "%s", error->message);
  return FALSE;
}

/* The fault for a write the database refused with @code: words that say
 * what happened and what to do, and a status a client can act on (507: the
 * disk is full, 503: busy or an I/O error, both worth a retry later). */
static void
storage_fault (NtScheduleFault **fault,
               NtDbError         code,
               const char       *what,
               const char       *detail)
{
  switch (code)
    {
    case NT_DB_ERROR_BUSY:
      FAULT (fault, 503, "busy", NULL, "%s: the store is busy, try again", what);
      break;
    case NT_DB_ERROR_FULL:
      FAULT (fault, 507, "storage_full", NULL,
             "%s: the server's disk is full, so nothing was saved. Free space on the server "
             "(or ask its administrator to), then try again", what);
      break;
    case NT_DB_ERROR_IO:
      FAULT (fault, 503, "storage_error", NULL,
             "%s: the server's disk reported an error (%s), so nothing was saved. Try again; "
             "if it keeps failing, ask the server's administrator to check its disk", what, detail);
      break;
    case NT_DB_ERROR_CONSTRAINT:
      FAULT (fault, 409, "constraint", NULL, "%s: %s", what, detail);
      break;
    case NT_DB_ERROR_OPEN:
    case NT_DB_ERROR_SQL:
    case NT_DB_ERROR_SCHEMA:
    default:
      FAULT (fault, 500, "storage", NULL, "%s: %s", what, detail);
      break;
    }
}

gboolean
nt_schedule_store_db_fault (NtScheduleStore  *self,
                            NtScheduleFault **fault,
                            const char       *what)
{
  sqlite3 *h = nt_db_get_handle (self->db);

  storage_fault (fault, nt_db_error_from_sqlite (sqlite3_extended_errcode (h)), what, sqlite3_errmsg (h));
  return FALSE;
}

/* Statements and values */

sqlite3_stmt *
nt_schedule_store_stmt (NtScheduleStore *self,
                        const char      *sql)
{
  sqlite3_stmt *s = g_hash_table_lookup (self->stmts, sql);

  if (s == NULL)
    {
      if (sqlite3_prepare_v3 (nt_db_get_handle (self->db), sql, -1, SQLITE_PREPARE_PERSISTENT,
                              &s, NULL) != SQLITE_OK)
        {
          g_critical ("Cannot prepare %s: %s", sql, sqlite3_errmsg (nt_db_get_handle (self->db)));
          return NULL;
        }
      g_hash_table_insert (self->stmts, g_strdup (sql), s);
    }
  sqlite3_reset (s);
  sqlite3_clear_bindings (s);
  return s;
}

void
nt_schedule_bind_text (sqlite3_stmt *s,
                       int           i,
                       const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (s, i);
  else
    sqlite3_bind_text (s, i, text, -1, SQLITE_TRANSIENT);
}

void
nt_schedule_bind_span (sqlite3_stmt          *s,
                       const NtScheduleQuery *query)
{
  sqlite3_bind_int64 (s, 1, query->has_from ? query->from : G_MININT64);
  sqlite3_bind_int64 (s, 2, query->has_to ? query->to : G_MAXINT64);
}

char *
nt_schedule_col_text (sqlite3_stmt *s,
                      int           i)
{
  const char *t = (const char *) sqlite3_column_text (s, i);

  return t != NULL ? g_strdup (t) : NULL;
}

gint64
nt_schedule_store_query_int (NtScheduleStore *self,
                             sqlite3_stmt    *s)
{
  gint64 v = 0;

  if (sqlite3_step (s) == SQLITE_ROW)
    v = sqlite3_column_int64 (s, 0);
  sqlite3_reset (s);
  return v;
}

gboolean
nt_schedule_store_tx_open (NtScheduleStore  *self,
                           NtScheduleFault **fault)
{
  if (!self->in_tx || !sqlite3_get_autocommit (nt_db_get_handle (self->db)))
    return TRUE;
  FAULT (fault, 503, "storage_error", NULL,
         "Cannot save the change: the server's disk failed during the write, so nothing was saved. "
         "Try again; if it keeps failing, ask the server's administrator to check its disk");
  return FALSE;
}

gboolean
nt_schedule_store_step_done (NtScheduleStore  *self,
                             sqlite3_stmt     *s,
                             const char       *what,
                             NtScheduleFault **fault)
{
  if (!nt_schedule_store_tx_open (self, fault))
    return FALSE;
  if (sqlite3_step (s) != SQLITE_DONE)
    {
      sqlite3_reset (s);
      return nt_schedule_store_db_fault (self, fault, what);
    }
  sqlite3_reset (s);
  return TRUE;
}

gboolean
nt_schedule_parse_int_id (const char *id,
                          gint64     *out)
{
  char *end = NULL;
  gint64 v;

  if (id == NULL || *id < '1' || *id > '9')
    return FALSE;
  v = g_ascii_strtoll (id, &end, 10);
  if (end == NULL || *end != '\0' || v <= 0)
    return FALSE;
  *out = v;
  return TRUE;
}

void
nt_schedule_set_instant (JsonObject *o,
                         const char *member,
                         gint64      t)
{
  char buf[NT_TIME_ISO_LEN + 1];

  nt_time_format_iso_buf (t, buf);
  json_object_set_string_member (o, member, buf);
}

void
nt_schedule_set_meta (JsonObject *o,
                      NtResource  resource,
                      const char *id,
                      gint64      revision)
{
  static const char prefix[NT_N_RESOURCES] = { 'p', 'a', 'm', 'P', 's' };
  g_autofree char *etag = g_strdup_printf ("\"%c%s-r%" G_GINT64_FORMAT "\"", prefix[resource], id, revision);

  json_object_set_string_member (o, "etag", etag);
  json_object_set_int_member (o, "revision", revision);
}

/* Transactions */

static gint64
read_revision (NtScheduleStore *self)
{
  return nt_schedule_store_query_int (self, nt_schedule_store_stmt (self, "SELECT value FROM meta WHERE key = 'revision'"));
}

/* Another process (the token or seed command, a second daemon on the same
 * file) may have committed at @rev: pick up its plan and settings. */
static void
catch_up (NtScheduleStore *self,
          gint64           rev)
{
  if (rev != self->revision)
    {
      self->revision = rev;
      nt_schedule_store_load_settings (self);
      nt_schedule_store_load_plan (self);
    }
}

void
nt_schedule_store_refresh (NtScheduleStore *self)
{
  if (!self->in_tx)
    catch_up (self, read_revision (self));
}

gboolean
nt_schedule_store_begin (NtScheduleStore  *self,
                         NtScheduleFault **fault)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (!self->in_tx, FALSE);

  if (!nt_db_begin (self->db, &error))
    {
      storage_fault (fault, error->code, "Cannot start a write", error->message);
      return FALSE;
    }
  self->tx_revision = read_revision (self);
  catch_up (self, self->tx_revision);
  self->in_tx = TRUE;
  self->plan_dirty = FALSE;
  return TRUE;
}

void
nt_schedule_store_rollback (NtScheduleStore *self)
{
  if (!self->in_tx)
    return;
  nt_db_rollback (self->db);
  self->in_tx = FALSE;
  g_ptr_array_set_size (self->pending, 0);
  if (self->plan_dirty)
    nt_schedule_store_load_plan (self);
  self->plan_dirty = FALSE;
}

gboolean
nt_schedule_store_commit (NtScheduleStore  *self,
                          NtScheduleFault **fault)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  gboolean plan_changed;

  g_return_val_if_fail (self->in_tx, FALSE);

  if (!nt_schedule_store_tx_open (self, fault))
    {
      nt_schedule_store_rollback (self);
      return FALSE;
    }
  if (!nt_db_commit (self->db, &error))
    {
      storage_fault (fault, error->code, "Cannot save the change", error->message);
      nt_schedule_store_rollback (self);
      return FALSE;
    }
  self->in_tx = FALSE;
  self->revision = self->tx_revision;
  plan_changed = self->plan_dirty;
  self->plan_dirty = FALSE;

  pending = g_steal_pointer (&self->pending);
  self->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  for (guint i = 0; i < pending->len; i++)
    g_signal_emit (self, nt_schedule_store_signals[NT_SCHEDULE_STORE_SIGNAL_CHANGED], 0,
                   g_ptr_array_index (pending, i));
  if (plan_changed)
    g_signal_emit (self, nt_schedule_store_signals[NT_SCHEDULE_STORE_SIGNAL_PLAN_CHANGED], 0, self->plan);
  return TRUE;
}

/* Revisions and audit */

static char *
node_to_string (JsonNode *node)
{
  return node != NULL ? json_to_string (node, FALSE) : NULL;
}

/* "id" of a feed message: a number, but for proposals. */
static void
set_feed_id (JsonObject *o,
             const char *resource,
             const char *id)
{
  gint64 id_n;

  if (!g_str_equal (resource, "proposal") && nt_schedule_parse_int_id (id, &id_n))
    json_object_set_int_member (o, "id", id_n);
  else
    json_object_set_string_member (o, "id", id);
}

gboolean
nt_schedule_store_record_change (NtScheduleStore        *self,
                                 NtResource              resource,
                                 const char             *action,
                                 const char             *id,
                                 JsonNode               *before,
                                 JsonNode               *after,
                                 const NtScheduleActor  *actor,
                                 const char             *reason,
                                 NtScheduleFault       **fault)
{
  sqlite3_stmt *s;
  g_autofree char *before_s = node_to_string (before);
  g_autofree char *after_s = node_to_string (after);
  const char *resource_name = nt_resource_to_string (resource);
  JsonObject *msg;

  s = nt_schedule_store_stmt (self, "INSERT INTO changes (revision, at, who, resource, action, object_id, "
                                    "before, after, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  sqlite3_bind_int64 (s, 1, self->tx_revision);
  sqlite3_bind_int64 (s, 2, nt_db_now (self->db));
  nt_schedule_bind_text (s, 3, actor->name);
  nt_schedule_bind_text (s, 4, resource_name);
  nt_schedule_bind_text (s, 5, action);
  nt_schedule_bind_text (s, 6, id);
  nt_schedule_bind_text (s, 7, before_s);
  nt_schedule_bind_text (s, 8, after_s);
  nt_schedule_bind_text (s, 9, reason);
  if (!nt_schedule_store_step_done (self, s, "Cannot write the audit log", fault))
    return FALSE;

  s = nt_schedule_store_stmt (self, "UPDATE meta SET value = ? WHERE key = 'revision'");
  sqlite3_bind_int64 (s, 1, self->tx_revision);
  if (!nt_schedule_store_step_done (self, s, "Cannot bump the revision", fault))
    return FALSE;

  msg = json_object_new ();
  json_object_set_int_member (msg, "revision", self->tx_revision);
  json_object_set_string_member (msg, "resource", resource_name);
  json_object_set_string_member (msg, "action", action);
  set_feed_id (msg, resource_name, id);
  if (after != NULL)
    json_object_set_member (msg, "object", json_node_copy (after));
  else
    json_object_set_null_member (msg, "object");
  g_ptr_array_add (self->pending, nt_schedule_take_object (msg));
  return TRUE;
}

static JsonNode *
parse_or_null (const char *text)
{
  g_autoptr(JsonParser) parser = NULL;

  if (text == NULL)
    return json_node_new (JSON_NODE_NULL);
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, text, -1, NULL))
    return json_node_new (JSON_NODE_NULL);
  return json_node_copy (json_parser_get_root (parser));
}

JsonNode *
nt_schedule_store_audit (NtScheduleStore        *self,
                         const NtScheduleQuery  *query,
                         NtScheduleFault       **fault)
{
  static const NtScheduleQuery none = { 0 };
  JsonObject *root = json_object_new ();
  JsonArray *items = json_array_new ();
  sqlite3_stmt *s;

  g_return_val_if_fail (NT_IS_SCHEDULE_STORE (self), NULL);
  nt_schedule_store_refresh (self);

  if (query == NULL)
    query = &none;

  s = nt_schedule_store_stmt (self, "SELECT revision, at, who, resource, action, object_id, before, after, reason "
                                    "FROM changes WHERE at >= ? AND at < ? ORDER BY revision");
  nt_schedule_bind_span (s, query);
  while (sqlite3_step (s) == SQLITE_ROW)
    {
      JsonObject *o = json_object_new ();
      const char *reason = (const char *) sqlite3_column_text (s, 8);

      json_object_set_int_member (o, "revision", sqlite3_column_int64 (s, 0));
      nt_schedule_set_instant (o, "at", sqlite3_column_int64 (s, 1));
      json_object_set_string_member (o, "who", (const char *) sqlite3_column_text (s, 2));
      json_object_set_string_member (o, "resource", (const char *) sqlite3_column_text (s, 3));
      json_object_set_string_member (o, "action", (const char *) sqlite3_column_text (s, 4));
      json_object_set_string_member (o, "id", (const char *) sqlite3_column_text (s, 5));
      json_object_set_member (o, "before", parse_or_null ((const char *) sqlite3_column_text (s, 6)));
      json_object_set_member (o, "after", parse_or_null ((const char *) sqlite3_column_text (s, 7)));
      if (reason != NULL)
        json_object_set_string_member (o, "reason", reason);
      else
        json_object_set_null_member (o, "reason");
      json_array_add_object_element (items, o);
    }
  sqlite3_reset (s);

  json_object_set_array_member (root, "items", items);
  json_object_set_int_member (root, "revision", self->revision);
  return nt_schedule_take_object (root);
}

GPtrArray *
nt_schedule_store_changes_since (NtScheduleStore *self,
                                 gint64           since,
                                 guint            limit)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  sqlite3_stmt *s;

  g_return_val_if_fail (NT_IS_SCHEDULE_STORE (self), out);

  s = nt_schedule_store_stmt (self, "SELECT revision, resource, action, object_id, after FROM changes "
                                    "WHERE revision > ? ORDER BY revision LIMIT ?");
  sqlite3_bind_int64 (s, 1, since);
  sqlite3_bind_int64 (s, 2, limit > 0 ? (gint64) limit : -1);
  while (sqlite3_step (s) == SQLITE_ROW)
    {
      JsonObject *o = json_object_new ();

      json_object_set_int_member (o, "revision", sqlite3_column_int64 (s, 0));
      json_object_set_string_member (o, "resource", (const char *) sqlite3_column_text (s, 1));
      json_object_set_string_member (o, "action", (const char *) sqlite3_column_text (s, 2));
      set_feed_id (o, (const char *) sqlite3_column_text (s, 1), (const char *) sqlite3_column_text (s, 3));
      if (sqlite3_column_type (s, 4) == SQLITE_NULL)
        json_object_set_null_member (o, "object");
      else
        json_object_set_member (o, "object", parse_or_null ((const char *) sqlite3_column_text (s, 4)));
      g_ptr_array_add (out, nt_schedule_take_object (o));
    }
  sqlite3_reset (s);
  return out;
}
