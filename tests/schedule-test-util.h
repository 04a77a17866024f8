/* schedule-test-util.h: a scheduling service on loopback and a JSON client
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by the test-schedule-* programs (header-only, static helpers).
 */
#pragma once

#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "nt-auth.h"
#include "nt-schedule-service.h"
#include "nt-time.h"
#include "test-wait.h"

typedef struct
{
  char              *dir;
  char              *db_path;
  NtDb              *db;
  NtScheduleService *service;
  SoupServer        *server;
  SoupSession       *session;
  char              *base;
  char              *tokens[4];  /* by NtRole */
} SchedFixture;

typedef struct
{
  guint               status;
  JsonNode           *root;
  SoupMessageHeaders *headers;
  char               *text;
  gboolean            done;
} SchedReply;

static inline void
sched_reply_clear (SchedReply *r)
{
  g_clear_pointer (&r->root, json_node_unref);
  g_clear_pointer (&r->headers, soup_message_headers_unref);
  g_clear_pointer (&r->text, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SchedReply, sched_reply_clear)

static gboolean
sched_tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static inline void
sched_spin_until (gboolean *done,
                  guint     timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (timeout_ms * nt_test_wait_factor ()) * 1000;
  guint tick = g_timeout_add (5, sched_tick_cb, NULL);

  while (!*done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  g_assert_true (*done);
}

static inline void
sched_remove_db (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_remove (path);
  g_remove (wal);
  g_remove (shm);
}

static inline void
sched_fixture_setup (SchedFixture  *f,
                     gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) uris = NULL;
  g_autofree char *uri = NULL;
  static const char * const names[] = { "Vera Viewer", "Otto Operator", "Olga Office", "Ada Admin" };

  f->dir = g_dir_make_tmp ("nt-schedule-XXXXXX", &error);
  g_assert_no_error (error);
  f->db_path = g_build_filename (f->dir, "schedule.db", NULL);
  f->db = nt_db_open (f->db_path, &error);
  g_assert_no_error (error);
  f->service = nt_schedule_service_new (f->db, &error);
  g_assert_no_error (error);

  for (int r = NT_ROLE_VIEWER; r <= NT_ROLE_ADMIN; r++)
    {
      f->tokens[r] = nt_auth_token_create (f->db, r, names[r], &error);
      g_assert_no_error (error);
    }

  f->server = soup_server_new (NULL, NULL);
  nt_schedule_service_attach (f->service, f->server);
  soup_server_listen_local (f->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (f->server);
  uri = g_uri_to_string (uris->data);
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
  f->base = g_strdup (uri);
  if (g_str_has_suffix (f->base, "/"))
    f->base[strlen (f->base) - 1] = '\0';

  f->session = soup_session_new ();
  /* A year's statistics took over 20 s to answer under the sanitizers. */
  soup_session_set_timeout (f->session, (guint) (20 * nt_test_wait_factor ()));
}

static inline void
sched_fixture_teardown (SchedFixture  *f,
                        gconstpointer  user_data)
{
  g_clear_object (&f->session);
  nt_schedule_service_shutdown (f->service);
  soup_server_disconnect (f->server);
  g_clear_object (&f->server);
  g_clear_object (&f->service);
  g_clear_object (&f->db);
  for (int r = 0; r < 4; r++)
    g_clear_pointer (&f->tokens[r], g_free);
  sched_remove_db (f->db_path);
  g_rmdir (f->dir);
  g_clear_pointer (&f->db_path, g_free);
  g_clear_pointer (&f->dir, g_free);
  g_clear_pointer (&f->base, g_free);
}

static void
sched_reply_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  SchedReply *r = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);

  g_assert_no_error (error);
  r->status = soup_message_get_status (msg);
  r->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  r->text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  if (g_bytes_get_size (bytes) > 0 &&
      g_str_has_prefix (soup_message_headers_get_content_type (r->headers, NULL) ?: "", "application/json"))
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      g_assert_true (json_parser_load_from_data (parser, r->text, -1, NULL));
      r->root = json_node_copy (json_parser_get_root (parser));
    }
  r->done = TRUE;
}

/* Sends one request and waits for the reply. */
static inline void
sched_request (SchedFixture *f,
               const char   *method,
               const char   *path,
               const char   *token,
               const char   *body,
               const char   *if_match,
               SchedReply   *reply)
{
  g_autofree char *uri = g_strconcat (f->base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);

  g_assert_nonnull (msg);
  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  if (if_match != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "If-Match", if_match);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  sched_reply_clear (reply);
  reply->done = FALSE;
  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, sched_reply_cb, reply);
  sched_spin_until (&reply->done, 20000);
}

static inline JsonObject *
sched_object (SchedReply *r)
{
  g_assert_nonnull (r->root);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (r->root));
  return json_node_get_object (r->root);
}

static inline const char *
sched_error_code (SchedReply *r)
{
  JsonObject *o = sched_object (r);

  g_assert_true (json_object_has_member (o, "error"));
  return json_object_get_string_member (json_object_get_object_member (o, "error"), "code");
}

static inline const char *
sched_error_field (SchedReply *r)
{
  JsonObject *e = json_object_get_object_member (sched_object (r), "error");
  JsonNode *d = json_object_get_member (e, "details");

  if (d == NULL || !JSON_NODE_HOLDS_OBJECT (d))
    return NULL;
  return json_object_get_string_member_with_default (json_node_get_object (d), "field", NULL);
}

/* Local (Asia/Tokyo) wall time as the wire's ISO string; static buffer ring. */
static inline const char *
sched_jst (int y,
           int mo,
           int d,
           int h,
           int mi)
{
  static char bufs[8][NT_TIME_ISO_LEN + 1];
  static guint next;
  char *buf = bufs[next++ % G_N_ELEMENTS (bufs)];

  nt_time_format_iso_buf (nt_time_from_local (y, mo, d, h, mi), buf);
  return buf;
}
