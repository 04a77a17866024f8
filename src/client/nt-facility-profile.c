/* nt-facility-profile.c: which signal names and endpoints a facility uses
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-facility-profile"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "nt-client-error.h"
#include "nt-client-private.h"
#include "nt-clock.h"
#include "nt-facility-profile.h"
#include "nt-model-json.h"

/* A profile is a small document; anything far larger is not one. */
#define MAX_PROFILE_BYTES (4 * 1024 * 1024)
#define MAX_NAME_BYTES    512

#define DEFAULT_LIVE_ENDPOINT    "/pvws/pv"
#define DEFAULT_HISTORY_ENDPOINT "/retrieval/data/getData.json"

struct _NtFacilityProfile
{
  GObject     parent_instance;

  char       *facility_name;
  char       *base_uri;
  char       *live_endpoint;
  char       *history_endpoint;
  GHashTable *signals;   /* key -> PV name */
  gint64      clock_now_us;   /* the services' time when the profile was read */
  gint64      clock_mono;     /* g_get_monotonic_time () then */
  double      clock_scale;
  guint       simulated : 1;
  guint       has_clock : 1;
};

G_DEFINE_FINAL_TYPE (NtFacilityProfile, nt_facility_profile, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FACILITY_NAME,
  PROP_BASE_URI,
  PROP_SIMULATED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void set_invalid (GError     **error,
                         const char  *format,
                         ...) G_GNUC_PRINTF (2, 3);

static void
set_invalid (GError     **error,
             const char  *format,
             ...)
{
  g_autofree char *detail = NULL;
  va_list args;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_INVALID_DATA,
               _("The facility profile is not valid: %s. Check the profile file or the facility services."),
               detail);
}

static gboolean
is_valid_key (const char *key)
{
  if (key[0] == '\0' || strlen (key) > MAX_NAME_BYTES)
    return FALSE;

  for (const char *p = key; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '.' && *p != '_' && *p != '-')
      return FALSE;

  return key[0] != '.' && key[strlen (key) - 1] != '.';
}

static gboolean
is_valid_pv_name (const char *name)
{
  if (name[0] == '\0' || strlen (name) > MAX_NAME_BYTES ||
      !g_utf8_validate (name, -1, NULL))
    return FALSE;

  for (const char *p = name; *p != '\0'; p++)
    if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p))
      return FALSE;

  return TRUE;
}

/* An endpoint is a path under the base URI ("/pvws/pv") or an absolute
 * http, https, ws or wss URI of a server elsewhere. */
static gboolean
is_valid_endpoint (const char *endpoint)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  if (endpoint[0] == '/')
    {
      if (endpoint[1] == '/')
        return FALSE;
      for (const char *p = endpoint; *p != '\0'; p++)
        if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p) || *p == '#')
          return FALSE;
      return TRUE;
    }

  uri = g_uri_parse (endpoint, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0')
    return FALSE;

  scheme = g_uri_get_scheme (uri);
  return g_strcmp0 (scheme, "http") == 0 || g_strcmp0 (scheme, "https") == 0 ||
         g_strcmp0 (scheme, "ws") == 0 || g_strcmp0 (scheme, "wss") == 0;
}

static gboolean
parse_endpoint (JsonObject  *root,
                const char  *section,
                const char  *member,
                const char  *fallback,
                char       **out,
                GError     **error)
{
  JsonNode *node = json_object_get_member (root, section);
  JsonNode *value;
  const char *endpoint;

  if (node == NULL)
    {
      *out = g_strdup (fallback);
      return TRUE;
    }

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      set_invalid (error, _("“%s” must be an object"), section);
      return FALSE;
    }

  value = json_object_get_member (json_node_get_object (node), member);
  if (value == NULL)
    {
      *out = g_strdup (fallback);
      return TRUE;
    }

  if (json_node_get_value_type (value) != G_TYPE_STRING ||
      !is_valid_endpoint ((endpoint = json_node_get_string (value))))
    {
      set_invalid (error, _("“%s.%s” must be a path starting with “/” or an http, https, ws or wss address"),
                   section, member);
      return FALSE;
    }

  *out = g_strdup (endpoint);
  return TRUE;
}

static char *
normalize_base_uri (const char  *base_uri,
                    GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *scheme;
  g_autofree char *str = NULL;
  gsize len;

  if (base_uri == NULL)
    return NULL;

  uri = g_uri_parse (base_uri, G_URI_FLAGS_NONE, &local_error);
  if (uri == NULL ||
      ((scheme = g_uri_get_scheme (uri)),
       g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "https") != 0) ||
      g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0')
    {
      g_set_error (error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_INVALID_INPUT,
                   _("“%s” is not a facility services address. Give an http or https address such as http://host:8080."),
                   base_uri);
      return NULL;
    }

  str = g_strdup (base_uri);
  len = strlen (str);
  while (len > 0 && str[len - 1] == '/')
    str[--len] = '\0';

  return g_steal_pointer (&str);
}

static gboolean
parse_profile (NtFacilityProfile  *self,
               GBytes             *bytes,
               GError            **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) parse_error = NULL;
  JsonObject *root;
  JsonObject *signals;
  JsonNode *node;
  JsonObjectIter iter;
  const char *key;
  const char *data;
  gsize len;

  data = g_bytes_get_data (bytes, &len);
  if (len > MAX_PROFILE_BYTES)
    {
      set_invalid (error, _("it is larger than %u MB"), MAX_PROFILE_BYTES / (1024 * 1024));
      return FALSE;
    }

  if (data == NULL || len == 0 ||
      !nt_json_load_one (parser, data, len, &parse_error))
    {
      set_invalid (error, _("it is not JSON (%s)"),
                   parse_error != NULL ? parse_error->message : _("empty"));
      return FALSE;
    }

  node = json_parser_get_root (parser);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      set_invalid (error, _("the document must be a JSON object"));
      return FALSE;
    }
  root = json_node_get_object (node);

  node = json_object_get_member (root, "facility");
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING ||
      json_node_get_string (node)[0] == '\0' ||
      !g_utf8_validate (json_node_get_string (node), -1, NULL))
    {
      set_invalid (error, _("“facility” must be a non-empty string"));
      return FALSE;
    }
  self->facility_name = g_strdup (json_node_get_string (node));

  node = json_object_get_member (root, "simulated");
  if (node != NULL)
    {
      if (json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        {
          set_invalid (error, _("“simulated” must be true or false"));
          return FALSE;
        }
      self->simulated = json_node_get_boolean (node);
    }

  node = json_object_get_member (root, "signals");
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      set_invalid (error, _("“signals” must be an object mapping keys to signal names"));
      return FALSE;
    }
  signals = json_node_get_object (node);

  json_object_iter_init (&iter, signals);
  while (json_object_iter_next (&iter, &key, &node))
    {
      const char *name;

      if (!is_valid_key (key))
        {
          set_invalid (error, _("the signal key “%s” may only hold letters, digits, “.”, “_” and “-”"), key);
          return FALSE;
        }

      if (json_node_get_value_type (node) != G_TYPE_STRING ||
          !is_valid_pv_name ((name = json_node_get_string (node))))
        {
          set_invalid (error, _("the signal “%s” must name a signal: a non-empty string without spaces"), key);
          return FALSE;
        }

      g_hash_table_insert (self->signals, g_strdup (key), g_strdup (name));
    }

  if (g_hash_table_size (self->signals) == 0)
    {
      set_invalid (error, _("“signals” is empty"));
      return FALSE;
    }

  if (!parse_endpoint (root, "live", "pvws", DEFAULT_LIVE_ENDPOINT, &self->live_endpoint, error) ||
      !parse_endpoint (root, "history", "retrieval", DEFAULT_HISTORY_ENDPOINT, &self->history_endpoint, error))
    return FALSE;

  /* Optional: {"now": ISO 8601 with a zone, "scale": simulated s per s}. */
  node = json_object_get_member (root, "clock");
  if (node != NULL)
    {
      JsonObject *clock;
      JsonNode *now, *scale;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          set_invalid (error, _("“clock” must be an object with “now” and “scale”"));
          return FALSE;
        }
      clock = json_node_get_object (node);
      now = json_object_get_member (clock, "now");
      scale = json_object_get_member (clock, "scale");
      if (now == NULL || json_node_get_value_type (now) != G_TYPE_STRING ||
          !nt_clock_parse_instant (json_node_get_string (now), &self->clock_now_us, NULL) ||
          strchr (json_node_get_string (now), 'T') == NULL)
        {
          set_invalid (error, _("“clock.now” must be a time like 2026-07-15T01:00:00Z"));
          return FALSE;
        }
      self->clock_scale = 1.0;
      if (scale != NULL)
        {
          GType type = json_node_get_value_type (scale);

          if ((type != G_TYPE_DOUBLE && type != G_TYPE_INT64) ||
              !(json_node_get_double (scale) >= 0) || json_node_get_double (scale) > 1e6)
            {
              set_invalid (error, _("“clock.scale” must be a number of at least 0"));
              return FALSE;
            }
          self->clock_scale = json_node_get_double (scale);
        }
      self->clock_mono = g_get_monotonic_time ();
      self->has_clock = TRUE;
    }

  return TRUE;
}

gboolean
nt_facility_profile_get_clock (NtFacilityProfile *self,
                               gint64            *now_us,
                               double            *scale)
{
  g_return_val_if_fail (NT_IS_FACILITY_PROFILE (self), FALSE);

  if (!self->has_clock)
    return FALSE;
  if (now_us != NULL)
    *now_us = self->clock_now_us +
              (gint64) ((g_get_monotonic_time () - self->clock_mono) * self->clock_scale);
  if (scale != NULL)
    *scale = self->clock_scale;
  return TRUE;
}

/* Resolves @endpoint against the base URI; @websocket turns http(s) into
 * ws(s). */
static char *
resolve (NtFacilityProfile *self,
         const char        *endpoint,
         gboolean           websocket)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *new_scheme;

  if (endpoint[0] == '/')
    {
      g_autofree char *joined = NULL;

      if (self->base_uri == NULL)
        return NULL;
      joined = g_strconcat (self->base_uri, endpoint, NULL);
      uri = g_uri_parse (joined, G_URI_FLAGS_NONE, NULL);
    }
  else
    uri = g_uri_parse (endpoint, G_URI_FLAGS_NONE, NULL);

  if (uri == NULL)
    return NULL;

  scheme = g_uri_get_scheme (uri);
  if (websocket)
    new_scheme = (g_strcmp0 (scheme, "https") == 0 || g_strcmp0 (scheme, "wss") == 0) ? "wss" : "ws";
  else
    new_scheme = (g_strcmp0 (scheme, "https") == 0 || g_strcmp0 (scheme, "wss") == 0) ? "https" : "http";

  return g_uri_join (G_URI_FLAGS_NONE, new_scheme,
                     g_uri_get_userinfo (uri), g_uri_get_host (uri), g_uri_get_port (uri),
                     g_uri_get_path (uri), g_uri_get_query (uri), g_uri_get_fragment (uri));
}

static int
compare_keys (const void *a,
              const void *b)
{
  return strcmp (*(const char * const *)a, *(const char * const *)b);
}

static void
load_file_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *contents = NULL;
  gsize len;
  NtFacilityProfile *profile;

  if (!g_file_load_contents_finish (G_FILE (object), result, &contents, &len, NULL, &error))
    {
      g_autofree char *name = g_file_get_parse_name (G_FILE (object));

      if (nt_client_error_is_cancelled (error))
        g_task_return_error (task, nt_client_error_new_from_io (error, NULL));
      else
        g_task_return_new_error (task, NT_CLIENT_ERROR,
                                 g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND)
                                 ? NT_CLIENT_ERROR_NOT_FOUND : NT_CLIENT_ERROR_INVALID_INPUT,
                                 _("Could not read the facility profile “%s” (%s). Check the path in Preferences."),
                                 name, error->message);
      return;
    }

  bytes = g_bytes_new_take (g_steal_pointer (&contents), len);
  profile = nt_facility_profile_new_from_bytes (bytes, g_task_get_task_data (task), &error);
  if (profile == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, profile, g_object_unref);
}

static void
load_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  SoupSession *session = SOUP_SESSION (object);
  SoupMessage *msg = soup_session_get_async_result_message (session, result);
  const char *base_uri = g_task_get_task_data (task);
  NtFacilityProfile *profile;
  guint status;

  bytes = nt_client_read_reply_finish (session, result, base_uri, &error);
  if (bytes == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  status = soup_message_get_status (msg);
  if (status != SOUP_STATUS_OK)
    {
      g_task_return_new_error (task, NT_CLIENT_ERROR, NT_CLIENT_ERROR_PROTOCOL,
                               _("The facility services answered %u %s for the profile. Check that the console points at the right service."),
                               status, soup_message_get_reason_phrase (msg));
      return;
    }

  profile = nt_facility_profile_new_from_bytes (bytes, base_uri, &error);
  if (profile == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, profile, g_object_unref);
}

static void
nt_facility_profile_finalize (GObject *object)
{
  NtFacilityProfile *self = (NtFacilityProfile *)object;

  g_clear_pointer (&self->facility_name, g_free);
  g_clear_pointer (&self->base_uri, g_free);
  g_clear_pointer (&self->live_endpoint, g_free);
  g_clear_pointer (&self->history_endpoint, g_free);
  g_clear_pointer (&self->signals, g_hash_table_unref);

  G_OBJECT_CLASS (nt_facility_profile_parent_class)->finalize (object);
}

static void
nt_facility_profile_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  NtFacilityProfile *self = NT_FACILITY_PROFILE (object);

  switch (prop_id)
    {
    case PROP_FACILITY_NAME:
      g_value_set_string (value, self->facility_name);
      break;

    case PROP_BASE_URI:
      g_value_set_string (value, self->base_uri);
      break;

    case PROP_SIMULATED:
      g_value_set_boolean (value, self->simulated);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nt_facility_profile_class_init (NtFacilityProfileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = nt_facility_profile_finalize;
  object_class->get_property = nt_facility_profile_get_property;

  properties[PROP_FACILITY_NAME] =
    g_param_spec_string ("facility-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_BASE_URI] =
    g_param_spec_string ("base-uri", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SIMULATED] =
    g_param_spec_boolean ("simulated", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
nt_facility_profile_init (NtFacilityProfile *self)
{
  self->signals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/**
 * nt_facility_profile_new_from_bytes:
 * @bytes: the profile JSON
 * @base_uri: (nullable): the services address relative endpoints resolve
 *   against, e.g. `http://127.0.0.1:8080`
 * @error: return location for an error in %NT_CLIENT_ERROR
 *
 * Parses a profile strictly: a wrong shape is %NT_CLIENT_ERROR_INVALID_DATA
 * with a message naming what is wrong.
 *
 * Returns: (transfer full) (nullable): the profile
 */
NtFacilityProfile *
nt_facility_profile_new_from_bytes (GBytes      *bytes,
                                    const char  *base_uri,
                                    GError     **error)
{
  g_autoptr(NtFacilityProfile) self = NULL;
  g_autofree char *base = NULL;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (base_uri != NULL && !(base = normalize_base_uri (base_uri, error)))
    return NULL;

  self = g_object_new (NT_TYPE_FACILITY_PROFILE, NULL);
  self->base_uri = g_steal_pointer (&base);

  if (!parse_profile (self, bytes, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * nt_facility_profile_new_from_file:
 *
 * Loads a profile from a file, blocking: use it in tools and tests, and
 * nt_facility_profile_load_file_async() from the console.
 *
 * Returns: (transfer full) (nullable): the profile
 */
NtFacilityProfile *
nt_facility_profile_new_from_file (GFile         *file,
                                   const char    *base_uri,
                                   GCancellable  *cancellable,
                                   GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *contents = NULL;
  gsize len;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  if (!g_file_load_contents (file, cancellable, &contents, &len, NULL, &local_error))
    {
      g_autofree char *name = g_file_get_parse_name (file);

      g_set_error (error, NT_CLIENT_ERROR,
                   g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND)
                   ? NT_CLIENT_ERROR_NOT_FOUND : NT_CLIENT_ERROR_INVALID_INPUT,
                   _("Could not read the facility profile “%s” (%s). Check the path in Preferences."),
                   name, local_error->message);
      return NULL;
    }

  bytes = g_bytes_new_take (g_steal_pointer (&contents), len);
  return nt_facility_profile_new_from_bytes (bytes, base_uri, error);
}

void
nt_facility_profile_load_file_async (GFile               *file,
                                     const char          *base_uri,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, nt_facility_profile_load_file_async);
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, g_strdup (base_uri), g_free);

  g_file_load_contents_async (file, cancellable, load_file_cb, g_steal_pointer (&task));
}

NtFacilityProfile *
nt_facility_profile_load_file_finish (GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == nt_facility_profile_load_file_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * nt_facility_profile_load_async:
 * @session: (nullable): the session to use, or %NULL for a new one
 * @base_uri: the services address, e.g. `http://127.0.0.1:8080`
 *
 * Fetches `GET {base_uri}/api/v1/facility-profile`.  Relative endpoints
 * of the profile resolve against @base_uri.
 */
void
nt_facility_profile_load_async (SoupSession         *session,
                                const char          *base_uri,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(SoupSession) own_session = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;
  g_autofree char *uri = NULL;

  g_return_if_fail (session == NULL || SOUP_IS_SESSION (session));
  g_return_if_fail (base_uri != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, nt_facility_profile_load_async);
  g_task_set_check_cancellable (task, FALSE);

  if (!(base = normalize_base_uri (base_uri, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  uri = g_strconcat (base, NT_FACILITY_PROFILE_PATH, NULL);
  msg = nt_client_new_json_get (uri, NULL);
  if (msg == NULL)
    {
      g_task_return_new_error (task, NT_CLIENT_ERROR, NT_CLIENT_ERROR_INVALID_INPUT,
                               _("“%s” is not a facility services address. Give an http or https address such as http://host:8080."),
                               base_uri);
      return;
    }

  g_task_set_task_data (task, g_steal_pointer (&base), g_free);

  if (session == NULL)
    session = own_session = soup_session_new_with_options ("user-agent", PACKAGE_NAME "/" PACKAGE_VERSION " ",
                                                           NULL);

  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, cancellable,
                                    load_read_cb, g_steal_pointer (&task));
}

NtFacilityProfile *
nt_facility_profile_load_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == nt_facility_profile_load_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
nt_facility_profile_get_facility_name (NtFacilityProfile *self)
{
  g_return_val_if_fail (NT_IS_FACILITY_PROFILE (self), NULL);

  return self->facility_name;
}

/**
 * nt_facility_profile_get_simulated:
 *
 * Returns: whether the profile says the facility is the simulated one
 */
gboolean
nt_facility_profile_get_simulated (NtFacilityProfile *self)
{
  g_return_val_if_fail (NT_IS_FACILITY_PROFILE (self), FALSE);

  return self->simulated;
}

const char *
nt_facility_profile_get_base_uri (NtFacilityProfile *self)
{
  g_return_val_if_fail (NT_IS_FACILITY_PROFILE (self), NULL);

  return self->base_uri;
}

/**
 * nt_facility_profile_lookup:
 * @key: a signal key such as `ring.current` or `bl.BL02U.state`
 *
 * Returns: (nullable): the signal (PV) name behind @key, or %NULL if the
 *   facility does not have it
 */
const char *
nt_facility_profile_lookup (NtFacilityProfile *self,
                            const char        *key)
{
  g_return_val_if_fail (NT_IS_FACILITY_PROFILE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  return g_hash_table_lookup (self->signals, key);
}

/**
 * nt_facility_profile_dup_keys:
 *
 * Returns: (transfer full): the signal keys, sorted
 */
char **
nt_facility_profile_dup_keys (NtFacilityProfile *self)
{
  g_autofree const char **keys = NULL;
  GStrvBuilder *builder;
  char **ret;
  guint n;

  g_return_val_if_fail (NT_IS_FACILITY_PROFILE (self), NULL);

  keys = (const char **)g_hash_table_get_keys_as_array (self->signals, &n);
  qsort (keys, n, sizeof (char *), compare_keys);

  builder = g_strv_builder_new ();
  g_strv_builder_addv (builder, keys);
  ret = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);

  return ret;
}

const char *
nt_facility_profile_get_live_endpoint (NtFacilityProfile *self)
{
  g_return_val_if_fail (NT_IS_FACILITY_PROFILE (self), NULL);

  return self->live_endpoint;
}

const char *
nt_facility_profile_get_history_endpoint (NtFacilityProfile *self)
{
  g_return_val_if_fail (NT_IS_FACILITY_PROFILE (self), NULL);

  return self->history_endpoint;
}

/**
 * nt_facility_profile_dup_live_uri:
 *
 * Returns: (transfer full) (nullable): the ws:// or wss:// address of the
 *   PV Web Socket server, or %NULL if the endpoint is relative and the
 *   profile has no base URI
 */
char *
nt_facility_profile_dup_live_uri (NtFacilityProfile *self)
{
  g_return_val_if_fail (NT_IS_FACILITY_PROFILE (self), NULL);

  return resolve (self, self->live_endpoint, TRUE);
}

/**
 * nt_facility_profile_dup_history_uri:
 *
 * Returns: (transfer full) (nullable): the http:// or https:// address of
 *   the archive's getData.json, or %NULL if the endpoint is relative and
 *   the profile has no base URI
 */
char *
nt_facility_profile_dup_history_uri (NtFacilityProfile *self)
{
  g_return_val_if_fail (NT_IS_FACILITY_PROFILE (self), NULL);

  return resolve (self, self->history_endpoint, FALSE);
}
