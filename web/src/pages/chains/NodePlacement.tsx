// Placement decisions on a node: who decided and when (shown with the basis), and putting an
// enterprise of your scope on the node by hand (an override: "include").
import { useState } from 'react';
import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Input, Select, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/client.ts';
import { useEnterpriseList } from '../../api/enterprises.ts';
import { formatDateTime } from '../../format.ts';
import { useDecision, type NodeEnterprise, type NodePage } from './api.ts';

/** "王五 · 2025-03-01 10:00" under a confirmed or overridden placement, with its note. */
export function DecidedBy({ row }: { row: NodeEnterprise }) {
  if (row.basis === 'auto' || !row.decidedByName) return null;
  return (
    <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid={`decided-by-${row.id}`}>
      {row.decidedByName}
      {row.decidedAt ? ` · ${formatDateTime(row.decidedAt)}` : ''}
      {row.note ? ` · ${row.note}` : ''}
    </Typography.Text>
  );
}

export function AddEnterpriseToNode({
  chainCode,
  nodeCode,
  paging,
}: {
  chainCode: string;
  nodeCode: string;
  /** the page of the node's firms the panel shows: the decision's answer replaces it */
  paging: NodePage;
}) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [q, setQ] = useState('');
  const [id, setId] = useState<number | undefined>();
  const [note, setNote] = useState('');
  const decide = useDecision(chainCode, nodeCode, paging);
  const list = useEnterpriseList({ q: q || undefined, sort: 'name', order: 'asc', page: 1, pageSize: 20 });
  return (
    <Space.Compact style={{ width: '100%', margin: '8px 0 16px' }} data-testid="node-add-enterprise">
      <Select
        showSearch
        filterOption={false}
        onSearch={setQ}
        value={id}
        onChange={setId}
        style={{ width: '55%' }}
        placeholder={t('chains.placement.search')}
        loading={list.isFetching}
        options={(list.data?.items ?? []).map((e) => ({
          value: e.id,
          label: `${e.name}（${e.regionName ?? e.regionCode} · ${e.industryCode}）`,
        }))}
        data-testid="node-add-enterprise-select"
      />
      <Input
        style={{ width: '30%' }}
        placeholder={t('chains.placement.note')}
        value={note}
        maxLength={500}
        onChange={(e) => setNote(e.target.value)}
      />
      <Button
        icon={<PlusOutlined />}
        disabled={!id}
        loading={decide.isPending}
        data-testid="node-add-enterprise-submit"
        onClick={() =>
          id &&
          decide.mutate(
            { id, body: { decision: 'include', ...(note.trim() ? { note: note.trim() } : {}) } },
            {
              onSuccess: () => {
                void message.success(t('chains.decisionSaved'));
                setId(undefined);
                setNote('');
              },
              onError: (e) => void message.error(errorMessage(e, i18n.language)),
            },
          )
        }
      >
        {t('chains.decision.include')}
      </Button>
    </Space.Compact>
  );
}
