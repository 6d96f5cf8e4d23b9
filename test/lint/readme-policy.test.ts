// README's roles table is the policy itself (issue 12 item 8: code, README and the matrix agree).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/db/client.ts';
import { policyMarkdownTable } from '../../src/domain/policy/table.ts';

describe('README security section', () => {
  it('shows the roles table generated from the policy', () => {
    const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    const match = /<!-- policy-table:start -->\n([\s\S]*?)\n<!-- policy-table:end -->/.exec(readme);
    expect(match, 'README has the policy-table markers').not.toBeNull();
    expect(match![1]!.trim()).toBe(policyMarkdownTable());
  });
});
