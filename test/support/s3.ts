import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerEngineAvailable, logBackend } from './docker.js';
import { freePort } from './ports.js';

/** A running S3-protocol server and the credentials it accepts. */
export interface S3Server {
  /** Base URL, as AWS_ENDPOINT_URL or --s3-endpoint takes it. */
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** The environment a process needs to reach this server and nothing else (no IMDS look-ups). */
  env: Record<string, string>;
  createBucket: (bucket: string) => Promise<void>;
  putObject: (bucket: string, key: string, body: string | Buffer) => Promise<void>;
  stop: () => Promise<void>;
}

/**
 * Starts an S3-protocol server on loopback: MinIO in a container when a Docker engine answers, else
 * s3rver in this process. Both refuse an unknown access key id (s3rver checks no SigV4 signature, so a
 * wrong secret alone is refused by MinIO only: tests use an unknown key to mean wrong credentials).
 */
export async function startS3(): Promise<S3Server> {
  if (dockerEngineAvailable()) return startMinio();
  logBackend('s3', 's3rver in-process (no Docker engine answers)');
  const { default: S3rver } = await import('s3rver');
  const directory = mkdtempSync(join(tmpdir(), 'simplepipe-s3-'));
  const port = await freePort();
  const server = new S3rver({ address: '127.0.0.1', port, silent: true, directory });
  await server.run();
  // s3rver's only account: the fixed key pair it documents.
  return describe(`http://127.0.0.1:${port}`, 'S3RVER', 'S3RVER', async () => {
    await server.close();
    rmSync(directory, { recursive: true, force: true });
  });
}

async function startMinio(): Promise<S3Server> {
  logBackend('s3', 'testcontainers MinIO (a Docker engine answers)');
  const { MinioContainer } = await import('@testcontainers/minio');
  const container = await new MinioContainer('minio/minio:RELEASE.2024-08-29T01-40-52Z')
    .withUsername('simplepipe')
    .withPassword('simplepipe-secret')
    .start();
  return describe(container.getConnectionUrl(), 'simplepipe', 'simplepipe-secret', async () => {
    await container.stop();
  });
}

function describe(endpoint: string, accessKeyId: string, secretAccessKey: string, stop: () => Promise<void>): S3Server {
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId, secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return {
    endpoint,
    accessKeyId,
    secretAccessKey,
    env: {
      AWS_ENDPOINT_URL: endpoint,
      AWS_ACCESS_KEY_ID: accessKeyId,
      AWS_SECRET_ACCESS_KEY: secretAccessKey,
      AWS_EC2_METADATA_DISABLED: 'true',
    },
    createBucket: async (bucket) => {
      await client.send(new CreateBucketCommand({ Bucket: bucket }));
    },
    putObject: async (bucket, key, body) => {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    },
    stop: async () => {
      client.destroy();
      await stop();
    },
  };
}
