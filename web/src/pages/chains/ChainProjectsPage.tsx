// 链上项目: the chain's 建链/强链/补链/延链/壮链 projects — type, node, owner, stage, the linked
// investment project (a link to its project page) and target enterprise. Administrators and the chain's
// cluster agency add and edit them.
import { useState } from 'react';
import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Typography,
  type TableProps,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { useCurrentUser } from '../../api/auth.ts';
import { errorMessage } from '../../api/client.ts';
import { formatDateTime, MISSING } from '../../format.ts';
import { useProject, useProjectList } from '../projects/api.ts';
import './i18n.ts';
import {
  CHAIN_ACTIONS,
  PROJECT_STAGES,
  useChain,
  type ChainProject,
  type NodeView,
  type ProjectCreate,
  type Target,
} from './api.ts';
import { ChainPageHeader } from './ChainLinks.tsx';
import { useChainProjects, useDeleteProject, useSaveProject, useTargets } from './editApi.ts';
import { changed, orNull, showServerErrors } from './formErrors.ts';
import { canEditRoadmap } from './permissions.ts';

const KIND_COLOUR: Record<ChainProject['kind'], string> = {
  build: 'magenta',
  strengthen: 'blue',
  fill: 'red',
  extend: 'cyan',
  grow: 'green',
};

/** An investment project by its code and name when you may see it, else by its number. */
function InvestmentProjectLink({ id }: { id: number }) {
  const project = useProject(id);
  return (
    <Link to={`/projects/${id}`} data-testid={`investment-project-${id}`}>
      {project.data ? `${project.data.code} ${project.data.name}` : `#${id}`}
    </Link>
  );
}

export default function ChainProjectsPage() {
  const { t, i18n } = useTranslation();
  const { code = '' } = useParams();
  const [search, setSearch] = useSearchParams();
  const user = useCurrentUser();
  const chain = useChain(code);
  const projects = useChainProjects(code);
  const targets = useTargets(code);
  const [editing, setEditing] = useState<null | { project?: ChainProject }>(null);
  const { message } = App.useApp();
  const remove = useDeleteProject(code);
  const editor = canEditRoadmap(user, chain.data?.clusterCode);
  const nodes = chain.data?.nodes ?? [];
  const nodeName = (c: string | null) =>
    c ? (nodes.find((n) => n.code === c)?.name ?? c) : t('chains.roadmap.wholeChain');
  const kindFilter = search.get('kind');
  const nodeFilter = search.get('node');
  const setParam = (key: string, value: string | null | undefined) => {
    const next = new URLSearchParams(search);
    if (value) next.set(key, value);
    else next.delete(key);
    setSearch(next, { replace: true });
  };
  const rows = (projects.data ?? []).filter(
    (p) => (!kindFilter || p.kind === kindFilter) && (!nodeFilter || p.nodeCode === nodeFilter),
  );

  const columns: TableProps<ChainProject>['columns'] = [
    {
      key: 'kind',
      title: t('chains.fields.kind'),
      dataIndex: 'kind',
      render: (k: ChainProject['kind']) => <Tag color={KIND_COLOUR[k]}>{t(`chains.action.${k}`)}</Tag>,
    },
    { key: 'name', title: t('chains.fields.name'), dataIndex: 'name' },
    {
      key: 'node',
      title: t('chains.fields.node'),
      dataIndex: 'nodeCode',
      render: (c: string | null) => nodeName(c),
    },
    {
      key: 'owner',
      title: t('chains.fields.owner'),
      dataIndex: 'owner',
      render: (v: string | null) => v ?? MISSING,
    },
    {
      key: 'stage',
      title: t('chains.fields.projectStage'),
      dataIndex: 'stage',
      render: (s: string) => t(`chains.projectStage.${s}`),
    },
    {
      key: 'inv',
      title: t('chains.projects.investmentProject'),
      dataIndex: 'investmentProjectId',
      render: (id: number | null) => (id ? <InvestmentProjectLink id={id} /> : MISSING),
    },
    {
      key: 'target',
      title: t('chains.projects.targetEnterprise'),
      dataIndex: 'targetEnterpriseId',
      render: (id: number | null) =>
        id ? (targets.data?.find((x) => x.id === id)?.name ?? `#${id}`) : MISSING,
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
            render: (_: unknown, p: ChainProject) => (
              <Space size={4}>
                <Button
                  size="small"
                  icon={<EditOutlined />}
                  aria-label={t('chains.projects.edit')}
                  data-testid={`project-edit-${p.id}`}
                  onClick={() => setEditing({ project: p })}
                />
                <Popconfirm
                  title={t('chains.projects.deleteConfirm', { name: p.name })}
                  onConfirm={() =>
                    remove.mutate(p.id, {
                      onSuccess: () => void message.success(t('chains.edit.deleted')),
                      onError: (err) => void message.error(errorMessage(err, i18n.language)),
                    })
                  }
                  okText={t('common.yes')}
                  cancelText={t('common.no')}
                  okButtonProps={{ 'data-testid': `project-delete-confirm-${p.id}` }}
                >
                  <Button
                    size="small"
                    danger
                    icon={<DeleteOutlined />}
                    aria-label={t('chains.projects.delete')}
                    data-testid={`project-delete-${p.id}`}
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
        page="projects"
        chainName={chain.data?.name}
        extra={
          editor && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setEditing({})}
              data-testid="project-add"
            >
              {t('chains.roadmap.addProject')}
            </Button>
          )
        }
      />
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          allowClear
          placeholder={t('chains.projects.allKinds')}
          style={{ width: 140 }}
          value={kindFilter ?? undefined}
          onChange={(v?: string) => setParam('kind', v)}
          options={CHAIN_ACTIONS.map((a) => ({ value: a, label: t(`chains.action.${a}`) }))}
          data-testid="project-filter-kind"
        />
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          placeholder={t('chains.targets.allNodes')}
          style={{ width: 220 }}
          value={nodeFilter ?? undefined}
          onChange={(v?: string) => setParam('node', v)}
          options={nodes.map((n) => ({ value: n.code, label: n.name }))}
        />
        <Typography.Text type="secondary">
          {t('chains.targets.count', { shown: rows.length, total: projects.data?.length ?? 0 })}
        </Typography.Text>
      </Space>
      {projects.isError && (
        <Alert type="error" showIcon title={errorMessage(projects.error, i18n.language)} />
      )}
      <Table<ChainProject>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={rows}
        loading={projects.isLoading}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('chains.projects.empty') }}
        data-testid="chain-projects"
      />
      {editing && (
        <ProjectModal
          code={code}
          nodes={nodes}
          targets={targets.data ?? []}
          project={editing.project}
          onClose={() => setEditing(null)}
        />
      )}
    </>
  );
}

const FIELDS = [
  'name',
  'kind',
  'nodeCode',
  'owner',
  'stage',
  'investmentProjectId',
  'targetEnterpriseId',
  'note',
] as const;
interface Values {
  name: string;
  kind: ChainProject['kind'];
  nodeCode?: string | null;
  owner?: string | null;
  stage: ChainProject['stage'];
  investmentProjectId?: number | null;
  targetEnterpriseId?: number | null;
  note?: string | null;
}

/** Investment projects found by code or name (your scope), the linked one kept as an option. */
function InvestmentProjectSelect({
  value,
  onChange,
}: {
  value?: number | null;
  onChange?: (v: number | null) => void;
}) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const list = useProjectList({ q: q || undefined, pageSize: 20 });
  const linked = useProject(value ?? 0);
  const options = (list.data?.items ?? []).map((p) => ({ value: p.id, label: `${p.code} ${p.name}` }));
  if (value && !options.some((o) => o.value === value))
    options.unshift({ value, label: linked.data ? `${linked.data.code} ${linked.data.name}` : `#${value}` });
  return (
    <Select
      allowClear
      showSearch
      filterOption={false}
      onSearch={setQ}
      value={value ?? undefined}
      onChange={(v?: number) => onChange?.(v ?? null)}
      options={options}
      loading={list.isFetching}
      placeholder={t('chains.projects.searchProject')}
      data-testid="project-investment"
    />
  );
}

export function ProjectModal({
  code,
  nodes,
  targets,
  project,
  onClose,
}: {
  code: string;
  nodes: NodeView[];
  targets: Target[];
  project?: ChainProject;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [generalError, setGeneralError] = useState<string | null>(null);
  const save = useSaveProject(code);
  const nodeCode = Form.useWatch('nodeCode', form);
  const nodeOptions = nodes.map((n) => ({
    value: n.code,
    label: n.status === 'ok' ? n.name : `${n.name}（${t(`chains.status.${n.status}`)}）`,
  }));
  const targetOptions = targets
    .filter((x) => !nodeCode || x.nodeCode === nodeCode)
    .map((x) => ({ value: x.id, label: x.name }));

  const onFinish = (v: Values) => {
    setGeneralError(null);
    const fields = {
      name: v.name.trim(),
      kind: v.kind,
      nodeCode: v.nodeCode ?? null,
      owner: orNull(v.owner),
      stage: v.stage,
      investmentProjectId: v.investmentProjectId ?? null,
      targetEnterpriseId: v.targetEnterpriseId ?? null,
      note: orNull(v.note),
    };
    const body = project ? changed(fields, project) : fields;
    if (project && Object.keys(body).length === 0) return onClose();
    save.mutate(
      { id: project?.id, body: body as ProjectCreate },
      {
        onSuccess: () => {
          void message.success(t('chains.edit.saved'));
          onClose();
        },
        onError: (e) => setGeneralError(showServerErrors(form, e, FIELDS, i18n.language)),
      },
    );
  };

  const firstGap = nodes.find((n) => n.status !== 'ok');
  return (
    <Modal
      open
      title={project ? t('chains.projects.edit') : t('chains.roadmap.addProject')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={save.isPending}
      width={640}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'project-save' }}
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
          project
            ? { ...project }
            : { stage: 'idea', kind: firstGap?.action ?? 'fill', nodeCode: firstGap?.code ?? null }
        }
      >
        <Form.Item
          name="name"
          label={t('chains.fields.name')}
          rules={[{ required: true, whitespace: true, min: 2, message: t('chains.targets.nameRule') }]}
        >
          <Input maxLength={200} data-testid="project-name" />
        </Form.Item>
        <Space size="large" wrap>
          <Form.Item name="kind" label={t('chains.fields.kind')} rules={[{ required: true }]}>
            <Select
              style={{ width: 140 }}
              options={CHAIN_ACTIONS.map((a) => ({ value: a, label: t(`chains.action.${a}`) }))}
              data-testid="project-kind"
            />
          </Form.Item>
          <Form.Item name="stage" label={t('chains.fields.projectStage')} rules={[{ required: true }]}>
            <Select
              style={{ width: 140 }}
              options={PROJECT_STAGES.map((s) => ({ value: s, label: t(`chains.projectStage.${s}`) }))}
            />
          </Form.Item>
        </Space>
        <Form.Item name="nodeCode" label={t('chains.fields.node')} extra={t('chains.projects.nodeHint')}>
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            options={nodeOptions}
            data-testid="project-node"
          />
        </Form.Item>
        <Form.Item name="owner" label={t('chains.fields.owner')}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="investmentProjectId" label={t('chains.projects.investmentProject')}>
          <InvestmentProjectSelect />
        </Form.Item>
        <Form.Item name="targetEnterpriseId" label={t('chains.projects.targetEnterprise')}>
          <Select allowClear showSearch optionFilterProp="label" options={targetOptions} />
        </Form.Item>
        <Form.Item name="note" label={t('chains.targets.note')}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
