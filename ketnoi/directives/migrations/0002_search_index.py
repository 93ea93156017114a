"""The full-text index of directives, in each engine's own index (DESIGN.md), over the folded
syllables and syllable pairs Directive.save() writes (the same forms as the Q&A's index, so one
query analysis, ketnoi.lib.vnquery, serves both).

SQLite: an external-content FTS5 table kept in step by triggers. A later migration that makes
SQLite rebuild the table (adding a column with a default, a constraint) drops the triggers: it
must create them again (ketnoi/directives/tests/test_search.py fails otherwise). PostgreSQL: a generated
tsvector column with a GIN index.
"""

from django.db import migrations

SQLITE = [
    """CREATE VIRTUAL TABLE directives_directive_fts USING fts5(
           search_text, search_pairs, content='directives_directive', content_rowid='id',
           tokenize="unicode61 remove_diacritics 2 tokenchars '_'")""",
    """CREATE TRIGGER directives_directive_fts_insert AFTER INSERT ON directives_directive BEGIN
         INSERT INTO directives_directive_fts(rowid, search_text, search_pairs)
         VALUES (new.id, new.search_text, new.search_pairs);
       END""",
    """CREATE TRIGGER directives_directive_fts_delete AFTER DELETE ON directives_directive BEGIN
         INSERT INTO directives_directive_fts(directives_directive_fts, rowid, search_text, search_pairs)
         VALUES ('delete', old.id, old.search_text, old.search_pairs);
       END""",
    """CREATE TRIGGER directives_directive_fts_update AFTER UPDATE OF search_text, search_pairs
       ON directives_directive BEGIN
         INSERT INTO directives_directive_fts(directives_directive_fts, rowid, search_text, search_pairs)
         VALUES ('delete', old.id, old.search_text, old.search_pairs);
         INSERT INTO directives_directive_fts(rowid, search_text, search_pairs)
         VALUES (new.id, new.search_text, new.search_pairs);
       END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER directives_directive_fts_update",
    "DROP TRIGGER directives_directive_fts_delete",
    "DROP TRIGGER directives_directive_fts_insert",
    "DROP TABLE directives_directive_fts",
]

POSTGRESQL = [
    """ALTER TABLE directives_directive ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
           to_tsvector('simple'::regconfig, search_text)
        || array_to_tsvector(string_to_array(search_pairs, ' '))) STORED""",
    "CREATE INDEX directives_directive_search ON directives_directive USING gin (search_vector)",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX directives_directive_search",
    "ALTER TABLE directives_directive DROP COLUMN search_vector",
]


def forwards(apps, schema_editor):
    for statement in SQLITE if schema_editor.connection.vendor == "sqlite" else POSTGRESQL:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    for statement in SQLITE_REVERSE if schema_editor.connection.vendor == "sqlite" else POSTGRESQL_REVERSE:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("directives", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
