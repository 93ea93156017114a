"""The full-text index of published articles, in each engine's own index (DESIGN.md: never a second
store that can drift). Both index the folded syllables Article.save() writes into search_question
and search_answer, so "hoan thue" and "hoàn thuế" meet in one form whatever the engine.

SQLite: an external-content FTS5 table on those two columns, kept in step by triggers in the
article's own transaction, and an fts5vocab table giving each syllable's document frequency.
PostgreSQL: a generated tsvector column (question weighted A, answer B) with a partial GIN index.
"""

from django.db import migrations

SQLITE = [
    # "_" is part of a token: search_pairs holds "hoan_thue" as one (Article.save()).
    """CREATE VIRTUAL TABLE knowledge_article_fts USING fts5(
           search_question, search_answer, search_pairs, content='knowledge_article', content_rowid='id',
           tokenize="unicode61 remove_diacritics 2 tokenchars '_'")""",
    "CREATE VIRTUAL TABLE knowledge_article_vocab USING fts5vocab(knowledge_article_fts, row)",
    """CREATE TRIGGER knowledge_article_fts_insert AFTER INSERT ON knowledge_article
       WHEN new.status = 'published' BEGIN
         INSERT INTO knowledge_article_fts(rowid, search_question, search_answer, search_pairs)
         VALUES (new.id, new.search_question, new.search_answer, new.search_pairs);
       END""",
    """CREATE TRIGGER knowledge_article_fts_delete AFTER DELETE ON knowledge_article
       WHEN old.status = 'published' BEGIN
         INSERT INTO knowledge_article_fts(knowledge_article_fts, rowid, search_question, search_answer, search_pairs)
         VALUES ('delete', old.id, old.search_question, old.search_answer, old.search_pairs);
       END""",
    # UPDATE OF: counting a view or a vote does not touch the index. One trigger, so that the
    # old entry always leaves before the new one comes in (SQLite does not order triggers).
    """CREATE TRIGGER knowledge_article_fts_update AFTER UPDATE OF search_question, search_answer, search_pairs, status
       ON knowledge_article BEGIN
         INSERT INTO knowledge_article_fts(knowledge_article_fts, rowid, search_question, search_answer, search_pairs)
         SELECT 'delete', old.id, old.search_question, old.search_answer, old.search_pairs WHERE old.status = 'published';
         INSERT INTO knowledge_article_fts(rowid, search_question, search_answer, search_pairs)
         SELECT new.id, new.search_question, new.search_answer, new.search_pairs WHERE new.status = 'published';
       END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER knowledge_article_fts_update",
    "DROP TRIGGER knowledge_article_fts_delete",
    "DROP TRIGGER knowledge_article_fts_insert",
    "DROP TABLE knowledge_article_vocab",
    "DROP TABLE knowledge_article_fts",
]

POSTGRESQL = [
    # The text is already folded to [a-z0-9] syllables: the 'simple' configuration only splits it.
    # The pairs ("hoan_thue") go in as they are (array_to_tsvector: no parser splits them).
    """ALTER TABLE knowledge_article ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
           setweight(to_tsvector('simple'::regconfig, search_question), 'A')
        || setweight(to_tsvector('simple'::regconfig, search_answer), 'B')
        || array_to_tsvector(string_to_array(search_pairs, ' '))) STORED""",
    """CREATE INDEX knowledge_article_search ON knowledge_article USING gin (search_vector)
       WHERE status = 'published'""",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX knowledge_article_search",
    "ALTER TABLE knowledge_article DROP COLUMN search_vector",
]


def forwards(apps, schema_editor):
    statements = SQLITE if schema_editor.connection.vendor == "sqlite" else POSTGRESQL
    for statement in statements:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    statements = SQLITE_REVERSE if schema_editor.connection.vendor == "sqlite" else POSTGRESQL_REVERSE
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
