"""The `mammo` command group and what its commands share: spaCy's `Arg`/`Opt`
wrappers, the exit codes and the checks of common options."""

from pathlib import Path
from typing import List, Optional

import spacy
import typer
from typer.core import TyperGroup
from typer.main import get_command

from ..errors import MammoDataError

NAME = "mammo"
COMMAND = "python -m spacy_mammo"
HELP = """spacy-mammo: synthetic reports, conversion, evaluation, batch extraction and review
of BI-RADS findings in mammography reports.

Exit codes: 0 success, 1 a data error (the message names the file, line or
record and the problem), 2 a usage error.
"""
EXIT_DATA_ERROR = 1
EXIT_USAGE_ERROR = 2  # what click itself uses

# As in spacy/cli/_util.py: short names for Typer's annotations.
Arg = typer.Argument
Opt = typer.Option


class MammoGroup(TyperGroup):
    """Runs a command and turns the errors that are not bugs into one line on stderr and an exit code:
    bad input data (MammoDataError) exits 1; a pipeline or optional package that cannot be loaded, or a
    path that cannot be read or written (OSError, ImportError), exits 2 like click's own usage errors.
    """

    def invoke(self, ctx: typer.Context):
        try:
            return super().invoke(ctx)
        except MammoDataError as err:
            _fail(err, EXIT_DATA_ERROR)
        except (OSError, ImportError) as err:
            _fail(err, EXIT_USAGE_ERROR)


def _fail(err: Exception, code: int) -> None:
    typer.echo(f"error: {' '.join(str(err).split())}", err=True)
    raise typer.Exit(code) from None


app = typer.Typer(
    name=NAME, help=HELP, cls=MammoGroup, no_args_is_help=True, add_completion=False, rich_markup_mode=None
)


def main(argv: Optional[List[str]] = None) -> None:
    """Run the `mammo` commands as `python -m spacy_mammo`; exits with the command's code."""
    get_command(app)(argv, prog_name=COMMAND)


def check_pipeline(model: str) -> str:
    """Option callback: `model` is a pipeline directory or an installed pipeline package."""
    if not Path(model).is_dir() and not spacy.util.is_package(model):
        raise typer.BadParameter(f"{model!r} is neither a pipeline directory nor an installed pipeline package")
    return model
