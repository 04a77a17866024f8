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

#include "nt-context.h"
#include "nt-gui-resources.h"

struct _NtContext
{
  GObject      parent_instance;

  GSettings   *settings;
  char        *facility_url;
  NtCatalogue *catalogue;
  GError      *catalogue_error;
};

G_DEFINE_FINAL_TYPE (NtContext, nt_context, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_FACILITY_URL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

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

  g_clear_object (&self->settings);
  g_clear_object (&self->catalogue);
  g_clear_error (&self->catalogue_error);
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

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
nt_context_init (NtContext *self)
{
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
}
