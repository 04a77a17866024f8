/* bench-statistics.c: GET /api/v1/statistics for a fiscal year of the demo
 * facility, cold and from the cache of closed days, against 200 ms
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A facility at a fixed instant (2026-12-07 10:00 JST) fills a year and a
 * day of archive from the simulator (timed; the file's size printed), then
 * the statistics of FY2026 (1 April 2026 to 1 April 2027, JST: 250 days
 * closed, the rest to come) are computed in the calling thread as the
 * route's worker does: cold (the cache dropped) and cached, several times.
 *
 *   bench-statistics [--db FILE]   (an existing FILE skips most of the fill)
 */
#include "config.h"

#include <stdlib.h>
#include <glib/gstdio.h>

#include "nt-facility.h"
#include "nt-statistics-service.h"
#include "nt-time.h"

#define RUNS 5

static int
cmp_double (const void *a,
            const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
time_once (NtStatisticsService *stats,
           gint64               from,
           gint64               to,
           gboolean             cold,
           JsonNode           **keep)
{
  g_autoptr(GError) error = NULL;
  gint64 t0;
  JsonNode *node;

  if (cold)
    nt_statistics_service_drop_cache (stats);
  t0 = g_get_monotonic_time ();
  node = nt_statistics_service_compute (stats, from, to, &error);
  g_assert_no_error (error);
  if (keep != NULL)
    {
      g_clear_pointer (keep, json_node_unref);
      *keep = node;
    }
  else
    json_node_unref (node);
  return (g_get_monotonic_time () - t0) / 1000.0;
}

static void
report (const char *what,
        double     *ms,
        guint       n)
{
  qsort (ms, n, sizeof (double), cmp_double);
  g_print ("%-28s median %8.1f ms   min %8.1f   max %8.1f   (target 200 ms: %s)\n",
           what, ms[n / 2], ms[0], ms[n - 1], ms[n / 2] < 200 ? "met" : "NOT met");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db_arg = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *db_path = NULL;
  g_autoptr(NtClock) clock = NULL;
  g_autoptr(NtFacility) facility = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new ("- statistics of a year");
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_arg, "Use (and keep) this database", "FILE" },
    { NULL }
  };
  NtFacilityOptions options = { 0 };
  NtStatisticsService *stats;
  gint64 now = nt_time_from_local (2026, 12, 7, 10, 0);
  gint64 from, to, t0;
  guint done = 0, days = 0;
  double cold[RUNS], warm[RUNS];
  GStatBuf st;
  JsonObject *o;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  nt_time_fiscal_year_bounds (2026, &from, &to);

  if (db_arg == NULL)
    {
      dir = g_dir_make_tmp ("nt-bench-stats-XXXXXX", &error);
      g_assert_no_error (error);
      db_path = g_build_filename (dir, "facility.db", NULL);
    }
  else
    db_path = g_strdup (db_arg);

  clock = nt_clock_new_fixed (now * G_USEC_PER_SEC);
  options.db_path = db_path;
  options.seed = 1;
  options.clock = clock;
  options.history_days = NT_FACILITY_DEMO_HISTORY_DAYS;

  t0 = g_get_monotonic_time ();
  facility = nt_facility_new (&options, &error);
  g_assert_no_error (error);
  do
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (20000);
      nt_facility_get_history_progress (facility, &done, &days);
    }
  while (!nt_facility_is_history_ready (facility) || done < days);
  /* The closed days of the year are then computed ahead (in a thread):
   * wait for that, so that nothing else runs while timing. */
  {
    guint n = 0, same = 0;

    while (same < 25)
      {
        guint now_n;

        g_main_context_iteration (NULL, FALSE);
        g_usleep (20000);
        now_n = nt_statistics_service_get_n_cached (nt_facility_get_statistics_service (facility));
        same = now_n == n && n > 0 ? same + 1 : 0;
        n = now_n;
      }
  }
  g_print ("archive: %u days filled in %.1f s", days, (g_get_monotonic_time () - t0) / 1e6);
  if (g_stat (db_path, &st) == 0)
    g_print (", %s %.1f MB", db_path, st.st_size / 1e6);
  g_print ("\n");

  stats = nt_facility_get_statistics_service (facility);
  for (guint i = 0; i < RUNS; i++)
    cold[i] = time_once (stats, from * G_USEC_PER_SEC, to * G_USEC_PER_SEC, TRUE, NULL);
  for (guint i = 0; i < RUNS; i++)
    warm[i] = time_once (stats, from * G_USEC_PER_SEC, to * G_USEC_PER_SEC, FALSE, &answer);

  o = json_node_get_object (answer);
  g_print ("FY2026 to %s: scheduled %.1f h, delivered %.1f h, availability %.3f %%, %" G_GINT64_FORMAT
           " faults, MTBF %.1f h, MTTR %.2f h; %u closed days cached\n",
           json_object_get_string_member (o, "complete_to"),
           json_object_get_double_member (o, "scheduled_hours"), json_object_get_double_member (o, "delivered_hours"),
           json_object_get_double_member (o, "availability"), json_object_get_int_member (o, "fault_count"),
           json_object_get_double_member (o, "mtbf_hours"), json_object_get_double_member (o, "mttr_hours"),
           nt_statistics_service_get_n_cached (stats));
  report ("year, cold (no cache)", cold, RUNS);
  report ("year, cached closed days", warm, RUNS);

  nt_facility_shutdown (facility);
  g_clear_object (&facility);
  if (db_arg == NULL)
    {
      g_autofree char *wal = g_strconcat (db_path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (db_path, "-shm", NULL);

      g_remove (db_path);
      g_remove (wal);
      g_remove (shm);
      g_rmdir (dir);
    }
  return 0;
}
