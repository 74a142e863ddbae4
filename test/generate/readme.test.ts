import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { codeBlocks, readmeSection } from '../support/readme.js';
import { runApp } from '../support/runApp.js';

/** The README's Alerts section shows a file, the rule generated from it and the alert delivered: they must stay true. */
const alertsSection = readmeSection('Alerts');
const EXAMPLE = 'examples/training-alerts.json';

describe('the README’s Alerts section', () => {
  it(`shows ${EXAMPLE} as it is`, () => {
    const file = readFileSync(new URL(`../../${EXAMPLE}`, import.meta.url), 'utf8');
    expect(alertsSection).toContain(`\`${EXAMPLE}\``);
    expect(codeBlocks(alertsSection, 'json')[0]).toBe(file);
  });

  it('shows the rule exactly as node dist/app.js rules prints it for that file', async () => {
    expect(alertsSection).toContain(`\`node dist/app.js rules ${EXAMPLE} train\``);
    const run = await runApp(['rules', EXAMPLE, 'train'], { cwd: new URL('../..', import.meta.url).pathname });
    expect(run.code, run.stderr).toBe(0);
    expect(codeBlocks(alertsSection, 'yaml')[0]).toBe(run.stdout);
  });
});
