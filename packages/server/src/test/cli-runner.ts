// Tests: run the real `fieldvault` CLI as a child process (plain node on the run's bundle of the source), capturing output and exit code.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';

/** The outcome of one CLI invocation. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Options for both helpers: only `env` (plus PATH, LOG_LEVEL=silent) reaches the process; cwd is packages/server. */
function processOptions(env: Record<string, string>) {
  return {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', ...env },
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
  };
}

/** node's arguments for `fieldvault …args`: the CLI bundled by cli-bundle-global-setup.ts from src/cli/main.ts. */
function cliArgv(args: string[]): string[] {
  return ['--enable-source-maps', inject('cliBundle'), ...args];
}

/** Run `fieldvault …args` with only `env` (plus PATH) in its environment; never throws on a non-zero exit. */
export function runCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      cliArgv(args),
      { ...processOptions(env), maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Start `fieldvault …args` without waiting (for tests that kill it mid-run); output is discarded. */
export function spawnCli(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, cliArgv(args), { ...processOptions(env), stdio: 'ignore' });
}
