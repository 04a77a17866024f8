/* nt-pv-record.c: the cached state of one PV, merged from PVWS updates
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-pv-record"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "nt-client-error.h"
#include "nt-pv-record.h"

struct _NtPvRecord
{

  char            *name;
  NtPvState        state;
  char            *message;
  guint            n_updates;

  /* value */
  NtPvValueKind    kind;
  double           value;
  char            *string;
  int              index;
  char            *text;
  gint64           seconds;
  int              nanos;
  NtPvSeverity     severity;

  /* metadata */
  guint            has_metadata : 1;
  guint            readonly : 1;
  char            *vtype;
  char            *units;
  char            *description;
  int              precision;
  double           min, max;
  double           warn_low, warn_high;
  double           alarm_low, alarm_high;
  char           **labels;
};

G_DEFINE_BOXED_TYPE (NtPvRecord, nt_pv_record, nt_pv_record_ref, nt_pv_record_unref)

static const char * const severity_names[] = {
  [NT_PV_SEVERITY_NONE] = "NONE",
  [NT_PV_SEVERITY_MINOR] = "MINOR",
  [NT_PV_SEVERITY_MAJOR] = "MAJOR",
  [NT_PV_SEVERITY_INVALID] = "INVALID",
  [NT_PV_SEVERITY_UNDEFINED] = "UNDEFINED",
};

/* What one update carries, checked before any of it is applied, so that a
 * bad update leaves the record as it was. */
enum {
  HAS_VTYPE       = 1 << 0,
  HAS_UNITS       = 1 << 1,
  HAS_DESCRIPTION = 1 << 2,
  HAS_PRECISION   = 1 << 3,
  HAS_MIN         = 1 << 4,
  HAS_MAX         = 1 << 5,
  HAS_WARN_LOW    = 1 << 6,
  HAS_WARN_HIGH   = 1 << 7,
  HAS_ALARM_LOW   = 1 << 8,
  HAS_ALARM_HIGH  = 1 << 9,
  HAS_LABELS      = 1 << 10,
  HAS_READONLY    = 1 << 11,
  HAS_SEVERITY    = 1 << 12,
  HAS_VALUE       = 1 << 13,
  HAS_TEXT        = 1 << 14,
  HAS_SECONDS     = 1 << 15,
  HAS_NANOS       = 1 << 16,
};

#define METADATA_MASK (HAS_VTYPE | HAS_UNITS | HAS_DESCRIPTION | HAS_PRECISION | \
                       HAS_MIN | HAS_MAX | HAS_WARN_LOW | HAS_WARN_HIGH | \
                       HAS_ALARM_LOW | HAS_ALARM_HIGH | HAS_LABELS | HAS_READONLY)

typedef struct
{
  guint         set;
  const char   *vtype;
  const char   *units;
  const char   *description;
  const char   *text;
  gint64        precision;
  double        limits[6];   /* min, max, warn_low, warn_high, alarm_low, alarm_high */
  JsonArray    *labels;
  gboolean      readonly;
  NtPvSeverity  severity;
  JsonNode     *value;
  gint64        seconds;
  gint64        nanos;
} Delta;

static gboolean
set_bad_field (GError     **error,
               const char  *pv,
               const char  *field,
               const char  *expected)
{
  g_set_error (error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_PROTOCOL,
               _("The live-value server sent a bad update for “%s”: “%s” must be %s."),
               pv, field, expected);
  return FALSE;
}

/* A number, or one of the strings PVWS uses for numbers JSON cannot hold. */
static gboolean
node_get_number (JsonNode *node,
                 double   *out)
{
  GType type;

  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_DOUBLE || type == G_TYPE_INT64)
    {
      *out = json_node_get_double (node);
      return TRUE;
    }

  if (type == G_TYPE_STRING)
    {
      const char *s = json_node_get_string (node);

      if (strcmp (s, "NaN") == 0)
        *out = NAN;
      else if (strcmp (s, "Infinity") == 0 || strcmp (s, "Inf") == 0)
        *out = INFINITY;
      else if (strcmp (s, "-Infinity") == 0 || strcmp (s, "-Inf") == 0)
        *out = -INFINITY;
      else
        return FALSE;
      return TRUE;
    }

  return FALSE;
}

static gboolean
node_get_integer (JsonNode *node,
                  gint64   *out)
{
  GType type;
  double d;

  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    {
      *out = json_node_get_int (node);
      return TRUE;
    }
  if (type == G_TYPE_DOUBLE)
    {
      d = json_node_get_double (node);
      if (d == floor (d) && fabs (d) < 9.0e15)
        {
          *out = (gint64)d;
          return TRUE;
        }
    }
  return FALSE;
}

static const char *
node_get_string (JsonNode *node)
{
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  return NULL;
}

static gboolean
read_limit (JsonNode    *node,
            Delta       *delta,
            guint        flag,
            guint        slot,
            const char  *pv,
            const char  *field,
            GError     **error)
{
  if (!node_get_number (node, &delta->limits[slot]))
    return set_bad_field (error, pv, field, _("a number"));
  delta->set |= flag;
  return TRUE;
}

static gboolean
read_delta (const char  *pv,
            JsonObject  *update,
            Delta       *delta,
            GError     **error)
{
  JsonObjectIter iter;
  const char *member;
  JsonNode *node;

  json_object_iter_init (&iter, update);
  while (json_object_iter_next (&iter, &member, &node))
    {
      switch (member[0])
        {
        case 'a':
          if (strcmp (member, "alarm_low") == 0)
            {
              if (!read_limit (node, delta, HAS_ALARM_LOW, 4, pv, member, error))
                return FALSE;
            }
          else if (strcmp (member, "alarm_high") == 0)
            {
              if (!read_limit (node, delta, HAS_ALARM_HIGH, 5, pv, member, error))
                return FALSE;
            }
          break;

        case 'd':
          if (strcmp (member, "description") == 0)
            {
              if (!(delta->description = node_get_string (node)))
                return set_bad_field (error, pv, member, _("a string"));
              delta->set |= HAS_DESCRIPTION;
            }
          break;

        case 'l':
          if (strcmp (member, "labels") == 0)
            {
              JsonArray *labels;

              if (!JSON_NODE_HOLDS_ARRAY (node))
                return set_bad_field (error, pv, member, _("an array of strings"));
              labels = json_node_get_array (node);
              for (guint i = 0; i < json_array_get_length (labels); i++)
                if (node_get_string (json_array_get_element (labels, i)) == NULL)
                  return set_bad_field (error, pv, member, _("an array of strings"));
              delta->labels = labels;
              delta->set |= HAS_LABELS;
            }
          break;

        case 'm':
          if (strcmp (member, "min") == 0)
            {
              if (!read_limit (node, delta, HAS_MIN, 0, pv, member, error))
                return FALSE;
            }
          else if (strcmp (member, "max") == 0)
            {
              if (!read_limit (node, delta, HAS_MAX, 1, pv, member, error))
                return FALSE;
            }
          break;

        case 'n':
          if (strcmp (member, "nanos") == 0)
            {
              if (!node_get_integer (node, &delta->nanos) ||
                  delta->nanos < 0 || delta->nanos > 999999999)
                return set_bad_field (error, pv, member, _("an integer from 0 to 999999999"));
              delta->set |= HAS_NANOS;
            }
          break;

        case 'p':
          if (strcmp (member, "precision") == 0)
            {
              if (!node_get_integer (node, &delta->precision) ||
                  delta->precision < -1 || delta->precision > 64)
                return set_bad_field (error, pv, member, _("an integer from -1 to 64"));
              delta->set |= HAS_PRECISION;
            }
          break;

        case 'r':
          if (strcmp (member, "readonly") == 0)
            {
              if (!JSON_NODE_HOLDS_VALUE (node) ||
                  json_node_get_value_type (node) != G_TYPE_BOOLEAN)
                return set_bad_field (error, pv, member, _("true or false"));
              delta->readonly = json_node_get_boolean (node);
              delta->set |= HAS_READONLY;
            }
          break;

        case 's':
          if (strcmp (member, "severity") == 0)
            {
              const char *s = node_get_string (node);

              if (s == NULL || !nt_pv_severity_from_string (s, &delta->severity))
                return set_bad_field (error, pv, member,
                                      _("one of NONE, MINOR, MAJOR, INVALID, UNDEFINED"));
              delta->set |= HAS_SEVERITY;
            }
          else if (strcmp (member, "seconds") == 0)
            {
              if (!node_get_integer (node, &delta->seconds) || delta->seconds < 0)
                return set_bad_field (error, pv, member, _("a whole number of seconds"));
              delta->set |= HAS_SECONDS;
            }
          break;

        case 't':
          if (strcmp (member, "text") == 0)
            {
              if (!(delta->text = node_get_string (node)))
                return set_bad_field (error, pv, member, _("a string"));
              delta->set |= HAS_TEXT;
            }
          break;

        case 'u':
          if (strcmp (member, "units") == 0)
            {
              if (!(delta->units = node_get_string (node)))
                return set_bad_field (error, pv, member, _("a string"));
              delta->set |= HAS_UNITS;
            }
          break;

        case 'v':
          if (strcmp (member, "value") == 0)
            {
              if (!JSON_NODE_HOLDS_VALUE (node))
                return set_bad_field (error, pv, member, _("a number, a string or \"NaN\""));
              delta->value = node;
              delta->set |= HAS_VALUE;
            }
          else if (strcmp (member, "vtype") == 0)
            {
              if (!(delta->vtype = node_get_string (node)))
                return set_bad_field (error, pv, member, _("a string"));
              delta->set |= HAS_VTYPE;
            }
          break;

        case 'w':
          if (strcmp (member, "warn_low") == 0)
            {
              if (!read_limit (node, delta, HAS_WARN_LOW, 2, pv, member, error))
                return FALSE;
            }
          else if (strcmp (member, "warn_high") == 0)
            {
              if (!read_limit (node, delta, HAS_WARN_HIGH, 3, pv, member, error))
                return FALSE;
            }
          break;

        default:
          /* type, pv, and members this client does not use (arrays) */
          break;
        }
    }

  return TRUE;
}

static inline void
replace_string (char       **field,
                const char  *value)
{
  if (g_strcmp0 (*field, value) != 0)
    {
      g_free (*field);
      *field = g_strdup (value);
    }
}

static gboolean
is_enum (NtPvRecord *self)
{
  return (self->vtype != NULL && g_str_has_prefix (self->vtype, "VEnum")) ||
         (self->vtype == NULL && self->labels != NULL);
}

static const char *
label_for_index (NtPvRecord *self,
                 int         index)
{
  if (self->labels == NULL || index < 0 || (guint)index >= g_strv_length (self->labels))
    return NULL;
  return self->labels[index];
}

/* Checks the value against the record as it will be once the metadata
 * of the same update is merged, so that nothing is applied if it is bad. */
static gboolean
check_value (NtPvRecord  *self,
             Delta       *delta,
             GError     **error)
{
  GType type = json_node_get_value_type (delta->value);
  const char *vtype = (delta->set & HAS_VTYPE) ? delta->vtype : self->vtype;
  gboolean has_labels = (delta->set & HAS_LABELS) || self->labels != NULL;
  gboolean enum_like = (vtype != NULL && g_str_has_prefix (vtype, "VEnum")) ||
                       (vtype == NULL && has_labels);
  gint64 index;

  if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE &&
      type != G_TYPE_STRING && type != G_TYPE_BOOLEAN)
    return set_bad_field (error, self->name, "value", _("a number, a string or \"NaN\""));

  if (enum_like && (type == G_TYPE_INT64 || type == G_TYPE_DOUBLE) &&
      (!node_get_integer (delta->value, &index) || index < -1 || index > G_MAXINT))
    return set_bad_field (error, self->name, "value", _("an enum index"));

  return TRUE;
}

static gboolean
apply_value (NtPvRecord  *self,
             Delta       *delta,
             GError     **error)
{
  JsonNode *node = delta->value;
  GType type = json_node_get_value_type (node);
  double d;

  if (is_enum (self) && (type == G_TYPE_INT64 || type == G_TYPE_DOUBLE))
    {
      gint64 index;

      if (!node_get_integer (node, &index) || index < -1 || index > G_MAXINT)
        return set_bad_field (error, self->name, "value", _("an enum index"));
      self->kind = NT_PV_VALUE_ENUM;
      self->index = (int)index;
      self->value = (double)index;
      replace_string (&self->text, (delta->set & HAS_TEXT) ? delta->text
                                                           : label_for_index (self, self->index));
      return TRUE;
    }

  if (type == G_TYPE_STRING &&
      (self->vtype == NULL || !g_str_has_prefix (self->vtype, "VString")) &&
      node_get_number (node, &d))
    {
      /* "NaN" (a disconnected PV), or an infinity */
      self->kind = is_enum (self) ? NT_PV_VALUE_ENUM : NT_PV_VALUE_DOUBLE;
      self->value = d;
      self->index = -1;
      if (self->kind == NT_PV_VALUE_ENUM)
        replace_string (&self->text, (delta->set & HAS_TEXT) ? delta->text : NULL);
      return TRUE;
    }

  if (type == G_TYPE_STRING)
    {
      self->kind = NT_PV_VALUE_STRING;
      replace_string (&self->string, json_node_get_string (node));
      self->value = NAN;
      return TRUE;
    }

  if (type == G_TYPE_DOUBLE || type == G_TYPE_INT64)
    {
      self->kind = NT_PV_VALUE_DOUBLE;
      self->value = json_node_get_double (node);
      return TRUE;
    }

  if (type == G_TYPE_BOOLEAN)
    {
      self->kind = NT_PV_VALUE_DOUBLE;
      self->value = json_node_get_boolean (node) ? 1.0 : 0.0;
      return TRUE;
    }

  return set_bad_field (error, self->name, "value", _("a number, a string or \"NaN\""));
}

static void
nt_pv_record_clear (NtPvRecord *self)
{
  g_free (self->name);
  g_free (self->message);
  g_free (self->string);
  g_free (self->text);
  g_free (self->vtype);
  g_free (self->units);
  g_free (self->description);
  g_strfreev (self->labels);
}

NtPvRecord *
nt_pv_record_new (const char *name)
{
  NtPvRecord *self;

  g_return_val_if_fail (name != NULL, NULL);

  self = g_atomic_rc_box_new0 (NtPvRecord);
  self->name = g_strdup (name);
  self->state = NT_PV_STATE_WAITING;
  self->severity = NT_PV_SEVERITY_UNDEFINED;
  self->value = NAN;
  self->index = -1;
  self->precision = -1;
  self->min = self->max = NAN;
  self->warn_low = self->warn_high = NAN;
  self->alarm_low = self->alarm_high = NAN;

  return self;
}

NtPvRecord *
nt_pv_record_ref (NtPvRecord *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

void
nt_pv_record_unref (NtPvRecord *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release_full (self, (GDestroyNotify) nt_pv_record_clear);
}

/**
 * nt_pv_record_merge:
 * @update: a PVWS `update` message
 * @error: return location for a %NT_CLIENT_ERROR_PROTOCOL error
 *
 * Merges what @update carries into the record: the first update of a PV
 * brings metadata, later ones only what changed.  Members of the wrong
 * type make the whole update fail and leave the record as it was.  On
 * success the PV is %NT_PV_STATE_CONNECTED, or %NT_PV_STATE_DISCONNECTED
 * if the server reports it disconnected (severity UNDEFINED).
 *
 * Returns: %TRUE if the update was merged
 */
gboolean
nt_pv_record_merge (NtPvRecord  *self,
                    JsonObject  *update,
                    GError     **error)
{
  Delta delta = { 0 };

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (update != NULL, FALSE);

  if (!read_delta (self->name, update, &delta, error) ||
      ((delta.set & HAS_VALUE) && !check_value (self, &delta, error)))
    return FALSE;

  if (delta.set & METADATA_MASK)
    self->has_metadata = TRUE;
  if (delta.set & HAS_VTYPE)
    replace_string (&self->vtype, delta.vtype);
  if (delta.set & HAS_UNITS)
    replace_string (&self->units, delta.units);
  if (delta.set & HAS_DESCRIPTION)
    replace_string (&self->description, delta.description);
  if (delta.set & HAS_PRECISION)
    self->precision = (int)delta.precision;
  if (delta.set & HAS_MIN)
    self->min = delta.limits[0];
  if (delta.set & HAS_MAX)
    self->max = delta.limits[1];
  if (delta.set & HAS_WARN_LOW)
    self->warn_low = delta.limits[2];
  if (delta.set & HAS_WARN_HIGH)
    self->warn_high = delta.limits[3];
  if (delta.set & HAS_ALARM_LOW)
    self->alarm_low = delta.limits[4];
  if (delta.set & HAS_ALARM_HIGH)
    self->alarm_high = delta.limits[5];
  if (delta.set & HAS_READONLY)
    self->readonly = delta.readonly;
  if (delta.set & HAS_LABELS)
    {
      guint n = json_array_get_length (delta.labels);

      g_strfreev (self->labels);
      self->labels = g_new0 (char *, n + 1);
      for (guint i = 0; i < n; i++)
        self->labels[i] = g_strdup (json_array_get_string_element (delta.labels, i));
    }

  if (delta.set & HAS_VALUE)
    {
      if (!apply_value (self, &delta, error))
        g_return_val_if_reached (FALSE);   /* check_value() let it through */
    }
  else if ((delta.set & HAS_TEXT) && self->kind == NT_PV_VALUE_ENUM)
    replace_string (&self->text, delta.text);

  if (delta.set & HAS_SEVERITY)
    self->severity = delta.severity;
  if (delta.set & HAS_SECONDS)
    self->seconds = delta.seconds;
  if (delta.set & HAS_NANOS)
    self->nanos = (int)delta.nanos;

  self->n_updates++;
  if (self->severity == NT_PV_SEVERITY_UNDEFINED)
    nt_pv_record_set_state (self, NT_PV_STATE_DISCONNECTED, NULL);
  else
    nt_pv_record_set_state (self, NT_PV_STATE_CONNECTED, NULL);

  return TRUE;
}

/**
 * nt_pv_record_set_state:
 * @message: (nullable): why, for %NT_PV_STATE_FAILED
 *
 * Used by the client: marks the PV stale when the connection is lost, or
 * failed when the server refuses it.
 */
void
nt_pv_record_set_state (NtPvRecord *self,
                        NtPvState   state,
                        const char *message)
{
  g_return_if_fail (self != NULL);

  self->state = state;
  if (message != NULL || self->message != NULL)
    replace_string (&self->message, message);
}

const char *
nt_pv_record_get_name (const NtPvRecord *self)
{
  return self->name;
}

NtPvState
nt_pv_record_get_state (const NtPvRecord *self)
{
  return self->state;
}

/**
 * nt_pv_record_get_message:
 *
 * Returns: (nullable): why the PV failed, from the server
 */
const char *
nt_pv_record_get_message (const NtPvRecord *self)
{
  return self->message;
}

/**
 * nt_pv_record_is_live:
 *
 * Returns: whether the cached value may be shown as live
 */
gboolean
nt_pv_record_is_live (const NtPvRecord *self)
{
  return self->state == NT_PV_STATE_CONNECTED;
}

guint
nt_pv_record_get_n_updates (const NtPvRecord *self)
{
  return self->n_updates;
}

NtPvValueKind
nt_pv_record_get_value_kind (const NtPvRecord *self)
{
  return self->kind;
}

/**
 * nt_pv_record_get_double:
 *
 * Returns: the value as a number (the index for an enum), NaN if there is
 *   none or the PV is disconnected at its source
 */
double
nt_pv_record_get_double (const NtPvRecord *self)
{
  return self->value;
}

const char *
nt_pv_record_get_string (const NtPvRecord *self)
{
  return self->kind == NT_PV_VALUE_STRING ? self->string : NULL;
}

int
nt_pv_record_get_enum_index (const NtPvRecord *self)
{
  return self->kind == NT_PV_VALUE_ENUM ? self->index : -1;
}

const char *
nt_pv_record_get_enum_text (const NtPvRecord *self)
{
  return self->kind == NT_PV_VALUE_ENUM ? self->text : NULL;
}

/**
 * nt_pv_record_format_value:
 *
 * Formats the value with the PV's precision (no units).
 *
 * Returns: (transfer full) (nullable): the text, or %NULL without a value
 */
char *
nt_pv_record_format_value (const NtPvRecord *self)
{
  switch (self->kind)
    {
    case NT_PV_VALUE_DOUBLE:
      if (isnan (self->value))
        return NULL;
      if (self->precision >= 0)
        return g_strdup_printf ("%.*f", self->precision, self->value);
      return g_strdup_printf ("%g", self->value);

    case NT_PV_VALUE_STRING:
      return g_strdup (self->string);

    case NT_PV_VALUE_ENUM:
      if (self->text != NULL)
        return g_strdup (self->text);
      if (self->index >= 0)
        return g_strdup_printf ("%d", self->index);
      return NULL;

    case NT_PV_VALUE_NONE:
    default:
      return NULL;
    }
}

gint64
nt_pv_record_get_seconds (const NtPvRecord *self)
{
  return self->seconds;
}

int
nt_pv_record_get_nanos (const NtPvRecord *self)
{
  return self->nanos;
}

/**
 * nt_pv_record_get_time_usec:
 *
 * Returns: the value's timestamp in Unix microseconds (UTC)
 */
gint64
nt_pv_record_get_time_usec (const NtPvRecord *self)
{
  return self->seconds * G_USEC_PER_SEC + self->nanos / 1000;
}

NtPvSeverity
nt_pv_record_get_severity (const NtPvRecord *self)
{
  return self->severity;
}

gboolean
nt_pv_record_has_metadata (const NtPvRecord *self)
{
  return self->has_metadata;
}

const char *
nt_pv_record_get_vtype (const NtPvRecord *self)
{
  return self->vtype;
}

const char *
nt_pv_record_get_units (const NtPvRecord *self)
{
  return self->units;
}

const char *
nt_pv_record_get_description (const NtPvRecord *self)
{
  return self->description;
}

/**
 * nt_pv_record_get_precision:
 *
 * Returns: the number of decimals to show, or -1 if the server gave none
 */
int
nt_pv_record_get_precision (const NtPvRecord *self)
{
  return self->precision;
}

void
nt_pv_record_get_limits (const NtPvRecord *self,
                         double           *min,
                         double           *max)
{
  if (min != NULL)
    *min = self->min;
  if (max != NULL)
    *max = self->max;
}

void
nt_pv_record_get_warn_limits (const NtPvRecord *self,
                              double           *low,
                              double           *high)
{
  if (low != NULL)
    *low = self->warn_low;
  if (high != NULL)
    *high = self->warn_high;
}

void
nt_pv_record_get_alarm_limits (const NtPvRecord *self,
                               double           *low,
                               double           *high)
{
  if (low != NULL)
    *low = self->alarm_low;
  if (high != NULL)
    *high = self->alarm_high;
}

/**
 * nt_pv_record_get_labels:
 *
 * Returns: (nullable) (array zero-terminated=1): the enum labels
 */
const char * const *
nt_pv_record_get_labels (const NtPvRecord *self)
{
  return (const char * const *)self->labels;
}

gboolean
nt_pv_record_get_readonly (const NtPvRecord *self)
{
  return self->readonly;
}

const char *
nt_pv_severity_to_string (NtPvSeverity severity)
{
  g_return_val_if_fail (severity <= NT_PV_SEVERITY_UNDEFINED, NULL);

  return severity_names[severity];
}

gboolean
nt_pv_severity_from_string (const char   *str,
                            NtPvSeverity *severity)
{
  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (severity_names); i++)
    {
      if (strcmp (severity_names[i], str) == 0)
        {
          *severity = (NtPvSeverity)i;
          return TRUE;
        }
    }
  return FALSE;
}
