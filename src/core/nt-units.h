/* nt-units.h: physical quantities formatted for people
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *nt_format_energy       (double        ev);
char *nt_format_energy_range (double        min_ev,
                              double        max_ev);
char *nt_format_energy_list  (const double *ev,
                              guint         n);
char *nt_format_energy_band  (double        max_ev);
char *nt_format_yen          (double        amount);

G_END_DECLS
