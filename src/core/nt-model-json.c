/* nt-model-json.c: strict JSON accessors shared by the scheduling models
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-model-json"

#include "config.h"

#include "nt-model-json.h"
#include "nt-time.h"

G_DEFINE_QUARK (nt-model-error-quark, nt_model_error)

/* How many JSON values start at the top level of @data (strings, objects
 * and arrays skipped whole; a bare word or number counts once). */
static guint
count_top_level_values (const char *data,
                        gsize       len)
{
  guint values = 0;
  guint depth = 0;
  gboolean in_string = FALSE;
  gboolean escaped = FALSE;
  gboolean in_word = FALSE;

  for (gsize i = 0; i < len; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (escaped)
            escaped = FALSE;
          else if (c == '\\')
            escaped = TRUE;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      switch (c)
        {
        case '"':
        case '{':
        case '[':
          if (depth == 0)
            values++;
          if (c == '"')
            in_string = TRUE;
          else
            depth++;
          in_word = FALSE;
          break;
        case '}':
        case ']':
          if (depth > 0)
            depth--;
          in_word = FALSE;
          break;
        case ' ':
        case '\t':
        case '\n':
        case '\r':
          in_word = FALSE;
          break;
        default:
          if (depth == 0 && !in_word)
            values++;
          in_word = depth == 0;
          break;
        }
    }
  return values;
}

gboolean
nt_json_load_one (JsonParser  *parser,
                  const char  *data,
                  gsize        len,
                  GError     **error)
{
  guint values;

  g_return_val_if_fail (JSON_IS_PARSER (parser), FALSE);

  values = data != NULL ? count_top_level_values (data, len) : 0;
  if (values == 0)
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA, "no JSON value");
      return FALSE;
    }
  if (values > 1)
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
                           "more than one JSON value");
      return FALSE;
    }
  if (!json_parser_load_from_data (parser, data, len, error))
    return FALSE;
  /* What json-glib's scanner skips (a comment) leaves no root either */
  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA, "no JSON value");
      return FALSE;
    }
  return TRUE;
}

static gboolean
must_be (GError     **error,
         const char  *what,
         const char  *member,
         const char  *shape)
{
  g_set_error (error, NT_MODEL_ERROR, NT_MODEL_ERROR_INVALID,
               "%s: “%s” must be %s", what, member, shape);
  return FALSE;
}

/* The member of @object; NULL if it is missing, an error then if it is
 * @required, or if it is there but not a JSON value of @type (described as
 * @shape in the error). */
static JsonNode *
value_member (JsonObject  *object,
              const char  *what,
              const char  *member,
              gboolean     required,
              GType        type,
              const char  *shape,
              GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    {
      if (required)
        g_set_error (error, NT_MODEL_ERROR, NT_MODEL_ERROR_INVALID,
                     "%s: “%s” is missing", what, member);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != type)
    {
      must_be (error, what, member, shape);
      return NULL;
    }
  return node;
}

JsonObject *
nt_model_json_object (JsonNode    *node,
                      const char  *what,
                      GError     **error)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, NT_MODEL_ERROR, NT_MODEL_ERROR_INVALID,
                   "%s: not a JSON object", what);
      return NULL;
    }
  return json_node_get_object (node);
}

gboolean
nt_model_json_int (JsonObject  *object,
                   const char  *what,
                   const char  *member,
                   gboolean     required,
                   gint64       min,
                   gint64       max,
                   gint64      *out,
                   GError     **error)
{
  JsonNode *node;
  gint64 v;

  if (!json_object_has_member (object, member) && !required)
    return TRUE;
  node = value_member (object, what, member, TRUE, G_TYPE_INT64, "an integer", error);
  if (node == NULL)
    return FALSE;

  v = json_node_get_int (node);
  if (v < min || v > max)
    {
      g_set_error (error, NT_MODEL_ERROR, NT_MODEL_ERROR_RANGE,
                   "%s: “%s” is %" G_GINT64_FORMAT ", outside %" G_GINT64_FORMAT
                   "–%" G_GINT64_FORMAT, what, member, v, min, max);
      return FALSE;
    }

  *out = v;
  return TRUE;
}

gboolean
nt_model_json_string (JsonObject  *object,
                      const char  *what,
                      const char  *member,
                      gboolean     nullable,
                      gboolean     allow_empty,
                      char       **out,
                      GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  const char *s;

  if (nullable && node != NULL && JSON_NODE_HOLDS_NULL (node))
    {
      *out = NULL;
      return TRUE;
    }

  node = value_member (object, what, member, TRUE, G_TYPE_STRING,
                       nullable ? "a string or null" : "a string", error);
  if (node == NULL)
    return FALSE;

  s = json_node_get_string (node);
  if (!allow_empty && (s == NULL || *s == '\0'))
    {
      g_set_error (error, NT_MODEL_ERROR, NT_MODEL_ERROR_INVALID,
                   "%s: “%s” must not be empty", what, member);
      return FALSE;
    }

  *out = g_strdup (s != NULL ? s : "");
  return TRUE;
}

gboolean
nt_model_json_bool (JsonObject  *object,
                    const char  *what,
                    const char  *member,
                    gboolean    *out,
                    GError     **error)
{
  JsonNode *node = value_member (object, what, member, TRUE, G_TYPE_BOOLEAN, "true or false", error);

  if (node == NULL)
    return FALSE;

  *out = json_node_get_boolean (node);
  return TRUE;
}

#define INSTANT_SHAPE "an instant YYYY-MM-DDTHH:MM:SSZ"
#define DATE_SHAPE    "a date YYYY-MM-DD"

gboolean
nt_model_json_instant (JsonObject  *object,
                       const char  *what,
                       const char  *member,
                       gint64      *out,
                       GError     **error)
{
  JsonNode *node = value_member (object, what, member, TRUE, G_TYPE_STRING, INSTANT_SHAPE, error);

  if (node == NULL)
    return FALSE;
  return nt_time_parse_iso (json_node_get_string (node), out) ||
         must_be (error, what, member, INSTANT_SHAPE);
}

gboolean
nt_model_json_date (JsonObject  *object,
                    const char  *what,
                    const char  *member,
                    GDate       *out,
                    GError     **error)
{
  JsonNode *node = value_member (object, what, member, TRUE, G_TYPE_STRING, DATE_SHAPE, error);

  if (node == NULL)
    return FALSE;
  return nt_time_parse_date (json_node_get_string (node), out) ||
         must_be (error, what, member, DATE_SHAPE);
}

gboolean
nt_model_json_meta (JsonObject  *object,
                    const char  *what,
                    gboolean     string_id,
                    gint64      *id,
                    char       **string_id_out,
                    char       **etag,
                    gint64      *revision,
                    GError     **error)
{
  *etag = NULL;
  *revision = 0;

  if (string_id)
    {
      if (!nt_model_json_string (object, what, "id", FALSE, FALSE, string_id_out, error))
        return FALSE;
    }
  else
    {
      *id = 0;
      if (!nt_model_json_int (object, what, "id", FALSE, 1, G_MAXINT64, id, error))
        return FALSE;
    }

  if (json_object_has_member (object, "etag") &&
      !nt_model_json_string (object, what, "etag", TRUE, FALSE, etag, error))
    return FALSE;

  if (!nt_model_json_int (object, what, "revision", FALSE, 0, G_MAXINT64, revision, error))
    {
      g_clear_pointer (etag, g_free);
      return FALSE;
    }

  return TRUE;
}

void
nt_model_json_add_meta (JsonBuilder *builder,
                        const char  *etag,
                        gint64       revision)
{
  if (etag != NULL)
    {
      json_builder_set_member_name (builder, "etag");
      json_builder_add_string_value (builder, etag);
    }
  if (etag != NULL || revision > 0)
    {
      json_builder_set_member_name (builder, "revision");
      json_builder_add_int_value (builder, revision);
    }
}

void
nt_model_json_add_instant (JsonBuilder *builder,
                           const char  *member,
                           gint64       t)
{
  char buf[NT_TIME_ISO_LEN + 1];

  nt_time_format_iso_buf (t, buf);
  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, buf);
}

void
nt_model_json_add_date (JsonBuilder *builder,
                        const char  *member,
                        const GDate *date)
{
  json_builder_set_member_name (builder, member);
  if (date != NULL && g_date_valid (date))
    {
      g_autofree char *s = g_strdup_printf ("%04u-%02u-%02u",
                                            (guint)g_date_get_year (date),
                                            (guint)g_date_get_month (date),
                                            (guint)g_date_get_day (date));
      json_builder_add_string_value (builder, s);
    }
  else
    json_builder_add_null_value (builder);
}

void
nt_model_json_add_string (JsonBuilder *builder,
                          const char  *member,
                          const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}
