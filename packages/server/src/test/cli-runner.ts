// Tests: run the real `fieldvault` CLI as a child process (tsx on the TypeScript source), capturing output and exit code.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../cli/main.ts', import.meta.url));

/** The outcome of one CLI invocation. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run `fieldvault …args` with only `env` (plus PATH) in its environment; never throws on a non-zero exit. */
export function runCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', CLI, ...args],
      {
        env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', ...env },
        cwd: fileURLToPath(new URL('../..', import.meta.url)),
        maxBuffer: 64 * 1024 * 1024,
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
