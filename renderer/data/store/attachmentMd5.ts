import { toBase64 } from '../../../shared/audit/digest';
import { md5Of } from './md5';

/**
 * The MD5 the `indexeddb` adapter records for each attachment it stores: `binaryMd5` of
 * pouchdb-md5, whose place this takes for that adapter alone (vite.renderer.ts). PouchDB's reads a
 * Blob back in 32 KB slices, each a new Blob registered with the browser process (a synchronous
 * call) and a FileReader round trip, with a timer between them: for a new desk taking 400 MB of
 * scans that was some 23 s of the window's thread, much of it waiting on the browser process while
 * it wrote IndexedDB (bench, `--new-desk-on` with scans, 10,000 applications). PouchDB reads in
 * chunks so that a large Blob is never wholly in memory (apache/pouchdb#4632, #2897); a desk's
 * attachments are scans of at most 6 MB (MAX_ATTACHMENT_BYTES, under CouchDB's 8 MB document
 * limit) whose bytes were in memory a moment before. Here a Blob is read once and hashed (md5.ts:
 * WebAssembly where the page allows it); a string (PouchDB's binary string) is hashed as it is. Same
 * answer, base64 of the raw digest through the callback (tested against Node's MD5).
 *
 * Imported by a relative path, not `@shared`: the test runner's dependency bundler compiles it
 * inside the adapter, where the project's aliases are not known.
 */

/** A binary string's bytes (one char per byte, as PouchDB's atob gives them). */
function binaryStringBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

/** pouchdb-md5's `binaryMd5`: base64 of the MD5 of a Blob's or a binary string's bytes. */
export function binaryMd5(data: Blob | string, callback: (base64: string) => void): void {
  const bytes = typeof data === 'string' ? Promise.resolve(binaryStringBytes(data)) : data.arrayBuffer();
  void bytes.then((b) => md5Of(new Uint8Array(b))).then((d) => callback(toBase64(d)));
}
