/* nt-allocation.c: one booking of a station
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-allocation"

#include "config.h"

#include "nt-allocation.h"
#include "nt-model-json.h"

struct _NtAllocation
{
  GObject             parent_instance;

  gint64              id;        /* 0 until the server has stored it */
  char               *station;   /* station id: "BL07U", "BL08W-SAXS" */
  gint64              start;     /* Unix seconds, UTC */
  gint64              end;       /* Unix seconds, UTC, exclusive */
  NtSlot              slot;
  char               *proposal;  /* nullable: public slots */
  gint64              member;    /* 0 = none: coalition slots name one */
  NtAllocationStatus  status;
  char               *note;
  char               *etag;      /* NULL until stored */
  gint64              revision;
};

G_DEFINE_FINAL_TYPE (NtAllocation, nt_allocation, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_STATION,
  PROP_START,
  PROP_END,
  PROP_SLOT,
  PROP_PROPOSAL,
  PROP_MEMBER,
  PROP_STATUS,
  PROP_NOTE,
  PROP_ETAG,
  PROP_REVISION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const GEnumValue slot_values[] = {
  { NT_SLOT_PUBLIC, "NT_SLOT_PUBLIC", "public" },
  { NT_SLOT_COALITION, "NT_SLOT_COALITION", "coalition" },
  { NT_SLOT_STAFF, "NT_SLOT_STAFF", "staff" },
  { NT_SLOT_COMMISSIONING, "NT_SLOT_COMMISSIONING", "commissioning" },
  { 0, NULL, NULL },
};

static const GEnumValue status_values[] = {
  { NT_ALLOCATION_DRAFT, "NT_ALLOCATION_DRAFT", "draft" },
  { NT_ALLOCATION_CONFIRMED, "NT_ALLOCATION_CONFIRMED", "confirmed" },
  { NT_ALLOCATION_CANCELLED, "NT_ALLOCATION_CANCELLED", "cancelled" },
  { 0, NULL, NULL },
};

GType
nt_slot_get_type (void)
{
  static gsize type_id = 0;

  if (g_once_init_enter (&type_id))
    g_once_init_leave (&type_id, g_enum_register_static (g_intern_static_string ("NtSlot"),
                                                         slot_values));
  return type_id;
}

GType
nt_allocation_status_get_type (void)
{
  static gsize type_id = 0;

  if (g_once_init_enter (&type_id))
    g_once_init_leave (&type_id, g_enum_register_static (g_intern_static_string ("NtAllocationStatus"),
                                                         status_values));
  return type_id;
}

static const char *
nick_of (const GEnumValue *values,
         int               value)
{
  for (guint i = 0; values[i].value_nick != NULL; i++)
    if (values[i].value == value)
      return values[i].value_nick;
  return NULL;
}

static gboolean
value_of (const GEnumValue *values,
          const char       *nick,
          int              *value)
{
  for (guint i = 0; nick != NULL && values[i].value_nick != NULL; i++)
    {
      if (g_str_equal (values[i].value_nick, nick))
        {
          *value = values[i].value;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
nt_slot_to_string (NtSlot slot)
{
  const char *nick = nick_of (slot_values, slot);

  g_return_val_if_fail (nick != NULL, NULL);
  return nick;
}

/**
 * nt_slot_from_string:
 * @str: (nullable): a wire name
 *
 * Returns: %TRUE and sets @slot when @str is a slot's wire name
 */
gboolean
nt_slot_from_string (const char *str,
                     NtSlot     *slot)
{
  int v;

  if (!value_of (slot_values, str, &v))
    return FALSE;
  *slot = v;
  return TRUE;
}

const char *
nt_allocation_status_to_string (NtAllocationStatus status)
{
  const char *nick = nick_of (status_values, status);

  g_return_val_if_fail (nick != NULL, NULL);
  return nick;
}

gboolean
nt_allocation_status_from_string (const char         *str,
                                  NtAllocationStatus *status)
{
  int v;

  if (!value_of (status_values, str, &v))
    return FALSE;
  *status = v;
  return TRUE;
}

static void
nt_allocation_finalize (GObject *object)
{
  NtAllocation *self = (NtAllocation *)object;

  g_clear_pointer (&self->station, g_free);
  g_clear_pointer (&self->proposal, g_free);
  g_clear_pointer (&self->note, g_free);
  g_clear_pointer (&self->etag, g_free);

  G_OBJECT_CLASS (nt_allocation_parent_class)->finalize (object);
}

static void
nt_allocation_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  NtAllocation *self = NT_ALLOCATION (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;

    case PROP_STATION:
      g_value_set_string (value, self->station);
      break;

    case PROP_START:
      g_value_set_int64 (value, self->start);
      break;

    case PROP_END:
      g_value_set_int64 (value, self->end);
      break;

    case PROP_SLOT:
      g_value_set_enum (value, self->slot);
      break;

    case PROP_PROPOSAL:
      g_value_set_string (value, self->proposal);
      break;

    case PROP_MEMBER:
      g_value_set_int64 (value, self->member);
      break;

    case PROP_STATUS:
      g_value_set_enum (value, self->status);
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
nt_allocation_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  NtAllocation *self = NT_ALLOCATION (object);

  switch (prop_id)
    {
    case PROP_STATION:
      nt_allocation_set_station (self, g_value_get_string (value));
      break;

    case PROP_START:
      nt_allocation_set_start (self, g_value_get_int64 (value));
      break;

    case PROP_END:
      nt_allocation_set_end (self, g_value_get_int64 (value));
      break;

    case PROP_SLOT:
      nt_allocation_set_slot (self, g_value_get_enum (value));
      break;

    case PROP_PROPOSAL:
      nt_allocation_set_proposal (self, g_value_get_string (value));
      break;

    case PROP_MEMBER:
      nt_allocation_set_member (self, g_value_get_int64 (value));
      break;

    case PROP_STATUS:
      nt_allocation_set_status (self, g_value_get_enum (value));
      break;

    case PROP_NOTE:
      nt_allocation_set_note (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nt_allocation_class_init (NtAllocationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = nt_allocation_finalize;
  object_class->get_property = nt_allocation_get_property;
  object_class->set_property = nt_allocation_set_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_STATION] =
    g_param_spec_string ("station", NULL, NULL, NULL, rw);
  properties[PROP_START] =
    g_param_spec_int64 ("start", NULL, NULL, G_MININT64, G_MAXINT64, 0, rw);
  properties[PROP_END] =
    g_param_spec_int64 ("end", NULL, NULL, G_MININT64, G_MAXINT64, 0, rw);
  properties[PROP_SLOT] =
    g_param_spec_enum ("slot", NULL, NULL, NT_TYPE_SLOT, NT_SLOT_PUBLIC, rw);
  properties[PROP_PROPOSAL] =
    g_param_spec_string ("proposal", NULL, NULL, NULL, rw);
  properties[PROP_MEMBER] =
    g_param_spec_int64 ("member", NULL, NULL, 0, G_MAXINT64, 0, rw);
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, NT_TYPE_ALLOCATION_STATUS,
                       NT_ALLOCATION_DRAFT, rw);
  properties[PROP_NOTE] =
    g_param_spec_string ("note", NULL, NULL, "", rw);
  properties[PROP_ETAG] =
    g_param_spec_string ("etag", NULL, NULL, NULL, ro);
  properties[PROP_REVISION] =
    g_param_spec_int64 ("revision", NULL, NULL, 0, G_MAXINT64, 0, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
nt_allocation_init (NtAllocation *self)
{
  self->note = g_strdup ("");
  self->status = NT_ALLOCATION_DRAFT;
}

/**
 * nt_allocation_new:
 *
 * An allocation not yet stored: id 0, no etag, status draft, no proposal
 * or member.
 */
NtAllocation *
nt_allocation_new (const char *station,
                   gint64      start,
                   gint64      end,
                   NtSlot      slot)
{
  NtAllocation *self = g_object_new (NT_TYPE_ALLOCATION, NULL);

  self->station = g_strdup (station);
  self->start = start;
  self->end = end;
  self->slot = slot;

  return self;
}

/**
 * nt_allocation_new_from_json:
 * @node: a JSON object in the wire format of HACKING.md
 *
 * "id", "etag", "revision" and "note" may be absent (an allocation not
 * yet stored); "proposal" is a string or null, "member" an integer id or
 * null; "end" must be after "start".
 *
 * Returns: (transfer full): the allocation, or %NULL with @error set in
 *   %NT_MODEL_ERROR, naming the member at fault
 */
NtAllocation *
nt_allocation_new_from_json (JsonNode  *node,
                             GError   **error)
{
  static const char what[] = "allocation";
  g_autoptr(NtAllocation) self = NULL;
  g_autofree char *slot = NULL;
  g_autofree char *status = NULL;
  JsonObject *object;
  JsonNode *member;

  if (!(object = nt_model_json_object (node, what, error)))
    return NULL;

  self = g_object_new (NT_TYPE_ALLOCATION, NULL);
  g_clear_pointer (&self->note, g_free);

  if (!nt_model_json_meta (object, what, FALSE, &self->id, NULL,
                           &self->etag, &self->revision, error) ||
      !nt_model_json_string (object, what, "station", FALSE, FALSE, &self->station, error) ||
      !nt_model_json_instant (object, what, "start", &self->start, error) ||
      !nt_model_json_instant (object, what, "end", &self->end, error) ||
      !nt_model_json_string (object, what, "slot", FALSE, FALSE, &slot, error) ||
      !nt_model_json_string (object, what, "proposal", TRUE, FALSE, &self->proposal, error) ||
      !nt_model_json_string (object, what, "status", FALSE, FALSE, &status, error))
    return NULL;

  member = json_object_get_member (object, "member");
  if (member == NULL)
    {
      g_set_error (error, NT_MODEL_ERROR, NT_MODEL_ERROR_INVALID,
                   "%s: “member” is missing", what);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_NULL (member) &&
      !nt_model_json_int (object, what, "member", TRUE, 1, G_MAXINT64, &self->member, error))
    return NULL;

  if (!nt_slot_from_string (slot, &self->slot))
    {
      g_set_error (error, NT_MODEL_ERROR, NT_MODEL_ERROR_UNKNOWN_VALUE,
                   "%s: “slot” “%s” is not one of public, coalition, staff, commissioning",
                   what, slot);
      return NULL;
    }

  if (!nt_allocation_status_from_string (status, &self->status))
    {
      g_set_error (error, NT_MODEL_ERROR, NT_MODEL_ERROR_UNKNOWN_VALUE,
                   "%s: “status” “%s” is not one of draft, confirmed, cancelled",
                   what, status);
      return NULL;
    }

  if (self->end <= self->start)
    {
      g_set_error (error, NT_MODEL_ERROR, NT_MODEL_ERROR_RANGE,
                   "%s: “end” is not after “start”", what);
      return NULL;
    }

  if (json_object_has_member (object, "note") &&
      !nt_model_json_string (object, what, "note", TRUE, TRUE, &self->note, error))
    return NULL;
  if (self->note == NULL)
    self->note = g_strdup ("");

  return g_steal_pointer (&self);
}

/**
 * nt_allocation_to_json:
 *
 * Returns: (transfer full): the allocation in the wire format; "id",
 *   "etag" and "revision" only when it has them
 */
JsonNode *
nt_allocation_to_json (NtAllocation *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (NT_IS_ALLOCATION (self), NULL);

  json_builder_begin_object (builder);
  if (self->id > 0)
    {
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, self->id);
    }
  nt_model_json_add_string (builder, "station", self->station);
  nt_model_json_add_instant (builder, "start", self->start);
  nt_model_json_add_instant (builder, "end", self->end);
  nt_model_json_add_string (builder, "slot", nt_slot_to_string (self->slot));
  nt_model_json_add_string (builder, "proposal", self->proposal);
  json_builder_set_member_name (builder, "member");
  if (self->member > 0)
    json_builder_add_int_value (builder, self->member);
  else
    json_builder_add_null_value (builder);
  nt_model_json_add_string (builder, "status", nt_allocation_status_to_string (self->status));
  nt_model_json_add_string (builder, "note", self->note);
  nt_model_json_add_meta (builder, self->etag, self->revision);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/**
 * nt_allocation_copy:
 *
 * Returns: (transfer full): a new allocation with the same values, etag
 *   and revision, for an editor to change
 */
NtAllocation *
nt_allocation_copy (NtAllocation *self)
{
  NtAllocation *copy;

  g_return_val_if_fail (NT_IS_ALLOCATION (self), NULL);

  copy = nt_allocation_new (self->station, self->start, self->end, self->slot);
  copy->id = self->id;
  copy->proposal = g_strdup (self->proposal);
  copy->member = self->member;
  copy->status = self->status;
  g_free (copy->note);
  copy->note = g_strdup (self->note);
  copy->etag = g_strdup (self->etag);
  copy->revision = self->revision;

  return copy;
}

gint64
nt_allocation_get_id (NtAllocation *self)
{
  g_return_val_if_fail (NT_IS_ALLOCATION (self), 0);
  return self->id;
}

const char *
nt_allocation_get_station (NtAllocation *self)
{
  g_return_val_if_fail (NT_IS_ALLOCATION (self), NULL);
  return self->station;
}

void
nt_allocation_set_station (NtAllocation *self,
                           const char   *station)
{
  g_return_if_fail (NT_IS_ALLOCATION (self));

  if (g_strcmp0 (self->station, station) == 0)
    return;
  g_free (self->station);
  self->station = g_strdup (station);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATION]);
}

gint64
nt_allocation_get_start (NtAllocation *self)
{
  g_return_val_if_fail (NT_IS_ALLOCATION (self), 0);
  return self->start;
}

void
nt_allocation_set_start (NtAllocation *self,
                         gint64        start)
{
  g_return_if_fail (NT_IS_ALLOCATION (self));

  if (self->start == start)
    return;
  self->start = start;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_START]);
}

gint64
nt_allocation_get_end (NtAllocation *self)
{
  g_return_val_if_fail (NT_IS_ALLOCATION (self), 0);
  return self->end;
}

void
nt_allocation_set_end (NtAllocation *self,
                       gint64        end)
{
  g_return_if_fail (NT_IS_ALLOCATION (self));

  if (self->end == end)
    return;
  self->end = end;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_END]);
}

NtSlot
nt_allocation_get_slot (NtAllocation *self)
{
  g_return_val_if_fail (NT_IS_ALLOCATION (self), NT_SLOT_PUBLIC);
  return self->slot;
}

void
nt_allocation_set_slot (NtAllocation *self,
                        NtSlot        slot)
{
  g_return_if_fail (NT_IS_ALLOCATION (self));
  g_return_if_fail ((int)slot >= 0 && slot < NT_N_SLOTS);

  if (self->slot == slot)
    return;
  self->slot = slot;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SLOT]);
}

/**
 * nt_allocation_get_proposal:
 *
 * Returns: (nullable): the public proposal's id ("2026A0012"), or %NULL
 */
const char *
nt_allocation_get_proposal (NtAllocation *self)
{
  g_return_val_if_fail (NT_IS_ALLOCATION (self), NULL);
  return self->proposal;
}

void
nt_allocation_set_proposal (NtAllocation *self,
                            const char   *proposal)
{
  g_return_if_fail (NT_IS_ALLOCATION (self));

  if (proposal != NULL && *proposal == '\0')
    proposal = NULL;
  if (g_strcmp0 (self->proposal, proposal) == 0)
    return;
  g_free (self->proposal);
  self->proposal = g_strdup (proposal);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROPOSAL]);
}

/**
 * nt_allocation_get_member:
 *
 * Returns: the coalition member's id, or 0 for none
 */
gint64
nt_allocation_get_member (NtAllocation *self)
{
  g_return_val_if_fail (NT_IS_ALLOCATION (self), 0);
  return self->member;
}

void
nt_allocation_set_member (NtAllocation *self,
                          gint64        member)
{
  g_return_if_fail (NT_IS_ALLOCATION (self));
  g_return_if_fail (member >= 0);

  if (self->member == member)
    return;
  self->member = member;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEMBER]);
}

NtAllocationStatus
nt_allocation_get_status (NtAllocation *self)
{
  g_return_val_if_fail (NT_IS_ALLOCATION (self), NT_ALLOCATION_DRAFT);
  return self->status;
}

void
nt_allocation_set_status (NtAllocation       *self,
                          NtAllocationStatus  status)
{
  g_return_if_fail (NT_IS_ALLOCATION (self));
  g_return_if_fail ((int)status >= 0 && status < NT_N_ALLOCATION_STATUSES);

  if (self->status == status)
    return;
  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

const char *
nt_allocation_get_note (NtAllocation *self)
{
  g_return_val_if_fail (NT_IS_ALLOCATION (self), NULL);
  return self->note;
}

void
nt_allocation_set_note (NtAllocation *self,
                        const char   *note)
{
  g_return_if_fail (NT_IS_ALLOCATION (self));

  if (note == NULL)
    note = "";
  if (g_strcmp0 (self->note, note) == 0)
    return;
  g_free (self->note);
  self->note = g_strdup (note);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOTE]);
}

/**
 * nt_allocation_get_etag:
 *
 * Returns: (nullable): the entity tag (quoted, as in the ETag header) of
 *   the version this object was read at, or %NULL if never stored
 */
const char *
nt_allocation_get_etag (NtAllocation *self)
{
  g_return_val_if_fail (NT_IS_ALLOCATION (self), NULL);
  return self->etag;
}

gint64
nt_allocation_get_revision (NtAllocation *self)
{
  g_return_val_if_fail (NT_IS_ALLOCATION (self), 0);
  return self->revision;
}
