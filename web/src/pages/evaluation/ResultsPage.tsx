// Results of one run within the user's scope, filtered by class and group; class counts per county.
import { useState } from 'react';
import { Card, Segmented, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useCurrentUser } from '../../api/auth.ts';
import { ErrorResult } from '../../components/ErrorResult.tsx';
import { useClassCounts, useResults, useRun, type ResultRow } from './api.ts';
import { CLASS_COLORS, fmt, groupLabel, ruleSetName } from './labels.ts';
import { useLocalName } from '../../names.ts';

export function ResultsPage() {
  const { t, i18n } = useTranslation();
  const localName = useLocalName();
  const user = useCurrentUser();
  const runId = Number(useParams().runId);
  const [cls, setCls] = useState<string>('all');
  const [page, setPage] = useState(1);
  const run = useRun(runId);
  const results = useResults(runId, { class: cls === 'all' ? undefined : cls, page, pageSize: 50 });
  const counts = useClassCounts(runId, user.role !== 'enterprise');
  if (run.error) return <ErrorResult error={run.error} />;
  if (results.error) return <ErrorResult error={results.error} />;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {run.data && (
        <Typography.Text type="secondary">
          {run.data.year} · {ruleSetName(run.data.ruleSetName, i18n.language)} v{run.data.ruleSetVersion} ·{' '}
          {t(`evaluation.run.statuses.${run.data.status}`)}
        </Typography.Text>
      )}
      {counts.data && (
        <Card size="small" title={t('evaluation.result.countsByCounty')}>
          <Table
            size="small"
            pagination={false}
            rowKey={(r) => `${r.code}-${r.scale}`}
            dataSource={counts.data.items}
            columns={[
              {
                title: t('evaluation.result.county'),
                dataIndex: 'name',
                render: (n: string) => localName(n),
              },
              { title: t('evaluation.result.group'), render: (_, r) => groupLabel(t, r.scale) },
              ...(['A', 'B', 'C', 'D'] as const).map((c) => ({ title: c, dataIndex: c })),
              { title: t('evaluation.run.excluded'), dataIndex: 'excluded' },
            ]}
          />
        </Card>
      )}
      <Segmented
        value={cls}
        onChange={(v) => {
          setCls(String(v));
          setPage(1);
        }}
        options={[{ value: 'all', label: t('evaluation.result.allClasses') }, 'A', 'B', 'C', 'D']}
      />
      <Table<ResultRow>
        rowKey="enterpriseId"
        data-testid="evaluation-results"
        loading={results.isLoading}
        dataSource={results.data?.items ?? []}
        pagination={{
          current: page,
          pageSize: 50,
          total: results.data?.total ?? 0,
          onChange: setPage,
          showSizeChanger: false,
        }}
        columns={[
          {
            title: t('evaluation.result.name'),
            render: (_, r) => (
              <Link to={`/evaluation/runs/${runId}/enterprises/${r.enterpriseId}`}>{r.name}</Link>
            ),
          },
          {
            title: t('evaluation.result.county'),
            render: (_, r) => (r.regionName ? localName(r.regionName) : r.regionCode),
          },
          { title: t('evaluation.result.group'), render: (_, r) => groupLabel(t, r.scale) },
          { title: t('evaluation.result.total'), render: (_, r) => fmt(r.total) },
          {
            title: t('evaluation.result.rank'),
            render: (_, r) => (r.rank ? `${r.rank} / ${r.groupSize}` : '—'),
          },
          {
            title: t('evaluation.result.class'),
            render: (_, r) =>
              r.class ? <Tag color={CLASS_COLORS[r.class]}>{r.aPlus ? 'A+' : r.class}</Tag> : '—',
          },
          { title: t('evaluation.result.reason'), render: (_, r) => r.exclusionZh ?? '' },
          {
            title: '',
            render: (_, r) => (
              <Link to={`/evaluation/runs/${runId}/enterprises/${r.enterpriseId}`}>
                {t('evaluation.result.explain')}
              </Link>
            ),
          },
        ]}
      />
    </Space>
  );
}
