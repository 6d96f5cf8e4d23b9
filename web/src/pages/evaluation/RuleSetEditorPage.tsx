// The rule-set editor: pick a version, edit its indicators, weights, benchmark method, missing-data
// rules, cut points, exemptions, adjustments and policy table, preview the class changes on the latest
// year (the simulator's transition matrix), then save a new version with a reason and run it.
import { useMemo, useState } from 'react';
import { Alert, Button, Card, Input, InputNumber, Select, Space, Switch, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { errorMessage } from '../../api/client.ts';
import { ErrorResult } from '../../components/ErrorResult.tsx';
import { PageLoading } from '../../components/PageLoading.tsx';
import { FLAG_KEYS, FLAGS } from '../../../../src/domain/evaluation/flags.ts';
import { INDICATORS } from '../../../../src/domain/evaluation/indicators.ts';
import {
  CLASSES,
  INDICATOR_KEYS,
  POLICY_KINDS,
  type ScaleGroup,
} from '../../../../src/domain/evaluation/types.ts';
import {
  useCreateRun,
  usePreviewRuleSet,
  useRuleSets,
  useSaveRuleSetVersion,
  type Definition,
  type Preview,
  type Run,
} from './api.ts';
import { fmt, groupLabel, ruleSetName } from './labels.ts';

type Adjustment = Definition['adjustments'][number];
type Policy = Definition['policies'][number];
type Exemption = Definition['exemptions'][number];

const flagOptions = FLAG_KEYS.map((k) => ({ value: k, label: FLAGS[k].zh }));
const classOptions = CLASSES.map((c) => ({ value: c, label: c }));

export function RuleSetEditorPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const sets = useRuleSets();
  const preview = usePreviewRuleSet();
  const save = useSaveRuleSetVersion();
  const run = useCreateRun();
  const [baseId, setBaseId] = useState<number>();
  const [draft, setDraft] = useState<Definition | null>(null);
  const [previewed, setPreviewed] = useState<{ json: string; data: Preview } | null>(null);
  const [reason, setReason] = useState('');
  const [saved, setSaved] = useState<{ id: number; version: number; code: string } | null>(null);
  const draftJson = useMemo(() => JSON.stringify(draft), [draft]);
  if (sets.error) return <ErrorResult error={sets.error} />;
  // until the rule sets arrive there is nothing to edit: a spinner, not an empty select
  if (sets.isLoading) return <PageLoading />;
  const items = sets.data?.items ?? [];

  const choose = (id: number) => {
    const row = items.find((s) => s.id === id);
    setBaseId(id);
    setDraft(row ? structuredClone(row.definition) : null);
    setPreviewed(null);
    setSaved(null);
    preview.reset();
    save.reset();
  };
  const edit = (fn: (d: Definition) => void) =>
    setDraft((d) => {
      if (!d) return d;
      const c = structuredClone(d);
      fn(c);
      return c;
    });
  const current = previewed && previewed.json === draftJson ? previewed.data : null;
  const error = preview.error ?? save.error ?? run.error;

  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="rule-set-editor">
      <Space wrap>
        <Select
          style={{ width: 420 }}
          placeholder={t('evaluation.editor.pick')}
          loading={sets.isLoading}
          value={baseId}
          onChange={choose}
          data-testid="rule-set-pick"
          options={items.map((s) => ({
            value: s.id,
            label: `${ruleSetName(s.name, i18n.language)}（${s.code} v${s.version}${s.latest ? '' : ' · ' + t('evaluation.editor.old')}）`,
          }))}
        />
      </Space>
      {draft && (
        <>
          <Card size="small" title={t('evaluation.editor.general')}>
            <Space wrap>
              <Input
                style={{ width: 420 }}
                value={draft.name}
                onChange={(e) => edit((d) => void (d.name = e.target.value))}
                aria-label={t('evaluation.editor.name')}
              />
              <Select
                style={{ width: 200 }}
                value={draft.benchmark.kind}
                aria-label={t('evaluation.editor.benchmark')}
                onChange={(kind) =>
                  edit((d) => {
                    if (kind === 'mean') d.benchmark = { kind, factor: 1 };
                    else if (kind === 'max') d.benchmark = { kind };
                    else if (kind === 'minmax') d.benchmark = { kind, floor: 20 };
                  })
                }
                options={['mean', 'max', 'minmax', 'fixed'].map((k) => ({
                  value: k,
                  label: t(`evaluation.editor.benchmarks.${k}`),
                  disabled: k === 'fixed' && draft.benchmark.kind !== 'fixed',
                }))}
              />
              {draft.benchmark.kind === 'mean' && (
                <InputNumber
                  addonBefore={t('evaluation.editor.factor')}
                  min={0.01}
                  step={0.1}
                  value={draft.benchmark.factor}
                  onChange={(v) => edit((d) => void (d.benchmark = { kind: 'mean', factor: v ?? 1 }))}
                />
              )}
              {draft.benchmark.kind === 'minmax' && (
                <InputNumber
                  addonBefore={t('evaluation.editor.floor')}
                  min={0}
                  max={100}
                  value={draft.benchmark.floor}
                  onChange={(v) => edit((d) => void (d.benchmark = { kind: 'minmax', floor: v ?? 0 }))}
                />
              )}
              <Select
                style={{ width: 260 }}
                value={draft.blanks ?? 'excluded'}
                aria-label={t('evaluation.editor.blanks')}
                onChange={(v) => edit((d) => void (d.blanks = v))}
                options={(['zero', 'excluded'] as const).map((k) => ({
                  value: k,
                  label: t(`evaluation.editor.blanksRule.${k}`),
                }))}
              />
              <Space>
                <Switch
                  checked={draft.zeroTotalIsD ?? false}
                  onChange={(v) => edit((d) => void (d.zeroTotalIsD = v))}
                />
                {t('evaluation.editor.zeroTotalIsD')}
              </Space>
              <Space>
                <Switch
                  checked={draft.aPlus != null}
                  data-testid="rule-set-aplus"
                  onChange={(v) => edit((d) => void (d.aPlus = v ? { share: 0.2 } : undefined))}
                />
                {t('evaluation.editor.aPlus')}
                {draft.aPlus && (
                  <InputNumber
                    min={1}
                    max={99}
                    addonAfter="%"
                    aria-label={t('evaluation.editor.aPlusShare')}
                    value={Math.round(draft.aPlus.share * 100)}
                    onChange={(v) => edit((d) => void (d.aPlus = { share: (v ?? 20) / 100 }))}
                  />
                )}
              </Space>
            </Space>
          </Card>
          {(['above', 'below'] as ScaleGroup[]).map((scale) => (
            <GroupCard key={scale} scale={scale} draft={draft} edit={edit} />
          ))}
          <ListCard<Exemption>
            title={t('evaluation.editor.exemptions')}
            rows={draft.exemptions}
            onAdd={() =>
              edit((d) =>
                d.exemptions.push({ id: `ex-${d.exemptions.length + 1}`, label: '', attribute: 'newFirm' }),
              )
            }
            onRemove={(i) => edit((d) => void d.exemptions.splice(i, 1))}
            columns={[
              {
                title: t('evaluation.editor.label'),
                render: (_, r, i) => (
                  <Input
                    value={r.label}
                    onChange={(e) => edit((d) => void (d.exemptions[i]!.label = e.target.value))}
                  />
                ),
              },
              {
                title: t('evaluation.editor.flag'),
                render: (_, r, i) => (
                  <Select
                    style={{ width: 180 }}
                    value={r.attribute}
                    options={flagOptions}
                    onChange={(v) => edit((d) => void (d.exemptions[i]!.attribute = v))}
                  />
                ),
              },
            ]}
          />
          <AdjustmentsCard draft={draft} edit={edit} />
          <PoliciesCard draft={draft} edit={edit} />
          <Card size="small" title={t('evaluation.editor.previewTitle')}>
            <Space direction="vertical" style={{ width: '100%' }}>
              <Button
                onClick={() =>
                  baseId &&
                  preview.mutate(
                    { id: baseId, definition: draft },
                    { onSuccess: (data) => setPreviewed({ json: draftJson, data }) },
                  )
                }
                loading={preview.isPending}
                data-testid="rule-set-preview"
              >
                {t('evaluation.editor.preview')}
              </Button>
              {previewed && !current && <Alert type="info" message={t('evaluation.editor.stale')} />}
              {current && <PreviewResult data={current} />}
            </Space>
          </Card>
          <Card size="small" title={t('evaluation.editor.saveTitle')}>
            <Space wrap>
              <Input
                style={{ width: 420 }}
                placeholder={t('evaluation.editor.reason')}
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                data-testid="rule-set-reason"
              />
              <Button
                type="primary"
                disabled={!current || reason.trim().length < 2}
                loading={save.isPending}
                data-testid="rule-set-save"
                onClick={() =>
                  baseId &&
                  save.mutate(
                    { id: baseId, definition: draft, reason },
                    { onSuccess: (row) => setSaved({ id: row.id, version: row.version, code: row.code }) },
                  )
                }
              >
                {t('evaluation.editor.save')}
              </Button>
            </Space>
            {!current && (
              <Typography.Paragraph type="secondary">
                {t('evaluation.editor.previewFirst')}
              </Typography.Paragraph>
            )}
            {saved && current && (
              <Space style={{ marginTop: 8 }}>
                <Alert
                  type="success"
                  data-testid="rule-set-saved"
                  message={t('evaluation.editor.saved', { code: saved.code, version: saved.version })}
                />
                <Button
                  loading={run.isPending}
                  data-testid="rule-set-run"
                  onClick={() =>
                    run.mutate(
                      { year: current.year, ruleSetId: saved.id },
                      { onSuccess: (r) => void navigate(`/evaluation/runs/${(r as Run).id}`) },
                    )
                  }
                >
                  {t('evaluation.editor.run', { year: current.year })}
                </Button>
              </Space>
            )}
          </Card>
          {error && <Alert type="error" message={errorMessage(error, i18n.language)} />}
        </>
      )}
    </Space>
  );
}

type Edit = (fn: (d: Definition) => void) => void;

function GroupCard({ scale, draft, edit }: { scale: ScaleGroup; draft: Definition; edit: Edit }) {
  const { t } = useTranslation();
  const g = draft.groups[scale];
  const used = new Set(g.indicators.map((i) => i.key));
  const total = g.indicators.reduce((s, i) => s + i.weight, 0);
  return (
    <Card size="small" title={`${groupLabel(t, scale)} · ${t('evaluation.editor.weightTotal', { total })}`}>
      <Table
        size="small"
        pagination={false}
        rowKey="key"
        dataSource={g.indicators}
        columns={[
          { title: t('evaluation.explain.indicator'), render: (_, r) => INDICATORS[r.key].zh },
          {
            title: t('evaluation.explain.weight'),
            render: (_, r, i) => (
              <InputNumber
                min={0}
                max={1000}
                value={r.weight}
                data-testid={`weight-${scale}-${r.key}`}
                onChange={(v) => edit((d) => void (d.groups[scale].indicators[i]!.weight = v ?? 0))}
              />
            ),
          },
          {
            title: t('evaluation.editor.cap'),
            render: (_, r, i) => (
              <InputNumber
                min={0}
                value={r.cap}
                placeholder={t('evaluation.editor.noCap')}
                onChange={(v) => edit((d) => void (d.groups[scale].indicators[i]!.cap = v ?? null))}
              />
            ),
          },
          {
            title: t('evaluation.editor.missing'),
            render: (_, r, i) => (
              <Select
                style={{ width: 200 }}
                value={r.ifDenominatorMissing}
                onChange={(v) => edit((d) => void (d.groups[scale].indicators[i]!.ifDenominatorMissing = v))}
                options={(['zero', 'groupMeanScore'] as const).map((k) => ({
                  value: k,
                  label: t(`evaluation.editor.missingRule.${k}`),
                }))}
              />
            ),
          },
          {
            title: '',
            render: (_, _r, i) => (
              <Button
                size="small"
                danger
                disabled={g.indicators.length <= 1}
                onClick={() => edit((d) => void d.groups[scale].indicators.splice(i, 1))}
              >
                {t('evaluation.editor.remove')}
              </Button>
            ),
          },
        ]}
      />
      <Space wrap style={{ marginTop: 8 }}>
        <Select
          style={{ width: 220 }}
          placeholder={t('evaluation.editor.addIndicator')}
          value={null}
          options={INDICATOR_KEYS.filter((k) => !used.has(k)).map((k) => ({
            value: k,
            label: INDICATORS[k].zh,
          }))}
          onChange={(k) =>
            k &&
            edit((d) =>
              d.groups[scale].indicators.push({
                key: k,
                weight: 10,
                cap: null,
                ifDenominatorMissing: 'zero',
              }),
            )
          }
        />
        <Select
          style={{ width: 160 }}
          value={g.classification.method}
          onChange={(m) => edit((d) => void (d.groups[scale].classification.method = m))}
          options={(['position', 'score'] as const).map((k) => ({
            value: k,
            label: t(`evaluation.editor.method.${k}`),
          }))}
        />
        {(['A', 'B', 'C'] as const).map((c) => (
          <InputNumber
            key={c}
            addonBefore={c}
            step={g.classification.method === 'position' ? 0.05 : 1}
            value={g.classification.cuts[c]}
            onChange={(v) => edit((d) => void (d.groups[scale].classification.cuts[c] = v ?? 0))}
          />
        ))}
      </Space>
    </Card>
  );
}

function ListCard<T extends object>(props: {
  title: string;
  rows: T[];
  onAdd: () => void;
  onRemove: (i: number) => void;
  columns: { title: string; render: (v: unknown, r: T, i: number) => React.ReactNode }[];
}) {
  const { t } = useTranslation();
  return (
    <Card
      size="small"
      title={props.title}
      extra={
        <Button size="small" onClick={props.onAdd}>
          {t('evaluation.editor.add')}
        </Button>
      }
    >
      <Table<T>
        size="small"
        pagination={false}
        rowKey={(_, i) => String(i)}
        dataSource={props.rows}
        columns={[
          ...props.columns,
          {
            title: '',
            render: (_, _r, i) => (
              <Button size="small" danger onClick={() => props.onRemove(i)}>
                {t('evaluation.editor.remove')}
              </Button>
            ),
          },
        ]}
      />
    </Card>
  );
}

function AdjustmentsCard({ draft, edit }: { draft: Definition; edit: Edit }) {
  const { t } = useTranslation();
  const set = <K extends keyof Adjustment>(i: number, k: K, v: Adjustment[K]) =>
    edit((d) => void (d.adjustments[i]![k] = v));
  return (
    <ListCard<Adjustment>
      title={t('evaluation.editor.adjustments')}
      rows={draft.adjustments}
      onAdd={() =>
        edit((d) =>
          d.adjustments.push({
            id: `adj-${d.adjustments.length + 1}`,
            label: '',
            kind: 'bonus',
            attribute: 'highTech',
            points: 5,
          }),
        )
      }
      onRemove={(i) => edit((d) => void d.adjustments.splice(i, 1))}
      columns={[
        {
          title: t('evaluation.editor.label'),
          render: (_, r, i) => <Input value={r.label} onChange={(e) => set(i, 'label', e.target.value)} />,
        },
        {
          title: t('evaluation.editor.kind'),
          render: (_, r, i) => (
            <Select
              style={{ width: 120 }}
              value={r.kind}
              onChange={(v) => set(i, 'kind', v)}
              options={(['bonus', 'penalty', 'veto', 'protect'] as const).map((k) => ({
                value: k,
                label: t(`evaluation.editor.kinds.${k}`),
              }))}
            />
          ),
        },
        {
          title: t('evaluation.editor.flag'),
          render: (_, r, i) => (
            <Select
              style={{ width: 180 }}
              value={r.attribute}
              onChange={(v) => set(i, 'attribute', v)}
              options={
                flagOptions.some((o) => o.value === r.attribute)
                  ? flagOptions
                  : [...flagOptions, { value: r.attribute, label: r.attribute }]
              }
            />
          ),
        },
        {
          title: t('evaluation.editor.points'),
          render: (_, r, i) =>
            r.kind === 'bonus' || r.kind === 'penalty' ? (
              <InputNumber value={r.points} onChange={(v) => set(i, 'points', v ?? 0)} />
            ) : (
              <Select
                style={{ width: 80 }}
                value={r.classLimit}
                options={classOptions}
                onChange={(v) => set(i, 'classLimit', v)}
              />
            ),
        },
      ]}
    />
  );
}

function PoliciesCard({ draft, edit }: { draft: Definition; edit: Edit }) {
  const { t } = useTranslation();
  const set = <K extends keyof Policy>(i: number, k: K, v: Policy[K]) =>
    edit((d) => void (d.policies[i]![k] = v));
  return (
    <ListCard<Policy>
      title={t('evaluation.editor.policies')}
      rows={draft.policies}
      onAdd={() =>
        edit((d) =>
          d.policies.push({
            id: `policy-${d.policies.length + 1}`,
            class: 'D',
            kind: 'other',
            value: 0,
            unit: '',
            label: '',
          }),
        )
      }
      onRemove={(i) => edit((d) => void d.policies.splice(i, 1))}
      columns={[
        {
          title: t('evaluation.editor.class'),
          render: (_, r, i) => (
            <Select
              style={{ width: 70 }}
              value={r.class}
              options={classOptions}
              onChange={(v) => set(i, 'class', v)}
            />
          ),
        },
        {
          title: t('evaluation.editor.kind'),
          render: (_, r, i) => (
            <Select
              style={{ width: 150 }}
              value={r.kind}
              onChange={(v) => set(i, 'kind', v)}
              options={POLICY_KINDS.map((k) => ({
                value: k,
                label: t(`evaluation.editor.policyKinds.${k}`),
              }))}
            />
          ),
        },
        {
          title: t('evaluation.editor.label'),
          render: (_, r, i) => <Input value={r.label} onChange={(e) => set(i, 'label', e.target.value)} />,
        },
        {
          title: t('evaluation.editor.value'),
          render: (_, r, i) => <InputNumber value={r.value} onChange={(v) => set(i, 'value', v ?? 0)} />,
        },
        {
          title: t('evaluation.editor.unit'),
          render: (_, r, i) => (
            <Input style={{ width: 110 }} value={r.unit} onChange={(e) => set(i, 'unit', e.target.value)} />
          ),
        },
        {
          title: t('evaluation.editor.years'),
          render: (_, r, i) => (
            <InputNumber
              min={1}
              value={r.consecutiveYears}
              onChange={(v) => set(i, 'consecutiveYears', v ?? undefined)}
            />
          ),
        },
        {
          title: t('evaluation.editor.rate'),
          render: (_, r, i) =>
            r.kind === 'land_tax_relief' ? (
              <InputNumber min={0} value={r.rate} onChange={(v) => set(i, 'rate', v ?? undefined)} />
            ) : (
              '—'
            ),
        },
        {
          title: t('evaluation.editor.source'),
          render: (_, r, i) => (
            <Input
              style={{ width: 200 }}
              value={r.source}
              title={r.source}
              onChange={(e) => set(i, 'source', e.target.value || undefined)}
            />
          ),
        },
      ]}
    />
  );
}

function PreviewResult({ data }: { data: Preview }) {
  const { t } = useTranslation();
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="rule-set-preview-result">
      <Typography.Text>
        {t('evaluation.editor.previewOf', {
          year: data.year,
          base: `${data.base.code} v${data.base.version}`,
          movers: data.moverCount,
        })}
      </Typography.Text>
      <Table
        size="small"
        pagination={false}
        rowKey="from"
        data-testid="rule-set-matrix"
        dataSource={data.labels.map((from, i) => ({ from, row: data.matrix[i]! }))}
        columns={[
          { title: t('evaluation.editor.fromTo'), dataIndex: 'from' },
          ...data.labels.map((l, j) => ({
            title: l,
            key: l,
            render: (_: unknown, r: { row: number[] }) => r.row[j],
          })),
        ]}
      />
      <Table
        size="small"
        rowKey="enterpriseId"
        pagination={{ pageSize: 10 }}
        dataSource={data.movers}
        columns={[
          { title: t('evaluation.result.name'), dataIndex: 'name' },
          { title: t('evaluation.sim.from'), dataIndex: 'from' },
          { title: t('evaluation.sim.to'), dataIndex: 'to' },
          {
            title: t('evaluation.explain.total'),
            render: (_, m) => `${fmt(m.totalFrom)} → ${fmt(m.totalTo)}`,
          },
        ]}
      />
    </Space>
  );
}
