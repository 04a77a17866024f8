/* nt-context.c: the console's shared services, passed to every view
 *
 * Views reach the catalogue, the settings and (as they arrive) the clients
 * of the facility's services through this one object, never through
 * globals.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-context"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "nt-clock.h"
#include "nt-context.h"
#include "nt-facility-embed.h"
#include "nt-gui-resources.h"
#include "nt-token-store.h"

/* The demo facility always runs the same machine: one seed, real time. */
#define DEMO_SEED 2026

/* Days of archive the embedded demo facility fills: a year, or
 * NT_DEMO_HISTORY_DAYS (1 to 366; the tests set a week). */
static guint
demo_history_days (void)
{
  const char *s = g_getenv ("NT_DEMO_HISTORY_DAYS");
  guint64 days;

  if (s != NULL && g_ascii_string_to_unsigned (s, 10, 1, NT_FACILITY_DEMO_HISTORY_DAYS, &days, NULL))
    return (guint) days;
  return NT_FACILITY_DEMO_HISTORY_DAYS;
}

struct _NtContext
{
  GObject      parent_instance;

  GSettings   *settings;
  char        *facility_url;
  NtCatalogue *catalogue;
  GError      *catalogue_error;

  NtContextState     state;
  GError            *error;
  GCancellable      *cancellable;
  NtFacilityThread  *facility;      /* the embedded services, if simulated */
  char              *base_uri;
  char              *token;
  SoupSession       *session;
  NtFacilityProfile *profile;
  NtPvClient        *pv_client;
  NtArchiveClient   *archive_client;
  NtScheduleClient  *schedule_client;
  gboolean           token_refused;
  gboolean           changes_started;
  gint64             changes_since;
  NtClock           *own_clock;     /* the console's own time, kept while the
                                     * default clock follows the facility's */
};

G_DEFINE_FINAL_TYPE (NtContext, nt_context, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_FACILITY_URL,
  PROP_STATE,
  PROP_TOKEN,
  PROP_TOKEN_REFUSED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_state (NtContext      *self,
           NtContextState  state,
           GError         *error)
{
  g_clear_error (&self->error);
  self->error = error;

  if (self->state != state || error != NULL)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
}

/* Fails with @error's domain and code and the words of @format, unless
 * @error says the start was cancelled. */
static void G_GNUC_PRINTF (3, 4)
fail_unless_cancelled (NtContext    *self,
                       const GError *error,
                       const char   *format,
                       ...)
{
  g_autofree char *message = NULL;
  va_list args;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  set_state (self, NT_CONTEXT_FAILED, g_error_new_literal (error->domain, error->code, message));
}

/* More apart than this, the console takes the facility's time. */
#define CLOCK_TOLERANCE_US (60 * G_USEC_PER_SEC)

/* Every view reads the default clock.  When the facility's services keep
 * another time (a training room replaying a July day, a facility run
 * faster), the default clock follows theirs; the console's own settings
 * are kept and come back when it connects to a facility whose time is
 * its own. */
static void
follow_facility_clock (NtContext *self)
{
  NtClock *clock = nt_clock_get_default ();
  NtClock *own = self->own_clock != NULL ? self->own_clock : clock;
  gint64 facility_us;
  double scale;
  gint64 delta;

  if (nt_facility_profile_get_clock (self->profile, &facility_us, &scale))
    {
      delta = facility_us - nt_clock_get_now_us (own);
      if (delta > CLOCK_TOLERANCE_US || delta < -CLOCK_TOLERANCE_US || scale != nt_clock_get_scale (own))
        {
          if (self->own_clock == NULL)
            self->own_clock = nt_clock_copy (clock);
          g_debug ("Following the facility's clock (%+" G_GINT64_FORMAT " s, ×%g)",
                   delta / G_USEC_PER_SEC, scale);
          if (scale == 0)
            nt_clock_set_fixed (clock, facility_us);
          else
            nt_clock_set_scaled (clock, facility_us, scale);
          return;
        }
    }

  if (self->own_clock != NULL)
    {
      nt_clock_set_from (clock, self->own_clock);
      g_clear_object (&self->own_clock);
    }
}

static void
profile_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(NtContext) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(NtFacilityProfile) profile = NULL;
  g_autofree char *live_uri = NULL;
  g_autofree char *history_uri = NULL;

  profile = nt_facility_profile_load_finish (result, &error);
  if (profile == NULL)
    {
      fail_unless_cancelled (self, error, _("The facility at %s did not describe its signals: %s"),
                             self->base_uri, error->message);
      return;
    }

  self->profile = g_steal_pointer (&profile);
  follow_facility_clock (self);

  live_uri = nt_facility_profile_dup_live_uri (self->profile);
  history_uri = nt_facility_profile_dup_history_uri (self->profile);

  self->pv_client = nt_pv_client_new (live_uri);
  self->archive_client = nt_archive_client_new (history_uri);
  self->schedule_client = nt_schedule_client_new (self->base_uri, self->token);
  nt_pv_client_start (self->pv_client);

  set_state (self, NT_CONTEXT_READY, NULL);
}

/* The access token of a configured facility, from the user's keyring. A
 * token given with nt_context_set_token() meanwhile wins. */
static void
token_found_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(NtContext) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = nt_token_store_lookup_finish (result, &error);

  if (error != NULL)
    {
      /* No keyring on this computer is not an error of the console: the
       * services answer 401 and the views say so. */
      g_debug ("no access token from the keyring: %s", error->message);
      return;
    }

  if (token != NULL && self->token == NULL)
    nt_context_set_token (self, token);
}

static void
load_profile (NtContext *self)
{
  nt_facility_profile_load_async (self->session, self->base_uri, self->cancellable,
                                  profile_loaded_cb, g_object_ref (self));
}

static void
facility_started_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(NtContext) self = user_data;
  g_autoptr(GError) error = NULL;
  NtFacilityThread *facility;

  facility = nt_facility_thread_start_finish (result, &error);
  if (facility == NULL)
    {
      fail_unless_cancelled (self, error, _("The simulated facility could not start: %s"), error->message);
      return;
    }

  if (g_cancellable_is_cancelled (self->cancellable))
    {
      nt_facility_thread_stop (facility);
      return;
    }

  self->facility = facility;
  self->base_uri = g_strdup (nt_facility_thread_get_base_uri (facility));
  self->token = g_strdup (nt_facility_thread_get_local_token (facility));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN]);
  load_profile (self);
}

static void
nt_context_constructed (GObject *object)
{
  NtContext *self = (NtContext *)object;

  G_OBJECT_CLASS (nt_context_parent_class)->constructed (object);

  /* The catalogue is a small resource compiled into the program: loading
   * it touches no disk or network. */
  self->catalogue = nt_catalogue_new_default (&self->catalogue_error);
  if (self->catalogue == NULL)
    g_critical ("The beamline catalogue shipped with the console is broken: %s",
                self->catalogue_error->message);
}

static void
nt_context_finalize (GObject *object)
{
  NtContext *self = (NtContext *)object;

  if (self->own_clock != NULL)
    nt_clock_set_from (nt_clock_get_default (), self->own_clock);
  g_clear_object (&self->own_clock);
  g_clear_object (&self->settings);
  g_clear_object (&self->catalogue);
  g_clear_error (&self->catalogue_error);
  g_clear_error (&self->error);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->facility, nt_facility_thread_stop);
  g_clear_pointer (&self->base_uri, g_free);
  g_clear_pointer (&self->token, g_free);
  g_clear_object (&self->pv_client);
  g_clear_object (&self->archive_client);
  g_clear_object (&self->schedule_client);
  g_clear_object (&self->profile);
  g_clear_object (&self->session);
  g_clear_pointer (&self->facility_url, g_free);

  G_OBJECT_CLASS (nt_context_parent_class)->finalize (object);
}

static void
nt_context_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  NtContext *self = NT_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    case PROP_FACILITY_URL:
      g_value_set_string (value, self->facility_url);
      break;

    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;

    case PROP_TOKEN:
      g_value_set_string (value, self->token);
      break;

    case PROP_TOKEN_REFUSED:
      g_value_set_boolean (value, self->token_refused);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nt_context_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  NtContext *self = NT_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    case PROP_FACILITY_URL:
      self->facility_url = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nt_context_class_init (NtContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  /* Every view is made with a context: referring to the resource bundle
   * here links it (and its constructor registers it) wherever views are. */
  g_assert (nt_gui_get_resource () != NULL);

  object_class->constructed = nt_context_constructed;
  object_class->finalize = nt_context_finalize;
  object_class->get_property = nt_context_get_property;
  object_class->set_property = nt_context_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FACILITY_URL] =
    g_param_spec_string ("facility-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, NT_CONTEXT_IDLE, NT_CONTEXT_FAILED, NT_CONTEXT_IDLE,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * NtContext:token:
   *
   * The bearer token of the scheduling service.  Views that offer what
   * the token's role allows follow this property: a token saved in the
   * preferences (or forgotten there) applies at once.
   */
  properties[PROP_TOKEN] =
    g_param_spec_string ("token", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * NtContext:token-refused:
   *
   * Whether the scheduling service refused the token in use (HTTP 401),
   * as a view reported it with nt_context_set_token_refused().  A new
   * token clears it.
   */
  properties[PROP_TOKEN_REFUSED] =
    g_param_spec_boolean ("token-refused", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
nt_context_init (NtContext *self)
{
  self->cancellable = g_cancellable_new ();
}

NtContext *
nt_context_new (GSettings  *settings,
                const char *facility_url)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (NT_TYPE_CONTEXT,
                       "settings", settings,
                       "facility-url", facility_url,
                       NULL);
}

GSettings *
nt_context_get_settings (NtContext *self)
{
  g_return_val_if_fail (NT_IS_CONTEXT (self), NULL);
  return self->settings;
}

/**
 * nt_context_get_catalogue:
 *
 * Returns: (transfer none) (nullable): the beamline catalogue, or %NULL
 *   when it failed to load (see nt_context_get_catalogue_error())
 */
NtCatalogue *
nt_context_get_catalogue (NtContext *self)
{
  g_return_val_if_fail (NT_IS_CONTEXT (self), NULL);
  return self->catalogue;
}

const GError *
nt_context_get_catalogue_error (NtContext *self)
{
  g_return_val_if_fail (NT_IS_CONTEXT (self), NULL);
  return self->catalogue_error;
}

/**
 * nt_context_get_facility_url:
 *
 * Returns: (nullable): the configured facility services, or %NULL when
 *   the console runs the simulated facility itself
 */
const char *
nt_context_get_facility_url (NtContext *self)
{
  g_return_val_if_fail (NT_IS_CONTEXT (self), NULL);
  return self->facility_url;
}

gboolean
nt_context_is_simulated (NtContext *self)
{
  g_return_val_if_fail (NT_IS_CONTEXT (self), FALSE);
  return self->facility_url == NULL || self->facility_url[0] == '\0';
}

/**
 * nt_context_shutdown:
 *
 * Stops what the context runs (connections, the embedded services) before
 * the application exits.
 */
void
nt_context_shutdown (NtContext *self)
{
  g_return_if_fail (NT_IS_CONTEXT (self));

  g_cancellable_cancel (self->cancellable);
  if (self->pv_client != NULL)
    nt_pv_client_stop (self->pv_client);
  if (self->schedule_client != NULL && self->changes_started)
    nt_schedule_client_stop_changes (self->schedule_client);
  g_clear_pointer (&self->facility, nt_facility_thread_stop);
}

/**
 * nt_context_start:
 *
 * Starts the simulated facility when none is configured, then reads the
 * facility profile and makes the clients. Nothing here blocks: progress
 * shows in #NtContext:state.
 */
void
nt_context_start (NtContext *self)
{
  g_return_if_fail (NT_IS_CONTEXT (self));

  if (self->state == NT_CONTEXT_STARTING || self->state == NT_CONTEXT_READY)
    return;

  g_cancellable_reset (self->cancellable);
  self->session = self->session ? self->session : soup_session_new ();
  set_state (self, NT_CONTEXT_STARTING, NULL);

  if (nt_context_is_simulated (self))
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *db_path = nt_facility_thread_dup_default_db_path (&error);
      /* The embedded services keep the console's own time (what --now set)
       * even while the console follows another facility's. */
      g_autoptr(NtClock) clock = nt_clock_copy (self->own_clock != NULL ? self->own_clock
                                                                         : nt_clock_get_default ());
      NtFacilityOptions options = {
        .db_path = db_path,
        .seed = DEMO_SEED,
        .clock = clock,
        /* The demo facility keeps a year, so the Statistics area has a
         * fiscal year to count (filled in the background after the last
         * week).  NT_DEMO_HISTORY_DAYS shortens it: the tests keep a week. */
        .history_days = demo_history_days (),
      };

      if (db_path == NULL)
        {
          set_state (self, NT_CONTEXT_FAILED, g_steal_pointer (&error));
          return;
        }

      if (self->facility != NULL)
        {
          load_profile (self);
          return;
        }

      nt_facility_thread_start_async (&options, self->cancellable,
                                      facility_started_cb, g_object_ref (self));
    }
  else
    {
      g_free (self->base_uri);
      self->base_uri = g_strdup (self->facility_url);
      if (self->token == NULL)
        nt_token_store_lookup_async (self->facility_url, self->cancellable,
                                     token_found_cb, g_object_ref (self));
      load_profile (self);
    }
}

NtContextState
nt_context_get_state (NtContext *self)
{
  g_return_val_if_fail (NT_IS_CONTEXT (self), NT_CONTEXT_IDLE);
  return self->state;
}

/**
 * nt_context_get_error:
 *
 * Returns: (nullable): why the context failed to start, in words a person
 *   can act on
 */
const GError *
nt_context_get_error (NtContext *self)
{
  g_return_val_if_fail (NT_IS_CONTEXT (self), NULL);
  return self->error;
}

const char *
nt_context_get_base_uri (NtContext *self)
{
  g_return_val_if_fail (NT_IS_CONTEXT (self), NULL);
  return self->base_uri;
}

/**
 * nt_context_get_token:
 *
 * Returns: (nullable): the bearer token for the scheduling service
 */
const char *
nt_context_get_token (NtContext *self)
{
  g_return_val_if_fail (NT_IS_CONTEXT (self), NULL);
  return self->token;
}

/**
 * nt_context_set_token:
 * @token: (nullable): a bearer token for the scheduling service
 *
 * Sets the access token used with a configured facility (the simulated
 * one uses its own). The console reads it from the user's keyring when
 * it starts; the preferences and the tests set it here.  Requests made
 * from now on carry it; the shared change feed, if running, connects again
 * with it (a forgotten or revoked token must not keep a feed it opened);
 * #NtContext:token is notified so that views ask again what the token's
 * role may do.
 */
void
nt_context_set_token (NtContext  *self,
                      const char *token)
{
  g_return_if_fail (NT_IS_CONTEXT (self));

  if (token != NULL && token[0] == '\0')
    token = NULL;
  if (g_strcmp0 (token, self->token) == 0)
    return;

  g_free (self->token);
  self->token = g_strdup (token);
  if (self->schedule_client != NULL)
    {
      nt_schedule_client_set_token (self->schedule_client, self->token);
      if (self->changes_started)
        nt_schedule_client_start_changes (self->schedule_client,
                                          nt_schedule_client_get_last_revision (self->schedule_client));
    }

  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN]);
  nt_context_set_token_refused (self, FALSE);
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * nt_context_get_token_refused:
 *
 * Returns: whether the scheduling service refused the token in use (or
 *   asked for one when there is none)
 */
gboolean
nt_context_get_token_refused (NtContext *self)
{
  g_return_val_if_fail (NT_IS_CONTEXT (self), FALSE);
  return self->token_refused;
}

/**
 * nt_context_set_token_refused:
 * @refused: whether the service answered 401 to the token in use
 *
 * Views report here that the scheduling service refused the token, so
 * that the preferences can open at the token and say why.
 */
void
nt_context_set_token_refused (NtContext *self,
                              gboolean   refused)
{
  g_return_if_fail (NT_IS_CONTEXT (self));

  refused = !!refused;
  if (self->token_refused == refused)
    return;
  self->token_refused = refused;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN_REFUSED]);
}

NtFacilityProfile *
nt_context_get_profile (NtContext *self)
{
  g_return_val_if_fail (NT_IS_CONTEXT (self), NULL);
  return self->profile;
}

NtPvClient *
nt_context_get_pv_client (NtContext *self)
{
  g_return_val_if_fail (NT_IS_CONTEXT (self), NULL);
  return self->pv_client;
}

NtArchiveClient *
nt_context_get_archive_client (NtContext *self)
{
  g_return_val_if_fail (NT_IS_CONTEXT (self), NULL);
  return self->archive_client;
}

/**
 * nt_context_get_schedule_client:
 *
 * Returns: (transfer none) (nullable): the scheduling service's client,
 *   once the context is ready
 */
NtScheduleClient *
nt_context_get_schedule_client (NtContext *self)
{
  g_return_val_if_fail (NT_IS_CONTEXT (self), NULL);
  return self->schedule_client;
}

/**
 * nt_context_ensure_changes:
 * @since: the store revision the caller has read up to
 *
 * Starts the scheduling change feed, shared by every view, if it is not
 * running yet. It runs from the lowest revision any view asks for: a view
 * that read the store before the feed started is not left without the
 * changes in between (the feed starts again from its revision), so every
 * view must ignore changes at or below the revision of what it has read.
 */
void
nt_context_ensure_changes (NtContext *self,
                           gint64     since)
{
  g_return_if_fail (NT_IS_CONTEXT (self));
  g_return_if_fail (self->schedule_client != NULL);

  if (self->changes_started && since >= self->changes_since)
    return;

  if (self->changes_started &&
      nt_schedule_client_get_last_revision (self->schedule_client) <= since)
    return;  /* nothing after @since has been delivered yet */

  self->changes_started = TRUE;
  self->changes_since = since;
  nt_schedule_client_start_changes (self->schedule_client, since);
}

/**
 * nt_context_lookup_pv:
 * @key: a signal key such as "ring.current"
 *
 * Returns: (nullable): the facility's name for that signal
 */
const char *
nt_context_lookup_pv (NtContext  *self,
                      const char *key)
{
  g_return_val_if_fail (NT_IS_CONTEXT (self), NULL);

  if (self->profile == NULL)
    return NULL;

  return nt_facility_profile_lookup (self->profile, key);
}

/**
 * nt_context_follow_state:
 * @state_cb: `void (*) (gpointer data)`
 *
 * Calls @state_cb with @data now and whenever #NtContext:state changes:
 * how a view follows the context.  The handler is @data's, so
 * g_signal_handlers_disconnect_by_data() (@self, @data) drops it.
 */
void
nt_context_follow_state (NtContext *self,
                         GCallback  state_cb,
                         gpointer   data)
{
  g_return_if_fail (NT_IS_CONTEXT (self));
  g_return_if_fail (state_cb != NULL);

  g_signal_connect_swapped (self, "notify::state", state_cb, data);
  ((void (*) (gpointer)) state_cb) (data);
}

/**
 * nt_context_param_spec_new:
 *
 * Returns: (transfer floating): the "context" property a view is made
 *   with: an #NtContext, read-write, construct-only
 */
GParamSpec *
nt_context_param_spec_new (void)
{
  return g_param_spec_object ("context", NULL, NULL, NT_TYPE_CONTEXT,
                              G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
}
