"""spacy-mammo: a spaCy plugin that finds BI-RADS findings in mammography reports.

Importing the package is optional: every registered function is also declared
as an entry point, so `spacy.load` finds them without this import.
"""

from .errors import MammoDataError
from .extensions import register_extensions
from .labels import FINDING_LABELS, LABELS

__version__ = "0.1.0"
__all__ = ["LABELS", "FINDING_LABELS", "MammoDataError", "register_extensions"]

register_extensions()
