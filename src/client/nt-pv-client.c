/* nt-pv-client.c: live values over one PV Web Socket connection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One SoupWebsocketConnection to a PVWS server (the reference services or
 * an EPICS pvws).  Updates are merged into one NtPvRecord per PV as they
 * arrive; the views hear about them once per batch interval through the
 * "updates" signal, never once per message.  When the connection is lost
 * every record turns stale at once, the client reconnects with exponential
 * back-off and jitter, subscribes again, and reports the gap.  A keep-alive
 * (PVWS "echo" when the line is quiet) finds a peer that stopped answering
 * even if its TCP connection stays open.
 */
#define G_LOG_DOMAIN "nt-pv-client"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "nt-clock.h"
#include "nt-client-error.h"
#include "nt-pv-client.h"
#include "nt-pv-client-private.h"

#define DEFAULT_RECONNECT_MIN_MS   500
#define DEFAULT_RECONNECT_MAX_MS   30000
#define DEFAULT_KEEPALIVE_MS       500
#define DEFAULT_KEEPALIVE_TIMEOUT  1500
#define DEFAULT_BATCH_MS           50
#define CONNECT_TIMEOUT_MS         10000
#define MAX_PVS_PER_REQUEST        200
#define MAX_MESSAGE_BYTES          (16 * 1024 * 1024)

typedef struct
{
  NtPvRecord *record;
  guint       refs;
} Subscription;

struct _NtPvClient
{
  GObject                  parent_instance;

  char                    *uri;
  GMainContext            *context;          /* thread-default at creation */
  SoupSession             *session;
  SoupWebsocketConnection *conn;
  GCancellable            *connect_cancellable;
  GSource                 *connect_timeout_source;
  gboolean                 connect_timed_out;
  gboolean                 started;

  NtConnectionState        state;
  char                    *reason;
  char                    *pending_reason;
  gint64                   lost_at;          /* real time, 0 if not lost */

  GHashTable              *subscriptions;    /* name -> Subscription */
  GHashTable              *to_subscribe;     /* names to send */
  GHashTable              *to_clear;         /* names to send */
  GSource                 *flush_source;

  GHashTable              *changed;          /* names changed since last batch */
  GSource                 *batch_source;
  guint                    batch_ms;

  GSource                 *reconnect_source;
  guint                    attempt;
  guint                    next_delay_ms;
  gint64                   next_attempt_at;  /* monotonic */
  guint                    reconnect_min_ms;
  guint                    reconnect_max_ms;
  GRand                   *rand;

  GSource                 *keepalive_source;
  guint                    keepalive_ms;
  guint                    keepalive_timeout_ms;
  gint64                   last_rx;          /* monotonic */
  gint64                   last_rx_real;     /* real time of the same */
  gint64                   last_tx;          /* monotonic */
  guint64                  echo_seq;

  JsonParser              *parser;
  guint64                  n_messages;
  guint64                  n_protocol_errors;
};

G_DEFINE_FINAL_TYPE (NtPvClient, nt_pv_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_URI,
  PROP_STATE,
  PROP_DISCONNECT_REASON,
  PROP_LOST_AT,
  N_PROPS
};

enum {
  UPDATES,
  GAP,
  SERVER_ERROR,
  PROTOCOL_ERROR,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

typedef struct
{
  GWeakRef      self;
  GCancellable *cancellable;
} ConnectData;

static void begin_connect     (NtPvClient *self);
static void lose_connection   (NtPvClient *self,
                               const char *reason);

GType
nt_connection_state_get_type (void)
{
  static gsize type_id = 0;
  static const GEnumValue values[] = {
    { NT_CONNECTION_DISCONNECTED, "NT_CONNECTION_DISCONNECTED", "disconnected" },
    { NT_CONNECTION_CONNECTING, "NT_CONNECTION_CONNECTING", "connecting" },
    { NT_CONNECTION_CONNECTED, "NT_CONNECTION_CONNECTED", "connected" },
    { 0, NULL, NULL }
  };

  if (g_once_init_enter (&type_id))
    {
      GType t = g_enum_register_static (g_intern_static_string ("NtConnectionState"), values);
      g_once_init_leave (&type_id, t);
    }

  return type_id;
}

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

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static void
subscription_free (gpointer data)
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
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DISCONNECT_REASON]);
    }

  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
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
  g_signal_emit (self, signals[PROTOCOL_ERROR], 0, message);
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

static void
schedule_flush_requests (NtPvClient *self)
{
  if (self->flush_source == NULL && self->state == NT_CONNECTION_CONNECTED)
    self->flush_source = add_source (self, 0, flush_requests_cb, "[nt-pv-client] requests");
}

static void
stop_keepalive (NtPvClient *self)
{
  clear_source (&self->keepalive_source);
}

static void
drop_connection (NtPvClient *self)
{
  g_autoptr(SoupWebsocketConnection) conn = g_steal_pointer (&self->conn);

  stop_keepalive (self);

  if (conn == NULL)
    return;

  g_signal_handlers_disconnect_by_data (conn, self);
  if (soup_websocket_connection_get_state (conn) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (conn, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
}

static guint
next_backoff_ms (NtPvClient *self)
{
  guint64 delay = self->reconnect_min_ms;
  double jittered;

  for (guint i = 0; i < self->attempt && delay < self->reconnect_max_ms; i++)
    delay *= 2;
  delay = MIN (delay, self->reconnect_max_ms);

  /* "Equal jitter": half the delay fixed, half random, so that consoles
   * that lost the same server do not all come back at the same moment. */
  jittered = delay / 2.0 + g_rand_double (self->rand) * (delay / 2.0);

  return MAX (1, (guint)jittered);
}

static gboolean
reconnect_cb (gpointer user_data)
{
  NtPvClient *self = user_data;

  g_clear_pointer (&self->reconnect_source, g_source_unref);
  self->next_attempt_at = 0;
  begin_connect (self);

  return G_SOURCE_REMOVE;
}

static void
schedule_reconnect (NtPvClient *self)
{
  clear_source (&self->reconnect_source);

  self->next_delay_ms = next_backoff_ms (self);
  self->attempt++;
  self->next_attempt_at = g_get_monotonic_time () + (gint64)self->next_delay_ms * 1000;
  self->reconnect_source = add_source (self, self->next_delay_ms, reconnect_cb, "[nt-pv-client] reconnect");

  g_debug ("%s: reconnecting in %u ms (attempt %u)", self->uri, self->next_delay_ms, self->attempt);
}

/* The connection is gone, or never came: every record is stale from now on. */
static void
lose_connection (NtPvClient *self,
                 const char *reason)
{
  GHashTableIter iter;
  gpointer key, value;
  gboolean was_connected = self->state == NT_CONNECTION_CONNECTED;

  drop_connection (self);
  g_clear_pointer (&self->pending_reason, g_free);
  clear_source (&self->flush_source);

  if (was_connected)
    {
      /* Data may be missing from the last message heard on: for a peer
       * that stopped answering that is before the loss was noticed. */
      self->lost_at = MIN (self->last_rx_real, nt_clock_now_us ());
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOST_AT]);
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

  lose_connection (self, reason);
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
      lose_connection (self, reason);
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

static void
start_keepalive (NtPvClient *self)
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

  start_keepalive (self);
  set_state (self, NT_CONNECTION_CONNECTED, NULL);
  clear_source (&self->flush_source);
  flush_requests (self);

  if (lost_at != 0 && self->state == NT_CONNECTION_CONNECTED)
    {
      gint64 restored_at = nt_clock_now_us ();

      self->lost_at = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOST_AT]);
      g_signal_emit (self, signals[GAP], 0, lost_at, restored_at);
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
  clear_source (&self->connect_timeout_source);
  g_clear_object (&self->connect_cancellable);

  if (conn == NULL)
    {
      g_autofree char *reason = NULL;

      if (self->connect_timed_out)
        reason = g_strdup (_("The live-value server did not answer in time."));
      else
        reason = g_strdup_printf (_("Could not connect to the live-value server (%s)."),
                                  error->message);
      lose_connection (self, reason);
      return;
    }

  connected (self, g_steal_pointer (&conn));
}

static void
begin_connect (NtPvClient *self)
{
  g_autoptr(SoupMessage) msg = NULL;
  ConnectData *data;

  clear_source (&self->reconnect_source);
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
  g_signal_emit (self, signals[SERVER_ERROR], 0, message);
}

static void
nt_pv_client_dispose (GObject *object)
{
  NtPvClient *self = (NtPvClient *)object;

  self->started = FALSE;
  clear_source (&self->reconnect_source);
  clear_source (&self->connect_timeout_source);
  clear_source (&self->batch_source);
  clear_source (&self->flush_source);
  if (self->connect_cancellable != NULL)
    g_cancellable_cancel (self->connect_cancellable);
  g_clear_object (&self->connect_cancellable);
  drop_connection (self);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (nt_pv_client_parent_class)->dispose (object);
}

static void
nt_pv_client_finalize (GObject *object)
{
  NtPvClient *self = (NtPvClient *)object;

  g_clear_pointer (&self->uri, g_free);
  g_clear_pointer (&self->reason, g_free);
  g_clear_pointer (&self->pending_reason, g_free);
  g_clear_pointer (&self->subscriptions, g_hash_table_unref);
  g_clear_pointer (&self->to_subscribe, g_hash_table_unref);
  g_clear_pointer (&self->to_clear, g_hash_table_unref);
  g_clear_pointer (&self->changed, g_hash_table_unref);
  g_clear_pointer (&self->rand, g_rand_free);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_object (&self->parser);

  G_OBJECT_CLASS (nt_pv_client_parent_class)->finalize (object);
}

static void
nt_pv_client_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  NtPvClient *self = NT_PV_CLIENT (object);

  switch (prop_id)
    {
    case PROP_URI:
      g_value_set_string (value, self->uri);
      break;

    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_DISCONNECT_REASON:
      g_value_set_string (value, self->reason);
      break;

    case PROP_LOST_AT:
      g_value_set_int64 (value, self->lost_at);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nt_pv_client_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  NtPvClient *self = NT_PV_CLIENT (object);

  switch (prop_id)
    {
    case PROP_URI:
      self->uri = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nt_pv_client_class_init (NtPvClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = nt_pv_client_dispose;
  object_class->finalize = nt_pv_client_finalize;
  object_class->get_property = nt_pv_client_get_property;
  object_class->set_property = nt_pv_client_set_property;

  /**
   * NtPvClient:uri:
   *
   * The ws:// or wss:// address of the PV Web Socket endpoint.
   */
  properties[PROP_URI] =
    g_param_spec_string ("uri", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       NT_TYPE_CONNECTION_STATE, NT_CONNECTION_DISCONNECTED,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * NtPvClient:disconnect-reason:
   *
   * Why the client is disconnected (or why the last attempt failed), for
   * a person to read; %NULL while connected.
   */
  properties[PROP_DISCONNECT_REASON] =
    g_param_spec_string ("disconnect-reason", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * NtPvClient:lost-at:
   *
   * When the connection was lost (real time, Unix microseconds): the time
   * of the last message heard, from which data may be missing; 0 while
   * connected or before the first connection.
   */
  properties[PROP_LOST_AT] =
    g_param_spec_int64 ("lost-at", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * NtPvClient::updates:
   * @names: the names of the PVs whose records changed
   *
   * Emitted at most once per batch interval with every PV that changed
   * (value, metadata or state) since the last emission.
   */
  signals[UPDATES] =
    g_signal_new ("updates", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRV);

  /**
   * NtPvClient::gap:
   * @lost_at: the last message heard before the loss (Unix microseconds)
   * @restored_at: when it came back (Unix microseconds)
   *
   * Emitted after a reconnect, so the views can refill that span of
   * history from the archive.
   */
  signals[GAP] =
    g_signal_new ("gap", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_INT64);

  /**
   * NtPvClient::server-error:
   * @message: the server's message
   *
   * The server answered a request with an error message.
   */
  signals[SERVER_ERROR] =
    g_signal_new ("server-error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * NtPvClient::protocol-error:
   * @message: what was wrong
   *
   * The server sent a message this client could not use; it was dropped.
   */
  signals[PROTOCOL_ERROR] =
    g_signal_new ("protocol-error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
nt_pv_client_init (NtPvClient *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->session = soup_session_new_with_options ("user-agent", PACKAGE_NAME "/" PACKAGE_VERSION " ",
                                                 NULL);
  self->subscriptions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, subscription_free);
  self->to_subscribe = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->to_clear = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->changed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->rand = g_rand_new ();
  self->parser = json_parser_new_immutable ();
  self->state = NT_CONNECTION_DISCONNECTED;
  self->reconnect_min_ms = DEFAULT_RECONNECT_MIN_MS;
  self->reconnect_max_ms = DEFAULT_RECONNECT_MAX_MS;
  self->keepalive_ms = DEFAULT_KEEPALIVE_MS;
  self->keepalive_timeout_ms = DEFAULT_KEEPALIVE_TIMEOUT;
  self->batch_ms = DEFAULT_BATCH_MS;
}

/**
 * nt_pv_client_new:
 * @uri: the ws:// or wss:// address of the PVWS endpoint, e.g. from
 *   nt_facility_profile_dup_live_uri()
 *
 * Creates a client; it connects on nt_pv_client_start().
 *
 * Returns: (transfer full): a new client
 */
NtPvClient *
nt_pv_client_new (const char *uri)
{
  g_return_val_if_fail (uri != NULL, NULL);

  return g_object_new (NT_TYPE_PV_CLIENT, "uri", uri, NULL);
}

/**
 * nt_pv_client_start:
 *
 * Connects, and from then on stays connected: reconnects by itself until
 * nt_pv_client_stop().
 */
void
nt_pv_client_start (NtPvClient *self)
{
  g_return_if_fail (NT_IS_PV_CLIENT (self));

  if (self->started)
    return;

  self->started = TRUE;
  self->attempt = 0;
  begin_connect (self);
}

/**
 * nt_pv_client_stop:
 *
 * Closes the connection and stops reconnecting; records turn stale.
 */
void
nt_pv_client_stop (NtPvClient *self)
{
  g_return_if_fail (NT_IS_PV_CLIENT (self));

  if (!self->started)
    return;

  self->started = FALSE;
  clear_source (&self->reconnect_source);
  clear_source (&self->connect_timeout_source);
  self->next_attempt_at = 0;
  if (self->connect_cancellable != NULL)
    g_cancellable_cancel (self->connect_cancellable);
  g_clear_object (&self->connect_cancellable);

  lose_connection (self, _("Disconnected from the live-value server."));
}

/**
 * nt_pv_client_reconnect_now:
 *
 * Skips the rest of the back-off delay (a "Retry now" button).
 */
void
nt_pv_client_reconnect_now (NtPvClient *self)
{
  g_return_if_fail (NT_IS_PV_CLIENT (self));

  if (!self->started || self->reconnect_source == NULL)
    return;

  self->attempt = 0;
  begin_connect (self);
}

/**
 * nt_pv_client_subscribe:
 * @name: a PV name
 *
 * Subscribes to @name, or adds a reference to an existing subscription:
 * call nt_pv_client_unsubscribe() once for each call of this.
 *
 * Returns: (transfer none): the PV's record, valid while subscribed
 */
NtPvRecord *
nt_pv_client_subscribe (NtPvClient *self,
                        const char *name)
{
  Subscription *sub;

  g_return_val_if_fail (NT_IS_PV_CLIENT (self), NULL);
  g_return_val_if_fail (name != NULL && name[0] != '\0', NULL);

  sub = g_hash_table_lookup (self->subscriptions, name);
  if (sub != NULL)
    {
      sub->refs++;
      return sub->record;
    }

  sub = g_new0 (Subscription, 1);
  sub->record = nt_pv_record_new (name);
  sub->refs = 1;
  if (self->state != NT_CONNECTION_CONNECTED)
    nt_pv_record_set_state (sub->record, NT_PV_STATE_DISCONNECTED, NULL);
  g_hash_table_insert (self->subscriptions, g_strdup (name), sub);

  if (self->state == NT_CONNECTION_CONNECTED)
    {
      g_hash_table_add (self->to_subscribe, g_strdup (name));
      schedule_flush_requests (self);
    }

  return sub->record;
}

/**
 * nt_pv_client_unsubscribe:
 * @name: a PV name given to nt_pv_client_subscribe()
 *
 * Drops one reference; the last one clears the subscription on the server.
 */
void
nt_pv_client_unsubscribe (NtPvClient *self,
                          const char *name)
{
  Subscription *sub;

  g_return_if_fail (NT_IS_PV_CLIENT (self));
  g_return_if_fail (name != NULL);

  sub = g_hash_table_lookup (self->subscriptions, name);
  g_return_if_fail (sub != NULL);

  if (--sub->refs > 0)
    return;

  g_hash_table_remove (self->changed, name);
  if (!g_hash_table_remove (self->to_subscribe, name) &&
      self->state == NT_CONNECTION_CONNECTED)
    {
      g_hash_table_add (self->to_clear, g_strdup (name));
      schedule_flush_requests (self);
    }
  g_hash_table_remove (self->subscriptions, name);
}

/**
 * nt_pv_client_lookup:
 *
 * Returns: (transfer none) (nullable): the record of a subscribed PV
 */
NtPvRecord *
nt_pv_client_lookup (NtPvClient *self,
                     const char *name)
{
  Subscription *sub;

  g_return_val_if_fail (NT_IS_PV_CLIENT (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  sub = g_hash_table_lookup (self->subscriptions, name);
  return sub != NULL ? sub->record : NULL;
}

/**
 * nt_pv_client_dup_subscriptions:
 *
 * Returns: (transfer full): the subscribed PV names
 */
char **
nt_pv_client_dup_subscriptions (NtPvClient *self)
{
  g_autofree char **keys = NULL;

  g_return_val_if_fail (NT_IS_PV_CLIENT (self), NULL);

  keys = (char **)g_hash_table_get_keys_as_array (self->subscriptions, NULL);
  return g_strdupv (keys);
}

const char *
nt_pv_client_get_uri (NtPvClient *self)
{
  g_return_val_if_fail (NT_IS_PV_CLIENT (self), NULL);

  return self->uri;
}

NtConnectionState
nt_pv_client_get_state (NtPvClient *self)
{
  g_return_val_if_fail (NT_IS_PV_CLIENT (self), NT_CONNECTION_DISCONNECTED);

  return self->state;
}

/**
 * nt_pv_client_get_disconnect_reason:
 *
 * Returns: (nullable): why the client is not connected, for a person
 */
const char *
nt_pv_client_get_disconnect_reason (NtPvClient *self)
{
  g_return_val_if_fail (NT_IS_PV_CLIENT (self), NULL);

  return self->state == NT_CONNECTION_CONNECTED ? NULL : self->reason;
}

/**
 * nt_pv_client_get_lost_at:
 *
 * Returns: when the connection was lost (Unix microseconds), or 0
 */
gint64
nt_pv_client_get_lost_at (NtPvClient *self)
{
  g_return_val_if_fail (NT_IS_PV_CLIENT (self), 0);

  return self->lost_at;
}

/**
 * nt_pv_client_get_reconnect_seconds:
 *
 * For "Reconnecting in 3 s…": poll it once a second while disconnected.
 *
 * Returns: whole seconds (rounded up) until the next attempt, or -1 if
 *   none is scheduled
 */
int
nt_pv_client_get_reconnect_seconds (NtPvClient *self)
{
  gint64 left;

  g_return_val_if_fail (NT_IS_PV_CLIENT (self), -1);

  if (self->reconnect_source == NULL || self->next_attempt_at == 0)
    return -1;

  left = self->next_attempt_at - g_get_monotonic_time ();
  if (left <= 0)
    return 0;

  return (int)((left + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
}

/**
 * nt_pv_client_set_reconnect_delays:
 * @min_ms: the first delay after a loss
 * @max_ms: the longest delay
 *
 * Each failed attempt doubles the delay up to @max_ms; each delay is
 * jittered between half and all of it.
 */
void
nt_pv_client_set_reconnect_delays (NtPvClient *self,
                                   guint       min_ms,
                                   guint       max_ms)
{
  g_return_if_fail (NT_IS_PV_CLIENT (self));
  g_return_if_fail (min_ms > 0 && min_ms <= max_ms);

  self->reconnect_min_ms = min_ms;
  self->reconnect_max_ms = max_ms;
}

/**
 * nt_pv_client_set_keepalive:
 * @interval_ms: ask the server for an echo after this long without a
 *   message
 * @timeout_ms: declare the server dead after this long without a message
 *
 * The defaults (500 ms, 1500 ms) find a dead peer within 2 s.  Takes
 * effect on the next connection.
 */
void
nt_pv_client_set_keepalive (NtPvClient *self,
                            guint       interval_ms,
                            guint       timeout_ms)
{
  g_return_if_fail (NT_IS_PV_CLIENT (self));
  g_return_if_fail (interval_ms > 0 && interval_ms < timeout_ms);

  self->keepalive_ms = interval_ms;
  self->keepalive_timeout_ms = timeout_ms;
  if (self->keepalive_source != NULL)
    start_keepalive (self);
}

/**
 * nt_pv_client_set_batch_interval:
 *
 * How often at most "updates" is emitted (default 50 ms).
 */
void
nt_pv_client_set_batch_interval (NtPvClient *self,
                                 guint       interval_ms)
{
  g_return_if_fail (NT_IS_PV_CLIENT (self));
  g_return_if_fail (interval_ms > 0);

  self->batch_ms = interval_ms;
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

  if (!json_parser_load_from_data (self->parser, data, len, &error))
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

  clear_source (&self->batch_source);

  if (g_hash_table_size (self->changed) == 0)
    return;

  names = (GStrv)g_hash_table_get_keys_as_array (self->changed, NULL);
  g_hash_table_steal_all (self->changed);

  g_signal_emit (self, signals[UPDATES], 0, names);
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
