/* test-schedule-client.c: NtScheduleClient against the real scheduling service
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every test starts an NtFacility on 127.0.0.1 (a free port) over a fresh
 * temporary database, makes tokens for each role with nt_auth, and talks
 * to it only through NtScheduleClient.  Test data lives in fiscal year
 * 2031, away from the demo year the service may seed.
 */
#define G_LOG_DOMAIN "test-schedule-client"

#include "config.h"

#include <glib/gstdio.h>
#include <libical/ical.h>

#include "nt-auth.h"
#include "nt-facility.h"
#include "nt-schedule-client.h"
#include "nt-schedule-client-private.h"
#include "nt-time.h"
#include "test-instants.h"
#include "test-wait.h"

#define HOUR 3600

typedef struct
{
  char             *dir;
  char             *db_path;
  NtFacility       *facility;
  guint             port;
  char             *base_uri;
  char             *tokens[4];   /* by NtRole */
  NtScheduleClient *admin;
  NtScheduleClient *office;
  gint64            op_start;    /* a user-operation period of our own */
  gint64            op_end;
} Fixture;

/* ---- running async calls to completion ---- */

static void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  /* 20 s, longer in the slow (sanitizer) build: a year's summary there
   * shares the machine with the history fill */
  gint64 deadline = g_get_monotonic_time () + (gint64) (20 * nt_test_wait_factor ()) * G_USEC_PER_SEC;

  while (*slot == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  return *slot;
}

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *flag = user_data;

  *flag = TRUE;
  return G_SOURCE_REMOVE;
}

static void
spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static gpointer
create (NtScheduleClient   *client,
        gpointer            object,
        const char         *reason,
        NtScheduleFailure **failure,
        GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  nt_schedule_client_create_async (client, object, reason, NULL, store_result_cb, &result);
  return nt_schedule_client_create_finish (client, wait_for (&result), failure, error);
}

static gpointer
update (NtScheduleClient   *client,
        gpointer            object,
        NtScheduleFailure **failure,
        GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  nt_schedule_client_update_async (client, object, NULL, NULL, store_result_cb, &result);
  return nt_schedule_client_update_finish (client, wait_for (&result), failure, error);
}

static gboolean
delete (NtScheduleClient   *client,
        gpointer            object,
        NtScheduleFailure **failure,
        GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  nt_schedule_client_delete_async (client, object, NULL, store_result_cb, &result);
  return nt_schedule_client_delete_finish (client, wait_for (&result), failure, error);
}

static GPtrArray *
list_allocations (NtScheduleClient  *client,
                  gint64             from,
                  gint64             to,
                  const char        *station,
                  int                slot,
                  gint64            *revision,
                  GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  nt_schedule_client_list_allocations_async (client, from, to, station, slot, NULL,
                                             store_result_cb, &result);
  return nt_schedule_client_list_allocations_finish (client, wait_for (&result), revision, error);
}

/* ---- fixture ---- */

static void
start_facility (Fixture *fx,
                guint    port)
{
  g_autoptr(GError) error = NULL;
  NtFacilityOptions options = { .db_path = fx->db_path, .seed = 7 };
  g_autofree char *uri = NULL;
  g_autoptr(GUri) parsed = NULL;

  fx->facility = nt_facility_new (&options, &error);
  g_assert_no_error (error);
  nt_facility_listen (fx->facility, "127.0.0.1", port, &error);
  g_assert_no_error (error);

  uri = nt_facility_dup_base_uri (fx->facility);
  parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, &error);
  g_assert_no_error (error);
  fx->port = g_uri_get_port (parsed);
  g_assert_cmpuint (fx->port, >, 0);
  if (port != 0)
    g_assert_cmpuint (fx->port, ==, port);
  if (fx->base_uri == NULL)
    fx->base_uri = g_steal_pointer (&uri);
}

static void
stop_facility (Fixture *fx)
{
  nt_facility_shutdown (fx->facility);
  g_assert_finalize_object (fx->facility);
  fx->facility = NULL;
}

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NtRunPeriod) period = NULL;
  g_autoptr(NtRunPeriod) stored = NULL;
  static const char *names[] = { "viewer", "operator", "office", "admin" };

  fx->dir = g_dir_make_tmp ("nt-schedule-client-XXXXXX", &error);
  g_assert_no_error (error);
  fx->db_path = g_build_filename (fx->dir, "schedule.db", NULL);

  start_facility (fx, 0);

  for (NtRole role = NT_ROLE_VIEWER; role <= NT_ROLE_ADMIN; role++)
    {
      fx->tokens[role] = nt_auth_token_create (nt_facility_get_db (fx->facility), role,
                                               names[role], &error);
      g_assert_no_error (error);
    }

  fx->admin = nt_schedule_client_new (fx->base_uri, fx->tokens[NT_ROLE_ADMIN]);
  fx->office = nt_schedule_client_new (fx->base_uri, fx->tokens[NT_ROLE_OFFICE]);

  /* May 2031 (JST) is user operation */
  fx->op_start = nt_time_from_local (2031, 5, 1, 0, 0);
  fx->op_end = nt_time_from_local (2031, 6, 1, 0, 0);
  period = nt_run_period_new (NT_PERIOD_USER_OPERATION, fx->op_start, fx->op_end, "test block");
  stored = create (fx->admin, period, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (NT_IS_RUN_PERIOD (stored));
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_assert_finalize_object (fx->admin);
  g_assert_finalize_object (fx->office);
  if (fx->facility != NULL)
    stop_facility (fx);

  dir = g_dir_open (fx->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fx->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (fx->dir);

  for (guint i = 0; i < G_N_ELEMENTS (fx->tokens); i++)
    g_free (fx->tokens[i]);
  g_free (fx->base_uri);
  g_free (fx->db_path);
  g_free (fx->dir);
}

/* A staff booking of @hours whole hours on @station, @day_offset days into
 * our user-operation block, starting at 10:00 JST. */
static NtAllocation *
staff_allocation (Fixture    *fx,
                  const char *station,
                  int         day_offset,
                  int         hours)
{
  gint64 start = fx->op_start + day_offset * 24 * HOUR + 10 * HOUR;
  NtAllocation *a = nt_allocation_new (station, start, start + hours * HOUR, NT_SLOT_STAFF);

  nt_allocation_set_status (a, NT_ALLOCATION_CONFIRMED);
  return a;
}

/* ---- tests ---- */

static void
test_reads (Fixture       *fx,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) r1 = NULL;
  g_autoptr(GAsyncResult) r2 = NULL;
  g_autoptr(GAsyncResult) r3 = NULL;
  g_autoptr(GAsyncResult) r4 = NULL;
  g_autoptr(GAsyncResult) r5 = NULL;
  g_autoptr(GAsyncResult) r6 = NULL;
  g_autoptr(NtScheduleClient) viewer = nt_schedule_client_new (fx->base_uri, fx->tokens[NT_ROLE_VIEWER]);
  g_autoptr(JsonNode) beamlines = NULL;
  g_autoptr(JsonNode) summary = NULL;
  g_autoptr(JsonNode) audit = NULL;
  g_autoptr(GPtrArray) plan = NULL;
  g_autoptr(GPtrArray) members = NULL;
  g_autoptr(GPtrArray) proposals = NULL;
  gint64 revision = -1;
  gboolean found = FALSE;

  /* all six reads in flight at once on one session */
  nt_schedule_client_list_beamlines_async (viewer, NULL, store_result_cb, &r1);
  nt_schedule_client_list_run_plan_async (viewer, fx->op_start - 86400, fx->op_end + 86400,
                                          NULL, store_result_cb, &r2);
  nt_schedule_client_list_members_async (viewer, NULL, store_result_cb, &r3);
  nt_schedule_client_list_proposals_async (viewer, NULL, store_result_cb, &r4);
  nt_schedule_client_get_summary_async (viewer, 2031, NULL, store_result_cb, &r5);
  nt_schedule_client_list_audit_async (viewer, 0, 0, NULL, store_result_cb, &r6);

  beamlines = nt_schedule_client_list_beamlines_finish (viewer, wait_for (&r1), &error);
  g_assert_no_error (error);
  g_assert_nonnull (beamlines);

  plan = nt_schedule_client_list_run_plan_finish (viewer, wait_for (&r2), &revision, &error);
  g_assert_no_error (error);
  g_assert_cmpint (revision, >, 0);
  for (guint i = 0; i < plan->len; i++)
    {
      NtRunPeriod *p = g_ptr_array_index (plan, i);

      g_assert_true (NT_IS_RUN_PERIOD (p));
      g_assert_nonnull (nt_run_period_get_etag (p));
      if (nt_run_period_get_start (p) == fx->op_start && nt_run_period_get_end (p) == fx->op_end)
        {
          g_assert_cmpint (nt_run_period_get_kind (p), ==, NT_PERIOD_USER_OPERATION);
          g_assert_cmpstr (nt_run_period_get_note (p), ==, "test block");
          found = TRUE;
        }
    }
  g_assert_true (found);

  members = nt_schedule_client_list_members_finish (viewer, wait_for (&r3), NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (members);
  proposals = nt_schedule_client_list_proposals_finish (viewer, wait_for (&r4), NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (proposals);

  summary = nt_schedule_client_get_summary_finish (viewer, wait_for (&r5), &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (summary));

  audit = nt_schedule_client_list_audit_finish (viewer, wait_for (&r6), &error);
  g_assert_no_error (error);
  g_assert_nonnull (audit);
}

static NtBookingStore *
list_allocation_store (NtScheduleClient  *client,
                       gint64             from,
                       gint64             to,
                       const char        *station,
                       int                slot,
                       gint64            *revision,
                       GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  nt_schedule_client_list_allocation_store_async (client, from, to, station, slot, NULL,
                                                  store_result_cb, &result);
  return nt_schedule_client_list_allocation_store_finish (client, wait_for (&result), revision, error);
}

/* The list read into compact records holds what the list of objects
 * holds, with the same filters and revision; a refused read gives no
 * store and the same error. */
static void
test_allocation_store (Fixture       *fx,
                       gconstpointer  data)
{
  g_autoptr(NtScheduleClient) anonymous = nt_schedule_client_new (fx->base_uri, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) objects = NULL;
  g_autoptr(NtBookingStore) store = NULL;
  g_autoptr(NtBookingStore) filtered = NULL;
  g_autoptr(NtBookingStore) none = NULL;
  const char *stations[] = { "BL13U", "BL13U", "BL06U" };
  gint64 rev_objects = 0, rev_store = 0;

  for (guint i = 0; i < G_N_ELEMENTS (stations); i++)
    {
      g_autoptr(NtAllocation) draft = staff_allocation (fx, stations[i], 3 * i + 1, 2);
      g_autoptr(NtAllocation) stored = NULL;
      g_autoptr(NtScheduleFailure) failure = NULL;

      nt_allocation_set_note (draft, i == 1 ? "真空確認" : "");
      stored = create (fx->office, draft, NULL, &failure, &error);
      g_assert_no_error (error);
      g_assert_nonnull (stored);
    }

  objects = list_allocations (fx->office, fx->op_start, fx->op_end, NULL, NT_SLOT_ANY, &rev_objects, &error);
  g_assert_no_error (error);
  store = list_allocation_store (fx->office, fx->op_start, fx->op_end, NULL, NT_SLOT_ANY, &rev_store, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  g_assert_cmpint (rev_store, ==, rev_objects);
  g_assert_cmpuint (objects->len, >=, 3);
  g_assert_cmpuint (nt_booking_store_get_size (store), ==, objects->len);
  for (guint i = 0; i < objects->len; i++)
    {
      NtAllocation *a = g_ptr_array_index (objects, i);
      const NtBooking *b = nt_booking_store_lookup (store, nt_allocation_get_id (a));
      g_autoptr(NtAllocation) again = NULL;

      g_assert_nonnull (b);
      g_assert_true (nt_booking_equal_object (b, a));
      /* The object made from the record writes the same wire format. */
      again = nt_booking_make_object (b);
      {
        g_autoptr(JsonNode) j1 = nt_allocation_to_json (a);
        g_autoptr(JsonNode) j2 = nt_allocation_to_json (again);

        g_assert_true (json_node_equal (j1, j2));
      }
    }

  filtered = list_allocation_store (fx->office, fx->op_start, fx->op_end, "BL13U", NT_SLOT_STAFF, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nt_booking_store_get_size (filtered), ==, 2);

  none = list_allocation_store (anonymous, 0, 0, NULL, NT_SLOT_ANY, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_AUTH);
}

static void
test_create_update_delete (Fixture       *fx,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NtAllocation) draft = staff_allocation (fx, "BL13U", 3, 4);
  g_autoptr(NtAllocation) stored = NULL;
  g_autoptr(NtAllocation) edit = NULL;
  g_autoptr(NtAllocation) updated = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(NtScheduleFailure) failure = NULL;
  gint64 revision = 0;

  nt_allocation_set_note (draft, "vacuum check, 真空確認");
  stored = create (fx->office, draft, NULL, &failure, &error);
  g_assert_no_error (error);
  g_assert_null (failure);
  g_assert_true (NT_IS_ALLOCATION (stored));
  g_assert_cmpint (nt_allocation_get_id (stored), >, 0);
  g_assert_nonnull (nt_allocation_get_etag (stored));
  g_assert_cmpint (nt_allocation_get_revision (stored), >, 0);
  g_assert_cmpstr (nt_allocation_get_station (stored), ==, "BL13U");
  g_assert_cmpint (nt_allocation_get_start (stored), ==, nt_allocation_get_start (draft));
  g_assert_cmpint (nt_allocation_get_end (stored), ==, nt_allocation_get_end (draft));
  g_assert_cmpint (nt_allocation_get_slot (stored), ==, NT_SLOT_STAFF);
  g_assert_cmpstr (nt_allocation_get_note (stored), ==, "vacuum check, 真空確認");

  /* filters: station and slot */
  list = list_allocations (fx->office, fx->op_start, fx->op_end, "BL13U", NT_SLOT_STAFF,
                           &revision, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpint (nt_allocation_get_id (g_ptr_array_index (list, 0)), ==, nt_allocation_get_id (stored));
  g_assert_cmpstr (nt_allocation_get_etag (g_ptr_array_index (list, 0)), ==, nt_allocation_get_etag (stored));
  g_assert_cmpint (revision, >=, nt_allocation_get_revision (stored));
  g_clear_pointer (&list, g_ptr_array_unref);
  list = list_allocations (fx->office, fx->op_start, fx->op_end, "BL13U", NT_SLOT_PUBLIC,
                           NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 0);

  /* update with If-Match from the stored etag: a new etag comes back */
  edit = nt_allocation_copy (stored);
  nt_allocation_set_end (edit, nt_allocation_get_end (stored) + 2 * HOUR);
  nt_allocation_set_note (edit, "extended");
  updated = update (fx->office, edit, &failure, &error);
  g_assert_no_error (error);
  g_assert_cmpint (nt_allocation_get_id (updated), ==, nt_allocation_get_id (stored));
  g_assert_cmpint (nt_allocation_get_end (updated), ==, nt_allocation_get_end (edit));
  g_assert_cmpstr (nt_allocation_get_note (updated), ==, "extended");
  g_assert_cmpstr (nt_allocation_get_etag (updated), !=, nt_allocation_get_etag (stored));
  g_assert_cmpint (nt_allocation_get_revision (updated), >, nt_allocation_get_revision (stored));

  /* deleting with the old etag is refused: 412 with the current version */
  g_assert_false (delete (fx->office, stored, &failure, &error));
  g_assert_error (error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_PRECONDITION_FAILED);
  g_assert_nonnull (failure);
  g_assert_cmpuint (nt_schedule_failure_get_status (failure), ==, 412);
  g_clear_error (&error);
  g_clear_pointer (&failure, nt_schedule_failure_unref);

  g_assert_true (delete (fx->office, updated, &failure, &error));
  g_assert_no_error (error);
  g_assert_null (failure);

  after = list_allocations (fx->office, fx->op_start, fx->op_end, "BL13U", NT_SLOT_ANY,
                            NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (after->len, ==, 0);

  /* an object never stored cannot be updated or deleted */
  g_assert_false (delete (fx->office, draft, &failure, &error));
  g_assert_error (error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_INVALID_INPUT);
  g_assert_null (failure);
}

static void
test_stale_update (Fixture       *fx,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NtScheduleClient) second = nt_schedule_client_new (fx->base_uri, fx->tokens[NT_ROLE_OFFICE]);
  g_autoptr(NtAllocation) draft = staff_allocation (fx, "BL06U", 5, 3);
  g_autoptr(NtAllocation) stored = NULL;
  g_autoptr(GPtrArray) seen = NULL;
  g_autoptr(NtAllocation) mine = NULL;
  g_autoptr(NtAllocation) theirs = NULL;
  g_autoptr(NtAllocation) first_saved = NULL;
  g_autoptr(NtAllocation) second_saved = NULL;
  g_autoptr(NtAllocation) retry = NULL;
  g_autoptr(NtScheduleFailure) failure = NULL;
  NtAllocation *current;

  stored = create (fx->office, draft, NULL, NULL, &error);
  g_assert_no_error (error);

  /* both consoles read the same version */
  seen = list_allocations (second, fx->op_start, fx->op_end, "BL06U", NT_SLOT_ANY, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (seen->len, ==, 1);
  mine = nt_allocation_copy (stored);
  theirs = nt_allocation_copy (g_ptr_array_index (seen, 0));
  g_assert_cmpstr (nt_allocation_get_etag (mine), ==, nt_allocation_get_etag (theirs));

  nt_allocation_set_note (mine, "first editor");
  first_saved = update (fx->office, mine, NULL, &error);
  g_assert_no_error (error);

  /* the second console's etag is stale now */
  nt_allocation_set_note (theirs, "second editor");
  second_saved = update (second, theirs, &failure, &error);
  g_assert_null (second_saved);
  g_assert_error (error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_PRECONDITION_FAILED);
  g_assert_nonnull (failure);
  g_assert_cmpuint (nt_schedule_failure_get_status (failure), ==, 412);
  current = nt_schedule_failure_get_current (failure);
  g_assert_true (NT_IS_ALLOCATION (current));
  g_assert_cmpstr (nt_allocation_get_note (current), ==, "first editor");
  g_assert_cmpstr (nt_allocation_get_etag (current), ==, nt_allocation_get_etag (first_saved));
  g_clear_error (&error);

  /* having seen the current version, the second editor applies on top of it */
  retry = nt_allocation_copy (current);
  nt_allocation_set_note (retry, "second editor, after review");
  g_clear_pointer (&failure, nt_schedule_failure_unref);
  second_saved = update (second, retry, &failure, &error);
  g_assert_no_error (error);
  g_assert_null (failure);
  g_assert_cmpstr (nt_allocation_get_note (second_saved), ==, "second editor, after review");
}

static void
test_rule_conflict (Fixture       *fx,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NtAllocation) first = staff_allocation (fx, "BL02U", 7, 4);
  g_autoptr(NtAllocation) overlapping = staff_allocation (fx, "BL02U", 7, 2);
  g_autoptr(NtAllocation) adjacent = NULL;
  g_autoptr(NtAllocation) stored = NULL;
  g_autoptr(NtAllocation) refused = NULL;
  g_autoptr(NtAllocation) outside = NULL;
  g_autoptr(NtAllocation) stored2 = NULL;
  g_autoptr(NtProposal) proposal = nt_proposal_new ("2031A0001", "2031A");
  g_autoptr(NtProposal) bad_proposal = NULL;
  g_autoptr(NtScheduleFailure) failure = NULL;

  stored = create (fx->office, first, NULL, NULL, &error);
  g_assert_no_error (error);

  /* one hour later, inside the first: overlap */
  nt_allocation_set_start (overlapping, nt_allocation_get_start (first) + HOUR);
  nt_allocation_set_end (overlapping, nt_allocation_get_start (first) + 3 * HOUR);
  refused = create (fx->office, overlapping, NULL, &failure, &error);
  g_assert_null (refused);
  g_assert_error (error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_CONFLICT);
  g_assert_cmpuint (nt_schedule_failure_get_status (failure), ==, 409);
  g_assert_cmpstr (nt_schedule_failure_get_code (failure), ==, "overlap");
  g_clear_error (&error);
  g_clear_pointer (&failure, nt_schedule_failure_unref);

  /* right after it: the other side of the limit, accepted */
  adjacent = staff_allocation (fx, "BL02U", 7, 2);
  nt_allocation_set_start (adjacent, nt_allocation_get_end (first));
  nt_allocation_set_end (adjacent, nt_allocation_get_end (first) + 2 * HOUR);
  stored2 = create (fx->office, adjacent, NULL, &failure, &error);
  g_assert_no_error (error);
  g_assert_nonnull (stored2);

  /* outside user operation */
  outside = nt_allocation_new ("BL02U", fx->op_end + 10 * HOUR, fx->op_end + 12 * HOUR,
                               NT_SLOT_STAFF);
  g_clear_object (&refused);
  refused = create (fx->office, outside, NULL, &failure, &error);
  g_assert_null (refused);
  g_assert_error (error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_CONFLICT);
  g_assert_cmpstr (nt_schedule_failure_get_code (failure), ==, "outside_user_operation");
  g_clear_error (&error);
  g_clear_pointer (&failure, nt_schedule_failure_unref);

  /* approved shifts must be 1, 2 or a multiple of 3 */
  nt_proposal_set_title (proposal, "Test proposal");
  nt_proposal_set_pi (proposal, "Test PI");
  nt_proposal_set_organisation (proposal, "Test Lab");
  nt_proposal_set_shifts_requested (proposal, 6);
  nt_proposal_set_shifts_approved (proposal, 4);
  bad_proposal = create (fx->office, proposal, NULL, &failure, &error);
  g_assert_null (bad_proposal);
  g_assert_error (error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_CONFLICT);
  g_assert_cmpstr (nt_schedule_failure_get_code (failure), ==, "invalid_shift_count");
  g_clear_error (&error);
  g_clear_pointer (&failure, nt_schedule_failure_unref);

  nt_proposal_set_shifts_approved (proposal, 3);
  bad_proposal = create (fx->office, proposal, NULL, &failure, &error);
  g_assert_no_error (error);
  g_assert_true (NT_IS_PROPOSAL (bad_proposal));
  g_assert_cmpstr (nt_proposal_get_id (bad_proposal), ==, "2031A0001");
}

static void
test_invalid_field (Fixture       *fx,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NtAllocation) a = staff_allocation (fx, "BL13U", 9, 2);
  g_autoptr(NtAllocation) refused = NULL;
  g_autoptr(NtScheduleFailure) failure = NULL;

  nt_allocation_set_station (a, "BL99X");
  refused = create (fx->office, a, NULL, &failure, &error);
  g_assert_null (refused);
  g_assert_error (error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_INVALID_INPUT);
  g_assert_nonnull (failure);
  g_assert_cmpuint (nt_schedule_failure_get_status (failure), ==, 422);
  g_assert_cmpstr (nt_schedule_failure_get_field (failure), ==, "station");
}

static void
count_attempts_cb (NtScheduleClient *client,
                   GParamSpec       *pspec,
                   guint            *n_attempts)
{
  if (nt_schedule_client_get_feed_state (client) == NT_CONNECTION_CONNECTING)
    (*n_attempts)++;
}

static void
test_auth (Fixture       *fx,
           gconstpointer  data)
{
  g_autoptr(NtScheduleClient) anonymous = nt_schedule_client_new (fx->base_uri, NULL);
  g_autoptr(NtScheduleClient) bogus = nt_schedule_client_new (fx->base_uri, "nt_0000");
  g_autoptr(NtScheduleClient) viewer = nt_schedule_client_new (fx->base_uri, fx->tokens[NT_ROLE_VIEWER]);
  g_autoptr(NtScheduleClient) operator = nt_schedule_client_new (fx->base_uri, fx->tokens[NT_ROLE_OPERATOR]);
  g_autoptr(NtAllocation) a = staff_allocation (fx, "BL13U", 11, 2);
  g_autoptr(NtRunPeriod) p = nt_run_period_new (NT_PERIOD_MAINTENANCE,
                                                nt_time_from_local (2031, 6, 1, 0, 0),
                                                nt_time_from_local (2031, 6, 8, 0, 0), NULL);
  struct {
    NtScheduleClient *client;
    gpointer          object;
    int               code;
    guint             status;
  } cases[] = {
    { anonymous, a, NT_CLIENT_ERROR_AUTH, 401 },
    { bogus, a, NT_CLIENT_ERROR_AUTH, 401 },
    { viewer, a, NT_CLIENT_ERROR_FORBIDDEN, 403 },
    { operator, a, NT_CLIENT_ERROR_FORBIDDEN, 403 },
    { fx->office, p, NT_CLIENT_ERROR_FORBIDDEN, 403 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(NtScheduleFailure) failure = NULL;
      g_autoptr(GObject) stored = create (cases[i].client, cases[i].object, NULL, &failure, &error);

      g_assert_null (stored);
      g_assert_error (error, NT_CLIENT_ERROR, cases[i].code);
      g_assert_nonnull (failure);
      g_assert_cmpuint (nt_schedule_failure_get_status (failure), ==, cases[i].status);
    }

  /* reads: none without a token, a viewer may */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) none = list_allocations (anonymous, 0, 0, NULL, NT_SLOT_ANY, NULL, &error);
    g_autoptr(GPtrArray) some = NULL;

    g_assert_null (none);
    g_assert_error (error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_AUTH);
    g_clear_error (&error);
    some = list_allocations (viewer, fx->op_start, fx->op_end, NULL, NT_SLOT_ANY, NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (some);
  }

  /* the change feed refuses a bad token, says why, and does not hammer
   * the service with retries */
  {
    gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
    guint n_attempts = 0;

    g_signal_connect (bogus, "notify::feed-state", G_CALLBACK (count_attempts_cb), &n_attempts);
    nt_schedule_client_set_reconnect_delays (bogus, 10, 20);
    nt_schedule_client_start_changes (bogus, 0);
    while (nt_schedule_client_get_feed_error (bogus) == NULL)
      {
        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        g_main_context_iteration (NULL, TRUE);
      }
    spin (200);
    g_assert_cmpint (nt_schedule_client_get_feed_state (bogus), ==, NT_CONNECTION_DISCONNECTED);
    g_assert_nonnull (nt_schedule_client_get_feed_error (bogus));
    g_assert_cmpuint (n_attempts, ==, 1);
  }

  /* the operator edits the run plan */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(NtRunPeriod) stored = create (operator, p, NULL, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpint (nt_run_period_get_kind (stored), ==, NT_PERIOD_MAINTENANCE);
  }
}

static void
test_quota_override (Fixture       *fx,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NtMember) member = NULL;
  g_autoptr(NtMember) stored_member = NULL;
  g_autoptr(NtMember) edited_member = NULL;
  g_autoptr(NtMember) updated_member = NULL;
  g_autoptr(NtAllocation) full = NULL;
  g_autoptr(NtAllocation) full_stored = NULL;
  g_autoptr(NtAllocation) extra = NULL;
  g_autoptr(NtAllocation) refused = NULL;
  g_autoptr(NtAllocation) overridden = NULL;
  g_autoptr(NtScheduleFailure) failure = NULL;
  GDate start, end;
  gint64 t;

  g_date_clear (&start, 1);
  g_date_clear (&end, 1);
  g_date_set_dmy (&start, 1, G_DATE_APRIL, 2030);
  g_date_set_dmy (&end, 31, G_DATE_MARCH, 2040);
  member = nt_member_new ("Hirose Photonics K.K.", 1, &start, &end);
  stored_member = create (fx->office, member, NULL, &failure, &error);
  g_assert_no_error (error);
  g_assert_cmpint (nt_member_get_id (stored_member), >, 0);
  g_assert_cmpuint (nt_member_get_units (stored_member), ==, 1);

  /* members are edited with If-Match too */
  edited_member = nt_member_copy (stored_member);
  nt_member_set_name (edited_member, "Hirose Photonics Co., Ltd.");
  updated_member = update (fx->office, edited_member, &failure, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (nt_member_get_name (updated_member), ==, "Hirose Photonics Co., Ltd.");
  g_assert_cmpstr (nt_member_get_etag (updated_member), !=, nt_member_get_etag (stored_member));

  /* exactly the 200 h a unit buys: at the limit, accepted */
  t = fx->op_start + 10 * HOUR;
  full = nt_allocation_new ("BL07U", t, t + 200 * HOUR, NT_SLOT_COALITION);
  nt_allocation_set_member (full, nt_member_get_id (stored_member));
  nt_allocation_set_status (full, NT_ALLOCATION_CONFIRMED);
  full_stored = create (fx->office, full, NULL, &failure, &error);
  g_assert_no_error (error);
  g_assert_cmpint (nt_allocation_get_member (full_stored), ==, nt_member_get_id (stored_member));

  /* one hour more: over the quota */
  t += 210 * HOUR;
  extra = nt_allocation_new ("BL07U", t, t + HOUR, NT_SLOT_COALITION);
  nt_allocation_set_member (extra, nt_member_get_id (stored_member));
  refused = create (fx->office, extra, NULL, &failure, &error);
  g_assert_null (refused);
  g_assert_error (error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_CONFLICT);
  g_assert_cmpstr (nt_schedule_failure_get_code (failure), ==, "quota_exceeded");
  g_clear_error (&error);
  g_clear_pointer (&failure, nt_schedule_failure_unref);

  /* only an admin may override, with a reason */
  refused = create (fx->office, extra, "agreed by the director", &failure, &error);
  g_assert_null (refused);
  g_assert_error (error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_FORBIDDEN);
  g_clear_error (&error);
  g_clear_pointer (&failure, nt_schedule_failure_unref);

  overridden = create (fx->admin, extra, "agreed by the director", &failure, &error);
  g_assert_no_error (error);
  g_assert_true (NT_IS_ALLOCATION (overridden));
}

static void
test_get_terms_calendar (Fixture       *fx,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NtAllocation) a = staff_allocation (fx, "BL13U", 12, 3);
  g_autoptr(NtAllocation) stored = NULL;
  g_autoptr(NtAllocation) fetched = NULL;
  g_autoptr(GAsyncResult) r1 = NULL;
  g_autoptr(GAsyncResult) r2 = NULL;
  g_autoptr(GAsyncResult) r3 = NULL;
  g_autoptr(GAsyncResult) r4 = NULL;
  g_autoptr(JsonNode) terms = NULL;
  g_autoptr(GBytes) ics = NULL;
  g_autoptr(NtAllocation) missing = NULL;
  g_autofree char *id = NULL;
  g_autofree char *uid = NULL;
  g_autofree char *text = NULL;
  icalcomponent *cal;
  gboolean found = FALSE;

  nt_allocation_set_note (a, "cryostat, 冷凍機; refill");
  stored = create (fx->office, a, NULL, NULL, &error);
  g_assert_no_error (error);
  id = g_strdup_printf ("%" G_GINT64_FORMAT, nt_allocation_get_id (stored));

  nt_schedule_client_get_object_async (fx->office, NT_TYPE_ALLOCATION, id, NULL, store_result_cb, &r1);
  fetched = nt_schedule_client_get_object_finish (fx->office, wait_for (&r1), &error);
  g_assert_no_error (error);
  g_assert_true (NT_IS_ALLOCATION (fetched));
  g_assert_cmpstr (nt_allocation_get_etag (fetched), ==, nt_allocation_get_etag (stored));
  g_assert_cmpstr (nt_allocation_get_note (fetched), ==, "cryostat, 冷凍機; refill");

  nt_schedule_client_get_object_async (fx->office, NT_TYPE_ALLOCATION, "999999", NULL,
                                       store_result_cb, &r2);
  missing = nt_schedule_client_get_object_finish (fx->office, wait_for (&r2), &error);
  g_assert_null (missing);
  g_assert_error (error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  nt_schedule_client_list_terms_async (fx->office, 2031, NULL, store_result_cb, &r3);
  terms = nt_schedule_client_list_terms_finish (fx->office, wait_for (&r3), &error);
  g_assert_no_error (error);
  g_assert_nonnull (terms);

  /* the station's calendar holds the booking, times in UTC */
  nt_schedule_client_get_calendar_async (fx->office, "BL13U", NULL, 0, 0, NULL, store_result_cb, &r4);
  ics = nt_schedule_client_get_calendar_finish (fx->office, wait_for (&r4), &error);
  g_assert_no_error (error);
  text = g_strndup (g_bytes_get_data (ics, NULL), g_bytes_get_size (ics));
  cal = icalparser_parse_string (text);
  g_assert_nonnull (cal);
  uid = g_strdup_printf ("allocation-%s@", id);
  for (icalcomponent *ev = icalcomponent_get_first_component (cal, ICAL_VEVENT_COMPONENT);
       ev != NULL;
       ev = icalcomponent_get_next_component (cal, ICAL_VEVENT_COMPONENT))
    {
      if (!g_str_has_prefix (icalcomponent_get_uid (ev), uid))
        continue;
      found = TRUE;
      g_assert_cmpint (icaltime_as_timet_with_zone (icalcomponent_get_dtstart (ev),
                                                    icaltimezone_get_utc_timezone ()),
                       ==, nt_allocation_get_start (stored));
      g_assert_cmpint (icaltime_as_timet_with_zone (icalcomponent_get_dtend (ev),
                                                    icaltimezone_get_utc_timezone ()),
                       ==, nt_allocation_get_end (stored));
    }
  g_assert_true (found);
  icalcomponent_free (cal);

  /* Every station's allocations, only what overlaps a range: the booking
   * is there and nothing outside the range is. */
  {
    g_autoptr(GAsyncResult) r5 = NULL;
    g_autoptr(GAsyncResult) r6 = NULL;
    g_autoptr(GBytes) range_ics = NULL;
    g_autofree char *range_text = NULL;
    gint64 from = nt_allocation_get_start (stored);
    gint64 to = nt_allocation_get_end (stored);
    guint n = 0;

    found = FALSE;
    nt_schedule_client_get_calendar_async (fx->office, "*", NULL, from, to, NULL, store_result_cb, &r5);
    range_ics = nt_schedule_client_get_calendar_finish (fx->office, wait_for (&r5), &error);
    g_assert_no_error (error);
    range_text = g_strndup (g_bytes_get_data (range_ics, NULL), g_bytes_get_size (range_ics));
    g_assert_nonnull (strstr (range_text, "X-WR-CALNAME:NanoTerasu allocations"));
    cal = icalparser_parse_string (range_text);
    g_assert_nonnull (cal);
    for (icalcomponent *ev = icalcomponent_get_first_component (cal, ICAL_VEVENT_COMPONENT);
         ev != NULL;
         ev = icalcomponent_get_next_component (cal, ICAL_VEVENT_COMPONENT))
      {
        gint64 s = icaltime_as_timet_with_zone (icalcomponent_get_dtstart (ev), icaltimezone_get_utc_timezone ());
        gint64 e = icaltime_as_timet_with_zone (icalcomponent_get_dtend (ev), icaltimezone_get_utc_timezone ());

        g_assert_cmpint (e, >, from);
        g_assert_cmpint (s, <, to);
        if (g_str_has_prefix (icalcomponent_get_uid (ev), uid))
          found = TRUE;
        n++;
      }
    g_assert_true (found);
    g_assert_cmpuint (n, >=, 1);
    icalcomponent_free (cal);

    /* A range that is not one is refused in words. */
    nt_schedule_client_get_calendar_async (fx->office, "*", NULL, to, from, NULL, store_result_cb, &r6);
    g_assert_null (nt_schedule_client_get_calendar_finish (fx->office, wait_for (&r6), &error));
    g_assert_error (error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_INVALID_INPUT);
    g_clear_error (&error);
  }
}

static void
test_cancel_and_network (Fixture       *fx,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) r1 = NULL;
  g_autoptr(GAsyncResult) r2 = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(NtAllocation) a = staff_allocation (fx, "BL13U", 14, 1);
  g_autoptr(NtAllocation) stored = NULL;

  /* a cancelled read reports so, and nothing else */
  nt_schedule_client_list_allocations_async (fx->office, 0, 0, NULL, NT_SLOT_ANY, cancellable,
                                             store_result_cb, &r1);
  g_cancellable_cancel (cancellable);
  items = nt_schedule_client_list_allocations_finish (fx->office, wait_for (&r1), NULL, &error);
  g_assert_null (items);
  g_assert_true (g_error_matches (error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_CANCELLED) ||
                 g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
  g_clear_error (&error);

  /* the service gone: a network error, not a crash or a hang */
  stop_facility (fx);
  stored = create (fx->office, a, NULL, NULL, &error);
  g_assert_null (stored);
  g_assert_error (error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_NETWORK);
  g_clear_error (&error);

  nt_schedule_client_list_members_async (fx->office, NULL, store_result_cb, &r2);
  items = nt_schedule_client_list_members_finish (fx->office, wait_for (&r2), NULL, &error);
  g_assert_null (items);
  g_assert_error (error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_NETWORK);
}

/* ---- change feed ---- */

typedef struct
{
  GArray    *revisions;   /* gint64 */
  GPtrArray *keys;        /* "action resource id" */
} Received;

static void
change_cb (NtScheduleClient *client,
           gint64            revision,
           const char       *resource,
           const char       *action,
           const char       *id,
           GObject          *object,
           JsonNode         *message,
           Received         *received)
{
  g_array_append_val (received->revisions, revision);
  g_ptr_array_add (received->keys, g_strdup_printf ("%s %s %s", action, resource, id));

  if (g_str_equal (action, "deleted"))
    g_assert_null (object);
  else if (g_str_equal (resource, "allocation"))
    g_assert_true (NT_IS_ALLOCATION (object));
  g_assert_true (JSON_NODE_HOLDS_OBJECT (message));
}

static void
wait_for_count (Received *received,
                guint     n)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (received->revisions->len < n)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
wait_for_state (NtScheduleClient  *client,
                NtConnectionState  state)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (nt_schedule_client_get_feed_state (client) != state)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static char *
write_one (Fixture  *fx,
           int       i,
           GPtrArray *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NtAllocation) a = staff_allocation (fx, "BL07U", i, 1);
  g_autoptr(NtAllocation) stored = create (fx->office, a, NULL, NULL, &error);

  g_assert_no_error (error);
  g_ptr_array_add (expected, g_strdup_printf ("created allocation %" G_GINT64_FORMAT,
                                              nt_allocation_get_id (stored)));
  return g_strdup (nt_allocation_get_etag (stored));
}

static void
test_change_feed (Fixture       *fx,
                  gconstpointer  data)
{
  g_autoptr(NtScheduleClient) watcher = nt_schedule_client_new (fx->base_uri, fx->tokens[NT_ROLE_VIEWER]);
  g_autoptr(GPtrArray) expected = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) baseline = NULL;
  g_autoptr(GError) error = NULL;
  Received received = {
    g_array_new (FALSE, FALSE, sizeof (gint64)),
    g_ptr_array_new_with_free_func (g_free),
  };
  gint64 since = 0;
  guint port;
  int day = 1;

  /* start from the revision of a read, as the console does */
  baseline = list_allocations (watcher, fx->op_start, fx->op_end, NULL, NT_SLOT_ANY, &since, &error);
  g_assert_no_error (error);

  /* long enough that it cannot come back on its own during the test */
  nt_schedule_client_set_reconnect_delays (watcher, 60000, 60000);
  g_signal_connect (watcher, "change", G_CALLBACK (change_cb), &received);
  nt_schedule_client_start_changes (watcher, since);
  wait_for_state (watcher, NT_CONNECTION_CONNECTED);

  /* live changes */
  for (; day <= 3; day++)
    g_free (write_one (fx, day, expected));
  wait_for_count (&received, expected->len);

  /* the service goes away and comes back on the same port and database;
   * changes made before the feed is back must still arrive, once */
  port = fx->port;
  stop_facility (fx);
  wait_for_state (watcher, NT_CONNECTION_DISCONNECTED);
  start_facility (fx, port);
  for (; day <= 6; day++)
    g_free (write_one (fx, day, expected));
  spin (100);
  g_assert_cmpint (nt_schedule_client_get_feed_state (watcher), ==, NT_CONNECTION_DISCONNECTED);
  g_assert_cmpuint (received.revisions->len, ==, 3);

  /* back: it resumes from the last revision it delivered */
  nt_schedule_client_reconnect_now (watcher);
  wait_for_state (watcher, NT_CONNECTION_CONNECTED);
  wait_for_count (&received, 6);

  /* and live ones after the reconnect: a create, an update, a delete */
  {
    g_autoptr(NtAllocation) a = staff_allocation (fx, "BL07U", day++, 2);
    g_autoptr(NtAllocation) stored = create (fx->office, a, NULL, NULL, &error);
    g_autoptr(NtAllocation) edit = NULL;
    g_autoptr(NtAllocation) updated = NULL;

    g_assert_no_error (error);
    g_ptr_array_add (expected, g_strdup_printf ("created allocation %" G_GINT64_FORMAT,
                                                nt_allocation_get_id (stored)));
    edit = nt_allocation_copy (stored);
    nt_allocation_set_note (edit, "moved");
    updated = update (fx->office, edit, NULL, &error);
    g_assert_no_error (error);
    g_ptr_array_add (expected, g_strdup_printf ("updated allocation %" G_GINT64_FORMAT,
                                                nt_allocation_get_id (stored)));
    g_assert_true (delete (fx->office, updated, NULL, &error));
    g_assert_no_error (error);
    g_ptr_array_add (expected, g_strdup_printf ("deleted allocation %" G_GINT64_FORMAT,
                                                nt_allocation_get_id (stored)));
  }
  wait_for_count (&received, expected->len);

  /* a second restart, and this time the feed comes back by itself, with
   * back-off, and still delivers each change once */
  nt_schedule_client_set_reconnect_delays (watcher, 50, 400);
  stop_facility (fx);
  wait_for_state (watcher, NT_CONNECTION_DISCONNECTED);
  start_facility (fx, port);
  g_free (write_one (fx, day++, expected));
  wait_for_state (watcher, NT_CONNECTION_CONNECTED);
  g_free (write_one (fx, day++, expected));
  wait_for_count (&received, expected->len);

  /* a little longer: nothing more, in particular no replay */
  spin (300);
  g_assert_cmpuint (received.revisions->len, ==, expected->len);
  for (guint i = 0; i < expected->len; i++)
    {
      g_assert_cmpstr (g_ptr_array_index (received.keys, i), ==, g_ptr_array_index (expected, i));
      if (i > 0)
        g_assert_cmpint (g_array_index (received.revisions, gint64, i), >,
                         g_array_index (received.revisions, gint64, i - 1));
    }
  g_assert_cmpint (nt_schedule_client_get_last_revision (watcher), ==,
                   g_array_index (received.revisions, gint64, received.revisions->len - 1));

  nt_schedule_client_stop_changes (watcher);
  g_assert_cmpint (nt_schedule_client_get_feed_state (watcher), ==, NT_CONNECTION_DISCONNECTED);
  g_array_unref (received.revisions);
  g_ptr_array_unref (received.keys);
}

/* GET /whoami names each token's role; an answer without a string "role"
 * is refused in words, and so is no token. */
static void
test_whoami (Fixture       *fx,
             gconstpointer  data)
{
  static const char * const unreadable[] = {
    "[]", "{}", "\"admin\"", "{\"role\":7}", "{\"role\":null}", "{\"role\":{}}", "{\"role\":[\"admin\"]}",
  };
  g_autoptr(NtScheduleClient) anonymous = nt_schedule_client_new (fx->base_uri, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) none = NULL;

  for (NtRole role = NT_ROLE_VIEWER; role <= NT_ROLE_ADMIN; role++)
    {
      g_autoptr(NtScheduleClient) client = nt_schedule_client_new (fx->base_uri, fx->tokens[role]);
      g_autoptr(GAsyncResult) r = NULL;
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *name = NULL;

      nt_schedule_client_whoami_async (client, NULL, store_result_cb, &r);
      node = nt_schedule_client_whoami_finish (client, wait_for (&r), &name, &error);
      g_assert_no_error (error);
      g_assert_nonnull (node);
      g_assert_cmpstr (name, ==, nt_role_to_string (role));
    }

  nt_schedule_client_whoami_async (anonymous, NULL, store_result_cb, &result);
  none = nt_schedule_client_whoami_finish (anonymous, wait_for (&result), NULL, &error);
  g_assert_null (none);
  g_assert_error (error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_AUTH);
  g_clear_error (&error);

  for (guint i = 0; i < G_N_ELEMENTS (unreadable); i++)
    {
      g_autoptr(JsonNode) node = json_from_string (unreadable[i], NULL);
      g_autofree char *role = nt_schedule_client_read_role (node, &error);

      g_assert_null (role);
      g_assert_error (error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_INVALID_DATA);
      g_assert_nonnull (strstr (error->message, "role"));
      g_clear_error (&error);
    }
  {
    g_autoptr(JsonNode) node = json_from_string ("{\"name\":\"x\",\"role\":\"viewer\"}", NULL);
    g_autofree char *role = nt_schedule_client_read_role (node, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (role, ==, "viewer");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* Every test here runs at a named instant, never at the real date. */
  nt_test_clock_run_from (NT_TEST_USER_OPERATION, 1.0);

#define ADD(path, func) \
  g_test_add ("/schedule-client/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("reads", test_reads);
  ADD ("create-update-delete", test_create_update_delete);
  ADD ("allocation-store", test_allocation_store);
  ADD ("stale-update", test_stale_update);
  ADD ("rule-conflict", test_rule_conflict);
  ADD ("invalid-field", test_invalid_field);
  ADD ("auth", test_auth);
  ADD ("quota-override", test_quota_override);
  ADD ("get-terms-calendar", test_get_terms_calendar);
  ADD ("cancel-and-network", test_cancel_and_network);
  ADD ("change-feed", test_change_feed);
  ADD ("whoami", test_whoami);

#undef ADD

  return g_test_run ();
}
