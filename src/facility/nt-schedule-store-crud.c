/* nt-schedule-store-crud.c: get, list, create, update and delete of any
 * resource of the scheduling store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One path for every resource: the row is read and written through its
 * column table, and the resource's own rules run from the table's hooks
 * (validate, check, check_delete).  Updates and deletes need the object's
 * ETag in If-Match.
 */
#define G_LOG_DOMAIN "nt-schedule-store"

#include "config.h"

#include "nt-alloc-rules.h"
#include "nt-schedule-store-private.h"

/* Object of any resource by id, as JSON (NULL if none). */
static JsonNode *
load_json (NtScheduleStore *self,
           NtResource       resource,
           const char      *id)
{
  const NtRowTable *t = nt_schedule_row_table (resource);
  gpointer row;
  JsonNode *node = NULL;
  gint64 n = 0;

  g_return_val_if_fail (t != NULL, NULL);

  if (t->columns[0].type == NT_COLUMN_ID && !nt_schedule_parse_int_id (id, &n))
    return NULL;
  row = nt_schedule_row_new (t);
  if (nt_schedule_row_load (self, t, n, id, row))
    node = nt_schedule_row_to_json (self, t, row);
  nt_schedule_row_free (t, row);
  return node;
}

gboolean
nt_schedule_etag_matches (JsonNode   *current,
                          const char *if_match)
{
  const char *etag = json_object_get_string_member (json_node_get_object (current), "etag");
  g_auto(GStrv) parts = NULL;

  if (g_str_equal (g_strstrip ((char *) if_match), "*"))
    return TRUE;
  parts = g_strsplit (if_match, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *p = g_strstrip (parts[i]);

      if (g_str_has_prefix (p, "W/"))
        p += 2;
      if (g_str_equal (p, etag))
        return TRUE;
    }
  return FALSE;
}

JsonNode *
nt_schedule_current_details (JsonNode *current)
{
  JsonObject *d = json_object_new ();

  json_object_set_member (d, "current", json_node_copy (current));
  return nt_schedule_take_object (d);
}

static gboolean
precondition (NtScheduleStore  *self,
              NtResource        resource,
              const char       *id,
              const char       *if_match,
              JsonNode        **current_out,
              NtScheduleFault **fault)
{
  g_autoptr(JsonNode) current = load_json (self, resource, id);
  const char *name = nt_resource_to_string (resource);

  if (current == NULL)
    {
      FAULT (fault, 404, "not_found", NULL, "No %s %s", name, id);
      return FALSE;
    }
  if (if_match == NULL)
    {
      FAULT (fault, 428, "precondition_required", NULL,
             "Send If-Match with the ETag of the %s you edited", name);
      return FALSE;
    }
  if (!nt_schedule_etag_matches (current, if_match))
    {
      FAULT (fault, 412, "precondition_failed", nt_schedule_current_details (current),
             "The %s was changed by someone else; here is its current version", name);
      return FALSE;
    }
  *current_out = g_steal_pointer (&current);
  return TRUE;
}

/* Body, rules, write and audit row of c->row, created or updated; frees
 * the rows and the reason.  Its JSON, NULL on failure. */
static JsonNode *
write_change (const NtRowTable *t,
              NtRowChange      *c,
              JsonNode         *before)
{
  JsonNode *after = NULL;
  char buf[32];

  *nt_schedule_row_int (t, c->row, NT_COLUMN_REVISION) = c->self->tx_revision;
  if (nt_schedule_row_apply_body (t, c) &&
      (t->check == NULL || t->check (c)) &&
      nt_schedule_row_write (c->self, t, c->row, c->old == NULL, c->fault))
    {
      after = nt_schedule_row_to_json (c->self, t, c->row);
      if (!nt_schedule_store_record_change (c->self, t->resource, c->old == NULL ? "created" : "updated",
                                            nt_schedule_row_id (t, c->row, buf), before, after,
                                            c->actor, c->reason, c->fault))
        g_clear_pointer (&after, json_node_unref);
    }
  nt_schedule_row_free (t, (gpointer) c->old);
  nt_schedule_row_free (t, c->row);
  g_free (c->reason);
  return after;
}

static JsonNode *
create_in_tx (NtScheduleStore        *self,
              NtResource              resource,
              JsonObject             *o,
              const NtScheduleActor  *actor,
              NtScheduleFault       **fault)
{
  const NtRowTable *t = nt_schedule_row_table (resource);
  NtRowChange c = { self, NULL, NULL, o, actor, NULL, fault };

  g_return_val_if_fail (t != NULL, NULL);

  self->tx_revision++;
  c.row = nt_schedule_row_new (t);
  return write_change (t, &c, NULL);
}

/* The start of an update or a delete: the precondition, the revision of
 * the change, and the row as it is (NULL if the precondition fails). */
static gpointer
start_change (NtScheduleStore   *self,
              const NtRowTable  *t,
              const char        *id,
              const char        *if_match,
              JsonNode         **before,
              gint64            *n,
              NtScheduleFault  **fault)
{
  gpointer row;

  if (!precondition (self, t->resource, id, if_match, before, fault))
    return NULL;
  nt_schedule_parse_int_id (id, n);
  self->tx_revision++;
  row = nt_schedule_row_new (t);
  nt_schedule_row_load (self, t, *n, id, row);
  return row;
}

static JsonNode *
update_in_tx (NtScheduleStore        *self,
              NtResource              resource,
              const char             *id,
              const char             *if_match,
              JsonObject             *o,
              const NtScheduleActor  *actor,
              NtScheduleFault       **fault)
{
  const NtRowTable *t = nt_schedule_row_table (resource);
  g_autoptr(JsonNode) before = NULL;
  NtRowChange c = { self, NULL, NULL, o, actor, NULL, fault };
  gint64 *sequence;
  gint64 n = 0;

  g_return_val_if_fail (t != NULL, NULL);

  if ((c.old = start_change (self, t, id, if_match, &before, &n, fault)) == NULL)
    return NULL;
  c.row = nt_schedule_row_new (t);
  nt_schedule_row_load (self, t, n, id, c.row);
  if ((sequence = nt_schedule_row_int (t, c.row, NT_COLUMN_SEQUENCE)) != NULL)
    (*sequence)++;
  return write_change (t, &c, before);
}

/* Refused while allocations use the object (t->used_by). */
static gboolean
check_unused (NtScheduleStore  *self,
              const NtRowTable *t,
              gint64            n,
              const char       *id,
              NtScheduleFault **fault)
{
  g_autofree char *sql = NULL;
  sqlite3_stmt *s;
  gint64 uses;

  if (t->used_by == NULL)
    return TRUE;
  sql = g_strdup_printf ("SELECT COUNT (*) FROM allocations WHERE %s = ?", t->used_by);
  s = nt_schedule_store_stmt (self, sql);
  nt_schedule_row_bind_key (t, s, 1, n, id);
  uses = nt_schedule_store_query_int (self, s);
  if (uses == 0)
    return TRUE;
  FAULT (fault, 409, nt_rule_error_to_code (NT_RULE_ERROR_IN_USE), NULL,
         "The %s has %" G_GINT64_FORMAT " allocations; delete or move them first",
         nt_resource_to_string (t->resource), uses);
  return FALSE;
}

static gboolean
delete_in_tx (NtScheduleStore        *self,
              NtResource              resource,
              const char             *id,
              const char             *if_match,
              const NtScheduleActor  *actor,
              NtScheduleFault       **fault)
{
  const NtRowTable *t = nt_schedule_row_table (resource);
  g_autoptr(JsonNode) before = NULL;
  NtRowChange c = { self, NULL, NULL, NULL, actor, NULL, fault };
  g_autofree char *sql = NULL;
  sqlite3_stmt *s;
  gboolean ok;
  gint64 n = 0;

  g_return_val_if_fail (t != NULL, FALSE);

  if ((c.old = start_change (self, t, id, if_match, &before, &n, fault)) == NULL)
    return FALSE;
  ok = check_unused (self, t, n, id, fault) && (t->check_delete == NULL || t->check_delete (&c));
  nt_schedule_row_free (t, (gpointer) c.old);
  if (!ok)
    return FALSE;

  sql = g_strdup_printf ("DELETE FROM %s WHERE id = ?", t->table);
  s = nt_schedule_store_stmt (self, sql);
  nt_schedule_row_bind_key (t, s, 1, n, id);
  return nt_schedule_store_step_done (self, s, "Cannot delete", fault) &&
         nt_schedule_store_record_change (self, resource, "deleted", id, before, NULL, actor, NULL, fault);
}

/* Public API */

JsonNode *
nt_schedule_store_list (NtScheduleStore        *self,
                        NtResource              resource,
                        const NtScheduleQuery  *query,
                        NtScheduleFault       **fault)
{
  static const NtScheduleQuery none = { 0 };
  const NtRowTable *t = nt_schedule_row_table (resource);
  JsonObject *root;
  JsonArray *items;
  sqlite3_stmt *s;

  g_return_val_if_fail (NT_IS_SCHEDULE_STORE (self), NULL);
  g_return_val_if_fail (t != NULL, NULL);
  nt_schedule_store_refresh (self);

  if (query == NULL)
    query = &none;

  if (t->list_stmt != NULL)
    s = t->list_stmt (self, query, fault);
  else
    s = nt_schedule_row_select (self, t, "ORDER BY id");
  if (s == NULL)
    return NULL;
  items = json_array_new ();
  nt_schedule_rows_to_array (self, t, s, items);

  root = json_object_new ();
  json_object_set_array_member (root, "items", items);
  json_object_set_int_member (root, "revision", self->revision);
  return nt_schedule_take_object (root);
}

JsonNode *
nt_schedule_store_get (NtScheduleStore  *self,
                       NtResource        resource,
                       const char       *id,
                       NtScheduleFault **fault)
{
  JsonNode *node;

  g_return_val_if_fail (NT_IS_SCHEDULE_STORE (self), NULL);
  nt_schedule_store_refresh (self);

  node = load_json (self, resource, id);
  if (node == NULL)
    FAULT (fault, 404, "not_found", NULL, "No %s %s", nt_resource_to_string (resource), id);
  return node;
}

JsonNode *
nt_schedule_store_create_in_tx (NtScheduleStore        *self,
                                NtResource              resource,
                                JsonObject             *body,
                                const NtScheduleActor  *actor,
                                NtScheduleFault       **fault)
{
  g_return_val_if_fail (self->in_tx, NULL);
  return create_in_tx (self, resource, body, actor, fault);
}

JsonNode *
nt_schedule_store_update_in_tx (NtScheduleStore        *self,
                                NtResource              resource,
                                const char             *id,
                                const char             *if_match,
                                JsonObject             *body,
                                const NtScheduleActor  *actor,
                                NtScheduleFault       **fault)
{
  g_return_val_if_fail (self->in_tx, NULL);
  return update_in_tx (self, resource, id, if_match, body, actor, fault);
}

/* Commits @after, the result of a change made in the open transaction,
 * or rolls back if it is NULL. */
static JsonNode *
finish (NtScheduleStore  *self,
        JsonNode         *after,
        NtScheduleFault **fault)
{
  if (after == NULL)
    {
      nt_schedule_store_rollback (self);
      return NULL;
    }
  if (!nt_schedule_store_commit (self, fault))
    {
      json_node_unref (after);
      return NULL;
    }
  return after;
}

JsonNode *
nt_schedule_store_create (NtScheduleStore        *self,
                          NtResource              resource,
                          JsonNode               *body,
                          const NtScheduleActor  *actor,
                          NtScheduleFault       **fault)
{
  JsonObject *o;

  g_return_val_if_fail (NT_IS_SCHEDULE_STORE (self), NULL);

  if ((o = nt_schedule_body_object (body, fault)) == NULL || !nt_schedule_store_begin (self, fault))
    return NULL;
  return finish (self, create_in_tx (self, resource, o, actor, fault), fault);
}

JsonNode *
nt_schedule_store_update (NtScheduleStore        *self,
                          NtResource              resource,
                          const char             *id,
                          const char             *if_match,
                          JsonNode               *body,
                          const NtScheduleActor  *actor,
                          NtScheduleFault       **fault)
{
  JsonObject *o;

  g_return_val_if_fail (NT_IS_SCHEDULE_STORE (self), NULL);

  if ((o = nt_schedule_body_object (body, fault)) == NULL || !nt_schedule_store_begin (self, fault))
    return NULL;
  return finish (self, update_in_tx (self, resource, id, if_match, o, actor, fault), fault);
}

gboolean
nt_schedule_store_delete (NtScheduleStore        *self,
                          NtResource              resource,
                          const char             *id,
                          const char             *if_match,
                          const NtScheduleActor  *actor,
                          NtScheduleFault       **fault)
{
  g_return_val_if_fail (NT_IS_SCHEDULE_STORE (self), FALSE);

  if (!nt_schedule_store_begin (self, fault))
    return FALSE;
  if (!delete_in_tx (self, resource, id, if_match, actor, fault))
    {
      nt_schedule_store_rollback (self);
      return FALSE;
    }
  return nt_schedule_store_commit (self, fault);
}
