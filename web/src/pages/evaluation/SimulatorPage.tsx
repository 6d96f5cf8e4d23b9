// Compare two rule sets on the same year: transition matrix, movers, weight sensitivity.
import { useState } from 'react';
import { Button, Card, InputNumber, Select, Space, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { ErrorResult } from '../../components/ErrorResult.tsx';
import { PageLoading } from '../../components/PageLoading.tsx';
import { useDataYear } from '../../data-year.ts';
import { useEvaluationYears, useRuleSets, useSimulation } from './api.ts';
import { fmt, groupLabel, ruleSetName } from './labels.ts';

export function SimulatorPage() {
  const { t, i18n } = useTranslation();
  const sets = useRuleSets();
  // the newest year with annual inputs or a run, not the clock's last year
  const [year, setYear] = useDataYear(useEvaluationYears());
  const [a, setA] = useState<number>();
  const [b, setB] = useState<number>();
  const [query, setQuery] = useState<{ year: number; a: number; b: number } | null>(null);
  const sim = useSimulation(query);
  // until the rule sets arrive there is nothing to choose: a spinner, not two empty selects
  if (sets.isLoading) return <PageLoading />;
  const options = (sets.data?.items ?? []).map((s) => ({
    value: s.id,
    label: `${ruleSetName(s.name, i18n.language)} v${s.version}`,
  }));
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <InputNumber value={year} onChange={(v) => v && setYear(v)} aria-label={t('evaluation.sim.year')} />
        <Select
          style={{ width: 320 }}
          placeholder={t('evaluation.sim.a')}
          options={options}
          loading={sets.isLoading}
          value={a}
          onChange={setA}
        />
        <Select
          style={{ width: 320 }}
          placeholder={t('evaluation.sim.b')}
          options={options}
          loading={sets.isLoading}
          value={b}
          onChange={setB}
        />
        <Button
          type="primary"
          disabled={!a || !b || year === undefined}
          loading={sim.isFetching}
          onClick={() => a && b && year !== undefined && setQuery({ year, a, b })}
        >
          {t('evaluation.sim.run')}
        </Button>
      </Space>
      {sim.error && <ErrorResult error={sim.error} />}
      {sim.data && (
        <>
          <Card size="small" title={t('evaluation.sim.matrix')}>
            <Table
              size="small"
              pagination={false}
              rowKey="from"
              dataSource={sim.data.labels.map((from, i) => ({ from, row: sim.data!.matrix[i]! }))}
              columns={[
                { title: 'A \\ B', dataIndex: 'from' },
                ...sim.data.labels.map((l, j) => ({
                  title: l,
                  key: l,
                  render: (_: unknown, r: { row: number[] }) => r.row[j],
                })),
              ]}
            />
          </Card>
          <Card size="small" title={`${t('evaluation.sim.movers')} (${sim.data.moverCount})`}>
            <Table
              size="small"
              rowKey="enterpriseId"
              dataSource={sim.data.movers}
              columns={[
                { title: t('evaluation.result.name'), dataIndex: 'name' },
                { title: t('evaluation.sim.from'), dataIndex: 'from' },
                { title: t('evaluation.sim.to'), dataIndex: 'to' },
                {
                  title: t('evaluation.result.rank'),
                  render: (_, m) => `${m.rankFrom ?? '—'} → ${m.rankTo ?? '—'}`,
                },
              ]}
            />
          </Card>
          <Card size="small" title={t('evaluation.sim.sensitivity')}>
            <Table
              size="small"
              pagination={false}
              rowKey={(r) => `${r.scale}-${r.key}`}
              dataSource={sim.data.sensitivity}
              columns={[
                { title: t('evaluation.result.group'), render: (_, r) => groupLabel(t, r.scale) },
                { title: t('evaluation.explain.indicator'), dataIndex: 'key' },
                { title: t('evaluation.explain.weight'), dataIndex: 'weight' },
                { title: t('evaluation.sim.meanAbs'), render: (_, r) => fmt(r.meanAbsRankChange, 3) },
                { title: t('evaluation.sim.maxAbs'), dataIndex: 'maxAbsRankChange' },
                { title: t('evaluation.sim.classChanges'), dataIndex: 'classChanges' },
              ]}
            />
          </Card>
        </>
      )}
    </Space>
  );
}
