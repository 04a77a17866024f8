/* test-schedule-crash.c: kill -9 of the serving process while a client
 * writes in a loop loses no acknowledged write and leaves the database
 * intact
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The program runs itself as the server ("--serve DB": the scheduling
 * service on 127.0.0.1, port printed on stdout), writes allocations from a
 * thread, SIGKILLs the server mid-stream, restarts it on the same file and
 * checks every acknowledged allocation is there and PRAGMA integrity_check
 * says ok.  Three rounds.
 *
 * Then the same against the real daemon, nanoterasu-facility (all its
 * services on one database; $NT_FACILITY_EXE), restarted 50 times: four
 * clients at once create, rename and delete members, the daemon is killed
 * at a different moment in each round, and after each kill every write
 * answered 2xx is in the file as answered, every change is whole (the row
 * and its audit entry together, the revision at the last change), and
 * PRAGMA integrity_check says ok.
 *
 * It also runs the daemon's token commands ("token …" as argv[1]) to check
 * a token made on the command line works and stops working when revoked.
 */
#include "config.h"

#include <signal.h>
#include <sys/prctl.h>

#include <unistd.h>

#include "schedule-test-util.h"
#include "test-instants.h"

#define ROUNDS 3
#define FACILITY_ROUNDS 50
#define FACILITY_CLIENTS 4

static char *self_exe;

static const char * const stations[] = { "BL02U", "BL06U", "BL13U", "BL07U", "BL08U", "BL09U", "BL09W", "BL10U" };

typedef struct
{
  char       *base;
  char       *token;
  gint64      first_slot;   /* JST-aligned hour from which this round writes */
  GMutex      lock;
  GArray     *acked;        /* gint64 ids answered 201 */
  gboolean    stop;
  guint       failures;
} Writer;

static int
serve (const char *db_path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NtDb) db = nt_db_open (db_path, &error);
  g_autoptr(NtScheduleService) service = NULL;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  GSList *uris;

  /* Never outlive the test, even when it aborts */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
  if (getppid () == 1)
    return 1;

  if (db == NULL || (service = nt_schedule_service_new (db, &error)) == NULL)
    {
      g_printerr ("serve: %s\n", error->message);
      return 1;
    }
  server = soup_server_new (NULL, NULL);
  nt_schedule_service_attach (service, server);
  if (!soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    {
      g_printerr ("serve: %s\n", error->message);
      return 1;
    }
  uris = soup_server_get_uris (server);
  g_print ("%d\n", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  fflush (stdout);
  g_main_loop_run (loop);
  return 0;
}

static GSubprocess *
spawn_server (const char  *db_path,
              char       **base)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) in = NULL;
  g_autofree char *line = NULL;
  GSubprocess *proc;

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, self_exe, "--serve", db_path, NULL);
  g_assert_no_error (error);
  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  line = g_data_input_stream_read_line (in, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  *base = g_strdup_printf ("http://127.0.0.1:%s", line);
  return proc;
}

static gpointer
writer_thread (gpointer data)
{
  Writer *w = data;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *uri = g_strconcat (w->base, "/api/v1/allocations", NULL);
  g_autofree char *auth = g_strconcat ("Bearer ", w->token, NULL);

  soup_session_set_timeout (session, 5);

  for (guint i = 0; !g_atomic_int_get (&w->stop); i++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new ("POST", uri);
      g_autoptr(GBytes) body = NULL;
      g_autoptr(GBytes) reply = NULL;
      g_autoptr(GError) error = NULL;
      gint64 start = w->first_slot + (gint64) (i / G_N_ELEMENTS (stations)) * 3600;
      char s0[NT_TIME_ISO_LEN + 1], s1[NT_TIME_ISO_LEN + 1];
      g_autofree char *text = NULL;

      nt_time_format_iso_buf (start, s0);
      nt_time_format_iso_buf (start + 3600, s1);
      text = g_strdup_printf ("{\"station\":\"%s\",\"start\":\"%s\",\"end\":\"%s\",\"slot\":\"staff\","
                              "\"status\":\"confirmed\",\"note\":\"write %u\"}",
                              stations[i % G_N_ELEMENTS (stations)], s0, s1, i);
      body = g_bytes_new (text, strlen (text));
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
      soup_message_set_request_body_from_bytes (msg, "application/json", body);

      reply = soup_session_send_and_read (session, msg, NULL, &error);
      if (reply == NULL)
        {
          /* The server is gone: stop after the kill, the main thread decides */
          w->failures++;
          if (g_atomic_int_get (&w->stop))
            break;
          g_usleep (2000);
          continue;
        }
      if (soup_message_get_status (msg) == 201)
        {
          g_autoptr(JsonParser) parser = json_parser_new ();
          gint64 id;

          g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (reply, NULL),
                                                     g_bytes_get_size (reply), NULL));
          id = json_object_get_int_member (json_node_get_object (json_parser_get_root (parser)), "id");
          g_mutex_lock (&w->lock);
          g_array_append_val (w->acked, id);
          g_mutex_unlock (&w->lock);
        }
      else
        g_error ("unexpected status %u: %.*s", soup_message_get_status (msg),
                 (int) g_bytes_get_size (reply), (const char *) g_bytes_get_data (reply, NULL));
    }
  return NULL;
}

static guint
n_acked (Writer *w)
{
  guint n;

  g_mutex_lock (&w->lock);
  n = w->acked->len;
  g_mutex_unlock (&w->lock);
  return n;
}

static void
prepare_db (const char *db_path,
            char      **token)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NtDb) db = nt_db_open (db_path, &error);
  g_autoptr(NtScheduleService) service = NULL;
  g_autoptr(NtScheduleFault) fault = NULL;
  g_autoptr(JsonNode) body = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonNode) created = NULL;
  JsonObject *o = json_object_new ();
  NtScheduleActor actor = { "setup", NT_ROLE_ADMIN };
  char buf[NT_TIME_ISO_LEN + 1];

  g_assert_no_error (error);
  service = nt_schedule_service_new (db, &error);
  g_assert_no_error (error);

  json_object_set_string_member (o, "kind", "user_operation");
  nt_time_format_iso_buf (nt_time_from_local (2026, 5, 1, 9, 0), buf);
  json_object_set_string_member (o, "start", buf);
  nt_time_format_iso_buf (nt_time_from_local (2027, 3, 1, 9, 0), buf);
  json_object_set_string_member (o, "end", buf);
  json_node_take_object (body, o);
  created = nt_schedule_store_create (nt_schedule_service_get_store (service), NT_RESOURCE_PERIOD, body,
                                      &actor, &fault);
  g_assert_null (fault);
  g_assert_nonnull (created);

  *token = nt_auth_token_create (db, NT_ROLE_OFFICE, "crash writer", &error);
  g_assert_no_error (error);
}

static void
check_db (const char *db_path,
          GArray     *acked)
{
  sqlite3 *h = NULL;
  sqlite3_stmt *s = NULL;
  g_autoptr(GHashTable) present = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  g_assert_cmpint (sqlite3_open_v2 (db_path, &h, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (h, "PRAGMA integrity_check", -1, &s, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (s), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (s, 0), ==, "ok");
  sqlite3_finalize (s);

  g_assert_cmpint (sqlite3_prepare_v2 (h, "SELECT id FROM allocations", -1, &s, NULL), ==, SQLITE_OK);
  while (sqlite3_step (s) == SQLITE_ROW)
    {
      gint64 *id = g_new (gint64, 1);

      *id = sqlite3_column_int64 (s, 0);
      g_hash_table_add (present, id);
    }
  sqlite3_finalize (s);

  /* Revision and audit log agree with the rows */
  g_assert_cmpint (sqlite3_prepare_v2 (h, "SELECT (SELECT value FROM meta WHERE key = 'revision'), "
                                          "(SELECT MAX (revision) FROM changes), (SELECT COUNT (*) FROM changes)",
                                       -1, &s, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (s), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int64 (s, 0), ==, sqlite3_column_int64 (s, 1));
  g_assert_cmpint (sqlite3_column_int64 (s, 1), ==, sqlite3_column_int64 (s, 2));
  g_assert_cmpint (sqlite3_column_int64 (s, 2), ==, g_hash_table_size (present) + 1);
  sqlite3_finalize (s);
  sqlite3_close (h);

  for (guint i = 0; i < acked->len; i++)
    {
      gint64 id = g_array_index (acked, gint64, i);

      if (!g_hash_table_contains (present, &id))
        g_error ("acknowledged allocation %" G_GINT64_FORMAT " is missing", id);
    }
}

static void
test_kill9 (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("nt-schedule-crash-XXXXXX", &error);
  g_autofree char *db_path = g_build_filename (dir, "schedule.db", NULL);
  g_autofree char *token = NULL;
  g_autoptr(GArray) all_acked = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_assert_no_error (error);
  prepare_db (db_path, &token);

  for (int round = 0; round < ROUNDS; round++)
    {
      g_autoptr(GSubprocess) proc = NULL;
      Writer w = { 0 };
      GThread *thread;
      gint64 deadline;

      proc = spawn_server (db_path, &w.base);
      w.token = token;
      w.first_slot = nt_time_from_local (2026, 5 + round * 3, 1, 9, 0);
      w.acked = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_mutex_init (&w.lock);
      thread = g_thread_new ("writer", writer_thread, &w);

      /* Let it write for a while, then kill -9 mid-stream */
      deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
      while (n_acked (&w) < 40 + 20 * (guint) round && g_get_monotonic_time () < deadline)
        g_usleep (1000);
      g_subprocess_send_signal (proc, SIGKILL);
      g_subprocess_wait (proc, NULL, &error);
      g_assert_no_error (error);
      g_assert_false (g_subprocess_get_if_exited (proc));
      g_assert_cmpint (g_subprocess_get_term_sig (proc), ==, SIGKILL);
      g_atomic_int_set (&w.stop, TRUE);
      g_thread_join (thread);

      g_test_message ("round %d: %u writes acknowledged before kill -9", round, w.acked->len);
      g_assert_cmpuint (w.acked->len, >=, 40);
      g_array_append_vals (all_acked, w.acked->data, w.acked->len);

      /* Every acknowledged write of every round is in the file */
      check_db (db_path, all_acked);

      g_array_unref (w.acked);
      g_mutex_clear (&w.lock);
      g_free (w.base);
    }

  /* And a restarted server serves them */
  {
    g_autoptr(GSubprocess) proc = NULL;
    g_autoptr(SoupSession) session = soup_session_new ();
    g_autofree char *base = NULL;
    g_autofree char *uri = NULL;
    g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
    g_autoptr(SoupMessage) msg = NULL;
    g_autoptr(GBytes) reply = NULL;
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonArray *items;

    proc = spawn_server (db_path, &base);
    uri = g_strconcat (base, "/api/v1/allocations", NULL);
    msg = soup_message_new ("GET", uri);
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    reply = soup_session_send_and_read (session, msg, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
    g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (reply, NULL), g_bytes_get_size (reply), NULL));
    items = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "items");
    g_assert_cmpuint (json_array_get_length (items), >=, all_acked->len);
    g_subprocess_send_signal (proc, SIGTERM);
    g_subprocess_wait (proc, NULL, NULL);
  }

  sched_remove_db (db_path);
  g_rmdir (dir);
}

/* The daemon */

static void
die_with_parent_cb (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static GSubprocess *
spawn_facility (const char  *db_path,
                char       **base)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) in = NULL;
  g_autofree char *line = NULL;
  const char *exe = g_getenv ("NT_FACILITY_EXE");
  const char *uri;
  GSubprocess *proc;

  g_assert_nonnull (exe);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent_cb, NULL, NULL);
  proc = g_subprocess_launcher_spawn (launcher, &error, exe, "--db", db_path, "--listen", "127.0.0.1:0",
                                      "--now", NT_TEST_USER_OPERATION, NULL);
  g_assert_no_error (error);
  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  line = g_data_input_stream_read_line (in, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  /* "nanoterasu-facility listening on http://127.0.0.1:PORT/ (…)" */
  uri = strstr (line, "http://");
  g_assert_nonnull (uri);
  *base = g_strndup (uri, strlen ("http://") + strcspn (uri + strlen ("http://"), "/ "));
  return proc;
}

/* What one member should be after the writes answered 2xx. */
typedef struct
{
  gint64   id;
  guint    acked_rename;   /* the last rename answered 2xx (0: none) */
  gboolean acked_delete;
  gboolean sent_delete;    /* a DELETE went out (answered or not) */
} Expected;

typedef struct
{
  guint       client;
  char       *base;
  const char *token;
  guint       round;
  gint        stop;
  GMutex      lock;
  GArray     *members;     /* Expected */
  guint       n_acked;
} Client;

static guint
send_json (SoupSession *session,
           const char  *method,
           const char  *uri,
           const char  *auth,
           const char  *body,
           JsonNode   **reply_root)
{
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  if (!g_str_equal (method, "POST"))
    soup_message_headers_replace (soup_message_get_request_headers (msg), "If-Match", "*");
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  reply = soup_session_send_and_read (session, msg, NULL, &error);
  if (reply == NULL)
    return 0;   /* the daemon is gone */
  if (reply_root != NULL && g_bytes_get_size (reply) > 0)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (json_parser_load_from_data (parser, g_bytes_get_data (reply, NULL), g_bytes_get_size (reply), NULL))
        *reply_root = json_node_copy (json_parser_get_root (parser));
    }
  return soup_message_get_status (msg);
}

/* Creates a member, renames it twice, deletes every other one; over and
 * over until told to stop or the daemon is gone. */
static gpointer
client_thread (gpointer data)
{
  Client *c = data;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *collection = g_strconcat (c->base, "/api/v1/members", NULL);
  g_autofree char *auth = g_strconcat ("Bearer ", c->token, NULL);

  soup_session_set_timeout (session, 5);

  for (guint i = 0; !g_atomic_int_get (&c->stop); i++)
    {
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *body = g_strdup_printf ("{\"name\":\"Crash r%u c%u m%u\",\"units\":1,"
                                               "\"contract_start\":\"2024-04-01\",\"contract_end\":\"2034-03-31\"}",
                                               c->round, c->client, i);
      g_autofree char *item = NULL;
      Expected e = { 0 };
      guint status, index;

      status = send_json (session, "POST", collection, auth, body, &root);
      /* Gone, or killed while its answer was on the wire (a 201 with the
       * body cut short is not an answer: the id is not known). */
      if (status == 0 || (status == 201 && root == NULL))
        break;
      if (status != 201)
        g_error ("POST member: %u", status);
      e.id = json_object_get_int_member (json_node_get_object (root), "id");
      g_mutex_lock (&c->lock);
      g_array_append_val (c->members, e);
      index = c->members->len - 1;
      c->n_acked++;
      g_mutex_unlock (&c->lock);
      item = g_strdup_printf ("%s/%" G_GINT64_FORMAT, collection, e.id);

      for (guint k = 1; k <= 2; k++)
        {
          g_autofree char *rename = g_strdup_printf ("{\"name\":\"Crash r%u c%u m%u rename %u\"}",
                                                     c->round, c->client, i, k);

          status = send_json (session, "PATCH", item, auth, rename, NULL);
          if (status == 0)
            return NULL;
          if (status != 200)
            g_error ("PATCH member: %u", status);
          g_mutex_lock (&c->lock);
          g_array_index (c->members, Expected, index).acked_rename = k;
          c->n_acked++;
          g_mutex_unlock (&c->lock);
        }

      if (i % 2 == 1)
        {
          g_mutex_lock (&c->lock);
          g_array_index (c->members, Expected, index).sent_delete = TRUE;
          g_mutex_unlock (&c->lock);
          status = send_json (session, "DELETE", item, auth, NULL, NULL);
          if (status == 0)
            break;
          if (status != 204)
            g_error ("DELETE member: %u", status);
          g_mutex_lock (&c->lock);
          g_array_index (c->members, Expected, index).acked_delete = TRUE;
          c->n_acked++;
          g_mutex_unlock (&c->lock);
        }
    }
  return NULL;
}

static guint
clients_acked (Client *clients)
{
  guint n = 0;

  for (guint i = 0; i < FACILITY_CLIENTS; i++)
    {
      g_mutex_lock (&clients[i].lock);
      n += clients[i].n_acked;
      g_mutex_unlock (&clients[i].lock);
    }
  return n;
}

static gint64
query_int (sqlite3    *h,
           const char *sql,
           const char *arg)
{
  sqlite3_stmt *s = NULL;
  gint64 v = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (h, sql, -1, &s, NULL), ==, SQLITE_OK);
  if (arg != NULL)
    sqlite3_bind_text (s, 1, arg, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (s) == SQLITE_ROW)
    v = sqlite3_column_int64 (s, 0);
  sqlite3_finalize (s);
  return v;
}

/* Every write answered 2xx is in the file as answered; every change whole. */
static void
check_members (const char *db_path,
               GArray     *expected)
{
  sqlite3 *h = NULL;
  sqlite3_stmt *s = NULL;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &h, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (h, "PRAGMA integrity_check", -1, &s, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (s), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (s, 0), ==, "ok");
  sqlite3_finalize (s);

  /* The revision is the last change's */
  g_assert_cmpint (query_int (h, "SELECT value FROM meta WHERE key = 'revision'", NULL), ==,
                   query_int (h, "SELECT MAX (revision) FROM changes", NULL));
  /* Each member row has its "created" audit entry and its last rename's;
   * no member the audit says was deleted is there, and each one it says
   * was made and not deleted is */
  g_assert_cmpint (query_int (h, "SELECT COUNT (*) FROM members m WHERE NOT EXISTS (SELECT 1 FROM changes c "
                                 "WHERE c.resource = 'member' AND c.action = 'created' AND c.object_id = m.id)",
                              NULL), ==, 0);
  g_assert_cmpint (query_int (h, "SELECT COUNT (*) FROM members m WHERE m.name != (SELECT json_extract (c.after, '$.name') "
                                 "FROM changes c WHERE c.resource = 'member' AND c.object_id = m.id "
                                 "ORDER BY c.revision DESC LIMIT 1)", NULL), ==, 0);
  g_assert_cmpint (query_int (h, "SELECT COUNT (*) FROM changes c WHERE c.resource = 'member' AND c.action = 'deleted' "
                                 "AND EXISTS (SELECT 1 FROM members m WHERE m.id = c.object_id)", NULL), ==, 0);
  g_assert_cmpint (query_int (h, "SELECT COUNT (*) FROM changes c WHERE c.resource = 'member' AND c.action = 'created' "
                                 "AND NOT EXISTS (SELECT 1 FROM members m WHERE m.id = c.object_id) "
                                 "AND NOT EXISTS (SELECT 1 FROM changes d WHERE d.resource = 'member' "
                                 "AND d.action = 'deleted' AND d.object_id = c.object_id)", NULL), ==, 0);

  g_assert_cmpint (sqlite3_prepare_v2 (h, "SELECT name FROM members WHERE id = ?", -1, &s, NULL), ==, SQLITE_OK);
  for (guint i = 0; i < expected->len; i++)
    {
      const Expected *e = &g_array_index (expected, Expected, i);
      const char *name;

      sqlite3_reset (s);
      sqlite3_bind_int64 (s, 1, e->id);
      if (sqlite3_step (s) != SQLITE_ROW)
        {
          /* Gone: only if a DELETE was sent */
          if (!e->sent_delete)
            g_error ("acknowledged member %" G_GINT64_FORMAT " is missing", e->id);
          continue;
        }
      if (e->acked_delete)
        g_error ("member %" G_GINT64_FORMAT " was deleted (204) but is there", e->id);
      name = (const char *) sqlite3_column_text (s, 0);
      if (e->acked_rename > 0)
        {
          const char *rename = strstr (name, " rename ");

          if (rename == NULL || g_ascii_strtoull (rename + strlen (" rename "), NULL, 10) < e->acked_rename)
            g_error ("member %" G_GINT64_FORMAT " is “%s”, but rename %u was acknowledged", e->id, name,
                     e->acked_rename);
        }
    }
  sqlite3_finalize (s);
  sqlite3_close (h);
}

static void
test_facility_kill9 (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("nt-facility-crash-XXXXXX", &error);
  g_autofree char *db_path = g_build_filename (dir, "facility.db", NULL);
  g_autofree char *token = NULL;
  g_autoptr(GArray) expected = g_array_new (FALSE, FALSE, sizeof (Expected));
  guint total = 0;

  g_assert_no_error (error);
  {
    g_autoptr(NtDb) db = nt_db_open (db_path, &error);
    g_autoptr(NtScheduleService) service = NULL;

    g_assert_no_error (error);
    service = nt_schedule_service_new (db, &error);   /* the tables, for the token */
    g_assert_no_error (error);
    token = nt_auth_token_create (db, NT_ROLE_OFFICE, "crash clients", &error);
    g_assert_no_error (error);
  }

  for (guint round = 0; round < FACILITY_ROUNDS; round++)
    {
      g_autoptr(GSubprocess) proc = NULL;
      g_autofree char *base = NULL;
      Client clients[FACILITY_CLIENTS] = { 0 };
      GThread *threads[FACILITY_CLIENTS];
      guint want = 8 + (round * 7) % 23;   /* a different moment in each round */
      gint64 deadline;
      guint acked;

      proc = spawn_facility (db_path, &base);
      for (guint i = 0; i < FACILITY_CLIENTS; i++)
        {
          clients[i].client = i;
          clients[i].base = base;
          clients[i].token = token;
          clients[i].round = round;
          clients[i].members = g_array_new (FALSE, FALSE, sizeof (Expected));
          g_mutex_init (&clients[i].lock);
          threads[i] = g_thread_new ("client", client_thread, &clients[i]);
        }

      deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
      while (clients_acked (clients) < want && g_get_monotonic_time () < deadline)
        g_usleep (500);
      g_subprocess_send_signal (proc, SIGKILL);
      g_subprocess_wait (proc, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (g_subprocess_get_term_sig (proc), ==, SIGKILL);

      acked = 0;
      for (guint i = 0; i < FACILITY_CLIENTS; i++)
        {
          g_atomic_int_set (&clients[i].stop, TRUE);
          g_thread_join (threads[i]);
          g_array_append_vals (expected, clients[i].members->data, clients[i].members->len);
          acked += clients[i].n_acked;
          g_array_unref (clients[i].members);
          g_mutex_clear (&clients[i].lock);
        }
      g_assert_cmpuint (acked, >=, want);
      total += acked;

      check_members (db_path, expected);
    }
  g_test_message ("%u rounds of %u clients, %u writes acknowledged, %u members checked after each kill -9",
                  FACILITY_ROUNDS, FACILITY_CLIENTS, total, expected->len);

  sched_remove_db (db_path);
  g_rmdir (dir);
}

static char *
run_self (GError **error,
          ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autofree char *out = NULL;
  va_list ap;
  const char *a;

  g_ptr_array_add (args, self_exe);
  va_start (ap, error);
  while ((a = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (char *) a);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  proc = g_subprocess_newv ((const char * const *) args->pdata, G_SUBPROCESS_FLAGS_STDOUT_PIPE, error);
  if (proc == NULL || !g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, NULL, error))
    return NULL;
  if (!g_subprocess_get_if_exited (proc) || g_subprocess_get_exit_status (proc) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "exit status %d", g_subprocess_get_exit_status (proc));
      return NULL;
    }
  return g_strstrip (g_steal_pointer (&out));
}

static guint
get_status (const char *base,
            const char *token)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *uri = g_strconcat (base, "/api/v1/members", NULL);
  g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", uri);
  static const char json[] = "{\"name\":\"CLI Co\",\"units\":1,\"contract_start\":\"2024-04-01\","
                             "\"contract_end\":\"2030-03-31\"}";
  g_autoptr(GBytes) body = g_bytes_new_static (json, strlen (json));
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  reply = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  return soup_message_get_status (msg);
}

static void
test_token_cli (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("nt-schedule-cli-XXXXXX", &error);
  g_autofree char *db_path = g_build_filename (dir, "schedule.db", NULL);
  g_autofree char *office = NULL;
  g_autofree char *viewer = NULL;
  g_autofree char *revoked = NULL;
  g_autofree char *base = NULL;
  g_autoptr(GSubprocess) proc = NULL;

  office = run_self (&error, "token", "create", "--db", db_path, "--role", "office", "--name", "Office PC", NULL);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (office, "nt_"));
  viewer = run_self (&error, "token", "create", "--db", db_path, "--role", "viewer", "--name", "Kiosk", NULL);
  g_assert_no_error (error);
  g_assert_cmpstr (office, !=, viewer);
  g_assert_null (run_self (&error, "token", "create", "--db", db_path, "--role", "root", "--name", "X", NULL));
  g_clear_error (&error);

  proc = spawn_server (db_path, &base);
  g_assert_cmpuint (get_status (base, office), ==, 201);
  g_assert_cmpuint (get_status (base, viewer), ==, 403);

  revoked = run_self (&error, "token", "revoke", "--db", db_path, "--name", "Office PC", NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (get_status (base, office), ==, 401);
  g_assert_cmpuint (get_status (base, viewer), ==, 403);
  g_assert_null (run_self (&error, "token", "revoke", "--db", db_path, "--name", "Office PC", NULL));
  g_clear_error (&error);

  /* The file keeps only hashes */
  {
    sqlite3 *h = NULL;
    sqlite3_stmt *s = NULL;

    g_assert_cmpint (sqlite3_open_v2 (db_path, &h, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_prepare_v2 (h, "SELECT COUNT (*) FROM tokens WHERE hash = ?1 OR name = ?1", -1, &s, NULL), ==, SQLITE_OK);
    sqlite3_bind_text (s, 1, office, -1, SQLITE_STATIC);
    g_assert_cmpint (sqlite3_step (s), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (s, 0), ==, 0);
    sqlite3_finalize (s);
    sqlite3_close (h);
  }

  g_subprocess_send_signal (proc, SIGTERM);
  g_subprocess_wait (proc, NULL, NULL);
  sched_remove_db (db_path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 3 && g_str_equal (argv[1], "--serve"))
    return serve (argv[2]);
  if (argc > 1 && g_str_equal (argv[1], "token"))
    return nt_schedule_token_command (argc - 1, argv + 1);

  self_exe = g_canonicalize_filename (argv[0], NULL);
  g_test_init (&argc, &argv, NULL);
  /* Every test here runs at a named instant, never at the real date. */
  nt_test_clock_run_from (NT_TEST_USER_OPERATION, 1.0);

  g_test_add_func ("/schedule/crash/kill9", test_kill9);
  g_test_add_func ("/schedule/crash/facility-kill9", test_facility_kill9);
  g_test_add_func ("/schedule/cli/token", test_token_cli);

  return g_test_run ();
}
