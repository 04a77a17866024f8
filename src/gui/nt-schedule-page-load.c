/* nt-schedule-page-load.c: reading the page's year and following the change feed
 *
 * The page reads a fiscal year (run plan, allocations, members,
 * proposals) from the scheduling service, then follows the shared change
 * feed, ignoring changes at or below the revision it read; changes that
 * arrive while it reads are kept and applied after.  Who may edit follows
 * the context's token: the page asks the service for the token's role when
 * it loads and again whenever the token changes.  A service that asks for
 * a token (401) or refuses the token's role (403) gets a page of its own,
 * apart from one that cannot be reached.  The summary beside the
 * timeline is read again once per burst of changes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-schedule-page"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "nt-schedule-page-private.h"

#define SUMMARY_DELAY_MS 400

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

static gboolean
same_member (gconstpointer a,
             gconstpointer b)
{
  return nt_member_get_id ((NtMember *)a) == nt_member_get_id ((NtMember *)b);
}

static gboolean
same_proposal (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (nt_proposal_get_id ((NtProposal *)a), nt_proposal_get_id ((NtProposal *)b)) == 0;
}

/* @object in place of what @list has that is the @same. */
static void
replace_in (GPtrArray *list,
            GObject   *object,
            GEqualFunc same)
{
  for (guint i = 0; i < list->len; i++)
    if (same (g_ptr_array_index (list, i), object))
      g_ptr_array_remove_index (list, i);
  g_ptr_array_add (list, g_object_ref (object));
}

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
          replace_in (self->members, object, same_member);
          nt_timeline_set_members (self->timeline, self->members);
        }
      if (g_strcmp0 (resource, "proposal") == 0 && object != NULL && self->proposals != NULL)
        {
          replace_in (self->proposals, object, same_proposal);
          nt_timeline_set_proposals (self->timeline, self->proposals);
        }
      nt_schedule_page_schedule_summary (self);
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
      gpointer mine = nt_timeline_lookup (self->timeline, type, nt_schedule_page_object_id (object));

      /* An older revision than the one shown (our own write's answer
       * arrived first) changes nothing. */
      if (mine == NULL ||
          (NT_IS_RUN_PERIOD (mine) ? nt_run_period_get_revision (mine) : nt_allocation_get_revision (mine))
          <= (NT_IS_RUN_PERIOD (object) ? nt_run_period_get_revision (NT_RUN_PERIOD (object))
                                        : nt_allocation_get_revision (NT_ALLOCATION (object))))
        nt_timeline_upsert (self->timeline, object);
    }
  nt_schedule_page_schedule_summary (self);
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
      nt_status_page_set_icon_when_shown (self->failed_page, "network-offline-symbolic");
      adw_status_page_set_title (self->failed_page, _("The Scheduling Service Cannot Be Reached"));
    }
  else
    {
      nt_status_page_set_icon_when_shown (self->failed_page, "dialog-warning-symbolic");
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
  nt_schedule_page_schedule_summary (self);
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

/* The four lists a load reads. */
typedef enum
{
  LIST_PERIODS,
  LIST_ALLOCATIONS,
  LIST_MEMBERS,
  LIST_PROPOSALS,
} ListKind;

typedef struct
{
  NtSchedulePage *self;  /* a reference */
  ListKind        kind;
} ListRead;

static gpointer
list_read_new (NtSchedulePage *self,
               ListKind        kind)
{
  ListRead *read = g_new0 (ListRead, 1);

  read->self = g_object_ref (self);
  read->kind = kind;
  return read;
}

/* Keeps a list read, and shows it on the timeline. */
static void
take_list (NtSchedulePage *self,
           ListKind        kind,
           GPtrArray      *list,
           gint64          revision)
{
  switch (kind)
    {
    case LIST_PERIODS:
      self->rev_periods = revision;
      nt_timeline_set_periods (self->timeline, list);
      break;
    case LIST_ALLOCATIONS:  /* read as a store: allocations_read_cb */
      break;
    case LIST_MEMBERS:
      g_clear_pointer (&self->members, g_ptr_array_unref);
      self->members = g_ptr_array_ref (list);
      nt_timeline_set_members (self->timeline, list);
      break;
    case LIST_PROPOSALS:
      g_clear_pointer (&self->proposals, g_ptr_array_unref);
      self->proposals = g_ptr_array_ref (list);
      nt_timeline_set_proposals (self->timeline, list);
      break;
    default:
      g_return_if_reached ();
    }
}

static void
list_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  static GPtrArray *(* const finish[]) (NtScheduleClient *, GAsyncResult *, gint64 *, GError **) = {
    [LIST_PERIODS] = nt_schedule_client_list_run_plan_finish,
    [LIST_MEMBERS] = nt_schedule_client_list_members_finish,
    [LIST_PROPOSALS] = nt_schedule_client_list_proposals_finish,
  };
  ListRead *read = user_data;
  g_autoptr(NtSchedulePage) self = read->self;
  ListKind kind = read->kind;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  gint64 revision = 0;

  g_free (read);
  list = finish[kind] (NT_SCHEDULE_CLIENT (source), result, &revision, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (list == NULL)
    load_failed (self, error);
  else
    take_list (self, kind, list, revision);
  load_finished (self);
}

/* The year's allocations, as compact records the timeline takes over. */
static void
allocations_read_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  ListRead *read = user_data;
  g_autoptr(NtSchedulePage) self = read->self;
  g_autoptr(GError) error = NULL;
  NtBookingStore *store;
  gint64 revision = 0;

  g_free (read);
  store = nt_schedule_client_list_allocation_store_finish (NT_SCHEDULE_CLIENT (source), result,
                                                           &revision, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (store == NULL)
    load_failed (self, error);
  else
    {
      self->rev_allocations = revision;
      nt_timeline_set_allocation_store (self->timeline, store);
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
void
nt_schedule_page_schedule_summary (NtSchedulePage *self)
{
  if (self->summary_id == 0)
    self->summary_id = g_timeout_add (SUMMARY_DELAY_MS, summary_timeout_cb, self);
}

void
nt_schedule_page_load (NtSchedulePage *self)
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
  if (self->early == NULL)
    self->early = g_ptr_array_new_with_free_func (change_free);
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
                                          list_read_cb, list_read_new (self, LIST_PERIODS));
  nt_schedule_client_list_allocation_store_async (client, start, end, NULL, NT_SLOT_ANY, self->cancellable,
                                                  allocations_read_cb, list_read_new (self, LIST_ALLOCATIONS));
  nt_schedule_client_list_members_async (client, self->cancellable,
                                         list_read_cb, list_read_new (self, LIST_MEMBERS));
  nt_schedule_client_list_proposals_async (client, self->cancellable,
                                           list_read_cb, list_read_new (self, LIST_PROPOSALS));
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
          nt_schedule_page_load (self);
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
    nt_schedule_page_load (self);
}

/* "Try Again": start the context if it failed, else read the year. */
void
nt_schedule_page_retry (NtSchedulePage *self)
{
  if (nt_context_get_state (self->context) != NT_CONTEXT_READY)
    {
      nt_context_start (self->context);
      return;
    }
  if (!self->loaded)
    {
      nt_schedule_page_load (self);
      ask_role (self);
    }
}

/* The page follows the context: its state (read the year once it is
 * ready) and its token. */
void
nt_schedule_page_follow_context (NtSchedulePage *self)
{
  g_signal_connect_swapped (self->context, "notify::state", G_CALLBACK (context_state_cb), self);
  g_signal_connect_swapped (self->context, "notify::token", G_CALLBACK (context_token_cb), self);
  context_state_cb (self);
}
