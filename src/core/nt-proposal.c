/* nt-proposal.c: a public beamtime proposal
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-proposal"

#include "config.h"

#include "nt-model-json.h"
#include "nt-proposal.h"
#include "nt-record-private.h"
#include "nt-time.h"

/* A sanity bound on input: a term has about 540 shifts. */
#define MAX_SHIFTS 10000

struct _NtProposal
{
  GObject       parent_instance;

  NtRecordMeta  meta;              /* a string id, "2026A0012": chosen by the office */
  char         *term;              /* "2026A" */
  char         *title;
  char         *pi;                /* principal investigator */
  char         *organisation;
  gboolean      proprietary;       /* 成果専有 (charged) rather than 成果公開 */
  guint         shifts_requested;
  guint         shifts_approved;
};

G_DEFINE_FINAL_TYPE (NtProposal, nt_proposal, G_TYPE_OBJECT)

enum {
  F_TERM,
  F_TITLE,
  F_PI,
  F_ORGANISATION,
  F_PROPRIETARY,
  F_SHIFTS_REQUESTED,
  F_SHIFTS_APPROVED,
  N_FIELDS
};

static gboolean
is_term (const char *str)
{
  return nt_time_parse_term (str, NULL, NULL);
}

#define FIELD(m) .member = #m, .offset = G_STRUCT_OFFSET (NtProposal, m)
#define TEXT (NT_FIELD_DEFAULT_EMPTY | NT_FIELD_NULL_IS_EMPTY)

/* The wire format's members in order; the properties are named after them. */
static const NtField fields[N_FIELDS] = {
  [F_TERM] = { FIELD (term), .kind = NT_FIELD_STRING, .flags = NT_FIELD_NULL_IS_EMPTY,
               .accept = is_term, .must_be = "a term name like 2026A" },
  [F_TITLE] = { FIELD (title), .kind = NT_FIELD_STRING, .flags = TEXT },
  [F_PI] = { FIELD (pi), .kind = NT_FIELD_STRING, .flags = TEXT | NT_FIELD_ALLOW_EMPTY },
  [F_ORGANISATION] = { FIELD (organisation), .kind = NT_FIELD_STRING,
                       .flags = TEXT | NT_FIELD_ALLOW_EMPTY },
  [F_PROPRIETARY] = { FIELD (proprietary), .kind = NT_FIELD_BOOL },
  [F_SHIFTS_REQUESTED] = { FIELD (shifts_requested), .kind = NT_FIELD_UINT, .max = MAX_SHIFTS },
  [F_SHIFTS_APPROVED] = { FIELD (shifts_approved), .kind = NT_FIELD_UINT, .max = MAX_SHIFTS },
};

static GParamSpec *properties[NT_RECORD_N_PSPECS (N_FIELDS)];

static const NtRecordInfo record = {
  .what = "proposal",
  .meta_offset = G_STRUCT_OFFSET (NtProposal, meta),
  .string_id = TRUE,
  .fields = fields,
  .n_fields = N_FIELDS,
  .pspecs = properties,
};

static void
nt_proposal_class_init (NtProposalClass *klass)
{
  nt_record_class_init (G_OBJECT_CLASS (klass), &record);
}

static void
nt_proposal_init (NtProposal *self)
{
  nt_record_init (self, &record);
}

/**
 * nt_proposal_new:
 * @id: the proposal number ("2026A0012")
 * @term: the term ("2026A")
 *
 * A proposal not yet stored: no etag, empty texts, no shifts.
 */
NtProposal *
nt_proposal_new (const char *id,
                 const char *term)
{
  NtProposal *self = g_object_new (NT_TYPE_PROPOSAL, NULL);

  self->meta.string_id = g_strdup (id);
  self->term = g_strdup (term);

  return self;
}

/**
 * nt_proposal_new_from_json:
 * @node: a JSON object in the wire format of HACKING.md
 *
 * "etag" and "revision" may be absent; every other member is required:
 * "id" and "title" non-empty strings, "term" a term name ("2026A"), "pi"
 * and "organisation" strings, "proprietary" a boolean, the shift counts
 * integers from 0.
 *
 * Returns: (transfer full): the proposal, or %NULL with @error set in
 *   %NT_MODEL_ERROR, naming the member at fault
 */
NtProposal *
nt_proposal_new_from_json (JsonNode  *node,
                           GError   **error)
{
  return nt_record_new_from_json (NT_TYPE_PROPOSAL, &record, node, error);
}

/**
 * nt_proposal_to_json:
 *
 * Returns: (transfer full): the proposal in the wire format; "etag" and
 *   "revision" only when it has them
 */
JsonNode *
nt_proposal_to_json (NtProposal *self)
{
  g_return_val_if_fail (NT_IS_PROPOSAL (self), NULL);
  return nt_record_to_json (self, &record);
}

/**
 * nt_proposal_copy:
 *
 * Returns: (transfer full): a new proposal with the same values, etag and
 *   revision, for an editor to change
 */
NtProposal *
nt_proposal_copy (NtProposal *self)
{
  g_return_val_if_fail (NT_IS_PROPOSAL (self), NULL);
  return nt_record_copy (self, &record);
}

const char *
nt_proposal_get_id (NtProposal *self)
{
  g_return_val_if_fail (NT_IS_PROPOSAL (self), NULL);
  return self->meta.string_id;
}

const char *
nt_proposal_get_term (NtProposal *self)
{
  g_return_val_if_fail (NT_IS_PROPOSAL (self), NULL);
  return self->term;
}

void
nt_proposal_set_term (NtProposal *self,
                      const char *term)
{
  g_return_if_fail (NT_IS_PROPOSAL (self));
  nt_record_set_string (self, &record, F_TERM, term);
}

const char *
nt_proposal_get_title (NtProposal *self)
{
  g_return_val_if_fail (NT_IS_PROPOSAL (self), NULL);
  return self->title;
}

void
nt_proposal_set_title (NtProposal *self,
                       const char *title)
{
  g_return_if_fail (NT_IS_PROPOSAL (self));
  nt_record_set_string (self, &record, F_TITLE, title);
}

const char *
nt_proposal_get_pi (NtProposal *self)
{
  g_return_val_if_fail (NT_IS_PROPOSAL (self), NULL);
  return self->pi;
}

void
nt_proposal_set_pi (NtProposal *self,
                    const char *pi)
{
  g_return_if_fail (NT_IS_PROPOSAL (self));
  nt_record_set_string (self, &record, F_PI, pi);
}

const char *
nt_proposal_get_organisation (NtProposal *self)
{
  g_return_val_if_fail (NT_IS_PROPOSAL (self), NULL);
  return self->organisation;
}

void
nt_proposal_set_organisation (NtProposal *self,
                              const char *organisation)
{
  g_return_if_fail (NT_IS_PROPOSAL (self));
  nt_record_set_string (self, &record, F_ORGANISATION, organisation);
}

gboolean
nt_proposal_get_proprietary (NtProposal *self)
{
  g_return_val_if_fail (NT_IS_PROPOSAL (self), FALSE);
  return self->proprietary;
}

void
nt_proposal_set_proprietary (NtProposal *self,
                             gboolean    proprietary)
{
  g_return_if_fail (NT_IS_PROPOSAL (self));
  nt_record_set_int (self, &record, F_PROPRIETARY, proprietary);
}

guint
nt_proposal_get_shifts_requested (NtProposal *self)
{
  g_return_val_if_fail (NT_IS_PROPOSAL (self), 0);
  return self->shifts_requested;
}

void
nt_proposal_set_shifts_requested (NtProposal *self,
                                  guint       shifts)
{
  g_return_if_fail (NT_IS_PROPOSAL (self));
  nt_record_set_int (self, &record, F_SHIFTS_REQUESTED, shifts);
}

guint
nt_proposal_get_shifts_approved (NtProposal *self)
{
  g_return_val_if_fail (NT_IS_PROPOSAL (self), 0);
  return self->shifts_approved;
}

void
nt_proposal_set_shifts_approved (NtProposal *self,
                                 guint       shifts)
{
  g_return_if_fail (NT_IS_PROPOSAL (self));
  nt_record_set_int (self, &record, F_SHIFTS_APPROVED, shifts);
}

const char *
nt_proposal_get_etag (NtProposal *self)
{
  g_return_val_if_fail (NT_IS_PROPOSAL (self), NULL);
  return self->meta.etag;
}

gint64
nt_proposal_get_revision (NtProposal *self)
{
  g_return_val_if_fail (NT_IS_PROPOSAL (self), 0);
  return self->meta.revision;
}
