#!/usr/bin/env python3
"""The impaired link of the network benchmark: netem's job, done in user space.

This kernel has no netem qdisc, so the link is two TUN devices and this process between
them. `BROWSER_IF` stays in the benchmark's namespace (the browser's side); `SERVER_IF` is
moved by lab.mjs into a namespace nested inside it, where the Athos server runs. Every IP
packet one side sends is read here, then, per direction:

  1. lost at random (independent losses, like netem's `loss P%`);
  2. queued for a link of `rateBps` bits per second (serialisation: a packet leaves when its
     last bit has been sent), tail-dropped when the queue holds more than `queueMs` of data at
     that rate (at least QUEUE_MIN_BYTES), like a router's buffer;
  3. delayed by `delayMs` plus a uniform jitter of +/- `jitterMs`, in order: a packet never
     overtakes the one before it (mobile and DSL links deliver in order; netem's reordering
     would only add spurious TCP retransmissions);
  4. written to the other device, and counted: bytes of whole IP packets, so TCP/IP and
     WebSocket headers and TCP's acknowledgements are in the figures; and how many were
     written more than 1 or 5 ms after they were due (this process woken late).

Control: one JSON object per line on stdin, one JSON answer per line on stdout.
  {"set": {"up": PROFILE, "down": PROFILE}}  impair each direction ("up": browser -> server)
  {"flush": true}                            drop whatever is queued or in flight
  {"stats": true}                            counters per direction since start
  {"bytes": [FROM, TO]}                      bytes delivered per direction between two epoch ms
PROFILE: {"delayMs", "jitterMs", "loss" (0..1), "rateBps" (0 = unlimited), "queueMs"}.

Bounded: queues cap at MAX_PACKETS and MAX_BYTES per direction, the byte history keeps
HISTORY_S seconds, and the process exits when stdin closes or after --max-seconds. It runs as a
real-time task so that a busy machine does not wake it late (prioritise), and gives that up if
it ever uses more than half a CPU (cpu_guard).
"""

import collections
import fcntl
import json
import os
import random
import select
import struct
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000

MAX_PACKETS = 4096
MAX_BYTES = 4 * 1024 * 1024
QUEUE_MIN_BYTES = 3 * 1500
BIN_S = 0.01
HISTORY_S = 900
# Share of a CPU above which the emulator gives up its real-time priority (checked every 10 s).
CPU_GUARD = 0.5
CPU_GUARD_WINDOW_S = 10
NO_IMPAIRMENT = {"delayMs": 0, "jitterMs": 0, "loss": 0, "rateBps": 0, "queueMs": 500}


def open_tun(name):
    fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))
    return fd


class Direction:
    """One way through the link: loss, a rate-limited queue, then a delay line."""

    def __init__(self, source, sink):
        self.source = source
        self.sink = sink
        self.profile = dict(NO_IMPAIRMENT)
        self.waiting = collections.deque()  # (arrival, packet) not yet sent at the link's rate
        self.waiting_bytes = 0
        self.link_free_at = 0.0
        self.in_flight = collections.deque()  # (release, packet), in release order
        self.in_flight_bytes = 0
        self.last_release = 0.0
        self.history = collections.deque()  # [bin, bytes] delivered, oldest first
        self.counts = collections.Counter()

    def configure(self, profile):
        self.profile = {**NO_IMPAIRMENT, **profile}

    def flush(self):
        self.counts["flushed"] += len(self.waiting) + len(self.in_flight)
        self.waiting.clear()
        self.in_flight.clear()
        self.waiting_bytes = self.in_flight_bytes = 0

    def queue_limit(self):
        rate = self.profile["rateBps"]
        return max(QUEUE_MIN_BYTES, rate / 8 * self.profile["queueMs"] / 1000)

    def receive(self, packet, now):
        self.counts["received"] += 1
        self.counts["receivedBytes"] += len(packet)
        if random.random() < self.profile["loss"]:
            self.counts["lost"] += 1
            return
        if self.profile["rateBps"] <= 0:
            self.send_on(packet, now)
            return
        full = len(self.waiting) >= MAX_PACKETS or self.waiting_bytes + len(packet) > min(MAX_BYTES, self.queue_limit())
        if full:
            self.counts["queueDropped"] += 1
            return
        self.waiting.append((now, packet))
        self.waiting_bytes += len(packet)

    def send_on(self, packet, now):
        """The packet has crossed the link's bottleneck; it arrives after the propagation delay."""
        if len(self.in_flight) >= MAX_PACKETS or self.in_flight_bytes + len(packet) > MAX_BYTES:
            self.counts["queueDropped"] += 1
            return
        profile = self.profile
        delay = profile["delayMs"] + random.uniform(-profile["jitterMs"], profile["jitterMs"])
        release = max(now + max(0.0, delay) / 1000, self.last_release)
        self.last_release = release
        self.in_flight.append((release, packet))
        self.in_flight_bytes += len(packet)

    def next_departure(self):
        """When the packet at the head of the rate queue has been sent, or None."""
        if not self.waiting:
            return None
        arrival, packet = self.waiting[0]
        start = max(self.link_free_at, arrival)
        rate = self.profile["rateBps"]
        return start + len(packet) * 8 / rate if rate > 0 else start

    def pump(self, now):
        """Moves packets through the bottleneck and delivers those whose delay is over."""
        while True:
            departure = self.next_departure()
            if departure is None or departure > now:
                break
            _, packet = self.waiting.popleft()
            self.waiting_bytes -= len(packet)
            self.link_free_at = departure
            self.send_on(packet, departure)
        while self.in_flight and self.in_flight[0][0] <= now:
            release, packet = self.in_flight.popleft()
            self.in_flight_bytes -= len(packet)
            self.deliver(packet, release)

    def deliver(self, packet, due):
        try:
            os.write(self.sink, packet)
        except OSError:
            self.counts["writeFailed"] += 1
            return
        self.counts["delivered"] += 1
        self.counts["deliveredBytes"] += len(packet)
        # How late this process itself delivered it: the emulator's own precision on a busy machine.
        late = time.monotonic() - due
        if late > 0.001:
            self.counts["deliveredOver1msLate"] += 1
        if late > 0.005:
            self.counts["deliveredOver5msLate"] += 1
        wall = int(time.time() / BIN_S)
        if self.history and self.history[-1][0] == wall:
            self.history[-1][1] += len(packet)
        else:
            self.history.append([wall, len(packet)])
        while self.history and self.history[0][0] < wall - HISTORY_S / BIN_S:
            self.history.popleft()

    def next_event(self):
        times = [t for t in (self.next_departure(), self.in_flight[0][0] if self.in_flight else None) if t is not None]
        return min(times) if times else None

    def bytes_between(self, from_ms, to_ms):
        first, last = from_ms / 1000 / BIN_S, to_ms / 1000 / BIN_S
        return sum(count for wall, count in self.history if first <= wall < last)


def prioritise():
    """The emulator is the benchmark's clock: on a busy machine, being woken late adds to every
    delay. It sleeps nearly all the time, so it runs as a real-time task (the kernel's RT
    throttling still leaves others 5 % of a CPU), or else at nice -10; see CPU_GUARD."""
    try:
        os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(10))
    except OSError:
        os.nice(-10)


def cpu_guard(window):
    """Drops real-time priority if this process ever used more than half a CPU over a window."""
    used = time.process_time()
    if used - window["cpu"] > CPU_GUARD * (time.monotonic() - window["wall"]):
        os.sched_setscheduler(0, os.SCHED_OTHER, os.sched_param(0))
        sys.stderr.write("link emulator: used too much CPU, real-time priority dropped\n")
    window["cpu"], window["wall"] = used, time.monotonic()


def answer(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def command(line, directions):
    request = json.loads(line)
    if "set" in request:
        for name, profile in request["set"].items():
            directions[name].configure(profile)
        return {"ok": True}
    if "flush" in request:
        for direction in directions.values():
            direction.flush()
        return {"ok": True}
    if "stats" in request:
        return {name: dict(direction.counts) for name, direction in directions.items()}
    if "bytes" in request:
        from_ms, to_ms = request["bytes"]
        return {name: direction.bytes_between(from_ms, to_ms) for name, direction in directions.items()}
    return {"error": f"unknown command {line.strip()[:80]}"}


def main():
    args = dict(zip(sys.argv[1::2], sys.argv[2::2]))
    browser_if, server_if = args["--browser-if"], args["--server-if"]
    deadline = time.monotonic() + float(args.get("--max-seconds", "3600"))
    prioritise()
    browser_fd, server_fd = open_tun(browser_if), open_tun(server_if)
    directions = {"up": Direction(browser_fd, server_fd), "down": Direction(server_fd, browser_fd)}
    by_source = {d.source: d for d in directions.values()}
    control = sys.stdin.fileno()
    pending = b""
    window = {"cpu": time.process_time(), "wall": time.monotonic()}
    answer({"ready": True})
    while time.monotonic() < deadline:
        if time.monotonic() - window["wall"] >= CPU_GUARD_WINDOW_S:
            cpu_guard(window)
        now = time.monotonic()
        events = [t for t in (d.next_event() for d in directions.values()) if t is not None]
        timeout = max(0.0, min(events) - now) if events else 1.0
        readable, _, _ = select.select([browser_fd, server_fd, control], [], [], min(timeout, 1.0))
        now = time.monotonic()
        for fd in readable:
            if fd == control:
                chunk = os.read(control, 65536)
                if not chunk:
                    return
                pending += chunk
                while b"\n" in pending:
                    line, pending = pending.split(b"\n", 1)
                    answer(command(line.decode(), directions))
                continue
            direction = by_source[fd]
            for _ in range(256):  # bounded: the other fd gets its turn
                try:
                    packet = os.read(fd, 65536)
                except BlockingIOError:
                    break
                direction.receive(packet, now)
        for direction in directions.values():
            direction.pump(time.monotonic())


if __name__ == "__main__":
    main()
