"""`main.py farm serve | status | stop` and `main.py stylize --farm` as staff run them (issue 12):
a real farm in a child process on 127.0.0.1, the offline stand-ins (no weights here).
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

pytest.importorskip("ray", reason="ray[serve] is not installed (make test installs it)")

from models.farm.client import FarmAddress, FarmClient, FarmError  # noqa: E402
from tests.farm_kit import START_BOUND_S, TOKENS, free_port, picture, wait_for  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CALL_BOUND_S = 600


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """`farm serve` running in a child process; stopped by `farm stop` in the last test."""
    home = tmp_path_factory.mktemp("farm-cli")
    tokens = home / "farm.tokens"
    tokens.write_text(f"# kiosk rows\n{TOKENS[0]}\n{TOKENS[1]}\n")
    env = dict(os.environ, XDG_RUNTIME_DIR=str(home), STYLE_DUEL_MODELS=str(home / "models"))
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "farm", "serve", "--port", str(port),
         "--token-file", str(tokens)], cwd=ROOT, env=env, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    client = FarmClient(FarmAddress(url, TOKENS[0], 30.0))

    def healthy():
        assert process.poll() is None, process.stdout.read()[-3000:]
        try:
            return client.health()["ok"]
        except FarmError:
            return False
    wait_for(healthy, START_BOUND_S, "farm serve to answer", step=1.0)
    # Its state file (pid, URL, Ray address) is written just after the app is up.
    wait_for(lambda: list(home.glob("style-duel-farm-*.json")), START_BOUND_S,
             "farm serve's state file")
    yield {"url": url, "env": env, "home": home, "tokens": tokens, "process": process}
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        process.wait(120)


def main_py(*args, env, timeout=CALL_BOUND_S):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


def test_status_shows_nodes_replicas_and_engines(served):
    done = main_py("farm", "status", "--token-file", str(served["tokens"]), env=served["env"])
    assert done.returncode == 0, done.stderr[-2000:]
    assert served["url"] in done.stdout
    for deployment in ("Ingress", "Magenta", "Gatys", "Score"):
        assert f"{deployment}: HEALTHY" in done.stdout, done.stdout
    assert "CPUs" in done.stdout and "result cache" in done.stdout


def test_stylize_on_the_farm_writes_the_picture(served, tmp_path):
    Image.fromarray(picture(60, 80, seed=1)).save(tmp_path / "content.png")
    Image.fromarray(picture(40, 40, seed=2)).save(tmp_path / "style.png")
    token = tmp_path / "farm.token"
    token.write_text(TOKENS[1] + "\n")
    out = tmp_path / "out.png"
    done = main_py("stylize", str(tmp_path / "content.png"), str(tmp_path / "style.png"),
                   "--size", "64", "--farm", served["url"], "--token-file", str(token),
                   "--out", str(out), env=served["env"])
    assert done.returncode == 0, done.stderr[-2000:]
    assert "farm CPU" in done.stdout and out.is_file()
    assert Image.open(out).size == (64, 48)


def test_stylize_with_a_wrong_token_exits_non_zero_with_the_farms_reason(served, tmp_path):
    Image.fromarray(picture(seed=3)).save(tmp_path / "content.png")
    wrong = tmp_path / "wrong.token"
    wrong.write_text("this-is-not-the-farms-token\n")
    done = main_py("stylize", str(tmp_path / "content.png"), str(tmp_path / "content.png"),
                   "--farm", served["url"], "--token-file", str(wrong),
                   "--out", str(tmp_path / "out.png"), env=served["env"])
    assert done.returncode == 1
    assert "401" in done.stderr and "a valid bearer token is required" in done.stderr
    assert not (tmp_path / "out.png").exists()


def test_stop_ends_the_farm(served):
    done = main_py("farm", "stop", env=served["env"])
    assert done.returncode == 0, done.stderr
    code = served["process"].wait(120)
    assert code == 0, served["process"].stdout.read()[-3000:]
    assert not list(Path(served["home"]).glob("style-duel-farm-*.json"))
