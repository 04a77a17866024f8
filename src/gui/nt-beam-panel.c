/* nt-beam-panel.c: the stored current and what the machine is doing
 *
 * A value is shown only while its signal is live: when the connection or
 * the signal is lost, the panel says so at once instead of keeping the
 * last number.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-beam-panel"

#include "config.h"

#include <math.h>

#include "nt-beam-panel.h"
#include "nt-i18n.h"
#include "nt-labels.h"
#include "nt-view-property.h"
#include "nt-pv-watch.h"
#include "nt-time.h"
#include "nt-widget-util.h"

enum {
  SIG_CURRENT,
  SIG_LIFETIME,
  SIG_COUNTDOWN,
  SIG_INJECTING,
  SIG_MODE,
  SIG_FILL,
  SIG_ENERGY,
  N_SIGNALS
};

static const char * const signal_keys[N_SIGNALS] = {
  "ring.current", "ring.lifetime", "ring.topup.countdown", "ring.injecting",
  "ring.mode", "ring.fill", "ring.energy",
};

struct _NtBeamPanel
{
  GtkWidget   parent_instance;

  NtContext  *context;
  NtPvWatch  *watch;         /* the signals, indexed as signal_keys */
  char       *language;

  GtkWidget  *box;
  GtkLabel   *current_title;
  GtkLabel   *lifetime_title;
  GtkLabel   *topup_title;
  GtkLabel   *fill_title;
  GtkLabel   *energy_title;
  GtkLabel   *updated_title;
  GtkLabel   *current_value;
  GtkLabel   *current_unit;
  GtkLabel   *state_label;
  GtkLabel   *mode_label;
  GtkWidget  *injecting_label;
  GtkLabel   *lifetime_value;
  GtkLabel   *topup_value;
  GtkLabel   *fill_value;
  GtkLabel   *energy_value;
  GtkLabel   *updated_value;
};

G_DEFINE_FINAL_TYPE (NtBeamPanel, nt_beam_panel, GTK_TYPE_WIDGET)


static char *
format_number (NtPvRecord *record,
               int         fallback_precision)
{
  int precision = nt_pv_record_has_metadata (record) ? nt_pv_record_get_precision (record) : -1;
  double value = nt_pv_record_get_double (record);

  if (precision < 0 || precision > 9)
    precision = fallback_precision;
  if (isnan (value))
    return g_strdup ("—");
  return g_strdup_printf ("%.*f", precision, value);
}

static char *
format_duration (double seconds)
{
  int s = (int) ceil (seconds);

  if (s >= 3600)
    /* Translators: hours and minutes, as in “2 h 05 min” */
    return g_strdup_printf (_("%d h %02d min"), s / 3600, (s / 60) % 60);
  if (s >= 60)
    /* Translators: minutes and seconds of a countdown, as in “4:05” */
    return g_strdup_printf (_("%d:%02d"), s / 60, s % 60);
  /* Translators: seconds of a countdown, as in “42 s” */
  return g_strdup_printf (_("%d s"), s);
}

static char *
format_time_jst (gint64 usec)
{
  /* Translators: time of day of the last update, JST */
  return nt_time_format_local (usec / G_USEC_PER_SEC, _("%H:%M:%S JST"));
}

/* Below this stored current the ring has no beam to speak of (mA). */
#define NO_BEAM_MA 1.0

static void
set_simple_value (GtkLabel   *label,
                  NtPvRecord *record,
                  const char *text)
{
  gtk_label_set_label (label, nt_pv_record_is_shown (record) ? text : "—");
  nt_widget_set_severity_class (GTK_WIDGET (label),
                      record ? nt_pv_record_get_severity (record) : NT_PV_SEVERITY_UNDEFINED);
}

/* The words that do not change with the values, in the panel's language. */
static void
set_fixed_texts (NtBeamPanel *self)
{
  g_auto(NtLanguageScope) scope = NT_LANGUAGE_SCOPE_INIT;

  nt_language_scope_enter (&scope, self->language);
  gtk_label_set_label (self->current_title, _("Stored current"));
  gtk_label_set_label (GTK_LABEL (self->injecting_label), _("Injecting"));
  gtk_label_set_label (self->lifetime_title, _("Beam lifetime"));
  gtk_label_set_label (self->topup_title, _("Next top-up"));
  gtk_label_set_label (self->fill_title, _("Fill pattern"));
  gtk_label_set_label (self->energy_title, _("Beam energy"));
  gtk_label_set_label (self->updated_title, _("Last update"));
}

static void
nt_beam_panel_refresh (NtBeamPanel *self)
{
  NtPvClient *client = nt_pv_watch_get_client (self->watch);
  NtPvRecord *current = nt_pv_watch_lookup (self->watch, SIG_CURRENT);
  NtPvRecord *record;
  g_autofree char *accessible = NULL;
  const char *state_text = NULL;
  g_auto(NtLanguageScope) scope = NT_LANGUAGE_SCOPE_INIT;

  nt_language_scope_enter (&scope, self->language);

  /* Stored current: the number, or why there is none. */
  if (nt_pv_record_is_shown (current))
    {
      g_autofree char *text = format_number (current, 2);
      const char *units = nt_pv_record_get_units (current);

      gtk_label_set_label (self->current_value, text);
      gtk_label_set_label (self->current_unit, units && units[0] ? units : "mA");
      state_text = nt_labels_severity_words (nt_pv_record_get_severity (current));
      nt_widget_set_severity_class (GTK_WIDGET (self->current_value), nt_pv_record_get_severity (current));
    }
  else
    {
      gtk_label_set_label (self->current_value, "—");
      nt_widget_set_severity_class (GTK_WIDGET (self->current_value), NT_PV_SEVERITY_UNDEFINED);

      if (nt_context_get_state (self->context) == NT_CONTEXT_FAILED)
        state_text = _("Not connected to the facility");
      else if (nt_context_get_state (self->context) != NT_CONTEXT_READY ||
               (current == NULL && nt_pv_client_get_state (client) != NT_CONNECTION_DISCONNECTED))
        state_text = _("Waiting for the facility…");
      else if (nt_pv_client_get_state (client) != NT_CONNECTION_CONNECTED)
        state_text = _("Disconnected: the last value is not shown because it may no longer be true");
      else
        state_text = _("The current signal is disconnected at the facility");
    }
  gtk_label_set_label (self->state_label, state_text ? state_text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->state_label), state_text != NULL);
  if (state_text != NULL)
    nt_widget_set_severity_class (GTK_WIDGET (self->state_label),
                        nt_pv_record_is_shown (current) ? nt_pv_record_get_severity (current) : NT_PV_SEVERITY_UNDEFINED);

  /* Machine mode */
  record = nt_pv_watch_lookup (self->watch, SIG_MODE);
  set_simple_value (self->mode_label, record,
                    record ? nt_labels_translate (nt_pv_record_get_enum_text (record)) : NULL);

  /* Injection and the countdown to the next one */
  record = nt_pv_watch_lookup (self->watch, SIG_INJECTING);
  gtk_widget_set_visible (self->injecting_label,
                          nt_pv_record_is_shown (record) && nt_pv_record_get_enum_index (record) == 1);

  record = nt_pv_watch_lookup (self->watch, SIG_COUNTDOWN);
  if (nt_pv_record_is_shown (current) && nt_pv_record_get_double (current) < NO_BEAM_MA)
    /* Without beam (maintenance, a shutdown, after a dump) there is no
     * top-up to count down to, whatever the countdown signal holds. */
    set_simple_value (self->topup_value, NULL, NULL);
  else if (gtk_widget_get_visible (self->injecting_label))
    set_simple_value (self->topup_value, record, _("Injecting now"));
  else if (nt_pv_record_is_shown (record) && !isnan (nt_pv_record_get_double (record)))
    {
      g_autofree char *text = format_duration (nt_pv_record_get_double (record));

      set_simple_value (self->topup_value, record, text);
    }
  else
    set_simple_value (self->topup_value, NULL, NULL);

  /* Lifetime */
  record = nt_pv_watch_lookup (self->watch, SIG_LIFETIME);
  if (record != NULL)
    {
      g_autofree char *number = format_number (record, 1);
      /* Translators: beam lifetime in hours */
      g_autofree char *text = g_strdup_printf (_("%s h"), number);

      set_simple_value (self->lifetime_value, record, text);
    }
  else
    set_simple_value (self->lifetime_value, NULL, NULL);

  /* Fill pattern */
  record = nt_pv_watch_lookup (self->watch, SIG_FILL);
  set_simple_value (self->fill_value, record,
                    record ? nt_labels_translate (nt_pv_record_get_string (record)) : NULL);

  /* Beam energy */
  record = nt_pv_watch_lookup (self->watch, SIG_ENERGY);
  if (record != NULL)
    {
      g_autofree char *number = format_number (record, 2);
      g_autofree char *text = g_strdup_printf ("%s GeV", number);

      set_simple_value (self->energy_value, record, text);
    }
  else
    set_simple_value (self->energy_value, NULL, NULL);

  /* When the current last changed */
  if (nt_pv_record_is_shown (current))
    {
      g_autofree char *text = format_time_jst (nt_pv_record_get_time_usec (current));

      gtk_label_set_label (self->updated_value, text);
    }
  else
    gtk_label_set_label (self->updated_value, "—");

  /* Translators: what a screen reader says for the beam panel:
   * current and unit, state or alarm, machine mode */
  accessible = g_strdup_printf (_("Stored current %s %s. %s Mode: %s."),
                                gtk_label_get_label (self->current_value),
                                gtk_label_get_label (self->current_unit),
                                state_text ? state_text : "",
                                gtk_label_get_label (self->mode_label));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Beam"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, accessible,
                                  -1);
}

/* Says the panel's words again, in its new language. */
static void
language_changed (NtBeamPanel *self)
{
  set_fixed_texts (self);
  if (self->context != NULL)
    nt_beam_panel_refresh (self);
}

static void
nt_beam_panel_dispose (GObject *object)
{
  NtBeamPanel *self = (NtBeamPanel *)object;

  g_clear_pointer (&self->watch, nt_pv_watch_free);
  g_clear_object (&self->context);
  gtk_widget_dispose_template (GTK_WIDGET (self), NT_TYPE_BEAM_PANEL);

  G_OBJECT_CLASS (nt_beam_panel_parent_class)->dispose (object);
}

static void
nt_beam_panel_finalize (GObject *object)
{
  NtBeamPanel *self = (NtBeamPanel *)object;

  g_free (self->language);

  G_OBJECT_CLASS (nt_beam_panel_parent_class)->finalize (object);
}

static void
nt_beam_panel_class_init (NtBeamPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = nt_beam_panel_dispose;
  object_class->finalize = nt_beam_panel_finalize;

  /**
   * NtBeamPanel:language:
   *
   * The language the panel speaks ("en", "ja"), or %NULL for the
   * session's: the kiosk sets it to follow its own language button.
   */
  nt_language_property_install (object_class, G_STRUCT_OFFSET (NtBeamPanel, language),
                                G_CALLBACK (language_changed));

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/nt-beam-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, NtBeamPanel, box);
  gtk_widget_class_bind_template_child (widget_class, NtBeamPanel, current_title);
  gtk_widget_class_bind_template_child (widget_class, NtBeamPanel, lifetime_title);
  gtk_widget_class_bind_template_child (widget_class, NtBeamPanel, topup_title);
  gtk_widget_class_bind_template_child (widget_class, NtBeamPanel, fill_title);
  gtk_widget_class_bind_template_child (widget_class, NtBeamPanel, energy_title);
  gtk_widget_class_bind_template_child (widget_class, NtBeamPanel, updated_title);
  gtk_widget_class_bind_template_child (widget_class, NtBeamPanel, current_value);
  gtk_widget_class_bind_template_child (widget_class, NtBeamPanel, current_unit);
  gtk_widget_class_bind_template_child (widget_class, NtBeamPanel, state_label);
  gtk_widget_class_bind_template_child (widget_class, NtBeamPanel, mode_label);
  gtk_widget_class_bind_template_child (widget_class, NtBeamPanel, injecting_label);
  gtk_widget_class_bind_template_child (widget_class, NtBeamPanel, lifetime_value);
  gtk_widget_class_bind_template_child (widget_class, NtBeamPanel, topup_value);
  gtk_widget_class_bind_template_child (widget_class, NtBeamPanel, fill_value);
  gtk_widget_class_bind_template_child (widget_class, NtBeamPanel, energy_value);
  gtk_widget_class_bind_template_child (widget_class, NtBeamPanel, updated_value);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "beampanel");
}

static void
nt_beam_panel_init (NtBeamPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  set_fixed_texts (self);
}

GtkWidget *
nt_beam_panel_new (NtContext *context)
{
  NtBeamPanel *self;

  g_return_val_if_fail (NT_IS_CONTEXT (context), NULL);

  self = g_object_new (NT_TYPE_BEAM_PANEL, NULL);
  self->context = g_object_ref (context);
  self->watch = nt_pv_watch_new (context, G_CALLBACK (nt_beam_panel_refresh),
                                 G_CALLBACK (nt_beam_panel_refresh), G_CALLBACK (nt_beam_panel_refresh), self);
  for (guint i = 0; i < N_SIGNALS; i++)
    nt_pv_watch_add (self->watch, signal_keys[i]);
  nt_pv_watch_start (self->watch);

  return GTK_WIDGET (self);
}

/**
 * nt_beam_panel_set_language:
 * @language: (nullable): "en", "ja", or %NULL for the session's language
 *
 * Shows the panel's words in @language from now on.
 */
void
nt_beam_panel_set_language (NtBeamPanel *self,
                            const char  *language)
{
  g_return_if_fail (NT_IS_BEAM_PANEL (self));

  nt_language_property_set (self, language);
}

const char *
nt_beam_panel_get_language (NtBeamPanel *self)
{
  g_return_val_if_fail (NT_IS_BEAM_PANEL (self), NULL);
  return self->language;
}

const char *
nt_beam_panel_get_current_text (NtBeamPanel *self)
{
  g_return_val_if_fail (NT_IS_BEAM_PANEL (self), NULL);
  return gtk_label_get_label (self->current_value);
}

const char *
nt_beam_panel_get_state_text (NtBeamPanel *self)
{
  g_return_val_if_fail (NT_IS_BEAM_PANEL (self), NULL);
  return gtk_label_get_label (self->state_label);
}

const char *
nt_beam_panel_get_topup_text (NtBeamPanel *self)
{
  g_return_val_if_fail (NT_IS_BEAM_PANEL (self), NULL);
  return gtk_label_get_label (self->topup_value);
}

const char *
nt_beam_panel_get_mode_text (NtBeamPanel *self)
{
  g_return_val_if_fail (NT_IS_BEAM_PANEL (self), NULL);
  return gtk_label_get_label (self->mode_label);
}
