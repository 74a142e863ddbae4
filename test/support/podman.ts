import { spawn } from 'node:child_process';

/** The image `npm run test:image` built with the command of docs/deploy.md, step 1 (scripts/test-image.sh sets it). */
export function builtImage(): string {
  const image = process.env.SIMPLEPIPE_IMAGE;
  if (!image) throw new Error('SIMPLEPIPE_IMAGE is unset: run these tests with npm run test:image, which builds the image first');
  return image;
}

export interface ContainerRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface ContainerOptions {
  /** uid:gid; default the image's own USER. */
  user?: string;
  env?: Record<string, string>;
  /** Host file → path in the container, mounted read-only. */
  files?: Record<string, string>;
  /** podman's --memory, e.g. "128m"; swap is held to the same figure. */
  memory?: string;
  /** Replaces the image's ENTRYPOINT (`node app.js`). */
  entrypoint?: string;
  stdin?: string;
  /** A writable root, as OpenShift's restricted profile leaves it (Kubernetes' readOnlyRootFilesystem unset). */
  writableRoot?: boolean;
  /** A writable, empty /tmp on the read-only root, as an emptyDir volume mounted there gives it. */
  writableTmp?: boolean;
}

/**
 * Runs the image as a Kubernetes pod with a restricted security context does: a read-only root with no
 * writable /tmp (unless asked), every capability dropped, no privilege gain. On the host's network, so a server on the
 * host's loopback is reachable at 127.0.0.1.
 */
export function runContainer(args: string[], options: ContainerOptions = {}): Promise<ContainerRun> {
  const flags = ['run', '--rm', '-i', '--network=host', '--cap-drop=ALL', '--security-opt=no-new-privileges'];
  if (!options.writableRoot) flags.push('--read-only', '--read-only-tmpfs=false');
  if (options.writableTmp) flags.push('--tmpfs=/tmp:rw,size=16m,mode=1777');
  if (options.user) flags.push(`--user=${options.user}`);
  if (options.memory) flags.push(`--memory=${options.memory}`, `--memory-swap=${options.memory}`);
  if (options.entrypoint) flags.push(`--entrypoint=${options.entrypoint}`);
  for (const [name, value] of Object.entries(options.env ?? {})) flags.push(`--env=${name}=${value}`);
  for (const [host, path] of Object.entries(options.files ?? {})) flags.push(`--volume=${host}:${path}:ro`);
  return podman([...flags, builtImage(), ...args], options.stdin);
}

/** Runs podman with the project's configuration (scripts/image/containers.sh exported it). */
export function podman(args: string[], stdin = ''): Promise<ContainerRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('podman', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}
