/* nt-schedule-store-private.h: what the store's files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The instance struct; faults, statements and transactions
 * (nt-schedule-store-txn.c); the rows of each resource as C structs and
 * their column tables, read, written and parsed by one table-driven path
 * (nt-schedule-store-rows.c); the generic create / update / delete
 * (nt-schedule-store-crud.c) and each resource's rules (-periods.c,
 * -allocations.c, -members.c, -proposals.c).  The seed and the summary use
 * the part under "For the seed and the summary".
 */
#pragma once

#include <sqlite3.h>

#include "nt-allocation.h"
#include "nt-run-plan.h"
#include "nt-schedule-store.h"

G_BEGIN_DECLS

struct _NtScheduleStore
{
  GObject      parent_instance;

  NtDb        *db;
  NtCatalogue *catalogue;
  GHashTable  *stmts;          /* SQL text -> sqlite3_stmt */
  gint64       revision;       /* committed */
  gint64       tx_revision;    /* inside the open write transaction */
  gboolean     in_tx;
  GPtrArray   *pending;        /* JsonNode feed messages, emitted after commit */
  gboolean     plan_dirty;     /* a period was written in this transaction */
  GArray      *plan;           /* NtPeriodSpan, sorted, as in the DB */
  NtTimeGrid   shift_grid;
  NtTimeGrid   hour_grid;
  GHashTable  *settings;       /* key -> value */
  GHashTable  *alloc_text;     /* id -> NtCachedText of committed allocations */
};

/* A committed allocation serialized once (nt_schedule_store_list_text). */
typedef struct
{
  gint64  id;
  gint64  revision;
  char   *text;
} NtCachedText;

void          nt_cached_text_free            (gpointer                data);

/* Signals, emitted by nt_schedule_store_commit() */
enum {
  NT_SCHEDULE_STORE_SIGNAL_CHANGED,
  NT_SCHEDULE_STORE_SIGNAL_PLAN_CHANGED,
  NT_SCHEDULE_STORE_N_SIGNALS
};

extern guint nt_schedule_store_signals[NT_SCHEDULE_STORE_N_SIGNALS];

/* Faults (nt-schedule-store-txn.c).  FAULT sets *f unless it is set
 * already, and takes @details either way. */
#define FAULT(f, status, code, details, ...) \
  G_STMT_START { \
    JsonNode *fault_details_ = (details); \
    if ((f) != NULL && *(f) == NULL) \
      *(f) = nt_schedule_fault_new ((status), (code), fault_details_, __VA_ARGS__); \
    else if (fault_details_ != NULL) \
      json_node_unref (fault_details_); \
  } G_STMT_END

JsonNode     *nt_schedule_take_object        (JsonObject             *o);
/* {"field": @field} */
JsonNode     *nt_schedule_field_details      (const char             *field);
/* {@key: [ids…]} */
JsonNode     *nt_schedule_ids_details        (const char             *key,
                                              GArray                 *ids);
/* 422 invalid naming @field; returns FALSE. */
gboolean      nt_schedule_invalid            (NtScheduleFault       **fault,
                                              const char             *field,
                                              const char             *what);
/* 409 with the code of a rule error; returns FALSE. */
gboolean      nt_schedule_rule_fault         (NtScheduleFault       **fault,
                                              GError                 *error,
                                              JsonNode               *details);
/* 503 busy, 409 constraint or 500 storage from the last SQLite error;
 * returns FALSE. */
gboolean      nt_schedule_store_db_fault     (NtScheduleStore        *self,
                                              NtScheduleFault       **fault,
                                              const char             *what);

/* Statements and values (nt-schedule-store-txn.c) */
void          nt_schedule_bind_text          (sqlite3_stmt           *s,
                                              int                     i,
                                              const char             *text);
/* Binds @query's span to parameters 1 and 2 (an open end: the widest instant). */
void          nt_schedule_bind_span          (sqlite3_stmt           *s,
                                              const NtScheduleQuery  *query);
char         *nt_schedule_col_text           (sqlite3_stmt           *s,
                                              int                     i);
/* The first column of the first row, 0 if none; resets @s. */
gint64        nt_schedule_store_query_int    (NtScheduleStore        *self,
                                              sqlite3_stmt           *s);
/* Whether the write transaction begun is still open (TRUE outside one).
 * SQLite ends a transaction by itself when a statement in it fails on the
 * disk (full, an I/O error), reads included; the writes that followed
 * would then each commit alone.  So every write in a transaction asks
 * first, and a 503 says the change was not saved. */
gboolean      nt_schedule_store_tx_open      (NtScheduleStore        *self,
                                              NtScheduleFault       **fault);
/* Runs @s, which returns no rows, and resets it; a failure is a
 * db_fault saying @what.  Refuses (tx_open) a transaction SQLite ended. */
gboolean      nt_schedule_store_step_done    (NtScheduleStore        *self,
                                              sqlite3_stmt           *s,
                                              const char             *what,
                                              NtScheduleFault       **fault);
gboolean      nt_schedule_parse_int_id       (const char             *id,
                                              gint64                 *out);
void          nt_schedule_set_instant        (JsonObject             *o,
                                              const char             *member,
                                              gint64                  t);
/* "etag" and "revision" of an object */
void          nt_schedule_set_meta           (JsonObject             *o,
                                              NtResource              resource,
                                              const char             *id,
                                              gint64                  revision);

/* Transactions, revisions, audit (nt-schedule-store-txn.c) */
void          nt_schedule_store_load_plan    (NtScheduleStore        *self);
void          nt_schedule_store_load_settings (NtScheduleStore       *self);
/* Takes the revision of the change, writes its audit row, bumps meta and
 * queues the feed message. */
gboolean      nt_schedule_store_record_change (NtScheduleStore        *self,
                                               NtResource              resource,
                                               const char             *action,
                                               const char             *id,
                                               JsonNode               *before,
                                               JsonNode               *after,
                                               const NtScheduleActor  *actor,
                                               const char             *reason,
                                               NtScheduleFault       **fault);

/* Bodies (nt-schedule-store-rows.c): each leaves @dst alone if the member
 * is absent (and not @required), and fails with a 422 naming it otherwise. */
JsonObject   *nt_schedule_body_object        (JsonNode               *body,
                                              NtScheduleFault       **fault);
gboolean      nt_schedule_body_string        (JsonObject             *o,
                                              const char             *field,
                                              gboolean                required,
                                              gboolean                nullable,
                                              gsize                   max_len,
                                              char                  **dst,
                                              NtScheduleFault       **fault);
gboolean      nt_schedule_body_int           (JsonObject             *o,
                                              const char             *field,
                                              gboolean                required,
                                              gboolean                nullable,
                                              gint64                 *dst,
                                              NtScheduleFault       **fault);
/* "override_reason": admin only, not empty */
gboolean      nt_schedule_body_override      (JsonObject             *o,
                                              const NtScheduleActor  *actor,
                                              char                  **reason,
                                              NtScheduleFault       **fault);

/* Rows: one column table per resource.  A column's name is its SQL
 * column and its JSON member; the table's order is the order of the
 * SELECTs, of the JSON objects and of the checks of a body. */
typedef enum
{
  NT_COLUMN_ID,        /* gint64 INTEGER PRIMARY KEY; in JSON, not in bodies */
  NT_COLUMN_INT,       /* gint64 */
  NT_COLUMN_TEXT,      /* char *; "" when NULL, unless nullable */
  NT_COLUMN_DATE,      /* char *, YYYY-MM-DD */
  NT_COLUMN_INSTANT,   /* gint64 Unix seconds; ISO 8601 in JSON */
  NT_COLUMN_BOOL,      /* gboolean; 0 or 1 in SQL */
  NT_COLUMN_ENUM,      /* int; its wire name in SQL, JSON and bodies */
  NT_COLUMN_STATION,   /* char *, a station id; JSON adds its "beamline" */
  NT_COLUMN_REVISION,  /* gint64; JSON "etag" and "revision"; not in bodies */
  NT_COLUMN_SEQUENCE,  /* gint64; + 1 on every update; not in JSON */
  NT_COLUMN_UPDATED,   /* gint64; now, on every write; not in JSON */
} NtColumnType;

typedef enum
{
  NT_COLUMN_REQUIRED  = 1 << 0,  /* in a create body */
  NT_COLUMN_NULLABLE  = 1 << 1,  /* NULL / null (0 for an int) allowed */
  NT_COLUMN_KEY       = 1 << 2,  /* a text primary key given by the body */
} NtColumnFlags;

typedef struct
{
  const char *(*to_string)   (int         value);
  gboolean    (*from_string) (const char *text,
                              int        *value);
  const char  *choices;      /* "must be one of …" */
} NtEnumCodec;

/* Defines the NtEnumCodec @codec of the enum @Type from its
 * @prefix_to_string and @prefix_from_string. */
#define NT_ENUM_CODEC(codec, Type, prefix, choices_text) \
  static const char * \
  codec##_to_string (int value) \
  { \
    return prefix##_to_string ((Type) value); \
  } \
  static gboolean \
  codec##_from_string (const char *text, \
                       int        *value) \
  { \
    Type v; \
    if (!prefix##_from_string (text, &v)) \
      return FALSE; \
    *value = v; \
    return TRUE; \
  } \
  static const NtEnumCodec codec = { codec##_to_string, codec##_from_string, choices_text }

/* The offset, size and number of columns of a table's rows */
#define NT_ROW_COLUMNS(RowType, columns) \
  .row_size = sizeof (RowType), .columns = columns, .n_columns = G_N_ELEMENTS (columns)

typedef struct
{
  const char         *name;
  NtColumnType        type;
  NtColumnFlags       flags;
  gsize               offset;   /* in the row struct */
  gsize               max_len;  /* of a text in a body */
  const NtEnumCodec  *codec;    /* enums */
} NtColumn;

#define NT_COLUMN_MAX 16

typedef struct _NtRowTable NtRowTable;

/* A change of one row, as the resource's rules see it. */
typedef struct
{
  NtScheduleStore        *self;
  gconstpointer           old;     /* as it was; NULL on create */
  gpointer                row;     /* as it will be; NULL on delete */
  JsonObject             *body;    /* NULL on delete */
  const NtScheduleActor  *actor;
  char                   *reason;  /* override_reason for the audit row */
  NtScheduleFault       **fault;
} NtRowChange;

struct _NtRowTable
{
  NtResource      resource;
  const char     *table;
  gsize           row_size;
  const NtColumn *columns;
  guint           n_columns;
  /* Allocations' column naming an object of this table: deleting it is
   * refused while allocations use it (NULL: nothing refers to it). */
  const char     *used_by;

  /* A UNIQUE or PRIMARY KEY violation: 409 duplicate naming this column,
   * the message its value between the two texts (NULL: a constraint fault). */
  const char     *duplicate_column;
  const char     *duplicate_text[2];

  /* The resource's rules, each NULL when it has none.  validate: the row
   * alone, after the body's members were read; check: the rules that
   * need the store, before the write (c->old is NULL on create);
   * check_delete: before a delete (c->old is the row). */
  gboolean      (*validate)     (NtRowChange            *c);
  gboolean      (*check)        (NtRowChange            *c);
  gboolean      (*check_delete) (NtRowChange            *c);
  /* The statement of the list route (NULL: every row, by id). */
  sqlite3_stmt *(*list_stmt)    (NtScheduleStore        *self,
                                 const NtScheduleQuery  *query,
                                 NtScheduleFault       **fault);
};

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
} NtPeriodRow;

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
} NtAllocRow;

typedef struct
{
  gint64  id;
  char   *name;
  gint64  units;
  char   *contract_start;
  char   *contract_end;
  gint64  revision;
} NtMemberRow;

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
} NtProposalRow;

extern const NtRowTable nt_schedule_periods;
extern const NtRowTable nt_schedule_allocations;
extern const NtRowTable nt_schedule_members;
extern const NtRowTable nt_schedule_proposals;

/* NULL for the settings */
const NtRowTable *nt_schedule_row_table      (NtResource              resource);

/* Table-driven rows (nt-schedule-store-rows.c) */
void          nt_schedule_row_clear          (const NtRowTable       *t,
                                              gpointer                row);
/* A zeroed row of @t, freed with its texts by nt_schedule_row_free(). */
gpointer      nt_schedule_row_new            (const NtRowTable       *t);
void          nt_schedule_row_free           (const NtRowTable       *t,
                                              gpointer                row);
/* The first integer column of @type in @row, NULL if none. */
gint64       *nt_schedule_row_int            (const NtRowTable       *t,
                                              gpointer                row,
                                              NtColumnType            type);
/* Binds the key: the integer @id, or the text @key of a table keyed by text. */
void          nt_schedule_row_bind_key       (const NtRowTable       *t,
                                              sqlite3_stmt           *s,
                                              int                     i,
                                              gint64                  id,
                                              const char             *key);
/* "\"id\", \"kind\", …" each after @prefix ("" or "a.") */
char         *nt_schedule_row_columns        (const NtRowTable       *t,
                                              const char             *prefix);
/* "SELECT <columns> FROM <table> @tail" */
sqlite3_stmt *nt_schedule_row_select         (NtScheduleStore        *self,
                                              const NtRowTable       *t,
                                              const char             *tail);
/* The first column of @type (and @name, unless NULL). */
int           nt_schedule_row_column_index   (const NtRowTable       *t,
                                              NtColumnType            type,
                                              const char             *name);
void          nt_schedule_row_read           (const NtRowTable       *t,
                                              sqlite3_stmt           *s,
                                              gpointer                row);
/* By its key (see nt_schedule_row_bind_key()). */
gboolean      nt_schedule_row_load           (NtScheduleStore        *self,
                                              const NtRowTable       *t,
                                              gint64                  id,
                                              const char             *key,
                                              gpointer                row);
/* The row's id as text, in @buf or borrowed from @row. */
const char   *nt_schedule_row_id             (const NtRowTable       *t,
                                              gconstpointer           row,
                                              char                    buf[32]);
JsonNode     *nt_schedule_row_to_json        (NtScheduleStore        *self,
                                              const NtRowTable       *t,
                                              gconstpointer           row);
/* Adds the JSON of each row @s returns to @items; resets @s. */
void          nt_schedule_rows_to_array      (NtScheduleStore        *self,
                                              const NtRowTable       *t,
                                              sqlite3_stmt           *s,
                                              JsonArray              *items);
/* Reads c->body's members into c->row, then runs t->validate. */
gboolean      nt_schedule_row_apply_body     (const NtRowTable       *t,
                                              NtRowChange            *c);
/* INSERT (setting an integer id) or UPDATE of @row. */
gboolean      nt_schedule_row_write          (NtScheduleStore        *self,
                                              const NtRowTable       *t,
                                              gpointer                row,
                                              gboolean                insert,
                                              NtScheduleFault       **fault);

static inline void nt_period_row_clear   (NtPeriodRow   *p) { nt_schedule_row_clear (&nt_schedule_periods, p); }
static inline void nt_alloc_row_clear    (NtAllocRow    *a) { nt_schedule_row_clear (&nt_schedule_allocations, a); }
static inline void nt_member_row_clear   (NtMemberRow   *m) { nt_schedule_row_clear (&nt_schedule_members, m); }
static inline void nt_proposal_row_clear (NtProposalRow *p) { nt_schedule_row_clear (&nt_schedule_proposals, p); }

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (NtPeriodRow, nt_period_row_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (NtAllocRow, nt_alloc_row_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (NtMemberRow, nt_member_row_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (NtProposalRow, nt_proposal_row_clear)

/* Rules shared by resources */
/* The plan after removing @old and adding @new (either NULL), refused if
 * periods would overlap or confirmed allocations be stranded; on success
 * it becomes the live plan (nt-schedule-store-periods.c). */
gboolean      nt_schedule_check_plan_change  (NtScheduleStore        *self,
                                              const NtPeriodRow      *old,
                                              const NtPeriodRow      *new,
                                              NtScheduleFault       **fault);
/* The member's booking from @first to @last inside its contract, and its
 * quota per fiscal year over its active allocations but @exclude_alloc,
 * plus @extra (nt-schedule-store-members.c). */
gboolean      nt_schedule_check_member_booking (NtScheduleStore      *self,
                                                const NtMemberRow    *m,
                                                gint64                first,
                                                gint64                last,
                                                gint64                exclude_alloc,
                                                const NtAllocRow     *extra,
                                                const char           *override_reason,
                                                NtScheduleFault     **fault);
/* Seconds of the proposal's active allocations but @exclude_alloc
 * (nt-schedule-store-proposals.c). */
gint64        nt_schedule_proposal_other_seconds (NtScheduleStore    *self,
                                                  const char         *proposal,
                                                  gint64              exclude_alloc);

/* Generic CRUD (nt-schedule-store-crud.c), used by the settings too */
gboolean      nt_schedule_etag_matches       (JsonNode               *current,
                                              const char             *if_match);
/* {"current": @current} */
JsonNode     *nt_schedule_current_details    (JsonNode               *current);

/* For the seed, the summary and tests/fuzz */
gboolean      nt_schedule_store_begin        (NtScheduleStore        *self,
                                              NtScheduleFault       **fault);
gboolean      nt_schedule_store_commit       (NtScheduleStore        *self,
                                              NtScheduleFault       **fault);
void          nt_schedule_store_rollback     (NtScheduleStore        *self);
JsonNode     *nt_schedule_store_create_in_tx (NtScheduleStore        *self,
                                              NtResource              resource,
                                              JsonObject             *body,
                                              const NtScheduleActor  *actor,
                                              NtScheduleFault       **fault);
JsonNode     *nt_schedule_store_update_in_tx (NtScheduleStore        *self,
                                              NtResource              resource,
                                              const char             *id,
                                              const char             *if_match,
                                              JsonObject             *body,
                                              const NtScheduleActor  *actor,
                                              NtScheduleFault       **fault);
/* A cached statement, reset, bindings cleared; do not finalize. */
sqlite3_stmt *nt_schedule_store_stmt         (NtScheduleStore        *self,
                                              const char             *sql);
/* Picks up what another process committed (revision, plan, settings). */
void          nt_schedule_store_refresh      (NtScheduleStore        *self);
/* The live plan (borrowed). */
GArray       *nt_schedule_store_get_plan     (NtScheduleStore        *self);
void          nt_schedule_event_clear        (NtScheduleEvent        *ev);

G_END_DECLS
