/* nt-record-private.h: the scheduling models described once, as a table of fields
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * NtRunPeriod, NtAllocation, NtMember and NtProposal are records: an id, an
 * etag and a revision (NtRecordMeta) and a list of fields.  Each model
 * describes its fields once, in a static table of NtField (the JSON member,
 * the kind, where the value lives in the instance struct, flags); the code
 * in nt-record.c installs the GObject properties from it and implements
 * get/set_property, finalize, copy, the setters' compare-store-notify, and
 * JSON in both directions with the strict checks of nt-model-json.h.  A
 * new field is one row of a table.  Internal to src/core.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  NT_FIELD_STRING,   /* char *: a JSON string, or null when NT_FIELD_NULLABLE */
  NT_FIELD_INSTANT,  /* gint64 Unix seconds: "YYYY-MM-DDTHH:MM:SSZ" */
  NT_FIELD_DATE,     /* GDate (cleared = unknown): "YYYY-MM-DD"; a boxed GDate property */
  NT_FIELD_INT64,    /* gint64: a JSON integer from min to max */
  NT_FIELD_UINT,     /* guint: a JSON integer from min to max */
  NT_FIELD_BOOL,     /* gboolean: true or false */
  NT_FIELD_ENUM,     /* int: one of the wire names in nicks */
} NtFieldKind;

typedef enum
{
  NT_FIELD_NULLABLE      = 1 << 0,  /* JSON null allowed: a NULL string, an integer 0 */
  NT_FIELD_OPTIONAL      = 1 << 1,  /* the JSON member may be absent */
  NT_FIELD_ALLOW_EMPTY   = 1 << 2,  /* a string may be "" */
  NT_FIELD_DEFAULT_EMPTY = 1 << 3,  /* a string starts as "" (else NULL) */
  NT_FIELD_NULL_IS_EMPTY = 1 << 4,  /* a string set (or read) as NULL is stored as "" */
  NT_FIELD_EMPTY_IS_NULL = 1 << 5,  /* a string set as "" is stored as NULL */
  NT_FIELD_SPAN_START    = 1 << 6,  /* an instant or date that the SPAN_END field … */
  NT_FIELD_SPAN_END      = 1 << 7,  /* … may not precede: instants end after, dates not before */
} NtFieldFlags;

typedef struct
{
  const char         *member;     /* JSON member; the property is its name with '-' for '_' */
  NtFieldKind         kind;
  gsize               offset;     /* G_STRUCT_OFFSET of the value in the instance */
  NtFieldFlags        flags;
  gint64              min;        /* integers: the JSON range; the property's is 0 to max */
  gint64              max;
  gint64              initial;    /* integers: the value a new object starts with */
  const char * const *nicks;      /* enums: wire names indexed by value */
  guint               n_nicks;
  GType             (*enum_type) (void);  /* enums: the property's GEnum, or NULL for an int */
  const char         *unknown;    /* enums: "a run-plan period kind"; NULL = "one of …" */
  gboolean          (*accept) (const char *value);  /* strings: a further check, or NULL */
  const char         *must_be;    /* … its message: "a term name like 2026A" */
} NtField;

/* The part every record shares, in its instance struct after parent_instance. */
typedef struct
{
  gint64  id;         /* numeric ids: 0 until the server has stored it */
  char   *string_id;  /* string ids (proposals): chosen by the office */
  char   *etag;       /* NULL until stored */
  gint64  revision;
} NtRecordMeta;

typedef struct
{
  const char     *what;         /* names the object in error messages: "allocation" */
  gsize           meta_offset;  /* G_STRUCT_OFFSET of the NtRecordMeta */
  gboolean        string_id;    /* "id" is a non-empty string, always present */
  const NtField  *fields;
  guint           n_fields;
  GParamSpec    **pspecs;       /* n_fields + 4 places, filled by nt_record_class_init() */
} NtRecordInfo;

/* Property ids: 0 unused, 1 "id", 2 + i field i, then "etag" and "revision". */
#define NT_RECORD_N_PSPECS(n_fields) ((n_fields) + 4)

void          nt_record_class_init   (GObjectClass        *object_class,
                                      const NtRecordInfo  *info);
void          nt_record_init         (gpointer             record,
                                      const NtRecordInfo  *info);
NtRecordMeta *nt_record_meta         (gpointer             record,
                                      const NtRecordInfo  *info);
gpointer      nt_record_new_from_json (GType               type,
                                      const NtRecordInfo  *info,
                                      JsonNode            *node,
                                      GError             **error);
JsonNode     *nt_record_to_json      (gpointer             record,
                                      const NtRecordInfo  *info);
gpointer      nt_record_copy         (gpointer             record,
                                      const NtRecordInfo  *info);

/* Setters: store the value of field @field and notify if it changed. */
void          nt_record_set_string   (gpointer             record,
                                      const NtRecordInfo  *info,
                                      guint                field,
                                      const char          *value);
void          nt_record_set_int      (gpointer             record,
                                      const NtRecordInfo  *info,
                                      guint                field,
                                      gint64               value);
void          nt_record_set_date     (gpointer             record,
                                      const NtRecordInfo  *info,
                                      guint                field,
                                      const GDate         *value);
const GDate  *nt_record_get_date     (gpointer             record,
                                      const NtRecordInfo  *info,
                                      guint                field);

G_END_DECLS
