/* nt-statistics-client.c: the operations statistics of a time range
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GET /api/v1/statistics?from=ISO&to=ISO on the scheduling service, with
 * the bearer token, answered as one NtStatistics: the range's scheduled,
 * delivered and unknown hours, availability, faults, MTBF/MTTR, the days
 * and the beamlines (the wire shape is in HACKING.md).  The body is parsed
 * strictly in a worker thread: a member missing or of the wrong type is an
 * NT_CLIENT_ERROR_INVALID_DATA error that names it, never a half-filled
 * answer.  A refusal of the service (400 bad-range, 401, 403, 5xx) comes
 * back as the client layer's error with the service's own words.
 */
#define G_LOG_DOMAIN "nt-statistics-client"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "nt-client-private.h"
#include "nt-model-json.h"
#include "nt-statistics-client.h"
#include "nt-time.h"

#define REQUEST_TIMEOUT_S 60
#define STATISTICS_PATH   "/api/v1/statistics"

struct _NtStatisticsClient
{
  GObject      parent_instance;

  char        *base_uri;
  char        *host;
  char        *token;
  SoupSession *session;
};

G_DEFINE_FINAL_TYPE (NtStatisticsClient, nt_statistics_client, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (NtStatistics, nt_statistics, nt_statistics_ref, nt_statistics_unref)

enum {
  PROP_0,
  PROP_BASE_URI,
  PROP_TOKEN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
fault_clear (gpointer data)
{
  NtStatisticsFault *fault = data;

  g_free (fault->mode);
  g_free (fault->message);
}

static void
beamline_clear (gpointer data)
{
  NtStatisticsBeamline *beamline = data;

  g_free (beamline->beamline);
}

static NtStatistics *
statistics_new (void)
{
  NtStatistics *self = g_atomic_rc_box_new0 (NtStatistics);

  self->faults = g_array_new (FALSE, TRUE, sizeof (NtStatisticsFault));
  g_array_set_clear_func (self->faults, fault_clear);
  self->days = g_array_new (FALSE, TRUE, sizeof (NtStatisticsDay));
  self->beamlines = g_array_new (FALSE, TRUE, sizeof (NtStatisticsBeamline));
  g_array_set_clear_func (self->beamlines, beamline_clear);
  self->availability = self->mtbf_hours = self->mttr_hours = NAN;

  return self;
}

static gboolean invalid (GError     **error,
                         const char  *format,
                         ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError     **error,
         const char  *format,
         ...)
{
  g_autofree char *detail = NULL;
  va_list args;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_INVALID_DATA,
               _("The scheduling service sent statistics this console cannot read: %s. Check that the console and the services are of the same version."),
               detail);
  return FALSE;
}

/* A number member not below zero; @nullable lets null through as NAN. */
static gboolean
read_number (JsonObject  *object,
             const char  *where,
             const char  *member,
             gboolean     nullable,
             double      *out,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  GType type;
  double d;

  if (node == NULL)
    return invalid (error, _("%s has no “%s”"), where, member);
  if (nullable && JSON_NODE_HOLDS_NULL (node))
    {
      *out = NAN;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) ||
      ((type = json_node_get_value_type (node)) != G_TYPE_DOUBLE && type != G_TYPE_INT64))
    return invalid (error, _("“%s” of %s must be a number"), member, where);

  d = json_node_get_double (node);
  if (!isfinite (d) || d < 0)
    return invalid (error, _("“%s” of %s must not be below zero"), member, where);

  *out = d;
  return TRUE;
}

static gboolean
read_count (JsonObject  *object,
            const char  *where,
            const char  *member,
            guint       *out,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  gint64 n;

  if (node == NULL)
    return invalid (error, _("%s has no “%s”"), where, member);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
      (n = json_node_get_int (node)) < 0 || n > G_MAXUINT)
    return invalid (error, _("“%s” of %s must be a whole number not below zero"), member, where);

  *out = (guint)n;
  return TRUE;
}

static gboolean
read_string (JsonObject  *object,
             const char  *where,
             const char  *member,
             const char **out,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    return invalid (error, _("%s has no “%s”"), where, member);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return invalid (error, _("“%s” of %s must be a string"), member, where);

  *out = json_node_get_string (node);
  return TRUE;
}

/* An ISO 8601 UTC instant; @nullable lets null through as 0. */
static gboolean
read_instant (JsonObject  *object,
              const char  *where,
              const char  *member,
              gboolean     nullable,
              gint64      *out,
              GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    return invalid (error, _("%s has no “%s”"), where, member);
  if (nullable && JSON_NODE_HOLDS_NULL (node))
    {
      *out = 0;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING ||
      !nt_time_parse_iso (json_node_get_string (node), out))
    return invalid (error, _("“%s” of %s must be an instant such as 2026-04-01T00:00:00Z"), member, where);

  return TRUE;
}

/* How a member of the wire shape is read into its field. */
typedef enum
{
  FIELD_NUMBER,            /* double, not below zero */
  FIELD_NUMBER_OR_NULL,    /* the same, null as NAN */
  FIELD_COUNT,             /* guint */
  FIELD_INSTANT,           /* gint64, Unix seconds */
  FIELD_INSTANT_OR_NULL,   /* the same, null as 0 */
  FIELD_STRING,            /* char *, a copy */
  FIELD_DATE,              /* char[11], "YYYY-MM-DD" */
} FieldKind;

/* A member and the field of the same name that it is read into. */
typedef struct
{
  const char *member;
  FieldKind   kind;
  gsize       offset;
} Field;

#define FIELD(Type, field, kind) { #field, kind, G_STRUCT_OFFSET (Type, field) }

static const Field range_fields[] = {
  FIELD (NtStatistics, from, FIELD_INSTANT),
  FIELD (NtStatistics, to, FIELD_INSTANT),
  FIELD (NtStatistics, complete_to, FIELD_INSTANT),
};

static const Field settings_fields[] = {
  FIELD (NtStatistics, threshold_fraction, FIELD_NUMBER),
  FIELD (NtStatistics, grace_seconds, FIELD_NUMBER),
  FIELD (NtStatistics, target_availability, FIELD_NUMBER),
};

static const Field figure_fields[] = {
  FIELD (NtStatistics, scheduled_hours, FIELD_NUMBER),
  FIELD (NtStatistics, delivered_hours, FIELD_NUMBER),
  FIELD (NtStatistics, unknown_hours, FIELD_NUMBER),
  FIELD (NtStatistics, availability, FIELD_NUMBER_OR_NULL),
  FIELD (NtStatistics, fault_count, FIELD_COUNT),
  FIELD (NtStatistics, mtbf_hours, FIELD_NUMBER_OR_NULL),
  FIELD (NtStatistics, mttr_hours, FIELD_NUMBER_OR_NULL),
};

static const Field fault_fields[] = {
  FIELD (NtStatisticsFault, start, FIELD_INSTANT),
  FIELD (NtStatisticsFault, recovered, FIELD_INSTANT_OR_NULL),
  FIELD (NtStatisticsFault, lost_hours, FIELD_NUMBER),
  FIELD (NtStatisticsFault, mode, FIELD_STRING),
  FIELD (NtStatisticsFault, message, FIELD_STRING),
};

static const Field day_fields[] = {
  FIELD (NtStatisticsDay, date, FIELD_DATE),
  FIELD (NtStatisticsDay, scheduled_hours, FIELD_NUMBER),
  FIELD (NtStatisticsDay, delivered_hours, FIELD_NUMBER),
  FIELD (NtStatisticsDay, unknown_hours, FIELD_NUMBER),
  FIELD (NtStatisticsDay, faults, FIELD_COUNT),
};

static const Field beamline_fields[] = {
  FIELD (NtStatisticsBeamline, beamline, FIELD_STRING),
  FIELD (NtStatisticsBeamline, allocated_public_hours, FIELD_NUMBER),
  FIELD (NtStatisticsBeamline, allocated_coalition_hours, FIELD_NUMBER),
  FIELD (NtStatisticsBeamline, delivered_public_hours, FIELD_NUMBER),
  FIELD (NtStatisticsBeamline, delivered_coalition_hours, FIELD_NUMBER),
};

/* Reads @fields of @object (called @where in errors) into @record. */
static gboolean
read_fields (JsonObject   *object,
             const char   *where,
             const Field  *fields,
             guint         n_fields,
             gpointer      record,
             GError      **error)
{
  for (guint i = 0; i < n_fields; i++)
    {
      const Field *f = &fields[i];
      gpointer p = G_STRUCT_MEMBER_P (record, f->offset);
      const char *text;
      GDate date;

      switch (f->kind)
        {
        case FIELD_NUMBER:
        case FIELD_NUMBER_OR_NULL:
          if (!read_number (object, where, f->member, f->kind == FIELD_NUMBER_OR_NULL, p, error))
            return FALSE;
          break;
        case FIELD_COUNT:
          if (!read_count (object, where, f->member, p, error))
            return FALSE;
          break;
        case FIELD_INSTANT:
        case FIELD_INSTANT_OR_NULL:
          if (!read_instant (object, where, f->member, f->kind == FIELD_INSTANT_OR_NULL, p, error))
            return FALSE;
          break;
        case FIELD_STRING:
          if (!read_string (object, where, f->member, &text, error))
            return FALSE;
          *(char **)p = g_strdup (text);
          break;
        case FIELD_DATE:
          if (!read_string (object, where, f->member, &text, error))
            return FALSE;
          if (!nt_time_parse_date (text, &date))   /* (exactly 10 characters) */
            return invalid (error, _("“date” of %s must be a date such as 2026-04-01"), where);
          memcpy (p, text, 11);
          break;
        default:
          g_assert_not_reached ();
        }
    }
  return TRUE;
}

/* What a record of a list must be besides its fields' shapes: @previous is
 * the one listed before it (NULL for the first). */
typedef gboolean (*CheckRecord) (gpointer       record,
                                 gconstpointer  previous,
                                 const char    *where,
                                 GError       **error);

static gboolean
check_fault (gpointer       record,
             gconstpointer  previous,
             const char    *where,
             GError       **error)
{
  NtStatisticsFault *fault = record;
  const NtStatisticsFault *before = previous;

  if (fault->recovered != 0 && fault->recovered < fault->start)
    return invalid (error, _("%s recovers before it starts"), where);
  if (before != NULL && fault->start < before->start)
    return invalid (error, _("%s starts before the fault listed before it"), where);
  return TRUE;
}

static gboolean
check_day (gpointer       record,
           gconstpointer  previous,
           const char    *where,
           GError       **error)
{
  NtStatisticsDay *day = record;
  const NtStatisticsDay *before = previous;
  GDate parsed;

  nt_time_parse_date (day->date, &parsed);
  day->start = nt_time_from_local (g_date_get_year (&parsed), g_date_get_month (&parsed),
                                   g_date_get_day (&parsed), 0, 0);
  if (before != NULL && day->start <= before->start)
    return invalid (error, _("%s is not after the day listed before it"), where);
  return TRUE;
}

static gboolean
check_beamline (gpointer       record,
                gconstpointer  previous,
                const char    *where,
                GError       **error)
{
  NtStatisticsBeamline *beamline = record;

  if (*beamline->beamline == '\0')
    return invalid (error, _("“beamline” of %s is empty"), where);
  return TRUE;
}

/* The array @member of @root: each element an object, read by @fields
 * into a record appended to @records, then checked by @check.  (A record
 * read halfway goes with @records, whose clear function frees it.) */
static gboolean
read_records (JsonObject   *root,
              const char   *member,
              const Field  *fields,
              guint         n_fields,
              CheckRecord   check,
              GArray       *records,
              GError      **error)
{
  JsonNode *node = json_object_get_member (root, member);
  guint size = g_array_get_element_size (records);
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return invalid (error, _("“%s” must be an array"), member);
  array = json_node_get_array (node);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *where = g_strdup_printf ("%s[%u]", member, i);
      JsonNode *element = json_array_get_element (array, i);
      gpointer record;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return invalid (error, _("%s must be an object"), where);

      g_array_set_size (records, records->len + 1);
      record = records->data + (gsize) (records->len - 1) * size;
      if (!read_fields (json_node_get_object (element), where, fields, n_fields, record, error) ||
          !check (record, i > 0 ? records->data + (gsize) (records->len - 2) * size : NULL, where, error))
        return FALSE;
    }

  return TRUE;
}

/**
 * nt_statistics_parse:
 * @body: the JSON text of an answer of GET /api/v1/statistics
 *
 * Reads an answer strictly: every member of the wire shape present and of
 * its type, instants in order, from < complete_to <= to.
 *
 * Returns: (transfer full) (nullable): the statistics, or %NULL with an
 *   %NT_CLIENT_ERROR_INVALID_DATA error naming what is wrong
 */
NtStatistics *
nt_statistics_parse (GBytes  *body,
                     GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(NtStatistics) stats = statistics_new ();
  g_autoptr(GError) parse_error = NULL;
  JsonObject *root, *settings;
  JsonNode *node;
  const char *text;
  gsize len;

  text = body != NULL ? g_bytes_get_data (body, &len) : NULL;
  if (text == NULL || len == 0)
    {
      invalid (error, _("the answer is empty"));
      return NULL;
    }
  if (!nt_json_load_one (parser, text, len, &parse_error))
    {
      invalid (error, _("the answer is not JSON (%s)"), parse_error->message);
      return NULL;
    }
  node = json_parser_get_root (parser);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      invalid (error, _("the answer must be a JSON object"));
      return NULL;
    }
  root = json_node_get_object (node);

  node = json_object_get_member (root, "settings");
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      invalid (error, _("“settings” must be an object"));
      return NULL;
    }
  settings = json_node_get_object (node);

  if (!read_fields (root, _("the answer"), range_fields, G_N_ELEMENTS (range_fields), stats, error) ||
      !read_fields (settings, "settings", settings_fields, G_N_ELEMENTS (settings_fields), stats, error) ||
      !read_fields (root, _("the answer"), figure_fields, G_N_ELEMENTS (figure_fields), stats, error) ||
      !read_records (root, "faults", fault_fields, G_N_ELEMENTS (fault_fields), check_fault,
                     stats->faults, error) ||
      !read_records (root, "days", day_fields, G_N_ELEMENTS (day_fields), check_day,
                     stats->days, error) ||
      !read_records (root, "beamlines", beamline_fields, G_N_ELEMENTS (beamline_fields), check_beamline,
                     stats->beamlines, error))
    return NULL;

  if (stats->from >= stats->to)
    {
      invalid (error, _("“from” is not before “to”"));
      return NULL;
    }
  if (stats->complete_to < stats->from || stats->complete_to > stats->to)
    {
      invalid (error, _("“complete_to” lies outside the range"));
      return NULL;
    }
  if (!isnan (stats->availability) && stats->availability > 100.0 + 1e-6)
    {
      invalid (error, _("“availability” is over 100 %%"));
      return NULL;
    }
  if (stats->target_availability <= 0 || stats->target_availability > 100)
    {
      invalid (error, _("“target_availability” must be over 0 and at most 100"));
      return NULL;
    }

  return g_steal_pointer (&stats);
}

static void
statistics_clear (NtStatistics *self)
{
  g_array_unref (self->faults);
  g_array_unref (self->days);
  g_array_unref (self->beamlines);
}

NtStatistics *
nt_statistics_ref (NtStatistics *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return g_atomic_rc_box_acquire (self);
}

void
nt_statistics_unref (NtStatistics *self)
{
  g_return_if_fail (self != NULL);
  g_atomic_rc_box_release_full (self, (GDestroyNotify) statistics_clear);
}

/**
 * nt_statistics_is_live:
 *
 * Returns: whether the range reaches past the services' now (a run under
 *   way): its figures grow, and are worth asking for again
 */
gboolean
nt_statistics_is_live (NtStatistics *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->complete_to < self->to;
}

/**
 * nt_statistics_is_filling:
 * @before: (nullable): the figures read before, if any
 * @answer: the figures just read
 *
 * On their first start the services fill the archive in the background,
 * newest days first, so a range's unarchived hours shrink from one answer
 * to the next.  Unarchived hours that stand still (a real gap) or grow (an
 * archive a little behind now) are no fill.
 *
 * Returns: whether @answer looks as if the archive is still being filled:
 *   it has unarchived hours, and it is the first answer for its range or
 *   has fewer of them than @before
 */
gboolean
nt_statistics_is_filling (NtStatistics *before,
                          NtStatistics *answer)
{
  g_return_val_if_fail (answer != NULL, FALSE);

  return answer->unknown_hours > 0 &&
         (before == NULL || before->from != answer->from || before->to != answer->to ||
          answer->unknown_hours < before->unknown_hours);
}

/* ---- the client ---- */

static void
parse_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GBytes *body = task_data;
  GError *error = NULL;
  NtStatistics *stats = nt_statistics_parse (body, &error);

  if (stats == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, stats, (GDestroyNotify)nt_statistics_unref);
}

static void
parse_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  NtStatistics *stats = g_task_propagate_pointer (G_TASK (result), &error);

  if (stats == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, stats, (GDestroyNotify)nt_statistics_unref);
}

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GTask) parse = NULL;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  guint status;

  body = nt_client_read_reply_finish (SOUP_SESSION (source), result, g_task_get_task_data (task), &error);
  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  status = soup_message_get_status (msg);
  if (status != SOUP_STATUS_OK)
    {
      g_task_return_new_error (task, NT_CLIENT_ERROR, NT_CLIENT_ERROR_PROTOCOL,
                               _("The scheduling service answered %u %s to a statistics request."),
                               status, soup_message_get_reason_phrase (msg));
      return;
    }

  parse = g_task_new (NULL, g_task_get_cancellable (task), parse_done_cb, g_object_ref (task));
  g_task_set_source_tag (parse, parse_thread);
  g_task_set_task_data (parse, g_steal_pointer (&body), (GDestroyNotify)g_bytes_unref);
  g_task_run_in_thread (parse, parse_thread);
}

static void
nt_statistics_client_finalize (GObject *object)
{
  NtStatisticsClient *self = (NtStatisticsClient *)object;

  g_clear_object (&self->session);
  g_free (self->base_uri);
  g_free (self->host);
  g_free (self->token);

  G_OBJECT_CLASS (nt_statistics_client_parent_class)->finalize (object);
}

static void
nt_statistics_client_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  NtStatisticsClient *self = NT_STATISTICS_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URI:
      g_value_set_string (value, self->base_uri);
      break;

    case PROP_TOKEN:
      g_value_set_string (value, self->token);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nt_statistics_client_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  NtStatisticsClient *self = NT_STATISTICS_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URI:
      nt_client_parse_base_uri (g_value_get_string (value), &self->base_uri, &self->host);
      break;

    case PROP_TOKEN:
      nt_statistics_client_set_token (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nt_statistics_client_class_init (NtStatisticsClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = nt_statistics_client_finalize;
  object_class->get_property = nt_statistics_client_get_property;
  object_class->set_property = nt_statistics_client_set_property;

  properties[PROP_BASE_URI] =
    g_param_spec_string ("base-uri", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOKEN] =
    g_param_spec_string ("token", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
nt_statistics_client_init (NtStatisticsClient *self)
{
  self->session = g_object_new (SOUP_TYPE_SESSION,
                                "timeout", REQUEST_TIMEOUT_S,
                                "user-agent", PACKAGE_NAME "/" PACKAGE_VERSION " ",
                                NULL);
}

/**
 * nt_statistics_client_new:
 * @base_uri: the scheduling service, such as http://127.0.0.1:8080
 * @token: (nullable): its bearer token
 */
NtStatisticsClient *
nt_statistics_client_new (const char *base_uri,
                          const char *token)
{
  g_return_val_if_fail (base_uri != NULL, NULL);

  return g_object_new (NT_TYPE_STATISTICS_CLIENT,
                       "base-uri", base_uri,
                       "token", token,
                       NULL);
}

const char *
nt_statistics_client_get_base_uri (NtStatisticsClient *self)
{
  g_return_val_if_fail (NT_IS_STATISTICS_CLIENT (self), NULL);
  return self->base_uri;
}

void
nt_statistics_client_set_token (NtStatisticsClient *self,
                                const char         *token)
{
  g_return_if_fail (NT_IS_STATISTICS_CLIENT (self));

  if (g_strcmp0 (self->token, token) == 0)
    return;
  g_free (self->token);
  self->token = g_strdup (token);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN]);
}

/**
 * nt_statistics_client_fetch_async:
 * @from: the range's start, Unix seconds
 * @to: its end (after @from)
 *
 * Asks the service for the statistics of [@from, @to).
 */
void
nt_statistics_client_fetch_async (NtStatisticsClient  *self,
                                  gint64               from,
                                  gint64               to,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *a = NULL, *b = NULL, *uri = NULL;

  g_return_if_fail (NT_IS_STATISTICS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, nt_statistics_client_fetch_async);
  g_task_set_task_data (task, g_strdup (self->host), g_free);

  a = nt_time_format_iso (from);
  b = nt_time_format_iso (to);
  uri = g_strdup_printf ("%s" STATISTICS_PATH "?from=%s&to=%s", self->base_uri, a, b);
  msg = nt_client_new_json_get (uri, self->token);
  if (msg == NULL)
    {
      g_task_return_new_error (task, NT_CLIENT_ERROR, NT_CLIENT_ERROR_NETWORK,
                               _("“%s” is not a valid address of the scheduling service. Check the facility address in Preferences."),
                               self->base_uri);
      return;
    }

  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, cancellable,
                                    send_cb, g_object_ref (task));
}

/**
 * nt_statistics_client_fetch_finish:
 *
 * Returns: (transfer full) (nullable): the statistics, or %NULL with an
 *   %NT_CLIENT_ERROR (or %G_IO_ERROR_CANCELLED)
 */
NtStatistics *
nt_statistics_client_fetch_finish (NtStatisticsClient  *self,
                                   GAsyncResult        *result,
                                   GError             **error)
{
  g_return_val_if_fail (NT_IS_STATISTICS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
