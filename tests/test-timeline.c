/* test-timeline.c: the timeline and the Allocations area against the real
 * reference services, under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One reference facility (seeded demo year) serves every test.  Pointer
 * drags and key presses go through the timeline's own input paths
 * (nt_timeline_drag_*, nt_timeline_handle_key), which its gesture and key
 * controllers call: GTK cannot synthesise input.
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "client-test-util.h"
#include "ui-test-util.h"
#include "nt-alloc-rules.h"
#include "nt-auth.h"
#include "nt-allocation-editor.h"
#include "nt-clock.h"
#include "nt-context.h"
#include "nt-schedule-page.h"
#include "nt-timeline.h"
#include "test-instants.h"

#define STATION "BL02U"
#define SHIFT   (8 * 3600)

static TestFacility *tf;
static char         *token;
static char         *proposal_id;

static void
result_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

typedef struct
{
  NtContext      *context;
  GtkWidget      *window;
  NtSchedulePage *page;
  NtTimeline     *timeline;
} Console;

static void
console_open_as (Console            *c,
                 const char         *with_token,
                 NtTimelineEditMode  mode,
                 gboolean            editing)
{
  g_autoptr(GSettings) settings = g_settings_new ("jp.nanoterasu.Console");

  c->context = nt_context_new (settings, tf->base_uri);
  nt_context_set_token (c->context, with_token);
  c->page = NT_SCHEDULE_PAGE (nt_schedule_page_new (c->context, mode));
  c->timeline = nt_schedule_page_get_timeline (c->page);
  c->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (c->window), 1400, 800);
  gtk_window_set_child (GTK_WINDOW (c->window), GTK_WIDGET (c->page));
  gtk_window_present (GTK_WINDOW (c->window));

  nt_context_start (c->context);
  g_assert_true (SPIN_UNTIL (nt_schedule_page_is_loaded (c->page), 30000));
  g_assert_true (SPIN_UNTIL (gtk_widget_get_width (GTK_WIDGET (c->timeline)) > 600, 5000));
  g_assert_true (SPIN_UNTIL (nt_schedule_page_get_can_edit (c->page) == editing, 5000));
  spin_for (200);
  g_assert_cmpint (nt_schedule_page_get_can_edit (c->page), ==, editing);
  g_assert_cmpint (nt_timeline_get_edit_mode (c->timeline), ==, editing ? mode : NT_TIMELINE_EDIT_NONE);
}

static void
console_open (Console *c)
{
  console_open_as (c, token, NT_TIMELINE_EDIT_ALLOCATIONS, TRUE);
}

static void
console_close (Console *c)
{
  nt_context_shutdown (c->context);
  gtk_window_destroy (GTK_WINDOW (c->window));
  spin_for (100);
  /* Calls cancelled by the shutdown still hold the context until their
   * callbacks have run: on a loaded machine that takes a moment. */
  g_assert_true (SPIN_UNTIL (G_OBJECT (c->context)->ref_count == 1, 10000));
  g_assert_finalize_object (g_steal_pointer (&c->context));
}

/* The start of @n free shifts in a row on @station inside user operation,
 * from @after on. */
static gint64
find_free_shifts (NtTimeline *timeline,
                  const char *station,
                  gint64      after,
                  guint       n)
{
  NtTimeGrid grid = NT_TIME_GRID_SHIFT_DEFAULT;
  g_autoptr(GArray) plan = nt_timeline_dup_plan_spans (timeline);
  gint64 fy_start, fy_end;

  nt_time_fiscal_year_bounds (nt_time_fiscal_year_of (after), &fy_start, &fy_end);
  for (gint64 t = nt_time_grid_ceil (&grid, after); t + n * SHIFT < fy_end; t += SHIFT)
    if (nt_rules_slot_fits_plan (plan, NT_SLOT_PUBLIC, t, t + n * SHIFT) &&
        nt_timeline_find_overlap (timeline, station, t, t + n * SHIFT, NULL) == NULL)
      return t;

  g_assert_not_reached ();
}

/* The timeline's own object (transfer none) of the booking of @station at
 * @start: the list's objects are the caller's alone. */
static NtAllocation *
find_at (NtTimeline *timeline,
         const char *station,
         gint64      start)
{
  g_autoptr(GPtrArray) all = nt_timeline_list (timeline, NT_TYPE_ALLOCATION);

  for (guint i = 0; i < all->len; i++)
    {
      NtAllocation *a = g_ptr_array_index (all, i);

      if (g_str_equal (nt_allocation_get_station (a), station) && nt_allocation_get_start (a) == start)
        return nt_timeline_lookup (timeline, NT_TYPE_ALLOCATION, nt_allocation_get_id (a));
    }
  return NULL;
}

/* The allocation as the service has it now (NULL: gone), read with a
 * client of the test's own. */
static NtAllocation *
server_get (gint64 id)
{
  g_autoptr(NtScheduleClient) client = nt_schedule_client_new (tf->base_uri, token);
  g_autofree char *sid = g_strdup_printf ("%lld", (long long)id);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gpointer object;

  nt_schedule_client_get_object_async (client, NT_TYPE_ALLOCATION, sid, NULL,
                                       result_cb, &result);
  g_assert_true (SPIN_UNTIL (result != NULL, 10000));
  object = nt_schedule_client_get_object_finish (client, result, &error);
  if (object == NULL)
    g_assert_nonnull (error);
  return object;
}

static void
show_around (NtTimeline *timeline,
             gint64      t)
{
  nt_timeline_set_view (timeline, t - 86400, t + 2 * 86400);
  spin_for (50);
}

static void
drag (NtTimeline *timeline,
      guint       row,
      gint64      from,
      gint64      to)
{
  double y = nt_timeline_y_for_row (timeline, row);

  nt_timeline_drag_begin (timeline, nt_timeline_x_for_time (timeline, from), y);
  nt_timeline_drag_update (timeline, nt_timeline_x_for_time (timeline, (from + to) / 2), y);
  nt_timeline_drag_end (timeline, nt_timeline_x_for_time (timeline, to), y);
}

/* Saves the open editor with the test's proposal. */
static void
save_editor (Console *c)
{
  GtkWidget *dialog;

  g_assert_true (SPIN_UNTIL (nt_schedule_page_get_dialog (c->page) != NULL, 2000));
  dialog = nt_schedule_page_get_dialog (c->page);
  g_assert_true (NT_IS_ALLOCATION_EDITOR (dialog));
  nt_allocation_editor_set_proposal (NT_ALLOCATION_EDITOR (dialog), proposal_id);
  nt_allocation_editor_set_note (NT_ALLOCATION_EDITOR (dialog), "made by test-timeline");
  g_object_ref (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "save");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_object_unref (dialog);
  g_assert_null (nt_schedule_page_get_dialog (c->page));
}

static void
test_rows (void)
{
  Console c = { 0 };
  NtTimeline *timeline;

  console_open (&c);
  timeline = c.timeline;

  /* The run plan on top, then every station; BL08W's three under it. */
  g_assert_cmpint (nt_timeline_get_row_kind (timeline, 0), ==, NT_TIMELINE_ROW_PLAN);
  g_assert_cmpint (nt_timeline_find_row (timeline, "BL02U"), ==, 1);
  {
    int xafs = nt_timeline_find_row (timeline, "BL08W-XAFS");

    g_assert_cmpint (xafs, >, 1);
    g_assert_cmpint (nt_timeline_get_row_kind (timeline, xafs - 1), ==, NT_TIMELINE_ROW_GROUP);
    g_assert_cmpstr (nt_timeline_get_row_label (timeline, xafs - 1), ==, "BL08W");
    g_assert_cmpint (nt_timeline_find_row (timeline, "BL08W-SAXS"), ==, xafs + 1);
    g_assert_cmpint (nt_timeline_find_row (timeline, "BL08W-XRD"), ==, xafs + 2);
  }
  g_assert_cmpuint (nt_timeline_get_n_rows (timeline), ==, 1 + 1 + 12);

  /* The seeded year is read: periods and allocations, and the summary. */
  g_assert_cmpuint (nt_timeline_get_n_items (timeline, NT_TYPE_RUN_PERIOD), >, 10);
  g_assert_cmpuint (nt_timeline_get_n_items (timeline, NT_TYPE_ALLOCATION), >, 100);
  g_assert_true (SPIN_UNTIL (nt_schedule_page_get_summary (c.page) != NULL, 5000));
  {
    JsonObject *summary = json_node_get_object (nt_schedule_page_get_summary (c.page));

    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (summary, "sections")), ==, 3);
  }

  /* Zoom keys, fit, and a frame drawn. */
  {
    gint64 a, b, a2, b2;
    g_autoptr(GskRenderNode) node = NULL;

    nt_timeline_fit (timeline);
    nt_timeline_get_view (timeline, &a, &b);
    g_assert_true (nt_timeline_handle_key (timeline, GDK_KEY_plus, 0));
    nt_timeline_get_view (timeline, &a2, &b2);
    g_assert_cmpint (b2 - a2, <, b - a);
    g_assert_true (nt_timeline_handle_key (timeline, GDK_KEY_0, 0));
    nt_timeline_get_view (timeline, &a2, &b2);
    g_assert_cmpint (b2 - a2, ==, b - a);
    node = nt_timeline_render_node (timeline);
    g_assert_nonnull (node);
  }

  console_close (&c);
}

/* Drag-create snapped to the shift grid; a drag into an overlap refused
 * with its reason; undo and redo reach the service. */
static void
test_drag_create_undo_redo (void)
{
  Console c = { 0 };
  NtTimeline *timeline;
  NtAllocation *made;
  g_autoptr(NtAllocation) stored = NULL;
  guint row;
  gint64 t, id, n_before;

  console_open (&c);
  timeline = c.timeline;
  row = (guint)nt_timeline_find_row (timeline, STATION);

  t = find_free_shifts (timeline, STATION, nt_clock_now (), 2);
  show_around (timeline, t);
  n_before = nt_timeline_get_n_items (timeline, NT_TYPE_ALLOCATION);

  /* From one hour in to seven hours in: the whole shift [t, t + 8 h). */
  drag (timeline, row, t + 3600, t + 7 * 3600);
  g_assert_null (nt_timeline_get_drag_message (timeline));
  save_editor (&c);
  g_assert_true (SPIN_UNTIL (nt_schedule_page_get_n_pending (c.page) == 0 && (made = find_at (timeline, STATION, t)) != NULL, 5000));
  g_assert_cmpint (nt_allocation_get_end (made), ==, t + SHIFT);
  g_assert_cmpint (nt_allocation_get_slot (made), ==, NT_SLOT_PUBLIC);
  g_assert_cmpstr (nt_allocation_get_proposal (made), ==, proposal_id);
  id = nt_allocation_get_id (made);
  g_assert_cmpint (id, >, 0);
  stored = server_get (id);
  g_assert_nonnull (stored);
  g_assert_cmpint (nt_allocation_get_start (stored), ==, t);
  g_assert_cmpint (nt_allocation_get_end (stored), ==, t + SHIFT);
  /* The summary beside the timeline is read again after the change. */
  {
    gint64 rev = nt_allocation_get_revision (stored);

    g_assert_true (SPIN_UNTIL (nt_schedule_page_get_summary (c.page) != NULL &&
                               json_object_get_int_member (json_node_get_object (nt_schedule_page_get_summary (c.page)),
                                                           "revision") >= rev, 5000));
  }
  g_clear_object (&stored);
  g_assert_true (nt_schedule_page_can_undo (c.page));
  g_assert_cmpstr (nt_schedule_page_get_undo_label (c.page), ==, "create allocation on BL02U");
  g_assert_cmpuint (nt_timeline_get_n_items (timeline, NT_TYPE_ALLOCATION), ==, n_before + 1);

  /* A new drag across the one just made: refused while dragging, with
   * the reason, and nothing is sent. */
  {
    double y = nt_timeline_y_for_row (timeline, row);

    nt_timeline_drag_begin (timeline, nt_timeline_x_for_time (timeline, t + SHIFT + 3600), y);
    nt_timeline_drag_update (timeline, nt_timeline_x_for_time (timeline, t + 3600), y);
    g_assert_nonnull (nt_timeline_get_drag_message (timeline));
    g_assert_true (g_str_has_prefix (nt_timeline_get_drag_message (timeline), "Overlaps another allocation of BL02U"));
    nt_timeline_drag_end (timeline, nt_timeline_x_for_time (timeline, t + 3600), y);
    g_assert_null (nt_schedule_page_get_dialog (c.page));
    g_assert_cmpuint (nt_schedule_page_get_n_pending (c.page), ==, 0);
    g_assert_cmpuint (nt_timeline_get_n_items (timeline, NT_TYPE_ALLOCATION), ==, n_before + 1);
  }

  /* A drag from its middle by 1.3 shifts moves it by one whole shift
   * (public time snaps to the shift grid); undo moves it back. */
  {
    double y = nt_timeline_y_for_row (timeline, row);
    gint64 mid = t + SHIFT / 2;

    nt_timeline_drag_begin (timeline, nt_timeline_x_for_time (timeline, mid), y);
    nt_timeline_drag_update (timeline, nt_timeline_x_for_time (timeline, mid + SHIFT / 2), y);
    nt_timeline_drag_end (timeline, nt_timeline_x_for_time (timeline, mid + SHIFT * 13 / 10), y);
    g_assert_null (nt_timeline_get_drag_message (timeline));
    g_assert_true (SPIN_UNTIL (nt_schedule_page_get_n_pending (c.page) == 0, 5000));
    stored = server_get (id);
    g_assert_cmpint (nt_allocation_get_start (stored), ==, t + SHIFT);
    g_assert_cmpint (nt_allocation_get_end (stored), ==, t + 2 * SHIFT);
    g_clear_object (&stored);
    g_assert_cmpstr (nt_schedule_page_get_undo_label (c.page), ==, "move allocation on BL02U");

    nt_schedule_page_undo (c.page);
    g_assert_true (SPIN_UNTIL (nt_schedule_page_get_n_pending (c.page) == 0, 5000));
    stored = server_get (id);
    g_assert_cmpint (nt_allocation_get_start (stored), ==, t);
    g_clear_object (&stored);
    g_assert_nonnull (find_at (timeline, STATION, t));
  }

  /* Undo: the service deletes it. */
  nt_schedule_page_undo (c.page);
  g_assert_true (SPIN_UNTIL (nt_schedule_page_get_n_pending (c.page) == 0 &&
                             find_at (timeline, STATION, t) == NULL, 5000));
  stored = server_get (id);
  g_assert_null (stored);
  g_assert_true (nt_schedule_page_can_redo (c.page));

  /* Redo: made again (a new id), on the service too. */
  nt_schedule_page_redo (c.page);
  g_assert_true (SPIN_UNTIL (nt_schedule_page_get_n_pending (c.page) == 0 &&
                             (made = find_at (timeline, STATION, t)) != NULL, 5000));
  g_assert_cmpint (nt_allocation_get_id (made), !=, id);
  id = nt_allocation_get_id (made);
  stored = server_get (id);
  g_assert_nonnull (stored);
  g_assert_cmpstr (nt_allocation_get_note (stored), ==, "made by test-timeline");
  g_clear_object (&stored);

  /* The move can be redone too (on the new id), then everything undone. */
  g_assert_true (nt_schedule_page_can_redo (c.page));
  nt_schedule_page_redo (c.page);
  g_assert_true (SPIN_UNTIL (nt_schedule_page_get_n_pending (c.page) == 0 &&
                             find_at (timeline, STATION, t + SHIFT) != NULL, 5000));
  stored = server_get (id);
  g_assert_cmpint (nt_allocation_get_start (stored), ==, t + SHIFT);
  g_clear_object (&stored);
  nt_schedule_page_undo (c.page);
  g_assert_true (SPIN_UNTIL (nt_schedule_page_get_n_pending (c.page) == 0 &&
                             find_at (timeline, STATION, t) != NULL, 5000));

  /* Undo once more and leave the year as it was. */
  nt_schedule_page_undo (c.page);
  g_assert_true (SPIN_UNTIL (nt_schedule_page_get_n_pending (c.page) == 0 &&
                             find_at (timeline, STATION, t) == NULL, 5000));

  console_close (&c);
}

static void
set_dpi (int dpi)
{
  g_object_set (gtk_settings_get_default (), "gtk-xft-dpi", dpi, NULL);
}

static double
row_height (NtTimeline *timeline)
{
  double h;

  nt_timeline_get_metrics (timeline, NULL, NULL, &h, NULL);
  return h;
}

/* Every row header, the axis's words and the bars' line of text fit the
 * timeline's metrics, measured with the timeline's own font. */
static void
assert_text_fits (NtTimeline *timeline)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (timeline), NULL);
  double header_w, axis_h, row_h, group_h;
  int w, h, line_h = 0, widest = 0;

  nt_timeline_get_metrics (timeline, &header_w, &axis_h, &row_h, &group_h);
  for (guint i = 0; i < nt_timeline_get_n_rows (timeline); i++)
    {
      const char *station = nt_timeline_get_row_station (timeline, i);
      /* Branch stations are indented under their beamline. */
      int indent = station != NULL && strchr (station, '-') != NULL ? 18 : 8;

      pango_layout_set_text (layout, nt_timeline_get_row_label (timeline, i), -1);
      pango_layout_get_pixel_size (layout, &w, &h);
      widest = MAX (widest, indent + w);
      line_h = MAX (line_h, h);

      /* Rows are laid out with these heights. */
      if (i + 1 < nt_timeline_get_n_rows (timeline))
        g_assert_cmpfloat_with_epsilon (nt_timeline_y_for_row (timeline, i + 1) - nt_timeline_y_for_row (timeline, i),
                                        ((nt_timeline_get_row_kind (timeline, i) == NT_TIMELINE_ROW_GROUP ? group_h : row_h) +
                                         (nt_timeline_get_row_kind (timeline, i + 1) == NT_TIMELINE_ROW_GROUP ? group_h : row_h)) / 2,
                                        0.01);
    }
  pango_layout_set_text (layout, "2026-10-31 Sat 23:00", -1);
  pango_layout_get_pixel_size (layout, &w, &h);
  line_h = MAX (line_h, h);

  g_test_message ("a line of %d px, widest header %d px: rows %.0f, groups %.0f, axis %.0f, headers %.0f",
                  line_h, widest, row_h, group_h, axis_h, header_w);
  g_assert_cmpfloat (header_w, >=, widest + 4);
  /* A bar (4 px inside its row, top and bottom) holds a line. */
  g_assert_cmpfloat (row_h - 8, >=, line_h);
  g_assert_cmpfloat (group_h, >=, line_h);
  /* Two lines of labels on the axis. */
  g_assert_cmpfloat (axis_h, >=, 2 * line_h);
  /* And the widget asks for room for all of it. */
  {
    int min_w, min_h;

    gtk_widget_measure (GTK_WIDGET (timeline), GTK_ORIENTATION_HORIZONTAL, -1, &min_w, NULL, NULL, NULL);
    gtk_widget_measure (GTK_WIDGET (timeline), GTK_ORIENTATION_VERTICAL, -1, &min_h, NULL, NULL, NULL);
    g_assert_cmpint (min_w, >, header_w);
    g_assert_cmpint (min_h, >=, axis_h + 3 * row_h);
  }
}

/* Large text: the rows, the axis and the header column grow to fit their
 * words (at the normal size they keep their sizes), and a drag still
 * lands on the shift grid. */
static void
test_large_text (void)
{
  Console c = { 0 };
  double header_w, axis_h, row_h, group_h;
  double large_header_w, large_axis_h, large_row_h, large_group_h;
  int dpi;

  g_object_get (gtk_settings_get_default (), "gtk-xft-dpi", &dpi, NULL);
  g_assert_cmpint (dpi, <, LARGE_TEXT_DPI);

  /* The Run plan area at the normal size, then at 1.5×, and back. */
  console_open_as (&c, token, NT_TIMELINE_EDIT_PLAN, TRUE);
  nt_timeline_get_metrics (c.timeline, &header_w, &axis_h, &row_h, &group_h);
  g_assert_cmpfloat (header_w, ==, 150);
  g_assert_cmpfloat (axis_h, ==, 40);
  g_assert_cmpfloat (row_h, ==, 30);
  g_assert_cmpfloat (group_h, ==, 22);
  assert_text_fits (c.timeline);
  ui_test_save_png (c.window, "run-plan-normal-text.png");

  set_dpi (LARGE_TEXT_DPI);
  g_assert_true (SPIN_UNTIL (row_height (c.timeline) > row_h, 2000));
  spin_for (200);
  nt_timeline_get_metrics (c.timeline, &large_header_w, &large_axis_h, &large_row_h, &large_group_h);
  g_assert_cmpfloat (large_header_w, >=, header_w);
  g_assert_cmpfloat (large_axis_h, >, axis_h);
  g_assert_cmpfloat (large_group_h, >, group_h);
  assert_text_fits (c.timeline);
  ui_test_save_png (c.window, "run-plan-large-text.png");

  set_dpi (dpi);
  g_assert_true (SPIN_UNTIL (row_height (c.timeline) == row_h, 2000));
  nt_timeline_get_metrics (c.timeline, &large_header_w, &large_axis_h, NULL, &large_group_h);
  g_assert_cmpfloat (large_header_w, ==, header_w);
  g_assert_cmpfloat (large_axis_h, ==, axis_h);
  g_assert_cmpfloat (large_group_h, ==, group_h);
  console_close (&c);

  /* The Allocations area opened at 1.5×: a drag from an hour into a
   * shift to seven hours in, near the lower edge of the (taller) row,
   * makes the whole shift. */
  set_dpi (LARGE_TEXT_DPI);
  console_open (&c);
  {
    NtTimeline *timeline = c.timeline;
    guint row = (guint)nt_timeline_find_row (timeline, STATION);
    gint64 t = find_free_shifts (timeline, STATION, nt_clock_now (), 1);
    NtAllocation *made = NULL;
    double y;

    g_assert_cmpfloat (row_height (timeline), >, row_h);
    assert_text_fits (timeline);
    show_around (timeline, t);
    y = nt_timeline_y_for_row (timeline, row) + row_height (timeline) / 2 - 2;
    nt_timeline_drag_begin (timeline, nt_timeline_x_for_time (timeline, t + 3600), y);
    nt_timeline_drag_update (timeline, nt_timeline_x_for_time (timeline, t + 4 * 3600), y);
    nt_timeline_drag_end (timeline, nt_timeline_x_for_time (timeline, t + 7 * 3600), y);
    g_assert_null (nt_timeline_get_drag_message (timeline));
    save_editor (&c);
    g_assert_true (SPIN_UNTIL (nt_schedule_page_get_n_pending (c.page) == 0 &&
                               (made = find_at (timeline, STATION, t)) != NULL, 5000));
    g_assert_cmpint (nt_allocation_get_end (made), ==, t + SHIFT);
    g_assert_cmpstr (nt_allocation_get_station (made), ==, STATION);

    /* The bar is drawn where the pointer took it. */
    {
      graphene_rect_t area;

      g_assert_true (nt_timeline_get_item_area (timeline, made, &area));
      g_assert_cmpfloat (fabs (area.origin.x - nt_timeline_x_for_time (timeline, t)), <=, 1);
      g_assert_cmpfloat (fabs (area.origin.y + area.size.height / 2 - nt_timeline_y_for_row (timeline, row)), <=, 1);
      g_assert_cmpfloat (area.size.height, ==, row_height (timeline) - 8);
    }
    spin_for (200);
    ui_test_save_png (GTK_WIDGET (c.page), "allocations-large-text.png");
    /* Zoomed to hours: the axis's labels do not run into each other. */
    nt_timeline_set_view (timeline, t - 6 * 3600, t + 18 * 3600);
    spin_for (100);
    ui_test_save_png (GTK_WIDGET (c.page), "allocations-large-text-hours.png");

    /* Leave the year as it was. */
    nt_schedule_page_undo (c.page);
    g_assert_true (SPIN_UNTIL (nt_schedule_page_get_n_pending (c.page) == 0 &&
                               find_at (timeline, STATION, t) == NULL, 5000));
  }
  set_dpi (dpi);
  console_close (&c);
}

/* Keyboard only: select, create after it, move by a shift, delete. */
static void
test_keyboard (void)
{
  Console c = { 0 };
  NtTimeline *timeline;
  NtAllocation *a;
  g_autoptr(NtAllocation) stored = NULL;
  gint64 t, id;
  guint row;

  console_open (&c);
  timeline = c.timeline;
  row = (guint)nt_timeline_find_row (timeline, STATION);

  /* Three free shifts; an allocation is made in the first with a drag,
   * the rest by keys. */
  t = find_free_shifts (timeline, STATION, nt_clock_now () + 20 * 86400, 3);
  show_around (timeline, t);
  drag (timeline, row, t + 3600, t + 2 * 3600);
  save_editor (&c);
  g_assert_true (SPIN_UNTIL (nt_schedule_page_get_n_pending (c.page) == 0 && (a = find_at (timeline, STATION, t)) != NULL, 5000));
  nt_timeline_select (timeline, a);

  /* Insert: a one-shift allocation right after the selection. */
  g_assert_true (nt_timeline_handle_key (timeline, GDK_KEY_Insert, 0));
  save_editor (&c);
  g_assert_true (SPIN_UNTIL (nt_schedule_page_get_n_pending (c.page) == 0 && (a = find_at (timeline, STATION, t + SHIFT)) != NULL, 5000));
  id = nt_allocation_get_id (a);
  g_assert_true (nt_timeline_get_selected (timeline) != NULL);
  g_assert_cmpint (nt_allocation_get_id (nt_timeline_get_selected (timeline)), ==, id);

  /* Alt+Right: moved one shift later, on the service. */
  g_assert_true (nt_timeline_handle_key (timeline, GDK_KEY_Right, GDK_ALT_MASK));
  g_assert_true (SPIN_UNTIL (nt_schedule_page_get_n_pending (c.page) == 0 &&
                             find_at (timeline, STATION, t + 2 * SHIFT) != NULL, 5000));
  stored = server_get (id);
  g_assert_cmpint (nt_allocation_get_start (stored), ==, t + 2 * SHIFT);
  g_clear_object (&stored);

  /* Alt+Left: back one shift; again: into the first one, refused before
   * anything is sent, with the reason. */
  g_assert_true (nt_timeline_handle_key (timeline, GDK_KEY_Left, GDK_ALT_MASK));
  g_assert_true (SPIN_UNTIL (nt_schedule_page_get_n_pending (c.page) == 0 &&
                             find_at (timeline, STATION, t + SHIFT) != NULL, 5000));
  g_assert_true (nt_timeline_handle_key (timeline, GDK_KEY_Left, GDK_ALT_MASK));
  g_assert_cmpuint (nt_schedule_page_get_n_pending (c.page), ==, 0);
  g_assert_true (g_str_has_prefix (nt_timeline_get_drag_message (timeline), "Overlaps another allocation"));
  g_assert_nonnull (find_at (timeline, STATION, t + SHIFT));

  /* Left selects the previous one, Right comes back; Delete deletes. */
  g_assert_true (nt_timeline_handle_key (timeline, GDK_KEY_Left, 0));
  g_assert_cmpint (nt_allocation_get_start (nt_timeline_get_selected (timeline)), <, t + SHIFT);
  g_assert_true (nt_timeline_handle_key (timeline, GDK_KEY_Right, 0));
  g_assert_cmpint (nt_allocation_get_id (nt_timeline_get_selected (timeline)), ==, id);
  g_assert_true (nt_timeline_handle_key (timeline, GDK_KEY_Delete, 0));
  g_assert_true (SPIN_UNTIL (nt_schedule_page_get_n_pending (c.page) == 0, 5000));
  g_assert_null (nt_timeline_lookup (timeline, NT_TYPE_ALLOCATION, id));
  stored = server_get (id);
  g_assert_null (stored);

  /* Clean up the first one. */
  a = find_at (timeline, STATION, t);
  g_assert_nonnull (a);
  nt_timeline_select (timeline, a);
  g_assert_true (nt_timeline_handle_key (timeline, GDK_KEY_Delete, 0));
  g_assert_true (SPIN_UNTIL (nt_schedule_page_get_n_pending (c.page) == 0, 5000));

  console_close (&c);
}

/* @n free shifts in user operation on every station of @stations (NULL
 * ended), from @after on. */
static gint64
find_free_shifts_on_all (NtTimeline         *timeline,
                         const char * const *stations,
                         gint64              after,
                         guint               n)
{
  for (gint64 t = after;; t += SHIFT)
    {
      gboolean free = TRUE;

      t = find_free_shifts (timeline, stations[0], t, n);
      for (guint i = 1; stations[i] != NULL && free; i++)
        free = nt_timeline_find_overlap (timeline, stations[i], t, t + n * SHIFT, NULL) == NULL;
      if (free)
        return t;
    }
}

/* A vertical drag moves a booking to another station (and in time), on
 * the service, and one undo brings both back; a drop onto a branch
 * station (for public time), a beamline's header or the run plan is
 * refused with its reason and writes nothing; Alt+Down and Alt+Up move it
 * to the next and previous station. */
static void
test_move_station (void)
{
  Console c = { 0 };
  NtTimeline *timeline;
  NtAllocation *a;
  g_autoptr(NtAllocation) stored = NULL;
  g_autofree char *label = NULL;
  const char *next;
  guint row, next_row, saxs_row, header_row;
  gint64 t, id, revision;

  console_open (&c);
  timeline = c.timeline;
  row = (guint)nt_timeline_find_row (timeline, STATION);
  next_row = row + 1;
  g_assert_cmpint (nt_timeline_get_row_kind (timeline, next_row), ==, NT_TIMELINE_ROW_STATION);
  next = nt_timeline_get_row_station (timeline, next_row);
  g_assert_nonnull (next);
  saxs_row = (guint)nt_timeline_find_row (timeline, "BL08W-SAXS");
  header_row = (guint)nt_timeline_find_row (timeline, "BL08W-XAFS") - 1;
  g_assert_cmpint (nt_timeline_get_row_kind (timeline, header_row), ==, NT_TIMELINE_ROW_GROUP);

  /* A public booking on BL02U, with the same three shifts free on the
   * next station, BL08W's main station and the station after BL08W. */
  {
    const char *stations[] = { STATION, next, "BL08W-XAFS", "BL09U", NULL };

    t = find_free_shifts_on_all (timeline, stations, nt_clock_now () + 40 * 86400, 3);
  }
  show_around (timeline, t);
  drag (timeline, row, t + 3600, t + 2 * 3600);
  save_editor (&c);
  g_assert_true (SPIN_UNTIL (nt_schedule_page_get_n_pending (c.page) == 0 && (a = find_at (timeline, STATION, t)) != NULL, 5000));
  id = nt_allocation_get_id (a);

  /* Drag it from its middle down one row and one shift later: the bar is
   * checked against the next station while it moves, then written there. */
  {
    double x0 = nt_timeline_x_for_time (timeline, t + SHIFT / 2);
    double x1 = nt_timeline_x_for_time (timeline, t + SHIFT + SHIFT / 2);

    nt_timeline_drag_begin (timeline, x0, nt_timeline_y_for_row (timeline, row));
    nt_timeline_drag_update (timeline, x0, nt_timeline_y_for_row (timeline, next_row));
    g_assert_null (nt_timeline_get_drag_message (timeline));
    nt_timeline_drag_end (timeline, x1, nt_timeline_y_for_row (timeline, next_row));
  }
  g_assert_null (nt_timeline_get_drag_message (timeline));
  g_assert_true (SPIN_UNTIL (nt_schedule_page_get_n_pending (c.page) == 0, 5000));
  stored = server_get (id);
  g_assert_nonnull (stored);
  g_assert_cmpstr (nt_allocation_get_station (stored), ==, next);
  g_assert_cmpint (nt_allocation_get_start (stored), ==, t + SHIFT);
  g_assert_cmpint (nt_allocation_get_end (stored), ==, t + 2 * SHIFT);
  g_clear_object (&stored);
  g_assert_nonnull (find_at (timeline, next, t + SHIFT));
  g_assert_null (find_at (timeline, STATION, t));
  label = g_strdup_printf ("move %s to %s", proposal_id, next);
  g_assert_cmpstr (nt_schedule_page_get_undo_label (c.page), ==, label);

  /* One undo: back on BL02U at its old time, on the service too. */
  nt_schedule_page_undo (c.page);
  g_assert_true (SPIN_UNTIL (nt_schedule_page_get_n_pending (c.page) == 0 &&
                             find_at (timeline, STATION, t) != NULL, 5000));
  stored = server_get (id);
  g_assert_cmpstr (nt_allocation_get_station (stored), ==, STATION);
  g_assert_cmpint (nt_allocation_get_start (stored), ==, t);
  revision = nt_allocation_get_revision (stored);
  g_clear_object (&stored);
  g_assert_null (find_at (timeline, next, t + SHIFT));

  /* Onto a branch station, a beamline's header row and the run plan:
   * refused while dragging, with the reason, and nothing is written. */
  {
    struct { guint row; const char *reason; } refused[] = {
      { saxs_row, "Public beam time is not offered on branch stations" },
      { header_row, "A booking can only be moved onto a station’s row" },
      { 0, "A booking can only be moved onto a station’s row" },
    };
    double x = nt_timeline_x_for_time (timeline, t + SHIFT / 2);

    for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
      {
        double y = nt_timeline_y_for_row (timeline, refused[i].row);

        nt_timeline_drag_begin (timeline, x, nt_timeline_y_for_row (timeline, row));
        nt_timeline_drag_update (timeline, x, y);
        g_assert_cmpstr (nt_timeline_get_drag_message (timeline), ==, refused[i].reason);
        nt_timeline_drag_end (timeline, x, y);
        g_assert_cmpstr (nt_timeline_get_drag_message (timeline), ==, refused[i].reason);
        g_assert_cmpuint (nt_schedule_page_get_n_pending (c.page), ==, 0);
        g_assert_null (nt_schedule_page_get_dialog (c.page));
      }
    spin_for (200);
    stored = server_get (id);
    g_assert_cmpstr (nt_allocation_get_station (stored), ==, STATION);
    g_assert_cmpint (nt_allocation_get_revision (stored), ==, revision);
    g_clear_object (&stored);
    g_assert_nonnull (find_at (timeline, STATION, t));
  }

  /* Alt+Down: to the next station, same time; Alt+Up: back. */
  a = find_at (timeline, STATION, t);
  nt_timeline_select (timeline, a);
  g_assert_true (nt_timeline_handle_key (timeline, GDK_KEY_Down, GDK_ALT_MASK));
  g_assert_true (SPIN_UNTIL (nt_schedule_page_get_n_pending (c.page) == 0 &&
                             find_at (timeline, next, t) != NULL, 5000));
  stored = server_get (id);
  g_assert_cmpstr (nt_allocation_get_station (stored), ==, next);
  g_assert_cmpint (nt_allocation_get_start (stored), ==, t);
  g_clear_object (&stored);
  g_assert_cmpstr (nt_schedule_page_get_undo_label (c.page), ==, label);
  g_assert_nonnull (nt_timeline_get_selected (timeline));
  g_assert_cmpint (nt_allocation_get_id (nt_timeline_get_selected (timeline)), ==, id);

  g_assert_true (nt_timeline_handle_key (timeline, GDK_KEY_Up, GDK_ALT_MASK));
  g_assert_true (SPIN_UNTIL (nt_schedule_page_get_n_pending (c.page) == 0 &&
                             find_at (timeline, STATION, t) != NULL, 5000));
  stored = server_get (id);
  g_assert_cmpstr (nt_allocation_get_station (stored), ==, STATION);
  g_clear_object (&stored);

  /* Alt+Up from the first station: no station above, nothing sent, and
   * the selection stays. */
  g_assert_true (nt_timeline_handle_key (timeline, GDK_KEY_Up, GDK_ALT_MASK));
  g_assert_cmpuint (nt_schedule_page_get_n_pending (c.page), ==, 0);
  g_assert_cmpint (nt_allocation_get_id (nt_timeline_get_selected (timeline)), ==, id);

  /* Something booked on the next station one shift later: a drag there
   * is refused for the overlap on that station, and Alt+Down too. */
  drag (timeline, next_row, t + SHIFT + 3600, t + SHIFT + 2 * 3600);
  save_editor (&c);
  g_assert_true (SPIN_UNTIL (nt_schedule_page_get_n_pending (c.page) == 0 &&
                             find_at (timeline, next, t + SHIFT) != NULL, 5000));
  {
    double x0 = nt_timeline_x_for_time (timeline, t + SHIFT / 2);
    double x1 = nt_timeline_x_for_time (timeline, t + SHIFT + SHIFT / 2);
    double y = nt_timeline_y_for_row (timeline, next_row);
    g_autofree char *reason = g_strdup_printf ("Overlaps another allocation of %s", next);

    nt_timeline_drag_begin (timeline, x0, nt_timeline_y_for_row (timeline, row));
    nt_timeline_drag_update (timeline, x1, y);
    g_assert_true (g_str_has_prefix (nt_timeline_get_drag_message (timeline), reason));
    nt_timeline_drag_end (timeline, x1, y);
    g_assert_cmpuint (nt_schedule_page_get_n_pending (c.page), ==, 0);
    g_assert_nonnull (find_at (timeline, STATION, t));

    /* Moved one shift on (Alt+Right), Alt+Down is refused for the same
     * reason, before anything is sent; Alt+Left brings it back. */
    nt_timeline_select (timeline, find_at (timeline, STATION, t));
    g_assert_true (nt_timeline_handle_key (timeline, GDK_KEY_Right, GDK_ALT_MASK));
    g_assert_true (SPIN_UNTIL (nt_schedule_page_get_n_pending (c.page) == 0 &&
                               find_at (timeline, STATION, t + SHIFT) != NULL, 5000));
    g_assert_true (nt_timeline_handle_key (timeline, GDK_KEY_Down, GDK_ALT_MASK));
    g_assert_cmpuint (nt_schedule_page_get_n_pending (c.page), ==, 0);
    g_assert_true (g_str_has_prefix (nt_timeline_get_drag_message (timeline), reason));
    stored = server_get (id);
    g_assert_cmpstr (nt_allocation_get_station (stored), ==, STATION);
    g_clear_object (&stored);
    g_assert_true (nt_timeline_handle_key (timeline, GDK_KEY_Left, GDK_ALT_MASK));
    g_assert_true (SPIN_UNTIL (nt_schedule_page_get_n_pending (c.page) == 0 &&
                               find_at (timeline, STATION, t) != NULL, 5000));

    /* Clean up the one in the way. */
    nt_timeline_select (timeline, find_at (timeline, next, t + SHIFT));
    g_assert_true (nt_timeline_handle_key (timeline, GDK_KEY_Delete, 0));
    g_assert_true (SPIN_UNTIL (nt_schedule_page_get_n_pending (c.page) == 0 &&
                               find_at (timeline, next, t + SHIFT) == NULL, 5000));
  }

  /* Dragged onto BL08W's main station (public time is offered there),
   * then Alt+Down passes over its two branch stations to the next
   * beamline's station. */
  {
    guint xafs_row = (guint)nt_timeline_find_row (timeline, "BL08W-XAFS");
    double x = nt_timeline_x_for_time (timeline, t + SHIFT / 2);

    nt_timeline_drag_begin (timeline, x, nt_timeline_y_for_row (timeline, row));
    nt_timeline_drag_update (timeline, x, nt_timeline_y_for_row (timeline, xafs_row));
    g_assert_null (nt_timeline_get_drag_message (timeline));
    nt_timeline_drag_end (timeline, x, nt_timeline_y_for_row (timeline, xafs_row));
    g_assert_true (SPIN_UNTIL (nt_schedule_page_get_n_pending (c.page) == 0 &&
                               find_at (timeline, "BL08W-XAFS", t) != NULL, 5000));
    g_assert_cmpint (nt_allocation_get_id (nt_timeline_get_selected (timeline)), ==, id);
    g_assert_true (nt_timeline_handle_key (timeline, GDK_KEY_Down, GDK_ALT_MASK));
    g_assert_true (SPIN_UNTIL (nt_schedule_page_get_n_pending (c.page) == 0 &&
                               find_at (timeline, "BL09U", t) != NULL, 5000));
    stored = server_get (id);
    g_assert_cmpstr (nt_allocation_get_station (stored), ==, "BL09U");
    g_clear_object (&stored);
    g_free (label);
    label = g_strdup_printf ("move %s to BL09U", proposal_id);
    g_assert_cmpstr (nt_schedule_page_get_undo_label (c.page), ==, label);
  }

  /* Clean up. */
  g_assert_true (nt_timeline_handle_key (timeline, GDK_KEY_Delete, 0));
  g_assert_true (SPIN_UNTIL (nt_schedule_page_get_n_pending (c.page) == 0, 5000));
  stored = server_get (id);
  g_assert_null (stored);

  console_close (&c);
}

/* Two consoles: an edit in one shows in the other within a second; a second; a
 * stale edit gets the 412 dialog, and "keep mine" is reapplied. */
static void
test_two_consoles (void)
{
  Console a = { 0 }, b = { 0 };
  NtAllocation *in_a, *in_b;
  g_autoptr(NtAllocation) stored = NULL;
  gint64 t, id, moved_at;
  guint row;

  console_open (&a);
  console_open (&b);
  row = (guint)nt_timeline_find_row (a.timeline, STATION);

  t = find_free_shifts (a.timeline, STATION, nt_clock_now () + 40 * 86400, 3);
  show_around (a.timeline, t);
  drag (a.timeline, row, t + 3600, t + 2 * 3600);
  save_editor (&a);
  g_assert_true (SPIN_UNTIL (nt_schedule_page_get_n_pending (a.page) == 0 && (in_a = find_at (a.timeline, STATION, t)) != NULL, 5000));
  id = nt_allocation_get_id (in_a);

  /* B sees it within a second. */
  g_assert_true (SPIN_UNTIL (nt_timeline_lookup (b.timeline, NT_TYPE_ALLOCATION, id) != NULL, 2000));

  /* A moves it by a shift: B follows within a second. */
  nt_timeline_select (a.timeline, in_a);
  g_assert_true (nt_timeline_handle_key (a.timeline, GDK_KEY_Right, GDK_ALT_MASK));
  moved_at = g_get_monotonic_time ();
  g_assert_true (SPIN_UNTIL ((in_b = nt_timeline_lookup (b.timeline, NT_TYPE_ALLOCATION, id)) != NULL &&
                             nt_allocation_get_start (in_b) == t + SHIFT, 3000));
  /* Alone this takes well under 200 ms; the bound leaves room for a
   * loaded CI machine running other UI tests at once. */
  g_test_message ("the other console followed in %.0f ms", (g_get_monotonic_time () - moved_at) / 1000.0);
  g_assert_cmpint (g_get_monotonic_time () - moved_at, <, 2 * G_USEC_PER_SEC);

  /* B stops listening, A moves it back: B's copy is stale. */
  nt_schedule_client_stop_changes (nt_context_get_schedule_client (b.context));
  in_a = nt_timeline_lookup (a.timeline, NT_TYPE_ALLOCATION, id);
  nt_timeline_select (a.timeline, in_a);
  g_assert_true (nt_timeline_handle_key (a.timeline, GDK_KEY_Left, GDK_ALT_MASK));
  g_assert_true (SPIN_UNTIL (nt_schedule_page_get_n_pending (a.page) == 0, 5000));
  stored = server_get (id);
  g_assert_cmpint (nt_allocation_get_start (stored), ==, t);
  g_clear_object (&stored);

  /* B stretches its stale copy: 412, the dialog shows both versions. */
  show_around (b.timeline, t);
  in_b = nt_timeline_lookup (b.timeline, NT_TYPE_ALLOCATION, id);
  g_assert_cmpint (nt_allocation_get_start (in_b), ==, t + SHIFT);
  nt_timeline_select (b.timeline, in_b);
  g_assert_true (nt_timeline_handle_key (b.timeline, GDK_KEY_Right, GDK_ALT_MASK | GDK_SHIFT_MASK));
  g_assert_true (SPIN_UNTIL (nt_schedule_page_get_dialog (b.page) != NULL, 5000));
  {
    GtkWidget *dialog = nt_schedule_page_get_dialog (b.page);

    g_assert_true (ADW_IS_MESSAGE_DIALOG (dialog));
    g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==, "Changed by Someone Else");
    g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), "Yours: "));
    g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), "Theirs: "));
    /* Meanwhile B shows the version it tried to change from. */
    in_b = nt_timeline_lookup (b.timeline, NT_TYPE_ALLOCATION, id);
    g_assert_cmpint (nt_allocation_get_end (in_b), ==, t + 2 * SHIFT);

    /* Keep mine: B's change (two shifts from t + 8 h) on the new version. */
    g_object_ref (dialog);
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "mine");
    gtk_window_destroy (GTK_WINDOW (dialog));
    g_object_unref (dialog);
  }
  g_assert_true (SPIN_UNTIL (nt_schedule_page_get_n_pending (b.page) == 0 &&
                             nt_schedule_page_get_dialog (b.page) == NULL, 5000));
  stored = server_get (id);
  g_assert_cmpint (nt_allocation_get_start (stored), ==, t + SHIFT);
  g_assert_cmpint (nt_allocation_get_end (stored), ==, t + 3 * SHIFT);
  g_clear_object (&stored);

  /* A (still listening) follows. */
  g_assert_true (SPIN_UNTIL ((in_a = nt_timeline_lookup (a.timeline, NT_TYPE_ALLOCATION, id)) != NULL &&
                             nt_allocation_get_end (in_a) == t + 3 * SHIFT, 2000));

  /* Clean up. */
  nt_timeline_select (a.timeline, in_a);
  g_assert_true (nt_timeline_handle_key (a.timeline, GDK_KEY_Delete, 0));
  g_assert_true (SPIN_UNTIL (nt_schedule_page_get_n_pending (a.page) == 0, 5000));

  console_close (&b);
  console_close (&a);
}

/* A refusal by the service is shown in words and rolled back. */
static void
test_server_refusal (void)
{
  Console c = { 0 };
  NtTimeline *timeline;
  g_autoptr(NtAllocation) stored = NULL;
  NtAllocation *a;
  gint64 t, id;
  guint row;

  console_open (&c);
  timeline = c.timeline;
  row = (guint)nt_timeline_find_row (timeline, STATION);
  t = find_free_shifts (timeline, STATION, nt_clock_now () + 60 * 86400, 2);
  show_around (timeline, t);
  drag (timeline, row, t + 3600, t + 2 * 3600);
  save_editor (&c);
  g_assert_true (SPIN_UNTIL (nt_schedule_page_get_n_pending (c.page) == 0 && (a = find_at (timeline, STATION, t)) != NULL, 5000));
  id = nt_allocation_get_id (a);

  /* Someone deletes it behind this console's back (feed stopped): the
   * move is refused by the service, shown in words, and rolled back. */
  nt_schedule_client_stop_changes (nt_context_get_schedule_client (c.context));
  {
    g_autoptr(NtScheduleClient) client = nt_schedule_client_new (tf->base_uri, token);
    g_autoptr(GAsyncResult) result = NULL;

    stored = server_get (id);
    nt_schedule_client_delete_async (client, stored, NULL,
                                     result_cb, &result);
    g_assert_true (SPIN_UNTIL (result != NULL, 5000));
    g_assert_true (nt_schedule_client_delete_finish (client, result, NULL, NULL));
    g_clear_object (&stored);
  }

  nt_timeline_select (timeline, a);
  g_assert_true (nt_timeline_handle_key (timeline, GDK_KEY_Right, GDK_ALT_MASK));
  g_assert_true (SPIN_UNTIL (nt_schedule_page_get_n_pending (c.page) == 0, 5000));
  /* Said in words; the booking the service no longer has goes away. */
  g_assert_cmpstr (nt_schedule_page_get_last_message (c.page), ==,
                   "Someone else deleted this booking; it is no longer shown");
  g_assert_null (nt_timeline_lookup (timeline, NT_TYPE_ALLOCATION, id));
  g_assert_null (nt_schedule_page_get_dialog (c.page));

  /* A rule the service applies: a move into a shutdown is refused here
   * already; the service's own refusal of a public booking outside user
   * operation is shown in words and rolled back. */
  {
    g_autoptr(GArray) plan = nt_timeline_dup_plan_spans (timeline);
    NtAllocation *b;
    gint64 u = find_free_shifts (timeline, STATION, t + 2 * 86400, 1);

    show_around (timeline, u);
    drag (timeline, row, u + 3600, u + 2 * 3600);
    save_editor (&c);
    g_assert_true (SPIN_UNTIL (nt_schedule_page_get_n_pending (c.page) == 0 && (b = find_at (timeline, STATION, u)) != NULL, 5000));
    id = nt_allocation_get_id (b);

    /* A proposal id the service does not know: refused with its reason. */
    {
      GtkWidget *dialog;

      nt_timeline_select (timeline, b);
      g_assert_true (nt_timeline_handle_key (timeline, GDK_KEY_Return, 0));
      g_assert_true (SPIN_UNTIL (nt_schedule_page_get_dialog (c.page) != NULL, 2000));
      dialog = g_object_ref (nt_schedule_page_get_dialog (c.page));
      nt_allocation_editor_set_proposal (NT_ALLOCATION_EDITOR (dialog), "2026A9999");
      adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "save");
      gtk_window_destroy (GTK_WINDOW (dialog));
      g_object_unref (dialog);
    }
    g_assert_true (SPIN_UNTIL (nt_schedule_page_get_n_pending (c.page) == 0, 5000));
    g_assert_true (g_str_has_prefix (nt_schedule_page_get_last_message (c.page), "The service refused the change: "));
    b = nt_timeline_lookup (timeline, NT_TYPE_ALLOCATION, id);
    g_assert_nonnull (b);
    g_assert_cmpstr (nt_allocation_get_proposal (b), ==, proposal_id);
    stored = server_get (id);
    g_assert_cmpstr (nt_allocation_get_proposal (stored), ==, proposal_id);
    g_clear_object (&stored);

    nt_timeline_select (timeline, b);
    g_assert_true (nt_timeline_handle_key (timeline, GDK_KEY_Delete, 0));
    g_assert_true (SPIN_UNTIL (nt_schedule_page_get_n_pending (c.page) == 0, 5000));
  }

  console_close (&c);
}

/* Editing only for the roles that may: the office edits allocations, not
 * the run plan; a viewer (the kiosk) edits nothing, and a drag there
 * only pans. */
static void
test_roles (void)
{
  NtDb *db = nt_facility_get_db (tf->facility);
  g_autoptr(GError) error = NULL;
  g_autofree char *viewer = nt_auth_token_create (db, NT_ROLE_VIEWER, "kiosk", &error);
  g_autofree char *office = nt_auth_token_create (db, NT_ROLE_OFFICE, "office", &error);
  Console c = { 0 };

  g_assert_no_error (error);

  console_open_as (&c, office, NT_TIMELINE_EDIT_ALLOCATIONS, TRUE);
  console_close (&c);
  console_open_as (&c, office, NT_TIMELINE_EDIT_PLAN, FALSE);
  console_close (&c);

  console_open_as (&c, viewer, NT_TIMELINE_EDIT_ALLOCATIONS, FALSE);
  {
    guint row = (guint)nt_timeline_find_row (c.timeline, STATION);
    gint64 t = find_free_shifts (c.timeline, STATION, nt_clock_now () + 80 * 86400, 1);
    gint64 a, b, a2, b2;

    show_around (c.timeline, t);
    nt_timeline_get_view (c.timeline, &a, &b);
    drag (c.timeline, row, t + 3600, t + 7 * 3600);
    nt_timeline_get_view (c.timeline, &a2, &b2);
    g_assert_cmpint (a2, !=, a);
    g_assert_null (nt_schedule_page_get_dialog (c.page));
    g_assert_cmpuint (nt_schedule_page_get_n_pending (c.page), ==, 0);
    g_assert_false (nt_timeline_handle_key (c.timeline, GDK_KEY_Delete, 0));
  }
  console_close (&c);
}

/* The year as the page reads it is compact records, one per allocation,
 * saying what the service's objects say; objects are made only when
 * asked for, stay the same until their booking changes, and an update
 * (as the change feed brings one) changes the record in place. */
static void
test_compact_store (void)
{
  Console c = { 0 };
  g_autoptr(NtScheduleClient) client = nt_schedule_client_new (tf->base_uri, token);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) objects = NULL;
  g_autoptr(NtAllocation) moved = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  NtBookingStore *store;
  const NtBooking *b;
  NtAllocation *made;
  gint64 fy_start, fy_end, id;
  guint n;

  console_open (&c);
  store = nt_timeline_get_allocation_store (c.timeline);
  n = nt_booking_store_get_size (store);
  g_assert_cmpuint (n, >, 100);
  g_assert_cmpuint (nt_timeline_get_n_items (c.timeline, NT_TYPE_ALLOCATION), ==, n);

  /* The same year as objects, read with a client of the test's own: each
   * record says what its object says. */
  nt_time_fiscal_year_bounds (nt_time_fiscal_year_of (nt_clock_now ()), &fy_start, &fy_end);
  nt_schedule_client_list_allocations_async (client, fy_start, fy_end, NULL, NT_SLOT_ANY, NULL,
                                             result_cb, &result);
  g_assert_true (SPIN_UNTIL (result != NULL, 10000));
  objects = nt_schedule_client_list_allocations_finish (client, result, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (objects->len, ==, n);
  for (guint i = 0; i < objects->len; i++)
    {
      NtAllocation *a = g_ptr_array_index (objects, i);

      b = nt_booking_store_lookup (store, nt_allocation_get_id (a));
      g_assert_nonnull (b);
      g_assert_true (nt_booking_equal_object (b, a));
    }
  /* Stations are interned: one string per station, not per booking. */
  {
    const NtBooking *first = NULL;

    for (guint i = 0; i < objects->len; i++)
      {
        b = nt_booking_store_lookup (store, nt_allocation_get_id (objects->pdata[i]));
        if (!g_str_equal (b->station, STATION))
          continue;
        if (first == NULL)
          first = b;
        g_assert_true (b->station == first->station);
      }
    g_assert_nonnull (first);
  }

  /* An object made on demand: the record's values, the same pointer when
   * asked again. */
  id = nt_allocation_get_id (objects->pdata[objects->len / 2]);
  made = nt_timeline_lookup (c.timeline, NT_TYPE_ALLOCATION, id);
  g_assert_nonnull (made);
  g_assert_true (nt_timeline_lookup (c.timeline, NT_TYPE_ALLOCATION, id) == made);
  b = nt_booking_store_lookup (store, id);
  g_assert_true (nt_booking_equal_object (b, made));
  g_assert_true (nt_timeline_find_overlap_booking (c.timeline, b->station, b->start, b->end, -1) != NULL);
  g_assert_true (nt_timeline_find_overlap (c.timeline, b->station, b->start, b->end, NULL) != NULL);

  /* An update as the feed brings it: a later revision a shift later.  The
   * record changes in place, the object handed in is the one looked up. */
  moved = nt_allocation_copy (made);
  nt_allocation_set_start (moved, nt_allocation_get_start (moved) + 3600);
  nt_allocation_set_end (moved, nt_allocation_get_end (moved) + 3600);
  nt_timeline_upsert (c.timeline, moved);
  g_assert_true (nt_booking_store_lookup (store, id) == b);
  g_assert_cmpint (b->start, ==, nt_allocation_get_start (moved));
  g_assert_true (nt_timeline_lookup (c.timeline, NT_TYPE_ALLOCATION, id) == moved);
  g_assert_cmpuint (nt_timeline_get_n_items (c.timeline, NT_TYPE_ALLOCATION), ==, n);
  nt_timeline_select (c.timeline, moved);
  g_assert_true (nt_timeline_get_selected (c.timeline) == moved);
  node = nt_timeline_render_node (c.timeline);
  g_assert_nonnull (node);

  /* Deleted: gone, and so is the selection. */
  nt_timeline_remove (c.timeline, NT_TYPE_ALLOCATION, id);
  g_assert_null (nt_timeline_lookup (c.timeline, NT_TYPE_ALLOCATION, id));
  g_assert_null (nt_timeline_get_selected (c.timeline));
  g_assert_cmpuint (nt_timeline_get_n_items (c.timeline, NT_TYPE_ALLOCATION), ==, n - 1);

  console_close (&c);
}

static gboolean
confirmed_in (NtTimeline *timeline,
              gint64      start,
              gint64      end)
{
  g_autoptr(GPtrArray) all = nt_timeline_list (timeline, NT_TYPE_ALLOCATION);

  for (guint i = 0; i < all->len; i++)
    {
      NtAllocation *a = g_ptr_array_index (all, i);

      if (nt_allocation_get_status (a) == NT_ALLOCATION_CONFIRMED &&
          nt_allocation_get_start (a) < end && nt_allocation_get_end (a) > start)
        return TRUE;
    }
  return FALSE;
}

/* The Run plan area: only the plan row is edited; shortening a user
 * operation period under confirmed bookings is refused by the service in
 * words and rolled back; one with its last hour free is shortened, and
 * undo gives the hour back. */
static void
test_run_plan (void)
{
  Console c = { 0 };
  g_autoptr(GPtrArray) periods = NULL;
  NtRunPeriod *refused = NULL, *accepted = NULL, *p;
  gint64 now = nt_clock_now (), end, id;

  console_open_as (&c, token, NT_TIMELINE_EDIT_PLAN, TRUE);

  periods = nt_timeline_list (c.timeline, NT_TYPE_RUN_PERIOD);
  for (guint i = 0; i < periods->len; i++)
    {
      p = g_ptr_array_index (periods, i);
      end = nt_run_period_get_end (p);
      if (nt_run_period_get_kind (p) != NT_PERIOD_USER_OPERATION || nt_run_period_get_start (p) < now ||
          end - nt_run_period_get_start (p) < 2 * 86400)
        continue;
      if (confirmed_in (c.timeline, end - 3600, end))
        {
          if (refused == NULL || nt_run_period_get_start (p) < nt_run_period_get_start (refused))
            refused = p;
        }
      else if (accepted == NULL || nt_run_period_get_start (p) < nt_run_period_get_start (accepted))
        accepted = p;
    }
  g_assert_nonnull (refused);

  /* A station row is not edited here: a drag pans. */
  {
    guint row = (guint)nt_timeline_find_row (c.timeline, STATION);
    gint64 a, b, a2, b2;

    show_around (c.timeline, nt_run_period_get_end (refused));
    nt_timeline_get_view (c.timeline, &a, &b);
    drag (c.timeline, row, nt_run_period_get_end (refused) - 3 * 3600, nt_run_period_get_end (refused));
    nt_timeline_get_view (c.timeline, &a2, &b2);
    g_assert_cmpint (a2, !=, a);
    g_assert_cmpuint (nt_schedule_page_get_n_pending (c.page), ==, 0);
  }

  /* Shift+Alt+Left: the end an hour earlier; the service refuses. */
  id = nt_run_period_get_id (refused);
  end = nt_run_period_get_end (refused);
  nt_timeline_select (c.timeline, refused);
  g_assert_true (nt_timeline_handle_key (c.timeline, GDK_KEY_Left, GDK_ALT_MASK | GDK_SHIFT_MASK));
  g_assert_cmpuint (nt_schedule_page_get_n_pending (c.page), ==, 1);
  g_assert_true (SPIN_UNTIL (nt_schedule_page_get_n_pending (c.page) == 0, 5000));
  g_assert_true (g_str_has_prefix (nt_schedule_page_get_last_message (c.page),
                                   "The service refused the change: The change would leave "));
  p = nt_timeline_lookup (c.timeline, NT_TYPE_RUN_PERIOD, id);
  g_assert_cmpint (nt_run_period_get_end (p), ==, end);
  g_assert_false (nt_schedule_page_can_undo (c.page));

  if (accepted != NULL)
    {
      id = nt_run_period_get_id (accepted);
      end = nt_run_period_get_end (accepted);
      show_around (c.timeline, end);
      nt_timeline_select (c.timeline, accepted);
      g_assert_true (nt_timeline_handle_key (c.timeline, GDK_KEY_Left, GDK_ALT_MASK | GDK_SHIFT_MASK));
      g_assert_true (SPIN_UNTIL (nt_schedule_page_get_n_pending (c.page) == 0, 5000));
      p = nt_timeline_lookup (c.timeline, NT_TYPE_RUN_PERIOD, id);
      g_assert_cmpint (nt_run_period_get_end (p), ==, end - 3600);
      g_assert_cmpstr (nt_schedule_page_get_undo_label (c.page), ==, "resize run-plan period");
      g_test_message ("period %lld shortened by an hour and restored by undo", (long long)id);

      nt_schedule_page_undo (c.page);
      g_assert_true (SPIN_UNTIL (nt_schedule_page_get_n_pending (c.page) == 0, 5000));
      p = nt_timeline_lookup (c.timeline, NT_TYPE_RUN_PERIOD, id);
      g_assert_cmpint (nt_run_period_get_end (p), ==, end);
    }

  console_close (&c);
}

static void
test_export (void)
{
  Console c = { 0 };
  g_autoptr(GBytes) csv = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pdf = g_build_filename (tf->dir, "plan.pdf", NULL);
  gint64 start, end;
  int pages = 0;

  console_open (&c);

  nt_time_fiscal_year_bounds (nt_schedule_page_get_fiscal_year (c.page), &start, &end);
  csv = nt_schedule_page_dup_csv (c.page, start, end);
  g_assert_true (g_str_has_prefix (g_bytes_get_data (csv, NULL), "type,id,station,start_jst"));
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (csv, NULL), g_bytes_get_size (csv), "\r\nallocation,"));
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (csv, NULL), g_bytes_get_size (csv), "\r\nperiod,"));
  /* One line per allocation of the year, in order of start, each saying
   * what the allocation's object says. */
  {
    g_autofree char *text = g_strndup (g_bytes_get_data (csv, NULL), g_bytes_get_size (csv));
    g_auto(GStrv) lines = g_strsplit (text, "\r\n", -1);
    g_autoptr(GPtrArray) all = nt_timeline_list (c.timeline, NT_TYPE_ALLOCATION);
    g_autoptr(GHashTable) by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
    guint n = 0;
    gint64 last = G_MININT64;

    for (guint i = 0; i < all->len; i++)
      {
        gint64 *id = g_new (gint64, 1);

        *id = nt_allocation_get_id (all->pdata[i]);
        g_hash_table_insert (by_id, id, all->pdata[i]);
      }
    for (guint i = 0; lines[i] != NULL; i++)
      {
        g_auto(GStrv) f = NULL;
        NtAllocation *a;
        gint64 id, t = 0;

        if (!g_str_has_prefix (lines[i], "allocation,"))
          continue;
        f = g_strsplit (lines[i], ",", 12);
        id = g_ascii_strtoll (f[1], NULL, 10);
        a = g_hash_table_lookup (by_id, &id);
        g_assert_nonnull (a);
        g_assert_cmpstr (f[2], ==, nt_allocation_get_station (a));
        g_assert_true (nt_time_parse_iso (f[5], &t));
        g_assert_cmpint (t, ==, nt_allocation_get_start (a));
        g_assert_cmpint (t, >=, last);
        last = t;
        g_assert_cmpstr (f[7], ==, nt_slot_to_string (nt_allocation_get_slot (a)));
        g_assert_cmpstr (f[8], ==, nt_allocation_get_proposal (a) != NULL ? nt_allocation_get_proposal (a) : "");
        g_assert_cmpstr (f[10], ==, nt_allocation_status_to_string (nt_allocation_get_status (a)));
        n++;
      }
    g_assert_cmpuint (n, ==, all->len);
  }

  /* Every row on paper, not only what is on screen. */
  g_assert_true (nt_schedule_page_export_pdf (c.page, pdf, TRUE, &pages, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pages, >=, 1);
  g_assert_true (g_file_test (pdf, G_FILE_TEST_EXISTS));
  g_unlink (pdf);

  console_close (&c);
}

/* The page's state stack (the one with an "access" page). */
static GtkStack *
find_state_stack (GtkWidget *root)
{
  if (GTK_IS_STACK (root) && gtk_stack_get_child_by_name (GTK_STACK (root), "access") != NULL)
    return GTK_STACK (root);

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkStack *found = find_state_stack (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_actionable (GtkWidget  *root,
                 const char *action)
{
  if (GTK_IS_ACTIONABLE (root) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), action) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_actionable (child, action);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static const char *
state_of (NtSchedulePage *page)
{
  GtkStack *stack = find_state_stack (GTK_WIDGET (page));

  g_assert_nonnull (stack);
  return gtk_stack_get_visible_child_name (stack);
}

/* Whether the undo and redo buttons are shown (they are only with
 * editing). */
static gboolean
undo_shown (NtSchedulePage *page)
{
  GtkWidget *undo = find_actionable (GTK_WIDGET (page), "schedule.undo");

  g_assert_nonnull (undo);
  return gtk_widget_is_visible (undo);
}

/* Editing follows a token set while the page is open, without a restart:
 * a viewer token gets none, the office's gets allocation editing (not the
 * run plan's), and taking it back closes the open editor and ends a drag
 * without a write.  A forgotten token shows the sign-in state; a new one
 * reads the year again. */
static void
test_token_follows (void)
{
  NtDb *db = nt_facility_get_db (tf->facility);
  g_autoptr(GError) error = NULL;
  g_autofree char *viewer = nt_auth_token_create (db, NT_ROLE_VIEWER, "live viewer", &error);
  g_autofree char *office = nt_auth_token_create (db, NT_ROLE_OFFICE, "live office", &error);
  g_autofree char *operator = nt_auth_token_create (db, NT_ROLE_OPERATOR, "live operator", &error);
  Console c = { 0 };
  GtkWidget *dialog;
  guint row;
  gint64 t, n_before;

  g_assert_no_error (error);

  console_open_as (&c, viewer, NT_TIMELINE_EDIT_ALLOCATIONS, FALSE);
  g_assert_false (undo_shown (c.page));

  /* Saved in the preferences: the office's token. */
  nt_context_set_token (c.context, office);
  g_assert_true (SPIN_UNTIL (nt_schedule_page_get_can_edit (c.page), 5000));
  g_assert_cmpint (nt_timeline_get_edit_mode (c.timeline), ==, NT_TIMELINE_EDIT_ALLOCATIONS);
  g_assert_true (undo_shown (c.page));
  g_assert_cmpstr (state_of (c.page), ==, "timeline");

  /* An editor open (a public booking asks for its proposal) and a drag
   * under way when the viewer's token comes back. */
  row = (guint)nt_timeline_find_row (c.timeline, STATION);
  t = find_free_shifts (c.timeline, STATION, nt_clock_now () + 90 * 86400, 3);
  show_around (c.timeline, t);
  drag (c.timeline, row, t + 3600, t + 7 * 3600);
  g_assert_true (SPIN_UNTIL (nt_schedule_page_get_dialog (c.page) != NULL, 2000));
  dialog = nt_schedule_page_get_dialog (c.page);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *)&dialog);
  n_before = nt_timeline_get_n_items (c.timeline, NT_TYPE_ALLOCATION);
  {
    double y = nt_timeline_y_for_row (c.timeline, row);

    nt_timeline_drag_begin (c.timeline, nt_timeline_x_for_time (c.timeline, t + 8 * 3600 + 3600), y);
    nt_timeline_drag_update (c.timeline, nt_timeline_x_for_time (c.timeline, t + 12 * 3600), y);

    nt_context_set_token (c.context, viewer);
    g_assert_true (SPIN_UNTIL (!nt_schedule_page_get_can_edit (c.page), 5000));
    g_assert_cmpint (nt_timeline_get_edit_mode (c.timeline), ==, NT_TIMELINE_EDIT_NONE);
    g_assert_false (undo_shown (c.page));
    g_assert_true (SPIN_UNTIL (dialog == NULL, 2000));
    g_assert_null (nt_schedule_page_get_dialog (c.page));
    g_assert_nonnull (strstr (nt_schedule_page_get_last_message (c.page), "closed"));

    /* Let go: nothing is made, no dialog opens. */
    nt_timeline_drag_end (c.timeline, nt_timeline_x_for_time (c.timeline, t + 16 * 3600), y);
  }
  spin_for (200);
  g_assert_null (nt_schedule_page_get_dialog (c.page));
  g_assert_cmpuint (nt_schedule_page_get_n_pending (c.page), ==, 0);
  g_assert_cmpint (nt_timeline_get_n_items (c.timeline, NT_TYPE_ALLOCATION), ==, n_before);
  g_assert_false (nt_timeline_handle_key (c.timeline, GDK_KEY_Delete, 0));
  g_assert_false (nt_schedule_page_can_undo (c.page));

  /* Forgotten: the service asks for a token, and the page says so. */
  nt_context_set_token (c.context, NULL);
  g_assert_true (SPIN_UNTIL (g_strcmp0 (state_of (c.page), "access") == 0, 5000));
  g_assert_false (nt_schedule_page_get_can_edit (c.page));
  g_assert_true (nt_context_get_token_refused (c.context));

  /* The office's token again: the year is read again, editing offered. */
  nt_context_set_token (c.context, office);
  g_assert_false (nt_context_get_token_refused (c.context));
  g_assert_true (SPIN_UNTIL (nt_schedule_page_is_loaded (c.page) &&
                             nt_schedule_page_get_can_edit (c.page), 30000));
  g_assert_cmpstr (state_of (c.page), ==, "timeline");
  console_close (&c);

  /* The Run plan area: the office may not edit it, an operator may. */
  console_open_as (&c, office, NT_TIMELINE_EDIT_PLAN, FALSE);
  nt_context_set_token (c.context, operator);
  g_assert_true (SPIN_UNTIL (nt_schedule_page_get_can_edit (c.page), 5000));
  g_assert_cmpint (nt_timeline_get_edit_mode (c.timeline), ==, NT_TIMELINE_EDIT_PLAN);
  console_close (&c);
}

/* A facility that asks for a token (401) gets a state a person can act
 * on: what is missing, and a button to the preferences; a refused token
 * is told apart from none; a good token then shows the year. */
static void
test_sign_in (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("jp.nanoterasu.Console");
  AdwStatusPage *status;
  GtkWidget *button;
  Console c = { 0 };

  c.context = nt_context_new (settings, tf->base_uri);
  c.page = NT_SCHEDULE_PAGE (nt_schedule_page_new (c.context, NT_TIMELINE_EDIT_ALLOCATIONS));
  c.timeline = nt_schedule_page_get_timeline (c.page);
  c.window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (c.window), 1400, 800);
  gtk_window_set_child (GTK_WINDOW (c.window), GTK_WIDGET (c.page));
  gtk_window_present (GTK_WINDOW (c.window));
  nt_context_start (c.context);

  g_assert_true (SPIN_UNTIL (g_strcmp0 (state_of (c.page), "access") == 0, 30000));
  status = ADW_STATUS_PAGE (gtk_stack_get_visible_child (find_state_stack (GTK_WIDGET (c.page))));
  g_assert_cmpstr (adw_status_page_get_title (status), ==, "This Facility Needs an Access Token");
  g_assert_nonnull (strstr (adw_status_page_get_description (status), "Preferences"));
  button = find_actionable (GTK_WIDGET (status), "app.preferences");
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_visible (button));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "_Enter Access Token…");
  g_assert_true (nt_context_get_token_refused (c.context));
  g_assert_false (nt_schedule_page_is_loaded (c.page));
  g_assert_false (nt_schedule_page_get_can_edit (c.page));

  /* A token the service does not know: refused, in other words. */
  nt_context_set_token (c.context, "nt_0000000000000000000000000000000000000000000000000000000000000000");
  g_assert_true (SPIN_UNTIL (g_strcmp0 (adw_status_page_get_title (status), "The Access Token Was Refused") == 0,
                             10000));
  g_assert_cmpstr (state_of (c.page), ==, "access");
  g_assert_true (nt_context_get_token_refused (c.context));

  /* A good one: the year, without a restart. */
  nt_context_set_token (c.context, token);
  g_assert_true (SPIN_UNTIL (nt_schedule_page_is_loaded (c.page), 30000));
  g_assert_cmpstr (state_of (c.page), ==, "timeline");
  g_assert_true (SPIN_UNTIL (nt_schedule_page_get_can_edit (c.page), 5000));
  g_assert_false (nt_context_get_token_refused (c.context));
  g_assert_cmpuint (nt_timeline_get_n_items (c.timeline, NT_TYPE_ALLOCATION), >, 100);

  console_close (&c);
}

static void
make_proposal (void)
{
  g_autoptr(NtScheduleClient) client = nt_schedule_client_new (tf->base_uri, token);
  g_autoptr(NtProposal) proposal = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(NtProposal) stored = NULL;
  int fy;
  NtTerm term = nt_time_term_of (nt_clock_now (), &fy);
  g_autofree char *term_name = nt_time_term_name (fy, term);

  proposal_id = g_strdup_printf ("%s0999", term_name);
  proposal = nt_proposal_new (proposal_id, term_name);
  nt_proposal_set_title (proposal, "Timeline test");
  nt_proposal_set_pi (proposal, "Test PI");
  nt_proposal_set_organisation (proposal, "Test");
  nt_proposal_set_shifts_requested (proposal, 30);
  nt_proposal_set_shifts_approved (proposal, 30);
  nt_schedule_client_create_async (client, proposal, NULL, NULL,
                                   result_cb, &result);
  g_assert_true (SPIN_UNTIL (result != NULL, 10000));
  stored = nt_schedule_client_create_finish (client, result, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (stored);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  gtk_test_init (&argc, &argv, NULL);

  /* Every test here runs at a named instant, never at the real date. */

  nt_test_clock_run_from (NT_TEST_USER_OPERATION, 1.0);
  adw_init ();

  tf = test_facility_start ();
  token = g_strdup (nt_facility_get_local_token (tf->facility, &error));
  g_assert_no_error (error);
  make_proposal ();

  g_test_add_func ("/timeline/rows", test_rows);
  g_test_add_func ("/timeline/drag-create-undo-redo", test_drag_create_undo_redo);
  g_test_add_func ("/timeline/keyboard", test_keyboard);
  g_test_add_func ("/timeline/move-station", test_move_station);
  g_test_add_func ("/timeline/two-consoles", test_two_consoles);
  g_test_add_func ("/timeline/server-refusal", test_server_refusal);
  g_test_add_func ("/timeline/roles", test_roles);
  g_test_add_func ("/timeline/run-plan", test_run_plan);
  g_test_add_func ("/timeline/token-follows", test_token_follows);
  g_test_add_func ("/timeline/sign-in", test_sign_in);
  g_test_add_func ("/timeline/export", test_export);
  g_test_add_func ("/timeline/large-text", test_large_text);
  g_test_add_func ("/timeline/compact-store", test_compact_store);

  ret = g_test_run ();

  test_facility_free (tf);
  g_free (token);
  g_free (proposal_id);

  return ret;
}
