"""Rule components: the BI-RADS lexicon, the rule baseline, negation and structured findings."""
