import { spawnSync } from 'node:child_process';

let answer: boolean | undefined;

/**
 * Whether a Docker engine answers. The harness prefers testcontainers when one does and falls back to
 * the local Debian binaries otherwise; a `docker` client alone (as on our CI machines) is not enough.
 */
export function dockerEngineAvailable(): boolean {
  if (answer === undefined) {
    if (process.env.SIMPLEPIPE_TEST_LOCAL === '1') answer = false;
    else {
      const probe = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { encoding: 'utf8', timeout: 5000 });
      answer = probe.status === 0 && probe.stdout.trim() !== '';
    }
  }
  return answer;
}

const logged = new Set<string>();

/** Says once per server kind which backend the tests use, so a CI log shows what was really tested. */
export function logBackend(server: string, backend: string): void {
  if (logged.has(server)) return;
  logged.add(server);
  process.stderr.write(`[test harness] ${server}: ${backend}\n`);
}
