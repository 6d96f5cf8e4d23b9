// 修订记录: the chain's edits, newest first — administrators' edits of the chain (its fields, nodes,
// edges), config syncs, and target enterprises and chain projects added, edited or deleted: who, when,
// what, and the fields changed as before → after.
import { Alert, Space, Table, Tag, Typography, type TableProps } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { errorMessage } from '../../api/client.ts';
import { formatDateTime, formatMoney, MISSING } from '../../format.ts';
import './i18n.ts';
import { useChain, type ChainDetail } from './api.ts';
import { ChainPageHeader } from './ChainLinks.tsx';
import { useChainHistory, useTargets, type HistoryEntry } from './editApi.ts';
import { historyChanges } from './historyDiff.ts';

const FIELD_LABEL: Record<string, string> = {
  code: 'chains.edit.code',
  name: 'chains.fields.name',
  nameEn: 'chains.edit.nameEn',
  stage: 'chains.fields.stage',
  industryCodes: 'chains.fields.industryCodes',
  keyProducts: 'chains.fields.keyProducts',
  description: 'chains.edit.description',
  knownEnterprises: 'chains.fields.knownEnterprises',
  proposed: 'chains.proposed',
  edges: 'chains.history.edgesRemoved',
  from: 'chains.edit.from',
  to: 'chains.edit.to',
  // target enterprises and chain projects
  kind: 'chains.fields.kind',
  nodeCode: 'chains.fields.node',
  headquarters: 'chains.fields.headquarters',
  sizeClass: 'chains.fields.sizeClass',
  revenue: 'chains.targets.revenue',
  contactStatus: 'chains.fields.contactStatus',
  expanding: 'chains.fields.expanding',
  owner: 'chains.fields.owner',
  investmentProjectId: 'chains.projects.investmentProject',
  targetEnterpriseId: 'chains.projects.targetEnterprise',
  source: 'chains.fields.source',
  note: 'chains.targets.note',
};

/** A project's stage is its progress (idea … operating), not a node's place in the chain. */
const fieldLabel = (field: string, action: string) =>
  field === 'stage' && action.startsWith('project.') ? 'chains.fields.projectStage' : FIELD_LABEL[field];

/** Fields in the order of the forms (from before to); others after them. */
const ORDER = Object.keys(FIELD_LABEL);
const fieldOrder = (f: string) => (ORDER.includes(f) ? ORDER.indexOf(f) : ORDER.length);

const ACTION_COLOUR: Record<string, string> = { create: 'green', update: 'blue', delete: 'red' };

interface Names {
  t: TFunction;
  nodeName: (c: string) => string;
  targetName: (id: number) => string;
  /** the entry is a chain project's */
  project: boolean;
}

/** Codes of the target and project fields, shown by their labels. */
const CODE_LABELS: Record<string, string> = {
  contactStatus: 'chains.contact',
  sizeClass: 'chains.size',
  kind: 'chains.action',
};

function valueText(field: string, v: unknown, names: Names): string {
  const { t, nodeName } = names;
  if (v === null || v === undefined || v === '') return MISSING;
  if (typeof v === 'boolean') return v ? t('common.yes') : t('common.no');
  if (field === 'stage' && typeof v === 'string')
    return t(`${names.project ? 'chains.projectStage' : 'chains.stage'}.${v}`, { defaultValue: v });
  if ((field === 'from' || field === 'to' || field === 'nodeCode') && typeof v === 'string')
    return nodeName(v);
  if (CODE_LABELS[field] && typeof v === 'string')
    return t(`${CODE_LABELS[field]}.${v}`, { defaultValue: v });
  if (field === 'revenue' && typeof v === 'number') return formatMoney(v, t);
  if (field === 'targetEnterpriseId' && typeof v === 'number') return names.targetName(v);
  if (field === 'investmentProjectId' && typeof v === 'number') return `#${v}`;
  if (Array.isArray(v))
    return v.length ? v.map((x) => valueText(`${field}[]`, x, names)).join('、') : MISSING;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.from === 'string' && typeof o.to === 'string')
      return `${nodeName(o.from)} → ${nodeName(o.to)}`;
    if (typeof o.name === 'string') return o.name;
    return JSON.stringify(v);
  }
  return String(v);
}

/** 'node.create' → 'create'; 'update' (the chain itself) → 'update'. */
const verb = (action: string) => action.split('.').pop() ?? action;

function subject(e: HistoryEntry, chain: ChainDetail | undefined, t: TFunction): string {
  const nodeName = (c: string) => chain?.nodes.find((n) => n.code === c)?.name ?? c;
  if (e.action.startsWith('edge.') && e.entityKey?.includes('>')) {
    const [from = '', to = ''] = e.entityKey.split('>');
    return `${nodeName(from)} → ${nodeName(to)}`;
  }
  const named = [e.after, e.before].find(
    (x): x is { name: string } =>
      typeof x === 'object' && x !== null && typeof (x as { name?: unknown }).name === 'string',
  );
  if (e.action.startsWith('node.') && e.entityKey) {
    return `${named?.name ?? nodeName(e.entityKey)}（${e.entityKey}）`;
  }
  for (const kind of ['target', 'project'] as const)
    if (e.action.startsWith(`${kind}.`))
      return `${t(`chains.history.${kind}`)} ${named?.name ?? `#${e.entityKey}`}`;
  return chain?.name ?? t('chains.history.theChain');
}

export default function ChainHistoryPage() {
  const { t, i18n } = useTranslation();
  const { code = '' } = useParams();
  const chain = useChain(code);
  const history = useChainHistory(code);
  const targets = useTargets(code);
  const nodeName = (c: string) => chain.data?.nodes.find((n) => n.code === c)?.name ?? c;
  // a deleted target is named by its history entries
  const targetName = (id: number) => {
    const known = targets.data?.find((x) => x.id === id)?.name;
    if (known) return known;
    for (const h of history.data ?? [])
      if (h.action.startsWith('target.') && h.entityKey === String(id)) {
        const row = (h.after ?? h.before) as { name?: unknown } | null;
        if (typeof row?.name === 'string') return row.name;
      }
    return `#${id}`;
  };
  const rows = [...(history.data ?? [])].reverse();

  const columns: TableProps<HistoryEntry>['columns'] = [
    {
      key: 'at',
      title: t('chains.history.at'),
      dataIndex: 'at',
      width: 170,
      render: (at: string) => formatDateTime(at),
    },
    {
      key: 'who',
      title: t('chains.history.who'),
      dataIndex: 'username',
      width: 120,
      render: (u: string | null) => u ?? MISSING,
    },
    {
      key: 'action',
      title: t('chains.history.action'),
      dataIndex: 'action',
      width: 130,
      render: (a: string) => (
        <Tag color={ACTION_COLOUR[verb(a)]}>
          {t(`chains.history.actions.${a.replace('.', '_')}`, { defaultValue: a })}
        </Tag>
      ),
    },
    {
      key: 'subject',
      title: t('chains.history.subject'),
      render: (_: unknown, e) => subject(e, chain.data, t),
    },
    {
      key: 'changes',
      title: t('chains.history.changes'),
      render: (_: unknown, e) => {
        const changes = historyChanges(e.before, e.after).sort(
          (a, b) => fieldOrder(a.field) - fieldOrder(b.field),
        );
        if (!changes.length) return MISSING;
        const v = verb(e.action);
        const names: Names = { t, nodeName, targetName, project: e.action.startsWith('project.') };
        return (
          <ul style={{ margin: 0, paddingLeft: 16 }}>
            {changes.map((c) => (
              <li key={c.field}>
                <Typography.Text type="secondary">
                  {fieldLabel(c.field, e.action) ? t(fieldLabel(c.field, e.action)!) : c.field}：
                </Typography.Text>
                {v === 'create' ? (
                  valueText(c.field, c.after, names)
                ) : v === 'delete' ? (
                  <Typography.Text delete>{valueText(c.field, c.before, names)}</Typography.Text>
                ) : (
                  <>
                    <Typography.Text delete type="secondary">
                      {valueText(c.field, c.before, names)}
                    </Typography.Text>
                    {' → '}
                    <Typography.Text strong>{valueText(c.field, c.after, names)}</Typography.Text>
                  </>
                )}
              </li>
            ))}
          </ul>
        );
      },
    },
  ];

  return (
    <>
      <ChainPageHeader code={code} page="history" chainName={chain.data?.name} />
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          {t('chains.history.hint')}
        </Typography.Paragraph>
        {history.isError && (
          <Alert type="error" showIcon title={errorMessage(history.error, i18n.language)} />
        )}
        <Table<HistoryEntry>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={rows}
          loading={history.isLoading}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          locale={{ emptyText: t('chains.history.empty') }}
          data-testid="chain-history"
        />
      </Space>
    </>
  );
}
