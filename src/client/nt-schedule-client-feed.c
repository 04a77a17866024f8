/* nt-schedule-client-feed.c: the change feed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The change feed is a WebSocket at /api/v1/changes?since=N.  Messages are
 * delivered in the order they arrive; one whose revision is not above the
 * last delivered is a replay (the server resends from `since` after a
 * reconnect) and is dropped, so every change is emitted once.  A dropped
 * feed reconnects with jittered exponential backoff.
 */
#define G_LOG_DOMAIN "nt-schedule-client"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "nt-model-json.h"
#include "nt-client-private.h"
#include "nt-schedule-client-private.h"
#include "nt-time.h"

/* ---- change feed ---- */

static void
set_feed_state (NtScheduleClient  *self,
                NtConnectionState  state)
{
  if (self->feed_state == state)
    return;
  self->feed_state = state;
  g_object_notify_by_pspec (G_OBJECT (self), nt_schedule_client_properties[PROP_FEED_STATE]);
}

static void
set_feed_error (NtScheduleClient *self,
                const char       *message)
{
  if (g_strcmp0 (self->feed_error, message) == 0)
    return;
  g_free (self->feed_error);
  self->feed_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), nt_schedule_client_properties[PROP_FEED_ERROR]);
}

static void
connect_data_free (ConnectData *data)
{
  g_weak_ref_clear (&data->self);
  g_clear_object (&data->cancellable);
  g_clear_object (&data->msg);
  g_free (data);
}

static gboolean
reconnect_cb (gpointer user_data)
{
  NtScheduleClient *self = user_data;

  self->reconnect_id = 0;
  nt_schedule_client_begin_connect (self);

  return G_SOURCE_REMOVE;
}

static void
schedule_reconnect (NtScheduleClient *self)
{
  guint delay;

  nt_client_close_socket (&self->conn, self);
  set_feed_state (self, NT_CONNECTION_DISCONNECTED);

  if (!self->feed_running)
    return;

  g_clear_handle_id (&self->reconnect_id, g_source_remove);
  delay = nt_client_backoff_ms (self->attempt, self->min_delay_ms, self->max_delay_ms, self->rand);
  self->attempt++;
  self->reconnect_id = g_timeout_add (delay, reconnect_cb, self);

  g_debug ("change feed: reconnecting in %u ms from revision %" G_GINT64_FORMAT,
           delay, self->last_revision);
}

static char *
id_to_string (JsonNode *id)
{
  if (id == NULL || JSON_NODE_HOLDS_NULL (id))
    return NULL;
  if (json_node_get_value_type (id) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (id));
  if (json_node_get_value_type (id) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (id));
  return NULL;
}

static void
handle_change (NtScheduleClient *self,
               JsonNode         *root)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) object = NULL;
  g_autofree char *resource = NULL;
  g_autofree char *action = NULL;
  g_autofree char *id = NULL;
  const ModelInfo *info;
  JsonObject *message;
  JsonNode *object_node;
  gint64 revision;

  if (!(message = nt_model_json_object (root, "change", &error)) ||
      !nt_model_json_int (message, "change", "revision", TRUE, 1, G_MAXINT64, &revision, &error) ||
      !nt_model_json_string (message, "change", "resource", FALSE, FALSE, &resource, &error) ||
      !nt_model_json_string (message, "change", "action", FALSE, FALSE, &action, &error))
    {
      g_debug ("change feed: ignoring a message: %s", error->message);
      return;
    }

  /* A replay of what was delivered before a reconnect. */
  if (revision <= self->last_revision)
    return;

  id = id_to_string (json_object_get_member (message, "id"));
  object_node = json_object_get_member (message, "object");
  info = nt_schedule_model_info_for_resource (resource);
  if (info != NULL && object_node != NULL && JSON_NODE_HOLDS_OBJECT (object_node))
    {
      object = info->from_json (object_node, &error);
      if (object == NULL)
        g_debug ("change feed: revision %" G_GINT64_FORMAT ": %s", revision, error->message);
    }

  self->last_revision = revision;
  g_object_notify_by_pspec (G_OBJECT (self), nt_schedule_client_properties[PROP_LAST_REVISION]);

  g_signal_emit (self, nt_schedule_client_signals[CHANGE], 0, revision, resource, action, id, object, root);
}

/* One text message of the change feed, as it came. */
void
nt_schedule_client_handle_feed_message (NtScheduleClient *self,
                                        const char       *data,
                                        gsize             len)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) error = NULL;

  if (!nt_json_load_one (parser, data, len, &error))
    {
      g_debug ("change feed: not JSON: %s", error->message);
      return;
    }

  handle_change (self, json_parser_get_root (parser));
}

static void
message_cb (SoupWebsocketConnection *conn,
            int                      type,
            GBytes                  *message,
            gpointer                 user_data)
{
  NtScheduleClient *self = user_data;
  const char *data;
  gsize len;

  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    return;

  data = g_bytes_get_data (message, &len);
  nt_schedule_client_handle_feed_message (self, data, len);
}

static void
closed_cb (SoupWebsocketConnection *conn,
           gpointer                 user_data)
{
  NtScheduleClient *self = user_data;

  g_debug ("change feed: closed (%u)", soup_websocket_connection_get_close_code (conn));
  schedule_reconnect (self);
}

static void
connect_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  ConnectData *data = user_data;
  g_autoptr(NtScheduleClient) self = g_weak_ref_get (&data->self);
  g_autoptr(SoupWebsocketConnection) conn = NULL;
  g_autoptr(GError) error = NULL;
  guint status;

  conn = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  status = soup_message_get_status (data->msg);

  if (self == NULL || data->cancellable != self->connect_cancellable)
    {
      /* stopped, restarted or finalized meanwhile */
      if (conn != NULL)
        soup_websocket_connection_close (conn, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
      connect_data_free (data);
      return;
    }

  connect_data_free (data);
  g_clear_object (&self->connect_cancellable);

  if (conn == NULL)
    {
      g_debug ("change feed: %s (HTTP %u)", error->message, status);

      /* A refused token does not get better by retrying: stop, and say
       * why; nt_schedule_client_start_changes() after a new token. */
      if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
        {
          g_autoptr(GError) auth_error = nt_client_error_new_from_response (status, NULL, NULL);

          self->feed_running = FALSE;
          set_feed_error (self, auth_error->message);
          schedule_reconnect (self);
          return;
        }

      {
        g_autoptr(GError) io_error = nt_client_error_new_from_io (error, self->host);
        set_feed_error (self, io_error->message);
      }
      schedule_reconnect (self);
      return;
    }

  set_feed_error (self, NULL);

  self->conn = g_steal_pointer (&conn);
  self->attempt = 0;
  soup_websocket_connection_set_keepalive_interval (self->conn, KEEPALIVE_S);
  soup_websocket_connection_set_max_incoming_payload_size (self->conn, 16 * 1024 * 1024);
  g_signal_connect (self->conn, "message", G_CALLBACK (message_cb), self);
  g_signal_connect (self->conn, "closed", G_CALLBACK (closed_cb), self);

  set_feed_state (self, NT_CONNECTION_CONNECTED);
}

void
nt_schedule_client_begin_connect (NtScheduleClient *self)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *uri = NULL;
  ConnectData *data;

  g_clear_handle_id (&self->reconnect_id, g_source_remove);

  if (!self->feed_running || self->connect_cancellable != NULL || self->conn != NULL)
    return;

  uri = g_strdup_printf ("%s" API_PREFIX "/changes?since=%" G_GINT64_FORMAT,
                         self->base_uri, self->last_revision);
  msg = soup_message_new (SOUP_METHOD_GET, uri);
  if (msg == NULL)
    {
      g_warning ("change feed: “%s” is not a valid address", uri);
      self->feed_running = FALSE;
      set_feed_state (self, NT_CONNECTION_DISCONNECTED);
      return;
    }

  nt_client_set_bearer (msg, self->token);

  self->connect_cancellable = g_cancellable_new ();
  data = g_new0 (ConnectData, 1);
  g_weak_ref_init (&data->self, self);
  data->cancellable = g_object_ref (self->connect_cancellable);
  data->msg = g_object_ref (msg);

  set_feed_state (self, NT_CONNECTION_CONNECTING);

  soup_session_websocket_connect_async (self->session, msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        self->connect_cancellable, connect_cb, data);
}

/**
 * nt_schedule_client_start_changes:
 * @since: the revision already known (from a list), or 0 for all
 *
 * Connects the change feed; ::change follows from the change after @since.
 * Calling it while running restarts the feed from @since.
 */
void
nt_schedule_client_start_changes (NtScheduleClient *self,
                                  gint64            since)
{
  g_return_if_fail (NT_IS_SCHEDULE_CLIENT (self));
  g_return_if_fail (since >= 0);

  nt_schedule_client_stop_changes (self);

  self->feed_running = TRUE;
  self->attempt = 0;
  if (self->last_revision != since)
    {
      self->last_revision = since;
      g_object_notify_by_pspec (G_OBJECT (self), nt_schedule_client_properties[PROP_LAST_REVISION]);
    }
  nt_schedule_client_begin_connect (self);
}

void
nt_schedule_client_stop_changes (NtScheduleClient *self)
{
  g_return_if_fail (NT_IS_SCHEDULE_CLIENT (self));

  self->feed_running = FALSE;
  g_clear_handle_id (&self->reconnect_id, g_source_remove);
  if (self->connect_cancellable != NULL)
    {
      g_cancellable_cancel (self->connect_cancellable);
      g_clear_object (&self->connect_cancellable);
    }
  nt_client_close_socket (&self->conn, self);
  set_feed_state (self, NT_CONNECTION_DISCONNECTED);
}

/**
 * nt_schedule_client_reconnect_now:
 *
 * When the change feed is running but disconnected, waiting for its next
 * attempt, tries at once (a "Reconnect now" button).
 */
void
nt_schedule_client_reconnect_now (NtScheduleClient *self)
{
  g_return_if_fail (NT_IS_SCHEDULE_CLIENT (self));

  if (!self->feed_running || self->conn != NULL || self->connect_cancellable != NULL)
    return;

  self->attempt = 0;
  nt_schedule_client_begin_connect (self);
}

/**
 * nt_schedule_client_get_last_revision:
 *
 * Returns: the revision of the last change delivered (or the @since given
 *   to nt_schedule_client_start_changes())
 */
gint64
nt_schedule_client_get_last_revision (NtScheduleClient *self)
{
  g_return_val_if_fail (NT_IS_SCHEDULE_CLIENT (self), 0);
  return self->last_revision;
}

/**
 * nt_schedule_client_get_feed_error:
 *
 * Returns: (nullable): why the change feed last failed to connect (for
 *   a person to read), or %NULL once connected.  A refused token (401/403)
 *   stops the feed: start it again after setting a new token.
 */
const char *
nt_schedule_client_get_feed_error (NtScheduleClient *self)
{
  g_return_val_if_fail (NT_IS_SCHEDULE_CLIENT (self), NULL);
  return self->feed_error;
}

NtConnectionState
nt_schedule_client_get_feed_state (NtScheduleClient *self)
{
  g_return_val_if_fail (NT_IS_SCHEDULE_CLIENT (self), NT_CONNECTION_DISCONNECTED);
  return self->feed_state;
}

/**
 * nt_schedule_client_set_reconnect_delays:
 * @min_ms: the first delay after a drop
 * @max_ms: the longest delay; each failed attempt doubles the delay up to it
 *
 * Each delay is jittered between half and all of it.
 */
void
nt_schedule_client_set_reconnect_delays (NtScheduleClient *self,
                                         guint             min_ms,
                                         guint             max_ms)
{
  g_return_if_fail (NT_IS_SCHEDULE_CLIENT (self));
  g_return_if_fail (min_ms > 0 && min_ms <= max_ms);

  self->min_delay_ms = min_ms;
  self->max_delay_ms = max_ms;
}
