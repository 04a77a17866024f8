/* bench-schedule.c: the scheduling service on loopback: reads and writes
 * per second, and GET /allocations for a whole year of all stations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The service (SQLite in a temporary directory, WAL, synchronous=FULL as
 * in production) runs in a thread of its own with its own main context;
 * one client in the main thread sends requests one after another over a
 * kept-alive connection and times each.  Printed: requests per second,
 * median and 99th-percentile latency.
 *
 *   bench-schedule [--requests N] [--writes N]
 *
 * "year (demo)" is the seeded FY2026 (~740 allocations); "year (dense)"
 * adds 8 h staff bookings on every free shift of user operation on every
 * station (several thousand allocations), the timeline's worst case.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "nt-auth.h"
#include "nt-run-plan.h"
#include "nt-schedule-service.h"
#include "nt-schedule-store-private.h"

typedef struct
{
  char         *db_path;
  gboolean      dense;
  GMainContext *context;
  GMainLoop    *loop;
  guint         port;
  char         *token;
  GMutex        lock;
  GCond         cond;
  gboolean      ready;
  guint         n_allocations;
} Server;

static int n_requests = 500;
static int n_writes = 300;

static int
cmp_double (const void *a,
            const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
report (const char *what,
        GArray     *ms,
        double      seconds)
{
  qsort (ms->data, ms->len, sizeof (double), cmp_double);
  g_print ("%-34s %7u req  %8.0f req/s  median %7.3f ms  p99 %7.3f ms\n", what, ms->len,
           ms->len / seconds, g_array_index (ms, double, ms->len / 2),
           g_array_index (ms, double, MIN (ms->len - 1, (guint) (ms->len * 0.99))));
}

/* Fills every free shift of user operation of every station with an 8 h
 * staff booking, in one transaction, through the store's rules. */
static void
fill_dense (NtScheduleStore *store)
{
  g_autoptr(NtScheduleFault) fault = NULL;
  g_autoptr(GPtrArray) stations = nt_catalogue_list_stations (nt_schedule_store_get_catalogue (store));
  g_autoptr(GArray) plan = nt_schedule_store_dup_plan (store);
  NtScheduleActor actor = { "bench", NT_ROLE_ADMIN };
  guint made = 0;

  if (!nt_schedule_store_begin (store, &fault))
    g_error ("begin: %s", fault->message);
  for (guint s = 0; s < stations->len; s++)
    {
      const char *station = nt_station_get_id (g_ptr_array_index (stations, s));

      for (guint i = 0; i < plan->len; i++)
        {
          const NtPeriodSpan *p = &g_array_index (plan, NtPeriodSpan, i);

          if (p->kind != NT_PERIOD_USER_OPERATION)
            continue;
          for (gint64 t = p->start; t + 8 * 3600 <= p->end; t += 8 * 3600)
            {
              g_autoptr(JsonObject) o = json_object_new ();
              g_autoptr(JsonNode) node = NULL;
              char buf[NT_TIME_ISO_LEN + 1];

              json_object_set_string_member (o, "station", station);
              nt_time_format_iso_buf (t, buf);
              json_object_set_string_member (o, "start", buf);
              nt_time_format_iso_buf (t + 8 * 3600, buf);
              json_object_set_string_member (o, "end", buf);
              json_object_set_string_member (o, "slot", "staff");
              json_object_set_string_member (o, "status", "confirmed");
              /* The store is inside the open transaction of the fill */
              node = nt_schedule_store_create_in_tx (store, NT_RESOURCE_ALLOCATION, o, &actor, &fault);
              if (node != NULL)
                made++;
              g_clear_pointer (&fault, nt_schedule_fault_free);   /* overlaps with the demo: skipped */
            }
        }
    }
  if (!nt_schedule_store_commit (store, &fault))
    g_error ("commit: %s", fault->message);
  g_print ("dense fill: %u more allocations\n", made);
}

static gpointer
server_thread (gpointer data)
{
  Server *srv = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(NtDb) db = NULL;
  g_autoptr(NtScheduleService) service = NULL;
  g_autoptr(SoupServer) server = NULL;
  GSList *uris;

  g_main_context_push_thread_default (srv->context);

  db = nt_db_open (srv->db_path, &error);
  g_assert_no_error (error);
  service = nt_schedule_service_new (db, &error);
  g_assert_no_error (error);
  if (!nt_schedule_service_seed_demo (service, 2026, &error))
    g_error ("%s", error->message);
  if (srv->dense)
    fill_dense (nt_schedule_service_get_store (service));
  srv->token = nt_auth_token_create (db, NT_ROLE_ADMIN, "bench", &error);
  g_assert_no_error (error);

  server = soup_server_new (NULL, NULL);
  nt_schedule_service_attach (service, server);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  g_mutex_lock (&srv->lock);
  srv->port = g_uri_get_port (uris->data);
  srv->ready = TRUE;
  g_cond_signal (&srv->cond);
  g_mutex_unlock (&srv->lock);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_main_loop_run (srv->loop);

  soup_server_disconnect (server);
  g_main_context_pop_thread_default (srv->context);
  return NULL;
}

static GBytes *
timed_request (SoupSession *session,
      const char  *method,
      const char  *uri,
      const char  *token,
      const char  *body,
      guint        expect,
      double      *ms)
{
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
  g_autoptr(GError) error = NULL;
  GBytes *reply;
  gint64 t0;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  if (body != NULL)
    {
      g_autoptr(GBytes) b = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", b);
    }
  t0 = g_get_monotonic_time ();
  reply = soup_session_send_and_read (session, msg, NULL, &error);
  *ms = (g_get_monotonic_time () - t0) / 1000.0;
  if (reply == NULL)
    g_error ("%s %s: %s", method, uri, error->message);
  if (soup_message_get_status (msg) != expect)
    g_error ("%s %s: %u %.*s", method, uri, soup_message_get_status (msg),
             (int) g_bytes_get_size (reply), (const char *) g_bytes_get_data (reply, NULL));
  return reply;
}

static void
run (gboolean dense)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("nt-bench-schedule-XXXXXX", &error);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *base = NULL;
  g_autofree char *year_uri = NULL;
  g_autofree char *month_uri = NULL;
  g_autofree char *post_uri = NULL;
  Server srv = { 0 };
  GThread *thread;
  double ms;
  gint64 t0;

  srv.db_path = g_build_filename (dir, "schedule.db", NULL);
  srv.dense = dense;
  srv.context = g_main_context_new ();
  srv.loop = g_main_loop_new (srv.context, FALSE);
  g_mutex_init (&srv.lock);
  g_cond_init (&srv.cond);
  thread = g_thread_new ("schedule-server", server_thread, &srv);
  g_mutex_lock (&srv.lock);
  while (!srv.ready)
    g_cond_wait (&srv.cond, &srv.lock);
  g_mutex_unlock (&srv.lock);

  base = g_strdup_printf ("http://127.0.0.1:%u/api/v1", srv.port);
  year_uri = g_strconcat (base, "/allocations?from=2026-03-31T15:00:00Z&to=2027-03-31T15:00:00Z", NULL);
  month_uri = g_strconcat (base, "/allocations?station=BL07U&from=2026-05-31T15:00:00Z&to=2026-06-30T15:00:00Z", NULL);
  post_uri = g_strconcat (base, "/allocations", NULL);

  g_print ("\n== %s store ==\n", dense ? "dense" : "demo");

  /* Whole year, all stations */
  {
    g_autoptr(GArray) lat = g_array_new (FALSE, FALSE, sizeof (double));
    g_autoptr(GBytes) first = timed_request (session, "GET", year_uri, srv.token, NULL, 200, &ms);
    g_autoptr(JsonParser) parser = json_parser_new ();
    int n = MAX (20, n_requests / (dense ? 10 : 5));

    json_parser_load_from_data (parser, g_bytes_get_data (first, NULL), g_bytes_get_size (first), NULL);
    g_print ("GET /allocations (year, all stations): %u allocations, %zu bytes\n",
             json_array_get_length (json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                                                  "items")),
             g_bytes_get_size (first));
    t0 = g_get_monotonic_time ();
    for (int i = 0; i < n; i++)
      {
        g_autoptr(GBytes) r = timed_request (session, "GET", year_uri, srv.token, NULL, 200, &ms);
        g_array_append_val (lat, ms);
      }
    report (dense ? "GET year, all stations (dense)" : "GET year, all stations (demo)", lat,
            (g_get_monotonic_time () - t0) / 1e6);
  }

  /* Small reads: one station, one month */
  {
    g_autoptr(GArray) lat = g_array_new (FALSE, FALSE, sizeof (double));

    t0 = g_get_monotonic_time ();
    for (int i = 0; i < n_requests; i++)
      {
        g_autoptr(GBytes) r = timed_request (session, "GET", month_uri, srv.token, NULL, 200, &ms);
        g_array_append_val (lat, ms);
      }
    report ("GET one station, one month", lat, (g_get_monotonic_time () - t0) / 1e6);
  }

  /* Writes: create (rules checked, fsync'd commit), then update */
  if (!dense)
    {
      g_autoptr(GArray) lat = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) lat_patch = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GPtrArray) created = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GPtrArray) etags = g_ptr_array_new_with_free_func (g_free);
      gint64 t = nt_time_from_local (2030, 5, 1, 9, 0);
      g_autofree char *period_uri = g_strconcat (base, "/run-plan", NULL);
      g_autoptr(GBytes) period = NULL;
      char p0[NT_TIME_ISO_LEN + 1], p1[NT_TIME_ISO_LEN + 1];
      g_autofree char *period_body = NULL;

      /* A user-operation block of its own, away from the demo year */
      nt_time_format_iso_buf (t, p0);
      nt_time_format_iso_buf (t + 90 * 86400, p1);
      period_body = g_strdup_printf ("{\"kind\":\"user_operation\",\"start\":\"%s\",\"end\":\"%s\"}", p0, p1);
      period = timed_request (session, "POST", period_uri, srv.token, period_body, 201, &ms);

      t0 = g_get_monotonic_time ();
      for (int i = 0; i < n_writes; i++)
        {
          g_autoptr(JsonParser) parser = json_parser_new ();
          g_autoptr(GBytes) r = NULL;
          char s0[NT_TIME_ISO_LEN + 1], s1[NT_TIME_ISO_LEN + 1];
          g_autofree char *body = NULL;
          JsonObject *o;

          /* Two stations, hour after hour */
          nt_time_format_iso_buf (t + (gint64) (i / 2) * 3600, s0);
          nt_time_format_iso_buf (t + (gint64) (i / 2 + 1) * 3600, s1);
          body = g_strdup_printf ("{\"station\":\"%s\",\"start\":\"%s\",\"end\":\"%s\",\"slot\":\"staff\","
                                  "\"status\":\"draft\"}", i % 2 ? "BL08W-SAXS" : "BL08W-XRD", s0, s1);
          r = timed_request (session, "POST", post_uri, srv.token, body, 201, &ms);
          g_array_append_val (lat, ms);
          json_parser_load_from_data (parser, g_bytes_get_data (r, NULL), g_bytes_get_size (r), NULL);
          o = json_node_get_object (json_parser_get_root (parser));
          g_ptr_array_add (created, g_strdup_printf ("%s/%" G_GINT64_FORMAT, post_uri, json_object_get_int_member (o, "id")));
          g_ptr_array_add (etags, g_strdup (json_object_get_string_member (o, "etag")));
        }
      report ("POST /allocations (create)", lat, (g_get_monotonic_time () - t0) / 1e6);

      t0 = g_get_monotonic_time ();
      for (guint i = 0; i < created->len; i++)
        {
          g_autoptr(SoupMessage) msg = soup_message_new ("PATCH", g_ptr_array_index (created, i));
          g_autofree char *auth = g_strconcat ("Bearer ", srv.token, NULL);
          g_autoptr(GBytes) b = g_bytes_new_static ("{\"status\":\"confirmed\"}", 22);
          g_autoptr(GBytes) r = NULL;
          gint64 t1 = g_get_monotonic_time ();

          soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
          soup_message_headers_replace (soup_message_get_request_headers (msg), "If-Match",
                                        g_ptr_array_index (etags, i));
          soup_message_set_request_body_from_bytes (msg, "application/json", b);
          r = soup_session_send_and_read (session, msg, NULL, &error);
          g_assert_no_error (error);
          if (soup_message_get_status (msg) != 200)
            g_error ("PATCH: %u", soup_message_get_status (msg));
          ms = (g_get_monotonic_time () - t1) / 1000.0;
          g_array_append_val (lat_patch, ms);
        }
      report ("PATCH /allocations/ID (If-Match)", lat_patch, (g_get_monotonic_time () - t0) / 1e6);
    }

  g_main_loop_quit (srv.loop);
  g_thread_join (thread);
  g_main_loop_unref (srv.loop);
  g_main_context_unref (srv.context);
  g_free (srv.token);
  {
    g_autofree char *wal = g_strconcat (srv.db_path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (srv.db_path, "-shm", NULL);

    g_remove (srv.db_path);
    g_remove (wal);
    g_remove (shm);
  }
  g_free (srv.db_path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("— scheduling service throughput and latency");
  g_autoptr(GError) error = NULL;
  GOptionEntry entries[] = {
    { "requests", 0, 0, G_OPTION_ARG_INT, &n_requests, "Read requests per figure (default 500)", "N" },
    { "writes", 0, 0, G_OPTION_ARG_INT, &n_writes, "Writes per figure (default 300)", "N" },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  run (FALSE);
  run (TRUE);
  return 0;
}
