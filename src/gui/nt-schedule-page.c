/* nt-schedule-page.c: the Run plan and Allocations areas
 *
 * One page type serves both areas: the timeline filling the pane, a
 * toolbar (fiscal year, zoom, today, slot filter, undo, redo, export) and
 * the summary in a collapsible side panel.  This file builds the page and
 * its toolbar, holds its actions and its public API; reading the year and
 * following the change feed is nt-schedule-page-load.c, the rules during
 * a drag nt-schedule-page-rules.c, the writes with undo and redo
 * nt-schedule-page-edit.c, and export and printing
 * nt-schedule-page-export.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-schedule-page"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "nt-clock.h"
#include "nt-schedule-page-private.h"

G_DEFINE_FINAL_TYPE (NtSchedulePage, nt_schedule_page, GTK_TYPE_WIDGET)

void
nt_schedule_page_show_message (NtSchedulePage *self,
                               const char     *text,
                               gboolean        sticky)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  g_free (self->last_message);
  self->last_message = g_strdup (text);
  gtk_label_set_label (self->status_label, text);

  if (overlay != NULL)
    {
      AdwToast *toast = adw_toast_new (text);

      if (sticky)
        adw_toast_set_timeout (toast, 0);
      adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
    }
}

/* ------------------------------------------------------------------ */
/* Actions and toolbar                                                 */

static void
action_cb (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  NtSchedulePage *self = NT_SCHEDULE_PAGE (widget);

  if (g_str_equal (action_name, "schedule.undo"))
    nt_schedule_page_undo (self);
  else if (g_str_equal (action_name, "schedule.redo"))
    nt_schedule_page_redo (self);
  else if (g_str_equal (action_name, "schedule.zoom-in"))
    nt_timeline_zoom (self->timeline, 2.0);
  else if (g_str_equal (action_name, "schedule.zoom-out"))
    nt_timeline_zoom (self->timeline, 0.5);
  else if (g_str_equal (action_name, "schedule.fit"))
    nt_timeline_fit (self->timeline);
  else if (g_str_equal (action_name, "schedule.today"))
    {
      nt_timeline_set_view (self->timeline, nt_clock_now () - 86400,
                            nt_clock_now () + 6 * 86400);
    }
  else if (g_str_equal (action_name, "schedule.export-csv"))
    nt_schedule_page_choose_export (self, EXPORT_CSV_VISIBLE);
  else if (g_str_equal (action_name, "schedule.export-csv-year"))
    nt_schedule_page_choose_export (self, EXPORT_CSV_YEAR);
  else if (g_str_equal (action_name, "schedule.export-ics"))
    nt_schedule_page_choose_export (self, EXPORT_ICS_VISIBLE);
  else if (g_str_equal (action_name, "schedule.export-ics-year"))
    nt_schedule_page_choose_export (self, EXPORT_ICS_YEAR);
  else if (g_str_equal (action_name, "schedule.print"))
    nt_schedule_page_print (self, FALSE);
  else if (g_str_equal (action_name, "schedule.print-year"))
    nt_schedule_page_print (self, TRUE);
  else if (g_str_equal (action_name, "schedule.retry"))
    nt_schedule_page_retry (self);
}

static void
fy_selected_cb (NtSchedulePage *self)
{
  guint pos = gtk_drop_down_get_selected (self->fy_dropdown);

  if (pos == GTK_INVALID_LIST_POSITION)
    return;
  nt_schedule_page_set_fiscal_year (self, self->dropdown_fy - 2 + (int)pos);
}

/* The dropdown offers the two years either side of the clock's. */
static void
fill_fy_dropdown (NtSchedulePage *self,
                  int             middle)
{
  GtkStringList *years = GTK_STRING_LIST (gtk_drop_down_get_model (self->fy_dropdown));
  const char *names[6] = { NULL };
  char *owned[5];

  for (int i = 0; i < 5; i++)
    names[i] = owned[i] = g_strdup_printf (_("FY%d"), middle - 2 + i);
  self->dropdown_fy = middle;
  gtk_string_list_splice (years, 0, g_list_model_get_n_items (G_LIST_MODEL (years)), names);
  for (int i = 0; i < 5; i++)
    g_free (owned[i]);
}

/* The console took another clock (it follows a facility that keeps a
 * time of its own): a page still on the year of the old "now" moves to
 * the new one's. */
static void
clock_changed_cb (NtSchedulePage *self)
{
  int now_fy = nt_time_fiscal_year_of (nt_clock_now ());
  gboolean on_old_year = self->fiscal_year == self->dropdown_fy;

  if (now_fy == self->dropdown_fy)
    return;
  g_signal_handlers_block_by_func (self->fy_dropdown, fy_selected_cb, self);
  fill_fy_dropdown (self, now_fy);
  if (self->fiscal_year >= now_fy - 2 && self->fiscal_year <= now_fy + 2)
    gtk_drop_down_set_selected (self->fy_dropdown, (guint)(self->fiscal_year - now_fy + 2));
  g_signal_handlers_unblock_by_func (self->fy_dropdown, fy_selected_cb, self);
  if (on_old_year)
    nt_schedule_page_set_fiscal_year (self, now_fy);
}

static void
slot_toggled_cb (NtSchedulePage *self)
{
  guint mask = 0;
  int only = -1, n = 0;

  for (int i = 0; i < NT_N_SLOTS; i++)
    if (gtk_check_button_get_active (GTK_CHECK_BUTTON (self->slot_checks[i])))
      {
        mask |= 1u << i;
        only = i;
        n++;
      }
  nt_timeline_set_slot_mask (self->timeline, mask);
  /* With one slot shown, new bookings are of that slot. */
  nt_timeline_set_create_slot (self->timeline, n == 1 ? only : -1);
}

static GtkWidget *
icon_button (const char *icon,
             const char *tooltip,
             const char *action)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  return button;
}

static GtkWidget *
status_page (const char *icon,
             const char *title,
             const char *description,
             GtkWidget  *child)
{
  GtkWidget *page = adw_status_page_new ();

  if (icon != NULL)
    nt_status_page_set_icon_when_shown (ADW_STATUS_PAGE (page), icon);
  adw_status_page_set_title (ADW_STATUS_PAGE (page), title);
  adw_status_page_set_description (ADW_STATUS_PAGE (page), description);
  adw_status_page_set_child (ADW_STATUS_PAGE (page), child);
  return page;
}

static void
build (NtSchedulePage *self)
{
  static const char *slot_names[NT_N_SLOTS];
  g_autoptr(GMenu) export_menu = g_menu_new ();
  g_autoptr(GtkStringList) years = gtk_string_list_new (NULL);
  GtkWidget *content, *toolbar, *box, *popover_box, *popover, *button, *spinner, *scrolled, *panel_button;
  int now_fy = nt_time_fiscal_year_of (nt_clock_now ());

  slot_names[NT_SLOT_PUBLIC] = _("Public");
  slot_names[NT_SLOT_COALITION] = _("Coalition");
  slot_names[NT_SLOT_STAFF] = _("Staff");
  slot_names[NT_SLOT_COMMISSIONING] = _("Commissioning");

  self->toolbox = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_parent (self->toolbox, GTK_WIDGET (self));

  self->flap = ADW_FLAP (adw_flap_new ());
  adw_flap_set_flap_position (self->flap, GTK_PACK_END);
  adw_flap_set_reveal_flap (self->flap, TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self->flap), TRUE);
  gtk_box_append (GTK_BOX (self->toolbox), GTK_WIDGET (self->flap));

  content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_hexpand (content, TRUE);
  adw_flap_set_content (self->flap, content);

  toolbar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_margin_start (toolbar, 12);
  gtk_widget_set_margin_end (toolbar, 12);
  gtk_widget_set_margin_top (toolbar, 6);
  gtk_widget_set_margin_bottom (toolbar, 6);
  gtk_box_append (GTK_BOX (content), toolbar);

  self->fy_dropdown = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_object_ref (years)), NULL));
  fill_fy_dropdown (self, now_fy);
  gtk_drop_down_set_selected (self->fy_dropdown, 2);
  self->clock_id = g_signal_connect_swapped (nt_clock_get_default (), "changed",
                                             G_CALLBACK (clock_changed_cb), self);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->fy_dropdown), _("Fiscal year (April to March)"));
  g_signal_connect_swapped (self->fy_dropdown, "notify::selected", G_CALLBACK (fy_selected_cb), self);
  gtk_box_append (GTK_BOX (toolbar), GTK_WIDGET (self->fy_dropdown));

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_add_css_class (box, "linked");
  gtk_box_append (GTK_BOX (box), icon_button ("zoom-out-symbolic", _("Zoom Out (−)"), "schedule.zoom-out"));
  gtk_box_append (GTK_BOX (box), icon_button ("zoom-fit-best-symbolic", _("Whole Year (0)"), "schedule.fit"));
  gtk_box_append (GTK_BOX (box), icon_button ("zoom-in-symbolic", _("Zoom In (+)"), "schedule.zoom-in"));
  gtk_box_append (GTK_BOX (toolbar), box);

  button = gtk_button_new_with_mnemonic (_("_Today"));
  gtk_widget_set_tooltip_text (button, _("Show this week"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "schedule.today");
  gtk_box_append (GTK_BOX (toolbar), button);

  popover_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  for (int i = 0; i < NT_N_SLOTS; i++)
    {
      self->slot_checks[i] = gtk_check_button_new_with_label (slot_names[i]);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (self->slot_checks[i]), TRUE);
      g_signal_connect_swapped (self->slot_checks[i], "toggled", G_CALLBACK (slot_toggled_cb), self);
      gtk_box_append (GTK_BOX (popover_box), self->slot_checks[i]);
    }
  popover = gtk_popover_new ();
  gtk_popover_set_child (GTK_POPOVER (popover), popover_box);
  self->slot_button = gtk_menu_button_new ();
  gtk_menu_button_set_label (GTK_MENU_BUTTON (self->slot_button), _("Slots"));
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (self->slot_button), popover);
  gtk_widget_set_tooltip_text (self->slot_button, _("Which slots to show"));
  gtk_widget_set_visible (self->slot_button, self->mode == NT_TIMELINE_EDIT_ALLOCATIONS);
  gtk_box_append (GTK_BOX (toolbar), self->slot_button);

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_add_css_class (box, "linked");
  self->undo_button = icon_button ("edit-undo-symbolic", _("Undo"), "schedule.undo");
  self->redo_button = icon_button ("edit-redo-symbolic", _("Redo"), "schedule.redo");
  gtk_box_append (GTK_BOX (box), self->undo_button);
  gtk_box_append (GTK_BOX (box), self->redo_button);
  gtk_box_append (GTK_BOX (toolbar), box);

  self->status_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_hexpand (GTK_WIDGET (self->status_label), TRUE);
  gtk_label_set_xalign (self->status_label, 0);
  gtk_label_set_ellipsize (self->status_label, PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "caption");
  gtk_box_append (GTK_BOX (toolbar), GTK_WIDGET (self->status_label));

  g_menu_append (export_menu, _("Visible Range as _CSV…"), "schedule.export-csv");
  g_menu_append (export_menu, _("Whole Year as C_SV…"), "schedule.export-csv-year");
  g_menu_append (export_menu, _("Visible Range as _iCalendar…"), "schedule.export-ics");
  g_menu_append (export_menu, _("Whole Year as iC_alendar…"), "schedule.export-ics-year");
  g_menu_append (export_menu, _("_Print Visible Range…"), "schedule.print");
  g_menu_append (export_menu, _("Print _Whole Year…"), "schedule.print-year");
  button = gtk_menu_button_new ();
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "document-save-symbolic");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (button), G_MENU_MODEL (export_menu));
  gtk_widget_set_tooltip_text (button, _("Export"));
  gtk_box_append (GTK_BOX (toolbar), button);

  panel_button = gtk_toggle_button_new ();
  gtk_button_set_icon_name (GTK_BUTTON (panel_button), "sidebar-show-right-symbolic");
  gtk_widget_set_tooltip_text (panel_button, _("Show Summary"));
  g_object_bind_property (self->flap, "reveal-flap", panel_button, "active",
                          G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);
  gtk_box_append (GTK_BOX (toolbar), panel_button);

  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->stack), TRUE);
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (self->stack));

  spinner = gtk_spinner_new ();
  gtk_spinner_set_spinning (GTK_SPINNER (spinner), TRUE);
  gtk_widget_set_size_request (spinner, 32, 32);
  gtk_stack_add_named (self->stack,
                       status_page (NULL, _("Loading the Plan"),
                                    _("The year appears as soon as the scheduling service answers."), spinner),
                       "loading");
  button = gtk_button_new_with_mnemonic (_("_Try Again"));
  gtk_widget_set_halign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "pill");
  gtk_widget_add_css_class (button, "suggested-action");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "schedule.retry");
  self->failed_page = ADW_STATUS_PAGE (status_page ("network-offline-symbolic", _("The Plan Could Not Be Read"),
                                                    NULL, button));
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->failed_page), "failed");

  /* The preferences open at the access token (the context says it was
   * refused, or there is none). */
  button = gtk_button_new_with_mnemonic (_("_Enter Access Token…"));
  gtk_widget_set_halign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "pill");
  gtk_widget_add_css_class (button, "suggested-action");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "app.preferences");
  self->access_page = ADW_STATUS_PAGE (status_page ("dialog-password-symbolic",
                                                    _("This Facility Needs an Access Token"),
                                                    NULL, button));
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->access_page), "access");

  self->timeline = NT_TIMELINE (nt_timeline_new ());
  gtk_widget_set_hexpand (GTK_WIDGET (self->timeline), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self->timeline), TRUE);
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->timeline), "timeline");

  adw_flap_set_separator (self->flap, gtk_separator_new (GTK_ORIENTATION_VERTICAL));
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_size_request (scrolled, 320, -1);
  gtk_widget_add_css_class (scrolled, "background");
  self->summary_panel = NT_PLAN_SUMMARY (nt_plan_summary_new ());
  gtk_widget_set_margin_start (GTK_WIDGET (self->summary_panel), 18);
  gtk_widget_set_margin_end (GTK_WIDGET (self->summary_panel), 18);
  gtk_widget_set_margin_top (GTK_WIDGET (self->summary_panel), 18);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->summary_panel), 18);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->summary_panel));
  adw_flap_set_flap (self->flap, scrolled);
}

/* ------------------------------------------------------------------ */
/* vfuncs                                                              */

static void
nt_schedule_page_dispose (GObject *object)
{
  NtSchedulePage *self = (NtSchedulePage *)object;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->role_cancellable);
  g_clear_handle_id (&self->summary_id, g_source_remove);
  g_clear_signal_handler (&self->clock_id, nt_clock_get_default ());
  if (self->context != NULL)
    {
      NtScheduleClient *client = nt_context_get_schedule_client (self->context);

      if (client != NULL && self->change_id != 0)
        g_signal_handler_disconnect (client, self->change_id);
      self->change_id = 0;
      g_signal_handlers_disconnect_by_data (self->context, self);
    }
  if (self->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->dialog));
  self->dialog = NULL;
  g_clear_pointer (&self->toolbox, gtk_widget_unparent);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->role_cancellable);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (nt_schedule_page_parent_class)->dispose (object);
}

static void
nt_schedule_page_finalize (GObject *object)
{
  NtSchedulePage *self = (NtSchedulePage *)object;

  nt_schedule_page_clear_steps (self);
  g_clear_pointer (&self->members, g_ptr_array_unref);
  g_clear_pointer (&self->proposals, g_ptr_array_unref);
  g_clear_pointer (&self->summary, json_node_unref);
  g_clear_pointer (&self->early, g_ptr_array_unref);
  g_clear_error (&self->load_error);
  g_free (self->last_message);

  G_OBJECT_CLASS (nt_schedule_page_parent_class)->finalize (object);
}

static void
nt_schedule_page_class_init (NtSchedulePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  static const char * const actions[] = {
    "schedule.undo", "schedule.redo", "schedule.zoom-in", "schedule.zoom-out", "schedule.fit",
    "schedule.today", "schedule.export-csv", "schedule.export-csv-year", "schedule.export-ics",
    "schedule.export-ics-year",
    "schedule.print", "schedule.print-year", "schedule.retry",
  };

  object_class->dispose = nt_schedule_page_dispose;
  object_class->finalize = nt_schedule_page_finalize;

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    gtk_widget_class_install_action (widget_class, actions[i], NULL, action_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "schedule.undo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "schedule.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Z, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "schedule.redo", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
nt_schedule_page_init (NtSchedulePage *self)
{
  self->cancellable = g_cancellable_new ();
  self->role_cancellable = g_cancellable_new ();
  self->fiscal_year = nt_time_fiscal_year_of (nt_clock_now ());
  g_queue_init (&self->undo);
  g_queue_init (&self->redo);
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */

GtkWidget *
nt_schedule_page_new (NtContext          *context,
                      NtTimelineEditMode  mode)
{
  NtSchedulePage *self;

  g_return_val_if_fail (NT_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (mode == NT_TIMELINE_EDIT_PLAN || mode == NT_TIMELINE_EDIT_ALLOCATIONS, NULL);

  self = g_object_new (NT_TYPE_SCHEDULE_PAGE, NULL);
  self->context = g_object_ref (context);
  self->mode = mode;
  build (self);

  if (nt_context_get_catalogue (context) != NULL)
    nt_timeline_set_catalogue (self->timeline, nt_context_get_catalogue (context));
  nt_timeline_set_check_func (self->timeline, nt_schedule_page_check_rules, self, NULL);
  nt_schedule_page_connect_timeline (self);

  nt_schedule_page_set_can_edit (self, FALSE);
  nt_schedule_page_follow_context (self);

  return GTK_WIDGET (self);
}

/**
 * nt_schedule_page_get_timeline:
 *
 * Returns: (transfer none): the page's timeline
 */
NtTimeline *
nt_schedule_page_get_timeline (NtSchedulePage *self)
{
  g_return_val_if_fail (NT_IS_SCHEDULE_PAGE (self), NULL);
  return self->timeline;
}

gboolean
nt_schedule_page_is_loaded (NtSchedulePage *self)
{
  g_return_val_if_fail (NT_IS_SCHEDULE_PAGE (self), FALSE);
  return self->loaded;
}

int
nt_schedule_page_get_fiscal_year (NtSchedulePage *self)
{
  g_return_val_if_fail (NT_IS_SCHEDULE_PAGE (self), 0);
  return self->fiscal_year;
}

void
nt_schedule_page_set_fiscal_year (NtSchedulePage *self,
                                  int             fiscal_year)
{
  int middle = self->dropdown_fy;

  g_return_if_fail (NT_IS_SCHEDULE_PAGE (self));

  if (fiscal_year == self->fiscal_year)
    return;
  self->fiscal_year = fiscal_year;
  if (fiscal_year >= middle - 2 && fiscal_year <= middle + 2)
    gtk_drop_down_set_selected (self->fy_dropdown, (guint)(fiscal_year - middle + 2));
  /* Steps of another year would write where the person cannot see. */
  nt_schedule_page_clear_steps (self);
  nt_schedule_page_update_undo_buttons (self);
  g_clear_pointer (&self->summary, json_node_unref);
  nt_plan_summary_set_summary (self->summary_panel, NULL);
  self->loaded = FALSE;
  nt_schedule_page_load (self);
}

/* A drag the person is making when editing is withdrawn ends here, as
 * if let go: the page no longer acts on what it asks for. */
static void
end_timeline_drags (NtSchedulePage *self)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (self->timeline));

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_DRAG (controller))
        gtk_event_controller_reset (controller);
    }
}

/**
 * nt_schedule_page_set_can_edit:
 * @can_edit: whether the token in use may edit what this page shows
 *
 * Shows or hides every editing affordance.  Withdrawing editing closes an
 * open editor or conflict dialog (its change is not sent), ends a drag in
 * progress without a write, and drops the undo and redo steps, which were
 * made with the rights of before.
 */
void
nt_schedule_page_set_can_edit (NtSchedulePage *self,
                               gboolean        can_edit)
{
  gboolean withdrawn;

  g_return_if_fail (NT_IS_SCHEDULE_PAGE (self));

  can_edit = !!can_edit;
  withdrawn = self->can_edit && !can_edit;
  self->can_edit = can_edit;
  nt_timeline_set_edit_mode (self->timeline, can_edit ? self->mode : NT_TIMELINE_EDIT_NONE);
  gtk_widget_set_visible (gtk_widget_get_parent (self->undo_button), can_edit);

  if (withdrawn)
    {
      end_timeline_drags (self);
      nt_schedule_page_clear_steps (self);
      if (self->dialog != NULL)
        {
          GtkWidget *dialog = g_steal_pointer (&self->dialog);

          gtk_window_destroy (GTK_WINDOW (dialog));
          nt_schedule_page_show_message (self, _("The access token in use may not edit here: the open dialog was closed "
                                "and its change not sent"), TRUE);
        }
    }
  nt_schedule_page_update_undo_buttons (self);
}

gboolean
nt_schedule_page_get_can_edit (NtSchedulePage *self)
{
  g_return_val_if_fail (NT_IS_SCHEDULE_PAGE (self), FALSE);
  return self->can_edit;
}



const char *
nt_schedule_page_get_last_message (NtSchedulePage *self)
{
  g_return_val_if_fail (NT_IS_SCHEDULE_PAGE (self), NULL);
  return self->last_message;
}

/**
 * nt_schedule_page_get_dialog:
 *
 * Returns: (transfer none) (nullable): the open editor or conflict dialog
 */
GtkWidget *
nt_schedule_page_get_dialog (NtSchedulePage *self)
{
  g_return_val_if_fail (NT_IS_SCHEDULE_PAGE (self), NULL);
  return self->dialog;
}

/**
 * nt_schedule_page_get_summary:
 *
 * Returns: (transfer none) (nullable): the last summary read
 */
JsonNode *
nt_schedule_page_get_summary (NtSchedulePage *self)
{
  g_return_val_if_fail (NT_IS_SCHEDULE_PAGE (self), NULL);
  return self->summary;
}
