import { describe, expect, it } from 'vitest';
import { messageForCommandLine } from '../../../src/cli/flags/libraryOptions.js';
import { main } from '../../../src/cli/main.js';
import { ConfigError, DataError, OptionError, TemporaryError, type SimplepipeError } from '../../../src/errors.js';
import { gatewayRules } from '../../../src/generate/gatewayRules.js';
import { resolveCredentials } from '../../../src/net/auth.js';
import { loadTlsMaterial } from '../../../src/net/tls.js';
import { DEFAULT_RETRY_POLICY } from '../../../src/net/retry.js';
import { runPipeline } from '../../../src/pipeline.js';
import { remoteWrite } from '../../../src/sink/remoteWrite/write.js';
import { parseS3Url } from '../../../src/source/s3.js';
import { validate } from '../../../src/validate/index.js';
import { SIMPLEPIPE_EXAMPLE, tempFile } from '../../support/files.js';

async function run(argv: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const code = await main(argv, { stdout: () => {}, stderr: (text) => void (stderr += text), env: {} }, 'test');
  return { code, stderr };
}

describe('the library names its options, the CLI its flags', () => {
  it('the library throws an OptionError (78) naming the option, never a flag', () => {
    const error = (() => {
      try {
        gatewayRules('');
      } catch (caught) {
        return caught;
      }
    })() as OptionError;
    expect(error).toBeInstanceOf(OptionError);
    expect(error.options).toEqual(['namespace']);
    expect(error.message).toBe('namespace must not be empty');
    expect(error.exitCode).toBe(78);
    expect(() => parseS3Url('s3://bucket-only')).toThrow(/^input s3:\/\/bucket-only is not an S3 object URL/);
  });

  it.each<[string, string[], string]>([
    ['--namespace', ['rules', '--namespace', ''], '--namespace must not be empty'],
    ['--name-prefix', ['push', tempFile(SIMPLEPIPE_EXAMPLE, 'metrics.json'), 'job', '--dry-run', '--name-prefix', 'kfp_'], '--name-prefix applies to Kubeflow Pipelines metrics files only'],
    ['--format and --name-prefix', ['validate', '--metric', 'a=1', '--format', 'kfp'], '--format and --name-prefix describe a metric file, and there is none'],
    ['the <file> argument', ['validate', 's3://bucket-only'], 'input s3://bucket-only is not an S3 object URL'],
  ])('the CLI names %s in a usage error (64)', async (_, argv, message) => {
    const { code, stderr } = await run(argv);
    expect(stderr).toContain(message);
    expect(code).toBe(64);
  });
});

/** What `promise` rejected with. */
async function rejection(promise: Promise<unknown>): Promise<SimplepipeError> {
  return promise.then(
    () => expect.fail('expected a rejection'),
    (error: unknown) => error as SimplepipeError,
  );
}

const MISSING = '/nonexistent/simplepipe-test';
/** The library's names of the options above, none of which a command line's user should read. */
const LIBRARY_NAMES = /tls\.\w|passwordFile|bearerTokenFile|maxInputBytes|retry\.retries|give format|(?<!-)\bstrict makes/;
/** Nothing listens here: a push that gets this far is refused at once, and no case below gets this far but one. */
const CLOSED = 'http://127.0.0.1:9';

describe('the same problem, in the library’s words and the command line’s', () => {
  it('the library’s errors name options, and list them as data', async () => {
    const halfPair = await rejection(loadTlsMaterial({ certFile: MISSING }));
    expect(halfPair).toBeInstanceOf(ConfigError);
    expect(halfPair.message).toBe('tls.certFile and tls.keyFile must be given together');
    expect(halfPair.options).toEqual(['tls.certFile', 'tls.keyFile']);

    const unreadable = await rejection(resolveCredentials({ passwordFile: MISSING, username: 'u' }));
    expect(unreadable.message).toBe(`passwordFile ${MISSING} cannot be read: no such file (ENOENT)`);
    expect(unreadable.cause).toMatchObject({ code: 'ENOENT' });

    const tooLarge = await rejection(runPipeline({ input: tempFile(SIMPLEPIPE_EXAMPLE), job: 'j', gateway: CLOSED, maxInputBytes: 10 }));
    expect(tooLarge).toBeInstanceOf(DataError);
    expect(tooLarge.message).toMatch(/is larger than maxInputBytes 10 \(\d+ bytes\); nothing was pushed$/);
    expect(tooLarge.options).toEqual(['maxInputBytes']);
  });

  it.each<[string, string[], string, number]>([
    ['--cert-file and --key-file', ['push', tempFile(SIMPLEPIPE_EXAMPLE), 'job', '--gateway', CLOSED, '--cert-file', MISSING], '--cert-file and --key-file must be given together', 78],
    ['--ca-file', ['push', tempFile(SIMPLEPIPE_EXAMPLE), 'job', '--gateway', CLOSED, '--ca-file', MISSING], `--ca-file ${MISSING} cannot be read: no such file (ENOENT)`, 78],
    ['--password-file', ['push', tempFile(SIMPLEPIPE_EXAMPLE), 'job', '--gateway', CLOSED, '--password-file', MISSING], `--password-file ${MISSING} cannot be read`, 78],
    ['--max-input-bytes', ['push', tempFile(SIMPLEPIPE_EXAMPLE), 'job', '--gateway', CLOSED, '--max-input-bytes', '10'], 'is larger than --max-input-bytes 10', 65],
    ['--retries', ['push', tempFile(SIMPLEPIPE_EXAMPLE), 'job', '--gateway', CLOSED, '--retries', '0'], '(no retries left of --retries 0)', 75],
    ['--format (a hint)', ['validate', tempFile('{"name":"a","value":1}\n{"name":"b","value":2}\n'), '--format', 'json'], 'name the file .jsonl or give --format jsonl', 65],
    ['--bearer-token-file and --password-file (a reserved --header)', ['push', '-', 'job', '--header', 'Authorization: Bearer x'], 'set from --bearer-token-file or --password-file', 64],
    ['--strict (a warning)', ['validate', '--metric', 'rows:counter=1'], '--strict makes these errors, exit 65', 0],
  ])('the CLI names %s', async (_, argv, message, exit) => {
    const { code, stderr } = await run(argv);
    expect(stderr).toContain(message);
    expect(stderr).not.toMatch(LIBRARY_NAMES);
    expect(code).toBe(exit);
  });
});

/** The library's names of the grouping, labels, tenant label and limit options, in the messages below. */
const LABEL_OPTION_NAMES = /(?<![-\w])(grouping|labels) [\w-]+:|tenantLabel|limits\./;
/** Two series: one more than a limit of 1 (the command line takes no limit below 1). */
const TWO_SERIES = [...SIMPLEPIPE_EXAMPLE, { ...SIMPLEPIPE_EXAMPLE[0], name: 'second' }];

describe('labels, the tenant label, a limit and the deadline: the library’s options, the command line’s flags', () => {
  const thrown = (run: () => unknown): SimplepipeError => {
    try {
      run();
    } catch (error) {
      return error as SimplepipeError;
    }
    return expect.fail('expected a throw');
  };

  it('the library names grouping, labels, tenantLabel and limits.* in its refusals', async () => {
    const grouping = thrown(() => validate(SIMPLEPIPE_EXAMPLE, { job: 'j', grouping: { 'a-b': '1' } }));
    expect(grouping).toBeInstanceOf(ConfigError);
    expect(grouping.message).toMatch(/^grouping a-b: "a-b" is not a valid label name/);
    expect(grouping.options).toEqual(['grouping']);

    const label = thrown(() => validate(SIMPLEPIPE_EXAMPLE, { job: 'j', grouping: { run: '2' }, labels: { run: '1' } }));
    expect(label).toBeInstanceOf(DataError);
    expect((label as DataError).issues).toEqual([{ pointer: 'labels run', message: '"run" is part of the grouping key; set it there, not on the series' }]);

    const stampedGrouping = thrown(() => validate(SIMPLEPIPE_EXAMPLE, { job: 'j', grouping: { namespace: 'x' }, tenantLabel: 'namespace' }));
    expect(stampedGrouping.message).toMatch(/^grouping namespace: "namespace" is set by the gateway's tenancy stamp \(tenantLabel namespace\)/);
    expect(stampedGrouping.options).toEqual(['grouping', 'tenantLabel']);
    const stampedLabel = await rejection(runPipeline({ input: tempFile(SIMPLEPIPE_EXAMPLE), job: 'j', gateway: CLOSED, tenantLabel: 'namespace', labels: { namespace: 'x' } }));
    expect(stampedLabel.message).toContain('labels namespace: "namespace" is set by the gateway\'s tenancy stamp (tenantLabel namespace)');

    const limit = await rejection(runPipeline({ input: tempFile(TWO_SERIES), job: 'j', gateway: CLOSED, limits: { series: 1 } }));
    expect(limit).toBeInstanceOf(DataError);
    expect(limit.message).toContain('2 series in one push, more than limits.series 1');
  });

  it('the library names retry.deadlineMs when the deadline runs out between remote-write requests, and the CLI renders it --deadline', async () => {
    const records = validate(SIMPLEPIPE_EXAMPLE);
    // The deadline passed already: refused before the first request, so nothing is sent to the closed port.
    const late = await rejection(
      remoteWrite(records, { url: `${CLOSED}/api/v1/write`, job: 'j', retry: { ...DEFAULT_RETRY_POLICY, deadlineMs: 2000, deadlineAt: performance.now() - 1 } }),
    );
    expect(late).toBeInstanceOf(TemporaryError);
    expect(late.message).toBe('the retry.deadlineMs of 2s ran out');
    expect(late.options).toEqual(['retry.deadlineMs']);
    expect(messageForCommandLine(late)).toBe('the --deadline of 2s ran out');
  });

  it.each<[string, string[], string, number]>([
    ['--grouping', ['validate', tempFile(SIMPLEPIPE_EXAMPLE), '--job', 'j', '--grouping', 'a-b=1'], '--grouping a-b: "a-b" is not a valid label name', 78],
    ['--label', ['validate', tempFile(SIMPLEPIPE_EXAMPLE), '--grouping', 'run=2', '--label', 'run=1'], '--label run: "run" is part of the grouping key', 65],
    [
      '--tenant-label (a grouping label)',
      ['push', tempFile(SIMPLEPIPE_EXAMPLE), 'job', '--gateway', CLOSED, '--tenant-label', 'namespace', '--grouping', 'namespace=x'],
      '--grouping namespace: "namespace" is set by the gateway\'s tenancy stamp (--tenant-label namespace)',
      78,
    ],
    [
      '--tenant-label (a label)',
      ['push', tempFile(SIMPLEPIPE_EXAMPLE), 'job', '--gateway', CLOSED, '--tenant-label', 'namespace', '--label', 'namespace=x'],
      '--label namespace: "namespace" is set by the gateway\'s tenancy stamp (--tenant-label namespace)',
      65,
    ],
    ['--max-series', ['push', tempFile(TWO_SERIES), 'job', '--gateway', CLOSED, '--max-series', '1'], '2 series in one push, more than --max-series 1', 65],
  ])('the CLI names %s', async (_, argv, message, exit) => {
    const { code, stderr } = await run(argv);
    expect(stderr).toContain(message);
    expect(stderr).not.toMatch(LABEL_OPTION_NAMES);
    expect(code).toBe(exit);
  });
});
