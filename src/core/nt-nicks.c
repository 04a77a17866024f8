/* nt-nicks.c: looking up an enum's wire names, and its GEnum type from them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-nicks"

#include "config.h"

#include "nt-nicks-private.h"

/**
 * nt_nick_lookup:
 * @nick: (nullable): a wire name
 * @value: (out) (optional): its value
 *
 * Returns: %TRUE when @nick is one of @nicks
 */
gboolean
nt_nick_lookup (const char * const *nicks,
                guint               n_nicks,
                const char         *nick,
                int                *value)
{
  for (guint i = 0; nick != NULL && i < n_nicks; i++)
    {
      if (g_str_equal (nicks[i], nick))
        {
          if (value != NULL)
            *value = (int)i;
          return TRUE;
        }
    }
  return FALSE;
}

/**
 * nt_nick_enum_type:
 * @type_id: the caller's static location of the type
 * @value_prefix: "NT_SLOT_": with the nick in capitals, each value's name
 *
 * Registers, once, a GEnum whose values are 0 to @n_nicks − 1 with @nicks
 * as their nicks.
 *
 * Returns: the type
 */
GType
nt_nick_enum_type (gsize              *type_id,
                   const char         *type_name,
                   const char         *value_prefix,
                   const char * const *nicks,
                   guint               n_nicks)
{
  if (g_once_init_enter (type_id))
    {
      /* Kept for the life of the type, as a static table would be. */
      GEnumValue *values = g_new0 (GEnumValue, n_nicks + 1);

      for (guint i = 0; i < n_nicks; i++)
        {
          g_autofree char *upper = g_ascii_strup (nicks[i], -1);
          g_autofree char *name = g_strconcat (value_prefix, upper, NULL);

          values[i].value = (int)i;
          values[i].value_name = g_intern_string (name);
          values[i].value_nick = nicks[i];
        }
      g_once_init_leave (type_id, g_enum_register_static (g_intern_static_string (type_name),
                                                          values));
    }
  return *type_id;
}
