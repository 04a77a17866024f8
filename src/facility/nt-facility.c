/* nt-facility.c: the reference services on one SoupServer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-facility"

#include "config.h"

#include <math.h>

#include "nt-archive-service.h"
#include "nt-catalogue.h"
#include "nt-facility.h"
#include "nt-facility-private.h"
#include "nt-facility-http.h"
#include "nt-history-store.h"
#include "nt-pvws-service.h"
#include "nt-schedule-service.h"
#include "nt-statistics-service.h"
#include "nt-time.h"

#define TICK_MS            100
#define FLUSH_INTERVAL_US  ((gint64) 2 * G_USEC_PER_SEC)
#define PRUNE_INTERVAL_US  ((gint64) 3600 * G_USEC_PER_SEC)
#define MAX_STEPS_PER_TICK 200000


struct _NtFacility
{
  GObject           parent_instance;

  NtFacilityOptions options;
  char             *db_path;
  GMainContext     *context;

  NtDb             *db;
  NtCatalogue      *catalogue;
  NtRingSim        *sim;
  GArray           *plan;
  NtHistoryStore   *history;
  NtPvwsService    *pvws;
  NtArchiveService *archive;
  NtScheduleService *schedule;
  NtStatisticsService *statistics;
  gulong            plan_changed_id;
  SoupServer       *server;
  GSocketService   *listener;       /* accepts for the server (see incoming_cb) */
  GSocketAddress   *bound;          /* where it listens */
  guint             n_accepted;
  guint            *n_connections;  /* accepted and not yet freed: an rc box
                                     * each connection's socket holds until it goes */

  double            mtbf_h;
  double            recovery_s;
  NtClock          *clock;          /* the services' "now" */
  gint64            mono_start;
  gint64            last_flush;
  gint64            last_prune;
  GSource          *tick_source;

  GThread          *generator;
  GCancellable     *generator_cancellable;
  gint             *history_ready;  /* atomic, in an rc box shared with the generator */
  Progress         *progress;       /* atomic members, rc box shared with the generator */
  guint             history_days;
  GTask            *compacting;     /* the closed days' rows being moved into blocks */
  gboolean          shut_down;
};

G_DEFINE_FINAL_TYPE (NtFacility, nt_facility, G_TYPE_OBJECT)

static void request_read_cb (SoupServer        *server,
                             SoupServerMessage *msg,
                             NtFacility        *self);

static GArray *
build_plan (gint64 from,
            gint64 to)
{
  int fy_first = nt_time_fiscal_year_of (from);
  int fy_last = nt_time_fiscal_year_of (to);
  GArray *plan = g_array_new (FALSE, FALSE, sizeof (NtPeriodSpan));

  for (int fy = fy_first; fy <= fy_last; fy++)
    {
      g_autoptr(GArray) year = nt_demo_plan_build (fy);

      g_array_append_vals (plan, year->data, year->len);
    }

  return plan;
}

/* The scheduling store's plan where it has one; the demo plan before its
 * first and after its last period, so the ring never runs out of plan. */
static GArray *
merge_plans (GArray *store_plan,
             gint64  from,
             gint64  to)
{
  g_autoptr(GArray) demo = build_plan (from, to);
  GArray *merged;
  gint64 first, last;

  if (store_plan == NULL || store_plan->len == 0)
    return g_steal_pointer (&demo);

  first = g_array_index (store_plan, NtPeriodSpan, 0).start;
  last = g_array_index (store_plan, NtPeriodSpan, store_plan->len - 1).end;
  merged = g_array_new (FALSE, FALSE, sizeof (NtPeriodSpan));

  for (guint i = 0; i < demo->len; i++)
    {
      NtPeriodSpan span = g_array_index (demo, NtPeriodSpan, i);

      if (span.start >= first)
        break;
      span.end = MIN (span.end, first);
      g_array_append_val (merged, span);
    }
  g_array_append_vals (merged, store_plan->data, store_plan->len);
  for (guint i = 0; i < demo->len; i++)
    {
      NtPeriodSpan span = g_array_index (demo, NtPeriodSpan, i);

      if (span.end <= last)
        continue;
      span.start = MAX (span.start, last);
      g_array_append_val (merged, span);
    }

  return merged;
}

static GArray *
current_plan (NtFacility *self,
              gint64      start)
{
  g_autoptr(GArray) store_plan = NULL;

  if (self->schedule != NULL)
    store_plan = nt_schedule_service_dup_plan (self->schedule);

  return merge_plans (store_plan,
                      start - (gint64) self->history_days * 86400 - WARMUP_SECONDS,
                      start + 2 * 366 * 86400);
}

/* The statistics over the ring's archived current, mode, operator
 * message and front-end shutters. */
static NtStatisticsService *
new_statistics (NtFacility *self)
{
  GListModel *beamlines = nt_catalogue_get_beamlines (self->catalogue);
  guint n = g_list_model_get_n_items (beamlines);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) pvs = g_ptr_array_new ();
  NtStatisticsSources sources = { 0 };

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(NtBeamline) bl = g_list_model_get_item (beamlines, i);
      g_autofree char *key = g_strdup_printf ("bl.%s.fe_shutter", nt_beamline_get_id (bl));

      g_ptr_array_add (ids, g_strdup (nt_beamline_get_id (bl)));
      g_ptr_array_add (pvs, (gpointer) nt_ring_sim_lookup_signal (self->sim, key));
    }
  g_ptr_array_add (ids, NULL);
  g_ptr_array_add (pvs, NULL);

  sources.current_pv = nt_ring_sim_lookup_signal (self->sim, CURRENT_PV_KEY);
  sources.mode_pv = nt_ring_sim_lookup_signal (self->sim, "ring.mode");
  sources.message_pv = nt_ring_sim_lookup_signal (self->sim, "ring.message");
  sources.beamlines = (const char * const *) ids->pdata;
  sources.shutter_pvs = (const char * const *) pvs->pdata;
  sources.planned_ma = NT_RING_SIM_NOMINAL_CURRENT_MA;

  return nt_statistics_service_new (self->db_path, nt_schedule_service_get_store (self->schedule),
                                    self->clock, &sources);
}

static gint64
sim_target_time (NtFacility *self)
{
  return nt_clock_get_now (self->clock);
}

static void
compacted_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  NtFacility *self = NT_FACILITY (source);

  if (self->compacting == G_TASK (result))
    g_clear_object (&self->compacting);
}

/* Moves the rows of closed days into blocks, in a thread (one a time,
 * and not while the generator is still at work). */
static void
start_compaction (NtFacility *self)
{
  if (self->compacting != NULL || !g_atomic_int_get (self->history_ready) || self->shut_down ||
      (self->progress != NULL &&
       g_atomic_int_get (&self->progress->done_days) < g_atomic_int_get (&self->progress->days)))
    return;
  self->compacting = g_task_new (self, self->generator_cancellable, compacted_cb, NULL);
  g_task_set_source_tag (self->compacting, start_compaction);
  g_task_set_task_data (self->compacting, g_strdup (self->db_path), g_free);
  g_task_run_in_thread (self->compacting, nt_facility_compact_thread);
}

static gboolean
tick_cb (gpointer user_data)
{
  NtFacility *self = user_data;
  gint64 target = sim_target_time (self);
  gint64 now = g_get_monotonic_time ();

  target = MIN (target, nt_ring_sim_get_time (self->sim) + MAX_STEPS_PER_TICK);
  nt_ring_sim_advance_to (self->sim, target);

  if (now - self->last_flush >= FLUSH_INTERVAL_US ||
      nt_history_store_get_n_pending (self->history) >= NT_HISTORY_MAX_PENDING / 2)
    {
      g_autoptr(GError) error = NULL;

      self->last_flush = now;
      if (!nt_history_store_flush (self->history, &error))
        g_warning ("Cannot write history: %s", error->message);
    }

  if (now - self->last_prune >= PRUNE_INTERVAL_US)
    {
      g_autoptr(GError) error = NULL;
      gint64 keep_days = MAX (NT_FACILITY_RETENTION_DAYS, (gint64) self->history_days + 30);
      gint64 before = (nt_ring_sim_get_time (self->sim) - keep_days * 86400) * G_USEC_PER_SEC;

      self->last_prune = now;
      if (!nt_history_store_prune (self->history, before, &error))
        g_warning ("Cannot prune history: %s", error->message);
      start_compaction (self);
    }

  return G_SOURCE_CONTINUE;
}

static void
plan_changed_cb (NtScheduleService *schedule,
                 GArray            *plan,
                 gpointer           user_data)
{
  NtFacility *self = user_data;

  g_clear_pointer (&self->plan, g_array_unref);
  self->plan = current_plan (self, nt_ring_sim_get_time (self->sim));
  nt_ring_sim_set_plan (self->sim, self->plan);
  nt_statistics_service_set_plan (self->statistics, self->plan);
  g_debug ("The ring follows the new run plan (%u periods)", self->plan->len);
}

static void
handle_profile (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  NtFacility *self = user_data;
  const char *method = soup_server_message_get_method (msg);

  if (method != SOUP_METHOD_GET && method != SOUP_METHOD_HEAD)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", "GET, HEAD");
      nt_facility_http_set_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed", NULL,
                                  "%s is not allowed here; use GET", method);
      return;
    }

  nt_facility_http_set_json (msg, SOUP_STATUS_OK, nt_facility_build_profile (self));
}

static void
nt_facility_dispose (GObject *object)
{
  NtFacility *self = (NtFacility *)object;

  nt_facility_shutdown (self);

  g_clear_object (&self->server);
  g_clear_object (&self->listener);
  g_clear_object (&self->bound);
  g_clear_object (&self->pvws);
  g_clear_object (&self->archive);
  if (self->schedule != NULL)
    {
      g_clear_signal_handler (&self->plan_changed_id, self->schedule);
      nt_schedule_service_set_statistics (self->schedule, NULL);
    }
  g_clear_object (&self->schedule);
  g_clear_object (&self->statistics);
  g_clear_object (&self->history);
  g_clear_object (&self->sim);
  g_clear_object (&self->catalogue);
  g_clear_object (&self->db);
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (nt_facility_parent_class)->dispose (object);
}

static void
nt_facility_finalize (GObject *object)
{
  NtFacility *self = (NtFacility *)object;

  g_clear_pointer (&self->plan, g_array_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->db_path, g_free);
  g_clear_pointer (&self->history_ready, g_atomic_rc_box_release);
  g_clear_pointer (&self->progress, g_atomic_rc_box_release);
  g_clear_pointer (&self->n_connections, g_rc_box_release);

  G_OBJECT_CLASS (nt_facility_parent_class)->finalize (object);
}

static void
nt_facility_class_init (NtFacilityClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = nt_facility_dispose;
  object_class->finalize = nt_facility_finalize;
}

static void
nt_facility_init (NtFacility *self)
{
  self->history_ready = g_atomic_rc_box_new0 (gint);
  self->progress = g_atomic_rc_box_new0 (Progress);
  self->progress->days = -1;   /* not counted yet */
}

NtFacility *
nt_facility_new (const NtFacilityOptions  *options,
                 GError                  **error)
{
  g_autoptr(NtFacility) self = NULL;
  g_autoptr(GSource) tick = NULL;
  gint64 start, last_us;

  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (options->db_path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (isnan (options->mtbf_hours) || isnan (options->recovery_minutes) || options->recovery_minutes < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Invalid beam-dump settings (MTBF %g h, recovery %g min)",
                   options->mtbf_hours, options->recovery_minutes);
      return NULL;
    }

  self = g_object_new (NT_TYPE_FACILITY, NULL);
  self->options = *options;
  self->mtbf_h = options->mtbf_hours == 0 ? NT_FACILITY_DEFAULT_MTBF_HOURS
                 : options->mtbf_hours < 0 ? 0 : options->mtbf_hours;
  self->recovery_s = 60 * (options->recovery_minutes == 0 ? NT_FACILITY_DEFAULT_RECOVERY_MINUTES
                                                           : options->recovery_minutes);
  self->db_path = g_strdup (options->db_path);
  self->options.db_path = self->db_path;
  self->history_days = options->history_days > 0 ? options->history_days : NT_FACILITY_HISTORY_DAYS;
  self->context = g_main_context_ref_thread_default ();

  self->clock = g_object_ref (options->clock != NULL ? options->clock : nt_clock_get_default ());
  self->options.clock = self->clock;

  self->db = nt_db_open (self->db_path, error);
  if (self->db == NULL)
    return NULL;
  nt_db_set_clock (self->db, self->clock);
  self->history = nt_history_store_new (self->db, error);
  if (self->history == NULL)
    return NULL;
  self->catalogue = nt_catalogue_new_default (error);
  if (self->catalogue == NULL)
    return NULL;

  /* The scheduling store, seeded with the demo year on a first start; the
   * ring follows its run plan. */
  self->schedule = nt_schedule_service_new (self->db, error);
  if (self->schedule == NULL)
    return NULL;

  /* The ring runs at the clock's instant.  History recorded after it (by
   * an earlier run whose clock was ahead: a faster time scale, or a
   * training day later than this one) is dropped, so that the archive
   * never holds a future. */
  start = nt_clock_get_now (self->clock);
  self->sim = nt_ring_sim_new (self->catalogue, options->seed, start - WARMUP_SECONDS);
  last_us = nt_history_get_last_time (self->db, nt_ring_sim_lookup_signal (self->sim, CURRENT_PV_KEY));
  if (last_us / G_USEC_PER_SEC >= start)
    {
      g_debug ("The archive goes on after the clock's time; dropping what follows it");
      if (!nt_history_store_truncate (self->history, start * G_USEC_PER_SEC, error))
        return NULL;
    }

  if (!nt_schedule_service_seed_demo (self->schedule, nt_time_fiscal_year_of (start), error))
    return NULL;
  self->plan = current_plan (self, start);
  nt_ring_sim_set_plan (self->sim, self->plan);
  nt_ring_sim_set_mtbf (self->sim, self->mtbf_h);
  nt_ring_sim_set_recovery_time (self->sim, self->recovery_s);
  nt_ring_sim_advance_to (self->sim, start);

  if (!nt_history_store_attach (self->history, nt_ring_sim_get_pvs (self->sim), error))
    return NULL;
  nt_history_store_record_all (self->history);
  if (!nt_history_store_flush (self->history, error))
    return NULL;

  /* Until the worker is done, archive queries wait for the history. */
  self->archive = nt_archive_service_new (self->db_path);
  nt_archive_service_set_clock (self->archive, self->clock);
  nt_archive_service_set_history_ready (self->archive, FALSE);

  self->statistics = new_statistics (self);
  nt_statistics_service_set_plan (self->statistics, self->plan);
  nt_statistics_service_set_history_ready (self->statistics, FALSE);
  nt_schedule_service_set_statistics (self->schedule, self->statistics);

  /* The worker fills the holes of the past week's history (all of it on
   * a first start). */
  {
    GenerateJob *job = g_new0 (GenerateJob, 1);

    job->db_path = g_strdup (self->db_path);
    job->current_pv = g_strdup (nt_ring_sim_lookup_signal (self->sim, CURRENT_PV_KEY));
    job->seed = options->seed;
    job->mtbf_h = self->mtbf_h;
    job->recovery_s = self->recovery_s;
    job->plan = g_array_ref (self->plan);
    job->from = start - (gint64) self->history_days * 86400;
    job->to = start - 1;
    job->ready_from = start - (gint64) NT_FACILITY_HISTORY_DAYS * 86400;
    job->progress = g_atomic_rc_box_acquire (self->progress);
    self->generator_cancellable = g_cancellable_new ();
    job->cancellable = g_object_ref (self->generator_cancellable);
    job->ready = g_atomic_rc_box_acquire (self->history_ready);
    job->archive = g_object_ref (self->archive);
    job->statistics = g_object_ref (self->statistics);
    job->context = g_main_context_ref (self->context);
    self->generator = g_thread_new ("nt-history-gen", nt_facility_generate_history_thread, job);
  }

  self->pvws = nt_pvws_service_new (nt_ring_sim_get_pvs (self->sim));

  self->server = soup_server_new ("server-header", "nanoterasu-facility/" PACKAGE_VERSION " ", NULL);
  g_signal_connect (self->server, "request-read", G_CALLBACK (request_read_cb), self);
  nt_pvws_service_attach (self->pvws, self->server, "/pvws/pv");
  nt_archive_service_attach (self->archive, self->server, "/retrieval/data/getData.json");
  soup_server_add_handler (self->server, "/api/v1/facility-profile", handle_profile, self, NULL);

  nt_schedule_service_attach (self->schedule, self->server);
  self->plan_changed_id = g_signal_connect (self->schedule, "plan-changed",
                                            G_CALLBACK (plan_changed_cb), self);

  self->mono_start = g_get_monotonic_time ();
  self->last_flush = self->mono_start;
  self->last_prune = 0;

  tick = g_timeout_source_new (TICK_MS);
  g_source_set_callback (tick, tick_cb, self, NULL);
  g_source_set_static_name (tick, "[nt-facility-tick]");
  g_source_attach (tick, self->context);
  self->tick_source = g_steal_pointer (&tick);

  return g_steal_pointer (&self);
}

static void
connection_freed_cb (gpointer  data,
                     GObject  *where_the_object_was)
{
  guint *n_connections = data;

  (*n_connections)--;
  g_rc_box_release (n_connections);
}

/* libsoup 3.2's own listener keeps a reference to every socket it accepts
 * (Debian 12's libsoup: 344 bytes lost per connection, by valgrind; a
 * daemon that consoles connect to for weeks would grow without end). The
 * facility accepts connections itself and hands each to the server, so
 * each is freed when the server is done with it. */
static gboolean
incoming_cb (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source_object,
             NtFacility        *self)
{
  g_autoptr(GSocketAddress) local = g_socket_connection_get_local_address (connection, NULL);
  g_autoptr(GSocketAddress) remote = g_socket_connection_get_remote_address (connection, NULL);
  g_autoptr(GError) error = NULL;

  if (self->shut_down || self->server == NULL)
    return TRUE;

  if (self->n_connections == NULL)
    self->n_connections = g_rc_box_new0 (guint);
  self->n_accepted++;
  (*self->n_connections)++;
  g_object_weak_ref (G_OBJECT (g_socket_connection_get_socket (connection)),
                     connection_freed_cb, g_rc_box_acquire (self->n_connections));
  if (!soup_server_accept_iostream (self->server, G_IO_STREAM (connection), local, remote, &error))
    g_debug ("A connection could not be taken: %s", error->message);

  return TRUE;
}

/* libsoup 3.2 keeps no connection it was handed (above) open after a
 * response, so every response says so: a client then never sends its
 * next request into a connection the server has already closed. A
 * WebSocket upgrade keeps its connection. */
static void
request_read_cb (SoupServer        *server,
                 SoupServerMessage *msg,
                 NtFacility        *self)
{
  SoupMessageHeaders *request = soup_server_message_get_request_headers (msg);

  if (!soup_message_headers_header_contains (request, "Upgrade", "websocket"))
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
}

gboolean
nt_facility_listen (NtFacility  *self,
                    const char  *address,
                    guint        port,
                    GError     **error)
{
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocketAddress) sockaddr = NULL;

  g_return_val_if_fail (NT_IS_FACILITY (self), FALSE);
  g_return_val_if_fail (address != NULL, FALSE);

  if (port > 65535)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "Port %u is out of range", port);
      return FALSE;
    }

  inet = g_inet_address_new_from_string (address);
  if (inet == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "'%s' is not an IP address", address);
      return FALSE;
    }

  sockaddr = g_inet_socket_address_new (inet, port);
  if (self->bound != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS, "The facility already listens");
      return FALSE;
    }

  if (self->listener == NULL)
    {
      self->listener = g_socket_service_new ();
      g_signal_connect (self->listener, "incoming", G_CALLBACK (incoming_cb), self);
    }
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (self->listener), sockaddr,
                                      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                      NULL, &self->bound, error))
    return FALSE;
  g_socket_service_start (self->listener);

  return TRUE;
}

/**
 * nt_facility_get_n_connections:
 * @accepted: (out) (optional): how many connections were accepted in all
 *
 * Returns: how many accepted connections are still alive
 */
guint
nt_facility_get_n_connections (NtFacility *self,
                               guint      *accepted)
{
  g_return_val_if_fail (NT_IS_FACILITY (self), 0);

  if (accepted != NULL)
    *accepted = self->n_accepted;
  return self->n_connections != NULL ? *self->n_connections : 0;
}

char *
nt_facility_dup_base_uri (NtFacility *self)
{
  GInetSocketAddress *isa;
  g_autofree char *host = NULL;
  g_autoptr(GUri) base = NULL;

  g_return_val_if_fail (NT_IS_FACILITY (self), NULL);

  if (!G_IS_INET_SOCKET_ADDRESS (self->bound))
    return NULL;

  isa = G_INET_SOCKET_ADDRESS (self->bound);
  host = g_inet_address_to_string (g_inet_socket_address_get_address (isa));
  base = g_uri_build (G_URI_FLAGS_NONE, "http", NULL, host,
                      g_inet_socket_address_get_port (isa), "/", NULL, NULL);

  return g_uri_to_string (base);
}

SoupServer *
nt_facility_get_server (NtFacility *self)
{
  g_return_val_if_fail (NT_IS_FACILITY (self), NULL);

  return self->server;
}

NtDb *
nt_facility_get_db (NtFacility *self)
{
  g_return_val_if_fail (NT_IS_FACILITY (self), NULL);

  return self->db;
}

NtClock *
nt_facility_get_clock (NtFacility *self)
{
  g_return_val_if_fail (NT_IS_FACILITY (self), NULL);

  return self->clock;
}

NtRingSim *
nt_facility_get_ring_sim (NtFacility *self)
{
  g_return_val_if_fail (NT_IS_FACILITY (self), NULL);

  return self->sim;
}

NtScheduleService *
nt_facility_get_schedule_service (NtFacility *self)
{
  g_return_val_if_fail (NT_IS_FACILITY (self), NULL);

  return self->schedule;
}

const char *
nt_facility_get_local_token (NtFacility  *self,
                             GError     **error)
{
  g_return_val_if_fail (NT_IS_FACILITY (self), NULL);

  return nt_schedule_service_get_local_token (self->schedule, error);
}

NtStatisticsService *
nt_facility_get_statistics_service (NtFacility *self)
{
  g_return_val_if_fail (NT_IS_FACILITY (self), NULL);

  return self->statistics;
}

void
nt_facility_get_history_progress (NtFacility *self,
                                  guint      *done_days,
                                  guint      *days)
{
  g_return_if_fail (NT_IS_FACILITY (self));

  *days = (guint) MAX (g_atomic_int_get (&self->progress->days), 0);
  *done_days = MIN ((guint) g_atomic_int_get (&self->progress->done_days), *days);
}

gboolean
nt_facility_is_history_ready (NtFacility *self)
{
  g_return_val_if_fail (NT_IS_FACILITY (self), FALSE);

  return g_atomic_int_get (self->history_ready) != 0;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

JsonNode *
nt_facility_build_profile (NtFacility *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();
  GHashTable *signals;
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (NT_IS_FACILITY (self), NULL);

  signals = nt_ring_sim_get_signals (self->sim);
  g_hash_table_iter_init (&iter, signals);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (keys, key);
  g_ptr_array_sort (keys, compare_strings);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "facility");
  json_builder_add_string_value (builder, "NanoTerasu (simulated)");
  json_builder_set_member_name (builder, "simulated");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_set_member_name (builder, "live");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "pvws");
  json_builder_add_string_value (builder, "/pvws/pv");
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "history");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "retrieval");
  json_builder_add_string_value (builder, "/retrieval/data/getData.json");
  /* How much of the archive the first start fills, and how far it is. */
  {
    guint done, days;

    nt_facility_get_history_progress (self, &done, &days);
    json_builder_set_member_name (builder, "days");
    json_builder_add_int_value (builder, self->history_days);
    json_builder_set_member_name (builder, "filled");
    json_builder_add_double_value (builder, days > 0 ? (double) done / days
                                   : g_atomic_int_get (&self->progress->days) < 0 ? 0.0 : 1.0);
  }
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "signals");
  json_builder_begin_object (builder);
  for (guint i = 0; i < keys->len; i++)
    {
      json_builder_set_member_name (builder, g_ptr_array_index (keys, i));
      json_builder_add_string_value (builder, g_hash_table_lookup (signals, g_ptr_array_index (keys, i)));
    }
  json_builder_end_object (builder);
  /* The services' time: a console follows it when it is not its own. */
  {
    g_autofree char *now = nt_time_format_iso (nt_clock_get_now (self->clock));

    json_builder_set_member_name (builder, "clock");
    json_builder_begin_object (builder);
    json_builder_set_member_name (builder, "now");
    json_builder_add_string_value (builder, now);
    json_builder_set_member_name (builder, "scale");
    json_builder_add_double_value (builder, nt_clock_get_scale (self->clock));
    json_builder_end_object (builder);
  }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

void
nt_facility_shutdown (NtFacility *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (NT_IS_FACILITY (self));

  if (self->shut_down)
    return;
  self->shut_down = TRUE;

  if (self->tick_source != NULL)
    {
      g_source_destroy (self->tick_source);
      g_clear_pointer (&self->tick_source, g_source_unref);
    }

  if (self->pvws != NULL)
    nt_pvws_service_shutdown (self->pvws);
  if (self->schedule != NULL)
    nt_schedule_service_shutdown (self->schedule);
  if (self->archive != NULL)
    nt_archive_service_shutdown (self->archive);
  if (self->listener != NULL)
    {
      g_socket_service_stop (self->listener);
      g_socket_listener_close (G_SOCKET_LISTENER (self->listener));
    }
  if (self->server != NULL)
    soup_server_disconnect (self->server);

  if (self->generator != NULL)
    {
      g_cancellable_cancel (self->generator_cancellable);
      g_thread_join (g_steal_pointer (&self->generator));
    }
  g_clear_object (&self->generator_cancellable);

  if (self->history != NULL)
    {
      if (!nt_history_store_flush (self->history, &error))
        g_warning ("Cannot write history: %s", error->message);
      nt_history_store_detach (self->history);
    }
}
