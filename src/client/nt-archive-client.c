/* nt-archive-client.c: history from an EPICS Archiver Appliance retrieval
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GET getData.json?pv=NAME&from=ISO&to=ISO, raw or binned (mean_N(NAME),
 * min_N(NAME), max_N(NAME)).  The body is read asynchronously and parsed
 * into flat arrays in a worker thread; a payload of the wrong shape is an
 * NT_CLIENT_ERROR_INVALID_DATA error, never a crash.  The archive stamps a
 * bin at its start; the result stamps it at its centre, where it is drawn.
 */
#define G_LOG_DOMAIN "nt-archive-client"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "nt-archive-client.h"
#include "nt-archive-client-private.h"
#include "nt-client-error.h"
#include "nt-client-private.h"
#include "nt-model-json.h"

/* About 200,000 raw samples; a plot never needs more. */
#define DEFAULT_MAX_RESPONSE_BYTES (16 * 1024 * 1024)

struct _NtArchiveClient
{
  GObject      parent_instance;

  char        *uri;
  SoupSession *session;
  gsize        max_response_bytes;
};

G_DEFINE_FINAL_TYPE (NtArchiveClient, nt_archive_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_URI,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* One parsed series: flat arrays, as the charts keep them. */
typedef struct
{
  char   *name;
  char   *units;
  int     precision;
  GArray *times;       /* gint64, Unix microseconds */
  GArray *values;      /* double */
  GArray *severities;  /* guint8, NtPvSeverity */
} Series;

struct _NtArchiveResult
{
  char            *pv;
  char            *units;
  int              precision;
  NtArchiveKind    kind;
  guint            bin_seconds;
  GArray          *times;
  GArray          *values;
  GArray          *max_values;
  GArray          *severities;
};

G_DEFINE_BOXED_TYPE (NtArchiveResult, nt_archive_result, nt_archive_result_ref, nt_archive_result_unref)

typedef struct
{
  char          *pv;
  gint64         from_usec;
  gint64         to_usec;
  NtArchiveKind  kind;
  guint          bin_seconds;   /* 0 = raw */
  guint          pending;
  Series        *parts[2];      /* MINMAX: min, max; else the one */
  GError        *error;
} FetchData;

typedef struct
{
  GBytes *bytes;
  guint   bin_seconds;
  char   *host;
} ParseJob;

static void
series_free (Series *series)
{
  g_free (series->name);
  g_free (series->units);
  g_clear_pointer (&series->times, g_array_unref);
  g_clear_pointer (&series->values, g_array_unref);
  g_clear_pointer (&series->severities, g_array_unref);
  g_free (series);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Series, series_free)

static void
fetch_data_free (FetchData *data)
{
  g_free (data->pv);
  for (guint i = 0; i < G_N_ELEMENTS (data->parts); i++)
    g_clear_pointer (&data->parts[i], series_free);
  g_clear_error (&data->error);
  g_free (data);
}

static void
parse_job_free (ParseJob *job)
{
  g_bytes_unref (job->bytes);
  g_free (job->host);
  g_free (job);
}

static gboolean set_invalid (GError     **error,
                             const char  *format,
                             ...) G_GNUC_PRINTF (2, 3);

static gboolean
set_invalid (GError     **error,
             const char  *format,
             ...)
{
  g_autofree char *detail = NULL;
  va_list args;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_INVALID_DATA,
               _("The history service sent data this console cannot read: %s. Check that the facility profile points at an Archiver Appliance."),
               detail);
  return FALSE;
}

static gboolean
node_get_int64 (JsonNode *node,
                gint64   *out)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    {
      *out = json_node_get_int (node);
      return TRUE;
    }
  if (type == G_TYPE_DOUBLE)
    {
      double d = json_node_get_double (node);

      if (d == floor (d) && fabs (d) < 9.0e15)
        {
          *out = (gint64)d;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
parse_meta (JsonObject  *meta,
            Series      *series,
            GError     **error)
{
  JsonNode *node;

  node = json_object_get_member (meta, "name");
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return set_invalid (error, _("“meta.name” must be a string"));
  series->name = g_strdup (json_node_get_string (node));

  node = json_object_get_member (meta, "EGU");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      if (json_node_get_value_type (node) != G_TYPE_STRING)
        return set_invalid (error, _("“meta.EGU” must be a string"));
      series->units = g_strdup (json_node_get_string (node));
    }

  series->precision = -1;
  node = json_object_get_member (meta, "PREC");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      gint64 prec;

      /* The Archiver Appliance sends PREC as a string ("3"); accept a
       * number too. */
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        {
          const char *s = json_node_get_string (node);
          char *end = NULL;
          double d = g_ascii_strtod (s, &end);

          if (end == s || *end != '\0' || d != floor (d))
            return set_invalid (error, _("“meta.PREC” must be a whole number"));
          /* Clamped before the cast: a double beyond gint64 does not fit */
          prec = (gint64)CLAMP (d, -1, 64);
        }
      else if (!node_get_int64 (node, &prec))
        return set_invalid (error, _("“meta.PREC” must be a whole number"));

      series->precision = (int)CLAMP (prec, -1, 64);
    }

  return TRUE;
}

static Series *
parse_series (GBytes        *bytes,
              guint          bin_seconds,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(Series) series = g_new0 (Series, 1);
  JsonNode *root;
  JsonArray *outer;
  JsonObject *element;
  JsonNode *node;
  JsonArray *data;
  gint64 shift = (gint64)bin_seconds * G_USEC_PER_SEC / 2;
  gint64 last = G_MININT64;
  const char *text;
  gsize len;
  guint n;

  series->precision = -1;

  text = g_bytes_get_data (bytes, &len);
  if (text == NULL || len == 0)
    {
      set_invalid (error, _("the answer is empty"));
      return NULL;
    }

  if (!nt_json_load_one (parser, text, len, &parse_error))
    {
      set_invalid (error, _("the answer is not JSON (%s)"), parse_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      set_invalid (error, _("the answer must be a JSON array"));
      return NULL;
    }

  outer = json_node_get_array (root);
  series->times = g_array_new (FALSE, FALSE, sizeof (gint64));
  series->values = g_array_new (FALSE, FALSE, sizeof (double));
  series->severities = g_array_new (FALSE, FALSE, sizeof (guint8));

  /* No data in the range: the Archiver Appliance answers []. */
  if (json_array_get_length (outer) == 0)
    return g_steal_pointer (&series);

  if (json_array_get_length (outer) != 1)
    {
      set_invalid (error, _("the answer must hold one series, not %u"), json_array_get_length (outer));
      return NULL;
    }

  node = json_array_get_element (outer, 0);
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      set_invalid (error, _("the series must be a JSON object"));
      return NULL;
    }
  element = json_node_get_object (node);

  node = json_object_get_member (element, "meta");
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      set_invalid (error, _("“meta” must be an object"));
      return NULL;
    }
  if (!parse_meta (json_node_get_object (node), series, error))
    return NULL;

  node = json_object_get_member (element, "data");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      set_invalid (error, _("“data” must be an array"));
      return NULL;
    }
  data = json_node_get_array (node);
  n = json_array_get_length (data);

  g_array_set_size (series->times, n);
  g_array_set_size (series->values, n);
  g_array_set_size (series->severities, n);

  for (guint i = 0; i < n; i++)
    {
      JsonNode *sample_node = json_array_get_element (data, i);
      JsonObject *sample;
      JsonNode *val;
      gint64 secs, nanos, severity = 0, t;
      GType type;

      if ((i & 0xffff) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;

      if (!JSON_NODE_HOLDS_OBJECT (sample_node))
        {
          set_invalid (error, _("sample %u must be an object"), i);
          return NULL;
        }
      sample = json_node_get_object (sample_node);

      if (!node_get_int64 (json_object_get_member (sample, "secs"), &secs) ||
          secs < 0 || secs > G_MAXINT64 / G_USEC_PER_SEC - 1)
        {
          set_invalid (error, _("sample %u: “secs” must be a whole number of seconds"), i);
          return NULL;
        }

      if (!node_get_int64 (json_object_get_member (sample, "nanos"), &nanos) ||
          nanos < 0 || nanos > 999999999)
        {
          set_invalid (error, _("sample %u: “nanos” must be a whole number from 0 to 999999999"), i);
          return NULL;
        }

      val = json_object_get_member (sample, "val");
      if (val == NULL || !JSON_NODE_HOLDS_VALUE (val) ||
          ((type = json_node_get_value_type (val)) != G_TYPE_DOUBLE && type != G_TYPE_INT64))
        {
          set_invalid (error, _("sample %u: “val” must be a number (waveforms and strings are not plotted)"), i);
          return NULL;
        }

      node = json_object_get_member (sample, "severity");
      if (node != NULL && (!node_get_int64 (node, &severity) || severity < 0))
        {
          set_invalid (error, _("sample %u: “severity” must be a whole number not below zero"), i);
          return NULL;
        }

      t = secs * G_USEC_PER_SEC + nanos / 1000 + shift;
      if (t < last)
        {
          set_invalid (error, _("sample %u is older than the one before it"), i);
          return NULL;
        }
      last = t;

      g_array_index (series->times, gint64, i) = t;
      g_array_index (series->values, double, i) = json_node_get_double (val);
      g_array_index (series->severities, guint8, i) = (guint8)MIN (severity, 4);
    }

  return g_steal_pointer (&series);
}

static void
parse_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  ParseJob *job = task_data;
  GError *error = NULL;
  Series *series;

  series = parse_series (job->bytes, job->bin_seconds, cancellable, &error);
  if (series == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, series, (GDestroyNotify)series_free);
}

static char *
format_instant (gint64 usec)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autoptr(GDateTime) base = NULL;
  gint64 secs = usec / G_USEC_PER_SEC;
  gint64 frac = usec % G_USEC_PER_SEC;

  if (frac < 0)
    {
      secs--;
      frac += G_USEC_PER_SEC;
    }

  base = g_date_time_new_from_unix_utc (secs);
  if (base == NULL)
    return NULL;
  dt = g_date_time_add (base, frac);

  if (frac == 0)
    return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S.%fZ");
}

/* Moves the bins of @max onto @min: a bin both have gets both values; a
 * bin only one has uses its value for both. */
static NtArchiveResult *
result_new (FetchData *data)
{
  NtArchiveResult *result = g_atomic_rc_box_new0 (NtArchiveResult);
  Series *first = data->parts[0];

  result->pv = g_strdup (data->pv);
  result->kind = data->kind;
  result->bin_seconds = data->bin_seconds;
  result->units = g_strdup (first->units);
  result->precision = first->precision;

  if (data->kind != NT_ARCHIVE_MINMAX || data->bin_seconds == 0)
    {
      result->times = g_array_ref (first->times);
      result->values = g_array_ref (first->values);
      result->severities = g_array_ref (first->severities);
      return result;
    }
  else
    {
      Series *lo = data->parts[0];
      Series *hi = data->parts[1];
      guint i = 0, j = 0;

      if (result->units == NULL)
        result->units = g_strdup (hi->units);
      if (result->precision < 0)
        result->precision = hi->precision;

      result->times = g_array_sized_new (FALSE, FALSE, sizeof (gint64), lo->times->len);
      result->values = g_array_sized_new (FALSE, FALSE, sizeof (double), lo->times->len);
      result->max_values = g_array_sized_new (FALSE, FALSE, sizeof (double), lo->times->len);
      result->severities = g_array_sized_new (FALSE, FALSE, sizeof (guint8), lo->times->len);

      while (i < lo->times->len || j < hi->times->len)
        {
          gint64 tl = i < lo->times->len ? g_array_index (lo->times, gint64, i) : G_MAXINT64;
          gint64 th = j < hi->times->len ? g_array_index (hi->times, gint64, j) : G_MAXINT64;
          gint64 t = MIN (tl, th);
          double vlo, vhi;
          guint8 sev;

          if (tl == th)
            {
              vlo = g_array_index (lo->values, double, i);
              vhi = g_array_index (hi->values, double, j);
              sev = MAX (g_array_index (lo->severities, guint8, i),
                         g_array_index (hi->severities, guint8, j));
              i++, j++;
            }
          else if (tl < th)
            {
              vlo = vhi = g_array_index (lo->values, double, i);
              sev = g_array_index (lo->severities, guint8, i);
              i++;
            }
          else
            {
              vlo = vhi = g_array_index (hi->values, double, j);
              sev = g_array_index (hi->severities, guint8, j);
              j++;
            }

          g_array_append_val (result->times, t);
          g_array_append_val (result->values, vlo);
          g_array_append_val (result->max_values, vhi);
          g_array_append_val (result->severities, sev);
        }
    }

  return result;
}

static void
part_done (GTask  *task,
           guint   index,
           Series *series,
           GError *error)
{
  FetchData *data = g_task_get_task_data (task);

  if (series != NULL)
    data->parts[index] = series;
  else if (data->error == NULL)
    data->error = error;
  else
    g_error_free (error);

  if (--data->pending > 0)
    return;

  if (data->error != NULL)
    g_task_return_error (task, g_steal_pointer (&data->error));
  else
    g_task_return_pointer (task, result_new (data), (GDestroyNotify)nt_archive_result_unref);
}

static void
parse_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;   /* the fetch */
  GError *error = NULL;
  Series *series;
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (result), "nt-part"));

  series = g_task_propagate_pointer (G_TASK (result), &error);
  if (series == NULL)
    {
      GError *wrapped = nt_client_error_new_from_io (error, NULL);
      g_error_free (error);
      error = wrapped;
    }
  part_done (task, index, series, error);
}

typedef struct
{
  GTask        *task;     /* the fetch */
  guint         index;
  SoupMessage  *msg;
  GInputStream *stream;
  GByteArray   *body;
  gsize         limit;
} PartData;

static void
part_data_free (PartData *part)
{
  g_clear_object (&part->task);
  g_clear_object (&part->msg);
  g_clear_object (&part->stream);
  g_clear_pointer (&part->body, g_byte_array_unref);
  g_free (part);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PartData, part_data_free)

static GError *
too_large_error (gsize limit)
{
  return g_error_new (NT_CLIENT_ERROR, NT_CLIENT_ERROR_TOO_LARGE,
                      _("The history service sends more than %.0f MB for this query. Choose a shorter time range, or ask for binned data."),
                      limit / (1024.0 * 1024.0));
}

/* The whole body is in: check the status, then parse in a thread. */
static void
body_complete (PartData *part)
{
  g_autoptr(GBytes) bytes = g_byte_array_free_to_bytes (g_steal_pointer (&part->body));
  g_autoptr(GTask) parse_task = NULL;
  FetchData *data = g_task_get_task_data (part->task);
  g_autofree char *host = g_strdup (g_uri_get_host (soup_message_get_uri (part->msg)));
  g_autoptr(GError) error = NULL;
  guint status;
  ParseJob *job;

  if (!nt_client_check_reply (part->msg, bytes, host, &error))
    {
      part_done (part->task, part->index, NULL, g_steal_pointer (&error));
      return;
    }
  status = soup_message_get_status (part->msg);
  if (status != SOUP_STATUS_OK)
    {
      part_done (part->task, part->index, NULL,
                 g_error_new (NT_CLIENT_ERROR, NT_CLIENT_ERROR_PROTOCOL,
                              _("The history service answered %u %s. Check that the facility profile points at an Archiver Appliance."),
                              status, soup_message_get_reason_phrase (part->msg)));
      return;
    }

  job = g_new0 (ParseJob, 1);
  job->bytes = g_steal_pointer (&bytes);
  job->bin_seconds = data->bin_seconds;

  parse_task = g_task_new (NULL, g_task_get_cancellable (part->task), parse_done_cb,
                           g_object_ref (part->task));
  g_task_set_source_tag (parse_task, parse_thread);
  g_task_set_task_data (parse_task, job, (GDestroyNotify)parse_job_free);
  g_object_set_data (G_OBJECT (parse_task), "nt-part", GUINT_TO_POINTER (part->index));
  g_task_run_in_thread (parse_task, parse_thread);
}

static void read_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data);

static void
read_more (PartData *part)
{
  GInputStream *stream = part->stream;
  GCancellable *cancellable = g_task_get_cancellable (part->task);

  g_input_stream_read_bytes_async (stream, 64 * 1024, G_PRIORITY_DEFAULT, cancellable,
                                   read_cb, part);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(PartData) part = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) chunk = NULL;
  gsize len;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (chunk == NULL)
    {
      g_autofree char *host = g_strdup (g_uri_get_host (soup_message_get_uri (part->msg)));

      part_done (part->task, part->index, NULL, nt_client_error_new_from_io (error, host));
      return;
    }

  len = g_bytes_get_size (chunk);
  if (len == 0)
    {
      body_complete (part);
      return;
    }

  /* A JSON tree costs about ten times its text: bound what is read, so
   * that a huge raw answer (a real archive does not refuse it) cannot
   * exhaust the console's memory. */
  if (part->body->len + len > part->limit)
    {
      part_done (part->task, part->index, NULL, too_large_error (part->limit));
      return;
    }

  g_byte_array_append (part->body, g_bytes_get_data (chunk, NULL), len);
  read_more (g_steal_pointer (&part));
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(PartData) part = user_data;
  g_autoptr(GError) error = NULL;
  goffset length;

  part->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (part->stream == NULL)
    {
      g_autofree char *host = g_strdup (g_uri_get_host (soup_message_get_uri (part->msg)));

      part_done (part->task, part->index, NULL, nt_client_error_new_from_io (error, host));
      return;
    }

  length = soup_message_headers_get_content_length (soup_message_get_response_headers (part->msg));
  if (length > 0 && (guint64)length > part->limit)
    {
      part_done (part->task, part->index, NULL, too_large_error (part->limit));
      return;
    }

  part->body = g_byte_array_sized_new (length > 0 ? (guint)length : 64 * 1024);
  read_more (g_steal_pointer (&part));
}

static void
start_part (NtArchiveClient *self,
            GTask           *task,
            guint            index,
            const char      *op)
{
  FetchData *data = g_task_get_task_data (task);
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *pv_expr = NULL;
  g_autofree char *from = format_instant (data->from_usec);
  g_autofree char *to = format_instant (data->to_usec);
  g_autofree char *query = NULL;
  g_autofree char *uri = NULL;
  PartData *part;

  if (op != NULL)
    pv_expr = g_strdup_printf ("%s_%u(%s)", op, data->bin_seconds, data->pv);
  else
    pv_expr = g_strdup (data->pv);

  if (from == NULL || to == NULL)
    {
      part_done (task, index, NULL,
                 g_error_new_literal (NT_CLIENT_ERROR, NT_CLIENT_ERROR_INVALID_INPUT,
                                      _("The time range for the history query is out of range.")));
      return;
    }

  query = soup_form_encode ("pv", pv_expr, "from", from, "to", to, NULL);
  uri = g_strconcat (self->uri, strchr (self->uri, '?') != NULL ? "&" : "?", query, NULL);
  msg = nt_client_new_json_get (uri, NULL);
  if (msg == NULL)
    {
      part_done (task, index, NULL,
                 g_error_new (NT_CLIENT_ERROR, NT_CLIENT_ERROR_INVALID_INPUT,
                              _("“%s” is not a history service address. Check the facility profile."),
                              self->uri));
      return;
    }

  part = g_new0 (PartData, 1);
  part->task = g_object_ref (task);
  part->index = index;
  part->msg = g_object_ref (msg);
  part->limit = self->max_response_bytes;

  soup_session_send_async (self->session, msg, G_PRIORITY_DEFAULT,
                           g_task_get_cancellable (task), send_cb, part);
}

static void
nt_archive_client_dispose (GObject *object)
{
  NtArchiveClient *self = (NtArchiveClient *)object;

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (nt_archive_client_parent_class)->dispose (object);
}

static void
nt_archive_client_finalize (GObject *object)
{
  NtArchiveClient *self = (NtArchiveClient *)object;

  g_clear_pointer (&self->uri, g_free);

  G_OBJECT_CLASS (nt_archive_client_parent_class)->finalize (object);
}

static void
nt_archive_client_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  NtArchiveClient *self = NT_ARCHIVE_CLIENT (object);

  switch (prop_id)
    {
    case PROP_URI:
      g_value_set_string (value, self->uri);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nt_archive_client_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  NtArchiveClient *self = NT_ARCHIVE_CLIENT (object);

  switch (prop_id)
    {
    case PROP_URI:
      self->uri = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nt_archive_client_class_init (NtArchiveClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = nt_archive_client_dispose;
  object_class->finalize = nt_archive_client_finalize;
  object_class->get_property = nt_archive_client_get_property;
  object_class->set_property = nt_archive_client_set_property;

  /**
   * NtArchiveClient:uri:
   *
   * The address of getData.json, e.g. from
   * nt_facility_profile_dup_history_uri().
   */
  properties[PROP_URI] =
    g_param_spec_string ("uri", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
nt_archive_client_init (NtArchiveClient *self)
{
  self->max_response_bytes = DEFAULT_MAX_RESPONSE_BYTES;
  self->session = soup_session_new_with_options ("user-agent", PACKAGE_NAME "/" PACKAGE_VERSION " ",
                                                 NULL);
}

NtArchiveClient *
nt_archive_client_new (const char *retrieval_uri)
{
  g_return_val_if_fail (retrieval_uri != NULL, NULL);

  return g_object_new (NT_TYPE_ARCHIVE_CLIENT, "uri", retrieval_uri, NULL);
}

const char *
nt_archive_client_get_uri (NtArchiveClient *self)
{
  g_return_val_if_fail (NT_IS_ARCHIVE_CLIENT (self), NULL);

  return self->uri;
}

/**
 * nt_archive_client_set_max_response_size:
 * @max_bytes: the largest answer to read, in bytes (default 16 MiB)
 *
 * Longer answers fail with %NT_CLIENT_ERROR_TOO_LARGE before they are
 * parsed: a parsed answer costs about ten times its size in memory.
 */
void
nt_archive_client_set_max_response_size (NtArchiveClient *self,
                                         gsize            max_bytes)
{
  g_return_if_fail (NT_IS_ARCHIVE_CLIENT (self));
  g_return_if_fail (max_bytes > 0);

  self->max_response_bytes = max_bytes;
}

/**
 * nt_archive_bin_seconds:
 *
 * Returns: the bin width N for @n_bins bins over the range:
 *   ceil((to - from) / n_bins) seconds, at least 1
 */
guint
nt_archive_bin_seconds (gint64 from_usec,
                        gint64 to_usec,
                        guint  n_bins)
{
  gint64 span = to_usec - from_usec;
  gint64 per_bin;

  if (n_bins == 0 || span <= 0)
    return 1;

  per_bin = (span + (gint64)n_bins * G_USEC_PER_SEC - 1) / ((gint64)n_bins * G_USEC_PER_SEC);
  return (guint)CLAMP (per_bin, 1, G_MAXUINT32);
}

/**
 * nt_archive_client_fetch_async:
 * @pv: the PV name
 * @from_usec: start of the range (Unix microseconds)
 * @to_usec: end of the range (Unix microseconds), after @from_usec
 * @n_bins: how many bins (about the plot width in pixels), or 0 for raw
 *   samples
 * @kind: what each bin holds (ignored for raw samples)
 *
 * Asks the archive for history; the body is parsed in a worker thread.
 */
void
nt_archive_client_fetch_async (NtArchiveClient     *self,
                               const char          *pv,
                               gint64               from_usec,
                               gint64               to_usec,
                               guint                n_bins,
                               NtArchiveKind        kind,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  FetchData *data;

  g_return_if_fail (NT_IS_ARCHIVE_CLIENT (self));
  g_return_if_fail (pv != NULL);
  g_return_if_fail (kind <= NT_ARCHIVE_MINMAX);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, nt_archive_client_fetch_async);
  /* Errors are reported as they are (cancellation as G_IO_ERROR_CANCELLED,
   * once both halves of a MINMAX query are done). */
  g_task_set_check_cancellable (task, FALSE);

  if (pv[0] == '\0' || from_usec >= to_usec || from_usec < 0)
    {
      g_task_return_new_error (task, NT_CLIENT_ERROR, NT_CLIENT_ERROR_INVALID_INPUT,
                               _("A history query needs a signal name and a time range that ends after it starts."));
      return;
    }

  data = g_new0 (FetchData, 1);
  data->pv = g_strdup (pv);
  data->from_usec = from_usec;
  data->to_usec = to_usec;
  data->kind = kind;
  data->bin_seconds = n_bins > 0 ? nt_archive_bin_seconds (from_usec, to_usec, n_bins) : 0;
  g_task_set_task_data (task, data, (GDestroyNotify)fetch_data_free);

  if (data->bin_seconds == 0)
    {
      data->pending = 1;
      start_part (self, task, 0, NULL);
    }
  else if (kind == NT_ARCHIVE_MINMAX)
    {
      data->pending = 2;
      start_part (self, task, 0, "min");
      start_part (self, task, 1, "max");
    }
  else
    {
      static const char * const ops[] = { "mean", "min", "max" };

      data->pending = 1;
      start_part (self, task, 0, ops[kind]);
    }
}

/**
 * nt_archive_client_fetch_finish:
 *
 * Returns: (transfer full) (nullable): the samples, or %NULL with @error in
 *   %NT_CLIENT_ERROR
 */
NtArchiveResult *
nt_archive_client_fetch_finish (NtArchiveClient  *self,
                                GAsyncResult     *result,
                                GError          **error)
{
  g_return_val_if_fail (NT_IS_ARCHIVE_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == nt_archive_client_fetch_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
archive_result_clear (NtArchiveResult *self)
{
  g_free (self->pv);
  g_free (self->units);
  g_clear_pointer (&self->times, g_array_unref);
  g_clear_pointer (&self->values, g_array_unref);
  g_clear_pointer (&self->max_values, g_array_unref);
  g_clear_pointer (&self->severities, g_array_unref);
}

NtArchiveResult *
nt_archive_result_ref (NtArchiveResult *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

void
nt_archive_result_unref (NtArchiveResult *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release_full (self, (GDestroyNotify) archive_result_clear);
}

const char *
nt_archive_result_get_pv (NtArchiveResult *self)
{
  return self->pv;
}

/**
 * nt_archive_result_get_units:
 *
 * Returns: (nullable): the engineering units from the archive (EGU)
 */
const char *
nt_archive_result_get_units (NtArchiveResult *self)
{
  return self->units;
}

int
nt_archive_result_get_precision (NtArchiveResult *self)
{
  return self->precision;
}

gboolean
nt_archive_result_is_binned (NtArchiveResult *self)
{
  return self->bin_seconds > 0;
}

NtArchiveKind
nt_archive_result_get_kind (NtArchiveResult *self)
{
  return self->kind;
}

/**
 * nt_archive_result_get_bin_seconds:
 *
 * Returns: the bin width in seconds, or 0 for raw samples
 */
guint
nt_archive_result_get_bin_seconds (NtArchiveResult *self)
{
  return self->bin_seconds;
}

guint
nt_archive_result_get_n_samples (NtArchiveResult *self)
{
  return self->times->len;
}

/**
 * nt_archive_result_get_times:
 *
 * Returns: (array) : sample times in Unix microseconds, ascending; a bin
 *   is stamped at its centre
 */
const gint64 *
nt_archive_result_get_times (NtArchiveResult *self)
{
  return (const gint64 *)(gpointer)self->times->data;
}

/**
 * nt_archive_result_get_values:
 *
 * Returns: (array): the values: raw, or each bin's mean, minimum or
 *   maximum; for %NT_ARCHIVE_MINMAX the minima
 */
const double *
nt_archive_result_get_values (NtArchiveResult *self)
{
  return (const double *)(gpointer)self->values->data;
}

/**
 * nt_archive_result_get_max_values:
 *
 * Returns: (array) (nullable): for %NT_ARCHIVE_MINMAX the maxima, else %NULL
 */
const double *
nt_archive_result_get_max_values (NtArchiveResult *self)
{
  return self->max_values != NULL ? (const double *)(gpointer)self->max_values->data : NULL;
}

/**
 * nt_archive_result_get_severities:
 *
 * Returns: (array): each sample's severity (an #NtPvSeverity)
 */
const guint8 *
nt_archive_result_get_severities (NtArchiveResult *self)
{
  return (const guint8 *)self->severities->data;
}

/**
 * nt_archive_client_parse_reply: (skip)
 *
 * Parses one getData.json body as the worker thread does (tests and the
 * fuzz targets).
 *
 * Returns: the number of samples, or -1 with @error set
 */
gssize
nt_archive_client_parse_reply (GBytes  *bytes,
                               guint    bin_seconds,
                               GError **error)
{
  g_autoptr(Series) series = NULL;

  g_return_val_if_fail (bytes != NULL, -1);

  series = parse_series (bytes, bin_seconds, NULL, error);
  return series != NULL ? (gssize) series->times->len : -1;
}
