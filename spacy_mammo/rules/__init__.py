"""Rule components: the BI-RADS lexicon, the rule baseline, abbreviations, negation and structured findings."""
