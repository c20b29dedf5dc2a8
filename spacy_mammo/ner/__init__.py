"""The learned tagger: torch module, thinc architecture, BIO decoding and the mammo_ner component."""
