"""The one importer at a township's scale: the household register (户籍台账), the largest
sheet a district imports, read, previewed and confirmed as the import page does.

    DATABASE_URL=postgres://… python benchmarks/imports.py [--rows 5000 20000 50000]

Needs the demo (`seed_demo`; it is run when the units are missing). For each size it writes a
workbook of new households spread over the demo's grids (building, unit, room, head, phone,
members), then times, as laiwu_admin: reading the file, the preview (every row written inside a
transaction that is rolled back) and the confirmation (written again, all or nothing). The
confirmation is rolled back too, so the database does not change. Prints one table.
"""

import argparse
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SHANZHI_PRODUCTION", "0")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from benchmarks.timing import machine  # noqa: E402
from governance import excel  # noqa: E402
from governance.models import Unit  # noqa: E402
from grids.resources import COLUMNS, HouseholdImporter  # noqa: E402


class Rollback(Exception):
    pass


def workbook(rows: int, grids: list[Unit]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("户籍台账")
    sheet.append(list(COLUMNS.values()))
    for n in range(rows):
        grid = grids[n % len(grids)]
        sheet.append(
            [
                grid.code,
                f"测{n // 120 + 1}号楼",
                f"{n % 4 + 1}",
                f"{n + 101}",
                "",
                f"测户{n}",
                f"139{n:08d}",
                "",
                (n % 5) + 1,
                "",
            ]
        )
    return excel.workbook_bytes(book)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[5_000, 20_000, 50_000])
    args = parser.parse_args()
    if not Unit.objects.filter(name="莱芜区").exists():
        call_command("seed_demo", stdout=io.StringIO())
    user = get_user_model().objects.get(username="laiwu_admin")
    grids = list(Unit.objects.filter(kind=Unit.Kind.GRID, path__startswith=_laiwu().path))
    print(machine())
    table = []
    for rows in args.rows:
        data = workbook(rows, grids)
        started = time.perf_counter()
        HouseholdImporter(user).read(data)
        read = time.perf_counter() - started
        started = time.perf_counter()
        queries = [0]

        def count(execute, sql, params, many, context, queries=queries):
            queries[0] += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            preview = HouseholdImporter(user).run(data, dry_run=True)
        preview_s = time.perf_counter() - started
        started = time.perf_counter()
        try:
            with transaction.atomic():
                confirm = HouseholdImporter(user).run(data, dry_run=False)
                confirm_s = time.perf_counter() - started
                raise Rollback
        except Rollback:
            pass
        assert preview.ok and confirm.ok and confirm.count == rows, preview.problems[:3]
        table.append(
            f"{rows:>7,} rows  {len(data) // 1024:>6} KiB  read {read:6.1f} s  "
            f"preview {preview_s:6.1f} s ({queries[0]} queries)  confirm {confirm_s:6.1f} s"
        )
    print("household register import as laiwu_admin:")
    print("\n".join(table))


def _laiwu() -> Unit:
    return Unit.objects.get(name="莱芜区")


if __name__ == "__main__":
    main()
