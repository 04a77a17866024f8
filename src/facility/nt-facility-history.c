/* nt-facility-history.c: filling the archive from the simulator (the
 * worker thread of a start: holes found, filled newest first, progress,
 * readiness, the statistics computed ahead) and moving closed days into
 * compact blocks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-facility"

#include "config.h"

#include <stdlib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "nt-catalogue.h"
#include "nt-facility-private.h"
#include "nt-history-store.h"

void
nt_facility_generate_job_free (GenerateJob *job)
{
  g_free (job->db_path);
  g_free (job->current_pv);
  g_clear_pointer (&job->plan, g_array_unref);
  g_clear_object (&job->cancellable);
  g_clear_pointer (&job->ready, g_atomic_rc_box_release);
  g_clear_pointer (&job->progress, g_atomic_rc_box_release);
  /* Never the last reference: the facility holds one until it has joined
   * this thread. */
  g_clear_object (&job->archive);
  g_clear_object (&job->statistics);
  g_clear_pointer (&job->context, g_main_context_unref);
  g_free (job);
}

/* Holes in the 1 Hz ring-current archive within [from, to]: the whole
 * range on a first start, the time the services were down, or what a
 * generation cut short by a shutdown left undone.  Read a day at a time
 * (rows and blocks alike), times only, into one array.  Returns pairs of
 * (first, last) seconds. */
static GArray *
find_holes (NtDb       *db,
            const char *pv,
            gint64      from,
            gint64      to)
{
  GArray *holes = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 expected = from;

  for (gint64 day = from; day <= to; day += CHUNK_SECONDS)
    {
      gint64 end = MIN (to, day + CHUNK_SECONDS - 1);

      if (!nt_history_query_times (db, pv, day * G_USEC_PER_SEC, end * G_USEC_PER_SEC, times, NULL))
        continue;
      for (guint i = 0; i < times->len; i++)
        {
          gint64 t = g_array_index (times, gint64, i) / G_USEC_PER_SEC;

          if (t < day)
            continue;
          if (t > expected + HOLE_MIN_SECONDS)
            {
              gint64 last = t - 1;

              g_array_append_val (holes, expected);
              g_array_append_val (holes, last);
            }
          expected = MAX (expected, t + 1);
        }
    }

  if (expected <= to)
    {
      g_array_append_val (holes, expected);
      g_array_append_val (holes, to);
    }

  return holes;
}

/* Once the archive is whole, the closed days of this fiscal year are
 * computed (in a thread) so that the first request for the year is
 * answered from the cache. */
static gboolean
warm_statistics_cb (gpointer data)
{
  nt_statistics_service_warm (data);
  return G_SOURCE_REMOVE;
}

/* The archive queries parked meanwhile start now (or, if the generation
 * failed or was stopped, answer with what there is). */
static void
tell_ready (GenerateJob *job)
{
  g_atomic_int_set (job->ready, 1);
  nt_archive_service_notify_history_ready (job->archive);
}

/* Worker thread: finds the holes in the past week's archive and fills each
 * by running a model of its own from a warm-up before it, recording all it
 * produces into the database through its own connection. */
gpointer
nt_facility_generate_history_thread (gpointer data)
{
  GenerateJob *job = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(NtDb) db = NULL;
  g_autoptr(NtHistoryStore) store = NULL;
  g_autoptr(NtCatalogue) catalogue = NULL;
  g_autoptr(GArray) holes = NULL;
  gint64 t0 = g_get_monotonic_time ();
  guint n_days = 0, n_done = 0;
  gboolean long_fill, told = FALSE;

  db = nt_db_open (job->db_path, &error);
  /* The fill writes each day's blocks once and reads little back: a small
   * page cache (SQLite's default is 2 MiB a connection). */
  if (db != NULL && nt_db_exec (db, "PRAGMA cache_size = -" G_STRINGIFY (FILL_CACHE_KIB), &error))
    store = nt_history_store_new (db, &error);
  if (store != NULL)
    catalogue = nt_catalogue_new_default (&error);
  if (catalogue == NULL)
    {
      g_warning ("Cannot generate history: %s", error->message);
      goto out;
    }

  holes = find_holes (db, job->current_pv, job->from, job->to);
  for (guint h = 0; h + 1 < holes->len; h += 2)
    n_days += (guint) ((g_array_index (holes, gint64, h + 1) - g_array_index (holes, gint64, h) + CHUNK_SECONDS) /
                       CHUNK_SECONDS);
  g_atomic_int_set (&job->progress->days, (gint) n_days);
  long_fill = n_days > NT_FACILITY_HISTORY_DAYS + 1;
  if (long_fill)
    g_message ("Archive: filling %u days of history from the simulator, newest first", n_days);
  /* Generated days go straight into compact blocks. */
  nt_history_store_set_block_mode (store, TRUE);

  /* Newest day first, so the last hours a console shows on start are
   * there soonest; each chunk runs its own model from a warm-up before it
   * (models with one seed converge, so the chunks join up). */
  for (guint h = holes->len; h >= 2 && !g_cancellable_is_cancelled (job->cancellable); h -= 2)
    {
      gint64 hole_from = g_array_index (holes, gint64, h - 2);
      gint64 hole_to = g_array_index (holes, gint64, h - 1);

      for (gint64 to = hole_to; to >= hole_from && !g_cancellable_is_cancelled (job->cancellable); to -= CHUNK_SECONDS)
        {
          gint64 from = MAX (hole_from, to - CHUNK_SECONDS + 1);
          gint64 last;
          g_autoptr(NtRingSim) sim = NULL;

          /* The last week is there: queries need not wait for older days. */
          if (!told && to < job->ready_from)
            {
              told = TRUE;
              tell_ready (job);
            }
          sim = nt_ring_sim_new (catalogue, job->seed, from - WARMUP_SECONDS);

          nt_ring_sim_set_plan (sim, job->plan);
          nt_ring_sim_set_mtbf (sim, job->mtbf_h);
          nt_ring_sim_set_recovery_time (sim, job->recovery_s);
          nt_ring_sim_advance_to (sim, from - 1);

          if (!nt_history_store_attach (store, nt_ring_sim_get_pvs (sim), &error))
            {
              g_warning ("Cannot generate history: %s", error->message);
              goto out;
            }
          nt_history_store_record_all (store);

          /* A newer chunk recorded every PV at its start, our last second. */
          last = to == hole_to ? to : to - 1;
          for (gint64 t = from; t <= last; t += 3600)
            {
              if (g_cancellable_is_cancelled (job->cancellable))
                break;
              nt_ring_sim_advance_to (sim, MIN (t + 3599, last));
            }

          if (!nt_history_store_flush (store, &error))
            {
              g_warning ("Cannot write generated history: %s", error->message);
              goto out;
            }
          nt_history_store_detach (store);
          g_clear_object (&sim);
#ifdef __GLIBC__
          /* What the day's model and blocks took goes back to the system
           * (this thread's arena keeps it otherwise, in the console's
           * process). */
          malloc_trim (0);
#endif
          n_done++;
          g_atomic_int_set (&job->progress->done_days, (gint) n_done);
          if (long_fill && n_days >= 10 && n_done % (n_days / 10) == 0 && n_done < n_days)
            g_message ("Archive: %u of %u days filled (%.0f s)", n_done, n_days,
                       (g_get_monotonic_time () - t0) / 1e6);
        }
    }

  /* Closed days recorded live by earlier runs go into blocks too. */
  if (!g_cancellable_is_cancelled (job->cancellable) &&
      !nt_history_store_compact (store, job->to * G_USEC_PER_SEC, job->cancellable, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Cannot compact the history: %s", error->message);

  if (long_fill)
    g_message ("Archive: %u days of history filled in %.0f s", n_done, (g_get_monotonic_time () - t0) / 1e6);
  g_debug ("Generated %" G_GUINT64_FORMAT " history samples in %u holes in %.1f s",
           nt_history_store_get_n_written (store), holes->len / 2,
           (g_get_monotonic_time () - t0) / 1e6);

out:
  if (g_atomic_int_get (&job->progress->days) < 0)
    g_atomic_int_set (&job->progress->days, 0);
  g_atomic_int_set (&job->progress->done_days, g_atomic_int_get (&job->progress->days));
  if (!told)
    tell_ready (job);
  nt_statistics_service_set_history_ready (job->statistics, TRUE);
  if (!g_cancellable_is_cancelled (job->cancellable))
    g_main_context_invoke_full (job->context, G_PRIORITY_LOW, warm_statistics_cb,
                                g_object_ref (job->statistics), g_object_unref);
  g_clear_object (&store);
  nt_facility_generate_job_free (job);
  return NULL;
}

void
nt_facility_compact_thread (GTask        *task,
                            gpointer      source_object,
                            gpointer      task_data,
                            GCancellable *cancellable)
{
  const char *db_path = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(NtDb) db = nt_db_open (db_path, &error);
  g_autoptr(NtHistoryStore) store = db != NULL ? nt_history_store_new (db, &error) : NULL;
  gint64 before = nt_clock_get_now (nt_facility_get_clock (source_object)) * G_USEC_PER_SEC;

  if (store == NULL || !nt_history_store_compact (store, before, cancellable, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Cannot compact the history: %s", error->message);
    }
  g_task_return_boolean (task, TRUE);
}
