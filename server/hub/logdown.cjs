'use strict';
/**
 * The embedded office hub's storage: a LevelDOWN-compatible store in pure JavaScript, so that the
 * hub runs under Electron's own Node (a utility process) with no native module to rebuild for
 * Electron's ABI (leveldown, sqlite3 would need electron-rebuild per platform and per Electron
 * upgrade). pouchdb-server loads it with `--level-backend <this file>`.
 *
 * How: the data lives in memory (memdown's red-black tree); every write is first appended to a log
 * file as one JSON line and fdatasync'ed, so an acknowledged write survives a power cut; on open the
 * log is replayed (a torn last line, from a crash mid-write, is dropped: that write was never
 * acknowledged) and rewritten compactly. Fits an office database (tens of thousands of events);
 * the whole database is held in memory.
 *
 * pouchdb-server gives custom backends the bare database name as location, so the hub starts
 * pouchdb-server with its data directory as the working directory.
 */
const fs = require('node:fs');
const path = require('node:path');
const inherits = require('node:util').inherits;
const MemDOWN = require('memdown');

/** Open logs by absolute path: memdown keeps one tree per location for the whole process. */
const logs = new Map();

function enc(v) {
  if (Buffer.isBuffer(v)) return { b: v.toString('base64') };
  if (typeof v === 'string') return { s: v };
  return { s: String(v) };
}
function dec(e) {
  return e.b !== undefined ? Buffer.from(e.b, 'base64') : e.s;
}

function logPathOf(location) {
  return path.resolve(`${location}.kenselog`);
}

/** Replays a log into final key → value pairs (keys as their encoded JSON). */
function replay(file) {
  const state = new Map();
  if (!fs.existsSync(file)) return state;
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line) continue;
    let ops;
    try {
      ops = JSON.parse(line);
    } catch (e) {
      // Only the last line may be torn (the write that was never acknowledged); anything else is damage.
      if (i >= lines.length - 2) break;
      throw new Error(`${file}: line ${i + 1} is damaged: ${e.message}`);
    }
    for (const op of ops) {
      const k = JSON.stringify(op[1]);
      if (op[0] === 'p') state.set(k, op);
      else state.delete(k);
    }
  }
  return state;
}

function writeDurably(fd, line) {
  fs.writeSync(fd, line);
  fs.fdatasyncSync(fd);
}

function LogDOWN(location) {
  if (!(this instanceof LogDOWN)) return new LogDOWN(location);
  MemDOWN.call(this, location);
}
inherits(LogDOWN, MemDOWN);

LogDOWN.prototype._open = function (options, callback) {
  const file = logPathOf(this.location);
  try {
    if (!logs.has(file)) {
      const state = replay(file);
      // Compact: the current state as one line, written beside the log and renamed over it.
      const tmp = `${file}.tmp`;
      const fd = fs.openSync(tmp, 'w');
      writeDurably(fd, state.size ? `${JSON.stringify([...state.values()])}\n` : '');
      fs.closeSync(fd);
      fs.renameSync(tmp, file);
      MemDOWN.prototype._batch.call(
        this,
        [...state.values()].map((op) => ({ type: 'put', key: dec(op[1]), value: dec(op[2]) })),
        {},
        () => undefined,
      );
      logs.set(file, fs.openSync(file, 'a'));
    }
  } catch (e) {
    return process.nextTick(callback, e);
  }
  this._logFd = logs.get(file);
  MemDOWN.prototype._open.call(this, options, callback);
};

LogDOWN.prototype._put = function (key, value, options, callback) {
  try {
    writeDurably(this._logFd, `${JSON.stringify([['p', enc(key), enc(value ?? '')]])}\n`);
  } catch (e) {
    return process.nextTick(callback, e);
  }
  MemDOWN.prototype._put.call(this, key, value, options, callback);
};

LogDOWN.prototype._del = function (key, options, callback) {
  try {
    writeDurably(this._logFd, `${JSON.stringify([['d', enc(key)]])}\n`);
  } catch (e) {
    return process.nextTick(callback, e);
  }
  MemDOWN.prototype._del.call(this, key, options, callback);
};

LogDOWN.prototype._batch = function (array, options, callback) {
  const ops = array
    .filter(Boolean)
    .map((o) => (o.type === 'put' ? ['p', enc(o.key), enc(o.value ?? '')] : ['d', enc(o.key)]));
  try {
    if (ops.length) writeDurably(this._logFd, `${JSON.stringify(ops)}\n`);
  } catch (e) {
    return process.nextTick(callback, e);
  }
  MemDOWN.prototype._batch.call(this, array, options, callback);
};

// The log stays open for the life of the process: memdown's tree outlives any one handle too.
LogDOWN.prototype._close = function (callback) {
  process.nextTick(callback);
};

LogDOWN.destroy = function (location, callback) {
  const file = logPathOf(location);
  const fd = logs.get(file);
  if (fd !== undefined) fs.closeSync(fd);
  logs.delete(file);
  fs.rmSync(file, { force: true });
  MemDOWN.destroy(location, callback);
};

module.exports = LogDOWN;
