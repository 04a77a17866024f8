/* nt-view-property.h: the one property of a view's class ("language" or
 * "context"), installed once
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
void nt_context_property_install  (GObjectClass *object_class,
                                   goffset       context_offset);

G_END_DECLS
