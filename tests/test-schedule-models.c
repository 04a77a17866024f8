/* test-schedule-models.c: the scheduling models and their wire format
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-schedule-models"

#include "config.h"

#include <string.h>

#include "nt-allocation.h"
#include "nt-member.h"
#include "nt-model-json.h"
#include "nt-proposal.h"
#include "nt-run-period.h"
#include "nt-time.h"
#include "test-instants.h"

static JsonNode *
parse (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static gint64
iso (const char *s)
{
  gint64 t = 0;

  g_assert_true (nt_time_parse_iso (s, &t));
  return t;
}

/* Serialise, parse back, and serialise again: both texts must be equal. */
static void
assert_json_stable (JsonNode *node,
                    gpointer (*from_json) (JsonNode *, GError **),
                    JsonNode *(*to_json) (gpointer))
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) again = NULL;
  g_autoptr(JsonNode) node2 = NULL;
  g_autofree char *text1 = json_to_string (node, FALSE);
  g_autofree char *text2 = NULL;

  again = from_json (node, &error);
  g_assert_no_error (error);
  node2 = to_json (again);
  text2 = json_to_string (node2, FALSE);
  g_assert_cmpstr (text1, ==, text2);
}

/* Replace one member of @good and expect an error naming @field. */
static void
assert_bad (const char  *good,
            const char  *field,
            const char  *replacement,   /* JSON text, or NULL to remove */
            gpointer   (*from_json) (JsonNode *, GError **),
            int          code)
{
  g_autoptr(JsonNode) node = parse (good);
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) obj = NULL;
  JsonObject *object = json_node_get_object (node);
  g_autofree char *quoted = g_strdup_printf ("“%s”", field);

  if (replacement != NULL)
    json_object_set_member (object, field, parse (replacement));
  else
    json_object_remove_member (object, field);

  obj = from_json (node, &error);
  if (obj != NULL)
    g_error ("%s=%s accepted", field, replacement ? replacement : "(removed)");
  g_assert_error (error, NT_MODEL_ERROR, code);
  if (strstr (error->message, quoted) == NULL)
    g_error ("error “%s” does not name %s", error->message, quoted);
}

#define FROM(f) ((gpointer (*) (JsonNode *, GError **))(f))
#define TO(f)   ((JsonNode *(*) (gpointer))(f))

/* ---- periods ---- */

static const char *good_period =
  "{\"id\": 12, \"kind\": \"user_operation\", \"start\": \"2026-04-07T00:00:00Z\","
  " \"end\": \"2026-04-14T00:00:00Z\", \"note\": \"week 1\","
  " \"etag\": \"\\\"p12-r40\\\"\", \"revision\": 40}";

static void
test_period_good (void)
{
  g_autoptr(JsonNode) node = parse (good_period);
  g_autoptr(GError) error = NULL;
  g_autoptr(NtRunPeriod) p = nt_run_period_new_from_json (node, &error);
  g_autoptr(NtRunPeriod) copy = NULL;
  g_autoptr(NtRunPeriod) fresh = NULL;
  g_autoptr(JsonNode) out = NULL;
  JsonObject *o;

  g_assert_no_error (error);
  g_assert_cmpint (nt_run_period_get_id (p), ==, 12);
  g_assert_cmpint (nt_run_period_get_kind (p), ==, NT_PERIOD_USER_OPERATION);
  g_assert_cmpint (nt_run_period_get_start (p), ==, iso ("2026-04-07T00:00:00Z"));
  g_assert_cmpint (nt_run_period_get_end (p), ==, iso ("2026-04-14T00:00:00Z"));
  g_assert_cmpstr (nt_run_period_get_note (p), ==, "week 1");
  g_assert_cmpstr (nt_run_period_get_etag (p), ==, "\"p12-r40\"");
  g_assert_cmpint (nt_run_period_get_revision (p), ==, 40);

  out = nt_run_period_to_json (p);
  o = json_node_get_object (out);
  g_assert_cmpstr (json_object_get_string_member (o, "kind"), ==, "user_operation");
  g_assert_cmpstr (json_object_get_string_member (o, "start"), ==, "2026-04-07T00:00:00Z");
  g_assert_cmpstr (json_object_get_string_member (o, "etag"), ==, "\"p12-r40\"");
  assert_json_stable (out, FROM (nt_run_period_new_from_json), TO (nt_run_period_to_json));

  /* editors edit a copy: the original is untouched */
  copy = nt_run_period_copy (p);
  nt_run_period_set_kind (copy, NT_PERIOD_MAINTENANCE);
  nt_run_period_set_note (copy, "bake-out");
  g_assert_cmpint (nt_run_period_get_kind (p), ==, NT_PERIOD_USER_OPERATION);
  g_assert_cmpstr (nt_run_period_get_note (p), ==, "week 1");
  g_assert_cmpstr (nt_run_period_get_etag (copy), ==, "\"p12-r40\"");
  g_assert_cmpint (nt_run_period_get_id (copy), ==, 12);

  /* a new, unsaved period: no id, etag or revision on the wire */
  fresh = nt_run_period_new (NT_PERIOD_SHUTDOWN, iso ("2026-08-01T00:00:00Z"),
                             iso ("2026-08-20T00:00:00Z"), NULL);
  g_clear_pointer (&out, json_node_unref);
  out = nt_run_period_to_json (fresh);
  o = json_node_get_object (out);
  g_assert_false (json_object_has_member (o, "id"));
  g_assert_false (json_object_has_member (o, "etag"));
  g_assert_false (json_object_has_member (o, "revision"));
  g_assert_cmpstr (json_object_get_string_member (o, "kind"), ==, "shutdown");
  g_assert_cmpstr (json_object_get_string_member (o, "note"), ==, "");
}

static void
test_period_bad (void)
{
  gpointer (*f) (JsonNode *, GError **) = FROM (nt_run_period_new_from_json);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) array = parse ("[1, 2]");

  g_assert_null (nt_run_period_new_from_json (array, &error));
  g_assert_error (error, NT_MODEL_ERROR, NT_MODEL_ERROR_INVALID);

  assert_bad (good_period, "id", "\"12\"", f, NT_MODEL_ERROR_INVALID);
  assert_bad (good_period, "id", "1.5", f, NT_MODEL_ERROR_INVALID);
  assert_bad (good_period, "id", "0", f, NT_MODEL_ERROR_RANGE);
  assert_bad (good_period, "kind", NULL, f, NT_MODEL_ERROR_INVALID);
  assert_bad (good_period, "kind", "3", f, NT_MODEL_ERROR_INVALID);
  assert_bad (good_period, "kind", "\"holiday\"", f, NT_MODEL_ERROR_UNKNOWN_VALUE);
  assert_bad (good_period, "start", NULL, f, NT_MODEL_ERROR_INVALID);
  assert_bad (good_period, "start", "1775520000", f, NT_MODEL_ERROR_INVALID);
  assert_bad (good_period, "start", "\"2026-04-07\"", f, NT_MODEL_ERROR_INVALID);
  assert_bad (good_period, "start", "\"2026-04-07T09:00:00+09:00\"", f, NT_MODEL_ERROR_INVALID);
  assert_bad (good_period, "start", "\"2026-04-07T00:00:00.5Z\"", f, NT_MODEL_ERROR_INVALID);
  assert_bad (good_period, "end", "\"2026-02-30T00:00:00Z\"", f, NT_MODEL_ERROR_INVALID);
  assert_bad (good_period, "end", "\"2026-04-07T00:00:00Z\"", f, NT_MODEL_ERROR_RANGE);
  assert_bad (good_period, "note", "7", f, NT_MODEL_ERROR_INVALID);
  assert_bad (good_period, "etag", "5", f, NT_MODEL_ERROR_INVALID);
  assert_bad (good_period, "etag", "\"\"", f, NT_MODEL_ERROR_INVALID);
  assert_bad (good_period, "revision", "-1", f, NT_MODEL_ERROR_RANGE);
  assert_bad (good_period, "revision", "\"40\"", f, NT_MODEL_ERROR_INVALID);
}

/* ---- allocations ---- */

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  guint *count = user_data;

  (*count)++;
}

static const char *good_allocation =
  "{\"id\": 345, \"station\": \"BL07U\", \"start\": \"2026-05-11T00:00:00Z\","
  " \"end\": \"2026-05-11T08:00:00Z\", \"slot\": \"public\", \"proposal\": \"2026A0012\","
  " \"member\": null, \"status\": \"confirmed\", \"note\": \"\","
  " \"etag\": \"\\\"a345-r41\\\"\", \"revision\": 41, \"extra\": [1]}";

static void
test_allocation_good (void)
{
  g_autoptr(JsonNode) node = parse (good_allocation);
  g_autoptr(GError) error = NULL;
  g_autoptr(NtAllocation) a = nt_allocation_new_from_json (node, &error);
  g_autoptr(NtAllocation) copy = NULL;
  g_autoptr(NtAllocation) coalition = NULL;
  g_autoptr(JsonNode) out = NULL;
  g_autoptr(JsonNode) node2 = NULL;
  JsonObject *o;
  guint notified = 0;

  g_assert_no_error (error);
  g_assert_cmpint (nt_allocation_get_id (a), ==, 345);
  g_assert_cmpstr (nt_allocation_get_station (a), ==, "BL07U");
  g_assert_cmpint (nt_allocation_get_end (a) - nt_allocation_get_start (a), ==, 8 * 3600);
  g_assert_cmpint (nt_allocation_get_slot (a), ==, NT_SLOT_PUBLIC);
  g_assert_cmpstr (nt_allocation_get_proposal (a), ==, "2026A0012");
  g_assert_cmpint (nt_allocation_get_member (a), ==, 0);
  g_assert_cmpint (nt_allocation_get_status (a), ==, NT_ALLOCATION_CONFIRMED);
  g_assert_cmpstr (nt_allocation_get_etag (a), ==, "\"a345-r41\"");
  g_assert_cmpint (nt_allocation_get_revision (a), ==, 41);

  out = nt_allocation_to_json (a);
  o = json_node_get_object (out);
  g_assert_true (json_node_is_null (json_object_get_member (o, "member")));
  g_assert_cmpstr (json_object_get_string_member (o, "slot"), ==, "public");
  g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "confirmed");
  g_assert_false (json_object_has_member (o, "extra"));
  assert_json_stable (out, FROM (nt_allocation_new_from_json), TO (nt_allocation_to_json));

  /* copy, then edit the copy; notify only on a real change */
  copy = nt_allocation_copy (a);
  g_signal_connect (copy, "notify", G_CALLBACK (count_notify_cb), &notified);
  nt_allocation_set_status (copy, NT_ALLOCATION_CONFIRMED);
  g_assert_cmpuint (notified, ==, 0);
  nt_allocation_set_status (copy, NT_ALLOCATION_CANCELLED);
  nt_allocation_set_station (copy, "BL08W-XAFS");
  g_assert_cmpuint (notified, ==, 2);
  g_assert_cmpint (nt_allocation_get_status (a), ==, NT_ALLOCATION_CONFIRMED);
  g_assert_cmpstr (nt_allocation_get_station (a), ==, "BL07U");
  g_assert_cmpstr (nt_allocation_get_etag (copy), ==, nt_allocation_get_etag (a));

  /* a coalition allocation names a member; no proposal */
  node2 = parse ("{\"station\": \"BL08W-SAXS\", \"start\": \"2026-05-11T03:00:00Z\","
                 " \"end\": \"2026-05-11T05:00:00Z\", \"slot\": \"coalition\","
                 " \"proposal\": null, \"member\": 3, \"status\": \"draft\"}");
  coalition = nt_allocation_new_from_json (node2, &error);
  g_assert_no_error (error);
  g_assert_cmpint (nt_allocation_get_id (coalition), ==, 0);
  g_assert_null (nt_allocation_get_etag (coalition));
  g_assert_null (nt_allocation_get_proposal (coalition));
  g_assert_cmpint (nt_allocation_get_member (coalition), ==, 3);
  g_assert_cmpint (nt_allocation_get_slot (coalition), ==, NT_SLOT_COALITION);
  g_assert_cmpstr (nt_allocation_get_note (coalition), ==, "");
}

static void
test_allocation_bad (void)
{
  gpointer (*f) (JsonNode *, GError **) = FROM (nt_allocation_new_from_json);

  assert_bad (good_allocation, "station", NULL, f, NT_MODEL_ERROR_INVALID);
  assert_bad (good_allocation, "station", "\"\"", f, NT_MODEL_ERROR_INVALID);
  assert_bad (good_allocation, "station", "null", f, NT_MODEL_ERROR_INVALID);
  assert_bad (good_allocation, "start", "\"yesterday\"", f, NT_MODEL_ERROR_INVALID);
  assert_bad (good_allocation, "end", "\"2026-05-10T00:00:00Z\"", f, NT_MODEL_ERROR_RANGE);
  assert_bad (good_allocation, "slot", "\"private\"", f, NT_MODEL_ERROR_UNKNOWN_VALUE);
  assert_bad (good_allocation, "slot", "\"PUBLIC\"", f, NT_MODEL_ERROR_UNKNOWN_VALUE);
  assert_bad (good_allocation, "slot", NULL, f, NT_MODEL_ERROR_INVALID);
  assert_bad (good_allocation, "proposal", "12", f, NT_MODEL_ERROR_INVALID);
  assert_bad (good_allocation, "proposal", NULL, f, NT_MODEL_ERROR_INVALID);
  assert_bad (good_allocation, "member", NULL, f, NT_MODEL_ERROR_INVALID);
  assert_bad (good_allocation, "member", "\"3\"", f, NT_MODEL_ERROR_INVALID);
  assert_bad (good_allocation, "member", "-2", f, NT_MODEL_ERROR_RANGE);
  assert_bad (good_allocation, "status", "\"approved\"", f, NT_MODEL_ERROR_UNKNOWN_VALUE);
  assert_bad (good_allocation, "status", "true", f, NT_MODEL_ERROR_INVALID);
  assert_bad (good_allocation, "note", "{}", f, NT_MODEL_ERROR_INVALID);
}

static void
test_allocation_enums (void)
{
  NtSlot slot;
  NtAllocationStatus status;
  const char *slots[] = { "public", "coalition", "staff", "commissioning" };
  const char *statuses[] = { "draft", "confirmed", "cancelled" };
  GEnumClass *klass;

  for (guint i = 0; i < G_N_ELEMENTS (slots); i++)
    {
      g_assert_true (nt_slot_from_string (slots[i], &slot));
      g_assert_cmpint (slot, ==, (int)i);
      g_assert_cmpstr (nt_slot_to_string (slot), ==, slots[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      g_assert_true (nt_allocation_status_from_string (statuses[i], &status));
      g_assert_cmpint (status, ==, (int)i);
      g_assert_cmpstr (nt_allocation_status_to_string (status), ==, statuses[i]);
    }
  g_assert_false (nt_slot_from_string (NULL, &slot));
  g_assert_false (nt_slot_from_string ("", &slot));
  g_assert_false (nt_allocation_status_from_string ("Draft", &status));

  klass = g_type_class_ref (NT_TYPE_SLOT);
  g_assert_cmpstr (g_enum_get_value (klass, NT_SLOT_STAFF)->value_nick, ==, "staff");
  g_type_class_unref (klass);
}

/* ---- members ---- */

static const char *good_member =
  "{\"id\": 3, \"name\": \"Aoba Materials Co.\", \"units\": 2,"
  " \"contract_start\": \"2024-04-01\", \"contract_end\": \"2034-03-31\","
  " \"etag\": \"\\\"m3-r7\\\"\", \"revision\": 7}";

static void
test_member_good (void)
{
  g_autoptr(JsonNode) node = parse (good_member);
  g_autoptr(GError) error = NULL;
  g_autoptr(NtMember) m = nt_member_new_from_json (node, &error);
  g_autoptr(NtMember) copy = NULL;
  g_autoptr(JsonNode) out = NULL;
  GDate d;

  g_assert_no_error (error);
  g_assert_cmpint (nt_member_get_id (m), ==, 3);
  g_assert_cmpstr (nt_member_get_name (m), ==, "Aoba Materials Co.");
  g_assert_cmpuint (nt_member_get_units (m), ==, 2);
  g_assert_cmpuint (nt_member_get_hours_per_year (m), ==, 400);
  g_assert_cmpuint (g_date_get_year (nt_member_get_contract_start (m)), ==, 2024);
  g_assert_cmpuint (g_date_get_month (nt_member_get_contract_end (m)), ==, 3);
  g_assert_cmpuint (g_date_get_day (nt_member_get_contract_end (m)), ==, 31);
  g_assert_cmpstr (nt_member_get_etag (m), ==, "\"m3-r7\"");

  out = nt_member_to_json (m);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (out), "contract_start"),
                   ==, "2024-04-01");
  assert_json_stable (out, FROM (nt_member_new_from_json), TO (nt_member_to_json));

  copy = nt_member_copy (m);
  nt_member_set_units (copy, 5);
  g_date_clear (&d, 1);
  g_date_set_dmy (&d, 31, G_DATE_MARCH, 2036);
  nt_member_set_contract_end (copy, &d);
  g_assert_cmpuint (nt_member_get_units (m), ==, 2);
  g_assert_cmpuint (g_date_get_year (nt_member_get_contract_end (m)), ==, 2034);
  g_assert_cmpuint (g_date_get_year (nt_member_get_contract_end (copy)), ==, 2036);
}

static void
test_member_bad (void)
{
  gpointer (*f) (JsonNode *, GError **) = FROM (nt_member_new_from_json);

  assert_bad (good_member, "name", NULL, f, NT_MODEL_ERROR_INVALID);
  assert_bad (good_member, "name", "\"\"", f, NT_MODEL_ERROR_INVALID);
  assert_bad (good_member, "units", "0", f, NT_MODEL_ERROR_RANGE);
  assert_bad (good_member, "units", "2.5", f, NT_MODEL_ERROR_INVALID);
  assert_bad (good_member, "units", "\"2\"", f, NT_MODEL_ERROR_INVALID);
  assert_bad (good_member, "units", NULL, f, NT_MODEL_ERROR_INVALID);
  assert_bad (good_member, "contract_start", "\"2024-13-01\"", f, NT_MODEL_ERROR_INVALID);
  assert_bad (good_member, "contract_start", "\"2024-04-01T00:00:00Z\"", f, NT_MODEL_ERROR_INVALID);
  assert_bad (good_member, "contract_start", "null", f, NT_MODEL_ERROR_INVALID);
  assert_bad (good_member, "contract_end", "\"2024-03-31\"", f, NT_MODEL_ERROR_RANGE);
  assert_bad (good_member, "contract_end", NULL, f, NT_MODEL_ERROR_INVALID);
}

/* ---- proposals ---- */

static const char *good_proposal =
  "{\"id\": \"2026A0012\", \"term\": \"2026A\", \"title\": \"軟X線で見る触媒, in operando\","
  " \"pi\": \"Hanako Sato\", \"organisation\": \"Tohoku Institute of Surfaces\","
  " \"proprietary\": false, \"shifts_requested\": 9, \"shifts_approved\": 6,"
  " \"etag\": \"\\\"x-r9\\\"\", \"revision\": 9}";

static void
test_proposal_good (void)
{
  g_autoptr(JsonNode) node = parse (good_proposal);
  g_autoptr(GError) error = NULL;
  g_autoptr(NtProposal) p = nt_proposal_new_from_json (node, &error);
  g_autoptr(NtProposal) copy = NULL;
  g_autoptr(JsonNode) out = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (nt_proposal_get_id (p), ==, "2026A0012");
  g_assert_cmpstr (nt_proposal_get_term (p), ==, "2026A");
  g_assert_cmpstr (nt_proposal_get_title (p), ==, "軟X線で見る触媒, in operando");
  g_assert_cmpstr (nt_proposal_get_pi (p), ==, "Hanako Sato");
  g_assert_false (nt_proposal_get_proprietary (p));
  g_assert_cmpuint (nt_proposal_get_shifts_requested (p), ==, 9);
  g_assert_cmpuint (nt_proposal_get_shifts_approved (p), ==, 6);
  g_assert_cmpint (nt_proposal_get_revision (p), ==, 9);

  out = nt_proposal_to_json (p);
  assert_json_stable (out, FROM (nt_proposal_new_from_json), TO (nt_proposal_to_json));

  copy = nt_proposal_copy (p);
  nt_proposal_set_shifts_approved (copy, 3);
  nt_proposal_set_proprietary (copy, TRUE);
  g_assert_cmpuint (nt_proposal_get_shifts_approved (p), ==, 6);
  g_assert_false (nt_proposal_get_proprietary (p));
  g_assert_true (nt_proposal_get_proprietary (copy));
  g_assert_cmpstr (nt_proposal_get_id (copy), ==, "2026A0012");
}

static void
test_proposal_bad (void)
{
  gpointer (*f) (JsonNode *, GError **) = FROM (nt_proposal_new_from_json);

  assert_bad (good_proposal, "id", NULL, f, NT_MODEL_ERROR_INVALID);
  assert_bad (good_proposal, "id", "12", f, NT_MODEL_ERROR_INVALID);
  assert_bad (good_proposal, "term", "\"2026C\"", f, NT_MODEL_ERROR_INVALID);
  assert_bad (good_proposal, "term", "\"A2026\"", f, NT_MODEL_ERROR_INVALID);
  assert_bad (good_proposal, "title", "\"\"", f, NT_MODEL_ERROR_INVALID);
  assert_bad (good_proposal, "pi", "null", f, NT_MODEL_ERROR_INVALID);
  assert_bad (good_proposal, "organisation", NULL, f, NT_MODEL_ERROR_INVALID);
  assert_bad (good_proposal, "proprietary", "0", f, NT_MODEL_ERROR_INVALID);
  assert_bad (good_proposal, "proprietary", "\"false\"", f, NT_MODEL_ERROR_INVALID);
  assert_bad (good_proposal, "shifts_requested", "-3", f, NT_MODEL_ERROR_RANGE);
  assert_bad (good_proposal, "shifts_approved", "6.0", f, NT_MODEL_ERROR_INVALID);
  assert_bad (good_proposal, "shifts_approved", NULL, f, NT_MODEL_ERROR_INVALID);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* Every test here runs at a named instant, never at the real date. */
  nt_test_clock_run_from (NT_TEST_USER_OPERATION, 1.0);

  g_test_add_func ("/schedule-models/period/good", test_period_good);
  g_test_add_func ("/schedule-models/period/bad", test_period_bad);
  g_test_add_func ("/schedule-models/allocation/good", test_allocation_good);
  g_test_add_func ("/schedule-models/allocation/bad", test_allocation_bad);
  g_test_add_func ("/schedule-models/allocation/enums", test_allocation_enums);
  g_test_add_func ("/schedule-models/member/good", test_member_good);
  g_test_add_func ("/schedule-models/member/bad", test_member_bad);
  g_test_add_func ("/schedule-models/proposal/good", test_proposal_good);
  g_test_add_func ("/schedule-models/proposal/bad", test_proposal_bad);

  return g_test_run ();
}
