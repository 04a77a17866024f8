/* nt-share-bar.h: a horizontal bar of a value with its target marked
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define NT_TYPE_SHARE_BAR (nt_share_bar_get_type ())

G_DECLARE_FINAL_TYPE (NtShareBar, nt_share_bar, NT, SHARE_BAR, GtkWidget)

/* @target < 0: no target mark. */
GtkWidget *nt_share_bar_new (double value,
                             double max,
                             double target);

G_END_DECLS
