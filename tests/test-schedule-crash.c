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
  g_test_add_func ("/schedule/cli/token", test_token_cli);

  return g_test_run ();
}
