/**
 * The audit chain's digests, synchronous so that the checker runs the same in the renderer, in Node
 * scripts and in tests: SHA-256 links the chain; MD5 only reproduces the attachment digest CouchDB
 * and PouchDB already store (`md5-<base64>`). SHA-256 is @noble/hashes' (audited, no dependencies,
 * no platform API); MD5 is spark-md5's, PouchDB's own, 2.3 times noble's speed (202 against 86 MB/s
 * here). The window's attachment writes, which hash every scan a new desk takes in twice, use an
 * asynchronous WebAssembly MD5 instead (renderer/data/store/md5.ts). The event id's digest stays
 * hand-written in shared/events/contentDigest.ts because CouchDB's validator sandbox runs it from
 * source.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import SparkMD5 from 'spark-md5';

const encoder = new TextEncoder();

/** UTF-8 bytes of a string (lone surrogates become U+FFFD). */
export const utf8 = (text: string): Uint8Array => encoder.encode(text);

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i] ?? 0;
    const b = bytes[i + 1] ?? 0;
    const c = bytes[i + 2] ?? 0;
    const n = (a << 16) | (b << 8) | c;
    s += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]!;
    s += i + 1 < bytes.length ? B64[(n >> 6) & 63]! : '=';
    s += i + 2 < bytes.length ? B64[n & 63]! : '=';
  }
  return s;
}

export function fromBase64(text: string): Uint8Array {
  const clean = text.replace(/[\s=]/g, '');
  if (/[^A-Za-z0-9+/]/.test(clean)) throw new Error('not base64');
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const ch of clean) {
    acc = (acc << 6) | B64.indexOf(ch);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >> bits) & 255);
    }
  }
  return Uint8Array.from(out);
}

/** SHA-256 of bytes, as 64 lowercase hex digits. */
export const sha256Hex = (bytes: Uint8Array): string => bytesToHex(sha256(bytes));

/** MD5 of bytes (raw 16 bytes). */
export const md5 = (bytes: Uint8Array): Uint8Array => {
  const whole =
    bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
      ? bytes.buffer
      : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return hexToBytes(SparkMD5.ArrayBuffer.hash(whole as ArrayBuffer));
};

/** The digest CouchDB and PouchDB record for an attachment's bytes. */
export const attachmentDigest = (bytes: Uint8Array): string => `md5-${toBase64(md5(bytes))}`;
