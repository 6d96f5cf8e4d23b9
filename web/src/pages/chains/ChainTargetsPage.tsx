// 招商目标库: the chain's target enterprises (firms outside the city that could fill or strengthen a
// node), filtered by node and contact status (kept in the URL). Administrators and the chain's cluster
// agency add and edit them; the roadmap ranks them under their node's gap.
import { useState } from 'react';
import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
  type TableProps,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { useParams, useSearchParams } from 'react-router';
import { useCurrentUser } from '../../api/auth.ts';
import { errorMessage } from '../../api/client.ts';
import { formatDateTime, formatMoney, MISSING } from '../../format.ts';
import './i18n.ts';
import {
  CONTACT_STATUSES,
  SIZE_CLASSES,
  useChain,
  type NodeView,
  type Target,
  type TargetCreate,
} from './api.ts';
import { ChainPageHeader } from './ChainLinks.tsx';
import { useDeleteTarget, useSaveTarget, useTargets } from './editApi.ts';
import { changed, orNull, showServerErrors } from './formErrors.ts';
import { canEditRoadmap } from './permissions.ts';

export const CONTACT_COLOUR: Record<Target['contactStatus'], string> = {
  none: 'default',
  contacted: 'blue',
  visited: 'cyan',
  negotiating: 'orange',
  signed: 'green',
  declined: 'red',
};

const isUrl = (s: string) => /^https?:\/\//i.test(s);

export default function ChainTargetsPage() {
  const { t, i18n } = useTranslation();
  const { code = '' } = useParams();
  const [search, setSearch] = useSearchParams();
  const user = useCurrentUser();
  const chain = useChain(code);
  const targets = useTargets(code);
  const [editing, setEditing] = useState<null | { target?: Target }>(null);
  const { message } = App.useApp();
  const remove = useDeleteTarget(code);
  const editor = canEditRoadmap(user, chain.data?.clusterCode);
  const nodes = chain.data?.nodes ?? [];
  const nodeName = (c: string) => nodes.find((n) => n.code === c)?.name ?? c;
  const nodeFilter = search.get('node');
  const contactFilter = search.get('contact');
  const setParam = (key: string, value: string | null | undefined) => {
    const next = new URLSearchParams(search);
    if (value) next.set(key, value);
    else next.delete(key);
    setSearch(next, { replace: true });
  };
  const rows = (targets.data ?? []).filter(
    (x) =>
      (!nodeFilter || x.nodeCode === nodeFilter) && (!contactFilter || x.contactStatus === contactFilter),
  );

  const columns: TableProps<Target>['columns'] = [
    { key: 'name', title: t('chains.fields.name'), dataIndex: 'name' },
    {
      key: 'node',
      title: t('chains.fields.node'),
      dataIndex: 'nodeCode',
      render: (c: string) => nodeName(c),
    },
    {
      key: 'hq',
      title: t('chains.fields.headquarters'),
      dataIndex: 'headquarters',
      render: (v: string | null) => v ?? MISSING,
    },
    {
      key: 'size',
      title: t('chains.fields.sizeClass'),
      dataIndex: 'sizeClass',
      render: (v: string | null) => (v ? t(`chains.size.${v}`, { defaultValue: v }) : MISSING),
    },
    {
      key: 'revenue',
      title: t('chains.targets.revenue'),
      dataIndex: 'revenue',
      align: 'right',
      render: (v: number | null) => formatMoney(v, t),
    },
    {
      key: 'contact',
      title: t('chains.fields.contactStatus'),
      dataIndex: 'contactStatus',
      render: (s: Target['contactStatus']) => <Tag color={CONTACT_COLOUR[s]}>{t(`chains.contact.${s}`)}</Tag>,
    },
    {
      key: 'expanding',
      title: t('chains.fields.expanding'),
      dataIndex: 'expanding',
      render: (v: boolean) => (v ? <Tag color="green">{t('common.yes')}</Tag> : t('common.no')),
    },
    {
      key: 'source',
      title: t('chains.fields.source'),
      dataIndex: 'source',
      ellipsis: true,
      render: (v: string | null) =>
        !v ? (
          MISSING
        ) : isUrl(v) ? (
          <a href={v} target="_blank" rel="noreferrer noopener">
            {v}
          </a>
        ) : (
          v
        ),
    },
    {
      key: 'note',
      title: t('chains.targets.note'),
      dataIndex: 'note',
      ellipsis: true,
      render: (v: string | null) => v ?? MISSING,
    },
    {
      key: 'updated',
      title: t('chains.targets.updatedAt'),
      dataIndex: 'updatedAt',
      width: 160,
      render: (v: string) => formatDateTime(v),
    },
    ...(editor
      ? [
          {
            key: 'ops',
            title: '',
            width: 96,
            render: (_: unknown, x: Target) => (
              <Space size={4}>
                <Button
                  size="small"
                  icon={<EditOutlined />}
                  aria-label={t('chains.targets.edit')}
                  data-testid={`target-edit-${x.id}`}
                  onClick={() => setEditing({ target: x })}
                />
                <Popconfirm
                  title={t('chains.targets.deleteConfirm', { name: x.name })}
                  onConfirm={() =>
                    remove.mutate(x.id, {
                      onSuccess: () => void message.success(t('chains.edit.deleted')),
                      onError: (err) => void message.error(errorMessage(err, i18n.language)),
                    })
                  }
                  okText={t('common.yes')}
                  cancelText={t('common.no')}
                  okButtonProps={{ 'data-testid': `target-delete-confirm-${x.id}` }}
                >
                  <Button
                    size="small"
                    danger
                    icon={<DeleteOutlined />}
                    aria-label={t('chains.targets.delete')}
                    data-testid={`target-delete-${x.id}`}
                  />
                </Popconfirm>
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      <ChainPageHeader
        code={code}
        page="targets"
        chainName={chain.data?.name}
        extra={
          editor && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setEditing({})}
              disabled={!nodes.length}
              data-testid="target-add"
            >
              {t('chains.roadmap.addTarget')}
            </Button>
          )
        }
      />
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          placeholder={t('chains.targets.allNodes')}
          style={{ width: 220 }}
          value={nodeFilter ?? undefined}
          onChange={(v?: string) => setParam('node', v)}
          options={nodes.map((n) => ({ value: n.code, label: n.name }))}
          data-testid="target-filter-node"
        />
        <Select
          allowClear
          placeholder={t('chains.targets.allContacts')}
          style={{ width: 160 }}
          value={contactFilter ?? undefined}
          onChange={(v?: string) => setParam('contact', v)}
          options={CONTACT_STATUSES.map((s) => ({ value: s, label: t(`chains.contact.${s}`) }))}
          data-testid="target-filter-contact"
        />
        <Typography.Text type="secondary">
          {t('chains.targets.count', { shown: rows.length, total: targets.data?.length ?? 0 })}
        </Typography.Text>
      </Space>
      {targets.isError && <Alert type="error" showIcon title={errorMessage(targets.error, i18n.language)} />}
      <Table<Target>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={rows}
        loading={targets.isLoading}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('chains.roadmap.noTargets') }}
        data-testid="chain-targets"
      />
      {editing && (
        <TargetModal
          code={code}
          nodes={nodes}
          target={editing.target}
          defaultNode={nodeFilter}
          onClose={() => setEditing(null)}
        />
      )}
    </>
  );
}

const FIELDS = [
  'name',
  'headquarters',
  'nodeCode',
  'sizeClass',
  'revenue',
  'contactStatus',
  'expanding',
  'source',
  'note',
] as const;
interface Values {
  name: string;
  headquarters?: string | null;
  nodeCode: string;
  sizeClass?: Target['sizeClass'] | null;
  revenue?: number | null;
  contactStatus: Target['contactStatus'];
  expanding: boolean;
  source?: string | null;
  note?: string | null;
}

export function TargetModal({
  code,
  nodes,
  target,
  defaultNode,
  onClose,
}: {
  code: string;
  nodes: NodeView[];
  target?: Target;
  defaultNode?: string | null;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [generalError, setGeneralError] = useState<string | null>(null);
  const save = useSaveTarget(code);
  // the nodes that are gaps first: that is where targets are wanted
  const options = [...nodes]
    .sort((a, b) => Number(a.status === 'ok') - Number(b.status === 'ok'))
    .map((n) => ({
      value: n.code,
      label: n.status === 'ok' ? n.name : `${n.name}（${t(`chains.status.${n.status}`)}）`,
    }));

  const onFinish = (v: Values) => {
    setGeneralError(null);
    const fields = {
      name: v.name.trim(),
      headquarters: orNull(v.headquarters),
      nodeCode: v.nodeCode,
      sizeClass: (v.sizeClass ?? null) as TargetCreate['sizeClass'] & Target['sizeClass'],
      revenue: v.revenue ?? null,
      contactStatus: v.contactStatus,
      expanding: v.expanding,
      source: orNull(v.source),
      note: orNull(v.note),
    };
    const body = target ? changed(fields, target) : fields;
    if (target && Object.keys(body).length === 0) return onClose();
    save.mutate(
      { id: target?.id, body: body as TargetCreate },
      {
        onSuccess: () => {
          void message.success(t('chains.edit.saved'));
          onClose();
        },
        onError: (e) => setGeneralError(showServerErrors(form, e, FIELDS, i18n.language)),
      },
    );
  };

  return (
    <Modal
      open
      title={target ? t('chains.targets.edit') : t('chains.roadmap.addTarget')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={save.isPending}
      width={640}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'target-save' }}
    >
      {generalError && (
        <Alert
          type="error"
          showIcon
          title={generalError}
          style={{ marginBottom: 16 }}
          data-testid="form-error"
        />
      )}
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={onFinish}
        initialValues={
          target
            ? { ...target }
            : {
                contactStatus: 'none',
                expanding: false,
                nodeCode: defaultNode ?? options[0]?.value,
              }
        }
      >
        <Form.Item
          name="name"
          label={t('chains.fields.name')}
          rules={[{ required: true, whitespace: true, min: 2, message: t('chains.targets.nameRule') }]}
        >
          <Input maxLength={200} data-testid="target-name" />
        </Form.Item>
        <Form.Item name="nodeCode" label={t('chains.fields.node')} rules={[{ required: true }]}>
          <Select showSearch optionFilterProp="label" options={options} data-testid="target-node" />
        </Form.Item>
        <Form.Item name="headquarters" label={t('chains.fields.headquarters')}>
          <Input maxLength={100} data-testid="target-hq" />
        </Form.Item>
        <Space size="large" wrap>
          <Form.Item name="sizeClass" label={t('chains.fields.sizeClass')}>
            <Select
              allowClear
              style={{ width: 140 }}
              options={SIZE_CLASSES.map((s) => ({ value: s, label: t(`chains.size.${s}`) }))}
            />
          </Form.Item>
          <Form.Item name="revenue" label={t('chains.fields.revenue')}>
            <InputNumber min={0} style={{ width: 180 }} data-testid="target-revenue" />
          </Form.Item>
          <Form.Item name="contactStatus" label={t('chains.fields.contactStatus')}>
            <Select
              style={{ width: 140 }}
              options={CONTACT_STATUSES.map((s) => ({ value: s, label: t(`chains.contact.${s}`) }))}
              data-testid="target-contact"
            />
          </Form.Item>
          <Form.Item name="expanding" label={t('chains.fields.expanding')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Space>
        <Form.Item name="source" label={t('chains.fields.source')} extra={t('chains.targets.sourceHint')}>
          <Input maxLength={500} />
        </Form.Item>
        <Form.Item name="note" label={t('chains.targets.note')}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
