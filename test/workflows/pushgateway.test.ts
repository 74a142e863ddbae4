import { describe, expect, it } from 'vitest';
import { findManifest } from './manifests.js';

interface Port {
  name: string;
  port?: number;
  containerPort?: number;
  targetPort?: string;
}

const deployment = findManifest('Deployment', 'pushgateway').object as {
  spec: {
    replicas: number;
    selector: { matchLabels: Record<string, string> };
    template: {
      metadata: { labels: Record<string, string> };
      spec: {
        securityContext: { runAsNonRoot: boolean; runAsUser: number };
        containers: {
          image: string;
          args: string[];
          ports: Port[];
          readinessProbe: { httpGet: { path: string; port: string } };
          securityContext: { readOnlyRootFilesystem: boolean };
          volumeMounts: { mountPath: string }[];
        }[];
      };
    };
  };
};
const service = findManifest('Service', 'pushgateway').object as {
  metadata: { labels: Record<string, string> };
  spec: { selector: Record<string, string>; ports: Port[] };
};
const serviceMonitor = findManifest('ServiceMonitor', 'pushgateway').object as {
  spec: { selector: { matchLabels: Record<string, string> }; endpoints: { port: string; honorLabels: boolean }[] };
};
const pod = deployment.spec.template;
const gateway = pod.spec.containers[0]!;

describe('the per-namespace Pushgateway (workflows/pushgateway/base)', () => {
  it('is prom/pushgateway, one replica, ready on /-/ready', () => {
    expect(gateway.image).toMatch(/^prom\/pushgateway:v\d+\.\d+\.\d+$/);
    expect(deployment.spec.replicas).toBe(1);
    expect(gateway.readinessProbe.httpGet).toEqual({ path: '/-/ready', port: 'http' });
  });

  it('runs non-root on a read-only root, persisting to a mounted volume', () => {
    expect(pod.spec.securityContext.runAsNonRoot).toBe(true);
    expect(pod.spec.securityContext.runAsUser).toBeGreaterThan(0);
    expect(gateway.securityContext.readOnlyRootFilesystem).toBe(true);
    const persistence = gateway.args.find((arg) => arg.startsWith('--persistence.file='))!.split('=')[1]!;
    expect(gateway.volumeMounts.some((mount) => persistence.startsWith(`${mount.mountPath}/`))).toBe(true);
  });

  it('is reached as http://pushgateway:9091, the app’s default gateway, through the Service', () => {
    expect(service.spec.ports).toEqual([{ name: 'http', port: 9091, targetPort: 'http' }]);
    expect(gateway.ports).toEqual([{ name: 'http', containerPort: 9091 }]);
    expect(pod.metadata.labels).toMatchObject(service.spec.selector);
    expect(pod.metadata.labels).toMatchObject(deployment.spec.selector.matchLabels);
  });

  it('is scraped by the ServiceMonitor on the Service’s port, keeping the pushed job labels', () => {
    expect(service.metadata.labels).toMatchObject(serviceMonitor.spec.selector.matchLabels);
    expect(serviceMonitor.spec.endpoints).toEqual([expect.objectContaining({ port: service.spec.ports[0]!.name, honorLabels: true })]);
  });
});
