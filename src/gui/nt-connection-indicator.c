/* nt-connection-indicator.c: always says where the numbers come from
 *
 * “Simulated facility”, “Connected to HOST”, “Reconnecting in 3 s…”,
 * “Offline: showing data from 14:02”. It is a state, so it lives in the
 * header bar, never in a toast.  Beside it, when the console's clock is
 * not the wall clock (a training day at a chosen instant, a facility that
 * keeps a time of its own, a faster time scale), “Facility time: …” says
 * which time every view shows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-connection-indicator"

#include "config.h"

#include "nt-clock.h"
#include "nt-connection-indicator.h"
#include "nt-i18n.h"
#include "nt-view-property.h"
#include "nt-time.h"
#include "nt-widget-util.h"

struct _NtConnectionIndicator
{
  GtkWidget   parent_instance;

  NtContext  *context;
  NtPvClient *pv_client;
  GtkWidget  *label;
  GtkWidget  *time_label;   /* "Facility time: …", shown when it is not real time */
  guint       tick_id;
  guint       time_tick_id;
  gulong      clock_changed_id;
  char       *language;
};

G_DEFINE_FINAL_TYPE (NtConnectionIndicator, nt_connection_indicator, GTK_TYPE_WIDGET)

static const char * const state_classes[] = { "simulated", "connected", "reconnecting", "offline" };

static void nt_connection_indicator_update (NtConnectionIndicator *self);
static void update_time (NtConnectionIndicator *self);

static char *
host_of (const char *uri)
{
  g_autoptr(GUri) parsed = uri ? g_uri_parse (uri, G_URI_FLAGS_NONE, NULL) : NULL;

  if (parsed == NULL || g_uri_get_host (parsed) == NULL)
    return g_strdup (uri ? uri : "");

  if (g_uri_get_port (parsed) > 0)
    return g_strdup_printf ("%s:%d", g_uri_get_host (parsed), g_uri_get_port (parsed));
  return g_strdup (g_uri_get_host (parsed));
}

static void
set_text (NtConnectionIndicator *self,
          const char            *css_class,
          const char            *text,
          const char            *tooltip)
{
  nt_widget_set_class_among (self->label, state_classes, G_N_ELEMENTS (state_classes), css_class);
  gtk_label_set_label (GTK_LABEL (self->label), text);
  gtk_widget_set_tooltip_text (self->label, tooltip);
  update_time (self);
  if (gtk_widget_get_visible (self->time_label))
    {
      g_autofree char *both = g_strconcat (text, " · ", gtk_label_get_label (GTK_LABEL (self->time_label)), NULL);

      gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, both, -1);
    }
  else
    gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
}

static void
nt_connection_indicator_update (NtConnectionIndicator *self)
{
  g_autofree char *host = host_of (nt_context_get_base_uri (self->context));
  gboolean simulated = nt_context_is_simulated (self->context);
  gboolean ticking = FALSE;
  g_auto(NtLanguageScope) scope = NT_LANGUAGE_SCOPE_INIT;

  nt_language_scope_enter (&scope, self->language);

  switch (nt_context_get_state (self->context))
    {
    case NT_CONTEXT_IDLE:
    case NT_CONTEXT_STARTING:
      if (simulated)
        set_text (self, "simulated", _("Starting the simulated facility…"), NULL);
      else
        {
          g_autofree char *text = g_strdup_printf (_("Connecting to %s…"),
                                                   nt_context_get_facility_url (self->context));
          set_text (self, "reconnecting", text, NULL);
        }
      break;

    case NT_CONTEXT_FAILED:
      set_text (self, "offline", _("Not connected"),
                nt_context_get_error (self->context) ? nt_context_get_error (self->context)->message : NULL);
      break;

    case NT_CONTEXT_READY:
      switch (nt_pv_client_get_state (self->pv_client))
        {
        case NT_CONNECTION_CONNECTED:
          if (simulated)
            set_text (self, "simulated", _("Simulated facility"),
                      _("The console runs a simulation of the facility on this computer. "
                        "Nothing shown here is the real machine."));
          else
            {
              g_autofree char *text = g_strdup_printf (_("Connected to %s"), host);
              set_text (self, "connected", text, NULL);
            }
          break;

        case NT_CONNECTION_CONNECTING:
        case NT_CONNECTION_DISCONNECTED:
        default:
          {
            int seconds = nt_pv_client_get_reconnect_seconds (self->pv_client);
            gint64 lost_at = nt_pv_client_get_lost_at (self->pv_client);
            const char *reason = nt_pv_client_get_disconnect_reason (self->pv_client);
            g_autofree char *text = NULL;

            if (lost_at > 0 && seconds > 0)
              {
                g_autofree char *when = nt_time_format_local (lost_at / G_USEC_PER_SEC, "%H:%M");

                /* Translators: %s is a time (14:02), %d seconds until the next try */
                text = g_strdup_printf (nt_ngettext ("Offline: showing data from %s · retrying in %d s",
                                                     "Offline: showing data from %s · retrying in %d s",
                                                     seconds),
                                        when, seconds);
              }
            else if (seconds > 0)
              text = g_strdup_printf (nt_ngettext ("Reconnecting in %d s…",
                                                   "Reconnecting in %d s…", seconds),
                                      seconds);
            else
              text = g_strdup_printf (_("Connecting to %s…"), host);

            set_text (self, lost_at > 0 ? "offline" : "reconnecting", text, reason);
            ticking = TRUE;
          }
          break;
        }
      break;

    default:
      g_return_if_reached ();
    }

  /* Count the seconds down only while there is something to count. */
  if (ticking && self->tick_id == 0)
    self->tick_id = nt_timeout_add_seconds_repeating (1, G_CALLBACK (nt_connection_indicator_update), self);
  else if (!ticking)
    g_clear_handle_id (&self->tick_id, g_source_remove);
}

/* More apart than this from the wall clock, the indicator shows the time. */
#define TIME_TOLERANCE_US (60 * G_USEC_PER_SEC)

static void
update_time (NtConnectionIndicator *self)
{
  NtClock *clock = nt_clock_get_default ();
  g_auto(NtLanguageScope) scope = NT_LANGUAGE_SCOPE_INIT;
  g_autofree char *when = NULL;
  g_autofree char *real = NULL;
  g_autofree char *text = NULL;
  g_autofree char *tooltip = NULL;
  double scale;

  if (!nt_clock_differs_from_real (clock, TIME_TOLERANCE_US))
    {
      gtk_widget_set_visible (self->time_label, FALSE);
      gtk_label_set_label (GTK_LABEL (self->time_label), "");
      return;
    }

  nt_language_scope_enter (&scope, self->language);
  scale = nt_clock_get_scale (clock);
  /* Translators: the facility's date and time in the header bar; see
   * nt_time_format_local for the codes (%a the short day name). */
  when = nt_time_format_local (nt_clock_get_now (clock), C_("facility time", "%a %-d %b %Y %H:%M"));
  real = nt_time_format_local (nt_clock_real_now (), C_("facility time", "%a %-d %b %Y %H:%M"));
  if (scale == 1.0)
    /* Translators: %s is a date and time (Wed 15 Jul 2026 10:00) */
    text = g_strdup_printf (_("Facility time: %s"), when);
  else if (scale == 0.0)
    /* Translators: %s is a date and time; the clock stands still */
    text = g_strdup_printf (_("Facility time: %s (stopped)"), when);
  else
    /* Translators: %s is a date and time, %g how many times faster than real time */
    text = g_strdup_printf (_("Facility time: %s (×%g)"), when, scale);
  /* Translators: %s is the computer's own date and time */
  tooltip = g_strdup_printf (_("The facility's services keep a time of their own (a training day or a replay), "
                               "and every view shows it. Your computer's clock says %s."), real);

  gtk_label_set_label (GTK_LABEL (self->time_label), text);
  gtk_widget_set_tooltip_text (self->time_label, tooltip);
  gtk_widget_set_visible (self->time_label, TRUE);
}

static void
clock_changed_cb (NtConnectionIndicator *self)
{
  update_time (self);
  nt_connection_indicator_update (self);
}

static void
context_state_cb (NtConnectionIndicator *self)
{
  NtPvClient *client = nt_context_get_pv_client (self->context);

  if (nt_disconnect_and_set (&self->pv_client, client, self) && client != NULL)
    {
      g_signal_connect_swapped (client, "notify::state", G_CALLBACK (nt_connection_indicator_update), self);
      g_signal_connect_swapped (client, "notify::lost-at", G_CALLBACK (nt_connection_indicator_update), self);
    }

  nt_connection_indicator_update (self);
}

/* Says it again, in the new language. */
static void
language_changed (NtConnectionIndicator *self)
{
  if (self->context != NULL)
    nt_connection_indicator_update (self);
}

static void
nt_connection_indicator_dispose (GObject *object)
{
  NtConnectionIndicator *self = (NtConnectionIndicator *)object;

  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_handle_id (&self->time_tick_id, g_source_remove);
  g_clear_signal_handler (&self->clock_changed_id, nt_clock_get_default ());
  nt_disconnect_and_clear (&self->pv_client, self);
  nt_disconnect_and_clear (&self->context, self);
  g_clear_pointer (&self->label, gtk_widget_unparent);
  g_clear_pointer (&self->time_label, gtk_widget_unparent);

  G_OBJECT_CLASS (nt_connection_indicator_parent_class)->dispose (object);
}

static void
nt_connection_indicator_finalize (GObject *object)
{
  NtConnectionIndicator *self = (NtConnectionIndicator *)object;

  g_free (self->language);

  G_OBJECT_CLASS (nt_connection_indicator_parent_class)->finalize (object);
}

static void
nt_connection_indicator_class_init (NtConnectionIndicatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = nt_connection_indicator_dispose;
  object_class->finalize = nt_connection_indicator_finalize;

  /**
   * NtConnectionIndicator:language:
   *
   * The language the indicator speaks ("en", "ja"), or %NULL for the
   * session's: the kiosk sets it to follow its own language button.
   */
  nt_language_property_install (object_class, G_STRUCT_OFFSET (NtConnectionIndicator, language),
                                G_CALLBACK (language_changed));

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_STATUS);
  gtk_widget_class_set_css_name (widget_class, "connectionindicator");
}

static void
nt_connection_indicator_init (NtConnectionIndicator *self)
{
  self->label = gtk_label_new (NULL);
  gtk_label_set_ellipsize (GTK_LABEL (self->label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (self->label, "connection-indicator");
  gtk_widget_set_valign (self->label, GTK_ALIGN_CENTER);
  gtk_widget_set_parent (self->label, GTK_WIDGET (self));

  /* Never cut short: which day it is matters more than the host name. */
  self->time_label = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->time_label, "connection-indicator");
  gtk_widget_add_css_class (self->time_label, "facility-time");
  gtk_widget_set_valign (self->time_label, GTK_ALIGN_CENTER);
  gtk_widget_set_visible (self->time_label, FALSE);
  gtk_widget_set_parent (self->time_label, GTK_WIDGET (self));
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (self))), 6);

  /* The minute shown moves on; a clock that is set shows at once. */
  self->time_tick_id = nt_timeout_add_seconds_repeating (15, G_CALLBACK (update_time), self);
  self->clock_changed_id = g_signal_connect_swapped (nt_clock_get_default (), "changed",
                                                     G_CALLBACK (clock_changed_cb), self);
}

GtkWidget *
nt_connection_indicator_new (NtContext *context)
{
  NtConnectionIndicator *self;

  g_return_val_if_fail (NT_IS_CONTEXT (context), NULL);

  self = g_object_new (NT_TYPE_CONNECTION_INDICATOR, NULL);
  self->context = g_object_ref (context);
  nt_context_follow_state (context, G_CALLBACK (context_state_cb), self);

  return GTK_WIDGET (self);
}

/**
 * nt_connection_indicator_get_text:
 *
 * Returns: what the indicator says now
 */
const char *
nt_connection_indicator_get_text (NtConnectionIndicator *self)
{
  g_return_val_if_fail (NT_IS_CONNECTION_INDICATOR (self), NULL);
  return gtk_label_get_label (GTK_LABEL (self->label));
}

/**
 * nt_connection_indicator_get_time_text:
 *
 * Returns: "Facility time: …" when the console's clock is not the wall
 *   clock, else ""
 */
const char *
nt_connection_indicator_get_time_text (NtConnectionIndicator *self)
{
  g_return_val_if_fail (NT_IS_CONNECTION_INDICATOR (self), NULL);
  return gtk_label_get_label (GTK_LABEL (self->time_label));
}

/**
 * nt_connection_indicator_set_language:
 * @language: (nullable): "en", "ja", or %NULL for the session's language
 */
void
nt_connection_indicator_set_language (NtConnectionIndicator *self,
                                      const char            *language)
{
  g_return_if_fail (NT_IS_CONNECTION_INDICATOR (self));

  nt_language_property_set (self, language);
}
