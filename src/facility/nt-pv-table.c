/* nt-pv-table.c: the process variables the reference services publish
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-pv-table"

#include "config.h"

#include <math.h>

#include "nt-pv-table.h"

typedef struct
{
  NtPvInfo    info;      /* strings owned */
  guint       n_labels;
  double      number;
  char       *text;      /* GRefString for strings; borrowed label for enums */
  NtSeverity  severity;
  gint64      time_us;
  guint64     version;
} NtPv;

struct _NtPvTable
{
  GObject     parent_instance;

  GArray     *pvs;        /* of NtPv */
  GHashTable *by_name;    /* name -> index + 1 */
};

G_DEFINE_FINAL_TYPE (NtPvTable, nt_pv_table, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char * const severity_names[] = {
  "NONE", "MINOR", "MAJOR", "INVALID", "UNDEFINED",
};

const char *
nt_severity_to_string (NtSeverity severity)
{
  g_return_val_if_fail (severity <= NT_SEVERITY_UNDEFINED, "UNDEFINED");

  return severity_names[severity];
}

const char *
nt_pv_type_to_vtype (NtPvType type)
{
  switch (type)
    {
    case NT_PV_TYPE_DOUBLE: return "VDouble";
    case NT_PV_TYPE_ENUM: return "VEnum";
    case NT_PV_TYPE_STRING: return "VString";
    default: g_return_val_if_reached ("VDouble");
    }
}

static void
pv_clear (gpointer data)
{
  NtPv *pv = data;

  g_free ((char *) pv->info.name);
  g_free ((char *) pv->info.description);
  g_free ((char *) pv->info.units);
  g_strfreev ((char **) pv->info.labels);
  if (pv->info.type == NT_PV_TYPE_STRING)
    g_clear_pointer (&pv->text, g_ref_string_release);
}

static inline NtPv *
get_pv (NtPvTable *self,
        guint      index)
{
  return &g_array_index (self->pvs, NtPv, index);
}

static void
nt_pv_table_finalize (GObject *object)
{
  NtPvTable *self = (NtPvTable *)object;

  g_clear_pointer (&self->by_name, g_hash_table_unref);
  g_clear_pointer (&self->pvs, g_array_unref);

  G_OBJECT_CLASS (nt_pv_table_parent_class)->finalize (object);
}

static void
nt_pv_table_class_init (NtPvTableClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = nt_pv_table_finalize;

  /**
   * NtPvTable::changed:
   * @index: the PV that changed
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
nt_pv_table_init (NtPvTable *self)
{
  self->pvs = g_array_new (FALSE, TRUE, sizeof (NtPv));
  g_array_set_clear_func (self->pvs, pv_clear);
  self->by_name = g_hash_table_new (g_str_hash, g_str_equal);
}

NtPvTable *
nt_pv_table_new (void)
{
  return g_object_new (NT_TYPE_PV_TABLE, NULL);
}

guint
nt_pv_table_add (NtPvTable      *self,
                 const NtPvInfo *info)
{
  NtPv pv = { 0 };
  guint index;

  g_return_val_if_fail (NT_IS_PV_TABLE (self), G_MAXUINT);
  g_return_val_if_fail (info != NULL && info->name != NULL, G_MAXUINT);
  g_return_val_if_fail (!g_hash_table_contains (self->by_name, info->name), G_MAXUINT);
  g_return_val_if_fail (info->type != NT_PV_TYPE_ENUM || info->labels != NULL, G_MAXUINT);

  pv.info = *info;
  pv.info.name = g_strdup (info->name);
  pv.info.description = g_strdup (info->description ? info->description : "");
  pv.info.units = g_strdup (info->units ? info->units : "");
  pv.info.labels = (const char * const *) g_strdupv ((char **) info->labels);
  pv.n_labels = info->labels ? g_strv_length ((char **) info->labels) : 0;
  pv.number = NAN;
  pv.text = NULL;
  pv.severity = NT_SEVERITY_UNDEFINED;
  pv.time_us = 0;
  pv.version = 0;

  index = self->pvs->len;
  g_array_append_val (self->pvs, pv);
  g_hash_table_insert (self->by_name, (char *) get_pv (self, index)->info.name,
                       GUINT_TO_POINTER (index + 1));

  return index;
}

gboolean
nt_pv_table_lookup (NtPvTable  *self,
                    const char *name,
                    guint      *index)
{
  gpointer value;

  g_return_val_if_fail (NT_IS_PV_TABLE (self), FALSE);

  if (name == NULL)
    return FALSE;

  value = g_hash_table_lookup (self->by_name, name);
  if (value == NULL)
    return FALSE;

  if (index != NULL)
    *index = GPOINTER_TO_UINT (value) - 1;

  return TRUE;
}

guint
nt_pv_table_get_n_pvs (NtPvTable *self)
{
  g_return_val_if_fail (NT_IS_PV_TABLE (self), 0);

  return self->pvs->len;
}

const NtPvInfo *
nt_pv_table_get_info (NtPvTable *self,
                      guint      index)
{
  g_return_val_if_fail (NT_IS_PV_TABLE (self), NULL);
  g_return_val_if_fail (index < self->pvs->len, NULL);

  return &get_pv (self, index)->info;
}

guint
nt_pv_table_get_n_labels (NtPvTable *self,
                          guint      index)
{
  g_return_val_if_fail (NT_IS_PV_TABLE (self), 0);
  g_return_val_if_fail (index < self->pvs->len, 0);

  return get_pv (self, index)->n_labels;
}

double
nt_pv_table_get_number (NtPvTable *self,
                        guint      index)
{
  g_return_val_if_fail (NT_IS_PV_TABLE (self), NAN);
  g_return_val_if_fail (index < self->pvs->len, NAN);

  return get_pv (self, index)->number;
}

const char *
nt_pv_table_get_text (NtPvTable *self,
                      guint      index)
{
  g_return_val_if_fail (NT_IS_PV_TABLE (self), NULL);
  g_return_val_if_fail (index < self->pvs->len, NULL);

  return get_pv (self, index)->text;
}

NtSeverity
nt_pv_table_get_severity (NtPvTable *self,
                          guint      index)
{
  g_return_val_if_fail (NT_IS_PV_TABLE (self), NT_SEVERITY_UNDEFINED);
  g_return_val_if_fail (index < self->pvs->len, NT_SEVERITY_UNDEFINED);

  return get_pv (self, index)->severity;
}

gint64
nt_pv_table_get_time (NtPvTable *self,
                      guint      index)
{
  g_return_val_if_fail (NT_IS_PV_TABLE (self), 0);
  g_return_val_if_fail (index < self->pvs->len, 0);

  return get_pv (self, index)->time_us;
}

guint64
nt_pv_table_get_version (NtPvTable *self,
                         guint      index)
{
  g_return_val_if_fail (NT_IS_PV_TABLE (self), 0);
  g_return_val_if_fail (index < self->pvs->len, 0);

  return get_pv (self, index)->version;
}

static inline gboolean
same_number (double a,
             double b)
{
  return a == b || (isnan (a) && isnan (b));
}

/* The rest of every change of a PV's value: its severity and time, a new
 * version, and "changed". */
static void
commit_change (NtPvTable  *self,
               guint       index,
               NtSeverity  severity,
               gint64      time_us)
{
  NtPv *pv = get_pv (self, index);

  pv->severity = severity;
  pv->time_us = time_us;
  pv->version++;

  g_signal_emit (self, signals[CHANGED], 0, index);
}

gboolean
nt_pv_table_set_number (NtPvTable  *self,
                        guint       index,
                        double      value,
                        NtSeverity  severity,
                        gint64      time_us)
{
  NtPv *pv;

  g_return_val_if_fail (NT_IS_PV_TABLE (self), FALSE);
  g_return_val_if_fail (index < self->pvs->len, FALSE);

  pv = get_pv (self, index);
  g_return_val_if_fail (pv->info.type != NT_PV_TYPE_STRING, FALSE);

  if (pv->info.type == NT_PV_TYPE_ENUM)
    {
      if (!(value >= 0 && value < pv->n_labels) || value != floor (value))
        {
          g_critical ("Enum PV %s set to %g, outside 0..%u", pv->info.name, value, pv->n_labels - 1);
          return FALSE;
        }
    }

  if (same_number (pv->number, value) && pv->severity == severity)
    return FALSE;

  pv->number = value;
  if (pv->info.type == NT_PV_TYPE_ENUM)
    pv->text = (char *) (isnan (value) ? NULL : pv->info.labels[(guint) value]);
  commit_change (self, index, severity, time_us);

  return TRUE;
}

gboolean
nt_pv_table_set_string (NtPvTable  *self,
                        guint       index,
                        const char *value,
                        NtSeverity  severity,
                        gint64      time_us)
{
  NtPv *pv;

  g_return_val_if_fail (NT_IS_PV_TABLE (self), FALSE);
  g_return_val_if_fail (index < self->pvs->len, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  pv = get_pv (self, index);
  g_return_val_if_fail (pv->info.type == NT_PV_TYPE_STRING, FALSE);

  if (g_strcmp0 (pv->text, value) == 0 && pv->severity == severity)
    return FALSE;

  if (g_strcmp0 (pv->text, value) != 0)
    {
      g_clear_pointer (&pv->text, g_ref_string_release);
      pv->text = g_ref_string_new (value);
    }
  commit_change (self, index, severity, time_us);

  return TRUE;
}

void
nt_pv_table_set_disconnected (NtPvTable *self,
                              guint      index,
                              gint64     time_us)
{
  NtPv *pv;

  g_return_if_fail (NT_IS_PV_TABLE (self));
  g_return_if_fail (index < self->pvs->len);

  pv = get_pv (self, index);
  if (pv->severity == NT_SEVERITY_UNDEFINED && isnan (pv->number))
    return;

  pv->number = NAN;
  if (pv->info.type == NT_PV_TYPE_STRING)
    g_clear_pointer (&pv->text, g_ref_string_release);
  else
    pv->text = NULL;
  commit_change (self, index, NT_SEVERITY_UNDEFINED, time_us);
}
