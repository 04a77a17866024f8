/* nt-pvws-service.c: live values over the PV Web Socket protocol
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-pvws-service"

#include "config.h"

#include <math.h>
#include <json-glib/json-glib.h>

#include "nt-pvws-service.h"
#include "nt-pvws-service-private.h"
#include "nt-model-json.h"

/* What a socket was last sent for one PV. */
typedef struct
{
  double      number;
  char       *text;      /* GRefString (strings) or borrowed label (enums) */
  NtSeverity  severity;
  gint64      time_us;
} Snapshot;

typedef struct _Client Client;

typedef struct
{
  Client   *client;
  guint     pv;
  Snapshot  sent;
} Sub;

struct _Client
{
  NtPvwsService           *service;
  SoupWebsocketConnection *conn;
  GHashTable              *subs;     /* pv index -> Sub* (owned) */
  gulong                   message_id;
  gulong                   closed_id;
  guint64                  checked_at;  /* flush serial of the last writability check */
  gboolean                 writable;
  guint                    n_sent;      /* messages sent (or, without a socket, dropped) */
};

struct _NtPvwsService
{
  GObject     parent_instance;

  NtPvTable  *pvs;
  gulong      changed_id;
  GPtrArray  *clients;        /* of Client* (owned) */
  GPtrArray **subscribers;    /* per PV: GPtrArray of Sub* (borrowed) */
  guint       n_pvs;
  gboolean   *dirty;          /* per PV */
  GArray     *dirty_list;     /* of guint */
  GArray     *carry_list;     /* of guint: PVs a slow socket still needs */
  guint64     flush_serial;
  Snapshot   *flushed;        /* per PV: the state at the last flush */
  guint       period_ms;
  gsize       max_message_size;
  GSource    *flush_source;
  guint64     n_updates_sent;
  guint64     n_skipped;
};

G_DEFINE_FINAL_TYPE (NtPvwsService, nt_pvws_service, G_TYPE_OBJECT)

static void
snapshot_clear (NtPvTable *pvs,
                guint      pv,
                Snapshot  *snap)
{
  if (nt_pv_table_get_info (pvs, pv)->type == NT_PV_TYPE_STRING)
    g_clear_pointer (&snap->text, g_ref_string_release);
  snap->text = NULL;
}

static void
snapshot_take (NtPvTable *pvs,
               guint      pv,
               Snapshot  *snap)
{
  const char *text = nt_pv_table_get_text (pvs, pv);

  snapshot_clear (pvs, pv, snap);
  snap->number = nt_pv_table_get_number (pvs, pv);
  if (nt_pv_table_get_info (pvs, pv)->type == NT_PV_TYPE_STRING)
    snap->text = text ? g_ref_string_acquire ((char *) text) : NULL;
  else
    snap->text = (char *) text;
  snap->severity = nt_pv_table_get_severity (pvs, pv);
  snap->time_us = nt_pv_table_get_time (pvs, pv);
}

static gboolean
same_value (const Snapshot *a,
            const Snapshot *b)
{
  return (a->number == b->number || (isnan (a->number) && isnan (b->number))) &&
         g_strcmp0 (a->text, b->text) == 0;
}

static gboolean
snapshot_equal (const Snapshot *a,
                const Snapshot *b)
{
  return same_value (a, b) && a->severity == b->severity && a->time_us == b->time_us;
}

/* The text of the object @builder holds. */
static char *
builder_to_text (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static void
add_limit (JsonBuilder *builder,
           const char  *member,
           double       value)
{
  if (isnan (value))
    return;
  json_builder_set_member_name (builder, member);
  json_builder_add_double_value (builder, value);
}

static void
add_value (JsonBuilder    *builder,
           const NtPvInfo *info,
           const Snapshot *now)
{
  json_builder_set_member_name (builder, "value");
  if (info->type == NT_PV_TYPE_STRING)
    {
      if (now->text != NULL && now->severity != NT_SEVERITY_UNDEFINED)
        json_builder_add_string_value (builder, now->text);
      else
        json_builder_add_string_value (builder, "NaN");
      return;
    }

  if (isnan (now->number) || isinf (now->number))
    {
      json_builder_add_string_value (builder, "NaN");
      return;
    }

  if (info->type == NT_PV_TYPE_ENUM)
    {
      json_builder_add_int_value (builder, (gint64) now->number);
      json_builder_set_member_name (builder, "text");
      json_builder_add_string_value (builder, now->text ? now->text : "");
    }
  else
    json_builder_add_double_value (builder, now->number);
}

/* Builds an update: everything if @before is NULL, else what changed. */
static char *
build_update (NtPvwsService  *self,
              guint           pv,
              const Snapshot *before,
              const Snapshot *now)
{
  const NtPvInfo *info = nt_pv_table_get_info (self->pvs, pv);
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "update");
  json_builder_set_member_name (builder, "pv");
  json_builder_add_string_value (builder, info->name);

  if (before == NULL)
    {
      json_builder_set_member_name (builder, "vtype");
      json_builder_add_string_value (builder, nt_pv_type_to_vtype (info->type));
      json_builder_set_member_name (builder, "description");
      json_builder_add_string_value (builder, info->description);
      if (info->type == NT_PV_TYPE_DOUBLE)
        {
          json_builder_set_member_name (builder, "units");
          json_builder_add_string_value (builder, info->units);
          json_builder_set_member_name (builder, "precision");
          json_builder_add_int_value (builder, info->precision);
          add_limit (builder, "min", info->min);
          add_limit (builder, "max", info->max);
          add_limit (builder, "warn_low", info->warn_low);
          add_limit (builder, "warn_high", info->warn_high);
          add_limit (builder, "alarm_low", info->alarm_low);
          add_limit (builder, "alarm_high", info->alarm_high);
        }
      if (info->type == NT_PV_TYPE_ENUM)
        {
          json_builder_set_member_name (builder, "labels");
          json_builder_begin_array (builder);
          for (guint i = 0; info->labels[i] != NULL; i++)
            json_builder_add_string_value (builder, info->labels[i]);
          json_builder_end_array (builder);
        }
      json_builder_set_member_name (builder, "readonly");
      json_builder_add_boolean_value (builder, info->readonly);
    }

  if (before == NULL || before->severity != now->severity)
    {
      json_builder_set_member_name (builder, "severity");
      json_builder_add_string_value (builder, nt_severity_to_string (now->severity));
    }

  if (before == NULL || !same_value (before, now))
    add_value (builder, info, now);

  if (before == NULL || before->time_us != now->time_us)
    {
      json_builder_set_member_name (builder, "seconds");
      json_builder_add_int_value (builder, now->time_us / G_USEC_PER_SEC);
      json_builder_set_member_name (builder, "nanos");
      json_builder_add_int_value (builder, (now->time_us % G_USEC_PER_SEC) * 1000);
    }

  json_builder_end_object (builder);

  return builder_to_text (builder);
}

static void
send_text (Client     *client,
           const char *text)
{
  client->n_sent++;
  if (client->conn == NULL)
    return;
  if (soup_websocket_connection_get_state (client->conn) != SOUP_WEBSOCKET_STATE_OPEN)
    return;
  soup_websocket_connection_send_text (client->conn, text);
}

/* Sends the object @builder holds. */
static void
send_builder (Client      *client,
              JsonBuilder *builder)
{
  g_autofree char *text = builder_to_text (builder);

  send_text (client, text);
}

/* {"type":TYPE} or, with a @message, {"type":TYPE,"message":MESSAGE}. */
static void
send_simple (Client     *client,
             const char *type,
             const char *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, type);
  if (message != NULL)
    {
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, message);
    }
  json_builder_end_object (builder);

  send_builder (client, builder);
}

static void
send_error (Client     *client,
            const char *format,
            ...) G_GNUC_PRINTF (2, 3);

static void
send_error (Client     *client,
            const char *format,
            ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  send_simple (client, "error", message);
}

static void
sub_free (gpointer data)
{
  Sub *sub = data;
  NtPvwsService *self = sub->client->service;

  g_ptr_array_remove_fast (self->subscribers[sub->pv], sub);
  snapshot_clear (self->pvs, sub->pv, &sub->sent);
  g_free (sub);
}

static void
client_free (Client *client)
{
  g_clear_signal_handler (&client->message_id, client->conn);
  g_clear_signal_handler (&client->closed_id, client->conn);
  g_clear_pointer (&client->subs, g_hash_table_unref);
  g_clear_object (&client->conn);
  g_free (client);
}

static void
subscribe (Client *client,
           guint   pv)
{
  NtPvwsService *self = client->service;
  g_autofree char *text = NULL;
  Sub *sub;

  sub = g_hash_table_lookup (client->subs, GUINT_TO_POINTER (pv));
  if (sub == NULL)
    {
      sub = g_new0 (Sub, 1);
      sub->client = client;
      sub->pv = pv;
      g_hash_table_insert (client->subs, GUINT_TO_POINTER (pv), sub);
      g_ptr_array_add (self->subscribers[pv], sub);
    }

  /* A (re-)subscription is a first update: metadata and the full value. */
  snapshot_take (self->pvs, pv, &sub->sent);
  text = build_update (self, pv, NULL, &sub->sent);
  send_text (client, text);
  self->n_updates_sent++;
}

/* Returns the "pvs" member as a list of strings, or NULL after sending an error. */
static JsonArray *
get_pv_list (Client     *client,
             JsonObject *object,
             const char *type)
{
  JsonNode *node = json_object_get_member (object, "pvs");
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      send_error (client, "'%s' needs \"pvs\": an array of PV names", type);
      return NULL;
    }

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        {
          send_error (client, "'%s': element %u of \"pvs\" is not a string", type, i);
          return NULL;
        }
    }

  return array;
}

static void
unsubscribe (Client *client,
             guint   pv)
{
  g_hash_table_remove (client->subs, GUINT_TO_POINTER (pv));
}

/* Calls @func for each PV of the message's "pvs" list, in order; an
 * unknown name gets an error, the others are still done. */
static void
for_each_pv (Client      *client,
             JsonObject  *object,
             const char  *type,
             void       (*func) (Client *client,
                                 guint   pv))
{
  JsonArray *array = get_pv_list (client, object, type);

  if (array == NULL)
    return;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      const char *name = json_array_get_string_element (array, i);
      guint pv;

      if (nt_pv_table_lookup (client->service->pvs, name, &pv))
        func (client, pv);
      else
        send_error (client, "Unknown PV '%s'", name);
    }
}

static void
handle_list (Client *client)
{
  NtPvwsService *self = client->service;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GList) subscribed = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "list");
  json_builder_set_member_name (builder, "pvs");
  json_builder_begin_array (builder);
  subscribed = g_hash_table_get_keys (client->subs);
  for (const GList *l = subscribed; l != NULL; l = l->next)
    json_builder_add_string_value (builder,
                                   nt_pv_table_get_info (self->pvs, GPOINTER_TO_UINT (l->data))->name);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "available");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->n_pvs; i++)
    json_builder_add_string_value (builder, nt_pv_table_get_info (self->pvs, i)->name);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  send_builder (client, builder);
}

static void
handle_message (Client     *client,
                const char *data,
                gsize       size)
{
  NtPvwsService *self = client->service;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  JsonNode *root;
  JsonNode *type_node;
  const char *type;

  if (size > self->max_message_size)
    {
      send_error (client, "Message of %" G_GSIZE_FORMAT " bytes exceeds the limit of %" G_GSIZE_FORMAT " bytes",
                  size, self->max_message_size);
      return;
    }

  if (!g_utf8_validate (data, size, NULL))
    {
      send_error (client, "Message is not valid UTF-8");
      return;
    }

  if (!nt_json_load_one (parser, data, size, &error))
    {
      send_error (client, "Message is not JSON: %s", error->message);
      return;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      send_error (client, "Message is not a JSON object");
      return;
    }

  object = json_node_get_object (root);
  type_node = json_object_get_member (object, "type");
  if (type_node == NULL)
    {
      send_error (client, "Message has no \"type\"");
      return;
    }
  if (!JSON_NODE_HOLDS_VALUE (type_node) || json_node_get_value_type (type_node) != G_TYPE_STRING)
    {
      send_error (client, "\"type\" must be a string");
      return;
    }

  type = json_node_get_string (type_node);

  if (g_str_equal (type, "subscribe") || g_str_equal (type, "monitor"))
    for_each_pv (client, object, type, subscribe);
  else if (g_str_equal (type, "clear"))
    for_each_pv (client, object, type, unsubscribe);
  else if (g_str_equal (type, "echo"))
    {
      JsonNode *body = json_object_get_member (object, "body");
      g_autofree char *text = NULL;

      if (body != NULL &&
          (!JSON_NODE_HOLDS_VALUE (body) || json_node_get_value_type (body) != G_TYPE_STRING))
        {
          send_error (client, "'echo': \"body\" must be a string");
          return;
        }

      /* pvws echoes the message as it came. */
      text = g_strndup (data, size);
      send_text (client, text);
    }
  else if (g_str_equal (type, "ping"))
    send_simple (client, "pong", NULL);
  else if (g_str_equal (type, "list"))
    handle_list (client);
  else
    send_error (client, "Unknown message type '%s'", type);
}

static void
on_message_cb (SoupWebsocketConnection *conn,
               gint                     type,
               GBytes                  *message,
               gpointer                 user_data)
{
  Client *client = user_data;
  gsize size;
  const char *data = g_bytes_get_data (message, &size);

  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    {
      send_error (client, "Binary messages are not supported");
      return;
    }

  handle_message (client, data ? data : "", size);
}

static void
on_closed_cb (SoupWebsocketConnection *conn,
              gpointer                 user_data)
{
  Client *client = user_data;
  NtPvwsService *self = client->service;

  g_debug ("PVWS client closed (%u left)", self->clients->len - 1);
  /* Frees the client, its subs and drops our ref on conn. */
  g_ptr_array_remove (self->clients, client);
}

static void
on_websocket_cb (SoupServer              *server,
                 SoupServerMessage       *msg,
                 const char              *path,
                 SoupWebsocketConnection *connection,
                 gpointer                 user_data)
{
  NtPvwsService *self = user_data;
  Client *client;

  client = g_new0 (Client, 1);
  client->service = self;
  client->conn = g_object_ref (connection);
  client->subs = g_hash_table_new_full (NULL, NULL, NULL, sub_free);

  /* Messages up to 16x our limit reach us and get a polite error; beyond
   * that libsoup closes the socket (1009) before buffering it all. */
  soup_websocket_connection_set_max_incoming_payload_size (connection, self->max_message_size * 16);
  soup_websocket_connection_set_keepalive_interval (connection, 30);

  client->message_id = g_signal_connect (connection, "message", G_CALLBACK (on_message_cb), client);
  client->closed_id = g_signal_connect (connection, "closed", G_CALLBACK (on_closed_cb), client);

  g_ptr_array_add (self->clients, client);
}

static void
on_pv_changed_cb (NtPvTable *pvs,
                  guint      pv,
                  gpointer   user_data)
{
  NtPvwsService *self = user_data;

  if (pv >= self->n_pvs || self->dirty[pv])
    return;
  self->dirty[pv] = TRUE;
  g_array_append_val (self->dirty_list, pv);
}

/* A socket whose kernel send buffer is full reads slower than we send: it
 * is skipped this period and gets the latest value once it drains, so
 * what libsoup queues for it stays bounded (at most one period's worth). */
static gboolean
client_is_writable (NtPvwsService *self,
                    Client        *client)
{
  if (client->checked_at != self->flush_serial)
    {
      GIOStream *stream = soup_websocket_connection_get_io_stream (client->conn);
      GOutputStream *out = stream ? g_io_stream_get_output_stream (stream) : NULL;

      client->checked_at = self->flush_serial;
      client->writable = TRUE;
      if (out != NULL && G_IS_POLLABLE_OUTPUT_STREAM (out) &&
          g_pollable_output_stream_can_poll (G_POLLABLE_OUTPUT_STREAM (out)))
        client->writable = g_pollable_output_stream_is_writable (G_POLLABLE_OUTPUT_STREAM (out));
    }

  return client->writable;
}

static gboolean
flush_cb (gpointer user_data)
{
  NtPvwsService *self = user_data;
  GArray *swap;

  self->flush_serial++;

  for (guint i = 0; i < self->dirty_list->len; i++)
    {
      guint pv = g_array_index (self->dirty_list, guint, i);
      GPtrArray *subs = self->subscribers[pv];
      Snapshot now = { 0 };
      g_autofree char *shared = NULL;
      gboolean skipped = FALSE;

      self->dirty[pv] = FALSE;
      snapshot_take (self->pvs, pv, &now);

      for (guint j = 0; j < subs->len; j++)
        {
          Sub *sub = g_ptr_array_index (subs, j);

          if (snapshot_equal (&sub->sent, &now))
            continue;

          if (!client_is_writable (self, sub->client))
            {
              skipped = TRUE;
              self->n_skipped++;
              continue;
            }

          /* Sockets that were sent the last flushed state share one message. */
          if (snapshot_equal (&sub->sent, &self->flushed[pv]))
            {
              if (shared == NULL)
                shared = build_update (self, pv, &self->flushed[pv], &now);
              send_text (sub->client, shared);
            }
          else
            {
              g_autofree char *text = build_update (self, pv, &sub->sent, &now);

              send_text (sub->client, text);
            }
          snapshot_take (self->pvs, pv, &sub->sent);
          self->n_updates_sent++;
        }

      snapshot_clear (self->pvs, pv, &self->flushed[pv]);
      self->flushed[pv] = now;
      if (skipped)
        g_array_append_val (self->carry_list, pv);
    }

  /* What slow sockets still need is dirty again next period. */
  g_array_set_size (self->dirty_list, 0);
  swap = self->dirty_list;
  self->dirty_list = self->carry_list;
  self->carry_list = swap;
  for (guint i = 0; i < self->dirty_list->len; i++)
    {
      guint pv = g_array_index (self->dirty_list, guint, i);

      self->dirty[pv] = TRUE;
    }
  /* ...and changes until then must not add them twice (on_pv_changed_cb
   * checks dirty[]), which holds as they are marked above. */

  return G_SOURCE_CONTINUE;
}

/* On the thread-default context: the services may run in a thread of their own. */
static void
start_flush_timer (NtPvwsService *self)
{
  g_autoptr(GSource) source = g_timeout_source_new (self->period_ms);

  g_source_set_callback (source, flush_cb, self, NULL);
  g_source_set_static_name (source, "[nt-pvws-flush]");
  g_source_attach (source, g_main_context_get_thread_default ());
  self->flush_source = g_steal_pointer (&source);
}

static void
client_destroy (gpointer data)
{
  client_free (data);
}

static void
nt_pvws_service_dispose (GObject *object)
{
  NtPvwsService *self = (NtPvwsService *)object;

  nt_pvws_service_shutdown (self);

  G_OBJECT_CLASS (nt_pvws_service_parent_class)->dispose (object);
}

static void
nt_pvws_service_finalize (GObject *object)
{
  NtPvwsService *self = (NtPvwsService *)object;

  g_clear_pointer (&self->clients, g_ptr_array_unref);
  for (guint i = 0; i < self->n_pvs; i++)
    {
      g_ptr_array_unref (self->subscribers[i]);
      snapshot_clear (self->pvs, i, &self->flushed[i]);
    }
  g_free (self->subscribers);
  g_free (self->flushed);
  g_free (self->dirty);
  g_clear_pointer (&self->dirty_list, g_array_unref);
  g_clear_pointer (&self->carry_list, g_array_unref);
  g_clear_signal_handler (&self->changed_id, self->pvs);
  g_clear_object (&self->pvs);

  G_OBJECT_CLASS (nt_pvws_service_parent_class)->finalize (object);
}

static void
nt_pvws_service_class_init (NtPvwsServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = nt_pvws_service_dispose;
  object_class->finalize = nt_pvws_service_finalize;
}

static void
nt_pvws_service_init (NtPvwsService *self)
{
  self->clients = g_ptr_array_new_with_free_func (client_destroy);
  self->dirty_list = g_array_new (FALSE, FALSE, sizeof (guint));
  self->carry_list = g_array_new (FALSE, FALSE, sizeof (guint));
  self->period_ms = NT_PVWS_DEFAULT_PERIOD_MS;
  self->max_message_size = NT_PVWS_DEFAULT_MAX_MESSAGE_SIZE;
}

NtPvwsService *
nt_pvws_service_new (NtPvTable *pvs)
{
  NtPvwsService *self;

  g_return_val_if_fail (NT_IS_PV_TABLE (pvs), NULL);

  self = g_object_new (NT_TYPE_PVWS_SERVICE, NULL);
  self->pvs = g_object_ref (pvs);
  self->n_pvs = nt_pv_table_get_n_pvs (pvs);
  self->subscribers = g_new0 (GPtrArray *, self->n_pvs);
  self->flushed = g_new0 (Snapshot, self->n_pvs);
  self->dirty = g_new0 (gboolean, self->n_pvs);
  for (guint i = 0; i < self->n_pvs; i++)
    {
      self->subscribers[i] = g_ptr_array_new ();
      snapshot_take (pvs, i, &self->flushed[i]);
    }
  self->changed_id = g_signal_connect (pvs, "changed", G_CALLBACK (on_pv_changed_cb), self);

  return self;
}

void
nt_pvws_service_attach (NtPvwsService *self,
                        SoupServer    *server,
                        const char    *path)
{
  g_return_if_fail (NT_IS_PVWS_SERVICE (self));
  g_return_if_fail (SOUP_IS_SERVER (server));
  g_return_if_fail (path != NULL);

  soup_server_add_websocket_handler (server, path, NULL, NULL,
                                     on_websocket_cb, g_object_ref (self), g_object_unref);

  if (self->flush_source == NULL)
    start_flush_timer (self);
}

void
nt_pvws_service_set_period (NtPvwsService *self,
                            guint          period_ms)
{
  g_return_if_fail (NT_IS_PVWS_SERVICE (self));
  g_return_if_fail (period_ms > 0);

  self->period_ms = period_ms;
  if (self->flush_source != NULL)
    {
      g_source_destroy (self->flush_source);
      g_clear_pointer (&self->flush_source, g_source_unref);
      start_flush_timer (self);
    }
}

void
nt_pvws_service_set_max_message_size (NtPvwsService *self,
                                      gsize          max_size)
{
  g_return_if_fail (NT_IS_PVWS_SERVICE (self));
  g_return_if_fail (max_size > 0);

  self->max_message_size = max_size;
}

guint
nt_pvws_service_get_n_clients (NtPvwsService *self)
{
  g_return_val_if_fail (NT_IS_PVWS_SERVICE (self), 0);

  return self->clients->len;
}

guint64
nt_pvws_service_get_n_updates_sent (NtPvwsService *self)
{
  g_return_val_if_fail (NT_IS_PVWS_SERVICE (self), 0);

  return self->n_updates_sent;
}

guint64
nt_pvws_service_get_n_skipped (NtPvwsService *self)
{
  g_return_val_if_fail (NT_IS_PVWS_SERVICE (self), 0);

  return self->n_skipped;
}

void
nt_pvws_service_shutdown (NtPvwsService *self)
{
  g_return_if_fail (NT_IS_PVWS_SERVICE (self));

  if (self->flush_source != NULL)
    {
      g_source_destroy (self->flush_source);
      g_clear_pointer (&self->flush_source, g_source_unref);
    }

  /* Closing emits "closed" later, once the close handshake is done or
   * times out; forget the clients now so nothing is sent to them. */
  while (self->clients != NULL && self->clients->len > 0)
    {
      Client *client = g_ptr_array_steal_index_fast (self->clients, self->clients->len - 1);
      g_autoptr(SoupWebsocketConnection) conn = g_object_ref (client->conn);

      client_free (client);
      if (soup_websocket_connection_get_state (conn) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (conn, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "Server shutting down");
    }
}

/**
 * nt_pvws_service_handle_detached_message: (skip)
 *
 * Handles one text message as from a client without a socket (tests and
 * the fuzz targets): subscriptions are made and answered as for a
 * connected client, the answers counted and dropped, and the client goes
 * when the message is done.
 *
 * Returns: how many messages the client was sent
 */
guint
nt_pvws_service_handle_detached_message (NtPvwsService *self,
                                         const char    *data,
                                         gsize          size)
{
  Client client = { 0 };

  g_return_val_if_fail (NT_IS_PVWS_SERVICE (self), 0);

  client.service = self;
  client.subs = g_hash_table_new_full (NULL, NULL, NULL, sub_free);
  handle_message (&client, data != NULL ? data : "", size);
  g_hash_table_unref (client.subs);
  return client.n_sent;
}
