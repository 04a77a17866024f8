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
#include "nt-db.h"
#include "nt-facility-http.h"
#include "nt-history-store.h"

struct _NtArchiveService
{
  GObject  parent_instance;

  char    *db_path;
  guint    max_raw_points;
  gint    *history_ready;  /* atomic, in a g_atomic_rc_box; NULL = always ready */
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
  gint              *history_ready;
} Query;

static void
query_free (gpointer data)
{
  Query *q = data;

  if (q->msg != NULL)
    {
      g_clear_signal_handler (&q->finished_id, q->msg);
      g_clear_signal_handler (&q->disconnected_id, q->msg);
    }
  g_clear_object (&q->msg);
  g_free (q->db_path);
  g_free (q->pv);
  if (q->history_ready != NULL)
    g_atomic_rc_box_release (q->history_ready);
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

/* How long a query waits for the first-start history at most. */
#define HISTORY_WAIT_US (60 * G_USEC_PER_SEC)

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
  gint64 give_up = g_get_monotonic_time () + HISTORY_WAIT_US;

  /* On a first start the past week is still being generated: answer once
   * it is there rather than with a week that is mostly missing (and that
   * no client would know to ask for again).  This is a worker thread, so
   * waiting here holds up no one else. */
  while (q->history_ready != NULL && !g_atomic_int_get (q->history_ready) &&
         g_get_monotonic_time () < give_up)
    g_usleep (50 * 1000);

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
on_finished_cb (SoupServerMessage *msg,
                gpointer           user_data)
{
  Query *q = user_data;

  q->finished = TRUE;
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
  const char *pv_spec, *from_str, *to_str;
  g_autofree char *problem = NULL;
  g_autoptr(GTask) task = NULL;
  g_autoptr(Query) q = NULL;

  if (method != SOUP_METHOD_GET && method != SOUP_METHOD_HEAD)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", "GET, HEAD");
      nt_facility_http_set_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed", NULL,
                                  "%s is not allowed here; use GET", method);
      return;
    }

  pv_spec = query ? g_hash_table_lookup (query, "pv") : NULL;
  if (pv_spec == NULL)
    {
      nt_facility_http_set_error (msg, SOUP_STATUS_BAD_REQUEST, "missing_pv", NULL,
                                  "The query needs pv=NAME (or pv=mean_N(NAME))");
      return;
    }

  q = g_new0 (Query, 1);
  q->head = method == SOUP_METHOD_HEAD;
  q->max_raw_points = self->max_raw_points;
  q->db_path = g_strdup (self->db_path);
  q->history_ready = self->history_ready ? g_atomic_rc_box_acquire (self->history_ready) : NULL;

  if (!parse_pv_spec (pv_spec, &q->pv, &q->binned, &q->op, &q->bin_seconds, &problem))
    {
      nt_facility_http_set_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_pv", NULL,
                                  "Invalid pv: %s", problem);
      return;
    }

  to_str = g_hash_table_lookup (query, "to");
  from_str = g_hash_table_lookup (query, "from");

  if (to_str == NULL)
    q->to_us = g_get_real_time ();
  else if (!parse_time (to_str, &q->to_us))
    {
      nt_facility_http_set_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_time", NULL,
                                  "'to' is not an ISO 8601 time with a zone: '%s'", to_str);
      return;
    }

  if (from_str == NULL)
    q->from_us = q->to_us - (gint64) 3600 * G_USEC_PER_SEC;
  else if (!parse_time (from_str, &q->from_us))
    {
      nt_facility_http_set_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_time", NULL,
                                  "'from' is not an ISO 8601 time with a zone: '%s'", from_str);
      return;
    }

  if (q->from_us > q->to_us)
    {
      nt_facility_http_set_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_range", NULL,
                                  "'from' (%s) is after 'to' (%s)",
                                  from_str ? from_str : "default", to_str ? to_str : "now");
      return;
    }

  q->msg = g_object_ref (msg);
  q->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (on_finished_cb), q);
  /* A server shut down (or a client gone) while the query runs leaves the
   * message without a connection: it must then not be answered. */
  q->disconnected_id = g_signal_connect (msg, "disconnected", G_CALLBACK (on_finished_cb), q);

  task = g_task_new (self, NULL, query_done_cb, NULL);
  g_task_set_source_tag (task, handle_get_data);
  g_task_set_task_data (task, g_steal_pointer (&q), query_free);

  soup_server_message_pause (msg);
  g_task_run_in_thread (task, query_thread);
}

static void
nt_archive_service_finalize (GObject *object)
{
  NtArchiveService *self = (NtArchiveService *)object;

  g_clear_pointer (&self->db_path, g_free);
  g_clear_pointer (&self->history_ready, g_atomic_rc_box_release);

  G_OBJECT_CLASS (nt_archive_service_parent_class)->finalize (object);
}

static void
nt_archive_service_class_init (NtArchiveServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = nt_archive_service_finalize;
}

static void
nt_archive_service_init (NtArchiveService *self)
{
  self->max_raw_points = NT_ARCHIVE_MAX_RAW_POINTS;
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
 * nt_archive_service_set_history_ready_flag:
 * @ready: (nullable): an atomic flag, allocated with g_atomic_rc_box_new0(),
 *   that turns non-zero once the history generated at first start is
 *   written; the service and its queries hold references to it
 *
 * Queries wait (up to a minute, in their worker thread) until it is set.
 */
void
nt_archive_service_set_history_ready_flag (NtArchiveService *self,
                                           gint             *ready)
{
  g_return_if_fail (NT_IS_ARCHIVE_SERVICE (self));

  if (self->history_ready != NULL)
    g_atomic_rc_box_release (self->history_ready);
  self->history_ready = ready ? g_atomic_rc_box_acquire (ready) : NULL;
}
