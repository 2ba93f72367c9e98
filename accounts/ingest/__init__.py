"""The one ingestion pipeline behind every door (CSV upload, CLI, REST, tracking API).

read (chunks of text columns) -> validate (vectorised, row-level errors) -> stage
(COPY on PostgreSQL) -> upsert deduplicated by source id -> refresh the daily rollups of
the touched (account, day) pairs -> announce the touched accounts after commit.
"""
