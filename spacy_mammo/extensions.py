"""Custom attributes that spacy-mammo sets on spans and docs."""
from spacy.tokens import Doc, Span


def register_extensions() -> None:
    """Register `Span._.negated`, `Span._.uncertain`, `Doc._.findings`, `Doc._.report`.

    Idempotent, so every module that needs them may call it.
    """
    for name in ("negated", "uncertain"):
        if not Span.has_extension(name):
            Span.set_extension(name, default=False)
    if not Doc.has_extension("findings"):
        Doc.set_extension("findings", default=None)
    if not Doc.has_extension("report"):
        Doc.set_extension("report", default=None)
