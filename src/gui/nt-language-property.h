/* nt-language-property.h: the "language" property of a widget the kiosk shares
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

void nt_language_property_install (GObjectClass *object_class,
                                   goffset       language_offset,
                                   GCallback     language_changed);
void nt_language_property_set     (gpointer      object,
                                   const char   *language);

G_END_DECLS
