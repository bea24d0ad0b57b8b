import { createMD5, type IHasher } from 'hash-wasm';
import { md5, toBase64 } from '../../../shared/audit/digest';

/**
 * MD5 for the window's attachment writes: hash-wasm's WebAssembly MD5, some five times the speed
 * of spark-md5's JavaScript one (455 against 89 MB/s here, 100 KB scans). A new desk hashes every
 * scan it takes in twice (the clear bytes' digest the audit chain names, and the sealed bytes'
 * PouchDB records): at 30,000 applications with 1.2 GB of scans that was 29 s of the window's
 * thread (bench, `--new-desk-on`, profiled). Where WebAssembly is refused (a page whose policy lacks
 * `'wasm-unsafe-eval'`, electron/main/csp.ts), spark-md5's MD5 answers the same.
 *
 * Imported by a relative path, not `@shared`: the adapter's MD5 (attachmentMd5.ts) is compiled
 * inside the adapter by the test runner's dependency bundler, where the project's aliases are not known.
 */

let hasher: Promise<IHasher | null> | null = null;

/** The WebAssembly hasher, made once (its module compiled at the first hash); null when refused. */
function wasmHasher(): Promise<IHasher | null> {
  hasher ??= createMD5().catch(() => null);
  return hasher;
}

/** Which MD5 the window uses: `wasm`, or `js` where WebAssembly is refused (what the tests check). */
export async function md5Engine(): Promise<'wasm' | 'js'> {
  return (await wasmHasher()) ? 'wasm' : 'js';
}

/** MD5 of bytes (raw 16 bytes). */
export async function md5Of(bytes: Uint8Array): Promise<Uint8Array> {
  const h = await wasmHasher();
  if (!h) return md5(bytes);
  // One hasher serves every caller: init, update and digest run without a pause between them.
  h.init();
  h.update(bytes);
  return h.digest('binary');
}

/** The digest CouchDB and PouchDB record for an attachment's bytes (shared/audit/digest.ts `attachmentDigest`). */
export async function attachmentDigestOf(bytes: Uint8Array): Promise<string> {
  return `md5-${toBase64(await md5Of(bytes))}`;
}
