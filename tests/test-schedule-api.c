/* test-schedule-api.c: the scheduling REST API over loopback HTTP
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Roles and tokens (401/403), ETags (412 with two writers, 428), malformed
 * bodies (400/422 naming the field, 413), every rule on both sides of its
 * limit, the audit log, summary and calendar.
 */
#include "config.h"

#include <libical/ical.h>

#include "nt-alloc-rules.h"
#include "schedule-test-util.h"
#include "test-instants.h"

/* The test plan (JST):
 *   user operation  2026-05-11 09:00 → 05-19 09:00  (192 h)
 *   machine study   2026-05-19 09:00 → 05-20 09:00
 *   user operation  2026-05-20 09:00 → 05-30 09:00  (240 h)
 *   commissioning   2026-05-30 09:00 → 05-31 09:00
 */
static void
make_plan (SchedFixture *f)
{
  g_auto(SchedReply) r = { 0 };
  struct { const char *kind; int d0, d1; } periods[] = {
    { "user_operation", 11, 19 },
    { "machine_study", 19, 20 },
    { "user_operation", 20, 30 },
    { "commissioning", 30, 31 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (periods); i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"kind\":\"%s\",\"start\":\"%s\",\"end\":\"%s\",\"note\":\"test\"}",
                                               periods[i].kind, sched_jst (2026, 5, periods[i].d0, 9, 0),
                                               sched_jst (2026, 5, periods[i].d1, 9, 0));

      sched_request (f, "POST", "/api/v1/run-plan", f->tokens[NT_ROLE_OPERATOR], body, NULL, &r);
      g_assert_cmpuint (r.status, ==, 201);
    }
}

static gint64
make_member (SchedFixture *f,
             const char   *name,
             int           units)
{
  g_auto(SchedReply) r = { 0 };
  g_autofree char *body = g_strdup_printf ("{\"name\":\"%s\",\"units\":%d,\"contract_start\":\"2024-04-01\","
                                           "\"contract_end\":\"2034-03-31\"}", name, units);

  sched_request (f, "POST", "/api/v1/members", f->tokens[NT_ROLE_OFFICE], body, NULL, &r);
  g_assert_cmpuint (r.status, ==, 201);
  return json_object_get_int_member (sched_object (&r), "id");
}

static void
make_proposal (SchedFixture *f,
               const char   *id,
               int           approved,
               guint         expect)
{
  g_auto(SchedReply) r = { 0 };
  g_autofree char *body = g_strdup_printf ("{\"id\":\"%s\",\"title\":\"Test, with; text\",\"pi\":\"Ann Example\","
                                           "\"organisation\":\"Nowhere Institute\",\"proprietary\":false,"
                                           "\"shifts_requested\":%d,\"shifts_approved\":%d}", id, approved, approved);

  sched_request (f, "POST", "/api/v1/proposals", f->tokens[NT_ROLE_OFFICE], body, NULL, &r);
  g_assert_cmpuint (r.status, ==, expect);
  if (expect == 409)
    g_assert_cmpstr (sched_error_code (&r), ==, "invalid_shift_count");
}

/* POSTs an allocation; returns its id (0 if refused) and checks the status
 * and, for refusals, the error code. */
static gint64
post_alloc (SchedFixture *f,
            const char   *token,
            const char   *station,
            const char   *start,
            const char   *end,
            const char   *slot,
            const char   *who,
            const char   *extra,
            guint         expect,
            const char   *code)
{
  g_auto(SchedReply) r = { 0 };
  g_autofree char *body = NULL;
  g_autofree char *whom = NULL;

  if (g_str_equal (slot, "public"))
    whom = g_strdup_printf (",\"proposal\":\"%s\"", who);
  else if (g_str_equal (slot, "coalition"))
    whom = g_strdup_printf (",\"member\":%s", who);
  else
    whom = g_strdup ("");
  body = g_strdup_printf ("{\"station\":\"%s\",\"start\":\"%s\",\"end\":\"%s\",\"slot\":\"%s\","
                          "\"status\":\"confirmed\"%s%s}", station, start, end, slot, whom, extra ? extra : "");
  sched_request (f, "POST", "/api/v1/allocations", token, body, NULL, &r);
  if (r.status != expect)
    g_test_message ("POST %s → %u %s", body, r.status, r.text);
  g_assert_cmpuint (r.status, ==, expect);
  if (code != NULL)
    g_assert_cmpstr (sched_error_code (&r), ==, code);
  if (expect == 201)
    return json_object_get_int_member (sched_object (&r), "id");
  return 0;
}

static void
test_auth (SchedFixture  *f,
           gconstpointer  user_data)
{
  g_auto(SchedReply) r = { 0 };
  g_autoptr(GError) error = NULL;
  const char *period = "{\"kind\":\"maintenance\",\"start\":\"2026-07-01T00:00:00Z\",\"end\":\"2026-07-02T00:00:00Z\"}";
  const char *member = "{\"name\":\"Auth Test\",\"units\":1,\"contract_start\":\"2024-04-01\",\"contract_end\":\"2030-03-31\"}";
  guint n;

  /* No token, a wrong one */
  sched_request (f, "GET", "/api/v1/run-plan", NULL, NULL, NULL, &r);
  g_assert_cmpuint (r.status, ==, 401);
  g_assert_cmpstr (sched_error_code (&r), ==, "unauthorized");
  g_assert_nonnull (soup_message_headers_get_one (r.headers, "WWW-Authenticate"));
  sched_request (f, "GET", "/api/v1/allocations", "nt_0000000000000000000000000000000000000000000000000000000000000000",
                 NULL, NULL, &r);
  g_assert_cmpuint (r.status, ==, 401);
  sched_request (f, "POST", "/api/v1/members", NULL, member, NULL, &r);
  g_assert_cmpuint (r.status, ==, 401);

  /* Every role reads */
  for (int role = NT_ROLE_VIEWER; role <= NT_ROLE_ADMIN; role++)
    {
      sched_request (f, "GET", "/api/v1/beamlines", f->tokens[role], NULL, NULL, &r);
      g_assert_cmpuint (r.status, ==, 200);
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (sched_object (&r), "items")), ==, 10);
    }

  /* Run plan: operator and admin */
  sched_request (f, "POST", "/api/v1/run-plan", f->tokens[NT_ROLE_VIEWER], period, NULL, &r);
  g_assert_cmpuint (r.status, ==, 403);
  g_assert_cmpstr (sched_error_code (&r), ==, "forbidden");
  sched_request (f, "POST", "/api/v1/run-plan", f->tokens[NT_ROLE_OFFICE], period, NULL, &r);
  g_assert_cmpuint (r.status, ==, 403);
  sched_request (f, "POST", "/api/v1/run-plan", f->tokens[NT_ROLE_OPERATOR], period, NULL, &r);
  g_assert_cmpuint (r.status, ==, 201);

  /* Members (and allocations, proposals): office and admin */
  sched_request (f, "POST", "/api/v1/members", f->tokens[NT_ROLE_VIEWER], member, NULL, &r);
  g_assert_cmpuint (r.status, ==, 403);
  sched_request (f, "POST", "/api/v1/members", f->tokens[NT_ROLE_OPERATOR], member, NULL, &r);
  g_assert_cmpuint (r.status, ==, 403);
  sched_request (f, "POST", "/api/v1/members", f->tokens[NT_ROLE_OFFICE], member, NULL, &r);
  g_assert_cmpuint (r.status, ==, 201);
  sched_request (f, "POST", "/api/v1/allocations", f->tokens[NT_ROLE_OPERATOR], "{}", NULL, &r);
  g_assert_cmpuint (r.status, ==, 403);
  sched_request (f, "POST", "/api/v1/proposals", f->tokens[NT_ROLE_VIEWER], "{}", NULL, &r);
  g_assert_cmpuint (r.status, ==, 403);
  sched_request (f, "POST", "/api/v1/run-plan", f->tokens[NT_ROLE_ADMIN],
                 "{\"kind\":\"maintenance\",\"start\":\"2026-07-03T00:00:00Z\",\"end\":\"2026-07-04T00:00:00Z\"}",
                 NULL, &r);
  g_assert_cmpuint (r.status, ==, 201);

  /* The audit log names who did it */
  sched_request (f, "GET", "/api/v1/audit", f->tokens[NT_ROLE_VIEWER], NULL, NULL, &r);
  g_assert_cmpuint (r.status, ==, 200);
  {
    JsonArray *items = json_object_get_array_member (sched_object (&r), "items");
    JsonObject *first = json_array_get_object_element (items, 0);

    g_assert_cmpuint (json_array_get_length (items), ==, 3);
    g_assert_cmpstr (json_object_get_string_member (first, "who"), ==, "Otto Operator");
    g_assert_true (json_object_get_null_member (first, "before"));
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (first, "after"), "kind"),
                     ==, "maintenance");
  }

  /* The embedding console's local token: admin, stable for the service's
   * life, and replaced (the old one revoked) by the next service */
  {
    g_autofree char *local = g_strdup (nt_schedule_service_get_local_token (f->service, &error));
    g_autoptr(NtScheduleService) next = NULL;
    const char *fresh;

    g_assert_no_error (error);
    g_assert_true (g_str_has_prefix (local, "nt_"));
    g_assert_cmpstr (nt_schedule_service_get_local_token (f->service, NULL), ==, local);
    sched_request (f, "POST", "/api/v1/run-plan", local,
                   "{\"kind\":\"maintenance\",\"start\":\"2026-07-05T00:00:00Z\",\"end\":\"2026-07-06T00:00:00Z\"}",
                   NULL, &r);
    g_assert_cmpuint (r.status, ==, 201);
    g_assert_cmpstr (json_object_get_string_member (sched_object (&r), "kind"), ==, "maintenance");

    next = nt_schedule_service_new (f->db, &error);
    g_assert_no_error (error);
    fresh = nt_schedule_service_get_local_token (next, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (fresh, !=, local);
    sched_request (f, "GET", "/api/v1/members", local, NULL, NULL, &r);
    g_assert_cmpuint (r.status, ==, 401);
    sched_request (f, "GET", "/api/v1/members", fresh, NULL, NULL, &r);
    g_assert_cmpuint (r.status, ==, 200);
  }

  /* Revoked tokens stop working */
  n = nt_auth_token_revoke (f->db, "Olga Office", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 1);
  sched_request (f, "GET", "/api/v1/members", f->tokens[NT_ROLE_OFFICE], NULL, NULL, &r);
  g_assert_cmpuint (r.status, ==, 401);
}

static void
test_etags (SchedFixture  *f,
            gconstpointer  user_data)
{
  g_auto(SchedReply) r = { 0 };
  g_auto(SchedReply) a = { 0 };
  g_auto(SchedReply) b = { 0 };
  g_autofree char *location = NULL;
  g_autofree char *etag0 = NULL;
  g_autofree char *etag1 = NULL;
  const char *office = f->tokens[NT_ROLE_OFFICE];
  const char *admin = f->tokens[NT_ROLE_ADMIN];
  gint64 id;

  make_plan (f);
  id = post_alloc (f, office, "BL02U", sched_jst (2026, 5, 12, 9, 0), sched_jst (2026, 5, 12, 17, 0),
                   "staff", NULL, NULL, 201, NULL);
  location = g_strdup_printf ("/api/v1/allocations/%" G_GINT64_FORMAT, id);

  /* Two consoles read the same allocation */
  sched_request (f, "GET", location, office, NULL, NULL, &a);
  sched_request (f, "GET", location, admin, NULL, NULL, &b);
  g_assert_cmpuint (a.status, ==, 200);
  etag0 = g_strdup (soup_message_headers_get_one (a.headers, "ETag"));
  g_assert_nonnull (etag0);
  g_assert_cmpstr (etag0, ==, json_object_get_string_member (sched_object (&a), "etag"));
  g_assert_cmpstr (etag0, ==, soup_message_headers_get_one (b.headers, "ETag"));

  /* Without If-Match: 428 */
  sched_request (f, "PATCH", location, office, "{\"note\":\"first\"}", NULL, &r);
  g_assert_cmpuint (r.status, ==, 428);
  g_assert_cmpstr (sched_error_code (&r), ==, "precondition_required");
  sched_request (f, "DELETE", location, office, NULL, NULL, &r);
  g_assert_cmpuint (r.status, ==, 428);

  /* The first writer wins… */
  sched_request (f, "PATCH", location, office, "{\"note\":\"first\"}", etag0, &r);
  g_assert_cmpuint (r.status, ==, 200);
  etag1 = g_strdup (soup_message_headers_get_one (r.headers, "ETag"));
  g_assert_cmpstr (etag1, !=, etag0);
  g_assert_cmpstr (json_object_get_string_member (sched_object (&r), "note"), ==, "first");

  /* …the second gets 412 with the current version */
  sched_request (f, "PATCH", location, admin, "{\"note\":\"second\"}", etag0, &r);
  g_assert_cmpuint (r.status, ==, 412);
  g_assert_cmpstr (sched_error_code (&r), ==, "precondition_failed");
  {
    JsonObject *e = json_object_get_object_member (sched_object (&r), "error");
    JsonObject *cur = json_object_get_object_member (json_object_get_object_member (e, "details"), "current");

    g_assert_cmpstr (json_object_get_string_member (cur, "etag"), ==, etag1);
    g_assert_cmpstr (json_object_get_string_member (cur, "note"), ==, "first");
  }
  g_assert_cmpstr (soup_message_headers_get_one (r.headers, "ETag"), ==, etag1);

  /* Retrying with the fresh ETag works */
  sched_request (f, "PATCH", location, admin, "{\"note\":\"second\"}", etag1, &r);
  g_assert_cmpuint (r.status, ==, 200);

  /* Delete: stale 412, current 204, then 404 */
  sched_request (f, "DELETE", location, office, NULL, etag1, &r);
  g_assert_cmpuint (r.status, ==, 412);
  sched_request (f, "GET", location, office, NULL, NULL, &r);
  sched_request (f, "DELETE", location, office, NULL, soup_message_headers_get_one (r.headers, "ETag"), &b);
  g_assert_cmpuint (b.status, ==, 204);
  sched_request (f, "GET", location, office, NULL, NULL, &r);
  g_assert_cmpuint (r.status, ==, 404);
  g_assert_cmpstr (sched_error_code (&r), ==, "not_found");
}

static void
test_created (SchedFixture  *f,
              gconstpointer  user_data)
{
  g_auto(SchedReply) r = { 0 };
  gint64 rev0;

  make_plan (f);
  sched_request (f, "GET", "/api/v1/run-plan?from=2026-05-01T00:00:00Z&to=2026-06-01T00:00:00Z",
                 f->tokens[NT_ROLE_VIEWER], NULL, NULL, &r);
  g_assert_cmpuint (r.status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (sched_object (&r), "items")), ==, 4);
  rev0 = json_object_get_int_member (sched_object (&r), "revision");
  g_assert_cmpint (rev0, ==, 4);

  make_proposal (f, "2026A0001", 6, 201);
  sched_request (f, "POST", "/api/v1/allocations", f->tokens[NT_ROLE_OFFICE],
                 "{\"station\":\"BL06U\",\"start\":\"2026-05-12T00:00:00Z\",\"end\":\"2026-05-12T16:00:00Z\","
                 "\"slot\":\"public\",\"proposal\":\"2026A0001\",\"member\":null,\"status\":\"draft\",\"note\":\"\"}",
                 NULL, &r);
  g_assert_cmpuint (r.status, ==, 201);
  {
    JsonObject *o = sched_object (&r);
    g_autofree char *loc = g_strdup_printf ("/api/v1/allocations/%" G_GINT64_FORMAT,
                                            json_object_get_int_member (o, "id"));

    g_assert_true (g_str_has_suffix (soup_message_headers_get_one (r.headers, "Location"), loc));
    g_assert_cmpstr (soup_message_headers_get_one (r.headers, "ETag"), ==, json_object_get_string_member (o, "etag"));
    g_assert_cmpint (json_object_get_int_member (o, "revision"), ==, rev0 + 2);
    g_assert_cmpstr (json_object_get_string_member (o, "beamline"), ==, "BL06U");
    g_assert_cmpstr (json_object_get_string_member (o, "start"), ==, "2026-05-12T00:00:00Z");
    g_assert_true (json_object_get_null_member (o, "member"));
  }

  /* Filters */
  sched_request (f, "GET", "/api/v1/allocations?station=BL06U&slot=public", f->tokens[NT_ROLE_VIEWER], NULL, NULL, &r);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (sched_object (&r), "items")), ==, 1);
  sched_request (f, "GET", "/api/v1/allocations?station=BL02U", f->tokens[NT_ROLE_VIEWER], NULL, NULL, &r);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (sched_object (&r), "items")), ==, 0);
  sched_request (f, "GET", "/api/v1/allocations?from=2026-05-13T00:00:00Z", f->tokens[NT_ROLE_VIEWER], NULL, NULL, &r);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (sched_object (&r), "items")), ==, 0);
  sched_request (f, "GET", "/api/v1/allocations?slot=nonsense", f->tokens[NT_ROLE_VIEWER], NULL, NULL, &r);
  g_assert_cmpuint (r.status, ==, 422);
  g_assert_cmpstr (sched_error_field (&r), ==, "slot");
  sched_request (f, "GET", "/api/v1/allocations?from=yesterday", f->tokens[NT_ROLE_VIEWER], NULL, NULL, &r);
  g_assert_cmpuint (r.status, ==, 422);
  g_assert_cmpstr (sched_error_field (&r), ==, "from");
  sched_request (f, "GET", "/api/v1/proposals/2026A0001", f->tokens[NT_ROLE_VIEWER], NULL, NULL, &r);
  g_assert_cmpuint (r.status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (sched_object (&r), "shifts_approved"), ==, 6);
  sched_request (f, "GET", "/api/v1/nothing-here", f->tokens[NT_ROLE_VIEWER], NULL, NULL, &r);
  g_assert_cmpuint (r.status, ==, 404);
  sched_request (f, "PUT", "/api/v1/allocations", f->tokens[NT_ROLE_ADMIN], "{}", NULL, &r);
  g_assert_cmpuint (r.status, ==, 405);
}

static void
test_malformed (SchedFixture  *f,
                gconstpointer  user_data)
{
  g_auto(SchedReply) r = { 0 };
  const char *office = f->tokens[NT_ROLE_OFFICE];
  static const struct { const char *body; guint status; const char *field; } cases[] = {
    { "not json", 400, NULL },
    { "{\"station\": ", 400, NULL },
    { "[1, 2]", 400, NULL },
    { "42", 400, NULL },
    { "", 400, NULL },
    { "{\"start\":\"2026-05-12T00:00:00Z\",\"end\":\"2026-05-12T08:00:00Z\",\"slot\":\"staff\"}", 422, "station" },
    { "{\"station\":7,\"start\":\"2026-05-12T00:00:00Z\",\"end\":\"2026-05-12T08:00:00Z\",\"slot\":\"staff\"}", 422, "station" },
    { "{\"station\":\"BL02U\",\"start\":1778544000,\"end\":\"2026-05-12T08:00:00Z\",\"slot\":\"staff\"}", 422, "start" },
    { "{\"station\":\"BL02U\",\"start\":\"2026-05-12T09:00:00+09:00\",\"end\":\"2026-05-12T08:00:00Z\",\"slot\":\"staff\"}", 422, "start" },
    { "{\"station\":\"BL02U\",\"start\":\"2026-05-12T00:00:00Z\",\"end\":\"2026-05-12T08:00:00Z\",\"slot\":\"vip\"}", 422, "slot" },
    { "{\"station\":\"BL02U\",\"start\":\"2026-05-12T00:00:00Z\",\"end\":\"2026-05-12T08:00:00Z\",\"slot\":\"staff\",\"status\":\"maybe\"}", 422, "status" },
    { "{\"station\":\"BL99X\",\"start\":\"2026-05-12T00:00:00Z\",\"end\":\"2026-05-12T08:00:00Z\",\"slot\":\"staff\"}", 422, "station" },
    { "{\"station\":\"BL02U\",\"start\":\"2026-05-12T08:00:00Z\",\"end\":\"2026-05-12T00:00:00Z\",\"slot\":\"staff\"}", 422, "end" },
    { "{\"station\":\"BL02U\",\"start\":\"2026-05-12T00:00:00Z\",\"end\":\"2026-05-12T08:00:00Z\",\"slot\":\"public\"}", 422, "proposal" },
    { "{\"station\":\"BL07U\",\"start\":\"2026-05-12T00:00:00Z\",\"end\":\"2026-05-12T08:00:00Z\",\"slot\":\"coalition\",\"member\":\"3\"}", 422, "member" },
    { "{\"station\":\"BL07U\",\"start\":\"2026-05-12T00:00:00Z\",\"end\":\"2026-05-12T08:00:00Z\",\"slot\":\"coalition\",\"member\":999}", 422, "member" },
    { "{\"station\":\"BL02U\",\"start\":\"2026-05-12T00:00:00Z\",\"end\":\"2026-05-12T08:00:00Z\",\"slot\":\"staff\",\"note\":null}", 422, "note" },
  };
  GString *big;

  make_plan (f);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      sched_request (f, "POST", "/api/v1/allocations", office, cases[i].body, NULL, &r);
      g_test_message ("%s → %u %s", cases[i].body, r.status, r.text);
      g_assert_cmpuint (r.status, ==, cases[i].status);
      g_assert_cmpstr (sched_error_code (&r), ==, cases[i].status == 400 ? "malformed" : "invalid");
      if (cases[i].field != NULL)
        g_assert_cmpstr (sched_error_field (&r), ==, cases[i].field);
      g_assert_nonnull (strstr (r.text, "\"message\""));
    }

  sched_request (f, "POST", "/api/v1/members", office, "{\"name\":\"X\",\"units\":1.5,\"contract_start\":\"2024-04-01\",\"contract_end\":\"2030-03-31\"}", NULL, &r);
  g_assert_cmpuint (r.status, ==, 422);
  g_assert_cmpstr (sched_error_field (&r), ==, "units");
  sched_request (f, "POST", "/api/v1/members", office, "{\"name\":\"X\",\"units\":1,\"contract_start\":\"2024-02-30\",\"contract_end\":\"2030-03-31\"}", NULL, &r);
  g_assert_cmpuint (r.status, ==, 422);
  g_assert_cmpstr (sched_error_field (&r), ==, "contract_start");
  sched_request (f, "POST", "/api/v1/proposals", office, "{\"id\":\"26A1\",\"title\":\"t\",\"pi\":\"p\",\"organisation\":\"o\",\"shifts_requested\":3,\"shifts_approved\":3}", NULL, &r);
  g_assert_cmpuint (r.status, ==, 422);
  g_assert_cmpstr (sched_error_field (&r), ==, "id");
  sched_request (f, "POST", "/api/v1/proposals", office, "{\"id\":\"2026A0009\",\"title\":\"t\",\"pi\":\"p\",\"organisation\":\"o\",\"proprietary\":\"no\",\"shifts_requested\":3}", NULL, &r);
  g_assert_cmpuint (r.status, ==, 422);
  g_assert_cmpstr (sched_error_field (&r), ==, "proprietary");

  /* Over the size limit: 413, whatever the content */
  big = g_string_new ("{\"note\":\"");
  while (big->len < NT_SCHEDULE_DEFAULT_MAX_BODY + 100)
    g_string_append (big, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
  g_string_append (big, "\"}");
  sched_request (f, "POST", "/api/v1/allocations", office, big->str, NULL, &r);
  g_assert_cmpuint (r.status, ==, 413);
  g_string_free (big, TRUE);

  /* Nothing of that reached the store */
  sched_request (f, "GET", "/api/v1/allocations", office, NULL, NULL, &r);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (sched_object (&r), "items")), ==, 0);
}

static void
test_rules (SchedFixture  *f,
            gconstpointer  user_data)
{
  g_auto(SchedReply) r = { 0 };
  const char *office = f->tokens[NT_ROLE_OFFICE];
  const char *admin = f->tokens[NT_ROLE_ADMIN];
  g_autofree char *m1 = NULL;
  g_autofree char *m2 = NULL;
  gint64 id, a_id;

  make_plan (f);
  m1 = g_strdup_printf ("%" G_GINT64_FORMAT, make_member (f, "One Unit Ltd", 1));
  m2 = g_strdup_printf ("%" G_GINT64_FORMAT, make_member (f, "Two Units Ltd", 2));

  /* Overlap on one station: touching is fine, one hour into it is not */
  post_alloc (f, office, "BL07U", sched_jst (2026, 5, 21, 9, 0), sched_jst (2026, 5, 21, 17, 0), "coalition", m2, NULL, 201, NULL);
  post_alloc (f, office, "BL07U", sched_jst (2026, 5, 21, 16, 0), sched_jst (2026, 5, 21, 20, 0), "coalition", m2, NULL, 409, "overlap");
  post_alloc (f, office, "BL07U", sched_jst (2026, 5, 21, 17, 0), sched_jst (2026, 5, 21, 20, 0), "coalition", m2, NULL, 201, NULL);
  /* Another station at the same time is fine; a cancelled one holds nothing */
  post_alloc (f, office, "BL08U", sched_jst (2026, 5, 21, 9, 0), sched_jst (2026, 5, 21, 17, 0), "coalition", m2, NULL, 201, NULL);
  post_alloc (f, office, "BL07U", sched_jst (2026, 5, 21, 10, 0), sched_jst (2026, 5, 21, 12, 0), "coalition", m2,
              ",\"status\":\"cancelled\"", 201, NULL);

  /* Inside user operation: up to the study day's start, not one hour into it */
  post_alloc (f, office, "BL09W", sched_jst (2026, 5, 18, 21, 0), sched_jst (2026, 5, 19, 9, 0), "staff", NULL, NULL, 201, NULL);
  post_alloc (f, office, "BL09W", sched_jst (2026, 5, 19, 9, 0), sched_jst (2026, 5, 19, 10, 0), "staff", NULL, NULL, 409, "outside_user_operation");
  post_alloc (f, office, "BL10U", sched_jst (2026, 5, 10, 9, 0), sched_jst (2026, 5, 11, 10, 0), "staff", NULL, NULL, 409, "outside_user_operation");
  /* Commissioning slots may also use commissioning periods; staff may not */
  post_alloc (f, office, "BL10U", sched_jst (2026, 5, 30, 9, 0), sched_jst (2026, 5, 30, 19, 0), "commissioning", NULL, NULL, 201, NULL);
  post_alloc (f, office, "BL14U", sched_jst (2026, 5, 30, 9, 0), sched_jst (2026, 5, 30, 19, 0), "staff", NULL, NULL, 409, "outside_user_operation");

  /* Grids: public on 8 h shifts, others on whole hours */
  make_proposal (f, "2026A0101", 9, 201);
  post_alloc (f, office, "BL02U", sched_jst (2026, 5, 12, 10, 0), sched_jst (2026, 5, 12, 18, 0), "public", "2026A0101", NULL, 409, "off_grid");
  post_alloc (f, office, "BL02U", sched_jst (2026, 5, 12, 9, 0), sched_jst (2026, 5, 12, 18, 0), "public", "2026A0101", NULL, 409, "off_grid");
  post_alloc (f, office, "BL02U", sched_jst (2026, 5, 12, 9, 0), sched_jst (2026, 5, 12, 17, 0), "public", "2026A0101", NULL, 201, NULL);
  post_alloc (f, office, "BL14U", sched_jst (2026, 5, 12, 9, 30), sched_jst (2026, 5, 12, 12, 0), "coalition", m2, NULL, 409, "off_grid");
  post_alloc (f, office, "BL14U", sched_jst (2026, 5, 12, 9, 0), sched_jst (2026, 5, 12, 12, 0), "coalition", m2, NULL, 201, NULL);

  /* Approved shifts: 1, 2, 3k */
  make_proposal (f, "2026A0102", 1, 201);
  make_proposal (f, "2026A0103", 2, 201);
  make_proposal (f, "2026A0104", 3, 201);
  make_proposal (f, "2026A0105", 4, 409);
  make_proposal (f, "2026A0106", 5, 409);
  make_proposal (f, "2026A0107", 12, 201);
  make_proposal (f, "2026A0108", 13, 409);

  /* A proposal's allocations add up to no more than approved (3 here) */
  id = post_alloc (f, office, "BL06U", sched_jst (2026, 5, 13, 9, 0), sched_jst (2026, 5, 13, 17, 0), "public", "2026A0104", NULL, 201, NULL);
  post_alloc (f, office, "BL06U", sched_jst (2026, 5, 14, 1, 0), sched_jst (2026, 5, 14, 17, 0), "public", "2026A0104", NULL, 201, NULL);
  post_alloc (f, office, "BL06U", sched_jst (2026, 5, 15, 9, 0), sched_jst (2026, 5, 15, 17, 0), "public", "2026A0104", NULL, 409, "shifts_exceeded");
  {
    /* Cancel one: its shift comes back */
    g_autofree char *loc = g_strdup_printf ("/api/v1/allocations/%" G_GINT64_FORMAT, id);
    sched_request (f, "GET", loc, office, NULL, NULL, &r);
    sched_request (f, "PATCH", loc, office, "{\"status\":\"cancelled\"}", soup_message_headers_get_one (r.headers, "ETag"), &r);
    g_assert_cmpuint (r.status, ==, 200);
  }
  post_alloc (f, office, "BL06U", sched_jst (2026, 5, 15, 9, 0), sched_jst (2026, 5, 15, 17, 0), "public", "2026A0104", NULL, 201, NULL);
  /* …and approving fewer than allocated is refused */
  sched_request (f, "GET", "/api/v1/proposals/2026A0104", office, NULL, NULL, &r);
  sched_request (f, "PATCH", "/api/v1/proposals/2026A0104", office, "{\"shifts_approved\":2}",
                 soup_message_headers_get_one (r.headers, "ETag"), &r);
  g_assert_cmpuint (r.status, ==, 409);
  g_assert_cmpstr (sched_error_code (&r), ==, "shifts_exceeded");

  /* Public slots: public beamlines and coalition main stations, never branches */
  post_alloc (f, office, "BL08W-SAXS", sched_jst (2026, 5, 22, 9, 0), sched_jst (2026, 5, 22, 17, 0), "public", "2026A0107", NULL, 409, "public_slot_on_branch");
  post_alloc (f, office, "BL08W-XRD", sched_jst (2026, 5, 22, 9, 0), sched_jst (2026, 5, 22, 17, 0), "public", "2026A0107", NULL, 409, "public_slot_on_branch");
  post_alloc (f, office, "BL08W-XAFS", sched_jst (2026, 5, 22, 9, 0), sched_jst (2026, 5, 22, 17, 0), "public", "2026A0107", NULL, 201, NULL);
  post_alloc (f, office, "BL07U", sched_jst (2026, 5, 22, 9, 0), sched_jst (2026, 5, 22, 17, 0), "public", "2026A0107", NULL, 201, NULL);
  post_alloc (f, office, "BL13U", sched_jst (2026, 5, 22, 9, 0), sched_jst (2026, 5, 22, 17, 0), "coalition", m2, NULL, 409, "coalition_slot_on_public_beamline");

  /* A member's year stays within units × 200 h: 192 + 8 = 200 h is fine… */
  post_alloc (f, office, "BL09U", sched_jst (2026, 5, 11, 9, 0), sched_jst (2026, 5, 19, 9, 0), "coalition", m1, NULL, 201, NULL);
  a_id = post_alloc (f, office, "BL09U", sched_jst (2026, 5, 20, 9, 0), sched_jst (2026, 5, 20, 17, 0), "coalition", m1, NULL, 201, NULL);
  /* …one hour more is not, not even for an office with a reason… */
  post_alloc (f, office, "BL09U", sched_jst (2026, 5, 20, 17, 0), sched_jst (2026, 5, 20, 18, 0), "coalition", m1, NULL, 409, "quota_exceeded");
  post_alloc (f, office, "BL09U", sched_jst (2026, 5, 20, 17, 0), sched_jst (2026, 5, 20, 18, 0), "coalition", m1,
              ",\"override_reason\":\"Beamline fault compensation\"", 403, "forbidden");
  /* …but an admin may override, and the reason is kept */
  post_alloc (f, admin, "BL09U", sched_jst (2026, 5, 20, 17, 0), sched_jst (2026, 5, 20, 18, 0), "coalition", m1,
              ",\"override_reason\":\"Beamline fault compensation\"", 201, NULL);
  sched_request (f, "GET", "/api/v1/audit", admin, NULL, NULL, &r);
  {
    JsonArray *items = json_object_get_array_member (sched_object (&r), "items");
    JsonObject *last = json_array_get_object_element (items, json_array_get_length (items) - 1);

    g_assert_cmpstr (json_object_get_string_member (last, "reason"), ==, "Beamline fault compensation");
    g_assert_cmpstr (json_object_get_string_member (last, "who"), ==, "Ada Admin");
  }
  /* Shortening a contract below its bookings is refused */
  {
    g_autofree char *loc = g_strdup_printf ("/api/v1/members/%s", m2);
    sched_request (f, "GET", loc, office, NULL, NULL, &r);
    sched_request (f, "PATCH", loc, office, "{\"contract_end\":\"2026-05-20\"}", soup_message_headers_get_one (r.headers, "ETag"), &r);
    g_assert_cmpuint (r.status, ==, 409);
    g_assert_cmpstr (sched_error_code (&r), ==, "outside_contract");
  }
  {
    g_autofree char *loc = g_strdup_printf ("/api/v1/members/%s", m1);
    sched_request (f, "DELETE", loc, admin, NULL, "*", &r);
    g_assert_cmpuint (r.status, ==, 409);
    g_assert_cmpstr (sched_error_code (&r), ==, "in_use");
  }

  /* The run plan cannot strand confirmed allocations */
  sched_request (f, "GET", "/api/v1/run-plan", f->tokens[NT_ROLE_OPERATOR], NULL, NULL, &r);
  {
    JsonArray *items = json_object_get_array_member (sched_object (&r), "items");
    JsonObject *second_uo = json_array_get_object_element (items, 2);
    g_autofree char *loc = g_strdup_printf ("/api/v1/run-plan/%" G_GINT64_FORMAT,
                                            json_object_get_int_member (second_uo, "id"));
    g_autofree char *etag = g_strdup (json_object_get_string_member (second_uo, "etag"));
    g_autofree char *body = g_strdup_printf ("{\"end\":\"%s\"}", sched_jst (2026, 5, 29, 9, 0));
    JsonArray *stranded;
    gboolean found = FALSE;

    sched_request (f, "PATCH", loc, f->tokens[NT_ROLE_OPERATOR], "{\"kind\":\"maintenance\"}", etag, &r);
    g_assert_cmpuint (r.status, ==, 409);
    g_assert_cmpstr (sched_error_code (&r), ==, "stranded_allocations");
    stranded = json_object_get_array_member (json_object_get_object_member (
                 json_object_get_object_member (sched_object (&r), "error"), "details"), "allocations");
    g_assert_cmpuint (json_array_get_length (stranded), >=, 3);
    for (guint i = 0; i < json_array_get_length (stranded); i++)
      found |= json_array_get_int_element (stranded, i) == a_id;
    g_assert_true (found);

    sched_request (f, "DELETE", loc, f->tokens[NT_ROLE_OPERATOR], NULL, etag, &r);
    g_assert_cmpuint (r.status, ==, 409);
    g_assert_cmpstr (sched_error_code (&r), ==, "stranded_allocations");

    /* Shortening it where nothing is booked is fine */
    sched_request (f, "PATCH", loc, f->tokens[NT_ROLE_OPERATOR], body, etag, &r);
    g_assert_cmpuint (r.status, ==, 200);

    /* Periods do not overlap each other */
    sched_request (f, "POST", "/api/v1/run-plan", f->tokens[NT_ROLE_OPERATOR],
                   "{\"kind\":\"shutdown\",\"start\":\"2026-05-12T00:00:00Z\",\"end\":\"2026-05-13T00:00:00Z\"}", NULL, &r);
    g_assert_cmpuint (r.status, ==, 409);
    g_assert_cmpstr (sched_error_code (&r), ==, "period_overlap");
  }
}

/* A PATCH may move an allocation to another station: every rule is
 * applied to the new station (its kind against the slot, its own
 * bookings), a refusal changes nothing, and the answer names the new
 * station and its beamline. */
static void
test_station_change (SchedFixture  *f,
                     gconstpointer  user_data)
{
  g_auto(SchedReply) r = { 0 };
  const char *office = f->tokens[NT_ROLE_OFFICE];
  g_autofree char *m = NULL;
  g_autofree char *loc = NULL;
  g_autofree char *etag = NULL;
  g_autofree char *body = NULL;
  gint64 id, coalition_id;

  make_plan (f);
  make_proposal (f, "2026A0201", 12, 201);
  m = g_strdup_printf ("%" G_GINT64_FORMAT, make_member (f, "Mover Ltd", 2));

  id = post_alloc (f, office, "BL07U", sched_jst (2026, 5, 21, 9, 0), sched_jst (2026, 5, 21, 17, 0),
                   "public", "2026A0201", NULL, 201, NULL);
  /* Something already booked on BL08W-XAFS at that time */
  post_alloc (f, office, "BL08W-XAFS", sched_jst (2026, 5, 21, 13, 0), sched_jst (2026, 5, 21, 15, 0),
              "staff", NULL, NULL, 201, NULL);
  coalition_id = post_alloc (f, office, "BL09U", sched_jst (2026, 5, 22, 9, 0), sched_jst (2026, 5, 22, 12, 0),
                             "coalition", m, NULL, 201, NULL);

  loc = g_strdup_printf ("/api/v1/allocations/%" G_GINT64_FORMAT, id);
  sched_request (f, "GET", loc, office, NULL, NULL, &r);
  etag = g_strdup (soup_message_headers_get_one (r.headers, "ETag"));

  /* A branch station takes no public time */
  sched_request (f, "PATCH", loc, office, "{\"station\":\"BL08W-SAXS\"}", etag, &r);
  g_assert_cmpuint (r.status, ==, 409);
  g_assert_cmpstr (sched_error_code (&r), ==, "public_slot_on_branch");
  /* The main station is booked at that time */
  sched_request (f, "PATCH", loc, office, "{\"station\":\"BL08W-XAFS\"}", etag, &r);
  g_assert_cmpuint (r.status, ==, 409);
  g_assert_cmpstr (sched_error_code (&r), ==, "overlap");
  /* No such station */
  sched_request (f, "PATCH", loc, office, "{\"station\":\"BL99X\"}", etag, &r);
  g_assert_cmpuint (r.status, ==, 422);
  g_assert_cmpstr (sched_error_field (&r), ==, "station");
  /* Nothing of that was written: the etag still holds */
  sched_request (f, "GET", loc, office, NULL, NULL, &r);
  g_assert_cmpuint (r.status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (sched_object (&r), "station"), ==, "BL07U");
  g_assert_cmpstr (soup_message_headers_get_one (r.headers, "ETag"), ==, etag);

  /* Station and time in one write: BL08W-XAFS one shift later is free */
  body = g_strdup_printf ("{\"station\":\"BL08W-XAFS\",\"start\":\"%s\",\"end\":\"%s\"}",
                          sched_jst (2026, 5, 21, 17, 0), sched_jst (2026, 5, 22, 1, 0));
  sched_request (f, "PATCH", loc, office, body, etag, &r);
  g_assert_cmpuint (r.status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (sched_object (&r), "station"), ==, "BL08W-XAFS");
  g_assert_cmpstr (json_object_get_string_member (sched_object (&r), "beamline"), ==, "BL08W");
  g_assert_cmpstr (json_object_get_string_member (sched_object (&r), "start"), ==, sched_jst (2026, 5, 21, 17, 0));
  g_clear_pointer (&etag, g_free);
  etag = g_strdup (soup_message_headers_get_one (r.headers, "ETag"));

  /* …and back, as an undo does */
  body = (g_free (body), g_strdup_printf ("{\"station\":\"BL07U\",\"start\":\"%s\",\"end\":\"%s\"}",
                                          sched_jst (2026, 5, 21, 9, 0), sched_jst (2026, 5, 21, 17, 0)));
  sched_request (f, "PATCH", loc, office, body, etag, &r);
  g_assert_cmpuint (r.status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (sched_object (&r), "station"), ==, "BL07U");

  /* Coalition time cannot go to a public beamline */
  g_free (loc);
  loc = g_strdup_printf ("/api/v1/allocations/%" G_GINT64_FORMAT, coalition_id);
  sched_request (f, "GET", loc, office, NULL, NULL, &r);
  g_clear_pointer (&etag, g_free);
  etag = g_strdup (soup_message_headers_get_one (r.headers, "ETag"));
  sched_request (f, "PATCH", loc, office, "{\"station\":\"BL13U\"}", etag, &r);
  g_assert_cmpuint (r.status, ==, 409);
  g_assert_cmpstr (sched_error_code (&r), ==, "coalition_slot_on_public_beamline");
  /* …but may go to a branch station */
  sched_request (f, "PATCH", loc, office, "{\"station\":\"BL08W-XRD\"}", etag, &r);
  g_assert_cmpuint (r.status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (sched_object (&r), "station"), ==, "BL08W-XRD");
}

static void
test_summary_calendar (SchedFixture  *f,
                       gconstpointer  user_data)
{
  g_auto(SchedReply) r = { 0 };
  g_autofree char *m = NULL;
  g_autofree char *path = NULL;
  JsonObject *year;
  JsonArray *members;

  make_plan (f);
  m = g_strdup_printf ("%" G_GINT64_FORMAT, make_member (f, "Summary Co", 1));
  make_proposal (f, "2026A0201", 3, 201);
  post_alloc (f, f->tokens[NT_ROLE_OFFICE], "BL07U", sched_jst (2026, 5, 12, 9, 0), sched_jst (2026, 5, 12, 17, 0), "public", "2026A0201", NULL, 201, NULL);
  post_alloc (f, f->tokens[NT_ROLE_OFFICE], "BL07U", sched_jst (2026, 5, 13, 9, 0), sched_jst (2026, 5, 13, 19, 0), "coalition", m,
              ",\"note\":\"Line one\\nLine two, with; punctuation\"", 201, NULL);

  sched_request (f, "GET", "/api/v1/summary?fy=2026", f->tokens[NT_ROLE_VIEWER], NULL, NULL, &r);
  g_assert_cmpuint (r.status, ==, 200);
  year = json_array_get_object_element (json_object_get_array_member (sched_object (&r), "sections"), 0);
  g_assert_cmpstr (json_object_get_string_member (year, "name"), ==, "FY2026");
  g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (year, "hours_by_kind"),
                                                    "user_operation"), ==, 432.0);
  members = json_object_get_array_member (year, "members");
  g_assert_cmpfloat (json_object_get_double_member (json_array_get_object_element (members, 0), "hours_used"), ==, 10.0);
  g_assert_cmpfloat (json_object_get_double_member (json_array_get_object_element (members, 0), "hours_left"), ==, 190.0);
  g_assert_cmpfloat (json_object_get_double_member (json_array_get_object_element (members, 0), "fee_jpy"), ==, 350000.0);
  sched_request (f, "GET", "/api/v1/summary?fy=twenty", f->tokens[NT_ROLE_VIEWER], NULL, NULL, &r);
  g_assert_cmpuint (r.status, ==, 422);

  path = g_strdup_printf ("/api/v1/calendar.ics?station=BL07U&token=%s", f->tokens[NT_ROLE_VIEWER]);
  sched_request (f, "GET", path, NULL, NULL, NULL, &r);
  g_assert_cmpuint (r.status, ==, 200);
  g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (r.headers, NULL), "text/calendar"));
  g_assert_nonnull (strstr (r.text, "BEGIN:VCALENDAR"));
  g_assert_nonnull (strstr (r.text, "UID:allocation-"));
  g_assert_nonnull (strstr (r.text, "SEQUENCE:0"));
  g_assert_nonnull (strstr (r.text, "DTSTAMP:"));
  {
    /* Unfold (RFC 5545 §3.1) before looking for the escaped text */
    g_autoptr(GRegex) fold = g_regex_new ("\r\n[ \t]", 0, 0, NULL);
    g_autofree char *unfolded = g_regex_replace_literal (fold, r.text, -1, 0, "", 0, NULL);

    g_assert_nonnull (strstr (unfolded, "Line two\\, with\\; punctuation"));
  }
  /* Parse it back with libical: times round-trip, UIDs are stable, and
   * SEQUENCE rises when the allocation changes */
  {
    icalcomponent *cal = icalparser_parse_string (r.text);
    guint n = 0;

    g_assert_nonnull (cal);
    for (icalcomponent *ev = icalcomponent_get_first_component (cal, ICAL_VEVENT_COMPONENT); ev != NULL;
         ev = icalcomponent_get_next_component (cal, ICAL_VEVENT_COMPONENT))
      {
        const char *uid = icalcomponent_get_uid (ev);
        g_autofree char *loc = NULL;
        g_auto(SchedReply) a = { 0 };
        gint64 start, end;

        g_assert_true (g_str_has_prefix (uid, "allocation-"));
        loc = g_strdup_printf ("/api/v1/allocations/%s", uid + strlen ("allocation-"));
        *strchr (loc, '@') = '\0';
        sched_request (f, "GET", loc, f->tokens[NT_ROLE_VIEWER], NULL, NULL, &a);
        g_assert_cmpuint (a.status, ==, 200);
        g_assert_true (nt_time_parse_iso (json_object_get_string_member (sched_object (&a), "start"), &start));
        g_assert_true (nt_time_parse_iso (json_object_get_string_member (sched_object (&a), "end"), &end));
        g_assert_cmpint (icaltime_as_timet_with_zone (icalcomponent_get_dtstart (ev),
                                                      icaltime_get_timezone (icalcomponent_get_dtstart (ev))),
                         ==, start);
        g_assert_cmpint (icaltime_as_timet_with_zone (icalcomponent_get_dtend (ev),
                                                      icaltime_get_timezone (icalcomponent_get_dtend (ev))),
                         ==, end);
        g_assert_cmpint (icalcomponent_get_sequence (ev), ==, 0);
        n++;
      }
    g_assert_cmpuint (n, ==, 2);
    icalcomponent_free (cal);
  }
  {
    g_auto(SchedReply) list = { 0 };
    g_auto(SchedReply) patched = { 0 };
    JsonObject *first;
    g_autofree char *loc = NULL;
    g_autofree char *uid = NULL;

    sched_request (f, "GET", "/api/v1/allocations?station=BL07U", f->tokens[NT_ROLE_OFFICE], NULL, NULL, &list);
    first = json_array_get_object_element (json_object_get_array_member (sched_object (&list), "items"), 0);
    loc = g_strdup_printf ("/api/v1/allocations/%" G_GINT64_FORMAT, json_object_get_int_member (first, "id"));
    uid = g_strdup_printf ("UID:allocation-%" G_GINT64_FORMAT "@", json_object_get_int_member (first, "id"));
    sched_request (f, "PATCH", loc, f->tokens[NT_ROLE_OFFICE], "{\"note\":\"moved\"}",
                   json_object_get_string_member (first, "etag"), &patched);
    g_assert_cmpuint (patched.status, ==, 200);
    sched_request (f, "GET", path, NULL, NULL, NULL, &r);
    {
      icalcomponent *cal = icalparser_parse_string (r.text);
      gboolean seen = FALSE;

      for (icalcomponent *ev = icalcomponent_get_first_component (cal, ICAL_VEVENT_COMPONENT); ev != NULL;
           ev = icalcomponent_get_next_component (cal, ICAL_VEVENT_COMPONENT))
        if (g_str_has_prefix (icalcomponent_get_uid (ev), uid + strlen ("UID:")))
          {
            g_assert_cmpint (icalcomponent_get_sequence (ev), ==, 1);
            seen = TRUE;
          }
      g_assert_true (seen);
      icalcomponent_free (cal);
    }
  }

  sched_request (f, "GET", "/api/v1/calendar.ics", NULL, NULL, NULL, &r);
  g_assert_cmpuint (r.status, ==, 401);
  sched_request (f, "GET", "/api/v1/calendar.ics?station=NOPE", f->tokens[NT_ROLE_VIEWER], NULL, NULL, &r);
  g_assert_cmpuint (r.status, ==, 422);
  sched_request (f, "GET", "/api/v1/calendar.ics", f->tokens[NT_ROLE_VIEWER], NULL, NULL, &r);
  g_assert_cmpuint (r.status, ==, 200);
  g_assert_nonnull (strstr (r.text, "UID:period-"));
}

static void
test_settings (SchedFixture  *f,
               gconstpointer  user_data)
{
  g_auto(SchedReply) r = { 0 };
  g_autofree char *etag = NULL;
  const char *admin = f->tokens[NT_ROLE_ADMIN];

  make_plan (f);
  make_proposal (f, "2026A0301", 6, 201);

  sched_request (f, "GET", "/api/v1/settings", f->tokens[NT_ROLE_VIEWER], NULL, NULL, &r);
  g_assert_cmpuint (r.status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (sched_object (&r), "shift_grid"), ==, "09:00/8h");
  g_assert_cmpstr (json_object_get_string_member (sched_object (&r), "hour_grid"), ==, "00:00/1h");
  g_assert_cmpint (json_object_get_int_member (sched_object (&r), "coalition_rate_jpy"), ==, 35000);
  g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (sched_object (&r), "public_share"),
                                                    "BL07U"), ==, 0.40);
  etag = g_strdup (soup_message_headers_get_one (r.headers, "ETag"));

  sched_request (f, "PATCH", "/api/v1/settings", f->tokens[NT_ROLE_OFFICE], "{\"coalition_rate_jpy\":1}", etag, &r);
  g_assert_cmpuint (r.status, ==, 403);
  sched_request (f, "PATCH", "/api/v1/settings", admin, "{\"coalition_rate_jpy\":1}", NULL, &r);
  g_assert_cmpuint (r.status, ==, 428);
  sched_request (f, "PATCH", "/api/v1/settings", admin, "{\"public_share\":{\"BL02U\":0.3}}", etag, &r);
  g_assert_cmpuint (r.status, ==, 422);
  g_assert_cmpstr (sched_error_field (&r), ==, "public_share");
  sched_request (f, "PATCH", "/api/v1/settings", admin, "{\"shift_grid\":\"09:00/7h\"}", etag, &r);
  g_assert_cmpuint (r.status, ==, 422);
  g_assert_cmpstr (sched_error_field (&r), ==, "shift_grid");

  /* Move the shift grid by an hour: the rules follow it */
  sched_request (f, "PATCH", "/api/v1/settings", admin,
                 "{\"shift_grid\":\"08:00/8h\",\"public_share\":{\"BL07U\":0.5}}", etag, &r);
  g_assert_cmpuint (r.status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (sched_object (&r), "shift_grid"), ==, "08:00/8h");
  g_free (etag);
  etag = g_strdup (soup_message_headers_get_one (r.headers, "ETag"));
  post_alloc (f, f->tokens[NT_ROLE_OFFICE], "BL02U", sched_jst (2026, 5, 12, 9, 0), sched_jst (2026, 5, 12, 17, 0),
              "public", "2026A0301", NULL, 409, "off_grid");
  post_alloc (f, f->tokens[NT_ROLE_OFFICE], "BL02U", sched_jst (2026, 5, 12, 8, 0), sched_jst (2026, 5, 12, 16, 0),
              "public", "2026A0301", NULL, 201, NULL);

  /* …and moving it back would put that booking off the grid */
  sched_request (f, "PATCH", "/api/v1/settings", admin, "{\"shift_grid\":\"09:00/8h\"}", etag, &r);
  g_assert_cmpuint (r.status, ==, 409);
  g_assert_cmpstr (sched_error_code (&r), ==, "off_grid");
  sched_request (f, "GET", "/api/v1/settings", admin, NULL, NULL, &r);
  g_assert_cmpstr (json_object_get_string_member (sched_object (&r), "shift_grid"), ==, "08:00/8h");

  sched_request (f, "GET", "/api/v1/summary?fy=2026", admin, NULL, NULL, &r);
  {
    JsonObject *year = json_array_get_object_element (json_object_get_array_member (sched_object (&r), "sections"), 0);
    JsonArray *bls = json_object_get_array_member (year, "beamlines");

    for (guint i = 0; i < json_array_get_length (bls); i++)
      {
        JsonObject *bl = json_array_get_object_element (bls, i);

        if (g_str_equal (json_object_get_string_member (bl, "id"), "BL07U"))
          {
            JsonObject *st = json_array_get_object_element (json_object_get_array_member (bl, "stations"), 0);

            g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (st, "public_share"),
                                                              "target"), ==, 0.5);
          }
      }
  }
}

/* A second process (here: a second connection and store) writes the same
 * file: the service picks up its revision and plan before the next read or
 * write. */
static void
test_external_writer (SchedFixture  *f,
                      gconstpointer  user_data)
{
  g_auto(SchedReply) r = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(NtDb) db2 = nt_db_open (f->db_path, &error);
  g_autoptr(NtCatalogue) catalogue = nt_catalogue_new_default (&error);
  g_autoptr(NtScheduleStore) other = NULL;
  g_autoptr(NtScheduleFault) fault = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonNode) created = NULL;
  NtScheduleActor actor = { "other process", NT_ROLE_OPERATOR };
  g_autofree char *body = g_strdup_printf ("{\"kind\":\"user_operation\",\"start\":\"%s\",\"end\":\"%s\"}",
                                           sched_jst (2026, 6, 1, 9, 0), sched_jst (2026, 6, 5, 9, 0));

  g_assert_no_error (error);
  other = nt_schedule_store_new (db2, catalogue, &error);
  g_assert_no_error (error);

  /* The service sees the empty plan first */
  post_alloc (f, f->tokens[NT_ROLE_OFFICE], "BL10U", sched_jst (2026, 6, 2, 9, 0), sched_jst (2026, 6, 2, 12, 0),
              "staff", NULL, NULL, 409, "outside_user_operation");

  g_assert_true (json_parser_load_from_data (parser, body, -1, NULL));
  created = nt_schedule_store_create (other, NT_RESOURCE_PERIOD, json_parser_get_root (parser), &actor, &fault);
  g_assert_null (fault);
  g_assert_nonnull (created);

  sched_request (f, "GET", "/api/v1/run-plan", f->tokens[NT_ROLE_VIEWER], NULL, NULL, &r);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (sched_object (&r), "items")), ==, 1);
  g_assert_cmpint (json_object_get_int_member (sched_object (&r), "revision"), ==, 1);
  post_alloc (f, f->tokens[NT_ROLE_OFFICE], "BL10U", sched_jst (2026, 6, 2, 9, 0), sched_jst (2026, 6, 2, 12, 0),
              "staff", NULL, NULL, 201, NULL);
  g_assert_cmpint (nt_schedule_store_get_revision (other), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* Every test here runs at a named instant, never at the real date. */
  nt_test_clock_run_from (NT_TEST_USER_OPERATION, 1.0);

#define ADD(path, fn) \
  g_test_add (path, SchedFixture, NULL, sched_fixture_setup, fn, sched_fixture_teardown)

  ADD ("/schedule/api/auth", test_auth);
  ADD ("/schedule/api/created", test_created);
  ADD ("/schedule/api/etags", test_etags);
  ADD ("/schedule/api/malformed", test_malformed);
  ADD ("/schedule/api/rules", test_rules);
  ADD ("/schedule/api/station-change", test_station_change);
  ADD ("/schedule/api/summary-calendar", test_summary_calendar);
  ADD ("/schedule/api/settings", test_settings);
  ADD ("/schedule/api/external-writer", test_external_writer);

  return g_test_run ();
}
