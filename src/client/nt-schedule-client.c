/* nt-schedule-client.c: the scheduling service's client (REST + change feed)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One SoupSession per client.  A request goes out with the bearer token;
 * its body comes back whole (soup_session_send_and_read_async), error
 * statuses are mapped to NtClientError codes with what the service said
 * kept in an NtScheduleFailure, and successful bodies are parsed into model
 * objects in a worker thread so that a year of allocations never stalls
 * the main loop.
 *
 * The change feed is a WebSocket at /api/v1/changes?since=N.  Messages are
 * delivered in the order they arrive; one whose revision is not above the
 * last delivered is a replay (the server resends from `since` after a
 * reconnect) and is dropped, so every change is emitted once.
 */
#define G_LOG_DOMAIN "nt-schedule-client"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "nt-model-json.h"
#include "nt-schedule-client.h"
#include "nt-time.h"

#define API_PREFIX            "/api/v1"
#define REQUEST_TIMEOUT_S     60
#define KEEPALIVE_S           15
#define DEFAULT_MIN_DELAY_MS  500
#define DEFAULT_MAX_DELAY_MS  30000

/* ---- NtScheduleFailure ---- */

struct _NtScheduleFailure
{
  gatomicrefcount  ref_count;
  guint            status;
  char            *code;
  char            *message;
  char            *field;
  JsonNode        *details;
  GObject         *current;
};

G_DEFINE_BOXED_TYPE (NtScheduleFailure, nt_schedule_failure,
                     nt_schedule_failure_ref, nt_schedule_failure_unref)

/* ---- the client ---- */

struct _NtScheduleClient
{
  GObject                   parent_instance;

  SoupSession              *session;
  char                     *base_uri;    /* http(s)://host:port, no trailing slash */
  char                     *host;        /* for error messages */
  char                     *token;

  /* change feed */
  gboolean                  feed_running;
  NtConnectionState         feed_state;
  SoupWebsocketConnection  *conn;
  GCancellable             *connect_cancellable;
  guint                     reconnect_id;
  guint                     attempt;
  guint                     min_delay_ms;
  guint                     max_delay_ms;
  GRand                    *rand;
  gint64                    last_revision;
  char                     *feed_error;
};

G_DEFINE_FINAL_TYPE (NtScheduleClient, nt_schedule_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BASE_URI,
  PROP_TOKEN,
  PROP_LAST_REVISION,
  PROP_FEED_STATE,
  PROP_FEED_ERROR,
  N_PROPS
};

enum {
  CHANGE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* How each model travels. */
typedef gpointer     (*FromJsonFunc) (JsonNode *, GError **);
typedef JsonNode    *(*ToJsonFunc)   (gpointer);
typedef const char  *(*GetEtagFunc)  (gpointer);

typedef struct
{
  GType        (*get_type)  (void);
  const char    *resource;    /* as in change-feed messages */
  const char    *collection;  /* path under /api/v1 */
  FromJsonFunc   from_json;
  ToJsonFunc     to_json;
  GetEtagFunc    get_etag;
} ModelInfo;

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

typedef enum
{
  PARSE_NONE,    /* no body expected (DELETE) */
  PARSE_JSON,    /* the root node as it is */
  PARSE_OBJECT,  /* one model object */
  PARSE_LIST,    /* {"items": [...], "revision": N} of model objects */
  PARSE_BYTES,   /* the body as it is (calendar text) */
} ParseMode;

typedef struct
{
  ParseMode          mode;
  const ModelInfo   *info;
  SoupMessage       *msg;
  GBytes            *body;
  char              *host;
  NtScheduleFailure *failure;
} Request;

typedef struct
{
  GPtrArray *items;
  gint64     revision;
} ListResult;

/* What the parse worker gets: nothing of the client or of libsoup, so that
 * whatever it drops last is safe to free in the worker. */
typedef struct
{
  ParseMode        mode;
  const ModelInfo *info;
  GBytes          *body;
} ParseJob;

typedef struct
{
  GWeakRef      self;
  GCancellable *cancellable;
  SoupMessage  *msg;
} ConnectData;

static void begin_connect (NtScheduleClient *self);

/* ---- NtScheduleFailure API ---- */

NtScheduleFailure *
nt_schedule_failure_ref (NtScheduleFailure *failure)
{
  g_return_val_if_fail (failure != NULL, NULL);

  g_atomic_ref_count_inc (&failure->ref_count);
  return failure;
}

void
nt_schedule_failure_unref (NtScheduleFailure *failure)
{
  g_return_if_fail (failure != NULL);

  if (!g_atomic_ref_count_dec (&failure->ref_count))
    return;

  g_free (failure->code);
  g_free (failure->message);
  g_free (failure->field);
  g_clear_pointer (&failure->details, json_node_unref);
  g_clear_object (&failure->current);
  g_free (failure);
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

/* ---- helpers ---- */

static const ModelInfo *
model_info_for_type (GType type)
{
  for (guint i = 0; i < G_N_ELEMENTS (models); i++)
    if (models[i].get_type () == type)
      return &models[i];
  return NULL;
}

static const ModelInfo *
model_info_for_resource (const char *resource)
{
  for (guint i = 0; i < G_N_ELEMENTS (models); i++)
    if (g_strcmp0 (models[i].resource, resource) == 0)
      return &models[i];
  return NULL;
}

/* The path segment naming one stored object, escaped. */
static char *
object_path (const ModelInfo *info,
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
      return (GDestroyNotify) list_result_free;
    case PARSE_BYTES:
      return (GDestroyNotify) g_bytes_unref;
    case PARSE_NONE:
    default:
      return NULL;
    }
}

static void
append_query (GString    *path,
              const char *name,
              const char *value)
{
  g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);

  g_string_append_c (path, strchr (path->str, '?') != NULL ? '&' : '?');
  g_string_append (path, name);
  g_string_append_c (path, '=');
  g_string_append (path, escaped);
}

static void
append_query_time (GString    *path,
                   const char *name,
                   gint64      t)
{
  char buf[NT_TIME_ISO_LEN + 1];

  if (t == 0)
    return;
  nt_time_format_iso_buf (t, buf);
  append_query (path, name, buf);
}

static GError *
invalid_data_error (const char *what)
{
  return g_error_new (NT_CLIENT_ERROR, NT_CLIENT_ERROR_INVALID_DATA,
                      _("The scheduling service sent data this console cannot read (%s). Check that the console and the service are the same version."),
                      what);
}

/* Parses an error body into a failure; the 412 "current" version is looked
 * for in details.current, then in details itself, then at the top level.
 */
static NtScheduleFailure *
failure_new (guint            status,
             GBytes          *body,
             const ModelInfo *info)
{
  NtScheduleFailure *failure = g_new0 (NtScheduleFailure, 1);

  g_atomic_ref_count_init (&failure->ref_count);
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
      if (json_parser_load_from_data (parser, data, len, NULL) &&
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

      g_propagate_error (error, invalid_data_error (what));
      return NULL;
    }

  if (info->get_etag (object) == NULL)
    {
      g_autofree char *what = g_strdup_printf ("%s%s: “etag” is missing", where, info->resource);

      g_propagate_error (error, invalid_data_error (what));
      return NULL;
    }

  return g_steal_pointer (&object);
}

static void
parse_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  ParseJob *req = task_data;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) error = NULL;
  const char *data;
  JsonNode *root;
  gsize len;

  data = g_bytes_get_data (req->body, &len);
  if (data == NULL || len == 0 || !json_parser_load_from_data (parser, data, len, &error))
    {
      g_task_return_error (task, invalid_data_error (error != NULL ? error->message
                                                                   : "empty response"));
      return;
    }

  root = json_parser_get_root (parser);

  switch (req->mode)
    {
    case PARSE_JSON:
      g_task_return_pointer (task, json_node_ref (root), (GDestroyNotify) json_node_unref);
      return;

    case PARSE_OBJECT:
      {
        gpointer object = parse_object (req->info, root, -1, &error);

        if (object == NULL)
          g_task_return_error (task, g_steal_pointer (&error));
        else
          g_task_return_pointer (task, object, g_object_unref);
        return;
      }

    case PARSE_LIST:
      {
        g_autoptr(GPtrArray) items = NULL;
        ListResult *list;
        JsonObject *object;
        JsonNode *items_node;
        JsonArray *array;
        gint64 revision = 0;
        guint n;

        if (!(object = nt_model_json_object (root, "list", &error)) ||
            !nt_model_json_int (object, "list", "revision", TRUE, 0, G_MAXINT64, &revision, &error))
          {
            g_task_return_error (task, invalid_data_error (error->message));
            return;
          }

        items_node = json_object_get_member (object, "items");
        if (items_node == NULL || !JSON_NODE_HOLDS_ARRAY (items_node))
          {
            g_task_return_error (task, invalid_data_error ("list: “items” must be an array"));
            return;
          }

        array = json_node_get_array (items_node);
        n = json_array_get_length (array);
        items = g_ptr_array_new_full (n, g_object_unref);
        for (guint i = 0; i < n; i++)
          {
            gpointer item;

            if (g_task_return_error_if_cancelled (task))
              return;

            item = parse_object (req->info, json_array_get_element (array, i), (int) i, &error);
            if (item == NULL)
              {
                g_task_return_error (task, g_steal_pointer (&error));
                return;
              }
            g_ptr_array_add (items, item);
          }

        list = g_new0 (ListResult, 1);
        list->items = g_steal_pointer (&items);
        list->revision = revision;
        g_task_return_pointer (task, list, (GDestroyNotify) list_result_free);
        return;
      }

    case PARSE_NONE:
    case PARSE_BYTES:
    default:
      g_assert_not_reached ();
    }
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
  g_debug ("%s %s → %u", soup_message_get_method (req->msg),
           g_uri_get_path (soup_message_get_uri (req->msg)), status);

  if (status >= 400)
    {
      req->failure = failure_new (status, req->body, req->info);
      g_task_return_error (task,
                           nt_client_error_new_from_response (status,
                                                              soup_message_get_reason_phrase (req->msg),
                                                              req->body));
      return;
    }

  if (status < 200 || status >= 300)
    {
      g_autofree char *what = g_strdup_printf ("HTTP %u", status);

      g_task_return_error (task, invalid_data_error (what));
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

static void
send_request (NtScheduleClient    *self,
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
  if (self->token != NULL && *self->token != '\0')
    {
      g_autofree char *auth = g_strdup_printf ("Bearer %s", self->token);
      soup_message_headers_replace (headers, "Authorization", auth);
    }
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

static gpointer
finish_pointer (NtScheduleClient   *self,
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

static GPtrArray *
finish_list (NtScheduleClient  *self,
             GAsyncResult      *result,
             gpointer           source_tag,
             gint64            *revision,
             GError           **error)
{
  ListResult *list = finish_pointer (self, result, source_tag, NULL, error);
  GPtrArray *items;

  if (list == NULL)
    return NULL;

  if (revision != NULL)
    *revision = list->revision;
  items = g_steal_pointer (&list->items);
  list_result_free (list);

  return items;
}

/* The request body of a write: the object without what the server owns. */
static JsonNode *
write_body (const ModelInfo *info,
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

static gboolean
check_model (NtScheduleClient     *self,
             gpointer              object,
             const ModelInfo     **info,
             gpointer              source_tag,
             GAsyncReadyCallback   callback,
             gpointer              user_data)
{
  *info = G_IS_OBJECT (object) ? model_info_for_type (G_OBJECT_TYPE (object)) : NULL;
  if (*info != NULL)
    return TRUE;

  g_critical ("%s: not a scheduling model object", G_STRFUNC);
  g_task_report_new_error (self, callback, user_data, source_tag,
                           NT_CLIENT_ERROR, NT_CLIENT_ERROR_INVALID_INPUT,
                           "not a scheduling model object");
  return FALSE;
}

/* ---- change feed ---- */

static void
set_feed_state (NtScheduleClient  *self,
                NtConnectionState  state)
{
  if (self->feed_state == state)
    return;
  self->feed_state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FEED_STATE]);
}

static void
set_feed_error (NtScheduleClient *self,
                const char       *message)
{
  if (g_strcmp0 (self->feed_error, message) == 0)
    return;
  g_free (self->feed_error);
  self->feed_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FEED_ERROR]);
}

static void
connect_data_free (ConnectData *data)
{
  g_weak_ref_clear (&data->self);
  g_clear_object (&data->cancellable);
  g_clear_object (&data->msg);
  g_free (data);
}

static void
drop_connection (NtScheduleClient *self)
{
  g_autoptr(SoupWebsocketConnection) conn = g_steal_pointer (&self->conn);

  if (conn == NULL)
    return;

  g_signal_handlers_disconnect_by_data (conn, self);
  if (soup_websocket_connection_get_state (conn) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (conn, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
}

static guint
next_delay_ms (NtScheduleClient *self)
{
  guint64 delay = self->min_delay_ms;

  for (guint i = 0; i < self->attempt && delay < self->max_delay_ms; i++)
    delay *= 2;
  delay = MIN (delay, (guint64) self->max_delay_ms);

  /* Half fixed, half random: consoles that lost one server do not all
   * come back in the same instant. */
  return MAX (1, (guint) (delay / 2.0 + g_rand_double (self->rand) * (delay / 2.0)));
}

static gboolean
reconnect_cb (gpointer user_data)
{
  NtScheduleClient *self = user_data;

  self->reconnect_id = 0;
  begin_connect (self);

  return G_SOURCE_REMOVE;
}

static void
schedule_reconnect (NtScheduleClient *self)
{
  guint delay;

  drop_connection (self);
  set_feed_state (self, NT_CONNECTION_DISCONNECTED);

  if (!self->feed_running)
    return;

  g_clear_handle_id (&self->reconnect_id, g_source_remove);
  delay = next_delay_ms (self);
  self->attempt++;
  self->reconnect_id = g_timeout_add (delay, reconnect_cb, self);

  g_debug ("change feed: reconnecting in %u ms from revision %" G_GINT64_FORMAT,
           delay, self->last_revision);
}

static char *
id_to_string (JsonNode *id)
{
  if (id == NULL || JSON_NODE_HOLDS_NULL (id))
    return NULL;
  if (json_node_get_value_type (id) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (id));
  if (json_node_get_value_type (id) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (id));
  return NULL;
}

static void
handle_change (NtScheduleClient *self,
               JsonNode         *root)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) object = NULL;
  g_autofree char *resource = NULL;
  g_autofree char *action = NULL;
  g_autofree char *id = NULL;
  const ModelInfo *info;
  JsonObject *message;
  JsonNode *object_node;
  gint64 revision;

  if (!(message = nt_model_json_object (root, "change", &error)) ||
      !nt_model_json_int (message, "change", "revision", TRUE, 1, G_MAXINT64, &revision, &error) ||
      !nt_model_json_string (message, "change", "resource", FALSE, FALSE, &resource, &error) ||
      !nt_model_json_string (message, "change", "action", FALSE, FALSE, &action, &error))
    {
      g_debug ("change feed: ignoring a message: %s", error->message);
      return;
    }

  /* A replay of what was delivered before a reconnect. */
  if (revision <= self->last_revision)
    return;

  id = id_to_string (json_object_get_member (message, "id"));
  object_node = json_object_get_member (message, "object");
  info = model_info_for_resource (resource);
  if (info != NULL && object_node != NULL && JSON_NODE_HOLDS_OBJECT (object_node))
    {
      object = info->from_json (object_node, &error);
      if (object == NULL)
        g_debug ("change feed: revision %" G_GINT64_FORMAT ": %s", revision, error->message);
    }

  self->last_revision = revision;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_REVISION]);

  g_signal_emit (self, signals[CHANGE], 0, revision, resource, action, id, object, root);
}

static void
message_cb (SoupWebsocketConnection *conn,
            int                      type,
            GBytes                  *message,
            gpointer                 user_data)
{
  NtScheduleClient *self = user_data;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) error = NULL;
  const char *data;
  gsize len;

  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    return;

  data = g_bytes_get_data (message, &len);
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, len, &error))
    {
      g_debug ("change feed: not JSON: %s", error->message);
      return;
    }

  handle_change (self, json_parser_get_root (parser));
}

static void
closed_cb (SoupWebsocketConnection *conn,
           gpointer                 user_data)
{
  NtScheduleClient *self = user_data;

  g_debug ("change feed: closed (%u)", soup_websocket_connection_get_close_code (conn));
  schedule_reconnect (self);
}

static void
connect_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  ConnectData *data = user_data;
  g_autoptr(NtScheduleClient) self = g_weak_ref_get (&data->self);
  g_autoptr(SoupWebsocketConnection) conn = NULL;
  g_autoptr(GError) error = NULL;
  guint status;

  conn = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  status = soup_message_get_status (data->msg);

  if (self == NULL || data->cancellable != self->connect_cancellable)
    {
      /* stopped, restarted or finalized meanwhile */
      if (conn != NULL)
        soup_websocket_connection_close (conn, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
      connect_data_free (data);
      return;
    }

  connect_data_free (data);
  g_clear_object (&self->connect_cancellable);

  if (conn == NULL)
    {
      g_debug ("change feed: %s (HTTP %u)", error->message, status);

      /* A refused token does not get better by retrying: stop, and say
       * why; nt_schedule_client_start_changes() after a new token. */
      if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
        {
          g_autoptr(GError) auth_error = nt_client_error_new_from_response (status, NULL, NULL);

          self->feed_running = FALSE;
          set_feed_error (self, auth_error->message);
          schedule_reconnect (self);
          return;
        }

      {
        g_autoptr(GError) io_error = nt_client_error_new_from_io (error, self->host);
        set_feed_error (self, io_error->message);
      }
      schedule_reconnect (self);
      return;
    }

  set_feed_error (self, NULL);

  self->conn = g_steal_pointer (&conn);
  self->attempt = 0;
  soup_websocket_connection_set_keepalive_interval (self->conn, KEEPALIVE_S);
  soup_websocket_connection_set_max_incoming_payload_size (self->conn, 16 * 1024 * 1024);
  g_signal_connect (self->conn, "message", G_CALLBACK (message_cb), self);
  g_signal_connect (self->conn, "closed", G_CALLBACK (closed_cb), self);

  set_feed_state (self, NT_CONNECTION_CONNECTED);
}

static void
begin_connect (NtScheduleClient *self)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *uri = NULL;
  ConnectData *data;

  g_clear_handle_id (&self->reconnect_id, g_source_remove);

  if (!self->feed_running || self->connect_cancellable != NULL || self->conn != NULL)
    return;

  uri = g_strdup_printf ("%s" API_PREFIX "/changes?since=%" G_GINT64_FORMAT,
                         self->base_uri, self->last_revision);
  msg = soup_message_new (SOUP_METHOD_GET, uri);
  if (msg == NULL)
    {
      g_warning ("change feed: “%s” is not a valid address", uri);
      self->feed_running = FALSE;
      set_feed_state (self, NT_CONNECTION_DISCONNECTED);
      return;
    }

  if (self->token != NULL && *self->token != '\0')
    {
      g_autofree char *auth = g_strdup_printf ("Bearer %s", self->token);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }

  self->connect_cancellable = g_cancellable_new ();
  data = g_new0 (ConnectData, 1);
  g_weak_ref_init (&data->self, self);
  data->cancellable = g_object_ref (self->connect_cancellable);
  data->msg = g_object_ref (msg);

  set_feed_state (self, NT_CONNECTION_CONNECTING);

  soup_session_websocket_connect_async (self->session, msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        self->connect_cancellable, connect_cb, data);
}

/* ---- GObject ---- */

static void
nt_schedule_client_dispose (GObject *object)
{
  NtScheduleClient *self = (NtScheduleClient *)object;

  nt_schedule_client_stop_changes (self);
  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (nt_schedule_client_parent_class)->dispose (object);
}

static void
nt_schedule_client_finalize (GObject *object)
{
  NtScheduleClient *self = (NtScheduleClient *)object;

  g_clear_pointer (&self->base_uri, g_free);
  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->token, g_free);
  g_clear_pointer (&self->feed_error, g_free);
  g_clear_pointer (&self->rand, g_rand_free);

  G_OBJECT_CLASS (nt_schedule_client_parent_class)->finalize (object);
}

static void
nt_schedule_client_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  NtScheduleClient *self = NT_SCHEDULE_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URI:
      g_value_set_string (value, self->base_uri);
      break;

    case PROP_LAST_REVISION:
      g_value_set_int64 (value, self->last_revision);
      break;

    case PROP_FEED_STATE:
      g_value_set_enum (value, self->feed_state);
      break;

    case PROP_FEED_ERROR:
      g_value_set_string (value, self->feed_error);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nt_schedule_client_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  NtScheduleClient *self = NT_SCHEDULE_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URI:
      {
        const char *uri = g_value_get_string (value);
        g_autoptr(GUri) parsed = NULL;

        self->base_uri = g_strdup (uri != NULL ? uri : "");
        while (g_str_has_suffix (self->base_uri, "/"))
          self->base_uri[strlen (self->base_uri) - 1] = '\0';

        parsed = g_uri_parse (self->base_uri, G_URI_FLAGS_NONE, NULL);
        self->host = g_strdup (parsed != NULL && g_uri_get_host (parsed) != NULL
                               ? g_uri_get_host (parsed) : self->base_uri);
      }
      break;

    case PROP_TOKEN:
      nt_schedule_client_set_token (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nt_schedule_client_class_init (NtScheduleClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = nt_schedule_client_dispose;
  object_class->finalize = nt_schedule_client_finalize;
  object_class->get_property = nt_schedule_client_get_property;
  object_class->set_property = nt_schedule_client_set_property;

  properties[PROP_BASE_URI] =
    g_param_spec_string ("base-uri", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOKEN] =
    g_param_spec_string ("token", NULL, NULL, NULL,
                         G_PARAM_WRITABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_REVISION] =
    g_param_spec_int64 ("last-revision", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_FEED_STATE] =
    g_param_spec_enum ("feed-state", NULL, NULL, NT_TYPE_CONNECTION_STATE,
                       NT_CONNECTION_DISCONNECTED,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_FEED_ERROR] =
    g_param_spec_string ("feed-error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * NtScheduleClient::change:
   * @revision: the store's revision of this change
   * @resource: "period", "allocation", "member", "proposal", …
   * @action: "created", "updated" or "deleted"
   * @id: (nullable): the object's id as a string
   * @object: (nullable): the object after the change as a model object
   *   (NULL when deleted or of a resource without a model)
   * @message: the whole message as sent
   *
   * Emitted once per committed change, in revision order.
   */
  signals[CHANGE] =
    g_signal_new ("change",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 6,
                  G_TYPE_INT64,
                  G_TYPE_STRING,
                  G_TYPE_STRING,
                  G_TYPE_STRING,
                  G_TYPE_OBJECT,
                  JSON_TYPE_NODE);
}

static void
nt_schedule_client_init (NtScheduleClient *self)
{
  self->session = g_object_new (SOUP_TYPE_SESSION,
                                "timeout", REQUEST_TIMEOUT_S,
                                "user-agent", PACKAGE_NAME "/" PACKAGE_VERSION " ",
                                NULL);
  self->feed_state = NT_CONNECTION_DISCONNECTED;
  self->min_delay_ms = DEFAULT_MIN_DELAY_MS;
  self->max_delay_ms = DEFAULT_MAX_DELAY_MS;
  self->rand = g_rand_new ();
}

/* ---- public API ---- */

/**
 * nt_schedule_client_new:
 * @base_uri: the service's root, "http://127.0.0.1:8642"
 * @token: (nullable): the bearer token
 *
 * Returns: (transfer full): a new client
 */
NtScheduleClient *
nt_schedule_client_new (const char *base_uri,
                        const char *token)
{
  g_return_val_if_fail (base_uri != NULL, NULL);

  return g_object_new (NT_TYPE_SCHEDULE_CLIENT,
                       "base-uri", base_uri,
                       "token", token,
                       NULL);
}

const char *
nt_schedule_client_get_base_uri (NtScheduleClient *self)
{
  g_return_val_if_fail (NT_IS_SCHEDULE_CLIENT (self), NULL);
  return self->base_uri;
}

/**
 * nt_schedule_client_set_token:
 * @token: (nullable): the bearer token, or %NULL to send none
 *
 * Used by requests made from now on and by the next change-feed connection.
 */
void
nt_schedule_client_set_token (NtScheduleClient *self,
                              const char       *token)
{
  g_return_if_fail (NT_IS_SCHEDULE_CLIENT (self));

  if (g_strcmp0 (self->token, token) == 0)
    return;
  g_free (self->token);
  self->token = g_strdup (token);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN]);
}

void
nt_schedule_client_list_beamlines_async (NtScheduleClient    *self,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_return_if_fail (NT_IS_SCHEDULE_CLIENT (self));

  send_request (self, SOUP_METHOD_GET, API_PREFIX "/beamlines", NULL, NULL,
                PARSE_JSON, NULL, nt_schedule_client_list_beamlines_async,
                cancellable, callback, user_data);
}

/**
 * nt_schedule_client_list_beamlines_finish:
 *
 * Returns: (transfer full): the response, as sent
 */
JsonNode *
nt_schedule_client_list_beamlines_finish (NtScheduleClient  *self,
                                          GAsyncResult      *result,
                                          GError           **error)
{
  return finish_pointer (self, result, nt_schedule_client_list_beamlines_async, NULL, error);
}

void
nt_schedule_client_list_run_plan_async (NtScheduleClient    *self,
                                        gint64               from,
                                        gint64               to,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GString) path = g_string_new (API_PREFIX "/run-plan");

  g_return_if_fail (NT_IS_SCHEDULE_CLIENT (self));

  append_query_time (path, "from", from);
  append_query_time (path, "to", to);
  send_request (self, SOUP_METHOD_GET, path->str, NULL, NULL,
                PARSE_LIST, model_info_for_type (NT_TYPE_RUN_PERIOD),
                nt_schedule_client_list_run_plan_async, cancellable, callback, user_data);
}

/**
 * nt_schedule_client_list_run_plan_finish:
 * @revision: (out) (optional): the store's revision when read
 *
 * Returns: (transfer container) (element-type NtRunPeriod): the periods
 */
GPtrArray *
nt_schedule_client_list_run_plan_finish (NtScheduleClient  *self,
                                         GAsyncResult      *result,
                                         gint64            *revision,
                                         GError           **error)
{
  return finish_list (self, result, nt_schedule_client_list_run_plan_async, revision, error);
}

/**
 * nt_schedule_client_list_allocations_async:
 * @from: start of the range (Unix seconds), or 0
 * @to: end of the range (Unix seconds), or 0
 * @station: (nullable): one station's id, or %NULL for all
 * @slot: an #NtSlot, or %NT_SLOT_ANY
 */
void
nt_schedule_client_list_allocations_async (NtScheduleClient    *self,
                                           gint64               from,
                                           gint64               to,
                                           const char          *station,
                                           int                  slot,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_autoptr(GString) path = g_string_new (API_PREFIX "/allocations");

  g_return_if_fail (NT_IS_SCHEDULE_CLIENT (self));
  g_return_if_fail (slot == NT_SLOT_ANY || (slot >= 0 && slot < NT_N_SLOTS));

  append_query_time (path, "from", from);
  append_query_time (path, "to", to);
  if (station != NULL && *station != '\0')
    append_query (path, "station", station);
  if (slot != NT_SLOT_ANY)
    append_query (path, "slot", nt_slot_to_string (slot));
  send_request (self, SOUP_METHOD_GET, path->str, NULL, NULL,
                PARSE_LIST, model_info_for_type (NT_TYPE_ALLOCATION),
                nt_schedule_client_list_allocations_async, cancellable, callback, user_data);
}

/**
 * nt_schedule_client_list_allocations_finish:
 * @revision: (out) (optional): the store's revision when read
 *
 * Returns: (transfer container) (element-type NtAllocation): the allocations
 */
GPtrArray *
nt_schedule_client_list_allocations_finish (NtScheduleClient  *self,
                                            GAsyncResult      *result,
                                            gint64            *revision,
                                            GError           **error)
{
  return finish_list (self, result, nt_schedule_client_list_allocations_async, revision, error);
}

void
nt_schedule_client_list_members_async (NtScheduleClient    *self,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_return_if_fail (NT_IS_SCHEDULE_CLIENT (self));

  send_request (self, SOUP_METHOD_GET, API_PREFIX "/members", NULL, NULL,
                PARSE_LIST, model_info_for_type (NT_TYPE_MEMBER),
                nt_schedule_client_list_members_async, cancellable, callback, user_data);
}

/**
 * nt_schedule_client_list_members_finish:
 * @revision: (out) (optional): the store's revision when read
 *
 * Returns: (transfer container) (element-type NtMember): the members
 */
GPtrArray *
nt_schedule_client_list_members_finish (NtScheduleClient  *self,
                                        GAsyncResult      *result,
                                        gint64            *revision,
                                        GError           **error)
{
  return finish_list (self, result, nt_schedule_client_list_members_async, revision, error);
}

void
nt_schedule_client_list_proposals_async (NtScheduleClient    *self,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_return_if_fail (NT_IS_SCHEDULE_CLIENT (self));

  send_request (self, SOUP_METHOD_GET, API_PREFIX "/proposals", NULL, NULL,
                PARSE_LIST, model_info_for_type (NT_TYPE_PROPOSAL),
                nt_schedule_client_list_proposals_async, cancellable, callback, user_data);
}

/**
 * nt_schedule_client_list_proposals_finish:
 * @revision: (out) (optional): the store's revision when read
 *
 * Returns: (transfer container) (element-type NtProposal): the proposals
 */
GPtrArray *
nt_schedule_client_list_proposals_finish (NtScheduleClient  *self,
                                          GAsyncResult      *result,
                                          gint64            *revision,
                                          GError           **error)
{
  return finish_list (self, result, nt_schedule_client_list_proposals_async, revision, error);
}

void
nt_schedule_client_get_summary_async (NtScheduleClient    *self,
                                      int                  fiscal_year,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (NT_IS_SCHEDULE_CLIENT (self));

  path = g_strdup_printf (API_PREFIX "/summary?fy=%d", fiscal_year);
  send_request (self, SOUP_METHOD_GET, path, NULL, NULL, PARSE_JSON, NULL,
                nt_schedule_client_get_summary_async, cancellable, callback, user_data);
}

/**
 * nt_schedule_client_get_summary_finish:
 *
 * Returns: (transfer full): the summary, as sent
 */
JsonNode *
nt_schedule_client_get_summary_finish (NtScheduleClient  *self,
                                       GAsyncResult      *result,
                                       GError           **error)
{
  return finish_pointer (self, result, nt_schedule_client_get_summary_async, NULL, error);
}

/* GET /whoami: {"name": …, "role": "viewer"|"operator"|"office"|"admin"}
 * for the client's token. */
void
nt_schedule_client_whoami_async (NtScheduleClient    *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (NT_IS_SCHEDULE_CLIENT (self));

  send_request (self, SOUP_METHOD_GET, API_PREFIX "/whoami", NULL, NULL, PARSE_JSON, NULL,
                nt_schedule_client_whoami_async, cancellable, callback, user_data);
}

/**
 * nt_schedule_client_whoami_finish:
 * @role: (out) (optional) (transfer full): the token's role
 *
 * Returns: (transfer full): the answer, as sent
 */
JsonNode *
nt_schedule_client_whoami_finish (NtScheduleClient  *self,
                                  GAsyncResult      *result,
                                  char             **role,
                                  GError           **error)
{
  JsonNode *node = finish_pointer (self, result, nt_schedule_client_whoami_async, NULL, error);
  JsonObject *o;

  if (node == NULL)
    return NULL;
  o = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  if (o == NULL || !json_object_has_member (o, "role") ||
      json_node_get_value_type (json_object_get_member (o, "role")) != G_TYPE_STRING)
    {
      g_set_error (error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_INVALID_DATA,
                   _("The scheduling service did not say which role this console has"));
      json_node_unref (node);
      return NULL;
    }
  if (role != NULL)
    *role = g_strdup (json_object_get_string_member (o, "role"));
  return node;
}

void
nt_schedule_client_list_audit_async (NtScheduleClient    *self,
                                     gint64               from,
                                     gint64               to,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GString) path = g_string_new (API_PREFIX "/audit");

  g_return_if_fail (NT_IS_SCHEDULE_CLIENT (self));

  append_query_time (path, "from", from);
  append_query_time (path, "to", to);
  send_request (self, SOUP_METHOD_GET, path->str, NULL, NULL, PARSE_JSON, NULL,
                nt_schedule_client_list_audit_async, cancellable, callback, user_data);
}

/**
 * nt_schedule_client_list_audit_finish:
 *
 * Returns: (transfer full): the audit entries, as sent
 */
JsonNode *
nt_schedule_client_list_audit_finish (NtScheduleClient  *self,
                                      GAsyncResult      *result,
                                      GError           **error)
{
  return finish_pointer (self, result, nt_schedule_client_list_audit_async, NULL, error);
}

/**
 * nt_schedule_client_get_object_async:
 * @type: %NT_TYPE_RUN_PERIOD, %NT_TYPE_ALLOCATION, %NT_TYPE_MEMBER or
 *   %NT_TYPE_PROPOSAL
 * @id: the object's id
 *
 * Reads one stored object, e.g. to refresh it.
 */
void
nt_schedule_client_get_object_async (NtScheduleClient    *self,
                                     GType                type,
                                     const char          *id,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  const ModelInfo *info = model_info_for_type (type);
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (NT_IS_SCHEDULE_CLIENT (self));
  g_return_if_fail (info != NULL);
  g_return_if_fail (id != NULL && *id != '\0');

  escaped = g_uri_escape_string (id, NULL, FALSE);
  path = g_strdup_printf (API_PREFIX "/%s/%s", info->collection, escaped);
  send_request (self, SOUP_METHOD_GET, path, NULL, NULL, PARSE_OBJECT, info,
                nt_schedule_client_get_object_async, cancellable, callback, user_data);
}

/**
 * nt_schedule_client_get_object_finish:
 *
 * Returns: (transfer full): the object, of the type asked for
 */
gpointer
nt_schedule_client_get_object_finish (NtScheduleClient  *self,
                                      GAsyncResult      *result,
                                      GError           **error)
{
  return finish_pointer (self, result, nt_schedule_client_get_object_async, NULL, error);
}

void
nt_schedule_client_list_terms_async (NtScheduleClient    *self,
                                     int                  fiscal_year,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (NT_IS_SCHEDULE_CLIENT (self));

  path = g_strdup_printf (API_PREFIX "/terms?fy=%d", fiscal_year);
  send_request (self, SOUP_METHOD_GET, path, NULL, NULL, PARSE_JSON, NULL,
                nt_schedule_client_list_terms_async, cancellable, callback, user_data);
}

/**
 * nt_schedule_client_list_terms_finish:
 *
 * Returns: (transfer full): the terms, as sent
 */
JsonNode *
nt_schedule_client_list_terms_finish (NtScheduleClient  *self,
                                      GAsyncResult      *result,
                                      GError           **error)
{
  return finish_pointer (self, result, nt_schedule_client_list_terms_async, NULL, error);
}

/**
 * nt_schedule_client_get_calendar_async:
 * @station: (nullable): one station's id, or "*" for the allocations of
 *   every station
 * @beamline: (nullable): one beamline's id
 * @from: Unix seconds, or 0 for no lower bound
 * @to: Unix seconds, or 0 for no upper bound
 *
 * Reads an iCalendar: the run plan when neither @station nor @beamline is
 * given, else those allocations; only what overlaps [@from, @to).
 */
void
nt_schedule_client_get_calendar_async (NtScheduleClient    *self,
                                       const char          *station,
                                       const char          *beamline,
                                       gint64               from,
                                       gint64               to,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GString) path = g_string_new (API_PREFIX "/calendar.ics");

  g_return_if_fail (NT_IS_SCHEDULE_CLIENT (self));

  if (station != NULL && *station != '\0')
    append_query (path, "station", station);
  if (beamline != NULL && *beamline != '\0')
    append_query (path, "beamline", beamline);
  if (from != 0)
    append_query_time (path, "from", from);
  if (to != 0)
    append_query_time (path, "to", to);
  send_request (self, SOUP_METHOD_GET, path->str, NULL, NULL, PARSE_BYTES, NULL,
                nt_schedule_client_get_calendar_async, cancellable, callback, user_data);
}

/**
 * nt_schedule_client_get_calendar_finish:
 *
 * Returns: (transfer full): the calendar (text/calendar, UTF-8)
 */
GBytes *
nt_schedule_client_get_calendar_finish (NtScheduleClient  *self,
                                        GAsyncResult      *result,
                                        GError           **error)
{
  return finish_pointer (self, result, nt_schedule_client_get_calendar_async, NULL, error);
}

/**
 * nt_schedule_client_create_async:
 * @object: an NtRunPeriod, NtAllocation, NtMember or NtProposal
 * @override_reason: (nullable): why an admin lets it exceed a quota
 *
 * POSTs @object to its collection.
 */
void
nt_schedule_client_create_async (NtScheduleClient    *self,
                                 gpointer             object,
                                 const char          *override_reason,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *path = NULL;
  const ModelInfo *info;

  g_return_if_fail (NT_IS_SCHEDULE_CLIENT (self));

  if (!check_model (self, object, &info, nt_schedule_client_create_async, callback, user_data))
    return;

  /* a proposal's id is its number, chosen by the office */
  body = write_body (info, object, NT_IS_PROPOSAL (object), override_reason);
  path = g_strdup_printf (API_PREFIX "/%s", info->collection);
  send_request (self, SOUP_METHOD_POST, path, body, NULL, PARSE_OBJECT, info,
                nt_schedule_client_create_async, cancellable, callback, user_data);
}

/**
 * nt_schedule_client_create_finish:
 * @failure: (out) (optional) (transfer full) (nullable): what the service
 *   said if it refused
 *
 * Returns: (transfer full) (nullable): the stored object, of the type
 *   written, with its id, etag and revision
 */
gpointer
nt_schedule_client_create_finish (NtScheduleClient   *self,
                                  GAsyncResult       *result,
                                  NtScheduleFailure **failure,
                                  GError            **error)
{
  return finish_pointer (self, result, nt_schedule_client_create_async, failure, error);
}

static void
write_existing (NtScheduleClient    *self,
                const char          *method,
                gpointer             object,
                const char          *override_reason,
                gpointer             source_tag,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *path = NULL;
  const ModelInfo *info;
  gboolean is_delete = g_str_equal (method, SOUP_METHOD_DELETE);

  if (!check_model (self, object, &info, source_tag, callback, user_data))
    return;

  path = object_path (info, object);
  if (path == NULL)
    {
      g_task_report_new_error (self, callback, user_data, source_tag,
                               NT_CLIENT_ERROR, NT_CLIENT_ERROR_INVALID_INPUT,
                               "%s", _("This item has not been saved yet, so it cannot be changed or deleted."));
      return;
    }

  if (!is_delete)
    body = write_body (info, object, FALSE, override_reason);

  send_request (self, method, path, body, info->get_etag (object),
                is_delete ? PARSE_NONE : PARSE_OBJECT, info,
                source_tag, cancellable, callback, user_data);
}

/**
 * nt_schedule_client_update_async:
 * @object: a stored NtRunPeriod, NtAllocation, NtMember or NtProposal,
 *   edited
 * @override_reason: (nullable): why an admin lets it exceed a quota
 *
 * PATCHes @object with If-Match set to the etag it was read with; if
 * someone changed it meanwhile the service answers 412 and the failure
 * holds the current version.
 */
void
nt_schedule_client_update_async (NtScheduleClient    *self,
                                 gpointer             object,
                                 const char          *override_reason,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (NT_IS_SCHEDULE_CLIENT (self));

  write_existing (self, "PATCH", object, override_reason, nt_schedule_client_update_async,
                  cancellable, callback, user_data);
}

/**
 * nt_schedule_client_update_finish:
 * @failure: (out) (optional) (transfer full) (nullable): what the service
 *   said if it refused
 *
 * Returns: (transfer full) (nullable): the stored version
 */
gpointer
nt_schedule_client_update_finish (NtScheduleClient   *self,
                                  GAsyncResult       *result,
                                  NtScheduleFailure **failure,
                                  GError            **error)
{
  return finish_pointer (self, result, nt_schedule_client_update_async, failure, error);
}

/**
 * nt_schedule_client_delete_async:
 * @object: a stored NtRunPeriod, NtAllocation, NtMember or NtProposal
 *
 * DELETEs @object with If-Match set to the etag it was read with.
 */
void
nt_schedule_client_delete_async (NtScheduleClient    *self,
                                 gpointer             object,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (NT_IS_SCHEDULE_CLIENT (self));

  write_existing (self, SOUP_METHOD_DELETE, object, NULL, nt_schedule_client_delete_async,
                  cancellable, callback, user_data);
}

/**
 * nt_schedule_client_delete_finish:
 * @failure: (out) (optional) (transfer full) (nullable): what the service
 *   said if it refused
 */
gboolean
nt_schedule_client_delete_finish (NtScheduleClient   *self,
                                  GAsyncResult       *result,
                                  NtScheduleFailure **failure,
                                  GError            **error)
{
  Request *req;

  g_return_val_if_fail (NT_IS_SCHEDULE_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  req = g_task_get_task_data (G_TASK (result));
  if (failure != NULL)
    *failure = (req != NULL && req->failure != NULL) ? nt_schedule_failure_ref (req->failure) : NULL;

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * nt_schedule_client_start_changes:
 * @since: the revision already known (from a list), or 0 for all
 *
 * Connects the change feed; ::change follows from the change after @since.
 * Calling it while running restarts the feed from @since.
 */
void
nt_schedule_client_start_changes (NtScheduleClient *self,
                                  gint64            since)
{
  g_return_if_fail (NT_IS_SCHEDULE_CLIENT (self));
  g_return_if_fail (since >= 0);

  nt_schedule_client_stop_changes (self);

  self->feed_running = TRUE;
  self->attempt = 0;
  if (self->last_revision != since)
    {
      self->last_revision = since;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_REVISION]);
    }
  begin_connect (self);
}

void
nt_schedule_client_stop_changes (NtScheduleClient *self)
{
  g_return_if_fail (NT_IS_SCHEDULE_CLIENT (self));

  self->feed_running = FALSE;
  g_clear_handle_id (&self->reconnect_id, g_source_remove);
  if (self->connect_cancellable != NULL)
    {
      g_cancellable_cancel (self->connect_cancellable);
      g_clear_object (&self->connect_cancellable);
    }
  drop_connection (self);
  set_feed_state (self, NT_CONNECTION_DISCONNECTED);
}

/**
 * nt_schedule_client_reconnect_now:
 *
 * When the change feed is running but disconnected, waiting for its next
 * attempt, tries at once (a "Reconnect now" button).
 */
void
nt_schedule_client_reconnect_now (NtScheduleClient *self)
{
  g_return_if_fail (NT_IS_SCHEDULE_CLIENT (self));

  if (!self->feed_running || self->conn != NULL || self->connect_cancellable != NULL)
    return;

  self->attempt = 0;
  begin_connect (self);
}

/**
 * nt_schedule_client_get_last_revision:
 *
 * Returns: the revision of the last change delivered (or the @since given
 *   to nt_schedule_client_start_changes())
 */
gint64
nt_schedule_client_get_last_revision (NtScheduleClient *self)
{
  g_return_val_if_fail (NT_IS_SCHEDULE_CLIENT (self), 0);
  return self->last_revision;
}

/**
 * nt_schedule_client_get_feed_error:
 *
 * Returns: (nullable): why the change feed last failed to connect (for
 *   a person to read), or %NULL once connected.  A refused token (401/403)
 *   stops the feed: start it again after setting a new token.
 */
const char *
nt_schedule_client_get_feed_error (NtScheduleClient *self)
{
  g_return_val_if_fail (NT_IS_SCHEDULE_CLIENT (self), NULL);
  return self->feed_error;
}

NtConnectionState
nt_schedule_client_get_feed_state (NtScheduleClient *self)
{
  g_return_val_if_fail (NT_IS_SCHEDULE_CLIENT (self), NT_CONNECTION_DISCONNECTED);
  return self->feed_state;
}

/**
 * nt_schedule_client_set_reconnect_delays:
 * @min_ms: the first delay after a drop
 * @max_ms: the longest delay; each failed attempt doubles the delay up to it
 *
 * Each delay is jittered between half and all of it.
 */
void
nt_schedule_client_set_reconnect_delays (NtScheduleClient *self,
                                         guint             min_ms,
                                         guint             max_ms)
{
  g_return_if_fail (NT_IS_SCHEDULE_CLIENT (self));
  g_return_if_fail (min_ms > 0 && min_ms <= max_ms);

  self->min_delay_ms = min_ms;
  self->max_delay_ms = max_ms;
}
