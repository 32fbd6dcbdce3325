"""A changelist paginator that does not count a large table's every row to number its pages."""

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

# Below this many rows an exact count is cheap, and PostgreSQL's estimate may be stale or absent.
ESTIMATE_FROM_ROWS = 10_000


class EstimatedCountPaginator(Paginator):
    """Django's paginator, except that an unfiltered list on PostgreSQL takes its number of rows from
    the planner's statistics (pg_class.reltuples, kept by autovacuum) once the table is large.

    COUNT(*) reads the whole table (a million articles: most of the changelist's time), and a
    curator paging through an unfiltered list needs the order of magnitude, not the last digit. A
    filtered or searched list is counted exactly: its count is what the curator asked for.
    """

    @cached_property
    def count(self):
        queryset = self.object_list
        connection = connections[queryset.db]
        if connection.vendor != "postgresql" or queryset.query.where or queryset.query.distinct:
            return super().count
        table = connection.ops.quote_name(queryset.model._meta.db_table)
        # One statement either way: the estimate if the table is large, else the exact count.
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT CASE WHEN reltuples >= %s THEN reltuples::bigint ELSE (SELECT COUNT(*) FROM {table}) END "
                "FROM pg_class WHERE oid = %s::regclass",
                [ESTIMATE_FROM_ROWS, table],
            )
            return cursor.fetchone()[0]
