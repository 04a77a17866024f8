/* nt-schedule-client-failure.c: what the scheduling service said when it refused
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An NtScheduleFailure keeps the status, the error body's code, message,
 * field and details, and for a 412 the current version of the object, so
 * that the console can say what happened and offer the newer copy.
 */
#define G_LOG_DOMAIN "nt-schedule-client"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "nt-model-json.h"
#include "nt-schedule-client-private.h"
#include "nt-time.h"

/* ---- NtScheduleFailure ---- */

struct _NtScheduleFailure
{
  guint            status;
  char            *code;
  char            *message;
  char            *field;
  JsonNode        *details;
  GObject         *current;
};

G_DEFINE_BOXED_TYPE (NtScheduleFailure, nt_schedule_failure,
                     nt_schedule_failure_ref, nt_schedule_failure_unref)

/* ---- NtScheduleFailure API ---- */

static void
failure_clear (NtScheduleFailure *failure)
{
  g_free (failure->code);
  g_free (failure->message);
  g_free (failure->field);
  g_clear_pointer (&failure->details, json_node_unref);
  g_clear_object (&failure->current);
}

NtScheduleFailure *
nt_schedule_failure_ref (NtScheduleFailure *failure)
{
  g_return_val_if_fail (failure != NULL, NULL);

  return g_atomic_rc_box_acquire (failure);
}

void
nt_schedule_failure_unref (NtScheduleFailure *failure)
{
  g_return_if_fail (failure != NULL);

  g_atomic_rc_box_release_full (failure, (GDestroyNotify) failure_clear);
}

/**
 * nt_schedule_failure_get_status:
 *
 * Returns: the HTTP status of the refusal (409, 412, …)
 */
guint
nt_schedule_failure_get_status (NtScheduleFailure *failure)
{
  g_return_val_if_fail (failure != NULL, 0);
  return failure->status;
}

/**
 * nt_schedule_failure_get_code:
 *
 * Returns: (nullable): the service's error code: on 409 the rule broken
 *   ("overlap", "quota_exceeded", …)
 */
const char *
nt_schedule_failure_get_code (NtScheduleFailure *failure)
{
  g_return_val_if_fail (failure != NULL, NULL);
  return failure->code;
}

/**
 * nt_schedule_failure_get_message:
 *
 * Returns: (nullable): the service's own message (English)
 */
const char *
nt_schedule_failure_get_message (NtScheduleFailure *failure)
{
  g_return_val_if_fail (failure != NULL, NULL);
  return failure->message;
}

/**
 * nt_schedule_failure_get_field:
 *
 * Returns: (nullable): on 400/422 the field the service named
 */
const char *
nt_schedule_failure_get_field (NtScheduleFailure *failure)
{
  g_return_val_if_fail (failure != NULL, NULL);
  return failure->field;
}

/**
 * nt_schedule_failure_get_details:
 *
 * Returns: (nullable) (transfer none): the error's "details", as sent
 */
JsonNode *
nt_schedule_failure_get_details (NtScheduleFailure *failure)
{
  g_return_val_if_fail (failure != NULL, NULL);
  return failure->details;
}

/**
 * nt_schedule_failure_get_current:
 *
 * Returns: (nullable) (transfer none): on 412, the version the service
 *   holds now, of the same type as the object written (NtAllocation, …)
 */
gpointer
nt_schedule_failure_get_current (NtScheduleFailure *failure)
{
  g_return_val_if_fail (failure != NULL, NULL);
  return failure->current;
}

GError *
nt_schedule_invalid_data_error (const char *what)
{
  return g_error_new (NT_CLIENT_ERROR, NT_CLIENT_ERROR_INVALID_DATA,
                      _("The scheduling service sent data this console cannot read (%s). Check that the console and the service are the same version."),
                      what);
}

/* Parses an error body into a failure; the 412 "current" version is looked
 * for in details.current, then in details itself, then at the top level.
 */
NtScheduleFailure *
nt_schedule_failure_new_from_reply (guint            status,
             GBytes          *body,
             const ModelInfo *info)
{
  NtScheduleFailure *failure = g_atomic_rc_box_new0 (NtScheduleFailure);

  failure->status = status;

  if (!nt_client_error_parse_body (body, &failure->code, &failure->message, &failure->details))
    return failure;

  if (failure->details != NULL && JSON_NODE_HOLDS_OBJECT (failure->details))
    {
      JsonObject *details = json_node_get_object (failure->details);
      JsonNode *field = json_object_get_member (details, "field");

      if (field != NULL && json_node_get_value_type (field) == G_TYPE_STRING)
        failure->field = g_strdup (json_node_get_string (field));
      else
        {
          JsonNode *fields = json_object_get_member (details, "fields");

          if (fields != NULL && JSON_NODE_HOLDS_ARRAY (fields) &&
              json_array_get_length (json_node_get_array (fields)) > 0)
            {
              JsonNode *first = json_array_get_element (json_node_get_array (fields), 0);

              if (json_node_get_value_type (first) == G_TYPE_STRING)
                failure->field = g_strdup (json_node_get_string (first));
            }
        }
    }

  if (status == 412 && info != NULL)
    {
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();
      JsonNode *candidates[3] = { NULL, NULL, NULL };
      gsize len;
      const char *data = g_bytes_get_data (body, &len);

      if (failure->details != NULL && JSON_NODE_HOLDS_OBJECT (failure->details))
        {
          candidates[0] = json_object_get_member (json_node_get_object (failure->details), "current");
          candidates[1] = failure->details;
        }
      if (nt_json_load_one (parser, data, len, NULL) &&
          JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        candidates[2] = json_object_get_member (json_node_get_object (json_parser_get_root (parser)),
                                                "current");

      for (guint i = 0; i < G_N_ELEMENTS (candidates) && failure->current == NULL; i++)
        {
          g_autoptr(GObject) current = NULL;

          if (candidates[i] == NULL || !JSON_NODE_HOLDS_OBJECT (candidates[i]))
            continue;
          current = info->from_json (candidates[i], NULL);
          if (current != NULL && info->get_etag (current) != NULL)
            failure->current = g_steal_pointer (&current);
        }
    }

  return failure;
}
