"""The one definition of each record type, used by every stage of the build.

The same classes are the editors' schema (exported as JSON Schema), the
validated content, and the model later stages read: a field is defined once,
here.  See :mod:`site_gen.records.base` for content and resolved fields.
"""

from site_gen.records.amounts import (
    AMOUNT_KINDS,
    Amount,
    AnyAmount,
    BenefitAmount,
    FixedAmount,
    PercentAmount,
    PerUnitAmount,
    RangeAmount,
    TiersAmount,
    UnstatedAmount,
)
from site_gen.records.base import SLUG_PATTERN, Record, field_column
from site_gen.records.changes import ChangeEntry, ChangeItem, FieldChange
from site_gen.records.content import (
    City,
    Document,
    Measure,
    NonCommitment,
    Part,
    Period,
    Quantity,
    SiteSettings,
    SourceRef,
    Target,
    Validity,
    Zone,
    ZoneFact,
)
from site_gen.records.schema import content_json_schema

__all__ = [
    "AMOUNT_KINDS", "SLUG_PATTERN", "Amount", "AnyAmount", "BenefitAmount", "ChangeEntry", "ChangeItem", "City",
    "Document", "FieldChange", "FixedAmount", "Measure", "NonCommitment", "Part", "PerUnitAmount", "PercentAmount",
    "Period", "Quantity", "RangeAmount", "Record", "SiteSettings", "SourceRef", "Target",
    "TiersAmount", "UnstatedAmount", "Validity", "Zone", "ZoneFact", "content_json_schema", "field_column",
]
