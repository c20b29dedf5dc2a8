"""Data: the synthetic report generator, readers/converters and corpus statistics."""
