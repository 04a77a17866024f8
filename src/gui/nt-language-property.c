/* nt-language-property.c: the "language" property of a widget the kiosk shares
 *
 * A widget the kiosk shares with the main window speaks the language its
 * "language" property names (see HACKING.md).  Where that is the class's
 * only property (the beam panel, the connection indicator, the facility
 * drawing), this installs it with the class's get_property and
 * set_property: the value lives in the instance's `char *language` (at
 * the offset given), and a change calls the class's function that says the
 * widget's words again, then notifies.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-language-property"

#include "config.h"

#include "nt-i18n.h"
#include "nt-language-property.h"

enum {
  PROP_0,
  PROP_LANGUAGE,
};

typedef struct
{
  goffset     offset;    /* of the instance's char *language */
  GCallback   changed;   /* void (*) (gpointer self), or NULL */
  GParamSpec *pspec;
} LanguageProperty;

static GQuark
language_property_quark (void)
{
  return g_quark_from_static_string ("nt-language-property");
}

static const LanguageProperty *
lookup (gpointer object)
{
  for (GType type = G_OBJECT_TYPE (object); type != 0; type = g_type_parent (type))
    {
      const LanguageProperty *property = g_type_get_qdata (type, language_property_quark ());

      if (property != NULL)
        return property;
    }

  g_return_val_if_reached (NULL);
}

static void
language_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_LANGUAGE:
      g_value_set_string (value, G_STRUCT_MEMBER (char *, object, lookup (object)->offset));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
language_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_LANGUAGE:
      nt_language_property_set (object, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
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
  /* Kept as long as the class, that is for the life of the program. */
  LanguageProperty *property = g_new0 (LanguageProperty, 1);

  g_return_if_fail (G_IS_OBJECT_CLASS (object_class));

  property->offset = language_offset;
  property->changed = language_changed;
  property->pspec = nt_language_param_spec_new ();

  object_class->get_property = language_get_property;
  object_class->set_property = language_set_property;
  g_object_class_install_property (object_class, PROP_LANGUAGE, property->pspec);
  g_type_set_qdata (G_OBJECT_CLASS_TYPE (object_class), language_property_quark (), property);
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
  const LanguageProperty *property;

  g_return_if_fail (G_IS_OBJECT (object));

  property = lookup (object);
  if (!nt_language_replace (&G_STRUCT_MEMBER (char *, object, property->offset), language))
    return;

  if (property->changed != NULL)
    ((void (*) (gpointer)) property->changed) (object);
  g_object_notify_by_pspec (object, property->pspec);
}
