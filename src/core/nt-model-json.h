/* nt-model-json.h: strict JSON accessors shared by the scheduling models
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The scheduling models (NtRunPeriod, NtAllocation, NtMember, NtProposal)
 * parse the wire format of HACKING.md strictly: a member that is missing
 * or of the wrong JSON type is an error whose message names the object and
 * the member ("allocation: “start” must be …").  Members the models do not
 * know are ignored, so the server may add some.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define NT_MODEL_ERROR (nt_model_error_quark ())

typedef enum
{
  NT_MODEL_ERROR_INVALID,        /* not an object, a member missing or mistyped */
  NT_MODEL_ERROR_UNKNOWN_VALUE,  /* a string outside its set (slot, status, kind) */
  NT_MODEL_ERROR_RANGE,          /* a value out of range (end before start, units < 1) */
} NtModelError;

GQuark      nt_model_error_quark       (void);

/* Loads @data into @parser if it holds exactly one JSON value; else FALSE
 * with a JSON_PARSER_ERROR.  Every parser of outside input loads through
 * it: json-glib 1.6 takes "1 {…}" (values one after another) as valid,
 * keeps one and leaks the others, and an empty text as a NULL root. */
gboolean    nt_json_load_one           (JsonParser  *parser,
                                        const char  *data,
                                        gsize        len,
                                        GError     **error);

/* Internal to the models; used by src/core only. */
JsonObject *nt_model_json_object       (JsonNode    *node,
                                        const char  *what,
                                        GError     **error);
gboolean    nt_model_json_int          (JsonObject  *object,
                                        const char  *what,
                                        const char  *member,
                                        gboolean     required,
                                        gint64       min,
                                        gint64       max,
                                        gint64      *out,
                                        GError     **error);
gboolean    nt_model_json_string       (JsonObject  *object,
                                        const char  *what,
                                        const char  *member,
                                        gboolean     nullable,
                                        gboolean     allow_empty,
                                        char       **out,
                                        GError     **error);
gboolean    nt_model_json_bool         (JsonObject  *object,
                                        const char  *what,
                                        const char  *member,
                                        gboolean    *out,
                                        GError     **error);
gboolean    nt_model_json_instant      (JsonObject  *object,
                                        const char  *what,
                                        const char  *member,
                                        gint64      *out,
                                        GError     **error);
gboolean    nt_model_json_date         (JsonObject  *object,
                                        const char  *what,
                                        const char  *member,
                                        GDate       *out,
                                        GError     **error);
/* id (optional, > 0), etag (optional string) and revision (optional, >= 0) */
gboolean    nt_model_json_meta         (JsonObject  *object,
                                        const char  *what,
                                        gboolean     string_id,
                                        gint64      *id,
                                        char       **string_id_out,
                                        char       **etag,
                                        gint64      *revision,
                                        GError     **error);
void        nt_model_json_add_meta     (JsonBuilder *builder,
                                        const char  *etag,
                                        gint64       revision);
void        nt_model_json_add_instant  (JsonBuilder *builder,
                                        const char  *member,
                                        gint64       t);
void        nt_model_json_add_date     (JsonBuilder *builder,
                                        const char  *member,
                                        const GDate *date);
void        nt_model_json_add_string   (JsonBuilder *builder,
                                        const char  *member,
                                        const char  *value);

G_END_DECLS
