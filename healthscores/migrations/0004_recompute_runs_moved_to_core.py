"""RecomputeRun and RecomputeChunk became core's Job and JobChunk (core 0001), with
their rows: they leave this app's migration state only."""

from django.db import migrations

from core.migration_ops import state_only


class Migration(migrations.Migration):

    dependencies = [
        ('healthscores', '0003_default_scorecard'),
        ('core', '0001_jobs'),
    ]

    operations = [
        state_only(
            migrations.DeleteModel(name='RecomputeChunk'),
            migrations.DeleteModel(name='RecomputeRun'),
        ),
    ]
