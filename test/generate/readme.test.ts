import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { codeBlocks, docSection } from '../support/readme.js';
import { runApp } from '../support/runApp.js';

/** docs/alerts.md (the README's Alerts section before) shows a file, the rule generated from it and the alert delivered: they must stay true. */
const alertsSection = docSection('docs/alerts.md', 'Alerts');
const EXAMPLE = 'examples/training-alerts.json';

describe('docs/alerts.md', () => {
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
