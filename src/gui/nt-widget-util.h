/* nt-widget-util.h: small pieces every view of the console repeats
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "nt-pv-record.h"

G_BEGIN_DECLS

void     nt_widget_set_class_among        (GtkWidget          *widget,
                                           const char * const *classes,
                                           guint               n_classes,
                                           const char         *wanted);
void     nt_widget_set_severity_class     (GtkWidget          *widget,
                                           NtPvSeverity        severity);
void     nt_widget_set_class              (GtkWidget          *widget,
                                           const char         *css_class,
                                           gboolean            set);
void     nt_widget_unparent_children      (GtkWidget          *widget);
void     nt_widget_lookup_color           (GtkWidget          *widget,
                                           const char         *name,
                                           double              fallback_alpha,
                                           GdkRGBA            *color);

void     nt_disconnect_and_clear          (gpointer            object_ptr,
                                           gpointer            data);
gboolean nt_disconnect_and_set            (gpointer            object_ptr,
                                           gpointer            new_object,
                                           gpointer            data);

guint    nt_timeout_add_seconds_repeating (guint               seconds,
                                           GCallback           func,
                                           gpointer            data);

void     nt_status_page_set_icon_when_shown (AdwStatusPage     *page,
                                             const char        *icon_name);

G_END_DECLS
