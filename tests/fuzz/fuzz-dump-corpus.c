/* fuzz-dump-corpus.c: writes the fuzz targets' seed corpora from a real exchange
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Starts the reference services (their own thread, a database in a new
 * temporary directory, the clock at NT_TEST_USER_OPERATION running 60×),
 * talks to them as the console and the tests do, and writes each message
 * and body that crossed the wire, prefixed with the selector byte of the
 * parser that reads it, under DIR/fuzz-client (what the services sent:
 * PVWS messages, getData.json replies, the profile, scheduling replies,
 * the change feed, error bodies, statistics) and DIR/fuzz-service (what
 * clients sent: scheduling bodies as NtScheduleClient writes them, query
 * strings (lists, calendar, statistics among them), PVWS requests, archive
 * queries, a token header).  Run by hand:
 *
 *   _build/tests/fuzz/fuzz-dump-corpus tests/fuzz/corpus
 */
#define G_LOG_DOMAIN "fuzz-dump-corpus"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "nt-facility-embed.h"
#include "nt-schedule-client-private.h"
#include "nt-time.h"

/* fuzz-client.c's and fuzz-service.c's parser tables, as letters */
enum { C_PVWS = 'A', C_ARCHIVE_RAW, C_ARCHIVE_BINNED, C_PROFILE, C_PERIOD, C_ALLOCATION, C_MEMBER,
       C_PROPOSAL, C_PERIODS, C_ALLOCATIONS, C_MEMBERS, C_PROPOSALS, C_SUMMARY, C_CHANGE, C_FAILURE,
       C_STATISTICS, C_WHOAMI };
enum { S_CREATE = 'A', S_UPDATE = 'E', S_SETTINGS = 'I', S_LIST, S_FY, S_SINCE, S_AUDIT, S_PVWS,
       S_ARCHIVE, S_TOKEN, S_CALENDAR, S_STATISTICS };

/* fuzz-client-schedule.c's failure_statuses[] */
static const guint failure_statuses[] = { 400, 401, 403, 404, 405, 409, 412, 413, 422, 428, 500, 503, 507 };
static const char * const collections[] = { "run-plan", "allocations", "members", "proposals" };
static const char * const resources[] = { "period", "allocation", "member", "proposal" };

static const char *out_dir;
static SoupSession *session;
static char *base;       /* no trailing slash */
static const char *token;

static void
put (const char *target,
     const char *name,
     char        selector,
     const char *prefix,
     gsize       prefix_len,
     const char *data,
     gsize       len)
{
  g_autofree char *dir = g_build_filename (out_dir, target, NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents (dir, 0755);
  g_byte_array_append (bytes, (const guint8 *) &selector, 1);
  if (prefix_len > 0)
    g_byte_array_append (bytes, (const guint8 *) prefix, prefix_len);
  g_byte_array_append (bytes, (const guint8 *) data, len);
  if (!g_file_set_contents (path, (const char *) bytes->data, bytes->len, &error))
    g_error ("%s: %s", path, error->message);
  printf ("%s/%s (%u bytes)\n", target, name, bytes->len);
}

static void
put_text (const char *target,
          const char *name,
          char        selector,
          const char *text)
{
  put (target, name, selector, NULL, 0, text, strlen (text));
}

/* One request; its body (and status). */
static GBytes *
request (const char *method,
         const char *path,
         const char *body,
         const char *if_match,
         gboolean    with_token,
         guint      *status)
{
  g_autofree char *uri = g_strconcat (base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr(GError) error = NULL;
  GBytes *reply;

  if (with_token)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  if (if_match != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "If-Match", if_match);
  if (body != NULL)
    {
      g_autoptr(GBytes) b = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", b);
    }
  reply = soup_session_send_and_read (session, msg, NULL, &error);
  if (reply == NULL)
    g_error ("%s %s: %s", method, path, error->message);
  if (status != NULL)
    *status = soup_message_get_status (msg);
  return reply;
}

static GBytes *
get (const char *path)
{
  guint status;
  GBytes *reply = request ("GET", path, NULL, NULL, TRUE, &status);

  if (status != 200)
    g_error ("GET %s: %u", path, status);
  return reply;
}

static void
put_bytes (const char *target,
           const char *name,
           char        selector,
           GBytes     *bytes)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  put (target, name, selector, NULL, 0, data != NULL ? data : "", len);
}

/* An error reply, as fuzz-client's failure parser reads it. */
static void
put_failure (const char *name,
             guint       model,
             guint       status,
             GBytes     *body)
{
  char how = 0;
  gsize len;
  const char *data = g_bytes_get_data (body, &len);

  for (guint i = 0; i < G_N_ELEMENTS (failure_statuses); i++)
    if (failure_statuses[i] == status)
      how = (char) (i + 16 * model);
  put ("fuzz-client", name, C_FAILURE, &how, 1, data, len);
}

static JsonNode *
parse (GBytes *bytes)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  if (!json_parser_load_from_data (parser, data, len, &error))
    g_error ("not JSON: %s", error->message);
  return json_node_ref (json_parser_get_root (parser));
}

/* ---- WebSockets ---- */

typedef struct
{
  SoupWebsocketConnection *conn;
  GPtrArray               *messages;   /* GBytes */
  gboolean                 failed;
} Socket;

static void
message_cb (SoupWebsocketConnection *conn,
            int                      type,
            GBytes                  *message,
            gpointer                 user_data)
{
  Socket *s = user_data;

  if (type == SOUP_WEBSOCKET_DATA_TEXT)
    g_ptr_array_add (s->messages, g_bytes_ref (message));
}

static void
connect_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Socket *s = user_data;
  g_autoptr(GError) error = NULL;

  s->conn = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  if (s->conn == NULL)
    {
      g_printerr ("websocket: %s\n", error->message);
      s->failed = TRUE;
      return;
    }
  g_signal_connect (s->conn, "message", G_CALLBACK (message_cb), s);
}

static void
spin_ms (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);
}

static void
socket_open (Socket     *s,
             const char *path)
{
  g_autofree char *uri = g_strconcat (base, path, NULL);
  g_autoptr(SoupMessage) msg = NULL;

  memcpy (uri, "ws", 2);   /* http → ws */
  memmove (uri + 2, uri + 4, strlen (uri + 4) + 1);
  msg = soup_message_new ("GET", uri);
  s->messages = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  soup_session_websocket_connect_async (session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL, connect_cb, s);
  while (s->conn == NULL && !s->failed)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (s->conn);
}

static void
socket_close (Socket *s)
{
  soup_websocket_connection_close (s->conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  spin_ms (50);
  g_clear_object (&s->conn);
  g_clear_pointer (&s->messages, g_ptr_array_unref);
}

/* ---- the exchanges ---- */

static void
dump_pvws (JsonObject *profile)
{
  static const char * const requests[] = {
    "{\"type\":\"ping\"}",
    "{\"type\":\"list\"}",
    "{\"type\":\"echo\",\"body\":\"hello \\u3042\"}",
    "{\"type\":\"subscribe\",\"pvs\":[\"NO:SUCH:PV\"]}",
    "{\"type\":\"subscribe\",\"pvs\":\"SR:DCCT:CURRENT\"}",
    "{\"type\":42}",
  };
  JsonObject *signals = json_object_get_object_member (profile, "signals");
  g_autoptr(GList) keys = json_object_get_members (signals);
  g_autoptr(GString) subscribe = g_string_new ("{\"type\":\"subscribe\",\"pvs\":[");
  g_autoptr(GString) clear = g_string_new ("{\"type\":\"clear\",\"pvs\":[");
  Socket s = { 0 };
  guint n = 0;

  for (const GList *l = keys; l != NULL; l = l->next)
    {
      const char *pv = json_object_get_string_member (signals, l->data);

      g_string_append_printf (subscribe, "%s\"%s\"", l == keys ? "" : ",", pv);
      if (n++ < 3)
        g_string_append_printf (clear, "%s\"%s\"", n == 1 ? "" : ",", pv);
    }
  g_string_append (subscribe, "]}");
  g_string_append (clear, "]}");

  socket_open (&s, "/pvws/pv");
  soup_websocket_connection_send_text (s.conn, subscribe->str);
  put_text ("fuzz-service", "pvws-subscribe.json", S_PVWS, subscribe->str);
  spin_ms (3000);
  soup_websocket_connection_send_text (s.conn, clear->str);
  put_text ("fuzz-service", "pvws-clear.json", S_PVWS, clear->str);
  for (guint i = 0; i < G_N_ELEMENTS (requests); i++)
    {
      g_autofree char *name = g_strdup_printf ("pvws-request-%u.json", i);

      soup_websocket_connection_send_text (s.conn, requests[i]);
      put_text ("fuzz-service", name, S_PVWS, requests[i]);
    }
  spin_ms (500);

  /* The first updates (with metadata), some later ones, and the replies */
  for (guint i = 0; i < s.messages->len; i++)
    {
      g_autofree char *name = g_strdup_printf ("pvws-%03u.json", i);

      if (i >= 40 && i + G_N_ELEMENTS (requests) < s.messages->len)
        continue;
      put_bytes ("fuzz-client", name, C_PVWS, g_ptr_array_index (s.messages, i));
    }
  socket_close (&s);
}

static void
dump_archive (void)
{
  static const char * const queries[] = {
    "pv=SR:DCCT:CURRENT&from=2026-07-15T00:59:00Z&to=2026-07-15T01:00:00Z",
    "pv=mean_60(SR:DCCT:CURRENT)&from=2026-07-15T00:00:00Z&to=2026-07-15T01:00:00Z",
    "pv=SR:OPS:MODE&from=2026-07-15T00:00:00Z&to=2026-07-15T01:00:00Z",
    "pv=max_600(BL02U:ENERGY)&from=2026-07-14T01:00:00Z&to=2026-07-15T01:00:00Z",
    "pv=NO:SUCH:PV&from=2026-07-15T00:00:00Z&to=2026-07-15T01:00:00Z",
  };

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_autofree char *path = g_strconcat ("/retrieval/data/getData.json?", queries[i], NULL);
      g_autofree char *qname = g_strdup_printf ("archive-query-%u.txt", i);
      g_autofree char *rname = g_strdup_printf ("archive-%u.json", i);
      guint status;
      g_autoptr(GBytes) reply = request ("GET", path, NULL, NULL, FALSE, &status);

      put_text ("fuzz-service", qname, S_ARCHIVE, queries[i]);
      put_bytes ("fuzz-client", rname, strstr (queries[i], "_") != NULL ? C_ARCHIVE_BINNED : C_ARCHIVE_RAW, reply);
    }
  put_text ("fuzz-service", "archive-query-bad.txt", S_ARCHIVE, "pv=mean_0(SR:DCCT:CURRENT)&from=yesterday");
}

static void
dump_schedule (void)
{
  static const char * const ranges[] = {
    "from=2026-07-13T00:00:00Z&to=2026-07-20T00:00:00Z",
    "from=2026-07-13T00:00:00Z&to=2026-07-14T00:00:00Z&station=BL02U",
    "from=2026-07-13T00:00:00Z&to=2026-07-20T00:00:00Z&beamline=BL08W&slot=public",
    "station=BL08W-SAXS",
  };
  Socket feed = { 0 };
  g_autofree char *feed_path = g_strdup_printf ("/api/v1/changes?since=0&token=%s", token);
  g_autoptr(GBytes) settings = get ("/api/v1/settings");
  g_autoptr(GBytes) summary = get ("/api/v1/summary?fy=2026");
  g_autoptr(GBytes) whoami = get ("/api/v1/whoami");
  g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);

  put_bytes ("fuzz-client", "summary.json", C_SUMMARY, summary);
  put_bytes ("fuzz-client", "whoami.json", C_WHOAMI, whoami);
  put_bytes ("fuzz-service", "settings.json", S_SETTINGS, settings);
  put_text ("fuzz-service", "fy.txt", S_FY, "fy=2026");
  put_text ("fuzz-service", "since.txt", S_SINCE, "since=0");
  put_text ("fuzz-service", "audit.txt", S_AUDIT, ranges[0]);
  put_text ("fuzz-service", "token.txt", S_TOKEN, auth);
  put_text ("fuzz-service", "token-query.txt", S_TOKEN, "Basic Zm9vOmJhcg==");

  socket_open (&feed, feed_path);

  for (guint m = 0; m < G_N_ELEMENTS (collections); m++)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/%s?%s", collections[m],
                                               m < 2 ? ranges[0] : "");
      g_autoptr(GBytes) list = get (path);
      g_autoptr(JsonNode) root = parse (list);
      JsonArray *items = json_object_get_array_member (json_node_get_object (root), "items");
      const ModelInfo *info = nt_schedule_model_info_for_resource (resources[m]);
      g_autofree char *collection_path = g_strdup_printf ("/api/v1/%s", collections[m]);
      g_autofree char *name = NULL;
      char r = (char) m;
      guint status;

      name = g_strdup_printf ("%s-list.json", resources[m]);
      if (json_array_get_length (items) > 6)
        {
          /* a short list of the same shape */
          g_autoptr(JsonNode) copy = json_node_copy (root);
          JsonArray *a = json_object_get_array_member (json_node_get_object (copy), "items");
          g_autofree char *text = NULL;

          while (json_array_get_length (a) > 6)
            json_array_remove_element (a, json_array_get_length (a) - 1);
          text = json_to_string (copy, FALSE);
          put_text ("fuzz-client", name, C_PERIODS + m, text);
        }
      else
        put_bytes ("fuzz-client", name, C_PERIODS + m, list);

      for (guint i = 0; i < G_N_ELEMENTS (ranges); i++)
        {
          g_autofree char *qname = g_strdup_printf ("list-%s-%u.txt", resources[m], i);

          put ("fuzz-service", qname, S_LIST, &r, 1, ranges[i], strlen (ranges[i]));
        }

      for (guint i = 0; i < MIN (2, json_array_get_length (items)); i++)
        {
          JsonObject *o = json_array_get_object_element (items, i);
          JsonNode *id = json_object_get_member (o, "id");
          g_autofree char *id_text = json_node_get_value_type (id) == G_TYPE_STRING
            ? g_uri_escape_string (json_node_get_string (id), NULL, FALSE)
            : g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (id));
          g_autofree char *item_path = g_strdup_printf ("/api/v1/%s/%s", collections[m], id_text);
          g_autoptr(GBytes) item = get (item_path);
          g_autoptr(JsonNode) item_node = parse (item);
          g_autoptr(GError) error = NULL;
          g_autoptr(GObject) object = info->from_json (item_node, &error);
          g_autoptr(JsonNode) create = NULL;
          g_autoptr(JsonNode) update = NULL;
          g_autofree char *create_text = NULL;
          g_autofree char *update_text = NULL;
          g_autofree char *stale = NULL;
          g_autoptr(GBytes) reply = NULL;

          g_assert_no_error (error);
          name = (g_free (name), g_strdup_printf ("%s-%u.json", resources[m], i));
          put_bytes ("fuzz-client", name, C_PERIOD + m, item);

          /* What NtScheduleClient sends: a create and an update body */
          create = nt_schedule_write_body (info, object, FALSE, i == 1 ? "fuzz seed: checked by hand" : NULL);
          create_text = json_to_string (create, FALSE);
          name = (g_free (name), g_strdup_printf ("create-%s-%u.json", resources[m], i));
          put_text ("fuzz-service", name, S_CREATE + m, create_text);
          update = nt_schedule_write_body (info, object, TRUE, NULL);
          update_text = json_to_string (update, FALSE);
          name = (g_free (name), g_strdup_printf ("update-%s-%u.json", resources[m], i));
          put_text ("fuzz-service", name, S_UPDATE + m, update_text);

          if (i > 0)
            continue;

          /* The same update, accepted (a change on the feed), then stale (412 with "current") */
          stale = g_strdup (json_object_get_string_member (o, "etag"));
          reply = request ("PATCH", item_path, update_text,
                           json_object_get_string_member (json_node_get_object (item_node), "etag"), TRUE, &status);
          g_clear_pointer (&reply, g_bytes_unref);
          reply = request ("PATCH", item_path, "{\"note\":\"stale\"}", "\"0-stale\"", TRUE, &status);
          name = (g_free (name), g_strdup_printf ("failure-%s-%u.json", resources[m], status));
          put_failure (name, m, status, reply);
          g_clear_pointer (&reply, g_bytes_unref);

          /* A body the rules refuse (422) and one that is not JSON (400) */
          reply = request ("POST", collection_path, "{\"start\":\"tomorrow\"}", NULL, TRUE, &status);
          name = (g_free (name), g_strdup_printf ("failure-%s-%u.json", resources[m], status));
          put_failure (name, m, status, reply);
          g_clear_pointer (&reply, g_bytes_unref);
        }
    }

  {
    guint status;
    g_autoptr(GBytes) r401 = request ("GET", "/api/v1/allocations", NULL, NULL, FALSE, &status);
    g_autoptr(GBytes) r404 = request ("GET", "/api/v1/allocations/999999", NULL, NULL, TRUE, &status);
    g_autoptr(GBytes) r400 = request ("POST", "/api/v1/members", "{not json", NULL, TRUE, &status);
    g_autoptr(GBytes) r422 = request ("GET", "/api/v1/run-plan?from=yesterday", NULL, NULL, TRUE, &status);

    put_failure ("failure-401.json", 0, 401, r401);
    put_failure ("failure-404.json", 1, 404, r404);
    put_failure ("failure-400.json", 2, 400, r400);
    put_failure ("failure-422.json", 0, 422, r422);
  }

  spin_ms (500);
  for (guint i = 0; i < feed.messages->len; i++)
    {
      g_autofree char *name = g_strdup_printf ("change-%u.json", i);

      /* since=0 replays the seed: its first and the last (the PATCHes above) */
      if (i >= 8 && i + 8 < feed.messages->len)
        continue;
      put_bytes ("fuzz-client", name, C_CHANGE, g_ptr_array_index (feed.messages, i));
    }
  socket_close (&feed);
}

/* The calendar's query strings (each answered 200 but the last) */
static void
dump_calendar (void)
{
  static const char * const queries[] = {
    "from=2026-07-13T00:00:00Z&to=2026-07-20T00:00:00Z",
    "station=BL02U&from=2026-07-13T00:00:00Z&to=2026-07-20T00:00:00Z",
    "beamline=BL08W&from=2026-07-01T00:00:00Z&to=2026-07-08T00:00:00Z",
    "station=%2A&from=2026-07-13T00:00:00Z&to=2026-07-14T00:00:00Z",
    "station=BL02U",
    "from=2026-07-20T00:00:00Z&to=2026-07-13T00:00:00Z",
  };

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/calendar.ics?%s", queries[i]);
      g_autofree char *name = g_strdup_printf ("calendar-query-%u.txt", i);
      guint status;
      g_autoptr(GBytes) reply = request ("GET", path, NULL, NULL, TRUE, &status);

      if ((status == 200) != (i + 1 < G_N_ELEMENTS (queries)))
        g_error ("GET %s: %u", path, status);
      put_text ("fuzz-service", name, S_CALENDAR, queries[i]);
    }
}

/* The statistics' query strings and their answers (the refusals' bodies
 * are error bodies, fuzz-client's failure seeds have their shape) */
static void
dump_statistics (void)
{
  static const char * const queries[] = {
    "from=2026-07-14T00:00:00Z&to=2026-07-15T00:00:00Z",
    "from=2026-07-08T15:00:00Z&to=2026-07-15T01:00:00Z",
    "from=2026-03-31T15:00:00Z&to=2027-03-31T15:00:00Z",
    "from=2026-07-15T00:00:00Z",
    "from=2026-07-15T00:00:00Z&to=2026-07-14T00:00:00Z",
  };

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/statistics?%s", queries[i]);
      g_autofree char *qname = g_strdup_printf ("statistics-query-%u.txt", i);
      g_autofree char *rname = g_strdup_printf ("statistics-%u.json", i);
      guint status;
      g_autoptr(GBytes) reply = request ("GET", path, NULL, NULL, TRUE, &status);

      put_text ("fuzz-service", qname, S_STATISTICS, queries[i]);
      if (status == 200)
        put_bytes ("fuzz-client", rname, C_STATISTICS, reply);
      else if (i < 3)
        g_error ("GET %s: %u", path, status);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *db_path = NULL;
  g_autoptr(NtClock) clock = NULL;
  g_autoptr(NtFacilityThread) facility = NULL;
  g_autoptr(GBytes) profile = NULL;
  g_autoptr(JsonNode) profile_node = NULL;
  NtFacilityOptions options = { 0 };
  gint64 start;

  if (argc != 2)
    {
      g_printerr ("usage: %s CORPUS-DIR\n", argv[0]);
      return 2;
    }
  out_dir = argv[1];

  g_assert_true (nt_time_parse_iso ("2026-07-15T01:00:00Z", &start));
  clock = nt_clock_new_scaled (start * G_USEC_PER_SEC, 60.0);
  dir = g_dir_make_tmp ("nt-fuzz-dump-XXXXXX", &error);
  g_assert_no_error (error);
  db_path = g_build_filename (dir, "facility.db", NULL);
  options.db_path = db_path;
  options.seed = 42;
  options.clock = clock;
  facility = nt_facility_thread_start_sync (&options, &error);
  g_assert_no_error (error);

  session = soup_session_new ();
  soup_session_set_timeout (session, 120);
  base = g_strdup (nt_facility_thread_get_base_uri (facility));
  base[strlen (base) - 1] = '\0';
  token = nt_facility_thread_get_local_token (facility);

  profile = get ("/api/v1/facility-profile");
  put_bytes ("fuzz-client", "profile.json", C_PROFILE, profile);
  profile_node = parse (profile);

  dump_pvws (json_node_get_object (profile_node));
  dump_archive ();
  dump_schedule ();
  dump_calendar ();
  dump_statistics ();

  g_clear_object (&session);
  g_clear_pointer (&facility, nt_facility_thread_stop);
  {
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;

    while (d != NULL && (name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *path = g_build_filename (dir, name, NULL);

        g_unlink (path);
      }
    g_rmdir (dir);
  }
  return 0;
}
