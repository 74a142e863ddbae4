import { readFileSync } from 'node:fs';

/**
 * The text of the section headed `title` (at any level) of a Markdown file of the repository, from after its
 * heading up to the next heading of the same or a higher level (headings inside code blocks do not count).
 * A page's `# title` gives the whole page.
 */
export function docSection(path: string, title: string): string {
  const lines = readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8').split('\n');
  let fenced = false;
  let start = -1;
  let level = 0;
  for (const [index, line] of lines.entries()) {
    if (line.startsWith('```')) fenced = !fenced;
    const heading = fenced ? null : /^(#{1,6}) (.*)$/.exec(line);
    if (!heading) continue;
    if (start < 0 && heading[2] === title) {
      start = index + 1;
      level = heading[1]!.length;
    } else if (start >= 0 && heading[1]!.length <= level) {
      return lines.slice(start, index).join('\n');
    }
  }
  if (start < 0) throw new Error(`${path} has no section "${title}"`);
  return lines.slice(start).join('\n');
}

/** The text of the README's `## title` section, up to the next `## ` heading. */
export function readmeSection(title: string): string {
  return docSection('README.md', title);
}

/** The fenced code blocks of `text` in `language`, in order, each with its final newline. */
export function codeBlocks(text: string, language: string): string[] {
  return [...text.matchAll(new RegExp(`^\`\`\`${language}\\n([\\s\\S]*?)^\`\`\`$`, 'gm'))].map((match) => match[1]!);
}
