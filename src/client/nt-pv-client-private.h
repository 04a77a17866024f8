/* nt-pv-client-private.h: the client's message path, for tests and benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Also the instance struct and the internals that nt-pv-client.c and
 * nt-pv-client-connection.c share.
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "nt-pv-client.h"

G_BEGIN_DECLS

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

extern GParamSpec *nt_pv_client_properties[N_PROPS];
extern guint nt_pv_client_signals[N_SIGNALS];

typedef struct
{
  GWeakRef      self;
  GCancellable *cancellable;
} ConnectData;

void nt_pv_clear_source                   (GSource   **source);
void nt_pv_subscription_free              (gpointer    data);
void nt_pv_client_schedule_flush_requests (NtPvClient *self);
void nt_pv_client_drop_connection         (NtPvClient *self);
void nt_pv_client_lose_connection         (NtPvClient *self,
                                           const char *reason);
void nt_pv_client_start_keepalive         (NtPvClient *self);
void nt_pv_client_begin_connect           (NtPvClient *self);


void    nt_pv_client_handle_message       (NtPvClient *self,
                                           const char *data,
                                           gsize       len);
void    nt_pv_client_flush_updates        (NtPvClient *self);
guint64 nt_pv_client_get_n_messages       (NtPvClient *self);
guint64 nt_pv_client_get_n_protocol_errors (NtPvClient *self);
guint   nt_pv_client_get_next_delay_ms    (NtPvClient *self);

G_END_DECLS
