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
 * This file holds the object and the public REST calls; the request path
 * and the parse worker are in nt-schedule-client-requests.c, failures in
 * nt-schedule-client-failure.c, the change feed in
 * nt-schedule-client-feed.c (nt-schedule-client-private.h: what they share).
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

G_DEFINE_FINAL_TYPE (NtScheduleClient, nt_schedule_client, G_TYPE_OBJECT)

GParamSpec *nt_schedule_client_properties[N_PROPS];
guint nt_schedule_client_signals[N_SIGNALS];

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
      nt_client_parse_base_uri (g_value_get_string (value), &self->base_uri, &self->host);
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

  nt_schedule_client_properties[PROP_BASE_URI] =
    g_param_spec_string ("base-uri", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  nt_schedule_client_properties[PROP_TOKEN] =
    g_param_spec_string ("token", NULL, NULL, NULL,
                         G_PARAM_WRITABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  nt_schedule_client_properties[PROP_LAST_REVISION] =
    g_param_spec_int64 ("last-revision", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  nt_schedule_client_properties[PROP_FEED_STATE] =
    g_param_spec_enum ("feed-state", NULL, NULL, NT_TYPE_CONNECTION_STATE,
                       NT_CONNECTION_DISCONNECTED,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  nt_schedule_client_properties[PROP_FEED_ERROR] =
    g_param_spec_string ("feed-error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, nt_schedule_client_properties);

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
  nt_schedule_client_signals[CHANGE] =
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
  g_object_notify_by_pspec (G_OBJECT (self), nt_schedule_client_properties[PROP_TOKEN]);
}

void
nt_schedule_client_list_beamlines_async (NtScheduleClient    *self,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_return_if_fail (NT_IS_SCHEDULE_CLIENT (self));

  nt_schedule_client_send_request (self, SOUP_METHOD_GET, API_PREFIX "/beamlines", NULL, NULL,
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
  return nt_schedule_client_finish_pointer (self, result, nt_schedule_client_list_beamlines_async, NULL, error);
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

  nt_schedule_append_query_time (path, "from", from);
  nt_schedule_append_query_time (path, "to", to);
  nt_schedule_client_send_request (self, SOUP_METHOD_GET, path->str, NULL, NULL,
                PARSE_LIST, nt_schedule_model_info_for_type (NT_TYPE_RUN_PERIOD),
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
  return nt_schedule_client_finish_list (self, result, nt_schedule_client_list_run_plan_async, revision, error);
}

static char *
allocations_path (gint64      from,
                  gint64      to,
                  const char *station,
                  int         slot)
{
  GString *path = g_string_new (API_PREFIX "/allocations");

  nt_schedule_append_query_time (path, "from", from);
  nt_schedule_append_query_time (path, "to", to);
  if (station != NULL && *station != '\0')
    nt_schedule_append_query (path, "station", station);
  if (slot != NT_SLOT_ANY)
    nt_schedule_append_query (path, "slot", nt_slot_to_string (slot));
  return g_string_free (path, FALSE);
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
  g_autofree char *path = NULL;

  g_return_if_fail (NT_IS_SCHEDULE_CLIENT (self));
  g_return_if_fail (slot == NT_SLOT_ANY || (slot >= 0 && slot < NT_N_SLOTS));

  path = allocations_path (from, to, station, slot);
  nt_schedule_client_send_request (self, SOUP_METHOD_GET, path, NULL, NULL,
                PARSE_LIST, nt_schedule_model_info_for_type (NT_TYPE_ALLOCATION),
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
  return nt_schedule_client_finish_list (self, result, nt_schedule_client_list_allocations_async, revision, error);
}

/**
 * nt_schedule_client_list_allocation_store_async:
 *
 * The same list as nt_schedule_client_list_allocations_async(), checked
 * the same way, read into compact records (nt-booking-store.h) in the
 * parse worker: no object is kept per allocation.  What a timeline of a
 * whole year reads.
 */
void
nt_schedule_client_list_allocation_store_async (NtScheduleClient    *self,
                                                gint64               from,
                                                gint64               to,
                                                const char          *station,
                                                int                  slot,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (NT_IS_SCHEDULE_CLIENT (self));
  g_return_if_fail (slot == NT_SLOT_ANY || (slot >= 0 && slot < NT_N_SLOTS));

  path = allocations_path (from, to, station, slot);
  nt_schedule_client_send_request (self, SOUP_METHOD_GET, path, NULL, NULL,
                PARSE_STORE, nt_schedule_model_info_for_type (NT_TYPE_ALLOCATION),
                nt_schedule_client_list_allocation_store_async, cancellable, callback, user_data);
}

/**
 * nt_schedule_client_list_allocation_store_finish:
 * @revision: (out) (optional): the store's revision when read
 *
 * Returns: (transfer full): the allocations as records
 */
NtBookingStore *
nt_schedule_client_list_allocation_store_finish (NtScheduleClient  *self,
                                                 GAsyncResult      *result,
                                                 gint64            *revision,
                                                 GError           **error)
{
  return nt_schedule_client_finish_store (self, result, nt_schedule_client_list_allocation_store_async,
                                          revision, error);
}

void
nt_schedule_client_list_members_async (NtScheduleClient    *self,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_return_if_fail (NT_IS_SCHEDULE_CLIENT (self));

  nt_schedule_client_send_request (self, SOUP_METHOD_GET, API_PREFIX "/members", NULL, NULL,
                PARSE_LIST, nt_schedule_model_info_for_type (NT_TYPE_MEMBER),
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
  return nt_schedule_client_finish_list (self, result, nt_schedule_client_list_members_async, revision, error);
}

void
nt_schedule_client_list_proposals_async (NtScheduleClient    *self,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_return_if_fail (NT_IS_SCHEDULE_CLIENT (self));

  nt_schedule_client_send_request (self, SOUP_METHOD_GET, API_PREFIX "/proposals", NULL, NULL,
                PARSE_LIST, nt_schedule_model_info_for_type (NT_TYPE_PROPOSAL),
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
  return nt_schedule_client_finish_list (self, result, nt_schedule_client_list_proposals_async, revision, error);
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
  nt_schedule_client_send_request (self, SOUP_METHOD_GET, path, NULL, NULL, PARSE_JSON, NULL,
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
  return nt_schedule_client_finish_pointer (self, result, nt_schedule_client_get_summary_async, NULL, error);
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

  nt_schedule_client_send_request (self, SOUP_METHOD_GET, API_PREFIX "/whoami", NULL, NULL, PARSE_JSON, NULL,
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
  JsonNode *node = nt_schedule_client_finish_pointer (self, result, nt_schedule_client_whoami_async, NULL, error);
  g_autofree char *read = NULL;

  if (node == NULL)
    return NULL;
  read = nt_schedule_client_read_role (node, error);
  if (read == NULL)
    {
      json_node_unref (node);
      return NULL;
    }
  if (role != NULL)
    *role = g_steal_pointer (&read);
  return node;
}

/* The "role" of a GET /whoami answer: an object whose "role" is a
 * string.  Anything else is refused in words (the console then offers no
 * editing). */
char *
nt_schedule_client_read_role (JsonNode  *node,
                              GError   **error)
{
  JsonObject *o = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  JsonNode *role = o != NULL ? json_object_get_member (o, "role") : NULL;

  if (role == NULL || json_node_get_value_type (role) != G_TYPE_STRING)
    {
      g_set_error (error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_INVALID_DATA,
                   _("The scheduling service did not say which role this console has"));
      return NULL;
    }
  return g_strdup (json_node_get_string (role));
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

  nt_schedule_append_query_time (path, "from", from);
  nt_schedule_append_query_time (path, "to", to);
  nt_schedule_client_send_request (self, SOUP_METHOD_GET, path->str, NULL, NULL, PARSE_JSON, NULL,
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
  return nt_schedule_client_finish_pointer (self, result, nt_schedule_client_list_audit_async, NULL, error);
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
  const ModelInfo *info = nt_schedule_model_info_for_type (type);
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (NT_IS_SCHEDULE_CLIENT (self));
  g_return_if_fail (info != NULL);
  g_return_if_fail (id != NULL && *id != '\0');

  escaped = g_uri_escape_string (id, NULL, FALSE);
  path = g_strdup_printf (API_PREFIX "/%s/%s", info->collection, escaped);
  nt_schedule_client_send_request (self, SOUP_METHOD_GET, path, NULL, NULL, PARSE_OBJECT, info,
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
  return nt_schedule_client_finish_pointer (self, result, nt_schedule_client_get_object_async, NULL, error);
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
  nt_schedule_client_send_request (self, SOUP_METHOD_GET, path, NULL, NULL, PARSE_JSON, NULL,
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
  return nt_schedule_client_finish_pointer (self, result, nt_schedule_client_list_terms_async, NULL, error);
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
    nt_schedule_append_query (path, "station", station);
  if (beamline != NULL && *beamline != '\0')
    nt_schedule_append_query (path, "beamline", beamline);
  if (from != 0)
    nt_schedule_append_query_time (path, "from", from);
  if (to != 0)
    nt_schedule_append_query_time (path, "to", to);
  nt_schedule_client_send_request (self, SOUP_METHOD_GET, path->str, NULL, NULL, PARSE_BYTES, NULL,
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
  return nt_schedule_client_finish_pointer (self, result, nt_schedule_client_get_calendar_async, NULL, error);
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

  if (!nt_schedule_client_check_model (self, object, &info, nt_schedule_client_create_async, callback, user_data))
    return;

  /* a proposal's id is its number, chosen by the office */
  body = nt_schedule_write_body (info, object, NT_IS_PROPOSAL (object), override_reason);
  path = g_strdup_printf (API_PREFIX "/%s", info->collection);
  nt_schedule_client_send_request (self, SOUP_METHOD_POST, path, body, NULL, PARSE_OBJECT, info,
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
  return nt_schedule_client_finish_pointer (self, result, nt_schedule_client_create_async, failure, error);
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

  if (!nt_schedule_client_check_model (self, object, &info, source_tag, callback, user_data))
    return;

  path = nt_schedule_object_path (info, object);
  if (path == NULL)
    {
      g_task_report_new_error (self, callback, user_data, source_tag,
                               NT_CLIENT_ERROR, NT_CLIENT_ERROR_INVALID_INPUT,
                               "%s", _("This item has not been saved yet, so it cannot be changed or deleted."));
      return;
    }

  if (!is_delete)
    body = nt_schedule_write_body (info, object, FALSE, override_reason);

  nt_schedule_client_send_request (self, method, path, body, info->get_etag (object),
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
  return nt_schedule_client_finish_pointer (self, result, nt_schedule_client_update_async, failure, error);
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
