/* bench-kiosk-soak.c: the lobby kiosk over a long unattended run, under Xvfb
 *
 * The kiosk must run for weeks, riding out the services going away and
 * coming back, in bounded memory.  This runs the real NtKioskWindow with an
 * NtContext on reference services started in this process (in a thread of
 * their own with their own GMainContext, as the embedded facility runs),
 * their ring simulator sped up (--time-scale, 600x by default: a simulated
 * week passes in 17 minutes), the pages turning every second and the
 * language alternating each round of pages (kiosk-language "alternate").
 * Every --restart-every-hours simulated hours it stops the services for
 * --down-seconds and starts them again on the same port and database; the
 * kiosk must reconnect by itself.
 *
 * Every --sample-seconds it samples the resident memory (VmRSS and its peak
 * VmHWM), malloc's bytes in use, the GObjects alive (Debian's GLib is built
 * without G_ENABLE_DEBUG, so GOBJECT_DEBUG=instance-count counts nothing:
 * this program defines g_object_new(), g_object_new_valist() and
 * g_object_new_with_properties() itself, which every library's calls reach
 * before GLib's, counts each new object by type and uncounts it from a
 * qdata destroy notify when it is finalized), the open file descriptors
 * (/proc/self/fd) and threads (/proc/self/task).  At the end it
 * prints each quarter of the run (mean RSS and heap, fewest GObjects,
 * median fds and threads), the growth between the first and the last
 * quarter (per simulated day and per real hour), the GObject types whose
 * fewest alive per quarter grew most, each restart with the times the
 * kiosk took to show the loss and to come back, and a verdict: a figure
 * "grows steadily" when its last quarter is above its first by more than
 * a noise floor AND it kept rising after the first quarter (not a warm-up:
 * history read, glyphs of both languages, caches).  Exit status 1 on a
 * growth or a restart the kiosk did not show or recover from.
 * BENCH_SOAK_TRACE=TypeName prints where the objects of that type still
 * alive at the end were made (backtrace(3), grouped).
 *
 *   xvfb-run -a -s "-screen 0 1280x1024x24" dbus-run-session -- \
 *     ./_build/tests/bench/bench-kiosk-soak [--minutes M] [--time-scale X] \
 *     [--restart-every-hours H] [--down-seconds S] [--sample-seconds S]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE  /* RTLD_NEXT */
#endif
#include "config.h"

#include <adwaita.h>
#include <dlfcn.h>
#include <execinfo.h>
#include <malloc.h>
#include <math.h>
#include <stdlib.h>
#include <unistd.h>

#include "../client-test-util.h"
#include "../ui-test-util.h"
#include "nt-application.h"
#include "nt-auth.h"
#include "nt-context.h"
#include "nt-kiosk-window.h"
#include "nt-series.h"
#include "nt-strip-chart.h"
#include "../test-instants.h"

/* How long the kiosk may take to say it is connected again after the
 * services are back before the restart counts as not recovered. */
#define RECONNECT_LIMIT_S 60
#define POLL_MS           200

/* ------------------------------------------------------------------ */
/* The services, in a thread of their own, on a fixed port once chosen */

enum {
  SERVICES_DOWN,
  SERVICES_STARTING,
  SERVICES_UP,
  SERVICES_FAILED,
};

typedef struct
{
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  char         *dir;
  char         *db_path;
  double        time_scale;
  guint64       seed;
  guint         port;      /* 0 until the first start has chosen one */
  char         *base_uri;  /* set by the first start */
  char         *token;     /* a viewer token, made by the first start */
  gint          state;     /* atomic */
  GError       *error;     /* set before state turns FAILED */
} Services;

static gpointer
services_thread (gpointer data)
{
  Services *s = data;
  g_autoptr(NtFacility) facility = NULL;
  g_autoptr(GError) error = NULL;
  NtFacilityOptions options = { 0 };

  g_main_context_push_thread_default (s->context);

  options.db_path = s->db_path;
  options.seed = s->seed;
  /* The default clock runs at the soak's time scale (see main), so each
   * restart goes on from where the services stopped. */
  facility = nt_facility_new (&options, &error);
  if (facility != NULL && !nt_facility_listen (facility, "127.0.0.1", s->port, &error))
    g_clear_object (&facility);
  if (facility != NULL && s->token == NULL)
    {
      /* The lobby reads with a viewer token. */
      s->token = nt_auth_token_create (nt_facility_get_db (facility), NT_ROLE_VIEWER,
                                       "Lobby soak", &error);
      if (s->token == NULL)
        g_clear_object (&facility);
    }
  if (facility != NULL && s->base_uri == NULL)
    {
      s->base_uri = nt_facility_dup_base_uri (facility);
      s->port = uri_port (s->base_uri);
    }

  if (facility == NULL)
    {
      s->error = g_steal_pointer (&error);
      g_atomic_int_set (&s->state, SERVICES_FAILED);
      g_main_context_pop_thread_default (s->context);
      return NULL;
    }

  g_atomic_int_set (&s->state, SERVICES_UP);
  g_main_loop_run (s->loop);

  nt_facility_shutdown (facility);
  g_clear_object (&facility);
  /* Let closing sockets and finished queries run their last callbacks. */
  while (g_main_context_iteration (s->context, FALSE))
    ;
  g_main_context_pop_thread_default (s->context);

  return NULL;
}

static void
services_start (Services *s)
{
  g_assert (s->thread == NULL);

  s->context = g_main_context_new ();
  s->loop = g_main_loop_new (s->context, FALSE);
  g_atomic_int_set (&s->state, SERVICES_STARTING);
  s->thread = g_thread_new ("soak-services", services_thread, s);
}

/* Stops the services as a crash would leave them for clients: the
 * listening socket and every connection go away; the database stays.
 * Returns how long it waited for the thread, in ms. */
static double
services_stop (Services *s)
{
  gint64 t0 = g_get_monotonic_time ();

  if (s->thread == NULL)
    return 0;

  g_main_loop_quit (s->loop);
  g_thread_join (g_steal_pointer (&s->thread));
  g_clear_pointer (&s->loop, g_main_loop_unref);
  g_clear_pointer (&s->context, g_main_context_unref);
  g_atomic_int_set (&s->state, SERVICES_DOWN);

  return (g_get_monotonic_time () - t0) / 1000.0;
}

static gint64
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (gint64) st.st_size : 0;
}

static void
services_free (Services *s)
{
  g_autoptr(GDir) d = NULL;
  const char *name;

  services_stop (s);

  d = g_dir_open (s->dir, 0, NULL);
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (s->dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (s->dir);

  g_clear_error (&s->error);
  g_free (s->dir);
  g_free (s->db_path);
  g_free (s->base_uri);
  g_free (s->token);
  g_free (s);
}

/* ------------------------------------------------------------------ */
/* GObjects alive, by type                                             */

static GMutex      live_lock;
static GHashTable *live_by_type;  /* GType -> objects alive, under live_lock */
static gint64      live_total;    /* under live_lock */

/* BENCH_SOAK_TRACE=TypeName: where the objects of that type still alive
 * at the end were made (object -> backtrace, under live_lock). */
static GType       traced_type;
static GHashTable *traces;

static void
untrace_object_cb (gpointer data)
{
  g_mutex_lock (&live_lock);
  g_hash_table_remove (traces, data);
  g_mutex_unlock (&live_lock);
}

static void
trace_object (GObject *object)
{
  static GQuark quark;
  gpointer frames[24];
  int n = backtrace (frames, G_N_ELEMENTS (frames));
  char **symbols = backtrace_symbols (frames, n);
  GString *trace = g_string_new (NULL);

  if (quark == 0)
    quark = g_quark_from_static_string ("bench-soak-traced");
  /* Skip this function and count_object (). */
  for (int i = 2; symbols != NULL && i < n; i++)
    g_string_append_printf (trace, "    %s\n", symbols[i]);
  free (symbols);

  g_mutex_lock (&live_lock);
  if (traces == NULL)
    traces = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  g_hash_table_insert (traces, object, g_string_free (trace, FALSE));
  g_mutex_unlock (&live_lock);
  g_object_set_qdata_full (object, quark, object, untrace_object_cb);
}

static void
print_traces (void)
{
  g_autoptr(GHashTable) by_trace = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer key, value;

  if (traced_type == 0)
    return;

  g_mutex_lock (&live_lock);
  g_print ("\n%s alive at the end, by where they were made:\n", g_type_name (traced_type));
  if (traces != NULL)
    {
      g_hash_table_iter_init (&iter, traces);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_insert (by_trace, value,
                             GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (by_trace, value)) + 1));
      g_hash_table_iter_init (&iter, by_trace);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_print ("  %u made at\n%s", GPOINTER_TO_UINT (value), (char *) key);
    }
  g_mutex_unlock (&live_lock);
}

static void
uncount_object_cb (gpointer data)
{
  g_mutex_lock (&live_lock);
  if (live_by_type != NULL)
    {
      gpointer key = data;

      g_hash_table_insert (live_by_type, key,
                           GSIZE_TO_POINTER (GPOINTER_TO_SIZE (g_hash_table_lookup (live_by_type, key)) - 1));
      live_total--;
    }
  g_mutex_unlock (&live_lock);
}

static gpointer
count_object (gpointer object)
{
  static GQuark quark;
  gpointer key;

  if (object == NULL || !G_IS_OBJECT (object))
    return object;
  if (quark == 0)
    quark = g_quark_from_static_string ("bench-soak-counted");

  key = GSIZE_TO_POINTER (G_OBJECT_TYPE (object));
  g_mutex_lock (&live_lock);
  if (live_by_type == NULL)
    live_by_type = g_hash_table_new (NULL, NULL);
  g_hash_table_insert (live_by_type, key,
                       GSIZE_TO_POINTER (GPOINTER_TO_SIZE (g_hash_table_lookup (live_by_type, key)) + 1));
  live_total++;
  g_mutex_unlock (&live_lock);

  /* A singleton handed out again: replacing the old mark uncounts it. */
  g_object_set_qdata_full (object, quark, key, uncount_object_cb);
  if (traced_type != 0 && G_OBJECT_TYPE (object) == traced_type)
    trace_object (object);

  return object;
}

typedef GObject *(*NewValistFunc) (GType, const gchar *, va_list);
typedef GObject *(*NewWithPropertiesFunc) (GType, guint, const char **, const GValue *);

static NewValistFunc
real_new_valist (void)
{
  static NewValistFunc func;

  if (func == NULL)
    func = (NewValistFunc) dlsym (RTLD_NEXT, "g_object_new_valist");
  return func;
}

gpointer
g_object_new (GType        object_type,
              const gchar *first_property_name,
              ...)
{
  va_list args;
  GObject *object;

  va_start (args, first_property_name);
  object = real_new_valist () (object_type, first_property_name, args);
  va_end (args);

  return count_object (object);
}

GObject *
g_object_new_valist (GType        object_type,
                     const gchar *first_property_name,
                     va_list      var_args)
{
  return count_object (real_new_valist () (object_type, first_property_name, var_args));
}

GObject *
g_object_new_with_properties (GType          object_type,
                              guint          n_properties,
                              const char    *names[],
                              const GValue   values[])
{
  static NewWithPropertiesFunc func;

  if (func == NULL)
    func = (NewWithPropertiesFunc) dlsym (RTLD_NEXT, "g_object_new_with_properties");
  return count_object (func (object_type, n_properties, names, values));
}

/* The objects alive now; a copy of the counts by type into @per_type. */
static double
count_objects (GHashTable *per_type)
{
  double total;

  g_mutex_lock (&live_lock);
  total = live_total;
  if (per_type != NULL && live_by_type != NULL)
    {
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_remove_all (per_type);
      g_hash_table_iter_init (&iter, live_by_type);
      while (g_hash_table_iter_next (&iter, &key, &value))
        if (value != NULL)
          g_hash_table_insert (per_type, key, value);
    }
  g_mutex_unlock (&live_lock);

  return total;
}

/* ------------------------------------------------------------------ */
/* What is sampled                                                     */

typedef struct
{
  double t;            /* real seconds since the kiosk opened */
  double sim_h;        /* simulated hours the services ran */
  guint  turns;
  guint  restarts;
  double rss;          /* MiB */
  double hwm;          /* MiB */
  double heap;         /* MiB malloc'd and in use */
  double instances;    /* GObjects alive */
  double fds;
  double threads;
  double chart;        /* samples in the 24 h chart */
  gboolean connected;
} Sample;

typedef struct
{
  const char *name;
  const char *unit;
  gsize       offset;
  guint       stat;        /* STAT_MEAN, or robust ones for figures that jump at a restart */
  double      floor;       /* growth below this is noise */
} Metric;

enum { STAT_MEAN, STAT_MEDIAN, STAT_MIN };

/* GObjects by their quarter's minimum: requests in flight only add to it,
 * and every quarter has outages alike. */
static const Metric metrics[] = {
  { "resident (VmRSS)", "MiB", G_STRUCT_OFFSET (Sample, rss), STAT_MEAN, 2.0 },
  { "malloc in use", "MiB", G_STRUCT_OFFSET (Sample, heap), STAT_MEAN, 2.0 },
  { "GObjects alive", "", G_STRUCT_OFFSET (Sample, instances), STAT_MIN, 20 },
  { "file descriptors", "", G_STRUCT_OFFSET (Sample, fds), STAT_MEDIAN, 2 },
  { "threads", "", G_STRUCT_OFFSET (Sample, threads), STAT_MEDIAN, 2 },
};

#define METRIC(sample, m) (*(double *) ((char *) (sample) + metrics[m].offset))

typedef struct
{
  double t_restart;     /* real s, when stopped */
  double sim_h;
  double join_ms;
  double lost_s;        /* from the stop to the kiosk saying so; < 0 = not yet */
  double t_up;          /* real s, services listening again; < 0 = not yet */
  double reconnect_s;   /* from the services up to the kiosk connected; < 0 = not yet */
} Restart;

typedef struct
{
  GMainLoop     *loop;
  Services      *services;
  NtContext     *context;
  NtKioskWindow *kiosk;
  NtStripChart  *chart;

  double         minutes;
  double         time_scale;
  double         restart_every_h;
  double         down_s;
  double         sample_s;

  gint64         t0;
  double         down_total;     /* real s the services were away */
  double         down_since;     /* real s, or < 0 while up */
  double         next_restart;   /* real s */
  GArray        *restarts;       /* of Restart */
  GArray        *samples;        /* of Sample */
  guint          n_language_changes;
  char          *last_language;

  GHashTable    *type_min[4];    /* GType -> fewest objects alive in each quarter */
  GHashTable    *types_now;
  gboolean       failed;
} Soak;

static double
now_s (Soak *soak)
{
  return (g_get_monotonic_time () - soak->t0) / (double) G_USEC_PER_SEC;
}

static double
sim_hours (Soak *soak)
{
  double down = soak->down_total + (soak->down_since >= 0 ? now_s (soak) - soak->down_since : 0);

  return (now_s (soak) - down) * soak->time_scale / 3600.0;
}

/* kB from a "Key:   N kB" line of /proc/self/status, in MiB, or -1 */
static double
status_mib (const char *text,
            const char *key)
{
  const char *line = strstr (text, key);

  if (line == NULL)
    return -1;
  return g_ascii_strtod (line + strlen (key), NULL) / 1024.0;
}

static double
count_dir (const char *path)
{
  g_autoptr(GDir) d = g_dir_open (path, 0, NULL);
  guint n = 0;

  if (d == NULL)
    return -1;
  while (g_dir_read_name (d) != NULL)
    n++;

  /* Reading /proc/self/fd holds one descriptor of its own. */
  return g_str_equal (path, "/proc/self/fd") ? n - 1 : n;
}

static gboolean
kiosk_connected (Soak *soak)
{
  NtPvClient *client = nt_context_get_pv_client (soak->context);

  return nt_context_get_state (soak->context) == NT_CONTEXT_READY && client != NULL &&
         nt_pv_client_get_state (client) == NT_CONNECTION_CONNECTED &&
         g_str_equal (nt_kiosk_window_get_status_text (soak->kiosk), "");
}

static void
print_header (void)
{
  g_print ("%7s %7s %6s %3s %8s %8s %8s %9s %4s %4s %7s  %s\n",
           "real/s", "sim/h", "turns", "rst", "RSS/MiB", "HWM/MiB", "heap/MiB",
           "GObjects", "fds", "thr", "chart", "status");
}

static void
take_sample (Soak *soak)
{
  g_autofree char *status = NULL;
  Sample s = { 0 };

  s.t = now_s (soak);
  s.sim_h = sim_hours (soak);
  s.turns = nt_kiosk_window_get_n_turns (soak->kiosk);
  s.restarts = soak->restarts->len;

  if (g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    {
      s.rss = status_mib (status, "VmRSS:");
      s.hwm = status_mib (status, "VmHWM:");
    }
  {
    struct mallinfo2 mi = mallinfo2 ();

    s.heap = (mi.uordblks + mi.hblkhd) / (1024.0 * 1024.0);
  }
  s.instances = count_objects (NULL);
  s.fds = count_dir ("/proc/self/fd");
  s.threads = count_dir ("/proc/self/task");
  if (soak->chart != NULL)
    s.chart = nt_series_get_n_samples (nt_strip_chart_get_series (soak->chart, 0));
  s.connected = kiosk_connected (soak);

  g_array_append_val (soak->samples, s);

  g_print ("%7.0f %7.1f %6u %3u %8.1f %8.1f %8.1f %9.0f %4.0f %4.0f %7.0f  %s\n",
           s.t, s.sim_h, s.turns, s.restarts, s.rss, s.hwm, s.heap, s.instances,
           s.fds, s.threads, s.chart,
           soak->down_since >= 0 ? "services down" :
           s.connected ? "connected" : nt_kiosk_window_get_status_text (soak->kiosk));

  /* The fewest objects of each type alive in each quarter, to name the
   * types that grow. */
  {
    guint q = MIN ((guint) (4 * s.t / (soak->minutes * 60)), 3);
    GHashTable *min = soak->type_min[q];
    GHashTableIter iter;
    gpointer key, value;

    count_objects (soak->types_now);
    if (min == NULL)
      {
        min = soak->type_min[q] = g_hash_table_new (NULL, NULL);
        g_hash_table_iter_init (&iter, soak->types_now);
        while (g_hash_table_iter_next (&iter, &key, &value))
          g_hash_table_insert (min, key, value);
      }
    else
      {
        g_hash_table_iter_init (&iter, min);
        while (g_hash_table_iter_next (&iter, &key, &value))
          {
            gsize now = GPOINTER_TO_SIZE (g_hash_table_lookup (soak->types_now, key));

            if (now < GPOINTER_TO_SIZE (value))
              g_hash_table_iter_replace (&iter, GSIZE_TO_POINTER (now));
          }
      }
  }
}

/* ------------------------------------------------------------------ */
/* The run                                                             */

static gboolean
turn_cb (gpointer user_data)
{
  Soak *soak = user_data;
  const char *language;

  /* What the kiosk's own timer does (its settings allow 2 s at least). */
  nt_kiosk_window_next_page (soak->kiosk);
  language = nt_kiosk_window_get_language (soak->kiosk);
  if (g_strcmp0 (language, soak->last_language) != 0)
    {
      soak->n_language_changes++;
      g_free (soak->last_language);
      soak->last_language = g_strdup (language);
    }

  return G_SOURCE_CONTINUE;
}

static gboolean
sample_cb (gpointer user_data)
{
  take_sample (user_data);
  return G_SOURCE_CONTINUE;
}

static gboolean
poll_cb (gpointer user_data)
{
  Soak *soak = user_data;
  double t = now_s (soak);
  Restart *last = soak->restarts->len > 0
                  ? &g_array_index (soak->restarts, Restart, soak->restarts->len - 1) : NULL;

  if (t >= soak->minutes * 60)
    {
      g_main_loop_quit (soak->loop);
      return G_SOURCE_REMOVE;
    }

  switch (g_atomic_int_get (&soak->services->state))
    {
    case SERVICES_UP:
      if (last != NULL && last->t_up < 0)
        last->t_up = t;
      if (last != NULL && last->lost_s < 0 && last->reconnect_s < 0 && !kiosk_connected (soak))
        last->lost_s = t - last->t_restart;
      if (last != NULL && last->t_up >= 0 && last->reconnect_s < 0 && kiosk_connected (soak))
        {
          last->reconnect_s = t - last->t_up;
          g_print ("        kiosk connected again %.1f s after the services came back\n",
                   last->reconnect_s);
        }

      if (t >= soak->next_restart)
        {
          Restart r = { 0 };

          if (last != NULL && last->reconnect_s < 0)
            g_print ("        restart %u: the kiosk had not reconnected in %.0f s\n",
                     soak->restarts->len, t - last->t_up);
          r.t_restart = t;
          r.sim_h = sim_hours (soak);
          r.join_ms = services_stop (soak->services);
          r.t_up = -1;
          r.lost_s = -1;
          r.reconnect_s = -1;
          g_array_append_val (soak->restarts, r);
          soak->down_since = now_s (soak);
          soak->next_restart = soak->down_since + soak->down_s +
                               soak->restart_every_h * 3600 / soak->time_scale;
          g_print ("        services stopped at %.1f simulated hours (%.0f ms to stop), "
                   "away for %.0f s\n", r.sim_h, r.join_ms, soak->down_s);
        }
      break;

    case SERVICES_DOWN:
      if (last != NULL && last->lost_s < 0 && !kiosk_connected (soak))
        {
          last->lost_s = t - last->t_restart;
          g_print ("        the kiosk says the services are away %.1f s after they stopped: “%s”\n",
                   last->lost_s, nt_kiosk_window_get_status_text (soak->kiosk));
        }
      if (t - soak->down_since >= soak->down_s)
        {
          soak->down_total += t - soak->down_since;
          soak->down_since = -1;
          services_start (soak->services);
        }
      break;

    case SERVICES_FAILED:
      g_printerr ("The services did not start again: %s\n", soak->services->error->message);
      soak->failed = TRUE;
      g_main_loop_quit (soak->loop);
      return G_SOURCE_REMOVE;

    case SERVICES_STARTING:
    default:
      break;
    }

  return G_SOURCE_CONTINUE;
}

/* ------------------------------------------------------------------ */
/* The report                                                          */

typedef struct
{
  double mean;
  double median;
  double min;
  double t_mid;
  double sim_mid;
  guint  n;
} Quarter;

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static Quarter
quarter (Soak *soak,
         guint m,
         guint q)
{
  double total = soak->minutes * 60;
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (double));
  Quarter r = { 0 };
  double sum = 0, t_sum = 0, sim_sum = 0;

  for (guint i = 0; i < soak->samples->len; i++)
    {
      Sample *s = &g_array_index (soak->samples, Sample, i);
      double v = METRIC (s, m);

      if (s->t < total * q / 4 || (q < 3 && s->t >= total * (q + 1) / 4) || v < 0)
        continue;
      g_array_append_val (values, v);
      sum += v;
      t_sum += s->t;
      sim_sum += s->sim_h;
    }

  r.n = values->len;
  if (r.n == 0)
    return r;
  g_array_sort (values, compare_double);
  r.mean = sum / r.n;
  r.median = g_array_index (values, double, r.n / 2);
  r.min = g_array_index (values, double, 0);
  r.t_mid = t_sum / r.n;
  r.sim_mid = sim_sum / r.n;

  return r;
}

typedef struct
{
  GType  type;
  double min[4];
} TypeGrowth;

static int
compare_growth (gconstpointer a,
                gconstpointer b)
{
  const TypeGrowth *x = a, *y = b;
  double dx = x->min[3] - x->min[0], dy = y->min[3] - y->min[0];

  return dx < dy ? 1 : dx > dy ? -1 : 0;
}

/* Whether a series of quarters grows steadily: the last above the first by
 * more than @noise, and still rising after the first (not a warm-up). */
static gboolean
grows_steadily (const double v[4],
                double       noise)
{
  return v[3] - v[0] > noise &&
         v[3] - v[1] > noise / 2 &&
         v[2] >= v[1] - noise / 4 &&
         v[3] >= v[2] - noise / 4;
}

/* Returns whether some type grows steadily. */
static gboolean
print_type_growth (Soak *soak)
{
  g_autoptr(GArray) growth = g_array_new (FALSE, FALSE, sizeof (TypeGrowth));
  GHashTableIter iter;
  gpointer key, value;
  gboolean any = FALSE;

  for (guint q = 0; q < 4; q++)
    if (soak->type_min[q] == NULL)
      return FALSE;

  g_hash_table_iter_init (&iter, soak->type_min[3]);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      TypeGrowth g = { GPOINTER_TO_SIZE (key), { 0 } };

      for (guint q = 0; q < 4; q++)
        g.min[q] = GPOINTER_TO_SIZE (g_hash_table_lookup (soak->type_min[q], key));
      if (g.min[3] > g.min[0])
        g_array_append_val (growth, g);
    }
  g_array_sort (growth, compare_growth);

  g_print ("\nGObjects by type, fewest alive in each quarter (the types that grew most):\n");
  if (growth->len == 0)
    g_print ("  none grew\n");
  for (guint i = 0; i < growth->len && i < 10; i++)
    {
      TypeGrowth *g = &g_array_index (growth, TypeGrowth, i);
      /* A few objects more per restart is a leak too: the noise is small
       * for the minimum of one type. */
      gboolean steady = grows_steadily (g->min, 4);

      any |= steady;
      g_print ("  %-32s %7.0f %7.0f %7.0f %7.0f  %+5.0f  %s\n", g_type_name (g->type), g->min[0],
               g->min[1], g->min[2], g->min[3], g->min[3] - g->min[0],
               steady ? "GROWS STEADILY" : "");
    }

  return any;
}

static gboolean
report (Soak *soak)
{
  double sim_total = sim_hours (soak);
  guint n_turns = nt_kiosk_window_get_n_turns (soak->kiosk);
  gboolean ok = !soak->failed;
  double peak = 0;
  g_autofree char *wal = g_strconcat (soak->services->db_path, "-wal", NULL);

  for (guint i = 0; i < soak->samples->len; i++)
    peak = MAX (peak, g_array_index (soak->samples, Sample, i).hwm);

  g_print ("\n%.1f real minutes, %.1f simulated hours (%.2f days) at %.0fx; %u page turns, "
           "%u language changes, %u restarts of the services; peak resident (VmHWM) %.1f MiB\n",
           soak->minutes, sim_total, sim_total / 24, soak->time_scale, n_turns,
           soak->n_language_changes, soak->restarts->len, peak);
  g_print ("database after the run: %.1f MiB (+ %.1f MiB write-ahead log)\n",
           file_size (soak->services->db_path) / (1024.0 * 1024.0),
           file_size (wal) / (1024.0 * 1024.0));

  if (soak->restarts->len > 0)
    {
      g_print ("\nrestarts (the kiosk must say the services are away, and come back by itself "
               "within %d s of their return):\n", RECONNECT_LIMIT_S);
      g_print ("  %3s %8s %8s %8s %14s %14s\n", "#", "real/s", "sim/h", "stop/ms",
               "loss shown/s", "back after/s");
    }
  for (guint i = 0; i < soak->restarts->len; i++)
    {
      Restart *r = &g_array_index (soak->restarts, Restart, i);
      gboolean last = i + 1 == soak->restarts->len;
      gboolean pending = last && r->reconnect_s < 0 &&
                         (r->t_up < 0 || now_s (soak) - r->t_up < RECONNECT_LIMIT_S);
      g_autofree char *lost = r->lost_s >= 0 ? g_strdup_printf ("%.1f", r->lost_s) : g_strdup ("NEVER");
      g_autofree char *back = r->reconnect_s >= 0 ? g_strdup_printf ("%.1f", r->reconnect_s)
                              : g_strdup (pending ? "(run ended)" : "NEVER");

      g_print ("  %3u %8.0f %8.1f %8.0f %14s %14s\n", i + 1, r->t_restart, r->sim_h, r->join_ms,
               lost, back);
      if ((r->reconnect_s < 0 && !pending) || r->reconnect_s > RECONNECT_LIMIT_S || r->lost_s < 0)
        ok = FALSE;
    }

  g_print ("\nquarters of the run (mean; minimum for GObjects; median for fds and threads):\n");
  g_print ("  %-18s %10s %10s %10s %10s %12s %14s %14s  %s\n", "", "Q1", "Q2", "Q3", "Q4",
           "Q4-Q1", "per sim day", "per real hour", "verdict");
  for (guint m = 0; m < G_N_ELEMENTS (metrics); m++)
    {
      Quarter q[4];
      double v[4];
      double growth, days, hours;
      gboolean steady;

      for (guint i = 0; i < 4; i++)
        {
          q[i] = quarter (soak, m, i);
          v[i] = metrics[m].stat == STAT_MEDIAN ? q[i].median
                 : metrics[m].stat == STAT_MIN ? q[i].min : q[i].mean;
        }
      if (q[0].n == 0 || q[3].n == 0)
        {
          g_print ("  %-18s not measured\n", metrics[m].name);
          continue;
        }

      growth = v[3] - v[0];
      days = (q[3].sim_mid - q[0].sim_mid) / 24;
      hours = (q[3].t_mid - q[0].t_mid) / 3600;
      steady = grows_steadily (v, metrics[m].floor);
      if (steady)
        ok = FALSE;

      g_print ("  %-18s %10.1f %10.1f %10.1f %10.1f %+12.1f %+14.2f %+14.2f  %s\n",
               metrics[m].name, v[0], v[1], v[2], v[3], growth,
               days > 0 ? growth / days : 0, hours > 0 ? growth / hours : 0,
               steady ? "GROWS STEADILY" : "bounded");
    }
  g_print ("  (units: MiB for memory, counts otherwise; per sim day = Q4-Q1 over the simulated "
           "days between the quarters' middles)\n");

  if (print_type_growth (soak))
    ok = FALSE;
  print_traces ();

  g_print ("\nverdict: %s\n", ok ? "BOUNDED: no steady growth, every restart ridden out"
                                 : "FAILED: see above");

  return ok;
}

/* ------------------------------------------------------------------ */

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) options = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = NULL;
  GtkCssProvider *css;
  Soak soak = { 0 };
  double minutes = 10, time_scale = 600, restart_every_h = 12, down_s = 5, sample_s = 10;
  gint64 seed = 7;
  gboolean ok;
  GOptionEntry entries[] = {
    { "minutes", 0, 0, G_OPTION_ARG_DOUBLE, &minutes, "Real minutes to run (10)", "M" },
    { "time-scale", 0, 0, G_OPTION_ARG_DOUBLE, &time_scale,
      "Simulated seconds per real second (600)", "X" },
    { "restart-every-hours", 0, 0, G_OPTION_ARG_DOUBLE, &restart_every_h,
      "Stop and restart the services every H simulated hours; 0 = never (12)", "H" },
    { "down-seconds", 0, 0, G_OPTION_ARG_DOUBLE, &down_s,
      "Real seconds the services stay away at each restart (5)", "S" },
    { "sample-seconds", 0, 0, G_OPTION_ARG_DOUBLE, &sample_s, "Real seconds between samples (10)", "S" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Ring simulator seed (7)", "N" },
    { NULL }
  };

  options = g_option_context_new ("- the lobby kiosk over a long accelerated run: memory, "
                                  "descriptors and threads");
  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (!(minutes > 0) || !(time_scale > 0) || restart_every_h < 0 || down_s < 0 || !(sample_s > 0))
    {
      g_printerr ("--minutes, --time-scale and --sample-seconds must be positive, "
                  "--restart-every-hours and --down-seconds not negative\n");
      return 2;
    }

  /* Run from the build tree: the compiled schema is in <build>/data. */
  if (g_getenv ("GSETTINGS_SCHEMA_DIR") == NULL)
    {
      g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
      g_autofree char *bindir = g_path_get_dirname (exe ? exe : argv[0]);
      g_autofree char *schema_dir = g_build_filename (bindir, "..", "..", "data", NULL);

      g_setenv ("GSETTINGS_SCHEMA_DIR", schema_dir, TRUE);
    }
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  /* As nanoterasu-console's main() does: GTK's cairo renderer. */
  nt_application_prepare_process ();

  gtk_init ();
  adw_init ();
  if (g_getenv ("BENCH_SOAK_TRACE") != NULL)
    {
      traced_type = g_type_from_name (g_getenv ("BENCH_SOAK_TRACE"));
      if (traced_type == 0)
        g_printerr ("No type called %s (yet): nothing traced\n", g_getenv ("BENCH_SOAK_TRACE"));
    }

  /* The console's stylesheet, as the application loads it. */
  css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (css, "/jp/nanoterasu/Console/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  soak.minutes = minutes;
  soak.time_scale = time_scale;
  soak.restart_every_h = restart_every_h;
  soak.down_s = down_s;
  soak.sample_s = sample_s;
  soak.down_since = -1;
  soak.restarts = g_array_new (FALSE, FALSE, sizeof (Restart));
  soak.samples = g_array_new (FALSE, FALSE, sizeof (Sample));
  soak.loop = g_main_loop_new (NULL, FALSE);
  soak.types_now = g_hash_table_new (NULL, NULL);

  soak.services = g_new0 (Services, 1);
  soak.services->dir = g_dir_make_tmp ("nt-bench-kiosk-soak-XXXXXX", &error);
  g_assert_no_error (error);
  soak.services->db_path = g_build_filename (soak.services->dir, "facility.db", NULL);
  soak.services->time_scale = time_scale;
  nt_clock_set_scaled (nt_clock_get_default (), nt_test_instant (NT_TEST_USER_OPERATION), time_scale);
  soak.services->seed = (guint64) seed;
  services_start (soak.services);
  while (g_atomic_int_get (&soak.services->state) == SERVICES_STARTING)
    g_usleep (10000);
  if (g_atomic_int_get (&soak.services->state) != SERVICES_UP)
    {
      g_printerr ("The services did not start: %s\n", soak.services->error->message);
      return 1;
    }

  settings = g_settings_new ("jp.nanoterasu.Console");
  /* The bench turns the pages itself, every second. */
  g_settings_set_uint (settings, "kiosk-interval", 3600);
  g_settings_set_string (settings, "kiosk-language", "alternate");
  soak.context = nt_context_new (settings, soak.services->base_uri);
  nt_context_set_token (soak.context, soak.services->token);
  soak.kiosk = nt_kiosk_window_new (NULL, soak.context);
  gtk_window_set_default_size (GTK_WINDOW (soak.kiosk), 1280, 800);
  gtk_window_present (GTK_WINDOW (soak.kiosk));
  nt_context_start (soak.context);
  soak.chart = NT_STRIP_CHART (ui_test_find_widget (GTK_WIDGET (soak.kiosk), NT_TYPE_STRIP_CHART));
  soak.last_language = g_strdup (nt_kiosk_window_get_language (soak.kiosk));

  g_print ("kiosk soak: %.1f min at %.0fx (%.1f simulated hours), pages every 1 s, languages "
           "alternating each round, services at %s\n",
           minutes, time_scale, minutes * 60 * time_scale / 3600, soak.services->base_uri);
  if (restart_every_h > 0)
    g_print ("services stopped for %.0f s every %.1f simulated hours (%.0f real s)\n",
             down_s, restart_every_h, restart_every_h * 3600 / time_scale);
  print_header ();

  soak.t0 = g_get_monotonic_time ();
  soak.next_restart = restart_every_h > 0 ? restart_every_h * 3600 / time_scale : G_MAXDOUBLE;
  take_sample (&soak);
  g_timeout_add (1000, turn_cb, &soak);
  g_timeout_add ((guint) (sample_s * 1000), sample_cb, &soak);
  g_timeout_add (POLL_MS, poll_cb, &soak);
  g_main_loop_run (soak.loop);

  take_sample (&soak);
  ok = report (&soak);

  /* Everything goes away as it would at the exit chord. */
  while (g_source_remove_by_user_data (&soak))
    ;
  nt_context_shutdown (soak.context);
  nt_kiosk_window_exit (soak.kiosk);
  spin_for (200);
  g_clear_object (&soak.context);
  services_free (soak.services);
  for (guint q = 0; q < 4; q++)
    g_clear_pointer (&soak.type_min[q], g_hash_table_unref);
  g_clear_pointer (&soak.types_now, g_hash_table_unref);
  g_array_unref (soak.restarts);
  g_array_unref (soak.samples);
  g_main_loop_unref (soak.loop);
  g_free (soak.last_language);
  g_object_unref (css);

  return ok ? 0 : 1;
}
