/**
 * `markdown` with the section under `heading` (up to the next `## ` heading) replaced by `section`,
 * or `section` inserted before `before` (or appended) when there is none.
 *
 * @example
 * ```ts
 * spliceSection(readFileSync('BENCHMARKS.md', 'utf8'), '## Ingestion', '## Ingestion\n\n…\n');
 * ```
 */
export const spliceSection = (
  markdown: string,
  heading: string,
  section: string,
  before?: string,
): string => {
  const start = markdown.indexOf(`${heading}\n`);
  const body = section.endsWith('\n') ? section : `${section}\n`;
  if (start < 0) {
    const at = before === undefined ? -1 : markdown.indexOf(before);
    return at < 0 ? `${markdown}\n${body}` : `${markdown.slice(0, at)}${body}\n${markdown.slice(at)}`;
  }
  const next = markdown.indexOf('\n## ', start + heading.length);
  return next < 0
    ? `${markdown.slice(0, start)}${body}`
    : `${markdown.slice(0, start)}${body}${markdown.slice(next + 1)}`;
};

/**
 * The section under `heading` (up to the next `## ` heading), or undefined.
 *
 * @example
 * ```ts
 * sectionOf('# B\n\n## One\n\ntext\n', '## One'); // '## One\n\ntext\n'
 * ```
 */
export const sectionOf = (markdown: string, heading: string): string | undefined => {
  const start = markdown.indexOf(`${heading}\n`);
  if (start < 0) return undefined;
  const next = markdown.indexOf('\n## ', start + heading.length);
  return next < 0 ? markdown.slice(start) : markdown.slice(start, next + 1);
};
