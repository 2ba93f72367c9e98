"""Ideas record their language; PostgreSQL stores each idea's search vector, built with
that language's text-search configuration, and indexes titles by trigrams.

Why a generated column rather than a trigger-maintained one: PostgreSQL itself keeps
``search_vector`` in step with title, description and language on every write path
(the ORM, ``bulk_create``, COPY, a raw UPDATE), with no trigger function to keep in sync
and no way to write a stale value. Its expression must be immutable, which it is:
``to_tsvector(regconfig, text)`` with each configuration written as a constant of the
CASE. The column is not a Django field: SQLite has no tsvector, and Django must never
name a generated column in an INSERT; ``feedback.search`` reads it by name.

The CASE repeats ``feedback.search.SEARCH_CONFIGS`` as it stood when this migration was
written (a migration is history, not a live import); ``tests/feedback/test_search_languages``
checks the two agree. Greek needs no unaccent: the Snowball Greek stemmer folds tonos and
final sigma itself. Spanish must not be unaccented before stemming: its suffixes are
spelled with their accents ("exportación" stems to "export" only with the accent).

The old expression index of migration 0002 is replaced by an index on the column. The
trigram index serves the similar-idea suggestions (``similarity`` on titles).
On SQLite only the language column is added; search there falls back to LIKE. Existing
ideas get ``LANGUAGE_CODE``, the language the installation has been running in.
"""

import django.contrib.postgres.operations
from django.conf import settings
from django.db import migrations, models

import feedback.models.ideas

CONFIG = (
    "CASE language WHEN 'en' THEN 'english'::regconfig WHEN 'es' THEN 'spanish'::regconfig "
    "WHEN 'el' THEN 'greek'::regconfig ELSE 'simple'::regconfig END"
)

FORWARD = [
    "DROP INDEX IF EXISTS idea_search_gin",
    f"""ALTER TABLE feedback_idea ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector({CONFIG}, coalesce(title, '')), 'A')
        || setweight(to_tsvector({CONFIG}, coalesce(description, '')), 'B')
    ) STORED""",
    "CREATE INDEX idea_search_gin ON feedback_idea USING gin (search_vector)",
    "CREATE INDEX idea_title_trgm ON feedback_idea USING gin (title gin_trgm_ops)",
]

BACKWARD = [
    "DROP INDEX IF EXISTS idea_title_trgm",
    "DROP INDEX IF EXISTS idea_search_gin",
    "ALTER TABLE feedback_idea DROP COLUMN IF EXISTS search_vector",
    "CREATE INDEX idea_search_gin ON feedback_idea USING gin ("
    "to_tsvector('english'::regconfig, COALESCE(title, '') || ' ' || COALESCE(description, '')))",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


def _database_default(apps, schema_editor):
    """Rows inserted in SQL, not through Django (loaders, COPY, benchmarks), are in the
    installation's language too: Django's own default lives only in Python."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE feedback_idea ALTER COLUMN language SET DEFAULT %s",
            [settings.LANGUAGE_CODE],
        )


class Migration(migrations.Migration):
    dependencies = [("feedback", "0006_risk_models_moved_to_productrisk")]

    operations = [
        migrations.AddField(
            model_name="idea",
            name="language",
            field=models.CharField(
                choices=feedback.models.ideas.language_choices,
                default=feedback.models.ideas.default_language,
                max_length=16,
                verbose_name="language",
            ),
        ),
        django.contrib.postgres.operations.TrigramExtension(),
        migrations.RunPython(_database_default, migrations.RunPython.noop),
        migrations.RunPython(_run(FORWARD), _run(BACKWARD)),
    ]
