"""Load benchmark: the theme groups of a breakout all write at once; how many ``workspace.state``
messages of what size reach the phones, and how long until every member has seen everything.

    .venv/bin/python bench/breakout_burst.py                      # 75, 150, 300 phones x 3 contributions; 75 x 10
    .venv/bin/python bench/breakout_burst.py --runs 150x3 --json out.json

Per run (``PHONESxC``) it starts the real app (``python app.py --port P``, gevent, SQLite in a
temporary instance folder, 127.0.0.1 only) with an organiser and the RVR workshop made by the CLI.
The facilitator raises the capacity of the theme groups (20 in the template) to 1,000, jumps to
"Choose your fighter" (the ``group_choice`` item), the N phones (joined over HTTP, each on its own
Socket.IO connection) choose the groups round-robin, the facilitator jumps to the first
``breakout`` item and every phone sends ``workspace.follow``. Then the burst: every phone sends its
C contributions one after the other as fast as the acks come back, all phones at once (one
greenlet each): a comment on one of its group's goals, a good-practice project (a title) and a dot
on a goal, in turns (at most 3 dots, the limit per person; further dots become comments). Measured:

- the acks: p50/p95/max from sending to the ack, and when the last one came (from the burst start);
- per phone: ``workspace.state`` messages received, their size (``len(json.dumps(message))``,
  the envelope included), mean and max; the bytes of all of them summed over all phones;
- when every member of every group had seen a workspace containing all of the group's acked
  contributions (posts plus dots counted in the workspace), from the burst start;
- the cockpit's ``workspace.state`` messages (all groups, moderation view) and ``activity.live``
  (the projector's counts; the cockpit's carries the member lists): number and bytes;
- CPU seconds of the server process during the burst, of this client process, errors;
- the growth of the message: bytes per post and of an empty workspace (least squares over all
  versions), the largest message as measured, as written (compact JSON) and deflated.

After the burst, calm writing (``--trickle K``): K times one comment in each group at the same
moment, waiting until every member has it, so each is flushed on its own at the workspace's full
size: server CPU per comment and the time until the last member had it.

The phones are python-socketio clients running as greenlets in this one process, on the same
machine as the server. A message's size and content count are computed once per (group, version):
all members get the same one. Nothing is asserted — results go to BENCHMARKS.md by hand.
"""
from __future__ import annotations

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import zlib  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402
from gevent.pool import Pool  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import BenchPhone, command, machine, own_cpu, start_app, summary  # noqa: E402
from tests.multiprocess import harness  # noqa: E402

EMAIL = "bench@example.org"
MAX_PHONES = 1000
MAX_CONTRIBUTIONS = 30
DOTS = 3  # per person and round (the template's breakout items do not change it)
KINDS = ("comment", "practice", "vote")
KIB = 1024
COMMENTS = [
    "Wichtig für die Quartiere mit hoher Hitzebelastung, bitte konkreter fassen.",
    "Das sollte mit der Regionalplanung abgestimmt werden, sonst bleibt es unverbindlich.",
    "Hier fehlen uns in der Kommune Personal und Mittel für die Umsetzung.",
    "Zustimmung, aber die Pflege der Flächen muss dauerhaft gesichert sein.",
    "Bitte die Wasserwirtschaft und die Emschergenossenschaft von Anfang an einbinden.",
    "Gute Erfahrungen mit Patenschaften für Baumscheiben, das ließe sich übertragen.",
    "Ein Förderprogramm für kleine Flächen wäre hilfreich, die großen Programme passen selten.",
    "Kaltluftbahnen sollten im Flächennutzungsplan verbindlich gesichert werden.",
]
PRACTICES = [
    "Klimaschutzsiedlung Bottrop", "Dachbegrünung im Bestand, Gelsenkirchen", "Grüne Schulhöfe in Dortmund",
    "Emscher-Umbau: Renaturierung", "Zukunftsinitiative Klima.Werk", "Stadtbäume für Essen",
    "Essbare Stadt Witten", "Regenwasserabkopplung im Quartier",
]


class SizeMemo:
    """Size and content of each distinct ``workspace.state`` a phone can get: every member of a
    group gets the same message of a version, so each is measured once, not once per phone."""

    def __init__(self):
        self.seen: dict[tuple[int, int], tuple[int, int, int]] = {}  # (group, version) -> (size, posts, dots)
        self.largest: tuple[int, dict] | None = None  # (size, message)

    def measure(self, message: dict) -> tuple[int, int]:
        """(size, contributions) of a message."""
        data = message["data"]
        key = (data["group_id"], data["version"])
        if key not in self.seen:
            self.seen[key] = (len(json.dumps(message)), *contents(data["workspace"]))
            if self.largest is None or self.seen[key][0] > self.largest[0]:
                self.largest = (self.seen[key][0], message)
        size, posts, dots = self.seen[key]
        return size, posts + dots

    def largest_kib(self) -> dict:
        """The largest message: as measured, as the server writes it (compact JSON), and deflated
        (roughly what a browser gets: the server accepts permessage-deflate, python-socketio clients
        do not ask for it) with the time one compression takes here."""
        if self.largest is None:
            return {}
        size, message = self.largest
        compact = json.dumps(message, separators=(",", ":")).encode()
        t0 = time.perf_counter()
        deflated = zlib.compress(compact)
        took = time.perf_counter() - t0
        # the bench's texts come from a few sentences and compress far better than real ones; with
        # random letters instead (compress worse than real ones) the truth lies in between
        rng = random.Random(0)
        scrambled = json.loads(compact)
        for post in posts_in(scrambled["data"]["workspace"]):
            for field in ("text", "title"):
                if post[field]:
                    post[field] = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz    ") for _ in post[field])
        worst = zlib.compress(json.dumps(scrambled, separators=(",", ":")).encode())
        return {"json": kib(size), "wire": kib(len(compact)), "deflated": kib(len(deflated)),
                "deflated_random_text": kib(len(worst)), "deflate_ms": round(took * 1000, 2)}

    def growth(self) -> tuple[float, float] | None:
        """Least squares of message size over posts: (bytes per post, bytes with no post)."""
        points = [(posts, size) for size, posts, _dots in self.seen.values()]
        n = len(points)
        mean_x, mean_y = sum(x for x, _ in points) / max(n, 1), sum(y for _, y in points) / max(n, 1)
        var = sum((x - mean_x) ** 2 for x, _ in points)
        if n < 2 or var == 0:
            return None
        slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / var
        return slope, mean_y - slope * mean_x


def posts_in(view: dict) -> list[dict]:
    """Comments, rewordings, projects and answers of a workspace view."""
    posts = [post for g in view["goals"] for post in g["comments"] + g["rewordings"]]
    return posts + view["practices"] + [post for a in view["answers"] for post in a["items"]]


def contents(view: dict) -> tuple[int, int]:
    """Posts and dots in a workspace view."""
    return len(posts_in(view)), sum(g["dots"] for g in view["goals"])


def contributions_in(view: dict) -> int:
    return sum(contents(view))


class Phone(BenchPhone):
    def __init__(self, index: int, base: str, code: str, memo: SizeMemo):
        super().__init__(index, base, code)
        self.memo = memo
        self.group_id = None
        self.goal_ids: list[int] = []
        self.baseline = 0  # contributions in the workspace when following
        self.states: list[tuple[float, int, int]] = []  # (arrival, size, contributions)
        self.live = 0
        self.acks: list[float] = []  # sending -> ack, seconds
        self.last_ack_s = None  # from the burst start
        self.sent = 0  # acked contributions

    def handlers(self) -> dict:
        return {"workspace.state": self.on_state, "activity.live": self.on_live}

    def on_state(self, message) -> None:
        size, count = self.memo.measure(message)
        self.states.append((time.monotonic(), size, count))

    def on_live(self, message) -> None:
        self.live += 1

    def call(self, name: str, payload: dict, timeout: float):
        if self.client is None or self.error:
            return None
        try:
            ack = self.client.call(name, payload, timeout=timeout)
        except Exception as exc:
            self.error = f"{name}: {exc!r}"
            return None
        if not (ack and ack.get("ok")):
            self.error = f"{name}: {ack}"
            return None
        return ack

    def choose(self, group_id: int, timeout: float) -> None:
        if self.call("group.choose", {"group_id": group_id}, timeout):
            self.group_id = group_id

    def follow(self, timeout: float) -> None:
        ack = self.call("workspace.follow", {}, timeout)
        personal = ack and ack["personal"]
        if not personal or personal["group_id"] != self.group_id or not personal["workspace"]:
            self.error = self.error or f"follow: {personal and personal['group_id']} instead of {self.group_id}"
            return
        self.goal_ids = [g["id"] for g in personal["workspace"]["goals"]]
        self.baseline = contributions_in(personal["workspace"])

    def write(self, kind: str, j: int, rng: random.Random, timeout: float) -> float | None:
        """One contribution; the time from sending to its ack, None if refused or failed."""
        if kind == "comment":
            name, payload = "workspace.comment", {"goal_id": rng.choice(self.goal_ids),
                                                  "text": f"{rng.choice(COMMENTS)} ({self.index}.{j})"}
        elif kind == "practice":
            name, payload = "workspace.practice.add", {"title": f"{rng.choice(PRACTICES)} ({self.index}.{j})"}
        else:
            name, payload = "workspace.vote", {"goal_id": rng.choice(self.goal_ids)}
        sent = time.monotonic()
        if self.call(name, payload, timeout) is None:
            return None
        return time.monotonic() - sent

    def contribute(self, count: int, started: float, timeout: float, rng: random.Random) -> None:
        """``count`` contributions one after the other: comment, project, dot in turns (at most 3 dots)."""
        dots = 0
        for j in range(count):
            kind = KINDS[(self.index + j) % len(KINDS)]
            if kind == "vote" and dots >= DOTS:
                kind = "comment"
            dots += kind == "vote"
            took = self.write(kind, j, rng, timeout)
            if took is None:
                return
            self.acks.append(took)
            self.last_ack_s = time.monotonic() - started
            self.sent += 1

    def complete_at(self, expected: int) -> float | None:
        """When this phone first had a workspace with at least ``expected`` contributions."""
        return next((at for at, _size, count in self.states if count >= expected), None)


def kib(n: float) -> float:
    return round(n / KIB, 1)


def run_scenario(phones_n: int, contributions: int, groups_n: int, trickle: int, concurrency: int, timeout: float,
                 seed: int) -> dict:
    print(f"\n=== {phones_n} phones x {contributions} contributions, {groups_n} groups ===", flush=True)
    work = Path(tempfile.mkdtemp(prefix="werkstatt-breakout-bench-"))
    server = None
    phones: list[Phone] = []
    result: dict = {"phones": phones_n, "contributions_per_phone": contributions, "groups": groups_n}
    try:
        server, code = start_app(work, EMAIL)

        # the facilitator: groups big enough for everyone, then "Choose your fighter"
        cookie = harness.cookie_header(harness.login(server.base, EMAIL))
        fac_client, cockpit = harness.socket_client(server.base, code, "cockpit", cookie, transports=["websocket"])
        snapshot = cockpit.wait_for(lambda n, d: n == "sync.snapshot", timeout)
        assert snapshot, "the cockpit got no snapshot"
        data = snapshot[3]["data"]
        items = {i["kind"]: i["id"] for i in reversed(data["agenda"]["items"])}  # the first of each kind
        group_ids = [g["id"] for g in data["groups"]][:groups_n]
        assert len(group_ids) == groups_n, f"the template has {len(data['groups'])} groups"
        for group_id in group_ids:
            command(fac_client, "group.update", {"group_id": group_id, "capacity": 1000}, timeout)

        # the phones join and connect, choose their group round-robin, follow their workspace
        memo = SizeMemo()
        phones = [Phone(i, server.base, code, memo) for i in range(phones_n)]
        pool = Pool(concurrency)
        t0 = time.monotonic()
        pool.map(lambda p: p.connect(timeout), phones)
        print(f"connected {sum(1 for p in phones if p.client and not p.error)}/{phones_n} "
              f"in {time.monotonic() - t0:.1f}s", flush=True)
        command(fac_client, "agenda.goto", {"item_id": items["group_choice"]}, timeout)
        pool.map(lambda p: p.choose(group_ids[p.index % groups_n], timeout), phones)
        command(fac_client, "agenda.goto", {"item_id": items["breakout"]}, timeout)
        pool.map(lambda p: p.follow(timeout), phones)
        ready = [p for p in phones if p.goal_ids and not p.error]
        print(f"{len(ready)} phones in their workspaces", flush=True)
        gevent.sleep(2)  # let the presence and activity broadcasts of the setup settle

        # the burst: every phone writes at once
        rng = random.Random(seed)
        for p in ready:
            p.states.clear()
            p.live = 0
        seen = len(cockpit.events)
        cpu0, own0 = server.cpu_seconds(), own_cpu()
        started = time.monotonic()
        greenlets = [gevent.spawn(p.contribute, contributions, started, timeout, random.Random(rng.random()))
                     for p in ready]
        gevent.joinall(greenlets, timeout=timeout * 2)
        burst_s = time.monotonic() - started

        # every member must see all of the group's acked contributions
        expected = {g: 0 for g in group_ids}
        for p in ready:
            expected[p.group_id] += p.sent
        baseline = {p.group_id: p.baseline for p in ready}
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if all(p.complete_at(baseline[p.group_id] + expected[p.group_id]) for p in ready):
                break
            gevent.sleep(0.05)
        gevent.sleep(1)  # a flush still scheduled would show up here
        cpu1, own1 = server.cpu_seconds(), own_cpu()

        done = [p.complete_at(baseline[p.group_id] + expected[p.group_id]) for p in ready]
        sizes = [size for p in ready for _at, size, _count in p.states]
        per_phone_bytes = [sum(size for _at, size, _count in p.states) for p in ready]
        counts = sorted(len(p.states) for p in ready)
        fac_events = [(n, d) for _at, n, d in cockpit.events[seen:]]
        fac_state = [len(json.dumps(d)) for n, d in fac_events if n == "workspace.state"]
        fac_live = [len(json.dumps(d)) for n, d in fac_events if n == "activity.live"]
        acks = [a for p in ready for a in p.acks]
        live = sorted(p.live for p in ready)

        # then calm writing: one comment per group at a time, each flushed on its own, at the full size
        writers = {}
        for p in ready:
            writers.setdefault(p.group_id, p)
        target = {g: baseline[g] + expected[g] for g in writers}
        for p in ready:
            p.states.clear()
        trickle_seen = []
        cpu2 = server.cpu_seconds()
        for j in range(trickle):
            sent = time.monotonic()
            tasks = {g: gevent.spawn(w.write, "comment", contributions + j, rng, timeout) for g, w in writers.items()}
            gevent.joinall(list(tasks.values()), timeout=timeout)
            for g, task in tasks.items():
                target[g] += task.value is not None
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline and not all(p.complete_at(target[p.group_id]) for p in ready):
                gevent.sleep(0.02)
            arrivals = [p.complete_at(target[p.group_id]) for p in ready]
            trickle_seen.append(max(arrivals) - sent if all(arrivals) else float("inf"))
        gevent.sleep(0.5)
        cpu3 = server.cpu_seconds()
        log = server.output(200000)
        growth = memo.growth()
        result.update({
            "connected": sum(1 for p in phones if p.client is not None),
            "in_workspace": len(ready),
            "members_per_group": sorted({sum(1 for p in ready if p.group_id == g) for g in group_ids}),
            "contributions_acked": sum(expected.values()),
            "contributions_per_group": sorted(set(expected.values())),
            "errors": sorted({p.error for p in phones if p.error})[:5],
            "error_count": sum(1 for p in phones if p.error),
            "server_tracebacks": len(re.findall(r"^Traceback", log, re.MULTILINE)),
            "ack": summary(acks),
            "last_ack_s": round(max(p.last_ack_s for p in ready if p.last_ack_s is not None), 3) if acks else None,
            "burst_s": round(burst_s, 3),
            "all_seen_s": round(max(done) - started, 3) if done and all(done) else None,
            "phones_incomplete": sum(1 for d in done if d is None),
            "phone_states_p50": counts[len(counts) // 2] if counts else None,
            "phone_states_min_max": [counts[0], counts[-1]] if counts else None,
            "state_size_mean_kib": kib(sum(sizes) / len(sizes)) if sizes else None,
            "state_size_max_kib": kib(max(sizes)) if sizes else None,
            "bytes_per_phone_mean_kib": kib(sum(per_phone_bytes) / len(per_phone_bytes)) if ready else None,
            "bytes_per_phone_max_kib": kib(max(per_phone_bytes)) if ready else None,
            "bytes_all_phones_mib": round(sum(per_phone_bytes) / KIB / KIB, 2),
            "distinct_versions_sent": len(memo.seen),
            "phone_live_p50": live[len(live) // 2] if live else None,
            "cockpit_states": len(fac_state),
            "cockpit_state_kib": kib(sum(fac_state)),
            "cockpit_state_max_kib": kib(max(fac_state)) if fac_state else None,
            "cockpit_live": len(fac_live),
            "cockpit_live_kib": kib(sum(fac_live)),
            "server_cpu_s": round(cpu1 - cpu0, 2),
            "server_cpu_ms_per_contribution": round((cpu1 - cpu0) * 1000 / max(sum(expected.values()), 1), 1),
            "client_cpu_s": round(own1 - own0, 2),
            "bytes_per_post": round(growth[0]) if growth else None,
            "empty_workspace_kib": kib(growth[1]) if growth else None,
            "trickle_comments": trickle * len(writers),
            "largest_state_kib": memo.largest_kib(),
            "trickle_all_seen_ms": summary(trickle_seen) if trickle_seen else None,
            "trickle_server_cpu_ms_per_comment": round((cpu3 - cpu2) * 1000 / max(trickle * len(writers), 1), 1),
            "loadavg": Path("/proc/loadavg").read_text().split()[:3],
        })
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


def parse_run(text: str) -> tuple[int, int]:
    phones, _, contributions = text.partition("x")
    try:
        n, c = int(phones), int(contributions)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: PHONESxCONTRIBUTIONS, e.g. 150x3") from None
    if not (1 <= n <= MAX_PHONES and 1 <= c <= MAX_CONTRIBUTIONS):
        raise argparse.ArgumentTypeError(f"{text!r}: phones 1..{MAX_PHONES}, contributions 1..{MAX_CONTRIBUTIONS}")
    return n, c


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=parse_run, nargs="+", default=[(75, 3), (150, 3), (300, 3), (75, 10)],
                        metavar="PHONESxC", help="phones and contributions per phone of each run (default: %(default)s)")
    parser.add_argument("--groups", type=int, default=5, choices=range(1, 6), metavar="1..5",
                        help="how many of the template's theme groups the phones choose from")
    parser.add_argument("--trickle", type=int, default=5,
                        help="after the burst, this many rounds of one comment per group, each flushed on its own")
    parser.add_argument("--concurrency", type=int, default=25, help="phones joining/connecting at the same time")
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--json", type=Path, help="write the results here")
    args = parser.parse_args(argv)
    info = machine()
    print("machine:", info, flush=True)
    started = time.monotonic()
    results = [run_scenario(n, c, args.groups, args.trickle, args.concurrency, args.timeout, args.seed) for n, c in args.runs]
    info["loadavg_after"] = Path("/proc/loadavg").read_text().split()[:3]
    info["total_s"] = round(time.monotonic() - started, 1)
    print(f"\n{'phones':>6s} {'C':>3s} {'acked':>6s} {'ack p50/p95/max ms':>22s} {'all seen s':>10s} "
          f"{'msgs/phone':>10s} {'KiB mean/max':>13s} {'KiB/phone':>9s} {'MiB all':>8s} "
          f"{'cockpit n/KiB':>14s} {'srv CPU s':>9s} {'ms/contr.':>9s} {'trickle ms':>10s} {'errors':>6s}")
    for r in results:
        a = r["ack"]
        print(f"{r['phones']:6d} {r['contributions_per_phone']:3d} {r['contributions_acked']:6d} "
              f"{a['p50_ms']:>8}/{a['p95_ms']}/{a['max_ms']:<7} {str(r['all_seen_s']):>10s} "
              f"{str(r['phone_states_p50']):>10s} {str(r['state_size_mean_kib']):>6s}/{str(r['state_size_max_kib']):<6s} "
              f"{str(r['bytes_per_phone_mean_kib']):>9s} {r['bytes_all_phones_mib']:8} "
              f"{r['cockpit_states']:>5d}/{r['cockpit_state_kib']:<8} {r['server_cpu_s']:9} "
              f"{r['server_cpu_ms_per_contribution']:9} {r['trickle_server_cpu_ms_per_comment']:10} {r['error_count']:6d}")
    print(f"total {info['total_s']}s, load average before {info['loadavg']} after {info['loadavg_after']}")
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "results": results}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
