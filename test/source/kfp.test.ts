import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OptionError } from '../../src/errors.js';
import { validateInput } from '../../src/check.js';
import { decodeInput, type DecodeOptions } from '../../src/source/decode.js';
import { isKfpShape, kfpMetricName, readKfpMetrics } from '../../src/source/kfp.js';
import { dataErrorOf } from '../support/dataError.js';

/** The pattern the Kubeflow Pipelines documentation gives for a metric name. */
const KFP_NAME = /^[a-zA-Z]([-_a-zA-Z0-9]{0,62}[a-zA-Z0-9])?$/;
const PROMETHEUS_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

const kfpFile = (...metrics: unknown[]) => ({ metrics });
const decode = (document: unknown, options: Partial<DecodeOptions> = {}) =>
  decodeInput(Buffer.from(JSON.stringify(document)), { origin: 'mlpipeline-metrics.json', ...options });
const validateKfp = (document: unknown, options: Partial<DecodeOptions> = {}) =>
  validateInput({ ...decode(document, options), origin: 'mlpipeline-metrics.json', bytes: 0 }, { job: 'j' });

describe('recognising a Kubeflow Pipelines metrics file', () => {
  it('by metrics that carry numberValue and no metric_type', () => {
    expect(isKfpShape(kfpFile({ name: 'accuracy-score', numberValue: 0.9 }))).toBe(true);
    expect(isKfpShape(kfpFile({ name: 'loss', number_value: 0.1 }))).toBe(true);
    expect(isKfpShape({ labels: {}, metrics: [{ name: 'a', description: 'd', value: 1, metric_type: 'gauge' }] })).toBe(false);
    expect(isKfpShape({ metrics: [{ name: 'a', numberValue: 1 }, { name: 'b', metric_type: 'gauge' }] })).toBe(false);
    expect(isKfpShape([{ name: 'a', numberValue: 1 }])).toBe(false);
    expect(isKfpShape({ metrics: [] })).toBe(false);
  });

  it('or because --format says so, whatever its shape', () => {
    expect(decode({ metrics: [] }, { format: 'kfp' }).format).toBe('kfp');
    expect(decode(kfpFile({ name: 'a', numberValue: 1 }), { format: 'json' }).format).toBe('json');
  });
});

describe('converting Kubeflow Pipelines metrics', () => {
  it('makes each entry a gauge named by the documented rule, its HELP saying where it came from and its format', () => {
    const records = validateKfp(
      kfpFile(
        { name: 'accuracy-score', numberValue: 0.913, format: 'PERCENTAGE' },
        { name: 'log-Loss', numberValue: 0.25, format: 'RAW' },
        { name: 'rows', numberValue: 200000 },
      ),
    );
    expect(records).toEqual([
      { index: 0, name: 'accuracy_score', type: 'gauge', labels: {}, value: 0.913, help: 'Kubeflow Pipelines metric accuracy-score (format PERCENTAGE: a fraction, 1 is 100%)' },
      { index: 1, name: 'log_Loss', type: 'gauge', labels: {}, value: 0.25, help: 'Kubeflow Pipelines metric log-Loss (format RAW)' },
      { index: 2, name: 'rows', type: 'gauge', labels: {}, value: 200000, help: 'Kubeflow Pipelines metric rows' },
    ]);
  });

  it('puts --name-prefix before every name', () => {
    const records = validateKfp(kfpFile({ name: 'accuracy-score', numberValue: 1 }), { namePrefix: 'kfp_' });
    expect(records.map((record) => record.name)).toEqual(['kfp_accuracy_score']);
  });

  it('maps every name KFP allows to a valid Prometheus name, and two names to one only when they differ in - and _ alone', () => {
    const kfpName = fc.stringMatching(KFP_NAME);
    fc.assert(
      fc.property(kfpName, kfpName, (a, b) => {
        expect(kfpMetricName(a)).toMatch(PROMETHEUS_NAME);
        expect(kfpMetricName(a, 'p:')).toBe(`p:${kfpMetricName(a)}`);
        const same = a.replaceAll('-', '_') === b.replaceAll('-', '_');
        expect(kfpMetricName(a) === kfpMetricName(b)).toBe(same);
      }),
      { numRuns: 500 },
    );
  });
});

describe('problems in a Kubeflow Pipelines metrics file', () => {
  it('65: two entries whose names map to one are a duplicate, naming both entries, and nothing more', () => {
    const error = dataErrorOf(() =>
      validateKfp(kfpFile({ name: 'accuracy-score', numberValue: 0.9 }, { name: 'rows', numberValue: 1 }, { name: 'accuracy_score', numberValue: 0.8, format: 'RAW' })),
    );
    expect(error.exitCode).toBe(65);
    expect(error.issues).toEqual([{ pointer: '/metrics/2', message: 'duplicate series: same name and labels as /metrics/0 (both named accuracy_score)' }]);
  });

  it('65: points into the KFP file, listing schema problems and the shared checks’ problems together', () => {
    const error = dataErrorOf(() =>
      validateKfp(
        kfpFile(
          { name: 'ok-one', numberValue: 1 },
          { name: '9lives', numberValue: '1', format: 'percent' },
          { name: 'ok_one', numberValue: 2 },
          { name: 'loss', value: 0.1 },
          { name: 'both', numberValue: 1, number_value: 1 },
        ),
      ),
    );
    expect(error.issues).toEqual([
      { pointer: '/metrics/1/name', message: expect.stringMatching(/not a valid Kubeflow Pipelines metric name/) },
      { pointer: '/metrics/1/numberValue', message: 'must be a number, or "NaN", "Infinity" or "-Infinity"' },
      { pointer: '/metrics/1/format', message: 'must be one of RAW, PERCENTAGE' },
      { pointer: '/metrics/2', message: 'duplicate series: same name and labels as /metrics/0 (both named ok_one)' },
      { pointer: '/metrics/3/numberValue', message: 'is required' },
      { pointer: '/metrics/3/value', message: 'is not a known field (did you mean "numberValue"?)' },
      { pointer: '/metrics/4/number_value', message: 'is numberValue by its proto name: give one of the two' },
    ]);
  });

  it('reads the file as KFP’s backend does: number_value, runId and nodeId, and NaN and the infinities as numbers or protobuf’s strings', () => {
    const decoded = decode({
      runId: 'run-1',
      metrics: [
        { name: 'loss', number_value: 0.25, node_id: 'train' },
        { name: 'diverged', numberValue: 'NaN', nodeId: 'train' },
        { name: 'grad', numberValue: '-Infinity' },
      ],
    });
    const records = validateInput({ ...decoded, origin: 'm.json', bytes: 0 }, {});
    expect(records.map((record) => (record.type === 'gauge' ? [record.name, record.value] : []))).toEqual([
      ['loss', 0.25],
      ['diverged', Number.NaN],
      ['grad', Number.NEGATIVE_INFINITY],
    ]);
    const failed = dataErrorOf(() => validateInput({ ...decode({ metrics: [{ name: 'x', number_value: 'nope' }] }), origin: 'm.json', bytes: 0 }, {}));
    expect(failed.issues).toEqual([{ pointer: '/metrics/0/number_value', message: 'must be a number, or "NaN", "Infinity" or "-Infinity"' }]);
  });

  it('warns of a value too large for a float64 at its numberValue, and refuses it with strict', () => {
    const text = '{"metrics": [{"name": "ok", "numberValue": 1}, {"name": "big", "numberValue": 1e400}]}';
    const input = { ...decodeInput(Buffer.from(text), { origin: 'm.json' }), origin: 'm.json', bytes: 0 };
    const column = text.indexOf('1e400') + 1;
    expect(input.warnings).toEqual([{ pointer: '/metrics/1/numberValue', message: `1e400 is too large for a float64 and is read as +Inf (line 1, column ${column})` }]);
    const error = dataErrorOf(() => validateInput(input, { strict: true }));
    expect(error.issues).toEqual(input.warnings);
  });

  it('places the shared checks’ issues at the KFP entry they came from, the value at its numberValue', () => {
    const { places } = readKfpMetrics(kfpFile({ name: 'a', numberValue: 1 }, { name: 'b', numberValue: 'x' }, { name: 'c', numberValue: 1 }), 'm.json');
    // Entry 1 is refused by the KFP schema, so record 1 of the converted document is entry 2.
    expect([places.record(1), places.field(1, '/value'), places.field(1, '/name')]).toEqual(['/metrics/2', '/metrics/2/numberValue', '/metrics/2/name']);
    expect(places.field(1, '/description')).toBeUndefined();
  });

  it('65: lists the shared checks’ problems (a label option naming the job, named as the library names it) with the KFP file’s own', () => {
    const decoded = decode(kfpFile({ name: 'a', numberValue: 1 }, { name: 'b', numberValue: 1, extra: true }));
    const error = dataErrorOf(() => validateInput({ ...decoded, origin: 'm.json', bytes: 0 }, { job: 'j', labels: { job: 'x' } }));
    expect(error.issues.map((issue) => issue.pointer)).toEqual(['labels job', '/metrics/1/extra']);
  });

  it('65: a file that is not one, read as KFP, says what is wrong with its shape', () => {
    expect(dataErrorOf(() => decode([{ name: 'a' }], { format: 'kfp' })).issues).toEqual([{ pointer: '', message: 'must be object' }]);
    expect(dataErrorOf(() => decode({ metrics: [], run: 1 }, { format: 'kfp' })).issues).toEqual([
      { pointer: '/run', message: 'is not a known field' },
    ]);
  });

  it('65: an empty KFP file holds no metrics', () => {
    expect(dataErrorOf(() => validateKfp({ metrics: [] }, { format: 'kfp' })).issues[0]).toEqual({
      pointer: '/metrics',
      message: expect.stringMatching(/holds no metrics/),
    });
  });

  it('an OptionError on namePrefix: a prefix that cannot start a metric name, or one for a file that is not KFP’s', () => {
    for (const prefix of ['1x', 'a-b', '__x', '']) {
      expect(() => decode(kfpFile({ name: 'a', numberValue: 1 }), { namePrefix: prefix })).toThrow(OptionError);
    }
    expect(() => decode([{ name: 'a', description: 'd', value: 1, metric_type: 'gauge' }], { namePrefix: 'p_' })).toThrow(
      /^namePrefix applies to Kubeflow Pipelines metrics files only; mlpipeline-metrics.json is read as json$/,
    );
  });
});
