/* nt-facility-http.c: small helpers for the services' HTTP handlers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-facility-http"

#include "config.h"

#include "nt-facility-http.h"

void
nt_facility_http_set_json (SoupServerMessage *msg,
                           guint              status,
                           JsonNode          *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) owned = root;
  char *body;
  gsize length;

  json_generator_set_root (generator, owned);
  body = json_generator_to_data (generator, &length);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, body, length);
}

void
nt_facility_http_set_error (SoupServerMessage *msg,
                            guint              status,
                            const char        *code,
                            JsonNode          *details,
                            const char        *format,
                            ...)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_set_member_name (builder, "details");
  if (details != NULL)
    json_builder_add_value (builder, details);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  nt_facility_http_set_json (msg, status, json_builder_get_root (builder));
}
