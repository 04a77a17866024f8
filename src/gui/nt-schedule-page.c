/* nt-schedule-page.c: the Run plan and Allocations areas
 *
 * One page type serves both areas: the timeline filling the pane, a
 * toolbar (fiscal year, zoom, today, slot filter, undo, redo, export) and
 * the summary in a collapsible side panel.  It reads a fiscal year from
 * the scheduling service, then follows the shared change feed, ignoring
 * changes at or below the revision it read.
 *
 * Editing: every change the person makes (drag, keys, the editor) is one
 * server write.  Moves and deletions show at once and are rolled back if
 * the service refuses, with its reason in words; a stale write (412) opens
 * a dialog with both versions.  Each accepted write is a labelled step on
 * the undo stack; undoing or redoing a step is again one server write.
 *
 * Who may edit follows the context's token: the page asks the service
 * for the token's role when it loads and again whenever the token changes
 * (saved or forgotten in the preferences), and shows or hides every
 * editing affordance accordingly.  A service that asks for a token (401)
 * or refuses the token's role (403) gets a page of its own, with a button
 * to the preferences, apart from one that cannot be reached.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-schedule-page"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "nt-clock.h"
#include "nt-alloc-rules.h"
#include "nt-allocation-editor.h"
#include "nt-beamline.h"
#include "nt-plan-summary.h"
#include "nt-schedule-page.h"
#include "nt-station.h"

#define SUMMARY_DELAY_MS 400

typedef enum
{
  OP_CREATE,
  OP_UPDATE,
  OP_DELETE,
} OpKind;

typedef enum
{
  ORIGIN_NEW,   /* a new edit: pushed on the undo stack, clears redo */
  ORIGIN_UNDO,  /* undoing a step: pushed on the redo stack */
  ORIGIN_REDO,  /* redoing a step: pushed on the undo stack */
} Origin;

typedef struct
{
  char    *label;
  OpKind   kind;    /* what the step did */
  GType    type;
  gint64   id;      /* the object's id now (changes when re-created) */
  GObject *before;  /* NULL for a creation */
  GObject *after;   /* NULL for a deletion */
} Step;

struct _NtSchedulePage
{
  GtkWidget           parent_instance;

  NtContext          *context;
  NtTimelineEditMode  mode;
  GCancellable       *cancellable;
  GCancellable       *role_cancellable;  /* the role, asked per token */
  int                 fiscal_year;
  gboolean            can_edit;
  gboolean            loaded;
  guint               n_loading;
  GError             *load_error;
  gint64              rev_periods;
  gint64              rev_allocations;
  gulong              change_id;
  GPtrArray          *early;     /* Change: arrived while reading */
  GPtrArray          *members;
  GPtrArray          *proposals;
  GQueue              undo;
  GQueue              redo;
  guint               n_pending;
  char               *last_message;
  GtkWidget          *dialog;
  JsonNode           *summary;
  guint               summary_id;

  GtkWidget          *toolbox;
  AdwFlap            *flap;
  GtkStack           *stack;
  AdwStatusPage      *failed_page;
  AdwStatusPage      *access_page;  /* 401 or 403: the token */
  NtTimeline         *timeline;
  NtPlanSummary      *summary_panel;
  GtkDropDown        *fy_dropdown;
  int                 dropdown_fy;    /* the year in the middle of the dropdown */
  gulong              clock_id;
  GtkWidget          *undo_button;
  GtkWidget          *redo_button;
  GtkWidget          *slot_button;
  GtkWidget          *slot_checks[NT_N_SLOTS];
  GtkLabel           *status_label;
};

G_DEFINE_FINAL_TYPE (NtSchedulePage, nt_schedule_page, GTK_TYPE_WIDGET)

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

/* A change of the feed that arrived while the year was being read. */
typedef struct
{
  gint64   revision;
  char    *resource;
  char    *action;
  char    *id;
  GObject *object;
} Change;

static void
change_free (gpointer data)
{
  Change *c = data;

  g_free (c->resource);
  g_free (c->action);
  g_free (c->id);
  g_clear_object (&c->object);
  g_free (c);
}

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

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

static gint64
object_id (gpointer object)
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

static void
show_message (NtSchedulePage *self,
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

static void
update_undo_buttons (NtSchedulePage *self)
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
  update_undo_buttons (self);
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

static void
schedule_summary (NtSchedulePage *self);

/* ------------------------------------------------------------------ */
/* Rules, as the service applies them, while the person drags           */

static gboolean
check_cb (gpointer     object,
          const char  *station,
          int          slot_or_kind,
          gint64       start,
          gint64       end,
          gpointer     user_data,
          GError     **error)
{
  NtSchedulePage *self = user_data;
  NtCatalogue *catalogue = nt_context_get_catalogue (self->context);
  NtTimeGrid shift = NT_TIME_GRID_SHIFT_DEFAULT, hour = NT_TIME_GRID_HOUR;
  g_autoptr(GArray) plan = NULL;
  NtStation *st;
  NtBeamline *bl;
  NtAllocation *other;
  NtSlot slot = (NtSlot)slot_or_kind;

  if (station == NULL)
    {
      g_autoptr(GPtrArray) periods = nt_timeline_list (self->timeline, NT_TYPE_RUN_PERIOD);

      if (!nt_rules_check_grid (NT_SLOT_STAFF, start, end, &shift, &hour, error))
        return FALSE;
      for (guint i = 0; i < periods->len; i++)
        {
          NtRunPeriod *p = g_ptr_array_index (periods, i);

          if (object != NULL && nt_run_period_get_id (p) == object_id (object))
            continue;
          if (nt_rules_spans_overlap (start, end, nt_run_period_get_start (p), nt_run_period_get_end (p)))
            {
              g_autofree char *from = nt_time_format_local (nt_run_period_get_start (p), "%m-%d %H:%M");
              g_autofree char *to = nt_time_format_local (nt_run_period_get_end (p), "%m-%d %H:%M");

              g_set_error (error, NT_RULE_ERROR, NT_RULE_ERROR_PERIOD_OVERLAP,
                           _("Overlaps the run-plan period %s – %s"), from, to);
              return FALSE;
            }
        }
      return TRUE;
    }

  st = catalogue != NULL ? nt_catalogue_lookup_station (catalogue, station) : NULL;
  bl = st != NULL ? nt_catalogue_lookup_beamline (catalogue, nt_station_get_beamline_id (st)) : NULL;
  if (bl != NULL &&
      !nt_rules_check_station_slot (slot, nt_beamline_get_program (bl), nt_station_get_kind (st), error))
    return FALSE;

  if (!nt_rules_check_grid (slot, start, end, &shift, &hour, error))
    return FALSE;

  other = nt_timeline_find_overlap (self->timeline, station, start, end, object);
  if (other != NULL)
    {
      g_autofree char *from = nt_time_format_local (nt_allocation_get_start (other), "%m-%d %H:%M");
      g_autofree char *to = nt_time_format_local (nt_allocation_get_end (other), "%m-%d %H:%M");

      g_set_error (error, NT_RULE_ERROR, NT_RULE_ERROR_OVERLAP,
                   _("Overlaps another allocation of %s (%s – %s)"), station, from, to);
      return FALSE;
    }

  plan = nt_timeline_dup_plan_spans (self->timeline);
  if (!nt_rules_check_in_operation (plan, slot, start, end, error))
    return FALSE;

  /* Member quota and proposal shifts, over what this page has read. */
  if (object != NULL && NT_IS_ALLOCATION (object))
    {
      g_autoptr(GPtrArray) allocs = nt_timeline_list (self->timeline, NT_TYPE_ALLOCATION);
      NtAllocation *a = object;

      if (slot == NT_SLOT_COALITION && nt_allocation_get_member (a) > 0 && self->members != NULL)
        {
          for (guint i = 0; i < self->members->len; i++)
            {
              NtMember *m = g_ptr_array_index (self->members, i);
              gint64 booked;

              if (nt_member_get_id (m) != nt_allocation_get_member (a))
                continue;
              booked = nt_rules_seconds_in_fiscal_year (start, end, self->fiscal_year);
              for (guint j = 0; j < allocs->len; j++)
                {
                  NtAllocation *b = g_ptr_array_index (allocs, j);

                  if (nt_allocation_get_id (b) != nt_allocation_get_id (a) &&
                      nt_allocation_get_member (b) == nt_member_get_id (m) &&
                      nt_allocation_get_status (b) != NT_ALLOCATION_CANCELLED)
                    booked += nt_rules_seconds_in_fiscal_year (nt_allocation_get_start (b),
                                                               nt_allocation_get_end (b),
                                                               self->fiscal_year);
                }
              if (!nt_rules_check_quota (nt_member_get_name (m), self->fiscal_year, booked,
                                         nt_member_get_units (m), error))
                return FALSE;
            }
        }

      if (slot == NT_SLOT_PUBLIC && nt_allocation_get_proposal (a) != NULL && self->proposals != NULL)
        {
          for (guint i = 0; i < self->proposals->len; i++)
            {
              NtProposal *p = g_ptr_array_index (self->proposals, i);
              gint64 others = 0;

              if (g_strcmp0 (nt_proposal_get_id (p), nt_allocation_get_proposal (a)) != 0)
                continue;
              for (guint j = 0; j < allocs->len; j++)
                {
                  NtAllocation *b = g_ptr_array_index (allocs, j);

                  if (nt_allocation_get_id (b) != nt_allocation_get_id (a) &&
                      g_strcmp0 (nt_allocation_get_proposal (b), nt_proposal_get_id (p)) == 0 &&
                      nt_allocation_get_status (b) != NT_ALLOCATION_CANCELLED)
                    others += nt_rules_shifts_of (&shift, nt_allocation_get_start (b), nt_allocation_get_end (b));
                }
              if (!nt_rules_check_proposal_shifts (nt_proposal_get_id (p), others,
                                                   nt_rules_shifts_of (&shift, start, end),
                                                   nt_proposal_get_shifts_approved (p), error))
                return FALSE;
            }
        }
    }

  return TRUE;
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
      nt_timeline_remove (self->timeline, G_OBJECT_TYPE (op->object), object_id (op->object));
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
      step->id = stored != NULL ? object_id (stored) : object_id (op->object);
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
          remap_ids (self, step->type, step->id, object_id (stored));
          step->id = object_id (stored);
        }
      if (step->kind == OP_CREATE && stored != NULL)
        g_set_object (&step->after, stored);
      push_step (self, op->origin == ORIGIN_UNDO ? &self->redo : &self->undo, step);
    }

  {
    g_autofree char *text = g_strdup_printf (op->origin == ORIGIN_UNDO ? _("Undone: %s") :
                                             op->origin == ORIGIN_REDO ? _("Redone: %s") : _("Saved: %s"),
                                             op->label);
    show_message (self, text, FALSE);
  }
  schedule_summary (self);
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
  show_message (self, _("Kept the other change"), FALSE);
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
      nt_timeline_remove (self->timeline, G_OBJECT_TYPE (op->object), object_id (op->object));
      show_message (self, _("Someone else deleted this booking; it is no longer shown"), TRUE);
      if (op->step != NULL)
        g_clear_pointer (&op->step, step_free);
      update_undo_buttons (self);
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

    show_message (self, text, TRUE);
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
      nt_timeline_remove (self->timeline, G_OBJECT_TYPE (op->object), object_id (op->object));
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

/* ------------------------------------------------------------------ */
/* Loading and the change feed                                         */

static void
change_cb (NtScheduleClient *client,
           gint64            revision,
           const char       *resource,
           const char       *action,
           const char       *id,
           GObject          *object,
           JsonNode         *message,
           NtSchedulePage   *self)
{
  GType type;
  gint64 read;

  /* Kept until the lists are read; applied then if newer than them. */
  if (!self->loaded)
    {
      Change *c;

      if (self->n_loading == 0)
        return;  /* not reading (it failed): the next read has it all */
      c = g_new0 (Change, 1);

      c->revision = revision;
      c->resource = g_strdup (resource);
      c->action = g_strdup (action);
      c->id = g_strdup (id);
      c->object = object != NULL ? g_object_ref (object) : NULL;
      g_ptr_array_add (self->early, c);
      return;
    }

  if (g_strcmp0 (resource, "period") == 0)
    {
      type = NT_TYPE_RUN_PERIOD;
      read = self->rev_periods;
    }
  else if (g_strcmp0 (resource, "allocation") == 0)
    {
      type = NT_TYPE_ALLOCATION;
      read = self->rev_allocations;
    }
  else
    {
      if (g_strcmp0 (resource, "member") == 0 && object != NULL && self->members != NULL)
        {
          for (guint i = 0; i < self->members->len; i++)
            if (nt_member_get_id (g_ptr_array_index (self->members, i)) == nt_member_get_id (NT_MEMBER (object)))
              g_ptr_array_remove_index (self->members, i);
          g_ptr_array_add (self->members, g_object_ref (object));
          nt_timeline_set_members (self->timeline, self->members);
        }
      if (g_strcmp0 (resource, "proposal") == 0 && object != NULL && self->proposals != NULL)
        {
          for (guint i = 0; i < self->proposals->len; i++)
            if (g_strcmp0 (nt_proposal_get_id (g_ptr_array_index (self->proposals, i)),
                           nt_proposal_get_id (NT_PROPOSAL (object))) == 0)
              g_ptr_array_remove_index (self->proposals, i);
          g_ptr_array_add (self->proposals, g_object_ref (object));
          nt_timeline_set_proposals (self->timeline, self->proposals);
        }
      schedule_summary (self);
      return;
    }

  /* Already in what this page read. */
  if (revision <= read)
    return;

  if (g_strcmp0 (action, "deleted") == 0)
    {
      if (id != NULL)
        nt_timeline_remove (self->timeline, type, g_ascii_strtoll (id, NULL, 10));
    }
  else if (object != NULL)
    {
      gpointer mine = nt_timeline_lookup (self->timeline, type, object_id (object));

      /* An older revision than the one shown (our own write's answer
       * arrived first) changes nothing. */
      if (mine == NULL ||
          (NT_IS_RUN_PERIOD (mine) ? nt_run_period_get_revision (mine) : nt_allocation_get_revision (mine))
          <= (NT_IS_RUN_PERIOD (object) ? nt_run_period_get_revision (NT_RUN_PERIOD (object))
                                        : nt_allocation_get_revision (NT_ALLOCATION (object))))
        nt_timeline_upsert (self->timeline, object);
    }
  schedule_summary (self);
}

/* Why the year cannot be shown, as a state a person can act on: a token
 * to enter (401), a token whose role may not read (403), a service out of
 * reach, or anything else. */
static void
show_failure (NtSchedulePage *self,
              const GError   *error)
{
  if (g_error_matches (error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_AUTH))
    {
      if (nt_context_get_token (self->context) == NULL)
        {
          adw_status_page_set_title (self->access_page, _("This Facility Needs an Access Token"));
          adw_status_page_set_description (self->access_page,
                                           _("The facility’s scheduling service shows the schedule only to "
                                             "consoles with an access token. Ask the facility’s administrators "
                                             "for one and enter it in Preferences."));
        }
      else
        {
          adw_status_page_set_title (self->access_page, _("The Access Token Was Refused"));
          adw_status_page_set_description (self->access_page,
                                           _("The facility’s scheduling service does not accept the access "
                                             "token in use: it may be mistyped or revoked. Enter a new one in "
                                             "Preferences."));
        }
      nt_context_set_token_refused (self->context, TRUE);
      gtk_stack_set_visible_child_name (self->stack, "access");
      return;
    }

  if (g_error_matches (error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_FORBIDDEN))
    {
      adw_status_page_set_title (self->access_page, _("This Access Token May Not Read the Schedule"));
      adw_status_page_set_description (self->access_page,
                                       _("The facility’s scheduling service knows the access token in use, "
                                         "but its role may not read the schedule. Ask the facility’s "
                                         "administrators for a token with another role."));
      gtk_stack_set_visible_child_name (self->stack, "access");
      return;
    }

  if (g_error_matches (error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_NETWORK))
    {
      adw_status_page_set_icon_name (self->failed_page, "network-offline-symbolic");
      adw_status_page_set_title (self->failed_page, _("The Scheduling Service Cannot Be Reached"));
    }
  else
    {
      adw_status_page_set_icon_name (self->failed_page, "dialog-warning-symbolic");
      adw_status_page_set_title (self->failed_page, _("The Plan Could Not Be Read"));
    }
  adw_status_page_set_description (self->failed_page, error != NULL ? error->message : NULL);
  gtk_stack_set_visible_child_name (self->stack, "failed");
}

static void
load_finished (NtSchedulePage *self)
{
  NtScheduleClient *client = nt_context_get_schedule_client (self->context);

  if (--self->n_loading > 0)
    return;

  if (self->load_error != NULL)
    {
      show_failure (self, self->load_error);
      return;
    }

  self->loaded = TRUE;
  gtk_stack_set_visible_child_name (self->stack, "timeline");
  nt_context_ensure_changes (self->context, MIN (self->rev_periods, self->rev_allocations));

  /* What changed while the lists were read. */
  for (guint i = 0; i < self->early->len; i++)
    {
      Change *c = g_ptr_array_index (self->early, i);

      change_cb (client, c->revision, c->resource, c->action, c->id, c->object, NULL, self);
    }
  g_ptr_array_set_size (self->early, 0);
  schedule_summary (self);
}

/* Of the reads of one load, the error that says most: a refused token
 * before anything else. */
static void
load_failed (NtSchedulePage *self,
             GError         *error)
{
  if (self->load_error == NULL ||
      (g_error_matches (error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_AUTH) &&
       !g_error_matches (self->load_error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_AUTH)))
    {
      g_clear_error (&self->load_error);
      self->load_error = g_error_copy (error);
    }
}

static void
periods_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(NtSchedulePage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) periods = NULL;
  gint64 revision = 0;

  periods = nt_schedule_client_list_run_plan_finish (NT_SCHEDULE_CLIENT (source), result, &revision, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (periods == NULL)
    load_failed (self, error);
  else
    {
      self->rev_periods = revision;
      nt_timeline_set_periods (self->timeline, periods);
    }
  load_finished (self);
}

static void
allocations_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(NtSchedulePage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) allocs = NULL;
  gint64 revision = 0;

  allocs = nt_schedule_client_list_allocations_finish (NT_SCHEDULE_CLIENT (source), result, &revision, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (allocs == NULL)
    load_failed (self, error);
  else
    {
      self->rev_allocations = revision;
      nt_timeline_set_allocations (self->timeline, allocs);
    }
  load_finished (self);
}

static void
members_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(NtSchedulePage) self = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *members;

  members = nt_schedule_client_list_members_finish (NT_SCHEDULE_CLIENT (source), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (members == NULL)
    load_failed (self, error);
  else
    {
      g_clear_pointer (&self->members, g_ptr_array_unref);
      self->members = members;
      nt_timeline_set_members (self->timeline, members);
    }
  load_finished (self);
}

static void
proposals_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(NtSchedulePage) self = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *proposals;

  proposals = nt_schedule_client_list_proposals_finish (NT_SCHEDULE_CLIENT (source), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (proposals == NULL)
    load_failed (self, error);
  else
    {
      g_clear_pointer (&self->proposals, g_ptr_array_unref);
      self->proposals = proposals;
      nt_timeline_set_proposals (self->timeline, proposals);
    }
  load_finished (self);
}

static void
summary_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(NtSchedulePage) self = user_data;
  g_autoptr(GError) error = NULL;
  JsonNode *summary;

  summary = nt_schedule_client_get_summary_finish (NT_SCHEDULE_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (summary == NULL)
    {
      g_debug ("summary: %s", error->message);
      return;
    }
  g_clear_pointer (&self->summary, json_node_unref);
  self->summary = summary;
  nt_plan_summary_set_summary (self->summary_panel, summary);
}

static gboolean
summary_timeout_cb (gpointer user_data)
{
  NtSchedulePage *self = user_data;

  self->summary_id = 0;
  if (nt_context_get_state (self->context) == NT_CONTEXT_READY)
    nt_schedule_client_get_summary_async (nt_context_get_schedule_client (self->context),
                                          self->fiscal_year, self->cancellable,
                                          summary_cb, g_object_ref (self));
  return G_SOURCE_REMOVE;
}

/* Changes come in bursts: one summary read per burst. */
static void
schedule_summary (NtSchedulePage *self)
{
  if (self->summary_id == 0)
    self->summary_id = g_timeout_add (SUMMARY_DELAY_MS, summary_timeout_cb, self);
}

static void
load (NtSchedulePage *self)
{
  NtScheduleClient *client = nt_context_get_schedule_client (self->context);
  gint64 start, end;

  if (nt_context_get_state (self->context) != NT_CONTEXT_READY || client == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_error (&self->load_error);
  self->loaded = FALSE;
  self->n_loading = 4;
  g_ptr_array_set_size (self->early, 0);
  /* Listen before reading, so nothing between the read and the feed is
   * lost. */
  if (self->change_id == 0)
    self->change_id = g_signal_connect (client, "change", G_CALLBACK (change_cb), self);
  gtk_stack_set_visible_child_name (self->stack, "loading");

  nt_time_fiscal_year_bounds (self->fiscal_year, &start, &end);
  nt_timeline_set_bounds (self->timeline, start, end);
  nt_timeline_fit (self->timeline);

  nt_schedule_client_list_run_plan_async (client, start, end, self->cancellable,
                                          periods_cb, g_object_ref (self));
  nt_schedule_client_list_allocations_async (client, start, end, NULL, NT_SLOT_ANY, self->cancellable,
                                             allocations_cb, g_object_ref (self));
  nt_schedule_client_list_members_async (client, self->cancellable, members_cb, g_object_ref (self));
  nt_schedule_client_list_proposals_async (client, self->cancellable, proposals_cb, g_object_ref (self));
}

/* Editing is offered to the roles that may do it: the run plan to
 * operators and admins, allocations to the office and admins.  The
 * service checks every write regardless. */
static void
whoami_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(NtSchedulePage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *role = NULL;
  gboolean can_edit = FALSE;

  node = nt_schedule_client_whoami_finish (NT_SCHEDULE_CLIENT (source), result, &role, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (node == NULL)
    g_debug ("whoami: %s; editing is not offered", error->message);
  else if (g_strcmp0 (role, "admin") == 0)
    can_edit = TRUE;
  else if (self->mode == NT_TIMELINE_EDIT_PLAN)
    can_edit = g_strcmp0 (role, "operator") == 0;
  else
    can_edit = g_strcmp0 (role, "office") == 0;

  nt_schedule_page_set_can_edit (self, can_edit);

  /* The token was revoked or forgotten after the year was read: what is
   * shown would go stale without a word (the change feed refuses it too),
   * so say what to do instead.  A new token reads the year again. */
  if (g_error_matches (error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_AUTH) && self->n_loading == 0)
    {
      self->loaded = FALSE;
      show_failure (self, error);
    }
}

/* Asks the service what the context's token may do; an answer for an
 * earlier token is dropped. */
static void
ask_role (NtSchedulePage *self)
{
  NtScheduleClient *client = nt_context_get_schedule_client (self->context);

  if (client == NULL)
    return;
  g_cancellable_cancel (self->role_cancellable);
  g_clear_object (&self->role_cancellable);
  self->role_cancellable = g_cancellable_new ();
  nt_schedule_client_whoami_async (client, self->role_cancellable, whoami_cb, g_object_ref (self));
}

static void
context_state_cb (NtSchedulePage *self)
{
  switch (nt_context_get_state (self->context))
    {
    case NT_CONTEXT_IDLE:
    case NT_CONTEXT_STARTING:
      gtk_stack_set_visible_child_name (self->stack, "loading");
      break;

    case NT_CONTEXT_FAILED:
      show_failure (self, nt_context_get_error (self->context));
      break;

    case NT_CONTEXT_READY:
      if (!self->loaded && self->n_loading == 0)
        {
          load (self);
          ask_role (self);
        }
      break;

    default:
      g_return_if_reached ();
    }
}

/* A token saved or forgotten in the preferences applies at once: editing
 * follows its role, and a year that could not be read is read again
 * with it (reads still under way used the old token: they start over). */
static void
context_token_cb (NtSchedulePage *self)
{
  if (nt_context_get_state (self->context) != NT_CONTEXT_READY)
    return;

  /* What is offered stays until the service has answered for the new
   * token (it checks every write regardless). */
  ask_role (self);
  if (!self->loaded)
    load (self);
}

/* "Try Again": start the context if it failed, else read the year. */
static void
retry (NtSchedulePage *self)
{
  if (nt_context_get_state (self->context) != NT_CONTEXT_READY)
    {
      nt_context_start (self->context);
      return;
    }
  if (!self->loaded)
    {
      load (self);
      ask_role (self);
    }
}

/* ------------------------------------------------------------------ */
/* Export                                                              */

static void
export_written_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(NtSchedulePage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    show_message (self, _("Export written"), FALSE);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *text = g_strdup_printf (_("Could not export: %s"), error->message);

      show_message (self, text, TRUE);
    }
}

static void
write_bytes (NtSchedulePage *self,
             GFile          *file,
             GBytes         *bytes)
{
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       self->cancellable, export_written_cb, g_object_ref (self));
}

static char *
csv_field (const char *text)
{
  g_autoptr(GString) s = g_string_new ("\"");

  for (const char *p = text ? text : ""; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (s, '"');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '"');
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static int
cmp_by_start (gconstpointer a,
              gconstpointer b)
{
  GObject *x = *(GObject **)a, *y = *(GObject **)b;
  gint64 sx = NT_IS_RUN_PERIOD (x) ? nt_run_period_get_start (NT_RUN_PERIOD (x)) : nt_allocation_get_start (NT_ALLOCATION (x));
  gint64 sy = NT_IS_RUN_PERIOD (y) ? nt_run_period_get_start (NT_RUN_PERIOD (y)) : nt_allocation_get_start (NT_ALLOCATION (y));

  return sx < sy ? -1 : sx > sy;
}

/**
 * nt_schedule_page_dup_csv:
 *
 * Returns: (transfer full): the periods and allocations that overlap
 *   [start, end) as CSV, times in Asia/Tokyo and UTC
 */
GBytes *
nt_schedule_page_dup_csv (NtSchedulePage *self,
                          gint64          start,
                          gint64          end)
{
  g_autoptr(GPtrArray) periods = nt_timeline_list (self->timeline, NT_TYPE_RUN_PERIOD);
  g_autoptr(GPtrArray) allocs = nt_timeline_list (self->timeline, NT_TYPE_ALLOCATION);
  GString *csv = g_string_new ("type,id,station,start_jst,end_jst,start_utc,end_utc,kind_or_slot,proposal,member,status,note\r\n");

  g_ptr_array_sort (periods, cmp_by_start);
  g_ptr_array_sort (allocs, cmp_by_start);

  for (guint i = 0; i < periods->len; i++)
    {
      NtRunPeriod *p = g_ptr_array_index (periods, i);
      g_autofree char *a = NULL, *b = NULL, *au = NULL, *bu = NULL, *note = NULL;

      if (nt_run_period_get_end (p) <= start || nt_run_period_get_start (p) >= end)
        continue;
      a = nt_time_format_local (nt_run_period_get_start (p), "%Y-%m-%d %H:%M");
      b = nt_time_format_local (nt_run_period_get_end (p), "%Y-%m-%d %H:%M");
      au = nt_time_format_iso (nt_run_period_get_start (p));
      bu = nt_time_format_iso (nt_run_period_get_end (p));
      note = csv_field (nt_run_period_get_note (p));
      g_string_append_printf (csv, "period,%lld,,%s,%s,%s,%s,%s,,,,%s\r\n",
                              (long long)nt_run_period_get_id (p), a, b, au, bu,
                              nt_period_kind_to_string (nt_run_period_get_kind (p)), note);
    }

  for (guint i = 0; i < allocs->len; i++)
    {
      NtAllocation *x = g_ptr_array_index (allocs, i);
      g_autofree char *a = NULL, *b = NULL, *au = NULL, *bu = NULL, *note = NULL, *member = NULL;

      if (nt_allocation_get_end (x) <= start || nt_allocation_get_start (x) >= end)
        continue;
      a = nt_time_format_local (nt_allocation_get_start (x), "%Y-%m-%d %H:%M");
      b = nt_time_format_local (nt_allocation_get_end (x), "%Y-%m-%d %H:%M");
      au = nt_time_format_iso (nt_allocation_get_start (x));
      bu = nt_time_format_iso (nt_allocation_get_end (x));
      note = csv_field (nt_allocation_get_note (x));
      member = nt_allocation_get_member (x) > 0 ? g_strdup_printf ("%lld", (long long)nt_allocation_get_member (x))
                                                 : g_strdup ("");
      g_string_append_printf (csv, "allocation,%lld,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\r\n",
                              (long long)nt_allocation_get_id (x), nt_allocation_get_station (x),
                              a, b, au, bu, nt_slot_to_string (nt_allocation_get_slot (x)),
                              nt_allocation_get_proposal (x) ? nt_allocation_get_proposal (x) : "",
                              member, nt_allocation_status_to_string (nt_allocation_get_status (x)), note);
    }

  return g_string_free_to_bytes (csv);
}

typedef enum
{
  EXPORT_CSV_VISIBLE,
  EXPORT_CSV_YEAR,
  EXPORT_ICS_VISIBLE,
  EXPORT_ICS_YEAR,
} ExportKind;

static void
calendar_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GFile) file = user_data;
  NtSchedulePage *self = g_object_get_data (G_OBJECT (file), "page");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = nt_schedule_client_get_calendar_finish (NT_SCHEDULE_CLIENT (source), result, &error);

  if (self == NULL)
    return;
  if (bytes == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Could not export: %s"), error->message);

      show_message (self, text, TRUE);
      return;
    }
  write_bytes (self, file, bytes);
}

static void
export_to_file (NtSchedulePage *self,
                ExportKind      kind,
                GFile          *file)
{
  gint64 start, end;

  if (kind == EXPORT_CSV_VISIBLE || kind == EXPORT_ICS_VISIBLE)
    nt_timeline_get_view (self->timeline, &start, &end);
  else
    nt_time_fiscal_year_bounds (self->fiscal_year, &start, &end);

  if (kind == EXPORT_ICS_VISIBLE || kind == EXPORT_ICS_YEAR)
    {
      /* The service builds the calendar (libical): the run plan here, or
       * every station's allocations in the Allocations area. */
      g_object_set_data_full (G_OBJECT (file), "page", g_object_ref (self), g_object_unref);
      nt_schedule_client_get_calendar_async (nt_context_get_schedule_client (self->context),
                                             self->mode == NT_TIMELINE_EDIT_PLAN ? NULL : "*", NULL,
                                             start, end, self->cancellable, calendar_cb,
                                             g_object_ref (file));
      return;
    }

  {
    g_autoptr(GBytes) bytes = nt_schedule_page_dup_csv (self, start, end);

    write_bytes (self, file, bytes);
  }
}

static void
chooser_response_cb (GtkNativeDialog *dialog,
                     int              response,
                     gpointer         user_data)
{
  NtSchedulePage *self = g_object_get_data (G_OBJECT (dialog), "page");
  ExportKind kind = GPOINTER_TO_INT (user_data);

  if (response == GTK_RESPONSE_ACCEPT && self != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      export_to_file (self, kind, file);
    }
  g_object_unref (dialog);
}

static void
choose_export (NtSchedulePage *self,
               ExportKind      kind)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser;
  g_autofree char *name = NULL;

  chooser = gtk_file_chooser_native_new (kind == EXPORT_ICS_VISIBLE ? _("Export Visible Range as iCalendar") :
                                         kind == EXPORT_ICS_YEAR ? _("Export Whole Year as iCalendar") :
                                         kind == EXPORT_CSV_YEAR ? _("Export Whole Year as CSV") :
                                         _("Export Visible Range as CSV"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  name = g_strdup_printf ("%s-FY%d.%s", self->mode == NT_TIMELINE_EDIT_PLAN ? "run-plan" : "allocations",
                          self->fiscal_year,
                          kind == EXPORT_ICS_VISIBLE || kind == EXPORT_ICS_YEAR ? "ics" : "csv");
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_object_set_data_full (G_OBJECT (chooser), "page", g_object_ref (self), g_object_unref);
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response_cb), GINT_TO_POINTER (kind));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Printing: every row, paginated, over the visible range or the year. */
typedef struct
{
  NtTimeline *timeline;
  gint64      start;
  gint64      end;
  GArray     *first_rows;  /* guint: the first row of each page */
} Print;

static void
print_free (gpointer data)
{
  Print *p = data;

  g_object_unref (p->timeline);
  g_array_unref (p->first_rows);
  g_free (p);
}

static void
begin_print_cb (GtkPrintOperation *operation,
                GtkPrintContext   *context,
                Print             *p)
{
  double height = gtk_print_context_get_height (context);
  guint row = 0, n = nt_timeline_get_n_rows (p->timeline);

  g_array_set_size (p->first_rows, 0);
  while (row < n)
    {
      guint fit = nt_timeline_rows_that_fit (p->timeline, row, height);

      g_array_append_val (p->first_rows, row);
      row += MAX (fit, 1);
    }
  gtk_print_operation_set_n_pages (operation, (int)MAX (p->first_rows->len, 1));
}

static void
draw_page_cb (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              int                page,
              Print             *p)
{
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  g_autoptr(PangoLayout) layout = gtk_print_context_create_pango_layout (context);

  if ((guint)page >= p->first_rows->len)
    return;
  nt_timeline_draw_rows (p->timeline, cr, layout, gtk_print_context_get_width (context),
                         gtk_print_context_get_height (context), p->start, p->end,
                         g_array_index (p->first_rows, guint, page));
}

static void
print_done_cb (GtkPrintOperation       *operation,
               GtkPrintOperationResult  result,
               NtSchedulePage          *self)
{
  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;

      gtk_print_operation_get_error (operation, &error);
      text = g_strdup_printf (_("Could not print: %s"), error != NULL ? error->message : "");
      show_message (self, text, TRUE);
    }
  g_object_unref (operation);
}

static void
print_timeline (NtSchedulePage *self,
                gboolean        whole_year)
{
  GtkPrintOperation *operation = gtk_print_operation_new ();
  g_autoptr(GtkPageSetup) setup = gtk_page_setup_new ();
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autoptr(GError) error = NULL;
  Print *p = g_new0 (Print, 1);

  p->timeline = g_object_ref (self->timeline);
  p->first_rows = g_array_new (FALSE, FALSE, sizeof (guint));
  if (whole_year)
    nt_time_fiscal_year_bounds (self->fiscal_year, &p->start, &p->end);
  else
    nt_timeline_get_view (self->timeline, &p->start, &p->end);

  gtk_page_setup_set_orientation (setup, GTK_PAGE_ORIENTATION_LANDSCAPE);
  gtk_print_operation_set_default_page_setup (operation, setup);
  gtk_print_operation_set_job_name (operation, self->mode == NT_TIMELINE_EDIT_PLAN ? _("Run plan") : _("Allocations"));
  /* The dialog does not hold up the main loop; the operation lives until
   * it is done. */
  gtk_print_operation_set_allow_async (operation, TRUE);
  g_object_set_data_full (G_OBJECT (operation), "print", p, print_free);
  g_signal_connect (operation, "begin-print", G_CALLBACK (begin_print_cb), p);
  g_signal_connect (operation, "draw-page", G_CALLBACK (draw_page_cb), p);
  g_signal_connect_object (operation, "done", G_CALLBACK (print_done_cb), self, 0);

  if (gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, &error)
      == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      g_autofree char *text = g_strdup_printf (_("Could not print: %s"), error != NULL ? error->message : "");

      show_message (self, text, TRUE);
    }
}

/**
 * nt_schedule_page_export_pdf:
 *
 * Writes every row of the visible range (or the whole year) as a PDF
 * through GtkPrintOperation, without a dialog.
 */
gboolean
nt_schedule_page_export_pdf (NtSchedulePage *self,
                             const char     *path,
                             gboolean        whole_year,
                             int            *n_pages,
                             GError        **error)
{
  g_autoptr(GtkPrintOperation) operation = gtk_print_operation_new ();
  g_autoptr(GtkPageSetup) setup = gtk_page_setup_new ();
  Print *p = g_new0 (Print, 1);
  GtkPrintOperationResult res;

  p->timeline = g_object_ref (self->timeline);
  p->first_rows = g_array_new (FALSE, FALSE, sizeof (guint));
  if (whole_year)
    nt_time_fiscal_year_bounds (self->fiscal_year, &p->start, &p->end);
  else
    nt_timeline_get_view (self->timeline, &p->start, &p->end);

  gtk_page_setup_set_orientation (setup, GTK_PAGE_ORIENTATION_LANDSCAPE);
  gtk_print_operation_set_default_page_setup (operation, setup);
  gtk_print_operation_set_export_filename (operation, path);
  g_object_set_data_full (G_OBJECT (operation), "print", p, print_free);
  g_signal_connect (operation, "begin-print", G_CALLBACK (begin_print_cb), p);
  g_signal_connect (operation, "draw-page", G_CALLBACK (draw_page_cb), p);

  res = gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_EXPORT, NULL, error);
  if (n_pages != NULL)
    *n_pages = (int)p->first_rows->len;
  return res != GTK_PRINT_OPERATION_RESULT_ERROR;
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
    choose_export (self, EXPORT_CSV_VISIBLE);
  else if (g_str_equal (action_name, "schedule.export-csv-year"))
    choose_export (self, EXPORT_CSV_YEAR);
  else if (g_str_equal (action_name, "schedule.export-ics"))
    choose_export (self, EXPORT_ICS_VISIBLE);
  else if (g_str_equal (action_name, "schedule.export-ics-year"))
    choose_export (self, EXPORT_ICS_YEAR);
  else if (g_str_equal (action_name, "schedule.print"))
    print_timeline (self, FALSE);
  else if (g_str_equal (action_name, "schedule.print-year"))
    print_timeline (self, TRUE);
  else if (g_str_equal (action_name, "schedule.retry"))
    retry (self);
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
    adw_status_page_set_icon_name (ADW_STATUS_PAGE (page), icon);
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

  g_queue_clear_full (&self->undo, step_free);
  g_queue_clear_full (&self->redo, step_free);
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
  self->early = g_ptr_array_new_with_free_func (change_free);
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
  nt_timeline_set_check_func (self->timeline, check_cb, self, NULL);
  g_signal_connect_object (self->timeline, "create", G_CALLBACK (timeline_create_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->timeline, "change", G_CALLBACK (timeline_change_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->timeline, "move-station", G_CALLBACK (timeline_move_station_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->timeline, "notify::drag-message", G_CALLBACK (timeline_drag_message_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->timeline, "activate-item", G_CALLBACK (timeline_activate_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->timeline, "delete-item", G_CALLBACK (timeline_delete_cb), self, G_CONNECT_SWAPPED);

  nt_schedule_page_set_can_edit (self, FALSE);
  g_signal_connect_swapped (context, "notify::state", G_CALLBACK (context_state_cb), self);
  g_signal_connect_swapped (context, "notify::token", G_CALLBACK (context_token_cb), self);
  context_state_cb (self);

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
  g_queue_clear_full (&self->undo, step_free);
  g_queue_clear_full (&self->redo, step_free);
  update_undo_buttons (self);
  g_clear_pointer (&self->summary, json_node_unref);
  nt_plan_summary_set_summary (self->summary_panel, NULL);
  self->loaded = FALSE;
  load (self);
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
      g_queue_clear_full (&self->undo, step_free);
      g_queue_clear_full (&self->redo, step_free);
      if (self->dialog != NULL)
        {
          GtkWidget *dialog = g_steal_pointer (&self->dialog);

          gtk_window_destroy (GTK_WINDOW (dialog));
          show_message (self, _("The access token in use may not edit here: the open dialog was closed "
                                "and its change not sent"), TRUE);
        }
    }
  update_undo_buttons (self);
}

gboolean
nt_schedule_page_get_can_edit (NtSchedulePage *self)
{
  g_return_val_if_fail (NT_IS_SCHEDULE_PAGE (self), FALSE);
  return self->can_edit;
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
      show_message (self, _("That step can no longer be undone: the booking is gone"), TRUE);
      step_free (step);
      update_undo_buttons (self);
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
  update_undo_buttons (self);
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
