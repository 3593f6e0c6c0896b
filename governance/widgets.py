"""The date, time and date-time inputs of every form.

Browsers accept only ISO values in `<input type="date|time|datetime-local">`; Django would
render the active language's display format (zh-hans: `2014/10/27`), which the browser shows
as an empty box and a save then erases. These widgets render a fixed ISO format whatever the
language, and every form of the project uses them.
"""

from django import forms

DATE_FORMAT = "%Y-%m-%d"
TIME_FORMAT = "%H:%M"
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=DATE_FORMAT)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=TIME_FORMAT)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=DATETIME_FORMAT)
