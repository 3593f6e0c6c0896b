"""What every app's demo seeder shares: local dates without a time-zone lookup per call, bulk
rows without model instances, and a unit's district among units already loaded."""

import datetime
import json
import zoneinfo

from django.conf import settings
from django.db import connection, models

from governance.models import Unit

# The local time zone, looked up once: these conversions run millions of times at district
# scale (the same results as django.utils.timezone's, which look the zone up on every call).
LOCAL = zoneinfo.ZoneInfo(settings.TIME_ZONE)


def localdate(moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(LOCAL).date()


def day_start(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=LOCAL)


def insert_rows(model, fields: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert plain rows (values in the order of `fields`) without model instances: COPY on
    PostgreSQL, executemany elsewhere. For the hundreds of thousands of district-scale rows."""
    if not rows:
        return
    opts = model._meta
    columns = [opts.get_field(name) for name in fields]
    table = connection.ops.quote_name(opts.db_table)
    names = ", ".join(connection.ops.quote_name(f.column) for f in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            json_at = [i for i, f in enumerate(columns) if isinstance(f, models.JSONField)]
            with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    if json_at:
                        row = list(row)
                        for i in json_at:
                            row[i] = json.dumps(row[i], ensure_ascii=False)
                    copy.write_row(row)
        else:
            convert = [_converter(f) for f in columns]
            prepared = [[c(v) for c, v in zip(convert, row, strict=True)] for row in rows]
            marks = ", ".join(["%s"] * len(columns))
            for start in range(0, len(prepared), 2000):
                cursor.executemany(
                    f"INSERT INTO {table} ({names}) VALUES ({marks})",
                    prepared[start : start + 2000],
                )


def _converter(field):
    """How insert_rows passes a value of `field` to the database."""
    if connection.vendor == "sqlite" and isinstance(field, models.DateTimeField):
        # What the SQLite backend stores: naive UTC as text.
        return lambda v: None if v is None else str(v.astimezone(datetime.UTC).replace(tzinfo=None))
    if isinstance(field, models.JSONField):
        return lambda v: json.dumps(v, ensure_ascii=False)
    if isinstance(field, models.DateTimeField | models.DateField | models.UUIDField):
        return lambda v: field.get_db_prep_save(v, connection)
    return lambda v: v


def district_of(unit: Unit, units: dict) -> Unit:
    """The district of `unit` among `units` already loaded (by id or by path): no query,
    where `unit.district` would ask the database once per unit."""
    key = unit.path[: Unit.steplen]
    if key in units:
        return units[key]
    while unit.parent_id is not None:
        unit = units[unit.parent_id]
    return unit
