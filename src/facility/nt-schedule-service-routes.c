/* nt-schedule-service-routes.c: the scheduling REST API's routes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a request under /api/v1 gets: the token checked, the path split
 * into segments, then one route: a named one from the table below
 * (beamlines, terms, summary, audit, settings, whoami, calendar.ics,
 * statistics, and the change feed's authentication), or a collection of the store
 * (run-plan, allocations, members, proposals) and its items.  The error
 * bodies are {"error":{"code","message","details"}} (nt-facility-http.h).
 */
#define G_LOG_DOMAIN "nt-schedule-service"

#include "config.h"

#include <string.h>

#include "nt-auth.h"
#include "nt-facility-http.h"
#include "nt-ics.h"
#include "nt-schedule-service-private.h"
#include "nt-time.h"
#include "nt-model-json.h"

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
  nt_facility_http_set_json (msg, status, json_node_ref (node));
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

/* The store's answer: @object with 200 (and its ETag when it has one), or
 * @fault when it is NULL. */
static void
reply (SoupServerMessage *msg,
       JsonNode          *object,
       NtScheduleFault   *fault)
{
  if (object == NULL)
    set_fault (msg, fault);
  else
    set_object (msg, SOUP_STATUS_OK, object);
}

static void
body_too_large (NtScheduleService *self,
                SoupServerMessage *msg)
{
  nt_facility_http_set_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large", NULL,
                              "The body is larger than %" G_GSIZE_FORMAT " bytes", self->max_body);
}

static void
method_not_allowed (SoupServerMessage *msg,
                    const char        *allow)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", allow);
  nt_facility_http_set_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed", NULL, "Allowed: %s", allow);
}

/* Requests */

static const char *
if_match_header (SoupServerMessage *msg)
{
  return soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "If-Match");
}

/* The token of "Authorization: Bearer TOKEN", else (where allowed) of
 * ?token=; NULL when there is none. */
const char *
nt_schedule_service_bearer_token (const char *authorization,
                                  GHashTable *query,
                                  gboolean    allow_query)
{
  if (authorization != NULL && g_ascii_strncasecmp (authorization, "Bearer ", 7) == 0)
    return authorization + 7;
  if (allow_query && query != NULL)
    return g_hash_table_lookup (query, "token");
  return NULL;
}

static const char *
bearer_token (SoupServerMessage *msg,
              GHashTable        *query,
              gboolean           allow_query)
{
  return nt_schedule_service_bearer_token (soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                                          "Authorization"),
                                           query, allow_query);
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
      nt_facility_http_set_error (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized", NULL,
                                  "Send a token: Authorization: Bearer TOKEN");
      return FALSE;
    }
  if (!nt_auth_verify (nt_schedule_store_get_db (self->store), token, &caller->role, &caller->name))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "WWW-Authenticate", "Bearer realm=\"nanoterasu\", error=\"invalid_token\"");
      nt_facility_http_set_error (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized", NULL,
                                  "The token is unknown or revoked");
      return FALSE;
    }
  return TRUE;
}

/* Whether @caller may edit @resource; says why not when not. */
static gboolean
check_may_write (SoupServerMessage *msg,
                 const Caller      *caller,
                 NtResource         resource)
{
  gboolean allowed;

  switch (caller->role)
    {
    case NT_ROLE_ADMIN:
      allowed = TRUE;
      break;
    case NT_ROLE_OPERATOR:
      allowed = resource == NT_RESOURCE_PERIOD;
      break;
    case NT_ROLE_OFFICE:
      allowed = resource != NT_RESOURCE_PERIOD;
      break;
    case NT_ROLE_VIEWER:
    default:
      allowed = FALSE;
      break;
    }
  if (!allowed)
    nt_facility_http_set_error (msg, SOUP_STATUS_FORBIDDEN, "forbidden", NULL, "The role %s may not edit %ss",
                                nt_role_to_string (caller->role), nt_resource_to_string (resource));
  return allowed;
}

static gboolean
query_instant (GHashTable       *query,
               const char       *name,
               gint64           *out,
               gboolean         *has,
               NtScheduleFault **fault)
{
  const char *v = query != NULL ? g_hash_table_lookup (query, name) : NULL;

  *has = FALSE;
  if (v == NULL)
    return TRUE;
  if (!nt_time_parse_iso (v, out))
    {
      *fault = nt_schedule_fault_new (422, "invalid", field_details (name),
                                      "“%s” must be an instant YYYY-MM-DDTHH:MM:SSZ", name);
      return FALSE;
    }
  *has = TRUE;
  return TRUE;
}

/* from, to, and the filters (station, beamline, slot; borrowed from @query)
 * of a list or the audit. */
gboolean
nt_schedule_service_query_range (GHashTable       *query,
                                 NtScheduleQuery  *q,
                                 NtScheduleFault **fault)
{
  if (!query_instant (query, "from", &q->from, &q->has_from, fault) ||
      !query_instant (query, "to", &q->to, &q->has_to, fault))
    return FALSE;
  if (q->has_from && q->has_to && q->to < q->from)
    {
      *fault = nt_schedule_fault_new (422, "invalid", field_details ("to"), "“to” must not be before “from”");
      return FALSE;
    }
  if (query != NULL)
    {
      q->station = g_hash_table_lookup (query, "station");
      q->beamline = g_hash_table_lookup (query, "beamline");
      q->slot = g_hash_table_lookup (query, "slot");
    }
  return TRUE;
}

/* ?fy=, or the fiscal year of "now". */
gboolean
nt_schedule_service_query_fiscal_year (NtScheduleService  *self,
                                       GHashTable         *query,
                                       int                *fy,
                                       NtScheduleFault   **fault)
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
      *fault = nt_schedule_fault_new (422, "invalid", field_details ("fy"),
                                      "“fy” must be a fiscal year like 2026");
      return FALSE;
    }
  *fy = (int) n;
  return TRUE;
}

/* The change feed's ?since= (a revision), 0 when absent. */
gboolean
nt_schedule_service_query_since (GHashTable       *query,
                                 gint64           *since,
                                 NtScheduleFault **fault)
{
  const char *v = query != NULL ? g_hash_table_lookup (query, "since") : NULL;
  char *end = NULL;

  *since = 0;
  if (v == NULL)
    return TRUE;
  *since = g_ascii_strtoll (v, &end, 10);
  if (*since < 0 || end == v || *end != '\0')
    {
      *fault = nt_schedule_fault_new (422, "invalid", field_details ("since"),
                                      "“since” must be a revision (0 or more)");
      return FALSE;
    }
  return TRUE;
}

/* GET /calendar.ics's ?station= or ?beamline= (borrowed from @query, NULL
 * when absent) and ?from= and ?to= (0 when absent), from before to. */
gboolean
nt_schedule_service_query_calendar (GHashTable       *query,
                                    const char      **station,
                                    const char      **beamline,
                                    gint64           *from,
                                    gint64           *to,
                                    NtScheduleFault **fault)
{
  const char *from_str = query != NULL ? g_hash_table_lookup (query, "from") : NULL;
  const char *to_str = query != NULL ? g_hash_table_lookup (query, "to") : NULL;

  *station = query != NULL ? g_hash_table_lookup (query, "station") : NULL;
  *beamline = query != NULL ? g_hash_table_lookup (query, "beamline") : NULL;
  *from = *to = 0;
  if ((from_str != NULL && !nt_time_parse_iso (from_str, from)) ||
      (to_str != NULL && !nt_time_parse_iso (to_str, to)))
    {
      *fault = nt_schedule_fault_new (SOUP_STATUS_BAD_REQUEST, "malformed", NULL,
                                      "'from' and 'to' must be times like 2026-04-01T00:00:00Z");
      return FALSE;
    }
  if (*from != 0 && *to != 0 && *from >= *to)
    {
      *fault = nt_schedule_fault_new (SOUP_STATUS_BAD_REQUEST, "malformed", NULL, "'from' must be before 'to'");
      return FALSE;
    }
  return TRUE;
}

static gboolean
statistics_instant (GHashTable       *query,
                    const char       *name,
                    gint64           *out,
                    NtScheduleFault **fault)
{
  const char *v = query != NULL ? g_hash_table_lookup (query, name) : NULL;

  if (v == NULL)
    {
      *fault = nt_schedule_fault_new (SOUP_STATUS_BAD_REQUEST, "bad-range", field_details (name),
                                      "Give “from” and “to” as instants, for example "
                                      "?from=2026-04-01T00:00:00Z&to=2026-07-01T00:00:00Z (“%s” is missing)", name);
      return FALSE;
    }
  if (!nt_time_parse_iso (v, out))
    {
      *fault = nt_schedule_fault_new (SOUP_STATUS_BAD_REQUEST, "bad-range", field_details (name),
                                      "“%s” must be an instant like 2026-04-01T00:00:00Z, not “%s”", name, v);
      return FALSE;
    }
  return TRUE;
}

/* GET /statistics's ?from= and ?to=: both given, from before to, at most
 * NT_STATS_MAX_SPAN_DAYS apart. */
gboolean
nt_schedule_service_query_statistics (GHashTable       *query,
                                      gint64           *from,
                                      gint64           *to,
                                      NtScheduleFault **fault)
{
  if (!statistics_instant (query, "from", from, fault) ||
      !statistics_instant (query, "to", to, fault))
    return FALSE;
  if (*to <= *from)
    {
      *fault = nt_schedule_fault_new (SOUP_STATUS_BAD_REQUEST, "bad-range", field_details ("to"),
                                      "“to” must be after “from”");
      return FALSE;
    }
  if (*to - *from > (gint64) NT_STATS_MAX_SPAN_DAYS * 86400)
    {
      *fault = nt_schedule_fault_new (SOUP_STATUS_BAD_REQUEST, "bad-range", field_details ("to"),
                                      "The range may be at most 5 years (%d days); ask for a shorter one",
                                      NT_STATS_MAX_SPAN_DAYS);
      return FALSE;
    }
  return TRUE;
}

/* A request body: a JSON object (a copy), or NULL with @fault set. */
JsonNode *
nt_schedule_service_parse_body (NtScheduleService  *self,
                                GBytes             *bytes,
                                NtScheduleFault   **fault)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  if (g_bytes_get_size (bytes) > self->max_body)
    {
      *fault = nt_schedule_fault_new (SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large", NULL,
                                      "The body is larger than %" G_GSIZE_FORMAT " bytes", self->max_body);
      return NULL;
    }
  if (g_bytes_get_size (bytes) == 0)
    {
      *fault = nt_schedule_fault_new (SOUP_STATUS_BAD_REQUEST, "malformed", NULL,
                                      "The body is empty; send a JSON object");
      return NULL;
    }
  if (!g_utf8_validate (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL) ||
      !nt_json_load_one (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error))
    {
      *fault = nt_schedule_fault_new (SOUP_STATUS_BAD_REQUEST, "malformed", NULL, "The body is not JSON: %s",
                                      error != NULL ? error->message : "invalid UTF-8");
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      *fault = nt_schedule_fault_new (SOUP_STATUS_BAD_REQUEST, "malformed", NULL, "The body must be a JSON object");
      return NULL;
    }
  return json_node_copy (root);
}

static gboolean
query_range (SoupServerMessage *msg,
             GHashTable        *query,
             NtScheduleQuery   *q)
{
  g_autoptr(NtScheduleFault) fault = NULL;

  if (nt_schedule_service_query_range (query, q, &fault))
    return TRUE;
  set_fault (msg, fault);
  return FALSE;
}

static gboolean
query_fiscal_year (NtScheduleService *self,
                   SoupServerMessage *msg,
                   GHashTable        *query,
                   int               *fy)
{
  g_autoptr(NtScheduleFault) fault = NULL;

  if (nt_schedule_service_query_fiscal_year (self, query, fy, &fault))
    return TRUE;
  set_fault (msg, fault);
  return FALSE;
}

static JsonNode *
parse_body (NtScheduleService *self,
            SoupServerMessage *msg)
{
  g_autoptr(NtScheduleFault) fault = NULL;
  g_autoptr(GBytes) bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  JsonNode *body = nt_schedule_service_parse_body (self, bytes, &fault);

  if (body == NULL)
    set_fault (msg, fault);
  return body;
}

/* Routes */

/* {"items":ITEMS,"revision":N}; takes @items. */
static JsonNode *
list_json (NtScheduleService *self,
           JsonArray         *items)
{
  JsonObject *root = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_array_member (root, "items", items);
  json_object_set_int_member (root, "revision", nt_schedule_store_get_revision (self->store));
  json_node_take_object (node, root);
  return node;
}

static JsonNode *
beamlines_json (NtScheduleService *self)
{
  NtCatalogue *catalogue = nt_schedule_store_get_catalogue (self->store);
  GListModel *bls = nt_catalogue_get_beamlines (catalogue);
  JsonArray *items = json_array_new ();

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
  return list_json (self, items);
}

static JsonNode *
terms_json (NtScheduleService *self,
            int                fy)
{
  JsonArray *items = json_array_new ();

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
  return list_json (self, items);
}

/* GET /calendar.ics: the run plan, or the allocations of a station or a
 * beamline, as iCalendar. */
static void
route_calendar (NtScheduleService *self,
                SoupServerMessage *msg,
                GHashTable        *query,
                const Caller      *caller)
{
  g_autoptr(NtScheduleFault) fault = NULL;
  g_autoptr(GArray) events = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree NtIcsEvent *ics = NULL;
  g_autofree char *name = NULL;
  const char *station, *beamline;
  gint64 from, to;
  char *text;

  if (!nt_schedule_service_query_calendar (query, &station, &beamline, &from, &to, &fault))
    {
      set_fault (msg, fault);
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
      nt_facility_http_set_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "calendar", NULL,
                                  "Cannot build the calendar: %s", error->message);
      return;
    }
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "text/calendar; charset=utf-8", SOUP_MEMORY_TAKE, text, strlen (text));
}

/* The store's collections, by their first path segment. */
static const struct
{
  const char *segment;
  NtResource  resource;
} collections[] = {
  { "run-plan",    NT_RESOURCE_PERIOD },
  { "allocations", NT_RESOURCE_ALLOCATION },
  { "members",     NT_RESOURCE_MEMBER },
  { "proposals",   NT_RESOURCE_PROPOSAL },
};

static gboolean
resource_from_segment (const char *segment,
                       NtResource *resource)
{
  for (guint i = 0; i < G_N_ELEMENTS (collections); i++)
    if (g_str_equal (segment, collections[i].segment))
      {
        *resource = collections[i].resource;
        return TRUE;
      }
  return FALSE;
}

/* GET (a list, filtered by the query) or POST (a new one) on a collection. */
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
      text = nt_schedule_store_list_text (self->store, resource, &q, &fault);
      if (text == NULL)
        set_fault (msg, fault);
      else
        {
          soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
          soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text, strlen (text));
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

      if (!check_may_write (msg, caller, resource))
        return;
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
      location = g_strdup_printf (NT_SCHEDULE_API_PREFIX "/%s/%s", segment, escaped);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Location", location);
      set_object (msg, SOUP_STATUS_CREATED, created);
    }
  else
    method_not_allowed (msg, "GET, POST");
}

/* GET, PATCH (If-Match) or DELETE (If-Match) on one item of a collection. */
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
  const char *if_match = if_match_header (msg);

  if (g_str_equal (method, "GET"))
    {
      g_autoptr(JsonNode) object = nt_schedule_store_get (self->store, resource, id, &fault);

      reply (msg, object, fault);
      return;
    }

  if (!g_str_equal (method, "PATCH") && !g_str_equal (method, "DELETE"))
    {
      method_not_allowed (msg, "GET, PATCH, DELETE");
      return;
    }
  if (!check_may_write (msg, caller, resource))
    return;

  if (g_str_equal (method, "PATCH"))
    {
      g_autoptr(JsonNode) body = NULL;
      g_autoptr(JsonNode) updated = NULL;

      if ((body = parse_body (self, msg)) == NULL)
        return;
      updated = nt_schedule_store_update (self->store, resource, id, if_match, body, &actor, &fault);
      reply (msg, updated, fault);
    }
  else
    {
      if (!nt_schedule_store_delete (self->store, resource, id, if_match, &actor, &fault))
        set_fault (msg, fault);
      else
        soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
    }
}

/* The change feed: only its "since" is checked here; the WebSocket
 * handler takes over when no status is set. */
static void
route_changes (NtScheduleService *self,
               SoupServerMessage *msg,
               GHashTable        *query,
               const Caller      *caller)
{
  g_autoptr(NtScheduleFault) fault = NULL;
  gint64 since;

  if (!nt_schedule_service_query_since (query, &since, &fault))
    set_fault (msg, fault);
}

/* Who the token belongs to and its role, so a console shows only the
 * editing it may do (the service still checks every write). */
static void
route_whoami (NtScheduleService *self,
              SoupServerMessage *msg,
              GHashTable        *query,
              const Caller      *caller)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, caller->name != NULL ? caller->name : "");
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, nt_role_to_string (caller->role));
  json_builder_end_object (builder);
  nt_facility_http_set_json (msg, SOUP_STATUS_OK, json_builder_get_root (builder));
}

static void
route_beamlines (NtScheduleService *self,
                 SoupServerMessage *msg,
                 GHashTable        *query,
                 const Caller      *caller)
{
  nt_facility_http_set_json (msg, SOUP_STATUS_OK, beamlines_json (self));
}

static void
route_terms (NtScheduleService *self,
             SoupServerMessage *msg,
             GHashTable        *query,
             const Caller      *caller)
{
  int fy;

  if (query_fiscal_year (self, msg, query, &fy))
    nt_facility_http_set_json (msg, SOUP_STATUS_OK, terms_json (self, fy));
}

static void
route_summary (NtScheduleService *self,
               SoupServerMessage *msg,
               GHashTable        *query,
               const Caller      *caller)
{
  g_autoptr(NtScheduleFault) fault = NULL;
  g_autoptr(JsonNode) node = NULL;
  int fy;

  if (!query_fiscal_year (self, msg, query, &fy))
    return;
  node = nt_schedule_store_summary (self->store, fy, &fault);
  reply (msg, node, fault);
}

static void
route_audit (NtScheduleService *self,
             SoupServerMessage *msg,
             GHashTable        *query,
             const Caller      *caller)
{
  g_autoptr(NtScheduleFault) fault = NULL;
  g_autoptr(JsonNode) node = NULL;
  NtScheduleQuery q = { 0 };

  if (!query_range (msg, query, &q))
    return;
  node = nt_schedule_store_audit (self->store, &q, &fault);
  reply (msg, node, fault);
}

/* GET by anyone, PATCH (If-Match) by an admin. */
static void
route_settings (NtScheduleService *self,
                SoupServerMessage *msg,
                GHashTable        *query,
                const Caller      *caller)
{
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(NtScheduleFault) fault = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (g_str_equal (method, "GET"))
    node = nt_schedule_store_get_settings (self->store);
  else if (g_str_equal (method, "PATCH"))
    {
      NtScheduleActor actor = { caller->name, caller->role };
      g_autoptr(JsonNode) body = NULL;

      if (caller->role != NT_ROLE_ADMIN)
        {
          nt_facility_http_set_error (msg, SOUP_STATUS_FORBIDDEN, "forbidden", NULL,
                                      "Only an admin may change the settings");
          return;
        }
      if ((body = parse_body (self, msg)) == NULL)
        return;
      node = nt_schedule_store_update_settings (self->store, if_match_header (msg), body, &actor, &fault);
    }
  else
    {
      method_not_allowed (msg, "GET, PATCH");
      return;
    }
  reply (msg, node, fault);
}

/* Availability, faults, MTBF/MTTR and delivered hours over [from, to)
 * (nt-statistics-service.c does the work). */
static void
route_statistics (NtScheduleService *self,
                  SoupServerMessage *msg,
                  GHashTable        *query,
                  const Caller      *caller)
{
  g_autoptr(NtScheduleFault) fault = NULL;
  gint64 from, to;

  if (!nt_schedule_service_query_statistics (query, &from, &to, &fault))
    {
      set_fault (msg, fault);
      return;
    }
  if (self->statistics == NULL)
    {
      nt_facility_http_set_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "unavailable", NULL,
                                  "These services keep no archive to compute statistics from");
      return;
    }
  nt_statistics_service_handle (self->statistics, msg, from * G_USEC_PER_SEC, to * G_USEC_PER_SEC);
}

void
nt_schedule_service_set_statistics (NtScheduleService   *self,
                                    NtStatisticsService *statistics)
{
  g_return_if_fail (NT_IS_SCHEDULE_SERVICE (self));

  self->statistics = statistics;
}

typedef void (*RouteFunc) (NtScheduleService *self,
                           SoupServerMessage *msg,
                           GHashTable        *query,
                           const Caller      *caller);

/* The routes of one segment besides the store's collections. */
static const struct
{
  const char *segment;
  gboolean    token_in_query;  /* ?token= is accepted too (for calendar apps and WebSockets) */
  gboolean    get_only;        /* else the route checks the method */
  RouteFunc   func;
} routes[] = {
  { "changes",      TRUE,  FALSE, route_changes },
  { "calendar.ics", TRUE,  TRUE,  route_calendar },
  { "whoami",       FALSE, TRUE,  route_whoami },
  { "settings",     FALSE, FALSE, route_settings },
  { "beamlines",    FALSE, TRUE,  route_beamlines },
  { "terms",        FALSE, TRUE,  route_terms },
  { "summary",      FALSE, TRUE,  route_summary },
  { "audit",        FALSE, TRUE,  route_audit },
  { "statistics",   FALSE, TRUE,  route_statistics },
};

void
nt_schedule_service_handle_api (SoupServer        *server,
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
  int route = -1;

  if (!g_str_has_prefix (path, NT_SCHEDULE_API_PREFIX "/"))
    {
      nt_facility_http_set_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", NULL, "No such resource");
      return;
    }
  rest = path + strlen (NT_SCHEDULE_API_PREFIX "/");
  parts = g_strsplit (rest, "/", -1);
  n = g_strv_length (parts);
  if (n > 0 && *parts[n - 1] == '\0')
    {
      g_free (parts[n - 1]);
      parts[--n] = NULL;
    }
  if (n == 0)
    {
      nt_facility_http_set_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", NULL, "No such resource");
      return;
    }

  for (guint i = 0; n == 1 && i < G_N_ELEMENTS (routes); i++)
    if (g_str_equal (parts[0], routes[i].segment))
      route = i;

  if (!authenticate (self, msg, query, route >= 0 && routes[route].token_in_query, &caller))
    return;

  if (route >= 0)
    {
      if (routes[route].get_only && !g_str_equal (method, "GET"))
        method_not_allowed (msg, "GET");
      else
        routes[route].func (self, msg, query, &caller);
    }
  else if (n <= 2 && resource_from_segment (parts[0], &resource))
    {
      if (n == 1)
        handle_collection (self, msg, method, query, &caller, resource, parts[0]);
      else
        handle_item (self, msg, method, &caller, resource, parts[1]);
    }
  else
    nt_facility_http_set_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", NULL, "No such resource: %s", path);
}

GStrv
nt_schedule_service_dup_segments (gboolean collections_only)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < G_N_ELEMENTS (collections); i++)
    g_strv_builder_add (builder, collections[i].segment);
  for (guint i = 0; !collections_only && i < G_N_ELEMENTS (routes); i++)
    g_strv_builder_add (builder, routes[i].segment);
  return g_strv_builder_end (builder);
}

void
nt_schedule_service_handle_early (SoupServer        *server,
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
      body_too_large (self, msg);
    }
}
