/* nt-client-error.h: the client layer's error domain
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define NT_CLIENT_ERROR (nt_client_error_quark ())

/**
 * NtClientError:
 * @NT_CLIENT_ERROR_NETWORK: the service could not be reached or the
 *   connection broke; trying again later may work
 * @NT_CLIENT_ERROR_PROTOCOL: the service answered in a way this client does
 *   not understand (wrong content, unexpected status)
 * @NT_CLIENT_ERROR_AUTH: 401, credentials missing or refused
 * @NT_CLIENT_ERROR_FORBIDDEN: 403, the role may not do this
 * @NT_CLIENT_ERROR_NOT_FOUND: 404, no such resource or signal
 * @NT_CLIENT_ERROR_INVALID_DATA: a payload had the wrong shape
 * @NT_CLIENT_ERROR_CONFLICT: 409, a rule of the service was violated
 * @NT_CLIENT_ERROR_PRECONDITION_FAILED: 412, someone else changed it first
 * @NT_CLIENT_ERROR_PRECONDITION_REQUIRED: 428, the write needs If-Match
 * @NT_CLIENT_ERROR_INVALID_INPUT: 400 or 422, the request was malformed
 * @NT_CLIENT_ERROR_TOO_LARGE: 413, the request asks for too much
 * @NT_CLIENT_ERROR_SERVER: 5xx (or 429), the service failed; retry later
 * @NT_CLIENT_ERROR_CANCELLED: the operation was cancelled.  The client
 *   objects follow the GLib convention and report a cancelled operation as
 *   %G_IO_ERROR_CANCELLED, which is what callers check for; test with
 *   nt_client_error_is_cancelled() to accept either.
 *
 * Errors of the client layer: every failure of a client object is in
 * %NT_CLIENT_ERROR except cancellation (%G_IO_ERROR_CANCELLED).
 */
typedef enum
{
  NT_CLIENT_ERROR_NETWORK,
  NT_CLIENT_ERROR_PROTOCOL,
  NT_CLIENT_ERROR_AUTH,
  NT_CLIENT_ERROR_FORBIDDEN,
  NT_CLIENT_ERROR_NOT_FOUND,
  NT_CLIENT_ERROR_INVALID_DATA,
  NT_CLIENT_ERROR_CONFLICT,
  NT_CLIENT_ERROR_PRECONDITION_FAILED,
  NT_CLIENT_ERROR_PRECONDITION_REQUIRED,
  NT_CLIENT_ERROR_INVALID_INPUT,
  NT_CLIENT_ERROR_TOO_LARGE,
  NT_CLIENT_ERROR_SERVER,
  NT_CLIENT_ERROR_CANCELLED,
} NtClientError;

GQuark         nt_client_error_quark             (void);

NtClientError  nt_client_error_code_for_status   (guint          status);

gboolean       nt_client_error_parse_body        (GBytes        *body,
                                                  char         **code,
                                                  char         **message,
                                                  JsonNode     **details);

GError        *nt_client_error_new_from_response (guint          status,
                                                  const char    *reason_phrase,
                                                  GBytes        *body);

GError        *nt_client_error_new_from_io       (const GError  *io_error,
                                                  const char    *what);

gboolean       nt_client_error_is_cancelled      (const GError  *error);

G_END_DECLS
