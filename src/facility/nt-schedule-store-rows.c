/* nt-schedule-store-rows.c: the rows of every resource through their
 * column tables: SQL column lists, the row reader, the JSON writer, the
 * INSERT and UPDATE, and the body parser
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A resource describes its columns once (NtRowTable in
 * nt-schedule-store-private.h, defined in its own file); everything here
 * walks that table, so a column added to a resource is one more line of
 * its table.
 */
#define G_LOG_DOMAIN "nt-schedule-store"

#include "config.h"

#include <string.h>

#include "nt-schedule-store-private.h"

#define FIELD(row, col, type) ((type *) (gpointer) ((char *) (row) + (col)->offset))
#define CFIELD(row, col, type) ((const type *) (gconstpointer) ((const char *) (row) + (col)->offset))

G_STATIC_ASSERT (sizeof (NtPeriodKind) == sizeof (int));
G_STATIC_ASSERT (sizeof (NtSlot) == sizeof (int));
G_STATIC_ASSERT (sizeof (NtAllocationStatus) == sizeof (int));

const NtRowTable *
nt_schedule_row_table (NtResource resource)
{
  static const NtRowTable * const tables[NT_N_RESOURCES] = {
    [NT_RESOURCE_PERIOD] = &nt_schedule_periods,
    [NT_RESOURCE_ALLOCATION] = &nt_schedule_allocations,
    [NT_RESOURCE_MEMBER] = &nt_schedule_members,
    [NT_RESOURCE_PROPOSAL] = &nt_schedule_proposals,
  };

  g_return_val_if_fail ((guint) resource < NT_N_RESOURCES, NULL);
  return tables[resource];
}

static gboolean
holds_text (const NtColumn *col)
{
  return col->type == NT_COLUMN_TEXT || col->type == NT_COLUMN_DATE || col->type == NT_COLUMN_STATION;
}

static gboolean
in_body (const NtColumn *col)
{
  return col->type != NT_COLUMN_ID && col->type != NT_COLUMN_REVISION &&
         col->type != NT_COLUMN_SEQUENCE && col->type != NT_COLUMN_UPDATED;
}

void
nt_schedule_row_clear (const NtRowTable *t,
                       gpointer          row)
{
  for (guint i = 0; i < t->n_columns; i++)
    if (holds_text (&t->columns[i]))
      g_clear_pointer (FIELD (row, &t->columns[i], char *), g_free);
}

gpointer
nt_schedule_row_new (const NtRowTable *t)
{
  return g_malloc0 (t->row_size);
}

void
nt_schedule_row_free (const NtRowTable *t,
                      gpointer          row)
{
  if (row == NULL)
    return;
  nt_schedule_row_clear (t, row);
  g_free (row);
}

gint64 *
nt_schedule_row_int (const NtRowTable *t,
                     gpointer          row,
                     NtColumnType      type)
{
  for (guint i = 0; i < t->n_columns; i++)
    if (t->columns[i].type == type)
      return FIELD (row, &t->columns[i], gint64);
  return NULL;
}


/* SQL */

char *
nt_schedule_row_columns (const NtRowTable *t,
                         const char       *prefix)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < t->n_columns; i++)
    g_string_append_printf (out, "%s%s\"%s\"", i > 0 ? ", " : "", prefix, t->columns[i].name);
  return g_string_free (out, FALSE);
}

sqlite3_stmt *
nt_schedule_row_select (NtScheduleStore  *self,
                        const NtRowTable *t,
                        const char       *tail)
{
  g_autofree char *columns = nt_schedule_row_columns (t, "");
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM %s %s", columns, t->table, tail);

  return nt_schedule_store_stmt (self, sql);
}

int
nt_schedule_row_column_index (const NtRowTable *t,
                              NtColumnType      type,
                              const char       *name)
{
  for (guint i = 0; i < t->n_columns; i++)
    if (t->columns[i].type == type && (name == NULL || g_str_equal (t->columns[i].name, name)))
      return (int) i;
  g_return_val_if_reached (-1);
}

/* Reading */

void
nt_schedule_row_read (const NtRowTable *t,
                      sqlite3_stmt     *s,
                      gpointer          row)
{
  for (guint i = 0; i < t->n_columns; i++)
    {
      const NtColumn *col = &t->columns[i];

      switch (col->type)
        {
        case NT_COLUMN_TEXT:
        case NT_COLUMN_DATE:
        case NT_COLUMN_STATION:
          *FIELD (row, col, char *) = nt_schedule_col_text (s, i);
          break;
        case NT_COLUMN_BOOL:
          *FIELD (row, col, gboolean) = sqlite3_column_int (s, i) != 0;
          break;
        case NT_COLUMN_ENUM:
          col->codec->from_string ((const char *) sqlite3_column_text (s, i), FIELD (row, col, int));
          break;
        case NT_COLUMN_ID:
        case NT_COLUMN_INT:
        case NT_COLUMN_INSTANT:
        case NT_COLUMN_REVISION:
        case NT_COLUMN_SEQUENCE:
        case NT_COLUMN_UPDATED:
        default:
          *FIELD (row, col, gint64) = sqlite3_column_int64 (s, i);
          break;
        }
    }
}

static const NtColumn *
key_column (const NtRowTable *t)
{
  return &t->columns[0];
}

void
nt_schedule_row_bind_key (const NtRowTable *t,
                          sqlite3_stmt     *s,
                          int               i,
                          gint64            id,
                          const char       *key)
{
  if (key_column (t)->type == NT_COLUMN_ID)
    sqlite3_bind_int64 (s, i, id);
  else
    nt_schedule_bind_text (s, i, key);
}

gboolean
nt_schedule_row_load (NtScheduleStore  *self,
                      const NtRowTable *t,
                      gint64            id,
                      const char       *key,
                      gpointer          row)
{
  sqlite3_stmt *s = nt_schedule_row_select (self, t, "WHERE id = ?");
  gboolean found;

  nt_schedule_row_bind_key (t, s, 1, id, key);
  found = sqlite3_step (s) == SQLITE_ROW;
  if (found)
    nt_schedule_row_read (t, s, row);
  sqlite3_reset (s);
  return found;
}

const char *
nt_schedule_row_id (const NtRowTable *t,
                    gconstpointer     row,
                    char              buf[32])
{
  const NtColumn *key = key_column (t);

  if (key->type != NT_COLUMN_ID)
    return *CFIELD (row, key, char *);
  g_snprintf (buf, 32, "%" G_GINT64_FORMAT, *CFIELD (row, key, gint64));
  return buf;
}

/* JSON */

JsonNode *
nt_schedule_row_to_json (NtScheduleStore  *self,
                         const NtRowTable *t,
                         gconstpointer     row)
{
  JsonObject *o = json_object_new ();
  char buf[32];
  const char *id = nt_schedule_row_id (t, row, buf);

  for (guint i = 0; i < t->n_columns; i++)
    {
      const NtColumn *col = &t->columns[i];
      gboolean nullable = (col->flags & NT_COLUMN_NULLABLE) != 0;

      switch (col->type)
        {
        case NT_COLUMN_ID:
          json_object_set_int_member (o, col->name, *CFIELD (row, col, gint64));
          break;
        case NT_COLUMN_INT:
          if (nullable && *CFIELD (row, col, gint64) == 0)
            json_object_set_null_member (o, col->name);
          else
            json_object_set_int_member (o, col->name, *CFIELD (row, col, gint64));
          break;
        case NT_COLUMN_TEXT:
        case NT_COLUMN_DATE:
          {
            const char *v = *CFIELD (row, col, char *);

            if (nullable && v == NULL)
              json_object_set_null_member (o, col->name);
            else
              json_object_set_string_member (o, col->name, v != NULL ? v : "");
          }
          break;
        case NT_COLUMN_STATION:
          {
            const char *v = *CFIELD (row, col, char *);
            NtStation *station = nt_catalogue_lookup_station (self->catalogue, v);

            json_object_set_string_member (o, col->name, v);
            if (station != NULL)
              json_object_set_string_member (o, "beamline", nt_station_get_beamline_id (station));
          }
          break;
        case NT_COLUMN_INSTANT:
          nt_schedule_set_instant (o, col->name, *CFIELD (row, col, gint64));
          break;
        case NT_COLUMN_BOOL:
          json_object_set_boolean_member (o, col->name, *CFIELD (row, col, gboolean));
          break;
        case NT_COLUMN_ENUM:
          json_object_set_string_member (o, col->name, col->codec->to_string (*CFIELD (row, col, int)));
          break;
        case NT_COLUMN_REVISION:
          nt_schedule_set_meta (o, t->resource, id, *CFIELD (row, col, gint64));
          break;
        case NT_COLUMN_SEQUENCE:
        case NT_COLUMN_UPDATED:
        default:
          break;
        }
    }
  return nt_schedule_take_object (o);
}

void
nt_schedule_rows_to_array (NtScheduleStore  *self,
                           const NtRowTable *t,
                           sqlite3_stmt     *s,
                           JsonArray        *items)
{
  gpointer row = nt_schedule_row_new (t);

  while (sqlite3_step (s) == SQLITE_ROW)
    {
      nt_schedule_row_read (t, s, row);
      json_array_add_element (items, nt_schedule_row_to_json (self, t, row));
      nt_schedule_row_clear (t, row);
    }
  sqlite3_reset (s);
  nt_schedule_row_free (t, row);
}

/* Writing */

static void
bind_column (sqlite3_stmt   *s,
             int             i,
             const NtColumn *col,
             gconstpointer   row)
{
  switch (col->type)
    {
    case NT_COLUMN_TEXT:
    case NT_COLUMN_DATE:
    case NT_COLUMN_STATION:
      {
        const char *v = *CFIELD (row, col, char *);

        nt_schedule_bind_text (s, i, v == NULL && !(col->flags & NT_COLUMN_NULLABLE) ? "" : v);
      }
      break;
    case NT_COLUMN_BOOL:
      sqlite3_bind_int (s, i, *CFIELD (row, col, gboolean) ? 1 : 0);
      break;
    case NT_COLUMN_ENUM:
      nt_schedule_bind_text (s, i, col->codec->to_string (*CFIELD (row, col, int)));
      break;
    case NT_COLUMN_INT:
      if ((col->flags & NT_COLUMN_NULLABLE) && *CFIELD (row, col, gint64) == 0)
        sqlite3_bind_null (s, i);
      else
        sqlite3_bind_int64 (s, i, *CFIELD (row, col, gint64));
      break;
    case NT_COLUMN_ID:
    case NT_COLUMN_INSTANT:
    case NT_COLUMN_REVISION:
    case NT_COLUMN_SEQUENCE:
    case NT_COLUMN_UPDATED:
    default:
      sqlite3_bind_int64 (s, i, *CFIELD (row, col, gint64));
      break;
    }
}

/* INSERT INTO t (every column but an integer id) VALUES (…), or
 * UPDATE t SET (every column but the key) = … WHERE id = ? */
static char *
write_sql (const NtRowTable *t,
           gboolean          insert)
{
  GString *sql = g_string_new (NULL);
  guint n = 0;

  g_string_printf (sql, insert ? "INSERT INTO %s (" : "UPDATE %s SET ", t->table);
  for (guint i = 0; i < t->n_columns; i++)
    {
      const NtColumn *col = &t->columns[i];

      if (col->type == NT_COLUMN_ID || (!insert && (col->flags & NT_COLUMN_KEY)))
        continue;
      g_string_append_printf (sql, insert ? "%s\"%s\"" : "%s\"%s\" = ?", n++ > 0 ? ", " : "", col->name);
    }
  if (insert)
    {
      g_string_append (sql, ") VALUES (");
      for (guint i = 0; i < n; i++)
        g_string_append (sql, i > 0 ? ", ?" : "?");
      g_string_append (sql, ")");
    }
  else
    g_string_append (sql, " WHERE id = ?");
  return g_string_free (sql, FALSE);
}

gboolean
nt_schedule_row_write (NtScheduleStore  *self,
                       const NtRowTable *t,
                       gpointer          row,
                       gboolean          insert,
                       NtScheduleFault **fault)
{
  g_autofree char *sql = write_sql (t, insert);
  sqlite3_stmt *s = nt_schedule_store_stmt (self, sql);
  const NtColumn *key = key_column (t);
  int n = 0;

  for (guint i = 0; i < t->n_columns; i++)
    {
      const NtColumn *col = &t->columns[i];

      if (col->type == NT_COLUMN_UPDATED)
        *FIELD (row, col, gint64) = nt_db_now (self->db);
      if (col->type == NT_COLUMN_ID || (!insert && (col->flags & NT_COLUMN_KEY)))
        continue;
      bind_column (s, ++n, col, row);
    }
  if (!insert)
    bind_column (s, ++n, key, row);

  if (!nt_schedule_store_tx_open (self, fault))
    return FALSE;
  if (sqlite3_step (s) != SQLITE_DONE)
    {
      int rc = sqlite3_extended_errcode (nt_db_get_handle (self->db));
      g_autofree char *what = g_strdup_printf ("Cannot write the %s", nt_resource_to_string (t->resource));

      sqlite3_reset (s);
      if (t->duplicate_column != NULL && (rc == SQLITE_CONSTRAINT_PRIMARYKEY || rc == SQLITE_CONSTRAINT_UNIQUE))
        {
          const NtColumn *col = &t->columns[nt_schedule_row_column_index (t, NT_COLUMN_TEXT, t->duplicate_column)];

          FAULT (fault, 409, "duplicate", nt_schedule_field_details (col->name), "%s%s%s",
                 t->duplicate_text[0], *FIELD (row, col, char *), t->duplicate_text[1]);
          return FALSE;
        }
      return nt_schedule_store_db_fault (self, fault, what);
    }
  sqlite3_reset (s);
  if (insert && key->type == NT_COLUMN_ID)
    *FIELD (row, key, gint64) = sqlite3_last_insert_rowid (nt_db_get_handle (self->db));
  return TRUE;
}

/* Bodies */

JsonObject *
nt_schedule_body_object (JsonNode         *body,
                         NtScheduleFault **fault)
{
  if (body == NULL || !JSON_NODE_HOLDS_OBJECT (body))
    {
      FAULT (fault, 400, "malformed", NULL, "The body must be a JSON object");
      return NULL;
    }
  return json_node_get_object (body);
}

/* What a body member may hold: a value of @type, or null where allowed */
typedef struct
{
  GType       type;
  const char *what;       /* the 422 of another value */
  const char *null_what;  /* the 422 of a null that is not allowed */
} BodyType;

static const BodyType body_string = { G_TYPE_STRING, "must be a string", "must be a string, not null" };
static const BodyType body_integer = { G_TYPE_INT64, "must be an integer", "must be an integer" };
static const BodyType body_boolean = { G_TYPE_BOOLEAN, "must be true or false", "must be true or false" };

typedef enum
{
  BODY_INVALID,  /* a 422 is set */
  BODY_ABSENT,
  BODY_NULL,     /* null, and @nullable */
  BODY_VALUE,
} BodyMember;

static BodyMember
body_invalid (NtScheduleFault **fault,
              const char       *field,
              const char       *what)
{
  nt_schedule_invalid (fault, field, what);
  return BODY_INVALID;
}

static BodyMember
body_member (JsonObject       *o,
             const char       *field,
             gboolean          required,
             gboolean          nullable,
             const BodyType   *type,
             JsonNode        **node,
             NtScheduleFault **fault)
{
  if (!json_object_has_member (o, field))
    return required ? body_invalid (fault, field, "is required") : BODY_ABSENT;
  *node = json_object_get_member (o, field);
  if (JSON_NODE_HOLDS_NULL (*node))
    return nullable ? BODY_NULL : body_invalid (fault, field, type->null_what);
  if (!JSON_NODE_HOLDS_VALUE (*node) || json_node_get_value_type (*node) != type->type)
    return body_invalid (fault, field, type->what);
  return BODY_VALUE;
}

gboolean
nt_schedule_body_string (JsonObject       *o,
                         const char       *field,
                         gboolean          required,
                         gboolean          nullable,
                         gsize             max_len,
                         char            **dst,
                         NtScheduleFault **fault)
{
  JsonNode *node = NULL;
  const char *v;

  switch (body_member (o, field, required, nullable, &body_string, &node, fault))
    {
    case BODY_INVALID:
      return FALSE;
    case BODY_ABSENT:
      return TRUE;
    case BODY_NULL:
      g_clear_pointer (dst, g_free);
      return TRUE;
    case BODY_VALUE:
    default:
      break;
    }
  v = json_node_get_string (node);
  if (strlen (v) > max_len)
    return nt_schedule_invalid (fault, field, "is too long");
  g_free (*dst);
  *dst = g_strdup (v);
  return TRUE;
}

gboolean
nt_schedule_body_int (JsonObject       *o,
                      const char       *field,
                      gboolean          required,
                      gboolean          nullable,
                      gint64           *dst,
                      NtScheduleFault **fault)
{
  JsonNode *node = NULL;
  BodyMember m = body_member (o, field, required, nullable, &body_integer, &node, fault);

  if (m == BODY_NULL)
    *dst = 0;
  else if (m == BODY_VALUE)
    *dst = json_node_get_int (node);
  return m != BODY_INVALID;
}

static gboolean
body_bool (JsonObject       *o,
           const char       *field,
           gboolean          required,
           gboolean         *dst,
           NtScheduleFault **fault)
{
  JsonNode *node = NULL;
  BodyMember m = body_member (o, field, required, FALSE, &body_boolean, &node, fault);

  if (m == BODY_VALUE)
    *dst = json_node_get_boolean (node);
  return m != BODY_INVALID;
}

/* An instant or a date: a string @parse accepts. */
static gboolean
body_time (JsonObject       *o,
           const NtColumn   *col,
           gboolean          required,
           gpointer          row,
           NtScheduleFault **fault)
{
  g_autofree char *s = NULL;
  GDate d;

  if (!json_object_has_member (o, col->name))
    return required ? nt_schedule_invalid (fault, col->name, "is required") : TRUE;
  if (!nt_schedule_body_string (o, col->name, TRUE, FALSE, 64, &s, fault))
    return FALSE;
  if (col->type == NT_COLUMN_INSTANT)
    {
      if (!nt_time_parse_iso (s, FIELD (row, col, gint64)))
        return nt_schedule_invalid (fault, col->name, "must be an instant YYYY-MM-DDTHH:MM:SSZ");
      return TRUE;
    }
  if (!nt_time_parse_date (s, &d))
    return nt_schedule_invalid (fault, col->name, "must be a date YYYY-MM-DD");
  g_free (*FIELD (row, col, char *));
  *FIELD (row, col, char *) = g_steal_pointer (&s);
  return TRUE;
}

gboolean
nt_schedule_body_override (JsonObject             *o,
                           const NtScheduleActor  *actor,
                           char                  **reason,
                           NtScheduleFault       **fault)
{
  if (!nt_schedule_body_string (o, "override_reason", FALSE, TRUE, 2000, reason, fault))
    return FALSE;
  if (*reason != NULL && **reason == '\0')
    return nt_schedule_invalid (fault, "override_reason", "must not be empty");
  if (*reason != NULL && actor->role != NT_ROLE_ADMIN)
    {
      FAULT (fault, 403, "forbidden", nt_schedule_field_details ("override_reason"),
             "Only an admin may override a rule");
      return FALSE;
    }
  return TRUE;
}

/* One member of a body into its column; an enum's text goes to @text. */
static gboolean
body_column (JsonObject       *o,
             const NtColumn   *col,
             gpointer          row,
             gboolean          creating,
             char            **text,
             NtScheduleFault **fault)
{
  gboolean required = creating && (col->flags & NT_COLUMN_REQUIRED);
  gboolean nullable = (col->flags & NT_COLUMN_NULLABLE) != 0;

  if ((col->flags & NT_COLUMN_KEY) && !creating)
    {
      /* A text key may be repeated on update, not changed */
      g_autofree char *key = NULL;

      if (!json_object_has_member (o, col->name))
        return TRUE;
      if (!nt_schedule_body_string (o, col->name, FALSE, FALSE, col->max_len, &key, fault))
        return FALSE;
      if (!g_str_equal (key, *FIELD (row, col, char *)))
        return nt_schedule_invalid (fault, col->name, "cannot be changed");
      return TRUE;
    }

  switch (col->type)
    {
    case NT_COLUMN_TEXT:
    case NT_COLUMN_STATION:
      return nt_schedule_body_string (o, col->name, required, nullable, col->max_len,
                                      FIELD (row, col, char *), fault);
    case NT_COLUMN_ENUM:
      return nt_schedule_body_string (o, col->name, required, FALSE, 64, text, fault);
    case NT_COLUMN_DATE:
    case NT_COLUMN_INSTANT:
      return body_time (o, col, required, row, fault);
    case NT_COLUMN_INT:
      return nt_schedule_body_int (o, col->name, required, nullable, FIELD (row, col, gint64), fault);
    case NT_COLUMN_BOOL:
      return body_bool (o, col->name, required, FIELD (row, col, gboolean), fault);
    case NT_COLUMN_ID:
    case NT_COLUMN_REVISION:
    case NT_COLUMN_SEQUENCE:
    case NT_COLUMN_UPDATED:
    default:
      return TRUE;
    }
}

gboolean
nt_schedule_row_apply_body (const NtRowTable *t,
                            NtRowChange      *c)
{
  char *texts[NT_COLUMN_MAX] = { NULL };
  JsonObject *o = c->body;
  gpointer row = c->row;
  gboolean creating = c->old == NULL;
  NtScheduleFault **fault = c->fault;
  gboolean ok = TRUE;

  g_return_val_if_fail (t->n_columns <= NT_COLUMN_MAX, FALSE);

  /* Every member's type first, then the enums' values, then the row */
  for (guint i = 0; ok && i < t->n_columns; i++)
    if (in_body (&t->columns[i]))
      ok = body_column (o, &t->columns[i], row, creating, &texts[i], fault);
  for (guint i = 0; ok && i < t->n_columns; i++)
    {
      const NtColumn *col = &t->columns[i];

      if (texts[i] != NULL && !col->codec->from_string (texts[i], FIELD (row, col, int)))
        ok = nt_schedule_invalid (fault, col->name, col->codec->choices);
    }
  for (guint i = 0; i < t->n_columns; i++)
    g_free (texts[i]);
  return ok && (t->validate == NULL || t->validate (c));
}
