import { sha256Hex } from '../sha256.js';

/**
 * The names a job's dashboard goes by in Grafana and in Kubernetes: derived from the job alone, so a
 * regenerated dashboard replaces the old one. No Grafana SDK here: the CLI reads these at start-up.
 */

export const OVERVIEW_UID = 'simplepipe-overview';

/**
 * A job's dashboard uid: the same job always gets the same uid, so a regenerated dashboard replaces
 * the old one in Grafana. A hash, because a uid is at most 40 characters of [A-Za-z0-9_-] and a job
 * name may be anything.
 */
export function jobDashboardUid(job: string): string {
  return `simplepipe-job-${jobHash(job).slice(0, 16)}`;
}

/** A job's name as hex digits, for names that must be short or use few characters. */
export function jobHash(job: string): string {
  return sha256Hex(job);
}

/** The tag all parts of a job's dashboard share, when it is split (uid-like, so any job name makes a valid tag). */
export function jobPartTag(job: string): string {
  return jobDashboardUid(job);
}

export const OVERVIEW_CONFIGMAP = 'simplepipe-overview';

/**
 * The ConfigMap name of a job's dashboard: `simplepipe-job-<job>` when the job is a valid name already,
 * else its letters and digits lowercased plus a hash of the job, so two jobs never share a name.
 */
export function jobConfigMapName(job: string): string {
  const slug = job.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40).replace(/-+$/, '');
  if (slug === job) return `simplepipe-job-${slug}`;
  const hash = jobHash(job).slice(0, 8);
  return slug === '' ? `simplepipe-job-${hash}` : `simplepipe-job-${slug}-${hash}`;
}

/**
 * The ConfigMap of part `part` (2, 3, ...) of a job's split dashboard: the job's name and `-<part>`,
 * within Kubernetes's 63 characters. The first part keeps the job's own ConfigMap name.
 */
export function partConfigMapName(name: string, part: number): string {
  if (part === 1) return name;
  const suffix = `-${part}`;
  return `${name.slice(0, 63 - suffix.length).replace(/-+$/, '')}${suffix}`;
}
