/* bench-pvws-server.c: CPU the PVWS service needs to serve 50 PVs at 10 Hz
 * to 100 WebSocket clients on loopback
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The server (NtPvTable + NtPvwsService on a SoupServer) runs in a thread
 * of its own, with a timer changing every PV every 100 ms; the clients
 * (libsoup WebSocket connections) run in the main thread and count what
 * they receive.  The figure is the server thread's CPU time (user + system,
 * getrusage RUSAGE_THREAD) over the measured window.
 *
 *   bench-pvws-server [--seconds S] [--clients N] [--pvs N] [--rate HZ]
 */
#include "config.h"

#define _GNU_SOURCE 1
#include <math.h>
#include <sys/resource.h>
#include <libsoup/soup.h>

#include "nt-pvws-service.h"
#include "nt-clock.h"

typedef struct
{
  guint         n_pvs;
  double        rate_hz;
  GMainContext *context;
  GMainLoop    *loop;
  char         *uri;
  GMutex        lock;
  GCond         cond;
  gboolean      ready;
  guint64       counter;
  NtPvTable    *pvs;
  /* measured */
  double        cpu_start;
  double        cpu_end;
  guint64       sent_start;
  guint64       sent_end;
  NtPvwsService *service;
} Server;

typedef struct
{
  SoupWebsocketConnection *conn;
  guint64                  n_messages;
} Client;

static double
thread_cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_THREAD, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
         usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

static gboolean
update_cb (gpointer data)
{
  Server *server = data;
  gint64 now = nt_clock_now_us ();

  server->counter++;
  for (guint i = 0; i < server->n_pvs; i++)
    nt_pv_table_set_number (server->pvs, i, 400 + sin (server->counter * 0.1 + i) * 0.5,
                            NT_SEVERITY_NONE, now);
  return G_SOURCE_CONTINUE;
}

static gboolean
mark_cb (gpointer data)
{
  Server *server = data;

  g_mutex_lock (&server->lock);
  if (server->cpu_start == 0)
    {
      server->cpu_start = thread_cpu_seconds ();
      server->sent_start = nt_pvws_service_get_n_updates_sent (server->service);
    }
  else
    {
      server->cpu_end = thread_cpu_seconds ();
      server->sent_end = nt_pvws_service_get_n_updates_sent (server->service);
    }
  g_cond_signal (&server->cond);
  g_mutex_unlock (&server->lock);

  return G_SOURCE_REMOVE;
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (((Server *) data)->loop);
  return G_SOURCE_REMOVE;
}

static gpointer
server_thread (gpointer data)
{
  Server *server = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupServer) soup = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSource) timer = NULL;
  GSList *uris;

  g_main_context_push_thread_default (server->context);

  server->pvs = nt_pv_table_new ();
  for (guint i = 0; i < server->n_pvs; i++)
    {
      g_autofree char *name = g_strdup_printf ("BENCH:PV%02u", i);

      nt_pv_table_add (server->pvs, &(NtPvInfo) {
          .name = name, .type = NT_PV_TYPE_DOUBLE, .description = "Benchmark value", .units = "mA",
          .precision = 3, .min = 0, .max = 500, .warn_low = 398, .warn_high = 402,
          .alarm_low = NAN, .alarm_high = NAN, .readonly = TRUE });
    }
  update_cb (server);

  server->service = nt_pvws_service_new (server->pvs);
  nt_pvws_service_set_period (server->service, 100);
  soup = soup_server_new (NULL, NULL);
  nt_pvws_service_attach (server->service, soup, "/pvws/pv");
  if (!soup_server_listen (soup, address, 0, &error))
    g_error ("%s", error->message);
  uris = soup_server_get_uris (soup);
  server->uri = g_strdup_printf ("ws://127.0.0.1:%d/pvws/pv", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  timer = g_timeout_source_new ((guint) (1000 / server->rate_hz));
  g_source_set_callback (timer, update_cb, server, NULL);
  g_source_attach (timer, server->context);

  g_mutex_lock (&server->lock);
  server->ready = TRUE;
  g_cond_signal (&server->cond);
  g_mutex_unlock (&server->lock);

  g_main_loop_run (server->loop);

  g_source_destroy (timer);
  nt_pvws_service_shutdown (server->service);
  soup_server_disconnect (soup);
  g_clear_object (&server->service);
  g_clear_object (&server->pvs);
  g_main_context_pop_thread_default (server->context);

  return NULL;
}

static void
on_message_cb (SoupWebsocketConnection *conn,
               gint                     type,
               GBytes                  *message,
               gpointer                 user_data)
{
  ((Client *) user_data)->n_messages++;
}

static void
connect_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Client *client = user_data;
  g_autoptr(GError) error = NULL;

  client->conn = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  if (client->conn == NULL)
    g_error ("Cannot connect: %s", error->message);
  g_signal_connect (client->conn, "message", G_CALLBACK (on_message_cb), client);
}

static void
run_main_for (double seconds)
{
  gint64 until = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (200), TRUE);
}

static void
server_mark (Server *server)
{
  g_mutex_lock (&server->lock);
  g_main_context_invoke (server->context, mark_cb, server);
  g_cond_wait (&server->cond, &server->lock);
  g_mutex_unlock (&server->lock);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- PVWS server benchmark");
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autofree char *subscribe = NULL;
  g_autoptr(GString) pv_list = g_string_new ("");
  Server server = { 0 };
  Client *clients;
  GThread *thread;
  double seconds = 10, rate = 10;
  int n_clients = 100, n_pvs = 50;
  guint64 received_start = 0, received_end = 0;
  double client_cpu_start, client_cpu_end, wall_start, wall;
  const GOptionEntry entries[] = {
    { "seconds", 0, 0, G_OPTION_ARG_DOUBLE, &seconds, "Measured time (default 10)", "S" },
    { "clients", 0, 0, G_OPTION_ARG_INT, &n_clients, "WebSocket clients (default 100)", "N" },
    { "pvs", 0, 0, G_OPTION_ARG_INT, &n_pvs, "PVs, each changed at the rate (default 50)", "N" },
    { "rate", 0, 0, G_OPTION_ARG_DOUBLE, &rate, "Changes per PV per second (default 10)", "HZ" },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (n_clients < 1 || n_pvs < 1 || rate <= 0 || rate > 1000 || seconds <= 0)
    {
      g_printerr ("Bad arguments\n");
      return 2;
    }

  server.n_pvs = n_pvs;
  server.rate_hz = rate;
  server.context = g_main_context_new ();
  server.loop = g_main_loop_new (server.context, FALSE);
  g_mutex_init (&server.lock);
  g_cond_init (&server.cond);
  thread = g_thread_new ("bench-server", server_thread, &server);
  g_mutex_lock (&server.lock);
  while (!server.ready)
    g_cond_wait (&server.cond, &server.lock);
  g_mutex_unlock (&server.lock);

  session = soup_session_new_with_options ("max-conns", n_clients + 10,
                                           "max-conns-per-host", n_clients + 10, NULL);
  clients = g_new0 (Client, n_clients);
  for (int i = 0; i < n_clients; i++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", server.uri);

      soup_session_websocket_connect_async (session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                            connect_cb, &clients[i]);
    }
  for (int i = 0; i < n_clients; i++)
    while (clients[i].conn == NULL)
      g_main_context_iteration (NULL, TRUE);

  for (int i = 0; i < n_pvs; i++)
    g_string_append_printf (pv_list, "%s\"BENCH:PV%02d\"", i ? "," : "", i);
  subscribe = g_strdup_printf ("{\"type\":\"subscribe\",\"pvs\":[%s]}", pv_list->str);
  for (int i = 0; i < n_clients; i++)
    soup_websocket_connection_send_text (clients[i].conn, subscribe);

  /* Warm up, then measure. */
  run_main_for (1.0);
  server_mark (&server);
  for (int i = 0; i < n_clients; i++)
    received_start += clients[i].n_messages;
  client_cpu_start = thread_cpu_seconds ();
  wall_start = g_get_monotonic_time () / 1e6;

  run_main_for (seconds);

  server_mark (&server);
  wall = g_get_monotonic_time () / 1e6 - wall_start;
  client_cpu_end = thread_cpu_seconds ();
  for (int i = 0; i < n_clients; i++)
    received_end += clients[i].n_messages;

  g_print ("PVWS server: %d PVs at %g Hz to %d WebSocket clients on loopback, %.1f s measured\n",
           n_pvs, rate, n_clients, wall);
  g_print ("  updates sent:        %" G_GUINT64_FORMAT " (%.0f/s; ideal %.0f/s)\n",
           server.sent_end - server.sent_start, (server.sent_end - server.sent_start) / wall,
           n_pvs * rate * n_clients);
  g_print ("  updates received:    %" G_GUINT64_FORMAT " (%.0f/s)\n",
           received_end - received_start, (received_end - received_start) / wall);
  g_print ("  server thread CPU:   %.2f s = %.1f %% of one core (%.2f us per update sent)\n",
           server.cpu_end - server.cpu_start, 100 * (server.cpu_end - server.cpu_start) / wall,
           1e6 * (server.cpu_end - server.cpu_start) / MAX (1, server.sent_end - server.sent_start));
  g_print ("  client thread CPU:   %.2f s = %.1f %% of one core (all %d clients together)\n",
           client_cpu_end - client_cpu_start, 100 * (client_cpu_end - client_cpu_start) / wall, n_clients);

  for (int i = 0; i < n_clients; i++)
    {
      soup_websocket_connection_close (clients[i].conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_signal_handlers_disconnect_by_data (clients[i].conn, &clients[i]);
    }
  run_main_for (0.2);
  for (int i = 0; i < n_clients; i++)
    g_clear_object (&clients[i].conn);
  g_free (clients);

  g_main_context_invoke (server.context, quit_cb, &server);
  g_thread_join (thread);
  g_main_loop_unref (server.loop);
  g_main_context_unref (server.context);
  g_free (server.uri);

  return 0;
}
