/* nt-member.c: a coalition member
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-member"

#include "config.h"

#include "nt-member.h"
#include "nt-model-json.h"

/* A member holds at most this many units: a sanity bound on input. */
#define MAX_UNITS 1000

struct _NtMember
{
  GObject  parent_instance;

  gint64   id;              /* 0 until the server has stored it */
  char    *name;
  guint    units;
  GDate    contract_start;  /* invalid (cleared) when unknown */
  GDate    contract_end;
  char    *etag;            /* NULL until stored */
  gint64   revision;
};

G_DEFINE_FINAL_TYPE (NtMember, nt_member, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_UNITS,
  PROP_CONTRACT_START,
  PROP_CONTRACT_END,
  PROP_ETAG,
  PROP_REVISION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

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
set_date (GDate       *dest,
          const GDate *src)
{
  if (src != NULL && g_date_valid (src))
    *dest = *src;
  else
    g_date_clear (dest, 1);
}

static void
nt_member_finalize (GObject *object)
{
  NtMember *self = (NtMember *)object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->etag, g_free);

  G_OBJECT_CLASS (nt_member_parent_class)->finalize (object);
}

static void
nt_member_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  NtMember *self = NT_MEMBER (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_UNITS:
      g_value_set_uint (value, self->units);
      break;

    case PROP_CONTRACT_START:
      g_value_set_boxed (value, g_date_valid (&self->contract_start) ? &self->contract_start : NULL);
      break;

    case PROP_CONTRACT_END:
      g_value_set_boxed (value, g_date_valid (&self->contract_end) ? &self->contract_end : NULL);
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
nt_member_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  NtMember *self = NT_MEMBER (object);

  switch (prop_id)
    {
    case PROP_NAME:
      nt_member_set_name (self, g_value_get_string (value));
      break;

    case PROP_UNITS:
      nt_member_set_units (self, g_value_get_uint (value));
      break;

    case PROP_CONTRACT_START:
      nt_member_set_contract_start (self, g_value_get_boxed (value));
      break;

    case PROP_CONTRACT_END:
      nt_member_set_contract_end (self, g_value_get_boxed (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nt_member_class_init (NtMemberClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = nt_member_finalize;
  object_class->get_property = nt_member_get_property;
  object_class->set_property = nt_member_set_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL, rw);
  properties[PROP_UNITS] =
    g_param_spec_uint ("units", NULL, NULL, 0, MAX_UNITS, 1, rw);
  properties[PROP_CONTRACT_START] =
    g_param_spec_boxed ("contract-start", NULL, NULL, G_TYPE_DATE, rw);
  properties[PROP_CONTRACT_END] =
    g_param_spec_boxed ("contract-end", NULL, NULL, G_TYPE_DATE, rw);
  properties[PROP_ETAG] =
    g_param_spec_string ("etag", NULL, NULL, NULL, ro);
  properties[PROP_REVISION] =
    g_param_spec_int64 ("revision", NULL, NULL, 0, G_MAXINT64, 0, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
nt_member_init (NtMember *self)
{
  self->units = 1;
  g_date_clear (&self->contract_start, 1);
  g_date_clear (&self->contract_end, 1);
}

/**
 * nt_member_new:
 * @contract_start: (nullable): first day of the contract
 * @contract_end: (nullable): last day of the contract
 *
 * A member not yet stored: id 0, no etag.
 */
NtMember *
nt_member_new (const char  *name,
               guint        units,
               const GDate *contract_start,
               const GDate *contract_end)
{
  NtMember *self = g_object_new (NT_TYPE_MEMBER, NULL);

  self->name = g_strdup (name);
  self->units = units;
  set_date (&self->contract_start, contract_start);
  set_date (&self->contract_end, contract_end);

  return self;
}

/**
 * nt_member_new_from_json:
 * @node: a JSON object in the wire format of HACKING.md
 *
 * "id", "etag" and "revision" may be absent; "name" (non-empty), "units"
 * (an integer from 1) and the contract dates ("YYYY-MM-DD", end not before
 * start) are required.
 *
 * Returns: (transfer full): the member, or %NULL with @error set in
 *   %NT_MODEL_ERROR, naming the member at fault
 */
NtMember *
nt_member_new_from_json (JsonNode  *node,
                         GError   **error)
{
  static const char what[] = "member";
  g_autoptr(NtMember) self = NULL;
  JsonObject *object;
  gint64 units;

  if (!(object = nt_model_json_object (node, what, error)))
    return NULL;

  self = g_object_new (NT_TYPE_MEMBER, NULL);

  if (!nt_model_json_meta (object, what, FALSE, &self->id, NULL,
                           &self->etag, &self->revision, error) ||
      !nt_model_json_string (object, what, "name", FALSE, FALSE, &self->name, error) ||
      !nt_model_json_int (object, what, "units", TRUE, 1, MAX_UNITS, &units, error) ||
      !nt_model_json_date (object, what, "contract_start", &self->contract_start, error) ||
      !nt_model_json_date (object, what, "contract_end", &self->contract_end, error))
    return NULL;

  self->units = (guint)units;

  if (g_date_compare (&self->contract_end, &self->contract_start) < 0)
    {
      g_set_error (error, NT_MODEL_ERROR, NT_MODEL_ERROR_RANGE,
                   "%s: “contract_end” is before “contract_start”", what);
      return NULL;
    }

  return g_steal_pointer (&self);
}

/**
 * nt_member_to_json:
 *
 * Returns: (transfer full): the member in the wire format; "id", "etag"
 *   and "revision" only when it has them
 */
JsonNode *
nt_member_to_json (NtMember *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (NT_IS_MEMBER (self), NULL);

  json_builder_begin_object (builder);
  if (self->id > 0)
    {
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, self->id);
    }
  nt_model_json_add_string (builder, "name", self->name);
  json_builder_set_member_name (builder, "units");
  json_builder_add_int_value (builder, self->units);
  nt_model_json_add_date (builder, "contract_start", &self->contract_start);
  nt_model_json_add_date (builder, "contract_end", &self->contract_end);
  nt_model_json_add_meta (builder, self->etag, self->revision);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/**
 * nt_member_copy:
 *
 * Returns: (transfer full): a new member with the same values, etag and
 *   revision, for an editor to change
 */
NtMember *
nt_member_copy (NtMember *self)
{
  NtMember *copy;

  g_return_val_if_fail (NT_IS_MEMBER (self), NULL);

  copy = nt_member_new (self->name, self->units, &self->contract_start, &self->contract_end);
  copy->id = self->id;
  copy->etag = g_strdup (self->etag);
  copy->revision = self->revision;

  return copy;
}

gint64
nt_member_get_id (NtMember *self)
{
  g_return_val_if_fail (NT_IS_MEMBER (self), 0);
  return self->id;
}

const char *
nt_member_get_name (NtMember *self)
{
  g_return_val_if_fail (NT_IS_MEMBER (self), NULL);
  return self->name;
}

void
nt_member_set_name (NtMember   *self,
                    const char *name)
{
  g_return_if_fail (NT_IS_MEMBER (self));

  if (g_strcmp0 (self->name, name) == 0)
    return;
  g_free (self->name);
  self->name = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

guint
nt_member_get_units (NtMember *self)
{
  g_return_val_if_fail (NT_IS_MEMBER (self), 0);
  return self->units;
}

void
nt_member_set_units (NtMember *self,
                     guint     units)
{
  g_return_if_fail (NT_IS_MEMBER (self));

  if (self->units == units)
    return;
  self->units = units;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNITS]);
}

/**
 * nt_member_get_hours_per_year:
 *
 * Returns: the coalition hours the member's units buy in a fiscal year
 *   (units × 200 h)
 */
guint
nt_member_get_hours_per_year (NtMember *self)
{
  g_return_val_if_fail (NT_IS_MEMBER (self), 0);
  return self->units * NT_MEMBER_HOURS_PER_UNIT;
}

/**
 * nt_member_get_contract_start:
 *
 * Returns: (nullable): the contract's first day, or %NULL if unknown
 */
const GDate *
nt_member_get_contract_start (NtMember *self)
{
  g_return_val_if_fail (NT_IS_MEMBER (self), NULL);
  return g_date_valid (&self->contract_start) ? &self->contract_start : NULL;
}

void
nt_member_set_contract_start (NtMember    *self,
                              const GDate *date)
{
  g_return_if_fail (NT_IS_MEMBER (self));

  if (date_equal (&self->contract_start, date))
    return;
  set_date (&self->contract_start, date);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTRACT_START]);
}

/**
 * nt_member_get_contract_end:
 *
 * Returns: (nullable): the contract's last day, or %NULL if unknown
 */
const GDate *
nt_member_get_contract_end (NtMember *self)
{
  g_return_val_if_fail (NT_IS_MEMBER (self), NULL);
  return g_date_valid (&self->contract_end) ? &self->contract_end : NULL;
}

void
nt_member_set_contract_end (NtMember    *self,
                            const GDate *date)
{
  g_return_if_fail (NT_IS_MEMBER (self));

  if (date_equal (&self->contract_end, date))
    return;
  set_date (&self->contract_end, date);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTRACT_END]);
}

const char *
nt_member_get_etag (NtMember *self)
{
  g_return_val_if_fail (NT_IS_MEMBER (self), NULL);
  return self->etag;
}

gint64
nt_member_get_revision (NtMember *self)
{
  g_return_val_if_fail (NT_IS_MEMBER (self), 0);
  return self->revision;
}
