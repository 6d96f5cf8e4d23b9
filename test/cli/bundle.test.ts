// The precompiled CLI (scripts/build-cli.js, bin/cli-bundle.js) is used only while every source file it
// was built from is unchanged; otherwise bin/clusterscope.js runs the TypeScript, so an edit is never
// answered by old code. Built here in a folder of its own (a two-file "repository"), not the real one.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript without declarations
import { currentBundle } from '../../bin/cli-bundle.js';
// @ts-expect-error plain JavaScript without declarations
import { buildCli } from '../../scripts/build-cli.js';

const current = currentBundle as (name: string, root: string) => string | null;
const build = buildCli as (root: string, entries: string[]) => Promise<{ inputs: number }>;

let root: string;
const write = (file: string, text: string) => {
  fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  fs.writeFileSync(path.join(root, file), text);
};

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-cli-bundle-'));
  write('src/cli/main.ts', "import { answer } from '../lib/answer.ts';\nconsole.log(answer());\n");
  write('src/lib/answer.ts', "export const answer = (): string => 'one';\n");
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const built = async () => {
  const { inputs } = await build(root, ['src/cli/main.ts']);
  expect(inputs).toBe(2);
};

describe('the CLI bundle', () => {
  it('is absent before a build and current after it, with the code of the sources', async () => {
    expect(current('main', root)).toBeNull();
    await built();
    const entry = current('main', root);
    expect(entry).toBe(path.join(root, 'dist', 'cli', 'main.js'));
    expect(fs.readFileSync(entry!, 'utf8')).toMatch(/["']one["']/);
    expect(current('evaluate-main', root)).toBeNull(); // an entry it was not built with
  });

  it('is stale once an imported file changes, even to the same size, until it is built again', async () => {
    await built();
    write('src/lib/answer.ts', "export const answer = (): string => 'two';\n");
    const later = new Date(Date.now() + 5_000);
    fs.utimesSync(path.join(root, 'src/lib/answer.ts'), later, later);
    expect(current('main', root)).toBeNull();
    await built();
    expect(fs.readFileSync(current('main', root)!, 'utf8')).toMatch(/["']two["']/);
  });

  it('is stale when a source file is restored with an older time, or removed', async () => {
    await built();
    const earlier = new Date(Date.now() - 86_400_000);
    fs.utimesSync(path.join(root, 'src/lib/answer.ts'), earlier, earlier);
    expect(current('main', root)).toBeNull();
    await built();
    fs.rmSync(path.join(root, 'src/lib/answer.ts'));
    expect(current('main', root)).toBeNull();
  });

  it('is not used without its manifest (a build that failed or is under way)', async () => {
    await built();
    fs.rmSync(path.join(root, 'dist', 'cli', 'manifest.json'));
    expect(current('main', root)).toBeNull();
  });

  it('is not used when CLUSTERSCOPE_CLI=tsx asks for the TypeScript', async () => {
    await built();
    process.env.CLUSTERSCOPE_CLI = 'tsx';
    try {
      expect(current('main', root)).toBeNull();
    } finally {
      delete process.env.CLUSTERSCOPE_CLI;
    }
  });
});
