/* nt-schedule-service.c: the scheduling service object, its public API
 * and the change feed (WebSocket /api/v1/changes)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The REST routes are in nt-schedule-service-routes.c.
 */
#define G_LOG_DOMAIN "nt-schedule-service"

#include "config.h"

#include <string.h>

#include "nt-auth.h"
#include "nt-schedule-service-private.h"

#define LOCAL_TOKEN_NAME "embedded console"

G_DEFINE_FINAL_TYPE (NtScheduleService, nt_schedule_service, G_TYPE_OBJECT)

enum {
  SIGNAL_PLAN_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Change feed */

static void
client_closed_cb (SoupWebsocketConnection *conn,
                  gpointer                 user_data)
{
  NtScheduleService *self = user_data;

  g_ptr_array_remove (self->clients, conn);
}

static void
send_text (SoupWebsocketConnection *conn,
           const char              *text)
{
  if (soup_websocket_connection_get_state (conn) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_send_text (conn, text);
}

static void
websocket_cb (SoupServer              *server,
              SoupServerMessage       *msg,
              const char              *path,
              SoupWebsocketConnection *conn,
              gpointer                 user_data)
{
  NtScheduleService *self = user_data;
  GUri *uri = soup_server_message_get_uri (msg);
  const char *query = g_uri_get_query (uri);
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(GPtrArray) backlog = NULL;
  gint64 since = -1;

  if (query != NULL)
    params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL);
  if (params != NULL && g_hash_table_lookup (params, "since") != NULL)
    since = g_ascii_strtoll (g_hash_table_lookup (params, "since"), NULL, 10);

  /* Without since, the feed starts now; with it, everything after it
   * first (all on this thread, so nothing slips in between). */
  if (since >= 0)
    {
      backlog = nt_schedule_store_changes_since (self->store, since, 0);
      for (guint i = 0; i < backlog->len; i++)
        {
          g_autofree char *text = json_to_string (g_ptr_array_index (backlog, i), FALSE);

          send_text (conn, text);
        }
    }

  g_ptr_array_add (self->clients, g_object_ref (conn));
  g_signal_connect_object (conn, "closed", G_CALLBACK (client_closed_cb), self, 0);
}

static void
store_changed_cb (NtScheduleStore *store,
                  JsonNode        *message,
                  gpointer         user_data)
{
  NtScheduleService *self = user_data;
  g_autofree char *text = NULL;

  if (self->clients->len == 0)
    return;
  text = json_to_string (message, FALSE);
  for (guint i = 0; i < self->clients->len; i++)
    send_text (g_ptr_array_index (self->clients, i), text);
}

static void
store_plan_changed_cb (NtScheduleStore *store,
                       GArray          *plan,
                       gpointer         user_data)
{
  g_signal_emit (user_data, signals[SIGNAL_PLAN_CHANGED], 0, plan);
}

/* GObject */

static void
nt_schedule_service_dispose (GObject *object)
{
  NtScheduleService *self = (NtScheduleService *)object;

  nt_schedule_service_shutdown (self);
  if (self->server != NULL)
    {
      soup_server_remove_handler (self->server, NT_SCHEDULE_API_PREFIX);
      soup_server_remove_handler (self->server, NT_SCHEDULE_API_PREFIX "/changes");
      g_clear_object (&self->server);
    }
  if (self->store != NULL)
    {
      g_clear_signal_handler (&self->changed_id, self->store);
      g_clear_signal_handler (&self->plan_id, self->store);
    }
  g_clear_object (&self->store);

  G_OBJECT_CLASS (nt_schedule_service_parent_class)->dispose (object);
}

static void
nt_schedule_service_finalize (GObject *object)
{
  NtScheduleService *self = (NtScheduleService *)object;

  g_clear_pointer (&self->clients, g_ptr_array_unref);
  if (self->local_token != NULL)
    {
      memset (self->local_token, 0, strlen (self->local_token));
      g_clear_pointer (&self->local_token, g_free);
    }

  G_OBJECT_CLASS (nt_schedule_service_parent_class)->finalize (object);
}

static void
nt_schedule_service_class_init (NtScheduleServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = nt_schedule_service_dispose;
  object_class->finalize = nt_schedule_service_finalize;

  /**
   * NtScheduleService::plan-changed:
   * @plan: (type GArray): the whole run plan, sorted NtPeriodSpan
   *
   * Emitted after a committed change of the run plan.
   */
  signals[SIGNAL_PLAN_CHANGED] =
    g_signal_new ("plan-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ARRAY | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
nt_schedule_service_init (NtScheduleService *self)
{
  self->clients = g_ptr_array_new_with_free_func (g_object_unref);
  self->max_body = NT_SCHEDULE_DEFAULT_MAX_BODY;
}

/* Public API */

NtScheduleService *
nt_schedule_service_new (NtDb    *db,
                         GError **error)
{
  g_autoptr(NtScheduleService) self = NULL;
  g_autoptr(NtCatalogue) catalogue = NULL;

  g_return_val_if_fail (NT_IS_DB (db), NULL);

  catalogue = nt_catalogue_new_default (error);
  if (catalogue == NULL)
    return NULL;

  self = g_object_new (NT_TYPE_SCHEDULE_SERVICE, NULL);
  self->store = nt_schedule_store_new (db, catalogue, error);
  if (self->store == NULL)
    return NULL;
  self->changed_id = g_signal_connect (self->store, "changed", G_CALLBACK (store_changed_cb), self);
  self->plan_id = g_signal_connect (self->store, "plan-changed", G_CALLBACK (store_plan_changed_cb), self);
  return g_steal_pointer (&self);
}

NtScheduleStore *
nt_schedule_service_get_store (NtScheduleService *self)
{
  g_return_val_if_fail (NT_IS_SCHEDULE_SERVICE (self), NULL);
  return self->store;
}

gboolean
nt_schedule_service_seed_demo (NtScheduleService  *self,
                               int                 fiscal_year,
                               GError            **error)
{
  g_return_val_if_fail (NT_IS_SCHEDULE_SERVICE (self), FALSE);
  return nt_schedule_store_seed_demo (self->store, fiscal_year, error);
}

void
nt_schedule_service_attach (NtScheduleService *self,
                            SoupServer        *server)
{
  g_return_if_fail (NT_IS_SCHEDULE_SERVICE (self));
  g_return_if_fail (SOUP_IS_SERVER (server));
  g_return_if_fail (self->server == NULL);

  self->server = g_object_ref (server);
  soup_server_add_early_handler (server, NT_SCHEDULE_API_PREFIX, nt_schedule_service_handle_early, self, NULL);
  soup_server_add_handler (server, NT_SCHEDULE_API_PREFIX, nt_schedule_service_handle_api, self, NULL);
  soup_server_add_handler (server, NT_SCHEDULE_API_PREFIX "/changes", nt_schedule_service_handle_api, self, NULL);
  soup_server_add_websocket_handler (server, NT_SCHEDULE_API_PREFIX "/changes", NULL, NULL, websocket_cb, self, NULL);
}

void
nt_schedule_service_set_max_body_size (NtScheduleService *self,
                                       gsize              max_bytes)
{
  g_return_if_fail (NT_IS_SCHEDULE_SERVICE (self));
  self->max_body = max_bytes;
}

const char *
nt_schedule_service_get_local_token (NtScheduleService  *self,
                                     GError            **error)
{
  NtDb *db;

  g_return_val_if_fail (NT_IS_SCHEDULE_SERVICE (self), NULL);

  if (self->local_token != NULL)
    return self->local_token;

  db = nt_schedule_store_get_db (self->store);
  nt_auth_token_revoke (db, LOCAL_TOKEN_NAME, NULL, NULL);
  self->local_token = nt_auth_token_create (db, NT_ROLE_ADMIN, LOCAL_TOKEN_NAME, error);
  return self->local_token;
}

GArray *
nt_schedule_service_dup_plan (NtScheduleService *self)
{
  g_return_val_if_fail (NT_IS_SCHEDULE_SERVICE (self), NULL);
  return nt_schedule_store_dup_plan (self->store);
}

guint
nt_schedule_service_get_n_feed_clients (NtScheduleService *self)
{
  g_return_val_if_fail (NT_IS_SCHEDULE_SERVICE (self), 0);
  return self->clients->len;
}

void
nt_schedule_service_shutdown (NtScheduleService *self)
{
  g_autoptr(GPtrArray) clients = NULL;

  g_return_if_fail (NT_IS_SCHEDULE_SERVICE (self));

  if (self->clients == NULL || self->clients->len == 0)
    return;
  clients = g_steal_pointer (&self->clients);
  self->clients = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < clients->len; i++)
    {
      SoupWebsocketConnection *conn = g_ptr_array_index (clients, i);

      g_signal_handlers_disconnect_by_data (conn, self);
      if (soup_websocket_connection_get_state (conn) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (conn, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "shutting down");
    }
}
