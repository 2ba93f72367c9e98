"""Health's recompute runs and chunks become every kind's recompute jobs.

The rows move with their tables: the models leave healthscores' migration state and
join core's as they were (state only), then their tables are renamed, chunks' ``run``
becomes ``job``, and jobs gain a kind (every existing one is a health recompute) and a
result. The one-full-run lock becomes one per kind.
"""

import django.db.models.deletion
from django.db import migrations, models

from core.migration_ops import content_type_moved, state_only

STATUSES = [
    ('queued', 'Queued'), ('running', 'Running'), ('succeeded', 'Succeeded'),
    ('failed', 'Failed'), ('skipped', 'Skipped'),
]


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('healthscores', '0003_default_scorecard'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('auth', '0012_alter_user_first_name_max_length'),
    ]

    operations = [
        # The models as healthscores left them, under their old tables.
        state_only(
            migrations.CreateModel(
                name='Job',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('account_ids', models.JSONField(blank=True, default=list, verbose_name='account IDs')),
                    ('is_full', models.BooleanField(default=False, verbose_name='all accounts')),
                    ('day', models.DateField(blank=True, null=True, verbose_name='day')),
                    ('raise_alerts', models.BooleanField(default=True, verbose_name='raise alerts')),
                    ('status', models.CharField(choices=STATUSES, default='queued', max_length=12, verbose_name='status')),
                    ('accounts_total', models.PositiveIntegerField(default=0, verbose_name='accounts')),
                    ('accounts_processed', models.PositiveIntegerField(default=0, verbose_name='accounts processed')),
                    ('chunks_total', models.PositiveIntegerField(default=0, verbose_name='chunks')),
                    ('chunks_done', models.PositiveIntegerField(default=0, verbose_name='chunks done')),
                    ('error', models.TextField(blank=True, verbose_name='error')),
                    ('requested_at', models.DateTimeField(auto_now_add=True, verbose_name='requested')),
                    ('started_at', models.DateTimeField(blank=True, null=True, verbose_name='started')),
                    ('heartbeat_at', models.DateTimeField(blank=True, null=True, verbose_name='last progress')),
                    ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='finished')),
                ],
                options={
                    'db_table': 'healthscores_recomputerun',
                    'verbose_name': 'health recompute',
                    'verbose_name_plural': 'health recomputes',
                    'ordering': ['-requested_at', '-pk'],
                    'constraints': [models.UniqueConstraint(condition=models.Q(('is_full', True), ('status', 'running')), fields=('is_full',), name='one_full_recompute_running')],
                },
            ),
            migrations.CreateModel(
                name='JobChunk',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('index', models.PositiveIntegerField(verbose_name='index')),
                    ('first_id', models.BigIntegerField(verbose_name='first account ID')),
                    ('last_id', models.BigIntegerField(verbose_name='last account ID')),
                    ('status', models.CharField(choices=[('queued', 'Queued'), ('done', 'Done'), ('failed', 'Failed')], default='queued', max_length=8, verbose_name='status')),
                    ('error', models.TextField(blank=True, verbose_name='error')),
                    ('run', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='chunks', to='core.job')),
                ],
                options={
                    'db_table': 'healthscores_recomputechunk',
                    'verbose_name': 'recompute chunk',
                    'verbose_name_plural': 'recompute chunks',
                    'ordering': ['run', 'index'],
                    'constraints': [models.UniqueConstraint(fields=('run', 'index'), name='recompute_chunk_once')],
                },
            ),
        ),
        content_type_moved('recomputerun', from_app='healthscores', to_app='core', to_model='job'),
        content_type_moved('recomputechunk', from_app='healthscores', to_app='core', to_model='jobchunk'),
        # The real changes, on the rows as they are.
        migrations.AlterModelTable(name='job', table=None),
        migrations.AlterModelTable(name='jobchunk', table=None),
        migrations.RemoveConstraint(model_name='jobchunk', name='recompute_chunk_once'),
        migrations.RenameField(model_name='jobchunk', old_name='run', new_name='job'),
        migrations.AddConstraint(
            model_name='jobchunk',
            constraint=models.UniqueConstraint(fields=('job', 'index'), name='recompute_chunk_once'),
        ),
        migrations.AlterModelOptions(
            name='jobchunk',
            options={'ordering': ['job', 'index'], 'verbose_name': 'recompute chunk', 'verbose_name_plural': 'recompute chunks'},
        ),
        migrations.AddField(
            model_name='job',
            name='kind',
            field=models.CharField(default='health', max_length=32, verbose_name='kind'),
        ),
        migrations.AddField(
            model_name='job',
            name='result',
            field=models.JSONField(blank=True, default=dict, verbose_name='result'),
        ),
        migrations.RemoveConstraint(model_name='job', name='one_full_recompute_running'),
        migrations.AddConstraint(
            model_name='job',
            constraint=models.UniqueConstraint(condition=models.Q(('is_full', True), ('status', 'running')), fields=('kind',), name='one_full_job_running'),
        ),
        migrations.AddIndex(
            model_name='job',
            index=models.Index(condition=models.Q(('status', 'queued')), fields=['kind', 'requested_at'], name='job_queued_idx'),
        ),
        migrations.AlterModelOptions(
            name='job',
            options={'ordering': ['-requested_at', '-pk'], 'verbose_name': 'recompute job', 'verbose_name_plural': 'recompute jobs'},
        ),
    ]
