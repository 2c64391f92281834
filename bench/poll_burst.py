"""Load benchmark: N phones vote in one burst; how many broadcasts, how long until the projector
shows the final tally.

    .venv/bin/python bench/poll_burst.py                          # 100, 300 and 1,000 voters, SQLite
    .venv/bin/python bench/poll_burst.py --voters 300 --json out.json

Per scenario it starts the real app (``python app.py --port P``, gevent, a temporary instance
folder, 127.0.0.1 only), creates an organiser and the RVR workshop with the CLI, lets N phones
join over HTTP (GET + POST /j/<code>, each with an organisation type, as the browser does) and
open a Socket.IO connection. The facilitator adds a ``poll`` item, jumps to it, creates the
"akteure" poll there (multiple choice, at most 3, "Sonstige" allowed) with live results and opens
it; a projector is connected. Then every phone sends its vote at the same moment (one greenlet
each, no pacing). Measured:

- ``poll.vote`` acks: p50/p95/max from the burst start, and when the last ack arrived;
- ``activity.live`` broadcasts the projector received for the burst (the server sends each to
  every connected client, so this is the number of broadcasts; uncoalesced it would be N);
- when the projector's view first showed all N votes (the final tally), from the burst start;
- ``activity.live`` events one phone received (phones get the same broadcasts);
- CPU seconds of the server process during the burst.

The phones are python-socketio clients running as greenlets in this one process, so the client
side competes with the server for CPU on the same machine (its CPU is reported too). Counts and
time are bounded; nothing is asserted — results go to BENCHMARKS.md by hand.
"""
from __future__ import annotations

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402
from gevent.pool import Pool  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import BenchPhone, command, machine, own_cpu, start_app, summary  # noqa: E402
from tests.multiprocess import harness  # noqa: E402

EMAIL = "bench@example.org"
MAX_VOTERS = 1000
AKTEURE = {
    "question": "Welche Akteur*innen sollten stärker eingebunden werden?",
    "kind": "multiple_choice",
    "options": ["Immobilieneigentümer*innen", "Flächeneigentümer*innen", "Jugendliche", "Kultur",
                "Zivilgesellschaft / Initiativen", "Wirtschaft", "Wissenschaft", "Politik",
                "Verwaltung (andere Fachbereiche)"],
    "allow_other": True, "max_choices": 3, "is_live_results": True,
}
OTHERS = ["Kleingärtner*innen", "Sportvereine", "Kirchengemeinden", "Wohnungsbaugesellschaften", "Schulen"]


class Phone(BenchPhone):
    def __init__(self, index: int, base: str, code: str):
        super().__init__(index, base, code)
        self.live = 0
        self.ack_s = None

    def handlers(self) -> dict:
        return {"activity.live": self.on_live}

    def on_live(self, message) -> None:
        self.live += 1

    def vote(self, poll_id: int, started: float, timeout: float, rng: random.Random) -> None:
        if self.client is None:
            return
        choices = sorted(rng.sample(range(9), rng.randint(1, 3)))
        payload = {"poll_id": poll_id, "choices": choices}
        if len(choices) < 3 and rng.random() < 0.15:
            payload["other"] = rng.choice(OTHERS)
        try:
            ack = self.client.call("poll.vote", payload, timeout=timeout)
            if ack and ack.get("ok"):
                self.ack_s = time.monotonic() - started
            else:
                self.error = f"vote: {ack}"
        except Exception as exc:
            self.error = f"vote: {exc!r}"


def run_scenario(voters_n: int, concurrency: int, timeout: float, seed: int) -> dict:
    print(f"\n=== {voters_n} voters ===", flush=True)
    work = Path(tempfile.mkdtemp(prefix="werkstatt-poll-bench-"))
    server = None
    phones: list[Phone] = []
    result: dict = {"voters": voters_n}
    try:
        server, code = start_app(work, EMAIL)

        # the facilitator: a poll item with the "akteure" poll, live results, open
        browser = harness.login(server.base, EMAIL)
        cookie = harness.cookie_header(browser)
        fac_client, _fac = harness.socket_client(server.base, code, "cockpit", cookie, transports=["websocket"])
        added = command(fac_client, "agenda.item.add", {"title": "Abfrage: Akteur*innen", "kind": "poll", "duration": 10,
                                                        "position": 0}, timeout)
        item_id = added["item_id"]
        command(fac_client, "agenda.goto", {"item_id": item_id}, timeout)
        poll_id = command(fac_client, "poll.create", AKTEURE, timeout)["poll_id"]
        command(fac_client, "poll.open", {"poll_id": poll_id}, timeout)
        screen_client, screen = harness.socket_client(server.base, code, "screen", cookie, transports=["websocket"])
        assert screen.wait_for(lambda n, d: n == "sync.snapshot", timeout), "the projector got no snapshot"

        # the phones join and connect
        phones = [Phone(i, server.base, code) for i in range(voters_n)]
        t0 = time.monotonic()
        Pool(concurrency).map(lambda p: p.connect(timeout), phones)
        connected = [p for p in phones if p.client is not None and p.error is None]
        print(f"connected {len(connected)}/{voters_n} in {time.monotonic() - t0:.1f}s", flush=True)
        gevent.sleep(2)  # let the presence broadcasts of the last connections settle

        # the burst: every phone votes at once
        rng = random.Random(seed)
        seen = len(screen.events)
        for p in connected:
            p.live = 0
        cpu0, own0 = server.cpu_seconds(), own_cpu()
        started = time.monotonic()
        greenlets = [gevent.spawn(p.vote, poll_id, started, timeout, random.Random(rng.random())) for p in connected]
        gevent.joinall(greenlets, timeout=timeout * 2)
        acked = [p.ack_s for p in connected if p.ack_s is not None]
        final = screen.wait_for(
            lambda n, d: n == "activity.live" and any(
                poll["id"] == poll_id and (poll.get("results") or {}).get("voters") == len(acked)
                for poll in d["data"]["view"]["polls"]),
            timeout, seen)
        gevent.sleep(1)  # a flush still scheduled would show up here
        cpu1, own1 = server.cpu_seconds(), own_cpu()
        burst_live = [(at, d) for at, n, d in screen.events[seen:] if n == "activity.live"]
        result.update({
            "connected": len(connected),
            "errors": sorted({p.error for p in phones if p.error})[:5],
            "error_count": sum(1 for p in phones if p.error),
            "acked": len(acked),
            "ack_from_burst_start": summary(acked),
            "projector_live_broadcasts": len(burst_live),
            "projector_final_tally_s": round(final[1] - started, 3) if final else None,
            "last_ack_s": round(max(acked), 3) if acked else None,
            "phone_live_events_p50": sorted(p.live for p in connected)[len(connected) // 2] if connected else None,
            "server_cpu_s": round(cpu1 - cpu0, 2),
            "client_cpu_s": round(own1 - own0, 2),
        })
        screen_client.disconnect()
        fac_client.disconnect()
        print(json.dumps(result, indent=1), flush=True)
        return result
    except Exception:
        if server is not None:
            print(server.output(4000), file=sys.stderr)
        raise
    finally:
        Pool(concurrency).map(lambda p: p.disconnect(), phones)
        if server is not None:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--voters", type=int, nargs="+", default=[100, 300, 1000])
    parser.add_argument("--concurrency", type=int, default=25, help="phones joining/connecting at the same time")
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--json", type=Path, help="write the results here")
    args = parser.parse_args(argv)
    if any(n < 1 or n > MAX_VOTERS for n in args.voters):
        parser.error(f"voters 1..{MAX_VOTERS}")
    info = machine()
    print("machine:", info, flush=True)
    started = time.monotonic()
    results = [run_scenario(n, args.concurrency, args.timeout, args.seed) for n in args.voters]
    info["loadavg_after"] = Path("/proc/loadavg").read_text().split()[:3]
    info["total_s"] = round(time.monotonic() - started, 1)
    print(f"\n{'voters':>6s} {'acked':>6s} {'broadcasts':>10s} {'final tally s':>13s} {'last ack s':>10s} "
          f"{'ack p50/p95 ms':>16s} {'srv CPU s':>9s}")
    for r in results:
        a = r["ack_from_burst_start"]
        print(f"{r['voters']:6d} {r['acked']:6d} {r['projector_live_broadcasts']:10d} {str(r['projector_final_tally_s']):>13s} "
              f"{str(r['last_ack_s']):>10s} {a['p50_ms']:>8}/{a['p95_ms']:<7} {r['server_cpu_s']:9}")
    print(f"total {info['total_s']}s, load average before {info['loadavg']} after {info['loadavg_after']}")
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "results": results}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
