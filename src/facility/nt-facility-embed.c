/* nt-facility-embed.c: the reference services in a thread of their own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-facility-embed"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>

#include "nt-facility-embed.h"

struct _NtFacilityThread
{
  GThread           *thread;
  GMainContext      *context;
  GMainLoop         *loop;
  NtFacilityOptions  options;
  char              *db_path;
  char              *base_uri;
  char              *token;

  GMutex             lock;
  GCond              cond;
  gboolean           started;   /* under lock */
  GError            *error;     /* under lock */
};

static void
facility_thread_free (NtFacilityThread *self)
{
  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->db_path, g_free);
  g_clear_object (&self->options.clock);
  g_clear_pointer (&self->base_uri, g_free);
  g_clear_pointer (&self->token, g_free);
  g_clear_error (&self->error);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  g_free (self);
}

static gpointer
facility_thread_main (gpointer data)
{
  NtFacilityThread *self = data;
  g_autoptr(NtFacility) facility = NULL;
  g_autoptr(GError) error = NULL;

  g_main_context_push_thread_default (self->context);

  facility = nt_facility_new (&self->options, &error);
  if (facility != NULL && !nt_facility_listen (facility, "127.0.0.1", 0, &error))
    g_clear_object (&facility);
  if (facility != NULL)
    {
      const char *token = nt_facility_get_local_token (facility, &error);

      if (token == NULL)
        g_clear_object (&facility);
      else
        self->token = g_strdup (token);
    }

  g_mutex_lock (&self->lock);
  if (facility != NULL)
    self->base_uri = nt_facility_dup_base_uri (facility);
  else
    self->error = g_steal_pointer (&error);
  self->started = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);

  if (facility != NULL)
    {
      g_main_loop_run (self->loop);
      nt_facility_shutdown (facility);
      g_clear_object (&facility);
      /* Let closing sockets and finished queries run their last callbacks. */
      while (g_main_context_iteration (self->context, FALSE))
        ;
    }

  g_main_context_pop_thread_default (self->context);

  return NULL;
}

NtFacilityThread *
nt_facility_thread_start_sync (const NtFacilityOptions  *options,
                               GError                  **error)
{
  NtFacilityThread *self;

  g_return_val_if_fail (options != NULL && options->db_path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_new0 (NtFacilityThread, 1);
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  self->options = *options;
  self->db_path = g_strdup (options->db_path);
  self->options.db_path = self->db_path;
  if (options->clock != NULL)
    self->options.clock = g_object_ref (options->clock);
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);

  self->thread = g_thread_new ("nt-facility", facility_thread_main, self);

  g_mutex_lock (&self->lock);
  while (!self->started)
    g_cond_wait (&self->cond, &self->lock);
  g_mutex_unlock (&self->lock);

  if (self->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&self->error));
      g_thread_join (self->thread);
      facility_thread_free (self);
      return NULL;
    }

  return self;
}

static void
start_thread_cb (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  const NtFacilityOptions *options = task_data;
  GError *error = NULL;
  NtFacilityThread *self;

  self = nt_facility_thread_start_sync (options, &error);
  if (self == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, &error))
    {
      nt_facility_thread_stop (self);
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, self, (GDestroyNotify) nt_facility_thread_stop);
}

static void
options_free (gpointer data)
{
  NtFacilityOptions *options = data;

  g_free ((char *) options->db_path);
  g_clear_object (&options->clock);
  g_free (options);
}

void
nt_facility_thread_start_async (const NtFacilityOptions *options,
                                GCancellable            *cancellable,
                                GAsyncReadyCallback      callback,
                                gpointer                 user_data)
{
  g_autoptr(GTask) task = NULL;
  NtFacilityOptions *copy;

  g_return_if_fail (options != NULL && options->db_path != NULL);

  copy = g_new (NtFacilityOptions, 1);
  *copy = *options;
  copy->db_path = g_strdup (options->db_path);
  if (options->clock != NULL)
    copy->clock = g_object_ref (options->clock);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, nt_facility_thread_start_async);
  g_task_set_task_data (task, copy, options_free);
  g_task_run_in_thread (task, start_thread_cb);
}

NtFacilityThread *
nt_facility_thread_start_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == nt_facility_thread_start_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
nt_facility_thread_get_base_uri (NtFacilityThread *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->base_uri;
}

const char *
nt_facility_thread_get_local_token (NtFacilityThread *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->token;
}

static gboolean
quit_cb (gpointer data)
{
  NtFacilityThread *self = data;

  g_main_loop_quit (self->loop);
  return G_SOURCE_REMOVE;
}

void
nt_facility_thread_stop (NtFacilityThread *self)
{
  if (self == NULL)
    return;

  g_main_context_invoke (self->context, quit_cb, self);
  g_thread_join (self->thread);
  facility_thread_free (self);
}

char *
nt_facility_thread_dup_default_db_path (GError **error)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "nanoterasu-console", NULL);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Cannot create %s: %s", dir, g_strerror (saved_errno));
      return NULL;
    }

  return g_build_filename (dir, "demo-facility.db", NULL);
}
