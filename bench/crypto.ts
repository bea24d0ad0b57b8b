/**
 * The cost of encryption at rest, measured in the page (Chromium's WebCrypto, BoringSSL): seal and
 * open one event payload, one 1 MB scan, and unlock the data key at sign-in (PBKDF2 + unwrap).
 * Timings of one call are below the 0.1 ms resolution a page gets, so events are timed in runs of
 * `batch` and divided.
 */
import {
  deriveWrappingKey,
  generateDataKey,
  openBytes,
  openJson,
  PBKDF2_ITERATIONS,
  sealBytes,
  sealJson,
  unwrapDataKey,
  wrapDataKey,
} from '../renderer/data/seal/envelope';
import type { CryptoParams, CryptoResult } from './protocol';

/** A registration payload as the reception desk writes it (personal data in Kazakh and Russian). */
export function samplePayload(i: number): Record<string, unknown> {
  return {
    serviceId: 'almaty-disabled-wheelchair',
    serviceVersion: '1',
    variantId: 'provider',
    channel: 'home_visit',
    regNumber: `ALM01-D01-${String(i).padStart(6, '0')}`,
    applicant: {
      kind: 'person',
      iin: '900101300017',
      lastName: 'Сейітқызы',
      firstName: 'Әлия',
      patronymic: 'Нұрланқызы',
      address: 'Алматы қ., Әуезов ауданы, Абай даңғылы, 150-үй, 12-пәтер',
      phone: '+7 701 234 56 78',
    },
    representative: {
      iin: '850202400028',
      name: 'Сейітов Бауыржан',
      document: 'Сенімхат № 14/2026, нотариус Ж. Омарова',
    },
    documents: ['application', 'identity', 'medical_report', 'ipr_extract', 'photo'],
    note: 'Үйге барып қабылданды; өтініш берушінің қолы қойылды.',
  };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

export async function cryptoBench(p: CryptoParams): Promise<CryptoResult> {
  const key = await generateDataKey();
  const payloads = Array.from({ length: p.batch }, (_, i) => samplePayload(i));
  const payloadBytes = new TextEncoder().encode(JSON.stringify(payloads[0])).byteLength;

  // Warm-up: the first calls pay for setting WebCrypto up.
  for (const x of payloads.slice(0, 50)) await openJson(key, await sealJson(key, x, 'w'), 'w');

  const sealUs: number[] = [];
  const openUs: number[] = [];
  let sealedChars = 0;
  for (let r = 0; r < p.eventRuns; r++) {
    const t0 = performance.now();
    const sealed: string[] = [];
    for (let i = 0; i < payloads.length; i++) sealed.push(await sealJson(key, payloads[i], `evt:${i}`));
    const t1 = performance.now();
    for (let i = 0; i < sealed.length; i++) await openJson(key, sealed[i] ?? '', `evt:${i}`);
    const t2 = performance.now();
    sealUs.push(((t1 - t0) * 1000) / payloads.length);
    openUs.push(((t2 - t1) * 1000) / payloads.length);
    sealedChars = sealed[0]?.length ?? 0;
  }

  const scan = new Uint8Array(p.scanBytes);
  for (let i = 0; i < scan.length; i += 65536) crypto.getRandomValues(scan.subarray(i, i + 65536));
  const scanSeal: number[] = [];
  const scanOpen: number[] = [];
  for (let r = 0; r < p.scanRuns; r++) {
    const t0 = performance.now();
    const sealed = await sealBytes(key, scan, 'evt:scan/passport.jpg');
    const t1 = performance.now();
    await openBytes(key, sealed, 'evt:scan/passport.jpg');
    scanSeal.push(t1 - t0);
    scanOpen.push(performance.now() - t1);
  }

  // Sign-in in browser mode: derive the password key, unwrap the data key.
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const wrapped = await wrapDataKey(key, await deriveWrappingKey('пароль', salt, 1000), 'user:x');
  const unlock: number[] = [];
  for (let r = 0; r < p.unlockRuns; r++) {
    const t0 = performance.now();
    const kek = await deriveWrappingKey('пароль', salt, p.pbkdf2Iterations);
    unlock.push(performance.now() - t0);
    void kek;
  }
  // The unwrap itself (after the derivation) is microseconds; checked once for correctness.
  await unwrapDataKey(wrapped, await deriveWrappingKey('пароль', salt, 1000), 'user:x');

  return {
    payloadBytes,
    sealedChars,
    batch: p.batch,
    eventRuns: p.eventRuns,
    eventSealUs: median(sealUs),
    eventOpenUs: median(openUs),
    eventsPerSec: Math.round(1e6 / (median(sealUs) + median(openUs))),
    scanBytes: p.scanBytes,
    scanRuns: p.scanRuns,
    scanSealMs: median(scanSeal),
    scanOpenMs: median(scanOpen),
    scanMBps: Math.round((p.scanBytes / 1048576 / ((median(scanSeal) + median(scanOpen)) / 1000)) * 10) / 10,
    pbkdf2Iterations: p.pbkdf2Iterations,
    unlockMs: median(unlock),
  };
}

export const DEFAULT_CRYPTO_PARAMS: CryptoParams = {
  batch: 1000,
  eventRuns: 7,
  scanBytes: 1024 * 1024,
  scanRuns: 15,
  unlockRuns: 3,
  pbkdf2Iterations: PBKDF2_ITERATIONS,
};
