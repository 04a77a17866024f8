/* nt-kiosk-window-texts.c: the kiosk's own words, in Japanese and English
 *
 * The words come from nt-kiosk-texts.json (sections "ui", "kinds",
 * "beamlines", each key with "ja" and "en") and switch at run time: the
 * labels made here remember their key and take the other language's
 * words; the widgets shared with the main window ("speakers") are told
 * the kiosk's language, whatever the session's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-kiosk-window"

#include "config.h"

#include "nt-i18n.h"
#include "nt-kiosk-window-private.h"

static void
bound_free (gpointer data)
{
  Bound *b = data;

  g_free (b->section);
  g_free (b->key);
  g_free (b);
}

const char *
nt_kiosk_window_lookup (NtKioskWindow *self,
                        const char    *section,
                        const char    *key)
{
  JsonObject *root;
  JsonObject *sec;
  JsonObject *entry;

  if (self->texts == NULL || key == NULL)
    return key;

  root = json_node_get_object (json_parser_get_root (self->texts));
  sec = json_object_get_object_member (root, section);
  if (sec == NULL || !json_object_has_member (sec, key))
    {
      g_debug ("no kiosk text %s/%s", section, key);
      return key;
    }
  entry = json_object_get_object_member (sec, key);
  if (entry == NULL || !json_object_has_member (entry, self->language))
    return key;

  return json_object_get_string_member (entry, self->language);
}

const char *
nt_kiosk_window_text (NtKioskWindow *self,
                      const char    *key)
{
  return nt_kiosk_window_lookup (self, "ui", key);
}

GtkWidget *
nt_kiosk_window_make_label (const char *str,
                            const char *css_class,
                            gboolean    wrap)
{
  GtkWidget *label = gtk_label_new (str);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_wrap (GTK_LABEL (label), wrap);
  if (wrap)
    gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);

  return label;
}

GtkWidget *
nt_kiosk_window_bound_label (NtKioskWindow *self,
                             const char    *key,
                             const char    *css_class,
                             gboolean       wrap)
{
  GtkWidget *label = nt_kiosk_window_make_label (nt_kiosk_window_text (self, key), css_class, wrap);
  Bound *b = g_new0 (Bound, 1);

  b->label = GTK_LABEL (label);
  b->section = g_strdup ("ui");
  b->key = g_strdup (key);
  g_ptr_array_add (self->bound, b);

  return label;
}

/* The beam panel, the cards, the chart and the connection indicator are
 * the main window's widgets, the ring picture the kiosk's own; each has a
 * "language" and speaks the kiosk's, not the session's. */
GtkWidget *
nt_kiosk_window_speaker (NtKioskWindow *self,
                         GtkWidget     *widget)
{
  g_object_set (widget, "language", self->language, NULL);
  g_ptr_array_add (self->speakers, g_object_ref (widget));
  return widget;
}

void
nt_kiosk_window_name_chart_series (NtKioskWindow *self)
{
  g_auto(NtLanguageScope) scope = NT_LANGUAGE_SCOPE_INIT;

  nt_language_scope_enter (&scope, self->language);
  if (self->chart != NULL)
    nt_strip_chart_set_series_name (self->chart, 0, _("Stored current"));
}

void
nt_kiosk_window_update_language_button (NtKioskWindow *self)
{
  gtk_button_set_label (self->language_button, nt_kiosk_window_text (self, "switch-language"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->language_button), nt_kiosk_window_text (self, "switch-language-tip"));
}

void
nt_kiosk_window_apply_language (NtKioskWindow *self)
{
  for (guint i = 0; i < self->bound->len; i++)
    {
      Bound *b = g_ptr_array_index (self->bound, i);

      gtk_label_set_label (b->label, nt_kiosk_window_lookup (self, b->section, b->key));
    }

  nt_kiosk_window_update_language_button (self);
  nt_kiosk_window_rebuild_beamline_texts (self);
  nt_kiosk_window_rebuild_plan (self);
  nt_kiosk_window_rebuild_reliability (self);
  for (guint i = 0; i < self->speakers->len; i++)
    g_object_set (g_ptr_array_index (self->speakers, i), "language", self->language, NULL);
  nt_kiosk_window_name_chart_series (self);
  /* Status words too. */
  gtk_label_set_label (self->status_label, self->status_text ? nt_kiosk_window_text (self, self->status_text) : "");
}

void
nt_kiosk_window_init_texts (NtKioskWindow *self)
{
  self->bound = g_ptr_array_new_with_free_func (bound_free);
  self->speakers = g_ptr_array_new_with_free_func (g_object_unref);
  self->language = g_strdup ("ja");
}

/* The words shipped with the console, and the language the settings ask
 * for ("ja", "en", or "alternate": each round of pages in the other). */
void
nt_kiosk_window_load_texts (NtKioskWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *language = NULL;

  bytes = g_resources_lookup_data (RESOURCE_BASE "/nt-kiosk-texts.json", 0, &error);
  self->texts = json_parser_new ();
  if (bytes == NULL ||
      !json_parser_load_from_data (self->texts,
                                   g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error))
    {
      g_critical ("The kiosk texts shipped with the console are broken: %s", error->message);
      g_clear_object (&self->texts);
    }

  language = g_settings_get_string (self->settings, "kiosk-language");
  self->alternate = g_str_equal (language, "alternate");
  g_free (self->language);
  self->language = g_strdup (g_str_equal (language, "en") ? "en" : "ja");
  nt_kiosk_window_update_language_button (self);
}
