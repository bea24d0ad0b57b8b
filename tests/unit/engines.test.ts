import { readFileSync } from 'node:fs';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

/**
 * `npm ci` on the Node our machines run must print no EBADENGINE warning: every package in the
 * lockfile accepts the lowest Node that package.json's `engines` admits, and the README states
 * the same minimum as `engines`.
 */
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as {
  packages: Record<string, { engines?: Record<string, string> | string[]; optional?: boolean }>;
};
const minimum = semver.minVersion(pkg.engines.node);

describe('Node engines', () => {
  it('package.json names a minimum Node', () => {
    expect(minimum?.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('every locked package accepts that minimum (no EBADENGINE on a fresh npm ci)', () => {
    const refusing: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      // Old packages wrote engines as an array of strings; npm ignores that form.
      const range = entry.engines && !Array.isArray(entry.engines) ? entry.engines['node'] : undefined;
      // An optional package (a platform binary) that refuses this Node is left out without a warning.
      if (!path || !range || !minimum || entry.optional) continue;
      if (!semver.satisfies(minimum, range)) refusing.push(`${path.replace(/^.*node_modules\//, '')} (${range})`);
    }
    expect(refusing).toEqual([]);
  });

  it('the README requires the Node that package.json does', () => {
    const readme = readFileSync('README.md', 'utf8');
    const stated = /\*\*Requirements:\*\* Node\.js (\d+\.\d+(?:\.\d+)?) or newer/.exec(readme)?.[1];
    expect(stated).toBeDefined();
    expect(semver.coerce(stated)?.version).toBe(minimum?.version);
  });
});
