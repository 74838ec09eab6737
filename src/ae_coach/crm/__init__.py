"""CRM imports: Salesforce and HubSpot exports, or any CSV with a column mapping, into deals.

The public door::

    from ae_coach.crm import import_csv, load_pipeline, load_mapping
    result = load_pipeline("pipeline.csv")          # ImportResult: deals, warnings, skipped, source_format

Formats are detected from the header row (see ``_formats`` for the alias tables and default stage maps).
An unknown picklist value is never guessed: it is left empty (or the row skipped, for the stage) and
reported with its line number. A bad row never aborts the import.
"""

from ae_coach.crm.importer import import_csv
from ae_coach.crm.load import load_pipeline
from ae_coach.crm.mapping import ColumnMapping, load_mapping
from ae_coach.crm.result import ImportResult, RowWarning, SkippedRow

__all__ = ["ColumnMapping", "ImportResult", "RowWarning", "SkippedRow", "import_csv", "load_mapping", "load_pipeline"]
