// 县域考核 (issue 16 items 6–7): the assessment of a year as a versioned edition — ranking within size
// tiers with 先进单位, 红黑榜 of the process indicators, the ±5-point weight sensitivity (how robust the
// ranking is before it is published), the monthly process view and the scheme. Drafting, submitting,
// reviewing and publishing are offered only as the policy and four eyes allow.
import { PageLoading } from '../../components/PageLoading.tsx';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import {
  Alert,
  App,
  Button,
  Descriptions,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { useCurrentUser } from '../../api/auth.ts';
import { ErrorResult } from '../../components/ErrorResult.tsx';
import { can } from '../../permissions.ts';
import { pickerYears, useDataYear } from '../../data-year.ts';
import type { AssessmentEdition } from '../../../../src/modules/assessment/schemas.ts';
import { STATUS_ZH } from '../../../../src/domain/editions/index.ts';
import {
  fmt,
  useAssessment,
  useAssessments,
  useAssessmentYears,
  useCreateAssessment,
  useMoveAssessment,
  useProcess,
  useRecompute,
  useUpdateAssessment,
} from './api.ts';
import { SchemeEditor } from './SchemeEditor.tsx';
import { useLocalName } from '../../names.ts';
import '../platforms/i18n.ts';
import { DownloadLink } from '../../components/DownloadButton.tsx';

export default function AssessmentPage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const { message } = App.useApp();
  const list = useAssessments();
  const [id, setId] = useState<number | null>(null);
  useEffect(() => {
    if (id === null && list.data?.items.length) {
      const published = list.data.items.find((e) => e.status === 'published');
      setId((published ?? list.data.items[0]!).id);
    }
  }, [id, list.data]);
  const e = useAssessment(id);
  const create = useCreateAssessment();
  const move = useMoveAssessment();
  const recompute = useRecompute();
  const mayDraft = can(user, 'assessment.edition', 'manage');
  // a new draft's year: the facts' latest full year (the clock's last year only without facts); offered
  // beside the other years with facts and the years of the editions listed, not a window off the clock
  const years = useAssessmentYears(mayDraft);
  const [draftYear, setDraftYear] = useDataYear(years);
  const draftYears = pickerYears(
    [...(years.data?.years ?? []), ...(list.data?.items ?? []).map((x) => x.year)],
    draftYear,
  );
  const [reason, setReason] = useState('');
  const [asking, setAsking] = useState(false);

  if (list.error) return <ErrorResult error={list.error} onRetry={() => void list.refetch()} />;
  if (e.error) return <ErrorResult error={e.error} onRetry={() => void e.refetch()} />;
  const ed = e.data;

  const act = async (action: string) => {
    try {
      await move.mutateAsync({ id: ed!.id, action });
      void message.success(t(`assessment.actions.${action}`));
    } catch (err) {
      void message.error(err instanceof Error ? err.message : String(err));
    }
  };

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('assessment.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('assessment.intro')}</Typography.Paragraph>
      <Space wrap>
        <Select
          style={{ minWidth: 360 }}
          placeholder={t('assessment.edition')}
          value={id ?? undefined}
          onChange={setId}
          loading={list.isLoading}
          data-testid="assessment-edition"
          options={(list.data?.items ?? []).map((x) => ({
            value: x.id,
            label: `${x.title} · ${t('assessment.version', { v: x.version })} · ${STATUS_ZH[x.status]}`,
          }))}
        />
        {mayDraft && (
          <>
            <Select
              value={draftYear}
              onChange={setDraftYear}
              loading={draftYear === undefined}
              data-testid="assessment-draft-year"
              options={draftYears.map((y) => ({ value: y, label: y }))}
            />
            <Button
              onClick={() => setAsking(true)}
              loading={create.isPending}
              disabled={draftYear === undefined}
              data-testid="assessment-new"
            >
              {t('assessment.newDraft', { year: draftYear ?? '…' })}
            </Button>
          </>
        )}
        {ed?.actions.map((a) =>
          a === 'edit' ? (
            <Button key={a} onClick={() => recompute.mutate(ed.id)} loading={recompute.isPending}>
              {t('assessment.recompute')}
            </Button>
          ) : (
            <Button key={a} onClick={() => void act(a)} data-testid={`assessment-${a}`}>
              {t(`assessment.actions.${a}`)}
            </Button>
          ),
        )}
        {ed && can(user, 'assessment.edition', 'export') && (
          <DownloadLink url={`/api/assessment/editions/${ed.id}/export.xlsx`}>
            {t('assessment.xlsx')}
          </DownloadLink>
        )}
      </Space>
      <Modal
        open={asking}
        title={t('assessment.newDraft', { year: draftYear })}
        onCancel={() => setAsking(false)}
        onOk={async () => {
          try {
            if (draftYear === undefined) return;
            const made = await create.mutateAsync({ year: draftYear, reason: reason || undefined });
            setId(made.id);
            setAsking(false);
          } catch (err) {
            void message.error(err instanceof Error ? err.message : String(err));
          }
        }}
      >
        <Input.TextArea
          placeholder={t('assessment.reason')}
          value={reason}
          onChange={(x) => setReason(x.target.value)}
        />
      </Modal>
      {!list.isLoading && !list.data?.items.length && <Alert type="info" message={t('assessment.none')} />}
      {(list.isLoading || e.isLoading) && <PageLoading />}
      {ed && <EditionView ed={ed} />}
    </Space>
  );
}

function EditionView({ ed }: { ed: AssessmentEdition }) {
  const { t } = useTranslation();
  return (
    <>
      <Typography.Text type="secondary" data-testid="assessment-meta">
        {ed.title} · {t('assessment.version', { v: ed.version })} · {STATUS_ZH[ed.status]}
        {ed.published.at ? ` · ${ed.published.name} ${ed.published.at.slice(0, 10)}` : ''} ·{' '}
        {t('assessment.throughMonth', { year: ed.year, m: ed.throughMonth ?? '—' })}
        {ed.reason ? ` · ${t('assessment.reason')}：${ed.reason}` : ''}
      </Typography.Text>
      <Tabs
        items={[
          { key: 'ranking', label: t('assessment.tabs.ranking'), children: <Ranking ed={ed} /> },
          { key: 'lists', label: t('assessment.tabs.lists'), children: <Lists lists={ed.redBlack} /> },
          { key: 'sensitivity', label: t('assessment.tabs.sensitivity'), children: <Sensitivity ed={ed} /> },
          { key: 'process', label: t('assessment.tabs.process'), children: <Process year={ed.year} /> },
          { key: 'scheme', label: t('assessment.tabs.scheme'), children: <Scheme ed={ed} /> },
        ]}
      />
    </>
  );
}

function Ranking({ ed }: { ed: AssessmentEdition }) {
  const { t } = useTranslation();
  const localName = useLocalName();
  return (
    <Table
      rowKey="regionCode"
      size="small"
      pagination={false}
      dataSource={ed.ranking}
      scroll={{ x: 900 }}
      data-testid="assessment-ranking"
      columns={[
        {
          title: t('assessment.county'),
          render: (_, r) =>
            r.detail ? (
              <Link
                to={`/assessment/${ed.id}/counties/${r.regionCode}`}
                data-testid={`county-${r.regionCode}`}
              >
                {localName(r.name)}
              </Link>
            ) : (
              localName(r.name)
            ),
        },
        { title: t('assessment.tier'), dataIndex: 'tier' },
        ...ed.scheme.dimensions.map((d) => ({
          title: `${d.nameZh}（${d.weight}）`,
          align: 'right' as const,
          render: (_: unknown, r: AssessmentEdition['ranking'][number]) =>
            fmt(r.dimensions.find((x) => x.key === d.key)?.contribution),
        })),
        { title: t('assessment.total'), align: 'right', render: (_, r) => <b>{fmt(r.total)}</b> },
        { title: t('assessment.rank'), dataIndex: 'rank', align: 'right' },
        {
          title: t('assessment.range', { d: ed.delta }),
          align: 'right',
          render: (_, r) =>
            r.sensitivity.best === r.sensitivity.worst
              ? r.rank
              : `${r.sensitivity.best}–${r.sensitivity.worst}`,
        },
        {
          title: '',
          render: (_, r) => (
            <Space>
              {r.advanced && <Tag color="gold">{t('assessment.advanced')}</Tag>}
              {r.vetoed && <Tag color="red">{t('assessment.vetoed')}</Tag>}
            </Space>
          ),
        },
      ]}
    />
  );
}

function Lists({ lists }: { lists: AssessmentEdition['redBlack'] }) {
  const { t } = useTranslation();
  const localName = useLocalName();
  return (
    <Table
      rowKey="indicator"
      size="small"
      pagination={false}
      dataSource={lists}
      data-testid="assessment-lists"
      columns={[
        { title: t('assessment.indicator'), dataIndex: 'nameZh' },
        {
          title: t('assessment.red'),
          render: (_, l) =>
            l.red.length
              ? l.red.map((x) => (
                  <Tag color="red" key={x.regionCode}>{`${localName(x.name)} ${fmt(x.value)}${l.unit}`}</Tag>
                ))
              : t('assessment.noEntry'),
        },
        {
          title: t('assessment.black'),
          render: (_, l) =>
            l.black.length
              ? l.black.map((x) => (
                  <Tag
                    color="default"
                    key={x.regionCode}
                  >{`${localName(x.name)} ${fmt(x.value)}${l.unit}`}</Tag>
                ))
              : t('assessment.noEntry'),
        },
      ]}
    />
  );
}

function Sensitivity({ ed }: { ed: AssessmentEdition }) {
  const { t } = useTranslation();
  const localName = useLocalName();
  const base = new Map(ed.ranking.map((r) => [r.regionCode, r.rank]));
  return (
    <>
      <Typography.Paragraph type="secondary">{t('assessment.robust', { d: ed.delta })}</Typography.Paragraph>
      <Table
        rowKey={(s) => `${s.dimension}${s.change}`}
        size="small"
        pagination={false}
        dataSource={ed.sensitivity}
        scroll={{ x: 900 }}
        data-testid="assessment-sensitivity"
        columns={[
          { title: t('assessment.dimension'), dataIndex: 'nameZh' },
          { title: t('assessment.change'), render: (_, s) => (s.change > 0 ? `+${s.change}` : s.change) },
          {
            title: t('assessment.weights'),
            render: (_, s) =>
              ed.scheme.dimensions.map((d) => `${d.nameZh} ${fmt(s.weights[d.key], 1)}`).join(' / '),
          },
          ...ed.ranking.map((r) => ({
            title: localName(r.name),
            align: 'right' as const,
            render: (_: unknown, s: AssessmentEdition['sensitivity'][number]) => {
              const rank = s.ranks[r.regionCode];
              const moved = rank !== base.get(r.regionCode);
              return (
                <span
                  style={moved ? { background: '#fff1b8', padding: '0 4px' } : undefined}
                  data-moved={moved ? '1' : undefined}
                >
                  {rank}
                </span>
              );
            },
          })),
        ]}
      />
    </>
  );
}

function Process({ year }: { year: number }) {
  const { t } = useTranslation();
  const localName = useLocalName();
  const [month, setMonth] = useState<number | undefined>();
  const q = useProcess(year, month);
  if (q.error) return <ErrorResult error={q.error} onRetry={() => void q.refetch()} />;
  const p = q.data;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space>
        {t('assessment.month')}
        <Select
          style={{ width: 100 }}
          value={month ?? p?.month ?? undefined}
          onChange={setMonth}
          options={Array.from({ length: 12 }, (_, i) => ({ value: i + 1, label: `1–${i + 1}月` }))}
        />
        <Typography.Text type="secondary">{t('assessment.processNote')}</Typography.Text>
      </Space>
      <Table
        rowKey="regionCode"
        size="small"
        loading={q.isLoading}
        pagination={false}
        dataSource={p?.counties ?? []}
        data-testid="assessment-process"
        columns={[
          { title: t('assessment.county'), key: 'name', render: (_, r) => localName(r.name) },
          ...(p?.indicators ?? []).map((i) => ({
            title: `${i.nameZh}（${i.unit}）`,
            align: 'right' as const,
            render: (_: unknown, c: NonNullable<typeof p>['counties'][number]) => fmt(c.values[i.key]),
          })),
        ]}
      />
      {p && <Lists lists={p.redBlack} />}
    </Space>
  );
}

function Scheme({ ed }: { ed: AssessmentEdition }) {
  const { t } = useTranslation();
  const localName = useLocalName();
  const [editing, setEditing] = useState(false);
  const rows = ed.scheme.dimensions.flatMap((d) =>
    d.indicators.map((i) => ({ ...i, dim: `${d.nameZh}（${d.weight}）` })),
  );
  const countyName = (code: string) => localName(ed.ranking.find((r) => r.regionCode === code)?.name ?? code);
  if (editing) return <SchemeEditor ed={ed} onDone={() => setEditing(false)} />;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Typography.Text data-testid="scheme-version">
          {t('assessment.scheme.title', { v: ed.scheme.version })} ·{' '}
          {t(`assessment.scheme.${ed.scheme.ranking === 'citywide' ? 'citywide' : 'tiers'}`)}
        </Typography.Text>
        {ed.actions.includes('edit') && (
          <Button onClick={() => setEditing(true)} data-testid="scheme-edit">
            {t('assessment.scheme.edit')}
          </Button>
        )}
      </Space>
      <Typography.Text>{t('assessment.formula')}</Typography.Text>
      <Table
        rowKey="key"
        size="small"
        pagination={false}
        dataSource={rows}
        data-testid="scheme-table"
        columns={[
          { title: t('assessment.dimension'), dataIndex: 'dim' },
          { title: t('assessment.indicator'), dataIndex: 'nameZh' },
          {
            title: t('assessment.scheme.indWeight'),
            render: (_, i) => i.weight ?? t('assessment.scheme.equal'),
          },
          { title: t('assessment.base'), render: (_, i) => `${i.base}${i.unit}` },
          { title: t('assessment.target'), render: (_, i) => `${i.target}${i.unit}` },
          {
            title: t('assessment.scheme.countyLines'),
            render: (_, i) =>
              Object.entries(i.counties ?? {})
                .map(([c, l]) => `${countyName(c)} ${l.base}→${l.target}`)
                .join('；'),
          },
          {
            title: t('assessment.provenance'),
            render: (_, i) => `${i.basis} · ${i.source.split(' · ').map(localName).join(' · ')}`,
          },
        ]}
      />
      {ed.actions.includes('edit') && <AdjustmentEditor ed={ed} />}
      {ed.adjustments.length > 0 && (
        <Descriptions size="small" bordered column={1} title={t('assessment.adjustments')}>
          {ed.adjustments.map((a, k) => (
            <Descriptions.Item
              key={k}
              label={localName(ed.ranking.find((r) => r.regionCode === a.regionCode)?.name ?? a.regionCode)}
            >
              {a.kind === 'veto' ? t('assessment.vetoed') : `${a.kind === 'bonus' ? '+' : '−'}${a.points}`} ·{' '}
              {a.reason}
            </Descriptions.Item>
          ))}
        </Descriptions>
      )}
      {ed.scheme.note && <Typography.Paragraph type="secondary">{ed.scheme.note}</Typography.Paragraph>}
    </Space>
  );
}

/** 加扣分 and 一票否决 of a draft: each with its county, points and reason; saving computes the draft again. */
function AdjustmentEditor({ ed }: { ed: AssessmentEdition }) {
  const { t } = useTranslation();
  const localName = useLocalName();
  const { message } = App.useApp();
  const update = useUpdateAssessment();
  const [regionCode, setRegion] = useState<string>();
  const [kind, setKind] = useState<'bonus' | 'penalty' | 'veto'>('bonus');
  const [points, setPoints] = useState<number>(1);
  const [reason, setReason] = useState('');
  const save = async (adjustments: AssessmentEdition['adjustments']) => {
    try {
      await update.mutateAsync({ id: ed.id, adjustments });
    } catch (err) {
      void message.error(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="assessment-adjustments">
      <Typography.Text strong>{t('assessment.adjustments')}</Typography.Text>
      {ed.adjustments.map((a, k) => (
        <Space key={k}>
          {localName(ed.ranking.find((r) => r.regionCode === a.regionCode)?.name ?? a.regionCode)} ·{' '}
          {a.kind === 'veto' ? t('assessment.vetoed') : `${a.kind === 'bonus' ? '+' : '−'}${a.points}`} ·{' '}
          {a.reason}
          <Button
            size="small"
            type="link"
            danger
            onClick={() => void save(ed.adjustments.filter((_, j) => j !== k))}
          >
            ×
          </Button>
        </Space>
      ))}
      <Space wrap>
        <Select
          style={{ minWidth: 120 }}
          placeholder={t('assessment.county')}
          value={regionCode}
          onChange={setRegion}
          options={ed.ranking.map((r) => ({ value: r.regionCode, label: localName(r.name) }))}
        />
        <Select
          value={kind}
          onChange={setKind}
          options={[
            { value: 'bonus', label: '加分' },
            { value: 'penalty', label: '扣分' },
            { value: 'veto', label: '一票否决' },
          ]}
        />
        {kind !== 'veto' && (
          <InputNumber min={0} max={10} value={points} onChange={(v) => setPoints(v ?? 0)} />
        )}
        <Input
          style={{ width: 260 }}
          placeholder={t('assessment.reasonItem')}
          value={reason}
          onChange={(x) => setReason(x.target.value)}
        />
        <Button
          loading={update.isPending}
          disabled={!regionCode || reason.trim().length < 2}
          onClick={() =>
            void save([
              ...ed.adjustments,
              {
                regionCode: regionCode!,
                kind,
                points: kind === 'veto' ? 0 : points,
                reason: reason.trim(),
                ...(kind === 'veto' && ed.scheme.vetoItems[0] ? { item: ed.scheme.vetoItems[0].key } : {}),
              },
            ])
          }
        >
          {t('assessment.addAdjustment')}
        </Button>
      </Space>
    </Space>
  );
}
