import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { OptionError } from '../../../src/errors.js';
import { gatewayRules } from '../../../src/generate/gatewayRules.js';
import { parseS3Url } from '../../../src/source/s3.js';
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
