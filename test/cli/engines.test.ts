// The README promises Node 20.19 or newer (package.json `engines`). Every installed package must accept that
// version, or `npm ci` warns (EBADENGINE) on the Node we tell people to use: content-disposition 3 and
// cookie 2 asked for Node 22 and are held back by `overrides` in package.json.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

type Version = [number, number, number];
const parse = (v: string): Version => {
  const [a = 0, b = 0, c = 0] = v
    .replace(/^[^\d]*/, '')
    .split('.')
    .map((x) => Number.parseInt(x, 10) || 0);
  return [a, b, c];
};
const compare = (x: Version, y: Version) => x[0] - y[0] || x[1] - y[1] || x[2] - y[2];

/** Whether `version` satisfies one comparator set (`>=18 <24`), enough for the ranges engines use. */
function satisfiesSet(version: Version, set: string): boolean {
  for (const part of set
    .trim()
    .replace(/([<>=^~]+)\s+/g, '$1')
    .split(/\s+/)
    .filter(Boolean)) {
    const m = /^(>=|<=|>|<|\^|~|=)?v?(\d+(?:\.(?:\d+|x|\*))?(?:\.(?:\d+|x|\*))?)/.exec(part);
    if (!m) {
      if (part === '*' || part === 'x') continue;
      throw new Error(`unreadable engines range part ${part}`);
    }
    const op = m[1] ?? '=';
    const bound = parse(m[2]!.replace(/[x*]/g, '0'));
    const c = compare(version, bound);
    const ok =
      op === '>='
        ? c >= 0
        : op === '>'
          ? c > 0
          : op === '<='
            ? c <= 0
            : op === '<'
              ? c < 0
              : op === '^'
                ? c >= 0 && version[0] === bound[0]
                : op === '~'
                  ? c >= 0 && version[0] === bound[0] && version[1] === bound[1]
                  : m[2]!.split('.').length < 3
                    ? version[0] === bound[0]
                    : c === 0;
    if (!ok) return false;
  }
  return true;
}
const satisfies = (version: Version, range: string) =>
  range.split('||').some((set) => satisfiesSet(version, set));

describe('engines', () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } };
  const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as {
    packages: Record<string, { engines?: { node?: string } | string[]; dev?: boolean; optional?: boolean }>;
  };

  it('reads ranges as npm does', () => {
    expect(satisfies([20, 19, 0], '>=22')).toBe(false);
    expect(satisfies([20, 19, 0], '>=18')).toBe(true);
    expect(satisfies([20, 19, 0], '^18.18.0 || ^20.9.0 || >=21.1.0')).toBe(true);
    expect(satisfies([20, 19, 0], '^22.12.0 || >=24')).toBe(false);
    expect(satisfies([20, 19, 0], '>= 14')).toBe(true);
  });

  it('every installed package accepts the Node version the README states', () => {
    const stated = parse(pkg.engines.node);
    expect(stated).toEqual([20, 19, 0]);
    const refusing = Object.entries(lock.packages)
      .filter(([path, p]) => path !== '' && !p.optional && p.engines && !Array.isArray(p.engines))
      .filter(([, p]) => {
        const node = (p.engines as { node?: string }).node;
        return node !== undefined && !satisfies(stated, node);
      })
      .map(([path, p]) => `${path} (${(p.engines as { node?: string }).node})`);
    expect(refusing).toEqual([]);
  });
});
