"""Command line: `python -m spacy_mammo COMMAND [ARGS]`.

Each command lives in the module that owns its concern and exposes
`cli_main(argv) -> int`; modules are imported only when their command runs.
"""
import importlib
import sys

COMMANDS = {
    "synth": ("spacy_mammo.corpus.synth", "generate synthetic annotated reports (JSONL)"),
    "convert": ("spacy_mammo.corpus.readers", "convert JSONL / CoNLL / CSV annotations to .spacy"),
    "assemble": ("spacy_mammo.assemble", "add negation and findings to a trained pipeline"),
    "evaluate": ("spacy_mammo.evaluation.evaluate", "score a pipeline on a test set (JSON + Markdown)"),
    "plot": ("spacy_mammo.evaluation.plot", "plot F1 per epoch from a training log"),
    "extract": ("spacy_mammo.batch.run", "batch-extract entities and findings from reports"),
    "review": ("spacy_mammo.evaluation.review", "render an HTML review page"),
    "stats": ("spacy_mammo.corpus.stats", "print corpus statistics of a JSONL file"),
}


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help") or argv[0] not in COMMANDS:
        print("usage: python -m spacy_mammo COMMAND [ARGS]\n\ncommands:")
        for name, (_, help_text) in COMMANDS.items():
            print(f"  {name:<10} {help_text}")
        return 0 if argv and argv[0] in ("-h", "--help") else 2
    module = importlib.import_module(COMMANDS[argv[0]][0])
    return module.cli_main(argv[1:])


if __name__ == "__main__":
    sys.exit(main())
