"""game.text_files: which small text files are read, and how their bytes become text."""
from __future__ import annotations

import pytest

from game.text_files import TextFileError, read_small_text


def test_a_symlink_to_a_regular_file_is_followed(tmp_path):
    target = tmp_path / "real.txt"
    target.write_text("spam\n", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    assert read_small_text(link).text == "spam\n"


@pytest.mark.parametrize("data, encoding", [
    (b"caf\xc3\xa9", "utf-8"),
    (b"\xef\xbb\xbfcaf\xc3\xa9", "utf-8-sig"),
    (b"\xff\xfec\x00a\x00f\x00\xe9\x00", "utf-16"),
    (b"\xfe\xff\x00c\x00a\x00f\x00\xe9", "utf-16"),
    (b"caf\xe9", "cp1252"),
])
def test_encodings_are_recognised_and_marks_dropped(tmp_path, data, encoding):
    path = tmp_path / "words.txt"
    path.write_bytes(data)
    source = read_small_text(path)
    assert (source.text, source.encoding) == ("café", encoding)
    assert bool(source.staff_notes()) == (encoding == "cp1252")


def test_bytes_windows_1252_leaves_undefined_still_decode(tmp_path):
    path = tmp_path / "words.txt"
    path.write_bytes(b"caf\xe9 \x81")
    source = read_small_text(path)
    assert source.text == "café \x81" and source.encoding_guessed


def test_the_size_cap_is_exact(tmp_path):
    path = tmp_path / "words.txt"
    path.write_bytes(b"a" * 10)
    assert read_small_text(path, max_bytes=10).text == "a" * 10
    with pytest.raises(TextFileError, match="it is 10 bytes; at most 9 bytes"):
        read_small_text(path, max_bytes=9)


def test_a_missing_file_is_marked_missing(tmp_path):
    with pytest.raises(TextFileError) as excinfo:
        read_small_text(tmp_path / "nope.txt")
    assert excinfo.value.missing and "does not exist" in str(excinfo.value)
