import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { STANDARD_METRICS, unitOf } from '../../src/generate/metricNames.js';
import { promtoolCheck } from '../support/promtool.js';
import { docSection } from '../support/readme.js';
import { tempFile } from '../support/files.js';
import { runMain } from '../support/runMain.js';
import { REPO_ROOT } from '../workflows/manifests.js';

const catalogue = docSection('docs/dashboards.md', 'Standard metric names');

describe('units from metric names', () => {
  it.each([
    ['job_duration_seconds', 's'],
    ['input_bytes_total', 'bytes'],
    ['input_bytes', 'bytes'],
    ['model_accuracy_ratio', 'percentunit'],
    ['cpu_seconds_total', 's'],
    ['room_celsius', 'celsius'],
    ['rows_processed_total', 'short'],
    ['job_checksum', undefined],
    ['seconds', undefined],
  ])('%s → %s', (name, unit) => {
    expect(unitOf(name)).toBe(unit);
  });
});

describe('the standard metric names', () => {
  it('are the catalogue of docs/dashboards.md, each with its type', () => {
    const rows = [...catalogue.matchAll(/^\| [^|]+ \| `(\w+)` \| (\w+) \|/gm)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual(STANDARD_METRICS.map((metric) => [metric.name, metric.type]));
  });

  it('pass promtool’s lint as the app renders them', async () => {
    const records = STANDARD_METRICS.map((metric) => ({ name: metric.name, description: metric.meaning, value: 1, metric_type: metric.type }));
    const run = await runMain([tempFile(records), 'catalogue', '--dry-run']);
    expect(run.code, run.stderr).toBe(0);
    expect(promtoolCheck(run.stdout)).toBe('');
  });

  it.each(['examples/training-run.json', 'examples/timed-job.json'])('are the names %s uses, and its other names pass the lint too', async (path) => {
    const run = await runMain([path, 'example', '--dry-run']);
    expect(run.code, run.stderr).toBe(0);
    expect(promtoolCheck(run.stdout)).toBe('');
    const names = (JSON.parse(readFileSync(join(REPO_ROOT, path), 'utf8')) as { metrics: { name: string }[] }).metrics.map((m) => m.name);
    expect(names.filter((name) => STANDARD_METRICS.some((metric) => metric.name === name)).length).toBeGreaterThanOrEqual(2);
  });
});
