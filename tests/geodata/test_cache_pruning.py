"""The cache folder's archives are kept under a limit: writing an entry lets the least recently used others go
(reading one marks it used), never the one just written, and files that are not archives are left alone."""

import os

import numpy as np

from geodata.travel_cache import cached_arrays, keep_arrays, prune_archives, read_arrays

VALUES = {"values": np.zeros(1_250)}  # every archive here the same size


def _archive(folder, name, when):
    path = folder / f"{name}.npz"
    keep_arrays(path, VALUES, limit=2**40)
    os.utime(path, ns=(when, when))
    return path


def test_the_least_recently_used_archives_go_first_until_under_the_limit(tmp_path):
    old, middle, new = (_archive(tmp_path, name, when) for name, when in
                        (("old", 1_000_000_000), ("middle", 2_000_000_000), ("new", 3_000_000_000)))
    (tmp_path / "file-digests.json").write_text("{}")
    size = old.stat().st_size
    removed = prune_archives(tmp_path, keep=new, limit=2 * size)
    assert removed == [old]
    assert not old.exists() and middle.exists() and new.exists() and (tmp_path / "file-digests.json").exists()


def test_reading_an_archive_marks_it_used_and_the_one_written_is_never_let_go(tmp_path):
    first = _archive(tmp_path, "first", 1_000_000_000)
    second = _archive(tmp_path, "second", 2_000_000_000)
    assert read_arrays(first) is not None  # now the most recently used
    size = first.stat().st_size
    third = tmp_path / "third.npz"
    keep_arrays(third, VALUES, limit=2 * size)
    assert first.exists() and not second.exists() and third.exists()
    keep_arrays(third, VALUES, limit=0)  # over any limit alone: still kept
    assert third.exists() and not first.exists()


def test_an_entry_let_go_is_built_again_not_an_error(tmp_path):
    built = []

    def build():
        built.append(1)
        return {"values": np.arange(3.0)}

    path = tmp_path / "entry.npz"
    assert read_arrays(path) is None
    np.testing.assert_array_equal(cached_arrays(tmp_path, "entry", build)["values"], np.arange(3.0))
    path.unlink()
    np.testing.assert_array_equal(cached_arrays(tmp_path, "entry", build)["values"], np.arange(3.0))
    assert len(built) == 2
