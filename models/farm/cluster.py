"""Start, inspect and stop a farm: a Ray cluster (new or joined) with the Serve app on it.

Ray is started with its dashboard off (so no job-submission API either), no Ray client
server, its node address on the loopback for a one-machine farm, and Ray's own cluster
token required on every internal call (RAY_AUTH_MODE=token; the token is
~/.ray/auth_token of the account running the farm). Ray's internal gRPC ports still listen
on every interface, so docs/farm.md has a firewall (one machine) or a separate farm network
(several) keep them from the kiosks. Only Serve's HTTP port, on FarmOptions.host, faces the
kiosks, and only on the head node (proxy_location HeadOnly).
"""
from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass

from models.farm.options import FarmOptions

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ClusterOptions:
    address: str | None = None        # None: a new head here; "auto" or HOST:PORT: join
    num_cpus: int | None = None       # a new head's CPUs (None: all); tests give 2
    num_gpus: int | None = None       # a new head's GPUs (None: detected); tests declare 1
    object_store_bytes: int | None = None   # tests keep it small
    log_to_driver: bool = False       # replica logs stay in Ray's log folder


def start_ray(cluster: ClusterOptions) -> None:
    require_ray_token()
    import ray

    if ray.is_initialized():
        return
    kwargs = dict(include_dashboard=False, log_to_driver=cluster.log_to_driver,
                  configure_logging=False)
    if cluster.address:
        ray.init(address=cluster.address, **kwargs)
        return
    # "local": always a new head, never a cluster someone else started on this machine
    # (ray.init() alone would join the latest one it finds).
    ray.init(address="local", num_cpus=cluster.num_cpus, num_gpus=cluster.num_gpus,
             object_store_memory=cluster.object_store_bytes, _node_ip_address="127.0.0.1",
             **kwargs)


def require_ray_token() -> None:
    """Ray's own token auth on, whatever Ray's default of the day: a caller without the
    cluster's token cannot use its internal ports (Ray generates the token once).

    Only before Ray is first imported: Ray reads the setting into its native config when
    it loads, and a later change would leave the two disagreeing. (Ray 2.60 turns token
    auth on by itself for a new local cluster, so a process that imported Ray earlier,
    like the test suite, still gets it.)"""
    if "ray" not in sys.modules:
        os.environ.setdefault("RAY_AUTH_MODE", "token")


def gcs_address() -> str:
    """The running cluster's address (what `farm status` joins to read nodes and replicas)."""
    import ray

    return ray.get_runtime_context().gcs_address


def start_farm(options: FarmOptions, cluster: ClusterOptions = ClusterOptions()) -> str:
    """Ray up, Serve up on options.host:port, the app deployed; returns the farm's URL."""
    import ray
    from ray import serve

    from models.farm.deployments import build_app

    start_ray(cluster)
    serve.start(http_options={"host": options.host, "port": options.port},
                proxy_location="HeadOnly")
    gpus = float(ray.cluster_resources().get("GPU", 0.0))
    serve.run(build_app(options, gpus), name=options.app_name, route_prefix="/",
              blocking=False)
    return f"http://{options.host}:{options.port}"


def stop_farm(options: FarmOptions | None = None, *, shutdown_ray: bool = True) -> None:
    import ray
    from ray import serve

    if not ray.is_initialized():
        return
    try:
        serve.shutdown()
    finally:
        if shutdown_ray:
            ray.shutdown()


def cluster_report(app_name: str) -> dict:
    """Nodes, GPUs and the app's replicas by state, from Ray itself (farm status)."""
    import ray
    from ray import serve

    nodes = [{"node": node.get("NodeManagerHostname"), "alive": node.get("Alive"),
              "cpus": node.get("Resources", {}).get("CPU", 0),
              "gpus": node.get("Resources", {}).get("GPU", 0)}
             for node in ray.nodes()]
    status = serve.status()
    app = status.applications.get(app_name)
    deployments = {}
    if app is not None:
        deployments = {name: {"status": str(d.status.value), "replicas": dict(d.replica_states)}
                       for name, d in app.deployments.items()}
    return {"nodes": nodes, "app": str(app.status.value) if app else "not deployed",
            "deployments": deployments}
