/* test-schedule-seed.c: the demo fiscal year obeys every rule and fills the
 * 2026A public call
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "nt-alloc-rules.h"
#include "schedule-test-util.h"

static double
number (JsonObject *o,
        const char *member)
{
  return json_node_get_double (json_object_get_member (o, member));
}

static JsonObject *
find_by_id (JsonArray  *a,
            const char *id)
{
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonObject *o = json_array_get_object_element (a, i);

      if (g_str_equal (json_object_get_string_member (o, "id"), id))
        return o;
    }
  g_assert_not_reached ();
}

static void
test_seed (SchedFixture  *f,
           gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_auto(SchedReply) r = { 0 };
  NtScheduleStore *store = nt_schedule_service_get_store (f->service);
  gint64 t0 = g_get_monotonic_time ();
  gint64 rev;
  JsonArray *items;
  JsonObject *year, *term_a, *bl02u, *bl07u;
  JsonArray *members;
  g_autoptr(GHashTable) per_station = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gboolean at_limit = FALSE;
  sqlite3_stmt *s;

  g_assert_true (nt_schedule_store_is_empty (store));
  g_assert_true (nt_schedule_service_seed_demo (f->service, 2026, &error));
  g_assert_no_error (error);
  g_test_message ("seeded in %.0f ms", (g_get_monotonic_time () - t0) / 1000.0);
  rev = nt_schedule_store_get_revision (store);
  g_assert_cmpint (rev, >, 500);

  /* Seeding again does nothing */
  g_assert_true (nt_schedule_service_seed_demo (f->service, 2026, &error));
  g_assert_cmpint (nt_schedule_store_get_revision (store), ==, rev);

  /* No two active allocations overlap on a station */
  sched_request (f, "GET", "/api/v1/allocations?from=2026-03-31T15:00:00Z&to=2027-03-31T15:00:00Z",
                 f->tokens[NT_ROLE_VIEWER], NULL, NULL, &r);
  g_assert_cmpuint (r.status, ==, 200);
  items = json_object_get_array_member (sched_object (&r), "items");
  g_test_message ("%u allocations", json_array_get_length (items));
  g_assert_cmpuint (json_array_get_length (items), >, 500);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *a = json_array_get_object_element (items, i);
      const char *station = json_object_get_string_member (a, "station");
      gint64 start, end, *last_end;

      if (g_str_equal (json_object_get_string_member (a, "status"), "cancelled"))
        continue;
      g_assert_true (nt_time_parse_iso (json_object_get_string_member (a, "start"), &start));
      g_assert_true (nt_time_parse_iso (json_object_get_string_member (a, "end"), &end));
      last_end = g_hash_table_lookup (per_station, station);
      if (last_end == NULL)
        {
          last_end = g_new0 (gint64, 1);
          g_hash_table_insert (per_station, g_strdup (station), last_end);
        }
      g_assert_cmpint (start, >=, *last_end);   /* listed by start */
      *last_end = end;
      if (g_str_equal (json_object_get_string_member (a, "slot"), "public"))
        g_assert_false (g_str_has_prefix (station, "BL08W-S") || g_str_has_prefix (station, "BL08W-XR"));
    }

  /* The summary: the plan's hours, the 2026A call filled, a member at its limit */
  sched_request (f, "GET", "/api/v1/summary?fy=2026", f->tokens[NT_ROLE_VIEWER], NULL, NULL, &r);
  g_assert_cmpuint (r.status, ==, 200);
  year = json_array_get_object_element (json_object_get_array_member (sched_object (&r), "sections"), 0);
  term_a = json_array_get_object_element (json_object_get_array_member (sched_object (&r), "sections"), 1);
  g_assert_cmpfloat (number (year, "accelerator_hours"), >=, 5800);
  g_assert_cmpfloat (number (year, "accelerator_hours"), <=, 6200);
  g_assert_cmpfloat (number (json_object_get_object_member (year, "hours_by_kind"), "user_operation"), >=, 4800);

  bl02u = json_array_get_object_element (json_object_get_array_member (
            find_by_id (json_object_get_array_member (term_a, "beamlines"), "BL02U"), "stations"), 0);
  g_assert_cmpfloat (number (json_object_get_object_member (bl02u, "hours_by_slot"), "public"), ==, 267 * 8);
  bl07u = json_array_get_object_element (json_object_get_array_member (
            find_by_id (json_object_get_array_member (term_a, "beamlines"), "BL07U"), "stations"), 0);
  g_assert_cmpfloat (number (json_object_get_object_member (bl07u, "hours_by_slot"), "public"), ==, 57 * 8);
  g_assert_cmpfloat (number (json_object_get_object_member (bl07u, "public_share"), "target"), ==, 0.40);

  members = json_object_get_array_member (year, "members");
  g_assert_cmpuint (json_array_get_length (members), >=, 10);
  for (guint i = 0; i < json_array_get_length (members); i++)
    {
      JsonObject *m = json_array_get_object_element (members, i);

      g_test_message ("%s: %.0f h used, %.0f h left", json_object_get_string_member (m, "name"),
                      number (m, "hours_used"), number (m, "hours_left"));
      g_assert_cmpfloat (number (m, "hours_left"), >=, 0);
      at_limit |= number (m, "hours_left") == 0;
    }
  g_assert_true (at_limit);

  /* Each proposal's allocations add up to no more than approved */
  s = sqlite3_prepare_v2 (nt_db_get_handle (f->db),
                          "SELECT p.id, p.shifts_approved, COALESCE (SUM (a.\"end\" - a.start), 0) / 28800 "
                          "FROM proposals p LEFT JOIN allocations a ON a.proposal = p.id AND a.status != 'cancelled' "
                          "GROUP BY p.id", -1, &s, NULL) == SQLITE_OK ? s : NULL;
  g_assert_nonnull (s);
  while (sqlite3_step (s) == SQLITE_ROW)
    {
      g_assert_true (nt_rules_check_shift_count (sqlite3_column_int64 (s, 1), NULL));
      g_assert_cmpint (sqlite3_column_int64 (s, 2), <=, sqlite3_column_int64 (s, 1));
    }
  sqlite3_finalize (s);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/schedule/seed", SchedFixture, NULL, sched_fixture_setup, test_seed, sched_fixture_teardown);

  return g_test_run ();
}
