/* test-auth-matrix.c: every route of the scheduling service × every kind
 * of caller, from one table
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each row of `matrix` is one method on one route with the roles that may
 * use it and the status they get.  Every row is sent with no token, a
 * wrong token, a revoked token and the token of each role: the bad tokens
 * get 401, a role the row does not name gets 403 and leaves the store's
 * revision where it was, and a role it names gets the row's status.  Item
 * routes act on a fresh object made for each request, so every allowed
 * write really succeeds.  Before that, the table is checked against the
 * service: every segment it answers (nt_schedule_service_dup_segments ())
 * is probed with every method, and each method that is not refused with
 * 405 must have a row, so a route added without one fails here.
 */
#define G_LOG_DOMAIN "test-auth-matrix"

#include "config.h"

#include "nt-schedule-service-private.h"
#include "schedule-write-util.h"
#include "test-instants.h"

#define V  (1u << NT_ROLE_VIEWER)
#define OP (1u << NT_ROLE_OPERATOR)
#define OF (1u << NT_ROLE_OFFICE)
#define AD (1u << NT_ROLE_ADMIN)
#define ALL (V | OP | OF | AD)

typedef enum
{
  BODY_NONE,
  BODY_NEW,       /* a new object of the row's collection */
  BODY_NEW_OVERRIDE, /* the same with override_reason (admin only) */
  BODY_PATCH,     /* a change to the row's collection's object */
  BODY_SETTINGS,
} BodyKind;

typedef struct
{
  const char *method;
  const char *path;    /* under /api/v1; {id} is a fresh object of the collection */
  guint       roles;   /* who may */
  guint       ok;      /* what they get */
  BodyKind    body;
  gboolean    query_token; /* ?token= works as well as the header */
  gboolean    websocket;   /* a WebSocket upgrade (101 when accepted) */
} Row;

static const Row matrix[] = {
  { "GET",    "/run-plan",              ALL,     200, BODY_NONE },
  { "POST",   "/run-plan",              OP | AD, 201, BODY_NEW },
  { "GET",    "/run-plan/{id}",         ALL,     200, BODY_NONE },
  { "PATCH",  "/run-plan/{id}",         OP | AD, 200, BODY_PATCH },
  { "DELETE", "/run-plan/{id}",         OP | AD, 204, BODY_NONE },

  { "GET",    "/allocations",           ALL,     200, BODY_NONE },
  { "POST",   "/allocations",           OF | AD, 201, BODY_NEW },
  { "POST",   "/allocations",           AD,      201, BODY_NEW_OVERRIDE },
  { "GET",    "/allocations/{id}",      ALL,     200, BODY_NONE },
  { "PATCH",  "/allocations/{id}",      OF | AD, 200, BODY_PATCH },
  { "DELETE", "/allocations/{id}",      OF | AD, 204, BODY_NONE },

  { "GET",    "/members",               ALL,     200, BODY_NONE },
  { "POST",   "/members",               OF | AD, 201, BODY_NEW },
  { "GET",    "/members/{id}",          ALL,     200, BODY_NONE },
  { "PATCH",  "/members/{id}",          OF | AD, 200, BODY_PATCH },
  { "DELETE", "/members/{id}",          OF | AD, 204, BODY_NONE },

  { "GET",    "/proposals",             ALL,     200, BODY_NONE },
  { "POST",   "/proposals",             OF | AD, 201, BODY_NEW },
  { "GET",    "/proposals/{id}",        ALL,     200, BODY_NONE },
  { "PATCH",  "/proposals/{id}",        OF | AD, 200, BODY_PATCH },
  { "DELETE", "/proposals/{id}",        OF | AD, 204, BODY_NONE },

  { "GET",    "/settings",              ALL,     200, BODY_NONE },
  { "PATCH",  "/settings",              AD,      200, BODY_SETTINGS },

  { "GET",    "/changes?since=0",       ALL,     101, BODY_NONE, TRUE, TRUE },
  { "GET",    "/calendar.ics",          ALL,     200, BODY_NONE, TRUE },
  { "GET",    "/calendar.ics?station=*", ALL,    200, BODY_NONE, TRUE },
  { "GET",    "/whoami",                ALL,     200, BODY_NONE },
  { "GET",    "/beamlines",             ALL,     200, BODY_NONE },
  { "GET",    "/terms?fy=2026",         ALL,     200, BODY_NONE },
  { "GET",    "/summary?fy=2026",       ALL,     200, BODY_NONE },
  { "GET",    "/audit",                 ALL,     200, BODY_NONE },
  /* This service has no archive beside it: a caller let in hears 503
   * (test-statistics has the 200s); the others still 401. */
  { "GET",    "/statistics?from=2026-06-01T00:00:00Z&to=2026-06-02T00:00:00Z", ALL, 503, BODY_NONE },
};

static const char * const probe_methods[] = { "GET", "POST", "PUT", "PATCH", "DELETE" };

typedef struct
{
  SchedFixture  sched;
  char         *wrong;
  char         *revoked;
  guint         serial;   /* makes each new object unique */
} Fixture;

typedef struct
{
  const char *label;
  int         role;       /* -1: none of the roles */
  const char *token;      /* NULL: none */
} Caller;

/* "METHOD /segment" or "METHOD /segment/{id}" of a path (query dropped). */
static char *
route_key (const char *method,
           const char *path)
{
  g_autofree char *p = g_strndup (path, strcspn (path, "?"));
  g_auto(GStrv) parts = g_strsplit (p + 1, "/", -1);

  return g_strdup_printf ("%s /%s%s", method, parts[0], parts[1] != NULL ? "/{id}" : "");
}

static char *
collection_of (const char *path)
{
  const char *slash = strchr (path + 1, '/');
  gsize len = slash != NULL ? (gsize) (slash - path - 1) : strcspn (path + 1, "?");

  return g_strndup (path + 1, len);
}

/* A fresh object of @collection, made as an admin; returns its id. */
static char *
fresh_object (Fixture    *f,
              const char *collection)
{
  return sched_new_object (&f->sched, f->sched.tokens[NT_ROLE_ADMIN], ++f->serial, collection);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_auto(SchedReply) r = { 0 };
  guint n;

  sched_fixture_setup (&f->sched, data);
  f->wrong = g_strdup ("nt_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
  f->revoked = nt_auth_token_create (f->sched.db, NT_ROLE_ADMIN, "Former Admin", &error);
  g_assert_no_error (error);
  n = nt_auth_token_revoke (f->sched.db, "Former Admin", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 1);

  /* A user operation for the allocations to land in */
  sched_request (&f->sched, "POST", "/api/v1/run-plan", f->sched.tokens[NT_ROLE_ADMIN],
                 SCHED_WRITE_PERIOD, NULL, &r);
  g_assert_cmpuint (r.status, ==, 201);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_pointer (&f->wrong, g_free);
  g_clear_pointer (&f->revoked, g_free);
  sched_fixture_teardown (&f->sched, data);
}

typedef struct
{
  SoupWebsocketConnection *conn;
  guint                    status;
  gboolean                 done;
} WsResult;

static void
ws_cb (GObject      *source,
       GAsyncResult *result,
       gpointer      data)
{
  WsResult *ws = data;
  g_autoptr(GError) error = NULL;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);

  ws->conn = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  ws->status = soup_message_get_status (msg);
  ws->done = TRUE;
}

/* Sends @row as @caller (the token in the header, or in the query when
 * @in_query) and returns the status. */
static guint
send_row (Fixture      *f,
          const Row    *row,
          const Caller *caller,
          gboolean      in_query)
{
  g_autofree char *collection = collection_of (row->path);
  g_autofree char *id = NULL;
  g_autofree char *body = NULL;
  g_autofree char *path = NULL;
  g_auto(SchedReply) r = { 0 };
  const char *if_match = NULL;
  const char *brace = strstr (row->path, "{id}");

  if (brace != NULL)
    {
      g_autofree char *head = g_strndup (row->path, brace - row->path);

      id = fresh_object (f, collection);
      path = g_strconcat ("/api/v1", head, id, brace + strlen ("{id}"), NULL);
    }
  else
    path = g_strconcat ("/api/v1", row->path, NULL);

  if (in_query && caller->token != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (caller->token, NULL, FALSE);
      g_autofree char *with = g_strconcat (path, strchr (path, '?') != NULL ? "&" : "?", "token=", escaped, NULL);

      g_free (path);
      path = g_steal_pointer (&with);
    }

  switch (row->body)
    {
    case BODY_NONE:
      break;
    case BODY_NEW:
    case BODY_NEW_OVERRIDE:
      body = sched_new_body (++f->serial, collection, row->body == BODY_NEW_OVERRIDE);
      break;
    case BODY_PATCH:
    case BODY_SETTINGS:
      body = sched_patch_body (++f->serial, collection);
      break;
    }
  if (g_str_equal (row->method, "PATCH") || g_str_equal (row->method, "DELETE"))
    if_match = "*";

  if (row->websocket)
    {
      g_autofree char *uri = g_strconcat (f->sched.base, path, NULL);
      g_autoptr(SoupMessage) msg = soup_message_new (row->method, uri);
      WsResult ws = { 0 };

      if (caller->token != NULL && !in_query)
        {
          g_autofree char *auth = g_strconcat ("Bearer ", caller->token, NULL);

          soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
        }
      soup_session_websocket_connect_async (f->sched.session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL, ws_cb, &ws);
      sched_spin_until (&ws.done, 20000);
      if (ws.conn != NULL)
        {
          soup_websocket_connection_close (ws.conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
          g_clear_object (&ws.conn);
        }
      return ws.status;
    }

  sched_request (&f->sched, row->method, path, in_query ? NULL : caller->token, body, if_match, &r);
  if (r.status == 401 || r.status == 403)
    {
      /* A refusal says why, in the usual error body */
      const char *code = sched_error_code (&r);

      g_assert_cmpstr (code, ==, r.status == 401 ? "unauthorized" : "forbidden");
    }
  return r.status;
}

static gint64
store_revision (Fixture *f)
{
  return nt_schedule_store_get_revision (nt_schedule_service_get_store (f->sched.service));
}

/* Every segment the service answers, with every method, against the
 * table: whatever is not a 405 needs a row. */
static void
test_table_covers_service (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) segments = nt_schedule_service_dup_segments (FALSE);
  g_auto(GStrv) collections = nt_schedule_service_dup_segments (TRUE);
  guint missing = 0;

  for (guint i = 0; i < G_N_ELEMENTS (matrix); i++)
    g_hash_table_add (keys, route_key (matrix[i].method, matrix[i].path));

  /* The table names no route the service does not have */
  for (guint i = 0; i < G_N_ELEMENTS (matrix); i++)
    {
      g_autofree char *segment = collection_of (matrix[i].path);

      g_assert_true (g_strv_contains ((const char * const *) segments, segment));
      if (strstr (matrix[i].path, "{id}") != NULL)
        g_assert_true (g_strv_contains ((const char * const *) collections, segment));
    }

  for (guint i = 0; segments[i] != NULL; i++)
    {
      gboolean is_collection = g_strv_contains ((const char * const *) collections, segments[i]);

      for (guint item = 0; item < (is_collection ? 2u : 1u); item++)
        for (guint m = 0; m < G_N_ELEMENTS (probe_methods); m++)
          {
            g_auto(SchedReply) r = { 0 };
            g_autofree char *id = item ? fresh_object (f, segments[i]) : NULL;
            g_autofree char *path = g_strconcat ("/api/v1/", segments[i], item ? "/" : "", id, NULL);
            g_autofree char *key = g_strdup_printf ("%s /%s%s", probe_methods[m], segments[i], item ? "/{id}" : "");

            if (g_str_equal (segments[i], "changes"))
              /* A WebSocket route: its row sends an upgrade; a plain
               * request of any method is no use to anyone */
              {
                if (g_str_equal (probe_methods[m], "GET"))
                  g_assert_true (g_hash_table_contains (keys, key));
                continue;
              }
            sched_request (&f->sched, probe_methods[m], path, f->sched.tokens[NT_ROLE_ADMIN], "{}", NULL, &r);
            if (r.status == 405)
              {
                g_assert_nonnull (soup_message_headers_get_one (r.headers, "Allow"));
                g_assert_false (g_hash_table_contains (keys, key));
                continue;
              }
            if (!g_hash_table_contains (keys, key))
              {
                g_test_message ("no row in the auth matrix for %s (it answers %u)", key, r.status);
                missing++;
              }
          }
    }
  g_assert_cmpuint (missing, ==, 0);
}

static void
test_matrix (Fixture       *f,
             gconstpointer  data)
{
  const Caller callers[] = {
    { "no token", -1, NULL },
    { "wrong token", -1, f->wrong },
    { "revoked token", -1, f->revoked },
    { "viewer", NT_ROLE_VIEWER, f->sched.tokens[NT_ROLE_VIEWER] },
    { "operator", NT_ROLE_OPERATOR, f->sched.tokens[NT_ROLE_OPERATOR] },
    { "office", NT_ROLE_OFFICE, f->sched.tokens[NT_ROLE_OFFICE] },
    { "admin", NT_ROLE_ADMIN, f->sched.tokens[NT_ROLE_ADMIN] },
  };
  guint wrong = 0;
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (matrix); i++)
    {
      const Row *row = &matrix[i];

      for (guint c = 0; c < G_N_ELEMENTS (callers); c++)
        for (guint q = 0; q < (row->query_token ? 2u : 1u); q++)
          {
            const Caller *caller = &callers[c];
            guint expect;
            guint got;
            gint64 before, after;

            if (caller->role < 0)
              expect = 401;
            else if (row->roles & (1u << caller->role))
              expect = row->ok;
            else
              expect = 403;

            before = store_revision (f);
            if (strstr (row->path, "{id}") != NULL)
              before++;   /* the fresh object */
            got = send_row (f, row, caller, q == 1);
            after = store_revision (f);
            n++;

            if (got != expect)
              {
                g_test_message ("%s %s as %s%s: %u, expected %u", row->method, row->path, caller->label,
                                q ? " (?token=)" : "", got, expect);
                wrong++;
              }
            /* A refused request changes nothing */
            if (expect != row->ok && after != before)
              {
                g_test_message ("%s %s as %s%s changed the store (revision %" G_GINT64_FORMAT
                                " → %" G_GINT64_FORMAT ")", row->method, row->path, caller->label,
                                q ? " (?token=)" : "", before, after);
                wrong++;
              }
            /* An allowed write moves the revision on by one */
            if (expect == row->ok && got == expect && !g_str_equal (row->method, "GET"))
              g_assert_cmpint (after, ==, before + 1);
          }
    }
  g_test_message ("%u requests, %u wrong", n, wrong);
  g_assert_cmpuint (wrong, ==, 0);
}

/* A ?token= works only where the row says so: elsewhere it is no token. */
static void
test_query_token_only_where_allowed (Fixture       *f,
                                     gconstpointer  data)
{
  const Caller admin = { "admin", NT_ROLE_ADMIN, f->sched.tokens[NT_ROLE_ADMIN] };

  for (guint i = 0; i < G_N_ELEMENTS (matrix); i++)
    if (!matrix[i].query_token)
      {
        guint got = send_row (f, &matrix[i], &admin, TRUE);

        if (got != 401)
          g_error ("%s %s with ?token= answers %u", matrix[i].method, matrix[i].path, got);
      }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  nt_test_clock_fix_at (NT_TEST_USER_OPERATION);

  g_test_add ("/auth-matrix/table-covers-service", Fixture, NULL,
              fixture_setup, test_table_covers_service, fixture_teardown);
  g_test_add ("/auth-matrix/every-route-every-caller", Fixture, NULL,
              fixture_setup, test_matrix, fixture_teardown);
  g_test_add ("/auth-matrix/query-token", Fixture, NULL,
              fixture_setup, test_query_token_only_where_allowed, fixture_teardown);

  return g_test_run ();
}
