/* nt-nicks-private.h: an enum's wire names as one array indexed by value
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The slots, allocation statuses, run-plan period kinds, rule codes,
 * programmes and station kinds each keep their wire names in a
 * `const char * const nicks[N]` indexed by value; these look a name up and
 * register a GEnum type from such an array.  Internal to src/core.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Wire names of an enum, indexed by value: the lookups and the GEnum type. */
gboolean      nt_nick_lookup         (const char * const  *nicks,
                                      guint                n_nicks,
                                      const char          *nick,
                                      int                 *value);
GType         nt_nick_enum_type      (gsize               *type_id,
                                      const char          *type_name,
                                      const char          *value_prefix,
                                      const char * const  *nicks,
                                      guint                n_nicks);

G_END_DECLS
