/* test-schedule-seed.c: the demo fiscal year obeys every rule and fills the
 * 2026A public call
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "nt-alloc-rules.h"
#include "schedule-test-util.h"
#include "test-instants.h"

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

static gint64
count (SchedFixture *f,
       const char   *sql,
       gint64        a,
       gint64        b)
{
  sqlite3_stmt *s = NULL;
  gint64 n = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (nt_db_get_handle (f->db), sql, -1, &s, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (s, 1, a);
  sqlite3_bind_int64 (s, 2, b);
  if (sqlite3_step (s) == SQLITE_ROW)
    n = sqlite3_column_int64 (s, 0);
  sqlite3_finalize (s);
  return n;
}

static gint64
periods_in_year (SchedFixture *f,
                 int           fy)
{
  gint64 y0, y1;

  nt_time_fiscal_year_bounds (fy, &y0, &y1);
  return count (f, "SELECT count(*) FROM periods WHERE start >= ? AND start < ?", y0, y1);
}

/* The last moment of user operation in [from, to) of the store's plan. */
static gint64
last_user_operation (SchedFixture *f,
                     gint64        from,
                     gint64        to)
{
  return count (f, "SELECT max(\"end\") FROM periods WHERE kind = 'user_operation' AND start >= ? AND \"end\" <= ?",
                from, to);
}

/* The store holds the year before, the year and the year after; a later
 * start adds the years it lacks and leaves what people did alone; both
 * public terms are booked to their end. */
static void
test_rolling_window (SchedFixture  *f,
                     gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_auto(SchedReply) r = { 0 };
  NtScheduleStore *store = nt_schedule_service_get_store (f->service);
  g_autofree char *etag = NULL;
  g_autofree char *path = NULL;
  g_autofree char *proposal = NULL;
  gint64 deleted, rev, n_2026, t0, t1;
  const char *period_2032;

  g_assert_true (nt_schedule_service_seed_demo (f->service, 2026, &error));
  g_assert_no_error (error);
  g_assert_cmpint (periods_in_year (f, 2024), ==, 0);
  for (int fy = 2025; fy <= 2027; fy++)
    {
      g_test_message ("FY%d: %" G_GINT64_FORMAT " periods", fy, periods_in_year (f, fy));
      g_assert_cmpint (periods_in_year (f, fy), >, 50);
    }
  g_assert_cmpint (periods_in_year (f, 2028), ==, 0);

  /* Members are made once, and booked in each year of their contract
   * (Natori's starts in April 2026: nothing before). */
  g_assert_cmpint (count (f, "SELECT count(*) FROM members WHERE ? = ? ", 0, 0), ==, 12);
  nt_time_fiscal_year_bounds (2025, &t0, &t1);
  g_assert_cmpint (count (f, "SELECT count(*) FROM allocations a JOIN members m ON m.id = a.member "
                             "WHERE m.name = 'Natori Pharma Analytics' AND a.start >= ? AND a.start < ?", t0, t1), ==, 0);
  nt_time_fiscal_year_bounds (2026, &t0, &t1);
  g_assert_cmpint (count (f, "SELECT count(*) FROM allocations a JOIN members m ON m.id = a.member "
                             "WHERE m.name = 'Natori Pharma Analytics' AND a.start >= ? AND a.start < ?", t0, t1), >, 0);

  /* A public beamline is booked to the end of each term, B as well as A:
   * its last booking ends with the term's last user operation (give or
   * take the free shifts spread over the term). */
  for (int fy = 2025; fy <= 2027; fy++)
    for (NtTerm term = NT_TERM_A; term <= NT_TERM_B; term++)
      {
        gint64 last_booked, last_op;

        nt_time_term_bounds (fy, term, &t0, &t1);
        last_booked = count (f, "SELECT max(\"end\") FROM allocations WHERE station = 'BL02U' "
                                "AND status != 'cancelled' AND start >= ? AND start < ?", t0, t1);
        last_op = last_user_operation (f, t0, t1);
        g_test_message ("FY%d term %c: BL02U booked to %" G_GINT64_FORMAT " h before the last user operation ends",
                        fy, term == NT_TERM_A ? 'A' : 'B', (last_op - last_booked) / 3600);
        g_assert_cmpint (last_booked, >, 0);
        g_assert_cmpint (last_op - last_booked, <=, 3 * 86400);
      }

  /* People edit: a proposal retitled, an allocation of FY2026 deleted. */
  sched_request (f, "GET", "/api/v1/proposals", f->tokens[NT_ROLE_VIEWER], NULL, NULL, &r);
  g_assert_cmpuint (r.status, ==, 200);
  proposal = g_strdup (json_object_get_string_member (
    json_array_get_object_element (json_object_get_array_member (sched_object (&r), "items"), 0), "id"));
  path = g_strdup_printf ("/api/v1/proposals/%s", proposal);
  sched_request (f, "GET", path, f->tokens[NT_ROLE_VIEWER], NULL, NULL, &r);
  etag = g_strdup (soup_message_headers_get_one (r.headers, "ETag"));
  sched_request (f, "PATCH", path, f->tokens[NT_ROLE_ADMIN], "{\"title\":\"Retitled by the office\"}", etag, &r);
  g_assert_cmpuint (r.status, ==, 200);

  nt_time_fiscal_year_bounds (2026, &t0, &t1);
  deleted = count (f, "SELECT min(id) FROM allocations WHERE start >= ? AND start < ?", t0, t1);
  g_free (path);
  path = g_strdup_printf ("/api/v1/allocations/%" G_GINT64_FORMAT, deleted);
  sched_request (f, "GET", path, f->tokens[NT_ROLE_VIEWER], NULL, NULL, &r);
  g_free (etag);
  etag = g_strdup (soup_message_headers_get_one (r.headers, "ETag"));
  sched_request (f, "DELETE", path, f->tokens[NT_ROLE_ADMIN], NULL, etag, &r);
  g_assert_cmpuint (r.status, ==, 204);
  n_2026 = count (f, "SELECT count(*) FROM allocations WHERE start >= ? AND start < ?", t0, t1);

  /* Someone planned FY2032 by hand: one period. */
  period_2032 = "{\"kind\":\"shutdown\",\"start\":\"2032-03-31T15:00:00Z\",\"end\":\"2032-04-30T15:00:00Z\",\"note\":\"\"}";
  sched_request (f, "POST", "/api/v1/run-plan", f->tokens[NT_ROLE_ADMIN], period_2032, NULL, &r);
  g_assert_cmpuint (r.status, ==, 201);

  /* A start in FY2031 adds FY2030, FY2031 (not yet there) and leaves
   * FY2032, which holds someone's plan. */
  g_assert_true (nt_schedule_service_seed_demo (f->service, 2031, &error));
  g_assert_no_error (error);
  for (int fy = 2028; fy <= 2029; fy++)
    g_assert_cmpint (periods_in_year (f, fy), ==, 0);
  for (int fy = 2030; fy <= 2031; fy++)
    g_assert_cmpint (periods_in_year (f, fy), >, 50);
  g_assert_cmpint (periods_in_year (f, 2032), ==, 1);

  /* Nothing people did was touched. */
  g_assert_cmpint (count (f, "SELECT count(*) FROM allocations WHERE start >= ? AND start < ?", t0, t1), ==, n_2026);
  g_assert_cmpint (count (f, "SELECT count(*) FROM allocations WHERE id = ? OR id = ?", deleted, deleted), ==, 0);
  g_free (path);
  path = g_strdup_printf ("/api/v1/proposals/%s", proposal);
  sched_request (f, "GET", path, f->tokens[NT_ROLE_VIEWER], NULL, NULL, &r);
  g_assert_cmpstr (json_object_get_string_member (sched_object (&r), "title"), ==, "Retitled by the office");
  g_assert_cmpint (count (f, "SELECT count(*) FROM members WHERE ? = ?", 0, 0), ==, 12);

  /* Again: nothing to do. */
  rev = nt_schedule_store_get_revision (store);
  g_assert_true (nt_schedule_service_seed_demo (f->service, 2031, &error));
  g_assert_true (nt_schedule_service_seed_demo (f->service, 2026, &error));
  g_assert_cmpint (nt_schedule_store_get_revision (store), ==, rev);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* Every test here runs at a named instant, never at the real date. */
  nt_test_clock_run_from (NT_TEST_USER_OPERATION, 1.0);

  g_test_add ("/schedule/seed", SchedFixture, NULL, sched_fixture_setup, test_seed, sched_fixture_teardown);
  g_test_add ("/schedule/seed/rolling-window", SchedFixture, NULL, sched_fixture_setup, test_rolling_window,
              sched_fixture_teardown);

  return g_test_run ();
}
