// A browser with a persistent profile that a spec can kill hard (SIGKILL) and relaunch on the same profile.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { chromium, expect, type BrowserContext } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../tooling/chromium';
import { BASE_URL, REPO_ROOT } from './server-env';

/** A fresh profile directory under the repo's .tmp (Chromium writes its temp files there too). */
export function newProfileDir(): string {
  return mkdtempSync(path.join(REPO_ROOT, '.tmp', 'e2e-profile-'));
}

/** Launches Debian's Chromium on `profileDir` with the suite's flags; service workers allowed (findings pitfall 1). */
export function launchProfile(profileDir: string, baseURL = BASE_URL): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS],
    baseURL,
  });
}

/** PIDs of every process whose command line names `profileDir` (the browser and its children). */
function profilePids(profileDir: string): number[] {
  const needle = `--user-data-dir=${profileDir}`;
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(needle);
      } catch {
        return false; // exited meanwhile
      }
    })
    .map(Number);
}

/**
 * Kills the browser on `profileDir` with SIGKILL, as a phone killing the app would: no unload, no flush. Only the
 * browser process (the one without `--type=`) is signalled; its children die with it. Resolves once all are gone.
 */
export async function killProfileBrowser(profileDir: string): Promise<void> {
  const main = profilePids(profileDir).filter(
    (pid) => !readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type='),
  );
  expect(main, 'exactly one browser process on the profile').toHaveLength(1);
  process.kill(main[0] as number, 'SIGKILL');
  await expect.poll(() => profilePids(profileDir), { timeout: 10_000 }).toEqual([]);
}

/** Removes a profile directory (after its browser is closed or killed). */
export function removeProfile(profileDir: string): void {
  rmSync(profileDir, { recursive: true, force: true });
}
