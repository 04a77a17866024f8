/* nt-schedule-store.c: the scheduling plan of record in SQLite
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-schedule-store"

#include "config.h"

#include <string.h>

#include "nt-alloc-rules.h"
#include "nt-allocation.h"
#include "nt-run-plan.h"
#include "nt-schedule-store-private.h"

struct _NtScheduleStore
{
  GObject      parent_instance;

  NtDb        *db;
  NtCatalogue *catalogue;
  GHashTable  *stmts;          /* SQL text (static) -> sqlite3_stmt */
  gint64       revision;       /* committed */
  gint64       tx_revision;    /* inside the open write transaction */
  gboolean     in_tx;
  GPtrArray   *pending;        /* JsonNode feed messages, emitted after commit */
  gboolean     plan_dirty;     /* a period was written in this transaction */
  GArray      *plan;           /* NtPeriodSpan, sorted, as in the DB */
  NtTimeGrid   shift_grid;
  NtTimeGrid   hour_grid;
  GHashTable  *settings;       /* key -> value */
  GHashTable  *alloc_text;     /* id -> CachedText of committed allocations */
};

typedef struct
{
  gint64  id;
  gint64  revision;
  char   *text;
} CachedText;

static void
cached_text_free (gpointer data)
{
  CachedText *c = data;

  g_free (c->text);
  g_free (c);
}

G_DEFINE_FINAL_TYPE (NtScheduleStore, nt_schedule_store, G_TYPE_OBJECT)

enum {
  SIGNAL_CHANGED,
  SIGNAL_PLAN_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

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

/* Rows as C structs */

typedef struct
{
  gint64        id;
  NtPeriodKind  kind;
  gint64        start;
  gint64        end;
  char         *note;
  gint64        revision;
  gint64        sequence;
  gint64        updated;
} Period;

typedef struct
{
  gint64              id;
  char               *station;
  gint64              start;
  gint64              end;
  NtSlot              slot;
  char               *proposal;
  gint64              member;  /* 0 = none */
  NtAllocationStatus  status;
  char               *note;
  gint64              revision;
  gint64              sequence;
  gint64              updated;
} Alloc;

typedef struct
{
  gint64  id;
  char   *name;
  gint64  units;
  char   *contract_start;
  char   *contract_end;
  gint64  revision;
} Member;

typedef struct
{
  char    *id;
  char    *term;
  char    *title;
  char    *pi;
  char    *organisation;
  gboolean proprietary;
  gint64   shifts_requested;
  gint64   shifts_approved;
  gint64   revision;
} Proposal;

static void
period_clear (Period *p)
{
  g_clear_pointer (&p->note, g_free);
}

static void
alloc_clear (Alloc *a)
{
  g_clear_pointer (&a->station, g_free);
  g_clear_pointer (&a->proposal, g_free);
  g_clear_pointer (&a->note, g_free);
}

static void
member_clear (Member *m)
{
  g_clear_pointer (&m->name, g_free);
  g_clear_pointer (&m->contract_start, g_free);
  g_clear_pointer (&m->contract_end, g_free);
}

static void
proposal_clear (Proposal *p)
{
  g_clear_pointer (&p->id, g_free);
  g_clear_pointer (&p->term, g_free);
  g_clear_pointer (&p->title, g_free);
  g_clear_pointer (&p->pi, g_free);
  g_clear_pointer (&p->organisation, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Period, period_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Alloc, alloc_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Member, member_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Proposal, proposal_clear)

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

#define FAULT(f, status, code, details, ...) \
  G_STMT_START { \
    JsonNode *fault_details_ = (details); \
    if ((f) != NULL && *(f) == NULL) \
      *(f) = nt_schedule_fault_new ((status), (code), fault_details_, __VA_ARGS__); \
    else if (fault_details_ != NULL) \
      json_node_unref (fault_details_); \
  } G_STMT_END

static JsonNode *
field_details (const char *field)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *obj = json_object_new ();

  json_object_set_string_member (obj, "field", field);
  json_node_take_object (node, obj);
  return node;
}

static gboolean
invalid (NtScheduleFault **fault,
         const char       *field,
         const char       *what)
{
  FAULT (fault, 422, "invalid", field_details (field), "“%s” %s", field, what);
  return FALSE;
}

static gboolean
rule_fault (NtScheduleFault **fault,
            GError           *error,
            JsonNode         *details)
{
  const char *code = error->domain == NT_RULE_ERROR ? nt_rule_error_to_code (error->code) : "conflict";

  FAULT (fault, 409, code, details, "%s", error->message);
  return FALSE;
}

static gboolean
db_fault (NtScheduleStore  *self,
          NtScheduleFault **fault,
          const char       *what)
{
  sqlite3 *h = nt_db_get_handle (self->db);
  int rc = sqlite3_extended_errcode (h);

  if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
    FAULT (fault, 503, "busy", NULL, "%s: the store is busy, try again", what);
  else if ((rc & 0xff) == SQLITE_CONSTRAINT)
    FAULT (fault, 409, "constraint", NULL, "%s: %s", what, sqlite3_errmsg (h));
  else
    FAULT (fault, 500, "storage", NULL, "%s: %s", what, sqlite3_errmsg (h));
  return FALSE;
}

/* Statements */

static sqlite3_stmt *
stmt (NtScheduleStore *self,
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
      g_hash_table_insert (self->stmts, (gpointer) sql, s);
    }
  sqlite3_reset (s);
  sqlite3_clear_bindings (s);
  return s;
}

static void
bind_text (sqlite3_stmt *s,
           int           i,
           const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (s, i);
  else
    sqlite3_bind_text (s, i, text, -1, SQLITE_TRANSIENT);
}

static char *
col_text (sqlite3_stmt *s,
          int           i)
{
  const char *t = (const char *) sqlite3_column_text (s, i);

  return t != NULL ? g_strdup (t) : NULL;
}

static gint64
query_int (NtScheduleStore *self,
           sqlite3_stmt    *s)
{
  gint64 v = 0;

  if (sqlite3_step (s) == SQLITE_ROW)
    v = sqlite3_column_int64 (s, 0);
  sqlite3_reset (s);
  return v;
}

/* JSON of rows */

static char *
make_etag (NtResource  resource,
           const char *id,
           gint64      revision)
{
  static const char prefix[] = { 'p', 'a', 'm', 'P', 's' };

  return g_strdup_printf ("\"%c%s-r%" G_GINT64_FORMAT "\"", prefix[resource], id, revision);
}

static void
set_instant (JsonObject *o,
             const char *member,
             gint64      t)
{
  char buf[NT_TIME_ISO_LEN + 1];

  nt_time_format_iso_buf (t, buf);
  json_object_set_string_member (o, member, buf);
}

static void
set_meta (JsonObject *o,
          NtResource  resource,
          const char *id,
          gint64      revision)
{
  g_autofree char *etag = make_etag (resource, id, revision);

  json_object_set_string_member (o, "etag", etag);
  json_object_set_int_member (o, "revision", revision);
}

static JsonNode *
take_object (JsonObject *o)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, o);
  return node;
}

static JsonNode *
period_to_json (const Period *p)
{
  JsonObject *o = json_object_new ();
  char id[32];

  g_snprintf (id, sizeof id, "%" G_GINT64_FORMAT, p->id);
  json_object_set_int_member (o, "id", p->id);
  json_object_set_string_member (o, "kind", nt_period_kind_to_string (p->kind));
  set_instant (o, "start", p->start);
  set_instant (o, "end", p->end);
  json_object_set_string_member (o, "note", p->note != NULL ? p->note : "");
  set_meta (o, NT_RESOURCE_PERIOD, id, p->revision);
  return take_object (o);
}

static JsonNode *
alloc_to_json (NtScheduleStore *self,
               const Alloc     *a)
{
  JsonObject *o = json_object_new ();
  NtStation *station = nt_catalogue_lookup_station (self->catalogue, a->station);
  char id[32];

  g_snprintf (id, sizeof id, "%" G_GINT64_FORMAT, a->id);
  json_object_set_int_member (o, "id", a->id);
  json_object_set_string_member (o, "station", a->station);
  if (station != NULL)
    json_object_set_string_member (o, "beamline", nt_station_get_beamline_id (station));
  set_instant (o, "start", a->start);
  set_instant (o, "end", a->end);
  json_object_set_string_member (o, "slot", nt_slot_to_string (a->slot));
  if (a->proposal != NULL)
    json_object_set_string_member (o, "proposal", a->proposal);
  else
    json_object_set_null_member (o, "proposal");
  if (a->member != 0)
    json_object_set_int_member (o, "member", a->member);
  else
    json_object_set_null_member (o, "member");
  json_object_set_string_member (o, "status", nt_allocation_status_to_string (a->status));
  json_object_set_string_member (o, "note", a->note != NULL ? a->note : "");
  set_meta (o, NT_RESOURCE_ALLOCATION, id, a->revision);
  return take_object (o);
}

static JsonNode *
member_to_json (const Member *m)
{
  JsonObject *o = json_object_new ();
  char id[32];

  g_snprintf (id, sizeof id, "%" G_GINT64_FORMAT, m->id);
  json_object_set_int_member (o, "id", m->id);
  json_object_set_string_member (o, "name", m->name);
  json_object_set_int_member (o, "units", m->units);
  json_object_set_string_member (o, "contract_start", m->contract_start);
  json_object_set_string_member (o, "contract_end", m->contract_end);
  set_meta (o, NT_RESOURCE_MEMBER, id, m->revision);
  return take_object (o);
}

static JsonNode *
proposal_to_json (const Proposal *p)
{
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, "id", p->id);
  json_object_set_string_member (o, "term", p->term);
  json_object_set_string_member (o, "title", p->title);
  json_object_set_string_member (o, "pi", p->pi);
  json_object_set_string_member (o, "organisation", p->organisation);
  json_object_set_boolean_member (o, "proprietary", p->proprietary);
  json_object_set_int_member (o, "shifts_requested", p->shifts_requested);
  json_object_set_int_member (o, "shifts_approved", p->shifts_approved);
  set_meta (o, NT_RESOURCE_PROPOSAL, p->id, p->revision);
  return take_object (o);
}

/* Row readers: column order as in the SELECTs below */

#define PERIOD_COLS "id, kind, start, \"end\", note, revision, sequence, updated"
#define ALLOC_COLS "id, station, start, \"end\", slot, proposal, member, status, note, revision, sequence, updated"
#define MEMBER_COLS "id, name, units, contract_start, contract_end, revision"
#define PROPOSAL_COLS "id, term, title, pi, organisation, proprietary, shifts_requested, shifts_approved, revision"

static void
read_period (sqlite3_stmt *s,
             Period       *p)
{
  p->id = sqlite3_column_int64 (s, 0);
  nt_period_kind_from_string ((const char *) sqlite3_column_text (s, 1), &p->kind);
  p->start = sqlite3_column_int64 (s, 2);
  p->end = sqlite3_column_int64 (s, 3);
  p->note = col_text (s, 4);
  p->revision = sqlite3_column_int64 (s, 5);
  p->sequence = sqlite3_column_int64 (s, 6);
  p->updated = sqlite3_column_int64 (s, 7);
}

static void
read_alloc (sqlite3_stmt *s,
            Alloc        *a)
{
  a->id = sqlite3_column_int64 (s, 0);
  a->station = col_text (s, 1);
  a->start = sqlite3_column_int64 (s, 2);
  a->end = sqlite3_column_int64 (s, 3);
  nt_slot_from_string ((const char *) sqlite3_column_text (s, 4), &a->slot);
  a->proposal = col_text (s, 5);
  a->member = sqlite3_column_int64 (s, 6);
  nt_allocation_status_from_string ((const char *) sqlite3_column_text (s, 7), &a->status);
  a->note = col_text (s, 8);
  a->revision = sqlite3_column_int64 (s, 9);
  a->sequence = sqlite3_column_int64 (s, 10);
  a->updated = sqlite3_column_int64 (s, 11);
}

static void
read_member (sqlite3_stmt *s,
             Member       *m)
{
  m->id = sqlite3_column_int64 (s, 0);
  m->name = col_text (s, 1);
  m->units = sqlite3_column_int64 (s, 2);
  m->contract_start = col_text (s, 3);
  m->contract_end = col_text (s, 4);
  m->revision = sqlite3_column_int64 (s, 5);
}

static void
read_proposal (sqlite3_stmt *s,
               Proposal     *p)
{
  p->id = col_text (s, 0);
  p->term = col_text (s, 1);
  p->title = col_text (s, 2);
  p->pi = col_text (s, 3);
  p->organisation = col_text (s, 4);
  p->proprietary = sqlite3_column_int (s, 5) != 0;
  p->shifts_requested = sqlite3_column_int64 (s, 6);
  p->shifts_approved = sqlite3_column_int64 (s, 7);
  p->revision = sqlite3_column_int64 (s, 8);
}

static gboolean
parse_int_id (const char *id,
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

static gboolean
load_period (NtScheduleStore *self,
             gint64           id,
             Period          *p)
{
  sqlite3_stmt *s = stmt (self, "SELECT " PERIOD_COLS " FROM periods WHERE id = ?");
  gboolean found;

  sqlite3_bind_int64 (s, 1, id);
  found = sqlite3_step (s) == SQLITE_ROW;
  if (found)
    read_period (s, p);
  sqlite3_reset (s);
  return found;
}

static gboolean
load_alloc (NtScheduleStore *self,
            gint64           id,
            Alloc           *a)
{
  sqlite3_stmt *s = stmt (self, "SELECT " ALLOC_COLS " FROM allocations WHERE id = ?");
  gboolean found;

  sqlite3_bind_int64 (s, 1, id);
  found = sqlite3_step (s) == SQLITE_ROW;
  if (found)
    read_alloc (s, a);
  sqlite3_reset (s);
  return found;
}

static gboolean
load_member (NtScheduleStore *self,
             gint64           id,
             Member          *m)
{
  sqlite3_stmt *s = stmt (self, "SELECT " MEMBER_COLS " FROM members WHERE id = ?");
  gboolean found;

  sqlite3_bind_int64 (s, 1, id);
  found = sqlite3_step (s) == SQLITE_ROW;
  if (found)
    read_member (s, m);
  sqlite3_reset (s);
  return found;
}

static gboolean
load_proposal (NtScheduleStore *self,
               const char      *id,
               Proposal        *p)
{
  sqlite3_stmt *s = stmt (self, "SELECT " PROPOSAL_COLS " FROM proposals WHERE id = ?");
  gboolean found;

  bind_text (s, 1, id);
  found = sqlite3_step (s) == SQLITE_ROW;
  if (found)
    read_proposal (s, p);
  sqlite3_reset (s);
  return found;
}

/* Object of any resource by id, as JSON (NULL if none). */
static JsonNode *
load_json (NtScheduleStore *self,
           NtResource       resource,
           const char      *id)
{
  gint64 n = 0;

  if (resource != NT_RESOURCE_PROPOSAL && !parse_int_id (id, &n))
    return NULL;

  switch (resource)
    {
    case NT_RESOURCE_PERIOD:
      {
        g_auto(Period) p = { 0 };
        return load_period (self, n, &p) ? period_to_json (&p) : NULL;
      }
    case NT_RESOURCE_ALLOCATION:
      {
        g_auto(Alloc) a = { 0 };
        return load_alloc (self, n, &a) ? alloc_to_json (self, &a) : NULL;
      }
    case NT_RESOURCE_MEMBER:
      {
        g_auto(Member) m = { 0 };
        return load_member (self, n, &m) ? member_to_json (&m) : NULL;
      }
    case NT_RESOURCE_PROPOSAL:
      {
        g_auto(Proposal) p = { 0 };
        return load_proposal (self, id, &p) ? proposal_to_json (&p) : NULL;
      }
    default:
      g_return_val_if_reached (NULL);
    }
}

/* Settings and plan */

static void
load_settings (NtScheduleStore *self)
{
  sqlite3_stmt *s = stmt (self, "SELECT key, value FROM settings");
  const char *v;

  g_hash_table_remove_all (self->settings);
  while (sqlite3_step (s) == SQLITE_ROW)
    g_hash_table_insert (self->settings, col_text (s, 0), col_text (s, 1));
  sqlite3_reset (s);

  self->shift_grid = NT_TIME_GRID_SHIFT_DEFAULT;
  self->hour_grid = NT_TIME_GRID_HOUR;
  if ((v = g_hash_table_lookup (self->settings, "shift_grid")) != NULL &&
      !nt_time_grid_parse (v, &self->shift_grid))
    self->shift_grid = NT_TIME_GRID_SHIFT_DEFAULT;
  if ((v = g_hash_table_lookup (self->settings, "hour_grid")) != NULL &&
      !nt_time_grid_parse (v, &self->hour_grid))
    self->hour_grid = NT_TIME_GRID_HOUR;
}

static void
load_plan (NtScheduleStore *self)
{
  sqlite3_stmt *s = stmt (self, "SELECT kind, start, \"end\" FROM periods ORDER BY start, id");

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

/* Transactions, revisions, audit */

/* Another process (the token or seed command, a second daemon on the same
 * file) may have committed: pick up its revision, plan and settings. */
static void
sync_external (NtScheduleStore *self)
{
  gint64 rev;

  if (self->in_tx)
    return;
  rev = query_int (self, stmt (self, "SELECT value FROM meta WHERE key = 'revision'"));
  if (rev != self->revision)
    {
      self->revision = rev;
      load_settings (self);
      load_plan (self);
    }
}

static gboolean
tx_begin (NtScheduleStore  *self,
          NtScheduleFault **fault)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (!self->in_tx, FALSE);

  if (!nt_db_begin (self->db, &error))
    {
      FAULT (fault, 503, "busy", NULL, "Cannot start a write: %s", error->message);
      return FALSE;
    }
  self->tx_revision = query_int (self, stmt (self, "SELECT value FROM meta WHERE key = 'revision'"));
  if (self->tx_revision != self->revision)
    {
      /* Written by another process since we last looked */
      self->revision = self->tx_revision;
      load_settings (self);
      load_plan (self);
    }
  self->in_tx = TRUE;
  self->plan_dirty = FALSE;
  return TRUE;
}

static void
tx_rollback (NtScheduleStore *self)
{
  if (!self->in_tx)
    return;
  nt_db_rollback (self->db);
  self->in_tx = FALSE;
  g_ptr_array_set_size (self->pending, 0);
  if (self->plan_dirty)
    load_plan (self);
  self->plan_dirty = FALSE;
}

static gboolean
tx_commit (NtScheduleStore  *self,
           NtScheduleFault **fault)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  gboolean plan_changed;

  g_return_val_if_fail (self->in_tx, FALSE);

  if (!nt_db_commit (self->db, &error))
    {
      FAULT (fault, 503, "busy", NULL, "Cannot commit: %s", error->message);
      tx_rollback (self);
      return FALSE;
    }
  self->in_tx = FALSE;
  self->revision = self->tx_revision;
  plan_changed = self->plan_dirty;
  self->plan_dirty = FALSE;

  pending = g_steal_pointer (&self->pending);
  self->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  for (guint i = 0; i < pending->len; i++)
    g_signal_emit (self, signals[SIGNAL_CHANGED], 0, g_ptr_array_index (pending, i));
  if (plan_changed)
    g_signal_emit (self, signals[SIGNAL_PLAN_CHANGED], 0, self->plan);
  return TRUE;
}

static char *
node_to_string (JsonNode *node)
{
  return node != NULL ? json_to_string (node, FALSE) : NULL;
}

/* Takes the next revision, sets it on @after (if any) and writes the audit
 * row; queues the feed message. */
static gboolean
record_change (NtScheduleStore        *self,
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
  JsonObject *msg = json_object_new ();
  gint64 id_n;

  s = stmt (self, "INSERT INTO changes (revision, at, who, resource, action, object_id, before, after, reason) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  sqlite3_bind_int64 (s, 1, self->tx_revision);
  sqlite3_bind_int64 (s, 2, nt_db_now (self->db));
  bind_text (s, 3, actor->name);
  bind_text (s, 4, resource_names[resource]);
  bind_text (s, 5, action);
  bind_text (s, 6, id);
  bind_text (s, 7, before_s);
  bind_text (s, 8, after_s);
  bind_text (s, 9, reason);
  if (sqlite3_step (s) != SQLITE_DONE)
    {
      sqlite3_reset (s);
      json_object_unref (msg);
      return db_fault (self, fault, "Cannot write the audit log");
    }
  sqlite3_reset (s);

  s = stmt (self, "UPDATE meta SET value = ? WHERE key = 'revision'");
  sqlite3_bind_int64 (s, 1, self->tx_revision);
  if (sqlite3_step (s) != SQLITE_DONE)
    {
      sqlite3_reset (s);
      json_object_unref (msg);
      return db_fault (self, fault, "Cannot bump the revision");
    }
  sqlite3_reset (s);

  json_object_set_int_member (msg, "revision", self->tx_revision);
  json_object_set_string_member (msg, "resource", resource_names[resource]);
  json_object_set_string_member (msg, "action", action);
  if (resource != NT_RESOURCE_PROPOSAL && parse_int_id (id, &id_n))
    json_object_set_int_member (msg, "id", id_n);
  else
    json_object_set_string_member (msg, "id", id);
  if (after != NULL)
    json_object_set_member (msg, "object", json_node_copy (after));
  else
    json_object_set_null_member (msg, "object");
  g_ptr_array_add (self->pending, take_object (msg));
  return TRUE;
}

/* Body parsing: each helper leaves @dst alone if the member is absent
 * (and not @required), and fails with a 422 naming the member otherwise. */

static gboolean
body_has (JsonObject *o,
          const char *field)
{
  return json_object_has_member (o, field);
}

static gboolean
get_string (JsonObject       *o,
            const char       *field,
            gboolean          required,
            gboolean          nullable,
            gsize             max_len,
            char            **dst,
            NtScheduleFault **fault)
{
  JsonNode *node;
  const char *v;

  if (!body_has (o, field))
    return required ? invalid (fault, field, "is required") : TRUE;

  node = json_object_get_member (o, field);
  if (JSON_NODE_HOLDS_NULL (node))
    {
      if (!nullable)
        return invalid (fault, field, "must be a string, not null");
      g_clear_pointer (dst, g_free);
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return invalid (fault, field, "must be a string");
  v = json_node_get_string (node);
  if (strlen (v) > max_len)
    return invalid (fault, field, "is too long");
  g_free (*dst);
  *dst = g_strdup (v);
  return TRUE;
}

static gboolean
get_int (JsonObject       *o,
         const char       *field,
         gboolean          required,
         gint64           *dst,
         gboolean          nullable,
         NtScheduleFault **fault)
{
  JsonNode *node;

  if (!body_has (o, field))
    return required ? invalid (fault, field, "is required") : TRUE;

  node = json_object_get_member (o, field);
  if (JSON_NODE_HOLDS_NULL (node) && nullable)
    {
      *dst = 0;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return invalid (fault, field, "must be an integer");
  *dst = json_node_get_int (node);
  return TRUE;
}

static gboolean
get_bool (JsonObject       *o,
          const char       *field,
          gboolean          required,
          gboolean         *dst,
          NtScheduleFault **fault)
{
  JsonNode *node;

  if (!body_has (o, field))
    return required ? invalid (fault, field, "is required") : TRUE;

  node = json_object_get_member (o, field);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return invalid (fault, field, "must be true or false");
  *dst = json_node_get_boolean (node);
  return TRUE;
}

static gboolean
get_instant (JsonObject       *o,
             const char       *field,
             gboolean          required,
             gint64           *dst,
             NtScheduleFault **fault)
{
  g_autofree char *s = NULL;

  if (!body_has (o, field))
    return required ? invalid (fault, field, "is required") : TRUE;
  if (!get_string (o, field, TRUE, FALSE, 64, &s, fault))
    return FALSE;
  if (!nt_time_parse_iso (s, dst))
    return invalid (fault, field, "must be an instant YYYY-MM-DDTHH:MM:SSZ");
  return TRUE;
}

static gboolean
get_date (JsonObject       *o,
          const char       *field,
          gboolean          required,
          char            **dst,
          NtScheduleFault **fault)
{
  g_autofree char *s = NULL;
  GDate d;

  if (!body_has (o, field))
    return required ? invalid (fault, field, "is required") : TRUE;
  if (!get_string (o, field, TRUE, FALSE, 64, &s, fault))
    return FALSE;
  if (!nt_time_parse_date (s, &d))
    return invalid (fault, field, "must be a date YYYY-MM-DD");
  g_free (*dst);
  *dst = g_steal_pointer (&s);
  return TRUE;
}

static JsonObject *
body_object (JsonNode         *body,
             NtScheduleFault **fault)
{
  if (body == NULL || !JSON_NODE_HOLDS_OBJECT (body))
    {
      FAULT (fault, 400, "malformed", NULL, "The body must be a JSON object");
      return NULL;
    }
  return json_node_get_object (body);
}

static gboolean
get_override (JsonObject             *o,
              const NtScheduleActor  *actor,
              char                  **reason,
              NtScheduleFault       **fault)
{
  if (!get_string (o, "override_reason", FALSE, TRUE, 2000, reason, fault))
    return FALSE;
  if (*reason != NULL && **reason == '\0')
    return invalid (fault, "override_reason", "must not be empty");
  if (*reason != NULL && actor->role != NT_ROLE_ADMIN)
    {
      FAULT (fault, 403, "forbidden", field_details ("override_reason"),
             "Only an admin may override a rule");
      return FALSE;
    }
  return TRUE;
}

/* Rules that need the store */

static JsonNode *
ids_details (const char *key,
             GArray     *ids)
{
  JsonObject *o = json_object_new ();
  JsonArray *a = json_array_new ();

  for (guint i = 0; i < ids->len; i++)
    json_array_add_int_element (a, g_array_index (ids, gint64, i));
  json_object_set_array_member (o, key, a);
  return take_object (o);
}

static gboolean
check_member_quota (NtScheduleStore        *self,
                    const Member           *m,
                    gint64                  exclude_alloc,
                    const Alloc            *extra,
                    const char             *override_reason,
                    NtScheduleFault       **fault)
{
  sqlite3_stmt *s;
  g_autoptr(GHashTable) per_fy = g_hash_table_new_full (g_int_hash, g_int_equal, g_free, g_free);
  GHashTableIter iter;
  gpointer key, value;

  /* Per fiscal year: booked seconds of the member's active allocations. */
  s = stmt (self, "SELECT start, \"end\" FROM allocations "
                  "WHERE member = ? AND status != 'cancelled' AND id != ?");
  sqlite3_bind_int64 (s, 1, m->id);
  sqlite3_bind_int64 (s, 2, exclude_alloc);

  for (gboolean rows_done = FALSE;;)
    {
      gint64 start, end;

      if (!rows_done && sqlite3_step (s) == SQLITE_ROW)
        {
          start = sqlite3_column_int64 (s, 0);
          end = sqlite3_column_int64 (s, 1);
        }
      else if (extra != NULL)
        {
          rows_done = TRUE;
          start = extra->start;
          end = extra->end;
          extra = NULL;
          sqlite3_reset (s);
        }
      else
        {
          sqlite3_reset (s);
          break;
        }

      for (int fy = nt_time_fiscal_year_of (start); fy <= nt_time_fiscal_year_of (end - 1); fy++)
        {
          gint64 *sum = g_hash_table_lookup (per_fy, &fy);

          if (sum == NULL)
            {
              int *k = g_new (int, 1);

              *k = fy;
              sum = g_new0 (gint64, 1);
              g_hash_table_insert (per_fy, k, sum);
            }
          *sum += nt_rules_seconds_in_fiscal_year (start, end, fy);
        }
    }

  g_hash_table_iter_init (&iter, per_fy);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autoptr(GError) error = NULL;
      int fy = *(int *) key;
      gint64 booked = *(gint64 *) value;

      if (!nt_rules_check_quota (m->name, fy, booked, m->units, &error) && override_reason == NULL)
        {
          JsonObject *d = json_object_new ();

          json_object_set_int_member (d, "member", m->id);
          json_object_set_int_member (d, "fiscal_year", fy);
          json_object_set_int_member (d, "hours_booked", booked / 3600);
          json_object_set_int_member (d, "hours_allowed", m->units * NT_HOURS_PER_UNIT);
          return rule_fault (fault, error, take_object (d));
        }
    }
  return TRUE;
}

static gint64
proposal_other_seconds (NtScheduleStore *self,
                        const char      *proposal,
                        gint64           exclude_alloc)
{
  sqlite3_stmt *s = stmt (self, "SELECT COALESCE (SUM (\"end\" - start), 0) FROM allocations "
                                "WHERE proposal = ? AND status != 'cancelled' AND id != ?");

  bind_text (s, 1, proposal);
  sqlite3_bind_int64 (s, 2, exclude_alloc);
  return query_int (self, s);
}

static gboolean
check_alloc (NtScheduleStore        *self,
             const Alloc            *a,
             const char             *override_reason,
             NtScheduleFault       **fault)
{
  g_autoptr(GError) error = NULL;
  NtStation *station;
  NtBeamline *beamline;
  sqlite3_stmt *s;

  station = nt_catalogue_lookup_station (self->catalogue, a->station);
  if (station == NULL)
    return invalid (fault, "station", "names no station of the catalogue");
  beamline = nt_catalogue_lookup_beamline (self->catalogue, nt_station_get_beamline_id (station));

  if (a->end <= a->start)
    return invalid (fault, "end", "must be after “start”");
  if (a->note != NULL && strlen (a->note) > 4000)
    return invalid (fault, "note", "is too long");

  /* Who the time is for */
  switch (a->slot)
    {
    case NT_SLOT_PUBLIC:
      if (a->proposal == NULL)
        return invalid (fault, "proposal", "is required for a public slot");
      if (a->member != 0)
        return invalid (fault, "member", "must be null for a public slot");
      break;
    case NT_SLOT_COALITION:
      if (a->member == 0)
        return invalid (fault, "member", "is required for a coalition slot");
      if (a->proposal != NULL)
        return invalid (fault, "proposal", "must be null for a coalition slot");
      break;
    case NT_SLOT_STAFF:
    case NT_SLOT_COMMISSIONING:
    default:
      if (a->proposal != NULL)
        return invalid (fault, "proposal", "must be null for staff and commissioning slots");
      if (a->member != 0)
        return invalid (fault, "member", "must be null for staff and commissioning slots");
      break;
    }

  if (!nt_rules_check_station_slot (a->slot, nt_beamline_get_program (beamline),
                                    nt_station_get_kind (station), &error))
    return rule_fault (fault, error, field_details ("station"));

  if (!nt_rules_check_grid (a->slot, a->start, a->end, &self->shift_grid, &self->hour_grid, &error))
    {
      g_autofree char *grid = nt_time_grid_to_string (a->slot == NT_SLOT_PUBLIC ?
                                                      &self->shift_grid : &self->hour_grid);
      JsonObject *d = json_object_new ();

      json_object_set_string_member (d, "grid", grid);
      return rule_fault (fault, error, take_object (d));
    }

  /* A cancelled allocation holds no time: the rest does not apply. */
  if (a->status == NT_ALLOCATION_CANCELLED)
    return TRUE;

  /* Overlap on the station */
  s = stmt (self, "SELECT id FROM allocations WHERE station = ? AND status != 'cancelled' "
                  "AND start < ? AND \"end\" > ? AND id != ? ORDER BY start");
  bind_text (s, 1, a->station);
  sqlite3_bind_int64 (s, 2, a->end);
  sqlite3_bind_int64 (s, 3, a->start);
  sqlite3_bind_int64 (s, 4, a->id);
  {
    g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

    while (sqlite3_step (s) == SQLITE_ROW)
      {
        gint64 id = sqlite3_column_int64 (s, 0);
        g_array_append_val (ids, id);
      }
    sqlite3_reset (s);
    if (ids->len > 0)
      {
        FAULT (fault, 409, nt_rule_error_to_code (NT_RULE_ERROR_OVERLAP), ids_details ("allocations", ids),
               "The station %s is already booked at that time", a->station);
        return FALSE;
      }
  }

  if (!nt_rules_check_in_operation (self->plan, a->slot, a->start, a->end, &error))
    return rule_fault (fault, error, NULL);

  if (a->slot == NT_SLOT_PUBLIC)
    {
      g_auto(Proposal) p = { 0 };
      gint64 shift_s = (gint64) self->shift_grid.length_minutes * 60;
      gint64 other;

      if (!load_proposal (self, a->proposal, &p))
        return invalid (fault, "proposal", "names no proposal");
      other = proposal_other_seconds (self, a->proposal, a->id) / shift_s;
      if (!nt_rules_check_proposal_shifts (p.id, other, (a->end - a->start) / shift_s,
                                           p.shifts_approved, &error))
        {
          JsonObject *d = json_object_new ();

          json_object_set_string_member (d, "proposal", p.id);
          json_object_set_int_member (d, "shifts_approved", p.shifts_approved);
          json_object_set_int_member (d, "shifts_allocated", other);
          json_object_set_int_member (d, "shifts_requested_here", (a->end - a->start) / shift_s);
          return rule_fault (fault, error, take_object (d));
        }
    }
  else if (a->slot == NT_SLOT_COALITION)
    {
      g_auto(Member) m = { 0 };
      GDate c0, c1;

      if (!load_member (self, a->member, &m))
        return invalid (fault, "member", "names no coalition member");
      nt_time_parse_date (m.contract_start, &c0);
      nt_time_parse_date (m.contract_end, &c1);
      if (!nt_rules_check_contract (m.name, &c0, &c1, a->start, a->end, &error))
        return rule_fault (fault, error, NULL);
      if (!check_member_quota (self, &m, a->id, a, override_reason, fault))
        return FALSE;
    }

  return TRUE;
}

/* Writes of each resource, inside an open transaction */

static gboolean
write_alloc (NtScheduleStore  *self,
             Alloc            *a,
             gboolean          insert,
             NtScheduleFault **fault)
{
  sqlite3_stmt *s;

  a->updated = nt_db_now (self->db);
  if (insert)
    s = stmt (self, "INSERT INTO allocations (station, start, \"end\", slot, proposal, member, status, note, "
                    "revision, sequence, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  else
    s = stmt (self, "UPDATE allocations SET station = ?, start = ?, \"end\" = ?, slot = ?, proposal = ?, "
                    "member = ?, status = ?, note = ?, revision = ?, sequence = ?, updated = ? WHERE id = ?");
  bind_text (s, 1, a->station);
  sqlite3_bind_int64 (s, 2, a->start);
  sqlite3_bind_int64 (s, 3, a->end);
  bind_text (s, 4, nt_slot_to_string (a->slot));
  bind_text (s, 5, a->proposal);
  if (a->member != 0)
    sqlite3_bind_int64 (s, 6, a->member);
  else
    sqlite3_bind_null (s, 6);
  bind_text (s, 7, nt_allocation_status_to_string (a->status));
  bind_text (s, 8, a->note != NULL ? a->note : "");
  sqlite3_bind_int64 (s, 9, a->revision);
  sqlite3_bind_int64 (s, 10, a->sequence);
  sqlite3_bind_int64 (s, 11, a->updated);
  if (!insert)
    sqlite3_bind_int64 (s, 12, a->id);
  if (sqlite3_step (s) != SQLITE_DONE)
    {
      sqlite3_reset (s);
      return db_fault (self, fault, "Cannot write the allocation");
    }
  sqlite3_reset (s);
  if (insert)
    a->id = sqlite3_last_insert_rowid (nt_db_get_handle (self->db));
  return TRUE;
}

static gboolean
apply_alloc_body (JsonObject       *o,
                  Alloc            *a,
                  gboolean          creating,
                  NtScheduleFault **fault)
{
  g_autofree char *slot = NULL;
  g_autofree char *status = NULL;

  if (!get_string (o, "station", creating, FALSE, 64, &a->station, fault) ||
      !get_instant (o, "start", creating, &a->start, fault) ||
      !get_instant (o, "end", creating, &a->end, fault) ||
      !get_string (o, "slot", creating, FALSE, 64, &slot, fault) ||
      !get_string (o, "proposal", FALSE, TRUE, 64, &a->proposal, fault) ||
      !get_int (o, "member", FALSE, &a->member, TRUE, fault) ||
      !get_string (o, "status", FALSE, FALSE, 64, &status, fault) ||
      !get_string (o, "note", FALSE, FALSE, 4000, &a->note, fault))
    return FALSE;
  if (slot != NULL && !nt_slot_from_string (slot, &a->slot))
    return invalid (fault, "slot", "must be one of public, coalition, staff, commissioning");
  if (status != NULL && !nt_allocation_status_from_string (status, &a->status))
    return invalid (fault, "status", "must be one of draft, confirmed, cancelled");
  if (body_has (o, "member") && a->member < 0)
    return invalid (fault, "member", "must be a member id");
  return TRUE;
}

/* Period rules: no two periods overlap; no confirmed allocation is left
 * outside the time where its slot may run. */
static gboolean
check_plan_change (NtScheduleStore  *self,
                   const Period     *old,
                   const Period     *new,
                   NtScheduleFault **fault)
{
  g_autoptr(GArray) plan = g_array_new (FALSE, FALSE, sizeof (NtPeriodSpan));
  g_autoptr(GArray) stranded = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *s;
  gint64 lo, hi;
  gboolean removed = FALSE;

  /* The plan after the change */
  for (guint i = 0; i < self->plan->len; i++)
    {
      NtPeriodSpan span = g_array_index (self->plan, NtPeriodSpan, i);

      if (old != NULL && !removed && span.start == old->start && span.end == old->end &&
          span.kind == old->kind)
        {
          removed = TRUE;
          continue;
        }
      g_array_append_val (plan, span);
    }
  if (new != NULL)
    {
      NtPeriodSpan span = { new->start, new->end, new->kind };
      guint at = 0;

      while (at < plan->len && g_array_index (plan, NtPeriodSpan, at).start <= span.start)
        at++;
      if ((at > 0 && g_array_index (plan, NtPeriodSpan, at - 1).end > span.start) ||
          (at < plan->len && g_array_index (plan, NtPeriodSpan, at).start < span.end))
        {
          s = stmt (self, "SELECT id FROM periods WHERE start < ? AND \"end\" > ? AND id != ?");
          sqlite3_bind_int64 (s, 1, span.end);
          sqlite3_bind_int64 (s, 2, span.start);
          sqlite3_bind_int64 (s, 3, new->id);
          while (sqlite3_step (s) == SQLITE_ROW)
            {
              gint64 id = sqlite3_column_int64 (s, 0);
              g_array_append_val (stranded, id);
            }
          sqlite3_reset (s);
          FAULT (fault, 409, nt_rule_error_to_code (NT_RULE_ERROR_PERIOD_OVERLAP),
                 ids_details ("periods", stranded), "The period overlaps another period of the run plan");
          return FALSE;
        }
      g_array_insert_val (plan, at, span);
    }

  /* Confirmed allocations in the time that changed */
  lo = G_MAXINT64;
  hi = G_MININT64;
  if (old != NULL)
    {
      lo = MIN (lo, old->start);
      hi = MAX (hi, old->end);
    }
  if (new != NULL)
    {
      lo = MIN (lo, new->start);
      hi = MAX (hi, new->end);
    }

  s = stmt (self, "SELECT id, slot, start, \"end\" FROM allocations WHERE status = 'confirmed' "
                  "AND start < ? AND \"end\" > ? ORDER BY start");
  sqlite3_bind_int64 (s, 1, hi);
  sqlite3_bind_int64 (s, 2, lo);
  while (sqlite3_step (s) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (s, 0);
      NtSlot slot = NT_SLOT_STAFF;

      nt_slot_from_string ((const char *) sqlite3_column_text (s, 1), &slot);
      if (!nt_rules_slot_fits_plan (plan, slot, sqlite3_column_int64 (s, 2), sqlite3_column_int64 (s, 3)))
        g_array_append_val (stranded, id);
    }
  sqlite3_reset (s);

  if (stranded->len > 0)
    {
      FAULT (fault, 409, nt_rule_error_to_code (NT_RULE_ERROR_STRANDED),
             ids_details ("allocations", stranded),
             "The change would leave %u confirmed allocations outside user operation", stranded->len);
      return FALSE;
    }

  g_array_set_size (self->plan, 0);
  g_array_append_vals (self->plan, plan->data, plan->len);
  self->plan_dirty = TRUE;
  return TRUE;
}

static gboolean
write_period (NtScheduleStore  *self,
              Period           *p,
              gboolean          insert,
              NtScheduleFault **fault)
{
  sqlite3_stmt *s;

  p->updated = nt_db_now (self->db);
  if (insert)
    s = stmt (self, "INSERT INTO periods (kind, start, \"end\", note, revision, sequence, updated) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)");
  else
    s = stmt (self, "UPDATE periods SET kind = ?, start = ?, \"end\" = ?, note = ?, revision = ?, "
                    "sequence = ?, updated = ? WHERE id = ?");
  bind_text (s, 1, nt_period_kind_to_string (p->kind));
  sqlite3_bind_int64 (s, 2, p->start);
  sqlite3_bind_int64 (s, 3, p->end);
  bind_text (s, 4, p->note != NULL ? p->note : "");
  sqlite3_bind_int64 (s, 5, p->revision);
  sqlite3_bind_int64 (s, 6, p->sequence);
  sqlite3_bind_int64 (s, 7, p->updated);
  if (!insert)
    sqlite3_bind_int64 (s, 8, p->id);
  if (sqlite3_step (s) != SQLITE_DONE)
    {
      sqlite3_reset (s);
      return db_fault (self, fault, "Cannot write the period");
    }
  sqlite3_reset (s);
  if (insert)
    p->id = sqlite3_last_insert_rowid (nt_db_get_handle (self->db));
  return TRUE;
}

static gboolean
apply_period_body (JsonObject       *o,
                   Period           *p,
                   gboolean          creating,
                   NtScheduleFault **fault)
{
  g_autofree char *kind = NULL;

  if (!get_string (o, "kind", creating, FALSE, 64, &kind, fault) ||
      !get_instant (o, "start", creating, &p->start, fault) ||
      !get_instant (o, "end", creating, &p->end, fault) ||
      !get_string (o, "note", FALSE, FALSE, 4000, &p->note, fault))
    return FALSE;
  if (kind != NULL && !nt_period_kind_from_string (kind, &p->kind))
    return invalid (fault, "kind", "must be one of user_operation, machine_study, commissioning, "
                                   "maintenance, inspection, shutdown");
  if (p->end <= p->start)
    return invalid (fault, "end", "must be after “start”");
  return TRUE;
}

static gboolean
write_member (NtScheduleStore  *self,
              Member           *m,
              gboolean          insert,
              NtScheduleFault **fault)
{
  sqlite3_stmt *s;

  if (insert)
    s = stmt (self, "INSERT INTO members (name, units, contract_start, contract_end, revision) "
                    "VALUES (?, ?, ?, ?, ?)");
  else
    s = stmt (self, "UPDATE members SET name = ?, units = ?, contract_start = ?, contract_end = ?, "
                    "revision = ? WHERE id = ?");
  bind_text (s, 1, m->name);
  sqlite3_bind_int64 (s, 2, m->units);
  bind_text (s, 3, m->contract_start);
  bind_text (s, 4, m->contract_end);
  sqlite3_bind_int64 (s, 5, m->revision);
  if (!insert)
    sqlite3_bind_int64 (s, 6, m->id);
  if (sqlite3_step (s) != SQLITE_DONE)
    {
      int rc = sqlite3_extended_errcode (nt_db_get_handle (self->db));

      sqlite3_reset (s);
      if (rc == SQLITE_CONSTRAINT_UNIQUE)
        {
          FAULT (fault, 409, "duplicate", field_details ("name"), "A member named “%s” exists", m->name);
          return FALSE;
        }
      return db_fault (self, fault, "Cannot write the member");
    }
  sqlite3_reset (s);
  if (insert)
    m->id = sqlite3_last_insert_rowid (nt_db_get_handle (self->db));
  return TRUE;
}

static gboolean
apply_member_body (JsonObject       *o,
                   Member           *m,
                   gboolean          creating,
                   NtScheduleFault **fault)
{
  if (!get_string (o, "name", creating, FALSE, 200, &m->name, fault) ||
      !get_int (o, "units", creating, &m->units, FALSE, fault) ||
      !get_date (o, "contract_start", creating, &m->contract_start, fault) ||
      !get_date (o, "contract_end", creating, &m->contract_end, fault))
    return FALSE;
  if (m->name == NULL || *m->name == '\0')
    return invalid (fault, "name", "must not be empty");
  if (m->units < 1 || m->units > 1000)
    return invalid (fault, "units", "must be from 1 to 1000");
  if (strcmp (m->contract_end, m->contract_start) < 0)
    return invalid (fault, "contract_end", "must not be before “contract_start”");
  return TRUE;
}

static gboolean
check_member_change (NtScheduleStore        *self,
                     const Member           *m,
                     const char             *override_reason,
                     NtScheduleFault       **fault)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *s;
  gint64 first = 0, last = 0;
  gboolean any;
  GDate c0, c1;

  s = stmt (self, "SELECT MIN (start), MAX (\"end\"), COUNT (*) FROM allocations "
                  "WHERE member = ? AND status != 'cancelled'");
  sqlite3_bind_int64 (s, 1, m->id);
  sqlite3_step (s);
  first = sqlite3_column_int64 (s, 0);
  last = sqlite3_column_int64 (s, 1);
  any = sqlite3_column_int64 (s, 2) > 0;
  sqlite3_reset (s);
  if (!any)
    return TRUE;

  nt_time_parse_date (m->contract_start, &c0);
  nt_time_parse_date (m->contract_end, &c1);
  if (!nt_rules_check_contract (m->name, &c0, &c1, first, last, &error))
    return rule_fault (fault, error, NULL);
  return check_member_quota (self, m, 0, NULL, override_reason, fault);
}

static gboolean
write_proposal (NtScheduleStore  *self,
                Proposal         *p,
                gboolean          insert,
                NtScheduleFault **fault)
{
  sqlite3_stmt *s;

  if (insert)
    s = stmt (self, "INSERT INTO proposals (term, title, pi, organisation, proprietary, shifts_requested, "
                    "shifts_approved, revision, id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  else
    s = stmt (self, "UPDATE proposals SET term = ?, title = ?, pi = ?, organisation = ?, proprietary = ?, "
                    "shifts_requested = ?, shifts_approved = ?, revision = ? WHERE id = ?");
  bind_text (s, 1, p->term);
  bind_text (s, 2, p->title);
  bind_text (s, 3, p->pi);
  bind_text (s, 4, p->organisation);
  sqlite3_bind_int (s, 5, p->proprietary ? 1 : 0);
  sqlite3_bind_int64 (s, 6, p->shifts_requested);
  sqlite3_bind_int64 (s, 7, p->shifts_approved);
  sqlite3_bind_int64 (s, 8, p->revision);
  bind_text (s, 9, p->id);
  if (sqlite3_step (s) != SQLITE_DONE)
    {
      int rc = sqlite3_extended_errcode (nt_db_get_handle (self->db));

      sqlite3_reset (s);
      if (rc == SQLITE_CONSTRAINT_PRIMARYKEY || rc == SQLITE_CONSTRAINT_UNIQUE)
        {
          FAULT (fault, 409, "duplicate", field_details ("id"), "A proposal %s exists", p->id);
          return FALSE;
        }
      return db_fault (self, fault, "Cannot write the proposal");
    }
  sqlite3_reset (s);
  return TRUE;
}

static gboolean
valid_proposal_id (const char *id)
{
  int fy;

  /* "2026A0012": the term, then four digits */
  if (id == NULL || strlen (id) != 9 || !nt_time_parse_term ((char[6]) { id[0], id[1], id[2], id[3], id[4], 0 },
                                                             &fy, NULL))
    return FALSE;
  for (int i = 5; i < 9; i++)
    if (!g_ascii_isdigit (id[i]))
      return FALSE;
  return TRUE;
}

static gboolean
apply_proposal_body (JsonObject       *o,
                     Proposal         *p,
                     gboolean          creating,
                     NtScheduleFault **fault)
{
  g_autoptr(GError) error = NULL;

  if ((creating && !get_string (o, "id", TRUE, FALSE, 64, &p->id, fault)) ||
      !get_string (o, "term", FALSE, FALSE, 16, &p->term, fault) ||
      !get_string (o, "title", creating, FALSE, 1000, &p->title, fault) ||
      !get_string (o, "pi", creating, FALSE, 200, &p->pi, fault) ||
      !get_string (o, "organisation", creating, FALSE, 200, &p->organisation, fault) ||
      !get_bool (o, "proprietary", FALSE, &p->proprietary, fault) ||
      !get_int (o, "shifts_requested", creating, &p->shifts_requested, FALSE, fault) ||
      !get_int (o, "shifts_approved", FALSE, &p->shifts_approved, FALSE, fault))
    return FALSE;

  if (!valid_proposal_id (p->id))
    return invalid (fault, "id", "must be a term and four digits, like 2026A0012");
  if (p->term == NULL)
    p->term = g_strndup (p->id, 5);
  else if (strncmp (p->term, p->id, 5) != 0 || strlen (p->term) != 5)
    return invalid (fault, "term", "must be the term the proposal id begins with");
  if (*p->title == '\0')
    return invalid (fault, "title", "must not be empty");
  if (*p->pi == '\0')
    return invalid (fault, "pi", "must not be empty");
  if (p->shifts_requested < 0 || p->shifts_requested > 10000)
    return invalid (fault, "shifts_requested", "must be from 0 to 10000");
  if (p->shifts_approved < 0 || p->shifts_approved > 10000)
    return invalid (fault, "shifts_approved", "must be from 0 to 10000");
  if (p->shifts_approved > 0 && !nt_rules_check_shift_count (p->shifts_approved, &error))
    return rule_fault (fault, error, field_details ("shifts_approved"));
  return TRUE;
}

/* Generic create / update / delete inside a transaction */

static JsonNode *
create_in_tx (NtScheduleStore        *self,
              NtResource              resource,
              JsonObject             *o,
              const NtScheduleActor  *actor,
              NtScheduleFault       **fault)
{
  g_autoptr(JsonNode) after = NULL;
  g_autofree char *reason = NULL;
  char id[32];

  self->tx_revision++;

  switch (resource)
    {
    case NT_RESOURCE_PERIOD:
      {
        g_auto(Period) p = { 0 };

        p.revision = self->tx_revision;
        if (!apply_period_body (o, &p, TRUE, fault) ||
            !check_plan_change (self, NULL, &p, fault) ||
            !write_period (self, &p, TRUE, fault))
          return NULL;
        g_snprintf (id, sizeof id, "%" G_GINT64_FORMAT, p.id);
        after = period_to_json (&p);
      }
      break;

    case NT_RESOURCE_ALLOCATION:
      {
        g_auto(Alloc) a = { 0 };

        a.status = NT_ALLOCATION_DRAFT;
        a.revision = self->tx_revision;
        if (!apply_alloc_body (o, &a, TRUE, fault) ||
            !get_override (o, actor, &reason, fault) ||
            !check_alloc (self, &a, reason, fault) ||
            !write_alloc (self, &a, TRUE, fault))
          return NULL;
        g_snprintf (id, sizeof id, "%" G_GINT64_FORMAT, a.id);
        after = alloc_to_json (self, &a);
      }
      break;

    case NT_RESOURCE_MEMBER:
      {
        g_auto(Member) m = { 0 };

        m.revision = self->tx_revision;
        if (!apply_member_body (o, &m, TRUE, fault) ||
            !write_member (self, &m, TRUE, fault))
          return NULL;
        g_snprintf (id, sizeof id, "%" G_GINT64_FORMAT, m.id);
        after = member_to_json (&m);
      }
      break;

    case NT_RESOURCE_PROPOSAL:
      {
        g_auto(Proposal) p = { 0 };

        p.revision = self->tx_revision;
        if (!apply_proposal_body (o, &p, TRUE, fault) ||
            !write_proposal (self, &p, TRUE, fault))
          return NULL;
        g_strlcpy (id, p.id, sizeof id);
        after = proposal_to_json (&p);
      }
      break;

    default:
      g_return_val_if_reached (NULL);
    }

  if (!record_change (self, resource, "created", id, NULL, after, actor, reason, fault))
    return NULL;
  return g_steal_pointer (&after);
}

static gboolean
etag_matches (JsonNode   *current,
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

static JsonNode *
current_details (JsonNode *current)
{
  JsonObject *d = json_object_new ();

  json_object_set_member (d, "current", json_node_copy (current));
  return take_object (d);
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

  if (current == NULL)
    {
      FAULT (fault, 404, "not_found", NULL, "No %s %s", resource_names[resource], id);
      return FALSE;
    }
  if (if_match == NULL)
    {
      FAULT (fault, 428, "precondition_required", NULL,
             "Send If-Match with the ETag of the %s you edited", resource_names[resource]);
      return FALSE;
    }
  if (!etag_matches (current, if_match))
    {
      FAULT (fault, 412, "precondition_failed", current_details (current),
             "The %s was changed by someone else; here is its current version", resource_names[resource]);
      return FALSE;
    }
  *current_out = g_steal_pointer (&current);
  return TRUE;
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
  g_autoptr(JsonNode) before = NULL;
  g_autoptr(JsonNode) after = NULL;
  g_autofree char *reason = NULL;
  gint64 n = 0;

  if (!precondition (self, resource, id, if_match, &before, fault))
    return NULL;
  parse_int_id (id, &n);
  self->tx_revision++;

  switch (resource)
    {
    case NT_RESOURCE_PERIOD:
      {
        g_auto(Period) old = { 0 };
        g_auto(Period) p = { 0 };

        load_period (self, n, &old);
        load_period (self, n, &p);
        p.revision = self->tx_revision;
        p.sequence++;
        if (!apply_period_body (o, &p, FALSE, fault) ||
            !check_plan_change (self, &old, &p, fault) ||
            !write_period (self, &p, FALSE, fault))
          return NULL;
        after = period_to_json (&p);
      }
      break;

    case NT_RESOURCE_ALLOCATION:
      {
        g_auto(Alloc) a = { 0 };

        load_alloc (self, n, &a);
        a.revision = self->tx_revision;
        a.sequence++;
        if (!apply_alloc_body (o, &a, FALSE, fault) ||
            !get_override (o, actor, &reason, fault) ||
            !check_alloc (self, &a, reason, fault) ||
            !write_alloc (self, &a, FALSE, fault))
          return NULL;
        after = alloc_to_json (self, &a);
      }
      break;

    case NT_RESOURCE_MEMBER:
      {
        g_auto(Member) m = { 0 };

        load_member (self, n, &m);
        m.revision = self->tx_revision;
        if (!apply_member_body (o, &m, FALSE, fault) ||
            !get_override (o, actor, &reason, fault) ||
            !check_member_change (self, &m, reason, fault) ||
            !write_member (self, &m, FALSE, fault))
          return NULL;
        after = member_to_json (&m);
      }
      break;

    case NT_RESOURCE_PROPOSAL:
      {
        g_auto(Proposal) p = { 0 };
        g_autoptr(GError) error = NULL;
        gint64 shift_s = (gint64) self->shift_grid.length_minutes * 60;

        load_proposal (self, id, &p);
        p.revision = self->tx_revision;
        if (body_has (o, "id"))
          {
            g_autofree char *new_id = NULL;

            if (!get_string (o, "id", FALSE, FALSE, 64, &new_id, fault))
              return NULL;
            if (!g_str_equal (new_id, p.id))
              {
                invalid (fault, "id", "cannot be changed");
                return NULL;
              }
          }
        if (!apply_proposal_body (o, &p, FALSE, fault))
          return NULL;
        if (!nt_rules_check_proposal_shifts (p.id, proposal_other_seconds (self, p.id, 0) / shift_s, 0,
                                             p.shifts_approved, &error))
          {
            rule_fault (fault, error, field_details ("shifts_approved"));
            return NULL;
          }
        if (!write_proposal (self, &p, FALSE, fault))
          return NULL;
        after = proposal_to_json (&p);
      }
      break;

    default:
      g_return_val_if_reached (NULL);
    }

  if (!record_change (self, resource, "updated", id, before, after, actor, reason, fault))
    return NULL;
  return g_steal_pointer (&after);
}

static gboolean
delete_in_tx (NtScheduleStore        *self,
              NtResource              resource,
              const char             *id,
              const char             *if_match,
              const NtScheduleActor  *actor,
              NtScheduleFault       **fault)
{
  g_autoptr(JsonNode) before = NULL;
  sqlite3_stmt *s = NULL;
  gint64 n = 0;

  if (!precondition (self, resource, id, if_match, &before, fault))
    return FALSE;
  parse_int_id (id, &n);
  self->tx_revision++;

  switch (resource)
    {
    case NT_RESOURCE_PERIOD:
      {
        g_auto(Period) old = { 0 };

        load_period (self, n, &old);
        if (!check_plan_change (self, &old, NULL, fault))
          return FALSE;
        s = stmt (self, "DELETE FROM periods WHERE id = ?");
        sqlite3_bind_int64 (s, 1, n);
      }
      break;

    case NT_RESOURCE_ALLOCATION:
      g_hash_table_remove (self->alloc_text, &n);
      s = stmt (self, "DELETE FROM allocations WHERE id = ?");
      sqlite3_bind_int64 (s, 1, n);
      break;

    case NT_RESOURCE_MEMBER:
    case NT_RESOURCE_PROPOSAL:
      {
        gint64 uses;

        if (resource == NT_RESOURCE_MEMBER)
          {
            s = stmt (self, "SELECT COUNT (*) FROM allocations WHERE member = ?");
            sqlite3_bind_int64 (s, 1, n);
          }
        else
          {
            s = stmt (self, "SELECT COUNT (*) FROM allocations WHERE proposal = ?");
            bind_text (s, 1, id);
          }
        uses = query_int (self, s);
        if (uses > 0)
          {
            FAULT (fault, 409, nt_rule_error_to_code (NT_RULE_ERROR_IN_USE), NULL,
                   "The %s has %" G_GINT64_FORMAT " allocations; delete or move them first",
                   resource_names[resource], uses);
            return FALSE;
          }
        if (resource == NT_RESOURCE_MEMBER)
          {
            s = stmt (self, "DELETE FROM members WHERE id = ?");
            sqlite3_bind_int64 (s, 1, n);
          }
        else
          {
            s = stmt (self, "DELETE FROM proposals WHERE id = ?");
            bind_text (s, 1, id);
          }
      }
      break;

    default:
      g_return_val_if_reached (FALSE);
    }

  if (sqlite3_step (s) != SQLITE_DONE)
    {
      sqlite3_reset (s);
      return db_fault (self, fault, "Cannot delete");
    }
  sqlite3_reset (s);

  return record_change (self, resource, "deleted", id, before, NULL, actor, NULL, fault);
}

/* Settings */

static JsonNode *
settings_to_json (NtScheduleStore *self)
{
  JsonObject *o = json_object_new ();
  JsonObject *share = json_object_new ();
  GListModel *bls = nt_catalogue_get_beamlines (self->catalogue);
  g_autofree char *shift = nt_time_grid_to_string (&self->shift_grid);
  g_autofree char *hour = nt_time_grid_to_string (&self->hour_grid);
  const char *rev_s = g_hash_table_lookup (self->settings, "revision");
  gint64 rev = rev_s != NULL ? g_ascii_strtoll (rev_s, NULL, 10) : 0;

  json_object_set_string_member (o, "shift_grid", shift);
  json_object_set_string_member (o, "hour_grid", hour);
  json_object_set_int_member (o, "coalition_rate_jpy", nt_schedule_store_get_hourly_rate (self));
  for (guint i = 0; i < g_list_model_get_n_items (bls); i++)
    {
      g_autoptr(NtBeamline) bl = g_list_model_get_item (bls, i);

      if (nt_beamline_get_program (bl) == NT_PROGRAM_COALITION)
        json_object_set_double_member (share, nt_beamline_get_id (bl),
                                       nt_schedule_store_get_public_share_target (self, nt_beamline_get_id (bl)));
    }
  json_object_set_object_member (o, "public_share", share);
  set_meta (o, NT_RESOURCE_SETTINGS, "", rev);
  return take_object (o);
}

static gboolean
put_setting (NtScheduleStore  *self,
             const char       *key,
             const char       *value,
             NtScheduleFault **fault)
{
  sqlite3_stmt *s = stmt (self, "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)");

  bind_text (s, 1, key);
  bind_text (s, 2, value);
  if (sqlite3_step (s) != SQLITE_DONE)
    {
      sqlite3_reset (s);
      return db_fault (self, fault, "Cannot store the setting");
    }
  sqlite3_reset (s);
  return TRUE;
}

/* Active allocations off the grids (after a change of them). */
static gboolean
check_grids (NtScheduleStore  *self,
             NtScheduleFault **fault)
{
  g_autoptr(GArray) off = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *s = stmt (self, "SELECT id, slot, start, \"end\" FROM allocations WHERE status != 'cancelled'");

  while (sqlite3_step (s) == SQLITE_ROW)
    {
      NtSlot slot = NT_SLOT_STAFF;
      gint64 id = sqlite3_column_int64 (s, 0);

      nt_slot_from_string ((const char *) sqlite3_column_text (s, 1), &slot);
      if (!nt_rules_check_grid (slot, sqlite3_column_int64 (s, 2), sqlite3_column_int64 (s, 3),
                                &self->shift_grid, &self->hour_grid, NULL))
        g_array_append_val (off, id);
    }
  sqlite3_reset (s);
  if (off->len == 0)
    return TRUE;
  FAULT (fault, 409, nt_rule_error_to_code (NT_RULE_ERROR_OFF_GRID), ids_details ("allocations", off),
         "%u active allocations would be off the new grid", off->len);
  return FALSE;
}

static gboolean
apply_settings (NtScheduleStore  *self,
                JsonObject       *o,
                NtScheduleFault **fault)
{
  g_autofree char *shift = NULL;
  g_autofree char *hour = NULL;
  gint64 rate = -1;
  NtTimeGrid grid;

  if (!get_string (o, "shift_grid", FALSE, FALSE, 32, &shift, fault) ||
      !get_string (o, "hour_grid", FALSE, FALSE, 32, &hour, fault) ||
      !get_int (o, "coalition_rate_jpy", FALSE, &rate, FALSE, fault))
    return FALSE;
  if (shift != NULL && !nt_time_grid_parse (shift, &grid))
    return invalid (fault, "shift_grid", "must be a grid like 09:00/8h");
  if (hour != NULL && !nt_time_grid_parse (hour, &grid))
    return invalid (fault, "hour_grid", "must be a grid like 00:00/1h");
  if (body_has (o, "coalition_rate_jpy") && (rate < 0 || rate > 100000000))
    return invalid (fault, "coalition_rate_jpy", "must be from 0 to 100000000");

  if ((shift != NULL && !put_setting (self, "shift_grid", shift, fault)) ||
      (hour != NULL && !put_setting (self, "hour_grid", hour, fault)))
    return FALSE;
  if (body_has (o, "coalition_rate_jpy"))
    {
      char buf[32];

      g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, rate);
      if (!put_setting (self, "coalition_rate_jpy", buf, fault))
        return FALSE;
    }

  if (body_has (o, "public_share"))
    {
      JsonNode *node = json_object_get_member (o, "public_share");
      g_autoptr(GList) members = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return invalid (fault, "public_share", "must be an object of beamline: share");
      members = json_object_get_members (json_node_get_object (node));
      for (GList *l = members; l != NULL; l = l->next)
        {
          JsonNode *v = json_object_get_member (json_node_get_object (node), l->data);
          NtBeamline *bl = nt_catalogue_lookup_beamline (self->catalogue, l->data);
          g_autofree char *key = g_strdup_printf ("public_share.%s", (const char *) l->data);
          char buf[G_ASCII_DTOSTR_BUF_SIZE];
          double share;

          if (bl == NULL || nt_beamline_get_program (bl) != NT_PROGRAM_COALITION)
            return invalid (fault, "public_share", "names a beamline that is not a coalition beamline");
          if (!JSON_NODE_HOLDS_VALUE (v) ||
              (json_node_get_value_type (v) != G_TYPE_DOUBLE && json_node_get_value_type (v) != G_TYPE_INT64))
            return invalid (fault, "public_share", "values must be numbers from 0 to 1");
          share = json_node_get_double (v);
          if (!(share >= 0.0 && share <= 1.0))
            return invalid (fault, "public_share", "values must be numbers from 0 to 1");
          if (!put_setting (self, key, g_ascii_dtostr (buf, sizeof buf, share), fault))
            return FALSE;
        }
    }
  return TRUE;
}

JsonNode *
nt_schedule_store_get_settings (NtScheduleStore *self)
{
  g_return_val_if_fail (NT_IS_SCHEDULE_STORE (self), NULL);
  sync_external (self);
  return settings_to_json (self);
}

JsonNode *
nt_schedule_store_update_settings (NtScheduleStore        *self,
                                   const char             *if_match,
                                   JsonNode               *body,
                                   const NtScheduleActor  *actor,
                                   NtScheduleFault       **fault)
{
  g_autoptr(JsonNode) before = NULL;
  g_autoptr(JsonNode) after = NULL;
  char rev[32];
  JsonObject *o;

  g_return_val_if_fail (NT_IS_SCHEDULE_STORE (self), NULL);

  if ((o = body_object (body, fault)) == NULL)
    return NULL;
  before = settings_to_json (self);
  if (if_match == NULL)
    {
      FAULT (fault, 428, "precondition_required", NULL, "Send If-Match with the ETag of the settings you edited");
      return NULL;
    }
  if (!etag_matches (before, if_match))
    {
      FAULT (fault, 412, "precondition_failed", current_details (before),
             "The settings were changed by someone else; here they are now");
      return NULL;
    }
  if (!tx_begin (self, fault))
    return NULL;
  self->tx_revision++;
  g_snprintf (rev, sizeof rev, "%" G_GINT64_FORMAT, self->tx_revision);
  if (!apply_settings (self, o, fault) ||
      !put_setting (self, "revision", rev, fault))
    goto fail;
  load_settings (self);
  if (!check_grids (self, fault))
    goto fail;
  after = settings_to_json (self);
  if (!record_change (self, NT_RESOURCE_SETTINGS, "updated", "settings", before, after, actor, NULL, fault) ||
      !tx_commit (self, fault))
    goto fail;
  return g_steal_pointer (&after);

fail:
  tx_rollback (self);
  load_settings (self);
  return NULL;
}

/* GObject */

static void
nt_schedule_store_finalize (GObject *object)
{
  NtScheduleStore *self = (NtScheduleStore *)object;

  if (self->in_tx)
    tx_rollback (self);
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
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, JSON_TYPE_NODE | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * NtScheduleStore::plan-changed:
   * @plan: (type GArray): sorted NtPeriodSpan of the whole run plan
   *
   * Emitted after a commit that changed the run plan.
   */
  signals[SIGNAL_PLAN_CHANGED] =
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
  self->stmts = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, stmt_finalize);
  self->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  self->plan = g_array_new (FALSE, FALSE, sizeof (NtPeriodSpan));
  self->settings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->alloc_text = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, cached_text_free);
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

  self = g_object_new (NT_TYPE_SCHEDULE_STORE, NULL);
  self->db = g_object_ref (db);
  self->catalogue = g_object_ref (catalogue);
  self->revision = query_int (self, stmt (self, "SELECT value FROM meta WHERE key = 'revision'"));
  load_settings (self);
  load_plan (self);
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
  return query_int (self, stmt (self, "SELECT (SELECT COUNT (*) FROM periods) + "
                                      "(SELECT COUNT (*) FROM allocations) + "
                                      "(SELECT COUNT (*) FROM members) + "
                                      "(SELECT COUNT (*) FROM proposals)")) == 0;
}

const NtTimeGrid *
nt_schedule_store_get_shift_grid (NtScheduleStore *self)
{
  g_return_val_if_fail (NT_IS_SCHEDULE_STORE (self), NULL);
  return &self->shift_grid;
}

const NtTimeGrid *
nt_schedule_store_get_hour_grid (NtScheduleStore *self)
{
  g_return_val_if_fail (NT_IS_SCHEDULE_STORE (self), NULL);
  return &self->hour_grid;
}

gboolean
nt_schedule_store_set_setting (NtScheduleStore  *self,
                               const char       *key,
                               const char       *value,
                               GError          **error)
{
  sqlite3_stmt *s;
  NtTimeGrid grid;

  g_return_val_if_fail (NT_IS_SCHEDULE_STORE (self), FALSE);
  g_return_val_if_fail (!self->in_tx, FALSE);

  if ((g_str_equal (key, "shift_grid") || g_str_equal (key, "hour_grid")) &&
      !nt_time_grid_parse (value, &grid))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” is not a grid like 09:00/8h", value);
      return FALSE;
    }

  s = stmt (self, "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)");
  bind_text (s, 1, key);
  bind_text (s, 2, value);
  if (sqlite3_step (s) != SQLITE_DONE)
    {
      sqlite3_reset (s);
      nt_db_set_error (self->db, error, "Cannot store the setting");
      return FALSE;
    }
  sqlite3_reset (s);
  load_settings (self);
  return TRUE;
}

double
nt_schedule_store_get_public_share_target (NtScheduleStore *self,
                                           const char      *beamline)
{
  g_autofree char *key = g_strdup_printf ("public_share.%s", beamline);
  const char *v = g_hash_table_lookup (self->settings, key);

  return v != NULL ? g_ascii_strtod (v, NULL) : 0.40;
}

gint64
nt_schedule_store_get_hourly_rate (NtScheduleStore *self)
{
  const char *v = g_hash_table_lookup (self->settings, "coalition_rate_jpy");

  return v != NULL ? g_ascii_strtoll (v, NULL, 10) : 35000;
}

GArray *
nt_schedule_store_dup_plan (NtScheduleStore *self)
{
  GArray *copy;

  g_return_val_if_fail (NT_IS_SCHEDULE_STORE (self), NULL);
  sync_external (self);
  copy = g_array_sized_new (FALSE, FALSE, sizeof (NtPeriodSpan), self->plan->len);

  g_array_append_vals (copy, self->plan->data, self->plan->len);
  return copy;
}

static gboolean
check_alloc_query (NtScheduleStore        *self,
                   const NtScheduleQuery  *query,
                   NtScheduleFault       **fault)
{
  NtSlot slot;

  if (query->slot != NULL && !nt_slot_from_string (query->slot, &slot))
    return invalid (fault, "slot", "must be one of public, coalition, staff, commissioning");
  if (query->station != NULL && nt_catalogue_lookup_station (self->catalogue, query->station) == NULL)
    return invalid (fault, "station", "names no station of the catalogue");
  if (query->beamline != NULL && nt_catalogue_lookup_beamline (self->catalogue, query->beamline) == NULL)
    return invalid (fault, "beamline", "names no beamline of the catalogue");
  return TRUE;
}

static sqlite3_stmt *
alloc_query_stmt (NtScheduleStore       *self,
                  const NtScheduleQuery *query)
{
  sqlite3_stmt *s;

  if (query->station != NULL)
    s = stmt (self, "SELECT " ALLOC_COLS " FROM allocations INDEXED BY allocations_station "
                    "WHERE station = ?3 AND \"end\" > ?1 AND start < ?2 AND (?4 IS NULL OR slot = ?4) "
                    "ORDER BY start, id");
  else
    s = stmt (self, "SELECT " ALLOC_COLS " FROM allocations WHERE \"end\" > ?1 AND start < ?2 "
                    "AND (?4 IS NULL OR slot = ?4) "
                    "AND (?5 IS NULL OR station = ?5 OR station LIKE ?5 || '-%') "
                    "ORDER BY start, id");
  sqlite3_bind_int64 (s, 1, query->has_from ? query->from : G_MININT64);
  sqlite3_bind_int64 (s, 2, query->has_to ? query->to : G_MAXINT64);
  if (query->station != NULL)
    bind_text (s, 3, query->station);
  bind_text (s, 4, query->slot);
  if (query->station == NULL)
    bind_text (s, 5, query->beamline);
  return s;
}

JsonNode *
nt_schedule_store_list (NtScheduleStore        *self,
                        NtResource              resource,
                        const NtScheduleQuery  *query,
                        NtScheduleFault       **fault)
{
  static const NtScheduleQuery none = { 0 };
  JsonObject *root;
  JsonArray *items = json_array_new ();
  sqlite3_stmt *s;

  g_return_val_if_fail (NT_IS_SCHEDULE_STORE (self), NULL);
  sync_external (self);

  if (query == NULL)
    query = &none;

  switch (resource)
    {
    case NT_RESOURCE_PERIOD:
      s = stmt (self, "SELECT " PERIOD_COLS " FROM periods WHERE \"end\" > ? AND start < ? ORDER BY start, id");
      sqlite3_bind_int64 (s, 1, query->has_from ? query->from : G_MININT64);
      sqlite3_bind_int64 (s, 2, query->has_to ? query->to : G_MAXINT64);
      while (sqlite3_step (s) == SQLITE_ROW)
        {
          g_auto(Period) p = { 0 };

          read_period (s, &p);
          json_array_add_element (items, period_to_json (&p));
        }
      break;

    case NT_RESOURCE_ALLOCATION:
      if (!check_alloc_query (self, query, fault))
        {
          json_array_unref (items);
          return NULL;
        }
      s = alloc_query_stmt (self, query);
      while (sqlite3_step (s) == SQLITE_ROW)
        {
          g_auto(Alloc) a = { 0 };

          read_alloc (s, &a);
          json_array_add_element (items, alloc_to_json (self, &a));
        }
      break;

    case NT_RESOURCE_MEMBER:
      s = stmt (self, "SELECT " MEMBER_COLS " FROM members ORDER BY id");
      while (sqlite3_step (s) == SQLITE_ROW)
        {
          g_auto(Member) m = { 0 };

          read_member (s, &m);
          json_array_add_element (items, member_to_json (&m));
        }
      break;

    case NT_RESOURCE_PROPOSAL:
      s = stmt (self, "SELECT " PROPOSAL_COLS " FROM proposals ORDER BY id");
      while (sqlite3_step (s) == SQLITE_ROW)
        {
          g_auto(Proposal) p = { 0 };

          read_proposal (s, &p);
          json_array_add_element (items, proposal_to_json (&p));
        }
      break;

    default:
      g_return_val_if_reached (NULL);
    }
  sqlite3_reset (s);

  root = json_object_new ();
  json_object_set_array_member (root, "items", items);
  json_object_set_int_member (root, "revision", self->revision);
  return take_object (root);
}

/* The list as JSON text.  Allocations, the big list, are serialized once
 * per (id, revision) and kept: a committed revision never changes, so a
 * cached text is reused until the object's revision moves on. */
char *
nt_schedule_store_list_text (NtScheduleStore        *self,
                             NtResource              resource,
                             const NtScheduleQuery  *query,
                             NtScheduleFault       **fault)
{
  static const NtScheduleQuery none = { 0 };
  g_autoptr(JsonNode) revision = NULL;
  g_autofree char *revision_text = NULL;
  GString *out;
  sqlite3_stmt *s;
  gboolean first = TRUE;

  g_return_val_if_fail (NT_IS_SCHEDULE_STORE (self), NULL);
  sync_external (self);

  if (query == NULL)
    query = &none;

  if (resource != NT_RESOURCE_ALLOCATION)
    {
      g_autoptr(JsonNode) node = nt_schedule_store_list (self, resource, query, fault);

      return node != NULL ? json_to_string (node, FALSE) : NULL;
    }

  if (!check_alloc_query (self, query, fault))
    return NULL;

  out = g_string_sized_new (4096);
  g_string_append (out, "{\"items\":[");
  s = alloc_query_stmt (self, query);
  while (sqlite3_step (s) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (s, 0);
      gint64 rev = sqlite3_column_int64 (s, 9);
      CachedText *cached = g_hash_table_lookup (self->alloc_text, &id);

      if (cached == NULL || cached->revision != rev)
        {
          g_auto(Alloc) a = { 0 };
          g_autoptr(JsonNode) node = NULL;

          read_alloc (s, &a);
          node = alloc_to_json (self, &a);
          if (cached == NULL)
            {
              cached = g_new0 (CachedText, 1);
              cached->id = id;
              g_hash_table_insert (self->alloc_text, &cached->id, cached);
            }
          g_free (cached->text);
          cached->text = json_to_string (node, FALSE);
          cached->revision = rev;
        }
      if (!first)
        g_string_append_c (out, ',');
      g_string_append (out, cached->text);
      first = FALSE;
    }
  sqlite3_reset (s);

  /* The envelope's one number, through json-glib like the rest */
  revision = json_node_new (JSON_NODE_VALUE);
  json_node_set_int (revision, self->revision);
  revision_text = json_to_string (revision, FALSE);
  g_string_append_printf (out, "],\"revision\":%s}", revision_text);
  return g_string_free (out, FALSE);
}

JsonNode *
nt_schedule_store_get (NtScheduleStore  *self,
                       NtResource        resource,
                       const char       *id,
                       NtScheduleFault **fault)
{
  JsonNode *node;

  g_return_val_if_fail (NT_IS_SCHEDULE_STORE (self), NULL);
  sync_external (self);

  node = load_json (self, resource, id);
  if (node == NULL)
    FAULT (fault, 404, "not_found", NULL, "No %s %s", resource_names[resource], id);
  return node;
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
  sync_external (self);

  if (query == NULL)
    query = &none;

  s = stmt (self, "SELECT revision, at, who, resource, action, object_id, before, after, reason "
                  "FROM changes WHERE at >= ? AND at < ? ORDER BY revision");
  sqlite3_bind_int64 (s, 1, query->has_from ? query->from : G_MININT64);
  sqlite3_bind_int64 (s, 2, query->has_to ? query->to : G_MAXINT64);
  while (sqlite3_step (s) == SQLITE_ROW)
    {
      JsonObject *o = json_object_new ();
      const char *reason = (const char *) sqlite3_column_text (s, 8);

      json_object_set_int_member (o, "revision", sqlite3_column_int64 (s, 0));
      set_instant (o, "at", sqlite3_column_int64 (s, 1));
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
  return take_object (root);
}

GPtrArray *
nt_schedule_store_changes_since (NtScheduleStore *self,
                                 gint64           since,
                                 guint            limit)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  sqlite3_stmt *s;

  g_return_val_if_fail (NT_IS_SCHEDULE_STORE (self), out);

  s = stmt (self, "SELECT revision, resource, action, object_id, after FROM changes "
                  "WHERE revision > ? ORDER BY revision LIMIT ?");
  sqlite3_bind_int64 (s, 1, since);
  sqlite3_bind_int64 (s, 2, limit > 0 ? (gint64) limit : -1);
  while (sqlite3_step (s) == SQLITE_ROW)
    {
      JsonObject *o = json_object_new ();
      const char *resource = (const char *) sqlite3_column_text (s, 1);
      const char *id = (const char *) sqlite3_column_text (s, 3);
      gint64 id_n;

      json_object_set_int_member (o, "revision", sqlite3_column_int64 (s, 0));
      json_object_set_string_member (o, "resource", resource);
      json_object_set_string_member (o, "action", (const char *) sqlite3_column_text (s, 2));
      if (!g_str_equal (resource, "proposal") && parse_int_id (id, &id_n))
        json_object_set_int_member (o, "id", id_n);
      else
        json_object_set_string_member (o, "id", id);
      if (sqlite3_column_type (s, 4) == SQLITE_NULL)
        json_object_set_null_member (o, "object");
      else
        json_object_set_member (o, "object", parse_or_null ((const char *) sqlite3_column_text (s, 4)));
      g_ptr_array_add (out, take_object (o));
    }
  sqlite3_reset (s);
  return out;
}

JsonNode *
nt_schedule_store_create (NtScheduleStore        *self,
                          NtResource              resource,
                          JsonNode               *body,
                          const NtScheduleActor  *actor,
                          NtScheduleFault       **fault)
{
  JsonObject *o;
  JsonNode *after;

  g_return_val_if_fail (NT_IS_SCHEDULE_STORE (self), NULL);

  if ((o = body_object (body, fault)) == NULL || !tx_begin (self, fault))
    return NULL;
  after = create_in_tx (self, resource, o, actor, fault);
  if (after == NULL)
    {
      tx_rollback (self);
      return NULL;
    }
  if (!tx_commit (self, fault))
    {
      json_node_unref (after);
      return NULL;
    }
  return after;
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
  JsonNode *after;

  g_return_val_if_fail (NT_IS_SCHEDULE_STORE (self), NULL);

  if ((o = body_object (body, fault)) == NULL || !tx_begin (self, fault))
    return NULL;
  after = update_in_tx (self, resource, id, if_match, o, actor, fault);
  if (after == NULL)
    {
      tx_rollback (self);
      return NULL;
    }
  if (!tx_commit (self, fault))
    {
      json_node_unref (after);
      return NULL;
    }
  return after;
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

  if (!tx_begin (self, fault))
    return FALSE;
  if (!delete_in_tx (self, resource, id, if_match, actor, fault))
    {
      tx_rollback (self);
      return FALSE;
    }
  return tx_commit (self, fault);
}

/* Private API for the seed (nt-schedule-seed.c) */

gboolean
nt_schedule_store_begin (NtScheduleStore  *self,
                         NtScheduleFault **fault)
{
  return tx_begin (self, fault);
}

gboolean
nt_schedule_store_commit (NtScheduleStore  *self,
                          NtScheduleFault **fault)
{
  return tx_commit (self, fault);
}

void
nt_schedule_store_rollback (NtScheduleStore *self)
{
  tx_rollback (self);
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

sqlite3_stmt *
nt_schedule_store_stmt (NtScheduleStore *self,
                        const char      *sql)
{
  return stmt (self, sql);
}

GArray *
nt_schedule_store_get_plan (NtScheduleStore *self)
{
  return self->plan;
}

void
nt_schedule_store_refresh (NtScheduleStore *self)
{
  sync_external (self);
}

GArray *
nt_schedule_store_calendar_events (NtScheduleStore  *self,
                                   const char       *station,
                                   const char       *beamline,
                                   gint64            from,
                                   gint64            to,
                                   NtScheduleFault **fault)
{
  gboolean all_stations = g_strcmp0 (station, "*") == 0;

  GArray *events;
  sqlite3_stmt *s;

  g_return_val_if_fail (NT_IS_SCHEDULE_STORE (self), NULL);
  sync_external (self);

  if (all_stations)
    station = NULL;
  else if (station != NULL && nt_catalogue_lookup_station (self->catalogue, station) == NULL)
    {
      invalid (fault, "station", "names no station of the catalogue");
      return NULL;
    }
  if (beamline != NULL && nt_catalogue_lookup_beamline (self->catalogue, beamline) == NULL)
    {
      invalid (fault, "beamline", "names no beamline of the catalogue");
      return NULL;
    }

  events = g_array_new (FALSE, TRUE, sizeof (NtScheduleEvent));
  g_array_set_clear_func (events, (GDestroyNotify) nt_schedule_event_clear);

  if (station == NULL && beamline == NULL && !all_stations)
    {
      s = stmt (self, "SELECT " PERIOD_COLS " FROM periods "
                      "WHERE (?1 = 0 OR \"end\" > ?1) AND (?2 = 0 OR start < ?2) ORDER BY start, id");
      sqlite3_bind_int64 (s, 1, from);
      sqlite3_bind_int64 (s, 2, to);
      while (sqlite3_step (s) == SQLITE_ROW)
        {
          g_auto(Period) p = { 0 };
          NtScheduleEvent ev = { 0 };

          read_period (s, &p);
          ev.uid = g_strdup_printf ("period-%" G_GINT64_FORMAT "@scheduling.nanoterasu", p.id);
          ev.summary = g_strdup_printf ("NanoTerasu: %s", nt_period_kind_to_string (p.kind));
          ev.description = g_strdup (p.note != NULL && *p.note != '\0' ? p.note : NULL);
          ev.location = g_strdup ("NanoTerasu");
          ev.start = p.start;
          ev.end = p.end;
          ev.sequence = (guint) p.sequence;
          ev.dtstamp = p.updated;
          g_array_append_val (events, ev);
        }
      sqlite3_reset (s);
      return events;
    }

  s = stmt (self, "SELECT a.id, a.station, a.start, a.\"end\", a.slot, a.proposal, a.member, a.status, a.note, "
                  "a.revision, a.sequence, a.updated, p.title, m.name FROM allocations a "
                  "LEFT JOIN proposals p ON p.id = a.proposal LEFT JOIN members m ON m.id = a.member "
                  "WHERE a.status != 'cancelled' AND (?1 IS NULL OR a.station = ?1) "
                  "AND (?2 IS NULL OR a.station = ?2 OR a.station LIKE ?2 || '-%') "
                  "AND (?3 = 0 OR a.\"end\" > ?3) AND (?4 = 0 OR a.start < ?4) ORDER BY a.start, a.id");
  bind_text (s, 1, station);
  bind_text (s, 2, beamline);
  sqlite3_bind_int64 (s, 3, from);
  sqlite3_bind_int64 (s, 4, to);
  while (sqlite3_step (s) == SQLITE_ROW)
    {
      g_auto(Alloc) a = { 0 };
      NtScheduleEvent ev = { 0 };
      const char *title = (const char *) sqlite3_column_text (s, 12);
      const char *member = (const char *) sqlite3_column_text (s, 13);
      g_autoptr(GString) desc = g_string_new (NULL);

      read_alloc (s, &a);
      ev.uid = g_strdup_printf ("allocation-%" G_GINT64_FORMAT "@scheduling.nanoterasu", a.id);
      if (a.proposal != NULL)
        ev.summary = g_strdup_printf ("%s: %s", a.station, a.proposal);
      else if (member != NULL)
        ev.summary = g_strdup_printf ("%s: %s", a.station, member);
      else
        ev.summary = g_strdup_printf ("%s: %s", a.station, nt_slot_to_string (a.slot));
      g_string_append_printf (desc, "Slot: %s\nStatus: %s", nt_slot_to_string (a.slot),
                              nt_allocation_status_to_string (a.status));
      if (title != NULL)
        g_string_append_printf (desc, "\nProposal: %s", title);
      if (a.note != NULL && *a.note != '\0')
        g_string_append_printf (desc, "\n%s", a.note);
      ev.description = g_string_free (g_steal_pointer (&desc), FALSE);
      ev.location = g_strdup (a.station);
      ev.start = a.start;
      ev.end = a.end;
      ev.sequence = (guint) a.sequence;
      ev.dtstamp = a.updated;
      g_array_append_val (events, ev);
    }
  sqlite3_reset (s);
  return events;
}

void
nt_schedule_event_clear (NtScheduleEvent *ev)
{
  g_clear_pointer (&ev->uid, g_free);
  g_clear_pointer (&ev->summary, g_free);
  g_clear_pointer (&ev->description, g_free);
  g_clear_pointer (&ev->location, g_free);
}
