/* nt-record.c: properties, copy and JSON of the scheduling models, from their field tables
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-record"

#include "config.h"

#include "nt-model-json.h"
#include "nt-nicks-private.h"
#include "nt-record-private.h"

#define PROP_ID            1
#define PROP_FIELD(i)      (2 + (i))
#define PROP_ETAG(info)    (2 + (info)->n_fields)
#define PROP_REVISION(info) (3 + (info)->n_fields)

static GQuark
info_quark (void)
{
  static GQuark quark;

  if (quark == 0)
    quark = g_quark_from_static_string ("nt-record-info");
  return quark;
}

static const NtRecordInfo *
info_of (GObject *object)
{
  return g_type_get_qdata (G_OBJECT_TYPE (object), info_quark ());
}

static gpointer
field_ptr (gpointer       record,
           const NtField *f)
{
  return G_STRUCT_MEMBER_P (record, f->offset);
}

static gboolean
is_string_empty_default (const NtField *f)
{
  return f->kind == NT_FIELD_STRING && (f->flags & NT_FIELD_DEFAULT_EMPTY) != 0;
}

/* Integers of every width, read as one gint64. */
static gint64
get_int (gpointer       record,
         const NtField *f)
{
  gpointer p = field_ptr (record, f);

  switch (f->kind)
    {
    case NT_FIELD_INSTANT:
    case NT_FIELD_INT64:
      return *(gint64 *)p;
    case NT_FIELD_UINT:
      return *(guint *)p;
    case NT_FIELD_BOOL:
      return *(gboolean *)p;
    case NT_FIELD_ENUM:
      return *(int *)p;
    case NT_FIELD_STRING:
    case NT_FIELD_DATE:
    default:
      g_assert_not_reached ();
    }
}

static void
put_int (gpointer       record,
         const NtField *f,
         gint64         value)
{
  gpointer p = field_ptr (record, f);

  switch (f->kind)
    {
    case NT_FIELD_INSTANT:
    case NT_FIELD_INT64:
      *(gint64 *)p = value;
      break;
    case NT_FIELD_UINT:
      *(guint *)p = (guint)value;
      break;
    case NT_FIELD_BOOL:
      *(gboolean *)p = value != 0;
      break;
    case NT_FIELD_ENUM:
      *(int *)p = (int)value;
      break;
    case NT_FIELD_STRING:
    case NT_FIELD_DATE:
    default:
      g_assert_not_reached ();
    }
}

static gboolean
date_equal (const GDate *a,
            const GDate *b)
{
  gboolean va = a != NULL && g_date_valid (a);
  gboolean vb = b != NULL && g_date_valid (b);

  if (!va || !vb)
    return va == vb;
  return g_date_compare (a, b) == 0;
}

static void
put_date (GDate       *dest,
          const GDate *src)
{
  if (src != NULL && g_date_valid (src))
    *dest = *src;
  else
    g_date_clear (dest, 1);
}

static void
notify_field (gpointer            record,
              const NtRecordInfo *info,
              guint               field)
{
  g_object_notify_by_pspec (G_OBJECT (record), info->pspecs[PROP_FIELD (field)]);
}

static GParamSpec *
field_pspec (const NtField *f)
{
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  g_autofree char *dashed = g_strdelimit (g_strdup (f->member), "_", '-');
  const char *name = g_intern_string (dashed);

  switch (f->kind)
    {
    case NT_FIELD_STRING:
      return g_param_spec_string (name, NULL, NULL, is_string_empty_default (f) ? "" : NULL, rw);
    case NT_FIELD_INSTANT:
      return g_param_spec_int64 (name, NULL, NULL, G_MININT64, G_MAXINT64, 0, rw);
    case NT_FIELD_DATE:
      return g_param_spec_boxed (name, NULL, NULL, G_TYPE_DATE, rw);
    case NT_FIELD_INT64:
      return g_param_spec_int64 (name, NULL, NULL, 0, f->max, f->initial, rw);
    case NT_FIELD_UINT:
      return g_param_spec_uint (name, NULL, NULL, 0, (guint)f->max, (guint)f->initial, rw);
    case NT_FIELD_BOOL:
      return g_param_spec_boolean (name, NULL, NULL, f->initial != 0, rw);
    case NT_FIELD_ENUM:
      if (f->enum_type != NULL)
        return g_param_spec_enum (name, NULL, NULL, f->enum_type (), (int)f->initial, rw);
      return g_param_spec_int (name, NULL, NULL, 0, (int)f->n_nicks - 1, (int)f->initial, rw);
    default:
      g_assert_not_reached ();
    }
}

static void
nt_record_finalize (GObject *object)
{
  const NtRecordInfo *info = info_of (object);
  NtRecordMeta *meta = nt_record_meta (object, info);

  for (guint i = 0; i < info->n_fields; i++)
    if (info->fields[i].kind == NT_FIELD_STRING)
      g_clear_pointer ((char **)field_ptr (object, &info->fields[i]), g_free);
  g_clear_pointer (&meta->string_id, g_free);
  g_clear_pointer (&meta->etag, g_free);

  G_OBJECT_CLASS (g_type_class_peek_parent (G_OBJECT_GET_CLASS (object)))->finalize (object);
}

static void
nt_record_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  const NtRecordInfo *info = info_of (object);
  NtRecordMeta *meta = nt_record_meta (object, info);
  const NtField *f;

  if (prop_id == PROP_ID && info->string_id)
    g_value_set_string (value, meta->string_id);
  else if (prop_id == PROP_ID)
    g_value_set_int64 (value, meta->id);
  else if (prop_id == PROP_ETAG (info))
    g_value_set_string (value, meta->etag);
  else if (prop_id == PROP_REVISION (info))
    g_value_set_int64 (value, meta->revision);
  else if (prop_id >= PROP_FIELD (0) && prop_id < PROP_ETAG (info))
    {
      f = &info->fields[prop_id - PROP_FIELD (0)];
      switch (f->kind)
        {
        case NT_FIELD_STRING:
          g_value_set_string (value, *(char **)field_ptr (object, f));
          break;
        case NT_FIELD_DATE:
          g_value_set_boxed (value, nt_record_get_date (object, info, prop_id - PROP_FIELD (0)));
          break;
        case NT_FIELD_INSTANT:
        case NT_FIELD_INT64:
          g_value_set_int64 (value, get_int (object, f));
          break;
        case NT_FIELD_UINT:
          g_value_set_uint (value, (guint)get_int (object, f));
          break;
        case NT_FIELD_BOOL:
          g_value_set_boolean (value, get_int (object, f) != 0);
          break;
        case NT_FIELD_ENUM:
          if (f->enum_type != NULL)
            g_value_set_enum (value, (int)get_int (object, f));
          else
            g_value_set_int (value, (int)get_int (object, f));
          break;
        default:
          g_assert_not_reached ();
        }
    }
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
nt_record_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  const NtRecordInfo *info = info_of (object);
  guint field = prop_id - PROP_FIELD (0);
  const NtField *f;

  if (prop_id < PROP_FIELD (0) || prop_id >= PROP_ETAG (info))
    {
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }

  f = &info->fields[field];
  switch (f->kind)
    {
    case NT_FIELD_STRING:
      nt_record_set_string (object, info, field, g_value_get_string (value));
      break;
    case NT_FIELD_DATE:
      nt_record_set_date (object, info, field, g_value_get_boxed (value));
      break;
    case NT_FIELD_INSTANT:
    case NT_FIELD_INT64:
      nt_record_set_int (object, info, field, g_value_get_int64 (value));
      break;
    case NT_FIELD_UINT:
      nt_record_set_int (object, info, field, g_value_get_uint (value));
      break;
    case NT_FIELD_BOOL:
      nt_record_set_int (object, info, field, g_value_get_boolean (value));
      break;
    case NT_FIELD_ENUM:
      nt_record_set_int (object, info, field,
                         f->enum_type != NULL ? g_value_get_enum (value) : g_value_get_int (value));
      break;
    default:
      g_assert_not_reached ();
    }
}

/**
 * nt_record_class_init:
 * @info: (transfer none): the record's description, static
 *
 * Installs the properties "id", one a field, "etag" and "revision" (the
 * last two and "id" read-only) and the vfuncs that serve them.
 */
void
nt_record_class_init (GObjectClass       *object_class,
                      const NtRecordInfo *info)
{
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  g_type_set_qdata (G_OBJECT_CLASS_TYPE (object_class), info_quark (), (gpointer)info);

  object_class->finalize = nt_record_finalize;
  object_class->get_property = nt_record_get_property;
  object_class->set_property = nt_record_set_property;

  info->pspecs[0] = NULL;
  info->pspecs[PROP_ID] = info->string_id
    ? g_param_spec_string ("id", NULL, NULL, NULL, ro)
    : g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, ro);
  for (guint i = 0; i < info->n_fields; i++)
    info->pspecs[PROP_FIELD (i)] = field_pspec (&info->fields[i]);
  info->pspecs[PROP_ETAG (info)] =
    g_param_spec_string ("etag", NULL, NULL, NULL, ro);
  info->pspecs[PROP_REVISION (info)] =
    g_param_spec_int64 ("revision", NULL, NULL, 0, G_MAXINT64, 0, ro);

  g_object_class_install_properties (object_class, NT_RECORD_N_PSPECS (info->n_fields),
                                     info->pspecs);
}

/**
 * nt_record_init:
 *
 * Gives a new record its fields' initial values: "" for the strings that
 * start empty, cleared dates, the integers' initial values.
 */
void
nt_record_init (gpointer            record,
                const NtRecordInfo *info)
{
  for (guint i = 0; i < info->n_fields; i++)
    {
      const NtField *f = &info->fields[i];

      switch (f->kind)
        {
        case NT_FIELD_STRING:
          if (is_string_empty_default (f))
            *(char **)field_ptr (record, f) = g_strdup ("");
          break;
        case NT_FIELD_DATE:
          g_date_clear (field_ptr (record, f), 1);
          break;
        case NT_FIELD_INSTANT:
        case NT_FIELD_INT64:
        case NT_FIELD_UINT:
        case NT_FIELD_BOOL:
        case NT_FIELD_ENUM:
          put_int (record, f, f->initial);
          break;
        default:
          g_assert_not_reached ();
        }
    }
}

NtRecordMeta *
nt_record_meta (gpointer            record,
                const NtRecordInfo *info)
{
  return G_STRUCT_MEMBER_P (record, info->meta_offset);
}

static gboolean
field_from_json (gpointer            record,
                 const NtRecordInfo *info,
                 const NtField      *f,
                 JsonObject         *object,
                 GError            **error)
{
  gboolean nullable = (f->flags & NT_FIELD_NULLABLE) != 0;
  JsonNode *node = json_object_get_member (object, f->member);
  g_autofree char *s = NULL;
  gint64 v = 0;
  int e;

  if (node == NULL && (f->flags & NT_FIELD_OPTIONAL) != 0)
    return TRUE;

  switch (f->kind)
    {
    case NT_FIELD_STRING:
      if (!nt_model_json_string (object, info->what, f->member, nullable,
                                 (f->flags & NT_FIELD_ALLOW_EMPTY) != 0, &s, error))
        return FALSE;
      if (s != NULL && f->accept != NULL && !f->accept (s))
        {
          g_set_error (error, NT_MODEL_ERROR, NT_MODEL_ERROR_INVALID,
                       "%s: “%s” must be %s", info->what, f->member, f->must_be);
          return FALSE;
        }
      if (s == NULL && (f->flags & NT_FIELD_NULL_IS_EMPTY) != 0)
        s = g_strdup ("");
      g_free (*(char **)field_ptr (record, f));
      *(char **)field_ptr (record, f) = g_steal_pointer (&s);
      return TRUE;

    case NT_FIELD_INSTANT:
      return nt_model_json_instant (object, info->what, f->member, field_ptr (record, f), error);

    case NT_FIELD_DATE:
      return nt_model_json_date (object, info->what, f->member, field_ptr (record, f), error);

    case NT_FIELD_INT64:
    case NT_FIELD_UINT:
      if (!(nullable && node != NULL && JSON_NODE_HOLDS_NULL (node)) &&
          !nt_model_json_int (object, info->what, f->member, TRUE, f->min, f->max, &v, error))
        return FALSE;
      put_int (record, f, v);
      return TRUE;

    case NT_FIELD_BOOL:
      return nt_model_json_bool (object, info->what, f->member, field_ptr (record, f), error);

    case NT_FIELD_ENUM:
      if (!nt_model_json_string (object, info->what, f->member, FALSE, FALSE, &s, error))
        return FALSE;
      if (!nt_nick_lookup (f->nicks, f->n_nicks, s, &e))
        {
          g_autoptr(GString) one_of = g_string_new ("one of ");

          for (guint i = 0; i < f->n_nicks; i++)
            g_string_append_printf (one_of, i > 0 ? ", %s" : "%s", f->nicks[i]);
          g_set_error (error, NT_MODEL_ERROR, NT_MODEL_ERROR_UNKNOWN_VALUE,
                       "%s: “%s” “%s” is not %s", info->what, f->member, s,
                       f->unknown != NULL ? f->unknown : one_of->str);
          return FALSE;
        }
      put_int (record, f, e);
      return TRUE;

    default:
      g_assert_not_reached ();
    }
}

static const NtField *
field_flagged (const NtRecordInfo *info,
               NtFieldFlags        flag)
{
  for (guint i = 0; i < info->n_fields; i++)
    if ((info->fields[i].flags & flag) != 0)
      return &info->fields[i];
  return NULL;
}

/* A span of instants is half open, so its end comes after its start; a
 * span of dates names its last day, which may be its first. */
static gboolean
check_span (gpointer            record,
            const NtRecordInfo *info,
            GError            **error)
{
  const NtField *from = field_flagged (info, NT_FIELD_SPAN_START);
  const NtField *to = field_flagged (info, NT_FIELD_SPAN_END);

  if (from == NULL || to == NULL)
    return TRUE;

  if (from->kind == NT_FIELD_DATE)
    {
      if (g_date_compare (field_ptr (record, to), field_ptr (record, from)) >= 0)
        return TRUE;
      g_set_error (error, NT_MODEL_ERROR, NT_MODEL_ERROR_RANGE,
                   "%s: “%s” is before “%s”", info->what, to->member, from->member);
      return FALSE;
    }

  if (get_int (record, to) > get_int (record, from))
    return TRUE;
  g_set_error (error, NT_MODEL_ERROR, NT_MODEL_ERROR_RANGE,
               "%s: “%s” is not after “%s”", info->what, to->member, from->member);
  return FALSE;
}

/**
 * nt_record_new_from_json:
 *
 * Reads the meta members ("id", "etag", "revision"), then each field in
 * table order, then checks the span its SPAN_START and SPAN_END fields make.
 *
 * Returns: (transfer full): the record, or %NULL with @error set in
 *   %NT_MODEL_ERROR, naming the member at fault
 */
gpointer
nt_record_new_from_json (GType               type,
                         const NtRecordInfo *info,
                         JsonNode           *node,
                         GError            **error)
{
  g_autoptr(GObject) record = NULL;
  NtRecordMeta *meta;
  JsonObject *object;

  if (!(object = nt_model_json_object (node, info->what, error)))
    return NULL;

  record = g_object_new (type, NULL);
  meta = nt_record_meta (record, info);

  if (!nt_model_json_meta (object, info->what, info->string_id, &meta->id, &meta->string_id,
                           &meta->etag, &meta->revision, error))
    return NULL;

  for (guint i = 0; i < info->n_fields; i++)
    if (!field_from_json (record, info, &info->fields[i], object, error))
      return NULL;

  if (!check_span (record, info, error))
    return NULL;

  return g_steal_pointer (&record);
}

/**
 * nt_record_to_json:
 *
 * Returns: (transfer full): "id" (a numeric one only once stored), the
 *   fields in table order, then "etag" and "revision" when it has them
 */
JsonNode *
nt_record_to_json (gpointer            record,
                   const NtRecordInfo *info)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  NtRecordMeta *meta = nt_record_meta (record, info);

  json_builder_begin_object (builder);
  if (info->string_id)
    nt_model_json_add_string (builder, "id", meta->string_id);
  else if (meta->id > 0)
    {
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, meta->id);
    }

  for (guint i = 0; i < info->n_fields; i++)
    {
      const NtField *f = &info->fields[i];
      gpointer p = field_ptr (record, f);

      switch (f->kind)
        {
        case NT_FIELD_STRING:
          nt_model_json_add_string (builder, f->member, *(char **)p);
          break;
        case NT_FIELD_INSTANT:
          nt_model_json_add_instant (builder, f->member, *(gint64 *)p);
          break;
        case NT_FIELD_DATE:
          nt_model_json_add_date (builder, f->member, p);
          break;
        case NT_FIELD_INT64:
        case NT_FIELD_UINT:
          json_builder_set_member_name (builder, f->member);
          if ((f->flags & NT_FIELD_NULLABLE) != 0 && get_int (record, f) <= 0)
            json_builder_add_null_value (builder);
          else
            json_builder_add_int_value (builder, get_int (record, f));
          break;
        case NT_FIELD_BOOL:
          json_builder_set_member_name (builder, f->member);
          json_builder_add_boolean_value (builder, *(gboolean *)p);
          break;
        case NT_FIELD_ENUM:
          nt_model_json_add_string (builder, f->member, f->nicks[*(int *)p]);
          break;
        default:
          g_assert_not_reached ();
        }
    }

  nt_model_json_add_meta (builder, meta->etag, meta->revision);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/**
 * nt_record_copy:
 *
 * Returns: (transfer full): a new record of the same type with the same
 *   fields, id, etag and revision
 */
gpointer
nt_record_copy (gpointer            record,
                const NtRecordInfo *info)
{
  GObject *copy = g_object_new (G_OBJECT_TYPE (record), NULL);
  NtRecordMeta *from = nt_record_meta (record, info);
  NtRecordMeta *to = nt_record_meta (copy, info);

  to->id = from->id;
  to->string_id = g_strdup (from->string_id);
  to->etag = g_strdup (from->etag);
  to->revision = from->revision;

  for (guint i = 0; i < info->n_fields; i++)
    {
      const NtField *f = &info->fields[i];

      switch (f->kind)
        {
        case NT_FIELD_STRING:
          g_free (*(char **)field_ptr (copy, f));
          *(char **)field_ptr (copy, f) = g_strdup (*(char **)field_ptr (record, f));
          break;
        case NT_FIELD_DATE:
          put_date (field_ptr (copy, f), field_ptr (record, f));
          break;
        case NT_FIELD_INSTANT:
        case NT_FIELD_INT64:
        case NT_FIELD_UINT:
        case NT_FIELD_BOOL:
        case NT_FIELD_ENUM:
          put_int (copy, f, get_int (record, f));
          break;
        default:
          g_assert_not_reached ();
        }
    }

  return copy;
}

void
nt_record_set_string (gpointer            record,
                      const NtRecordInfo *info,
                      guint               field,
                      const char         *value)
{
  const NtField *f = &info->fields[field];
  char **p = field_ptr (record, f);

  g_assert (f->kind == NT_FIELD_STRING);

  if (value == NULL && (f->flags & NT_FIELD_NULL_IS_EMPTY) != 0)
    value = "";
  if (value != NULL && *value == '\0' && (f->flags & NT_FIELD_EMPTY_IS_NULL) != 0)
    value = NULL;
  if (g_strcmp0 (*p, value) == 0)
    return;
  g_free (*p);
  *p = g_strdup (value);
  notify_field (record, info, field);
}

/**
 * nt_record_set_int:
 *
 * Sets an integer, boolean or enum field; an enum must be one of its
 * values and a plain gint64 not negative.
 */
void
nt_record_set_int (gpointer            record,
                   const NtRecordInfo *info,
                   guint               field,
                   gint64              value)
{
  const NtField *f = &info->fields[field];

  g_return_if_fail (f->kind != NT_FIELD_ENUM || (value >= 0 && value < f->n_nicks));
  g_return_if_fail (f->kind != NT_FIELD_INT64 || value >= 0);

  if (f->kind == NT_FIELD_BOOL)
    value = value != 0;
  if (get_int (record, f) == value)
    return;
  put_int (record, f, value);
  notify_field (record, info, field);
}

void
nt_record_set_date (gpointer            record,
                    const NtRecordInfo *info,
                    guint               field,
                    const GDate        *value)
{
  const NtField *f = &info->fields[field];

  g_assert (f->kind == NT_FIELD_DATE);

  if (date_equal (field_ptr (record, f), value))
    return;
  put_date (field_ptr (record, f), value);
  notify_field (record, info, field);
}

/**
 * nt_record_get_date:
 *
 * Returns: (nullable): the date, or %NULL when it is unknown
 */
const GDate *
nt_record_get_date (gpointer            record,
                    const NtRecordInfo *info,
                    guint               field)
{
  const GDate *date = field_ptr (record, &info->fields[field]);

  return g_date_valid (date) ? date : NULL;
}
