/* nt-client-private.h: what the live-value, scheduling, statistics,
 * archive and profile clients share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

guint nt_client_backoff_ms   (guint                     attempt,
                              guint                     min_ms,
                              guint                     max_ms,
                              GRand                    *rand);
void  nt_client_close_socket (SoupWebsocketConnection **conn,
                              gpointer                  handler_data);

/* Whether the body of @msg's answer came whole: @received bytes of its
 * Content-Length.  libsoup 3.2 hands over a body cut short by a broken
 * connection as if it were complete; when it is short, this sets @error to
 * an NT_CLIENT_ERROR_NETWORK naming @what (the host) and returns FALSE. */
gboolean nt_client_check_body_length (SoupMessage  *msg,
                                      gsize         received,
                                      const char   *what,
                                      GError      **error);

/* Whether the answer to @msg, @body, came whole and is not a refusal: a
 * body cut short is an NT_CLIENT_ERROR_NETWORK naming @host (as
 * nt_client_check_body_length() says), a 4xx or 5xx status the service's
 * own error (nt_client_error_new_from_response()).  Another status than
 * 200 is the caller's to judge. */
gboolean nt_client_check_reply (SoupMessage  *msg,
                                GBytes       *body,
                                const char   *host,
                                GError      **error);
/* Finishes soup_session_send_and_read_async() for a REST client: the body,
 * or NULL with a failure to reach @host (nt_client_error_new_from_io()) or
 * what nt_client_check_reply() finds. */
GBytes  *nt_client_read_reply_finish (SoupSession   *session,
                                      GAsyncResult  *result,
                                      const char    *host,
                                      GError       **error);
/* A GET of @uri that asks for JSON, with the bearer @token (NULL: none);
 * NULL if @uri is not an address. */
SoupMessage *nt_client_new_json_get (const char *uri,
                                     const char *token);

/* A service's base address as the REST clients keep it: @uri (NULL is "")
 * without trailing slashes, and the host named in errors (the address
 * itself if it has none). */
void  nt_client_parse_base_uri (const char   *uri,
                                char        **base_uri,
                                char        **host);
/* "Authorization: Bearer @token" on @msg, unless @token is NULL or "". */
void  nt_client_set_bearer     (SoupMessage  *msg,
                                const char   *token);

G_END_DECLS
