/* nt-preferences-window.c: the facility, its access token, charts, kiosk
 *
 * The access token lives in the user's keyring (nt-token-store), never in
 * GSettings; every keyring call is asynchronous.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "nt-preferences-window.h"
#include "nt-token-store.h"
#include "nt-widget-util.h"

struct _NtPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;
  NtContext            *context;       /* optional: a saved token applies at once */
  GCancellable         *cancellable;

  AdwEntryRow          *facility_row;
  GtkLabel             *facility_error;
  AdwPasswordEntryRow  *token_row;
  AdwActionRow         *token_status_row;
  GtkButton            *token_forget_button;
  AdwComboRow          *chart_range_row;
  GtkSwitch            *kiosk_switch;
  GtkSpinButton        *interval_spin;
  AdwComboRow          *language_row;
  AdwEntryRow          *chord_row;
  GtkLabel             *chord_hint;
  AdwPreferencesGroup  *pages_group;
  GtkSwitch            *page_switches[5];  /* one per row of kiosk_pages */
  gboolean              updating;
};

static const char * const chart_ranges[] = { "15min", "1h", "8h", "24h", "7d" };
static const char * const kiosk_languages[] = { "alternate", "ja", "en" };

static const struct {
  const char *name;
  const char *title;
  const char *subtitle;
} kiosk_pages[] = {
  { "beam", N_("The Beam"), N_("The stored current now and over the last 24 hours") },
  { "beamlines", N_("The Beamlines"), N_("The live card of every beamline") },
  { "plan", N_("The Run Plan"), N_("What runs today and in the next 7 days") },
  { "reliability", N_("How Reliable Is Our Beam?"), N_("This fiscal year’s beam, in plain words and a chart") },
  { "facility", N_("The Facility"), N_("The ring and its beamlines, explained for visitors") },
};
G_STATIC_ASSERT (G_N_ELEMENTS (kiosk_pages) ==
                 G_N_ELEMENTS (((NtPreferencesWindow *) NULL)->page_switches));

G_DEFINE_FINAL_TYPE (NtPreferencesWindow, nt_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Returns NULL when @text is a usable facility address (or empty), else
 * a sentence saying what is wrong. */
static char *
check_facility_url (const char *text)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  if (text[0] == '\0')
    return NULL;

  uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return g_strdup (_("This is not a web address. Write it as http://host:port/."));

  scheme = g_uri_get_scheme (uri);
  if (g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "https") != 0)
    return g_strdup (_("The address must start with http:// or https://."));

  if (g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0')
    return g_strdup (_("The address needs a host name, as in http://facility.example:8080/."));

  return NULL;
}

static void
facility_changed_cb (NtPreferencesWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->facility_row));
  g_autofree char *problem = check_facility_url (text);

  gtk_widget_set_visible (GTK_WIDGET (self->facility_error), problem != NULL);
  gtk_label_set_label (self->facility_error, problem ? problem : "");
  nt_widget_set_class (GTK_WIDGET (self->facility_row), "error", problem != NULL);
}

static void
facility_apply_cb (NtPreferencesWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->facility_row));
  g_autofree char *problem = check_facility_url (text);
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  if (problem != NULL)
    return;

  g_settings_set_string (self->settings, "facility-url", stripped);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                    adw_toast_new (stripped[0] == '\0'
                                                   ? _("The simulated facility will be used from the next start")
                                                   : _("The console will connect to this facility from the next start")));
}

/* ---- access token ---- */

static void
set_token_status (NtPreferencesWindow *self,
                  const char          *status,
                  gboolean             stored)
{
  adw_action_row_set_subtitle (self->token_status_row, status);
  gtk_widget_set_sensitive (GTK_WIDGET (self->token_forget_button), stored);
}

/* Whether the console is connected to the facility of these settings and
 * its scheduling service refused the token in use (or asked for one). */
static gboolean
token_refused (NtPreferencesWindow *self)
{
  g_autofree char *url = g_settings_get_string (self->settings, "facility-url");

  return self->context != NULL && !nt_context_is_simulated (self->context) &&
         g_strcmp0 (url, nt_context_get_facility_url (self->context)) == 0 &&
         nt_context_get_token_refused (self->context);
}

static void
token_lookup_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = nt_token_store_lookup_finish (result, &error);
  NtPreferencesWindow *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = user_data;
  if (error != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Your keyring could not be read: %s"), error->message);

      set_token_status (self, text, FALSE);
    }
  else if (token != NULL && token_refused (self))
    set_token_status (self, _("The facility refused the token stored in your keyring: enter a new one"), TRUE);
  else if (token != NULL)
    set_token_status (self, _("A token for this facility is stored in your keyring"), TRUE);
  else
    set_token_status (self, _("No token is stored for this facility"), FALSE);
}

static void
refresh_token_status (NtPreferencesWindow *self)
{
  g_autofree char *url = g_settings_get_string (self->settings, "facility-url");
  gboolean simulated = url[0] == '\0';

  gtk_widget_set_sensitive (GTK_WIDGET (self->token_row), !simulated);
  if (simulated)
    {
      set_token_status (self, _("The simulated facility needs no token"), FALSE);
      return;
    }

  set_token_status (self, _("Reading your keyring…"), FALSE);
  nt_token_store_lookup_async (url, self->cancellable, token_lookup_cb, self);
}

typedef struct
{
  NtPreferencesWindow *self;
  char                *token;
} TokenSave;

static void
token_saved_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  TokenSave *save = user_data;
  g_autoptr(GError) error = NULL;
  NtPreferencesWindow *self = save->self;
  g_autofree char *token = g_steal_pointer (&save->token);

  g_free (save);
  if (!nt_token_store_save_finish (result, &error))
    {
      g_autofree char *text = NULL;
      AdwToast *toast;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      text = g_strdup_printf (_("The token could not be saved in your keyring: %s"), error->message);
      toast = adw_toast_new (text);
      adw_toast_set_timeout (toast, 0);
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), toast);
      refresh_token_status (self);
      return;
    }

  if (self->context != NULL && !nt_context_is_simulated (self->context))
    {
      g_autofree char *url = g_settings_get_string (self->settings, "facility-url");

      if (g_strcmp0 (url, nt_context_get_facility_url (self->context)) == 0)
        nt_context_set_token (self->context, token);
    }

  gtk_editable_set_text (GTK_EDITABLE (self->token_row), "");
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                    adw_toast_new (token != NULL
                                                   ? _("The token is saved in your keyring")
                                                   : _("The token is removed from your keyring")));
  refresh_token_status (self);
}

static void
save_token (NtPreferencesWindow *self,
            const char          *token)
{
  g_autofree char *url = g_settings_get_string (self->settings, "facility-url");
  TokenSave *save;

  if (url[0] == '\0')
    return;

  save = g_new0 (TokenSave, 1);
  save->self = self;
  save->token = (token != NULL && token[0] != '\0') ? g_strdup (token) : NULL;
  set_token_status (self, _("Writing to your keyring…"), FALSE);
  nt_token_store_save_async (url, save->token, self->cancellable, token_saved_cb, save);
}

static void
token_apply_cb (NtPreferencesWindow *self)
{
  g_autofree char *token = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->token_row))));

  if (token[0] == '\0')
    return;
  save_token (self, token);
}

static void
token_forget_cb (NtPreferencesWindow *self)
{
  save_token (self, NULL);
}

/* ---- charts ---- */

static void
chart_range_selected_cb (NtPreferencesWindow *self)
{
  guint selected = adw_combo_row_get_selected (self->chart_range_row);

  if (self->updating || selected >= G_N_ELEMENTS (chart_ranges))
    return;
  g_settings_set_string (self->settings, "chart-range", chart_ranges[selected]);
}

/* ---- kiosk ---- */

static void
language_selected_cb (NtPreferencesWindow *self)
{
  guint selected = adw_combo_row_get_selected (self->language_row);

  if (self->updating || selected >= G_N_ELEMENTS (kiosk_languages))
    return;
  g_settings_set_string (self->settings, "kiosk-language", kiosk_languages[selected]);
}

static void
interval_changed_cb (NtPreferencesWindow *self)
{
  if (self->updating)
    return;
  g_settings_set_uint (self->settings, "kiosk-interval",
                       (guint) gtk_spin_button_get_value_as_int (self->interval_spin));
}

/* Returns NULL when @text is a usable exit chord, else why not. */
static char *
check_chord (const char *text,
             char      **label)
{
  guint keyval = 0;
  GdkModifierType modifiers = 0;

  if (!gtk_accelerator_parse (text, &keyval, &modifiers) || keyval == 0)
    return g_strdup (_("Write the keys as <Control><Alt><Shift>q: modifiers in angle brackets, then one key."));
  if ((modifiers & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK)) == 0)
    return g_strdup (_("Use Control, Alt or Super with the key, so that no visitor leaves the kiosk by chance."));

  if (label != NULL)
    *label = gtk_accelerator_get_label (keyval, modifiers);
  return NULL;
}

static void
chord_changed_cb (NtPreferencesWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->chord_row));
  g_autofree char *label = NULL;
  g_autofree char *problem = check_chord (text, &label);

  if (problem != NULL)
    gtk_label_set_label (self->chord_hint, problem);
  else
    {
      g_autofree char *hint =
        /* Translators: %s is a key combination such as Ctrl+Alt+Shift+Q */
        g_strdup_printf (_("Press %s together to leave the kiosk. No other key or button closes it."), label);

      gtk_label_set_label (self->chord_hint, hint);
    }
  nt_widget_set_class (GTK_WIDGET (self->chord_hint), "error", problem != NULL);
  nt_widget_set_class (GTK_WIDGET (self->chord_row), "error", problem != NULL);
}

static void
chord_apply_cb (NtPreferencesWindow *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->chord_row))));
  g_autofree char *problem = check_chord (text, NULL);

  if (problem != NULL)
    return;
  g_settings_set_string (self->settings, "kiosk-exit-chord", text);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                    adw_toast_new (_("The kiosk’s exit keys are changed")));
}

static void
page_toggled_cb (NtPreferencesWindow *self)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) pages = NULL;

  if (self->updating)
    return;

  builder = g_strv_builder_new ();
  for (guint i = 0; i < G_N_ELEMENTS (kiosk_pages); i++)
    if (gtk_switch_get_active (self->page_switches[i]))
      g_strv_builder_add (builder, kiosk_pages[i].name);
  pages = g_strv_builder_end (builder);

  if (pages[0] == NULL)
    {
      /* Turned off the last one: keep it. */
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                        adw_toast_new (_("The kiosk needs at least one page")));
      g_auto(GStrv) stored = g_settings_get_strv (self->settings, "kiosk-pages");

      self->updating = TRUE;
      for (guint i = 0; i < G_N_ELEMENTS (kiosk_pages); i++)
        gtk_switch_set_active (self->page_switches[i],
                               g_strv_contains ((const char * const *) stored, kiosk_pages[i].name));
      self->updating = FALSE;
      return;
    }

  g_settings_set_strv (self->settings, "kiosk-pages", (const char * const *) pages);
}

static guint
index_of (const char * const *names,
          guint               n,
          const char         *name)
{
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (names[i], name) == 0)
      return i;
  return 0;
}

/* Shows the settings as they are now. */
static void
load_settings (NtPreferencesWindow *self)
{
  g_autofree char *url = g_settings_get_string (self->settings, "facility-url");
  g_autofree char *range = g_settings_get_string (self->settings, "chart-range");
  g_autofree char *language = g_settings_get_string (self->settings, "kiosk-language");
  g_autofree char *chord = g_settings_get_string (self->settings, "kiosk-exit-chord");
  g_auto(GStrv) pages = g_settings_get_strv (self->settings, "kiosk-pages");

  self->updating = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->facility_row), url);
  adw_combo_row_set_selected (self->chart_range_row,
                              index_of (chart_ranges, G_N_ELEMENTS (chart_ranges), range));
  adw_combo_row_set_selected (self->language_row,
                              index_of (kiosk_languages, G_N_ELEMENTS (kiosk_languages), language));
  gtk_spin_button_set_value (self->interval_spin, g_settings_get_uint (self->settings, "kiosk-interval"));
  gtk_editable_set_text (GTK_EDITABLE (self->chord_row), chord);
  for (guint i = 0; i < G_N_ELEMENTS (kiosk_pages); i++)
    gtk_switch_set_active (self->page_switches[i],
                           g_strv_contains ((const char * const *) pages, kiosk_pages[i].name));
  self->updating = FALSE;

  chord_changed_cb (self);
}

static void
nt_preferences_window_constructed (GObject *object)
{
  NtPreferencesWindow *self = (NtPreferencesWindow *)object;

  G_OBJECT_CLASS (nt_preferences_window_parent_class)->constructed (object);

  for (guint i = 0; i < G_N_ELEMENTS (kiosk_pages); i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *toggle = gtk_switch_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(kiosk_pages[i].title));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _(kiosk_pages[i].subtitle));
      gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (toggle),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _(kiosk_pages[i].title),
                                      -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
      adw_preferences_group_add (self->pages_group, row);
      self->page_switches[i] = GTK_SWITCH (toggle);
      g_signal_connect_swapped (toggle, "notify::active", G_CALLBACK (page_toggled_cb), self);
    }

  load_settings (self);

  g_settings_bind (self->settings, "kiosk", self->kiosk_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_signal_connect_swapped (self->interval_spin, "value-changed", G_CALLBACK (interval_changed_cb), self);
  g_signal_connect_swapped (self->settings, "changed::facility-url", G_CALLBACK (refresh_token_status), self);

  refresh_token_status (self);
}

static void
nt_preferences_window_dispose (GObject *object)
{
  NtPreferencesWindow *self = (NtPreferencesWindow *)object;

  g_cancellable_cancel (self->cancellable);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);

  G_OBJECT_CLASS (nt_preferences_window_parent_class)->dispose (object);
}

static void
nt_preferences_window_finalize (GObject *object)
{
  NtPreferencesWindow *self = (NtPreferencesWindow *)object;

  g_clear_object (&self->settings);
  g_clear_object (&self->context);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (nt_preferences_window_parent_class)->finalize (object);
}

static void
nt_preferences_window_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  NtPreferencesWindow *self = NT_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nt_preferences_window_class_init (NtPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = nt_preferences_window_constructed;
  object_class->dispose = nt_preferences_window_dispose;
  object_class->finalize = nt_preferences_window_finalize;
  object_class->set_property = nt_preferences_window_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/nt-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, NtPreferencesWindow, facility_row);
  gtk_widget_class_bind_template_child (widget_class, NtPreferencesWindow, facility_error);
  gtk_widget_class_bind_template_child (widget_class, NtPreferencesWindow, token_row);
  gtk_widget_class_bind_template_child (widget_class, NtPreferencesWindow, token_status_row);
  gtk_widget_class_bind_template_child (widget_class, NtPreferencesWindow, token_forget_button);
  gtk_widget_class_bind_template_child (widget_class, NtPreferencesWindow, chart_range_row);
  gtk_widget_class_bind_template_child (widget_class, NtPreferencesWindow, kiosk_switch);
  gtk_widget_class_bind_template_child (widget_class, NtPreferencesWindow, interval_spin);
  gtk_widget_class_bind_template_child (widget_class, NtPreferencesWindow, language_row);
  gtk_widget_class_bind_template_child (widget_class, NtPreferencesWindow, chord_row);
  gtk_widget_class_bind_template_child (widget_class, NtPreferencesWindow, chord_hint);
  gtk_widget_class_bind_template_child (widget_class, NtPreferencesWindow, pages_group);
  gtk_widget_class_bind_template_callback (widget_class, token_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, token_forget_cb);
  gtk_widget_class_bind_template_callback (widget_class, chart_range_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, language_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, chord_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, chord_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, facility_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, facility_changed_cb);
}

static void
nt_preferences_window_init (NtPreferencesWindow *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

NtPreferencesWindow *
nt_preferences_window_new (GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (NT_TYPE_PREFERENCES_WINDOW, "settings", settings, NULL);
}

/**
 * nt_preferences_window_set_context:
 * @context: (nullable): the running console's context
 *
 * With a context, a token saved for the facility the console is connected
 * to is used at once, not only from the next start.
 */
void
nt_preferences_window_set_context (NtPreferencesWindow *self,
                                   NtContext           *context)
{
  g_autofree char *url = NULL;

  g_return_if_fail (NT_IS_PREFERENCES_WINDOW (self));
  g_return_if_fail (context == NULL || NT_IS_CONTEXT (context));

  if (!g_set_object (&self->context, context) || context == NULL)
    return;

  /* Opened from "Enter Access Token…" (or while the facility asks for a
   * token): the window opens at the token, ready to type. */
  url = g_settings_get_string (self->settings, "facility-url");
  if (!nt_context_is_simulated (context) &&
      g_strcmp0 (url, nt_context_get_facility_url (context)) == 0 &&
      (nt_context_get_token (context) == NULL || nt_context_get_token_refused (context)))
    {
      adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (self), "facility");
      gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->token_row));
    }
  refresh_token_status (self);
}

/**
 * nt_preferences_window_get_token_status:
 *
 * Returns: what the window says about the stored token
 */
const char *
nt_preferences_window_get_token_status (NtPreferencesWindow *self)
{
  g_return_val_if_fail (NT_IS_PREFERENCES_WINDOW (self), NULL);
  return adw_action_row_get_subtitle (self->token_status_row);
}
