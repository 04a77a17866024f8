/* nt-allocation-editor.h: edits a copy of one allocation or run-plan period
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define NT_TYPE_ALLOCATION_EDITOR (nt_allocation_editor_get_type ())

G_DECLARE_FINAL_TYPE (NtAllocationEditor, nt_allocation_editor, NT, ALLOCATION_EDITOR, AdwMessageDialog)

/* @object: an NtAllocation or NtRunPeriod; the editor works on a copy.
 * @members: (nullable): NtMember, for the coalition slot's member. */
GtkWidget *nt_allocation_editor_new        (GtkWindow          *parent,
                                            gpointer            object,
                                            GPtrArray          *members,
                                            gboolean            is_new);
/* The copy with the fields as the dialog shows them now. */
gpointer   nt_allocation_editor_get_result (NtAllocationEditor *self);

/* For tests and the keyboard: set a field as a person would. */
void       nt_allocation_editor_set_slot     (NtAllocationEditor *self,
                                              int                 slot);
void       nt_allocation_editor_set_proposal (NtAllocationEditor *self,
                                              const char         *proposal);
void       nt_allocation_editor_set_member   (NtAllocationEditor *self,
                                              gint64              member);
void       nt_allocation_editor_set_status   (NtAllocationEditor *self,
                                              int                 status);
void       nt_allocation_editor_set_note     (NtAllocationEditor *self,
                                              const char         *note);

G_END_DECLS
