/* fuzz-client.c: the console's parsers of what the services send
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The client family; the first byte picks the parser ('A' + the index in
 * the table below), the rest is the message or the body as it came off the
 * wire (built with -DFUZZ_PARSER=N, one per-parser target: parser N and the
 * whole input, tests/fuzz/targets.txt): a PVWS message (the PV client's whole
 * message path, its records subscribed), an Archiver Appliance
 * getData.json reply (raw and binned), the facility profile, and every
 * reply body of the scheduling API: one period, allocation, member or
 * proposal, a list of each, the summary, a change-feed event, an error
 * body (its status from the byte before it, a 412 with its "current"),
 * a statistics reply, and the /whoami answer (its role).
 */
#define G_LOG_DOMAIN "fuzz-client"

#include "config.h"

#include <json-glib/json-glib.h>

#include "fuzz-common.h"
#include "nt-archive-client-private.h"
#include "nt-facility-profile.h"
#include "nt-pv-client-private.h"
#include "nt-statistics-client.h"
#include "fuzz-client-schedule.h"

static NtPvClient *pv_client;

/* The PVs the console subscribes to (as the profile of the reference
 * services names them), so that updates reach records. */
static const char * const subscribed[] = {
  "SR:DCCT:CURRENT", "SR:DCCT:LIFETIME", "SR:OPS:MODE", "SR:INJ:TOPUP-COUNTDOWN", "SR:INJ:INJECTING",
  "SR:OPS:FILL-PATTERN", "SR:OPS:ENERGY", "BL02U:FE:SHUTTER", "BL02U:MBS:SHUTTER", "BL02U:ES:STATE",
  "BL02U:MONO:ENERGY", "BL08W-XAFS:ES:STATE", "BL08W-XAFS:MONO:ENERGY",
};

typedef enum
{
  PARSER_PVWS,
  PARSER_ARCHIVE_RAW,
  PARSER_ARCHIVE_BINNED,
  PARSER_PROFILE,
  PARSER_PERIOD,
  PARSER_ALLOCATION,
  PARSER_MEMBER,
  PARSER_PROPOSAL,
  PARSER_PERIODS,
  PARSER_ALLOCATIONS,
  PARSER_MEMBERS,
  PARSER_PROPOSALS,
  PARSER_SUMMARY,
  PARSER_CHANGE,
  PARSER_FAILURE,
  PARSER_STATISTICS,
  PARSER_WHOAMI,
  N_PARSERS
} Parser;

#ifdef FUZZ_PARSER
G_STATIC_ASSERT (FUZZ_PARSER < N_PARSERS);
#endif

static void
setup (void)
{
  fuzz_setup_once ();
  pv_client = nt_pv_client_new ("ws://127.0.0.1:1/pvws/pv");
  for (guint i = 0; i < G_N_ELEMENTS (subscribed); i++)
    nt_pv_client_subscribe (pv_client, subscribed[i]);
  fuzz_schedule_setup ();
}

static void
parse_profile (GBytes *body)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NtFacilityProfile) profile = nt_facility_profile_new_from_bytes (body, "http://127.0.0.1:8080", &error);
  g_auto(GStrv) keys = NULL;
  g_autofree char *live = NULL;
  g_autofree char *history = NULL;
  gint64 now_us;
  double scale;

  if (profile == NULL)
    {
      g_assert_nonnull (error);
      return;
    }
  keys = nt_facility_profile_dup_keys (profile);
  for (guint i = 0; keys[i] != NULL; i++)
    g_assert_nonnull (nt_facility_profile_lookup (profile, keys[i]));
  (void) nt_facility_profile_lookup (profile, "bl.BL02U.state");
  live = nt_facility_profile_dup_live_uri (profile);
  history = nt_facility_profile_dup_history_uri (profile);
  (void) nt_facility_profile_get_clock (profile, &now_us, &scale);
}

/* A GET /api/v1/statistics answer as the worker thread reads it, and
 * read back as the statistics view does. */
static void
parse_statistics (GBytes *body)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NtStatistics) stats = nt_statistics_parse (body, &error);

  if (stats == NULL)
    {
      g_assert_nonnull (error);
      return;
    }
  g_assert_no_error (error);
  g_assert_cmpint (stats->from, <, stats->to);
  g_assert_cmpint (stats->complete_to, >=, stats->from);
  g_assert_cmpint (stats->complete_to, <=, stats->to);
  for (guint i = 0; i < stats->faults->len; i++)
    {
      const NtStatisticsFault *f = &g_array_index (stats->faults, NtStatisticsFault, i);

      g_assert_nonnull (f->mode);
      g_assert_nonnull (f->message);
    }
  for (guint i = 0; i < stats->days->len; i++)
    g_assert_cmpuint (strlen (g_array_index (stats->days, NtStatisticsDay, i).date), ==, 10);
  for (guint i = 0; i < stats->beamlines->len; i++)
    g_assert_nonnull (g_array_index (stats->beamlines, NtStatisticsBeamline, i).beamline);
  (void) nt_statistics_is_live (stats);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  guint parser;

  if (pv_client == NULL)
    setup ();
  if (!fuzz_route (&data, &size, N_PARSERS, &parser))
    return 0;

  body = g_bytes_new (data, size);

  switch ((Parser) parser)
    {
    case PARSER_PVWS:
      nt_pv_client_handle_message (pv_client, (const char *) data, size);
      nt_pv_client_flush_updates (pv_client);
      break;

    case PARSER_ARCHIVE_RAW:
    case PARSER_ARCHIVE_BINNED:
      {
        gssize n = nt_archive_client_parse_reply (body, parser == PARSER_ARCHIVE_BINNED ? 60 : 0, &error);

        g_assert ((n < 0) == (error != NULL));
      }
      break;

    case PARSER_PROFILE:
      parse_profile (body);
      break;

    case PARSER_PERIOD:
    case PARSER_ALLOCATION:
    case PARSER_MEMBER:
    case PARSER_PROPOSAL:
      fuzz_schedule_object (parser - PARSER_PERIOD, body);
      break;

    case PARSER_PERIODS:
    case PARSER_ALLOCATIONS:
    case PARSER_MEMBERS:
    case PARSER_PROPOSALS:
      fuzz_schedule_list (parser - PARSER_PERIODS, body);
      break;

    case PARSER_SUMMARY:
      fuzz_schedule_json (body);
      break;

    case PARSER_CHANGE:
      fuzz_schedule_change (data, size);
      break;

    case PARSER_FAILURE:
      if (size >= 1)
        fuzz_schedule_failure (data[0], data + 1, size - 1);
      break;

    case PARSER_STATISTICS:
      parse_statistics (body);
      break;

    case PARSER_WHOAMI:
      fuzz_schedule_whoami (body);
      break;

    case N_PARSERS:
    default:
      g_assert_not_reached ();
    }
  return 0;
}
