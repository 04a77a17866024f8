/* nt-run-period.c: one period of the run plan
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-run-period"

#include "config.h"

#include "nt-model-json.h"
#include "nt-run-period.h"

struct _NtRunPeriod
{
  GObject       parent_instance;

  gint64        id;        /* 0 until the server has stored it */
  NtPeriodKind  kind;
  gint64        start;     /* Unix seconds, UTC */
  gint64        end;       /* Unix seconds, UTC, exclusive */
  char         *note;
  char         *etag;      /* NULL until stored */
  gint64        revision;
};

G_DEFINE_FINAL_TYPE (NtRunPeriod, nt_run_period, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_KIND,
  PROP_START,
  PROP_END,
  PROP_NOTE,
  PROP_ETAG,
  PROP_REVISION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
nt_run_period_finalize (GObject *object)
{
  NtRunPeriod *self = (NtRunPeriod *)object;

  g_clear_pointer (&self->note, g_free);
  g_clear_pointer (&self->etag, g_free);

  G_OBJECT_CLASS (nt_run_period_parent_class)->finalize (object);
}

static void
nt_run_period_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  NtRunPeriod *self = NT_RUN_PERIOD (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;

    case PROP_KIND:
      g_value_set_int (value, self->kind);
      break;

    case PROP_START:
      g_value_set_int64 (value, self->start);
      break;

    case PROP_END:
      g_value_set_int64 (value, self->end);
      break;

    case PROP_NOTE:
      g_value_set_string (value, self->note);
      break;

    case PROP_ETAG:
      g_value_set_string (value, self->etag);
      break;

    case PROP_REVISION:
      g_value_set_int64 (value, self->revision);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nt_run_period_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  NtRunPeriod *self = NT_RUN_PERIOD (object);

  switch (prop_id)
    {
    case PROP_KIND:
      nt_run_period_set_kind (self, g_value_get_int (value));
      break;

    case PROP_START:
      nt_run_period_set_start (self, g_value_get_int64 (value));
      break;

    case PROP_END:
      nt_run_period_set_end (self, g_value_get_int64 (value));
      break;

    case PROP_NOTE:
      nt_run_period_set_note (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nt_run_period_class_init (NtRunPeriodClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = nt_run_period_finalize;
  object_class->get_property = nt_run_period_get_property;
  object_class->set_property = nt_run_period_set_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_KIND] =
    g_param_spec_int ("kind", NULL, NULL, 0, NT_N_PERIOD_KINDS - 1, 0, rw);
  properties[PROP_START] =
    g_param_spec_int64 ("start", NULL, NULL, G_MININT64, G_MAXINT64, 0, rw);
  properties[PROP_END] =
    g_param_spec_int64 ("end", NULL, NULL, G_MININT64, G_MAXINT64, 0, rw);
  properties[PROP_NOTE] =
    g_param_spec_string ("note", NULL, NULL, "", rw);
  properties[PROP_ETAG] =
    g_param_spec_string ("etag", NULL, NULL, NULL, ro);
  properties[PROP_REVISION] =
    g_param_spec_int64 ("revision", NULL, NULL, 0, G_MAXINT64, 0, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
nt_run_period_init (NtRunPeriod *self)
{
  self->note = g_strdup ("");
}

/**
 * nt_run_period_new:
 * @note: (nullable): a note, or %NULL for none
 *
 * A period not yet stored: id 0, no etag.
 */
NtRunPeriod *
nt_run_period_new (NtPeriodKind  kind,
                   gint64        start,
                   gint64        end,
                   const char   *note)
{
  NtRunPeriod *self = g_object_new (NT_TYPE_RUN_PERIOD, NULL);

  self->kind = kind;
  self->start = start;
  self->end = end;
  g_free (self->note);
  self->note = g_strdup (note != NULL ? note : "");

  return self;
}

/**
 * nt_run_period_new_from_json:
 * @node: a JSON object in the wire format of HACKING.md
 *
 * "id", "etag" and "revision" may be absent (a period not yet stored);
 * "kind", "start" and "end" are required and "end" must be after "start".
 *
 * Returns: (transfer full): the period, or %NULL with @error set in
 *   %NT_MODEL_ERROR, naming the member at fault
 */
NtRunPeriod *
nt_run_period_new_from_json (JsonNode  *node,
                             GError   **error)
{
  g_autoptr(NtRunPeriod) self = NULL;
  g_autofree char *kind = NULL;
  JsonObject *object;

  if (!(object = nt_model_json_object (node, "period", error)))
    return NULL;

  self = g_object_new (NT_TYPE_RUN_PERIOD, NULL);
  g_clear_pointer (&self->note, g_free);

  if (!nt_model_json_meta (object, "period", FALSE, &self->id, NULL,
                           &self->etag, &self->revision, error) ||
      !nt_model_json_string (object, "period", "kind", FALSE, FALSE, &kind, error) ||
      !nt_model_json_instant (object, "period", "start", &self->start, error) ||
      !nt_model_json_instant (object, "period", "end", &self->end, error))
    return NULL;

  if (!nt_period_kind_from_string (kind, &self->kind))
    {
      g_set_error (error, NT_MODEL_ERROR, NT_MODEL_ERROR_UNKNOWN_VALUE,
                   "period: “kind” “%s” is not a run-plan period kind", kind);
      return NULL;
    }

  if (self->end <= self->start)
    {
      g_set_error (error, NT_MODEL_ERROR, NT_MODEL_ERROR_RANGE,
                   "period: “end” is not after “start”");
      return NULL;
    }

  if (json_object_has_member (object, "note"))
    {
      if (!nt_model_json_string (object, "period", "note", TRUE, TRUE, &self->note, error))
        return NULL;
    }
  if (self->note == NULL)
    self->note = g_strdup ("");

  return g_steal_pointer (&self);
}

/**
 * nt_run_period_to_json:
 *
 * Returns: (transfer full): the period in the wire format; "id", "etag"
 *   and "revision" only when it has them
 */
JsonNode *
nt_run_period_to_json (NtRunPeriod *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (NT_IS_RUN_PERIOD (self), NULL);

  json_builder_begin_object (builder);
  if (self->id > 0)
    {
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, self->id);
    }
  nt_model_json_add_string (builder, "kind", nt_period_kind_to_string (self->kind));
  nt_model_json_add_instant (builder, "start", self->start);
  nt_model_json_add_instant (builder, "end", self->end);
  nt_model_json_add_string (builder, "note", self->note);
  nt_model_json_add_meta (builder, self->etag, self->revision);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/**
 * nt_run_period_copy:
 *
 * Returns: (transfer full): a new period with the same values, etag and
 *   revision, for an editor to change
 */
NtRunPeriod *
nt_run_period_copy (NtRunPeriod *self)
{
  NtRunPeriod *copy;

  g_return_val_if_fail (NT_IS_RUN_PERIOD (self), NULL);

  copy = nt_run_period_new (self->kind, self->start, self->end, self->note);
  copy->id = self->id;
  copy->etag = g_strdup (self->etag);
  copy->revision = self->revision;

  return copy;
}

gint64
nt_run_period_get_id (NtRunPeriod *self)
{
  g_return_val_if_fail (NT_IS_RUN_PERIOD (self), 0);
  return self->id;
}

NtPeriodKind
nt_run_period_get_kind (NtRunPeriod *self)
{
  g_return_val_if_fail (NT_IS_RUN_PERIOD (self), NT_PERIOD_USER_OPERATION);
  return self->kind;
}

void
nt_run_period_set_kind (NtRunPeriod  *self,
                        NtPeriodKind  kind)
{
  g_return_if_fail (NT_IS_RUN_PERIOD (self));
  g_return_if_fail ((int)kind >= 0 && kind < NT_N_PERIOD_KINDS);

  if (self->kind == kind)
    return;
  self->kind = kind;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
}

gint64
nt_run_period_get_start (NtRunPeriod *self)
{
  g_return_val_if_fail (NT_IS_RUN_PERIOD (self), 0);
  return self->start;
}

void
nt_run_period_set_start (NtRunPeriod *self,
                         gint64       start)
{
  g_return_if_fail (NT_IS_RUN_PERIOD (self));

  if (self->start == start)
    return;
  self->start = start;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_START]);
}

gint64
nt_run_period_get_end (NtRunPeriod *self)
{
  g_return_val_if_fail (NT_IS_RUN_PERIOD (self), 0);
  return self->end;
}

void
nt_run_period_set_end (NtRunPeriod *self,
                       gint64       end)
{
  g_return_if_fail (NT_IS_RUN_PERIOD (self));

  if (self->end == end)
    return;
  self->end = end;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_END]);
}

const char *
nt_run_period_get_note (NtRunPeriod *self)
{
  g_return_val_if_fail (NT_IS_RUN_PERIOD (self), NULL);
  return self->note;
}

void
nt_run_period_set_note (NtRunPeriod *self,
                        const char  *note)
{
  g_return_if_fail (NT_IS_RUN_PERIOD (self));

  if (note == NULL)
    note = "";
  if (g_strcmp0 (self->note, note) == 0)
    return;
  g_free (self->note);
  self->note = g_strdup (note);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOTE]);
}

/**
 * nt_run_period_get_etag:
 *
 * Returns: (nullable): the entity tag (quoted, as in the ETag header) of
 *   the version this object was read at, or %NULL if never stored
 */
const char *
nt_run_period_get_etag (NtRunPeriod *self)
{
  g_return_val_if_fail (NT_IS_RUN_PERIOD (self), NULL);
  return self->etag;
}

gint64
nt_run_period_get_revision (NtRunPeriod *self)
{
  g_return_val_if_fail (NT_IS_RUN_PERIOD (self), 0);
  return self->revision;
}
