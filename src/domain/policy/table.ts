// The policy as the README's roles table: generated from POLICY, so the README cannot drift from the
// code (test/lint/readme-policy.test.ts compares them).
import { POLICY } from './registry.ts';
import { ROLES, type ResourcePolicy } from './types.ts';

const SCOPE_ZH: Record<ResourcePolicy['scope'], string> = {
  enterprise: '按企业',
  region: '按区县',
  cluster: '按集群',
  city: '全市',
  own: '本人',
};

/** One row per resource: its rows' scope and the actions of each role ("—": none). */
export function policyMarkdownTable(): string {
  const head = `| resource | rows | ${ROLES.join(' | ')} |`;
  const rule = `|---|---|${ROLES.map(() => '---').join('|')}|`;
  const rows = Object.entries(POLICY).map(([key, p]) => {
    const policy = p as ResourcePolicy;
    const cells = ROLES.map((r) => policy.grants[r]?.join(', ') || '—');
    return `| ${policy.label.zh} \`${key}\` | ${SCOPE_ZH[policy.scope]} | ${cells.join(' | ')} |`;
  });
  return [head, rule, ...rows].join('\n');
}
