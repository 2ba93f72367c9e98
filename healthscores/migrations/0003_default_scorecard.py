"""The default scorecard every account falls back to, with the built-in measures.

The values are written out here rather than read from healthscores.measures, so that
this migration means the same thing however the registry's defaults change later. The
name is written in the installation's language (LANGUAGE_CODE): ``migrate`` runs with
translation turned off, and this is the name every admin and CSM reads.
"""

from django.conf import settings
from django.db import migrations
from django.utils import translation
from django.utils.translation import pgettext

DEFAULT_MEASURES = [
    ("active_users", 25, "higher", [[0, 0], [0.2, 40], [0.5, 70], [0.8, 100]]),
    ("usage_trend", 20, "higher", [[-50, 0], [-20, 40], [0, 70], [25, 100]]),
    ("feature_breadth", 15, "higher", [[0, 0], [0.3, 40], [0.6, 70], [0.9, 100]]),
    ("urgent_tickets", 10, "lower", [[0, 100], [1, 70], [3, 40], [6, 0]]),
    ("ticket_volume", 10, "lower", [[0, 100], [0.1, 70], [0.3, 40], [1, 0]]),
    ("nps", 10, "higher", [[0, 0], [6, 40], [8, 70], [10, 100]]),
    ("sentiment", 10, "higher", [[0, 10], [1, 55], [2, 100]]),
]


def create_default(apps, schema_editor):
    Scorecard = apps.get_model("healthscores", "Scorecard")
    ScorecardMeasure = apps.get_model("healthscores", "ScorecardMeasure")
    ScorecardVersion = apps.get_model("healthscores", "ScorecardVersion")
    if Scorecard.objects.filter(segment="").exists():
        return
    with translation.override(settings.LANGUAGE_CODE):
        name = pgettext("scorecard name", "Default")
    scorecard = Scorecard.objects.create(name=name, segment="", version=1)
    ScorecardMeasure.objects.bulk_create(
        ScorecardMeasure(
            scorecard=scorecard,
            kind=kind,
            weight=weight,
            direction=direction,
            points=points,
            position=position,
        )
        for position, (kind, weight, direction, points) in enumerate(DEFAULT_MEASURES)
    )
    ScorecardVersion.objects.create(
        scorecard=scorecard,
        version=1,
        config={
            "name": name,
            "segment": "",
            "red_below": 40,
            "green_from": 70,
            "key_events": [],
            "sentiment_stale_days": 45,
            "measures": [
                {"kind": k, "weight": w, "direction": d, "points": p}
                for k, w, d, p in DEFAULT_MEASURES
            ],
        },
    )


class Migration(migrations.Migration):
    dependencies = [("healthscores", "0002_health_engine")]

    operations = [migrations.RunPython(create_default, migrations.RunPython.noop)]
