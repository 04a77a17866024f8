/* nt-schedule-client-requests.c: one path for every REST request
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How each model travels (the table below), building paths and queries,
 * sending a request with the bearer token, mapping an error status to an
 * NtClientError with the service's failure, and parsing a successful body
 * into model objects in a worker thread.
 */
#define G_LOG_DOMAIN "nt-schedule-client"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "nt-client-private.h"
#include "nt-model-json.h"
#include "nt-schedule-client-private.h"
#include "nt-time.h"

static const ModelInfo models[] = {
  { nt_run_period_get_type, "period", "run-plan",
    (FromJsonFunc) nt_run_period_new_from_json, (ToJsonFunc) nt_run_period_to_json,
    (GetEtagFunc) nt_run_period_get_etag },
  { nt_allocation_get_type, "allocation", "allocations",
    (FromJsonFunc) nt_allocation_new_from_json, (ToJsonFunc) nt_allocation_to_json,
    (GetEtagFunc) nt_allocation_get_etag },
  { nt_member_get_type, "member", "members",
    (FromJsonFunc) nt_member_new_from_json, (ToJsonFunc) nt_member_to_json,
    (GetEtagFunc) nt_member_get_etag },
  { nt_proposal_get_type, "proposal", "proposals",
    (FromJsonFunc) nt_proposal_new_from_json, (ToJsonFunc) nt_proposal_to_json,
    (GetEtagFunc) nt_proposal_get_etag },
};

/* ---- helpers ---- */

const ModelInfo *
nt_schedule_model_info_for_type (GType type)
{
  for (guint i = 0; i < G_N_ELEMENTS (models); i++)
    if (models[i].get_type () == type)
      return &models[i];
  return NULL;
}

const ModelInfo *
nt_schedule_model_info_for_resource (const char *resource)
{
  for (guint i = 0; i < G_N_ELEMENTS (models); i++)
    if (g_strcmp0 (models[i].resource, resource) == 0)
      return &models[i];
  return NULL;
}

/* The path segment naming one stored object, escaped. */
char *
nt_schedule_object_path (const ModelInfo *info,
             gpointer         object)
{
  g_autofree char *id = NULL;

  if (G_TYPE_CHECK_INSTANCE_TYPE (object, NT_TYPE_PROPOSAL))
    {
      const char *pid = nt_proposal_get_id (object);

      if (pid == NULL || *pid == '\0')
        return NULL;
      id = g_uri_escape_string (pid, NULL, FALSE);
    }
  else
    {
      gint64 n = 0;

      if (G_TYPE_CHECK_INSTANCE_TYPE (object, NT_TYPE_RUN_PERIOD))
        n = nt_run_period_get_id (object);
      else if (G_TYPE_CHECK_INSTANCE_TYPE (object, NT_TYPE_ALLOCATION))
        n = nt_allocation_get_id (object);
      else if (G_TYPE_CHECK_INSTANCE_TYPE (object, NT_TYPE_MEMBER))
        n = nt_member_get_id (object);
      if (n <= 0)
        return NULL;
      id = g_strdup_printf ("%" G_GINT64_FORMAT, n);
    }

  return g_strdup_printf (API_PREFIX "/%s/%s", info->collection, id);
}

static void
request_free (Request *req)
{
  g_clear_object (&req->msg);
  g_clear_pointer (&req->body, g_bytes_unref);
  g_clear_pointer (&req->failure, nt_schedule_failure_unref);
  g_free (req->host);
  g_free (req);
}

static void
list_result_free (ListResult *list)
{
  g_clear_pointer (&list->items, g_ptr_array_unref);
  g_clear_pointer (&list->store, nt_booking_store_unref);
  g_free (list);
}

static void
parse_job_free (ParseJob *job)
{
  g_clear_pointer (&job->body, g_bytes_unref);
  g_free (job);
}

static GDestroyNotify
result_free_func (ParseMode mode)
{
  switch (mode)
    {
    case PARSE_JSON:
      return (GDestroyNotify) json_node_unref;
    case PARSE_OBJECT:
      return g_object_unref;
    case PARSE_LIST:
    case PARSE_STORE:
      return (GDestroyNotify) list_result_free;
    case PARSE_BYTES:
      return (GDestroyNotify) g_bytes_unref;
    case PARSE_NONE:
    default:
      return NULL;
    }
}

void
nt_schedule_append_query (GString    *path,
              const char *name,
              const char *value)
{
  g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);

  g_string_append_c (path, strchr (path->str, '?') != NULL ? '&' : '?');
  g_string_append (path, name);
  g_string_append_c (path, '=');
  g_string_append (path, escaped);
}

void
nt_schedule_append_query_time (GString    *path,
                   const char *name,
                   gint64      t)
{
  char buf[NT_TIME_ISO_LEN + 1];

  if (t == 0)
    return;
  nt_time_format_iso_buf (t, buf);
  nt_schedule_append_query (path, name, buf);
}

/* @index: the position in a list, or -1 */
static gpointer
parse_object (const ModelInfo  *info,
              JsonNode         *node,
              int               index,
              GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GObject) object = info->from_json (node, &local_error);
  g_autofree char *where = index >= 0 ? g_strdup_printf ("item %d: ", index) : g_strdup ("");

  if (object == NULL)
    {
      g_autofree char *what = g_strconcat (where, local_error->message, NULL);

      g_propagate_error (error, nt_schedule_invalid_data_error (what));
      return NULL;
    }

  if (info->get_etag (object) == NULL)
    {
      g_autofree char *what = g_strdup_printf ("%s%s: “etag” is missing", where, info->resource);

      g_propagate_error (error, nt_schedule_invalid_data_error (what));
      return NULL;
    }

  return g_steal_pointer (&object);
}

/* The body of a reply as @mode reads it: its result (free it with
 * *@free_func) or NULL with @error set.  The worker's whole work. */
gpointer
nt_schedule_client_parse_reply (ParseMode         mode,
                                const ModelInfo  *info,
                                GBytes           *body,
                                GCancellable     *cancellable,
                                GDestroyNotify   *free_func,
                                GError          **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  const char *data;
  JsonNode *root;
  gsize len;

  g_return_val_if_fail (mode == PARSE_JSON || info != NULL, NULL);

  *free_func = result_free_func (mode);
  data = g_bytes_get_data (body, &len);
  if (data == NULL || len == 0 || !nt_json_load_one (parser, data, len, &local_error))
    {
      g_propagate_error (error, nt_schedule_invalid_data_error (local_error != NULL ? local_error->message
                                                                : "empty response"));
      return NULL;
    }

  root = json_parser_get_root (parser);

  switch (mode)
    {
    case PARSE_JSON:
      return json_node_ref (root);

    case PARSE_OBJECT:
      return parse_object (info, root, -1, error);

    case PARSE_LIST:
    case PARSE_STORE:
      {
        g_autoptr(GPtrArray) items = NULL;
        g_autoptr(NtBookingStore) store = NULL;
        ListResult *list;
        JsonObject *object;
        JsonNode *items_node;
        JsonArray *array;
        gint64 revision = 0;
        guint n;

        if (!(object = nt_model_json_object (root, "list", &local_error)) ||
            !nt_model_json_int (object, "list", "revision", TRUE, 0, G_MAXINT64, &revision, &local_error))
          {
            g_propagate_error (error, nt_schedule_invalid_data_error (local_error->message));
            return NULL;
          }

        items_node = json_object_get_member (object, "items");
        if (items_node == NULL || !JSON_NODE_HOLDS_ARRAY (items_node))
          {
            g_propagate_error (error, nt_schedule_invalid_data_error ("list: “items” must be an array"));
            return NULL;
          }

        array = json_node_get_array (items_node);
        n = json_array_get_length (array);
        if (mode == PARSE_STORE)
          store = nt_booking_store_new ();
        else
          items = g_ptr_array_new_full (n, g_object_unref);
        for (guint i = 0; i < n; i++)
          {
            gpointer item;

            if (g_cancellable_set_error_if_cancelled (cancellable, error))
              return NULL;

            item = parse_object (info, json_array_get_element (array, i), (int) i, error);
            if (item == NULL)
              return NULL;
            /* Into the store the object's values go, checked as a
             * list's are; the object itself is dropped at once. */
            if (store != NULL)
              {
                nt_booking_store_put_object (store, item);
                g_object_unref (item);
              }
            else
              g_ptr_array_add (items, item);
          }

        list = g_new0 (ListResult, 1);
        list->items = g_steal_pointer (&items);
        list->store = g_steal_pointer (&store);
        list->revision = revision;
        return list;
      }

    case PARSE_NONE:
    case PARSE_BYTES:
    default:
      g_assert_not_reached ();
    }
}

static void
parse_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  ParseJob *req = task_data;
  GDestroyNotify free_func = NULL;
  GError *error = NULL;
  gpointer result;

  result = nt_schedule_client_parse_reply (req->mode, req->info, req->body, cancellable, &free_func, &error);
  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, free_func);
}

static void
parse_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  Request *req = g_task_get_task_data (task);
  gpointer value = g_task_propagate_pointer (G_TASK (result), &error);

  if (value == NULL)
    g_task_return_error (task, nt_client_error_new_from_io (error, req->host));
  else
    g_task_return_pointer (task, value, result_free_func (req->mode));
}

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  Request *req = g_task_get_task_data (task);
  guint status;

  req->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (req->body == NULL)
    {
      g_task_return_error (task, nt_client_error_new_from_io (error, req->host));
      return;
    }
  status = soup_message_get_status (req->msg);
  if (!nt_client_check_reply (req->msg, req->body, req->host, &error))
    {
      /* (a refusal that came whole; a body cut short says nothing) */
      if (status >= 400 && !g_error_matches (error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_NETWORK))
        req->failure = nt_schedule_failure_new_from_reply (status, req->body, req->info);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (status < 200 || status >= 300)
    {
      g_autofree char *what = g_strdup_printf ("HTTP %u", status);

      g_task_return_error (task, nt_schedule_invalid_data_error (what));
      return;
    }

  if (req->mode == PARSE_NONE)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (req->mode == PARSE_BYTES)
    {
      g_task_return_pointer (task, g_bytes_ref (req->body), (GDestroyNotify) g_bytes_unref);
      return;
    }

  /* Parse in a worker, in a task of its own: the worker may drop the last
   * reference to that task, and it holds neither the client nor libsoup
   * objects; this task completes on the caller's main context. */
  {
    g_autoptr(GTask) parse = g_task_new (NULL, g_task_get_cancellable (task),
                                         parse_done_cb, g_object_ref (task));
    ParseJob *job = g_new0 (ParseJob, 1);

    job->mode = req->mode;
    job->info = req->info;
    job->body = g_bytes_ref (req->body);
    g_task_set_task_data (parse, job, (GDestroyNotify) parse_job_free);
    g_task_run_in_thread (parse, parse_thread);
  }
}

void
nt_schedule_client_send_request (NtScheduleClient    *self,
              const char          *method,
              const char          *path,
              JsonNode            *body,
              const char          *if_match,
              ParseMode            mode,
              const ModelInfo     *info,
              gpointer             source_tag,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *uri = g_strconcat (self->base_uri, path, NULL);
  SoupMessageHeaders *headers;
  Request *req;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  req = g_new0 (Request, 1);
  req->mode = mode;
  req->info = info;
  req->host = g_strdup (self->host);
  g_task_set_task_data (task, req, (GDestroyNotify) request_free);

  req->msg = soup_message_new (method, uri);
  if (req->msg == NULL)
    {
      g_task_return_new_error (task, NT_CLIENT_ERROR, NT_CLIENT_ERROR_NETWORK,
                               _("“%s” is not a valid address of the scheduling service. Check the facility address in Preferences."),
                               uri);
      return;
    }

  headers = soup_message_get_request_headers (req->msg);
  soup_message_headers_replace (headers, "Accept", "application/json");
  nt_client_set_bearer (req->msg, self->token);
  if (if_match != NULL)
    {
      soup_message_headers_replace (headers, "If-Match", if_match);
      /* A conditional write may go over a kept-alive connection: should
       * libsoup resend it after a dropped connection, the If-Match makes a
       * second application impossible (it would get 412). */
      soup_message_add_flags (req->msg, SOUP_MESSAGE_IDEMPOTENT);
    }

  if (body != NULL)
    {
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autoptr(GBytes) bytes = NULL;
      char *text;
      gsize len;

      json_generator_set_root (generator, body);
      text = json_generator_to_data (generator, &len);
      bytes = g_bytes_new_take (text, len);
      soup_message_set_request_body_from_bytes (req->msg, "application/json", bytes);
    }

  soup_session_send_and_read_async (self->session, req->msg, G_PRIORITY_DEFAULT,
                                    cancellable, send_cb, g_object_ref (task));
}

gpointer
nt_schedule_client_finish_pointer (NtScheduleClient   *self,
                GAsyncResult       *result,
                gpointer            source_tag,
                NtScheduleFailure **failure,
                GError            **error)
{
  Request *req;

  g_return_val_if_fail (NT_IS_SCHEDULE_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  req = g_task_get_task_data (G_TASK (result));
  if (failure != NULL)
    *failure = (req != NULL && req->failure != NULL) ? nt_schedule_failure_ref (req->failure) : NULL;

  return g_task_propagate_pointer (G_TASK (result), error);
}

GPtrArray *
nt_schedule_client_finish_list (NtScheduleClient  *self,
             GAsyncResult      *result,
             gpointer           source_tag,
             gint64            *revision,
             GError           **error)
{
  ListResult *list = nt_schedule_client_finish_pointer (self, result, source_tag, NULL, error);
  GPtrArray *items;

  if (list == NULL)
    return NULL;

  if (revision != NULL)
    *revision = list->revision;
  items = g_steal_pointer (&list->items);
  list_result_free (list);

  return items;
}

NtBookingStore *
nt_schedule_client_finish_store (NtScheduleClient  *self,
                                 GAsyncResult      *result,
                                 gpointer           source_tag,
                                 gint64            *revision,
                                 GError           **error)
{
  ListResult *list = nt_schedule_client_finish_pointer (self, result, source_tag, NULL, error);
  NtBookingStore *store;

  if (list == NULL)
    return NULL;

  if (revision != NULL)
    *revision = list->revision;
  store = g_steal_pointer (&list->store);
  list_result_free (list);

  return store;
}

/* The request body of a write: the object without what the server owns. */
JsonNode *
nt_schedule_write_body (const ModelInfo *info,
            gpointer         object,
            gboolean         keep_id,
            const char      *override_reason)
{
  JsonNode *node = info->to_json (object);
  JsonObject *o = json_node_get_object (node);

  if (!keep_id)
    json_object_remove_member (o, "id");
  json_object_remove_member (o, "etag");
  json_object_remove_member (o, "revision");
  if (override_reason != NULL && *override_reason != '\0')
    json_object_set_string_member (o, "override_reason", override_reason);

  return node;
}

gboolean
nt_schedule_client_check_model (NtScheduleClient     *self,
             gpointer              object,
             const ModelInfo     **info,
             gpointer              source_tag,
             GAsyncReadyCallback   callback,
             gpointer              user_data)
{
  *info = G_IS_OBJECT (object) ? nt_schedule_model_info_for_type (G_OBJECT_TYPE (object)) : NULL;
  if (*info != NULL)
    return TRUE;

  g_critical ("%s: not a scheduling model object", G_STRFUNC);
  g_task_report_new_error (self, callback, user_data, source_tag,
                           NT_CLIENT_ERROR, NT_CLIENT_ERROR_INVALID_INPUT,
                           "not a scheduling model object");
  return FALSE;
}
