/* nt-member.c: a coalition member
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-member"

#include "config.h"

#include "nt-member.h"
#include "nt-model-json.h"
#include "nt-record-private.h"

/* A member holds at most this many units: a sanity bound on input. */
#define MAX_UNITS 1000

struct _NtMember
{
  GObject       parent_instance;

  NtRecordMeta  meta;
  char         *name;
  guint         units;
  GDate         contract_start;  /* invalid (cleared) when unknown */
  GDate         contract_end;
};

G_DEFINE_FINAL_TYPE (NtMember, nt_member, G_TYPE_OBJECT)

enum {
  F_NAME,
  F_UNITS,
  F_CONTRACT_START,
  F_CONTRACT_END,
  N_FIELDS
};

#define FIELD(m) .member = #m, .offset = G_STRUCT_OFFSET (NtMember, m)

/* The wire format's members in order; the properties are named after them. */
static const NtField fields[N_FIELDS] = {
  [F_NAME] = { FIELD (name), .kind = NT_FIELD_STRING },
  [F_UNITS] = { FIELD (units), .kind = NT_FIELD_UINT, .min = 1, .max = MAX_UNITS, .initial = 1 },
  [F_CONTRACT_START] = { FIELD (contract_start), .kind = NT_FIELD_DATE,
                         .flags = NT_FIELD_SPAN_START },
  [F_CONTRACT_END] = { FIELD (contract_end), .kind = NT_FIELD_DATE,
                       .flags = NT_FIELD_SPAN_END },
};

static GParamSpec *properties[NT_RECORD_N_PSPECS (N_FIELDS)];

static const NtRecordInfo record = {
  .what = "member",
  .meta_offset = G_STRUCT_OFFSET (NtMember, meta),
  .fields = fields,
  .n_fields = N_FIELDS,
  .pspecs = properties,
};

static void
nt_member_class_init (NtMemberClass *klass)
{
  nt_record_class_init (G_OBJECT_CLASS (klass), &record);
}

static void
nt_member_init (NtMember *self)
{
  nt_record_init (self, &record);
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
  if (contract_start != NULL && g_date_valid (contract_start))
    self->contract_start = *contract_start;
  if (contract_end != NULL && g_date_valid (contract_end))
    self->contract_end = *contract_end;

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
  return nt_record_new_from_json (NT_TYPE_MEMBER, &record, node, error);
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
  g_return_val_if_fail (NT_IS_MEMBER (self), NULL);
  return nt_record_to_json (self, &record);
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
  g_return_val_if_fail (NT_IS_MEMBER (self), NULL);
  return nt_record_copy (self, &record);
}

gint64
nt_member_get_id (NtMember *self)
{
  g_return_val_if_fail (NT_IS_MEMBER (self), 0);
  return self->meta.id;
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
  nt_record_set_string (self, &record, F_NAME, name);
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
  nt_record_set_int (self, &record, F_UNITS, units);
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
  return nt_record_get_date (self, &record, F_CONTRACT_START);
}

void
nt_member_set_contract_start (NtMember    *self,
                              const GDate *date)
{
  g_return_if_fail (NT_IS_MEMBER (self));
  nt_record_set_date (self, &record, F_CONTRACT_START, date);
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
  return nt_record_get_date (self, &record, F_CONTRACT_END);
}

void
nt_member_set_contract_end (NtMember    *self,
                            const GDate *date)
{
  g_return_if_fail (NT_IS_MEMBER (self));
  nt_record_set_date (self, &record, F_CONTRACT_END, date);
}

const char *
nt_member_get_etag (NtMember *self)
{
  g_return_val_if_fail (NT_IS_MEMBER (self), NULL);
  return self->meta.etag;
}

gint64
nt_member_get_revision (NtMember *self)
{
  g_return_val_if_fail (NT_IS_MEMBER (self), 0);
  return self->meta.revision;
}
