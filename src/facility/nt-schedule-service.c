/* nt-schedule-service.c: the scheduling REST API and change feed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-schedule-service"

#include "config.h"

#include <string.h>

#include "nt-auth.h"
#include "nt-ics.h"
#include "nt-schedule-service.h"
#include "nt-time.h"

#define API_PREFIX   "/api/v1"
#define LOCAL_TOKEN_NAME "embedded console"

struct _NtScheduleService
{
  GObject          parent_instance;

  NtScheduleStore *store;
  SoupServer      *server;
  GPtrArray       *clients;        /* SoupWebsocketConnection */
  gsize            max_body;
  char            *local_token;
  gulong           changed_id;
  gulong           plan_id;
};

G_DEFINE_FINAL_TYPE (NtScheduleService, nt_schedule_service, G_TYPE_OBJECT)

enum {
  SIGNAL_PLAN_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  NtRole  role;
  char   *name;
} Caller;

static void
caller_clear (Caller *c)
{
  g_clear_pointer (&c->name, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Caller, caller_clear)

/* Responses */

static void
set_json (SoupServerMessage *msg,
          guint              status,
          JsonNode          *node)
{
  gsize len = 0;
  char *body = json_to_string (node, FALSE);

  len = strlen (body);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, body, len);
}

static void
set_fault (SoupServerMessage *msg,
           NtScheduleFault   *fault)
{
  g_autoptr(JsonNode) node = nt_schedule_fault_to_json (fault);

  if (fault->status == SOUP_STATUS_PRECONDITION_FAILED && fault->details != NULL)
    {
      JsonObject *d = json_node_get_object (fault->details);
      JsonNode *current = json_object_get_member (d, "current");

      if (current != NULL && JSON_NODE_HOLDS_OBJECT (current))
        soup_message_headers_replace (soup_server_message_get_response_headers (msg), "ETag",
                                      json_object_get_string_member (json_node_get_object (current), "etag"));
    }
  set_json (msg, fault->status, node);
}

G_GNUC_PRINTF (5, 6)
static void
set_error (SoupServerMessage *msg,
           guint              status,
           const char        *code,
           JsonNode          *details,
           const char        *format,
           ...)
{
  g_autoptr(NtScheduleFault) fault = g_new0 (NtScheduleFault, 1);
  va_list args;

  fault->status = status;
  fault->code = g_strdup (code);
  fault->details = details;
  va_start (args, format);
  fault->message = g_strdup_vprintf (format, args);
  va_end (args);
  set_fault (msg, fault);
}

static JsonNode *
field_details (const char *field)
{
  JsonObject *o = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (o, "field", field);
  json_node_take_object (node, o);
  return node;
}

static void
set_object (SoupServerMessage *msg,
            guint              status,
            JsonNode          *object)
{
  JsonObject *o = json_node_get_object (object);

  if (json_object_has_member (o, "etag"))
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "ETag",
                                  json_object_get_string_member (o, "etag"));
  set_json (msg, status, object);
}

/* Requests */

static const char *
bearer_token (SoupServerMessage *msg,
              GHashTable        *query,
              gboolean           allow_query)
{
  const char *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                   "Authorization");

  if (auth != NULL && g_ascii_strncasecmp (auth, "Bearer ", 7) == 0)
    return auth + 7;
  if (allow_query && query != NULL)
    return g_hash_table_lookup (query, "token");
  return NULL;
}

static gboolean
authenticate (NtScheduleService *self,
              SoupServerMessage *msg,
              GHashTable        *query,
              gboolean           allow_query,
              Caller            *caller)
{
  const char *token = bearer_token (msg, query, allow_query);

  if (token == NULL)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "WWW-Authenticate", "Bearer realm=\"nanoterasu\"");
      set_error (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized", NULL,
                 "Send a token: Authorization: Bearer TOKEN");
      return FALSE;
    }
  if (!nt_auth_verify (nt_schedule_store_get_db (self->store), token, &caller->role, &caller->name))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "WWW-Authenticate", "Bearer realm=\"nanoterasu\", error=\"invalid_token\"");
      set_error (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized", NULL, "The token is unknown or revoked");
      return FALSE;
    }
  return TRUE;
}

static gboolean
may_write (NtRole     role,
           NtResource resource)
{
  switch (role)
    {
    case NT_ROLE_ADMIN:
      return TRUE;
    case NT_ROLE_OPERATOR:
      return resource == NT_RESOURCE_PERIOD;
    case NT_ROLE_OFFICE:
      return resource != NT_RESOURCE_PERIOD;
    case NT_ROLE_VIEWER:
    default:
      return FALSE;
    }
}

static gboolean
query_instant (SoupServerMessage *msg,
               GHashTable        *query,
               const char        *name,
               gint64            *out,
               gboolean          *has)
{
  const char *v = query != NULL ? g_hash_table_lookup (query, name) : NULL;

  *has = FALSE;
  if (v == NULL)
    return TRUE;
  if (!nt_time_parse_iso (v, out))
    {
      set_error (msg, 422, "invalid", field_details (name),
                 "“%s” must be an instant YYYY-MM-DDTHH:MM:SSZ", name);
      return FALSE;
    }
  *has = TRUE;
  return TRUE;
}

static gboolean
query_range (SoupServerMessage *msg,
             GHashTable        *query,
             NtScheduleQuery   *q)
{
  if (!query_instant (msg, query, "from", &q->from, &q->has_from) ||
      !query_instant (msg, query, "to", &q->to, &q->has_to))
    return FALSE;
  if (q->has_from && q->has_to && q->to < q->from)
    {
      set_error (msg, 422, "invalid", field_details ("to"), "“to” must not be before “from”");
      return FALSE;
    }
  return TRUE;
}

static gboolean
query_fiscal_year (NtScheduleService *self,
                   SoupServerMessage *msg,
                   GHashTable        *query,
                   int               *fy)
{
  const char *v = query != NULL ? g_hash_table_lookup (query, "fy") : NULL;
  char *end = NULL;
  gint64 n;

  if (v == NULL)
    {
      *fy = nt_time_fiscal_year_of (nt_db_now (nt_schedule_store_get_db (self->store)));
      return TRUE;
    }
  n = g_ascii_strtoll (v, &end, 10);
  if (end == NULL || *end != '\0' || end == v || n < 2000 || n > 2100)
    {
      set_error (msg, 422, "invalid", field_details ("fy"), "“fy” must be a fiscal year like 2026");
      return FALSE;
    }
  *fy = (int) n;
  return TRUE;
}

static JsonNode *
parse_body (NtScheduleService *self,
            SoupServerMessage *msg)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  JsonNode *root;

  bytes = soup_message_body_flatten (body);
  if (g_bytes_get_size (bytes) > self->max_body)
    {
      set_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large", NULL,
                 "The body is larger than %" G_GSIZE_FORMAT " bytes", self->max_body);
      return NULL;
    }
  if (g_bytes_get_size (bytes) == 0)
    {
      set_error (msg, SOUP_STATUS_BAD_REQUEST, "malformed", NULL, "The body is empty; send a JSON object");
      return NULL;
    }
  if (!g_utf8_validate (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL) ||
      !json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error))
    {
      set_error (msg, SOUP_STATUS_BAD_REQUEST, "malformed", NULL, "The body is not JSON: %s",
                 error != NULL ? error->message : "invalid UTF-8");
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      set_error (msg, SOUP_STATUS_BAD_REQUEST, "malformed", NULL, "The body must be a JSON object");
      return NULL;
    }
  return json_node_copy (root);
}

/* Routes */

static JsonNode *
beamlines_json (NtScheduleService *self)
{
  NtCatalogue *catalogue = nt_schedule_store_get_catalogue (self->store);
  GListModel *bls = nt_catalogue_get_beamlines (catalogue);
  JsonObject *root = json_object_new ();
  JsonArray *items = json_array_new ();
  JsonNode *node;

  for (guint i = 0; i < g_list_model_get_n_items (bls); i++)
    {
      g_autoptr(NtBeamline) bl = g_list_model_get_item (bls, i);
      GListModel *stations = nt_beamline_get_stations (bl);
      JsonObject *o = json_object_new ();
      JsonObject *technique = json_object_new ();
      JsonArray *sts = json_array_new ();

      json_object_set_string_member (o, "id", nt_beamline_get_id (bl));
      json_object_set_string_member (o, "program", nt_program_to_string (nt_beamline_get_program (bl)));
      json_object_set_string_member (o, "source",
                                     nt_beamline_get_source (bl) == NT_SOURCE_UNDULATOR ? "undulator" : "wiggler");
      json_object_set_string_member (technique, "ja", nt_beamline_get_technique_ja (bl));
      json_object_set_string_member (technique, "en", nt_beamline_get_technique_en (bl));
      json_object_set_object_member (o, "technique", technique);
      json_object_set_string_member (o, "energy_label", nt_beamline_get_energy_label (bl));
      json_object_set_int_member (o, "requested_days", nt_beamline_get_requested_days (bl));
      json_object_set_double_member (o, "public_share_target",
                                     nt_schedule_store_get_public_share_target (self->store, nt_beamline_get_id (bl)));
      for (guint j = 0; j < g_list_model_get_n_items (stations); j++)
        {
          g_autoptr(NtStation) st = g_list_model_get_item (stations, j);
          JsonObject *so = json_object_new ();

          json_object_set_string_member (so, "id", nt_station_get_id (st));
          json_object_set_string_member (so, "name", nt_station_get_name (st));
          json_object_set_string_member (so, "kind", nt_station_kind_to_string (nt_station_get_kind (st)));
          json_object_set_string_member (so, "energy_label", nt_station_get_energy_label (st));
          json_object_set_int_member (so, "public_shifts_2026a", nt_station_get_public_shifts_2026a (st));
          json_object_set_boolean_member (so, "public_slots",
                                          nt_beamline_get_program (bl) == NT_PROGRAM_PUBLIC ||
                                          nt_station_get_kind (st) == NT_STATION_MAIN);
          json_array_add_object_element (sts, so);
        }
      json_object_set_array_member (o, "stations", sts);
      json_array_add_object_element (items, o);
    }
  json_object_set_array_member (root, "items", items);
  json_object_set_int_member (root, "revision", nt_schedule_store_get_revision (self->store));
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, root);
  return node;
}

static JsonNode *
terms_json (NtScheduleService *self,
            int                fy)
{
  JsonObject *root = json_object_new ();
  JsonArray *items = json_array_new ();
  JsonNode *node;

  for (NtTerm t = NT_TERM_A; t <= NT_TERM_B; t++)
    {
      JsonObject *o = json_object_new ();
      g_autofree char *name = nt_time_term_name (fy, t);
      char buf[NT_TIME_ISO_LEN + 1];
      gint64 s, e;

      nt_time_term_bounds (fy, t, &s, &e);
      json_object_set_string_member (o, "id", name);
      json_object_set_int_member (o, "fiscal_year", fy);
      nt_time_format_iso_buf (s, buf);
      json_object_set_string_member (o, "start", buf);
      nt_time_format_iso_buf (e, buf);
      json_object_set_string_member (o, "end", buf);
      json_array_add_object_element (items, o);
    }
  json_object_set_array_member (root, "items", items);
  json_object_set_int_member (root, "revision", nt_schedule_store_get_revision (self->store));
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, root);
  return node;
}

static void
handle_calendar (NtScheduleService *self,
                 SoupServerMessage *msg,
                 GHashTable        *query)
{
  g_autoptr(NtScheduleFault) fault = NULL;
  g_autoptr(GArray) events = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree NtIcsEvent *ics = NULL;
  g_autofree char *name = NULL;
  const char *station = query != NULL ? g_hash_table_lookup (query, "station") : NULL;
  const char *beamline = query != NULL ? g_hash_table_lookup (query, "beamline") : NULL;
  const char *from_str = query != NULL ? g_hash_table_lookup (query, "from") : NULL;
  const char *to_str = query != NULL ? g_hash_table_lookup (query, "to") : NULL;
  gint64 from = 0, to = 0;
  char *text;

  if ((from_str != NULL && !nt_time_parse_iso (from_str, &from)) ||
      (to_str != NULL && !nt_time_parse_iso (to_str, &to)))
    {
      set_error (msg, SOUP_STATUS_BAD_REQUEST, "malformed", NULL,
                 "'from' and 'to' must be times like 2026-04-01T00:00:00Z");
      return;
    }
  if (from != 0 && to != 0 && from >= to)
    {
      set_error (msg, SOUP_STATUS_BAD_REQUEST, "malformed", NULL, "'from' must be before 'to'");
      return;
    }

  events = nt_schedule_store_calendar_events (self->store, station, beamline, from, to, &fault);
  if (events == NULL)
    {
      set_fault (msg, fault);
      return;
    }

  ics = g_new0 (NtIcsEvent, MAX (events->len, 1));
  for (guint i = 0; i < events->len; i++)
    {
      const NtScheduleEvent *ev = &g_array_index (events, NtScheduleEvent, i);

      ics[i].uid = ev->uid;
      ics[i].summary = ev->summary;
      ics[i].description = ev->description;
      ics[i].location = ev->location;
      ics[i].start = ev->start;
      ics[i].end = ev->end;
      ics[i].sequence = ev->sequence;
      ics[i].dtstamp = ev->dtstamp;
    }

  if (g_strcmp0 (station, "*") == 0)
    name = g_strdup ("NanoTerasu allocations");
  else if (station != NULL)
    name = g_strdup_printf ("NanoTerasu %s", station);
  else if (beamline != NULL)
    name = g_strdup_printf ("NanoTerasu %s", beamline);
  else
    name = g_strdup ("NanoTerasu run plan");

  text = nt_ics_build_calendar (name, ics, events->len, &error);
  if (text == NULL)
    {
      set_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "calendar", NULL, "Cannot build the calendar: %s",
                 error->message);
      return;
    }
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "text/calendar; charset=utf-8", SOUP_MEMORY_TAKE, text, strlen (text));
}

static gboolean
resource_from_segment (const char *segment,
                       NtResource *resource)
{
  if (g_str_equal (segment, "run-plan"))
    *resource = NT_RESOURCE_PERIOD;
  else if (g_str_equal (segment, "allocations"))
    *resource = NT_RESOURCE_ALLOCATION;
  else if (g_str_equal (segment, "members"))
    *resource = NT_RESOURCE_MEMBER;
  else if (g_str_equal (segment, "proposals"))
    *resource = NT_RESOURCE_PROPOSAL;
  else
    return FALSE;
  return TRUE;
}

static void
method_not_allowed (SoupServerMessage *msg,
                    const char        *allow)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", allow);
  set_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed", NULL, "Allowed: %s", allow);
}

static void
handle_collection (NtScheduleService *self,
                   SoupServerMessage *msg,
                   const char        *method,
                   GHashTable        *query,
                   const Caller      *caller,
                   NtResource         resource,
                   const char        *segment)
{
  g_autoptr(NtScheduleFault) fault = NULL;

  if (g_str_equal (method, "GET"))
    {
      NtScheduleQuery q = { 0 };
      char *text;

      if (!query_range (msg, query, &q))
        return;
      if (query != NULL)
        {
          q.station = g_hash_table_lookup (query, "station");
          q.beamline = g_hash_table_lookup (query, "beamline");
          q.slot = g_hash_table_lookup (query, "slot");
        }
      text = nt_schedule_store_list_text (self->store, resource, &q, &fault);
      if (text == NULL)
        set_fault (msg, fault);
      else
        {
          soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
          gsize len = strlen (text);

          soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text, len);
        }
    }
  else if (g_str_equal (method, "POST"))
    {
      NtScheduleActor actor = { caller->name, caller->role };
      g_autoptr(JsonNode) body = NULL;
      g_autoptr(JsonNode) created = NULL;
      g_autofree char *location = NULL;
      g_autofree char *escaped = NULL;
      JsonObject *o;

      if (!may_write (caller->role, resource))
        {
          set_error (msg, SOUP_STATUS_FORBIDDEN, "forbidden", NULL, "The role %s may not edit %ss",
                     nt_role_to_string (caller->role), nt_resource_to_string (resource));
          return;
        }
      if ((body = parse_body (self, msg)) == NULL)
        return;
      created = nt_schedule_store_create (self->store, resource, body, &actor, &fault);
      if (created == NULL)
        {
          set_fault (msg, fault);
          return;
        }
      o = json_node_get_object (created);
      if (resource == NT_RESOURCE_PROPOSAL)
        escaped = g_uri_escape_string (json_object_get_string_member (o, "id"), NULL, FALSE);
      else
        escaped = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (o, "id"));
      location = g_strdup_printf (API_PREFIX "/%s/%s", segment, escaped);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Location", location);
      set_object (msg, SOUP_STATUS_CREATED, created);
    }
  else
    method_not_allowed (msg, "GET, POST");
}

static void
handle_item (NtScheduleService *self,
             SoupServerMessage *msg,
             const char        *method,
             const Caller      *caller,
             NtResource         resource,
             const char        *id)
{
  g_autoptr(NtScheduleFault) fault = NULL;
  NtScheduleActor actor = { caller->name, caller->role };
  const char *if_match = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                       "If-Match");

  if (g_str_equal (method, "GET"))
    {
      g_autoptr(JsonNode) object = nt_schedule_store_get (self->store, resource, id, &fault);

      if (object == NULL)
        set_fault (msg, fault);
      else
        set_object (msg, SOUP_STATUS_OK, object);
      return;
    }

  if (!g_str_equal (method, "PATCH") && !g_str_equal (method, "DELETE"))
    {
      method_not_allowed (msg, "GET, PATCH, DELETE");
      return;
    }
  if (!may_write (caller->role, resource))
    {
      set_error (msg, SOUP_STATUS_FORBIDDEN, "forbidden", NULL, "The role %s may not edit %ss",
                 nt_role_to_string (caller->role), nt_resource_to_string (resource));
      return;
    }

  if (g_str_equal (method, "PATCH"))
    {
      g_autoptr(JsonNode) body = NULL;
      g_autoptr(JsonNode) updated = NULL;

      if ((body = parse_body (self, msg)) == NULL)
        return;
      updated = nt_schedule_store_update (self->store, resource, id, if_match, body, &actor, &fault);
      if (updated == NULL)
        set_fault (msg, fault);
      else
        set_object (msg, SOUP_STATUS_OK, updated);
    }
  else
    {
      if (!nt_schedule_store_delete (self->store, resource, id, if_match, &actor, &fault))
        set_fault (msg, fault);
      else
        soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
    }
}

static void
handle_api_cb (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  NtScheduleService *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  g_auto(Caller) caller = { 0 };
  g_auto(GStrv) parts = NULL;
  const char *rest;
  guint n;
  NtResource resource;

  if (!g_str_has_prefix (path, API_PREFIX "/"))
    {
      set_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", NULL, "No such resource");
      return;
    }
  rest = path + strlen (API_PREFIX "/");
  parts = g_strsplit (rest, "/", -1);
  n = g_strv_length (parts);
  if (n > 0 && *parts[n - 1] == '\0')
    {
      g_free (parts[n - 1]);
      parts[--n] = NULL;
    }
  if (n == 0)
    {
      set_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", NULL, "No such resource");
      return;
    }

  /* The change feed: authenticate here; the WebSocket handler takes over
   * when no status is set. */
  if (n == 1 && g_str_equal (parts[0], "changes"))
    {
      const char *since = query != NULL ? g_hash_table_lookup (query, "since") : NULL;
      char *end = NULL;

      if (!authenticate (self, msg, query, TRUE, &caller))
        return;
      if (since != NULL && (g_ascii_strtoll (since, &end, 10) < 0 || end == since || *end != '\0'))
        set_error (msg, 422, "invalid", field_details ("since"), "“since” must be a revision (0 or more)");
      return;
    }

  if (n == 1 && g_str_equal (parts[0], "calendar.ics"))
    {
      if (!authenticate (self, msg, query, TRUE, &caller))
        return;
      if (!g_str_equal (method, "GET"))
        method_not_allowed (msg, "GET");
      else
        handle_calendar (self, msg, query);
      return;
    }

  if (!authenticate (self, msg, query, FALSE, &caller))
    return;

  /* Who the token belongs to and its role, so a console shows only the
   * editing it may do (the service still checks every write). */
  if (n == 1 && g_str_equal (parts[0], "whoami"))
    {
      g_autoptr(JsonBuilder) builder = NULL;
      g_autoptr(JsonNode) node = NULL;

      if (!g_str_equal (method, "GET"))
        {
          method_not_allowed (msg, "GET");
          return;
        }
      builder = json_builder_new ();
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, caller.name != NULL ? caller.name : "");
      json_builder_set_member_name (builder, "role");
      json_builder_add_string_value (builder, nt_role_to_string (caller.role));
      json_builder_end_object (builder);
      node = json_builder_get_root (builder);
      set_json (msg, SOUP_STATUS_OK, node);
      return;
    }

  if (n == 1 && resource_from_segment (parts[0], &resource))
    {
      handle_collection (self, msg, method, query, &caller, resource, parts[0]);
      return;
    }
  if (n == 2 && resource_from_segment (parts[0], &resource))
    {
      handle_item (self, msg, method, &caller, resource, parts[1]);
      return;
    }

  if (n == 1 && g_str_equal (parts[0], "settings"))
    {
      g_autoptr(NtScheduleFault) fault = NULL;
      g_autoptr(JsonNode) node = NULL;

      if (g_str_equal (method, "GET"))
        node = nt_schedule_store_get_settings (self->store);
      else if (g_str_equal (method, "PATCH"))
        {
          NtScheduleActor actor = { caller.name, caller.role };
          g_autoptr(JsonNode) body = NULL;

          if (caller.role != NT_ROLE_ADMIN)
            {
              set_error (msg, SOUP_STATUS_FORBIDDEN, "forbidden", NULL, "Only an admin may change the settings");
              return;
            }
          if ((body = parse_body (self, msg)) == NULL)
            return;
          node = nt_schedule_store_update_settings (self->store,
                                                    soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                                                  "If-Match"),
                                                    body, &actor, &fault);
        }
      else
        {
          method_not_allowed (msg, "GET, PATCH");
          return;
        }
      if (node == NULL)
        set_fault (msg, fault);
      else
        set_object (msg, SOUP_STATUS_OK, node);
      return;
    }

  if (n == 1 && !g_str_equal (method, "GET"))
    {
      if (g_str_equal (parts[0], "beamlines") || g_str_equal (parts[0], "summary") ||
          g_str_equal (parts[0], "audit") || g_str_equal (parts[0], "terms"))
        {
          method_not_allowed (msg, "GET");
          return;
        }
    }

  if (n == 1 && g_str_equal (parts[0], "beamlines"))
    {
      g_autoptr(JsonNode) node = beamlines_json (self);
      set_json (msg, SOUP_STATUS_OK, node);
    }
  else if (n == 1 && g_str_equal (parts[0], "terms"))
    {
      g_autoptr(JsonNode) node = NULL;
      int fy;

      if (!query_fiscal_year (self, msg, query, &fy))
        return;
      node = terms_json (self, fy);
      set_json (msg, SOUP_STATUS_OK, node);
    }
  else if (n == 1 && g_str_equal (parts[0], "summary"))
    {
      g_autoptr(NtScheduleFault) fault = NULL;
      g_autoptr(JsonNode) node = NULL;
      int fy;

      if (!query_fiscal_year (self, msg, query, &fy))
        return;
      node = nt_schedule_store_summary (self->store, fy, &fault);
      if (node == NULL)
        set_fault (msg, fault);
      else
        set_json (msg, SOUP_STATUS_OK, node);
    }
  else if (n == 1 && g_str_equal (parts[0], "audit"))
    {
      g_autoptr(NtScheduleFault) fault = NULL;
      g_autoptr(JsonNode) node = NULL;
      NtScheduleQuery q = { 0 };

      if (!query_range (msg, query, &q))
        return;
      node = nt_schedule_store_audit (self->store, &q, &fault);
      if (node == NULL)
        set_fault (msg, fault);
      else
        set_json (msg, SOUP_STATUS_OK, node);
    }
  else
    set_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", NULL, "No such resource: %s", path);
}

/* Bodies beyond the limit are refused before they are read. */
static void
early_cb (SoupServer        *server,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  NtScheduleService *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > (goffset) self->max_body)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
      set_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large", NULL,
                 "The body is larger than %" G_GSIZE_FORMAT " bytes", self->max_body);
    }
}

/* Change feed */

static void
client_closed_cb (SoupWebsocketConnection *conn,
                  gpointer                 user_data)
{
  NtScheduleService *self = user_data;

  g_ptr_array_remove (self->clients, conn);
}

static void
send_message (SoupWebsocketConnection *conn,
              JsonNode                *message)
{
  g_autofree char *text = json_to_string (message, FALSE);

  if (soup_websocket_connection_get_state (conn) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_send_text (conn, text);
}

static void
websocket_cb (SoupServer              *server,
              SoupServerMessage       *msg,
              const char              *path,
              SoupWebsocketConnection *conn,
              gpointer                 user_data)
{
  NtScheduleService *self = user_data;
  GUri *uri = soup_server_message_get_uri (msg);
  const char *query = g_uri_get_query (uri);
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(GPtrArray) backlog = NULL;
  gint64 since = -1;

  if (query != NULL)
    params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL);
  if (params != NULL && g_hash_table_lookup (params, "since") != NULL)
    since = g_ascii_strtoll (g_hash_table_lookup (params, "since"), NULL, 10);

  /* Without since, the feed starts now; with it, everything after it
   * first (all on this thread, so nothing slips in between). */
  if (since >= 0)
    {
      backlog = nt_schedule_store_changes_since (self->store, since, 0);
      for (guint i = 0; i < backlog->len; i++)
        send_message (conn, g_ptr_array_index (backlog, i));
    }

  g_ptr_array_add (self->clients, g_object_ref (conn));
  g_signal_connect_object (conn, "closed", G_CALLBACK (client_closed_cb), self, 0);
}

static void
store_changed_cb (NtScheduleStore *store,
                  JsonNode        *message,
                  gpointer         user_data)
{
  NtScheduleService *self = user_data;
  g_autofree char *text = NULL;

  if (self->clients->len == 0)
    return;
  text = json_to_string (message, FALSE);
  for (guint i = 0; i < self->clients->len; i++)
    {
      SoupWebsocketConnection *conn = g_ptr_array_index (self->clients, i);

      if (soup_websocket_connection_get_state (conn) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_send_text (conn, text);
    }
}

static void
store_plan_changed_cb (NtScheduleStore *store,
                       GArray          *plan,
                       gpointer         user_data)
{
  g_signal_emit (user_data, signals[SIGNAL_PLAN_CHANGED], 0, plan);
}

/* GObject */

static void
nt_schedule_service_dispose (GObject *object)
{
  NtScheduleService *self = (NtScheduleService *)object;

  nt_schedule_service_shutdown (self);
  if (self->server != NULL)
    {
      soup_server_remove_handler (self->server, API_PREFIX);
      soup_server_remove_handler (self->server, API_PREFIX "/changes");
      g_clear_object (&self->server);
    }
  if (self->store != NULL)
    {
      g_clear_signal_handler (&self->changed_id, self->store);
      g_clear_signal_handler (&self->plan_id, self->store);
    }
  g_clear_object (&self->store);

  G_OBJECT_CLASS (nt_schedule_service_parent_class)->dispose (object);
}

static void
nt_schedule_service_finalize (GObject *object)
{
  NtScheduleService *self = (NtScheduleService *)object;

  g_clear_pointer (&self->clients, g_ptr_array_unref);
  if (self->local_token != NULL)
    {
      memset (self->local_token, 0, strlen (self->local_token));
      g_clear_pointer (&self->local_token, g_free);
    }

  G_OBJECT_CLASS (nt_schedule_service_parent_class)->finalize (object);
}

static void
nt_schedule_service_class_init (NtScheduleServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = nt_schedule_service_dispose;
  object_class->finalize = nt_schedule_service_finalize;

  /**
   * NtScheduleService::plan-changed:
   * @plan: (type GArray): the whole run plan, sorted NtPeriodSpan
   *
   * Emitted after a committed change of the run plan.
   */
  signals[SIGNAL_PLAN_CHANGED] =
    g_signal_new ("plan-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ARRAY | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
nt_schedule_service_init (NtScheduleService *self)
{
  self->clients = g_ptr_array_new_with_free_func (g_object_unref);
  self->max_body = NT_SCHEDULE_DEFAULT_MAX_BODY;
}

/* Public API */

NtScheduleService *
nt_schedule_service_new (NtDb    *db,
                         GError **error)
{
  g_autoptr(NtScheduleService) self = NULL;
  g_autoptr(NtCatalogue) catalogue = NULL;

  g_return_val_if_fail (NT_IS_DB (db), NULL);

  catalogue = nt_catalogue_new_default (error);
  if (catalogue == NULL)
    return NULL;

  self = g_object_new (NT_TYPE_SCHEDULE_SERVICE, NULL);
  self->store = nt_schedule_store_new (db, catalogue, error);
  if (self->store == NULL)
    return NULL;
  self->changed_id = g_signal_connect (self->store, "changed", G_CALLBACK (store_changed_cb), self);
  self->plan_id = g_signal_connect (self->store, "plan-changed", G_CALLBACK (store_plan_changed_cb), self);
  return g_steal_pointer (&self);
}

NtScheduleStore *
nt_schedule_service_get_store (NtScheduleService *self)
{
  g_return_val_if_fail (NT_IS_SCHEDULE_SERVICE (self), NULL);
  return self->store;
}

gboolean
nt_schedule_service_seed_demo (NtScheduleService  *self,
                               int                 fiscal_year,
                               GError            **error)
{
  g_return_val_if_fail (NT_IS_SCHEDULE_SERVICE (self), FALSE);
  return nt_schedule_store_seed_demo (self->store, fiscal_year, error);
}

void
nt_schedule_service_attach (NtScheduleService *self,
                            SoupServer        *server)
{
  g_return_if_fail (NT_IS_SCHEDULE_SERVICE (self));
  g_return_if_fail (SOUP_IS_SERVER (server));
  g_return_if_fail (self->server == NULL);

  self->server = g_object_ref (server);
  soup_server_add_early_handler (server, API_PREFIX, early_cb, self, NULL);
  soup_server_add_handler (server, API_PREFIX, handle_api_cb, self, NULL);
  soup_server_add_handler (server, API_PREFIX "/changes", handle_api_cb, self, NULL);
  soup_server_add_websocket_handler (server, API_PREFIX "/changes", NULL, NULL, websocket_cb, self, NULL);
}

void
nt_schedule_service_set_max_body_size (NtScheduleService *self,
                                       gsize              max_bytes)
{
  g_return_if_fail (NT_IS_SCHEDULE_SERVICE (self));
  self->max_body = max_bytes;
}

const char *
nt_schedule_service_get_local_token (NtScheduleService  *self,
                                     GError            **error)
{
  NtDb *db;

  g_return_val_if_fail (NT_IS_SCHEDULE_SERVICE (self), NULL);

  if (self->local_token != NULL)
    return self->local_token;

  db = nt_schedule_store_get_db (self->store);
  nt_auth_token_revoke (db, LOCAL_TOKEN_NAME, NULL, NULL);
  self->local_token = nt_auth_token_create (db, NT_ROLE_ADMIN, LOCAL_TOKEN_NAME, error);
  return self->local_token;
}

GArray *
nt_schedule_service_dup_plan (NtScheduleService *self)
{
  g_return_val_if_fail (NT_IS_SCHEDULE_SERVICE (self), NULL);
  return nt_schedule_store_dup_plan (self->store);
}

guint
nt_schedule_service_get_n_feed_clients (NtScheduleService *self)
{
  g_return_val_if_fail (NT_IS_SCHEDULE_SERVICE (self), 0);
  return self->clients->len;
}

void
nt_schedule_service_shutdown (NtScheduleService *self)
{
  g_autoptr(GPtrArray) clients = NULL;

  g_return_if_fail (NT_IS_SCHEDULE_SERVICE (self));

  if (self->clients == NULL || self->clients->len == 0)
    return;
  clients = g_steal_pointer (&self->clients);
  self->clients = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < clients->len; i++)
    {
      SoupWebsocketConnection *conn = g_ptr_array_index (clients, i);

      g_signal_handlers_disconnect_by_data (conn, self);
      if (soup_websocket_connection_get_state (conn) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (conn, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "shutting down");
    }
}
