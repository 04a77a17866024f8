/* fuzz-service.c: the reference services' parsers of what clients send
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The services family; the first byte picks the parser ('A' + the index in
 * the table below), the rest is the request part as it came off the wire
 * (built with -DFUZZ_PARSER=N, one per-parser target: parser N and the
 * whole input, tests/fuzz/targets.txt).  Behind them is a real scheduling store
 * (SQLite in a temporary directory, the demo year seeded), so a body goes
 * all the way: parsed, checked against the rules, written, and rolled back
 * (the store stays as seeded).  Query strings are decoded as libsoup's
 * server decodes them and go through the same checks as the routes',
 * then (a range of a week at most) to the store's list queries and
 * calendar events; the statistics range is read as its route reads it.
 * A PVWS message is handled
 * as a client's without a socket, an archive query is read as the handler
 * reads it, and a token header is checked against the token table.
 */
#define G_LOG_DOMAIN "fuzz-service"

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "fuzz-common.h"
#include "nt-archive-service-private.h"
#include "nt-auth.h"
#include "nt-catalogue.h"
#include "nt-pvws-service-private.h"
#include "nt-ring-sim.h"
#include "nt-schedule-service-private.h"
#include "nt-schedule-store-private.h"

typedef enum
{
  PARSER_CREATE_PERIOD,
  PARSER_CREATE_ALLOCATION,
  PARSER_CREATE_MEMBER,
  PARSER_CREATE_PROPOSAL,
  PARSER_UPDATE_PERIOD,
  PARSER_UPDATE_ALLOCATION,
  PARSER_UPDATE_MEMBER,
  PARSER_UPDATE_PROPOSAL,
  PARSER_SETTINGS,
  PARSER_LIST_QUERY,      /* first byte: the collection */
  PARSER_FY_QUERY,
  PARSER_SINCE_QUERY,
  PARSER_AUDIT_QUERY,
  PARSER_PVWS,
  PARSER_ARCHIVE_QUERY,
  PARSER_TOKEN,
  PARSER_CALENDAR_QUERY,
  PARSER_STATISTICS_QUERY,
  N_PARSERS
} Parser;

#ifdef FUZZ_PARSER
G_STATIC_ASSERT (FUZZ_PARSER < N_PARSERS);
#endif

static struct
{
  char              *dir;
  NtDb              *db;
  NtScheduleService *service;
  NtScheduleStore   *store;
  NtRingSim         *sim;
  NtPvwsService     *pvws;
  NtArchiveService  *archive;
  char              *ids[4];    /* one seeded object of each resource */
} fz;

static const NtScheduleActor admin = { "fuzz", NT_ROLE_ADMIN };

static void
remove_dir (void)
{
  g_autoptr(GDir) d = g_dir_open (fz.dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (fz.dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (fz.dir);
}

static void
setup (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NtCatalogue) catalogue = NULL;
  g_autofree char *db_path = NULL;
  g_autoptr(NtClock) clock = nt_clock_new_fixed (FUZZ_NOW_US);

  fuzz_setup_once ();

  fz.dir = g_dir_make_tmp ("nt-fuzz-service-XXXXXX", &error);
  g_assert_no_error (error);
  atexit (remove_dir);
  db_path = g_build_filename (fz.dir, "facility.db", NULL);
  fz.db = nt_db_open (db_path, &error);
  g_assert_no_error (error);
  /* A scratch file: no fsync per settings commit (the target is parsing) */
  g_assert_true (nt_db_exec (fz.db, "PRAGMA synchronous=OFF", NULL));
  nt_db_set_clock (fz.db, clock);
  fz.service = nt_schedule_service_new (fz.db, &error);
  g_assert_no_error (error);
  nt_schedule_service_seed_demo (fz.service, 2026, &error);
  g_assert_no_error (error);
  fz.store = nt_schedule_service_get_store (fz.service);

  for (NtResource r = NT_RESOURCE_PERIOD; r <= NT_RESOURCE_PROPOSAL; r++)
    {
      g_autoptr(NtScheduleFault) fault = NULL;
      NtScheduleQuery q = { 0 };
      g_autoptr(JsonNode) list = nt_schedule_store_list (fz.store, r, &q, &fault);
      JsonArray *items = json_object_get_array_member (json_node_get_object (list), "items");
      JsonNode *id = json_object_get_member (json_array_get_object_element (items, 0), "id");

      fz.ids[r] = json_node_get_value_type (id) == G_TYPE_STRING
        ? g_strdup (json_node_get_string (id))
        : g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (id));
    }

  catalogue = nt_catalogue_new_default (&error);
  g_assert_no_error (error);
  fz.sim = nt_ring_sim_new (catalogue, 42, FUZZ_NOW_US / G_USEC_PER_SEC);
  fz.pvws = nt_pvws_service_new (nt_ring_sim_get_pvs (fz.sim));
  fz.archive = nt_archive_service_new (db_path);
  nt_archive_service_set_clock (fz.archive, clock);
}

/* A body's whole way into the store, rolled back. */
static void
write_body (NtResource  resource,
            gboolean    update,
            GBytes     *bytes)
{
  g_autoptr(NtScheduleFault) fault = NULL;
  g_autoptr(JsonNode) body = nt_schedule_service_parse_body (fz.service, bytes, &fault);
  g_autoptr(JsonNode) result = NULL;
  g_autofree char *etag = NULL;

  if (body == NULL)
    {
      g_assert_nonnull (fault);
      return;
    }
  if (update)
    {
      g_autoptr(NtScheduleFault) get_fault = NULL;
      g_autoptr(JsonNode) current = nt_schedule_store_get (fz.store, resource, fz.ids[resource], &get_fault);

      g_assert_nonnull (current);
      etag = g_strdup (json_object_get_string_member (json_node_get_object (current), "etag"));
    }
  g_assert_true (nt_schedule_store_begin (fz.store, &fault));
  if (update)
    result = nt_schedule_store_update_in_tx (fz.store, resource, fz.ids[resource], etag,
                                             json_node_get_object (body), &admin, &fault);
  else
    result = nt_schedule_store_create_in_tx (fz.store, resource, json_node_get_object (body), &admin, &fault);
  g_assert ((result == NULL) != (fault == NULL));
  if (fault != NULL)
    g_assert_cmpuint (fault->status, >=, 400);
  nt_schedule_store_rollback (fz.store);
}

/* A settings PATCH with the settings' own ETag: it commits when valid
 * (the settings are the store's, not seeded rows). */
static void
write_settings (GBytes *bytes)
{
  g_autoptr(NtScheduleFault) fault = NULL;
  g_autoptr(JsonNode) body = nt_schedule_service_parse_body (fz.service, bytes, &fault);
  g_autoptr(JsonNode) current = NULL;
  g_autoptr(JsonNode) result = NULL;

  if (body == NULL)
    return;
  current = nt_schedule_store_get_settings (fz.store);
  result = nt_schedule_store_update_settings (fz.store,
                                              json_object_get_string_member (json_node_get_object (current), "etag"),
                                              body, &admin, &fault);
  g_assert ((result == NULL) != (fault == NULL));
}

static GHashTable *
decode_query (const uint8_t *data,
              size_t         size)
{
  g_autofree char *text = fuzz_text (data, size);

  return soup_form_decode (text);
}

/* The store answers a range of at most a week: the seeded year is
 * thousands of rows, and what is fuzzed is the query, not JSON output. */
static gboolean
small_range (const NtScheduleQuery *q)
{
  return q->has_from && q->has_to && q->to - q->from <= 7 * 86400;
}

static void
list_query (NtResource  resource,
            GHashTable *query)
{
  g_autoptr(NtScheduleFault) fault = NULL;
  NtScheduleQuery q = { 0 };
  g_autofree char *text = NULL;

  if (!nt_schedule_service_query_range (query, &q, &fault))
    {
      g_assert_cmpuint (fault->status, ==, 422);
      return;
    }
  if (!small_range (&q))
    return;
  text = nt_schedule_store_list_text (fz.store, resource, &q, &fault);
  g_assert ((text == NULL) != (fault == NULL));
}

/* GET /calendar.ics's query; a range of a week at most then goes to the
 * store's calendar events (the route builds the iCalendar text from them). */
static void
calendar_query (GHashTable *query)
{
  g_autoptr(NtScheduleFault) fault = NULL;
  g_autoptr(GArray) events = NULL;
  const char *station = NULL, *beamline = NULL;
  gint64 from = -1, to = -1;

  if (!nt_schedule_service_query_calendar (query, &station, &beamline, &from, &to, &fault))
    {
      g_assert_cmpuint (fault->status, ==, 400);
      return;
    }
  g_assert_true (from == 0 || to == 0 || from < to);
  if (from == 0 || to == 0 || to - from > 7 * 86400)
    return;
  events = nt_schedule_store_calendar_events (fz.store, station, beamline, from, to, &fault);
  g_assert ((events == NULL) != (fault == NULL));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) rest = NULL;
  g_autoptr(GHashTable) query = NULL;
  g_autoptr(NtScheduleFault) fault = NULL;
  guint parser;

  if (fz.db == NULL)
    setup ();
  if (!fuzz_route (&data, &size, N_PARSERS, &parser))
    return 0;

  rest = g_bytes_new (data, size);

  switch ((Parser) parser)
    {
    case PARSER_CREATE_PERIOD:
    case PARSER_CREATE_ALLOCATION:
    case PARSER_CREATE_MEMBER:
    case PARSER_CREATE_PROPOSAL:
      write_body (NT_RESOURCE_PERIOD + (parser - PARSER_CREATE_PERIOD), FALSE, rest);
      break;

    case PARSER_UPDATE_PERIOD:
    case PARSER_UPDATE_ALLOCATION:
    case PARSER_UPDATE_MEMBER:
    case PARSER_UPDATE_PROPOSAL:
      write_body (NT_RESOURCE_PERIOD + (parser - PARSER_UPDATE_PERIOD), TRUE, rest);
      break;

    case PARSER_SETTINGS:
      write_settings (rest);
      break;

    case PARSER_LIST_QUERY:
      if (size >= 1)
        {
          query = decode_query (data + 1, size - 1);
          list_query (NT_RESOURCE_PERIOD + data[0] % 4, query);
        }
      break;

    case PARSER_FY_QUERY:
      {
        int fy = 0;

        query = decode_query (data, size);
        if (nt_schedule_service_query_fiscal_year (fz.service, query, &fy, &fault))
          g_assert_true (fy >= 2000 && fy <= 2100);
      }
      break;

    case PARSER_SINCE_QUERY:
      {
        gint64 since = -1;

        query = decode_query (data, size);
        if (nt_schedule_service_query_since (query, &since, &fault))
          {
            g_autoptr(GPtrArray) changes = NULL;

            g_assert_cmpint (since, >=, 0);
            /* The revision read goes into the store's query; one row of
             * the backlog is enough to show it bound (each row is a JSON
             * parse, and sixteen made this target 0.9 k exec/s) */
            changes = nt_schedule_store_changes_since (fz.store, since, 1);
            g_assert_cmpuint (changes->len, <=, 1);
          }
      }
      break;

    case PARSER_AUDIT_QUERY:
      {
        NtScheduleQuery q = { 0 };

        /* Parsed only: the seed wrote its thousands of audit rows at one
         * instant, so any range around it is the whole log (the list
         * queries run the same range checks into the store). */
        query = decode_query (data, size);
        if (nt_schedule_service_query_range (query, &q, &fault))
          g_assert_true (!q.has_from || !q.has_to || q.from <= q.to);
        else
          g_assert_cmpuint (fault->status, ==, 422);
      }
      break;

    case PARSER_PVWS:
      nt_pvws_service_handle_detached_message (fz.pvws, (const char *) data, size);
      break;

    case PARSER_ARCHIVE_QUERY:
      {
        g_autofree char *message = NULL;
        const char *code = NULL;
        gint64 from_us, to_us;

        query = decode_query (data, size);
        if (nt_archive_service_check_query (fz.archive, query, &from_us, &to_us, &code, &message))
          g_assert_cmpint (from_us, <=, to_us);
        else
          g_assert_true (code != NULL && message != NULL);
      }
      break;

    case PARSER_TOKEN:
      {
        g_autofree char *header = fuzz_text (data, size);
        g_autofree char *name = NULL;
        const char *token;
        NtRole role;

        query = soup_form_decode ("token=nt_0123");
        token = nt_schedule_service_bearer_token (header, query, TRUE);
        if (nt_auth_verify (fz.db, token, &role, &name))
          g_assert_nonnull (name);
      }
      break;

    case PARSER_CALENDAR_QUERY:
      query = decode_query (data, size);
      calendar_query (query);
      break;

    case PARSER_STATISTICS_QUERY:
      {
        gint64 from = 0, to = 0;

        query = decode_query (data, size);
        if (nt_schedule_service_query_statistics (query, &from, &to, &fault))
          g_assert_true (from < to && to - from <= (gint64) NT_STATS_MAX_SPAN_DAYS * 86400);
        else
          g_assert_cmpuint (fault->status, ==, 400);
      }
      break;

    case N_PARSERS:
    default:
      g_assert_not_reached ();
    }
  return 0;
}
