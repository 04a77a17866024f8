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
 *
 * This file holds the object, its records and its public API; the socket
 * and the message path are in nt-pv-client-connection.c.
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

G_DEFINE_FINAL_TYPE (NtPvClient, nt_pv_client, G_TYPE_OBJECT)

GParamSpec *nt_pv_client_properties[N_PROPS];
guint nt_pv_client_signals[N_SIGNALS];

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

static void
nt_pv_client_dispose (GObject *object)
{
  NtPvClient *self = (NtPvClient *)object;

  self->started = FALSE;
  nt_pv_clear_source (&self->reconnect_source);
  nt_pv_clear_source (&self->connect_timeout_source);
  nt_pv_clear_source (&self->batch_source);
  nt_pv_clear_source (&self->flush_source);
  if (self->connect_cancellable != NULL)
    g_cancellable_cancel (self->connect_cancellable);
  g_clear_object (&self->connect_cancellable);
  nt_pv_client_drop_connection (self);
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
  nt_pv_client_properties[PROP_URI] =
    g_param_spec_string ("uri", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  nt_pv_client_properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       NT_TYPE_CONNECTION_STATE, NT_CONNECTION_DISCONNECTED,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * NtPvClient:disconnect-reason:
   *
   * Why the client is disconnected (or why the last attempt failed), for
   * a person to read; %NULL while connected.
   */
  nt_pv_client_properties[PROP_DISCONNECT_REASON] =
    g_param_spec_string ("disconnect-reason", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * NtPvClient:lost-at:
   *
   * When the connection was lost (real time, Unix microseconds): the time
   * of the last message heard, from which data may be missing; 0 while
   * connected or before the first connection.
   */
  nt_pv_client_properties[PROP_LOST_AT] =
    g_param_spec_int64 ("lost-at", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, nt_pv_client_properties);

  /**
   * NtPvClient::updates:
   * @names: the names of the PVs whose records changed
   *
   * Emitted at most once per batch interval with every PV that changed
   * (value, metadata or state) since the last emission.
   */
  nt_pv_client_signals[UPDATES] =
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
  nt_pv_client_signals[GAP] =
    g_signal_new ("gap", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_INT64);

  /**
   * NtPvClient::server-error:
   * @message: the server's message
   *
   * The server answered a request with an error message.
   */
  nt_pv_client_signals[SERVER_ERROR] =
    g_signal_new ("server-error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * NtPvClient::protocol-error:
   * @message: what was wrong
   *
   * The server sent a message this client could not use; it was dropped.
   */
  nt_pv_client_signals[PROTOCOL_ERROR] =
    g_signal_new ("protocol-error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
nt_pv_client_init (NtPvClient *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->session = soup_session_new_with_options ("user-agent", PACKAGE_NAME "/" PACKAGE_VERSION " ",
                                                 NULL);
  self->subscriptions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, nt_pv_subscription_free);
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
  nt_pv_client_begin_connect (self);
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
  nt_pv_clear_source (&self->reconnect_source);
  nt_pv_clear_source (&self->connect_timeout_source);
  self->next_attempt_at = 0;
  if (self->connect_cancellable != NULL)
    g_cancellable_cancel (self->connect_cancellable);
  g_clear_object (&self->connect_cancellable);

  nt_pv_client_lose_connection (self, _("Disconnected from the live-value server."));
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
  nt_pv_client_begin_connect (self);
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
      nt_pv_client_schedule_flush_requests (self);
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
      nt_pv_client_schedule_flush_requests (self);
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
    nt_pv_client_start_keepalive (self);
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
