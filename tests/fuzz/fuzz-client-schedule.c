/* fuzz-client-schedule.c: the scheduling client's reply and feed parsers under fuzz-client
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A reply body as the parse worker reads it (one object, a list, the
 * JSON as it is), a change-feed message as the feed reads it (each as the
 * first after a connect), and an error body as a failure (its 412
 * "current" read as a model object).
 */
#define G_LOG_DOMAIN "fuzz-client"

#include "config.h"

#include <json-glib/json-glib.h>

#include "fuzz-client-schedule.h"
#include "nt-summary.h"
#include "nt-schedule-client-private.h"

static NtScheduleClient *client;

static const char * const resources[] = { "period", "allocation", "member", "proposal" };
static const guint failure_statuses[] = { 400, 401, 403, 404, 405, 409, 412, 413, 422, 428, 500, 503, 507 };

void
fuzz_schedule_setup (void)
{
  client = nt_schedule_client_new ("http://127.0.0.1:1", "nt_0000");
}

static void
parse_reply (ParseMode   mode,
             const char *resource,
             GBytes     *body)
{
  g_autoptr(GError) error = NULL;
  GDestroyNotify free_func = NULL;
  const ModelInfo *info = resource != NULL ? nt_schedule_model_info_for_resource (resource) : NULL;
  gpointer result = nt_schedule_client_parse_reply (mode, info, body, NULL, &free_func, &error);

  g_assert ((result == NULL) != (error == NULL));
  if (result != NULL)
    free_func (result);
}

void
fuzz_schedule_object (guint   model,
                      GBytes *body)
{
  parse_reply (PARSE_OBJECT, resources[model], body);
}

void
fuzz_schedule_list (guint   model,
                    GBytes *body)
{
  parse_reply (PARSE_LIST, resources[model], body);
}

/* The summary as the console reads it: the client's JSON reply, then the
 * plan summary's strict reader (nt-summary.c). */
void
fuzz_schedule_json (GBytes *body)
{
  g_autoptr(GError) error = NULL;
  GDestroyNotify free_func = NULL;
  JsonNode *node = nt_schedule_client_parse_reply (PARSE_JSON, NULL, body, NULL, &free_func, &error);
  g_autoptr(NtSummary) summary = NULL;

  g_assert ((node == NULL) != (error == NULL));
  if (node == NULL)
    return;
  summary = nt_summary_new_from_json (node, &error);
  g_assert ((summary == NULL) != (error == NULL));
  if (summary != NULL)
    for (guint i = 0; i < summary->sections->len; i++)
      {
        const NtSummarySection *section = g_ptr_array_index (summary->sections, i);

        (void) nt_summary_section_kind_hours (section, "user_operation");
        (void) nt_summary_section_planned (section, "study_hours");
      }
  free_func (node);
}

void
fuzz_schedule_whoami (GBytes *body)
{
  g_autoptr(GError) error = NULL;
  GDestroyNotify free_func = NULL;
  JsonNode *node = nt_schedule_client_parse_reply (PARSE_JSON, NULL, body, NULL, &free_func, &error);
  g_autofree char *role = NULL;

  g_assert ((node == NULL) != (error == NULL));
  if (node == NULL)
    return;
  role = nt_schedule_client_read_role (node, &error);
  g_assert ((role == NULL) != (error == NULL));
  free_func (node);
}

void
fuzz_schedule_change (const uint8_t *data,
                      size_t         size)
{
  client->last_revision = 0;
  nt_schedule_client_handle_feed_message (client, (const char *) data, size);
}

void
fuzz_schedule_failure (uint8_t        how,
                       const uint8_t *data,
                       size_t         size)
{
  g_autoptr(GBytes) body = g_bytes_new (data, size);
  guint status = failure_statuses[how % G_N_ELEMENTS (failure_statuses)];
  const ModelInfo *info = nt_schedule_model_info_for_resource (resources[(how / 16) % G_N_ELEMENTS (resources)]);
  NtScheduleFailure *failure = nt_schedule_failure_new_from_reply (status, body, info);

  g_assert_nonnull (failure);
  g_assert_cmpuint (nt_schedule_failure_get_status (failure), ==, status);
  (void) nt_schedule_failure_get_current (failure);
  (void) nt_schedule_failure_get_message (failure);
  nt_schedule_failure_unref (failure);
}
