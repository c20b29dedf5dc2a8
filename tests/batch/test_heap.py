"""The mmap-threshold setting that keeps long batch runs' memory flat (spacy_mammo.batch.memory)."""

import ctypes.util
import sys

import pytest

from spacy_mammo.batch import memory as heap


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="mallopt is glibc's")
def test_fix_mmap_threshold_is_accepted_by_glibc():
    assert heap.fix_mmap_threshold() is True


def test_fix_mmap_threshold_is_a_no_op_without_a_c_library(monkeypatch):
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: None)
    assert heap.fix_mmap_threshold() is False
