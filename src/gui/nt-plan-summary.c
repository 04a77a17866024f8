/* nt-plan-summary.c: the allocation summary beside the timeline
 *
 * From the scheduling service's summary of a fiscal year (one section for
 * the year and one per term): hours by period kind against the plan
 * (6,000 h of operation: 5,000 h to users, 1,000 h of study), the public
 * share of each coalition main station against its target, each
 * coalition member's hours used and left of units × 200 h with the fee,
 * and the days requested against the days offered per beamline.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-plan-summary"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "nt-plan-summary.h"
#include "nt-share-bar.h"
#include "nt-summary.h"
#include "nt-units.h"

struct _NtPlanSummary
{
  GtkWidget       parent_instance;

  GtkWidget      *box;
  GtkDropDown    *section_dropdown;
  GtkWidget      *content;
  NtSummary      *summary;
  char           *unreadable;     /* why the last summary could not be read */
  guint           section;
};

G_DEFINE_FINAL_TYPE (NtPlanSummary, nt_plan_summary, GTK_TYPE_WIDGET)

static void
add_heading (NtPlanSummary *self,
             const char    *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (self->content), label);
}

static void
add_line (NtPlanSummary *self,
          const char    *text,
          double         value,
          double         max,
          double         target)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_box_append (GTK_BOX (self->content), label);

  if (max > 0)
    gtk_box_append (GTK_BOX (self->content), nt_share_bar_new (value, max, target > 0 ? target : -1));
}

/* The period kinds in the order shown, and the member of the plan with
 * their planned hours (NULL: none planned). */
static const struct
{
  const char *kind;
  const char *label;
  const char *planned;
} kinds_shown[] = {
  { "user_operation", N_("User operation"), "user_operation_hours" },
  { "machine_study", N_("Machine study"), "study_hours" },
  { "commissioning", N_("Beamline commissioning"), NULL },
  { "maintenance", N_("Maintenance"), NULL },
  { "inspection", N_("Inspection"), NULL },
  { "shutdown", N_("Shutdown"), NULL },
};

static void
rebuild (NtPlanSummary *self)
{
  GtkWidget *child;
  const NtSummarySection *section;

  while ((child = gtk_widget_get_first_child (self->content)) != NULL)
    gtk_box_remove (GTK_BOX (self->content), child);

  if (self->unreadable != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The scheduling service sent a summary this console cannot read (%s). "
                                                 "The bookings themselves are not affected; the summary is read again "
                                                 "after the next change to the plan."),
                                               self->unreadable);

      add_line (self, text, 0, 0, 0);
      return;
    }
  if (self->summary == NULL)
    {
      add_line (self, _("No summary yet."), 0, 0, 0);
      return;
    }
  if (self->section >= self->summary->sections->len)
    return;
  section = g_ptr_array_index (self->summary->sections, self->section);

  /* Hours by period kind against the plan */
  add_heading (self, _("Run plan"));
  {
    double acc = section->accelerator_hours;
    double acc_plan = section->planned_accelerator_hours;
    g_autofree char *text = acc_plan > 0
      ? g_strdup_printf (_("Accelerator operation: %.0f h of %.0f h planned"), acc, acc_plan)
      : g_strdup_printf (_("Accelerator operation: %.0f h"), acc);

    add_line (self, text, acc, acc_plan > 0 ? MAX (acc, acc_plan) * 1.1 : 0, acc_plan);
  }
  for (guint i = 0; i < G_N_ELEMENTS (kinds_shown); i++)
    {
      double h = nt_summary_section_kind_hours (section, kinds_shown[i].kind);
      double target = kinds_shown[i].planned != NULL ? nt_summary_section_planned (section, kinds_shown[i].planned) : 0;
      const char *label = _(kinds_shown[i].label);
      g_autofree char *text = NULL;

      if (target > 0)
        text = g_strdup_printf (_("%s: %.0f h of %.0f h"), label, h, target);
      else
        text = g_strdup_printf (_("%s: %.0f h"), label, h);
      add_line (self, text, h, target > 0 ? MAX (h, target) * 1.1 : 0, target);
    }

  /* Public share of coalition main stations */
  add_heading (self, _("Public share of coalition beamlines"));
  for (guint i = 0; i < section->shares->len; i++)
    {
      const NtSummaryShare *share = &g_array_index (section->shares, NtSummaryShare, i);
      g_autofree char *text = g_strdup_printf (_("%s: %.0f %% public (target %.0f %%), %.0f h of %.0f h"),
                                               share->station_id, 100 * share->share, 100 * share->target,
                                               share->public_hours, share->user_operation_hours);

      add_line (self, text, share->share, 1.0, share->target);
    }

  /* Coalition members */
  add_heading (self, _("Coalition members"));
  for (guint i = 0; i < section->members->len; i++)
    {
      const NtSummaryMember *m = &g_array_index (section->members, NtSummaryMember, i);
      g_autofree char *text = NULL;
      g_autofree char *fee = nt_format_yen (m->fee_jpy);

      if (m->hours_allowed > 0)
        /* TRANSLATORS: the last %s is an amount with its sign, e.g. ¥17,850,000 */
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "%s: %.0f h used, %.0f h left of %.0f h (%lld unit); fee %s",
                                             "%s: %.0f h used, %.0f h left of %.0f h (%lld units); fee %s",
                                             (gulong) m->units),
                                m->name, m->hours_used, m->hours_left, m->hours_allowed,
                                (long long) m->units, fee);
      else
        /* TRANSLATORS: the last %s is an amount with its sign, e.g. ¥17,850,000 */
        text = g_strdup_printf (_("%s: %.0f h used; fee %s"), m->name, m->hours_used, fee);
      add_line (self, text, m->hours_used, m->hours_allowed, 0);
    }

  /* Requested against offered days */
  add_heading (self, _("Days requested and offered"));
  for (guint i = 0; i < section->surveys->len; i++)
    {
      const NtSummarySurvey *survey = &g_array_index (section->surveys, NtSummarySurvey, i);
      g_autofree char *text = g_strdup_printf (_("%s: %.0f days requested, %.0f offered (%.1f×)"),
                                               survey->beamline_id, survey->requested_days,
                                               survey->offered_days, survey->ratio);

      add_line (self, text, 0, 0, 0);
    }
}

static void
section_changed_cb (NtPlanSummary *self)
{
  nt_plan_summary_set_section (self, gtk_drop_down_get_selected (self->section_dropdown));
}

static void
nt_plan_summary_dispose (GObject *object)
{
  NtPlanSummary *self = (NtPlanSummary *)object;

  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_pointer (&self->summary, nt_summary_free);
  g_clear_pointer (&self->unreadable, g_free);

  G_OBJECT_CLASS (nt_plan_summary_parent_class)->dispose (object);
}

static void
nt_plan_summary_class_init (NtPlanSummaryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = nt_plan_summary_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
nt_plan_summary_init (NtPlanSummary *self)
{
  static const char *names[] = { NULL, NULL, NULL, NULL };

  names[0] = _("Fiscal year");
  names[1] = _("Term A");
  names[2] = _("Term B");

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  gtk_widget_add_css_class (GTK_WIDGET (self), "plan-summary");

  self->section_dropdown = GTK_DROP_DOWN (gtk_drop_down_new_from_strings (names));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->section_dropdown), _("Summary of the year or of one term"));
  g_signal_connect_swapped (self->section_dropdown, "notify::selected",
                            G_CALLBACK (section_changed_cb), self);
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->section_dropdown));

  self->content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_box_append (GTK_BOX (self->box), self->content);
  rebuild (self);
}

GtkWidget *
nt_plan_summary_new (void)
{
  return g_object_new (NT_TYPE_PLAN_SUMMARY, NULL);
}

void
nt_plan_summary_set_summary (NtPlanSummary *self,
                             JsonNode      *summary)
{
  g_return_if_fail (NT_IS_PLAN_SUMMARY (self));

  g_clear_pointer (&self->summary, nt_summary_free);
  g_clear_pointer (&self->unreadable, g_free);
  if (summary != NULL)
    {
      g_autoptr(GError) error = NULL;

      self->summary = nt_summary_new_from_json (summary, &error);
      if (self->summary == NULL)
        {
          g_message ("Unreadable summary: %s", error->message);
          self->unreadable = g_strdup (error->message);
        }
    }
  rebuild (self);
}

void
nt_plan_summary_set_section (NtPlanSummary *self,
                             guint          section)
{
  g_return_if_fail (NT_IS_PLAN_SUMMARY (self));

  if (section > 2 || section == self->section)
    return;
  self->section = section;
  gtk_drop_down_set_selected (self->section_dropdown, section);
  rebuild (self);
}

char *
nt_plan_summary_dup_text (NtPlanSummary *self)
{
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (NT_IS_PLAN_SUMMARY (self), NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (self->content); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LABEL (child))
      g_string_append_printf (text, "%s\n", gtk_label_get_label (GTK_LABEL (child)));

  return g_string_free (text, FALSE);
}
