/* test-pvws-protocol.c: the PV Web Socket service, spoken to by a real
 * libsoup WebSocket client over loopback
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "nt-facility.h"
#include "nt-facility-embed.h"
#include "nt-pvws-service.h"
#include "nt-schedule-service.h"
#include "test-instants.h"

#define PERIOD_MS 50

static const char * const state_labels[] = { "Idle", "Measuring", "Fault", NULL };

typedef struct
{
  NtPvTable               *pvs;
  NtPvwsService           *service;
  SoupServer              *server;
  char                    *ws_uri;
  guint                    pv_double;
  guint                    pv_enum;
  guint                    pv_string;
  guint                    pv_undefined;
} Fixture;

typedef struct
{
  SoupSession             *session;
  SoupWebsocketConnection *conn;
  GQueue                   messages;   /* of JsonObject */
  GQueue                   raw;        /* of char*, text as received */
  gboolean                 closed;
} Client;

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static gboolean
spin_until (gboolean (*cond) (gpointer), gpointer data, guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  guint tick = g_timeout_add (5, tick_cb, NULL);
  gboolean ok;

  while (!(ok = cond (data)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);

  return ok;
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

static void
spin_for (guint ms)
{
  spin_until (never, NULL, ms);
}

static void
on_message_cb (SoupWebsocketConnection *conn,
               gint                     type,
               GBytes                  *message,
               gpointer                 user_data)
{
  Client *client = user_data;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize size;
  const char *data = g_bytes_get_data (message, &size);
  JsonNode *root;

  g_assert_cmpint (type, ==, SOUP_WEBSOCKET_DATA_TEXT);
  g_assert_true (json_parser_load_from_data (parser, data, size, &error));
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  g_queue_push_tail (&client->messages, json_object_ref (json_node_get_object (root)));
  g_queue_push_tail (&client->raw, g_strndup (data, size));
}

static void
on_closed_cb (SoupWebsocketConnection *conn,
              gpointer                 user_data)
{
  Client *client = user_data;

  client->closed = TRUE;
}

static void
connect_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Client *client = user_data;
  g_autoptr(GError) error = NULL;

  client->conn = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
}

static gboolean
client_connected (gpointer data)
{
  return ((Client *) data)->conn != NULL;
}

static Client *
client_new (const char *uri)
{
  Client *client = g_new0 (Client, 1);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);

  g_queue_init (&client->messages);
  g_queue_init (&client->raw);
  client->session = soup_session_new ();
  soup_session_websocket_connect_async (client->session, msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        NULL, connect_cb, client);
  g_assert_true (spin_until (client_connected, client, 5000));
  soup_websocket_connection_set_max_incoming_payload_size (client->conn, 0);
  g_signal_connect (client->conn, "message", G_CALLBACK (on_message_cb), client);
  g_signal_connect (client->conn, "closed", G_CALLBACK (on_closed_cb), client);

  return client;
}

static gboolean
client_is_closed (gpointer data)
{
  return ((Client *) data)->closed;
}

static void
client_free (Client *client)
{
  if (soup_websocket_connection_get_state (client->conn) == SOUP_WEBSOCKET_STATE_OPEN)
    {
      soup_websocket_connection_close (client->conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      spin_until (client_is_closed, client, 2000);
    }
  g_signal_handlers_disconnect_by_data (client->conn, client);
  g_clear_object (&client->conn);
  g_clear_object (&client->session);
  g_queue_clear_full (&client->messages, (GDestroyNotify) json_object_unref);
  g_queue_clear_full (&client->raw, g_free);
  g_free (client);
}

static void
client_send (Client     *client,
             const char *text)
{
  soup_websocket_connection_send_text (client->conn, text);
}

static gboolean
client_has_message (gpointer data)
{
  return !g_queue_is_empty (&((Client *) data)->messages);
}

/* Waits for the next message and returns it (owned). */
static JsonObject *
client_next (Client *client)
{
  if (!spin_until (client_has_message, client, 3000))
    g_error ("No message within 3 s");
  g_free (g_queue_pop_head (&client->raw));
  return g_queue_pop_head (&client->messages);
}

static void
expect_type (JsonObject *object,
             const char *type)
{
  g_assert_cmpstr (json_object_get_string_member_with_default (object, "type", ""), ==, type);
}

static void
expect_error (Client     *client,
              const char *substring)
{
  g_autoptr(JsonObject) msg = client_next (client);
  const char *message;

  expect_type (msg, "error");
  message = json_object_get_string_member_with_default (msg, "message", "");
  if (strstr (message, substring) == NULL)
    g_error ("Error message '%s' does not mention '%s'", message, substring);
}

/* The socket still works: a ping gets its pong. */
static void
expect_usable (Client *client)
{
  g_autoptr(JsonObject) msg = NULL;

  client_send (client, "{\"type\":\"ping\"}");
  msg = client_next (client);
  expect_type (msg, "pong");
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  GSList *uris;
  GUri *uri;

  fixture->pvs = nt_pv_table_new ();
  fixture->pv_double = nt_pv_table_add (fixture->pvs, &(NtPvInfo) {
      .name = "TEST:DOUBLE", .type = NT_PV_TYPE_DOUBLE, .description = "A number",
      .units = "mA", .precision = 3, .min = 0, .max = 500, .warn_low = 398, .warn_high = 402,
      .alarm_low = 100, .alarm_high = NAN, .readonly = TRUE });
  fixture->pv_enum = nt_pv_table_add (fixture->pvs, &(NtPvInfo) {
      .name = "TEST:ENUM", .type = NT_PV_TYPE_ENUM, .description = "A state",
      .labels = state_labels, .min = NAN, .max = NAN, .warn_low = NAN, .warn_high = NAN,
      .alarm_low = NAN, .alarm_high = NAN, .readonly = TRUE });
  fixture->pv_string = nt_pv_table_add (fixture->pvs, &(NtPvInfo) {
      .name = "TEST:STRING", .type = NT_PV_TYPE_STRING, .description = "A text",
      .min = NAN, .max = NAN, .warn_low = NAN, .warn_high = NAN,
      .alarm_low = NAN, .alarm_high = NAN, .readonly = TRUE });
  fixture->pv_undefined = nt_pv_table_add (fixture->pvs, &(NtPvInfo) {
      .name = "TEST:UNDEFINED", .type = NT_PV_TYPE_DOUBLE, .description = "Never set",
      .units = "V", .min = NAN, .max = NAN, .warn_low = NAN, .warn_high = NAN,
      .alarm_low = NAN, .alarm_high = NAN });

  nt_pv_table_set_number (fixture->pvs, fixture->pv_double, 400.5, NT_SEVERITY_NONE,
                          G_GINT64_CONSTANT (1795000000123456));
  nt_pv_table_set_number (fixture->pvs, fixture->pv_enum, 1, NT_SEVERITY_NONE, G_GINT64_CONSTANT (1795000000000000));
  nt_pv_table_set_string (fixture->pvs, fixture->pv_string, "Multi-bunch", NT_SEVERITY_NONE,
                          G_GINT64_CONSTANT (1795000000000000));

  fixture->service = nt_pvws_service_new (fixture->pvs);
  nt_pvws_service_set_period (fixture->service, PERIOD_MS);
  nt_pvws_service_set_max_message_size (fixture->service, 1024);
  fixture->server = soup_server_new (NULL, NULL);
  nt_pvws_service_attach (fixture->service, fixture->server, "/pvws/pv");
  soup_server_listen (fixture->server, address, 0, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (fixture->server);
  uri = uris->data;
  fixture->ws_uri = g_strdup_printf ("ws://127.0.0.1:%d/pvws/pv", g_uri_get_port (uri));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  nt_pvws_service_shutdown (fixture->service);
  soup_server_disconnect (fixture->server);
  spin_for (50);
  g_clear_object (&fixture->server);
  g_assert_finalize_object (fixture->service);
  g_assert_finalize_object (fixture->pvs);
  g_free (fixture->ws_uri);
}

static gint64
now_us (void)
{
  return nt_clock_now_us ();
}

static void
test_first_update_has_metadata (Fixture       *fixture,
                                gconstpointer  user_data)
{
  Client *client = client_new (fixture->ws_uri);
  g_autoptr(JsonObject) msg = NULL;
  JsonArray *labels;

  client_send (client, "{\"type\":\"subscribe\",\"pvs\":[\"TEST:DOUBLE\"]}");
  msg = client_next (client);
  expect_type (msg, "update");
  g_assert_cmpstr (json_object_get_string_member (msg, "pv"), ==, "TEST:DOUBLE");
  g_assert_cmpstr (json_object_get_string_member (msg, "vtype"), ==, "VDouble");
  g_assert_cmpstr (json_object_get_string_member (msg, "units"), ==, "mA");
  g_assert_cmpstr (json_object_get_string_member (msg, "description"), ==, "A number");
  g_assert_cmpint (json_object_get_int_member (msg, "precision"), ==, 3);
  g_assert_cmpfloat (json_object_get_double_member (msg, "min"), ==, 0);
  g_assert_cmpfloat (json_object_get_double_member (msg, "max"), ==, 500);
  g_assert_cmpfloat (json_object_get_double_member (msg, "warn_low"), ==, 398);
  g_assert_cmpfloat (json_object_get_double_member (msg, "warn_high"), ==, 402);
  g_assert_cmpfloat (json_object_get_double_member (msg, "alarm_low"), ==, 100);
  g_assert_false (json_object_has_member (msg, "alarm_high"));  /* not set: left out */
  g_assert_true (json_object_get_boolean_member (msg, "readonly"));
  g_assert_cmpstr (json_object_get_string_member (msg, "severity"), ==, "NONE");
  g_assert_cmpfloat (json_object_get_double_member (msg, "value"), ==, 400.5);
  g_assert_cmpint (json_object_get_int_member (msg, "seconds"), ==, 1795000000);
  g_assert_cmpint (json_object_get_int_member (msg, "nanos"), ==, 123456000);
  g_clear_pointer (&msg, json_object_unref);

  /* Enums: labels in the metadata, the value as index with its text. */
  client_send (client, "{\"type\":\"subscribe\",\"pvs\":[\"TEST:ENUM\",\"TEST:STRING\",\"TEST:UNDEFINED\"]}");
  msg = client_next (client);
  g_assert_cmpstr (json_object_get_string_member (msg, "pv"), ==, "TEST:ENUM");
  g_assert_cmpstr (json_object_get_string_member (msg, "vtype"), ==, "VEnum");
  labels = json_object_get_array_member (msg, "labels");
  g_assert_cmpuint (json_array_get_length (labels), ==, 3);
  g_assert_cmpstr (json_array_get_string_element (labels, 2), ==, "Fault");
  g_assert_cmpint (json_object_get_int_member (msg, "value"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (msg, "text"), ==, "Measuring");
  g_clear_pointer (&msg, json_object_unref);

  msg = client_next (client);
  g_assert_cmpstr (json_object_get_string_member (msg, "pv"), ==, "TEST:STRING");
  g_assert_cmpstr (json_object_get_string_member (msg, "vtype"), ==, "VString");
  g_assert_cmpstr (json_object_get_string_member (msg, "value"), ==, "Multi-bunch");
  g_clear_pointer (&msg, json_object_unref);

  /* Never set: UNDEFINED and "NaN". */
  msg = client_next (client);
  g_assert_cmpstr (json_object_get_string_member (msg, "pv"), ==, "TEST:UNDEFINED");
  g_assert_cmpstr (json_object_get_string_member (msg, "severity"), ==, "UNDEFINED");
  g_assert_cmpstr (json_object_get_string_member (msg, "value"), ==, "NaN");
  g_clear_pointer (&msg, json_object_unref);

  client_free (client);
}

static void
test_later_updates_are_partial (Fixture       *fixture,
                                gconstpointer  user_data)
{
  Client *client = client_new (fixture->ws_uri);
  g_autoptr(JsonObject) msg = NULL;

  client_send (client, "{\"type\":\"subscribe\",\"pvs\":[\"TEST:DOUBLE\",\"TEST:ENUM\"]}");
  json_object_unref (client_next (client));
  json_object_unref (client_next (client));

  /* A value change: value and time, no metadata, no unchanged severity. */
  nt_pv_table_set_number (fixture->pvs, fixture->pv_double, 399.25, NT_SEVERITY_NONE, now_us ());
  msg = client_next (client);
  expect_type (msg, "update");
  g_assert_cmpstr (json_object_get_string_member (msg, "pv"), ==, "TEST:DOUBLE");
  g_assert_cmpfloat (json_object_get_double_member (msg, "value"), ==, 399.25);
  g_assert_true (json_object_has_member (msg, "seconds"));
  g_assert_true (json_object_has_member (msg, "nanos"));
  g_assert_false (json_object_has_member (msg, "severity"));
  g_assert_false (json_object_has_member (msg, "vtype"));
  g_assert_false (json_object_has_member (msg, "units"));
  g_assert_false (json_object_has_member (msg, "description"));
  g_assert_false (json_object_has_member (msg, "precision"));
  g_assert_false (json_object_has_member (msg, "readonly"));
  g_clear_pointer (&msg, json_object_unref);

  /* A severity change alone: severity and time, no value. */
  nt_pv_table_set_number (fixture->pvs, fixture->pv_double, 399.25, NT_SEVERITY_MINOR, now_us () + 1000);
  msg = client_next (client);
  g_assert_cmpstr (json_object_get_string_member (msg, "severity"), ==, "MINOR");
  g_assert_false (json_object_has_member (msg, "value"));
  g_clear_pointer (&msg, json_object_unref);

  /* Enums: index and text change together; labels are not repeated. */
  nt_pv_table_set_number (fixture->pvs, fixture->pv_enum, 2, NT_SEVERITY_MAJOR, now_us ());
  msg = client_next (client);
  g_assert_cmpstr (json_object_get_string_member (msg, "pv"), ==, "TEST:ENUM");
  g_assert_cmpint (json_object_get_int_member (msg, "value"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (msg, "text"), ==, "Fault");
  g_assert_cmpstr (json_object_get_string_member (msg, "severity"), ==, "MAJOR");
  g_assert_false (json_object_has_member (msg, "labels"));
  g_clear_pointer (&msg, json_object_unref);

  /* Disconnected: UNDEFINED with "NaN". */
  nt_pv_table_set_disconnected (fixture->pvs, fixture->pv_double, now_us () + 2000);
  msg = client_next (client);
  g_assert_cmpstr (json_object_get_string_member (msg, "severity"), ==, "UNDEFINED");
  g_assert_cmpstr (json_object_get_string_member (msg, "value"), ==, "NaN");
  g_clear_pointer (&msg, json_object_unref);

  client_free (client);
}

static void
test_rate_limit_latest_value (Fixture       *fixture,
                              gconstpointer  user_data)
{
  Client *client = client_new (fixture->ws_uri);
  g_autoptr(JsonObject) msg = NULL;
  gint64 t = now_us ();

  client_send (client, "{\"type\":\"subscribe\",\"pvs\":[\"TEST:DOUBLE\"]}");
  json_object_unref (client_next (client));
  spin_for (PERIOD_MS * 2);

  /* Twenty changes within one period: one update, with the latest. */
  for (guint i = 0; i < 20; i++)
    nt_pv_table_set_number (fixture->pvs, fixture->pv_double, 300 + i, NT_SEVERITY_NONE, t + i);
  msg = client_next (client);
  g_assert_cmpfloat (json_object_get_double_member (msg, "value"), ==, 319);
  g_clear_pointer (&msg, json_object_unref);
  spin_for (PERIOD_MS * 3);
  g_assert_true (g_queue_is_empty (&client->messages));

  client_free (client);
}

static void
test_two_sockets_and_clear (Fixture       *fixture,
                            gconstpointer  user_data)
{
  Client *a = client_new (fixture->ws_uri);
  Client *b = client_new (fixture->ws_uri);
  g_autoptr(JsonObject) msg = NULL;

  client_send (a, "{\"type\":\"subscribe\",\"pvs\":[\"TEST:DOUBLE\"]}");
  json_object_unref (client_next (a));
  nt_pv_table_set_number (fixture->pvs, fixture->pv_double, 123, NT_SEVERITY_NONE, now_us ());
  json_object_unref (client_next (a));

  /* b subscribes later: it gets the metadata; a does not get it again. */
  client_send (b, "{\"type\":\"subscribe\",\"pvs\":[\"TEST:DOUBLE\"]}");
  msg = client_next (b);
  g_assert_true (json_object_has_member (msg, "units"));
  g_assert_cmpfloat (json_object_get_double_member (msg, "value"), ==, 123);
  g_clear_pointer (&msg, json_object_unref);

  nt_pv_table_set_number (fixture->pvs, fixture->pv_double, 124, NT_SEVERITY_NONE, now_us () + 10);
  msg = client_next (a);
  g_assert_false (json_object_has_member (msg, "units"));
  g_assert_cmpfloat (json_object_get_double_member (msg, "value"), ==, 124);
  g_clear_pointer (&msg, json_object_unref);
  msg = client_next (b);
  g_assert_false (json_object_has_member (msg, "units"));
  g_assert_cmpfloat (json_object_get_double_member (msg, "value"), ==, 124);
  g_clear_pointer (&msg, json_object_unref);

  /* a clears: no more updates to a; b still gets them. */
  client_send (a, "{\"type\":\"clear\",\"pvs\":[\"TEST:DOUBLE\"]}");
  expect_usable (a);  /* the clear has been handled once the pong is back */
  nt_pv_table_set_number (fixture->pvs, fixture->pv_double, 125, NT_SEVERITY_NONE, now_us () + 20);
  msg = client_next (b);
  g_assert_cmpfloat (json_object_get_double_member (msg, "value"), ==, 125);
  g_clear_pointer (&msg, json_object_unref);
  spin_for (PERIOD_MS * 3);
  g_assert_true (g_queue_is_empty (&a->messages));

  /* list: a has nothing subscribed, b has TEST:DOUBLE; both see all PVs. */
  client_send (a, "{\"type\":\"list\"}");
  msg = client_next (a);
  expect_type (msg, "list");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (msg, "pvs")), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (msg, "available")), ==, 4);
  g_clear_pointer (&msg, json_object_unref);
  client_send (b, "{\"type\":\"list\"}");
  msg = client_next (b);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (msg, "pvs")), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (msg, "pvs"), 0), ==,
                   "TEST:DOUBLE");
  g_clear_pointer (&msg, json_object_unref);

  /* Re-subscribing is a first update again (the client may have lost its cache). */
  client_send (a, "{\"type\":\"subscribe\",\"pvs\":[\"TEST:DOUBLE\"]}");
  msg = client_next (a);
  g_assert_true (json_object_has_member (msg, "units"));
  g_assert_cmpfloat (json_object_get_double_member (msg, "value"), ==, 125);
  g_clear_pointer (&msg, json_object_unref);

  g_assert_cmpuint (nt_pvws_service_get_n_clients (fixture->service), ==, 2);
  client_free (a);
  client_free (b);
  spin_for (50);
  g_assert_cmpuint (nt_pvws_service_get_n_clients (fixture->service), ==, 0);
}

static void
test_echo_and_ping (Fixture       *fixture,
                    gconstpointer  user_data)
{
  Client *client = client_new (fixture->ws_uri);
  const char *echo = "{\"type\":\"echo\",\"body\":\"hello \\u3042\"}";
  g_autoptr(JsonObject) msg = NULL;

  client_send (client, echo);
  g_assert_true (spin_until (client_has_message, client, 3000));
  g_assert_cmpstr (g_queue_peek_head (&client->raw), ==, echo);
  msg = client_next (client);
  expect_type (msg, "echo");
  g_assert_cmpstr (json_object_get_string_member (msg, "body"), ==, "hello \xe3\x81\x82");
  g_clear_pointer (&msg, json_object_unref);

  expect_usable (client);
  client_free (client);
}

static void
test_bad_requests (Fixture       *fixture,
                   gconstpointer  user_data)
{
  Client *client = client_new (fixture->ws_uri);
  g_autofree char *big = NULL;
  g_autoptr(JsonObject) msg = NULL;

  client_send (client, "this is not json");
  expect_error (client, "not JSON");
  expect_usable (client);

  client_send (client, "[1, 2, 3]");
  expect_error (client, "not a JSON object");
  expect_usable (client);

  client_send (client, "{\"pvs\":[\"TEST:DOUBLE\"]}");
  expect_error (client, "no \"type\"");
  expect_usable (client);

  client_send (client, "{\"type\":42}");
  expect_error (client, "must be a string");
  expect_usable (client);

  client_send (client, "{\"type\":\"write\",\"pv\":\"TEST:DOUBLE\",\"value\":1}");
  expect_error (client, "Unknown message type 'write'");
  expect_usable (client);

  client_send (client, "{\"type\":\"subscribe\",\"pvs\":\"TEST:DOUBLE\"}");
  expect_error (client, "array of PV names");
  expect_usable (client);

  client_send (client, "{\"type\":\"subscribe\"}");
  expect_error (client, "array of PV names");
  expect_usable (client);

  client_send (client, "{\"type\":\"subscribe\",\"pvs\":[\"TEST:DOUBLE\", 7]}");
  expect_error (client, "element 1");
  expect_usable (client);

  client_send (client, "{\"type\":\"echo\",\"body\":{\"nested\":true}}");
  expect_error (client, "must be a string");
  expect_usable (client);

  client_send (client, "{\"type\":\"clear\",\"pvs\":[null]}");
  expect_error (client, "not a string");
  expect_usable (client);

  /* An unknown PV is an error; the known one in the same request works. */
  client_send (client, "{\"type\":\"subscribe\",\"pvs\":[\"NO:SUCH:PV\",\"TEST:ENUM\"]}");
  expect_error (client, "Unknown PV 'NO:SUCH:PV'");
  msg = client_next (client);
  expect_type (msg, "update");
  g_assert_cmpstr (json_object_get_string_member (msg, "pv"), ==, "TEST:ENUM");
  g_clear_pointer (&msg, json_object_unref);
  expect_usable (client);

  /* Oversized (limit 1024 in this fixture). */
  big = g_strdup_printf ("{\"type\":\"echo\",\"body\":\"%0*d\"}", 4000, 0);
  client_send (client, big);
  expect_error (client, "exceeds the limit");
  expect_usable (client);

  /* Binary frames. */
  soup_websocket_connection_send_binary (client->conn, "\x01\x02", 2);
  expect_error (client, "Binary");
  expect_usable (client);

  /* Invalid UTF-8 inside a text frame is rejected by the WebSocket layer
   * itself (close 1007), which is the protocol's rule; not tested here. */

  g_assert_false (client->closed);
  client_free (client);
}

/* A reader that stops reading: the server holds its updates back instead
 * of queueing without bound, and the other sockets are not slowed down. */
static void
test_slow_reader (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketClient) socket_client = g_socket_client_new ();
  g_autoptr(GSocketConnection) raw = NULL;
  g_autoptr(GString) frame = g_string_new (NULL);
  g_autoptr(JsonObject) msg = NULL;
  g_autofree char *big = g_strnfill (64 * 1024, 'x');
  const char *subscribe = "{\"type\":\"subscribe\",\"pvs\":[\"TEST:STRING\"]}";
  const char *handshake =
    "GET /pvws/pv HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
  g_autoptr(GUri) uri = g_uri_parse (fixture->ws_uri, G_URI_FLAGS_NONE, &error);
  GOutputStream *out;
  Client *fast;
  guint fast_updates = 0;
  gint64 until;

  g_assert_no_error (error);

  /* A raw WebSocket client: handshake, one masked frame, then silence. */
  raw = g_socket_client_connect_to_host (socket_client, "127.0.0.1", g_uri_get_port (uri), NULL, &error);
  g_assert_no_error (error);
  out = g_io_stream_get_output_stream (G_IO_STREAM (raw));
  g_output_stream_write_all (out, handshake, strlen (handshake), NULL, NULL, &error);
  g_assert_no_error (error);
  g_string_append_c (frame, (char) 0x81);
  g_string_append_c (frame, (char) (0x80 | strlen (subscribe)));
  g_string_append_len (frame, "\0\0\0\0", 4);   /* mask of zeros: payload as is */
  g_string_append (frame, subscribe);
  g_output_stream_write_all (out, frame->str, frame->len, NULL, NULL, &error);
  g_assert_no_error (error);

  fast = client_new (fixture->ws_uri);
  client_send (fast, subscribe);
  json_object_unref (client_next (fast));

  /* 64 KiB values every period: 1.3 MB/s that the raw socket never reads. */
  until = g_get_monotonic_time () + 6 * G_USEC_PER_SEC;
  for (guint i = 0; g_get_monotonic_time () < until; i++)
    {
      big[0] = 'a' + i % 26;
      nt_pv_table_set_string (fixture->pvs, fixture->pv_string, big, NT_SEVERITY_NONE, now_us ());
      spin_for (PERIOD_MS);
      while (!g_queue_is_empty (&fast->messages))
        {
          json_object_unref (client_next (fast));
          fast_updates++;
        }
    }

  g_test_message ("fast socket: %u updates; held back from the slow one: %" G_GUINT64_FORMAT,
                  fast_updates, nt_pvws_service_get_n_skipped (fixture->service));
  g_assert_cmpuint (nt_pvws_service_get_n_skipped (fixture->service), >, 0);
  /* The fast socket got (nearly) every period's value. */
  g_assert_cmpuint (fast_updates, >, 6000 / PERIOD_MS / 2);

  /* It still works as usual (updates may still be in flight before the pong). */
  client_send (fast, "{\"type\":\"ping\"}");
  for (;;)
    {
      g_autoptr(JsonObject) reply = client_next (fast);

      if (g_strcmp0 (json_object_get_string_member (reply, "type"), "update") != 0)
        {
          expect_type (reply, "pong");
          break;
        }
    }
  client_free (fast);
  g_io_stream_close (G_IO_STREAM (raw), NULL, NULL);
}

/* The whole facility: the simulated ring's PVs over the same socket. */
static void
test_facility_live (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("nt-pvws-XXXXXX", &error);
  g_autofree char *db_path = g_build_filename (dir, "facility.db", NULL);
  g_autoptr(NtFacility) facility = NULL;
  g_autofree char *base = NULL;
  g_autofree char *ws = NULL;
  g_autoptr(JsonObject) msg = NULL;
  g_autoptr(GArray) plan = nt_demo_plan_build (2026);
  g_autoptr(NtClock) clock = NULL;
  gint64 start = 0;
  NtFacilityOptions options = { .db_path = db_path, .seed = 7 };
  Client *client;
  gboolean saw_current_update = FALSE;

  /* Two hours into a user-operation period of the demo plan, so there is
   * stored beam whose reading changes every simulated second. */
  for (guint i = 0; i < plan->len && start == 0; i++)
    {
      const NtPeriodSpan *span = &g_array_index (plan, NtPeriodSpan, i);

      if (span->kind == NT_PERIOD_USER_OPERATION && span->end - span->start > 4 * 3600)
        start = span->start + 2 * 3600;
    }
  g_assert_cmpint (start, >, 0);
  clock = nt_clock_new_scaled (start * G_USEC_PER_SEC, 20);
  options.clock = clock;

  g_assert_no_error (error);
  facility = nt_facility_new (&options, &error);
  g_assert_no_error (error);
  nt_facility_listen (facility, "127.0.0.1", 0, &error);
  g_assert_no_error (error);
  base = nt_facility_dup_base_uri (facility);
  g_assert_true (g_str_has_prefix (base, "http://127.0.0.1:"));
  ws = g_strdup_printf ("ws%spvws/pv", base + 4);

  client = client_new (ws);
  client_send (client, "{\"type\":\"subscribe\",\"pvs\":[\"SR:DCCT:CURRENT\",\"SR:OPS:MODE\"]}");
  msg = client_next (client);
  g_assert_cmpstr (json_object_get_string_member (msg, "pv"), ==, "SR:DCCT:CURRENT");
  g_assert_cmpstr (json_object_get_string_member (msg, "units"), ==, "mA");
  g_assert_true (JSON_NODE_HOLDS_VALUE (json_object_get_member (msg, "value")));
  g_clear_pointer (&msg, json_object_unref);
  msg = client_next (client);
  g_assert_cmpstr (json_object_get_string_member (msg, "pv"), ==, "SR:OPS:MODE");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (msg, "labels")), ==, 6);
  g_clear_pointer (&msg, json_object_unref);

  /* At 20x, the DCCT reading changes (noise, decay) within a second. */
  for (guint i = 0; i < 20 && !saw_current_update; i++)
    {
      msg = client_next (client);
      if (g_strcmp0 (json_object_get_string_member (msg, "pv"), "SR:DCCT:CURRENT") == 0)
        {
          saw_current_update = TRUE;
          g_assert_false (json_object_has_member (msg, "units"));
          g_assert_true (json_object_has_member (msg, "seconds"));
        }
      g_clear_pointer (&msg, json_object_unref);
    }
  g_assert_true (saw_current_update);

  client_free (client);
  nt_facility_shutdown (facility);
  spin_for (20);
  g_assert_finalize_object (g_steal_pointer (&facility));

  g_remove (db_path);
  {
    g_autofree char *wal = g_strconcat (db_path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (db_path, "-shm", NULL);
    g_remove (wal);
    g_remove (shm);
  }
  g_rmdir (dir);
}

/* The ring follows the scheduling store's run plan, also when it changes. */
static void
test_facility_follows_plan (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("nt-pvws-XXXXXX", &error);
  g_autofree char *db_path = g_build_filename (dir, "facility.db", NULL);
  g_autoptr(NtFacility) facility = NULL;
  g_autoptr(GArray) plan = nt_demo_plan_build (2026);
  g_autoptr(JsonObject) msg = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(JsonNode) updated = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(NtScheduleFault) fault = NULL;
  g_autofree char *base = NULL;
  g_autofree char *ws = NULL;
  g_autofree char *id = NULL;
  g_autoptr(NtClock) clock = NULL;
  gint64 start = 0;
  NtFacilityOptions options = { .db_path = db_path, .seed = 7, .mtbf_hours = -1 };
  NtScheduleStore *store;
  NtScheduleQuery query = { 0 };
  NtScheduleActor actor = { "test", NT_ROLE_ADMIN };
  JsonObject *period;
  Client *client;
  gboolean maintenance = FALSE;

  g_assert_no_error (error);
  for (guint i = 0; i < plan->len && start == 0; i++)
    {
      const NtPeriodSpan *span = &g_array_index (plan, NtPeriodSpan, i);

      if (span->kind == NT_PERIOD_MACHINE_STUDY && span->end - span->start > 4 * 3600)
        start = span->start + 2 * 3600;
    }
  clock = nt_clock_new_scaled (start * G_USEC_PER_SEC, 1);
  options.clock = clock;

  facility = nt_facility_new (&options, &error);
  g_assert_no_error (error);
  nt_facility_listen (facility, "127.0.0.1", 0, &error);
  g_assert_no_error (error);
  base = nt_facility_dup_base_uri (facility);
  ws = g_strdup_printf ("ws%spvws/pv", base + 4);

  client = client_new (ws);
  client_send (client, "{\"type\":\"subscribe\",\"pvs\":[\"SR:OPS:MODE\"]}");
  msg = client_next (client);
  g_assert_cmpint (start, >, 0);
  g_assert_cmpstr (json_object_get_string_member (msg, "text"), ==, "Machine study");
  g_clear_pointer (&msg, json_object_unref);

  /* The machine group gives its study time to maintenance (no
   * allocations live in a study period, so the rules allow it). */
  store = nt_schedule_service_get_store (nt_facility_get_schedule_service (facility));
  query.from = nt_ring_sim_get_time (nt_facility_get_ring_sim (facility));
  query.to = query.from + 1;
  query.has_from = query.has_to = TRUE;
  list = nt_schedule_store_list (store, NT_RESOURCE_PERIOD, &query, &fault);
  g_assert_null (fault);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (list), "items")), ==, 1);
  period = json_array_get_object_element (json_object_get_array_member (json_node_get_object (list), "items"), 0);
  g_assert_cmpstr (json_object_get_string_member (period, "kind"), ==, "machine_study");
  id = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (period, "id"));
  body = json_from_string ("{\"kind\":\"maintenance\"}", &error);
  g_assert_no_error (error);
  updated = nt_schedule_store_update (store, NT_RESOURCE_PERIOD, id, json_object_get_string_member (period, "etag"),
                                      body, &actor, &fault);
  if (fault != NULL)
    g_error ("Cannot change the period: %u %s %s", fault->status, fault->code, fault->message);

  /* Within a few simulated seconds the beam is gone and the mode says so. */
  for (guint i = 0; i < 10 && !maintenance; i++)
    {
      msg = client_next (client);
      maintenance = g_strcmp0 (json_object_get_string_member_with_default (msg, "text", ""), "Maintenance") == 0;
      g_clear_pointer (&msg, json_object_unref);
    }
  g_assert_true (maintenance);
  g_assert_cmpfloat (nt_ring_sim_get_current (nt_facility_get_ring_sim (facility)), ==, 0);

  client_free (client);
  nt_facility_shutdown (facility);
  g_clear_object (&facility);
  g_remove (db_path);
  {
    g_autofree char *wal = g_strconcat (db_path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (db_path, "-shm", NULL);
    g_remove (wal);
    g_remove (shm);
  }
  g_rmdir (dir);
}

static void
started_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  NtFacilityThread **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = nt_facility_thread_start_finish (result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (*out);
}

static gboolean
thread_started (gpointer data)
{
  return *(NtFacilityThread **) data != NULL;
}

/* The embedded services: their own thread and main context; this thread's
 * loop only runs the client. */
static void
test_embedded_thread (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("nt-pvws-XXXXXX", &error);
  g_autofree char *db_path = g_build_filename (dir, "embedded.db", NULL);
  NtFacilityOptions options = { .db_path = db_path, .seed = 1 };
  NtFacilityThread *thread = NULL;

  g_assert_no_error (error);

  for (guint round = 0; round < 2; round++)
    {
      g_autofree char *ws = NULL;
      g_autoptr(JsonObject) msg = NULL;
      const char *base;
      Client *client;
      gint64 t0 = g_get_monotonic_time ();

      if (round == 0)
        {
          thread = nt_facility_thread_start_sync (&options, &error);
          g_assert_no_error (error);
        }
      else
        {
          nt_facility_thread_start_async (&options, NULL, started_cb, &thread);
          g_assert_true (spin_until (thread_started, &thread, 10000));
        }
      g_test_message ("round %u: listening after %.0f ms", round, (g_get_monotonic_time () - t0) / 1e3);

      base = nt_facility_thread_get_base_uri (thread);
      g_assert_cmpuint (strlen (nt_facility_thread_get_local_token (thread)), >=, 20);
      g_assert_true (g_str_has_prefix (base, "http://127.0.0.1:"));
      g_assert_true (g_str_has_suffix (base, "/"));
      ws = g_strdup_printf ("ws%spvws/pv", base + 4);

      client = client_new (ws);
      client_send (client, "{\"type\":\"subscribe\",\"pvs\":[\"SR:OPS:MODE\"]}");
      msg = client_next (client);
      g_assert_cmpstr (json_object_get_string_member (msg, "pv"), ==, "SR:OPS:MODE");
      g_assert_cmpstr (json_object_get_string_member (msg, "vtype"), ==, "VEnum");
      g_assert_cmpstr (json_object_get_string_member (msg, "severity"), !=, "UNDEFINED");
      client_free (client);

      nt_facility_thread_stop (g_steal_pointer (&thread));
    }

  /* A database that cannot be opened is an error, not a thread left behind. */
  {
    g_autofree char *bad = g_build_filename (dir, "no", "such", "dir", "x.db", NULL);
    NtFacilityOptions bad_options = { .db_path = bad, .seed = 1 };

    g_assert_null (nt_facility_thread_start_sync (&bad_options, &error));
    g_assert_error (error, NT_DB_ERROR, NT_DB_ERROR_OPEN);
  }

  g_remove (db_path);
  {
    g_autofree char *wal = g_strconcat (db_path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (db_path, "-shm", NULL);
    g_remove (wal);
    g_remove (shm);
  }
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* Every test here runs at a named instant, never at the real date. */
  nt_test_clock_run_from (NT_TEST_USER_OPERATION, 1.0);

  g_test_add ("/pvws/first-update-has-metadata", Fixture, NULL,
              fixture_setup, test_first_update_has_metadata, fixture_teardown);
  g_test_add ("/pvws/later-updates-are-partial", Fixture, NULL,
              fixture_setup, test_later_updates_are_partial, fixture_teardown);
  g_test_add ("/pvws/rate-limit-latest-value", Fixture, NULL,
              fixture_setup, test_rate_limit_latest_value, fixture_teardown);
  g_test_add ("/pvws/two-sockets-and-clear", Fixture, NULL,
              fixture_setup, test_two_sockets_and_clear, fixture_teardown);
  g_test_add ("/pvws/echo-and-ping", Fixture, NULL,
              fixture_setup, test_echo_and_ping, fixture_teardown);
  g_test_add ("/pvws/bad-requests", Fixture, NULL,
              fixture_setup, test_bad_requests, fixture_teardown);
  g_test_add ("/pvws/slow-reader", Fixture, NULL,
              fixture_setup, test_slow_reader, fixture_teardown);
  g_test_add_func ("/pvws/facility-live", test_facility_live);
  g_test_add_func ("/pvws/embedded-thread", test_embedded_thread);
  g_test_add_func ("/pvws/facility-follows-plan", test_facility_follows_plan);

  return g_test_run ();
}
