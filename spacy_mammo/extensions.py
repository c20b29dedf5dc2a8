"""Custom attributes that spacy-mammo sets on spans and docs."""

from spacy.tokens import Doc, Span

SPAN_FLAGS = ("negated", "uncertain", "historical", "family")
DOC_VALUES = ("findings", "report", "lesions")


def register_extensions() -> None:
    """Register the span flags (`Span._.negated`, `uncertain`, `historical`, `family`) and
    the doc values (`Doc._.findings`, `report`, `lesions`).

    Idempotent, so every module that needs them may call it.
    """
    for name in SPAN_FLAGS:
        if not Span.has_extension(name):
            Span.set_extension(name, default=False)
    for name in DOC_VALUES:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
