import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './manifests.js';

/** Files under workflows/ that the built app writes: regenerated from their sources, they must not change. */
describe('the generated files under workflows/', () => {
  it('equal what `npm run generate` writes now, byte for byte', () => {
    const out = mkdtempSync(join(tmpdir(), 'simplepipe-generate-'));
    try {
      execFileSync('bash', [join(REPO_ROOT, 'scripts/generate.sh'), out], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      const written = readdirSync(out, { recursive: true, encoding: 'utf8' }).filter((path) => path.endsWith('.yaml')).sort();
      expect(written).toEqual([
        'alerts/timed-job-workflow.prometheusrule.yaml',
        'alerts/timed-job.prometheusrule.yaml',
        'dashboards/overview.configmap.yaml',
        'dashboards/timed-job.configmap.yaml',
        'pushgateway/overlays/team-a/pushgateway.prometheusrule.yaml',
        'pushgateway/overlays/team-b/pushgateway.prometheusrule.yaml',
      ]);
      for (const path of written) {
        const committed = readFileSync(join(REPO_ROOT, 'workflows', path), 'utf8');
        expect(committed, `workflows/${path} is out of date: run npm run generate`).toBe(readFileSync(join(out, path), 'utf8'));
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
