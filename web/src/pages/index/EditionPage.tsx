// One edition: the method in words and formulas, dimensions and indicators with sources (inferences
// marked), gates, the sensitivity table, the workflow buttons (four eyes) and the downloads.
import { Alert, Button, Card, Descriptions, Input, List, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { can } from '../../../../src/domain/policy/index.ts';
import { methodLines } from '../../../../src/modules/cluster-index/schemas.ts';
import { useCurrentUser } from '../../api/auth.ts';
import { ApiError } from '../../api/client.ts';
import { useEdition, useRecompute, useTransition } from './api.ts';
import { fmt } from './escape.ts';
import { DraftEditor } from './DraftEditor.tsx';
import { DownloadLink } from '../../components/DownloadButton.tsx';

type Move = 'submit' | 'return' | 'review' | 'publish' | 'withdraw';
const GRANT: Record<Move, 'submit' | 'review' | 'publish' | 'manage'> = {
  submit: 'submit',
  review: 'review',
  publish: 'publish',
  return: 'review',
  withdraw: 'manage',
};

export function EditionPage() {
  const { t, i18n } = useTranslation();
  const id = Number(useParams().id);
  const user = useCurrentUser();
  const edition = useEdition(id);
  const move = useTransition(id);
  const recompute = useRecompute(id);
  const [note, setNote] = useState('');
  const e = edition.data;
  if (!e) return null;
  const fw = e.body.framework;
  const problem = [move.error, recompute.error].find((x) => x instanceof ApiError) as ApiError | undefined;
  const moves = e.actions.filter(
    (a): a is Move => a !== 'edit' && can(user, 'index.edition', GRANT[a as Move]),
  );
  const download = (ext: string, q = '') => `/api/index/editions/${e.id}/export.${ext}${q}`;
  return (
    <div data-testid="index-edition">
      <Space wrap style={{ marginBottom: 12 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('clusterIndex.editionN', { v: e.version })} · {e.title}
        </Typography.Title>
        <span data-testid="index-edition-status">
          <Tag color={e.status === 'published' ? 'green' : 'orange'}>
            {t(`clusterIndex.status.${e.status}`)}
          </Tag>
        </span>
        {e.id === e.currentId && <Tag color="blue">{t('clusterIndex.current')}</Tag>}
        <Link to={`/index?edition=${e.id}`}>{t('clusterIndex.tabs.overview')}</Link>
      </Space>
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label="">
          {t('clusterIndex.stamps', {
            c: `${e.created.name ?? '—'} ${e.created.at?.slice(0, 16) ?? ''}`,
            s: `${e.submitted.name ?? '—'} ${e.submitted.at?.slice(0, 16) ?? ''}`,
            r: `${e.reviewed.name ?? '—'} ${e.reviewed.at?.slice(0, 16) ?? ''}`,
            p: `${e.published.name ?? '—'} ${e.published.at?.slice(0, 16) ?? ''}`,
          })}
        </Descriptions.Item>
        {e.reason && <Descriptions.Item label={t('clusterIndex.reason')}>{e.reason}</Descriptions.Item>}
        {e.note && <Descriptions.Item label={t('clusterIndex.note')}>{e.note}</Descriptions.Item>}
        {e.computations.map((c) => (
          <Descriptions.Item key={c.frequency} label="">
            {t('clusterIndex.computed', {
              f: t(`clusterIndex.frequency.${c.frequency}`),
              at: c.computedAt.slice(0, 16),
              through: c.dataThrough ?? '—',
              runs: c.runs,
            })}
          </Descriptions.Item>
        ))}
      </Descriptions>
      {(moves.length > 0 || (e.status === 'draft' && can(user, 'index.edition', 'manage'))) && (
        <Space wrap style={{ marginTop: 12 }}>
          {moves.map((a) => (
            <Button
              key={a}
              type={a === 'publish' || a === 'review' || a === 'submit' ? 'primary' : 'default'}
              danger={a === 'withdraw'}
              loading={move.isPending}
              data-testid={`index-action-${a}`}
              onClick={() => move.mutate({ action: a, note: note || undefined })}
            >
              {t(`clusterIndex.actions.${a}`)}
            </Button>
          ))}
          {e.status === 'draft' && can(user, 'index.edition', 'manage') && (
            <Button loading={recompute.isPending} onClick={() => recompute.mutate()}>
              {t('clusterIndex.actions.recompute')}
            </Button>
          )}
          {(moves.includes('return') || moves.includes('withdraw')) && (
            <Input
              placeholder={t('clusterIndex.note')}
              value={note}
              onChange={(x) => setNote(x.target.value)}
              style={{ width: 240 }}
            />
          )}
        </Space>
      )}
      {problem && (
        <Alert
          style={{ marginTop: 8 }}
          type="error"
          message={
            i18n.language === 'en'
              ? problem.problem.detail
              : (problem.problem.detailZh ?? problem.problem.detail)
          }
        />
      )}
      {e.status === 'draft' && can(user, 'index.edition', 'manage') && <DraftEditor key={e.id} edition={e} />}
      <Card size="small" title={t('clusterIndex.downloads')} style={{ marginTop: 12 }}>
        <Space wrap>
          <DownloadLink url={download('xlsx')} data-testid="index-download-xlsx">
            xlsx
          </DownloadLink>
          <DownloadLink url={download('csv', '?frequency=year&level=cluster')}>
            CSV（{t('clusterIndex.cluster')}）
          </DownloadLink>
          <DownloadLink url={download('csv', '?frequency=year&level=county')}>
            CSV（{t('clusterIndex.county')}）
          </DownloadLink>
          <DownloadLink url={download('json')}>JSON</DownloadLink>
        </Space>
      </Card>
      <Card
        size="small"
        title={t('clusterIndex.method')}
        style={{ marginTop: 12 }}
        data-testid="index-method"
      >
        {methodLines(e).map((line, i) => (
          <Typography.Paragraph key={i} style={{ marginBottom: 6 }}>
            {line}
          </Typography.Paragraph>
        ))}
      </Card>
      {e.changes.length > 0 && (
        <Card size="small" title={t('clusterIndex.changes')} style={{ marginTop: 12 }}>
          <List
            size="small"
            dataSource={e.changes}
            renderItem={(c) => (
              <List.Item>
                <Typography.Text code>{c.path}</Typography.Text>: {JSON.stringify(c.before)} →{' '}
                {JSON.stringify(c.after)}
              </List.Item>
            )}
          />
        </Card>
      )}
      <Card size="small" title={t('clusterIndex.indicators')} style={{ marginTop: 12 }}>
        <Table
          size="small"
          rowKey="key"
          pagination={false}
          dataSource={fw.indicators}
          columns={[
            {
              title: t('clusterIndex.dimension'),
              key: 'd',
              render: (_, i) => {
                const d = fw.dimensions.find((x) => x.key === i.dimension);
                return d ? `${d.name}（${fmt(d.weight * 100, 0)}%）` : i.dimension;
              },
            },
            { title: t('clusterIndex.indicator'), dataIndex: 'name' },
            { title: '', dataIndex: 'unit' },
            { title: t('clusterIndex.base'), dataIndex: 'base', align: 'right' },
            { title: t('clusterIndex.target'), dataIndex: 'target', align: 'right' },
            { title: t('clusterIndex.weight'), dataIndex: 'weight', align: 'right' },
            {
              title: t('clusterIndex.source'),
              key: 's',
              render: (_, i) => (
                <>
                  {i.source} {i.inference && <Tag color="gold">{t('clusterIndex.inference')}</Tag>}
                </>
              ),
            },
          ]}
        />
        <Typography.Title level={5} style={{ marginTop: 12 }}>
          {t('clusterIndex.gates')}
        </Typography.Title>
        <List
          size="small"
          dataSource={fw.gates}
          renderItem={(g) => (
            <List.Item>
              {g.name}：{g.anyOf.map((c) => `${c.metric} ${c.op} ${c.threshold}`).join(' 或 ')} — {g.source}{' '}
              {g.inference && <Tag color="gold">{t('clusterIndex.inference')}</Tag>}
            </List.Item>
          )}
        />
      </Card>
      {e.computations.map((c) => (
        <Card
          key={c.frequency}
          size="small"
          style={{ marginTop: 12 }}
          title={`${t('clusterIndex.sensitivity')} · ${t(`clusterIndex.frequency.${c.frequency}`)}`}
        >
          <Table
            size="small"
            pagination={false}
            rowKey={(r) => `${r.level}|${r.factor}`}
            dataSource={Object.entries(c.sensitivity).flatMap(([level, rows]) =>
              rows.map((r) => ({ ...r, level })),
            )}
            columns={[
              {
                title: '',
                dataIndex: 'level',
                render: (v: string) => t(`clusterIndex.${v === 'cluster' ? 'cluster' : 'county'}`),
              },
              {
                title: t('clusterIndex.factor'),
                dataIndex: 'factor',
                render: (v: string) =>
                  v.startsWith('weight:')
                    ? `${t('clusterIndex.weight')}：${fw.dimensions.find((d) => `weight:${d.key}` === v)?.name ?? v}`
                    : v,
              },
              {
                title: t('clusterIndex.firstOrder'),
                dataIndex: 'firstOrder',
                align: 'right',
                render: (v: number) => fmt(v, 3),
              },
              {
                title: t('clusterIndex.shift'),
                dataIndex: 'meanAbsRankShift',
                align: 'right',
                render: (v: number) => fmt(v, 2),
              },
            ]}
          />
        </Card>
      ))}
      <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
        {fw.sources.map((s) => `[${s.id}] ${s.title}`).join('；')}
      </Typography.Paragraph>
    </div>
  );
}
