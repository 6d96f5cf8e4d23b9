// 链结构: the chain's nodes (name, stage, industry codes, key products, description) and edges
// (from → to). Administrators add, edit and delete them here; everyone else reads the same lists. Every
// change is kept in the chain's history and refreshes the map at once (the chain's queries are
// invalidated). The server's validation messages appear on the fields they concern.
import { useState, type HTMLAttributes } from 'react';
import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
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
import { useNavigate, useParams } from 'react-router';
import { useCurrentUser } from '../../api/auth.ts';
import { errorMessage } from '../../api/client.ts';
import { PageLoading } from '../../components/PageLoading.tsx';
import { MISSING } from '../../format.ts';
import './i18n.ts';
import {
  STAGES,
  useChain,
  type ChainDetail,
  type NodeCreate,
  type NodeUpdate,
  type NodeView,
} from './api.ts';
import { ChainGraph } from './ChainGraph.tsx';
import { ChainPageHeader } from './ChainLinks.tsx';
import {
  useCreateEdge,
  useCreateNode,
  useDeleteEdge,
  useDeleteNode,
  useUpdateChain,
  useUpdateNode,
  type ChainUpdate,
} from './editApi.ts';
import { changed, orNull, showServerErrors } from './formErrors.ts';
import { IndustryCodesInput, industryCodesRule, useIndustryNames } from './IndustryCodesInput.tsx';
import { canEditChain } from './permissions.ts';

type Edge = ChainDetail['edges'][number];
type NodeEditing = { mode: 'create' } | { mode: 'edit'; node: NodeView };

export default function ChainStructurePage() {
  const { t, i18n } = useTranslation();
  const { code = '' } = useParams();
  const navigate = useNavigate();
  const user = useCurrentUser();
  const { message } = App.useApp();
  const chain = useChain(code);
  const admin = canEditChain(user);
  const [editing, setEditing] = useState<NodeEditing | null>(null);
  const [editingChain, setEditingChain] = useState(false);
  const [nodeError, setNodeError] = useState<string | null>(null);
  const deleteNode = useDeleteNode(code);
  const deleteEdge = useDeleteEdge(code);

  if (chain.isLoading) return <PageLoading />;
  if (chain.isError || !chain.data)
    return <Alert type="error" showIcon title={errorMessage(chain.error, i18n.language)} />;
  const data = chain.data;
  const nodeName = (c: string) => data.nodes.find((n) => n.code === c)?.name ?? c;

  const onDeleteNode = (node: string) => {
    setNodeError(null);
    deleteNode.mutate(node, {
      onSuccess: () => void message.success(t('chains.edit.deleted')),
      onError: (e) => setNodeError(errorMessage(e, i18n.language)),
    });
  };

  const nodeColumns: TableProps<NodeView>['columns'] = [
    {
      key: 'code',
      title: t('chains.edit.code'),
      dataIndex: 'code',
      render: (c: string) => <Typography.Text code>{c}</Typography.Text>,
    },
    {
      key: 'name',
      title: t('chains.fields.name'),
      render: (_: unknown, n) => (
        <Space orientation="vertical" size={0}>
          <span>{n.name}</span>
          {n.nameEn && <Typography.Text type="secondary">{n.nameEn}</Typography.Text>}
        </Space>
      ),
    },
    {
      key: 'stage',
      title: t('chains.fields.stage'),
      dataIndex: 'stage',
      render: (s: string) => <Tag>{t(`chains.stage.${s}`)}</Tag>,
    },
    {
      key: 'codes',
      title: t('chains.fields.industryCodes'),
      dataIndex: 'industryCodes',
      render: (codes: string[]) => (codes.length ? codes.map((c) => <Tag key={c}>{c}</Tag>) : MISSING),
    },
    {
      key: 'products',
      title: t('chains.fields.keyProducts'),
      dataIndex: 'keyProducts',
      render: (p: string[]) => p.join('、') || MISSING,
    },
    {
      key: 'description',
      title: t('chains.edit.description'),
      dataIndex: 'description',
      ellipsis: true,
      render: (d: string | null) => d ?? MISSING,
    },
    ...(admin
      ? [
          {
            key: 'ops',
            title: '',
            width: 96,
            render: (_: unknown, n: NodeView) => (
              <Space>
                <Button
                  size="small"
                  icon={<EditOutlined />}
                  aria-label={t('chains.edit.editNode')}
                  data-testid={`node-edit-${n.code}`}
                  onClick={() => setEditing({ mode: 'edit', node: n })}
                />
                <Popconfirm
                  title={t('chains.edit.deleteNodeConfirm', { name: n.name })}
                  onConfirm={() => onDeleteNode(n.code)}
                  okText={t('common.yes')}
                  cancelText={t('common.no')}
                >
                  <Button
                    size="small"
                    danger
                    icon={<DeleteOutlined />}
                    aria-label={t('chains.edit.deleteNode')}
                    data-testid={`node-delete-${n.code}`}
                  />
                </Popconfirm>
              </Space>
            ),
          },
        ]
      : []),
  ];

  const edgeColumns: TableProps<Edge>['columns'] = [
    {
      key: 'edge',
      title: t('chains.edit.edge'),
      render: (_: unknown, e) => (
        <span>
          {nodeName(e.from)} → {nodeName(e.to)}
        </span>
      ),
    },
    ...(admin
      ? [
          {
            key: 'ops',
            title: '',
            width: 56,
            render: (_: unknown, e: Edge) => (
              <Popconfirm
                title={t('chains.edit.deleteEdgeConfirm', { from: nodeName(e.from), to: nodeName(e.to) })}
                onConfirm={() =>
                  deleteEdge.mutate(e, {
                    onSuccess: () => void message.success(t('chains.edit.deleted')),
                    onError: (err) => void message.error(errorMessage(err, i18n.language)),
                  })
                }
                okText={t('common.yes')}
                cancelText={t('common.no')}
              >
                <Button
                  size="small"
                  danger
                  icon={<DeleteOutlined />}
                  aria-label={t('chains.edit.deleteEdge')}
                  data-testid={`edge-delete-${e.from}-${e.to}`}
                />
              </Popconfirm>
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      <ChainPageHeader code={code} page="structure" chainName={data.name} />
      {!admin && (
        <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('chains.edit.readOnly')} />
      )}
      <Card
        size="small"
        style={{ marginBottom: 16 }}
        title={t('chains.edit.chain')}
        extra={
          admin && (
            <Button
              size="small"
              icon={<EditOutlined />}
              onClick={() => setEditingChain(true)}
              data-testid="chain-edit"
            >
              {t('chains.edit.editChain')}
            </Button>
          )
        }
      >
        <Descriptions size="small" column={2}>
          <Descriptions.Item label={t('chains.fields.name')}>{data.name}</Descriptions.Item>
          <Descriptions.Item label={t('chains.edit.nameEn')}>{data.nameEn ?? MISSING}</Descriptions.Item>
          <Descriptions.Item label={t('chains.edit.description')} span={2}>
            {data.description ?? MISSING}
          </Descriptions.Item>
          <Descriptions.Item label={t('chains.proposed')}>
            {data.proposed ? t('common.yes') : t('common.no')}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <ChainGraph
        chain={data}
        selected={editing?.mode === 'edit' ? editing.node.code : null}
        onSelect={(c) => {
          const node = data.nodes.find((n) => n.code === c);
          if (admin && node) setEditing({ mode: 'edit', node });
          else void navigate(`/chains/${code}?node=${c}`);
        }}
      />
      <Card
        size="small"
        style={{ marginTop: 16 }}
        title={t('chains.edit.nodes', { n: data.nodes.length })}
        extra={
          admin && (
            <Button
              type="primary"
              size="small"
              icon={<PlusOutlined />}
              onClick={() => setEditing({ mode: 'create' })}
              data-testid="node-add"
            >
              {t('chains.edit.addNode')}
            </Button>
          )
        }
      >
        {nodeError && (
          <Alert
            type="error"
            showIcon
            closable={{ onClose: () => setNodeError(null) }}
            style={{ marginBottom: 12 }}
            title={nodeError}
            data-testid="node-list-error"
          />
        )}
        <Table<NodeView>
          rowKey="code"
          size="small"
          columns={nodeColumns}
          dataSource={data.nodes}
          pagination={false}
          onRow={(n) => ({ 'data-testid': `node-row-${n.code}` }) as HTMLAttributes<HTMLElement>}
          data-testid="structure-nodes"
        />
      </Card>
      <Card size="small" style={{ marginTop: 16 }} title={t('chains.edit.edges', { n: data.edges.length })}>
        {admin && <EdgeForm code={code} nodes={data.nodes} />}
        <Table<Edge>
          rowKey={(e) => `${e.from}>${e.to}`}
          size="small"
          columns={edgeColumns}
          dataSource={data.edges}
          pagination={false}
          onRow={(e) => ({ 'data-testid': `edge-row-${e.from}-${e.to}` }) as HTMLAttributes<HTMLElement>}
          data-testid="structure-edges"
        />
      </Card>
      {editing && <NodeModal code={code} editing={editing} onClose={() => setEditing(null)} />}
      {editingChain && <ChainModal code={code} chain={data} onClose={() => setEditingChain(false)} />}
    </>
  );
}

const NODE_FIELDS = [
  'code',
  'name',
  'nameEn',
  'stage',
  'industryCodes',
  'keyProducts',
  'description',
] as const;
interface NodeValues {
  code: string;
  name: string;
  nameEn?: string | null;
  stage: NodeView['stage'];
  industryCodes: string[];
  keyProducts: string[];
  description?: string | null;
}

function NodeModal({ code, editing, onClose }: { code: string; editing: NodeEditing; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<NodeValues>();
  const [generalError, setGeneralError] = useState<string | null>(null);
  const create = useCreateNode(code);
  const update = useUpdateNode(code);
  const { names, loading } = useIndustryNames();
  const current = editing.mode === 'edit' ? editing.node : null;

  const onError = (e: unknown) => setGeneralError(showServerErrors(form, e, NODE_FIELDS, i18n.language));
  const onSuccess = () => {
    void message.success(t('chains.edit.saved'));
    onClose();
  };
  const onFinish = (v: NodeValues) => {
    setGeneralError(null);
    const fields: NodeUpdate = {
      name: v.name.trim(),
      nameEn: orNull(v.nameEn),
      stage: v.stage,
      industryCodes: v.industryCodes ?? [],
      keyProducts: (v.keyProducts ?? []).map((p) => p.trim()).filter(Boolean),
      description: orNull(v.description),
    };
    if (!current) {
      create.mutate({ code: v.code.trim(), ...fields } as NodeCreate, { onSuccess, onError });
      return;
    }
    const body = changed(fields, current);
    if (Object.keys(body).length === 0) return onClose();
    update.mutate({ node: current.code, body }, { onSuccess, onError });
  };

  return (
    <Modal
      open
      title={current ? t('chains.edit.editNodeTitle', { name: current.name }) : t('chains.edit.addNode')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={create.isPending || update.isPending}
      width={640}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'node-save' }}
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
      <Form<NodeValues>
        form={form}
        layout="vertical"
        onFinish={onFinish}
        initialValues={
          current
            ? {
                code: current.code,
                name: current.name,
                nameEn: current.nameEn,
                stage: current.stage,
                industryCodes: current.industryCodes,
                keyProducts: current.keyProducts,
                description: current.description,
              }
            : { stage: 'midstream', industryCodes: [], keyProducts: [] }
        }
      >
        <Form.Item
          name="code"
          label={t('chains.edit.code')}
          extra={current ? undefined : t('chains.edit.codeHint')}
          rules={[
            { required: true, message: t('chains.edit.required') },
            { pattern: /^[a-z][a-z0-9_]*$/, message: t('chains.edit.codeFormat') },
          ]}
        >
          <Input disabled={!!current} data-testid="node-code" />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('chains.fields.name')}
          rules={[{ required: true, whitespace: true, message: t('chains.edit.required') }]}
        >
          <Input maxLength={100} data-testid="node-name" />
        </Form.Item>
        <Form.Item name="nameEn" label={t('chains.edit.nameEn')}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="stage" label={t('chains.fields.stage')} rules={[{ required: true }]}>
          <Select
            options={STAGES.map((s) => ({ value: s, label: t(`chains.stage.${s}`) }))}
            data-testid="node-stage"
          />
        </Form.Item>
        <Form.Item
          name="industryCodes"
          label={t('chains.fields.industryCodes')}
          extra={t('chains.edit.codesHint')}
          rules={[industryCodesRule(names, t)]}
        >
          <IndustryCodesInput names={names} loading={loading} />
        </Form.Item>
        <Form.Item
          name="keyProducts"
          label={t('chains.fields.keyProducts')}
          extra={t('chains.edit.productsHint')}
        >
          <Select mode="tags" tokenSeparators={[',', '，', '、']} open={false} data-testid="node-products" />
        </Form.Item>
        <Form.Item name="description" label={t('chains.edit.description')}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function EdgeForm({ code, nodes }: { code: string; nodes: NodeView[] }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ from?: string; to?: string }>();
  const [generalError, setGeneralError] = useState<string | null>(null);
  const create = useCreateEdge(code);
  const options = nodes.map((n) => ({
    value: n.code,
    label: `${n.name}（${t(`chains.stage.${n.stage}`)}）`,
  }));
  return (
    <>
      <Form
        form={form}
        layout="inline"
        style={{ marginBottom: 12, rowGap: 8 }}
        data-testid="edge-form"
        onFinish={(v) => {
          setGeneralError(null);
          create.mutate(
            { from: v.from ?? '', to: v.to ?? '' },
            {
              onSuccess: () => {
                void message.success(t('chains.edit.saved'));
                form.resetFields();
              },
              onError: (e) => setGeneralError(showServerErrors(form, e, ['from', 'to'], i18n.language)),
            },
          );
        }}
      >
        <Form.Item
          name="from"
          label={t('chains.edit.from')}
          rules={[{ required: true, message: t('chains.edit.required') }]}
        >
          <Select
            showSearch
            optionFilterProp="label"
            options={options}
            style={{ width: 220 }}
            data-testid="edge-from"
          />
        </Form.Item>
        <Form.Item
          name="to"
          label={t('chains.edit.to')}
          rules={[{ required: true, message: t('chains.edit.required') }]}
        >
          <Select
            showSearch
            optionFilterProp="label"
            options={options}
            style={{ width: 220 }}
            data-testid="edge-to"
          />
        </Form.Item>
        <Form.Item>
          <Button htmlType="submit" icon={<PlusOutlined />} loading={create.isPending} data-testid="edge-add">
            {t('chains.edit.addEdge')}
          </Button>
        </Form.Item>
      </Form>
      {generalError && (
        <Alert
          type="error"
          showIcon
          title={generalError}
          style={{ marginBottom: 12 }}
          closable={{ onClose: () => setGeneralError(null) }}
          data-testid="edge-error"
        />
      )}
    </>
  );
}

const CHAIN_FIELDS = ['name', 'nameEn', 'description', 'proposed'] as const;
interface ChainValues {
  name: string;
  nameEn?: string | null;
  description?: string | null;
  proposed: boolean;
}

function ChainModal({ code, chain, onClose }: { code: string; chain: ChainDetail; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<ChainValues>();
  const [generalError, setGeneralError] = useState<string | null>(null);
  const update = useUpdateChain(code);
  const onFinish = (v: ChainValues) => {
    setGeneralError(null);
    const body: ChainUpdate = changed(
      {
        name: v.name.trim(),
        nameEn: orNull(v.nameEn),
        description: orNull(v.description),
        proposed: v.proposed,
      },
      chain,
    );
    if (Object.keys(body).length === 0) return onClose();
    update.mutate(body, {
      onSuccess: () => {
        void message.success(t('chains.edit.saved'));
        onClose();
      },
      onError: (e) => setGeneralError(showServerErrors(form, e, CHAIN_FIELDS, i18n.language)),
    });
  };
  return (
    <Modal
      open
      title={t('chains.edit.editChain')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={update.isPending}
      destroyOnHidden
    >
      {generalError && <Alert type="error" showIcon title={generalError} style={{ marginBottom: 16 }} />}
      <Form<ChainValues>
        form={form}
        layout="vertical"
        onFinish={onFinish}
        initialValues={{
          name: chain.name,
          nameEn: chain.nameEn,
          description: chain.description,
          proposed: chain.proposed,
        }}
      >
        <Form.Item
          name="name"
          label={t('chains.fields.name')}
          rules={[{ required: true, whitespace: true, message: t('chains.edit.required') }]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="nameEn" label={t('chains.edit.nameEn')}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="description" label={t('chains.edit.description')}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
        <Form.Item
          name="proposed"
          label={t('chains.proposed')}
          valuePropName="checked"
          extra={t('chains.proposedHint')}
        >
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}
