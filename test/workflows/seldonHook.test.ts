import { describe, expect, it } from 'vitest';
import { findManifest } from './manifests.js';

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}

const job = findManifest('Job', 'churn-classifier-push-metrics');
const jobSpec = job.object.spec as {
  podFailurePolicy: { rules: { action: string; onExitCodes: { containerName: string; operator: string; values: number[] } }[] };
  template: { spec: { restartPolicy: string; containers: { name: string; args: string[]; env: EnvVar[] }[] } };
};
const container = jobSpec.template.spec.containers[0]!;

describe('the Seldon post-deploy hook Job', () => {
  it('runs after install and upgrade under Helm, and after sync under Argo CD', () => {
    const { annotations } = job.object.metadata as { annotations: Record<string, string> };
    expect(annotations['helm.sh/hook']).toBe('post-install,post-upgrade');
    expect(annotations['argocd.argoproj.io/hook']).toBe('PostSync');
  });

  it('pushes a metric file from s3:// with the app’s own command', () => {
    expect(container.args.slice(0, 2)).toEqual(['app.js', expect.stringMatching(/^s3:\/\/[^/]+\/.+\.json$/)]);
  });

  it('takes the S3 credentials from a Secret, never from the manifest', () => {
    for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']) {
      const variable = container.env.find((e) => e.name === name);
      expect(variable?.value, name).toBeUndefined();
      expect(variable?.valueFrom?.secretKeyRef?.name, name).toBe('simplepipe-s3');
    }
    expect(container.env.map((e) => e.name)).toEqual(expect.arrayContaining(['AWS_ENDPOINT_URL_S3', 'AWS_REGION']));
  });

  it('starts another pod only after exit 75, as the Argo template retries', () => {
    expect(jobSpec.template.spec.restartPolicy).toBe('Never');
    expect(jobSpec.podFailurePolicy.rules).toEqual([
      { action: 'FailJob', onExitCodes: { containerName: container.name, operator: 'NotIn', values: [75] } },
    ]);
  });
});
