/* nt-kiosk-window.c: the console as the lobby shows it
 *
 * Full screen, read only, large type; the pages (the beam, the beamlines,
 * the run plan, the facility explained for visitors) turn by themselves.
 * The kiosk's own words come in Japanese and English from
 * nt-kiosk-texts.json and switch at run time (a button, or alternating
 * each round of pages). When the services go away the kiosk says so calmly
 * in its header and carries on showing what it had; it never opens a
 * dialog. The pointer hides when idle, and only the exit key chord of the
 * settings closes the window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-kiosk-window"

#include "config.h"

#include <math.h>

#include "nt-connection-indicator.h"
#include "nt-kiosk-window-private.h"
#include "nt-view-property.h"

#define DEFAULT_EXIT_CHORD    "<Control><Alt><Shift>q"
#define POINTER_IDLE_SECONDS  3
#define RETRY_SECONDS         10

G_DEFINE_FINAL_TYPE (NtKioskWindow, nt_kiosk_window, ADW_TYPE_APPLICATION_WINDOW)

/* ---- status: starting, reconnecting, or nothing to say ---- */

static gboolean
retry_cb (gpointer user_data)
{
  NtKioskWindow *self = user_data;

  self->retry_id = 0;
  if (nt_context_get_state (self->context) == NT_CONTEXT_FAILED)
    {
      g_debug ("the facility could not be reached; trying again");
      nt_context_start (self->context);
    }

  return G_SOURCE_REMOVE;
}

static void
update_status (NtKioskWindow *self)
{
  const char *key = NULL;

  switch (nt_context_get_state (self->context))
    {
    case NT_CONTEXT_IDLE:
    case NT_CONTEXT_STARTING:
      key = "starting";
      break;

    case NT_CONTEXT_FAILED:
      /* Calmly, and again later: the lobby has nobody to press a button. */
      key = "reconnecting";
      if (self->retry_id == 0)
        self->retry_id = g_timeout_add_seconds (RETRY_SECONDS, retry_cb, self);
      break;

    case NT_CONTEXT_READY:
      if (self->pv_client != NULL &&
          nt_pv_client_get_state (self->pv_client) != NT_CONNECTION_CONNECTED)
        key = "reconnecting";
      break;

    default:
      break;
    }

  g_free (self->status_text);
  self->status_text = g_strdup (key);
  gtk_label_set_label (self->status_label, key ? nt_kiosk_window_text (self, key) : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), key != NULL);
}

static void
pv_state_cb (NtKioskWindow *self)
{
  update_status (self);

  /* Back after a loss: read the plan again rather than wait. */
  if (self->pv_client != NULL &&
      nt_pv_client_get_state (self->pv_client) == NT_CONNECTION_CONNECTED &&
      self->plan_stale)
    nt_kiosk_window_load_plan (self);
}

static void
context_state_cb (NtKioskWindow *self)
{
  NtPvClient *client = nt_context_get_pv_client (self->context);

  if (client != self->pv_client)
    {
      if (self->pv_client != NULL)
        g_signal_handlers_disconnect_by_data (self->pv_client, self);
      g_set_object (&self->pv_client, client);
      if (client != NULL)
        g_signal_connect_swapped (client, "notify::state", G_CALLBACK (pv_state_cb), self);
    }

  if (nt_context_get_state (self->context) == NT_CONTEXT_READY)
    {
      const char *pv = nt_context_lookup_pv (self->context, "ring.current");

      if (self->chart != NULL && self->feed == NULL && pv != NULL)
        self->feed = nt_chart_feed_new (self->chart, 0,
                                        nt_context_get_pv_client (self->context),
                                        nt_context_get_archive_client (self->context),
                                        pv);
      if (self->plan_today_box != NULL && self->periods == NULL && self->plan_pending == 0)
        nt_kiosk_window_load_plan (self);
      if (self->reliability_box != NULL && self->reliability == NULL && !self->reliability_pending)
        nt_kiosk_window_load_reliability (self);
    }

  update_status (self);
}

/* ---- turning pages ---- */

static gboolean rotate_cb (gpointer user_data);

static void
restart_rotation (NtKioskWindow *self)
{
  guint interval = g_settings_get_uint (self->settings, "kiosk-interval");

  g_clear_handle_id (&self->rotate_id, g_source_remove);
  if (self->page_names->len > 1)
    self->rotate_id = g_timeout_add_seconds (MAX (interval, 1), rotate_cb, self);
}

static gboolean
rotate_cb (gpointer user_data)
{
  NtKioskWindow *self = user_data;

  self->rotate_id = 0;
  nt_kiosk_window_next_page (self);

  return G_SOURCE_REMOVE;
}

static void
page_changed_cb (NtKioskWindow *self,
                 guint          index)
{
  if (index == self->current)
    return;

  /* A visitor swiped: give the page they chose its full time. */
  self->current = index;
  restart_rotation (self);
}

static void
language_clicked_cb (NtKioskWindow *self)
{
  nt_kiosk_window_set_language (self, g_str_equal (self->language, "ja") ? "en" : "ja");
}

/* ---- pointer and exit ---- */

static gboolean
pointer_idle_cb (gpointer user_data)
{
  NtKioskWindow *self = user_data;

  self->pointer_id = 0;
  self->pointer_hidden = TRUE;
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "none");

  return G_SOURCE_REMOVE;
}

static void
pointer_moved_cb (NtKioskWindow *self,
                  double         x,
                  double         y)
{
  /* GTK also reports "motion" when the pages change under a still
   * pointer: only a pointer that really moved counts as someone there. */
  if (self->pointer_seen &&
      fabs (x - self->pointer_x) < 1.0 && fabs (y - self->pointer_y) < 1.0)
    return;
  self->pointer_seen = TRUE;
  self->pointer_x = x;
  self->pointer_y = y;

  if (self->pointer_hidden)
    {
      gtk_widget_set_cursor (GTK_WIDGET (self), NULL);
      self->pointer_hidden = FALSE;
    }

  g_clear_handle_id (&self->pointer_id, g_source_remove);
  self->pointer_id = g_timeout_add_seconds (POINTER_IDLE_SECONDS, pointer_idle_cb, self);
}

static gboolean
exit_chord_cb (GtkWidget *widget,
               GVariant  *args,
               gpointer   user_data)
{
  nt_kiosk_window_exit (NT_KIOSK_WINDOW (widget));
  return TRUE;
}

static void
update_exit_chord (NtKioskWindow *self)
{
  g_autofree char *chord = g_settings_get_string (self->settings, "kiosk-exit-chord");
  guint keyval = 0;
  GdkModifierType modifiers = 0;

  if (!gtk_accelerator_parse (chord, &keyval, &modifiers) || keyval == 0 ||
      (modifiers & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK)) == 0)
    {
      /* A chord a visitor could press by chance would not keep the kiosk
       * shut: keep the default. */
      g_message ("The kiosk exit keys “%s” are not a key with Control, Alt or Super; "
                 "using %s", chord, DEFAULT_EXIT_CHORD);
      gtk_accelerator_parse (DEFAULT_EXIT_CHORD, &keyval, &modifiers);
    }

  self->exit_keyval = keyval;
  self->exit_modifiers = modifiers;
  gtk_shortcut_set_trigger (self->exit_shortcut, gtk_keyval_trigger_new (keyval, modifiers));
}

/* ---- vfuncs ---- */

static gboolean
nt_kiosk_window_close_request (GtkWindow *window)
{
  NtKioskWindow *self = NT_KIOSK_WINDOW (window);

  /* Only the exit chord leaves the kiosk. */
  if (!self->exiting)
    return TRUE;

  return GTK_WINDOW_CLASS (nt_kiosk_window_parent_class)->close_request (window);
}

static void
nt_kiosk_window_constructed (GObject *object)
{
  NtKioskWindow *self = (NtKioskWindow *)object;
  GtkShortcutController *shortcuts;
  GtkEventController *motion;

  G_OBJECT_CLASS (nt_kiosk_window_parent_class)->constructed (object);

  self->settings = g_object_ref (nt_context_get_settings (self->context));

  nt_kiosk_window_load_texts (self);

  gtk_box_append (self->indicator_box, nt_kiosk_window_speaker (self, nt_connection_indicator_new (self->context)));

  nt_kiosk_window_build_pages (self);

  shortcuts = GTK_SHORTCUT_CONTROLLER (gtk_shortcut_controller_new ());
  gtk_shortcut_controller_set_scope (shortcuts, GTK_SHORTCUT_SCOPE_GLOBAL);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (shortcuts), GTK_PHASE_CAPTURE);
  self->exit_shortcut = gtk_shortcut_new (NULL, gtk_callback_action_new (exit_chord_cb, NULL, NULL));
  gtk_shortcut_controller_add_shortcut (shortcuts, g_object_ref (self->exit_shortcut));
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (shortcuts));
  update_exit_chord (self);

  motion = gtk_event_controller_motion_new ();
  g_signal_connect_swapped (motion, "motion", G_CALLBACK (pointer_moved_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  /* Start the idle count as if the pointer had just moved. */
  self->pointer_id = g_timeout_add_seconds (POINTER_IDLE_SECONDS, pointer_idle_cb, self);

  g_signal_connect_swapped (self->settings, "changed::kiosk-interval", G_CALLBACK (restart_rotation), self);
  g_signal_connect_swapped (self->settings, "changed::kiosk-exit-chord", G_CALLBACK (update_exit_chord), self);
  g_signal_connect_swapped (self->context, "notify::state", G_CALLBACK (context_state_cb), self);
  context_state_cb (self);
  restart_rotation (self);

  gtk_window_fullscreen (GTK_WINDOW (self));
}

static void
nt_kiosk_window_dispose (GObject *object)
{
  NtKioskWindow *self = (NtKioskWindow *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->rotate_id, g_source_remove);
  g_clear_handle_id (&self->pointer_id, g_source_remove);
  g_clear_handle_id (&self->plan_id, g_source_remove);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_clear_handle_id (&self->reliability_id, g_source_remove);
  self->reliability_box = NULL;
  self->reliability_chart = NULL;
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  if (self->context != NULL)
    g_signal_handlers_disconnect_by_data (self->context, self);
  if (self->pv_client != NULL)
    g_signal_handlers_disconnect_by_data (self->pv_client, self);
  g_clear_object (&self->pv_client);
  g_clear_object (&self->feed);
  g_clear_object (&self->station_schedule);
  self->chart = NULL;
  self->plan_today_box = NULL;
  self->plan_week_box = NULL;
  self->plan_beamtime_box = NULL;
  self->beamline_text_box = NULL;
  if (self->bound != NULL)
    g_ptr_array_set_size (self->bound, 0);
  if (self->speakers != NULL)
    g_ptr_array_set_size (self->speakers, 0);

  G_OBJECT_CLASS (nt_kiosk_window_parent_class)->dispose (object);
}

static void
nt_kiosk_window_finalize (GObject *object)
{
  NtKioskWindow *self = (NtKioskWindow *)object;

  g_clear_object (&self->context);
  g_clear_object (&self->settings);
  g_clear_object (&self->texts);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->exit_shortcut);
  g_clear_pointer (&self->language, g_free);
  g_clear_pointer (&self->bound, g_ptr_array_unref);
  g_clear_pointer (&self->speakers, g_ptr_array_unref);
  g_clear_pointer (&self->page_names, g_ptr_array_unref);
  g_clear_pointer (&self->periods, g_ptr_array_unref);
  g_clear_pointer (&self->allocations, g_ptr_array_unref);
  g_clear_pointer (&self->plan_text, g_free);
  g_clear_object (&self->reliability_client);
  g_clear_pointer (&self->reliability, nt_statistics_unref);
  g_clear_pointer (&self->reliability_text, g_free);
  g_clear_pointer (&self->status_text, g_free);

  G_OBJECT_CLASS (nt_kiosk_window_parent_class)->finalize (object);
}

static void
nt_kiosk_window_class_init (NtKioskWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = nt_kiosk_window_constructed;
  object_class->dispose = nt_kiosk_window_dispose;
  object_class->finalize = nt_kiosk_window_finalize;

  window_class->close_request = nt_kiosk_window_close_request;

  nt_context_property_install (object_class, G_STRUCT_OFFSET (NtKioskWindow, context));

  g_type_ensure (NT_TYPE_CONNECTION_INDICATOR);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/nt-kiosk-window.ui");
  gtk_widget_class_bind_template_child (widget_class, NtKioskWindow, carousel);
  gtk_widget_class_bind_template_child (widget_class, NtKioskWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, NtKioskWindow, indicator_box);
  gtk_widget_class_bind_template_child (widget_class, NtKioskWindow, language_button);
  gtk_widget_class_bind_template_callback (widget_class, language_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, page_changed_cb);
}

static void
nt_kiosk_window_init (NtKioskWindow *self)
{
  self->cancellable = g_cancellable_new ();
  self->page_names = g_ptr_array_new_with_free_func (g_free);
  nt_kiosk_window_init_texts (self);

  gtk_widget_init_template (GTK_WIDGET (self));
}

/* ---- public API ---- */

NtKioskWindow *
nt_kiosk_window_new (GtkApplication *application,
                     NtContext      *context)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (NT_IS_CONTEXT (context), NULL);

  return g_object_new (NT_TYPE_KIOSK_WINDOW,
                       "application", application,
                       "context", context,
                       NULL);
}

guint
nt_kiosk_window_get_n_pages (NtKioskWindow *self)
{
  g_return_val_if_fail (NT_IS_KIOSK_WINDOW (self), 0);
  return self->page_names->len;
}

/**
 * nt_kiosk_window_get_page_name:
 *
 * Returns: the page shown: "beam", "beamlines", "plan" or "facility"
 */
const char *
nt_kiosk_window_get_page_name (NtKioskWindow *self)
{
  g_return_val_if_fail (NT_IS_KIOSK_WINDOW (self), NULL);

  if (self->current >= self->page_names->len)
    return NULL;
  return g_ptr_array_index (self->page_names, self->current);
}

/**
 * nt_kiosk_window_get_n_turns:
 *
 * Returns: how many times the pages have turned by themselves
 */
guint
nt_kiosk_window_get_n_turns (NtKioskWindow *self)
{
  g_return_val_if_fail (NT_IS_KIOSK_WINDOW (self), 0);
  return self->n_turns;
}

/**
 * nt_kiosk_window_next_page:
 *
 * Turns to the next page, as the timer does; after the last page the
 * first comes again, in the other language when the kiosk alternates.
 */
void
nt_kiosk_window_next_page (NtKioskWindow *self)
{
  guint next;

  g_return_if_fail (NT_IS_KIOSK_WINDOW (self));

  if (self->page_names->len == 0)
    return;

  next = (self->current + 1) % self->page_names->len;
  if (next == 0 && self->alternate)
    nt_kiosk_window_set_language (self, g_str_equal (self->language, "ja") ? "en" : "ja");

  self->current = next;
  self->n_turns++;
  adw_carousel_scroll_to (self->carousel, adw_carousel_get_nth_page (self->carousel, next),
                          gtk_widget_get_mapped (GTK_WIDGET (self)));
  restart_rotation (self);
}

const char *
nt_kiosk_window_get_language (NtKioskWindow *self)
{
  g_return_val_if_fail (NT_IS_KIOSK_WINDOW (self), NULL);
  return self->language;
}

/**
 * nt_kiosk_window_set_language:
 * @language: "ja" or "en"
 *
 * Shows the kiosk's own words in that language.
 */
void
nt_kiosk_window_set_language (NtKioskWindow *self,
                              const char    *language)
{
  g_return_if_fail (NT_IS_KIOSK_WINDOW (self));
  g_return_if_fail (g_strcmp0 (language, "ja") == 0 || g_strcmp0 (language, "en") == 0);

  if (g_str_equal (self->language, language))
    return;

  g_free (self->language);
  self->language = g_strdup (language);
  nt_kiosk_window_apply_language (self);
}

/**
 * nt_kiosk_window_lookup_text:
 * @key: a key of the "ui" section of nt-kiosk-texts.json
 *
 * Returns: the kiosk's words for @key in its current language
 */
const char *
nt_kiosk_window_lookup_text (NtKioskWindow *self,
                             const char    *key)
{
  g_return_val_if_fail (NT_IS_KIOSK_WINDOW (self), NULL);
  return nt_kiosk_window_text (self, key);
}

/**
 * nt_kiosk_window_get_status_text:
 *
 * Returns: what the kiosk's header says about the services ("" when all
 *   is well)
 */
const char *
nt_kiosk_window_get_status_text (NtKioskWindow *self)
{
  g_return_val_if_fail (NT_IS_KIOSK_WINDOW (self), NULL);
  return gtk_label_get_label (self->status_label);
}

/**
 * nt_kiosk_window_get_plan_text:
 *
 * Returns: the rows of the plan page, one per line ("" before the plan
 *   has been read)
 */
const char *
nt_kiosk_window_get_plan_text (NtKioskWindow *self)
{
  g_return_val_if_fail (NT_IS_KIOSK_WINDOW (self), NULL);
  return self->plan_text ? self->plan_text : "";
}

/**
 * nt_kiosk_window_is_loading:
 *
 * Returns: whether the kiosk waits for the services: history for its
 *   chart, or the run plan
 */
gboolean
nt_kiosk_window_is_loading (NtKioskWindow *self)
{
  g_return_val_if_fail (NT_IS_KIOSK_WINDOW (self), FALSE);

  if (self->plan_pending > 0 || self->reliability_pending)
    return TRUE;
  if (self->feed != NULL &&
      (nt_chart_feed_get_n_pending (self->feed) > 0 || nt_chart_feed_is_refilling (self->feed)))
    return TRUE;

  return FALSE;
}

gboolean
nt_kiosk_window_get_pointer_hidden (NtKioskWindow *self)
{
  g_return_val_if_fail (NT_IS_KIOSK_WINDOW (self), FALSE);
  return self->pointer_hidden;
}

/**
 * nt_kiosk_window_get_exit_chord:
 *
 * Returns: whether there is an exit chord (always, once constructed)
 */
gboolean
nt_kiosk_window_get_exit_chord (NtKioskWindow   *self,
                                guint           *keyval,
                                GdkModifierType *modifiers)
{
  g_return_val_if_fail (NT_IS_KIOSK_WINDOW (self), FALSE);

  if (keyval != NULL)
    *keyval = self->exit_keyval;
  if (modifiers != NULL)
    *modifiers = self->exit_modifiers;

  return self->exit_keyval != 0;
}

/**
 * nt_kiosk_window_exit:
 *
 * Leaves the kiosk: what the exit chord does. Closing the window any other
 * way is refused.
 */
void
nt_kiosk_window_exit (NtKioskWindow *self)
{
  g_return_if_fail (NT_IS_KIOSK_WINDOW (self));

  self->exiting = TRUE;
  gtk_window_close (GTK_WINDOW (self));
}
