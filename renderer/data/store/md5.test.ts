import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';

const nodeMd5 = (bytes: Uint8Array): string => createHash('md5').update(bytes).digest('base64');
const sample = (size: number): Uint8Array => Uint8Array.from({ length: size }, (_, i) => (i * 131 + (i >> 7)) % 256);
const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

describe('the window’s attachment MD5', () => {
  afterEach(() => {
    vi.doUnmock('hash-wasm');
    vi.resetModules();
  });

  it('is WebAssembly’s where allowed, the MD5 of the bytes, views into larger buffers included', async () => {
    const { attachmentDigestOf, md5Engine, md5Of } = await import('./md5');
    expect(await md5Engine()).toBe('wasm');
    for (const size of [0, 1, 55, 64, 16_383, 16_384, 16_385, 100_000, 250_001]) {
      const bytes = sample(size);
      expect(b64(await md5Of(bytes))).toBe(nodeMd5(bytes));
    }
    const whole = sample(10_000);
    const view = whole.subarray(1_234, 7_777);
    expect(await attachmentDigestOf(view)).toBe(`md5-${nodeMd5(view)}`);
  });

  it('keeps callers apart when they hash at once (one hasher serves them all)', async () => {
    const { md5Of } = await import('./md5');
    const inputs = Array.from({ length: 12 }, (_, i) => sample(20_000 + i * 3_001));
    const digests = await Promise.all(inputs.map((b) => md5Of(b)));
    expect(digests.map(b64)).toEqual(inputs.map(nodeMd5));
  });

  it('answers the same with JavaScript’s MD5 where WebAssembly is refused', async () => {
    vi.doMock('hash-wasm', () => ({
      createMD5: () => Promise.reject(new WebAssembly.CompileError("refused: no 'wasm-unsafe-eval'")),
    }));
    const { attachmentDigestOf, md5Engine } = await import('./md5');
    expect(await md5Engine()).toBe('js');
    const bytes = sample(100_000);
    expect(await attachmentDigestOf(bytes)).toBe(`md5-${nodeMd5(bytes)}`);
    expect(await attachmentDigestOf(bytes.subarray(10, 99))).toBe(`md5-${nodeMd5(bytes.subarray(10, 99))}`);
  });
});
