import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { familyTitle, familyUnit, kfpFormatOf } from '../../src/generate/dashboard/familyText.js';
import { kfpHelp } from '../../src/source/kfp.js';
import { runMain } from '../support/runMain.js';

const kfpName = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/);

describe('the Kubeflow Pipelines format of a record', () => {
  it('is read back from the HELP text the KFP reader writes, for any entry name', () => {
    fc.assert(
      fc.property(kfpName, fc.constantFrom('PERCENTAGE', 'RAW', undefined), (name, format) => {
        expect(kfpFormatOf(kfpHelp({ name, numberValue: 1, ...(format && { format }) }))).toBe(format);
      }),
    );
    expect(kfpFormatOf('Accuracy on the hold-out set')).toBeUndefined();
  });

  it('gives a PERCENTAGE metric the percent unit of a fraction, and a RAW one none; a unit suffix wins', () => {
    expect(familyUnit('accuracy_score', kfpHelp({ name: 'accuracy-score', numberValue: 0.9, format: 'PERCENTAGE' }))).toBe('percentunit');
    expect(familyUnit('roc_auc_score', kfpHelp({ name: 'roc-auc-score', numberValue: 0.9, format: 'RAW' }))).toBeUndefined();
    expect(familyUnit('train_seconds', kfpHelp({ name: 'train-seconds', numberValue: 3, format: 'PERCENTAGE' }))).toBe('s');
  });
});

describe('a panel title', () => {
  it('is the HELP text with the metric name beside it', () => {
    expect(familyTitle('job_checksum', 'Checksum of the processed rows')).toBe('Checksum of the processed rows (job_checksum)');
    expect(familyTitle('batch_seconds', 'Time per batch', ', quantiles per run')).toBe('Time per batch, quantiles per run (batch_seconds)');
  });

  it('takes a standard name’s own title, and the name alone when the HELP text only repeats it', () => {
    expect(familyTitle('job_duration_seconds', 'Wall time')).toBe('Run time (job_duration_seconds)');
    expect(familyTitle('queue_depth', 'queue_depth')).toBe('queue_depth');
  });

  it('leaves the KFP format out (the unit shows it)', () => {
    expect(familyTitle('accuracy_score', kfpHelp({ name: 'accuracy-score', numberValue: 1, format: 'PERCENTAGE' }))).toBe('Kubeflow Pipelines metric accuracy-score (accuracy_score)');
  });

  it('cuts a long HELP text at a word, on one line, and always keeps the name', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.stringMatching(/^[a-z_]{1,30}$/), (help, name) => {
        const title = familyTitle(name, help);
        expect(title.endsWith(name) || title.endsWith(`(${name})`)).toBe(true);
        expect(title.length).toBeLessThanOrEqual(60 + name.length + 3);
        expect(title).not.toMatch(/[\n\r\t]/);
      }),
    );
    const long = 'Number of rows the ingestion step read from the upstream warehouse before any filtering was applied';
    expect(familyTitle('rows_total', long)).toBe('Number of rows the ingestion step read from the upstream... (rows_total)');
  });
});

describe('the dashboard of a Kubeflow Pipelines file', () => {
  it('shows the PERCENTAGE entry in percent, the others without a unit', async () => {
    const run = await runMain(['dashboard', 'examples/mlpipeline-metrics.json', 'kfp']);
    expect(run.code, run.stderr).toBe(0);
    const panels = (JSON.parse(run.stdout) as { panels: { title: string; fieldConfig?: { defaults: { unit?: string } } }[] }).panels;
    const unitOf = (name: string) => panels.filter((panel) => panel.title.endsWith(`(${name})`)).map((panel) => panel.fieldConfig?.defaults.unit);
    expect(unitOf('accuracy_score')).toEqual(['percentunit', 'percentunit']);
    expect(unitOf('roc_auc_score')).toEqual([undefined, undefined]);
    expect(unitOf('training_rows')).toEqual([undefined, undefined]);
  });
});
