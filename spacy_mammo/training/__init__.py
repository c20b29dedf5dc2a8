"""Training helpers registered for `spacy train`: curriculum batcher, logger, callbacks."""
