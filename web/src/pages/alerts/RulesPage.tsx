// 预警规则: the rule set in force as an editable table (on/off, level, thresholds, consecutive months), its
// backtest, and before proposing a preview of the change — alerts on the latest month and the backtest of
// both — that says plainly what gets worse. A proposal needs a reason and is an edition: a second
// administrator reviews and publishes it (four eyes), seeing its changes and its backtest.
import { useEffect, useState } from 'react';
import {
  Alert,
  Button,
  Card,
  Input,
  InputNumber,
  Progress,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
  message,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCurrentUser } from '../../api/auth.ts';
import { errorMessage } from '../../api/client.ts';
import { can } from '../../../../src/domain/policy/index.ts';
import type { Rule, RuleSet } from '../../../../src/domain/alerts/types.ts';
import { DEFAULT_CLOSED_SHARE } from '../../../../src/domain/alerts/reporting.ts';
import {
  LEVELS,
  type BacktestView,
  type RuleSetEditionView,
} from '../../../../src/modules/alerts/schemas.ts';
import {
  useBacktest,
  useMoveRuleEdition,
  usePreview,
  useRules,
  useSaveRules,
  useStartBacktest,
} from './api.ts';
import './i18n.ts';

const pct = (v: number | null) => (v == null ? '—' : `${(100 * v).toFixed(1)}%`);

function BacktestTable({ rows }: { rows: { name: string; b: BacktestView }[] }) {
  const { t } = useTranslation();
  const data = rows.flatMap(({ name, b }) => [
    { key: `${name}-all`, name, tier: t('alerts.rulesPage.all'), ...b },
    { key: `${name}-act`, name, tier: t('alerts.rulesPage.actionable'), ...b.actionable },
  ]);
  // the months judged open for reporting, per rule set (a share of its own: the current and a candidate may differ)
  const open = rows.filter(({ b }) => b.openMonths?.length);
  return (
    <>
      <Table
        size="small"
        pagination={false}
        rowKey="key"
        dataSource={data}
        data-testid="backtest-table"
        columns={[
          { title: '', dataIndex: 'name' },
          { title: '', dataIndex: 'tier' },
          { title: t('alerts.rulesPage.recall'), dataIndex: 'recall', render: pct },
          {
            title: t('alerts.rulesPage.lead'),
            dataIndex: 'medianLeadMonths',
            render: (v: number | null) => v ?? '—',
          },
          { title: t('alerts.rulesPage.precision'), dataIndex: 'precision', render: pct },
          { title: t('alerts.rulesPage.firmPrecision'), dataIndex: 'firmPrecision', render: pct },
          { title: t('alerts.rulesPage.alerts'), dataIndex: 'alerts' },
        ]}
      />
      {open.map(({ name, b }) => (
        <Typography.Paragraph
          key={name}
          type="secondary"
          style={{ marginTop: 8, marginBottom: 0 }}
          data-testid="backtest-open-months"
        >
          {rows.length > 1 && `${name} · `}
          {t('alerts.rulesPage.backtestOpen', { months: b.openMonths!.join(', ') })}
        </Typography.Paragraph>
      ))}
    </>
  );
}

const MOVES = ['review', 'publish', 'return', 'withdraw'] as const;

/** Proposals waiting for a second administrator: what they change, their backtest, and the buttons allowed. */
function PendingEditions({
  pending,
  current,
  manage,
}: {
  pending: RuleSetEditionView[];
  current: BacktestView | null;
  manage: boolean;
}) {
  const { t, i18n } = useTranslation();
  const move = useMoveRuleEdition();
  if (!pending.length) return null;
  return (
    <Card size="small" title={t('alerts.rulesPage.pending')} data-testid="rules-pending">
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('alerts.rulesPage.fourEyes')}</Typography.Text>
        {move.error && <Alert type="error" message={errorMessage(move.error, i18n.language)} />}
        {pending.map((e) => (
          <Card
            key={e.id}
            size="small"
            type="inner"
            data-testid={`rules-edition-${e.id}`}
            title={
              <Space wrap>
                <Tag color="processing">{t(`alerts.rulesPage.status.${e.status}`)}</Tag>
                <span>{e.reason}</span>
                <Typography.Text type="secondary">
                  {t('alerts.rulesPage.proposedBy', {
                    name: e.created.name ?? '—',
                    at: (e.submitted.at ?? e.created.at ?? '').slice(0, 16).replace('T', ' '),
                    version: e.body.basedOnVersion,
                  })}
                </Typography.Text>
              </Space>
            }
            extra={
              manage && (
                <Space>
                  {MOVES.filter((a) => e.actions.includes(a)).map((a) => (
                    <Button
                      key={a}
                      size="small"
                      type={a === 'review' || a === 'publish' ? 'primary' : 'default'}
                      loading={move.isPending && move.variables?.id === e.id && move.variables.action === a}
                      onClick={() =>
                        move.mutate(
                          { id: e.id, action: a },
                          { onSuccess: () => void message.success(t('alerts.done')) },
                        )
                      }
                      data-testid={`rules-edition-${a}`}
                    >
                      {t(`alerts.rulesPage.act.${a}`)}
                    </Button>
                  ))}
                </Space>
              )
            }
          >
            <Typography.Text strong>{t('alerts.rulesPage.changes')}</Typography.Text>
            <ul style={{ margin: '4px 0 8px' }}>
              {e.changes.map((c) => (
                <li key={c.path}>
                  <code>{c.path}</code>: {JSON.stringify(c.before)} → {JSON.stringify(c.after)}
                </li>
              ))}
            </ul>
            {e.body.backtest && (
              <BacktestTable
                rows={[
                  ...(current ? [{ name: t('alerts.rulesPage.current'), b: current }] : []),
                  { name: t('alerts.rulesPage.proposal'), b: e.body.backtest },
                ]}
              />
            )}
          </Card>
        ))}
      </Space>
    </Card>
  );
}

export default function RulesPage() {
  const { t, i18n } = useTranslation();
  const user = useCurrentUser();
  const rules = useRules();
  const backtest = useBacktest();
  const startBacktest = useStartBacktest();
  const preview = usePreview();
  const save = useSaveRules();
  const [draft, setDraft] = useState<RuleSet | null>(null);
  const [reason, setReason] = useState('');
  const manage = can(user ?? null, 'alerts.ruleSet', 'manage');
  useEffect(() => {
    if (rules.data && !draft) setDraft(rules.data.current.definition as RuleSet);
  }, [rules.data, draft]);
  const edit = (id: string, change: (r: Rule) => Rule) => {
    setDraft((d) => (d ? { ...d, rules: d.rules.map((r) => (r.id === id ? change(r) : r)) } : d));
    preview.reset();
  };
  const job = backtest.data;
  const bt = job?.result ?? null;
  const busy = job?.status === 'queued' || job?.status === 'running';
  const p = preview.data;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('alerts.rules')} {rules.data && <Tag>v{rules.data.current.version}</Tag>}
        </Typography.Title>
        <Link to="/alerts">{t('alerts.board')}</Link>
      </Space>
      <Typography.Paragraph type="secondary">{t('alerts.rulesPage.intro')}</Typography.Paragraph>
      <Card
        size="small"
        data-testid="backtest-card"
        title={
          bt
            ? t('alerts.rulesPage.backtest', {
                from: bt.from,
                to: bt.to,
                failing: bt.failing,
                truth: t(`alerts.rulesPage.truth.${bt.groundTruth}`),
              })
            : t('alerts.rulesPage.backtestNone')
        }
        extra={
          manage &&
          job &&
          !busy &&
          !(job.status === 'done' && job.current) && (
            <Button
              size="small"
              data-testid="backtest-start"
              loading={startBacktest.isPending}
              onClick={() =>
                startBacktest.mutate(undefined, {
                  onError: (e) => void message.error(errorMessage(e, i18n.language)),
                })
              }
            >
              {job.status === 'none'
                ? t('alerts.rulesPage.backtestRun')
                : t('alerts.rulesPage.backtestRerun')}
            </Button>
          )
        }
        loading={backtest.isLoading}
      >
        {busy && (
          <div data-testid="backtest-progress">
            <Typography.Text type="secondary">
              {job.status === 'queued'
                ? t('alerts.rulesPage.backtestQueued')
                : t('alerts.rulesPage.backtestRunning', { progress: job.progress })}
            </Typography.Text>
            <Progress percent={job.progress} size="small" status="active" />
          </div>
        )}
        {job?.status === 'failed' && (
          <Alert
            type="error"
            showIcon
            message={t('alerts.rulesPage.backtestFailed', { error: job.error ?? '' })}
          />
        )}
        {bt && !job?.current && job?.requested && (
          <Typography.Paragraph type="secondary" data-testid="backtest-stale">
            {t('alerts.rulesPage.backtestStale', {
              at: (job.requested.finishedAt ?? job.requested.at).slice(0, 16).replace('T', ' '),
            })}
          </Typography.Paragraph>
        )}
        {bt && job?.requested && (
          <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
            {t('alerts.rulesPage.backtestBy', {
              name: job.requested.name,
              at: job.requested.at.slice(0, 16).replace('T', ' '),
            })}
          </Typography.Paragraph>
        )}
        {bt && <BacktestTable rows={[{ name: t('alerts.rulesPage.current'), b: bt }]} />}
      </Card>
      {draft && (
        <Table<Rule>
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={draft.rules}
          data-testid="rules-table"
          columns={[
            {
              title: t('alerts.rulesPage.enabled'),
              dataIndex: 'enabled',
              width: 60,
              render: (v: boolean, r) => (
                <Switch
                  size="small"
                  checked={v}
                  disabled={!manage}
                  onChange={(c) => edit(r.id, (x) => ({ ...x, enabled: c }))}
                  data-testid={`rule-enabled-${r.id}`}
                />
              ),
            },
            {
              title: t('alerts.col.rule'),
              dataIndex: 'nameZh',
              render: (_: unknown, r) => (i18n.language === 'en' ? r.nameEn : r.nameZh),
            },
            {
              title: t('alerts.filter.subject'),
              dataIndex: 'subject',
              width: 70,
              render: (v: string) => t(`alerts.subjectKind.${v}`),
            },
            {
              title: t('alerts.col.level'),
              dataIndex: 'level',
              width: 100,
              render: (v: string, r) => (
                <Select
                  size="small"
                  value={v}
                  disabled={!manage}
                  style={{ width: 80 }}
                  options={LEVELS.map((l) => ({ value: l, label: t(`alerts.level.${l}`) }))}
                  onChange={(l) => edit(r.id, (x) => ({ ...x, level: l as Rule['level'] }))}
                />
              ),
            },
            {
              title: t('alerts.rulesPage.value'),
              key: 'conds',
              render: (_: unknown, r) => (
                <Space direction="vertical" size={2}>
                  {r.all.map((c, i) => (
                    <Space key={i} size={4}>
                      <span>
                        {t(`alerts.signal.${c.signal}`)} {c.op}
                      </span>
                      <InputNumber
                        size="small"
                        value={c.value}
                        disabled={!manage}
                        data-testid={`rule-value-${r.id}-${i}`}
                        onChange={(v) =>
                          v != null &&
                          edit(r.id, (x) => ({
                            ...x,
                            all: x.all.map((cc, j) => (j === i ? { ...cc, value: Number(v) } : cc)),
                          }))
                        }
                      />
                    </Space>
                  ))}
                </Space>
              ),
            },
            {
              title: t('alerts.rulesPage.consecutive'),
              dataIndex: 'consecutive',
              width: 90,
              render: (v: number, r) => (
                <InputNumber
                  size="small"
                  min={1}
                  max={12}
                  value={v}
                  disabled={!manage}
                  onChange={(n) => n != null && edit(r.id, (x) => ({ ...x, consecutive: Number(n) }))}
                />
              ),
            },
            {
              title: t('alerts.rulesPage.source'),
              dataIndex: 'source',
              render: (v: string, r) => (
                <Space direction="vertical" size={0}>
                  <Tag color={r.inference ? 'default' : 'green'}>
                    {r.inference ? t('alerts.rulesPage.inference') : t('alerts.rulesPage.sourced')}
                  </Tag>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {v}
                  </Typography.Text>
                </Space>
              ),
            },
          ]}
        />
      )}
      {draft && (
        <Typography.Text type="secondary">
          {t('alerts.rulesPage.deadlines')}:{' '}
          {LEVELS.map((l) => `${t(`alerts.level.${l}`)} ${draft.deadlines[l]}`).join(' · ')}
          {' · '}
          {t('alerts.rulesPage.reportingClosed', {
            share: Math.round((draft.reportingClosed?.share ?? DEFAULT_CLOSED_SHARE) * 100),
          })}
        </Typography.Text>
      )}
      {manage && draft && (
        <Card size="small">
          <Space direction="vertical" style={{ width: '100%' }}>
            <Space wrap>
              <Button
                type="primary"
                loading={preview.isPending}
                onClick={() => preview.mutate(draft)}
                data-testid="rules-preview"
              >
                {t('alerts.rulesPage.preview')}
              </Button>
              <Input
                style={{ width: 360 }}
                placeholder={t('alerts.rulesPage.reasonPlaceholder')}
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                data-testid="rules-reason"
              />
              <Button
                data-testid="rules-save"
                danger={(p?.worse.length ?? 0) > 0}
                disabled={!p || !reason.trim()}
                loading={save.isPending}
                onClick={() =>
                  save.mutate(
                    { definition: draft, reason: reason.trim() },
                    {
                      onSuccess: () => {
                        setReason('');
                        preview.reset();
                        setDraft(null);
                        void message.success(t('alerts.done'));
                      },
                    },
                  )
                }
              >
                {t('alerts.rulesPage.save')}
              </Button>
            </Space>
            {preview.isPending && <Alert type="info" message={t('alerts.rulesPage.computing')} />}
            {(preview.error || save.error) && (
              <Alert type="error" message={errorMessage(preview.error ?? save.error, i18n.language)} />
            )}
            {p && (
              <>
                {p.worse.length ? (
                  <Alert
                    type="warning"
                    showIcon
                    data-testid="rules-worse"
                    message={t('alerts.rulesPage.worse', {
                      list: p.worse
                        .map((w) =>
                          w.startsWith('actionable.')
                            ? `${t('alerts.rulesPage.actionable')}·${t(`alerts.rulesPage.${w.slice(11) === 'lead' ? 'lead' : w.slice(11)}`)}`
                            : t(`alerts.rulesPage.${w}`),
                        )
                        .join('、'),
                    })}
                  />
                ) : (
                  <Alert type="success" showIcon message={t('alerts.rulesPage.notWorse')} />
                )}
                <Typography.Text>
                  {t('alerts.rulesPage.latest', { month: p.month ?? '—' })}：
                  {LEVELS.map(
                    (l) =>
                      `${t(`alerts.level.${l}`)} ${p.latest.current[l] ?? 0} → ${p.latest.candidate[l] ?? 0}`,
                  ).join(' · ')}
                </Typography.Text>
                <BacktestTable
                  rows={[
                    { name: t('alerts.rulesPage.current'), b: p.backtest.current },
                    { name: t('alerts.rulesPage.candidate'), b: p.backtest.candidate },
                  ]}
                />
              </>
            )}
          </Space>
        </Card>
      )}
      {rules.data && <PendingEditions pending={rules.data.pending} current={bt ?? null} manage={manage} />}
      {rules.data && (
        <Card size="small" title={t('alerts.rulesPage.versions')}>
          {rules.data.history.map((h) => (
            <div key={h.version}>
              v{h.version} · {h.createdAt.slice(0, 16).replace('T', ' ')} · {h.createdByName ?? h.source} ·{' '}
              {h.reason}
              {h.backtest &&
                ` · ${t('alerts.rulesPage.recall')} ${pct(h.backtest.actionable.recall)} · ${t('alerts.rulesPage.precision')} ${pct(h.backtest.actionable.precision)}`}
            </div>
          ))}
        </Card>
      )}
    </Space>
  );
}
