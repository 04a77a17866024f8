/* nt-pv-table.h: the process variables the reference services publish
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  NT_PV_TYPE_DOUBLE,  /* vtype VDouble: value is a number */
  NT_PV_TYPE_ENUM,    /* vtype VEnum: value is an index into labels, sent with text */
  NT_PV_TYPE_STRING,  /* vtype VString: value is a string */
} NtPvType;

typedef enum
{
  NT_SEVERITY_NONE,
  NT_SEVERITY_MINOR,
  NT_SEVERITY_MAJOR,
  NT_SEVERITY_INVALID,
  NT_SEVERITY_UNDEFINED,  /* disconnected or never set: value is NaN */
} NtSeverity;

typedef struct
{
  const char         *name;
  NtPvType            type;
  const char         *description;
  const char         *units;           /* NULL for none */
  int                 precision;       /* digits after the point, numbers only */
  double              min;             /* display range; NAN for none */
  double              max;
  double              warn_low;        /* NAN for none */
  double              warn_high;
  double              alarm_low;
  double              alarm_high;
  const char * const *labels;          /* NULL-terminated, enums only */
  gboolean            readonly;
  guint               archive_period;  /* 0 = archive every change; N = at most every N s */
} NtPvInfo;

#define NT_TYPE_PV_TABLE (nt_pv_table_get_type ())

G_DECLARE_FINAL_TYPE (NtPvTable, nt_pv_table, NT, PV_TABLE, GObject)

const char     *nt_severity_to_string      (NtSeverity  severity);
const char     *nt_pv_type_to_vtype        (NtPvType    type);

NtPvTable      *nt_pv_table_new            (void);
/* Copies @info; returns the new PV's index.  The value starts UNDEFINED/NaN. */
guint           nt_pv_table_add            (NtPvTable      *self,
                                            const NtPvInfo *info);
gboolean        nt_pv_table_lookup         (NtPvTable      *self,
                                            const char     *name,
                                            guint          *index);
guint           nt_pv_table_get_n_pvs      (NtPvTable      *self);
const NtPvInfo *nt_pv_table_get_info       (NtPvTable      *self,
                                            guint           index);
guint           nt_pv_table_get_n_labels   (NtPvTable      *self,
                                            guint           index);

/* Current value.  For enums the number is the index and the text its
 * label; for strings the text is the value (a GRefString) and the number
 * NaN; for doubles the text is NULL. */
double          nt_pv_table_get_number     (NtPvTable      *self,
                                            guint           index);
const char     *nt_pv_table_get_text       (NtPvTable      *self,
                                            guint           index);
NtSeverity      nt_pv_table_get_severity   (NtPvTable      *self,
                                            guint           index);
gint64          nt_pv_table_get_time       (NtPvTable      *self,
                                            guint           index);   /* Unix µs */
guint64         nt_pv_table_get_version    (NtPvTable      *self,
                                            guint           index);   /* rises on each change */

/* Set a double or enum PV.  Nothing happens (FALSE) when neither value nor
 * severity changed: values are published on change only.  Otherwise the
 * "changed" signal is emitted with the index. */
gboolean        nt_pv_table_set_number     (NtPvTable      *self,
                                            guint           index,
                                            double          value,
                                            NtSeverity      severity,
                                            gint64          time_us);
gboolean        nt_pv_table_set_string     (NtPvTable      *self,
                                            guint           index,
                                            const char     *value,
                                            NtSeverity      severity,
                                            gint64          time_us);
/* Marks a PV disconnected: severity UNDEFINED, value NaN. */
void            nt_pv_table_set_disconnected (NtPvTable    *self,
                                              guint         index,
                                              gint64        time_us);

G_END_DECLS
