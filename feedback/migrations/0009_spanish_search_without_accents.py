"""Spanish ideas are found whether or not the searcher types the accents.

People often type Spanish without accents (on a phone, on an English keyboard):
"exportacion" must find "Exportación de informes". The Snowball Spanish stemmer needs
the accents to strip a suffix ("exportación" stems to "export", "exportacion" stays
"exportacion"), so unaccenting before stemming would lose the verb/noun matching of
migration 0007. A Spanish idea's vector therefore holds both: the words stemmed as
written, and the words stemmed without their accents. A query typed without accents
meets the second, one typed with them (or a verb) the first. Greek needs neither: its
stemmer folds tonos and final sigma itself.

``unaccent()`` is only STABLE (its dictionary could change), and a generated column
needs an IMMUTABLE expression: ``feedback_unaccent`` names the dictionary and declares
itself immutable, which holds as long as nobody edits ``unaccent.rules`` on the server.
On SQLite nothing changes (search falls back to LIKE there).
"""

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations

CONFIG = (
    "CASE language WHEN 'en' THEN 'english'::regconfig WHEN 'es' THEN 'spanish'::regconfig "
    "WHEN 'el' THEN 'greek'::regconfig ELSE 'simple'::regconfig END"
)


def _vector(unaccented: bool) -> str:
    parts = [
        f"setweight(to_tsvector({CONFIG}, coalesce(title, '')), 'A')",
        f"setweight(to_tsvector({CONFIG}, coalesce(description, '')), 'B')",
    ]
    if unaccented:
        parts += [
            "CASE language WHEN 'es' THEN "
            "setweight(to_tsvector('spanish'::regconfig, feedback_unaccent(coalesce(title, ''))), 'A')"
            " || setweight(to_tsvector('spanish'::regconfig, "
            "feedback_unaccent(coalesce(description, ''))), 'B')"
            " ELSE ''::tsvector END",
        ]
    return " || ".join(parts)


def _rebuild(unaccented: bool) -> list[str]:
    return [
        "DROP INDEX IF EXISTS idea_search_gin",
        "ALTER TABLE feedback_idea DROP COLUMN IF EXISTS search_vector",
        f"ALTER TABLE feedback_idea ADD COLUMN search_vector tsvector "
        f"GENERATED ALWAYS AS ({_vector(unaccented)}) STORED",
        "CREATE INDEX idea_search_gin ON feedback_idea USING gin (search_vector)",
    ]


FUNCTION = (
    "CREATE OR REPLACE FUNCTION feedback_unaccent(text) RETURNS text "
    "LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT "
    "AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$"
)

FORWARD = [FUNCTION, *_rebuild(unaccented=True)]
BACKWARD = [*_rebuild(unaccented=False), "DROP FUNCTION IF EXISTS feedback_unaccent(text)"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("feedback", "0008_idea_needs_triage_index")]

    operations = [
        UnaccentExtension(),
        migrations.RunPython(_run(FORWARD), _run(BACKWARD)),
    ]
