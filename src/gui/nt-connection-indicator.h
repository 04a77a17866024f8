/* nt-connection-indicator.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "nt-context.h"

G_BEGIN_DECLS

#define NT_TYPE_CONNECTION_INDICATOR (nt_connection_indicator_get_type ())

G_DECLARE_FINAL_TYPE (NtConnectionIndicator, nt_connection_indicator, NT, CONNECTION_INDICATOR, GtkWidget)

GtkWidget  *nt_connection_indicator_new      (NtContext             *context);
const char *nt_connection_indicator_get_time_text (NtConnectionIndicator *self);
const char *nt_connection_indicator_get_text (NtConnectionIndicator *self);
void        nt_connection_indicator_set_language (NtConnectionIndicator *self,
                                                  const char            *language);

G_END_DECLS
