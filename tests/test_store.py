"""The leaderboard: rows, PNG files, ranking, names, damage recovery, migrations, processes."""

from __future__ import annotations

import logging
import multiprocessing
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from game import store
from game.store import (
    NAME_BAD_CHARACTERS,
    NAME_EMPTY,
    NAME_TOO_LONG,
    Leaderboard,
    NameRejected,
    validate_name,
)

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc)


def painting(height: int = 6, width: int = 9, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, (height, width, 3), dtype=np.uint8)


def read_png(path: Path) -> np.ndarray:
    with Image.open(path) as image:
        image.load()  # decodes every byte: a truncated file raises here
        return np.asarray(image)


def pngs(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.png"))


def quick_check(db_path: Path) -> list[tuple[str]]:
    with closing(sqlite3.connect(db_path)) as db:
        return db.execute("PRAGMA quick_check").fetchall()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "leaderboard.sqlite3"


@pytest.fixture
def board(db_path: Path) -> Iterator[Leaderboard]:
    with Leaderboard(db_path) as opened:
        yield opened


# --- saving and reading back -------------------------------------------------------------


def test_add_writes_the_png_and_the_row(board: Leaderboard, db_path: Path) -> None:
    image = painting(7, 11, seed=3)
    row = board.add(
        "  Ada  ", 0.75, "cat", "wave", image,
        content_title="A Cat", style_title="The Great Wave", round_seconds=90.4,
        when=datetime(2025, 3, 1, 13, 0, tzinfo=timezone(timedelta(hours=1))),
    )
    assert row.name == "Ada"
    assert (row.score, row.content_id, row.style_id) == (0.75, "cat", "wave")
    assert (row.content_title, row.style_title) == ("A Cat", "The Great Wave")
    assert (row.round_seconds, row.mode) == (90, "solo")
    assert row.created_at == T0 and row.created_at.utcoffset() == timedelta(0)
    assert row.painting_path.parent == db_path.parent / "paintings"
    assert np.array_equal(read_png(row.painting_path), image)
    assert board.top() == [row]
    assert board.count() == 1
    with closing(sqlite3.connect(db_path)) as db:
        stored = db.execute("SELECT name, created_at, painting_path FROM scores").fetchone()
    expected_path = f"paintings/{row.painting_path.name}"  # relative: the folder can move
    assert stored == ("Ada", "2025-03-01T12:00:00.000000+00:00", expected_path)


def test_a_row_signed_before_its_score_gets_it_later(board: Leaderboard) -> None:
    early = board.add("Early", None, "c", "s", painting())
    other = board.add("Other", 5.0, "c", "s", painting(seed=1))
    assert [row.name for row in board.top()] == ["Other", "Early"]    # unscored rows last
    assert board.set_score(early.id, 7.5)
    assert [(row.name, row.score) for row in board.top()] == [("Early", 7.5), ("Other", 5.0)]
    assert board.rank_of(early.id) == 1 and board.rank_of(other.id) == 2
    assert not board.set_score(9999, 1.0)                           # no such row
    with pytest.raises(ValueError):
        board.set_score(early.id, float("nan"))


def test_rows_survive_reopening(db_path: Path) -> None:
    with Leaderboard(db_path) as first:
        saved = first.add("Bo", 0.5, "c", "s", painting(), mode="kiosk")
    with Leaderboard(db_path) as second:
        assert second.top() == [saved]
        assert second.notice is None


def test_custom_paintings_dir(tmp_path: Path) -> None:
    with Leaderboard(tmp_path / "db" / "lb.sqlite3", tmp_path / "pics") as board:
        row = board.add("Cy", None, "c", "s", painting())
    assert row.painting_path.parent == tmp_path / "pics"
    assert row.painting_path.is_file()


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"name": "   "}, NameRejected),
        ({"painting": np.zeros((4, 4), dtype=np.uint8)}, ValueError),
        ({"painting": np.zeros((4, 4, 4), dtype=np.uint8)}, ValueError),
        ({"painting": np.zeros((4, 4, 3), dtype=np.float64)}, ValueError),
        ({"score": float("nan")}, ValueError),
        ({"mode": "arcade"}, ValueError),
        ({"when": datetime(2025, 1, 1, 12, 0)}, ValueError),
    ],
    ids=["name", "2d", "rgba", "float", "nan-score", "mode", "naive-time"],
)
def test_bad_input_writes_nothing(
    board: Leaderboard, db_path: Path, changes: dict[str, object], error: type[Exception]
) -> None:
    arguments: dict[str, object] = {
        "name": "Di", "score": 1.0, "content_id": "c", "style_id": "s", "painting": painting(),
    }
    arguments.update(changes)
    with pytest.raises(error):
        board.add(**arguments)  # type: ignore[arg-type]
    assert board.count() == 0
    assert list((db_path.parent / "paintings").iterdir()) == []


def test_failed_insert_removes_its_png(board: Leaderboard, db_path: Path) -> None:
    with closing(sqlite3.connect(db_path)) as other:
        other.execute("DROP TABLE scores")
    with pytest.raises(sqlite3.OperationalError):
        board.add("Ed", 1.0, "c", "s", painting())
    assert list((db_path.parent / "paintings").iterdir()) == []


# --- ranking ----------------------------------------------------------------------------


def test_ranking_puts_best_first_ties_earliest_and_unscored_last(board: Leaderboard) -> None:
    def add(name: str, score: float | None, minutes: int) -> int:
        return board.add(name, score, "c", "s", painting(),
                         when=T0 + timedelta(minutes=minutes)).id

    ids = {
        "unscored early": add("u1", None, 0),
        "middle": add("mid", 0.5, 1),
        "tie late": add("tie2", 0.9, 5),
        "tie early": add("tie1", 0.9, 2),
        "worst": add("low", 0.0, 3),
        "unscored late": add("u2", None, 4),
        "negative": add("neg", -1.0, 6),
    }
    names = [row.name for row in board.top(limit=100)]
    assert names == ["tie1", "tie2", "mid", "low", "neg", "u1", "u2"]
    assert [row.name for row in board.top(limit=2)] == ["tie1", "tie2"]
    assert board.top(limit=0) == []
    assert board.rank_of(ids["tie early"]) == 1
    assert board.rank_of(ids["tie late"]) == 2
    assert board.rank_of(ids["negative"]) == 5
    assert board.rank_of(ids["unscored late"]) == 7
    assert board.rank_of(999) is None
    assert board.count() == 7


@pytest.fixture
def auckland_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Run with a local zone 13 h ahead of UTC, so local and UTC dates disagree."""
    if not hasattr(time, "tzset"):
        pytest.skip("needs time.tzset (POSIX)")
    monkeypatch.setenv("TZ", "Pacific/Auckland")
    time.tzset()
    if time.localtime(T0.timestamp()).tm_gmtoff != 13 * 3600:
        pytest.skip("tz database not available")
    yield
    monkeypatch.undo()
    time.tzset()


def test_day_filter_uses_the_local_calendar_day(board: Leaderboard, auckland_time: None) -> None:
    def add(name: str, utc: datetime) -> None:
        board.add(name, 1.0, "c", "s", painting(), when=utc)

    # January: Auckland is UTC+13.
    add("10th 00:00", datetime(2025, 1, 9, 11, 0, tzinfo=timezone.utc))
    add("10th 23:59", datetime(2025, 1, 10, 10, 59, tzinfo=timezone.utc))
    add("11th 00:00", datetime(2025, 1, 10, 11, 0, tzinfo=timezone.utc))
    add("9th 23:59", datetime(2025, 1, 9, 10, 59, tzinfo=timezone.utc))

    tenth = board.top(day=date(2025, 1, 10))
    assert sorted(row.name for row in tenth) == ["10th 00:00", "10th 23:59"]
    assert [row.name for row in board.top(day=date(2025, 1, 11))] == ["11th 00:00"]
    assert board.top(day=date(2025, 1, 12)) == []
    assert len(board.top()) == 4


# --- names ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("  Ada  ", "Ada"),
        ("Mary   Jane", "Mary Jane"),
        ("Bob\n", "Bob"),  # a trailing Enter from the text box is trimmed, not refused
        ("x" * 16, "x" * 16),
        ("R2-D2! #1 (c)_ok", "R2-D2! #1 (c)_ok"),
        ("Zoë", "Zoë"),
        ("e\u0301" * 16, "é" * 16),  # decomposed accents count once each
        ("Иван", "Иван"),
        ("李小龙", "李小龙"),
        ("$5 + 3 = €8", "$5 + 3 = €8"),
    ],
)
def test_names_accepted(raw: str, stored: str) -> None:
    assert validate_name(raw) == stored


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", NAME_EMPTY),
        ("   \t\n ", NAME_EMPTY),
        ("x" * 17, NAME_TOO_LONG),
        ("  " + "x" * 17 + "  ", NAME_TOO_LONG),
        ("Ada\tLovelace", NAME_BAD_CHARACTERS),
        ("Ada\nLovelace", NAME_BAD_CHARACTERS),
        ("Ada\x00", NAME_BAD_CHARACTERS),
        ("\x1b[31mred", NAME_BAD_CHARACTERS),
        ("evil\u202egnp", NAME_BAD_CHARACTERS),  # right-to-left override
        ("a\u200bb", NAME_BAD_CHARACTERS),  # zero-width space
        ("non\u00a0break", NAME_BAD_CHARACTERS),
        ("Ada 😀", NAME_BAD_CHARACTERS),
        ("❤️", NAME_BAD_CHARACTERS),
        ("♥", NAME_BAD_CHARACTERS),
        ("1\ufe0f\u20e3", NAME_BAD_CHARACTERS),  # keycap emoji
        ("\U0001f1eb\U0001f1f7", NAME_BAD_CHARACTERS),  # flag
        ("𝓑𝓸𝓫", NAME_BAD_CHARACTERS),  # "fancy font" letters pasted from the web
    ],
)
def test_names_refused_with_a_message(raw: str, message) -> None:
    with pytest.raises(NameRejected) as caught:
        validate_name(raw)
    assert caught.value.message == message
    assert isinstance(caught.value, ValueError)


def test_each_refusal_reason_has_its_own_message() -> None:
    assert len({NAME_EMPTY, NAME_TOO_LONG, NAME_BAD_CHARACTERS}) == 3


# --- damage and migrations --------------------------------------------------------------


def moved_aside(db_path: Path) -> list[Path]:
    return sorted(db_path.parent.glob(f"{db_path.name}.corrupt-*"))


def test_random_bytes_are_moved_aside_and_a_fresh_board_made(
    db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db_path.parent.mkdir(parents=True)
    junk = np.random.default_rng(1).bytes(10_000)
    db_path.write_bytes(junk)
    stale_wal = Path(f"{db_path}-wal")
    stale_wal.write_bytes(b"stale wal")

    with caplog.at_level(logging.ERROR, logger="game.store"):
        board = Leaderboard(db_path)
    with board:
        old = [p for p in moved_aside(db_path) if not p.name.endswith(("-wal", "-shm"))]
        assert len(old) == 1
        assert old[0].read_bytes() == junk
        # SQLite itself may discard a WAL it cannot use; it must not stay with the new file.
        assert not stale_wal.exists() or stale_wal.read_bytes() != b"stale wal"
        assert board.notice is not None
        assert "damaged" in board.notice and str(old[0]) in board.notice
        assert str(old[0]) in caplog.text
        assert board.count() == 0
        board.add("Fay", 1.0, "c", "s", painting())
        assert board.count() == 1
    assert quick_check(db_path) == [("ok",)]


def test_moving_aside_takes_the_wal_and_shm_and_never_overwrites(tmp_path: Path) -> None:
    db_path = tmp_path / "lb.sqlite3"
    targets = []
    for attempt in range(2):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_path}{suffix}").write_text(f"{attempt}{suffix}")
        targets.append(store._move_aside(db_path))
    assert targets[0] != targets[1]
    for attempt, target in enumerate(targets):
        assert target.name.startswith("lb.sqlite3.corrupt-")
        for suffix in ("", "-wal", "-shm"):
            assert Path(f"{target}{suffix}").read_text() == f"{attempt}{suffix}"
            assert not Path(f"{db_path}{suffix}").exists()


def test_truncated_database_is_moved_aside(db_path: Path) -> None:
    with Leaderboard(db_path) as board:
        for number in range(200):
            board.add(f"p{number}", float(number), "c", "s", painting(2, 2),
                      content_title="x" * 200)
    whole = db_path.read_bytes()
    db_path.write_bytes(whole[: len(whole) // 2])

    with Leaderboard(db_path) as reopened:
        assert reopened.notice is not None
        assert reopened.count() == 0
        assert [p.stat().st_size for p in moved_aside(db_path)] == [len(whole) // 2]


def test_a_locked_database_is_not_mistaken_for_damage(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db_path.parent.mkdir(parents=True)
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("CREATE TABLE other (x)")  # rollback-journal mode: a lock blocks readers
    holder.execute("BEGIN EXCLUSIVE")
    monkeypatch.setattr(store, "BUSY_TIMEOUT_MS", 1)  # fail fast instead of waiting
    try:
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            Leaderboard(db_path)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert moved_aside(db_path) == []
    assert quick_check(db_path) == [("ok",)]


def test_opening_waits_out_a_racing_opener(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Switching a new file to WAL fails at once while another process reads it; retry."""
    db_path.parent.mkdir(parents=True)
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("CREATE TABLE other (x)")
    holder.execute("BEGIN")
    holder.execute("SELECT * FROM other").fetchall()  # a shared lock, as a racing opener has

    class Clock:
        """Stands in for store.time: the first retry pause lets the other opener finish."""

        pauses = 0

        @staticmethod
        def time() -> float:
            return time.time()

        @staticmethod
        def monotonic() -> float:
            return 0.0  # never reaches the deadline: the test must not depend on speed

        def sleep(self, _seconds: float) -> None:
            self.pauses += 1
            if holder.in_transaction:
                holder.execute("COMMIT")

    clock = Clock()
    monkeypatch.setattr(store, "time", clock)
    monkeypatch.setattr(store, "BUSY_TIMEOUT_MS", 1)
    try:
        with Leaderboard(db_path) as board:
            board.add("Ivy", 1.0, "c", "s", painting())
    finally:
        holder.close()
    assert clock.pauses >= 1
    assert moved_aside(db_path) == []
    with closing(sqlite3.connect(db_path)) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def user_version(db_path: Path) -> int:
    with closing(sqlite3.connect(db_path)) as db:
        return db.execute("PRAGMA user_version").fetchone()[0]


def test_version_zero_database_is_migrated(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    with closing(sqlite3.connect(db_path)) as db:
        db.execute("CREATE TABLE unrelated (x)")  # a valid SQLite file at user_version 0
    assert user_version(db_path) == 0
    with Leaderboard(db_path) as board:
        board.add("Gus", 2.0, "c", "s", painting())
        assert board.notice is None
    assert user_version(db_path) == len(store.MIGRATIONS) >= 1


def _add_device_column(db: sqlite3.Connection) -> None:
    db.execute("ALTER TABLE scores ADD COLUMN device TEXT NOT NULL DEFAULT 'unknown'")


def test_older_database_gets_new_migrations_and_keeps_rows(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Leaderboard(db_path) as board:
        kept = board.add("Hal", 3.0, "c", "s", painting())
    shipped = len(store.MIGRATIONS)
    assert user_version(db_path) == shipped

    monkeypatch.setattr(store, "MIGRATIONS", (*store.MIGRATIONS, _add_device_column))
    with Leaderboard(db_path) as board:
        assert board.top() == [kept]
    assert user_version(db_path) == shipped + 1
    with closing(sqlite3.connect(db_path)) as db:
        assert db.execute("SELECT name, device FROM scores").fetchall() == [("Hal", "unknown")]


def test_failed_migration_rolls_back_completely(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Leaderboard(db_path).close()

    def half_done(db: sqlite3.Connection) -> None:
        _add_device_column(db)
        raise RuntimeError("bug in the new migration")

    shipped = len(store.MIGRATIONS)
    monkeypatch.setattr(store, "MIGRATIONS", (*store.MIGRATIONS, half_done))
    with pytest.raises(RuntimeError, match="new migration"):
        Leaderboard(db_path)
    assert user_version(db_path) == shipped
    with closing(sqlite3.connect(db_path)) as db:
        columns = [row[1] for row in db.execute("PRAGMA table_info(scores)")]
    assert "device" not in columns
    assert moved_aside(db_path) == []


def test_stale_temp_files_are_cleaned_on_open(db_path: Path) -> None:
    folder = db_path.parent / "paintings"
    folder.mkdir(parents=True)
    stale = folder / f".old{store.TEMP_SUFFIX}"
    fresh = folder / f".new{store.TEMP_SUFFIX}"
    keep = folder / "notes.txt"
    for path in (stale, fresh, keep):
        path.write_bytes(b"partial")
    long_ago = time.time() - store.STALE_TEMP_SECONDS - 60
    os.utime(stale, (long_ago, long_ago))
    os.utime(keep, (long_ago, long_ago))

    Leaderboard(db_path).close()

    assert not stale.exists()
    assert fresh.exists()  # may be another process's save in progress
    assert keep.exists()


# --- several processes ------------------------------------------------------------------


def _add_many(db_path: str, worker: str, count: int, go: object) -> None:
    go.wait()  # type: ignore[attr-defined]
    with Leaderboard(Path(db_path)) as board:
        for number in range(count):
            board.add(f"{worker}-{number}", float(number), "c", "s", painting(4, 4, number))


def _add_forever(db_path: str, saved: object) -> None:
    with Leaderboard(Path(db_path)) as board:
        number = 0
        while True:
            # Big enough that PNG encoding takes a while, so the kill often lands mid-write.
            row = board.add(f"k{number}", float(number), "c", "s", painting(700, 700, number))
            saved.put((row.id, row.painting_path.name))  # type: ignore[attr-defined]
            number += 1


@pytest.mark.timeout(300)
def test_two_processes_adding_at_once_lose_nothing(db_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    go = context.Event()
    workers = [
        context.Process(target=_add_many, args=(str(db_path), name, 200, go))
        for name in ("left", "right")
    ]
    for worker in workers:
        worker.start()
    go.set()  # both open the fresh file and write at the same time
    for worker in workers:
        worker.join(timeout=240)
    assert [worker.exitcode for worker in workers] == [0, 0]

    with Leaderboard(db_path) as board:
        assert board.notice is None
        assert board.count() == 400
        rows = board.top(limit=1000)
    names = {row.name for row in rows}
    assert names == {f"{side}-{n}" for side in ("left", "right") for n in range(200)}
    assert len({row.id for row in rows}) == 400
    assert all(row.painting_path.is_file() for row in rows)
    assert len(pngs(db_path.parent / "paintings")) == 400
    assert quick_check(db_path) == [("ok",)]


@pytest.mark.timeout(300)
def test_killing_a_process_mid_save_loses_only_the_unfinished_painting(db_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    saved = context.SimpleQueue()
    child = context.Process(target=_add_forever, args=(str(db_path), saved))
    child.start()
    reported = [saved.get() for _ in range(5)]  # five adds have fully returned
    folder = db_path.parent / "paintings"
    # Kill while a sixth painting is on its way to disk (whatever name it has meanwhile),
    # found by watching the folder rather than by guessing how long a save takes.
    while True:
        while not saved.empty():
            reported.append(saved.get())
        finished = {name for _, name in reported}
        if any(p.name not in finished for p in folder.iterdir()):
            break
        assert child.is_alive(), "the saving process stopped on its own"
    child.kill()  # SIGKILL on POSIX: no cleanup code runs
    child.join()
    while not saved.empty():
        reported.append(saved.get())

    assert quick_check(db_path) == [("ok",)]
    with Leaderboard(db_path) as board:
        assert board.notice is None
        rows = board.top(limit=1000)
        ids = {row.id for row in rows}
        assert {row_id for row_id, _ in reported} <= ids
        for row in rows:  # no row points at a missing or partial PNG
            assert read_png(row.painting_path).shape == (700, 700, 3)
        for file in pngs(folder):  # nothing half-written under a final name
            assert read_png(file).shape == (700, 700, 3)
        leftovers = {p.name for p in folder.iterdir()} - {p.name for p in pngs(folder)}
        assert all(name.endswith(store.TEMP_SUFFIX) for name in leftovers)
        board.add("after", 1.0, "c", "s", painting())  # still writable: the lock was freed
        assert board.count() == len(rows) + 1


# -- where the attempt came from (issue 13: bring your own attempt) -----------------------
def _add_v2(self, name, score, image):
    """A row as a schema-2 game saved it: no origin column yet."""
    cursor = self._db.execute(
        "INSERT INTO scores (name, score, content_id, style_id, created_at, painting_path, "
        "score_scale) VALUES (?, ?, 'c', 's', ?, ?, ?)",
        (name, score, "2026-12-01T10:00:00.000000+00:00", str(self._write_png(image)),
         store.SCORE_SCALE))
    return cursor.lastrowid


def test_migration_3_keeps_old_rows_as_painted(tmp_path, monkeypatch):
    db_path = tmp_path / "leaderboard.sqlite3"
    with monkeypatch.context() as patch:
        patch.setattr(store, "MIGRATIONS", store.MIGRATIONS[:2])
        with Leaderboard(db_path) as board:
            old_ids = [_add_v2(board, "Old", 7.5, painting()),
                       _add_v2(board, "Older", None, painting(seed=1))]
    assert user_version(db_path) == 2
    with Leaderboard(db_path) as board:
        assert user_version(db_path) == len(store.MIGRATIONS) >= 3
        brought = board.add("Brought", 9.0, "c", "s", painting(), origin="uploaded")
        rows = {row.id: row for row in board.top()}
        assert [rows[i].origin for i in old_ids] == ["painted", "painted"]
        assert rows[brought.id].origin == "uploaded"
        assert [row.name for row in board.top(painted_only=True)] == ["Old", "Older"]
    with closing(sqlite3.connect(db_path)) as db:
        names = {row[1] for row in db.execute("PRAGMA index_list(scores)")}
        stored = db.execute("SELECT name, origin FROM scores ORDER BY id").fetchall()
    assert "scores_by_origin_rank" in names
    assert stored == [("Old", "painted"), ("Older", "painted"), ("Brought", "uploaded")]


def test_painted_only_filter_in_top_and_rank(board):
    painted = board.add("Painter", 6.0, "c", "s", painting())
    brought = board.add("Bringer", 9.5, "c", "s", painting(seed=1), origin="uploaded")
    later = board.add("Later", 5.0, "c", "s", painting(seed=2))
    assert [row.name for row in board.top()] == ["Bringer", "Painter", "Later"]
    assert [row.name for row in board.top(painted_only=True)] == ["Painter", "Later"]
    today = datetime.now().astimezone().date()
    assert [row.id for row in board.top(day=today, painted_only=True)] == [painted.id, later.id]
    assert [board.rank_of(row.id) for row in (brought, painted, later)] == [1, 2, 3]
    assert board.rank_of(painted.id, painted_only=True) == 1
    assert board.rank_of(later.id, painted_only=True) == 2
    assert board.rank_of(brought.id, painted_only=True) is None
    assert brought.origin == "uploaded" and painted.origin == "painted"


def test_unknown_origin_is_refused(board):
    with pytest.raises(ValueError, match="unknown origin 'scanned'"):
        board.add("Someone", 5.0, "c", "s", painting(), origin="scanned")
    assert board.count() == 0
    assert list(board.paintings_dir.glob("*.png")) == []
