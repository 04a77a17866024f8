/* nt-facility-drawing.c: the storage ring and its beamline ports, live
 *
 * A picture for visitors: the ring, the linac that fills it, and each
 * beamline leaving the ring at the place of its number, its end coloured
 * by the beamline's front-end shutter (open, closed, moving, fault, or not
 * known). Colours are the named colours nt_port_*_color of data/style.css.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-facility-drawing"

#include "config.h"

#include <math.h>
#include <stdio.h>

#include "nt-facility-drawing.h"
#include "nt-i18n.h"
#include "nt-view-property.h"
#include "nt-pv-watch.h"
#include "nt-widget-util.h"

/* The ring has 16 cells; beamline n leaves from cell n. */
#define N_CELLS 16

typedef struct
{
  char        *id;       /* "BL02U" */
  guint        sig;      /* its front-end shutter in the watch */
  int          cell;     /* 1..16 */
  gboolean     wiggler;  /* W beamlines sit just after the U of their cell */
  NtPortState  state;
} Port;

struct _NtFacilityDrawing
{
  GtkWidget    parent_instance;

  NtContext   *context;
  NtPvWatch   *watch;
  GArray      *ports;        /* of Port */
  char        *description;
  char        *language;
};

G_DEFINE_FINAL_TYPE (NtFacilityDrawing, nt_facility_drawing, GTK_TYPE_WIDGET)

static void
port_clear (gpointer data)
{
  Port *port = data;

  g_free (port->id);
}

static const char *
port_state_words (NtPortState state)
{
  switch (state)
    {
    case NT_PORT_OPEN:
      return _("shutter open");
    case NT_PORT_CLOSED:
      return _("shutter closed");
    case NT_PORT_MOVING:
      return _("shutter moving");
    case NT_PORT_FAULT:
      return _("shutter fault");
    case NT_PORT_UNKNOWN:
    default:
      return _("state not known");
    }
}

static const char *
port_color_name (NtPortState state)
{
  switch (state)
    {
    case NT_PORT_OPEN:
      return "nt_port_open_color";
    case NT_PORT_CLOSED:
      return "nt_port_closed_color";
    case NT_PORT_MOVING:
      return "nt_port_moving_color";
    case NT_PORT_FAULT:
      return "nt_port_fault_color";
    case NT_PORT_UNKNOWN:
    default:
      return "nt_port_unknown_color";
    }
}

static NtPortState
state_from_record (NtPvRecord *record)
{
  const char *text;

  if (record == NULL || !nt_pv_record_is_live (record))
    return NT_PORT_UNKNOWN;

  text = nt_pv_record_get_enum_text (record);
  if (text == NULL)
    text = nt_pv_record_get_string (record);

  if (g_strcmp0 (text, "Open") == 0)
    return NT_PORT_OPEN;
  if (g_strcmp0 (text, "Closed") == 0)
    return NT_PORT_CLOSED;
  if (g_strcmp0 (text, "Moving") == 0)
    return NT_PORT_MOVING;
  if (g_strcmp0 (text, "Fault") == 0)
    return NT_PORT_FAULT;

  return NT_PORT_UNKNOWN;
}

static void
update_accessible (NtFacilityDrawing *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_auto(NtLanguageScope) scope = NT_LANGUAGE_SCOPE_INIT;

  nt_language_scope_enter (&scope, self->language);
  /* Translators: the start of the description of the ring picture */
  g_string_append (text, _("The storage ring with its beamlines."));
  for (guint i = 0; i < self->ports->len; i++)
    {
      Port *port = &g_array_index (self->ports, Port, i);

      g_string_append_c (text, ' ');
      /* Translators: one beamline in the ring picture: "BL02U: shutter open." */
      g_string_append_printf (text, _("%s: %s."), port->id, port_state_words (port->state));
    }

  if (g_strcmp0 (text->str, self->description) == 0)
    return;

  g_free (self->description);
  self->description = g_string_free (g_steal_pointer (&text), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Storage ring and beamlines"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->description,
                                  -1);
}

static void
refresh (NtFacilityDrawing *self)
{
  gboolean changed = FALSE;

  for (guint i = 0; i < self->ports->len; i++)
    {
      Port *port = &g_array_index (self->ports, Port, i);
      NtPortState state = state_from_record (nt_pv_watch_lookup (self->watch, port->sig));

      if (state != port->state)
        {
          port->state = state;
          changed = TRUE;
        }
    }

  if (changed)
    gtk_widget_queue_draw (GTK_WIDGET (self));
  update_accessible (self);
}

/* Where a port's line starts on the ring, its direction, and its end. */
static void
port_geometry (const Port *port,
               double      cx,
               double      cy,
               double      radius,
               double     *x0,
               double     *y0,
               double     *x1,
               double     *y1)
{
  double angle = -G_PI / 2 + 2 * G_PI * (port->cell - 0.5) / N_CELLS + (port->wiggler ? 0.22 : 0.0);
  /* Light leaves the ring forward along the orbit; drawn here tilted
   * outwards so that neighbouring ports stay apart. */
  double dir = angle + 0.45;
  double length = radius * (port->wiggler ? 0.62 : 0.34);

  *x0 = cx + radius * cos (angle);
  *y0 = cy + radius * sin (angle);
  *x1 = *x0 + length * cos (dir);
  *y1 = *y0 + length * sin (dir);
}

static void
layout_ring (NtFacilityDrawing *self,
             double            *cx,
             double            *cy,
             double            *radius)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));

  *cx = width / 2;
  *cy = height / 2;
  *radius = MIN (width, height) / 2 * 0.55;
}

static void
nt_facility_drawing_snapshot (GtkWidget   *widget,
                              GtkSnapshot *snapshot)
{
  NtFacilityDrawing *self = NT_FACILITY_DRAWING (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  double cx, cy, radius, dot;
  GdkRGBA ring, line, label, linac;
  cairo_t *cr;

  if (width < 10 || height < 10)
    return;

  layout_ring (self, &cx, &cy, &radius);
  dot = MAX (6.0, radius * 0.06);
  nt_widget_lookup_color (GTK_WIDGET (self), "nt_ring_color", 0.9, &ring);
  nt_widget_lookup_color (GTK_WIDGET (self), "nt_beamline_line_color", 0.45, &line);
  nt_widget_lookup_color (GTK_WIDGET (self), "nt_linac_color", 0.6, &linac);
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &label);

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);

  /* The linac, inside the ring, feeding it at full energy. */
  gdk_cairo_set_source_rgba (cr, &linac);
  cairo_set_line_width (cr, MAX (4.0, radius * 0.04));
  cairo_move_to (cr, cx - radius * 0.55, cy + radius * 0.35);
  cairo_line_to (cr, cx + radius * 0.55, cy + radius * 0.35);
  cairo_stroke (cr);

  /* The ring. */
  gdk_cairo_set_source_rgba (cr, &ring);
  cairo_set_line_width (cr, MAX (5.0, radius * 0.05));
  cairo_arc (cr, cx, cy, radius, 0, 2 * G_PI);
  cairo_stroke (cr);

  for (guint i = 0; i < self->ports->len; i++)
    {
      const Port *port = &g_array_index (self->ports, Port, i);
      double x0, y0, x1, y1;
      GdkRGBA fill;
      PangoLayout *layout;
      int lw, lh;
      double lx, ly, ux, uy, len;

      port_geometry (port, cx, cy, radius, &x0, &y0, &x1, &y1);

      gdk_cairo_set_source_rgba (cr, &line);
      cairo_set_line_width (cr, MAX (2.0, radius * 0.015));
      cairo_move_to (cr, x0, y0);
      cairo_line_to (cr, x1, y1);
      cairo_stroke (cr);

      nt_widget_lookup_color (GTK_WIDGET (self), port_color_name (port->state), 0.5, &fill);
      gdk_cairo_set_source_rgba (cr, &fill);
      cairo_arc (cr, x1, y1, dot, 0, 2 * G_PI);
      cairo_fill_preserve (cr);
      gdk_cairo_set_source_rgba (cr, &label);
      cairo_set_line_width (cr, 1.0);
      cairo_stroke (cr);

      /* The beamline's name beyond its end, away from the ring's centre. */
      layout = gtk_widget_create_pango_layout (widget, port->id);
      pango_layout_get_pixel_size (layout, &lw, &lh);
      len = hypot (x1 - cx, y1 - cy);
      ux = (x1 - cx) / len;
      uy = (y1 - cy) / len;
      lx = x1 + ux * (dot + 4 + lw / 2.0) - lw / 2.0;
      ly = y1 + uy * (dot + 4 + lh / 2.0) - lh / 2.0;
      lx = CLAMP (lx, 0, MAX (0, width - lw));
      ly = CLAMP (ly, 0, MAX (0, height - lh));
      gdk_cairo_set_source_rgba (cr, &label);
      cairo_move_to (cr, lx, ly);
      pango_cairo_show_layout (cr, layout);
      g_object_unref (layout);
    }

  cairo_destroy (cr);
}

static void
nt_facility_drawing_measure (GtkWidget      *widget,
                             GtkOrientation  orientation,
                             int             for_size,
                             int            *minimum,
                             int            *natural,
                             int            *minimum_baseline,
                             int            *natural_baseline)
{
  *minimum = 240;
  *natural = 560;
}

/* The description, said again in the new language. */
static void
language_changed (NtFacilityDrawing *self)
{
  g_clear_pointer (&self->description, g_free);
  update_accessible (self);
}

static void
nt_facility_drawing_dispose (GObject *object)
{
  NtFacilityDrawing *self = (NtFacilityDrawing *)object;

  g_clear_pointer (&self->watch, nt_pv_watch_free);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (nt_facility_drawing_parent_class)->dispose (object);
}

static void
nt_facility_drawing_finalize (GObject *object)
{
  NtFacilityDrawing *self = (NtFacilityDrawing *)object;

  g_clear_pointer (&self->ports, g_array_unref);
  g_clear_pointer (&self->description, g_free);
  g_clear_pointer (&self->language, g_free);

  G_OBJECT_CLASS (nt_facility_drawing_parent_class)->finalize (object);
}

static void
nt_facility_drawing_class_init (NtFacilityDrawingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = nt_facility_drawing_dispose;
  object_class->finalize = nt_facility_drawing_finalize;

  /**
   * NtFacilityDrawing:language:
   *
   * The language of the picture's description ("en", "ja"), or %NULL for
   * the session's: the kiosk's.
   */
  nt_language_property_install (object_class, G_STRUCT_OFFSET (NtFacilityDrawing, language),
                                G_CALLBACK (language_changed));

  widget_class->snapshot = nt_facility_drawing_snapshot;
  widget_class->measure = nt_facility_drawing_measure;

  gtk_widget_class_set_css_name (widget_class, "facility-drawing");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
nt_facility_drawing_init (NtFacilityDrawing *self)
{
  self->ports = g_array_new (FALSE, TRUE, sizeof (Port));
  g_array_set_clear_func (self->ports, port_clear);
}

GtkWidget *
nt_facility_drawing_new (NtContext *context)
{
  NtFacilityDrawing *self;
  NtCatalogue *catalogue;

  g_return_val_if_fail (NT_IS_CONTEXT (context), NULL);

  self = g_object_new (NT_TYPE_FACILITY_DRAWING, NULL);
  self->context = g_object_ref (context);

  catalogue = nt_context_get_catalogue (context);
  if (catalogue != NULL)
    {
      GListModel *beamlines = nt_catalogue_get_beamlines (catalogue);

      for (guint i = 0; i < g_list_model_get_n_items (beamlines); i++)
        {
          g_autoptr(NtBeamline) beamline = g_list_model_get_item (beamlines, i);
          const char *id = nt_beamline_get_id (beamline);
          Port port = { 0 };
          int cell = 0;
          char kind = 0;

          if (sscanf (id, "BL%2d%c", &cell, &kind) != 2 || cell < 1 || cell > N_CELLS)
            {
              g_debug ("beamline %s has no place on the ring", id);
              continue;
            }
          port.id = g_strdup (id);
          port.cell = cell;
          port.wiggler = kind == 'W';
          port.state = NT_PORT_UNKNOWN;
          g_array_append_val (self->ports, port);
        }
    }

  self->watch = nt_pv_watch_new (context, G_CALLBACK (refresh), G_CALLBACK (refresh), G_CALLBACK (refresh), self);
  for (guint i = 0; i < self->ports->len; i++)
    {
      Port *port = &g_array_index (self->ports, Port, i);
      g_autofree char *key = g_strdup_printf ("bl.%s.fe_shutter", port->id);

      port->sig = nt_pv_watch_add (self->watch, key);
    }
  nt_pv_watch_start (self->watch);

  return GTK_WIDGET (self);
}

NtPortState
nt_facility_drawing_get_port_state (NtFacilityDrawing *self,
                                    const char        *beamline_id)
{
  g_return_val_if_fail (NT_IS_FACILITY_DRAWING (self), NT_PORT_UNKNOWN);

  for (guint i = 0; i < self->ports->len; i++)
    if (g_strcmp0 (g_array_index (self->ports, Port, i).id, beamline_id) == 0)
      return g_array_index (self->ports, Port, i).state;

  return NT_PORT_UNKNOWN;
}

guint
nt_facility_drawing_count_ports (NtFacilityDrawing *self,
                                 NtPortState        state)
{
  guint n = 0;

  g_return_val_if_fail (NT_IS_FACILITY_DRAWING (self), 0);

  for (guint i = 0; i < self->ports->len; i++)
    if (g_array_index (self->ports, Port, i).state == state)
      n++;

  return n;
}

/**
 * nt_facility_drawing_get_description:
 *
 * Returns: the accessible description: every beamline and its state
 */
const char *
nt_facility_drawing_get_description (NtFacilityDrawing *self)
{
  g_return_val_if_fail (NT_IS_FACILITY_DRAWING (self), NULL);
  return self->description;
}

/**
 * nt_facility_drawing_get_port_position:
 *
 * Where the coloured end of a beamline is drawn, in widget coordinates.
 *
 * Returns: whether the beamline is drawn
 */
gboolean
nt_facility_drawing_get_port_position (NtFacilityDrawing *self,
                                       const char        *beamline_id,
                                       double            *x,
                                       double            *y)
{
  g_return_val_if_fail (NT_IS_FACILITY_DRAWING (self), FALSE);

  for (guint i = 0; i < self->ports->len; i++)
    {
      const Port *port = &g_array_index (self->ports, Port, i);
      double cx, cy, radius, x0, y0;

      if (g_strcmp0 (port->id, beamline_id) != 0)
        continue;
      layout_ring (self, &cx, &cy, &radius);
      port_geometry (port, cx, cy, radius, &x0, &y0, x, y);
      return TRUE;
    }

  return FALSE;
}
