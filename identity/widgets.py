"""Form widgets shared by every app (identity is the lowest layer, so all may import it)."""

from django import forms

ISO_DATE = "%Y-%m-%d"


class DateInput(forms.DateInput):
    """``<input type="date">`` whose value is always ``YYYY-MM-DD``.

    Browsers accept nothing else in a date input's value, whatever the page's language,
    while Django's DateInput formats its value for the active language (``12/04/1985`` in
    French): the browser then shows an empty field and the date is lost at the next save.
    Parsing still accepts every format the active language allows.
    """

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=ISO_DATE)
