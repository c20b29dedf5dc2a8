"""Batch extraction: inputs (readers, record checks), outputs (JSONL/CSV, errors file), run (the loop,
resume, memory zones), distributed (Dask), memory (the heap fix)."""
