/* nt-client-error.c: the client layer's error domain, and HTTP error mapping
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-client-error"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "nt-client-error.h"
#include "nt-client-private.h"
#include "nt-model-json.h"

/* Longest server message quoted in an error shown to a person. */
#define MAX_QUOTED_CHARS 400

G_DEFINE_QUARK (nt-client-error-quark, nt_client_error)

/**
 * nt_client_error_code_for_status:
 * @status: an HTTP status code of 400 or above
 *
 * Returns: the #NtClientError a caller should act on for @status.
 */
NtClientError
nt_client_error_code_for_status (guint status)
{
  switch (status)
    {
    case 400:
    case 422:
      return NT_CLIENT_ERROR_INVALID_INPUT;
    case 401:
      return NT_CLIENT_ERROR_AUTH;
    case 403:
      return NT_CLIENT_ERROR_FORBIDDEN;
    case 404:
    case 410:
      return NT_CLIENT_ERROR_NOT_FOUND;
    case 409:
      return NT_CLIENT_ERROR_CONFLICT;
    case 412:
      return NT_CLIENT_ERROR_PRECONDITION_FAILED;
    case 413:
    case 414:
      return NT_CLIENT_ERROR_TOO_LARGE;
    case 428:
      return NT_CLIENT_ERROR_PRECONDITION_REQUIRED;
    case 429:
      return NT_CLIENT_ERROR_SERVER;
    default:
      break;
    }

  if (status >= 500 && status <= 599)
    return NT_CLIENT_ERROR_SERVER;

  return NT_CLIENT_ERROR_PROTOCOL;
}

/**
 * nt_client_error_parse_body:
 * @body: (nullable): a response body
 * @code: (out) (optional) (transfer full): the service's error code
 * @message: (out) (optional) (transfer full): the service's message
 * @details: (out) (optional) (transfer full) (nullable): the details
 *
 * Parses an error body of the form
 * `{"error": {"code": "…", "message": "…", "details": …}}`.
 * The code and message must be strings; details may be anything or absent.
 *
 * Returns: %TRUE if @body has that shape
 */
gboolean
nt_client_error_parse_body (GBytes    *body,
                            char     **code,
                            char     **message,
                            JsonNode **details)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;
  JsonNode *err;
  JsonNode *code_node;
  JsonNode *message_node;
  JsonObject *obj;
  const char *data;
  gsize len;

  if (body == NULL)
    return FALSE;

  data = g_bytes_get_data (body, &len);
  if (data == NULL || len == 0)
    return FALSE;

  parser = json_parser_new_immutable ();
  if (!nt_json_load_one (parser, data, len, NULL))
    return FALSE;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;

  err = json_object_get_member (json_node_get_object (root), "error");
  if (err == NULL || !JSON_NODE_HOLDS_OBJECT (err))
    return FALSE;

  obj = json_node_get_object (err);
  code_node = json_object_get_member (obj, "code");
  message_node = json_object_get_member (obj, "message");
  if (code_node == NULL || json_node_get_value_type (code_node) != G_TYPE_STRING ||
      message_node == NULL || json_node_get_value_type (message_node) != G_TYPE_STRING)
    return FALSE;

  if (code != NULL)
    *code = g_strdup (json_node_get_string (code_node));
  if (message != NULL)
    *message = g_strdup (json_node_get_string (message_node));
  if (details != NULL)
    {
      JsonNode *d = json_object_get_member (obj, "details");
      *details = d != NULL ? json_node_copy (d) : NULL;
    }

  return TRUE;
}

/* What a person can do about each refusal of a service; the %s is the
 * service's own words or the status line.  Another code has no advice of
 * its own and is an unexpected answer (NT_CLIENT_ERROR_PROTOCOL). */
static const char * const refusal_advice[] = {
  [NT_CLIENT_ERROR_AUTH] = N_("The service asked to sign in (%s). Sign in again or check the access token in Preferences."),
  [NT_CLIENT_ERROR_FORBIDDEN] = N_("Your role may not do this (%s). Ask a facility administrator for access."),
  [NT_CLIENT_ERROR_NOT_FOUND] = N_("Not found (%s). Check the facility profile and the address of the service."),
  [NT_CLIENT_ERROR_CONFLICT] = N_("The change breaks a rule of the schedule (%s). Adjust it and try again."),
  [NT_CLIENT_ERROR_PRECONDITION_FAILED] = N_("Someone else changed this in the meantime (%s). Review their version, then make your change again."),
  [NT_CLIENT_ERROR_PRECONDITION_REQUIRED] = N_("The service needs to know which version you edited (%s). Reload and try again."),
  [NT_CLIENT_ERROR_INVALID_INPUT] = N_("The service rejected the request (%s). Correct the input and try again."),
  [NT_CLIENT_ERROR_TOO_LARGE] = N_("The request asks for too much at once (%s). Choose a shorter time range or fewer points."),
  [NT_CLIENT_ERROR_SERVER] = N_("The service failed (%s). Try again later; if it keeps failing, tell the facility’s IT staff."),
  [NT_CLIENT_ERROR_PROTOCOL] = N_("The service gave an unexpected answer (%s). Check that the console points at the right service."),
};

/**
 * nt_client_error_new_from_response:
 * @status: the HTTP status (400 or above)
 * @reason_phrase: (nullable): the reason phrase of the response
 * @body: (nullable): the response body
 *
 * Builds a #GError in %NT_CLIENT_ERROR for an HTTP error response.  If the
 * body is a JSON error body its message is quoted; otherwise the status
 * line is.  The message says what a person can do about it.
 *
 * Returns: (transfer full): a new #GError
 */
GError *
nt_client_error_new_from_response (guint       status,
                                   const char *reason_phrase,
                                   GBytes     *body)
{
  g_autofree char *server_code = NULL;
  g_autofree char *server_message = NULL;
  g_autofree char *what = NULL;
  g_autoptr(GString) text = NULL;
  NtClientError code = nt_client_error_code_for_status (status);

  if (nt_client_error_parse_body (body, &server_code, &server_message, NULL) &&
      server_message[0] != '\0')
    {
      /* A request for too much is a 400 in the Archiver Appliance's world;
       * the caller acts on it as on a 413 (ask for bins instead). */
      if (code == NT_CLIENT_ERROR_INVALID_INPUT &&
          (g_str_equal (server_code, "too_many_points") || g_str_equal (server_code, "too_large")))
        code = NT_CLIENT_ERROR_TOO_LARGE;

      if (g_utf8_validate (server_message, -1, NULL) &&
          g_utf8_strlen (server_message, -1) > MAX_QUOTED_CHARS)
        {
          g_autofree char *cut = g_utf8_substring (server_message, 0, MAX_QUOTED_CHARS);
          what = g_strdup_printf ("%s…", cut);
        }
      else
        what = g_utf8_make_valid (server_message, -1);
    }
  else
    what = g_strdup_printf ("HTTP %u %s", status,
                            reason_phrase != NULL ? reason_phrase : "");
  g_strchomp (what);

  if (code >= G_N_ELEMENTS (refusal_advice) || refusal_advice[code] == NULL)
    code = NT_CLIENT_ERROR_PROTOCOL;
  /* (the translated text is not a format string the compiler can check:
   * the words go in by replacement) */
  text = g_string_new (_(refusal_advice[code]));
  g_string_replace (text, "%s", what, 1);
  return g_error_new_literal (NT_CLIENT_ERROR, code, text->str);
}

/**
 * nt_client_error_new_from_io:
 * @io_error: an error from GIO, libsoup or TLS
 * @what: (nullable): what was being reached, e.g. a host name
 *
 * Wraps a transport error: an error already in %NT_CLIENT_ERROR is
 * copied, cancellation stays %G_IO_ERROR_CANCELLED (the GLib convention
 * callers test for), anything else becomes %NT_CLIENT_ERROR_NETWORK.
 *
 * Returns: (transfer full): a new #GError
 */
GError *
nt_client_error_new_from_io (const GError *io_error,
                             const char   *what)
{
  g_return_val_if_fail (io_error != NULL, NULL);

  if (io_error->domain == NT_CLIENT_ERROR)
    return g_error_copy (io_error);

  if (nt_client_error_is_cancelled (io_error))
    return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                _("The request was cancelled."));

  return g_error_new (NT_CLIENT_ERROR, NT_CLIENT_ERROR_NETWORK,
                      _("Could not reach %s (%s). Check the network connection and that the service is running."),
                      what != NULL ? what : _("the service"),
                      io_error->message);
}

gboolean
nt_client_check_body_length (SoupMessage  *msg,
                             gsize         received,
                             const char   *what,
                             GError      **error)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (msg);
  g_autoptr(GError) partial = NULL;
  g_autofree char *got = NULL;
  g_autofree char *whole = NULL;
  goffset length;

  if (soup_message_headers_get_encoding (headers) != SOUP_ENCODING_CONTENT_LENGTH)
    return TRUE;
  length = soup_message_headers_get_content_length (headers);
  if ((guint64) length == received)
    return TRUE;

  got = g_strdup_printf ("%" G_GSIZE_FORMAT, received);
  whole = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) length);
  /* TRANSLATORS: the first %s is how many bytes came, the second how many were announced */
  partial = g_error_new (G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                         _("the connection closed after %s of %s bytes of the answer"), got, whole);
  g_propagate_error (error, nt_client_error_new_from_io (partial, what));
  return FALSE;
}

/**
 * nt_client_error_is_cancelled:
 * @error: (nullable): an error
 *
 * Returns: whether @error says the operation was cancelled
 *   (%G_IO_ERROR_CANCELLED or %NT_CLIENT_ERROR_CANCELLED)
 */
gboolean
nt_client_error_is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
         g_error_matches (error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_CANCELLED);
}
