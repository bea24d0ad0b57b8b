import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLink, linkLabUnavailable, type Link } from './lab/link';

/**
 * The link emulator does what it says: its round trip, its rate and its loss are measured from
 * inside the desk's namespace with real TCP, against a server on the host's loopback reached
 * through the central's namespace (`tests/integration/lab/link.py`).
 */

const unavailable = linkLabUnavailable();

/** Runs in the desk's namespace: times TCP connects, then sends `bytes` and waits for the count back. */
const CLIENT = `
const net = require('node:net');
const [host, port, connects, bytes] = process.argv.slice(1);
const connectOnce = () => new Promise((resolve, reject) => {
  const t = process.hrtime.bigint();
  const s = net.connect(Number(port), host, () => { resolve(Number(process.hrtime.bigint() - t) / 1e6); s.destroy(); });
  s.on('error', reject);
});
(async () => {
  const rtt = [];
  for (let i = 0; i < Number(connects); i++) rtt.push(await connectOnce());
  const t = process.hrtime.bigint();
  const s = net.connect(Number(port), host);
  s.setNoDelay(true);
  let answer = '';
  s.on('data', (d) => (answer += d));
  s.on('end', () => {
    process.stdout.write(JSON.stringify({ rtt, ms: Number(process.hrtime.bigint() - t) / 1e6, received: Number(answer) }));
  });
  s.end(Buffer.alloc(Number(bytes), 7));
})();
`;

describe.skipIf(unavailable !== null)(`the link emulator${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let sink: net.Server;
  let sinkPort = 0;

  beforeAll(async () => {
    // Counts what arrives and answers with the count when the sender has finished.
    sink = net.createServer((s) => {
      let n = 0;
      s.on('data', (d: Buffer) => (n += d.length));
      s.on('end', () => s.end(String(n)));
      s.on('error', () => undefined);
    });
    await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
    const a = sink.address();
    sinkPort = typeof a === 'object' && a ? a.port : 0;
  });
  afterAll(async () => {
    await new Promise<void>((r) => sink.close(() => r()));
  });

  const measure = async (link: Link, connects: number, bytes: number) =>
    JSON.parse(
      await link.execInDesk([process.execPath, '-e', CLIENT, link.centralIp, '9000', String(connects), String(bytes)]),
    ) as { rtt: number[]; ms: number; received: number };

  it('delays each way, paces to its rate and loses what it is told to', async () => {
    const link = await startLink({ delayMs: 100, jitterMs: 20, loss: 0, rateKbit: 1000 }, [
      { side: 'c', host: '10.231.0.2', port: 9000, target: `127.0.0.1:${sinkPort}` },
    ]);
    try {
      // A TCP connect is one round trip: 2 × (100 ± 20) ms.
      const clean = await measure(link, 15, 250_000);
      const sorted = [...clean.rtt].sort((x, y) => x - y);
      expect(sorted[0]).toBeGreaterThanOrEqual(160);
      expect(sorted[Math.floor(sorted.length / 2)]).toBeGreaterThan(180);
      expect(sorted[Math.floor(sorted.length / 2)]).toBeLessThan(260);
      // 250 KB at 1 Mbit/s is 2.0 s of payload alone (plus ~4 % headers and TCP's slow start):
      // the link never goes faster than its rate, and not much slower.
      expect(clean.received).toBe(250_000);
      const kbit = (250_000 * 8) / clean.ms;
      expect(kbit).toBeLessThan(1000);
      expect(kbit).toBeGreaterThan(650);

      // 10 % loss each way: TCP retransmits and everything still arrives; the emulator dropped
      // about a tenth of what it was offered. A short, faster link so that 1 MB (~700 segments)
      // passes in seconds: with that many draws the share lost sits within ±5σ of the bounds
      // below (with 150 it did not: one run in a hundred fell outside).
      await link.set({ loss: 0.1, jitterMs: 0, delayMs: 10, rateKbit: 8000 });
      const before = await link.stats();
      const lossy = await measure(link, 0, 1_000_000);
      expect(lossy.received).toBe(1_000_000);
      const after = await link.stats();
      const up = after['desk->central'];
      const offered = up.packets - before['desk->central'].packets;
      const lost = up.lost - before['desk->central'].lost;
      // Retransmissions: more packets offered than the data needs (1 MB in 1448-byte segments).
      expect(offered).toBeGreaterThan(1_000_000 / 1448);
      expect(lost / offered).toBeGreaterThan(0.05);
      expect(lost / offered).toBeLessThan(0.16);

      // A cut drops everything; restored, the link carries again.
      await link.cut();
      const cutStats = await link.stats();
      await expect(
        Promise.race([
          measure(link, 1, 10),
          new Promise((_, reject) => setTimeout(() => reject(new Error('no answer during the cut')), 1500)),
        ]),
      ).rejects.toThrow(/no answer/);
      expect((await link.stats())['desk->central'].cut).toBeGreaterThan(cutStats['desk->central'].cut);
      await link.restore();
      await link.set({ loss: 0 });
      expect((await measure(link, 1, 10)).received).toBe(10);
    } finally {
      await link.close();
    }
  }, 60_000);
});
