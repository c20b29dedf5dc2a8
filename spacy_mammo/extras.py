"""Optional dependencies, imported where they are used.

The runtime install (`pip install spacy-mammo`) holds what inference and
`extract` need; plotting, Parquet and Dask come with extras, and a missing one
raises an ImportError that names the extra to install.
"""

import importlib
from types import ModuleType


def require(module: str, extra: str, purpose: str) -> ModuleType:
    """Import `module`, or raise an ImportError naming the extra that installs it.

    module (str): the module to import, e.g. "pyarrow.parquet".
    extra (str): the spacy-mammo extra that installs it, e.g. "parquet".
    purpose (str): what needs it, for the message ("reading Parquet").
    RETURNS (ModuleType): the module.
    """
    try:
        return importlib.import_module(module)
    except ImportError as err:
        package = module.split(".")[0]
        raise ImportError(f'{purpose} needs {package}: pip install "spacy-mammo[{extra}]"') from err
