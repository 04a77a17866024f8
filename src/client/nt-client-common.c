/* nt-client-common.c: what the live-value and scheduling clients share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Both keep a WebSocket to a service and come back after losing it: the
 * delay before the next attempt, and letting go of a socket, are here once.
 * The REST clients (scheduling, statistics, archive, facility profile)
 * also share how they keep a base address, send the bearer token and
 * check an answer: whole, and not a refusal, before they read it.
 */
#define G_LOG_DOMAIN "nt-client"

#include "config.h"

#include <string.h>

#include "nt-client-error.h"
#include "nt-client-private.h"

/* The delay before reconnect @attempt (0 = first): doubled from @min_ms per
 * attempt up to @max_ms, then "equal jitter" (half fixed, half random) so
 * that consoles that lost the same server do not all come back at the same
 * moment.  Never 0. */
guint
nt_client_backoff_ms (guint  attempt,
                      guint  min_ms,
                      guint  max_ms,
                      GRand *rand)
{
  guint64 delay = min_ms;

  for (guint i = 0; i < attempt && delay < max_ms; i++)
    delay *= 2;
  delay = MIN (delay, (guint64) max_ms);

  return MAX (1, (guint) (delay / 2.0 + g_rand_double (rand) * (delay / 2.0)));
}

/* Takes the socket out of *@conn, disconnects @handler_data's handlers from
 * it and closes it if it is still open. */
void
nt_client_close_socket (SoupWebsocketConnection **conn,
                        gpointer                  handler_data)
{
  g_autoptr(SoupWebsocketConnection) taken = g_steal_pointer (conn);

  if (taken == NULL)
    return;

  g_signal_handlers_disconnect_by_data (taken, handler_data);
  if (soup_websocket_connection_get_state (taken) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (taken, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
}

void
nt_client_parse_base_uri (const char  *uri,
                          char       **base_uri,
                          char       **host)
{
  g_autoptr(GUri) parsed = NULL;
  char *base = g_strdup (uri != NULL ? uri : "");

  while (g_str_has_suffix (base, "/"))
    base[strlen (base) - 1] = '\0';
  parsed = g_uri_parse (base, G_URI_FLAGS_NONE, NULL);
  *host = g_strdup (parsed != NULL && g_uri_get_host (parsed) != NULL ? g_uri_get_host (parsed) : base);
  *base_uri = base;
}

void
nt_client_set_bearer (SoupMessage *msg,
                      const char  *token)
{
  g_autofree char *auth = NULL;

  if (token == NULL || *token == '\0')
    return;
  auth = g_strdup_printf ("Bearer %s", token);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
}

SoupMessage *
nt_client_new_json_get (const char *uri,
                        const char *token)
{
  SoupMessage *msg = soup_message_new (SOUP_METHOD_GET, uri);

  if (msg == NULL)
    return NULL;
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept", "application/json");
  nt_client_set_bearer (msg, token);
  return msg;
}

gboolean
nt_client_check_reply (SoupMessage  *msg,
                       GBytes       *body,
                       const char   *host,
                       GError      **error)
{
  guint status;

  if (!nt_client_check_body_length (msg, g_bytes_get_size (body), host, error))
    return FALSE;

  status = soup_message_get_status (msg);
  g_debug ("%s %s → %u", soup_message_get_method (msg),
           g_uri_get_path (soup_message_get_uri (msg)), status);
  if (status >= 400)
    {
      g_propagate_error (error, nt_client_error_new_from_response (status,
                                                                   soup_message_get_reason_phrase (msg),
                                                                   body));
      return FALSE;
    }
  return TRUE;
}

GBytes *
nt_client_read_reply_finish (SoupSession   *session,
                             GAsyncResult  *result,
                             const char    *host,
                             GError       **error)
{
  SoupMessage *msg = soup_session_get_async_result_message (session, result);
  g_autoptr(GError) io_error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (session, result, &io_error);

  if (body == NULL)
    {
      g_propagate_error (error, nt_client_error_new_from_io (io_error, host));
      return NULL;
    }
  if (!nt_client_check_reply (msg, body, host, error))
    return NULL;
  return g_steal_pointer (&body);
}
