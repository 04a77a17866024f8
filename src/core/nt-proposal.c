/* nt-proposal.c: a public beamtime proposal
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-proposal"

#include "config.h"

#include "nt-model-json.h"
#include "nt-proposal.h"
#include "nt-time.h"

/* A sanity bound on input: a term has about 540 shifts. */
#define MAX_SHIFTS 10000

struct _NtProposal
{
  GObject   parent_instance;

  char     *id;                /* "2026A0012": chosen by the office */
  char     *term;              /* "2026A" */
  char     *title;
  char     *pi;                /* principal investigator */
  char     *organisation;
  gboolean  proprietary;       /* 成果専有 (charged) rather than 成果公開 */
  guint     shifts_requested;
  guint     shifts_approved;
  char     *etag;              /* NULL until stored */
  gint64    revision;
};

G_DEFINE_FINAL_TYPE (NtProposal, nt_proposal, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_TERM,
  PROP_TITLE,
  PROP_PI,
  PROP_ORGANISATION,
  PROP_PROPRIETARY,
  PROP_SHIFTS_REQUESTED,
  PROP_SHIFTS_APPROVED,
  PROP_ETAG,
  PROP_REVISION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
replace_string (char       **field,
                const char  *value)
{
  if (value == NULL)
    value = "";
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static void
nt_proposal_finalize (GObject *object)
{
  NtProposal *self = (NtProposal *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->term, g_free);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->pi, g_free);
  g_clear_pointer (&self->organisation, g_free);
  g_clear_pointer (&self->etag, g_free);

  G_OBJECT_CLASS (nt_proposal_parent_class)->finalize (object);
}

static void
nt_proposal_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  NtProposal *self = NT_PROPOSAL (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_TERM:
      g_value_set_string (value, self->term);
      break;

    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;

    case PROP_PI:
      g_value_set_string (value, self->pi);
      break;

    case PROP_ORGANISATION:
      g_value_set_string (value, self->organisation);
      break;

    case PROP_PROPRIETARY:
      g_value_set_boolean (value, self->proprietary);
      break;

    case PROP_SHIFTS_REQUESTED:
      g_value_set_uint (value, self->shifts_requested);
      break;

    case PROP_SHIFTS_APPROVED:
      g_value_set_uint (value, self->shifts_approved);
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
nt_proposal_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  NtProposal *self = NT_PROPOSAL (object);

  switch (prop_id)
    {
    case PROP_TERM:
      nt_proposal_set_term (self, g_value_get_string (value));
      break;

    case PROP_TITLE:
      nt_proposal_set_title (self, g_value_get_string (value));
      break;

    case PROP_PI:
      nt_proposal_set_pi (self, g_value_get_string (value));
      break;

    case PROP_ORGANISATION:
      nt_proposal_set_organisation (self, g_value_get_string (value));
      break;

    case PROP_PROPRIETARY:
      nt_proposal_set_proprietary (self, g_value_get_boolean (value));
      break;

    case PROP_SHIFTS_REQUESTED:
      nt_proposal_set_shifts_requested (self, g_value_get_uint (value));
      break;

    case PROP_SHIFTS_APPROVED:
      nt_proposal_set_shifts_approved (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nt_proposal_class_init (NtProposalClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = nt_proposal_finalize;
  object_class->get_property = nt_proposal_get_property;
  object_class->set_property = nt_proposal_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL, ro);
  properties[PROP_TERM] =
    g_param_spec_string ("term", NULL, NULL, NULL, rw);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, "", rw);
  properties[PROP_PI] =
    g_param_spec_string ("pi", NULL, NULL, "", rw);
  properties[PROP_ORGANISATION] =
    g_param_spec_string ("organisation", NULL, NULL, "", rw);
  properties[PROP_PROPRIETARY] =
    g_param_spec_boolean ("proprietary", NULL, NULL, FALSE, rw);
  properties[PROP_SHIFTS_REQUESTED] =
    g_param_spec_uint ("shifts-requested", NULL, NULL, 0, MAX_SHIFTS, 0, rw);
  properties[PROP_SHIFTS_APPROVED] =
    g_param_spec_uint ("shifts-approved", NULL, NULL, 0, MAX_SHIFTS, 0, rw);
  properties[PROP_ETAG] =
    g_param_spec_string ("etag", NULL, NULL, NULL, ro);
  properties[PROP_REVISION] =
    g_param_spec_int64 ("revision", NULL, NULL, 0, G_MAXINT64, 0, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
nt_proposal_init (NtProposal *self)
{
  self->title = g_strdup ("");
  self->pi = g_strdup ("");
  self->organisation = g_strdup ("");
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

  self->id = g_strdup (id);
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
  static const char what[] = "proposal";
  g_autoptr(NtProposal) self = NULL;
  JsonObject *object;
  gint64 requested;
  gint64 approved;
  int fy;
  NtTerm term;

  if (!(object = nt_model_json_object (node, what, error)))
    return NULL;

  self = g_object_new (NT_TYPE_PROPOSAL, NULL);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->pi, g_free);
  g_clear_pointer (&self->organisation, g_free);

  if (!nt_model_json_meta (object, what, TRUE, NULL, &self->id,
                           &self->etag, &self->revision, error) ||
      !nt_model_json_string (object, what, "term", FALSE, FALSE, &self->term, error))
    return NULL;

  if (!nt_time_parse_term (self->term, &fy, &term))
    {
      g_set_error (error, NT_MODEL_ERROR, NT_MODEL_ERROR_INVALID,
                   "%s: “term” must be a term name like 2026A", what);
      return NULL;
    }

  if (!nt_model_json_string (object, what, "title", FALSE, FALSE, &self->title, error) ||
      !nt_model_json_string (object, what, "pi", FALSE, TRUE, &self->pi, error) ||
      !nt_model_json_string (object, what, "organisation", FALSE, TRUE, &self->organisation, error) ||
      !nt_model_json_bool (object, what, "proprietary", &self->proprietary, error) ||
      !nt_model_json_int (object, what, "shifts_requested", TRUE, 0, MAX_SHIFTS, &requested, error) ||
      !nt_model_json_int (object, what, "shifts_approved", TRUE, 0, MAX_SHIFTS, &approved, error))
    return NULL;

  self->shifts_requested = (guint)requested;
  self->shifts_approved = (guint)approved;

  return g_steal_pointer (&self);
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
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (NT_IS_PROPOSAL (self), NULL);

  json_builder_begin_object (builder);
  nt_model_json_add_string (builder, "id", self->id);
  nt_model_json_add_string (builder, "term", self->term);
  nt_model_json_add_string (builder, "title", self->title);
  nt_model_json_add_string (builder, "pi", self->pi);
  nt_model_json_add_string (builder, "organisation", self->organisation);
  json_builder_set_member_name (builder, "proprietary");
  json_builder_add_boolean_value (builder, self->proprietary);
  json_builder_set_member_name (builder, "shifts_requested");
  json_builder_add_int_value (builder, self->shifts_requested);
  json_builder_set_member_name (builder, "shifts_approved");
  json_builder_add_int_value (builder, self->shifts_approved);
  nt_model_json_add_meta (builder, self->etag, self->revision);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
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
  NtProposal *copy;

  g_return_val_if_fail (NT_IS_PROPOSAL (self), NULL);

  copy = nt_proposal_new (self->id, self->term);
  replace_string (&copy->title, self->title);
  replace_string (&copy->pi, self->pi);
  replace_string (&copy->organisation, self->organisation);
  copy->proprietary = self->proprietary;
  copy->shifts_requested = self->shifts_requested;
  copy->shifts_approved = self->shifts_approved;
  copy->etag = g_strdup (self->etag);
  copy->revision = self->revision;

  return copy;
}

const char *
nt_proposal_get_id (NtProposal *self)
{
  g_return_val_if_fail (NT_IS_PROPOSAL (self), NULL);
  return self->id;
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

  if (replace_string (&self->term, term))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TERM]);
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

  if (replace_string (&self->title, title))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
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

  if (replace_string (&self->pi, pi))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PI]);
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

  if (replace_string (&self->organisation, organisation))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORGANISATION]);
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

  proprietary = !!proprietary;
  if (self->proprietary == proprietary)
    return;
  self->proprietary = proprietary;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROPRIETARY]);
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

  if (self->shifts_requested == shifts)
    return;
  self->shifts_requested = shifts;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHIFTS_REQUESTED]);
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

  if (self->shifts_approved == shifts)
    return;
  self->shifts_approved = shifts;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHIFTS_APPROVED]);
}

const char *
nt_proposal_get_etag (NtProposal *self)
{
  g_return_val_if_fail (NT_IS_PROPOSAL (self), NULL);
  return self->etag;
}

gint64
nt_proposal_get_revision (NtProposal *self)
{
  g_return_val_if_fail (NT_IS_PROPOSAL (self), 0);
  return self->revision;
}
