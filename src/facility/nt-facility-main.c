/* nt-facility-main.c: the nanoterasu-facility daemon
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-facility-main"

#include "config.h"

#include <glib-unix.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "nt-facility.h"
#include "nt-schedule-service.h"
#include "nt-time.h"

static gboolean
quit_cb (gpointer data)
{
  GMainLoop *loop = data;

  g_message ("Shutting down");
  g_main_loop_quit (loop);
  return G_SOURCE_CONTINUE;
}

/* "HOST:PORT", "[V6]:PORT" */
static gboolean
parse_listen (const char  *str,
              char       **host,
              guint       *port,
              GError     **error)
{
  const char *colon = strrchr (str, ':');
  guint64 value;

  if (colon == NULL || colon == str ||
      !g_ascii_string_to_unsigned (colon + 1, 10, 0, 65535, &value, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--listen wants ADDRESS:PORT (e.g. 127.0.0.1:8080), not '%s'", str);
      return FALSE;
    }

  if (str[0] == '[' && colon[-1] == ']')
    *host = g_strndup (str + 1, colon - str - 2);
  else
    *host = g_strndup (str, colon - str);
  *port = (guint) value;

  return TRUE;
}

static int
run_daemon (int    argc,
            char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(NtFacility) facility = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *seed_str = NULL;
  g_autofree char *start_str = NULL;
  g_autofree char *now_str = NULL;
  g_autofree char *host = NULL;
  g_autofree char *base_uri = NULL;
  double time_scale = 1.0;
  double mtbf = NT_FACILITY_DEFAULT_MTBF_HOURS;
  double recovery = NT_FACILITY_DEFAULT_RECOVERY_MINUTES;
  gboolean version = FALSE;
  gint history_days = NT_FACILITY_DEMO_HISTORY_DAYS;
  guint64 seed = 1;
  guint port = 0;
  guint sigint_id, sigterm_id;
  NtFacilityOptions options = { 0 };
  const GOptionEntry entries[] = {
    { "listen", 'l', 0, G_OPTION_ARG_STRING, &listen,
      "Address and port to serve on, e.g. 127.0.0.1:8080 (port 0 picks a free one; default 127.0.0.1:8080)",
      "ADDRESS:PORT" },
    { "db", 'd', 0, G_OPTION_ARG_FILENAME, &db_path,
      "SQLite database file holding history (and the scheduling store); created if missing (required)",
      "FILE" },
    { "seed", 's', 0, G_OPTION_ARG_STRING, &seed_str,
      "Seed of the ring simulator: the same seed gives the same beam history (default 1)", "N" },
    { "time-scale", 't', 0, G_OPTION_ARG_DOUBLE, &time_scale,
      "Simulated seconds per real second; above 1 runs the machine faster than real time (default 1)",
      "X" },
    { "mtbf", 0, 0, G_OPTION_ARG_DOUBLE, &mtbf,
      "Mean time between random beam dumps during beam time, in hours; 0 for none (default 72)", "HOURS" },
    { "mtbf-hours", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_DOUBLE, &mtbf,
      "The same as --mtbf", "HOURS" },
    { "recovery", 0, 0, G_OPTION_ARG_DOUBLE, &recovery,
      "Typical time from a beam dump until the ring is refilled, in minutes; each dump's cause draws "
      "its own, from a fifth of it (an RF trip) to 16 times it (a cooling-water failure) (default 30)",
      "MINUTES" },
    { "history-days", 0, 0, G_OPTION_ARG_INT, &history_days,
      "Days of archive to fill from the simulator where they are missing (default 366: a year, so "
      "statistics cover a fiscal year; the last week first, the rest in the background)", "DAYS" },
    { "now", 'n', 0, G_OPTION_ARG_STRING, &now_str,
      "Run the facility from this instant, e.g. 2026-07-15T10:00+09:00 (a time without a zone "
      "is Japan time; default: the present). Every service and the ring follow it.", "TIME" },
    { "start-time", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &start_str,
      "The same as --now (the name it had before)", "TIME" },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, "Print the version and exit", NULL },
    { NULL }
  };

  context = g_option_context_new ("- NanoTerasu reference facility services");
  g_option_context_set_summary (context,
    "Serves a simulated NanoTerasu over the protocols real control systems use:\n"
    "  live values   WebSocket /pvws/pv (PV Web Socket protocol)\n"
    "  history       GET /retrieval/data/getData.json (EPICS Archiver Appliance)\n"
    "  profile       GET /api/v1/facility-profile\n"
    "  scheduling    /api/v1/...\n"
    "On first start it generates the past year of history by running the model (the last\n"
    "week first; a log line every tenth of the rest).");
  g_option_context_set_description (context,
    "Stop it with Ctrl+C or SIGTERM: it closes its sockets and writes pending history first.\n"
    "\n"
    "Other commands (each has --help):\n"
    "  nanoterasu-facility token create --db FILE --role ROLE --name NAME\n"
    "  nanoterasu-facility token revoke --db FILE (--name NAME | --token TOKEN)\n"
    "  nanoterasu-facility seed --db FILE [--fy 2026]");
  g_option_context_add_main_entries (context, entries, NULL);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("nanoterasu-facility: %s\nTry --help.\n", error->message);
      return 2;
    }

  if (version)
    {
      g_print ("nanoterasu-facility %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (argc > 1)
    {
      g_printerr ("nanoterasu-facility: unexpected argument '%s'\nTry --help.\n", argv[1]);
      return 2;
    }

  if (db_path == NULL)
    {
      g_printerr ("nanoterasu-facility: --db FILE is required\nTry --help.\n");
      return 2;
    }

  if (!parse_listen (listen ? listen : "127.0.0.1:8080", &host, &port, &error))
    {
      g_printerr ("nanoterasu-facility: %s\n", error->message);
      return 2;
    }

  if (seed_str != NULL && !g_ascii_string_to_unsigned (seed_str, 10, 0, G_MAXUINT64, &seed, &error))
    {
      g_printerr ("nanoterasu-facility: --seed: %s\n", error->message);
      return 2;
    }

  /* The services and the ring all follow the process's default clock. */
  if (!nt_clock_configure (nt_clock_get_default (), now_str != NULL ? now_str : start_str,
                           time_scale, &error))
    {
      g_printerr ("nanoterasu-facility: --now/--time-scale: %s\n", error->message);
      return 2;
    }

  options.db_path = db_path;
  options.seed = seed;
  options.mtbf_hours = mtbf == 0 ? -1 : mtbf;
  options.recovery_minutes = recovery;
  if (history_days < 1 || history_days > 5 * 366)
    {
      g_printerr ("nanoterasu-facility: --history-days must be from 1 to 1830\n");
      return 2;
    }
  options.history_days = (guint) history_days;

  if (!(mtbf >= 0) || !(recovery > 0))
    {
      g_printerr ("nanoterasu-facility: --mtbf must be 0 or more and --recovery more than 0\n");
      return 2;
    }

  facility = nt_facility_new (&options, &error);
  if (facility == NULL || !nt_facility_listen (facility, host, port, &error))
    {
      g_printerr ("nanoterasu-facility: %s\n", error->message);
      return 1;
    }

  base_uri = nt_facility_dup_base_uri (facility);
  {
    g_autofree char *now = nt_time_format_iso (nt_clock_now ());

    g_print ("nanoterasu-facility listening on %s (database %s, seed %" G_GUINT64_FORMAT
             ", time scale %g, facility time %s)\n", base_uri, db_path, seed, time_scale, now);
  }
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  sigint_id = g_unix_signal_add (SIGINT, quit_cb, loop);
  sigterm_id = g_unix_signal_add (SIGTERM, quit_cb, loop);

  g_main_loop_run (loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  nt_facility_shutdown (facility);
  g_clear_object (&facility);

  return 0;
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");

  /* Subcommands dispatch here, before option parsing, on argv[1]. */
  if (argc > 1 && g_str_equal (argv[1], "token"))
    return nt_schedule_token_command (argc - 1, argv + 1);
  if (argc > 1 && g_str_equal (argv[1], "seed"))
    return nt_schedule_seed_command (argc - 1, argv + 1);

  return run_daemon (argc, argv);
}
