/* test-keyring.c: the access token through a real keyring
 *
 * On a private session bus (GTestDBus) the test starts a GNOME Keyring of
 * its own, over a temporary directory, so no one's real keyring is
 * touched. The preferences save a viewer token there; a console started
 * against the facility reads it back and the scheduling service accepts
 * it; "Forget" removes it. Skipped where gnome-keyring-daemon is not
 * installed (build-aux/install-deps.sh installs it).
 *
 * The daemon runs in the foreground as our own child, in our process
 * group, and dies with us however we end: stopped and reaped at the end,
 * killed by the kernel (PR_SET_PDEATHSIG) when an assertion aborts, and
 * reached by meson's kill of the group on a timeout. Its stdout and stderr
 * are not ours, so even a straggler could not keep meson reading.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <libsecret/secret.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "client-test-util.h"
#include "nt-auth.h"
#include "nt-context.h"
#include "nt-preferences-window.h"
#include "nt-token-store.h"
#include "test-instants.h"

typedef struct
{
  gboolean  done;
  char     *token;
  GError   *error;
} Lookup;

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Lookup *l = user_data;

  l->token = nt_token_store_lookup_finish (result, &l->error);
  l->done = TRUE;
}

static char *
lookup_token (const char *url)
{
  Lookup l = { 0 };

  nt_token_store_lookup_async (url, NULL, lookup_cb, &l);
  g_assert_true (SPIN_UNTIL (l.done, 10000));
  g_assert_no_error (l.error);

  return l.token;
}

static gboolean
secrets_on_bus (void)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) reply = NULL;
  gboolean owned = FALSE;

  if (bus == NULL)
    return FALSE;
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", "org.freedesktop.secrets"),
                                       G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, 1000, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);

  return owned;
}

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
} Listed;

static void
listed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Listed *l = user_data;
  g_autoptr(GPtrArray) periods = nt_schedule_client_list_run_plan_finish (NT_SCHEDULE_CLIENT (object),
                                                                          result, NULL, &l->error);

  l->ok = periods != NULL;
  l->done = TRUE;
}

static void
test_token_round_trip (gconstpointer data)
{
  const char *keyring_dir = data;
  TestFacility *tf = test_facility_start ();
  g_autoptr(GSettings) settings = g_settings_new ("jp.nanoterasu.Console");
  g_autoptr(NtContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = nt_auth_token_create (nt_facility_get_db (tf->facility), NT_ROLE_VIEWER,
                                                 "Lobby kiosk", &error);
  g_autofree char *found = NULL;
  NtPreferencesWindow *prefs;
  GtkWidget *row = NULL;
  Listed listed = { 0 };

  g_assert_no_error (error);
  g_assert_nonnull (keyring_dir);
  g_settings_set_string (settings, "facility-url", tf->base_uri);

  /* Saved from the preferences... */
  prefs = nt_preferences_window_new (settings);
  g_object_add_weak_pointer (G_OBJECT (prefs), (gpointer *)&prefs);
  gtk_window_present (GTK_WINDOW (prefs));
  g_assert_true (SPIN_UNTIL (g_strcmp0 (nt_preferences_window_get_token_status (prefs),
                                        "No token is stored for this facility") == 0, 10000));
  /* The password row: walk the tree in order. */
  for (GtkWidget *w = GTK_WIDGET (prefs); w != NULL && row == NULL;)
    {
      GtkWidget *next = gtk_widget_get_first_child (w);

      if (ADW_IS_PASSWORD_ENTRY_ROW (w))
        row = w;
      while (next == NULL && w != NULL)
        {
          next = gtk_widget_get_next_sibling (w);
          w = gtk_widget_get_parent (w);
        }
      w = next;
    }
  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), token);
  g_signal_emit_by_name (row, "apply");
  g_assert_true (SPIN_UNTIL (g_strcmp0 (nt_preferences_window_get_token_status (prefs),
                                        "A token for this facility is stored in your keyring") == 0, 10000));
  /* The entry does not keep the secret on screen. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "");

  /* ... kept in the keyring under the facility's address, however it is
   * written ... */
  found = lookup_token (tf->base_uri);
  g_assert_cmpstr (found, ==, token);
  g_clear_pointer (&found, g_free);
  {
    g_autofree char *no_slash = g_strndup (tf->base_uri, strlen (tf->base_uri) - 1);

    g_assert_true (g_str_has_suffix (tf->base_uri, "/"));
    found = lookup_token (no_slash);
    g_assert_cmpstr (found, ==, token);
    g_clear_pointer (&found, g_free);
  }
  found = lookup_token ("http://other.example:8080/");
  g_assert_null (found);

  /* ... read by the console when it starts, and accepted by the
   * scheduling service. */
  context = nt_context_new (settings, tf->base_uri);
  nt_context_start (context);
  g_assert_true (SPIN_UNTIL (nt_context_get_state (context) == NT_CONTEXT_READY &&
                             nt_context_get_token (context) != NULL, 10000));
  g_assert_cmpstr (nt_context_get_token (context), ==, token);
  nt_schedule_client_list_run_plan_async (nt_context_get_schedule_client (context), 0, 0, NULL,
                                          listed_cb, &listed);
  g_assert_true (SPIN_UNTIL (listed.done, 10000));
  g_assert_no_error (listed.error);
  g_assert_true (listed.ok);

  /* Forget removes it. */
  {
    GtkWidget *w = GTK_WIDGET (prefs);
    GtkWidget *forget = NULL;

    while (w != NULL && forget == NULL)
      {
        GtkWidget *next = gtk_widget_get_first_child (w);

        if (GTK_IS_BUTTON (w) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (w)), "_Forget") == 0)
          forget = w;
        while (next == NULL && w != NULL)
          {
            next = gtk_widget_get_next_sibling (w);
            w = gtk_widget_get_parent (w);
          }
        w = next;
      }
    g_assert_nonnull (forget);
    g_assert_true (gtk_widget_get_sensitive (forget));
    g_signal_emit_by_name (forget, "clicked");
  }
  g_assert_true (SPIN_UNTIL (g_strcmp0 (nt_preferences_window_get_token_status (prefs),
                                        "No token is stored for this facility") == 0, 10000));
  g_assert_null (lookup_token (tf->base_uri));

  gtk_window_destroy (GTK_WINDOW (prefs));
  g_assert_true (SPIN_UNTIL (prefs == NULL, 2000));
  nt_context_shutdown (context);
  spin_for (100);
  /* Cancelled calls hold the context until their callbacks have run. */
  g_assert_true (SPIN_UNTIL (G_OBJECT (context)->ref_count == 1, 10000));
  g_assert_finalize_object (g_steal_pointer (&context));
  test_facility_free (tf);
}

static void
test_no_keyring (void)
{
  g_test_skip ("gnome-keyring-daemon is not installed (Debian package gnome-keyring)");
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static pid_t test_pid;

/* In the forked child, before exec: async-signal-safe calls only. */
static void
keyring_child_setup (gpointer user_data)
{
  /* Killed when the test dies, by whatever means. */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
  /* The test may have died before that took effect. */
  if (getppid () != test_pid)
    _exit (1);
}

static gboolean
secrets_owned_by (GPid pid)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) reply = NULL;
  guint32 owner = 0;

  if (bus == NULL)
    return FALSE;
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "GetConnectionUnixProcessID",
                                       g_variant_new ("(s)", "org.freedesktop.secrets"),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, 1000, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(u)", &owner);

  return reply != NULL && owner == (guint32) pid;
}

/* A GNOME Keyring of our own, its login keyring created and unlocked with
 * a password given on stdin; the daemon's messages go to @log. */
static GSubprocess *
keyring_start (const char *daemon_path,
               const char *runtime_dir,
               const char *log)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) daemon = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = g_get_environ ();

  /* Its control socket in a runtime directory of its own... */
  envp = g_environ_setenv (envp, "XDG_RUNTIME_DIR", runtime_dir, TRUE);
  /* ... and not someone else's running keyring or agent. */
  envp = g_environ_unsetenv (envp, "GNOME_KEYRING_CONTROL");
  envp = g_environ_unsetenv (envp, "SSH_AUTH_SOCK");

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_subprocess_launcher_set_environ (launcher, envp);
  g_subprocess_launcher_set_stderr_file_path (launcher, log);
  test_pid = getpid ();
  g_subprocess_launcher_set_child_setup (launcher, keyring_child_setup, NULL, NULL);
  daemon = g_subprocess_launcher_spawn (launcher, &error, daemon_path,
                                        "--foreground", "--unlock", "--components=secrets", NULL);
  g_assert_no_error (error);
  g_output_stream_write_all (g_subprocess_get_stdin_pipe (daemon), "test", 4, NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (g_subprocess_get_stdin_pipe (daemon), NULL, &error);
  g_assert_no_error (error);

  /* It is our child itself that serves the secrets, not a fork of it. */
  g_assert_true (SPIN_UNTIL (secrets_on_bus (), 10000));
  g_assert_true (secrets_owned_by (atoi (g_subprocess_get_identifier (daemon))));

  return g_steal_pointer (&daemon);
}

static void
waited_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  gboolean *done = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  *done = TRUE;
}

/* Stops the daemon and reaps it; FALSE (after a kill) if it did not stop
 * on SIGTERM or left the secrets service behind. */
static gboolean
keyring_stop (GSubprocess *daemon)
{
  gboolean done = FALSE;
  gboolean ok;

  g_subprocess_send_signal (daemon, SIGTERM);
  g_subprocess_wait_async (daemon, NULL, waited_cb, &done);
  ok = SPIN_UNTIL (done, 5000);
  if (!ok)
    {
      g_test_message ("gnome-keyring-daemon did not stop on SIGTERM: killed");
      g_subprocess_force_exit (daemon);
      (void) SPIN_UNTIL (done, 5000);
    }
  if (!SPIN_UNTIL (!secrets_on_bus (), 2000))
    {
      g_test_message ("org.freedesktop.secrets is still owned after the daemon exited");
      ok = FALSE;
    }

  return ok && done;
}

/* The stopped bus, left to the exit (a global, which the optimiser keeps:
 * not a leak to LeakSanitizer). */
GTestDBus *test_keyring_kept_bus;

int
main (int   argc,
      char *argv[])
{
  g_autofree char *daemon_path = g_find_program_in_path ("gnome-keyring-daemon");
  g_autoptr(GTestDBus) bus = NULL;
  g_autoptr(GSubprocess) daemon = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *runtime = NULL;
  g_autofree char *log = NULL;
  g_autofree char *messages = NULL;
  const struct { const char *variable; const char *name; } dirs[] = {
    { "HOME", "home" },
    { "XDG_DATA_HOME", "data" },
    { "XDG_CONFIG_HOME", "config" },
    { "XDG_CACHE_HOME", "cache" },
    { NULL, "run" },  /* XDG_RUNTIME_DIR, the daemon's only */
  };
  int result;

  if (daemon_path == NULL)
    {
      gtk_test_init (&argc, &argv, NULL);
      /* Every test here runs at a named instant, never at the real date. */
      nt_test_clock_run_from (NT_TEST_USER_OPERATION, 1.0);
      g_test_add_func ("/keyring/token-round-trip", test_no_keyring);
      return g_test_run ();
    }

  /* Nobody's own files: home and XDG directories in a temporary one, for
   * us and for the daemon, before anything reads them. */
  dir = g_dir_make_tmp ("nt-keyring-XXXXXX", NULL);
  g_assert_nonnull (dir);
  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *path = g_build_filename (dir, dirs[i].name, NULL);

      g_assert_cmpint (g_mkdir_with_parents (path, 0700), ==, 0);
      if (dirs[i].variable != NULL)
        g_setenv (dirs[i].variable, path, TRUE);
    }
  runtime = g_build_filename (dir, "run", NULL);
  log = g_build_filename (dir, "daemon.log", NULL);

  /* A session bus of our own, before anything connects to one. */
  {
    /* GTestDBus unsets DISPLAY (against X11 bus autolaunch); the widgets
     * still need the virtual display. */
    g_autofree char *display = g_strdup (g_getenv ("DISPLAY"));

    bus = g_test_dbus_new (G_TEST_DBUS_NONE);
    g_test_dbus_up (bus);
    if (display != NULL)
      g_setenv ("DISPLAY", display, TRUE);
  }

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_assert_false (secrets_on_bus ());
  daemon = keyring_start (daemon_path, runtime, log);

  g_test_add_data_func ("/keyring/token-round-trip", dir, test_token_round_trip);
  result = g_test_run ();

  secret_service_disconnect ();
  if (!keyring_stop (daemon))
    result = 1;
  if (g_file_get_contents (log, &messages, NULL, NULL) && messages[0] != '\0')
    g_test_message ("gnome-keyring-daemon said: %s", g_strchomp (messages));
  /* Stop the bus without waiting for every connection to it to go: GTK
   * keeps the session bus for the life of the process. (Unref would wait
   * for it, so the object is left to the exit.) */
  g_test_dbus_stop (bus);
  test_keyring_kept_bus = g_steal_pointer (&bus);
  remove_tree (dir);

  return result;
}
