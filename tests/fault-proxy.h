/* fault-proxy.h: a TCP relay that cuts, stalls, slices and delays
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For the tests only (header-only, static helpers).  A FaultProxy listens
 * on 127.0.0.1 and relays each connection to an upstream port, on the
 * main context, byte for byte, with faults the test turns on and off:
 *
 *  - cut: every relayed connection is closed at once, and new ones are
 *    refused (accepted and closed) until the cut is lifted;
 *  - stall: nothing more is passed on either way, the sockets stay open
 *    (a link that hangs); lifting it passes on what was held;
 *  - slice: what is passed on is written one byte at a time (TCP_NODELAY,
 *    so each byte is a segment of its own: WebSocket frames and HTTP
 *    replies arrive split everywhere);
 *  - delay: every chunk is passed on that many milliseconds after it came;
 *  - cut_after: the next connection's reply is cut after that many bytes.
 *
 * It counts the connections it was asked for, with their monotonic times,
 * so a test can see a client's reconnect back-off.
 */
#pragma once

#include <gio/gio.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

typedef struct _FaultProxy FaultProxy;
typedef struct _FaultConn FaultConn;

typedef struct
{
  FaultConn     *conn;
  GInputStream  *in;
  GOutputStream *out;
  GQueue         chunks;     /* GBytes, each stamped in @due */
  GQueue         due;        /* gint64 monotonic µs, one per chunk */
  gsize          offset;     /* into the head chunk */
  gboolean       writing;
  gboolean       eof;
  guint          timer;
  gboolean       downstream; /* upstream → client */
  gsize          passed;
} FaultDir;

struct _FaultConn
{
  gint           ref;
  FaultProxy    *proxy;
  GIOStream     *client;
  GIOStream     *upstream;
  GCancellable  *cancellable;
  FaultDir       up;         /* client → upstream */
  FaultDir       down;       /* upstream → client */
  gsize          cut_after;  /* 0: never */
  gboolean       closed;
};

struct _FaultProxy
{
  GSocketService *service;
  guint           port;
  guint           upstream_port;
  GPtrArray      *conns;       /* FaultConn, open ones */
  gboolean        cut;
  gboolean        stall;
  gboolean        slice;
  guint           delay_ms;
  gsize           next_cut_after;
  GArray         *attempts;    /* gint64 monotonic µs of each incoming connection */
};

static void fault_dir_kick (FaultDir *d);
static void fault_dir_read (FaultDir *d);

static inline FaultConn *
fault_conn_ref (FaultConn *c)
{
  c->ref++;
  return c;
}

static inline void
fault_dir_clear (FaultDir *d)
{
  g_queue_clear_full (&d->chunks, (GDestroyNotify) g_bytes_unref);
  g_queue_clear (&d->due);
  if (d->timer != 0)
    g_source_remove (d->timer);
  d->timer = 0;
}

static inline void
fault_conn_unref (FaultConn *c)
{
  if (--c->ref > 0)
    return;
  fault_dir_clear (&c->up);
  fault_dir_clear (&c->down);
  g_clear_object (&c->client);
  g_clear_object (&c->upstream);
  g_clear_object (&c->cancellable);
  g_free (c);
}

static inline void
fault_conn_close (FaultConn *c)
{
  if (c->closed)
    return;
  c->closed = TRUE;
  g_cancellable_cancel (c->cancellable);
  fault_dir_clear (&c->up);
  fault_dir_clear (&c->down);
  g_io_stream_close (c->client, NULL, NULL);
  g_io_stream_close (c->upstream, NULL, NULL);
  if (c->proxy != NULL)
    g_ptr_array_remove (c->proxy->conns, c);   /* drops the proxy's reference */
}

static gboolean
fault_dir_timer_cb (gpointer data)
{
  FaultDir *d = data;

  d->timer = 0;
  fault_dir_kick (d);
  return G_SOURCE_REMOVE;
}

static void
fault_dir_write_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      data)
{
  FaultDir *d = data;
  FaultConn *c = d->conn;
  g_autoptr(GError) error = NULL;
  gssize n = g_output_stream_write_finish (G_OUTPUT_STREAM (source), result, &error);

  d->writing = FALSE;
  if (c->closed || n < 0)
    {
      fault_conn_close (c);
      fault_conn_unref (c);
      return;
    }
  d->offset += (gsize) n;
  d->passed += (gsize) n;
  if (d->offset >= g_bytes_get_size (g_queue_peek_head (&d->chunks)))
    {
      g_bytes_unref (g_queue_pop_head (&d->chunks));
      g_queue_pop_head (&d->due);
      d->offset = 0;
    }
  if (d->downstream && c->cut_after > 0 && d->passed >= c->cut_after)
    fault_conn_close (c);
  else
    fault_dir_kick (d);
  fault_conn_unref (c);
}

/* Passes on what is held, as the faults allow. */
static void
fault_dir_kick (FaultDir *d)
{
  FaultConn *c = d->conn;
  FaultProxy *p = c->proxy;
  GBytes *head;
  gint64 due, now;
  gsize size, len;

  if (c->closed || d->writing || p == NULL || p->stall)
    return;
  head = g_queue_peek_head (&d->chunks);
  if (head == NULL)
    {
      if (d->eof)
        fault_conn_close (c);   /* one side is done and all of it passed on */
      return;
    }
  due = GPOINTER_TO_SIZE (g_queue_peek_head (&d->due)) + (gint64) p->delay_ms * 1000;
  now = g_get_monotonic_time ();
  if (now < due)
    {
      if (d->timer == 0)
        d->timer = g_timeout_add (MAX (1, (guint) ((due - now) / 1000)), fault_dir_timer_cb, d);
      return;
    }
  size = g_bytes_get_size (head) - d->offset;
  len = p->slice ? 1 : size;
  if (d->downstream && c->cut_after > 0)
    len = MIN (len, c->cut_after - d->passed);
  d->writing = TRUE;
  g_output_stream_write_async (d->out, (const guint8 *) g_bytes_get_data (head, NULL) + d->offset, len,
                               G_PRIORITY_DEFAULT, c->cancellable, fault_dir_write_cb, d);
  fault_conn_ref (c);
}

static void
fault_dir_read_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      data)
{
  FaultDir *d = data;
  FaultConn *c = d->conn;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);

  if (c->closed)
    {
      fault_conn_unref (c);
      return;
    }
  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    {
      d->eof = TRUE;
      fault_dir_kick (d);
    }
  else
    {
      g_queue_push_tail (&d->chunks, g_steal_pointer (&bytes));
      g_queue_push_tail (&d->due, GSIZE_TO_POINTER ((gsize) g_get_monotonic_time ()));
      fault_dir_kick (d);
      fault_dir_read (d);
    }
  fault_conn_unref (c);
}

static void
fault_dir_read (FaultDir *d)
{
  FaultConn *c = d->conn;

  if (c->closed)
    return;
  g_input_stream_read_bytes_async (d->in, 65536, G_PRIORITY_DEFAULT, c->cancellable, fault_dir_read_cb, d);
  fault_conn_ref (c);
}

static inline void
fault_set_nodelay (GIOStream *stream)
{
  GSocket *socket = g_socket_connection_get_socket (G_SOCKET_CONNECTION (stream));

  g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, 1, NULL);
}

static gboolean
fault_proxy_incoming_cb (GSocketService    *service,
                         GSocketConnection *connection,
                         GObject           *source,
                         gpointer           data)
{
  FaultProxy *p = data;
  g_autoptr(GSocketClient) client = NULL;
  g_autoptr(GSocketConnection) upstream = NULL;
  gint64 now = g_get_monotonic_time ();
  FaultConn *c;

  g_array_append_val (p->attempts, now);
  if (p->cut)
    {
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
      return TRUE;
    }
  client = g_socket_client_new ();
  upstream = g_socket_client_connect_to_host (client, "127.0.0.1", p->upstream_port, NULL, NULL);
  if (upstream == NULL)
    {
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
      return TRUE;
    }

  c = g_new0 (FaultConn, 1);
  c->ref = 1;   /* the proxy's, in p->conns */
  c->proxy = p;
  c->client = G_IO_STREAM (g_object_ref (connection));
  c->upstream = G_IO_STREAM (g_steal_pointer (&upstream));
  c->cancellable = g_cancellable_new ();
  c->cut_after = p->next_cut_after;
  p->next_cut_after = 0;
  fault_set_nodelay (c->client);
  fault_set_nodelay (c->upstream);
  c->up = (FaultDir) { .conn = c, .in = g_io_stream_get_input_stream (c->client),
                       .out = g_io_stream_get_output_stream (c->upstream) };
  c->down = (FaultDir) { .conn = c, .in = g_io_stream_get_input_stream (c->upstream),
                         .out = g_io_stream_get_output_stream (c->client), .downstream = TRUE };
  g_queue_init (&c->up.chunks);
  g_queue_init (&c->up.due);
  g_queue_init (&c->down.chunks);
  g_queue_init (&c->down.due);
  g_ptr_array_add (p->conns, c);
  fault_dir_read (&c->up);
  fault_dir_read (&c->down);
  return TRUE;
}

static inline FaultProxy *
fault_proxy_new (guint upstream_port)
{
  FaultProxy *p = g_new0 (FaultProxy, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) error = NULL;

  p->upstream_port = upstream_port;
  p->conns = g_ptr_array_new_with_free_func ((GDestroyNotify) fault_conn_unref);
  p->attempts = g_array_new (FALSE, FALSE, sizeof (gint64));
  p->service = g_socket_service_new ();
  g_socket_listener_add_address (G_SOCKET_LISTENER (p->service), address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error);
  g_assert_no_error (error);
  p->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  g_signal_connect (p->service, "incoming", G_CALLBACK (fault_proxy_incoming_cb), p);
  g_socket_service_start (p->service);
  return p;
}

/* @uri with the upstream's port replaced by the proxy's. */
static inline char *
fault_proxy_uri (FaultProxy *p,
                 const char *uri)
{
  g_autofree char *from = g_strdup_printf (":%u/", p->upstream_port);
  g_autofree char *to = g_strdup_printf (":%u/", p->port);
  g_auto(GStrv) parts = g_strsplit (uri, from, 2);

  g_assert_cmpuint (g_strv_length (parts), ==, 2);
  return g_strjoin (to, parts[0], parts[1], NULL);
}

static inline void
fault_proxy_set_cut (FaultProxy *p,
                     gboolean    cut)
{
  p->cut = cut;
  if (cut)
    while (p->conns->len > 0)
      fault_conn_close (g_ptr_array_index (p->conns, p->conns->len - 1));
}

static inline void
fault_proxy_set_stall (FaultProxy *p,
                       gboolean    stall)
{
  p->stall = stall;
  if (!stall)
    for (guint i = 0; i < p->conns->len; i++)
      {
        FaultConn *c = g_ptr_array_index (p->conns, i);

        fault_conn_ref (c);
        fault_dir_kick (&c->up);
        fault_dir_kick (&c->down);
        fault_conn_unref (c);
      }
}

static inline void
fault_proxy_free (FaultProxy *p)
{
  fault_proxy_set_cut (p, TRUE);
  g_socket_service_stop (p->service);
  g_socket_listener_close (G_SOCKET_LISTENER (p->service));
  g_object_unref (p->service);
  g_ptr_array_unref (p->conns);
  g_array_unref (p->attempts);
  g_free (p);
}
