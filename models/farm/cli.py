"""`python main.py farm serve | status | stop`, and `stylize --farm` (one picture on a farm).

    farm serve --token-file F [--host 127.0.0.1] [--port 8710] [--address auto|HOST:PORT]
               [--models-dir DIR] [--cache-dir DIR] [--magenta-replicas N] [--gatys-replicas N]
        starts a Ray head here (or joins the cluster at --address), deploys the render app
        and serves until SIGTERM / Ctrl+C (then takes the app, and a head it started, down)
    farm status --token-file F [--url URL] [--json]
        nodes, GPUs, replicas by state, queue lengths, each replica's engine and model files
    farm stop
        ends the `farm serve` running on this machine

`serve` writes where it serves to a small state file (its pid, URL and Ray address) in the
user's runtime folder, so `status` and `stop` need no arguments on the same machine.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path

from models.farm.auth import TokenFileError, digest, read_token, read_tokens
from models.farm.client import FarmAddress, FarmClient, FarmError
from models.farm.options import DEFAULT_PORT, FarmOptions

STOP_WAIT_S = 60.0


def state_file() -> Path:
    folder = os.environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir()
    return Path(folder) / f"style-duel-farm-{os.getuid() if hasattr(os, 'getuid') else 0}.json"


DESCRIPTION = "A render farm for Style Duel kiosks: Ray Serve on GPU machines (docs/farm.md)."
EXAMPLES = """\
examples:
  main.py farm serve --token-file /etc/style-duel/farm.tokens
  main.py farm serve --host 192.168.10.5 --token-file F --cache-dir /var/cache/style-duel
  main.py farm serve --address auto --host 192.168.10.5 --token-file F --gatys-replicas 3
  main.py farm status --token-file F
  main.py farm stop"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="main.py farm", description=DESCRIPTION,
                                     epilog=EXAMPLES,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    add_arguments(parser)
    return parser


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """serve / status / stop (main.py's one parser shares them)."""
    commands = parser.add_subparsers(dest="farm_command", metavar="serve|status|stop",
                                     required=True)
    serve = commands.add_parser("serve", help="start the farm on this machine")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address the kiosks reach (default 127.0.0.1: this machine only)")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT)
    serve.add_argument("--token-file", type=Path, required=True,
                       help="bearer tokens the kiosks must send, one per line")
    serve.add_argument("--address", help="join this Ray cluster (auto or HOST:PORT) instead "
                                         "of starting a head here")
    serve.add_argument("--models-dir", type=Path, help="model cache on every node")
    serve.add_argument("--cache-dir", type=Path, help="keep the result cache here")
    serve.add_argument("--magenta-replicas", type=int, default=1)
    serve.add_argument("--gatys-replicas", type=int, default=1)
    status = commands.add_parser("status", help="nodes, replicas, queues, engines")
    status.add_argument("--token-file", type=Path, required=True)
    status.add_argument("--url", help="the farm's URL (default: the one serving here)")
    status.add_argument("--json", action="store_true", help="print one JSON object")
    commands.add_parser("stop", help="stop the farm serving on this machine")


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.farm_command == "serve":
            return serve(args)
        if args.farm_command == "status":
            return status(args)
        return stop()
    except TokenFileError as error:
        print(f"farm: {error}", file=sys.stderr)
        return 2


def options_from(args) -> FarmOptions:
    base = FarmOptions()
    roles = dict(base.roles)
    roles["magenta"] = replace(roles["magenta"], replicas=max(1, args.magenta_replicas))
    roles["gatys"] = replace(roles["gatys"], replicas=max(1, args.gatys_replicas))
    return replace(base, host=args.host, port=args.port,
                   token_digests=tuple(digest(t) for t in read_tokens(args.token_file)),
                   models_dir=str(args.models_dir) if args.models_dir else None,
                   cache_dir=str(args.cache_dir) if args.cache_dir else None, roles=roles)


def serve(args) -> int:
    from models.farm.cluster import ClusterOptions, gcs_address, start_farm, stop_farm

    options = options_from(args)
    print(f"farm: starting Ray ({'joining ' + args.address if args.address else 'new head'}"
          f"); the dashboard is off", flush=True)
    url = start_farm(options, ClusterOptions(address=args.address))
    # After Ray's start: its core worker installs a SIGTERM handler that aborts the process,
    # and `systemctl stop` / `farm stop` must take the app and the head down in order.
    stopping = threading.Event()
    for name in ("SIGTERM", "SIGINT"):
        signal.signal(getattr(signal, name), lambda *_: stopping.set())
    state_file().write_text(json.dumps({"pid": os.getpid(), "url": url,
                                        "address": gcs_address()}))
    print(f"farm: serving {url} (Ctrl+C or `main.py farm stop` ends it)", flush=True)
    try:
        while not stopping.wait(1.0):
            pass
    finally:
        print("farm: stopping", flush=True)
        state_file().unlink(missing_ok=True)
        stop_farm(options)
    return 0


def read_state() -> dict:
    try:
        return json.loads(state_file().read_text())
    except (OSError, ValueError):
        return {}


def status(args) -> int:
    state = read_state()
    url = args.url or state.get("url") or f"http://127.0.0.1:{DEFAULT_PORT}"
    client = FarmClient(FarmAddress(url, read_token(args.token_file), 30.0))
    report: dict = {"url": url}
    try:
        report["farm"] = client.status()
    except FarmError as error:
        print(f"farm: {error}", file=sys.stderr)
        return 1
    report["cluster"] = ray_report(state.get("address", "auto"))
    if args.json:
        print(json.dumps(report, indent=1))
    else:
        print_report(report)
    return 0


def ray_report(address: str) -> dict:
    """Nodes and replicas from Ray itself; empty when this machine is not in the cluster."""
    try:
        from models.farm.cluster import cluster_report, require_ray_token

        require_ray_token()
        import ray

        ray.init(address=address, include_dashboard=False, log_to_driver=False,
                 configure_logging=False)
        try:
            return cluster_report(FarmOptions().app_name)
        finally:
            ray.shutdown()
    except Exception as error:    # noqa: BLE001 - status still shows the farm's own view
        return {"error": f"Ray not reachable from here ({type(error).__name__})"}


def print_report(report: dict) -> None:
    farm, cluster = report["farm"], report["cluster"]
    print(f"farm {report['url']}: app {cluster.get('app', '?')}")
    for node in cluster.get("nodes", []):
        print(f"  node {node['node']}: {'up' if node['alive'] else 'DOWN'}, "
              f"{node['cpus']:g} CPUs, {node['gpus']:g} GPUs")
    for name, deployment in cluster.get("deployments", {}).items():
        print(f"  {name}: {deployment['status']}, replicas {deployment['replicas']}")
    for engine, queue in sorted(farm["queues"].items()):
        print(f"  queue {engine}: {queue['queued']} queued, {queue['running']} running")
    for replica in farm["replicas"]:
        files = ", ".join(f["name"] for f in replica["model_files"]) or "no model files"
        print(f"  replica {replica['role']} pid {replica['pid']} on {replica['node']}: "
              f"{replica['label'] or 'engine not loaded yet'} ({replica['device']}; {files})")
    cache = farm["cache"]
    print(f"  result cache: {cache['entries']} entries, {cache['hits']} hits, "
          f"{cache['misses']} misses; Magenta batch sizes {farm['magenta_batch_sizes']}")
    if "error" in cluster:
        print(f"  ({cluster['error']})")


def stop() -> int:
    state = read_state()
    pid = state.get("pid")
    if not pid:
        print("farm: no farm is serving on this machine", file=sys.stderr)
        return 1
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        state_file().unlink(missing_ok=True)
        print("farm: the farm had already stopped")
        return 0
    deadline = time.monotonic() + STOP_WAIT_S
    while time.monotonic() < deadline and state_file().exists():
        time.sleep(0.5)
    print("farm: stopped" if not state_file().exists() else "farm: still stopping")
    return 0


def stylize_on_farm(args, content, styles, settings: dict) -> int:
    """`stylize ... --farm URL --token-file F`: one picture painted by the farm; a refused
    request (a wrong token) exits 1 with the farm's reason."""
    from PIL import Image

    from models.farm import wire
    from models.farm.client import to_message

    if args.token_file is None:
        print("stylize: --farm needs --token-file", file=sys.stderr)
        return 2
    try:
        client = FarmClient(FarmAddress(args.farm, read_token(args.token_file), 60.0))
    except TokenFileError as error:
        print(f"stylize: {error}", file=sys.stderr)
        return 2
    try:
        job_id = client.submit(wire.job_body(args.engine, content, styles, args.strength,
                                             args.seconds, settings))["job_id"]
        while (state := client.job(job_id))["state"] not in wire.FINAL_STATES:
            time.sleep(0.5)
        if state["state"] != wire.DONE:
            print(f"stylize: the farm did not paint it: {state['reason']}", file=sys.stderr)
            return 1
        result = to_message(client.result(job_id), job_id)
    except FarmError as error:
        print(f"stylize: {error}", file=sys.stderr)
        return 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(result.image).save(args.out)
    print(f"{result.label}, {result.where}: wrote {args.out} "
          f"({result.image.shape[1]}x{result.image.shape[0]})")
    for note in result.notes:
        print(f"  note: {note}")
    return 0
