"""Spreadsheet cells written by the portal are never read as formulas.

A cell beginning with =, +, -, @, a tab or a carriage return is run as a formula by Excel and
LibreOffice (CSV injection); a leading apostrophe makes it plain text, as OWASP advises.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def spreadsheet_value(text: str) -> str:
    """A cell read back from a file: the apostrophe that ``spreadsheet_cell`` added is dropped."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def spreadsheet_row(values) -> list:
    return [spreadsheet_cell(value) for value in values]


class FormulaSafeWriter:
    """``csv.writer`` whose rows go through ``spreadsheet_row``: every CSV export uses it."""

    def __init__(self, out, **options):
        import csv

        self._writer = csv.writer(out, **options)

    def writerow(self, values):
        return self._writer.writerow(spreadsheet_row(values))

    def writerows(self, rows):
        for values in rows:
            self.writerow(values)
