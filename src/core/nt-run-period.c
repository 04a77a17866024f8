/* nt-run-period.c: one period of the run plan
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-run-period"

#include "config.h"

#include "nt-model-json.h"
#include "nt-record-private.h"
#include "nt-booking-private.h"
#include "nt-run-period.h"
#include "nt-run-plan-private.h"

struct _NtRunPeriod
{
  GObject       parent_instance;

  NtRecordMeta  meta;
  NtPeriodKind  kind;
  gint64        start;     /* Unix seconds, UTC */
  gint64        end;       /* Unix seconds, UTC, exclusive */
  char         *note;
};

G_DEFINE_FINAL_TYPE (NtRunPeriod, nt_run_period, G_TYPE_OBJECT)

enum {
  F_KIND,
  F_START,
  F_END,
  F_NOTE,
  N_FIELDS
};

#define FIELD(m) .member = #m, .offset = G_STRUCT_OFFSET (NtRunPeriod, m)

/* The wire format's members in order; the properties are named after them. */
static const NtField fields[N_FIELDS] = {
  [F_KIND] = { FIELD (kind), .kind = NT_FIELD_ENUM, .nicks = nt_period_kind_nicks,
               .n_nicks = NT_N_PERIOD_KINDS, .unknown = "a run-plan period kind" },
  [F_START] = { FIELD (start), .kind = NT_FIELD_INSTANT, .flags = NT_FIELD_SPAN_START },
  [F_END] = { FIELD (end), .kind = NT_FIELD_INSTANT, .flags = NT_FIELD_SPAN_END },
  [F_NOTE] = { FIELD (note), .kind = NT_FIELD_STRING,
               .flags = NT_FIELD_OPTIONAL | NT_FIELD_NULLABLE | NT_FIELD_ALLOW_EMPTY |
                        NT_FIELD_DEFAULT_EMPTY | NT_FIELD_NULL_IS_EMPTY },
};

static GParamSpec *properties[NT_RECORD_N_PSPECS (N_FIELDS)];

static const NtRecordInfo record = {
  .what = "period",
  .meta_offset = G_STRUCT_OFFSET (NtRunPeriod, meta),
  .fields = fields,
  .n_fields = N_FIELDS,
  .pspecs = properties,
};

static void
nt_run_period_class_init (NtRunPeriodClass *klass)
{
  nt_record_class_init (G_OBJECT_CLASS (klass), &record);
}

static void
nt_run_period_init (NtRunPeriod *self)
{
  nt_record_init (self, &record);
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

/* A stored period made from a booking record (nt-booking-store.c). */
NtRunPeriod *
nt_run_period_new_stored (gint64        id,
                          const char   *etag,
                          gint64        revision,
                          NtPeriodKind  kind,
                          gint64        start,
                          gint64        end,
                          const char   *note)
{
  NtRunPeriod *self = nt_run_period_new (kind, start, end, note);

  self->meta.id = id;
  self->meta.etag = g_strdup (etag);
  self->meta.revision = revision;

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
  return nt_record_new_from_json (NT_TYPE_RUN_PERIOD, &record, node, error);
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
  g_return_val_if_fail (NT_IS_RUN_PERIOD (self), NULL);
  return nt_record_to_json (self, &record);
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
  g_return_val_if_fail (NT_IS_RUN_PERIOD (self), NULL);
  return nt_record_copy (self, &record);
}

gint64
nt_run_period_get_id (NtRunPeriod *self)
{
  g_return_val_if_fail (NT_IS_RUN_PERIOD (self), 0);
  return self->meta.id;
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
  nt_record_set_int (self, &record, F_KIND, kind);
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
  nt_record_set_int (self, &record, F_START, start);
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
  nt_record_set_int (self, &record, F_END, end);
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
  nt_record_set_string (self, &record, F_NOTE, note);
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
  return self->meta.etag;
}

gint64
nt_run_period_get_revision (NtRunPeriod *self)
{
  g_return_val_if_fail (NT_IS_RUN_PERIOD (self), 0);
  return self->meta.revision;
}
