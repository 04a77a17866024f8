/* nt-statistics-service.c: the statistics route's work: a snapshot of the
 * plan, allocations and settings, the samples of each piece read in a
 * worker thread, and the cache of closed days
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Planned refills: the ring is filled from empty at the start of a user-
 * operation period that follows time without beam; the first
 * FIRST_FILL_SECONDS of such a period are a planned refill (the current
 * below the threshold there is no fault).
 */
#define G_LOG_DOMAIN "nt-statistics"

#include "config.h"

#include <string.h>

#include "nt-db.h"
#include "nt-facility-http.h"
#include "nt-history-store.h"
#include "nt-statistics-service.h"
#include "nt-time.h"

#define FIRST_FILL_SECONDS  900
#define CLOSED_MARGIN_US    ((gint64) 120 * G_USEC_PER_SEC)   /* the archive is flushed within it */
#define MAX_PIECE_SAMPLES   (4 * 86400 + 1000)

struct _NtStatisticsService
{
  GObject          parent_instance;

  char            *db_path;
  NtScheduleStore *store;
  NtClock         *clock;
  char            *current_pv;
  char            *mode_pv;
  char            *message_pv;
  GPtrArray       *beamlines;     /* char * */
  GPtrArray       *shutter_pvs;   /* char * */
  double           planned_ma;
  GArray          *plan;          /* NtPeriodSpan, or NULL: the store's */
  guint            plan_serial;

  GMutex           lock;          /* guards what follows */
  GHashTable      *cache;         /* day start (gint64 *) -> NtStatsPiece */
  gint64           cache_revision;
  guint            cache_plan_serial;
  NtStatsSettings  cache_settings;
  gboolean         history_ready;
};

G_DEFINE_FINAL_TYPE (NtStatisticsService, nt_statistics_service, G_TYPE_OBJECT)

/* What one computation needs, taken on the service's thread. */
typedef struct
{
  NtStatisticsService *service;   /* a reference */
  NtStatsPlan         *plan;
  NtStatsSettings      settings;
  gint64               from;
  gint64               to;
  gint64               now;
  gboolean             may_cache;
  gint64               revision;  /* the cache's key when the snapshot was taken */
  guint                plan_serial;
  NtDb                *db;        /* the worker's read-only connection */
  SoupServerMessage   *msg;
  gboolean             finished;  /* the client went away */
  gulong               finished_id;
  gulong               disconnected_id;
} Job;

static void
job_free (Job *job)
{
  if (job->msg != NULL)
    {
      g_clear_signal_handler (&job->finished_id, job->msg);
      g_clear_signal_handler (&job->disconnected_id, job->msg);
      g_object_unref (job->msg);
    }
  g_clear_object (&job->db);
  nt_stats_plan_free (job->plan);
  g_clear_object (&job->service);
  g_free (job);
}

static double
member_double (JsonObject *o,
               const char *name,
               double      fallback)
{
  JsonNode *n = json_object_get_member (o, name);

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n))
    return fallback;
  return json_node_get_double (n);
}

void
nt_statistics_settings_from_store (NtScheduleStore *store,
                                   NtStatsSettings *settings)
{
  g_autoptr(JsonNode) node = nt_schedule_store_get_settings (store);
  JsonObject *o = json_node_get_object (node);

  nt_stats_settings_init_default (settings);
  settings->threshold_fraction = member_double (o, "delivery_threshold_fraction", settings->threshold_fraction);
  settings->grace_us = (gint64) (member_double (o, "fault_grace_seconds", NT_STATS_DEFAULT_GRACE_SECONDS) * G_USEC_PER_SEC);
  settings->target_availability = member_double (o, "target_availability", settings->target_availability);
}

/* The allocations overlapping [from, to) (µs) that are not cancelled
 * (drafts count: they are in the plan the console shows). */
static void
add_allocations (NtStatisticsService *self,
                 NtStatsPlan         *plan,
                 gint64               from,
                 gint64               to)
{
  NtCatalogue *catalogue = nt_schedule_store_get_catalogue (self->store);
  NtScheduleQuery q = { .from = from / G_USEC_PER_SEC, .to = to / G_USEC_PER_SEC, .has_from = TRUE, .has_to = TRUE };
  g_autoptr(NtScheduleFault) fault = NULL;
  g_autoptr(JsonNode) list = nt_schedule_store_list (self->store, NT_RESOURCE_ALLOCATION, &q, &fault);
  JsonArray *items;

  if (list == NULL)
    {
      g_warning ("Cannot read the allocations: %s", fault != NULL ? fault->message : "?");
      return;
    }
  items = json_object_get_array_member (json_node_get_object (list), "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *a = json_array_get_object_element (items, i);
      NtStation *station = nt_catalogue_lookup_station (catalogue, json_object_get_string_member_with_default (a, "station", ""));
      const char *status = json_object_get_string_member_with_default (a, "status", "");
      NtStatsAllocation alloc = { 0 };
      gint64 start, end;
      guint index;

      if (station == NULL || g_str_equal (status, "cancelled") ||
          !nt_slot_from_string (json_object_get_string_member_with_default (a, "slot", ""), &alloc.slot) ||
          (alloc.slot != NT_SLOT_PUBLIC && alloc.slot != NT_SLOT_COALITION) ||
          !nt_time_parse_iso (json_object_get_string_member_with_default (a, "start", ""), &start) ||
          !nt_time_parse_iso (json_object_get_string_member_with_default (a, "end", ""), &end) ||
          !g_ptr_array_find_with_equal_func (plan->beamlines, nt_station_get_beamline_id (station),
                                             g_str_equal, &index))
        continue;
      alloc.beamline = index;
      alloc.start = start * G_USEC_PER_SEC;
      alloc.end = end * G_USEC_PER_SEC;
      g_array_append_val (plan->allocations, alloc);
    }
}

/* The plan, allocations and settings now; on the service's thread. */
static Job *
job_new (NtStatisticsService *self,
         gint64               from,
         gint64               to)
{
  Job *job = g_new0 (Job, 1);
  g_autoptr(GArray) store_plan = NULL;
  GArray *spans = self->plan;
  gint64 revision = nt_schedule_store_get_revision (self->store);
  gint64 margin = (gint64) 8 * 86400 * G_USEC_PER_SEC;

  job->service = g_object_ref (self);
  job->from = from;
  job->to = to;
  job->now = nt_clock_get_now (self->clock) * G_USEC_PER_SEC;
  nt_statistics_settings_from_store (self->store, &job->settings);

  if (spans == NULL)
    spans = store_plan = nt_schedule_store_dup_plan (self->store);
  job->plan = nt_stats_plan_new ();
  for (guint i = 0; i < self->beamlines->len; i++)
    g_ptr_array_add (job->plan->beamlines, g_strdup (g_ptr_array_index (self->beamlines, i)));
  for (guint i = 0; i < spans->len; i++)
    {
      const NtPeriodSpan *s = &g_array_index (spans, NtPeriodSpan, i);
      NtStatsPeriod p = { s->start * G_USEC_PER_SEC, s->end * G_USEC_PER_SEC, s->kind, self->planned_ma };

      if (p.end < from - margin || p.start > to + margin)
        continue;
      g_array_append_val (job->plan->periods, p);
      if (s->kind == NT_PERIOD_USER_OPERATION &&
          (i == 0 || g_array_index (spans, NtPeriodSpan, i - 1).end != s->start ||
           !nt_period_kind_has_beam (g_array_index (spans, NtPeriodSpan, i - 1).kind)))
        {
          NtStatsSpan r = { p.start, MIN (p.end, p.start + (gint64) FIRST_FILL_SECONDS * G_USEC_PER_SEC) };

          g_array_append_val (job->plan->refills, r);
        }
    }
  add_allocations (self, job->plan, from - margin, to + margin);

  g_mutex_lock (&self->lock);
  if (self->cache_revision != revision || self->cache_plan_serial != self->plan_serial ||
      memcmp (&self->cache_settings, &job->settings, sizeof job->settings) != 0)
    {
      self->cache_settings = job->settings;
      g_hash_table_remove_all (self->cache);
      self->cache_revision = revision;
      self->cache_plan_serial = self->plan_serial;
    }
  job->may_cache = self->history_ready;
  job->revision = revision;
  job->plan_serial = self->plan_serial;
  g_mutex_unlock (&self->lock);

  return job;
}

static void
free_sample_array (gpointer data)
{
  GArray *a = data;

  if (a != NULL)
    g_array_unref (a);
}

static GArray *
read_samples (NtDb        *db,
              const char  *pv,
              gint64       from,
              gint64       to,
              GError     **error)
{
  g_autoptr(GError) local = NULL;
  GArray *samples;

  if (pv == NULL)
    return NULL;
  samples = nt_history_query_raw (db, pv, from, to - 1, MAX_PIECE_SAMPLES, &local);
  if (samples == NULL && g_error_matches (local, NT_HISTORY_ERROR, NT_HISTORY_ERROR_NOT_FOUND))
    return g_array_new (FALSE, FALSE, sizeof (NtHistorySample));  /* never archived: a gap */
  if (samples == NULL)
    g_propagate_error (error, g_steal_pointer (&local));
  return samples;
}

static NtStatsPiece *
read_piece (Job     *job,
            gint64   from,
            gint64   to,
            GError **error)
{
  NtStatisticsService *self = job->service;
  NtStatsSamples samples = { 0 };
  g_autoptr(GArray) current = NULL;
  g_autoptr(GArray) mode = NULL;
  g_autoptr(GArray) message = NULL;
  g_autoptr(GPtrArray) shutters = g_ptr_array_new_with_free_func (free_sample_array);
  gint64 lookahead = job->settings.grace_us + G_USEC_PER_SEC;

  if ((current = read_samples (job->db, self->current_pv, from, to, error)) == NULL ||
      (mode = read_samples (job->db, self->mode_pv, from, to, error)) == NULL)
    return NULL;
  if (self->message_pv != NULL &&
      (message = read_samples (job->db, self->message_pv, from, to + lookahead, error)) == NULL)
    return NULL;
  for (guint i = 0; i < self->shutter_pvs->len; i++)
    {
      GArray *s = NULL;
      g_autoptr(GError) local = NULL;

      /* Only beamlines with allocations need their shutter. */
      for (guint k = 0; k < job->plan->allocations->len; k++)
        {
          NtStatsAllocation *a = &g_array_index (job->plan->allocations, NtStatsAllocation, k);

          if (a->beamline == i && a->start < to && a->end > from)
            {
              s = read_samples (job->db, g_ptr_array_index (self->shutter_pvs, i), from, to, &local);
              if (s == NULL)
                {
                  g_propagate_error (error, g_steal_pointer (&local));
                  return NULL;
                }
              break;
            }
        }
      g_ptr_array_add (shutters, s);
    }

  samples.current = current;
  samples.mode = mode;
  samples.message = message;
  samples.shutters = shutters;
  return nt_stats_piece_compute (job->plan, &samples, &job->settings, from, to);
}

static NtStatsPiece *
get_piece_cb (gint64    from,
              gint64    to,
              gpointer  user_data,
              GError  **error)
{
  Job *job = user_data;
  NtStatisticsService *self = job->service;
  gboolean whole_day = from == nt_stats_day_floor (from) && to == nt_stats_day_next (from) &&
                       to + CLOSED_MARGIN_US <= job->now;
  NtStatsPiece *piece;

  if (whole_day && job->may_cache)
    {
      g_mutex_lock (&self->lock);
      piece = g_hash_table_lookup (self->cache, &from);
      if (piece != NULL)
        nt_stats_piece_ref (piece);
      g_mutex_unlock (&self->lock);
      if (piece != NULL)
        return piece;
    }

  piece = read_piece (job, from, to, error);
  if (piece != NULL && whole_day && job->may_cache)
    {
      g_mutex_lock (&self->lock);
      if (self->cache_revision == job->revision && self->cache_plan_serial == job->plan_serial)
        g_hash_table_replace (self->cache, g_memdup2 (&from, sizeof from), nt_stats_piece_ref (piece));
      g_mutex_unlock (&self->lock);
    }
  return piece;
}

static JsonNode *
job_run (Job     *job,
         GError **error)
{
  job->db = nt_db_open_readonly (job->service->db_path, error);
  if (job->db == NULL)
    return NULL;
  return nt_stats_assemble (job->plan, &job->settings, job->from, job->to, job->now,
                            get_piece_cb, job, error);
}

static void
job_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  GError *error = NULL;
  JsonNode *node = job_run (task_data, &error);

  if (node == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, node, (GDestroyNotify) json_node_unref);
}

static void
warm_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = g_task_propagate_pointer (G_TASK (result), &error);

  if (node == NULL)
    g_debug ("Statistics of the year not computed ahead: %s", error->message);
  else
    g_debug ("Statistics of the year computed ahead (%u days cached)",
             nt_statistics_service_get_n_cached (NT_STATISTICS_SERVICE (source)));
  g_clear_pointer (&node, json_node_unref);
}

static void
job_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = G_TASK (result);
  Job *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  JsonNode *node = g_task_propagate_pointer (task, &error);

  if (job->finished)
    {
      g_clear_pointer (&node, json_node_unref);
      return;
    }
  if (node != NULL)
    nt_facility_http_set_json (job->msg, SOUP_STATUS_OK, node);
  else
    {
      g_warning ("Statistics failed: %s", error->message);
      nt_facility_http_set_error (job->msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal", NULL,
                                  "The statistics cannot be computed: %s", error->message);
    }
  soup_server_message_unpause (job->msg);
}

static void
msg_finished_cb (SoupServerMessage *msg,
                 gpointer           user_data)
{
  Job *job = user_data;

  job->finished = TRUE;
}

static void
nt_statistics_service_finalize (GObject *object)
{
  NtStatisticsService *self = (NtStatisticsService *)object;

  g_free (self->db_path);
  g_clear_object (&self->store);
  g_clear_object (&self->clock);
  g_free (self->current_pv);
  g_free (self->mode_pv);
  g_free (self->message_pv);
  g_ptr_array_unref (self->beamlines);
  g_ptr_array_unref (self->shutter_pvs);
  g_clear_pointer (&self->plan, g_array_unref);
  g_hash_table_unref (self->cache);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (nt_statistics_service_parent_class)->finalize (object);
}

static void
nt_statistics_service_class_init (NtStatisticsServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = nt_statistics_service_finalize;
}

static void
nt_statistics_service_init (NtStatisticsService *self)
{
  g_mutex_init (&self->lock);
  self->cache = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                       (GDestroyNotify) nt_stats_piece_unref);
  self->beamlines = g_ptr_array_new_with_free_func (g_free);
  self->shutter_pvs = g_ptr_array_new_with_free_func (g_free);
  self->history_ready = TRUE;
  self->cache_revision = -1;
}

NtStatisticsService *
nt_statistics_service_new (const char                *db_path,
                           NtScheduleStore           *store,
                           NtClock                   *clock,
                           const NtStatisticsSources *sources)
{
  NtStatisticsService *self;

  g_return_val_if_fail (db_path != NULL, NULL);
  g_return_val_if_fail (NT_IS_SCHEDULE_STORE (store), NULL);
  g_return_val_if_fail (sources != NULL && sources->current_pv != NULL && sources->mode_pv != NULL, NULL);

  self = g_object_new (NT_TYPE_STATISTICS_SERVICE, NULL);
  self->db_path = g_strdup (db_path);
  self->store = g_object_ref (store);
  self->clock = g_object_ref (clock != NULL ? clock : nt_clock_get_default ());
  self->current_pv = g_strdup (sources->current_pv);
  self->mode_pv = g_strdup (sources->mode_pv);
  self->message_pv = g_strdup (sources->message_pv);
  self->planned_ma = sources->planned_ma > 0 ? sources->planned_ma : 400.0;
  for (guint i = 0; sources->beamlines != NULL && sources->beamlines[i] != NULL; i++)
    {
      g_ptr_array_add (self->beamlines, g_strdup (sources->beamlines[i]));
      g_ptr_array_add (self->shutter_pvs, g_strdup (sources->shutter_pvs[i]));
    }
  return self;
}

void
nt_statistics_service_set_plan (NtStatisticsService *self,
                                GArray              *spans)
{
  g_return_if_fail (NT_IS_STATISTICS_SERVICE (self));

  if (spans != NULL)
    g_array_ref (spans);
  g_clear_pointer (&self->plan, g_array_unref);
  self->plan = spans;
  self->plan_serial++;
}

void
nt_statistics_service_set_history_ready (NtStatisticsService *self,
                                         gboolean             ready)
{
  g_return_if_fail (NT_IS_STATISTICS_SERVICE (self));

  g_mutex_lock (&self->lock);
  if (ready && !self->history_ready)
    g_hash_table_remove_all (self->cache);
  self->history_ready = ready;
  g_mutex_unlock (&self->lock);
}

void
nt_statistics_service_handle (NtStatisticsService *self,
                              SoupServerMessage   *msg,
                              gint64               from_us,
                              gint64               to_us)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (NT_IS_STATISTICS_SERVICE (self));

  job = job_new (self, from_us, to_us);
  job->msg = g_object_ref (msg);
  job->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (msg_finished_cb), job);
  /* A client gone (a kiosk closed mid-read) leaves the message without a
   * connection while the worker computes: it must then not be answered. */
  job->disconnected_id = g_signal_connect (msg, "disconnected", G_CALLBACK (msg_finished_cb), job);
  soup_server_message_pause (msg);

  task = g_task_new (self, NULL, job_done_cb, NULL);
  g_task_set_source_tag (task, nt_statistics_service_handle);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, job_thread);
}

void
nt_statistics_service_warm (NtStatisticsService *self)
{
  g_autoptr(GTask) task = NULL;
  gint64 start, end;

  g_return_if_fail (NT_IS_STATISTICS_SERVICE (self));

  nt_time_fiscal_year_bounds (nt_time_fiscal_year_of (nt_clock_get_now (self->clock)), &start, &end);
  task = g_task_new (self, NULL, warm_done_cb, NULL);
  g_task_set_source_tag (task, nt_statistics_service_warm);
  g_task_set_task_data (task, job_new (self, start * G_USEC_PER_SEC, end * G_USEC_PER_SEC), (GDestroyNotify) job_free);
  g_task_run_in_thread (task, job_thread);
}

JsonNode *
nt_statistics_service_compute (NtStatisticsService *self,
                               gint64               from_us,
                               gint64               to_us,
                               GError             **error)
{
  Job *job;
  JsonNode *node;

  g_return_val_if_fail (NT_IS_STATISTICS_SERVICE (self), NULL);

  job = job_new (self, from_us, to_us);
  node = job_run (job, error);
  job_free (job);
  return node;
}

guint
nt_statistics_service_get_n_cached (NtStatisticsService *self)
{
  guint n;

  g_return_val_if_fail (NT_IS_STATISTICS_SERVICE (self), 0);

  g_mutex_lock (&self->lock);
  n = g_hash_table_size (self->cache);
  g_mutex_unlock (&self->lock);
  return n;
}

void
nt_statistics_service_drop_cache (NtStatisticsService *self)
{
  g_return_if_fail (NT_IS_STATISTICS_SERVICE (self));

  g_mutex_lock (&self->lock);
  g_hash_table_remove_all (self->cache);
  g_mutex_unlock (&self->lock);
}
