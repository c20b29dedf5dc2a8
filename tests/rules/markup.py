"""Docs from inline markup for the rule tests: `[[text|LABEL]]`, optionally with `|neg`,
`|unc`, `|hist` and `|fam` for the entity's assertion flags."""

import re

MARKUP = re.compile(r"\[\[(.+?)\|([A-Z_]+)((?:\|(?:neg|unc|hist|fam))*)\]\]")
FLAGS = {"neg": "negated", "unc": "uncertain", "hist": "historical", "fam": "family"}


def parse(marked):
    """Return (text, [(start, end, label, flags)]) for the markup; flags is a set of names."""
    text, spans, last = "", [], 0
    for m in MARKUP.finditer(marked):
        text += marked[last : m.start()]
        start = len(text)
        text += m.group(1)
        spans.append((start, len(text), m.group(2), {FLAGS[f] for f in m.group(3).split("|") if f}))
        last = m.end()
    return text + marked[last:], spans


def make_doc(nlp, marked, *, flags=False):
    """A doc with the markup's entities; with flags=True also their marked assertion flags."""
    text, spans = parse(marked)
    doc = nlp.make_doc(text)
    ents = [doc.char_span(s, e, label, alignment_mode="strict") for s, e, label, _ in spans]
    assert all(ent is not None for ent in ents), marked
    doc.ents = ents
    if flags:
        for ent, (*_, marked_flags) in zip(doc.ents, spans):
            for name in FLAGS.values():
                setattr(ent._, name, name in marked_flags)
    return doc
