/* nt-schedule-cli.c: the daemon's "token" and "seed" subcommands
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-schedule-cli"

#include "config.h"

#include <stdio.h>

#include "nt-auth.h"
#include "nt-schedule-service.h"

static NtScheduleService *
open_service (const char  *db_path,
              NtDb       **db_out,
              GError     **error)
{
  g_autoptr(NtDb) db = nt_db_open (db_path, error);
  NtScheduleService *service;

  if (db == NULL)
    return NULL;
  service = nt_schedule_service_new (db, error);
  if (service != NULL)
    *db_out = g_steal_pointer (&db);
  return service;
}

int
nt_schedule_token_command (int    argc,
                           char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(NtScheduleService) service = NULL;
  g_autoptr(NtDb) db = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *role_s = NULL;
  g_autofree char *name = NULL;
  g_autofree char *token = NULL;
  const char *action;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, "SQLite database of the scheduling store", "FILE" },
    { "role", 0, 0, G_OPTION_ARG_STRING, &role_s, "viewer, operator, office or admin (create)", "ROLE" },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, "Who the token is for", "NAME" },
    { "token", 0, 0, G_OPTION_ARG_STRING, &token, "The token to revoke (revoke)", "TOKEN" },
    { NULL }
  };
  NtRole role = NT_ROLE_VIEWER;

  context = g_option_context_new ("create|revoke — manage API tokens of the scheduling service");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("token: %s\n", error->message);
      return 2;
    }
  if (argc < 2 || db_path == NULL)
    {
      g_printerr ("Usage: nanoterasu-facility token create --db FILE --role ROLE --name NAME\n"
                  "       nanoterasu-facility token revoke --db FILE (--name NAME | --token TOKEN)\n");
      return 2;
    }
  action = argv[1];

  if (g_str_equal (action, "create"))
    {
      g_autofree char *made = NULL;

      if (name == NULL || role_s == NULL || !nt_role_from_string (role_s, &role))
        {
          g_printerr ("token create: give --name and --role (viewer, operator, office, admin)\n");
          return 2;
        }
      if ((service = open_service (db_path, &db, &error)) == NULL ||
          (made = nt_auth_token_create (db, role, name, &error)) == NULL)
        {
          g_printerr ("token create: %s\n", error->message);
          return 1;
        }
      /* Shown once: only its hash is stored. */
      printf ("%s\n", made);
      fflush (stdout);
      return 0;
    }
  else if (g_str_equal (action, "revoke"))
    {
      guint n;

      if ((name == NULL) == (token == NULL))
        {
          g_printerr ("token revoke: give either --name or --token\n");
          return 2;
        }
      if ((service = open_service (db_path, &db, &error)) == NULL)
        {
          g_printerr ("token revoke: %s\n", error->message);
          return 1;
        }
      n = nt_auth_token_revoke (db, name, token, &error);
      if (n == 0)
        {
          g_printerr ("token revoke: %s\n", error->message);
          return 1;
        }
      g_print ("Revoked %u token%s\n", n, n == 1 ? "" : "s");
      return 0;
    }

  g_printerr ("token: unknown action “%s” (create or revoke)\n", action);
  return 2;
}

int
nt_schedule_seed_command (int    argc,
                          char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(NtScheduleService) service = NULL;
  g_autoptr(NtDb) db = NULL;
  g_autofree char *db_path = NULL;
  int fy = 2026;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, "SQLite database of the scheduling store", "FILE" },
    { "fy", 0, 0, G_OPTION_ARG_INT, &fy,
      "Seed this fiscal year and the ones before and after it, where not seeded yet (default 2026)", "YEAR" },
    { NULL }
  };

  context = g_option_context_new ("— add the demo fiscal years around YEAR to the scheduling store");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("seed: %s\n", error->message);
      return 2;
    }
  if (db_path == NULL || fy < 2000 || fy > 2100)
    {
      g_printerr ("Usage: nanoterasu-facility seed --db FILE [--fy YEAR]\n");
      return 2;
    }
  if ((service = open_service (db_path, &db, &error)) == NULL)
    {
      g_printerr ("seed: %s\n", error->message);
      return 1;
    }
  if (!nt_schedule_service_seed_demo (service, fy, &error))
    {
      g_printerr ("seed: %s\n", error->message);
      return 1;
    }
  g_print ("Seeded FY%d to FY%d where they were not yet (revision %" G_GINT64_FORMAT ")\n", fy - 1, fy + 1,
           nt_schedule_store_get_revision (nt_schedule_service_get_store (service)));
  return 0;
}
