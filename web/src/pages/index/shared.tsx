// Pieces the index pages share: which edition is shown, the edition picker, gate tags, the drill-down.
import { useState } from 'react';
import { Alert, Button, Drawer, Select, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { can } from '../../../../src/domain/policy/index.ts';
import { useCurrentUser } from '../../api/auth.ts';
import { useEditions, useFirms, type IndexEdition, type ResultRow, type Frequency } from './api.ts';
import { fmt } from './escape.ts';
import { useLocalName } from '../../names.ts';

/** The edition a page shows: `?edition=` or the edition in force (else the newest visible one). */
export function useShownEdition(): { id: number | null; set: (id: number) => void; loading: boolean } {
  const [params, setParams] = useSearchParams();
  const editions = useEditions();
  const fromUrl = Number(params.get('edition')) || null;
  const id = fromUrl ?? editions.data?.currentId ?? editions.data?.items[0]?.id ?? null;
  return {
    id,
    loading: editions.isLoading,
    set: (next) =>
      setParams((p) => {
        p.set('edition', String(next));
        return p;
      }),
  };
}

export function EditionPicker({ value, onChange }: { value: number | null; onChange: (id: number) => void }) {
  const { t } = useTranslation();
  const editions = useEditions();
  return (
    <Select
      style={{ minWidth: 240 }}
      value={value ?? undefined}
      onChange={onChange}
      data-testid="index-edition-picker"
      options={(editions.data?.items ?? []).map((e) => ({
        value: e.id,
        label: `${t('clusterIndex.editionN', { v: e.version })} · ${t(`clusterIndex.status.${e.status}`)}${
          e.id === editions.data?.currentId ? ` · ${t('clusterIndex.current')}` : ''
        }`,
      }))}
    />
  );
}

export function GateTags({ row, edition }: { row: ResultRow; edition: IndexEdition }) {
  const { t } = useTranslation();
  return (
    <Space size={2} wrap>
      {row.gates.map((g) => {
        const def = edition.body.framework.gates.find((x) => x.key === g.key);
        const color = g.pass === true ? 'green' : g.pass === false ? 'red' : 'default';
        const word =
          g.pass === true
            ? t('clusterIndex.gatePass')
            : g.pass === false
              ? t('clusterIndex.gateFail')
              : t('clusterIndex.gateUnknown');
        return (
          <Tag key={g.key} color={color}>
            {def?.name ?? g.key}：{word}
          </Tag>
        );
      })}
    </Space>
  );
}

/** The indicators of one unit (raw, normalised, weight, contribution) and, for who may, its firms. */
export function DrillDown({
  edition,
  row,
  frequency,
  onClose,
}: {
  edition: IndexEdition;
  row: ResultRow | null;
  frequency: Frequency;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const localName = useLocalName();
  const user = useCurrentUser();
  const [showFirms, setShowFirms] = useState(false);
  const mayFirms = can(user, 'index.firms', 'read');
  const firms = useFirms(
    edition.id,
    row && showFirms
      ? { frequency, period: row.period, cluster: row.clusterCode, region: row.regionCode ?? undefined }
      : null,
  );
  const fw = edition.body.framework;
  return (
    <Drawer
      open={row !== null}
      onClose={() => {
        setShowFirms(false);
        onClose();
      }}
      width={860}
      title={
        row
          ? `${localName(row.clusterName)}${row.regionName ? ` · ${localName(row.regionName)}` : ''} · ${row.period}`
          : ''
      }
    >
      {row && (
        <div data-testid="index-drilldown">
          <Typography.Paragraph>
            {t('clusterIndex.score')} {fmt(row.score)} · {t('clusterIndex.rank')} {row.rank ?? '—'} ·{' '}
            {t('clusterIndex.rankBand')} {fmt(row.p5Rank, 0)}–{fmt(row.p95Rank, 0)} ·{' '}
            {t('clusterIndex.firms')} {row.firms}
          </Typography.Paragraph>
          {row.suppressed && <Alert type="info" message={t('clusterIndex.suppressed', { n: fw.minFirms })} />}
          <Table
            size="small"
            pagination={false}
            rowKey="key"
            dataSource={row.indicators}
            columns={[
              {
                title: t('clusterIndex.dimension'),
                key: 'dim',
                render: (_, c) => {
                  const ind = fw.indicators.find((i) => i.key === c.key);
                  return fw.dimensions.find((d) => d.key === ind?.dimension)?.name ?? '';
                },
              },
              {
                title: t('clusterIndex.indicator'),
                key: 'name',
                render: (_, c) => fw.indicators.find((i) => i.key === c.key)?.name ?? c.key,
              },
              {
                title: t('clusterIndex.raw'),
                key: 'raw',
                align: 'right',
                render: (_, c) =>
                  `${fmt(c.raw, 2)} ${fw.indicators.find((i) => i.key === c.key)?.unit ?? ''}`,
              },
              {
                title: t('clusterIndex.normalised'),
                key: 'n',
                align: 'right',
                render: (_, c) => (
                  <>
                    {fmt(c.normalised)} {c.imputed && <Tag>{t('clusterIndex.imputed')}</Tag>}
                  </>
                ),
              },
              {
                title: t('clusterIndex.weight'),
                key: 'w',
                align: 'right',
                render: (_, c) => `${fmt(c.weight * 100)}%`,
              },
              {
                title: t('clusterIndex.contribution'),
                key: 'c',
                align: 'right',
                render: (_, c) => fmt(c.contribution, 2),
              },
            ]}
          />
          <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
            {t('clusterIndex.sourceNote')} {t('clusterIndex.editionN', { v: edition.version })}
          </Typography.Paragraph>
          {mayFirms && !showFirms && (
            <Button onClick={() => setShowFirms(true)} data-testid="index-show-firms">
              {t('clusterIndex.showFirms')}
            </Button>
          )}
          {showFirms && firms.data && (
            <>
              <Typography.Title level={5}>
                {t('clusterIndex.firmsBehind', { shown: firms.data.shown, total: firms.data.total })}
              </Typography.Title>
              <Table
                size="small"
                rowKey="enterpriseId"
                dataSource={firms.data.items}
                pagination={{ pageSize: 20 }}
                columns={[
                  { title: t('clusterIndex.firmName'), dataIndex: 'name' },
                  ...(['revenue', 'taxPaid', 'landMu', 'valueAdded', 'rdExpense'] as const).map((k) => ({
                    title: t(`clusterIndex.${k}`),
                    key: k,
                    align: 'right' as const,
                    render: (_: unknown, f: (typeof firms.data.items)[number]) =>
                      fmt(f.figures[k] as number | null),
                  })),
                  {
                    title: t('clusterIndex.tiered'),
                    key: 'tiered',
                    render: (_: unknown, f: (typeof firms.data.items)[number]) =>
                      f.figures.tiered ? '✓' : '',
                  },
                  {
                    title: t('clusterIndex.evaluationClass'),
                    key: 'cls',
                    render: (_: unknown, f: (typeof firms.data.items)[number]) =>
                      (f.figures.evaluationClass as string | null) ?? '—',
                  },
                ]}
              />
            </>
          )}
        </div>
      )}
    </Drawer>
  );
}
