/* test-plan-summary.c: the fiscal year's summary, read strictly and shown
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The reference store's real summary of the demo year reads into every
 * section, share, member and survey, and the plan summary beside the
 * timeline shows it; a summary of the wrong shape is refused with an
 * error that names the member, and the view says so in words instead of
 * tripping over it (G_DEBUG=fatal-warnings: a json-glib critical fails
 * the test).
 */
#include "config.h"

#include <math.h>

#include <gtk/gtk.h>

#include "client-test-util.h"
#include "nt-model-json.h"
#include "nt-plan-summary.h"
#include "nt-summary.h"
#include "nt-units.h"
#include "schedule-test-util.h"
#include "test-instants.h"
#include "ui-test-util.h"

static JsonNode *
demo_summary (SchedFixture *f)
{
  g_autoptr(GError) error = NULL;
  NtScheduleFault *fault = NULL;
  JsonNode *node;

  g_assert_true (nt_schedule_service_seed_demo (f->service, 2026, &error));
  g_assert_no_error (error);
  node = nt_schedule_store_summary (nt_schedule_service_get_store (f->service), 2026, &fault);
  g_assert_null (fault);
  g_assert_nonnull (node);
  return node;
}

static JsonNode *
parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (nt_json_load_one (parser, text, strlen (text), &error));
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static void
test_read_demo (SchedFixture  *f,
                gconstpointer  data)
{
  g_autoptr(JsonNode) node = demo_summary (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(NtSummary) summary = nt_summary_new_from_json (node, &error);
  JsonArray *sections;

  g_assert_no_error (error);
  g_assert_nonnull (summary);
  sections = json_object_get_array_member (json_node_get_object (node), "sections");
  g_assert_cmpuint (summary->sections->len, ==, json_array_get_length (sections));
  g_assert_cmpuint (summary->sections->len, ==, 3);

  for (guint i = 0; i < summary->sections->len; i++)
    {
      const NtSummarySection *s = g_ptr_array_index (summary->sections, i);
      JsonObject *o = json_array_get_object_element (sections, i);
      JsonObject *kinds = json_object_get_object_member (o, "hours_by_kind");

      g_assert_cmpfloat (s->accelerator_hours, ==, json_object_get_double_member (o, "accelerator_hours"));
      g_assert_cmpfloat (s->accelerator_hours, >, 0);
      g_assert_cmpfloat (nt_summary_section_kind_hours (s, "user_operation"), ==,
                         json_object_get_double_member (kinds, "user_operation"));
      g_assert_cmpfloat (nt_summary_section_kind_hours (s, "user_operation"), >, 0);
      g_assert_cmpfloat (nt_summary_section_kind_hours (s, "no-such-kind"), ==, 0);
      g_assert_cmpuint (s->shares->len, >, 0);
      g_assert_cmpuint (s->members->len, >, 0);
      for (guint j = 0; j < s->shares->len; j++)
        {
          const NtSummaryShare *share = &g_array_index (s->shares, NtSummaryShare, j);

          g_assert_true (share->station_id != NULL && share->station_id[0] != '\0');
          g_assert_cmpfloat (share->share, >=, 0);
          g_assert_cmpfloat (share->share, <=, 1);
          g_assert_cmpfloat (share->public_hours, <=, share->user_operation_hours + 1e-6);
        }
      for (guint j = 0; j < s->members->len; j++)
        {
          const NtSummaryMember *m = &g_array_index (s->members, NtSummaryMember, j);

          g_assert_true (m->name != NULL && m->name[0] != '\0');
          g_assert_cmpint (m->units, >=, 0);
        }
    }
  /* The year plans its user operation. */
  g_assert_cmpfloat (nt_summary_section_planned (g_ptr_array_index (summary->sections, 0),
                                                 "user_operation_hours"), >, 0);
}

/* Each a summary of the wrong shape, and the member its error must name. */
static const struct
{
  const char *body;
  const char *named;
} hostile[] = {
  { "[]", "not a JSON object" },
  { "{}", "sections" },
  { "{\"sections\":{}}", "sections" },
  { "{\"sections\":[1]}", "not a JSON object" },
  { "{\"sections\":[{\"accelerator_hours\":\"many\"}]}", "accelerator_hours" },
  { "{\"sections\":[{\"hours_by_kind\":7}]}", "hours_by_kind" },
  { "{\"sections\":[{\"hours_by_kind\":{\"user_operation\":[1]}}]}", "user_operation" },
  { "{\"sections\":[{\"plan\":{\"study_hours\":true}}]}", "study_hours" },
  { "{\"sections\":[{\"beamlines\":[\"BL02U\"]}]}", "not a JSON object" },
  { "{\"sections\":[{\"beamlines\":[{\"stations\":[{\"id\":7,\"public_share\":{\"share\":0.5}}]}]}]}", "id" },
  { "{\"sections\":[{\"beamlines\":[{\"stations\":[{\"id\":\"BL07U\",\"public_share\":[]}]}]}]}", "public_share" },
  { "{\"sections\":[{\"beamlines\":[{\"stations\":[{\"id\":\"BL07U\",\"public_share\":{\"target\":{}}}]}]}]}", "target" },
  { "{\"sections\":[{\"beamlines\":[{\"survey\":{\"requested_days\":1}}]}]}", "id" },
  { "{\"sections\":[{\"beamlines\":[{\"id\":\"BL02U\",\"survey\":{\"ratio\":\"high\"}}]}]}", "ratio" },
  { "{\"sections\":[{\"members\":[{\"units\":2}]}]}", "name" },
  { "{\"sections\":[{\"members\":[{\"name\":\"\",\"units\":2}]}]}", "name" },
  { "{\"sections\":[{\"members\":[{\"name\":\"Tohoku\",\"units\":2.5}]}]}", "units" },
  { "{\"sections\":[{\"members\":[{\"name\":\"Tohoku\",\"fee_jpy\":null}]}]}", "fee_jpy" },
  { "{\"sections\":[{\"members\":{\"name\":\"Tohoku\"}}]}", "members" },
};

static void
test_read_hostile (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
    {
      g_autoptr(JsonNode) node = parse (hostile[i].body);
      g_autoptr(GError) error = NULL;
      g_autoptr(NtSummary) summary = nt_summary_new_from_json (node, &error);

      g_test_message ("%s → %s", hostile[i].body, error != NULL ? error->message : "(read)");
      g_assert_null (summary);
      g_assert_error (error, NT_MODEL_ERROR, error->code);
      g_assert_nonnull (strstr (error->message, hostile[i].named));
    }

  /* What the service leaves out reads as none: an empty year. */
  {
    g_autoptr(JsonNode) node = parse ("{\"sections\":[{},{\"beamlines\":[{\"stations\":[{\"id\":\"BL02U\"}]}]}]}");
    g_autoptr(GError) error = NULL;
    g_autoptr(NtSummary) summary = nt_summary_new_from_json (node, &error);
    const NtSummarySection *s;

    g_assert_no_error (error);
    g_assert_cmpuint (summary->sections->len, ==, 2);
    s = g_ptr_array_index (summary->sections, 1);
    g_assert_cmpuint (s->shares->len, ==, 0);      /* a station without a share shows none */
    g_assert_cmpfloat (s->accelerator_hours, ==, 0);
  }
}

static void
test_view (SchedFixture  *f,
           gconstpointer  data)
{
  g_autoptr(JsonNode) node = demo_summary (f);
  g_autoptr(NtSummary) summary = nt_summary_new_from_json (node, NULL);
  NtPlanSummary *view = NT_PLAN_SUMMARY (g_object_ref_sink (nt_plan_summary_new ()));
  GtkWidget *window = gtk_window_new ();
  const NtSummarySection *term_b = g_ptr_array_index (summary->sections, 2);
  const NtSummaryMember *member = &g_array_index (term_b->members, NtSummaryMember, 0);
  g_autofree char *text = NULL;
  g_autofree char *term_b_text = NULL;
  g_autofree char *bad_text = NULL;
  g_autofree char *again = NULL;

  text = nt_plan_summary_dup_text (view);
  g_assert_nonnull (strstr (text, "No summary yet."));
  g_clear_pointer (&text, g_free);

  nt_plan_summary_set_summary (view, node);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 900);
  gtk_window_present (GTK_WINDOW (window));
  spin_for (300);
  ui_test_save_png (GTK_WIDGET (view), "plan-summary.png");
  text = nt_plan_summary_dup_text (view);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "Run plan"));
  g_assert_nonnull (strstr (text, "Accelerator operation: "));
  g_assert_nonnull (strstr (text, "Public share of coalition beamlines"));
  g_assert_nonnull (strstr (text, "Coalition members"));
  g_assert_nonnull (strstr (text, "Days requested and offered"));

  nt_plan_summary_set_section (view, 2);
  term_b_text = nt_plan_summary_dup_text (view);
  g_assert_nonnull (strstr (term_b_text, member->name));
  g_assert_cmpstr (term_b_text, !=, text);

  /* Amounts of yen, grouped by three whatever the locale. */
  {
    const struct { double amount; const char *text; } yen[] = {
      { 0, "¥0" }, { 999, "¥999" }, { 1000, "¥1,000" }, { 999999.6, "¥1,000,000" },
      { 17850000, "¥17,850,000" }, { -1234567, "-¥1,234,567" }, { -0.2, "¥0" }, { -0.5, "¥0" }, { -0.6, "-¥1" },
      { NAN, "¥—" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (yen); i++)
      {
        g_autofree char *said = nt_format_yen (yen[i].amount);

        g_assert_cmpstr (said, ==, yen[i].text);
      }
  }

  /* One unit is said in the singular, more in the plural. */
  {
    g_autofree char *copy = json_to_string (node, FALSE);      /* json_node_copy() shares the objects */
    g_autoptr(JsonNode) one = parse (copy);
    JsonObject *section = json_array_get_object_element (
      json_object_get_array_member (json_node_get_object (one), "sections"), 2);
    JsonObject *first = json_array_get_object_element (json_object_get_array_member (section, "members"), 0);
    JsonObject *second;
    g_autofree char *one_text = NULL;
    g_autofree char *one_unit = g_strdup_printf ("%s: ", member->name);

    json_object_set_int_member (first, "units", 1);
    json_object_set_double_member (first, "hours_allowed", 100);
    json_object_set_double_member (first, "fee_jpy", 17850000);
    second = json_array_get_object_element (json_object_get_array_member (section, "members"), 1);
    json_object_set_int_member (second, "units", 2);
    json_object_set_double_member (second, "hours_allowed", 200);
    nt_plan_summary_set_summary (view, one);
    one_text = nt_plan_summary_dup_text (view);
    g_test_message ("%s", one_text);
    g_assert_nonnull (strstr (one_text, one_unit));
    g_assert_nonnull (strstr (one_text, "(1 unit);"));
    g_assert_null (strstr (one_text, "(1 units)"));
    g_assert_nonnull (strstr (one_text, "(2 units);"));
    /* Yen with their digits grouped by three. */
    g_assert_nonnull (strstr (one_text, "(1 unit); fee ¥17,850,000\n"));
    nt_plan_summary_set_summary (view, node);
  }

  /* A summary of the wrong shape: said in words, and nothing else shown. */
  {
    g_autoptr(JsonNode) bad = parse ("{\"sections\":[{\"members\":[{\"name\":7}]}]}");

    nt_plan_summary_set_summary (view, bad);
  }
  spin_for (300);
  ui_test_save_png (GTK_WIDGET (view), "plan-summary-unreadable.png");
  bad_text = nt_plan_summary_dup_text (view);
  g_assert_nonnull (strstr (bad_text, "cannot read"));
  g_assert_nonnull (strstr (bad_text, "name"));
  g_assert_null (strstr (bad_text, "Coalition members"));

  /* The next good one is shown again. */
  nt_plan_summary_set_summary (view, node);
  again = nt_plan_summary_dup_text (view);
  g_assert_cmpstr (again, ==, term_b_text);

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (view);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  nt_test_clock_fix_at (NT_TEST_USER_OPERATION);

  g_test_add ("/plan-summary/read-demo", SchedFixture, NULL, sched_fixture_setup, test_read_demo,
              sched_fixture_teardown);
  g_test_add_func ("/plan-summary/read-hostile", test_read_hostile);
  g_test_add ("/plan-summary/view", SchedFixture, NULL, sched_fixture_setup, test_view, sched_fixture_teardown);
  return g_test_run ();
}
