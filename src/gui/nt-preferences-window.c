/* nt-preferences-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "nt-preferences-window.h"

struct _NtPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;

  AdwEntryRow          *facility_row;
  GtkLabel             *facility_error;
};

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
  if (problem != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->facility_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->facility_row), "error");
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

static void
nt_preferences_window_constructed (GObject *object)
{
  NtPreferencesWindow *self = (NtPreferencesWindow *)object;
  g_autofree char *url = g_settings_get_string (self->settings, "facility-url");

  G_OBJECT_CLASS (nt_preferences_window_parent_class)->constructed (object);

  gtk_editable_set_text (GTK_EDITABLE (self->facility_row), url);
}

static void
nt_preferences_window_finalize (GObject *object)
{
  NtPreferencesWindow *self = (NtPreferencesWindow *)object;

  g_clear_object (&self->settings);

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
  object_class->finalize = nt_preferences_window_finalize;
  object_class->set_property = nt_preferences_window_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/nt-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, NtPreferencesWindow, facility_row);
  gtk_widget_class_bind_template_child (widget_class, NtPreferencesWindow, facility_error);
  gtk_widget_class_bind_template_callback (widget_class, facility_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, facility_changed_cb);
}

static void
nt_preferences_window_init (NtPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

NtPreferencesWindow *
nt_preferences_window_new (GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (NT_TYPE_PREFERENCES_WINDOW, "settings", settings, NULL);
}
