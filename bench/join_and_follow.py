"""Load benchmark: N phones join and follow the facilitator through the agenda.

    .venv/bin/python bench/join_and_follow.py                       # SQLite, one process, 100 and 300 phones
    .venv/bin/python bench/join_and_follow.py --phones 100 300 \\
        --postgres postgresql+psycopg://postgres@127.0.0.1:5432/test --redis redis://127.0.0.1:6379/0
                                                                    # … and PostgreSQL + Redis, two processes

Per scenario it starts real app processes (``python app.py``, gevent) on 127.0.0.1, creates an
organiser and the RVR workshop with the CLI, lets N simulated phones join over HTTP (GET + POST
/j/<code>, as the browser does) and open a Socket.IO connection (websocket) while the
facilitator's cockpit is open, then the facilitator starts the day and advances the agenda K
times. It measures:

- join: time of GET + POST per phone;
- connect: from opening the socket to the ``sync.snapshot`` arriving;
- per command: send -> ack, and send -> arrival of ``workshop.state`` on every phone
  (p50/p95/max over all phones and commands, and the last phone of each command);
- CPU seconds of every server process per phase (from /proc), and of this client process;
- how many ``presence.changed`` messages (and KiB) the open cockpit received while the phones connected.

The phones are python-socketio clients running as greenlets in this one process (gevent), so the
client side costs CPU on the same machine: its CPU is reported too. Counts and time are bounded;
traffic goes to 127.0.0.1 only. Benchmarks are run by hand and never asserted in the test suite.
Results: BENCHMARKS.md.
"""
from __future__ import annotations

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402
from gevent.event import Event  # noqa: E402
from gevent.pool import Pool  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import machine, own_cpu, summary  # noqa: E402
from tests.multiprocess import harness  # noqa: E402

EMAIL = "bench@example.org"
MAX_PHONES = 1000
MAX_STEPS = 9  # the RVR agenda has 10 items: day.start + 9 x agenda.next


class Phone:
    """One participant: joins over HTTP, then follows the workshop on a Socket.IO connection."""

    def __init__(self, index: int, base: str, code: str, transports: list[str]):
        self.index, self.base, self.code, self.transports = index, base, code, transports
        self.cookie = None
        self.client = None
        self.snapshot = Event()
        self.arrivals: dict[int, tuple[float, object]] = {}  # seq -> (time, current_id)
        self.join_s = self.connect_s = None
        self.error = None

    def join(self) -> None:
        t0 = time.monotonic()
        try:
            session = harness.join_participant(self.base, self.code, name=f"Phone {self.index}")
            self.cookie = harness.cookie_header(session)
            session.close()
            self.join_s = time.monotonic() - t0
        except Exception as exc:  # counted, not fatal
            self.error = f"join: {exc!r}"

    def connect(self, timeout: float) -> None:
        import socketio

        if self.cookie is None:
            return
        client = socketio.Client(reconnection=False, websocket_extra_options=harness.FAST_WEBSOCKET)
        client.on("sync.snapshot", lambda data: self.snapshot.set())
        client.on("workshop.state", self.on_state)
        t0 = time.monotonic()
        try:
            client.connect(self.base, headers={"Cookie": self.cookie}, auth={"workshop": self.code, "view": "participant"},
                           transports=self.transports, wait_timeout=timeout)
            self.client = client
            if self.snapshot.wait(timeout):
                self.connect_s = time.monotonic() - t0
            else:
                self.error = "connect: no snapshot"
        except Exception as exc:
            self.error = f"connect: {exc!r}"

    def on_state(self, message) -> None:
        self.arrivals[message["seq"]] = (time.monotonic(), message["data"]["agenda"]["current_id"])

    def disconnect(self) -> None:
        if self.client is not None:
            try:
                self.client.disconnect()
            except Exception:
                pass


def run_scenario(name: str, phones_n: int, steps: int, processes_n: int, postgres: str | None, redis_url: str | None,
                 concurrency: int, transports: list[str], timeout: float, pause: float, keep: bool = False) -> dict:
    print(f"\n=== {name}: {phones_n} phones, {steps} commands, {processes_n} process(es) ===", flush=True)
    work = Path(tempfile.mkdtemp(prefix="werkstatt-bench-"))
    db_name = None
    servers: list[harness.AppProcess] = []
    phones: list[Phone] = []
    fac = None
    result: dict = {"scenario": name, "phones": phones_n, "steps": steps, "processes": processes_n}
    try:
        settings = dict(SECRET_KEY="bench-secret", DEMO="0", ASYNC_MODE="gevent")
        if postgres:
            db_name, db_url = harness.create_database(postgres)
            settings.update(DATABASE_URL=db_url, MESSAGE_QUEUE=redis_url,
                            MESSAGE_QUEUE_CHANNEL=f"werkstatt-bench-{os.getpid()}-{int(time.time())}")
        else:
            settings.update(INSTANCE_PATH=str(work / "shared-instance"))

        def env(instance: str) -> dict[str, str]:
            return harness.clean_env(**{"INSTANCE_PATH": str(work / instance), **settings})

        cli_env = env("cli")
        harness.create_organiser(cli_env, EMAIL)
        code = harness.import_agenda(cli_env, EMAIL)
        for i in range(processes_n):
            servers.append(harness.AppProcess(f"p{i + 1}", harness.free_port(), env(f"p{i + 1}"), work / "logs").start())
        for server in servers:
            server.wait_ready(90)

        def cpu() -> list[float]:
            return [s.cpu_seconds() for s in servers]

        # the cockpit is open (on the last process) before people arrive, as in a real workshop
        browser = harness.login(servers[-1].base, EMAIL)
        fac_client, fac = harness.socket_client(servers[-1].base, code, "cockpit", harness.cookie_header(browser),
                                                transports=transports)
        assert fac.wait_for(lambda n, d: n == "sync.snapshot", timeout), "facilitator got no snapshot"

        phones = [Phone(i, servers[i % processes_n].base, code, transports) for i in range(phones_n)]

        # 1. join over HTTP
        cpu0, own0, t0 = cpu(), own_cpu(), time.monotonic()
        Pool(concurrency).map(lambda p: p.join(), phones)
        join_wall = time.monotonic() - t0
        cpu1, own1 = cpu(), own_cpu()

        # 2. connect the sockets
        t0 = time.monotonic()
        Pool(concurrency).map(lambda p: p.connect(timeout), phones)
        connect_wall = time.monotonic() - t0
        cpu2, own2 = cpu(), own_cpu()
        connected = [p for p in phones if p.connect_s is not None]
        print(f"joined {sum(p.join_s is not None for p in phones)}/{phones_n} in {join_wall:.1f}s, "
              f"connected {len(connected)}/{phones_n} in {connect_wall:.1f}s", flush=True)

        # 3. the facilitator starts the day and advances
        gevent.sleep(pause)
        presence = fac.named("presence.changed")
        presence_bytes = sum(len(json.dumps(m)) for m in presence)
        cpu3, own3 = cpu(), own_cpu()
        ack_s, delivery, last_s, last_after_ack_s, missing, wrong = [], [], [], [], 0, 0
        t_steps = time.monotonic()
        for step in range(steps):
            command = "day.start" if step == 0 else "agenda.next"
            seen = len(fac.events)
            sent = time.monotonic()
            ack = fac_client.call(command, {}, timeout=timeout)
            acked = time.monotonic()
            if not (ack and ack.get("ok")):
                raise RuntimeError(f"{command}: {ack}")
            own = fac.wait_for(lambda n, d: n == "workshop.state", timeout, seen)
            if own is None:
                raise RuntimeError(f"facilitator got no workshop.state after {command}")
            seq, current_id = own[3]["seq"], own[3]["data"]["agenda"]["current_id"]
            deadline = sent + timeout
            while time.monotonic() < deadline and not all(seq in p.arrivals for p in connected):
                gevent.sleep(0.005)
            times = []
            for p in connected:
                if seq not in p.arrivals:
                    missing += 1
                    continue
                at, cid = p.arrivals[seq]
                wrong += cid != current_id
                times.append(at - sent)
            ack_s.append(acked - sent)
            delivery.extend(times)
            if times:
                last_s.append(max(times))
                last_after_ack_s.append(max(times) - (acked - sent))
            print(f"  {command:12s} ack {1000 * (acked - sent):7.1f} ms  last phone {1000 * max(times or [0]):7.1f} ms"
                  f"  ({len(times)}/{len(connected)})", flush=True)
            gevent.sleep(pause)
        steps_wall = time.monotonic() - t_steps
        cpu4, own4 = cpu(), own_cpu()
        fac_client.disconnect()

        def per_process(a, b):
            return [round(y - x, 2) for x, y in zip(a, b)]

        result.update({
            "join": summary([p.join_s for p in phones if p.join_s is not None]),
            "join_wall_s": round(join_wall, 2),
            "connect": summary([p.connect_s for p in connected]),
            "connect_wall_s": round(connect_wall, 2),
            "connected": len(connected),
            "errors": sorted({p.error for p in phones if p.error})[:5],
            "error_count": sum(1 for p in phones if p.error),
            "ack": summary(ack_s),
            "delivery_from_send": summary(delivery),
            "last_phone_from_send": summary(last_s),
            "last_phone_after_ack": summary(last_after_ack_s),
            "missing_deliveries": missing,
            "cockpit_presence_during_connect": {"messages": len(presence), "kib": round(presence_bytes / 1024, 1)},
            "wrong_current_item": wrong,
            "server_cpu_s": {
                "join": per_process(cpu0, cpu1), "connect": per_process(cpu1, cpu2),
                "steps": per_process(cpu3, cpu4), "steps_wall_s": round(steps_wall, 2),
            },
            "client_cpu_s": {"join": round(own1 - own0, 2), "connect": round(own2 - own1, 2),
                             "steps": round(own4 - own3, 2)},
        })
        print(json.dumps(result, indent=1), flush=True)
        return result
    except Exception:
        for server in servers:
            print(server.output(4000), file=sys.stderr)
        raise
    finally:
        Pool(concurrency).map(lambda p: p.disconnect(), phones)
        for server in servers:
            server.stop()
        if db_name:
            harness.drop_database(postgres, db_name)
        if keep:
            print(f"kept {work} (server logs in {work / 'logs'})", flush=True)
        else:
            shutil.rmtree(work, ignore_errors=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phones", type=int, nargs="+", default=[100, 300])
    parser.add_argument("--steps", type=int, default=6, help=f"commands per scenario (day.start + next…), at most {MAX_STEPS}")
    parser.add_argument("--postgres", help="SQLAlchemy URL of a PostgreSQL server database (a scratch database is created on it)")
    parser.add_argument("--redis", help="Redis URL for the two-process scenarios")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--concurrency", type=int, default=25, help="phones joining/connecting at the same time")
    parser.add_argument("--transport", choices=["websocket", "polling"], default="websocket")
    parser.add_argument("--timeout", type=float, default=20.0)
    parser.add_argument("--pause", type=float, default=1.0, help="seconds between commands")
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder with the server logs")
    args = parser.parse_args(argv)
    if any(n < 1 or n > MAX_PHONES for n in args.phones) or not 1 <= args.steps <= MAX_STEPS:
        parser.error(f"phones 1..{MAX_PHONES}, steps 1..{MAX_STEPS}")
    if bool(args.postgres) != bool(args.redis):
        parser.error("--postgres and --redis go together")

    info = machine()
    print("machine:", info, flush=True)
    results = []
    started = time.monotonic()
    for n in args.phones:
        if not args.skip_sqlite:
            results.append(run_scenario("sqlite-1proc", n, args.steps, 1, None, None, args.concurrency,
                                        [args.transport], args.timeout, args.pause, args.keep))
        if args.postgres:
            results.append(run_scenario("pg-redis-2proc", n, args.steps, 2, args.postgres, args.redis, args.concurrency,
                                        [args.transport], args.timeout, args.pause, args.keep))
    info["loadavg_after"] = Path("/proc/loadavg").read_text().split()[:3]
    info["total_s"] = round(time.monotonic() - started, 1)
    print(f"\n{'scenario':16s} {'phones':>6s} {'connect p50/p95/max ms':>24s} {'send->phone p50/p95/max ms':>28s} "
          f"{'ack p50 ms':>10s} {'srv CPU steps s':>16s}")
    for r in results:
        c, d = r["connect"], r["delivery_from_send"]
        print(f"{r['scenario']:16s} {r['phones']:6d} {c['p50_ms']:>8}/{c['p95_ms']}/{c['max_ms']:<8} "
              f"{d['p50_ms']:>10}/{d['p95_ms']}/{d['max_ms']:<8} {r['ack']['p50_ms']:>10} "
              f"{str(r['server_cpu_s']['steps']):>16s}")
    print(f"total {info['total_s']}s, load average before {info['loadavg']} after {info['loadavg_after']}")
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "results": results}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
