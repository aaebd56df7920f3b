// Storage bench client, run in its own process like a real device: PUTs presigned parts in parallel, prints the ETags as JSON.
// stdin: one line { partFile, concurrency, requests: [{ partNumber, size, url, headers }] } (part n's bytes are the
// first `size` bytes of partFile), then a second line once the bench has seen `ready` on stdout: the PUTs start
// then, so the timed phase holds the uploads and not this process's start (seconds under tsx on a loaded machine).
import { readFileSync } from 'node:fs';
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
  requests: Job[];
};
const bytes = readFileSync(input.partFile);
const etags: { partNumber: number; etag: string }[] = [];
let next = 0;

async function worker(): Promise<void> {
  while (next < input.requests.length) {
    const job = input.requests[next++] as Job;
    const res = await fetch(job.url, {
      method: 'PUT',
      headers: job.headers,
      body: bytes.subarray(0, job.size),
    });
    if (res.status !== 200)
      throw new Error(`part ${job.partNumber}: HTTP ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
    etags.push({ partNumber: job.partNumber, etag: res.headers.get('etag') ?? '' });
  }
}

process.stdout.write('ready\n');
await lines.next();
await Promise.all(Array.from({ length: input.concurrency }, worker));
process.stdout.write(JSON.stringify(etags.sort((a, b) => a.partNumber - b.partNumber)));
process.exit(0);
