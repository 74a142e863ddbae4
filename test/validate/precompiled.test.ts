import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as fromSource from '../../src/index.js';
import { tempFile } from '../support/files.js';

type Library = typeof fromSource;

/** The built library carries the schema validator precompiled by scripts/build.mjs (test/globalSetup builds it). */
const bundled = (await import(pathToFileURL(join(import.meta.dirname, '../../dist/index.js')).href)) as Library;

function issuesOf(library: Library, document: unknown): { pointer: string; message: string }[] {
  try {
    library.validate(document, { job: 'j' });
  } catch (error) {
    expect(error).toBeInstanceOf(library.DataError);
    return [...(error as fromSource.DataError).issues];
  }
  throw new Error('expected a DataError');
}

const badDocuments: Record<string, unknown> = {
  'every value definition': [
    { name: 'g', description: 'd', value: 'six', metric_type: 'gauge' },
    { name: 'c', description: 'd', value: -1, metric_type: 'counter' },
    { name: 's', description: 'd', value: [], metric_type: 'summary' },
    { name: 'h', description: 'd', value: ['x'], metric_type: 'histogram', buckets: [1, 2] },
    { name: 'i', description: 'd', value: { v: 1 }, metric_type: 'info' },
  ],
  'names, fields and types': [
    { name: '9bad', description: 'd', value: 1, metric_type: 'meter', type: 'gauge' },
    { description: 'd', value: 1, metric_type: 'gauge', labels: { 'bad-name': 'x', ok: 2 } },
    { name: 'g', description: 'd', value: 1, metric_type: 'gauge', buckets: [1] },
    { name: 'q', description: 'd', value: 1, metric_type: 'gauge', quantiles: [0.5] },
    { name: 's', description: 'd', value: 1, metric_type: 'summary', quantiles: [2, '0.5'] },
  ],
  'object form': { labels: { 'a b': 'c' }, metrics: [{ name: 'g', description: 4, value: Infinity, metric_type: 'gauge' }], extra: 1 },
  expectations: {
    expect: { every: '1 day', often: true },
    metrics: [
      { name: 'g', description: 'd', value: 1, metric_type: 'gauge', expect: { min: '1', for: '5 min', minimum: 2 } },
      { name: 'h', description: 'd', value: 1, metric_type: 'gauge', expect: { min: 2, max: 1, for: '300y' } },
    ],
  },
  'not a metric file': 'text',
};

describe('the precompiled schema validator', () => {
  it.each(Object.entries(badDocuments))('reports the same issues as the schema compiled at run time: %s', (_, document) => {
    const expected = issuesOf(fromSource, document);
    expect(expected.length).toBeGreaterThan(0);
    expect(issuesOf(bundled, document)).toEqual(expected);
  });

  it('keeps the messages of the value definitions', () => {
    const messages = issuesOf(bundled, badDocuments['every value definition']).map((issue) => issue.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/numeric string \("6"/),
        expect.stringMatching(/counter value must be a finite number ≥ 0/),
        expect.stringMatching(/non-empty array of them/),
      ]),
    );
  });

  it('needs none of ajv’s run-time helpers, which the ESM library could not require (a schema minLength would)', () => {
    const library = readFileSync(join(import.meta.dirname, '../../dist/index.js'), 'utf8');
    expect(library).not.toMatch(/ajv\/dist\/runtime/);
  });

  it('accepts what the run-time validator accepts', () => {
    const document = { labels: { team: 'a' }, metrics: [{ name: 'g', description: 'd', value: '+Inf', metric_type: 'gauge' }] };
    expect(bundled.validate(document, { job: 'j' })).toEqual(fromSource.validate(document, { job: 'j' }));
  });
});

async function kfpIssuesOf(library: Library, file: string): Promise<{ pointer: string; message: string }[]> {
  try {
    library.validateInput(await library.loadInput({ input: file, format: 'kfp' }), { job: 'j' });
  } catch (error) {
    expect(error).toBeInstanceOf(library.DataError);
    return [...(error as fromSource.DataError).issues];
  }
  throw new Error('expected a DataError');
}

describe('the precompiled Kubeflow Pipelines schema validator', () => {
  it('reports the same issues as the schema compiled at run time', async () => {
    const file = tempFile({
      metrics: [
        { name: 'ok-one', numberValue: 1, format: 'RAW' },
        { name: '9-lives', numberValue: '1', format: 'percent', number_value: 2 },
        { name: 'ok_one', numberValue: 2 },
        'not an entry',
      ],
      runId: 'x',
    });
    const expected = await kfpIssuesOf(fromSource, file);
    expect(expected.length).toBeGreaterThan(5);
    expect(await kfpIssuesOf(bundled, file)).toEqual(expected);
  });
});
