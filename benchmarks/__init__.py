"""Side-by-side benchmarks of mammo_ner against spaCy's ner, a CRF and the rule baseline (see README.md)."""
