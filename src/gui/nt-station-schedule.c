/* nt-station-schedule.c: what each station is booked for, around now
 *
 * Reads the allocations of every station for a window around now (a day
 * back, a week ahead) and the coalition members' names, in one request
 * each, and reads them again when the scheduling change feed reports an
 * allocation or member change, or when the window has moved on.  Views
 * ask it what covers an instant and hear "changed" after each reading.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-station-schedule"

#include "config.h"


#include "nt-clock.h"
#include "nt-i18n.h"
#include "nt-member.h"
#include "nt-station-schedule.h"

#define WINDOW_BEFORE_S   (24 * 3600)
#define WINDOW_AFTER_S    (8 * 24 * 3600)
#define SLIDE_EVERY_S     (6 * 3600)
#define DEBOUNCE_MS       250
#define RETRY_S           10

struct _NtStationSchedule
{
  GObject           parent_instance;

  NtContext        *context;
  NtScheduleClient *client;
  GCancellable     *cancellable;

  GPtrArray        *allocations;   /* NtAllocation, sorted by start */
  GHashTable       *members;       /* gint64* id -> char* name */
  gint64            revision;
  gint64            from;
  gint64            to;
  GError           *error;
  gboolean          loaded;
  guint             n_loads;
  guint             pending;

  guint             debounce_id;
  guint             slide_id;
  guint             retry_id;
};

G_DEFINE_FINAL_TYPE (NtStationSchedule, nt_station_schedule, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  GPtrArray  *allocations;
  GHashTable *members;
  gint64      revision;
  GError     *error;
  guint       waiting;
  gboolean    cancelled;
} Reading;

static void
reading_free (Reading *reading)
{
  g_clear_pointer (&reading->allocations, g_ptr_array_unref);
  g_clear_pointer (&reading->members, g_hash_table_unref);
  g_clear_error (&reading->error);
  g_free (reading);
}

static int
compare_start (gconstpointer a,
               gconstpointer b)
{
  NtAllocation *x = *(NtAllocation **)a;
  NtAllocation *y = *(NtAllocation **)b;
  gint64 sx = nt_allocation_get_start (x);
  gint64 sy = nt_allocation_get_start (y);

  return sx < sy ? -1 : sx > sy ? 1 : 0;
}

static gboolean retry_cb (gpointer user_data);

static void
reading_done (NtStationSchedule *self,
              Reading           *reading)
{
  if (--reading->waiting > 0)
    return;

  /* Superseded by a newer reading: that one reports. */
  if (reading->cancelled)
    {
      reading_free (reading);
      return;
    }

  self->pending = 0;

  if (reading->error != NULL)
    {
      /* Keep what was read before: it is still the best knowledge. */
      g_clear_error (&self->error);
      self->error = g_steal_pointer (&reading->error);
      if (self->retry_id == 0)
        self->retry_id = g_timeout_add_seconds (RETRY_S, retry_cb, self);
    }
  else
    {
      g_clear_error (&self->error);
      g_ptr_array_sort (reading->allocations, compare_start);
      g_clear_pointer (&self->allocations, g_ptr_array_unref);
      self->allocations = g_steal_pointer (&reading->allocations);
      g_clear_pointer (&self->members, g_hash_table_unref);
      self->members = g_steal_pointer (&reading->members);
      self->revision = reading->revision;
      self->loaded = TRUE;
      self->n_loads++;

      nt_context_ensure_changes (self->context, self->revision);
    }

  reading_free (reading);
  g_signal_emit (self, signals[CHANGED], 0);
}

typedef struct
{
  NtStationSchedule *self;
  Reading           *reading;
} ReadingCall;

static gpointer
reading_call_new (NtStationSchedule *self,
                  Reading           *reading)
{
  ReadingCall *call = g_new0 (ReadingCall, 1);

  call->self = g_object_ref (self);
  call->reading = reading;
  return call;
}

/* Whether the request of @call failed (no @items): a cancelled reading
 * is superseded, of failures the first is kept. */
static gboolean
reading_call_failed (ReadingCall  *call,
                     GPtrArray    *items,
                     GError      **error)
{
  if (g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    call->reading->cancelled = TRUE;
  else if (items == NULL && call->reading->error == NULL)
    call->reading->error = g_steal_pointer (error);
  return items == NULL;
}

static void
reading_call_done (ReadingCall *call)
{
  reading_done (call->self, call->reading);
  g_object_unref (call->self);
  g_free (call);
}

static void
allocations_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  ReadingCall *call = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  gint64 revision = 0;

  items = nt_schedule_client_list_allocations_finish (NT_SCHEDULE_CLIENT (object), result, &revision, &error);
  if (!reading_call_failed (call, items, &error))
    {
      /* Cancelled bookings do not occupy the station. */
      call->reading->allocations = g_ptr_array_new_with_free_func (g_object_unref);
      for (guint i = 0; i < items->len; i++)
        {
          NtAllocation *alloc = g_ptr_array_index (items, i);

          if (nt_allocation_get_status (alloc) != NT_ALLOCATION_CANCELLED)
            g_ptr_array_add (call->reading->allocations, g_object_ref (alloc));
        }
      call->reading->revision = revision;
    }
  reading_call_done (call);
}

static void
members_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  ReadingCall *call = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;

  items = nt_schedule_client_list_members_finish (NT_SCHEDULE_CLIENT (object), result, NULL, &error);
  if (!reading_call_failed (call, items, &error))
    {
      call->reading->members = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
      for (guint i = 0; i < items->len; i++)
        {
          NtMember *member = g_ptr_array_index (items, i);

          g_hash_table_insert (call->reading->members,
                               g_memdup2 (&(gint64) { nt_member_get_id (member) }, sizeof (gint64)),
                               g_strdup (nt_member_get_name (member)));
        }
    }
  reading_call_done (call);
}

static void
start_reading (NtStationSchedule *self)
{
  Reading *reading;
  gint64 now = nt_clock_now ();

  if (self->client == NULL)
    return;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  self->from = now - WINDOW_BEFORE_S;
  self->to = now + WINDOW_AFTER_S;
  self->pending = 1;

  reading = g_new0 (Reading, 1);
  reading->waiting = 2;
  nt_schedule_client_list_allocations_async (self->client, self->from, self->to, NULL, NT_SLOT_ANY,
                                             self->cancellable, allocations_cb,
                                             reading_call_new (self, reading));
  nt_schedule_client_list_members_async (self->client, self->cancellable, members_cb,
                                         reading_call_new (self, reading));
}

static gboolean
retry_cb (gpointer user_data)
{
  NtStationSchedule *self = user_data;

  self->retry_id = 0;
  start_reading (self);
  return G_SOURCE_REMOVE;
}

static gboolean
debounce_cb (gpointer user_data)
{
  NtStationSchedule *self = user_data;

  self->debounce_id = 0;
  start_reading (self);
  return G_SOURCE_REMOVE;
}

static gboolean
slide_cb (gpointer user_data)
{
  start_reading (user_data);
  return G_SOURCE_CONTINUE;
}

static void
change_cb (NtStationSchedule *self,
           gint64             revision,
           const char        *resource,
           const char        *action,
           const char        *id,
           GObject           *object,
           JsonNode          *message)
{
  if (revision <= self->revision)
    return;
  if (g_strcmp0 (resource, "allocation") != 0 && g_strcmp0 (resource, "member") != 0)
    return;

  /* A burst of changes (a pasted week) is read once. */
  if (self->debounce_id == 0)
    self->debounce_id = g_timeout_add (DEBOUNCE_MS, debounce_cb, self);
}

static void
context_state_cb (NtStationSchedule *self)
{
  NtScheduleClient *client = nt_context_get_schedule_client (self->context);

  if (client == self->client)
    return;

  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_set_object (&self->client, client);

  if (client != NULL)
    {
      g_signal_connect_swapped (client, "change", G_CALLBACK (change_cb), self);
      start_reading (self);
    }
}

/* A new access token (or none) may change what the service shows: a
 * schedule refused for want of a token reads again at once. */
static void
token_cb (NtStationSchedule *self)
{
  if (self->client != NULL && nt_context_get_state (self->context) == NT_CONTEXT_READY)
    start_reading (self);
}

/* From the booking at *@i on (they are sorted by start), the next one
 * of @station (any when NULL) that overlaps [@from, @to); *@i is its
 * index. */
static NtAllocation *
next_booking (NtStationSchedule *self,
              guint             *i,
              const char        *station,
              gint64             from,
              gint64             to)
{
  for (; self->allocations != NULL && *i < self->allocations->len; (*i)++)
    {
      NtAllocation *alloc = g_ptr_array_index (self->allocations, *i);

      if (nt_allocation_get_start (alloc) >= to)
        break;
      if (nt_allocation_get_end (alloc) > from &&
          (station == NULL || g_strcmp0 (nt_allocation_get_station (alloc), station) == 0))
        return alloc;
    }
  return NULL;
}

static void
nt_station_schedule_dispose (GObject *object)
{
  NtStationSchedule *self = (NtStationSchedule *)object;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  g_clear_handle_id (&self->slide_id, g_source_remove);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_clear_object (&self->client);
  if (self->context != NULL)
    g_signal_handlers_disconnect_by_data (self->context, self);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (nt_station_schedule_parent_class)->dispose (object);
}

static void
nt_station_schedule_finalize (GObject *object)
{
  NtStationSchedule *self = (NtStationSchedule *)object;

  g_clear_pointer (&self->allocations, g_ptr_array_unref);
  g_clear_pointer (&self->members, g_hash_table_unref);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (nt_station_schedule_parent_class)->finalize (object);
}

static void
nt_station_schedule_class_init (NtStationScheduleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = nt_station_schedule_dispose;
  object_class->finalize = nt_station_schedule_finalize;

  /**
   * NtStationSchedule::changed:
   *
   * Emitted after each reading, successful or not.
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
nt_station_schedule_init (NtStationSchedule *self)
{
  self->revision = -1;
}

NtStationSchedule *
nt_station_schedule_new (NtContext *context)
{
  NtStationSchedule *self;

  g_return_val_if_fail (NT_IS_CONTEXT (context), NULL);

  self = g_object_new (NT_TYPE_STATION_SCHEDULE, NULL);
  self->context = g_object_ref (context);
  g_signal_connect_swapped (context, "notify::state", G_CALLBACK (context_state_cb), self);
  g_signal_connect_swapped (context, "notify::token", G_CALLBACK (token_cb), self);
  self->slide_id = g_timeout_add_seconds (SLIDE_EVERY_S, slide_cb, self);
  context_state_cb (self);

  return self;
}

gboolean
nt_station_schedule_is_loaded (NtStationSchedule *self)
{
  g_return_val_if_fail (NT_IS_STATION_SCHEDULE (self), FALSE);
  return self->loaded;
}

/**
 * nt_station_schedule_get_error:
 *
 * Returns: (nullable): why the last reading failed
 */
const GError *
nt_station_schedule_get_error (NtStationSchedule *self)
{
  g_return_val_if_fail (NT_IS_STATION_SCHEDULE (self), NULL);
  return self->error;
}

guint
nt_station_schedule_get_n_loads (NtStationSchedule *self)
{
  g_return_val_if_fail (NT_IS_STATION_SCHEDULE (self), 0);
  return self->n_loads;
}

void
nt_station_schedule_reload (NtStationSchedule *self)
{
  g_return_if_fail (NT_IS_STATION_SCHEDULE (self));
  start_reading (self);
}

/**
 * nt_station_schedule_lookup_at:
 * @t: Unix seconds
 *
 * Returns: (transfer none) (nullable): the booking of @station covering @t
 */
NtAllocation *
nt_station_schedule_lookup_at (NtStationSchedule *self,
                               const char        *station,
                               gint64             t)
{
  guint i = 0;

  g_return_val_if_fail (NT_IS_STATION_SCHEDULE (self), NULL);
  return next_booking (self, &i, station, t, t + 1);
}

/**
 * nt_station_schedule_lookup_next:
 *
 * Returns: (transfer none) (nullable): the first booking of @station
 *   starting after @t, within the window read
 */
NtAllocation *
nt_station_schedule_lookup_next (NtStationSchedule *self,
                                 const char        *station,
                                 gint64             t)
{
  guint i = 0;

  g_return_val_if_fail (NT_IS_STATION_SCHEDULE (self), NULL);

  while (self->allocations != NULL && i < self->allocations->len &&
         nt_allocation_get_start (g_ptr_array_index (self->allocations, i)) <= t)
    i++;
  return next_booking (self, &i, station, t, G_MAXINT64);
}

/**
 * nt_station_schedule_list:
 * @station: (nullable): a station id, or %NULL for all
 *
 * Returns: (transfer container): the bookings overlapping [@from, @to),
 *   by start
 */
GPtrArray *
nt_station_schedule_list (NtStationSchedule *self,
                          const char        *station,
                          gint64             from,
                          gint64             to)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_object_unref);
  NtAllocation *alloc;

  g_return_val_if_fail (NT_IS_STATION_SCHEDULE (self), out);

  for (guint i = 0; (alloc = next_booking (self, &i, station, from, to)) != NULL; i++)
    g_ptr_array_add (out, g_object_ref (alloc));

  return out;
}

/**
 * nt_station_schedule_describe:
 *
 * Returns: who a booking is for, in words: "Public: 2026A0012",
 *   "Coalition: <member>", "Staff", "Commissioning"
 */
char *
nt_station_schedule_describe (NtStationSchedule *self,
                              NtAllocation      *allocation)
{
  const char *draft;

  g_return_val_if_fail (NT_IS_STATION_SCHEDULE (self), NULL);
  g_return_val_if_fail (NT_IS_ALLOCATION (allocation), NULL);

  /* Translators: appended to a booking that is not confirmed yet */
  draft = nt_allocation_get_status (allocation) == NT_ALLOCATION_DRAFT ? _(" (draft)") : "";

  switch (nt_allocation_get_slot (allocation))
    {
    case NT_SLOT_PUBLIC:
      {
        const char *proposal = nt_allocation_get_proposal (allocation);

        /* Translators: a public proposal's beam time, "Public: 2026A0012" */
        return g_strdup_printf (_("Public: %s%s"), proposal && proposal[0] ? proposal : _("proposal"), draft);
      }
    case NT_SLOT_COALITION:
      {
        gint64 id = nt_allocation_get_member (allocation);
        const char *name = self->members ? g_hash_table_lookup (self->members, &id) : NULL;

        if (name != NULL)
          /* Translators: a coalition member's beam time, "Coalition: Tohoku Materials" */
          return g_strdup_printf (_("Coalition: %s%s"), name, draft);
        /* Translators: a coalition member known only by number */
        return g_strdup_printf (_("Coalition: member %lld%s"), (long long) id, draft);
      }
    case NT_SLOT_STAFF:
      return g_strdup_printf ("%s%s", _("Staff"), draft);
    case NT_SLOT_COMMISSIONING:
      return g_strdup_printf ("%s%s", _("Commissioning"), draft);
    default:
      g_return_val_if_reached (g_strdup (""));
    }
}

/**
 * nt_station_schedule_format_left:
 *
 * Returns: a time left in words, to the minute: "2 h 05 min left"
 */
char *
nt_station_schedule_format_left (gint64 seconds)
{
  gint64 minutes = (MAX (seconds, 0) + 59) / 60;

  if (minutes >= 24 * 60)
    /* Translators: time left in an allocation, days and hours */
    return g_strdup_printf (_("%d d %d h left"), (int)(minutes / (24 * 60)), (int)((minutes / 60) % 24));
  if (minutes >= 60)
    /* Translators: time left in an allocation, hours and minutes */
    return g_strdup_printf (_("%d h %02d min left"), (int)(minutes / 60), (int)(minutes % 60));
  /* Translators: time left in an allocation, minutes */
  return g_strdup_printf (_("%d min left"), (int)minutes);
}
