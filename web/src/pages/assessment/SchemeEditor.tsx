// 考核方案编辑 (issue 16 item 6): on a draft, an administrator or analyst edits the scheme the draft
// carries — dimension weights (must sum to 100), indicator weights, 基数值/目标值, per-county lines
// (counties compared on progress against their own base) and the ranking mode. Saving computes the draft
// again; the server checks the scheme the same way (schemeProblems) and audits the change; the edited
// scheme becomes the one in force only when a second person reviews and publishes the edition.
import { useState } from 'react';
import { Alert, App, Button, InputNumber, Select, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AssessmentEdition } from '../../../../src/modules/assessment/schemas.ts';
import { useUpdateAssessment } from './api.ts';

type SchemeBody = AssessmentEdition['scheme'];
type Ind = SchemeBody['dimensions'][number]['indicators'][number];

/** The same checks as the server's (weights sum to 100; each line's target differs from its base in the right direction). */
export function schemeIssues(s: SchemeBody, t: (k: string, o?: Record<string, unknown>) => string): string[] {
  const out: string[] = [];
  const total = s.dimensions.reduce((a, d) => a + d.weight, 0);
  if (Math.abs(total - 100) > 1e-9) out.push(t('assessment.scheme.sum', { total }));
  for (const d of s.dimensions)
    for (const i of d.indicators)
      for (const [who, l] of [['', i] as const, ...Object.entries(i.counties ?? {})]) {
        const bad = l.base === l.target || (i.direction === 'higher') !== l.target > l.base;
        if (bad) out.push(t('assessment.scheme.line', { name: i.nameZh, who }));
      }
  return out;
}

export function SchemeEditor({ ed, onDone }: { ed: AssessmentEdition; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const update = useUpdateAssessment();
  const [s, setS] = useState<SchemeBody>(() => structuredClone(ed.scheme));
  const [lineKey, setLineKey] = useState<string>();
  const [lineCounty, setLineCounty] = useState<string>();
  const [lineBase, setLineBase] = useState<number | null>(null);
  const [lineTarget, setLineTarget] = useState<number | null>(null);
  const issues = schemeIssues(s, t);
  const total = s.dimensions.reduce((a, d) => a + d.weight, 0);
  const setInd = (key: string, patch: Partial<Ind>) =>
    setS((x) => ({
      ...x,
      dimensions: x.dimensions.map((d) => ({
        ...d,
        indicators: d.indicators.map((i) => (i.key === key ? { ...i, ...patch } : i)),
      })),
    }));
  const setDimWeight = (key: string, weight: number) =>
    setS((x) => ({ ...x, dimensions: x.dimensions.map((d) => (d.key === key ? { ...d, weight } : d)) }));
  const rows = s.dimensions.flatMap((d) => d.indicators.map((i) => ({ ...i, dim: d.nameZh })));
  const countyName = (code: string) => ed.ranking.find((r) => r.regionCode === code)?.name ?? code;
  const save = async () => {
    try {
      await update.mutateAsync({ id: ed.id, scheme: s });
      void message.success(t('assessment.scheme.saved'));
      onDone();
    } catch (err) {
      void message.error(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="scheme-editor">
      <Typography.Text strong>{t('assessment.scheme.title', { v: ed.scheme.version })}</Typography.Text>
      <Space wrap>
        {s.dimensions.map((d) => (
          <span key={d.key}>
            {d.nameZh}{' '}
            <InputNumber
              min={0}
              max={100}
              value={d.weight}
              onChange={(v) => setDimWeight(d.key, v ?? 0)}
              data-testid={`scheme-weight-${d.key}`}
            />
          </span>
        ))}
        <Typography.Text
          type={Math.abs(total - 100) > 1e-9 ? 'danger' : 'secondary'}
          data-testid="scheme-sum"
        >
          {t('assessment.scheme.total', { total })}
        </Typography.Text>
        {t('assessment.scheme.ranking')}
        <Select
          value={s.ranking ?? 'tiers'}
          onChange={(v) => setS((x) => ({ ...x, ranking: v }))}
          options={[
            { value: 'tiers', label: t('assessment.scheme.tiers') },
            { value: 'citywide', label: t('assessment.scheme.citywide') },
          ]}
        />
      </Space>
      <Table
        rowKey="key"
        size="small"
        pagination={false}
        dataSource={rows}
        scroll={{ x: 900 }}
        columns={[
          { title: t('assessment.dimension'), dataIndex: 'dim' },
          { title: t('assessment.indicator'), render: (_, i) => `${i.nameZh}（${i.unit}）` },
          {
            title: t('assessment.scheme.indWeight'),
            render: (_, i) => (
              <InputNumber
                min={0}
                max={100}
                placeholder={t('assessment.scheme.equal')}
                value={i.weight ?? null}
                onChange={(v) => setInd(i.key, { weight: v ?? undefined })}
              />
            ),
          },
          {
            title: t('assessment.base'),
            render: (_, i) => (
              <InputNumber
                value={i.base}
                onChange={(v) => setInd(i.key, { base: v ?? 0 })}
                data-testid={`scheme-base-${i.key}`}
              />
            ),
          },
          {
            title: t('assessment.target'),
            render: (_, i) => (
              <InputNumber
                value={i.target}
                onChange={(v) => setInd(i.key, { target: v ?? 0 })}
                data-testid={`scheme-target-${i.key}`}
              />
            ),
          },
          {
            title: t('assessment.scheme.countyLines'),
            render: (_, i) =>
              Object.entries(i.counties ?? {}).map(([code, l]) => (
                <div key={code}>
                  {countyName(code)} {l.base} → {l.target}{' '}
                  <Button
                    size="small"
                    type="link"
                    danger
                    onClick={() => {
                      const rest = { ...(i.counties ?? {}) };
                      delete rest[code];
                      setInd(i.key, { counties: Object.keys(rest).length ? rest : undefined });
                    }}
                  >
                    ×
                  </Button>
                </div>
              )),
          },
        ]}
      />
      <Space wrap>
        {t('assessment.scheme.addLine')}
        <Select
          style={{ minWidth: 200 }}
          placeholder={t('assessment.indicator')}
          value={lineKey}
          onChange={setLineKey}
          options={rows.map((i) => ({ value: i.key, label: i.nameZh }))}
        />
        <Select
          style={{ minWidth: 120 }}
          placeholder={t('assessment.county')}
          value={lineCounty}
          onChange={setLineCounty}
          options={ed.ranking.map((r) => ({ value: r.regionCode, label: r.name }))}
        />
        <InputNumber placeholder={t('assessment.base')} value={lineBase} onChange={setLineBase} />
        <InputNumber placeholder={t('assessment.target')} value={lineTarget} onChange={setLineTarget} />
        <Button
          disabled={!lineKey || !lineCounty || lineBase == null || lineTarget == null}
          onClick={() => {
            const i = rows.find((x) => x.key === lineKey)!;
            setInd(i.key, {
              counties: { ...(i.counties ?? {}), [lineCounty!]: { base: lineBase!, target: lineTarget! } },
            });
          }}
        >
          {t('assessment.scheme.add')}
        </Button>
      </Space>
      {issues.length > 0 && (
        <Alert type="error" data-testid="scheme-issues" message={issues.join('；')} showIcon />
      )}
      <Typography.Text type="secondary">{t('assessment.scheme.fourEyes')}</Typography.Text>
      <Space>
        <Button
          type="primary"
          disabled={issues.length > 0}
          loading={update.isPending}
          onClick={() => void save()}
          data-testid="scheme-save"
        >
          {t('assessment.scheme.save')}
        </Button>
        <Button onClick={onDone}>{t('assessment.scheme.cancel')}</Button>
      </Space>
    </Space>
  );
}
