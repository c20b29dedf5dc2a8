"""Batch extraction over files and folders, Dask scale-out, memory settings."""
