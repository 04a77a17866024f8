/* nt-schedule-page-edit.c: the page's writes, undo and redo, and the dialogs
 *
 * Every change the person makes (drag, keys, the editor) is one server
 * write.  Moves and deletions show at once and are rolled back if the
 * service refuses, with its reason in words; a stale write (412) opens a
 * dialog with both versions.  Each accepted write is a labelled step on
 * the undo stack; undoing or redoing a step is again one server write.
 * The timeline's signals (create, change, move to another station,
 * activate, delete) start these writes here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-schedule-page"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "nt-allocation-editor.h"
#include "nt-schedule-page-private.h"

typedef struct
{
  NtSchedulePage *self;
  OpKind          kind;
  Origin          origin;
  GObject        *object;    /* what was sent */
  GObject        *previous;  /* the local state before, for rollback */
  char           *label;
  Step           *step;      /* for undo and redo */
} Op;

static void send_op (Op *op);


static void
step_free (gpointer data)
{
  Step *step = data;

  g_free (step->label);
  g_clear_object (&step->before);
  g_clear_object (&step->after);
  g_free (step);
}

static void
op_free (Op *op)
{
  g_clear_object (&op->object);
  g_clear_object (&op->previous);
  g_free (op->label);
  if (op->step != NULL)
    step_free (op->step);
  g_object_unref (op->self);
  g_free (op);
}

gint64
nt_schedule_page_object_id (gpointer object)
{
  return NT_IS_RUN_PERIOD (object) ? nt_run_period_get_id (object) : nt_allocation_get_id (object);
}

static gpointer
object_copy (gpointer object)
{
  return NT_IS_RUN_PERIOD (object) ? (gpointer)nt_run_period_copy (object)
                                   : (gpointer)nt_allocation_copy (object);
}

/* Copies the fields a person edits from @src onto @dst. */
static void
apply_fields (gpointer dst,
              gpointer src)
{
  if (NT_IS_RUN_PERIOD (dst))
    {
      nt_run_period_set_kind (dst, nt_run_period_get_kind (src));
      nt_run_period_set_start (dst, nt_run_period_get_start (src));
      nt_run_period_set_end (dst, nt_run_period_get_end (src));
      nt_run_period_set_note (dst, nt_run_period_get_note (src));
    }
  else
    {
      nt_allocation_set_station (dst, nt_allocation_get_station (src));
      nt_allocation_set_start (dst, nt_allocation_get_start (src));
      nt_allocation_set_end (dst, nt_allocation_get_end (src));
      nt_allocation_set_slot (dst, nt_allocation_get_slot (src));
      nt_allocation_set_proposal (dst, nt_allocation_get_proposal (src));
      nt_allocation_set_member (dst, nt_allocation_get_member (src));
      nt_allocation_set_status (dst, nt_allocation_get_status (src));
      nt_allocation_set_note (dst, nt_allocation_get_note (src));
    }
}

/* A new object with the fields of @src, without id or etag. */
static gpointer
fresh_copy (gpointer src)
{
  gpointer dst;

  if (NT_IS_RUN_PERIOD (src))
    dst = nt_run_period_new (nt_run_period_get_kind (src), nt_run_period_get_start (src),
                             nt_run_period_get_end (src), nt_run_period_get_note (src));
  else
    dst = nt_allocation_new (nt_allocation_get_station (src), nt_allocation_get_start (src),
                             nt_allocation_get_end (src), nt_allocation_get_slot (src));
  apply_fields (dst, src);
  return dst;
}

static char *
describe (gpointer object)
{
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;

  if (object == NULL)
    return g_strdup (_("(deleted)"));

  if (NT_IS_RUN_PERIOD (object))
    {
      from = nt_time_format_local (nt_run_period_get_start (object), "%Y-%m-%d %H:%M");
      to = nt_time_format_local (nt_run_period_get_end (object), "%Y-%m-%d %H:%M");
      return g_strdup_printf ("%s, %s – %s %s", nt_period_kind_to_string (nt_run_period_get_kind (object)),
                              from, to, nt_run_period_get_note (object));
    }

  from = nt_time_format_local (nt_allocation_get_start (object), "%Y-%m-%d %H:%M");
  to = nt_time_format_local (nt_allocation_get_end (object), "%Y-%m-%d %H:%M");
  return g_strdup_printf ("%s, %s – %s, %s, %s%s%s", nt_allocation_get_station (object), from, to,
                          nt_slot_to_string (nt_allocation_get_slot (object)),
                          nt_allocation_status_to_string (nt_allocation_get_status (object)),
                          nt_allocation_get_note (object) && *nt_allocation_get_note (object) ? ", " : "",
                          nt_allocation_get_note (object) ? nt_allocation_get_note (object) : "");
}

void
nt_schedule_page_update_undo_buttons (NtSchedulePage *self)
{
  Step *u = g_queue_peek_head (&self->undo);
  Step *r = g_queue_peek_head (&self->redo);
  g_autofree char *ut = u ? g_strdup_printf (_("Undo %s"), u->label) : g_strdup (_("Nothing to undo"));
  g_autofree char *rt = r ? g_strdup_printf (_("Redo %s"), r->label) : g_strdup (_("Nothing to redo"));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "schedule.undo", u != NULL && self->can_edit);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "schedule.redo", r != NULL && self->can_edit);
  gtk_widget_set_tooltip_text (self->undo_button, ut);
  gtk_widget_set_tooltip_text (self->redo_button, rt);
}

static void
push_step (NtSchedulePage *self,
           GQueue         *queue,
           Step           *step)
{
  g_queue_push_head (queue, step);
  nt_schedule_page_update_undo_buttons (self);
}

/* A re-created object has a new id: the steps that name it follow. */
static void
remap_ids (NtSchedulePage *self,
           GType           type,
           gint64          from,
           gint64          to)
{
  GQueue *queues[] = { &self->undo, &self->redo };

  for (guint q = 0; q < G_N_ELEMENTS (queues); q++)
    for (GList *l = queues[q]->head; l != NULL; l = l->next)
      {
        Step *step = l->data;

        if (step->type == type && step->id == from)
          step->id = to;
      }
}


/* ------------------------------------------------------------------ */
/* Writes                                                              */

static char *
failure_text (NtScheduleFailure *failure,
              const GError      *error)
{
  if (failure != NULL && nt_schedule_failure_get_message (failure) != NULL)
    return g_strdup_printf (_("The service refused the change: %s"), nt_schedule_failure_get_message (failure));
  return g_strdup_printf (_("The change could not be saved: %s"), error != NULL ? error->message : "");
}

static void
rollback (Op *op)
{
  NtSchedulePage *self = op->self;

  if (op->kind == OP_CREATE)
    return;  /* nothing was shown before the service answered */
  if (op->previous != NULL)
    nt_timeline_upsert (self->timeline, op->previous);
}

/* The step this operation came from goes back where it was. */
static void
return_step (Op *op)
{
  NtSchedulePage *self = op->self;

  if (op->step == NULL)
    return;
  push_step (self, op->origin == ORIGIN_UNDO ? &self->undo : &self->redo, op->step);
  op->step = NULL;
}

static void
succeeded (Op      *op,
           GObject *stored)
{
  NtSchedulePage *self = op->self;
  Step *step;

  switch (op->kind)
    {
    case OP_CREATE:
    case OP_UPDATE:
      nt_timeline_upsert (self->timeline, stored);
      nt_timeline_select (self->timeline, stored);
      break;
    case OP_DELETE:
      nt_timeline_remove (self->timeline, G_OBJECT_TYPE (op->object), nt_schedule_page_object_id (op->object));
      break;
    default:
      g_return_if_reached ();
    }

  if (op->origin == ORIGIN_NEW)
    {
      step = g_new0 (Step, 1);
      step->label = g_strdup (op->label);
      step->kind = op->kind;
      step->type = G_OBJECT_TYPE (op->object);
      step->id = stored != NULL ? nt_schedule_page_object_id (stored) : nt_schedule_page_object_id (op->object);
      step->before = op->previous != NULL ? g_object_ref (op->previous) : NULL;
      step->after = stored != NULL ? g_object_ref (stored) : NULL;
      g_queue_clear_full (&self->redo, step_free);
      push_step (self, &self->undo, step);
    }
  else
    {
      step = g_steal_pointer (&op->step);
      if (op->kind == OP_CREATE && stored != NULL)
        {
          remap_ids (self, step->type, step->id, nt_schedule_page_object_id (stored));
          step->id = nt_schedule_page_object_id (stored);
        }
      if (step->kind == OP_CREATE && stored != NULL)
        g_set_object (&step->after, stored);
      push_step (self, op->origin == ORIGIN_UNDO ? &self->redo : &self->undo, step);
    }

  {
    g_autofree char *text = g_strdup_printf (op->origin == ORIGIN_UNDO ? _("Undone: %s") :
                                             op->origin == ORIGIN_REDO ? _("Redone: %s") : _("Saved: %s"),
                                             op->label);
    nt_schedule_page_show_message (self, text, FALSE);
  }
  nt_schedule_page_schedule_summary (self);
}

static void
conflict_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      gpointer          user_data)
{
  /* The dialog owns the operation until it is answered (a dialog
   * destroyed unanswered frees it). */
  Op *op = g_object_steal_data (G_OBJECT (dialog), "op");
  NtSchedulePage *self;

  if (op == NULL)
    return;
  self = op->self;
  GObject *current = g_object_get_data (G_OBJECT (dialog), "current");

  if (self->dialog == GTK_WIDGET (dialog))
    self->dialog = NULL;

  if (g_strcmp0 (response, "mine") == 0 && current != NULL)
    {
      /* Reapply my change on the version that is stored now. */
      if (op->kind == OP_UPDATE)
        {
          gpointer again = object_copy (current);

          apply_fields (again, op->object);
          g_set_object (&op->object, again);
          g_object_unref (again);
        }
      else
        g_set_object (&op->object, current);
      g_set_object (&op->previous, current);
      send_op (op);
      return;
    }

  /* Take theirs. */
  if (current != NULL)
    nt_timeline_upsert (self->timeline, current);
  return_step (op);
  nt_schedule_page_show_message (self, _("Kept the other change"), FALSE);
  op_free (op);
}

static void
open_conflict (Op                *op,
               NtScheduleFailure *failure)
{
  NtSchedulePage *self = op->self;
  GObject *current = nt_schedule_failure_get_current (failure);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *mine = describe (op->kind == OP_DELETE ? NULL : op->object);
  g_autofree char *theirs = describe (current);
  g_autofree char *body = g_strdup_printf (_("Someone else changed this while you were editing it.\n\n"
                                             "Yours: %s\nTheirs: %s"), mine, theirs);
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Changed by Someone Else"), body);
  if (current != NULL)
    g_object_set_data_full (G_OBJECT (dialog), "current", g_object_ref (current), g_object_unref);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "theirs", _("Take _Theirs"),
                                    "mine", _("Keep _Mine"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "mine", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "theirs");
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
  g_object_set_data_full (G_OBJECT (dialog), "op", op, (GDestroyNotify)op_free);
  g_signal_connect (dialog, "response", G_CALLBACK (conflict_response_cb), NULL);
  self->dialog = dialog;
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
write_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Op *op = user_data;
  NtSchedulePage *self = op->self;
  NtScheduleClient *client = NT_SCHEDULE_CLIENT (source);
  g_autoptr(NtScheduleFailure) failure = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) stored = NULL;
  gboolean ok;

  self->n_pending--;

  if (op->kind == OP_CREATE)
    ok = (stored = nt_schedule_client_create_finish (client, result, &failure, &error)) != NULL;
  else if (op->kind == OP_UPDATE)
    ok = (stored = nt_schedule_client_update_finish (client, result, &failure, &error)) != NULL;
  else
    ok = nt_schedule_client_delete_finish (client, result, &failure, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      op_free (op);
      return;
    }

  if (ok)
    {
      succeeded (op, stored);
      op_free (op);
      return;
    }

  if (failure != NULL && nt_schedule_failure_get_status (failure) == 404 && op->kind != OP_CREATE)
    {
      /* Gone from the service: gone here too. */
      nt_timeline_remove (self->timeline, G_OBJECT_TYPE (op->object), nt_schedule_page_object_id (op->object));
      nt_schedule_page_show_message (self, _("Someone else deleted this booking; it is no longer shown"), TRUE);
      if (op->step != NULL)
        g_clear_pointer (&op->step, step_free);
      nt_schedule_page_update_undo_buttons (self);
      op_free (op);
      return;
    }

  rollback (op);

  if (failure != NULL && nt_schedule_failure_get_status (failure) == 412 &&
      op->kind != OP_CREATE)
    {
      open_conflict (op, failure);
      return;
    }

  {
    g_autofree char *text = failure_text (failure, error);

    nt_schedule_page_show_message (self, text, TRUE);
  }
  return_step (op);
  op_free (op);
}

static void
send_op (Op *op)
{
  NtSchedulePage *self = op->self;
  NtScheduleClient *client = nt_context_get_schedule_client (self->context);

  self->n_pending++;
  switch (op->kind)
    {
    case OP_CREATE:
      nt_schedule_client_create_async (client, op->object, NULL, self->cancellable, write_done_cb, op);
      break;
    case OP_UPDATE:
      nt_timeline_upsert (self->timeline, op->object);  /* shown at once */
      nt_schedule_client_update_async (client, op->object, NULL, self->cancellable, write_done_cb, op);
      break;
    case OP_DELETE:
      nt_timeline_remove (self->timeline, G_OBJECT_TYPE (op->object), nt_schedule_page_object_id (op->object));
      nt_schedule_client_delete_async (client, op->object, self->cancellable, write_done_cb, op);
      break;
    default:
      g_return_if_reached ();
    }
}

static void
start_op (NtSchedulePage *self,
          OpKind          kind,
          Origin          origin,
          gpointer        object,
          gpointer        previous,
          const char     *label,
          Step           *step)
{
  Op *op = g_new0 (Op, 1);

  op->self = g_object_ref (self);
  op->kind = kind;
  op->origin = origin;
  op->object = g_object_ref (object);
  op->previous = previous != NULL ? g_object_ref (previous) : NULL;
  op->label = g_strdup (label);
  op->step = step;
  send_op (op);
}

typedef enum
{
  VERB_CREATE,
  VERB_EDIT,
  VERB_MOVE,
  VERB_RESIZE,
  VERB_DELETE,
} Verb;

/* The step's name in the undo and redo tooltips and the toasts. */
static char *
label_for (gpointer object,
           Verb     verb)
{
  if (NT_IS_RUN_PERIOD (object))
    {
      switch (verb)
        {
        case VERB_CREATE:
          return g_strdup (_("create run-plan period"));
        case VERB_EDIT:
          return g_strdup (_("edit run-plan period"));
        case VERB_MOVE:
          return g_strdup (_("move run-plan period"));
        case VERB_RESIZE:
          return g_strdup (_("resize run-plan period"));
        case VERB_DELETE:
        default:
          return g_strdup (_("delete run-plan period"));
        }
    }

  switch (verb)
    {
    case VERB_CREATE:
      return g_strdup_printf (_("create allocation on %s"), nt_allocation_get_station (object));
    case VERB_EDIT:
      return g_strdup_printf (_("edit allocation on %s"), nt_allocation_get_station (object));
    case VERB_MOVE:
      return g_strdup_printf (_("move allocation on %s"), nt_allocation_get_station (object));
    case VERB_RESIZE:
      return g_strdup_printf (_("resize allocation on %s"), nt_allocation_get_station (object));
    case VERB_DELETE:
    default:
      return g_strdup_printf (_("delete allocation on %s"), nt_allocation_get_station (object));
    }
}

/* ------------------------------------------------------------------ */
/* Timeline signals                                                    */

static void
editor_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    NtSchedulePage   *self)
{
  gboolean is_new = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "is-new"));
  GObject *original = g_object_get_data (G_OBJECT (dialog), "original");
  g_autoptr(GObject) result = NULL;
  g_autofree char *label = NULL;

  if (self->dialog == GTK_WIDGET (dialog))
    self->dialog = NULL;
  if (g_strcmp0 (response, "save") != 0)
    return;

  result = nt_allocation_editor_get_result (NT_ALLOCATION_EDITOR (dialog));
  if (is_new)
    {
      label = label_for (result, VERB_CREATE);
      start_op (self, OP_CREATE, ORIGIN_NEW, result, NULL, label, NULL);
    }
  else
    {
      label = label_for (result, VERB_EDIT);
      start_op (self, OP_UPDATE, ORIGIN_NEW, result, original, label, NULL);
    }
}

static void
open_editor (NtSchedulePage *self,
             gpointer        object,
             gboolean        is_new)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;

  if (!self->can_edit)
    return;
  if (self->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->dialog));

  dialog = nt_allocation_editor_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                     object, self->members, is_new);
  g_object_set_data (G_OBJECT (dialog), "is-new", GINT_TO_POINTER (is_new));
  if (!is_new)
    g_object_set_data_full (G_OBJECT (dialog), "original", g_object_ref (object), g_object_unref);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (editor_response_cb), self, 0);
  self->dialog = dialog;
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
timeline_create_cb (NtSchedulePage *self,
                    const char     *station,
                    int             slot,
                    gint64          start,
                    gint64          end)
{
  g_autoptr(GObject) object = NULL;
  g_autofree char *label = NULL;

  if (!self->can_edit)
    return;

  if (station == NULL)
    object = G_OBJECT (nt_run_period_new ((NtPeriodKind)slot, start, end, ""));
  else
    {
      object = G_OBJECT (nt_allocation_new (station, start, end, (NtSlot)slot));
      nt_allocation_set_status (NT_ALLOCATION (object), NT_ALLOCATION_DRAFT);
    }

  /* A public or coalition booking names a proposal or a member: ask. */
  if (station != NULL && (slot == NT_SLOT_PUBLIC || slot == NT_SLOT_COALITION))
    {
      open_editor (self, object, TRUE);
      return;
    }

  label = label_for (object, VERB_CREATE);
  start_op (self, OP_CREATE, ORIGIN_NEW, object, NULL, label, NULL);
}

static void
timeline_change_cb (NtSchedulePage *self,
                    GObject        *object,
                    gint64          start,
                    gint64          end)
{
  g_autoptr(GObject) changed = NULL;
  g_autofree char *label = NULL;
  gboolean moved;

  if (!self->can_edit)
    return;

  changed = object_copy (object);
  if (NT_IS_RUN_PERIOD (changed))
    {
      moved = nt_run_period_get_end (NT_RUN_PERIOD (object)) - nt_run_period_get_start (NT_RUN_PERIOD (object)) == end - start;
      nt_run_period_set_start (NT_RUN_PERIOD (changed), start);
      nt_run_period_set_end (NT_RUN_PERIOD (changed), end);
    }
  else
    {
      moved = nt_allocation_get_end (NT_ALLOCATION (object)) - nt_allocation_get_start (NT_ALLOCATION (object)) == end - start;
      nt_allocation_set_start (NT_ALLOCATION (changed), start);
      nt_allocation_set_end (NT_ALLOCATION (changed), end);
    }

  label = label_for (object, moved ? VERB_MOVE : VERB_RESIZE);
  start_op (self, OP_UPDATE, ORIGIN_NEW, changed, object, label, NULL);
}

/* The step's name for a move to another station: what is booked (the
 * proposal or the member) and where it went. */
static char *
move_station_label (NtSchedulePage *self,
                    NtAllocation   *object,
                    const char     *station)
{
  const char *what = NULL;

  if (nt_allocation_get_slot (object) == NT_SLOT_PUBLIC)
    what = nt_allocation_get_proposal (object);
  else if (nt_allocation_get_slot (object) == NT_SLOT_COALITION && self->members != NULL)
    {
      for (guint i = 0; i < self->members->len && what == NULL; i++)
        {
          NtMember *m = g_ptr_array_index (self->members, i);

          if (nt_member_get_id (m) == nt_allocation_get_member (object))
            what = nt_member_get_name (m);
        }
    }

  if (what != NULL && *what != '\0')
    {
      /* Translators: an undo step, shown as "Undo %s" and "Saved: %s": the
       * first %s is a proposal number or a coalition member, the second a
       * station, as in "move 2026A0012 to BL07U" */
      return g_strdup_printf (_("move %s to %s"), what, station);
    }
  /* Translators: an undo step, shown as "Undo %s" and "Saved: %s": from
   * one station to another, as in "move allocation on BL02U to BL06U" */
  return g_strdup_printf (_("move allocation on %s to %s"), nt_allocation_get_station (object), station);
}

static void
timeline_move_station_cb (NtSchedulePage *self,
                          GObject        *object,
                          const char     *station,
                          gint64          start,
                          gint64          end)
{
  g_autoptr(NtAllocation) changed = NULL;
  g_autofree char *label = NULL;

  if (!self->can_edit || !NT_IS_ALLOCATION (object) || station == NULL)
    return;

  /* Station and time in one write, so one undo step brings both back. */
  changed = nt_allocation_copy (NT_ALLOCATION (object));
  nt_allocation_set_station (changed, station);
  nt_allocation_set_start (changed, start);
  nt_allocation_set_end (changed, end);

  label = move_station_label (self, NT_ALLOCATION (object), station);
  start_op (self, OP_UPDATE, ORIGIN_NEW, changed, object, label, NULL);
}

/* The rules' reason against a drag or a key move, also in the toolbar
 * (it stays there after a refused drop, when the bar is no longer drawn,
 * until the next drag); without one the toolbar says the last message. */
static void
timeline_drag_message_cb (NtSchedulePage *self)
{
  const char *message = nt_timeline_get_drag_message (self->timeline);

  gtk_label_set_label (self->status_label, message != NULL ? message :
                       self->last_message != NULL ? self->last_message : "");
}

static void
timeline_activate_cb (NtSchedulePage *self,
                      GObject        *object)
{
  if (nt_timeline_get_edit_mode (self->timeline) == NT_TIMELINE_EDIT_NONE)
    return;
  if ((NT_IS_RUN_PERIOD (object) && self->mode != NT_TIMELINE_EDIT_PLAN) ||
      (NT_IS_ALLOCATION (object) && self->mode != NT_TIMELINE_EDIT_ALLOCATIONS))
    return;
  open_editor (self, object, FALSE);
}

static void
timeline_delete_cb (NtSchedulePage *self,
                    GObject        *object)
{
  g_autofree char *label = NULL;

  if (!self->can_edit)
    return;
  label = label_for (object, VERB_DELETE);
  start_op (self, OP_DELETE, ORIGIN_NEW, object, object, label, NULL);
}


gboolean
nt_schedule_page_can_undo (NtSchedulePage *self)
{
  g_return_val_if_fail (NT_IS_SCHEDULE_PAGE (self), FALSE);
  return !g_queue_is_empty (&self->undo);
}

gboolean
nt_schedule_page_can_redo (NtSchedulePage *self)
{
  g_return_val_if_fail (NT_IS_SCHEDULE_PAGE (self), FALSE);
  return !g_queue_is_empty (&self->redo);
}

const char *
nt_schedule_page_get_undo_label (NtSchedulePage *self)
{
  Step *step;

  g_return_val_if_fail (NT_IS_SCHEDULE_PAGE (self), NULL);
  step = g_queue_peek_head (&self->undo);
  return step != NULL ? step->label : NULL;
}

/* Undoing or redoing one step: the write that takes the object from one
 * side of the step to the other. */
static void
run_step (NtSchedulePage *self,
          Step           *step,
          Origin          origin)
{
  gboolean undo = origin == ORIGIN_UNDO;
  gpointer current = nt_timeline_lookup (self->timeline, step->type, step->id);
  GObject *target = undo ? step->before : step->after;
  OpKind kind;

  /* Creating undone and deleting redone are deletions; deleting undone
   * and creating redone are creations; changes go back and forth. */
  if ((step->kind == OP_CREATE && undo) || (step->kind == OP_DELETE && !undo))
    kind = OP_DELETE;
  else if ((step->kind == OP_DELETE && undo) || (step->kind == OP_CREATE && !undo))
    kind = OP_CREATE;
  else
    kind = OP_UPDATE;

  if (kind != OP_CREATE && current == NULL)
    {
      nt_schedule_page_show_message (self, _("That step can no longer be undone: the booking is gone"), TRUE);
      step_free (step);
      nt_schedule_page_update_undo_buttons (self);
      return;
    }

  if (kind == OP_DELETE)
    start_op (self, OP_DELETE, origin, current, current, step->label, step);
  else if (kind == OP_CREATE)
    {
      g_autoptr(GObject) fresh = fresh_copy (target);

      start_op (self, OP_CREATE, origin, fresh, NULL, step->label, step);
    }
  else
    {
      g_autoptr(GObject) changed = object_copy (current);

      apply_fields (changed, target);
      start_op (self, OP_UPDATE, origin, changed, current, step->label, step);
    }
  nt_schedule_page_update_undo_buttons (self);
}

void
nt_schedule_page_undo (NtSchedulePage *self)
{
  Step *step;

  g_return_if_fail (NT_IS_SCHEDULE_PAGE (self));

  if (!self->can_edit || (step = g_queue_pop_head (&self->undo)) == NULL)
    return;
  run_step (self, step, ORIGIN_UNDO);
}

void
nt_schedule_page_redo (NtSchedulePage *self)
{
  Step *step;

  g_return_if_fail (NT_IS_SCHEDULE_PAGE (self));

  if (!self->can_edit || (step = g_queue_pop_head (&self->redo)) == NULL)
    return;
  run_step (self, step, ORIGIN_REDO);
}

guint
nt_schedule_page_get_n_pending (NtSchedulePage *self)
{
  g_return_val_if_fail (NT_IS_SCHEDULE_PAGE (self), 0);
  return self->n_pending;
}

/* The timeline's signals start the writes. */
void
nt_schedule_page_connect_timeline (NtSchedulePage *self)
{
  g_signal_connect_object (self->timeline, "create", G_CALLBACK (timeline_create_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->timeline, "change", G_CALLBACK (timeline_change_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->timeline, "move-station", G_CALLBACK (timeline_move_station_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->timeline, "notify::drag-message", G_CALLBACK (timeline_drag_message_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->timeline, "activate-item", G_CALLBACK (timeline_activate_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->timeline, "delete-item", G_CALLBACK (timeline_delete_cb), self, G_CONNECT_SWAPPED);
}

/* Drops every undo and redo step (the buttons are not updated). */
void
nt_schedule_page_clear_steps (NtSchedulePage *self)
{
  g_queue_clear_full (&self->undo, step_free);
  g_queue_clear_full (&self->redo, step_free);
}
