/* fuzz-client-schedule.h: the scheduling client's parsers, for fuzz-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Apart from fuzz-client.c because the scheduling client's and the PV
 * client's private headers cannot meet in one file.
 */
#pragma once

#include <stdint.h>
#include <glib.h>

G_BEGIN_DECLS

void fuzz_schedule_setup   (void);
/* @model: 0 period, 1 allocation, 2 member, 3 proposal */
void fuzz_schedule_object  (guint          model,
                            GBytes        *body);
void fuzz_schedule_list    (guint          model,
                            GBytes        *body);
void fuzz_schedule_json    (GBytes        *body);
void fuzz_schedule_whoami  (GBytes        *body);
void fuzz_schedule_change  (const uint8_t *data,
                            size_t         size);
/* @how picks the status and the model of the 412's "current". */
void fuzz_schedule_failure (uint8_t        how,
                            const uint8_t *data,
                            size_t         size);

G_END_DECLS
