// A tiny closed-loop HTTP load generator over keep-alive sockets: N workers, each sending its next request when the last answers.
import http from 'node:http';

export interface LoadResult {
  requests: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

export interface LoadOptions {
  port: number;
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
  concurrency: number;
  durationMs: number;
  /** Status that counts as success (default 200). */
  expectStatus?: number;
}

function once(agent: http.Agent, o: LoadOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: o.port,
        method: o.method,
        path: o.path,
        headers: o.headers,
        agent,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(o.body);
  });
}

/** Drive the endpoint for `durationMs` and report throughput and latency. */
export async function load(o: LoadOptions): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.concurrency });
  const latencies: number[] = [];
  let errors = 0;
  const deadline = performance.now() + o.durationMs;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: o.concurrency }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        const status = await once(agent, o).catch(() => 0);
        latencies.push(performance.now() - t0);
        if (status !== (o.expectStatus ?? 200)) errors++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    requests: latencies.length,
    perSecond: latencies.length / elapsed,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    errors,
  };
}
