"""Full-text index of listings: FTS5 on SQLite, tsvector + GIN and pg_trgm on PostgreSQL."""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE catalog_listing_fts USING fts5("
    "title, search_text, content='catalog_listing', content_rowid='variant_id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER catalog_listing_fts_ai AFTER INSERT ON catalog_listing BEGIN "
    "INSERT INTO catalog_listing_fts(rowid, title, search_text) "
    "VALUES (new.variant_id, new.title, new.search_text); END",
    "CREATE TRIGGER catalog_listing_fts_ad AFTER DELETE ON catalog_listing BEGIN "
    "INSERT INTO catalog_listing_fts(catalog_listing_fts, rowid, title, search_text) "
    "VALUES ('delete', old.variant_id, old.title, old.search_text); END",
    "CREATE TRIGGER catalog_listing_fts_au AFTER UPDATE OF title, search_text "
    "ON catalog_listing BEGIN "
    "INSERT INTO catalog_listing_fts(catalog_listing_fts, rowid, title, search_text) "
    "VALUES ('delete', old.variant_id, old.title, old.search_text); "
    "INSERT INTO catalog_listing_fts(rowid, title, search_text) "
    "VALUES (new.variant_id, new.title, new.search_text); END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS catalog_listing_fts_au",
    "DROP TRIGGER IF EXISTS catalog_listing_fts_ad",
    "DROP TRIGGER IF EXISTS catalog_listing_fts_ai",
    "DROP TABLE IF EXISTS catalog_listing_fts",
]
POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "ALTER TABLE catalog_listing ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('simple', coalesce(search_text, '')), 'B')) STORED",
    "CREATE INDEX catalog_listing_search_gin ON catalog_listing USING gin (search_vector)",
    "CREATE INDEX catalog_searchterm_trgm ON catalog_searchterm USING gin (term gin_trgm_ops)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS catalog_searchterm_trgm",
    "DROP INDEX IF EXISTS catalog_listing_search_gin",
    "ALTER TABLE catalog_listing DROP COLUMN IF EXISTS search_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
