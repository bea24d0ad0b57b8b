#!/usr/bin/env python3
"""
A shaped network link between two network namespaces, in userspace (no sch_netem on this kernel).

Two namespaces, <prefix>d (the desk's side) and <prefix>c (the central's side), each get a TUN
interface; this process reads every IP packet from one TUN and writes it to the other after the
link's treatment, in both directions, as netem would:

  * loss: each packet is dropped with probability --loss (independently, per direction);
  * rate: packets are serialised at --rate-kbit (a packet waits for the ones before it);
  * delay: then delayed by --delay-ms ± --jitter-ms (uniform), never overtaking the packet before;
  * a queue of at most --limit packets per direction (tail drop), as netem's default 1000;
  * a cut (command `cut`): every packet is dropped until `restore`, like a cable pulled out.

So TCP between the namespaces sees real loss, real retransmissions and a real bottleneck.

Forwards (--forward SIDE:HOST:PORT=TARGET) listen on HOST:PORT inside a namespace (SIDE d or c) and
connect each accepted connection to TARGET in the namespace this process started in: a unix socket
path or 127.0.0.1:PORT. That is how a browser inside <prefix>d reaches servers the test runs on the
host's loopback: the shaped part is between the namespaces, the forwarder's own legs are loopback.

Protocol: one JSON line on stdout when ready ({"ready": true, ...}); commands on stdin, one per
line: `cut`, `restore`, `stats` (answers one JSON line), `set KEY=VALUE ...` (delay_ms, jitter_ms,
loss, rate_kbit). End of stdin, SIGTERM or SIGINT: the TUN devices are closed and both namespaces
deleted, also after an error. Root only (namespaces, TUN).
"""
import argparse
import ctypes
import fcntl
import heapq
import json
import os
import random
import selectors
import signal
import socket
import struct
import subprocess
import sys
import threading
import time

CLONE_NEWNET = 0x40000000
TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000

libc = ctypes.CDLL(None, use_errno=True)


def run(*argv):
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


class Netns:
    """Enters a namespace for the duration of a `with` block (this thread only)."""

    def __init__(self, name):
        self.name = name

    def __enter__(self):
        self.home = os.open('/proc/self/ns/net', os.O_RDONLY)
        fd = os.open(f'/var/run/netns/{self.name}', os.O_RDONLY)
        try:
            if libc.setns(fd, CLONE_NEWNET) != 0:
                raise OSError(ctypes.get_errno(), f'setns {self.name}')
        finally:
            os.close(fd)

    def __exit__(self, *exc):
        try:
            if libc.setns(self.home, CLONE_NEWNET) != 0:
                raise OSError(ctypes.get_errno(), 'setns back')
        finally:
            os.close(self.home)


class Direction:
    def __init__(self, name, out_fd, shape):
        self.name = name
        self.out_fd = out_fd
        self.shape = shape
        self.busy_until = 0.0
        self.last_deliver = 0.0
        self.queue = []  # heap of (deliver_at, seq, packet)
        self.seq = 0
        self.stats = {'packets': 0, 'bytes': 0, 'delivered': 0, 'delivered_bytes': 0, 'lost': 0, 'cut': 0, 'overflow': 0}

    def offer(self, packet, now):
        s = self.shape
        self.stats['packets'] += 1
        self.stats['bytes'] += len(packet)
        if s['cut']:
            self.stats['cut'] += 1
            return
        if s['loss'] > 0 and random.random() < s['loss']:
            self.stats['lost'] += 1
            return
        if len(self.queue) >= s['limit']:
            self.stats['overflow'] += 1
            return
        start = max(now, self.busy_until)
        done = start + (len(packet) * 8 / (s['rate_kbit'] * 1000) if s['rate_kbit'] > 0 else 0)
        self.busy_until = done
        delay = s['delay_ms'] + (random.uniform(-s['jitter_ms'], s['jitter_ms']) if s['jitter_ms'] > 0 else 0)
        at = max(done + max(0.0, delay) / 1000, self.last_deliver)
        self.last_deliver = at
        self.seq += 1
        heapq.heappush(self.queue, (at, self.seq, packet))

    def deliver_due(self, now):
        while self.queue and self.queue[0][0] <= now:
            _, _, packet = heapq.heappop(self.queue)
            try:
                os.write(self.out_fd, packet)
                self.stats['delivered'] += 1
                self.stats['delivered_bytes'] += len(packet)
            except OSError:
                pass  # the interface went away while shutting down

    def drop_queued(self):
        # A cut loses what is on the wire too.
        self.stats['cut'] += len(self.queue)
        self.queue.clear()
        self.busy_until = 0.0
        self.last_deliver = 0.0


def open_tun(ns, name):
    with Netns(ns):
        fd = os.open('/dev/net/tun', os.O_RDWR)
        fcntl.ioctl(fd, TUNSETIFF, struct.pack('16sH', name.encode(), IFF_TUN | IFF_NO_PI))
    os.set_blocking(fd, False)
    return fd


def pipe(a, b):
    try:
        while True:
            data = a.recv(65536)
            if not data:
                break
            b.sendall(data)
    except OSError:
        pass
    finally:
        for s, how in ((b, socket.SHUT_WR), (a, socket.SHUT_RD)):
            try:
                s.shutdown(how)
            except OSError:
                pass


def serve_forward(listener, target):
    while True:
        try:
            conn, _ = listener.accept()
        except OSError:
            return
        try:
            if target.startswith('/'):
                up = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                up.connect(target)
            else:
                host, port = target.rsplit(':', 1)
                up = socket.create_connection((host, int(port)))
                up.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            conn.close()
            continue
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def close_both(c=conn, u=up):
            t1.join()
            t2.join()
            c.close()
            u.close()

        t1 = threading.Thread(target=pipe, args=(conn, up), daemon=True)
        t2 = threading.Thread(target=pipe, args=(up, conn), daemon=True)
        t1.start()
        t2.start()
        threading.Thread(target=close_both, daemon=True).start()


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--prefix', required=True, help='namespace prefix, k19…: <prefix>d and <prefix>c')
    p.add_argument('--delay-ms', type=float, default=0)
    p.add_argument('--jitter-ms', type=float, default=0)
    p.add_argument('--loss', type=float, default=0)
    p.add_argument('--rate-kbit', type=float, default=0, help='0: unlimited')
    p.add_argument('--limit', type=int, default=1000)
    p.add_argument('--mtu', type=int, default=1500)
    p.add_argument('--seed', type=int, default=None)
    p.add_argument('--desk-ip', default='10.231.0.1')
    p.add_argument('--central-ip', default='10.231.0.2')
    p.add_argument('--forward', action='append', default=[], help='SIDE:HOST:PORT=TARGET')
    a = p.parse_args()
    if not a.prefix.startswith('k19') or len(a.prefix) > 11:
        sys.exit('--prefix must start with k19 and be at most 11 characters')
    if a.seed is not None:
        random.seed(a.seed)

    shape = {
        'delay_ms': a.delay_ms,
        'jitter_ms': a.jitter_ms,
        'loss': a.loss,
        'rate_kbit': a.rate_kbit,
        'limit': a.limit,
        'cut': False,
    }
    ns = {'d': a.prefix + 'd', 'c': a.prefix + 'c'}
    tun = {'d': a.prefix + 'td', 'c': a.prefix + 'tc'}
    ip = {'d': a.desk_ip, 'c': a.central_ip}
    made = []
    fds = {}
    listeners = []
    stopping = threading.Event()

    def cleanup():
        for l in listeners:
            try:
                l.close()
            except OSError:
                pass
        for fd in fds.values():
            try:
                os.close(fd)
            except OSError:
                pass
        for n in made:
            subprocess.run(['ip', 'netns', 'del', n], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def on_signal(*_):
        stopping.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        for side in ('d', 'c'):
            run('ip', 'netns', 'add', ns[side])
            made.append(ns[side])
            run('ip', '-n', ns[side], 'link', 'set', 'lo', 'up')
        for side in ('d', 'c'):
            fds[side] = open_tun(ns[side], tun[side])
            other = 'c' if side == 'd' else 'd'
            run('ip', '-n', ns[side], 'addr', 'add', ip[side], 'peer', ip[other], 'dev', tun[side])
            run('ip', '-n', ns[side], 'link', 'set', tun[side], 'mtu', str(a.mtu), 'up')
        for f in a.forward:
            where, target = f.split('=', 1)
            side, host, port = where.split(':')
            with Netns(ns[side]):
                l = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                l.bind((host, int(port)))
                l.listen(64)
            listeners.append(l)
            threading.Thread(target=serve_forward, args=(l, target), daemon=True).start()

        dirs = {'d': Direction('desk->central', fds['c'], shape), 'c': Direction('central->desk', fds['d'], shape)}
        sel = selectors.DefaultSelector()
        sel.register(fds['d'], selectors.EVENT_READ, 'd')
        sel.register(fds['c'], selectors.EVENT_READ, 'c')
        os.set_blocking(sys.stdin.fileno(), False)
        sel.register(sys.stdin.fileno(), selectors.EVENT_READ, 'stdin')
        print(json.dumps({'ready': True, 'desk_ns': ns['d'], 'central_ns': ns['c'], 'desk_ip': ip['d'],
                          'central_ip': ip['c']}), flush=True)
        pending = b''
        while not stopping.is_set():
            now = time.monotonic()
            nxt = min((d.queue[0][0] for d in dirs.values() if d.queue), default=now + 0.5)
            for key, _ in sel.select(timeout=max(0.0, min(0.5, nxt - now))):
                if key.data == 'stdin':
                    chunk = os.read(sys.stdin.fileno(), 4096)
                    if not chunk:
                        stopping.set()
                        break
                    pending += chunk
                    while b'\n' in pending:
                        line, pending = pending.split(b'\n', 1)
                        cmd = line.decode().split()
                        if not cmd:
                            continue
                        if cmd[0] == 'cut':
                            shape['cut'] = True
                            for d in dirs.values():
                                d.drop_queued()
                        elif cmd[0] == 'restore':
                            shape['cut'] = False
                        elif cmd[0] == 'set':
                            for kv in cmd[1:]:
                                k, v = kv.split('=', 1)
                                if k not in ('delay_ms', 'jitter_ms', 'loss', 'rate_kbit'):
                                    raise ValueError(f'unknown setting {k}')
                                shape[k] = float(v)
                        elif cmd[0] != 'stats':
                            raise ValueError(f'unknown command {cmd[0]}')
                        print(json.dumps({'ack': cmd[0], 'shape': shape,
                                          'stats': {d.name: d.stats for d in dirs.values()}}), flush=True)
                    continue
                side = key.data
                t = time.monotonic()
                for _ in range(64):
                    try:
                        packet = os.read(fds[side], 65535)
                    except BlockingIOError:
                        break
                    dirs[side].offer(packet, t)
            now = time.monotonic()
            for d in dirs.values():
                d.deliver_due(now)
    finally:
        cleanup()


if __name__ == '__main__':
    main()
