// Storage bench client, run in its own process like a real device: PUTs presigned parts in parallel, prints the ETags and its CPU time as JSON.
// stdin: one line { partFile, concurrency, requests: [{ partNumber, size, url, headers }] } (part n's bytes are the
// first `size` bytes of partFile), then a second line once the bench has seen `ready` on stdout: the PUTs start
// then, so the timed phase holds the uploads and not this process's start (seconds under tsx on a loaded machine).
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { createInterface } from 'node:readline';

interface Job {
  partNumber: number;
  size: number;
  url: string;
  headers: Record<string, string>;
}

const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const input = JSON.parse(((await lines.next()).value as string | undefined) ?? '{}') as {
  partFile: string;
  concurrency: number;
  client?: 'http' | 'fetch';
  requests: Job[];
};
const bytes = readFileSync(input.partFile);
const etags: { partNumber: number; etag: string }[] = [];
let next = 0;

/**
 * One PUT with node:http, the body written from the shared buffer as it is. fetch (undici) copies
 * a Uint8Array body before sending it: 1 GiB of copies and GC in this process, on the same 2 cores
 * as the server it measures.
 */
function putHttp(job: Job): Promise<string> {
  return new Promise((resolve, reject) => {
    const headers = { ...job.headers, 'content-length': String(job.size) };
    const req = http.request(job.url, { method: 'PUT', headers, agent }, (res) => {
      const body: Buffer[] = [];
      res.on('data', (c: Buffer) => body.push(c));
      res.on('error', reject);
      res.on('end', () => {
        if (res.statusCode === 200) resolve(String(res.headers.etag ?? ''));
        else
          reject(
            new Error(
              `part ${job.partNumber}: HTTP ${res.statusCode} ${Buffer.concat(body).toString()}`,
            ),
          );
      });
    });
    req.on('error', reject);
    req.end(bytes.subarray(0, job.size));
  });
}

async function putFetch(job: Job): Promise<string> {
  const res = await fetch(job.url, {
    method: 'PUT',
    headers: job.headers,
    body: bytes.subarray(0, job.size),
  });
  if (res.status !== 200)
    throw new Error(`part ${job.partNumber}: HTTP ${res.status} ${await res.text()}`);
  await res.arrayBuffer();
  return res.headers.get('etag') ?? '';
}

const agent = new http.Agent({ keepAlive: true, maxSockets: input.concurrency });
const put = input.client === 'fetch' ? putFetch : putHttp;

async function worker(): Promise<void> {
  while (next < input.requests.length) {
    const job = input.requests[next++] as Job;
    etags.push({ partNumber: job.partNumber, etag: await put(job) });
  }
}

process.stdout.write('ready\n');
await lines.next();
const cpu0 = process.cpuUsage();
await Promise.all(Array.from({ length: input.concurrency }, worker));
const cpu = process.cpuUsage(cpu0);
const sorted = etags.sort((a, b) => a.partNumber - b.partNumber);
process.stdout.write(
  JSON.stringify({ etags: sorted, cpu: { user: cpu.user / 1e6, sys: cpu.system / 1e6 } }),
);
process.exit(0);
