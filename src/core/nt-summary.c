/* nt-summary.c: a fiscal year's allocation summary (GET /summary), read strictly
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The scheduling service's summary of a fiscal year is outside input: it
 * is read here, member by member, into plain structs, and whatever is not
 * the shape HACKING.md gives ("Scheduling API wire format") is refused
 * with an NT_MODEL_ERROR that names the member, so that the view that
 * shows it (nt-plan-summary.c) never meets a mistyped node.  A number
 * that is missing counts as 0 (the service leaves out what it has none
 * of); the names that label a line (a station, a member, a beamline) are
 * required.
 */
#define G_LOG_DOMAIN "nt-summary"

#include "config.h"

#include <math.h>

#include "nt-model-json.h"
#include "nt-summary.h"

/* A number member of @object into @out: 0 when it is missing (or @object
 * is NULL), an error when it is there but not a finite number. */
static gboolean
read_number (JsonObject  *object,
             const char  *what,
             const char  *member,
             double      *out,
             GError     **error)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;
  GType type;

  *out = 0;
  if (node == NULL)
    return TRUE;
  type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
    {
      g_set_error (error, NT_MODEL_ERROR, NT_MODEL_ERROR_INVALID,
                   "%s: “%s” must be a number", what, member);
      return FALSE;
    }
  *out = json_node_get_double (node);
  if (!isfinite (*out))
    {
      g_set_error (error, NT_MODEL_ERROR, NT_MODEL_ERROR_RANGE,
                   "%s: “%s” is out of range", what, member);
      return FALSE;
    }
  return TRUE;
}

/* An optional member that, when present, must be an object (or an array). */
static gboolean
read_container (JsonObject   *object,
                const char   *what,
                const char   *member,
                JsonNodeType  type,
                JsonNode    **out,
                GError      **error)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (JSON_NODE_TYPE (node) != type)
    {
      g_set_error (error, NT_MODEL_ERROR, NT_MODEL_ERROR_INVALID,
                   "%s: “%s” must be %s", what, member, type == JSON_NODE_OBJECT ? "an object" : "an array");
      return FALSE;
    }
  *out = node;
  return TRUE;
}

/* Every member of @object (if any) as a number, into @table. */
static gboolean
read_number_table (JsonObject  *object,
                   const char  *what,
                   GHashTable  *table,
                   GError     **error)
{
  g_autoptr(GList) names = object != NULL ? json_object_get_members (object) : NULL;

  for (GList *l = names; l != NULL; l = l->next)
    {
      double *hours = g_new (double, 1);

      if (!read_number (object, what, l->data, hours, error))
        {
          g_free (hours);
          return FALSE;
        }
      g_hash_table_replace (table, g_strdup (l->data), hours);
    }
  return TRUE;
}

static void
clear_share (gpointer data)
{
  g_free (((NtSummaryShare *) data)->station_id);
}

static void
clear_member (gpointer data)
{
  g_free (((NtSummaryMember *) data)->name);
}

static void
clear_survey (gpointer data)
{
  g_free (((NtSummarySurvey *) data)->beamline_id);
}

static void
section_free (gpointer data)
{
  NtSummarySection *section = data;

  g_clear_pointer (&section->hours_by_kind, g_hash_table_unref);
  g_clear_pointer (&section->planned, g_hash_table_unref);
  g_clear_pointer (&section->shares, g_array_unref);
  g_clear_pointer (&section->members, g_array_unref);
  g_clear_pointer (&section->surveys, g_array_unref);
  g_free (section);
}

/* Each element of the array member @member of @object, as an object, to
 * @read (none when the member is missing). */
typedef gboolean (*ReadElement) (JsonObject        *element,
                                 NtSummarySection  *section,
                                 GError           **error);

static gboolean
read_each (JsonObject        *object,
           const char        *what,
           const char        *member,
           ReadElement        read,
           NtSummarySection  *section,
           GError           **error)
{
  JsonNode *node;
  JsonArray *array;

  if (!read_container (object, what, member, JSON_NODE_ARRAY, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *element = nt_model_json_object (json_array_get_element (array, i), member, error);

      if (element == NULL || !read (element, section, error))
        return FALSE;
    }
  return TRUE;
}

/* The number members of one record: each JSON member and where it goes. */
typedef struct
{
  const char *member;
  gsize       offset;
} NumberField;

static const NumberField share_fields[] = {
  { "share", G_STRUCT_OFFSET (NtSummaryShare, share) },
  { "target", G_STRUCT_OFFSET (NtSummaryShare, target) },
  { "public_hours", G_STRUCT_OFFSET (NtSummaryShare, public_hours) },
  { "user_operation_hours", G_STRUCT_OFFSET (NtSummaryShare, user_operation_hours) },
  { NULL, 0 }
};

static const NumberField survey_fields[] = {
  { "requested_days", G_STRUCT_OFFSET (NtSummarySurvey, requested_days) },
  { "offered_days", G_STRUCT_OFFSET (NtSummarySurvey, offered_days) },
  { "ratio", G_STRUCT_OFFSET (NtSummarySurvey, ratio) },
  { NULL, 0 }
};

static const NumberField member_fields[] = {
  { "hours_allowed", G_STRUCT_OFFSET (NtSummaryMember, hours_allowed) },
  { "hours_used", G_STRUCT_OFFSET (NtSummaryMember, hours_used) },
  { "hours_left", G_STRUCT_OFFSET (NtSummaryMember, hours_left) },
  { "fee_jpy", G_STRUCT_OFFSET (NtSummaryMember, fee_jpy) },
  { NULL, 0 }
};

static gboolean
read_numbers (JsonObject         *object,
              const char         *what,
              const NumberField  *fields,
              gpointer            record,
              GError            **error)
{
  for (const NumberField *f = fields; f->member != NULL; f++)
    if (!read_number (object, what, f->member, G_STRUCT_MEMBER_P (record, f->offset), error))
      return FALSE;
  return TRUE;
}

/* Room for any one of the records. */
typedef union
{
  NtSummaryShare  share;
  NtSummarySurvey survey;
  NtSummaryMember member;
} AnyRecord;

/* The record that @parent may hold as the object @member (none: nothing
 * added), appended to @into: its label (the string @parent names it by,
 * at @label_offset) and its numbers from that object by @fields. */
static gboolean
read_labelled (JsonObject         *parent,
               const char         *what,
               const char         *member,
               const char         *label_member,
               const NumberField  *fields,
               gsize               label_offset,
               GArray             *into,
               GError            **error)
{
  AnyRecord record = { 0 };
  char **label = G_STRUCT_MEMBER_P (&record, label_offset);
  JsonNode *node;

  g_assert (g_array_get_element_size (into) <= sizeof record);
  if (!read_container (parent, what, member, JSON_NODE_OBJECT, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;
  if (!nt_model_json_string (parent, what, label_member, FALSE, FALSE, label, error))
    return FALSE;
  if (!read_numbers (json_node_get_object (node), member, fields, &record, error))
    {
      g_free (*label);
      return FALSE;
    }
  g_array_append_vals (into, &record, 1);
  return TRUE;
}

/* A public or in-house station has no share to show. */
static gboolean
read_station (JsonObject        *st,
              NtSummarySection  *section,
              GError           **error)
{
  return read_labelled (st, "station", "public_share", "id", share_fields,
                        G_STRUCT_OFFSET (NtSummaryShare, station_id), section->shares, error);
}

static gboolean
read_beamline (JsonObject        *bl,
               NtSummarySection  *section,
               GError           **error)
{
  return read_each (bl, "beamline", "stations", read_station, section, error) &&
         read_labelled (bl, "beamline", "survey", "id", survey_fields,
                        G_STRUCT_OFFSET (NtSummarySurvey, beamline_id), section->surveys, error);
}

static gboolean
read_member (JsonObject        *m,
             NtSummarySection  *section,
             GError           **error)
{
  NtSummaryMember member = { 0 };

  if (!nt_model_json_string (m, "member", "name", FALSE, FALSE, &member.name, error))
    return FALSE;
  if (!nt_model_json_int (m, "member", "units", FALSE, 0, G_MAXINT32, &member.units, error) ||
      !read_numbers (m, "member", member_fields, &member, error))
    {
      g_free (member.name);
      return FALSE;
    }
  g_array_append_val (section->members, member);
  return TRUE;
}

static NtSummarySection *
read_section (JsonNode  *node,
              GError   **error)
{
  JsonObject *o = nt_model_json_object (node, "section", error);
  NtSummarySection *section;
  JsonNode *kinds, *plan;

  if (o == NULL)
    return NULL;
  section = g_new0 (NtSummarySection, 1);
  section->hours_by_kind = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  section->planned = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  section->shares = g_array_new (FALSE, TRUE, sizeof (NtSummaryShare));
  g_array_set_clear_func (section->shares, clear_share);
  section->members = g_array_new (FALSE, TRUE, sizeof (NtSummaryMember));
  g_array_set_clear_func (section->members, clear_member);
  section->surveys = g_array_new (FALSE, TRUE, sizeof (NtSummarySurvey));
  g_array_set_clear_func (section->surveys, clear_survey);

  if (!read_number (o, "section", "accelerator_hours", &section->accelerator_hours, error) ||
      !read_container (o, "section", "hours_by_kind", JSON_NODE_OBJECT, &kinds, error) ||
      !read_container (o, "section", "plan", JSON_NODE_OBJECT, &plan, error) ||
      !read_number_table (kinds != NULL ? json_node_get_object (kinds) : NULL, "hours_by_kind",
                          section->hours_by_kind, error) ||
      !read_number_table (plan != NULL ? json_node_get_object (plan) : NULL, "plan",
                          section->planned, error) ||
      !read_each (o, "section", "beamlines", read_beamline, section, error) ||
      !read_each (o, "section", "members", read_member, section, error))
    {
      section_free (section);
      return NULL;
    }
  section->planned_accelerator_hours = nt_summary_section_planned (section, "accelerator_hours");
  return section;
}

/**
 * nt_summary_new_from_json:
 * @node: the body of GET /summary
 *
 * Returns: (transfer full) (nullable): the summary, or %NULL with an
 *   NT_MODEL_ERROR naming the member that is not as it must be
 */
NtSummary *
nt_summary_new_from_json (JsonNode  *node,
                          GError   **error)
{
  g_autoptr(NtSummary) summary = NULL;
  JsonObject *root = nt_model_json_object (node, "summary", error);
  JsonNode *sections;
  JsonArray *array;

  if (root == NULL || !read_container (root, "summary", "sections", JSON_NODE_ARRAY, &sections, error))
    return NULL;
  if (sections == NULL)
    {
      g_set_error (error, NT_MODEL_ERROR, NT_MODEL_ERROR_INVALID, "summary: “sections” is missing");
      return NULL;
    }
  summary = g_new0 (NtSummary, 1);
  summary->sections = g_ptr_array_new_with_free_func (section_free);
  array = json_node_get_array (sections);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      NtSummarySection *section = read_section (json_array_get_element (array, i), error);

      if (section == NULL)
        return NULL;
      g_ptr_array_add (summary->sections, section);
    }
  return g_steal_pointer (&summary);
}

void
nt_summary_free (NtSummary *summary)
{
  if (summary == NULL)
    return;
  g_clear_pointer (&summary->sections, g_ptr_array_unref);
  g_free (summary);
}

/* Hours of the period kind @kind (its wire nick) in @section; 0 if none. */
double
nt_summary_section_kind_hours (const NtSummarySection *section,
                               const char             *kind)
{
  const double *hours = g_hash_table_lookup (section->hours_by_kind, kind);

  return hours != NULL ? *hours : 0;
}

/* The plan's figure @member (user_operation_hours, study_hours, …); 0 if none. */
double
nt_summary_section_planned (const NtSummarySection *section,
                            const char             *member)
{
  const double *hours = g_hash_table_lookup (section->planned, member);

  return hours != NULL ? *hours : 0;
}
