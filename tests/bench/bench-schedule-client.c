/* bench-schedule-client.c: the console's path to the scheduling service
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What bench-schedule measures with raw HTTP, measured here through
 * NtScheduleClient as the console uses it: the request, the JSON parsed
 * into NtAllocation objects in a worker thread, the callback on the main
 * loop.  The service (demo FY2026 store, SQLite in a temporary directory)
 * runs in a thread of its own with its own main context.  A 1 ms timer on
 * the client's main loop records the longest the loop was kept from
 * running: the parse must not stall the GUI.  The year is read both ways:
 * into NtAllocation objects, and into the compact NtBookingStore the
 * schedule page reads (no object kept per allocation).
 *
 *   bench-schedule-client [--requests N] [--writes N] [--dense]
 *
 * --dense first books every free 8 h shift of user operation on every
 * station (staff slots, through the store's rules): the timeline's worst
 * case, several thousand allocations a year.
 */
#define G_LOG_DOMAIN "bench-schedule-client"

#include "config.h"

#include <stdlib.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "nt-auth.h"
#include "nt-schedule-client.h"
#include "nt-schedule-service.h"
#include "nt-schedule-store-private.h"
#include "nt-time.h"

typedef struct
{
  char         *db_path;
  GMainContext *context;
  GMainLoop    *loop;
  guint         port;
  char         *token;
  GMutex        lock;
  GCond         cond;
  gboolean      ready;
} Server;

static int n_requests = 100;
static int n_writes = 200;
static gboolean dense;

/* main-loop stall watch */
static gint64 last_tick;
static gint64 max_gap_us;

static gboolean
tick_cb (gpointer user_data)
{
  gint64 now = g_get_monotonic_time ();

  if (last_tick != 0)
    max_gap_us = MAX (max_gap_us, now - last_tick);
  last_tick = now;
  return G_SOURCE_CONTINUE;
}

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
  g_print ("%-40s %5u req  %7.0f req/s  median %8.3f ms  p99 %8.3f ms\n", what, ms->len,
           ms->len / seconds, g_array_index (ms, double, ms->len / 2),
           g_array_index (ms, double, MIN (ms->len - 1, (guint) (ms->len * 0.99))));
}

/* Books every free shift of user operation on every station, in one
 * transaction; shifts that collide with the demo bookings are refused by
 * the rules and skipped. */
static void
fill_dense (NtScheduleStore *store)
{
  g_autoptr(GPtrArray) stations = nt_catalogue_list_stations (nt_schedule_store_get_catalogue (store));
  g_autoptr(GArray) plan = nt_schedule_store_dup_plan (store);
  g_autoptr(NtScheduleFault) fault = NULL;
  NtScheduleActor actor = { "bench", NT_ROLE_ADMIN };

  if (!nt_schedule_store_begin (store, &fault))
    g_error ("%s", fault->message);

  for (guint s = 0; s < stations->len; s++)
    for (guint i = 0; i < plan->len; i++)
      {
        const NtPeriodSpan *span = &g_array_index (plan, NtPeriodSpan, i);

        if (span->kind != NT_PERIOD_USER_OPERATION)
          continue;
        for (gint64 t = nt_time_grid_ceil (nt_schedule_store_get_shift_grid (store), span->start);
             t + 8 * 3600 <= span->end; t += 8 * 3600)
          {
            g_autoptr(JsonObject) body = json_object_new ();
            g_autoptr(JsonNode) stored = NULL;
            g_autofree char *start = nt_time_format_iso (t);
            g_autofree char *end = nt_time_format_iso (t + 8 * 3600);

            json_object_set_string_member (body, "station",
                                           nt_station_get_id (g_ptr_array_index (stations, s)));
            json_object_set_string_member (body, "start", start);
            json_object_set_string_member (body, "end", end);
            json_object_set_string_member (body, "slot", "staff");
            json_object_set_string_member (body, "status", "confirmed");
            stored = nt_schedule_store_create_in_tx (store, NT_RESOURCE_ALLOCATION, body, &actor, &fault);
            g_clear_pointer (&fault, nt_schedule_fault_free);
          }
      }

  if (!nt_schedule_store_commit (store, &fault))
    g_error ("%s", fault->message);
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
  if (db == NULL)
    g_error ("%s", error->message);
  service = nt_schedule_service_new (db, &error);
  if (service == NULL || !nt_schedule_service_seed_demo (service, 2026, &error))
    g_error ("%s", error->message);
  if (dense)
    fill_dense (nt_schedule_service_get_store (service));
  srv->token = nt_auth_token_create (db, NT_ROLE_ADMIN, "bench", &error);
  if (srv->token == NULL)
    g_error ("%s", error->message);

  server = soup_server_new (NULL, NULL);
  nt_schedule_service_attach (service, server);
  if (!soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    g_error ("%s", error->message);
  uris = soup_server_get_uris (server);
  g_mutex_lock (&srv->lock);
  srv->port = g_uri_get_port (uris->data);
  srv->ready = TRUE;
  g_cond_signal (&srv->cond);
  g_mutex_unlock (&srv->lock);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_main_loop_run (srv->loop);

  nt_schedule_service_shutdown (service);
  soup_server_disconnect (server);
  g_main_context_pop_thread_default (srv->context);
  return NULL;
}

static void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) options = g_option_context_new ("- NtScheduleClient benchmark");
  GOptionEntry entries[] = {
    { "requests", 0, 0, G_OPTION_ARG_INT, &n_requests, "Year reads", "N" },
    { "writes", 0, 0, G_OPTION_ARG_INT, &n_writes, "Updates", "N" },
    { "dense", 0, 0, G_OPTION_ARG_NONE, &dense, "Book every free shift first", NULL },
    { NULL }
  };
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autoptr(NtScheduleClient) client = NULL;
  gint64 year_start, year_end;
  Server srv = { 0 };
  GThread *thread;
  guint tick_id;
  gint64 t0;

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    g_error ("%s", error->message);

  dir = g_dir_make_tmp ("nt-bench-schedule-client-XXXXXX", &error);
  if (dir == NULL)
    g_error ("%s", error->message);
  srv.db_path = g_build_filename (dir, "schedule.db", NULL);
  srv.context = g_main_context_new ();
  srv.loop = g_main_loop_new (srv.context, FALSE);
  g_mutex_init (&srv.lock);
  g_cond_init (&srv.cond);
  thread = g_thread_new ("schedule-server", server_thread, &srv);
  g_mutex_lock (&srv.lock);
  while (!srv.ready)
    g_cond_wait (&srv.cond, &srv.lock);
  g_mutex_unlock (&srv.lock);

  base = g_strdup_printf ("http://127.0.0.1:%u", srv.port);
  client = nt_schedule_client_new (base, srv.token);
  nt_time_fiscal_year_bounds (2026, &year_start, &year_end);
  tick_id = g_timeout_add (1, tick_cb, NULL);

  /* A whole year, all stations, into NtAllocation objects */
  {
    g_autoptr(GArray) lat = g_array_new (FALSE, FALSE, sizeof (double));
    guint n_items = 0;

    t0 = g_get_monotonic_time ();
    for (int i = 0; i < n_requests; i++)
      {
        g_autoptr(GAsyncResult) result = NULL;
        g_autoptr(GPtrArray) items = NULL;
        gint64 t1 = g_get_monotonic_time ();
        double ms;

        nt_schedule_client_list_allocations_async (client, year_start, year_end, NULL, NT_SLOT_ANY,
                                                   NULL, store_result_cb, &result);
        items = nt_schedule_client_list_allocations_finish (client, wait_for (&result), NULL, &error);
        if (items == NULL)
          g_error ("%s", error->message);
        ms = (g_get_monotonic_time () - t1) / 1000.0;
        g_array_append_val (lat, ms);
        n_items = items->len;
      }
    g_print ("FY2026 %s store: %u allocations a year\n", dense ? "dense" : "demo", n_items);
    report ("list_allocations (year, all stations)", lat, (g_get_monotonic_time () - t0) / 1e6);
    g_print ("%-40s longest main-loop stall %.1f ms (1 ms timer)\n", "", max_gap_us / 1000.0);
  }

  /* The same year into compact records (what the schedule page reads) */
  {
    g_autoptr(GArray) lat = g_array_new (FALSE, FALSE, sizeof (double));
    guint n_items = 0;
    gsize bytes = 0;

    max_gap_us = 0;
    t0 = g_get_monotonic_time ();
    for (int i = 0; i < n_requests; i++)
      {
        g_autoptr(GAsyncResult) result = NULL;
        g_autoptr(NtBookingStore) store = NULL;
        gint64 t1 = g_get_monotonic_time ();
        double ms;

        nt_schedule_client_list_allocation_store_async (client, year_start, year_end, NULL, NT_SLOT_ANY,
                                                        NULL, store_result_cb, &result);
        store = nt_schedule_client_list_allocation_store_finish (client, wait_for (&result), NULL, &error);
        if (store == NULL)
          g_error ("%s", error->message);
        ms = (g_get_monotonic_time () - t1) / 1000.0;
        g_array_append_val (lat, ms);
        n_items = nt_booking_store_get_size (store);
        bytes = nt_booking_store_get_bytes (store);
      }
    report ("list_allocation_store (year, records)", lat, (g_get_monotonic_time () - t0) / 1e6);
    g_print ("%-40s longest main-loop stall %.1f ms (1 ms timer)\n", "", max_gap_us / 1000.0);
    g_print ("%-40s the store holds %.0f B per allocation (records in blocks of 512, index, etags)\n", "",
             (double)bytes / MAX (n_items, 1));
  }

  /* Writes: PATCH one allocation again and again, each If-Match the etag
   * the previous write returned */
  {
    g_autoptr(GArray) lat = g_array_new (FALSE, FALSE, sizeof (double));
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GPtrArray) items = NULL;
    g_autoptr(NtAllocation) current = NULL;

    nt_schedule_client_list_allocations_async (client, year_start, year_end, "BL07U", NT_SLOT_ANY,
                                               NULL, store_result_cb, &result);
    items = nt_schedule_client_list_allocations_finish (client, wait_for (&result), NULL, &error);
    if (items == NULL || items->len == 0)
      g_error ("no allocation to update: %s", error != NULL ? error->message : "empty");
    current = nt_allocation_copy (g_ptr_array_index (items, 0));

    max_gap_us = 0;
    t0 = g_get_monotonic_time ();
    for (int i = 0; i < n_writes; i++)
      {
        g_autoptr(GAsyncResult) r = NULL;
        g_autofree char *note = g_strdup_printf ("bench %d", i);
        NtAllocation *saved;
        gint64 t1 = g_get_monotonic_time ();
        double ms;

        nt_allocation_set_note (current, note);
        nt_schedule_client_update_async (client, current, NULL, NULL, store_result_cb, &r);
        saved = nt_schedule_client_update_finish (client, wait_for (&r), NULL, &error);
        if (saved == NULL)
          g_error ("%s", error->message);
        ms = (g_get_monotonic_time () - t1) / 1000.0;
        g_array_append_val (lat, ms);
        g_object_unref (current);
        current = saved;
      }
    report ("update (PATCH, If-Match chain)", lat, (g_get_monotonic_time () - t0) / 1e6);
    g_print ("%-40s longest main-loop stall %.1f ms (1 ms timer)\n", "", max_gap_us / 1000.0);
  }

  g_source_remove (tick_id);
  g_clear_object (&client);
  g_main_loop_quit (srv.loop);
  g_thread_join (thread);
  g_main_loop_unref (srv.loop);
  g_main_context_unref (srv.context);
  g_free (srv.token);
  {
    g_autofree char *wal = g_strconcat (srv.db_path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (srv.db_path, "-shm", NULL);

    g_unlink (wal);
    g_unlink (shm);
    g_unlink (srv.db_path);
    g_rmdir (dir);
  }
  g_free (srv.db_path);

  return 0;
}
