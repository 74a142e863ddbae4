import * as monitoring from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import * as core from 'kubernetes-models/v1';
import * as apps from 'kubernetes-models/apps/v1';
import * as batch from 'kubernetes-models/batch/v1';
import * as networking from 'kubernetes-models/networking.k8s.io/v1';
import * as rbac from 'kubernetes-models/rbac.authorization.k8s.io/v1';

type Model = new (data: unknown) => { validate(): void };

// kubernetes-models v4: v5 needs Node 22, and the tests also run on Node 20.
const modules: Record<string, Record<string, unknown>> = {
  v1: core,
  'apps/v1': apps,
  'batch/v1': batch,
  'networking.k8s.io/v1': networking,
  'rbac.authorization.k8s.io/v1': rbac,
  'monitoring.coreos.com/v1': monitoring,
};

/** The kubernetes-models class of a Kubernetes kind, or undefined for a kind these tests do not know. */
export function kubernetesModel(apiVersion: string, kind: string): Model | undefined {
  const model = modules[apiVersion]?.[kind];
  return typeof model === 'function' ? (model as Model) : undefined;
}
