// 招商路线图: one page per chain — gaps ranked by feasibility, each with the figures behind the flag,
// the proposed action, ranked target enterprises and chain projects. Prints on A4 landscape; exports
// the same content to xlsx (server-side).
import { useState } from 'react';
import { DownloadOutlined, PlusOutlined, PrinterOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
  type TableProps,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useCurrentUser } from '../../api/auth.ts';
import { errorMessage, fieldErrors } from '../../api/client.ts';
import { PageLoading } from '../../components/PageLoading.tsx';
import './i18n.ts';
import {
  CHAIN_ACTIONS,
  CONTACT_STATUSES,
  PROJECT_STAGES,
  SIZE_CLASSES,
  useChain,
  useCreateProject,
  useCreateTarget,
  useRoadmap,
  type ChainProject,
  type Roadmap,
} from './api.ts';
import { ChainLinks } from './ChainLinks.tsx';
import { num, pct, reasonText, STATUS_COLOUR } from './labels.ts';
import { DownloadButton } from '../../components/DownloadButton.tsx';

type GapRow = Roadmap['gaps'][number];

const PRINT_CSS = `
@media print {
  @page { size: A4 landscape; margin: 12mm; }
  .ant-layout-sider, .ant-layout-header, .no-print { display: none !important; }
  .ant-layout-content { margin: 0 !important; padding: 0 !important; }
  .roadmap-page table { font-size: 10pt; }
  .roadmap-page tr { break-inside: avoid; }
}`;

export default function RoadmapPage() {
  const { t, i18n } = useTranslation();
  const { code = '' } = useParams();
  const user = useCurrentUser();
  const roadmap = useRoadmap(code);
  const chain = useChain(code);
  const [adding, setAdding] = useState<null | 'target' | 'project'>(null);
  const editor =
    user.role === 'admin' ||
    (user.role === 'cluster_agency' && user.clusterCode === roadmap.data?.chain.clusterCode);
  const nodeName = (c: string | null) =>
    c ? (chain.data?.nodes.find((n) => n.code === c)?.name ?? c) : t('chains.roadmap.wholeChain');

  if (roadmap.isLoading) return <PageLoading />;
  if (roadmap.isError || !roadmap.data)
    return <Alert type="error" showIcon title={errorMessage(roadmap.error, i18n.language)} />;
  const data = roadmap.data;

  const columns: TableProps<GapRow>['columns'] = [
    { key: 'rank', title: '#', width: 40, render: (_: unknown, _r, i) => i + 1 },
    {
      key: 'node',
      title: t('chains.fields.node'),
      render: (_: unknown, g) => (
        <Space orientation="vertical" size={2}>
          <Typography.Text strong>{g.name}</Typography.Text>
          <span>
            <Tag>{t(`chains.stage.${g.stage}`)}</Tag>
            <Tag color={STATUS_COLOUR[g.status]}>{t(`chains.status.${g.status}`)}</Tag>
          </span>
        </Space>
      ),
    },
    {
      key: 'reasons',
      title: t('chains.fields.reasons'),
      render: (_: unknown, g) => (
        <ul style={{ margin: 0, paddingLeft: 16 }}>
          {g.reasons.map((r) => (
            <li key={r.code}>{reasonText(r, t)}</li>
          ))}
        </ul>
      ),
    },
    {
      key: 'density',
      title: t('chains.fields.density'),
      align: 'right',
      render: (_: unknown, g) => num(g.density),
    },
    {
      key: 'action',
      title: t('chains.fields.action'),
      render: (_: unknown, g) =>
        g.action ? <Tag color="purple">{t(`chains.action.${g.action}`)}</Tag> : null,
    },
    {
      key: 'targets',
      title: t('chains.fields.targets'),
      render: (_: unknown, g) =>
        g.targets.length ? (
          <ol style={{ margin: 0, paddingLeft: 18 }} data-testid={`roadmap-targets-${g.code}`}>
            {g.targets.slice(0, 5).map((x) => (
              <li key={x.id}>
                {x.name}（{x.headquarters ?? '—'} · {t(`chains.contact.${x.contactStatus}`)} ·{' '}
                {num(x.score, 2)}）
              </li>
            ))}
          </ol>
        ) : (
          <Typography.Text type="secondary">{t('chains.roadmap.noTargets')}</Typography.Text>
        ),
    },
    {
      key: 'projects',
      title: t('chains.fields.projects'),
      render: (_: unknown, g) =>
        g.projects.map((p) => (
          <div key={p.id}>
            {t(`chains.action.${p.kind}`)}·{p.name}（{t(`chains.projectStage.${p.stage}`)}）
          </div>
        )),
    },
  ];

  const projectColumns: TableProps<ChainProject>['columns'] = [
    {
      key: 'kind',
      title: t('chains.fields.kind'),
      dataIndex: 'kind',
      render: (k: string) => t(`chains.action.${k}`),
    },
    { key: 'name', title: t('chains.fields.name'), dataIndex: 'name' },
    {
      key: 'node',
      title: t('chains.fields.node'),
      dataIndex: 'nodeCode',
      render: (c: string | null) => nodeName(c),
    },
    { key: 'owner', title: t('chains.fields.owner'), dataIndex: 'owner' },
    {
      key: 'stage',
      title: t('chains.fields.projectStage'),
      dataIndex: 'stage',
      render: (s: string) => t(`chains.projectStage.${s}`),
    },
    {
      key: 'inv',
      title: t('chains.fields.investmentProjectId'),
      dataIndex: 'investmentProjectId',
      render: (id: number | null) => (id ? <Link to={`/projects/${id}`}>{id}</Link> : null),
    },
  ];

  return (
    <div className="roadmap-page" data-testid="roadmap-page">
      <style>{PRINT_CSS}</style>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('chains.roadmap.title', { chain: data.chain.name })}
        </Typography.Title>
        <Space className="no-print" wrap>
          <ChainLinks code={code} active="roadmap" />
          {editor && (
            <>
              <Button icon={<PlusOutlined />} onClick={() => setAdding('target')}>
                {t('chains.roadmap.addTarget')}
              </Button>
              <Button icon={<PlusOutlined />} onClick={() => setAdding('project')}>
                {t('chains.roadmap.addProject')}
              </Button>
            </>
          )}
          <Button icon={<PrinterOutlined />} onClick={() => window.print()}>
            {t('chains.roadmap.print')}
          </Button>
          <DownloadButton
            type="primary"
            icon={<DownloadOutlined />}
            url={`/api/chains/${code}/roadmap.xlsx`}
            data-testid="roadmap-export"
          >
            {t('chains.roadmap.export')}
          </DownloadButton>
        </Space>
      </Space>
      <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
        {t('chains.referenceYear', { year: data.referenceYear ?? '—' })} ·{' '}
        {t('chains.method', {
          minFirms: data.method.minFirms,
          weakShare: pct(data.method.weakShare),
          maxHhi: data.method.maxHhi,
          decliningGrowth: pct(data.method.decliningGrowth),
        })}
        {data.chain.proposed ? ` · ${t('chains.proposedHint')}` : ''}
      </Typography.Paragraph>
      <Table<GapRow>
        rowKey="code"
        size="small"
        columns={columns}
        dataSource={data.gaps}
        pagination={false}
        locale={{ emptyText: t('chains.roadmap.noGaps') }}
      />
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('chains.roadmap.allProjects')}
      </Typography.Title>
      <Table<ChainProject>
        rowKey="id"
        size="small"
        columns={projectColumns}
        dataSource={data.projects}
        pagination={false}
      />
      {adding === 'target' && <TargetModal code={code} gaps={data.gaps} onClose={() => setAdding(null)} />}
      {adding === 'project' && <ProjectModal code={code} gaps={data.gaps} onClose={() => setAdding(null)} />}
    </div>
  );
}

function TargetModal({ code, gaps, onClose }: { code: string; gaps: GapRow[]; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm();
  const create = useCreateTarget(code);
  return (
    <Modal
      open
      title={t('chains.roadmap.addTarget')}
      onCancel={onClose}
      confirmLoading={create.isPending}
      onOk={() =>
        void form.validateFields().then((values) =>
          create.mutate(values, {
            onSuccess: onClose,
            onError: (e) => {
              form.setFields(fieldErrors(e, i18n.language));
              form.setFields([{ name: 'name', errors: [errorMessage(e, i18n.language)] }]);
            },
          }),
        )
      }
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ contactStatus: 'none', expanding: false, nodeCode: gaps[0]?.code }}
      >
        <Form.Item name="name" label={t('chains.fields.name')} rules={[{ required: true, min: 2 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="nodeCode" label={t('chains.fields.node')} rules={[{ required: true }]}>
          <Select options={gaps.map((g) => ({ value: g.code, label: g.name }))} />
        </Form.Item>
        <Form.Item name="headquarters" label={t('chains.fields.headquarters')}>
          <Input />
        </Form.Item>
        <Form.Item name="sizeClass" label={t('chains.fields.sizeClass')}>
          <Select
            allowClear
            options={SIZE_CLASSES.map((s) => ({ value: s, label: t(`chains.size.${s}`) }))}
          />
        </Form.Item>
        <Form.Item name="revenue" label={t('chains.fields.revenue')}>
          <InputNumber min={0} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="contactStatus" label={t('chains.fields.contactStatus')}>
          <Select options={CONTACT_STATUSES.map((s) => ({ value: s, label: t(`chains.contact.${s}`) }))} />
        </Form.Item>
        <Form.Item name="expanding" label={t('chains.fields.expanding')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item name="source" label={t('chains.fields.source')}>
          <Input />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ProjectModal({ code, gaps, onClose }: { code: string; gaps: GapRow[]; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const create = useCreateProject(code);
  return (
    <Modal
      open
      title={t('chains.roadmap.addProject')}
      onCancel={onClose}
      confirmLoading={create.isPending}
      onOk={() =>
        void form.validateFields().then((values) =>
          create.mutate(values, {
            onSuccess: onClose,
            onError: (e) => void message.error(errorMessage(e, i18n.language)),
          }),
        )
      }
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ stage: 'idea', kind: gaps[0]?.action ?? 'fill', nodeCode: gaps[0]?.code }}
      >
        <Form.Item name="name" label={t('chains.fields.name')} rules={[{ required: true, min: 2 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="kind" label={t('chains.fields.kind')} rules={[{ required: true }]}>
          <Select options={CHAIN_ACTIONS.map((a) => ({ value: a, label: t(`chains.action.${a}`) }))} />
        </Form.Item>
        <Form.Item name="nodeCode" label={t('chains.fields.node')}>
          <Select allowClear options={gaps.map((g) => ({ value: g.code, label: g.name }))} />
        </Form.Item>
        <Form.Item name="owner" label={t('chains.fields.owner')}>
          <Input />
        </Form.Item>
        <Form.Item name="stage" label={t('chains.fields.projectStage')}>
          <Select options={PROJECT_STAGES.map((s) => ({ value: s, label: t(`chains.projectStage.${s}`) }))} />
        </Form.Item>
        <Form.Item name="investmentProjectId" label={t('chains.fields.investmentProjectId')}>
          <InputNumber min={1} style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
