// 差别化政策 (issue 15 item 6): for a run, the firms each class policy applies to with its amount and how
// it was computed, per department, and each department's ledger as Excel.
import { useMemo, useState } from 'react';
import { Button, Card, Segmented, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { unitName } from '../../format.ts';
import { useCurrentUser } from '../../api/auth.ts';
import { ErrorResult } from '../../components/ErrorResult.tsx';
import { can } from '../../../../src/domain/policy/index.ts';
import { POLICY_DEPARTMENTS } from '../../../../src/domain/evaluation/types.ts';
import { useRunPolicies, useRuns } from './api.ts';
import { CLASS_COLORS, fmt, policyLabel } from './labels.ts';
import { useRegionName } from '../../names.ts';

type Dept = (typeof POLICY_DEPARTMENTS)[number];

export function PoliciesPage() {
  const { t, i18n } = useTranslation();
  const user = useCurrentUser();
  const runs = useRuns();
  const regionName = useRegionName();
  const published = useMemo(
    () => (runs.data?.items ?? []).filter((r) => r.status === 'published' && r.supersededByRunId == null),
    [runs.data],
  );
  const [runId, setRunId] = useState<number | undefined>();
  const run = runId ?? published[0]?.id ?? 0;
  const [dept, setDept] = useState<Dept | 'all'>('all');
  const list = useRunPolicies(run, dept === 'all' ? undefined : dept);
  // the list waits for the runs (to know the run): both are "loading" for the page
  const loading = runs.isLoading || list.isLoading;
  const rows = useMemo(
    () =>
      (list.data?.items ?? []).flatMap((it) =>
        it.policies.map((p) => ({ key: `${it.enterpriseId}-${p.id}`, firm: it, policy: p })),
      ),
    [list.data],
  );
  const totals = useMemo(() => {
    const m = new Map<string, { label: string; unit: string; n: number; amount: number }>();
    for (const r of rows) {
      const s = m.get(r.policy.id) ?? {
        label: policyLabel(r.policy, t, i18n.language),
        unit: r.policy.amountUnit,
        n: 0,
        amount: 0,
      };
      s.n++;
      s.amount += r.policy.amount ?? 0;
      m.set(r.policy.id, s);
    }
    return [...m.values()];
  }, [rows, t, i18n.language]);

  if (runs.error) return <ErrorResult error={runs.error} />;
  if (list.error) return <ErrorResult error={list.error} />;
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="evaluation-policies">
      <Space wrap>
        <Select
          style={{ minWidth: 280 }}
          value={run || undefined}
          loading={runs.isLoading}
          onChange={setRunId}
          aria-label={t('evaluation.policies.run')}
          data-testid="policies-run"
          options={published.map((r) => ({
            value: r.id,
            label: `${r.year} · ${regionName(r.regionCode)} · #${r.id}`,
          }))}
        />
        <Segmented<Dept | 'all'>
          value={dept}
          onChange={setDept}
          data-testid="policies-department"
          options={[
            { value: 'all', label: t('evaluation.policies.all') },
            ...POLICY_DEPARTMENTS.map((d) => ({
              value: d,
              label: t(`evaluation.policies.departments.${d}`),
            })),
          ]}
        />
        {dept !== 'all' && run > 0 && can(user, 'evaluation.policyList', 'export') && (
          <Button
            href={`/api/evaluation/runs/${run}/ledger.xlsx?department=${dept}`}
            data-testid="policies-ledger-download"
          >
            {t('evaluation.policies.ledger')}
          </Button>
        )}
      </Space>
      {list.data && (
        <Typography.Text type="secondary" data-testid="policies-cite">
          {t('evaluation.policies.cite', {
            year: list.data.year,
            code: list.data.ruleSet.code,
            version: list.data.ruleSet.version,
            run: list.data.runId,
          })}
        </Typography.Text>
      )}
      <Card size="small" title={t('evaluation.policies.summary')} loading={loading}>
        <Table
          size="small"
          rowKey="label"
          pagination={false}
          dataSource={totals}
          data-testid="policies-summary"
          columns={[
            { title: t('evaluation.policies.policy'), dataIndex: 'label' },
            { title: t('evaluation.policies.firms'), dataIndex: 'n' },
            {
              title: t('evaluation.policies.total'),
              render: (_, s) => (s.amount ? `${fmt(s.amount)} ${unitName(s.unit, t)}` : '—'),
            },
          ]}
        />
      </Card>
      <Table
        size="small"
        loading={loading}
        dataSource={rows}
        data-testid="policies-table"
        columns={[
          { title: t('evaluation.result.name'), render: (_, r) => r.firm.name },
          { title: t('evaluation.result.county'), render: (_, r) => regionName(r.firm.regionCode) },
          {
            title: t('evaluation.result.class'),
            render: (_, r) => (
              <Tag color={CLASS_COLORS[r.firm.class]}>{r.firm.aPlus ? 'A+' : r.firm.class}</Tag>
            ),
          },
          { title: t('evaluation.policies.years'), render: (_, r) => r.firm.consecutiveYears },
          {
            title: t('evaluation.policies.policy'),
            render: (_, r) => (
              <Tooltip title={r.policy.source}>
                <span>{policyLabel(r.policy, t, i18n.language)}</span>
              </Tooltip>
            ),
          },
          {
            title: t('evaluation.policies.department'),
            render: (_, r) => t(`evaluation.policies.departments.${r.policy.department}`),
          },
          {
            title: t('evaluation.policies.standard'),
            render: (_, r) => `${fmt(r.policy.value)} ${unitName(r.policy.unit, t)}`,
          },
          {
            title: t('evaluation.policies.amount'),
            render: (_, r) =>
              r.policy.amount == null ? '—' : `${fmt(r.policy.amount)} ${unitName(r.policy.amountUnit, t)}`,
          },
          { title: t('evaluation.policies.formula'), render: (_, r) => r.policy.formula },
        ]}
      />
    </Space>
  );
}
