// 差别化政策 (issue 15 item 6): for a run, the firms each class policy applies to with its amount and how
// it was computed, per department, and each department's ledger as Excel. The server pages the list (a
// city's is thousands of firms) and sums each policy over the whole of it for the summary.
import { useMemo, useState } from 'react';
import { Card, Pagination, Segmented, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { unitName } from '../../format.ts';
import { useCurrentUser } from '../../api/auth.ts';
import { ErrorResult } from '../../components/ErrorResult.tsx';
import { can } from '../../../../src/domain/policy/index.ts';
import { POLICY_DEPARTMENTS } from '../../../../src/domain/evaluation/types.ts';
import { useRunPolicies, useRuns } from './api.ts';
import { CLASS_COLORS, fmt, policyLabel } from './labels.ts';
import { useRegionName } from '../../names.ts';
import { DownloadButton } from '../../components/DownloadButton.tsx';

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
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(50);
  const list = useRunPolicies(run, dept === 'all' ? undefined : dept, page, pageSize);
  // the list waits for the runs (to know the run): both are "loading" for the page
  const loading = runs.isLoading || list.isLoading;
  const rows = useMemo(
    () =>
      (list.data?.items ?? []).flatMap((it) =>
        it.policies.map((p) => ({ key: `${it.enterpriseId}-${p.id}`, firm: it, policy: p })),
      ),
    [list.data],
  );
  // over the whole list, not the page: the server's sums
  const totals = useMemo(
    () =>
      (list.data?.summary ?? []).map((s) => ({
        label: policyLabel(s.policy, t, i18n.language),
        unit: s.policy.amountUnit,
        n: s.firms,
        amount: s.amount,
      })),
    [list.data, t, i18n.language],
  );

  if (runs.error) return <ErrorResult error={runs.error} />;
  if (list.error) return <ErrorResult error={list.error} />;
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="evaluation-policies">
      <Space wrap>
        <Select
          style={{ minWidth: 280 }}
          value={run || undefined}
          loading={runs.isLoading}
          onChange={(v) => {
            setRunId(v);
            setPage(1);
          }}
          aria-label={t('evaluation.policies.run')}
          data-testid="policies-run"
          options={published.map((r) => ({
            value: r.id,
            label: `${r.year} · ${regionName(r.regionCode)} · #${r.id}`,
          }))}
        />
        <Segmented<Dept | 'all'>
          value={dept}
          onChange={(v) => {
            setDept(v);
            setPage(1);
          }}
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
          <DownloadButton
            url={`/api/evaluation/runs/${run}/ledger.xlsx?department=${dept}`}
            data-testid="policies-ledger-download"
          >
            {t('evaluation.policies.ledger')}
          </DownloadButton>
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
        pagination={false}
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
      {/* pages of firms (a firm's policies stay together on one page) */}
      <Pagination
        align="end"
        current={page}
        pageSize={pageSize}
        total={list.data?.total ?? 0}
        showSizeChanger
        data-testid="policies-pages"
        onChange={(p, size) => {
          setPage(size === pageSize ? p : 1);
          setPageSize(size);
        }}
      />
    </Space>
  );
}
