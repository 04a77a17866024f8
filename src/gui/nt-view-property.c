/* nt-view-property.c: the one property of a view's class, installed once
 *
 * Many views have a single property, one of two: the "language" a widget
 * the kiosk shares with the main window speaks (see HACKING.md: the beam
 * panel, the connection indicator, the facility drawing, the statistics
 * chart), or the "context" a page is made with (the beamlines and
 * statistics pages, the kiosk window).  This installs it with the class's
 * get_property and set_property, the value in the instance's field at the
 * offset given: a `char *language`, whose change calls the class's
 * function that says the widget's words again, then notifies; or an
 * `NtContext *context`, set once at construction.  The instance frees the
 * field.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-view-property"

#include "config.h"

#include "nt-context.h"
#include "nt-i18n.h"
#include "nt-view-property.h"

enum {
  PROP_0,
  PROP_THE_ONE,
};

typedef struct
{
  goffset     offset;    /* of the instance's char *language or NtContext *context */
  GCallback   changed;   /* language: void (*) (gpointer self), or NULL */
  GParamSpec *pspec;
} ViewProperty;

static GQuark
view_property_quark (void)
{
  return g_quark_from_static_string ("nt-view-property");
}

static const ViewProperty *
lookup (gpointer object)
{
  for (GType type = G_OBJECT_TYPE (object); type != 0; type = g_type_parent (type))
    {
      const ViewProperty *property = g_type_get_qdata (type, view_property_quark ());

      if (property != NULL)
        return property;
    }

  g_return_val_if_reached (NULL);
}

static gboolean
is_context (const ViewProperty *property)
{
  return G_IS_PARAM_SPEC_OBJECT (property->pspec);
}

static void
view_get_property (GObject    *object,
                   guint       prop_id,
                   GValue     *value,
                   GParamSpec *pspec)
{
  const ViewProperty *property = lookup (object);

  if (prop_id != PROP_THE_ONE)
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  else if (is_context (property))
    g_value_set_object (value, G_STRUCT_MEMBER (NtContext *, object, property->offset));
  else
    g_value_set_string (value, G_STRUCT_MEMBER (char *, object, property->offset));
}

static void
view_set_property (GObject      *object,
                   guint         prop_id,
                   const GValue *value,
                   GParamSpec   *pspec)
{
  const ViewProperty *property = lookup (object);

  if (prop_id != PROP_THE_ONE)
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  else if (is_context (property))   /* construct-only: set once */
    G_STRUCT_MEMBER (NtContext *, object, property->offset) = g_value_dup_object (value);
  else
    nt_language_property_set (object, g_value_get_string (value));
}

static void
install (GObjectClass *object_class,
         goffset       offset,
         GCallback     changed,
         GParamSpec   *pspec)
{
  /* Kept as long as the class, that is for the life of the program. */
  ViewProperty *property = g_new0 (ViewProperty, 1);

  property->offset = offset;
  property->changed = changed;
  property->pspec = pspec;

  object_class->get_property = view_get_property;
  object_class->set_property = view_set_property;
  g_object_class_install_property (object_class, PROP_THE_ONE, property->pspec);
  g_type_set_qdata (G_OBJECT_CLASS_TYPE (object_class), view_property_quark (), property);
}

/**
 * nt_language_property_install:
 * @language_offset: G_STRUCT_OFFSET of the instance's `char *language`,
 *   which the instance frees in its finalize
 * @language_changed: (nullable): `void (*) (gpointer self)`, called after
 *   the language changed, before the notification
 *
 * Installs the "language" property (nt_language_param_spec_new()) as
 * the class's only property, with its get_property and set_property.
 */
void
nt_language_property_install (GObjectClass *object_class,
                              goffset       language_offset,
                              GCallback     language_changed)
{
  g_return_if_fail (G_IS_OBJECT_CLASS (object_class));

  install (object_class, language_offset, language_changed, nt_language_param_spec_new ());
}

/**
 * nt_context_property_install:
 * @context_offset: G_STRUCT_OFFSET of the instance's `NtContext *context`,
 *   which the instance unrefs in its dispose or finalize
 *
 * Installs the "context" property (nt_context_param_spec_new()) as the
 * class's only property, with its get_property and set_property.
 */
void
nt_context_property_install (GObjectClass *object_class,
                             goffset       context_offset)
{
  g_return_if_fail (G_IS_OBJECT_CLASS (object_class));

  install (object_class, context_offset, NULL, nt_context_param_spec_new ());
}

/**
 * nt_language_property_set:
 * @object: an instance of a class given to nt_language_property_install()
 * @language: (nullable): "en", "ja", or %NULL for the session's language
 *
 * Sets the language; on a real change calls the class's function and
 * notifies "language".
 */
void
nt_language_property_set (gpointer    object,
                          const char *language)
{
  const ViewProperty *property;

  g_return_if_fail (G_IS_OBJECT (object));

  property = lookup (object);
  g_return_if_fail (!is_context (property));
  if (!nt_language_replace (&G_STRUCT_MEMBER (char *, object, property->offset), language))
    return;

  if (property->changed != NULL)
    ((void (*) (gpointer)) property->changed) (object);
  g_object_notify_by_pspec (object, property->pspec);
}
