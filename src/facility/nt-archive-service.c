/* nt-archive-service.c: history over the Archiver Appliance retrieval API
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-archive-service"

#include "config.h"

#include <math.h>
#include <string.h>
#include <json-glib/json-glib.h>

#include "nt-archive-service.h"
#include "nt-archive-service-private.h"
#include "nt-db.h"
#include "nt-facility-http.h"
#include "nt-history-store.h"

/* How long a query waits for the first-start history at most. */
#define DEFAULT_HISTORY_WAIT_MS (60 * 1000)

struct _NtArchiveService
{
  GObject       parent_instance;

  char         *db_path;
  guint         max_raw_points;
  NtClock      *clock;           /* NULL: the default clock */

  /* Everything below is only touched in @context, the thread-default
   * context of the thread that made the service (the server's). */
  GMainContext *context;
  gboolean      history_ready;
  guint         history_wait_ms;
  GQueue        parked;          /* of Query (linked through Query.link), oldest first */
  GSource      *parked_timeout;  /* ready at the oldest parked query's deadline */
  gboolean      shut_down;
};

G_DEFINE_FINAL_TYPE (NtArchiveService, nt_archive_service, G_TYPE_OBJECT)

typedef struct
{
  SoupServerMessage *msg;
  gulong             finished_id;
  gulong             disconnected_id;
  gboolean           finished;
  char              *db_path;
  char              *pv;
  gboolean           binned;
  NtHistoryBinOp     op;
  guint              bin_seconds;
  gint64             from_us;
  gint64             to_us;
  guint              max_raw_points;
  gboolean           head;

  /* While parked (waiting for the history, without a thread): */
  NtArchiveService  *service;   /* unowned; the service drops its parked queries before it goes */
  GList              link;      /* in service->parked */
  gboolean           parked;
  gint64             deadline;  /* monotonic µs: started then at the latest */
  GSource           *gone_watch;  /* on the client's socket: notices it close */
} Query;

static void
query_free (gpointer data)
{
  Query *q = data;

  g_assert (!q->parked);

  if (q->msg != NULL)
    {
      g_clear_signal_handler (&q->finished_id, q->msg);
      g_clear_signal_handler (&q->disconnected_id, q->msg);
    }
  g_clear_object (&q->msg);
  g_free (q->db_path);
  g_free (q->pv);
  g_free (q);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Query, query_free)

/* Parses "NAME" or "OP_N(NAME)". */
static gboolean
parse_pv_spec (const char      *spec,
               char           **name,
               gboolean        *binned,
               NtHistoryBinOp  *op,
               guint           *bin_seconds,
               char           **problem)
{
  const char *open = strchr (spec, '(');
  const char *underscore;
  g_autofree char *op_name = NULL;
  g_autofree char *n_str = NULL;
  guint64 n;
  gsize len = strlen (spec);

  if (len == 0)
    {
      *problem = g_strdup ("the PV name is empty");
      return FALSE;
    }

  if (open == NULL)
    {
      if (strchr (spec, ')') != NULL)
        {
          *problem = g_strdup_printf ("'%s' is not a PV name", spec);
          return FALSE;
        }
      *name = g_strdup (spec);
      *binned = FALSE;
      return TRUE;
    }

  if (spec[len - 1] != ')' || open[1] == ')' || strchr (open + 1, '(') != NULL)
    {
      *problem = g_strdup_printf ("'%s' is neither a PV name nor OP_N(NAME)", spec);
      return FALSE;
    }

  underscore = memchr (spec, '_', open - spec);
  if (underscore == NULL)
    {
      *problem = g_strdup_printf ("'%s': a post-processor is written OP_N(NAME), e.g. mean_60(NAME)", spec);
      return FALSE;
    }

  op_name = g_strndup (spec, underscore - spec);
  n_str = g_strndup (underscore + 1, open - underscore - 1);

  if (g_str_equal (op_name, "mean"))
    *op = NT_HISTORY_BIN_MEAN;
  else if (g_str_equal (op_name, "min"))
    *op = NT_HISTORY_BIN_MIN;
  else if (g_str_equal (op_name, "max"))
    *op = NT_HISTORY_BIN_MAX;
  else
    {
      *problem = g_strdup_printf ("unsupported post-processor '%s' (mean, min and max are)", op_name);
      return FALSE;
    }

  if (!g_ascii_string_to_unsigned (n_str, 10, 1, NT_ARCHIVE_MAX_BIN_SECONDS, &n, NULL))
    {
      *problem = g_strdup_printf ("bin width '%s' is not a whole number of seconds in 1..%d",
                                  n_str, NT_ARCHIVE_MAX_BIN_SECONDS);
      return FALSE;
    }

  *name = g_strndup (open + 1, spec + len - 1 - (open + 1));
  *binned = TRUE;
  *bin_seconds = (guint) n;

  return TRUE;
}

static gboolean
parse_time (const char *str,
            gint64     *out_us)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) dt = NULL;

  dt = g_date_time_new_from_iso8601 (str, utc);
  if (dt == NULL)
    return FALSE;

  *out_us = g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
  return TRUE;
}

/* The query's pv (NAME or OP_N(NAME)), from and to into @q; FALSE with
 * the code and the message of the 400 otherwise. */
static gboolean
parse_query (NtArchiveService  *self,
             GHashTable        *query,
             Query             *q,
             const char       **code,
             char             **message)
{
  const char *pv_spec, *from_str, *to_str;
  g_autofree char *problem = NULL;

  pv_spec = query ? g_hash_table_lookup (query, "pv") : NULL;
  if (pv_spec == NULL)
    {
      *code = "missing_pv";
      *message = g_strdup ("The query needs pv=NAME (or pv=mean_N(NAME))");
      return FALSE;
    }

  if (!parse_pv_spec (pv_spec, &q->pv, &q->binned, &q->op, &q->bin_seconds, &problem))
    {
      *code = "invalid_pv";
      *message = g_strdup_printf ("Invalid pv: %s", problem);
      return FALSE;
    }

  to_str = g_hash_table_lookup (query, "to");
  from_str = g_hash_table_lookup (query, "from");

  if (to_str == NULL)
    q->to_us = nt_clock_get_now_us (self->clock != NULL ? self->clock : nt_clock_get_default ());
  else if (!parse_time (to_str, &q->to_us))
    {
      *code = "invalid_time";
      *message = g_strdup_printf ("'to' is not an ISO 8601 time with a zone: '%s'", to_str);
      return FALSE;
    }

  if (from_str == NULL)
    q->from_us = q->to_us - (gint64) 3600 * G_USEC_PER_SEC;
  else if (!parse_time (from_str, &q->from_us))
    {
      *code = "invalid_time";
      *message = g_strdup_printf ("'from' is not an ISO 8601 time with a zone: '%s'", from_str);
      return FALSE;
    }

  if (q->from_us > q->to_us)
    {
      *code = "invalid_range";
      *message = g_strdup_printf ("'from' (%s) is after 'to' (%s)",
                                  from_str ? from_str : "default", to_str ? to_str : "now");
      return FALSE;
    }
  return TRUE;
}

static void
set_sample (JsonObject            *object,
            NtPvType               type,
            const NtHistorySample *s,
            gboolean               binned)
{
  json_object_set_int_member (object, "secs", s->time_us / G_USEC_PER_SEC);
  json_object_set_int_member (object, "nanos", (s->time_us % G_USEC_PER_SEC) * 1000);
  if (type == NT_PV_TYPE_STRING)
    json_object_set_string_member (object, "val", s->text ? s->text : "");
  else if (type == NT_PV_TYPE_ENUM && !binned)
    json_object_set_int_member (object, "val", (gint64) s->value);
  else
    json_object_set_double_member (object, "val", s->value);
  json_object_set_int_member (object, "severity", MIN (s->severity, NT_SEVERITY_INVALID));
  json_object_set_int_member (object, "status", 0);
  if (binned)
    json_object_set_int_member (object, "count", s->count);
}

/* The body is assembled from fragments that json-glib generates: the meta
 * object and one object per sample, so that a large answer never holds a
 * whole JSON tree (hundreds of bytes per sample) in memory. */
static GBytes *
build_body (const NtHistoryPvMeta *meta,
            GArray                *samples,
            gboolean               binned)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) meta_node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonNode) sample_node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonObject) meta_object = json_object_new ();
  g_autoptr(JsonObject) sample_object = json_object_new ();
  g_autofree char *prec = g_strdup_printf ("%d", meta->precision);
  GString *body = g_string_sized_new (128 + samples->len * 72);
  gboolean first = TRUE;

  json_object_set_string_member (meta_object, "name", meta->name);
  json_object_set_string_member (meta_object, "EGU", meta->units ? meta->units : "");
  json_object_set_string_member (meta_object, "PREC", prec);
  json_node_set_object (meta_node, meta_object);
  json_node_set_object (sample_node, sample_object);

  g_string_append (body, "[{\"meta\":");
  json_generator_set_root (generator, meta_node);
  json_generator_to_gstring (generator, body);
  g_string_append (body, ",\"data\":[");

  json_generator_set_root (generator, sample_node);
  for (guint i = 0; i < samples->len; i++)
    {
      const NtHistorySample *s = &g_array_index (samples, NtHistorySample, i);

      if (meta->type != NT_PV_TYPE_STRING && isnan (s->value))
        continue;  /* no value (disconnected): JSON has no NaN */

      set_sample (sample_object, meta->type, s, binned);
      if (!first)
        g_string_append_c (body, ',');
      first = FALSE;
      json_generator_to_gstring (generator, body);
    }
  g_string_append (body, "]}]");

  return g_string_free_to_bytes (body);
}

typedef struct
{
  guint  status;
  char  *code;
} QueryError;

static void
query_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Query *q = task_data;
  g_auto(NtHistoryPvMeta) meta = { 0 };
  g_autoptr(NtDb) db = NULL;
  g_autoptr(GArray) samples = NULL;
  g_autoptr(GError) error = NULL;

  db = nt_db_open_readonly (q->db_path, &error);
  if (db == NULL || !nt_history_get_pv_meta (db, q->pv, &meta, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (q->binned)
    samples = nt_history_query_binned (db, q->pv, q->from_us, q->to_us, q->bin_seconds, q->op, &error);
  else
    samples = nt_history_query_raw (db, q->pv, q->from_us, q->to_us, q->max_raw_points, &error);

  if (samples == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, build_body (&meta, samples, q->binned), (GDestroyNotify) g_bytes_unref);
}

static void
query_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = G_TASK (result);
  Query *q = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  body = g_task_propagate_pointer (task, &error);

  if (q->finished)
    return;  /* the client went away */

  if (body != NULL)
    {
      soup_server_message_set_status (q->msg, SOUP_STATUS_OK, NULL);
      if (q->head)
        soup_message_headers_set_content_type (soup_server_message_get_response_headers (q->msg),
                                               "application/json", NULL);
      else
        soup_server_message_set_response (q->msg, "application/json", SOUP_MEMORY_COPY,
                                          g_bytes_get_data (body, NULL), g_bytes_get_size (body));
    }
  else if (g_error_matches (error, NT_HISTORY_ERROR, NT_HISTORY_ERROR_NOT_FOUND))
    nt_facility_http_set_error (q->msg, SOUP_STATUS_NOT_FOUND, "not_found", NULL, "%s", error->message);
  else if (g_error_matches (error, NT_HISTORY_ERROR, NT_HISTORY_ERROR_TOO_MANY))
    {
      JsonNode *details = json_node_new (JSON_NODE_OBJECT);
      JsonObject *object = json_object_new ();

      json_object_set_int_member (object, "limit", q->max_raw_points);
      json_node_take_object (details, object);
      nt_facility_http_set_error (q->msg, SOUP_STATUS_BAD_REQUEST, "too_many_points", details,
                                  "%s", error->message);
    }
  else if (g_error_matches (error, NT_HISTORY_ERROR, NT_HISTORY_ERROR_NOT_NUMERIC))
    nt_facility_http_set_error (q->msg, SOUP_STATUS_BAD_REQUEST, "not_numeric", NULL, "%s", error->message);
  else
    {
      g_warning ("Archive query for %s failed: %s", q->pv, error->message);
      nt_facility_http_set_error (q->msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal", NULL,
                                  "The archive cannot be read: %s", error->message);
    }

  soup_server_message_unpause (q->msg);
}

static void
start_query (NtArchiveService *self,
             Query            *q)
{
  g_autoptr(GTask) task = NULL;

  g_assert (!q->parked);

  task = g_task_new (self, NULL, query_done_cb, NULL);
  g_task_set_source_tag (task, start_query);
  g_task_set_task_data (task, q, query_free);
  g_task_run_in_thread (task, query_thread);
}

static void
unpark_query (NtArchiveService *self,
              Query            *q)
{
  g_assert (q->parked);

  g_queue_unlink (&self->parked, &q->link);
  q->parked = FALSE;
  q->service = NULL;
  if (q->gone_watch != NULL)
    {
      g_source_destroy (q->gone_watch);
      g_clear_pointer (&q->gone_watch, g_source_unref);
    }
}

static gboolean parked_timeout_cb (gpointer user_data);

static gboolean
parked_timeout_dispatch (GSource     *source,
                         GSourceFunc  callback,
                         gpointer     user_data)
{
  return callback (user_data);
}

/* A source that is only ever ready at its ready time. */
static GSourceFuncs parked_timeout_funcs = {
  .dispatch = parked_timeout_dispatch,
};

/* The timer is ready at the oldest parked query's deadline (they are
 * parked in arrival order, so that is the head's), off when none is. */
static void
update_parked_timeout (NtArchiveService *self)
{
  Query *oldest = g_queue_peek_head (&self->parked);

  if (oldest == NULL)
    {
      if (self->parked_timeout != NULL)
        {
          g_source_destroy (self->parked_timeout);
          g_clear_pointer (&self->parked_timeout, g_source_unref);
        }
      return;
    }

  if (self->parked_timeout == NULL)
    {
      self->parked_timeout = g_source_new (&parked_timeout_funcs, sizeof (GSource));
      g_source_set_callback (self->parked_timeout, parked_timeout_cb, self, NULL);
      g_source_set_static_name (self->parked_timeout, "[nt-archive-parked-timeout]");
      g_source_attach (self->parked_timeout, self->context);
    }
  g_source_set_ready_time (self->parked_timeout, oldest->deadline);
}

/* Answers a parked (or never started) query whose connection is still
 * there, and frees it. */
static void
answer_unavailable (Query      *q,
                    const char *message)
{
  g_assert (!q->parked);

  if (!q->finished)
    {
      nt_facility_http_set_error (q->msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "unavailable", NULL,
                                  "%s", message);
      soup_server_message_unpause (q->msg);
    }
  query_free (q);
}

/* libsoup reads nothing from the connection of a paused message, so it
 * would not notice a client that gives up while its query is parked (and
 * the query would wait, and hold the socket, until the history is ready
 * or the deadline).  The parked query watches the socket itself: at the
 * end of the stream, or an error, the client is gone. */
static gboolean
parked_socket_cb (GSocket      *socket,
                  GIOCondition  condition,
                  gpointer      user_data)
{
  Query *q = user_data;
  NtArchiveService *self = q->service;
  g_autoptr(GError) error = NULL;
  char byte;
  GInputVector vector = { &byte, 1 };
  int flags = G_SOCKET_MSG_PEEK;
  gssize n;

  n = g_socket_receive_message (socket, NULL, &vector, 1, NULL, NULL, &flags, NULL, &error);
  if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    return G_SOURCE_CONTINUE;

  if (n > 0)
    {
      /* The client sent more (a pipelined request): it is still there,
       * and that is libsoup's to read once this answer is written. */
      g_clear_pointer (&q->gone_watch, g_source_unref);
      return G_SOURCE_REMOVE;
    }

  g_debug ("A client left while its query for %s waited for the history", q->pv);
  unpark_query (self, q);
  /* Answered, so that libsoup writes, finds the connection closed and
   * lets it go; nobody reads the answer. */
  answer_unavailable (q, "The client went away");
  update_parked_timeout (self);

  return G_SOURCE_REMOVE;
}

/* A query that arrives before the first-start history is written waits
 * for it here, without a thread: its message stays paused, and it starts
 * in the worker pool when the history is ready or at its deadline. */
static void
park_query (NtArchiveService *self,
            Query            *q)
{
  GSocket *socket = soup_server_message_get_socket (q->msg);

  g_assert (!q->parked);

  q->service = self;
  q->parked = TRUE;
  q->deadline = g_get_monotonic_time () + (gint64) self->history_wait_ms * 1000;
  q->link.data = q;
  g_queue_push_tail_link (&self->parked, &q->link);

  if (socket != NULL)
    {
      q->gone_watch = g_socket_create_source (socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
      g_source_set_callback (q->gone_watch, G_SOURCE_FUNC (parked_socket_cb), q, NULL);
      g_source_set_static_name (q->gone_watch, "[nt-archive-parked-client]");
      g_source_attach (q->gone_watch, self->context);
    }

  update_parked_timeout (self);
}

/* Starts every parked query (all, or those whose deadline has passed),
 * oldest first. */
static void
start_parked (NtArchiveService *self,
              gboolean          only_overdue)
{
  gint64 now = g_get_monotonic_time ();
  Query *q;

  while ((q = g_queue_peek_head (&self->parked)) != NULL &&
         (!only_overdue || q->deadline <= now))
    {
      unpark_query (self, q);
      start_query (self, q);
    }
  update_parked_timeout (self);
}

static gboolean
parked_timeout_cb (gpointer user_data)
{
  NtArchiveService *self = user_data;

  /* Waited long enough: answer with the history there is (a week still
   * partly missing) rather than leave the client hanging. */
  g_debug ("Archive queries waited %u ms for the history; answering with what there is",
           self->history_wait_ms);
  start_parked (self, TRUE);

  return G_SOURCE_CONTINUE;
}

/* Answers the parked queries that can still be answered with 503 and
 * forgets them all. */
static void
drop_parked (NtArchiveService *self)
{
  Query *q;

  while ((q = g_queue_peek_head (&self->parked)) != NULL)
    {
      unpark_query (self, q);
      answer_unavailable (q, "The archive service is shutting down");
    }
  update_parked_timeout (self);
}

static gboolean
history_ready_idle_cb (gpointer user_data)
{
  GWeakRef *weak = user_data;
  g_autoptr(NtArchiveService) self = g_weak_ref_get (weak);

  if (self != NULL)
    nt_archive_service_set_history_ready (self, TRUE);

  return G_SOURCE_REMOVE;
}

static void
weak_ref_free (gpointer data)
{
  GWeakRef *weak = data;

  g_weak_ref_clear (weak);
  g_free (weak);
}

static void
on_gone_cb (SoupServerMessage *msg,
            gpointer           user_data)
{
  Query *q = user_data;

  q->finished = TRUE;

  /* A client gone (or the server shut down) while its query is parked:
   * nothing to answer and nothing to start.  (A running query is
   * dropped when it is done, in query_done_cb.) */
  if (q->parked)
    {
      NtArchiveService *self = q->service;

      unpark_query (self, q);
      query_free (q);
      update_parked_timeout (self);
    }
}

static void
handle_get_data (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  NtArchiveService *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  const char *code = NULL;
  g_autofree char *problem = NULL;
  g_autoptr(Query) q = NULL;

  if (method != SOUP_METHOD_GET && method != SOUP_METHOD_HEAD)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", "GET, HEAD");
      nt_facility_http_set_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed", NULL,
                                  "%s is not allowed here; use GET", method);
      return;
    }

  q = g_new0 (Query, 1);
  q->head = method == SOUP_METHOD_HEAD;
  q->max_raw_points = self->max_raw_points;
  q->db_path = g_strdup (self->db_path);

  if (!parse_query (self, query, q, &code, &problem))
    {
      nt_facility_http_set_error (msg, SOUP_STATUS_BAD_REQUEST, code, NULL, "%s", problem);
      return;
    }

  if (self->shut_down)
    {
      nt_facility_http_set_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "unavailable", NULL,
                                  "The archive service is shutting down");
      return;
    }

  q->msg = g_object_ref (msg);
  q->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (on_gone_cb), q);
  /* A server shut down (or a client gone) while the query waits or runs
   * leaves the message without a connection: it must then not be
   * answered. */
  q->disconnected_id = g_signal_connect (msg, "disconnected", G_CALLBACK (on_gone_cb), q);

  soup_server_message_pause (msg);
  if (self->history_ready)
    start_query (self, g_steal_pointer (&q));
  else
    park_query (self, g_steal_pointer (&q));
}

static void
nt_archive_service_dispose (GObject *object)
{
  NtArchiveService *self = (NtArchiveService *)object;

  nt_archive_service_shutdown (self);

  G_OBJECT_CLASS (nt_archive_service_parent_class)->dispose (object);
}

static void
nt_archive_service_finalize (GObject *object)
{
  NtArchiveService *self = (NtArchiveService *)object;

  g_assert (g_queue_is_empty (&self->parked));
  g_assert (self->parked_timeout == NULL);

  g_clear_pointer (&self->db_path, g_free);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (nt_archive_service_parent_class)->finalize (object);
}

static void
nt_archive_service_class_init (NtArchiveServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = nt_archive_service_dispose;
  object_class->finalize = nt_archive_service_finalize;
}

static void
nt_archive_service_init (NtArchiveService *self)
{
  self->max_raw_points = NT_ARCHIVE_MAX_RAW_POINTS;
  self->context = g_main_context_ref_thread_default ();
  self->history_ready = TRUE;
  self->history_wait_ms = DEFAULT_HISTORY_WAIT_MS;
  g_queue_init (&self->parked);
}

NtArchiveService *
nt_archive_service_new (const char *db_path)
{
  NtArchiveService *self;

  g_return_val_if_fail (db_path != NULL, NULL);

  self = g_object_new (NT_TYPE_ARCHIVE_SERVICE, NULL);
  self->db_path = g_strdup (db_path);

  return self;
}

void
nt_archive_service_set_clock (NtArchiveService *self,
                              NtClock          *clock)
{
  g_return_if_fail (NT_IS_ARCHIVE_SERVICE (self));
  g_return_if_fail (clock == NULL || NT_IS_CLOCK (clock));

  g_set_object (&self->clock, clock);
}

void
nt_archive_service_attach (NtArchiveService *self,
                           SoupServer       *server,
                           const char       *path)
{
  g_return_if_fail (NT_IS_ARCHIVE_SERVICE (self));
  g_return_if_fail (SOUP_IS_SERVER (server));

  soup_server_add_handler (server, path, handle_get_data, g_object_ref (self), g_object_unref);
}

void
nt_archive_service_set_max_raw_points (NtArchiveService *self,
                                       guint             max_points)
{
  g_return_if_fail (NT_IS_ARCHIVE_SERVICE (self));

  self->max_raw_points = max_points;
}

/**
 * nt_archive_service_set_history_ready:
 * @ready: whether the history generated at first start is written
 *
 * While it is not, queries are parked without a thread (their messages
 * paused); setting it starts every parked query in the worker pool.  A
 * new service is ready.  Call in the service's main context; from another
 * thread use nt_archive_service_notify_history_ready().
 */
void
nt_archive_service_set_history_ready (NtArchiveService *self,
                                      gboolean          ready)
{
  g_return_if_fail (NT_IS_ARCHIVE_SERVICE (self));

  self->history_ready = !!ready;
  if (self->history_ready)
    start_parked (self, FALSE);
}

/**
 * nt_archive_service_notify_history_ready:
 *
 * Thread-safe: makes the service ready in its own main context (as
 * nt_archive_service_set_history_ready() with %TRUE, at its next
 * iteration).  The notification does not keep the service alive.
 */
void
nt_archive_service_notify_history_ready (NtArchiveService *self)
{
  g_autoptr(GSource) idle = NULL;
  GWeakRef *weak;

  g_return_if_fail (NT_IS_ARCHIVE_SERVICE (self));

  /* An idle source rather than g_main_context_invoke(): called from a
   * thread whose default context is the service's, invoke would run the
   * callback right here if the context happened to be free. */
  weak = g_new0 (GWeakRef, 1);
  g_weak_ref_init (weak, self);
  idle = g_idle_source_new ();
  g_source_set_priority (idle, G_PRIORITY_DEFAULT);
  g_source_set_callback (idle, history_ready_idle_cb, weak, weak_ref_free);
  g_source_set_static_name (idle, "[nt-archive-history-ready]");
  g_source_attach (idle, self->context);
}

/**
 * nt_archive_service_set_history_wait:
 * @timeout_ms: how long a parked query waits for the history at most
 *
 * A query parked longer is started anyway and answered with the history
 * there is (default a minute).  Applies to queries parked from now on.
 */
void
nt_archive_service_set_history_wait (NtArchiveService *self,
                                     guint             timeout_ms)
{
  g_return_if_fail (NT_IS_ARCHIVE_SERVICE (self));

  self->history_wait_ms = timeout_ms;
}

/**
 * nt_archive_service_get_n_parked:
 *
 * Returns: how many queries are waiting for the history.
 */
guint
nt_archive_service_get_n_parked (NtArchiveService *self)
{
  g_return_val_if_fail (NT_IS_ARCHIVE_SERVICE (self), 0);

  return self->parked.length;
}

/**
 * nt_archive_service_shutdown:
 *
 * Answers the parked queries 503 (those whose client is still there) and
 * later ones too; queries already running finish.  Call in the service's
 * main context.
 */
void
nt_archive_service_shutdown (NtArchiveService *self)
{
  g_return_if_fail (NT_IS_ARCHIVE_SERVICE (self));

  self->shut_down = TRUE;
  drop_parked (self);
}

/**
 * nt_archive_service_check_query: (skip)
 *
 * Reads a getData.json query as the handler does (tests and the fuzz
 * targets), without running it.
 *
 * Returns: whether it is a query the service runs; else @code and
 *   @message are those of its 400
 */
gboolean
nt_archive_service_check_query (NtArchiveService  *self,
                                GHashTable        *query,
                                gint64            *from_us,
                                gint64            *to_us,
                                const char       **code,
                                char             **message)
{
  g_autoptr(Query) q = g_new0 (Query, 1);

  g_return_val_if_fail (NT_IS_ARCHIVE_SERVICE (self), FALSE);

  if (!parse_query (self, query, q, code, message))
    return FALSE;
  *from_us = q->from_us;
  *to_us = q->to_us;
  return TRUE;
}
