/* nt-pv-client-connection.c: the PV Web Socket connection of an NtPvClient
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Connecting (with a timeout), the keep-alive echo, losing the connection
 * (every record stale at once) and reconnecting with back-off and jitter,
 * batching subscribe/clear requests onto the wire, and the path every text
 * message takes: parse, dispatch, merge into the records, and one
 * "updates" signal per batch interval.
 */
#define G_LOG_DOMAIN "nt-pv-client"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "nt-clock.h"
#include "nt-client-error.h"
#include "nt-client-private.h"
#include "nt-pv-client-private.h"
#include "nt-model-json.h"

/* Sources go to the context the client was made in, so that a client
 * made in a thread with its own context lives there. */
static GSource *
add_source (NtPvClient  *self,
            guint        interval_ms,
            GSourceFunc  func,
            const char  *name)
{
  GSource *source = interval_ms > 0 ? g_timeout_source_new (interval_ms) : g_idle_source_new ();

  g_source_set_callback (source, func, self, NULL);
  g_source_set_static_name (source, name);
  g_source_attach (source, self->context);

  return source;
}

void
nt_pv_clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

void
nt_pv_subscription_free (gpointer data)
{
  Subscription *sub = data;

  nt_pv_record_unref (sub->record);
  g_free (sub);
}

static void
connect_data_free (ConnectData *data)
{
  g_weak_ref_clear (&data->self);
  g_clear_object (&data->cancellable);
  g_free (data);
}

static void
set_state (NtPvClient        *self,
           NtConnectionState  state,
           const char        *reason)
{
  gboolean reason_changed = g_strcmp0 (self->reason, reason) != 0;

  if (reason_changed)
    {
      g_free (self->reason);
      self->reason = g_strdup (reason);
      g_object_notify_by_pspec (G_OBJECT (self), nt_pv_client_properties[PROP_DISCONNECT_REASON]);
    }

  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), nt_pv_client_properties[PROP_STATE]);
    }
}

static gboolean
batch_cb (gpointer user_data)
{
  NtPvClient *self = user_data;

  g_clear_pointer (&self->batch_source, g_source_unref);
  nt_pv_client_flush_updates (self);

  return G_SOURCE_REMOVE;
}

static void
mark_changed (NtPvClient *self,
              const char *name)
{
  if (!g_hash_table_contains (self->changed, name))
    g_hash_table_add (self->changed, g_strdup (name));

  if (self->batch_source == NULL)
    self->batch_source = add_source (self, self->batch_ms, batch_cb, "[nt-pv-client] batch");
}

static void
protocol_error (NtPvClient *self,
                const char *message)
{
  self->n_protocol_errors++;
  g_debug ("%s: %s", self->uri, message);
  g_signal_emit (self, nt_pv_client_signals[PROTOCOL_ERROR], 0, message);
}

static void
send_json (NtPvClient *self,
           JsonNode   *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  /* Closing (the peer's close frame came first): "closed" follows. */
  if (self->conn == NULL ||
      soup_websocket_connection_get_state (self->conn) != SOUP_WEBSOCKET_STATE_OPEN)
    return;

  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  soup_websocket_connection_send_text (self->conn, text);
  self->last_tx = g_get_monotonic_time ();
}

static void
send_names (NtPvClient *self,
            const char *type,
            GHashTable *names)
{
  GHashTableIter iter;
  gpointer key;
  guint n = 0;
  g_autoptr(JsonBuilder) builder = NULL;

  g_hash_table_iter_init (&iter, names);
  while (TRUE)
    {
      gboolean more = g_hash_table_iter_next (&iter, &key, NULL);

      if (more && builder == NULL)
        {
          builder = json_builder_new_immutable ();
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "type");
          json_builder_add_string_value (builder, type);
          json_builder_set_member_name (builder, "pvs");
          json_builder_begin_array (builder);
          n = 0;
        }

      if (more)
        {
          json_builder_add_string_value (builder, key);
          n++;
        }

      if (builder != NULL && (!more || n == MAX_PVS_PER_REQUEST))
        {
          g_autoptr(JsonNode) root = NULL;

          json_builder_end_array (builder);
          json_builder_end_object (builder);
          root = json_builder_get_root (builder);
          send_json (self, root);
          g_clear_object (&builder);
        }

      if (!more)
        break;
    }

  g_hash_table_remove_all (names);
}

static void
flush_requests (NtPvClient *self)
{
  if (self->state != NT_CONNECTION_CONNECTED || self->conn == NULL ||
      soup_websocket_connection_get_state (self->conn) != SOUP_WEBSOCKET_STATE_OPEN)
    return;

  /* Clears first: a PV cleared and subscribed again in the same turn
   * must come back with its metadata. */
  send_names (self, "clear", self->to_clear);
  send_names (self, "subscribe", self->to_subscribe);
}

static gboolean
flush_requests_cb (gpointer user_data)
{
  NtPvClient *self = user_data;

  g_clear_pointer (&self->flush_source, g_source_unref);
  flush_requests (self);

  return G_SOURCE_REMOVE;
}

void
nt_pv_client_schedule_flush_requests (NtPvClient *self)
{
  if (self->flush_source == NULL && self->state == NT_CONNECTION_CONNECTED)
    self->flush_source = add_source (self, 0, flush_requests_cb, "[nt-pv-client] requests");
}

static void
stop_keepalive (NtPvClient *self)
{
  nt_pv_clear_source (&self->keepalive_source);
}

void
nt_pv_client_drop_connection (NtPvClient *self)
{
  stop_keepalive (self);
  nt_client_close_socket (&self->conn, self);
}

static gboolean
reconnect_cb (gpointer user_data)
{
  NtPvClient *self = user_data;

  g_clear_pointer (&self->reconnect_source, g_source_unref);
  self->next_attempt_at = 0;
  nt_pv_client_begin_connect (self);

  return G_SOURCE_REMOVE;
}

static void
schedule_reconnect (NtPvClient *self)
{
  nt_pv_clear_source (&self->reconnect_source);

  self->next_delay_ms = nt_client_backoff_ms (self->attempt, self->reconnect_min_ms, self->reconnect_max_ms, self->rand);
  self->attempt++;
  self->next_attempt_at = g_get_monotonic_time () + (gint64)self->next_delay_ms * 1000;
  self->reconnect_source = add_source (self, self->next_delay_ms, reconnect_cb, "[nt-pv-client] reconnect");

  g_debug ("%s: reconnecting in %u ms (attempt %u)", self->uri, self->next_delay_ms, self->attempt);
}

/* The connection is gone, or never came: every record is stale from now on. */
void
nt_pv_client_lose_connection (NtPvClient *self,
                 const char *reason)
{
  GHashTableIter iter;
  gpointer key, value;
  gboolean was_connected = self->state == NT_CONNECTION_CONNECTED;

  nt_pv_client_drop_connection (self);
  g_clear_pointer (&self->pending_reason, g_free);
  nt_pv_clear_source (&self->flush_source);

  if (was_connected)
    {
      /* Data may be missing from the last message heard on: for a peer
       * that stopped answering that is before the loss was noticed. */
      self->lost_at = MIN (self->last_rx_real, nt_clock_now_us ());
      g_object_notify_by_pspec (G_OBJECT (self), nt_pv_client_properties[PROP_LOST_AT]);
    }

  g_hash_table_iter_init (&iter, self->subscriptions);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Subscription *sub = value;

      if (nt_pv_record_get_state (sub->record) != NT_PV_STATE_DISCONNECTED)
        {
          nt_pv_record_set_state (sub->record, NT_PV_STATE_DISCONNECTED, NULL);
          mark_changed (self, key);
        }
    }

  if (self->started)
    schedule_reconnect (self);

  set_state (self, NT_CONNECTION_DISCONNECTED, reason);
}

static void
message_cb (SoupWebsocketConnection *conn,
            int                      type,
            GBytes                  *message,
            gpointer                 user_data)
{
  NtPvClient *self = user_data;
  const char *data;
  gsize len;

  self->last_rx = g_get_monotonic_time ();
  self->last_rx_real = nt_clock_now_us ();

  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    {
      protocol_error (self, _("The live-value server sent a binary message; only text is expected."));
      return;
    }

  data = g_bytes_get_data (message, &len);
  nt_pv_client_handle_message (self, data, len);
}

static void
error_cb (SoupWebsocketConnection *conn,
          GError                  *error,
          gpointer                 user_data)
{
  NtPvClient *self = user_data;

  g_debug ("%s: %s", self->uri, error->message);
  if (self->pending_reason == NULL)
    self->pending_reason = g_strdup (error->message);
}

static void
closed_cb (SoupWebsocketConnection *conn,
           gpointer                 user_data)
{
  NtPvClient *self = user_data;
  g_autofree char *reason = NULL;
  gushort code = soup_websocket_connection_get_close_code (conn);
  const char *data = soup_websocket_connection_get_close_data (conn);

  if (self->pending_reason != NULL)
    reason = g_strdup_printf (_("The connection to the live-value server broke (%s)."),
                              self->pending_reason);
  else if (data != NULL && data[0] != '\0')
    reason = g_strdup_printf (_("The live-value server closed the connection (%s)."), data);
  else if (code != 0)
    reason = g_strdup_printf (_("The live-value server closed the connection (code %u)."), code);
  else
    reason = g_strdup (_("The connection to the live-value server was lost."));

  nt_pv_client_lose_connection (self, reason);
}

static gboolean
keepalive_cb (gpointer user_data)
{
  NtPvClient *self = user_data;
  gint64 now = g_get_monotonic_time ();
  gint64 quiet_ms = (now - self->last_rx) / 1000;

  if (quiet_ms > self->keepalive_timeout_ms)
    {
      g_autofree char *reason =
        g_strdup_printf (_("The live-value server stopped answering (nothing heard for %.1f s)."),
                         quiet_ms / 1000.0);

      g_clear_pointer (&self->keepalive_source, g_source_unref);
      nt_pv_client_lose_connection (self, reason);
      return G_SOURCE_REMOVE;
    }

  /* Only ask when the line is quiet: any message proves the peer alive. */
  if (quiet_ms >= self->keepalive_ms && (now - self->last_tx) / 1000 >= self->keepalive_ms / 2)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *body = g_strdup_printf ("keepalive %" G_GUINT64_FORMAT, ++self->echo_seq);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, "echo");
      json_builder_set_member_name (builder, "body");
      json_builder_add_string_value (builder, body);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      send_json (self, root);
    }

  return G_SOURCE_CONTINUE;
}

void
nt_pv_client_start_keepalive (NtPvClient *self)
{
  guint tick = MAX (10, MIN (self->keepalive_ms, self->keepalive_timeout_ms) / 2);

  stop_keepalive (self);
  self->keepalive_source = add_source (self, tick, keepalive_cb, "[nt-pv-client] keep-alive");
}

static gboolean
connect_timeout_cb (gpointer user_data)
{
  NtPvClient *self = user_data;

  g_clear_pointer (&self->connect_timeout_source, g_source_unref);
  self->connect_timed_out = TRUE;
  g_cancellable_cancel (self->connect_cancellable);

  return G_SOURCE_REMOVE;
}

static void
connected (NtPvClient              *self,
           SoupWebsocketConnection *conn)
{
  GHashTableIter iter;
  gpointer key, value;
  gint64 lost_at = self->lost_at;

  self->conn = conn;
  self->attempt = 0;
  self->next_delay_ms = 0;
  self->last_rx = self->last_tx = g_get_monotonic_time ();
  self->last_rx_real = nt_clock_now_us ();

  /* Arrays come base64-packed in one message; allow big ones. */
  soup_websocket_connection_set_max_incoming_payload_size (conn, MAX_MESSAGE_BYTES);

  g_signal_connect (conn, "message", G_CALLBACK (message_cb), self);
  g_signal_connect (conn, "error", G_CALLBACK (error_cb), self);
  g_signal_connect (conn, "closed", G_CALLBACK (closed_cb), self);

  /* Subscriptions belong to a socket: ask for everything again.  Each PV
   * waits for its first update, which brings its metadata again. */
  g_hash_table_remove_all (self->to_clear);
  g_hash_table_iter_init (&iter, self->subscriptions);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Subscription *sub = value;

      g_hash_table_add (self->to_subscribe, g_strdup (key));
      if (nt_pv_record_get_state (sub->record) != NT_PV_STATE_WAITING)
        {
          nt_pv_record_set_state (sub->record, NT_PV_STATE_WAITING, NULL);
          mark_changed (self, key);
        }
    }

  nt_pv_client_start_keepalive (self);
  set_state (self, NT_CONNECTION_CONNECTED, NULL);
  nt_pv_clear_source (&self->flush_source);
  flush_requests (self);

  if (lost_at != 0 && self->state == NT_CONNECTION_CONNECTED)
    {
      gint64 restored_at = nt_clock_now_us ();

      self->lost_at = 0;
      g_object_notify_by_pspec (G_OBJECT (self), nt_pv_client_properties[PROP_LOST_AT]);
      g_signal_emit (self, nt_pv_client_signals[GAP], 0, lost_at, restored_at);
    }
}

static void
connect_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  ConnectData *data = user_data;
  g_autoptr(NtPvClient) self = g_weak_ref_get (&data->self);
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupWebsocketConnection) conn = NULL;

  conn = soup_session_websocket_connect_finish (SOUP_SESSION (object), result, &error);

  if (self == NULL || data->cancellable != self->connect_cancellable)
    {
      /* Stopped, restarted or finalized meanwhile: not ours any more. */
      if (conn != NULL)
        soup_websocket_connection_close (conn, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
      connect_data_free (data);
      return;
    }

  connect_data_free (data);
  nt_pv_clear_source (&self->connect_timeout_source);
  g_clear_object (&self->connect_cancellable);

  if (conn == NULL)
    {
      g_autofree char *reason = NULL;

      if (self->connect_timed_out)
        reason = g_strdup (_("The live-value server did not answer in time."));
      else
        reason = g_strdup_printf (_("Could not connect to the live-value server (%s)."),
                                  error->message);
      nt_pv_client_lose_connection (self, reason);
      return;
    }

  connected (self, g_steal_pointer (&conn));
}

void
nt_pv_client_begin_connect (NtPvClient *self)
{
  g_autoptr(SoupMessage) msg = NULL;
  ConnectData *data;

  nt_pv_clear_source (&self->reconnect_source);
  self->next_attempt_at = 0;

  if (self->connect_cancellable != NULL || self->conn != NULL)
    return;

  msg = soup_message_new (SOUP_METHOD_GET, self->uri);
  if (msg == NULL)
    {
      g_autofree char *reason =
        g_strdup_printf (_("“%s” is not a live-value server address. Check the facility profile."),
                         self->uri);

      self->started = FALSE;
      set_state (self, NT_CONNECTION_DISCONNECTED, reason);
      return;
    }

  self->connect_cancellable = g_cancellable_new ();
  self->connect_timed_out = FALSE;
  self->connect_timeout_source = add_source (self, CONNECT_TIMEOUT_MS, connect_timeout_cb,
                                             "[nt-pv-client] connect timeout");

  data = g_new0 (ConnectData, 1);
  g_weak_ref_init (&data->self, self);
  data->cancellable = g_object_ref (self->connect_cancellable);

  set_state (self, NT_CONNECTION_CONNECTING, self->reason);

  soup_session_websocket_connect_async (self->session, msg, NULL, NULL,
                                        G_PRIORITY_DEFAULT, self->connect_cancellable,
                                        connect_cb, data);
}

static void
handle_update (NtPvClient *self,
               JsonObject *obj)
{
  g_autoptr(GError) error = NULL;
  JsonNode *pv_node = json_object_get_member (obj, "pv");
  Subscription *sub;
  const char *pv;

  if (pv_node == NULL || json_node_get_value_type (pv_node) != G_TYPE_STRING)
    {
      protocol_error (self, _("The live-value server sent an update without a PV name."));
      return;
    }

  pv = json_node_get_string (pv_node);
  sub = g_hash_table_lookup (self->subscriptions, pv);
  if (sub == NULL)
    return;   /* cleared meanwhile */

  if (!nt_pv_record_merge (sub->record, obj, &error))
    {
      protocol_error (self, error->message);
      return;
    }

  mark_changed (self, nt_pv_record_get_name (sub->record));
}

static void
handle_error (NtPvClient *self,
              JsonObject *obj)
{
  JsonNode *message_node = json_object_get_member (obj, "message");
  JsonNode *pv_node = json_object_get_member (obj, "pv");
  const char *message = NULL;

  if (message_node != NULL && json_node_get_value_type (message_node) == G_TYPE_STRING)
    message = json_node_get_string (message_node);
  if (message == NULL)
    message = _("The live-value server reported an error without a message.");

  if (pv_node != NULL && json_node_get_value_type (pv_node) == G_TYPE_STRING)
    {
      Subscription *sub = g_hash_table_lookup (self->subscriptions, json_node_get_string (pv_node));

      if (sub != NULL)
        {
          nt_pv_record_set_state (sub->record, NT_PV_STATE_FAILED, message);
          mark_changed (self, nt_pv_record_get_name (sub->record));
        }
    }

  g_debug ("%s: server error: %s", self->uri, message);
  g_signal_emit (self, nt_pv_client_signals[SERVER_ERROR], 0, message);
}

/**
 * nt_pv_client_handle_message: (skip)
 *
 * The path every text message of the socket takes: parse, dispatch, merge.
 */
void
nt_pv_client_handle_message (NtPvClient *self,
                             const char *data,
                             gsize       len)
{
  g_autoptr(GError) error = NULL;
  JsonNode *root;
  JsonNode *type_node;
  JsonObject *obj;
  const char *type;

  self->n_messages++;

  if (!nt_json_load_one (self->parser, data, len, &error))
    {
      g_autofree char *msg =
        g_strdup_printf (_("The live-value server sent a message that is not JSON (%s)."),
                         error->message);
      protocol_error (self, msg);
      return;
    }

  root = json_parser_get_root (self->parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      protocol_error (self, _("The live-value server sent a message that is not a JSON object."));
      return;
    }

  obj = json_node_get_object (root);
  type_node = json_object_get_member (obj, "type");
  if (type_node == NULL || json_node_get_value_type (type_node) != G_TYPE_STRING)
    {
      protocol_error (self, _("The live-value server sent a message without a type."));
      return;
    }

  type = json_node_get_string (type_node);
  if (g_str_equal (type, "update"))
    handle_update (self, obj);
  else if (g_str_equal (type, "error"))
    handle_error (self, obj);
  else if (g_str_equal (type, "echo") || g_str_equal (type, "pong"))
    ;   /* keep-alive answers: last_rx is all they are for */
  else
    g_debug ("%s: ignoring a message of type “%s”", self->uri, type);
}

/**
 * nt_pv_client_flush_updates: (skip)
 *
 * Emits "updates" now with what changed since the last batch.
 */
void
nt_pv_client_flush_updates (NtPvClient *self)
{
  g_auto(GStrv) names = NULL;

  nt_pv_clear_source (&self->batch_source);

  if (g_hash_table_size (self->changed) == 0)
    return;

  names = (GStrv)g_hash_table_get_keys_as_array (self->changed, NULL);
  g_hash_table_steal_all (self->changed);

  g_signal_emit (self, nt_pv_client_signals[UPDATES], 0, names);
}

guint64
nt_pv_client_get_n_messages (NtPvClient *self)
{
  return self->n_messages;
}

guint64
nt_pv_client_get_n_protocol_errors (NtPvClient *self)
{
  return self->n_protocol_errors;
}

/* The delay chosen for the scheduled reconnect, 0 if none. */
guint
nt_pv_client_get_next_delay_ms (NtPvClient *self)
{
  return self->reconnect_source != NULL ? self->next_delay_ms : 0;
}
