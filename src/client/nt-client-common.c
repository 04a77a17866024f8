/* nt-client-common.c: what the live-value and scheduling clients share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Both keep a WebSocket to a service and come back after losing it: the
 * delay before the next attempt, and letting go of a socket, are here once.
 * The REST clients (scheduling, statistics) also share how they keep a
 * base address and send the bearer token.
 */
#define G_LOG_DOMAIN "nt-client"

#include "config.h"

#include <string.h>

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
