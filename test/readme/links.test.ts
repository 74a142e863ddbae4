import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../workflows/manifests.js';

/** The Markdown pages a reader follows links between: the front page, the reference pages, the contributor pages. */
const PAGES = ['README.md', 'CONTRIBUTING.md', 'bench/README.md', ...readdirSync(join(REPO_ROOT, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces made hyphens; a repeated one gets -1, -2, … */
function anchors(markdown: string): Set<string> {
  const found = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const heading = fenced ? null : /^#{1,6} (.*)$/.exec(line);
    if (!heading) continue;
    const base = heading[1]!.trim().toLowerCase().replace(/[^\p{L}\p{N}\- _]/gu, '').replaceAll(' ', '-');
    const count = seen.get(base) ?? 0;
    found.add(count === 0 ? base : `${base}-${count}`);
    seen.set(base, count + 1);
  }
  return found;
}

/** The links of `markdown` outside code, as written. */
function links(markdown: string): string[] {
  const prose = markdown.replace(/^```[\s\S]*?^```$/gm, '').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]!);
}

describe('the links between the README and the docs pages', () => {
  it.each(PAGES)('%s: every relative link names a file that exists, and a heading it has', (page) => {
    const text = readFileSync(join(REPO_ROOT, page), 'utf8');
    const broken: string[] = [];
    for (const link of links(text)) {
      if (/^[a-z]+:/.test(link)) continue;
      const [path, anchor] = link.split('#') as [string, string | undefined];
      const target = path === '' ? join(REPO_ROOT, page) : join(REPO_ROOT, dirname(page), path);
      if (!existsSync(target)) {
        broken.push(`${link}: no ${relative(REPO_ROOT, target)}`);
        continue;
      }
      if (anchor !== undefined && statSync(target).isFile() && target.endsWith('.md') && !anchors(readFileSync(target, 'utf8')).has(anchor)) {
        broken.push(`${link}: ${relative(REPO_ROOT, target)} has no heading #${anchor}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('the README is a front page: under 300 lines, and it lists every docs page', () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    expect(readme.split('\n').length).toBeLessThan(300);
    for (const page of PAGES.filter((path) => path.startsWith('docs/'))) expect(readme, page).toContain(`](${page})`);
  });
});
