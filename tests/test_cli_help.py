"""The command line tells what it can do (issue 11, part 4).

One parser with sub-commands: `main.py --help` lists them all, each has its own --help
with examples, an unknown command is one line and exit status 2, and every command line
the README and the Makefile show still parses. The libraries' chatter (ALSA, TensorFlow,
XDG_RUNTIME_DIR) is filtered from stderr unless -v is given.
"""
from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import main  # noqa: E402
from game import quiet  # noqa: E402

MODELS_COMMANDS = ("status", "fetch", "import", "export", "train-encoder")


def run_main(*args: str, env: dict | None = None, timeout: int = 120):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], cwd=ROOT,
                          env=env or dict(os.environ), capture_output=True, text=True,
                          timeout=timeout)


# -- help -------------------------------------------------------------------------------
def test_main_help_lists_every_command():
    proc = run_main("--help")
    assert proc.returncode == 0, proc.stderr
    listed = re.findall(r"^    (\S+) +\S", proc.stdout, re.MULTILINE)
    assert listed == ["play", "demo", "models", "stylize", "score", "supervise", "farm"]
    assert list(main.COMMANDS) == listed
    assert "examples:" in proc.stdout and proc.stderr == ""


@pytest.mark.parametrize("command", [[name] for name in main.COMMANDS]
                         + [["models", name] for name in MODELS_COMMANDS])
def test_every_command_has_its_own_help_with_an_example(command, capsys):
    assert main.main([*command, "--help"]) == 0
    out = capsys.readouterr().out
    spoken = " ".join(command)
    assert out.startswith(f"usage: main.py {spoken} ")
    assert "example" in out
    # An example line that runs this very command (play's is main.py alone or options).
    pattern = r"^  main\.py( -|$)" if command == ["play"] else \
        rf"^  main\.py {re.escape(spoken)}\b"
    assert re.search(pattern, out, re.MULTILINE), out


def test_an_unknown_command_is_one_line_and_exit_status_2():
    proc = run_main("frobnicate", "--now")
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "'frobnicate'" in lines[0] and "main.py --help" in lines[0]


def test_an_unknown_option_is_reported_by_the_command_it_went_to():
    proc = run_main("--no-such-option")
    assert proc.returncode == 2
    assert "main.py play: error: unrecognized arguments: --no-such-option" in proc.stderr


def test_help_and_parsing_stay_light():
    """`main.py --help` loads neither pygame nor numpy; play's parser no model code, so the
    title still comes up quickly and TensorFlow stays out of the game."""
    code = ("import sys, main\n"
            "main.build_parser()\n"
            "print(sorted(m for m in ('pygame', 'numpy', 'tensorflow') if m in sys.modules))\n"
            "main.build_parser('play'); main.build_parser('demo')\n"
            "print(sorted(m for m in sys.modules if m == 'tensorflow' or m == 'models'\n"
            "             or m.startswith('models.')))\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["[]", "[]"]


# -- what parses ------------------------------------------------------------------------
def test_options_without_a_command_are_plays_and_v_goes_anywhere():
    parse = main.parse_command_line
    command, args, _ = parse(["--kiosk", "--config", "/etc/style-duel/kiosk.toml"])
    assert command == "play" and args.kiosk and args.config == Path("/etc/style-duel/kiosk.toml")
    assert parse([])[0] == "play" and parse([])[1].verbose is False
    assert parse(["-v", "demo"])[1].verbose and parse(["demo", "-v"])[1].verbose
    assert parse(["-v"])[1].verbose and not parse(["demo"])[1].verbose
    command, args, rest = parse(["supervise", "--", "--config", "k.toml", "-v"])
    assert command == "supervise" and rest == ["--", "--config", "k.toml", "-v"]
    assert not args.verbose                            # the game's -v, after --
    assert main.without_verbose(["-v", "status", "--", "-v"]) == ["status", "--", "-v"]


PLACEHOLDERS = {"N": "2", "S": "60", "DIR": "out/", "CONTENT": "photo.png",
                "STYLE": "painting.png", "OUT.png": "out.png", "MAGENTA.png": "magenta.png",
                "PAINTING.png": "painting.png", "IMAGE": "photo.png", "PATH": "kiosk.toml",
                "NAME": "vgg19", "FILE": "report.json"}


def documented_command_lines() -> list[str]:
    """Every `python main.py ...` the README shows (inline or in a code block, with
    continuation lines) and every `main.py ...` recipe of the Makefile."""
    found = []
    readme = ROOT / "README.md"
    text = re.sub(r"\\\n\s*", " ", readme.read_text(encoding="utf-8"))    # continuations
    for match in re.finditer(r"python main\.py([^`\n#]*)", text):
        found.append(match.group(1).strip())
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for match in re.finditer(r"\$\(PY\) main\.py([^\n]*)", makefile):
        found.append(match.group(1).replace("$(ARGS)", "").strip())
    return found


def as_argv(line: str) -> list[str]:
    """A documented line as arguments: [optional] parts dropped, a|b -> a, NAMES filled."""
    argv, skipping = [], False
    for token in shlex.split(line):
        if token.startswith("[") or skipping:
            skipping = not token.endswith("]")
            continue
        token = token.split("|")[0]
        argv.append(PLACEHOLDERS.get(token, token))
    return argv


def test_the_readme_shows_many_command_lines():
    lines = documented_command_lines()
    assert len(lines) >= 15, lines
    commands = {as_argv(line)[0] if as_argv(line) else "play" for line in lines}
    assert {"demo", "models", "stylize", "score", "supervise"} <= commands


@pytest.mark.parametrize("line", documented_command_lines())
def test_every_documented_command_line_parses(line):
    argv = as_argv(line)
    try:
        main.parse_command_line(argv)
    except SystemExit as stop:
        # A bare mention ("see `python main.py score`"): the command itself must answer
        # --help.
        assert len(argv) == 1 and stop.code == 2, (line, argv)
        with pytest.raises(SystemExit) as helped:
            main.parse_command_line([*argv, "--help"])
        assert helped.value.code == 0


# -- quiet by default, -v shows all -----------------------------------------------------
CHATTER = [
    b"ALSA lib confmisc.c:855:(parse_card) cannot find card '0'",
    b"ALSA lib pcm.c:2666:(snd_pcm_open_noupdate) Unknown PCM default",
    b"error: XDG_RUNTIME_DIR is invalid or not set in the environment.",
    b"WARNING: All log messages before absl::InitializeLog() is called are written to STDERR",
    b"I0000 00:00:1796454020.459621   13694 cudart_stub.cc:31] Could not find cuda drivers "
    b"on your machine, GPU will not be used.",
    b"E0000 00:00:1796454060.397185   13694 cuda_platform.cc:52] failed call to cuInit: "
    b"INTERNAL: CUDA error: Failed call to cuInit: UNKNOWN ERROR (303)",
    b"W0000 00:00:1796454060.397185   13694 cpu_feature_guard.cc:52] oneDNN custom "
    b"operations are on.",
]
KEPT = [
    b"warning: config.toml: round.seconds = 5 is out of range 30-600; using 90",
    b"E0000 00:00:1796454060.397185   13694 gatys.cc:52] the loss became NaN",
    b"Traceback (most recent call last):",
    b"INFO game.launcher: starting",
    b"",
]


@pytest.mark.parametrize("line", CHATTER)
def test_the_filter_drops_library_chatter(line):
    assert quiet.is_noise(line)


@pytest.mark.parametrize("line", KEPT)
def test_the_filter_keeps_everything_else(line):
    assert not quiet.is_noise(line)


def test_the_filter_joins_lines_written_in_pieces_and_passes_a_progress_bar_at_once():
    lines = quiet.LineFilter()
    assert lines.feed(b"ALSA lib ") == b""                   # may be chatter: held
    assert lines.feed(b"pcm.c:1] Unknown PCM\nkeep ") == b"keep "
    assert lines.feed(b"me\n\rstylize [###---]  50%") == b"me\n\rstylize [###---]  50%"
    assert lines.feed(b"\rstylize [######] 100%\n") == b"\rstylize [######] 100%\n"
    assert lines.feed(b"E0000 00:00:1.5 7 a.cc:1] cuInit failed\nE") == b""
    assert lines.feed(b"rror: the end\n") == b"Error: the end\n"
    assert lines.feed(b"no newline") == b"no newline" and lines.end() == b""


def noise_env() -> dict:
    """The test suite's dummy audio driver hides the ALSA chatter: take it away."""
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", STYLE_DUEL_EXIT_AFTER_FIRST_FRAME="1")
    env.pop("SDL_AUDIODRIVER", None)
    return env


def test_the_title_comes_up_quietly_and_v_shows_the_chatter():
    loud = run_main("-v", env=noise_env())
    assert loud.returncode == 0, loud.stderr[-2000:]
    chatter = [line for line in loud.stderr.splitlines() if quiet.is_noise(line.encode())]
    if not chatter:
        pytest.skip("SDL's audio probe prints nothing on this machine (it has a sound "
                    "card, or no ALSA)")
    proc = run_main(env=noise_env())
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "first-frame scene=title tensorflow=no" in proc.stdout
    assert [line for line in proc.stderr.splitlines()
            if "ALSA" in line or "XDG_RUNTIME_DIR" in line or "renderer" in line] == []


@pytest.mark.skipif(os.name != "posix", reason="the filter is POSIX-only")
def test_a_terminal_stays_a_terminal_behind_the_filter():
    """Progress bars ask whether stderr is a terminal: the filter keeps the answer yes,
    for the game and for the processes it starts."""
    import pty

    code = ("import os, subprocess, sys\n"
            "from game import quiet\n"
            "assert quiet.install()\n"
            "os.write(2, b'ALSA lib conf.c:1:(x) cannot find card 0\\nkept\\n')\n"
            "print('tty', os.isatty(2), file=sys.stderr, flush=True)\n"
            "subprocess.run([sys.executable, '-c', 'import os; "
            "os.write(2, b\"child \" + str(os.isatty(2)).encode() + b\"\\\\n\")'])\n")
    reader, writer = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=writer)
    os.close(writer)
    seen = b""
    while True:
        try:
            data = os.read(reader, 4096)
        except OSError:                  # every writer has gone
            break
        if not data:
            break
        seen += data
    os.close(reader)
    assert proc.wait(timeout=60) == 0
    text = seen.decode().replace("\r\n", "\n")
    assert text == "kept\ntty True\nchild True\n"
