/* main.c: the nanoterasu-console entry point
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "nt-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(NtApplication) app = NULL;
  const char *localedir;

  /* NT_LOCALEDIR lets an uninstalled build find its translations
   * (build-aux/run-console.sh points it at the build directory). */
  localedir = g_getenv ("NT_LOCALEDIR");
  if (localedir == NULL || localedir[0] == '\0')
    localedir = LOCALEDIR;

  nt_application_prepare_process ();

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("NanoTerasu Console"));

  app = nt_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
