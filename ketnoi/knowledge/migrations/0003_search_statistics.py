"""PostgreSQL: the planner's statistics of the search vector keep its 10,000 most common lexemes
(the default keeps 1,000) and ANALYZE samples 300,000 articles for them.

ketnoi.knowledge.search reads these statistics to know, without counting, that a term is in at
least FREQUENCY_CAP articles. With 1,000 lexemes the least common one listed was in 6 % of a
million articles, so every term between 2,000 and 60,000 articles was counted, reading 2,000 rows
(30–190 ms, each new term of a case being typed); with 10,000 the list reaches 0.3 %, and the
planner's own estimates of these terms are no longer a guess. ANALYZE of a million articles takes
about 40 s (the migration runs one; autovacuum runs the next). Nothing on SQLite.
"""

from django.db import migrations

STATISTICS = 1_000  # × 10 lexemes (ts_typanalyze), × 300 articles sampled


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE knowledge_article ALTER COLUMN search_vector SET STATISTICS {STATISTICS}")
        schema_editor.execute("ANALYZE knowledge_article")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE knowledge_article ALTER COLUMN search_vector SET STATISTICS -1")


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0002_search_index")]
    operations = [migrations.RunPython(forwards, backwards)]
