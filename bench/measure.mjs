import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let counter = 0;

/**
 * Runs a command to its exit under GNU time, which reports the peak RSS (%M, in KiB) to a file of its
 * own so the command's stderr stays untouched. The wall time is taken here, around the whole process.
 */
export function timeCommand(command, args, env = process.env) {
  const rssFile = join(tmpdir(), `simplepipe-bench-rss-${process.pid}-${counter++}`);
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', ['-f', '%M', '-o', rssFile, command, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      let peakRssKb = NaN;
      try {
        peakRssKb = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop());
      } finally {
        rmSync(rssFile, { force: true });
      }
      if (code !== 0) reject(new Error(`${command} ${args.join(' ')} exited ${code}:\n${stderr}`));
      else resolve({ ms, peakRssMb: peakRssKb / 1024 });
    });
  });
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
