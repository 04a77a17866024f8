/* nt-application.c: the console's application object
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-application"

#include "config.h"

#include <glib/gi18n.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "nt-application.h"
#include "nt-clock.h"
#include "nt-context.h"
#include "nt-kiosk-window.h"
#include "nt-preferences-window.h"
#include "nt-window.h"

struct _NtApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  NtContext      *context;
  char           *facility_url;  /* from --facility, overrides GSettings */
  gboolean        kiosk;         /* from --kiosk */
};

G_DEFINE_FINAL_TYPE (NtApplication, nt_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "facility", 'f', G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
    N_("Connect to the facility services at URL instead of the simulated facility"), N_("URL") },
  { "kiosk", 'k', G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_("Run as the lobby kiosk: full screen, read only, pages that turn by themselves"), NULL },
  { "now", 'n', G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
    N_("Run the console and its simulated facility from this time, e.g. 2026-07-15T10:00+09:00 "
       "(without a zone, Japan time): a training day"), N_("TIME") },
  { "time-scale", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_DOUBLE, NULL,
    N_("Simulated seconds per real second for the simulated facility (default 1)"), N_("X") },
  { "version", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_("Show the version and quit"), NULL },
  { NULL }
};

static NtWindow *
get_active_window (NtApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  return NT_IS_WINDOW (window) ? NT_WINDOW (window) : NULL;
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  NtApplication *self = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  /* Close windows so that each saves its state, then quit. */
  for (GList *l = windows; l != NULL;)
    {
      GtkWindow *window = l->data;

      l = l->next;
      gtk_window_close (window);
    }

  g_application_quit (G_APPLICATION (self));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  NtApplication *self = user_data;
  static const char *developers[] = { "NanoTerasu Console developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", get_active_window (self),
                        "application-name", _("NanoTerasu Console"),
                        "application-icon", APPLICATION_ID,
                        "version", PACKAGE_VERSION,
                        "developer-name", _("NanoTerasu Console developers"),
                        "developers", developers,
                        "website", "https://www.nanoterasu.jp/",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "copyright", "© 2026 NanoTerasu Console developers",
                        /* Translators: put your names here, one per line. */
                        "translator-credits", _("translator-credits"),
                        "comments",
                        _("The operations console of NanoTerasu, the 3 GeV synchrotron light "
                          "source in Sendai. QST runs the accelerator and the public "
                          "beamlines; PhoSIC runs the building and the coalition beamlines. "
                          "The storage ring is 349 m round, fed at full energy by a 110 m "
                          "linear accelerator, and stores up to 400 mA."),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  NtApplication *self = user_data;
  NtPreferencesWindow *prefs;

  prefs = nt_preferences_window_new (self->settings);
  /* A token saved there then takes effect at once. */
  nt_preferences_window_set_context (prefs, self->context);
  gtk_window_set_transient_for (GTK_WINDOW (prefs), GTK_WINDOW (get_active_window (self)));
  gtk_window_present (GTK_WINDOW (prefs));
}

static void
help_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  NtApplication *self = user_data;

  /* Yelp shows the pages installed under help/<lang>/nanoterasu-console. */
  gtk_show_uri (GTK_WINDOW (get_active_window (self)), "help:" PACKAGE_NAME, GDK_CURRENT_TIME);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "help", help_action },
  { "about", about_action },
  { "preferences", preferences_action },
};

static int
nt_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  NtApplication *self = NT_APPLICATION (app);
  const char *facility = NULL;
  const char *now = NULL;
  double scale = 1.0;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
      return 0;
    }

  /* Every view and the embedded services read the default clock. */
  g_variant_dict_lookup (options, "now", "&s", &now);
  g_variant_dict_lookup (options, "time-scale", "d", &scale);
  if (now != NULL || scale != 1.0)
    {
      g_autoptr(GError) error = NULL;

      if (!nt_clock_configure (nt_clock_get_default (), now, scale, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
    }

  if (g_variant_dict_contains (options, "kiosk"))
    self->kiosk = TRUE;

  if (g_variant_dict_lookup (options, "facility", "&s", &facility))
    {
      g_autoptr(GUri) uri = g_uri_parse (facility, G_URI_FLAGS_NONE, NULL);

      if (uri == NULL ||
          (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 &&
           g_strcmp0 (g_uri_get_scheme (uri), "https") != 0))
        {
          g_printerr (_("“%s” is not a facility address: give an http:// or https:// URL, "
                        "such as http://facility.example:8080/\n"), facility);
          return 1;
        }
      g_free (self->facility_url);
      self->facility_url = g_strdup (facility);
    }

  return G_APPLICATION_CLASS (nt_application_parent_class)->handle_local_options (app, options);
}

static void
nt_application_startup (GApplication *app)
{
  NtApplication *self = NT_APPLICATION (app);
  static const char *quit_accels[] = { "<primary>q", NULL };
  static const char *prefs_accels[] = { "<primary>comma", NULL };
  static const char *help_accels[] = { "F1", NULL };

  G_APPLICATION_CLASS (nt_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", prefs_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.help", help_accels);

  self->settings = g_settings_new (APPLICATION_ID_BASE);
  self->context = nt_context_new (self->settings, nt_application_get_facility_url (self));
  nt_context_start (self->context);
}

static void
nt_application_activate (GApplication *app)
{
  NtApplication *self = NT_APPLICATION (app);
  NtWindow *window = get_active_window (self);

  if (self->kiosk || g_settings_get_boolean (self->settings, "kiosk"))
    {
      static const char *no_accels[] = { NULL };
      GtkWindow *kiosk = gtk_application_get_active_window (GTK_APPLICATION (self));

      /* The kiosk is left only by its own exit chord: no quit, help or
       * preferences keys in the lobby. */
      gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", no_accels);
      gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", no_accels);
      gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.help", no_accels);

      if (!NT_IS_KIOSK_WINDOW (kiosk))
        kiosk = GTK_WINDOW (nt_kiosk_window_new (GTK_APPLICATION (self), self->context));
      gtk_window_present (kiosk);
      return;
    }

  if (window == NULL)
    window = nt_window_new (self, self->context);

  gtk_window_present (GTK_WINDOW (window));
}

static void
nt_application_shutdown (GApplication *app)
{
  NtApplication *self = NT_APPLICATION (app);

  if (self->context != NULL)
    nt_context_shutdown (self->context);

  G_APPLICATION_CLASS (nt_application_parent_class)->shutdown (app);
}

static void
nt_application_finalize (GObject *object)
{
  NtApplication *self = (NtApplication *)object;

  g_clear_object (&self->context);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->facility_url, g_free);

  G_OBJECT_CLASS (nt_application_parent_class)->finalize (object);
}

static void
nt_application_class_init (NtApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = nt_application_finalize;

  app_class->handle_local_options = nt_application_handle_local_options;
  app_class->startup = nt_application_startup;
  app_class->activate = nt_application_activate;
  app_class->shutdown = nt_application_shutdown;
}

static void
nt_application_init (NtApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), NULL);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("The operations console of the NanoTerasu light source."));
}

/**
 * nt_application_prepare_process:
 *
 * What the console's process sets before GTK starts. The console draws
 * with GTK's cairo renderer: its charts and timeline are built for it
 * (DESIGN §8 measures on it), and without GL GTK loads no GL driver at all
 * (tests/bench/bench-startup.c, on Xvfb's software GL: 233 → 100 MiB
 * resident with a week drawn, 1.44 → 0.78 s to the first value).
 * GSK_RENDERER=cairo asks for the same renderer, so it gets no GL either
 * (GDK would still load the driver, some 50 MiB resident, for nothing).
 * Another GSK_RENDERER, or GDK_DEBUG, set by the user wins.
 *
 * glibc gives each thread that allocates an arena of its own, and each
 * keeps what it once held: the embedded services' thread, the parse
 * workers and the GTask pool held 10 to 15 MiB free at the first value
 * drawn (bench-startup).  Two arenas hold 3 to 6 MiB, at no frame cost
 * (bench-strip-chart); MALLOC_ARENA_MAX or GLIBC_TUNABLES set by the user
 * win.  (A fixed trim or mmap threshold would hold less still, but turns
 * every frame's cairo surface into an mmap: twice the frame time.)
 */
void
nt_application_prepare_process (void)
{
  const char *renderer = g_getenv ("GSK_RENDERER");

  if ((renderer == NULL || g_str_equal (renderer, "cairo")) && g_getenv ("GDK_DEBUG") == NULL)
    g_setenv ("GDK_DEBUG", "gl-disable", TRUE);

#ifdef M_ARENA_MAX
  if (g_getenv ("MALLOC_ARENA_MAX") == NULL && g_getenv ("GLIBC_TUNABLES") == NULL)
    mallopt (M_ARENA_MAX, 2);
#endif
}

NtApplication *
nt_application_new (void)
{
  return g_object_new (NT_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", RESOURCE_BASE,
                       NULL);
}

/**
 * nt_application_get_facility_url:
 *
 * Returns: (nullable): the facility services' address from the command
 *   line or the settings, or %NULL for the simulated facility
 */
const char *
nt_application_get_facility_url (NtApplication *self)
{
  g_return_val_if_fail (NT_IS_APPLICATION (self), NULL);

  if (self->facility_url == NULL && self->settings != NULL)
    {
      g_autofree char *url = g_settings_get_string (self->settings, "facility-url");

      if (url[0] != '\0')
        self->facility_url = g_steal_pointer (&url);
    }

  return self->facility_url;
}
