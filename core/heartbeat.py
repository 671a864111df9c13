"""Workers say they are alive by writing a timestamp to the cache; /health/ counts them.

A broadcast ping inside a request (`control.ping`, ~1 s) let anybody hammering /health/ slow the
portal. Instead each worker's main process starts a thread when it is ready (`worker_ready`)
that writes `worker-heartbeat:<hostname>` every BEAT_SECONDS with a time-to-live of
ALIVE_SECONDS; /health/ reads those keys.
"""

import logging
import threading
import time

from django.core.cache import cache

log = logging.getLogger("bastau.heartbeat")

BEAT_SECONDS = 15
ALIVE_SECONDS = 60
REGISTRY_KEY = "worker-heartbeat:hostnames"


def _key(hostname: str) -> str:
    return f"worker-heartbeat:{hostname}"


def beat(hostname: str) -> None:
    """Record that the worker is alive now."""
    now = time.time()
    cache.set(_key(hostname), now, ALIVE_SECONDS)
    hostnames = cache.get(REGISTRY_KEY) or {}
    hostnames = {name: at for name, at in hostnames.items() if now - at < ALIVE_SECONDS}
    hostnames[hostname] = now
    cache.set(REGISTRY_KEY, hostnames, ALIVE_SECONDS * 10)


def forget(hostname: str) -> None:
    cache.delete(_key(hostname))


def alive_workers() -> list[str]:
    """Hostnames of the workers that wrote a heartbeat in the last ALIVE_SECONDS."""
    hostnames = cache.get(REGISTRY_KEY) or {}
    found = cache.get_many([_key(name) for name in hostnames])
    return sorted(name for name in hostnames if _key(name) in found)


def start(hostname: str, stop: threading.Event | None = None) -> threading.Thread:
    """Beat now, then every BEAT_SECONDS in a daemon thread until `stop` is set."""
    stop = stop or threading.Event()

    def run():
        while True:
            try:
                beat(hostname)
            except Exception:  # the cache is down: /health/ will say so; keep trying
                log.warning("Could not write the worker heartbeat", exc_info=True)
            if stop.wait(BEAT_SECONDS):
                return

    thread = threading.Thread(target=run, name="bastau-heartbeat", daemon=True)
    thread.start()
    return thread
