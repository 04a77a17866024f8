/* test-schedule-feed.c: the change feed delivers each change once, in
 * order, live and across a reconnect with "since"
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "schedule-test-util.h"
#include "test-instants.h"

typedef struct
{
  SoupWebsocketConnection *conn;
  GError                  *error;
  gboolean                 connected;
  gboolean                 closed;
  GPtrArray               *messages;   /* JsonNode */
} Feed;

static void
feed_message_cb (SoupWebsocketConnection *conn,
                 SoupWebsocketDataType    type,
                 GBytes                  *bytes,
                 gpointer                 user_data)
{
  Feed *feed = user_data;
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_cmpint (type, ==, SOUP_WEBSOCKET_DATA_TEXT);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL));
  g_ptr_array_add (feed->messages, json_node_copy (json_parser_get_root (parser)));
}

static void
feed_closed_cb (SoupWebsocketConnection *conn,
                gpointer                 user_data)
{
  ((Feed *) user_data)->closed = TRUE;
}

static void
feed_connected_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Feed *feed = user_data;

  feed->conn = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &feed->error);
  if (feed->conn != NULL)
    {
      g_signal_connect (feed->conn, "message", G_CALLBACK (feed_message_cb), feed);
      g_signal_connect (feed->conn, "closed", G_CALLBACK (feed_closed_cb), feed);
    }
  feed->connected = TRUE;
}

static void
feed_open (SchedFixture *f,
           Feed         *feed,
           const char   *token,
           gint64        since)
{
  g_autofree char *uri = NULL;
  g_autoptr(SoupMessage) msg = NULL;

  if (since >= 0)
    uri = g_strdup_printf ("%s/api/v1/changes?since=%" G_GINT64_FORMAT, f->base, since);
  else
    uri = g_strdup_printf ("%s/api/v1/changes", f->base);
  uri[0] = 'w';
  uri[1] = 's';
  memmove (uri + 2, uri + 4, strlen (uri + 4) + 1);   /* http → ws */
  msg = soup_message_new ("GET", uri);
  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  memset (feed, 0, sizeof *feed);
  feed->messages = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  soup_session_websocket_connect_async (f->session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        feed_connected_cb, feed);
  sched_spin_until (&feed->connected, 10000);
}

static void
feed_close (Feed *feed)
{
  if (feed->conn != NULL && soup_websocket_connection_get_state (feed->conn) == SOUP_WEBSOCKET_STATE_OPEN)
    {
      soup_websocket_connection_close (feed->conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      sched_spin_until (&feed->closed, 10000);
    }
  g_clear_object (&feed->conn);
  g_clear_pointer (&feed->messages, g_ptr_array_unref);
  g_clear_error (&feed->error);
}

static void
wait_messages (Feed  *feed,
               guint  n)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (feed->messages->len < n && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (1000), TRUE);
  g_assert_cmpuint (feed->messages->len, ==, n);
}

/* No further message arrives for a while. */
static void
settle (Feed  *feed,
        guint  n)
{
  gint64 until = g_get_monotonic_time () + 200 * 1000;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (1000), TRUE);
  g_assert_cmpuint (feed->messages->len, ==, n);
}

static JsonObject *
message (Feed  *feed,
         guint  i)
{
  return json_node_get_object (g_ptr_array_index (feed->messages, i));
}

/* One committed change: a member created; returns its revision. */
static gint64
write_member (SchedFixture *f,
              int           i)
{
  g_auto(SchedReply) r = { 0 };
  g_autofree char *body = g_strdup_printf ("{\"name\":\"Feed Member %d\",\"units\":1,"
                                           "\"contract_start\":\"2024-04-01\",\"contract_end\":\"2030-03-31\"}", i);

  sched_request (f, "POST", "/api/v1/members", f->tokens[NT_ROLE_OFFICE], body, NULL, &r);
  g_assert_cmpuint (r.status, ==, 201);
  return json_object_get_int_member (sched_object (&r), "revision");
}

static void
test_feed_resume (SchedFixture  *f,
                  gconstpointer  user_data)
{
  g_auto(SchedReply) r = { 0 };
  Feed feed;
  gint64 revs[8], last;
  gint64 member_id;
  g_autofree char *loc = NULL;

  revs[0] = write_member (f, 0);

  /* Live: three changes, in order, once each */
  feed_open (f, &feed, f->tokens[NT_ROLE_VIEWER], revs[0]);
  g_assert_no_error (feed.error);
  for (int i = 1; i <= 3; i++)
    revs[i] = write_member (f, i);
  wait_messages (&feed, 3);
  settle (&feed, 3);
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *m = message (&feed, i);

      g_assert_cmpint (json_object_get_int_member (m, "revision"), ==, revs[i + 1]);
      g_assert_cmpint (revs[i + 1], ==, revs[0] + i + 1);
      g_assert_cmpstr (json_object_get_string_member (m, "resource"), ==, "member");
      g_assert_cmpstr (json_object_get_string_member (m, "action"), ==, "created");
      g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (m, "object"), "revision"),
                       ==, revs[i + 1]);
    }
  last = json_object_get_int_member (message (&feed, 2), "revision");
  member_id = json_object_get_int_member (message (&feed, 2), "id");
  feed_close (&feed);
  g_assert_cmpuint (nt_schedule_service_get_n_feed_clients (f->service), ==, 0);

  /* Offline: two changes, one a delete */
  revs[4] = write_member (f, 4);
  loc = g_strdup_printf ("/api/v1/members/%" G_GINT64_FORMAT, member_id);
  sched_request (f, "DELETE", loc, f->tokens[NT_ROLE_OFFICE], NULL, "*", &r);
  g_assert_cmpuint (r.status, ==, 204);

  /* Reconnect with since: exactly what was missed, then live again */
  feed_open (f, &feed, f->tokens[NT_ROLE_VIEWER], last);
  g_assert_no_error (feed.error);
  wait_messages (&feed, 2);
  g_assert_cmpint (json_object_get_int_member (message (&feed, 0), "revision"), ==, last + 1);
  g_assert_cmpint (json_object_get_int_member (message (&feed, 0), "revision"), ==, revs[4]);
  g_assert_cmpint (json_object_get_int_member (message (&feed, 1), "revision"), ==, last + 2);
  g_assert_cmpstr (json_object_get_string_member (message (&feed, 1), "action"), ==, "deleted");
  g_assert_cmpint (json_object_get_int_member (message (&feed, 1), "id"), ==, member_id);
  g_assert_true (json_object_get_null_member (message (&feed, 1), "object"));
  revs[5] = write_member (f, 5);
  wait_messages (&feed, 3);
  settle (&feed, 3);
  g_assert_cmpint (json_object_get_int_member (message (&feed, 2), "revision"), ==, last + 3);
  g_assert_cmpint (revs[5], ==, last + 3);
  feed_close (&feed);

  /* Without since: only live changes */
  feed_open (f, &feed, f->tokens[NT_ROLE_ADMIN], -1);
  revs[6] = write_member (f, 6);
  wait_messages (&feed, 1);
  settle (&feed, 1);
  g_assert_cmpint (json_object_get_int_member (message (&feed, 0), "revision"), ==, revs[6]);
  feed_close (&feed);

  /* From the start: every change there is */
  feed_open (f, &feed, f->tokens[NT_ROLE_ADMIN], 0);
  wait_messages (&feed, 8);
  settle (&feed, 8);
  for (guint i = 0; i < 8; i++)
    g_assert_cmpint (json_object_get_int_member (message (&feed, i), "revision"), ==, i + 1);
  feed_close (&feed);
}

static void
test_feed_auth (SchedFixture  *f,
                gconstpointer  user_data)
{
  Feed feed;

  feed_open (f, &feed, NULL, 0);
  g_assert_null (feed.conn);
  g_assert_nonnull (feed.error);
  feed_close (&feed);

  feed_open (f, &feed, f->tokens[NT_ROLE_VIEWER], 0);
  g_assert_no_error (feed.error);
  g_assert_nonnull (feed.conn);
  g_assert_cmpuint (nt_schedule_service_get_n_feed_clients (f->service), ==, 1);
  feed_close (&feed);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* Every test here runs at a named instant, never at the real date. */
  nt_test_clock_run_from (NT_TEST_USER_OPERATION, 1.0);

  g_test_add ("/schedule/feed/resume", SchedFixture, NULL, sched_fixture_setup, test_feed_resume,
              sched_fixture_teardown);
  g_test_add ("/schedule/feed/auth", SchedFixture, NULL, sched_fixture_setup, test_feed_auth,
              sched_fixture_teardown);

  return g_test_run ();
}
