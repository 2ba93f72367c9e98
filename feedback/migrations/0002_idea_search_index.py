"""Full-text search of ideas (similar-idea suggestions, board search) on PostgreSQL.

A GIN index on the same tsvector expression that ``feedback.search`` queries with, made
by Django from that expression so the two cannot drift apart. SQLite has no tsvector; the
search there falls back to LIKE and this migration does nothing.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

INDEX_NAME = "idea_search_gin"


def _index():
    return GinIndex(
        SearchVector("title", "description", config="english"), name=INDEX_NAME
    )


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("feedback", "Idea"), _index())


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("feedback", "Idea"), _index())


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
