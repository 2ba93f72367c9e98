"""The default onboarding template, and TTFV as a measure on every health scorecard.

Values are written out here rather than read from the code, so this migration means the
same thing whatever the code's defaults become. Names are written in the installation's
language (LANGUAGE_CODE): ``migrate`` runs with translation turned off.
"""

from django.conf import settings
from django.db import migrations
from django.utils import translation
from django.utils.translation import gettext, pgettext

TTFV_MEASURE = {
    "kind": "ttfv",
    "weight": 15,
    "direction": "lower",
    "points": [[0.5, 100], [0.75, 70], [1.0, 40], [1.5, 0]],
}


def forwards(apps, schema_editor):
    MilestoneTemplate = apps.get_model("ttfv", "MilestoneTemplate")
    Milestone = apps.get_model("ttfv", "Milestone")
    Scorecard = apps.get_model("healthscores", "Scorecard")
    ScorecardMeasure = apps.get_model("healthscores", "ScorecardMeasure")
    with translation.override(settings.LANGUAGE_CODE):
        names = {
            "template": gettext("Default onboarding"),
            "kickoff": gettext("Kickoff call"),
            "first_value": pgettext("milestone name", "First value"),
        }
    template, created = MilestoneTemplate.objects.get_or_create(
        plan="", segment="", defaults={"name": names["template"]}
    )
    if created:
        Milestone.objects.create(
            template=template,
            name=names["kickoff"],
            position=0,
            target_offset_days=7,
            rule="manual",
        )
        Milestone.objects.create(
            template=template,
            name=names["first_value"],
            position=1,
            target_offset_days=45,
            rule="manual",
            is_first_value=True,
        )
    for scorecard in Scorecard.objects.all():
        if not ScorecardMeasure.objects.filter(scorecard=scorecard, kind="ttfv").exists():
            position = ScorecardMeasure.objects.filter(scorecard=scorecard).count()
            ScorecardMeasure.objects.create(scorecard=scorecard, position=position, **TTFV_MEASURE)


def backwards(apps, schema_editor):
    apps.get_model("healthscores", "ScorecardMeasure").objects.filter(kind="ttfv").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("ttfv", "0001_onboarding"),
        ("healthscores", "0003_default_scorecard"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
