"""Full-text and typo-tolerant search on PostgreSQL; nothing on other databases.

The GIN indexes are built here rather than in ``Pathway.Meta.indexes``: a GIN index cannot be
created on SQLite (the zero-setup database of ``make run``), and SQLite rebuilds a table from
its model state on many schema changes. Each index expression must stay identical to
``pathways.selectors.search_vector(config)`` or PostgreSQL will not use it
(``tests/pathways/test_search.py`` checks that it does).
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.operations import TrigramExtension
from django.contrib.postgres.search import SearchVector
from django.db import migrations


def search_vector(config):
    return (
        SearchVector("name", weight="A", config=config)
        + SearchVector("summary", weight="B", config=config)
        + SearchVector("description", weight="C", config=config)
    )


def indexes():
    return [
        GinIndex(search_vector("english"), name="pathway_search_english"),
        GinIndex(search_vector("spanish"), name="pathway_search_spanish"),
        GinIndex(fields=["name"], opclasses=["gin_trgm_ops"], name="pathway_name_trigram"),
    ]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    pathway = apps.get_model("pathways", "Pathway")
    for index in indexes():
        schema_editor.add_index(pathway, index)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    pathway = apps.get_model("pathways", "Pathway")
    for index in indexes():
        schema_editor.remove_index(pathway, index)


class Migration(migrations.Migration):
    dependencies = [("pathways", "0001_initial")]

    operations = [
        # CreateExtension does nothing on databases other than PostgreSQL.
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
