import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The documentation is a web of relative links (README → docs/ → source files). A moved heading or
// file breaks one silently on GitHub, so every link and anchor is checked here, offline.

const ROOT = resolve(import.meta.dirname, '../..');

/** What the checker needs from the file system, so its rules can be tested on invented documents. */
interface DocsSource {
  readonly read: (path: string) => string;
  readonly exists: (path: string) => boolean;
}

/** GitHub's heading anchor: lower-case, markup dropped, punctuation but '-' and '_' removed, spaces to '-'. */
const slugOf = (heading: string): string =>
  heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[`*]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');

/** Text outside fenced code blocks, where links are live. */
const proseOf = (markdown: string): string => markdown.replace(/^(```|~~~)[\s\S]*?^\1[^\n]*$/gm, '');

/** Every anchor a file offers; a repeated heading gets GitHub's `-1`, `-2` suffixes. */
const anchorsOf = (markdown: string): Set<string> => {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const [, heading] of proseOf(markdown).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const slug = slugOf(heading ?? '');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
};

/** Relative link targets in a file's prose (inline code is not a link). */
const linksOf = (markdown: string): string[] =>
  [
    ...proseOf(markdown)
      .replace(/`[^`\n]*`/g, '')
      .matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g),
  ]
    .map(([, target]) => target ?? '')
    .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));

/** Each broken link of `file` (a path from the repository root), as `file: target (why)`. */
const brokenLinksIn = (file: string, source: DocsSource): string[] => {
  const problems: string[] = [];
  for (const link of linksOf(source.read(file))) {
    const [pathPart = '', anchor] = link.split('#');
    const target = pathPart === '' ? file : join(dirname(file), decodeURIComponent(pathPart));
    if (target.startsWith('..') || target.startsWith('/')) {
      problems.push(`${file}: ${link} (points outside the repository)`);
    } else if (!source.exists(target)) {
      problems.push(`${file}: ${link} (no such file: ${target})`);
    } else if (
      anchor !== undefined &&
      target.endsWith('.md') &&
      !anchorsOf(source.read(target)).has(anchor)
    ) {
      problems.push(`${file}: ${link} (no heading '#${anchor}' in ${target})`);
    }
  }
  return problems;
};

const repository: DocsSource = {
  read: (path) => readFileSync(join(ROOT, path), 'utf8'),
  exists: (path) => existsSync(join(ROOT, path)),
};

const documents = (): string[] => [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => relative(ROOT, join(ROOT, 'docs', name))),
];

const inventedDocs = (files: Record<string, string>): DocsSource => ({
  read: (path) => files[path] ?? '',
  exists: (path) => path in files,
});

describe('GitHub heading anchors', () => {
  it.each([
    ['How counting works', 'how-counting-works'],
    ['Importing history: `yardstick import`', 'importing-history-yardstick-import'],
    ['Permissions: `shared/config/permissions.ts`', 'permissions-sharedconfigpermissionsts'],
    ['Time: lateness is judged at the bus', 'time-lateness-is-judged-at-the-bus'],
    ['Send your own event and read it back', 'send-your-own-event-and-read-it-back'],
    ['Using the construct in your own CDK app', 'using-the-construct-in-your-own-cdk-app'],
    ['Deploy — step by step', 'deploy--step-by-step'],
  ])('turns the heading "%s" into #%s', (heading, expected) => {
    // Act
    const slug = slugOf(heading);

    // Assess
    expect(slug).toBe(expected);
  });

  it('numbers a repeated heading as GitHub does and ignores headings inside code blocks', () => {
    // Prepare
    const markdown = '# Options\n\n## Options\n\n```sh\n# not a heading\n```\n';

    // Act
    const anchors = anchorsOf(markdown);

    // Assess
    expect([...anchors]).toEqual(['options', 'options-1']);
  });
});

describe('the link checker', () => {
  it('reports a missing file, a missing anchor and a link out of the repository, and nothing else', () => {
    // Prepare
    const source = inventedDocs({
      'README.md': [
        '# Yardstick',
        '[ok](docs/a.md#the-part) [ok too](#yardstick) [site](https://example.com) `[code](nowhere.md)`',
        '[gone](docs/gone.md) [bad anchor](docs/a.md#no-such-part) [out](../shared/DESIGN.md)',
        '[source](shared/money.ts)',
      ].join('\n'),
      'docs/a.md': '# A\n\n## The part\n',
      'shared/money.ts': '',
    });

    // Act
    const problems = brokenLinksIn('README.md', source);

    // Assess
    expect(problems).toEqual([
      'README.md: docs/gone.md (no such file: docs/gone.md)',
      "README.md: docs/a.md#no-such-part (no heading '#no-such-part' in docs/a.md)",
      'README.md: ../shared/DESIGN.md (points outside the repository)',
    ]);
  });

  it('resolves a guide’s links from its own folder', () => {
    // Prepare
    const source = inventedDocs({
      'docs/a.md': '[back](../README.md#yardstick) [source](../shared/money.ts) [wrong](shared/money.ts)',
      'README.md': '# Yardstick',
      'shared/money.ts': '',
    });

    // Act
    const problems = brokenLinksIn('docs/a.md', source);

    // Assess
    expect(problems).toEqual(['docs/a.md: shared/money.ts (no such file: docs/shared/money.ts)']);
  });
});

describe('the repository’s documentation', () => {
  it('has no broken relative link or anchor in README.md or docs/', () => {
    // Prepare
    const files = documents();

    // Act
    const problems = files.flatMap((file) => brokenLinksIn(file, repository));

    // Assess
    expect(files.length).toBeGreaterThan(1);
    expect(problems).toEqual([]);
  });
});
