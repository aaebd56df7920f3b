// The source of the fs backend's worker threads (plain CommonJS, evaluated): listing probes, region hashes, SHA-256 chains.

/*
 * A source string runs the same under tsx, vitest and the built server (a worker file would need a
 * loader for .ts). Jobs:
 * - probe: per path statSync (throwing for anything but ENOENT, as the listing always did) and, for
 *   a regular file, `<path>@meta.json` read into one reused buffer (null when it cannot be read: the
 *   caller repairs that object through headObject);
 * - sha-extend: a new SHA-256 state `into` = state `base` (fresh when 0) followed by a file region
 *   read in 1 MiB steps (mostly from the page cache: the bytes were just written; fails on a short file);
 *   states stay in this worker (a hash state cannot be sent between threads), so one upload's chain
 *   always goes to the same worker; sha-digest answers the hex of a state, sha-drop frees states;
 * - md5-update / md5-digest / md5-drop: a part's MD5 fed the slots the receiving thread has written,
 *   in order (one port, one worker per stream); each slot's memory is moved back with the answer.
 */
export const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const crypto = require('node:crypto');
const buffer = Buffer.allocUnsafe(4096);
const states = new Map();
const md5s = new Map();
let chunk;
function readRegion({ file, offset, length }, hash) {
  chunk ??= Buffer.allocUnsafe(1 << 20);
  const fd = fs.openSync(file, 'r');
  try {
    for (let done = 0; done < length; ) {
      const n = fs.readSync(fd, chunk, 0, Math.min(chunk.length, length - done), offset + done);
      if (n === 0) throw new Error('short read: ' + file + ' ends before ' + (offset + length));
      hash.update(chunk.subarray(0, n));
      done += n;
    }
  } finally { fs.closeSync(fd); }
  return hash;
}
function stateOf(id) {
  const h = states.get(id);
  if (!h) throw new Error('no such SHA-256 state: ' + id);
  return h;
}
function sidecar(file) {
  let fd;
  try { fd = fs.openSync(file, 'r'); } catch { return null; }
  try {
    const n = fs.readSync(fd, buffer, 0, buffer.length, 0);
    return n < buffer.length ? buffer.toString('utf8', 0, n) : fs.readFileSync(file, 'utf8');
  } catch { return null; } finally { fs.closeSync(fd); }
}
function probe(paths) {
  const numbers = new Float64Array(paths.length * 4);
  const sidecars = new Array(paths.length).fill(null);
  for (let i = 0; i < paths.length; i++) {
    const info = fs.statSync(paths[i], { throwIfNoEntry: false });
    if (!info || !info.isFile()) continue;
    numbers[4 * i] = 1;
    numbers[4 * i + 1] = info.size;
    numbers[4 * i + 2] = info.mtimeMs;
    numbers[4 * i + 3] = info.ino;
    sidecars[i] = sidecar(paths[i] + '@meta.json');
  }
  return { numbers, sidecars };
}
const ops = {
  probe: (job) => probe(job.paths),
  'sha-extend': (job) => {
    const base = job.base === 0 ? crypto.createHash('sha256') : stateOf(job.base).copy();
    states.set(job.into, readRegion(job, base));
    return {};
  },
  'sha-digest': (job) => ({ digest: stateOf(job.state).copy().digest('hex') }),
  'sha-drop': (job) => {
    for (const id of job.states) states.delete(id);
    return {};
  },
  'md5-update': (job) => {
    let h = md5s.get(job.stream);
    if (!h) md5s.set(job.stream, (h = crypto.createHash('md5')));
    h.update(new Uint8Array(job.lent, 0, job.length));
    return { lent: job.lent };
  },
  'md5-digest': (job) => {
    const h = md5s.get(job.stream) ?? crypto.createHash('md5');
    md5s.delete(job.stream);
    return { digest: h.digest('hex') };
  },
  'md5-drop': (job) => {
    md5s.delete(job.stream);
    return {};
  },
};
parentPort.on('message', (job) => {
  let answer;
  try { answer = ops[job.op](job); } catch (err) {
    parentPort.postMessage({ id: job.id, error: { message: String(err && err.message), code: err && err.code } });
    return;
  }
  answer.id = job.id;
  const moved = answer.numbers ? [answer.numbers.buffer] : answer.lent ? [answer.lent] : [];
  parentPort.postMessage(answer, moved);
});
`;
