/* nt-allocation-editor.c: edits a copy of one allocation or run-plan period
 *
 * The dialog shows the booking's station and span and lets the person set
 * the slot, the proposal or member, the status and the note (for a period:
 * its kind and note).  It edits a copy: nothing changes until "save" is
 * chosen, and then the caller sends the copy (nt_allocation_editor_get_result()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-allocation-editor"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "nt-allocation-editor.h"
#include "nt-allocation.h"
#include "nt-member.h"
#include "nt-run-period.h"
#include "nt-time.h"
#include "nt-timeline-labels.h"

struct _NtAllocationEditor
{
  AdwMessageDialog  parent_instance;

  GObject          *copy;
  GPtrArray        *members;   /* NtMember */

  AdwComboRow      *kind_row;  /* slot, or period kind */
  AdwEntryRow      *proposal_row;
  AdwComboRow      *member_row;
  AdwComboRow      *status_row;
  AdwEntryRow      *note_row;
};

G_DEFINE_FINAL_TYPE (NtAllocationEditor, nt_allocation_editor, ADW_TYPE_MESSAGE_DIALOG)

/* The slots as the editor offers them: what each one books. */
static const char * const slot_choices[] = {
  N_("Public (proposal)"), N_("Coalition (member)"), N_("Staff"), N_("Commissioning"),
};

G_STATIC_ASSERT (G_N_ELEMENTS (slot_choices) == NT_N_SLOTS);

/* A combo row titled @title offering @choices, the @selected one chosen. */
static AdwComboRow *
choice_row_new (const char    *title,
                GtkStringList *choices,
                guint          selected)
{
  AdwComboRow *row = ADW_COMBO_ROW (adw_combo_row_new ());

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_combo_row_set_model (row, G_LIST_MODEL (choices));
  adw_combo_row_set_selected (row, selected);
  return row;
}

static void
update_sensitivity (NtAllocationEditor *self)
{
  int slot;

  if (!NT_IS_ALLOCATION (self->copy))
    return;

  slot = (int)adw_combo_row_get_selected (self->kind_row);
  gtk_widget_set_visible (GTK_WIDGET (self->proposal_row), slot == NT_SLOT_PUBLIC);
  gtk_widget_set_visible (GTK_WIDGET (self->member_row), slot == NT_SLOT_COALITION);
}

static void
nt_allocation_editor_dispose (GObject *object)
{
  NtAllocationEditor *self = (NtAllocationEditor *)object;

  g_clear_object (&self->copy);
  g_clear_pointer (&self->members, g_ptr_array_unref);

  G_OBJECT_CLASS (nt_allocation_editor_parent_class)->dispose (object);
}

static void
nt_allocation_editor_class_init (NtAllocationEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = nt_allocation_editor_dispose;
}

static void
nt_allocation_editor_init (NtAllocationEditor *self)
{
}

GtkWidget *
nt_allocation_editor_new (GtkWindow *parent,
                          gpointer   object,
                          GPtrArray *members,
                          gboolean   is_new)
{
  NtAllocationEditor *self;
  GtkWidget *group;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *body = NULL;
  const char *station = NULL;
  gint64 start, end;

  g_return_val_if_fail (NT_IS_ALLOCATION (object) || NT_IS_RUN_PERIOD (object), NULL);

  self = g_object_new (NT_TYPE_ALLOCATION_EDITOR,
                       "transient-for", parent,
                       "modal", TRUE,
                       NULL);
  self->members = members != NULL ? g_ptr_array_ref (members)
                                  : g_ptr_array_new_with_free_func (g_object_unref);

  group = adw_preferences_group_new ();
  self->note_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->note_row), _("Note"));

  if (NT_IS_ALLOCATION (object))
    {
      NtAllocation *copy = nt_allocation_copy (object);
      g_autoptr(GtkStringList) slots = gtk_string_list_new (NULL);
      g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
      g_autoptr(GtkStringList) statuses = gtk_string_list_new (NULL);
      guint member_pos = 0;

      self->copy = G_OBJECT (copy);
      start = nt_allocation_get_start (copy);
      end = nt_allocation_get_end (copy);
      station = nt_allocation_get_station (copy);

      for (int i = 0; i < NT_N_SLOTS; i++)
        gtk_string_list_append (slots, _(slot_choices[i]));
      self->kind_row = choice_row_new (_("Slot"), slots, nt_allocation_get_slot (copy));

      self->proposal_row = ADW_ENTRY_ROW (adw_entry_row_new ());
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->proposal_row), _("Proposal"));
      gtk_editable_set_text (GTK_EDITABLE (self->proposal_row),
                             nt_allocation_get_proposal (copy) ? nt_allocation_get_proposal (copy) : "");

      gtk_string_list_append (names, _("None"));
      for (guint i = 0; i < self->members->len; i++)
        {
          NtMember *m = g_ptr_array_index (self->members, i);

          gtk_string_list_append (names, nt_member_get_name (m));
          if (nt_member_get_id (m) == nt_allocation_get_member (copy))
            member_pos = i + 1;
        }
      self->member_row = choice_row_new (_("Member"), names, member_pos);

      for (int i = 0; i < NT_N_ALLOCATION_STATUSES; i++)
        gtk_string_list_append (statuses, nt_timeline_status_label (i));
      self->status_row = choice_row_new (_("Status"), statuses, nt_allocation_get_status (copy));

      gtk_editable_set_text (GTK_EDITABLE (self->note_row),
                             nt_allocation_get_note (copy) ? nt_allocation_get_note (copy) : "");

      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->kind_row));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->proposal_row));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->member_row));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->status_row));

      adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (self),
                                      is_new ? _("New Allocation") : _("Edit Allocation"));
      g_signal_connect_object (self->kind_row, "notify::selected",
                               G_CALLBACK (update_sensitivity), self, G_CONNECT_SWAPPED);
    }
  else
    {
      NtRunPeriod *copy = nt_run_period_copy (object);
      g_autoptr(GtkStringList) kinds = gtk_string_list_new (NULL);

      self->copy = G_OBJECT (copy);
      start = nt_run_period_get_start (copy);
      end = nt_run_period_get_end (copy);
      for (int i = 0; i < NT_N_PERIOD_KINDS; i++)
        gtk_string_list_append (kinds, nt_timeline_period_kind_label (i));
      self->kind_row = choice_row_new (_("Kind"), kinds, nt_run_period_get_kind (copy));
      gtk_editable_set_text (GTK_EDITABLE (self->note_row), nt_run_period_get_note (copy));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->kind_row));

      adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (self),
                                      is_new ? _("New Run-Plan Period") : _("Edit Run-Plan Period"));
    }

  from = nt_time_format_local (start, "%Y-%m-%d %H:%M");
  to = nt_time_format_local (end, "%Y-%m-%d %H:%M");
  body = station != NULL ? g_strdup_printf (_("%s, %s – %s JST"), station, from, to)
                         : g_strdup_printf (_("Run plan, %s – %s JST"), from, to);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->note_row));
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self), body);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (self), group);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (self),
                                    "cancel", _("_Cancel"),
                                    "save", is_new ? _("_Create") : _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (self), "save",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (self), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (self), "cancel");
  update_sensitivity (self);

  return GTK_WIDGET (self);
}

/**
 * nt_allocation_editor_get_result:
 *
 * Returns: (transfer full): the edited copy
 */
gpointer
nt_allocation_editor_get_result (NtAllocationEditor *self)
{
  const char *note;

  g_return_val_if_fail (NT_IS_ALLOCATION_EDITOR (self), NULL);

  note = gtk_editable_get_text (GTK_EDITABLE (self->note_row));

  if (NT_IS_ALLOCATION (self->copy))
    {
      NtAllocation *copy = nt_allocation_copy (NT_ALLOCATION (self->copy));
      NtSlot slot = (NtSlot)adw_combo_row_get_selected (self->kind_row);
      guint member = adw_combo_row_get_selected (self->member_row);
      const char *proposal = gtk_editable_get_text (GTK_EDITABLE (self->proposal_row));

      nt_allocation_set_slot (copy, slot);
      nt_allocation_set_proposal (copy, slot == NT_SLOT_PUBLIC && *proposal ? proposal : NULL);
      nt_allocation_set_member (copy, slot == NT_SLOT_COALITION && member > 0 && member <= self->members->len
                                      ? nt_member_get_id (g_ptr_array_index (self->members, member - 1)) : 0);
      nt_allocation_set_status (copy, (NtAllocationStatus)adw_combo_row_get_selected (self->status_row));
      nt_allocation_set_note (copy, note);
      return copy;
    }
  else
    {
      NtRunPeriod *copy = nt_run_period_copy (NT_RUN_PERIOD (self->copy));

      nt_run_period_set_kind (copy, (NtPeriodKind)adw_combo_row_get_selected (self->kind_row));
      nt_run_period_set_note (copy, note);
      return copy;
    }
}

void
nt_allocation_editor_set_slot (NtAllocationEditor *self,
                               int                 slot)
{
  g_return_if_fail (NT_IS_ALLOCATION_EDITOR (self));
  adw_combo_row_set_selected (self->kind_row, (guint)slot);
}

void
nt_allocation_editor_set_proposal (NtAllocationEditor *self,
                                   const char         *proposal)
{
  g_return_if_fail (NT_IS_ALLOCATION_EDITOR (self));
  g_return_if_fail (self->proposal_row != NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->proposal_row), proposal ? proposal : "");
}

void
nt_allocation_editor_set_member (NtAllocationEditor *self,
                                 gint64              member)
{
  g_return_if_fail (NT_IS_ALLOCATION_EDITOR (self));
  g_return_if_fail (self->member_row != NULL);

  for (guint i = 0; i < self->members->len; i++)
    if (nt_member_get_id (g_ptr_array_index (self->members, i)) == member)
      adw_combo_row_set_selected (self->member_row, i + 1);
}

void
nt_allocation_editor_set_status (NtAllocationEditor *self,
                                 int                 status)
{
  g_return_if_fail (NT_IS_ALLOCATION_EDITOR (self));
  g_return_if_fail (self->status_row != NULL);
  adw_combo_row_set_selected (self->status_row, (guint)status);
}

void
nt_allocation_editor_set_note (NtAllocationEditor *self,
                               const char         *note)
{
  g_return_if_fail (NT_IS_ALLOCATION_EDITOR (self));
  gtk_editable_set_text (GTK_EDITABLE (self->note_row), note ? note : "");
}
