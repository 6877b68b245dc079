"""Name block-list: the dodges it must catch and the innocent names it must let through.

Stand-in words only ("rude", "grumpy", "spam", "boo"): the mechanism is what is tested.
"""
from __future__ import annotations

import os

import pytest

from bounded import needs_dev_zero, needs_fifo, run_bounded
from game.blocklist import BlockList, normalise_word, parse_word_lines, read_word_file
from game.i18n import Msg

WORDS = ("rude", "grumpy", "spam", "boo")


@pytest.fixture
def blocklist():
    return BlockList(WORDS)


@pytest.mark.parametrize("name", [
    "rude", "RUDE", "Rude Dude", "xxrudexx",            # case, inside other text
    "rüde", "RÛDÉ",                                      # accents
    "rud3", "gRuMpY", "$pam", "5p@m", "sp4m", "sp@m!",    # leetspeak
    "r.u.d.e", "r u d e", "r_u_d_e", "g-r-u-m-p-y", "s p.a_m",         # separators
    "ruuude", "rrruuddee", "grummmpy", "spaaaam",                      # repeated letters
    "R.u-u_d 3", "$$p@@@m",                                            # several at once
])
def test_dodges_are_caught(blocklist, name):
    assert blocklist.check(name) == Msg("kiosk_rules.name_blocked")


@pytest.mark.parametrize("name", [
    "Boo", "boo!", "B00", "booo", "b.o.o", "b o o", "b_0_0", "Bob the Boo", "boo-boo",
    "BÔÔ", "b.ö.o",
])
def test_short_word_caught_as_whole_word(blocklist, name):
    assert blocklist.blocks(name)


@pytest.mark.parametrize("name", [
    "Booker", "Taboo", "bookworm", "Bo", "Bob", "Ana", "Alex", "Ștefan", "Ioana-Maria",
    "Rudolf", "Grump", "Spa", "",
])
def test_innocent_names_pass(blocklist, name):
    assert blocklist.check(name) is None


def test_long_words_match_inside_names_scunthorpe_trade_off(blocklist):
    # Accepted cost of catching "xxspamxx": an innocent name containing the word is refused.
    assert blocklist.blocks("Spamalot")
    # Short words do not pay that cost.
    assert not blocklist.blocks("Booker")


def test_a_run_of_one_letter_needs_as_many_letters_as_the_word():
    blocklist = BlockList(["boo"])
    assert blocklist.blocks("booooo")
    assert not blocklist.blocks("bo")


def test_romanian_diacritics_in_list_and_name():
    blocklist = BlockList(["țâfnos"])       # Romanian for "grumpy", comma-below ț
    for name in ("Tafnos", "ȚÂFNOS", "ţâfnos", "t@fn0s", "T A F N O S"):  # ţ: cedilla form
        assert blocklist.blocks(name), name
    assert not blocklist.blocks("Ștefan")


def test_diacritics_in_name_against_plain_word(blocklist):
    assert blocklist.blocks("șpam")
    assert blocklist.blocks("grumpÿ")


def test_message_does_not_repeat_the_word(blocklist):
    message = blocklist.check("rude")
    assert message is not None and dict(message.params) == {}


def test_entries_are_normalised_and_empty_ones_dropped():
    blocklist = BlockList(["  Rude  ", "B4D", "...", "--", ""])
    assert blocklist.words == ("bad", "rude")
    assert len(blocklist) == 2
    assert blocklist.blocks("bad") and not blocklist.blocks("Alex")


def test_normalise_word():
    assert normalise_word("Ș-P@M!") == "spami"
    assert normalise_word("rüde 7") == "rudet"
    assert normalise_word("2 8 9") == ""


def test_empty_list_blocks_nothing():
    assert BlockList([]).check("rude") is None


def test_parse_word_lines_skips_comments_and_blanks():
    text = "# museum list\n\nrude\n  spam  # added after the spring fair\r\n#boo\n"
    assert parse_word_lines(text) == ["rude", "spam"]


def test_from_sources_reads_file_and_config_words(tmp_path):
    path = tmp_path / "words.txt"
    path.write_bytes("\ufeff# staff list\nțâfnos\n\ngrumpy # ok\n".encode("utf-8"))
    blocklist, warnings = BlockList.from_sources(["rude"], path)
    assert warnings == []
    assert blocklist.words == ("grumpy", "rude", "tafnos")
    assert blocklist.blocks("Tafnos") and blocklist.blocks("rude")


def test_from_sources_accepts_a_str_path_and_empty_path(tmp_path):
    path = tmp_path / "words.txt"
    path.write_text("spam\n", encoding="utf-8")
    blocklist, warnings = BlockList.from_sources([], str(path))
    assert blocklist.blocks("spam") and warnings == []
    blocklist, warnings = BlockList.from_sources(["rude"], "")
    assert blocklist.words == ("rude",) and warnings == []


@pytest.mark.parametrize("make_bad", [
    lambda folder: folder / "missing.txt",                      # no such file
    lambda folder: folder,                                      # a directory
    lambda folder: _write(folder / "binary.txt", b"\x00\x01spam\x00"),  # not text at all
])
def test_unreadable_file_warns_and_keeps_config_words(tmp_path, make_bad):
    path = make_bad(tmp_path)
    blocklist, warnings = BlockList.from_sources(["rude"], path)
    assert len(warnings) == 1 and str(path) in warnings[0]
    assert blocklist.words == ("rude",)


def test_read_word_file_reports_instead_of_raising(tmp_path):
    words, warning = read_word_file(tmp_path / "nope.txt")
    assert words == [] and "could not read" in warning


def test_entry_without_letters_warns(tmp_path):
    blocklist, warnings = BlockList.from_sources(["rude", "..."], None)
    assert len(warnings) == 1 and "'...'" in warnings[0]
    assert blocklist.words == ("rude",)


# ---------------------------------------------------------------- hostile or odd files
# The museum's own accented words, as staff might type them in Notepad.
ACCENTED = ("grümpy", "țâfnos", "œuvre")


@needs_fifo
def test_a_fifo_as_the_file_warns_instead_of_hanging_start_up(tmp_path):
    fifo = tmp_path / "words.txt"
    os.mkfifo(fifo)     # nobody ever writes: opening it for reading would block forever
    blocklist, warnings = run_bounded(BlockList.from_sources, ["rude"], fifo)
    assert len(warnings) == 1 and str(fifo) in warnings[0]
    assert "not a regular file" in warnings[0]
    assert blocklist.words == ("rude",)


@needs_dev_zero
def test_a_symlink_to_dev_zero_warns_instead_of_eating_memory(tmp_path):
    link = tmp_path / "words.txt"
    link.symlink_to("/dev/zero")
    blocklist, warnings = run_bounded(BlockList.from_sources, ["rude"], link)
    assert len(warnings) == 1 and str(link) in warnings[0]
    assert blocklist.words == ("rude",)


def test_an_oversized_file_is_refused_with_a_warning(tmp_path):
    path = _write(tmp_path / "words.txt", b"spam\n" * 300_000)
    blocklist, warnings = BlockList.from_sources(["rude"], path)
    assert len(warnings) == 1 and str(path) in warnings[0] and "MiB" in warnings[0]
    assert blocklist.words == ("rude",)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_a_utf16_file_with_a_byte_order_mark_blocks_its_words(tmp_path, codec):
    # Windows Notepad's "Unicode" choice saves like this.
    text = "\ufeff# staff list\r\n" + "\r\n".join(ACCENTED) + "\r\n"
    path = _write(tmp_path / "words.txt", text.encode(codec))
    blocklist, warnings = BlockList.from_sources([], path)
    assert warnings == []
    assert all(blocklist.blocks(name) for name in ("Grumpy", "TAFNOS", "Œuvre"))


def test_a_latin1_file_blocks_its_words_and_warns_staff(tmp_path):
    # Windows-1252 (Notepad's "ANSI" in Western Europe): "œ" is byte 0x9C, not in ISO 8859-1.
    path = _write(tmp_path / "words.txt", "grümpy\nrûde\nœuvre\n".encode("cp1252"))
    blocklist, warnings = BlockList.from_sources([], path)
    assert all(blocklist.blocks(name) for name in ("Grumpy", "RUDE", "Œuvre"))
    assert len(warnings) == 1
    assert str(path) in warnings[0] and "Windows-1252" in warnings[0]


def _write(path, data):
    path.write_bytes(data)
    return path
