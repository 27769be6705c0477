import { readFileSync } from 'node:fs';

interface LockEntry {
  readonly version?: string;
  readonly dependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
}
interface Lockfile {
  readonly packages: Record<string, LockEntry>;
}

/**
 * The lockfile of a project that depends on `names` at the versions this repository's own
 * package-lock.json resolved, with exactly their dependency closure. `npm install --offline` in a
 * folder holding it needs no registry metadata: every tarball is found in the npm cache by its
 * integrity, as on any machine that ran `npm ci` for this repository.
 *
 * @example
 * ```ts
 * const { packageJson, lockfile } = lockedProject('consumer', ['zod'], 'package-lock.json');
 * ```
 */
export const lockedProject = (name: string, names: readonly string[], lockPath: string) => {
  const { packages } = JSON.parse(readFileSync(lockPath, 'utf8')) as Lockfile;
  // Node's lookup: the nearest node_modules/<dep> from the dependent's folder up to the root.
  const find = (from: string, dep: string): string | undefined => {
    for (let base = from; ; ) {
      const path = `${base ? `${base}/` : ''}node_modules/${dep}`;
      if (packages[path]) return path;
      if (!base) return undefined;
      const parent = base.lastIndexOf('/node_modules/');
      base = parent < 0 ? '' : base.slice(0, parent);
    }
  };
  const locate = (from: string, dep: string): string => {
    const path = find(from, dep);
    if (path === undefined) throw new Error(`${dep} (needed by ${from || 'the root'}) is not in ${lockPath}`);
    return path;
  };
  const dependencies = Object.fromEntries(
    names.map((dep) => [dep, packages[locate('', dep)]?.version ?? '']),
  );
  const closure: Record<string, LockEntry> = {};
  const queue = names.map((dep) => locate('', dep));
  for (let path = queue.pop(); path !== undefined; path = queue.pop()) {
    const entry = packages[path];
    if (closure[path] || !entry) continue;
    closure[path] = entry;
    for (const dep of Object.keys(entry.dependencies ?? {})) queue.push(locate(path, dep));
    // An optional dependency for another platform is not installed, and may be absent from the lock.
    for (const dep of Object.keys(entry.optionalDependencies ?? {})) {
      const optional = find(path, dep);
      if (optional !== undefined) queue.push(optional);
    }
  }
  const packageJson = { name, version: '1.0.0', private: true, type: 'module', dependencies };
  const lockfile = {
    name,
    version: '1.0.0',
    lockfileVersion: 3,
    requires: true,
    packages: { '': { name, version: '1.0.0', dependencies }, ...closure },
  };
  return { packageJson, lockfile };
};
