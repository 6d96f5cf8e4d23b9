// One project: facts, tracking judgement, stage timeline with evidence, investment curve, the monthly
// reporting form, progress table, risks and issues, and the stage-change history.
import { useMemo, useState } from 'react';
import {
  ArrowLeftOutlined,
  DeleteOutlined,
  EditOutlined,
  PaperClipOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Result,
  Row,
  Select,
  Space,
  Steps,
  Table,
  Tag,
  Typography,
  Upload,
  message,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { errorMessage, isStatus } from '../../api/client.ts';
import { ErrorResult } from '../../components/ErrorResult.tsx';
import { PageLoading } from '../../components/PageLoading.tsx';
import { formatMoney, formatWithUnit, MISSING } from '../../format.ts';
import {
  DOCUMENT_TYPES,
  LEVELS,
  MAX_DOCUMENT_BYTES,
  RISK_KINDS,
  type Evidence,
  type ProjectDetail,
  type Risk,
} from '../../../../src/modules/projects/schemas.ts';
import {
  documentUrl,
  useCreateRisk,
  useDeleteDocument,
  useProject,
  useReportProgress,
  useTransition,
  useUpdateRisk,
  useUploadDocument,
} from './api.ts';
import { Chart } from './Chart.tsx';
import { EditProjectModal } from './EditProjectModal.tsx';
import { TrackingTags } from './ProjectsPage.tsx';
import { useLocalName } from '../../names.ts';
import { cityMonth, fileToBase64, kindLabel, levelLabel, stageLabel, STAGES } from './labels.ts';
import './i18n.ts';
import { DownloadLink } from '../../components/DownloadButton.tsx';

export default function ProjectPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const projectId = Number(id);
  const project = useProject(projectId);
  const back = (
    <Link to="/projects">
      <ArrowLeftOutlined /> {t('projects.back')}
    </Link>
  );
  if (!Number.isInteger(projectId) || projectId <= 0 || isStatus(project.error, 404)) {
    return (
      <Result status="404" title={t('projects.notFound')} extra={back} data-testid="project-not-found" />
    );
  }
  if (project.isError) return <ErrorResult error={project.error} />;
  if (!project.data) return <PageLoading />;
  const p = project.data;
  return (
    <>
      {back}
      <Typography.Title level={3} style={{ marginTop: 8 }} data-testid="project-title">
        {p.name} <Typography.Text type="secondary">{p.code}</Typography.Text>
      </Typography.Title>
      <Space style={{ marginBottom: 12 }} wrap>
        <Tag>{kindLabel(p.kind, t)}</Tag>
        <Tag color="blue">{stageLabel(p.stage, t)}</Tag>
        {p.status !== 'active' && <Tag color="gold">{t(`projects.status.${p.status}`)}</Tag>}
        <TrackingTags row={p} />
      </Space>
      <Row gutter={16}>
        <Col xs={24} xl={14}>
          <Facts p={p} />
          <Timeline p={p} />
          <Documents p={p} />
          <Curve p={p} />
          <ProgressTable p={p} />
        </Col>
        <Col xs={24} xl={10}>
          <Assessment p={p} />
          {p.canEdit && <ReportForm p={p} />}
          {p.canEdit && <StageActions p={p} />}
          <Risks p={p} />
          <Changes p={p} />
        </Col>
      </Row>
    </>
  );
}

function Facts({ p }: { p: ProjectDetail }) {
  const { t } = useTranslation();
  const localName = useLocalName();
  const [editing, setEditing] = useState(false);
  return (
    <Card
      size="small"
      style={{ marginBottom: 16 }}
      data-testid="project-facts"
      extra={
        p.canEdit && (
          <Button
            size="small"
            icon={<EditOutlined />}
            onClick={() => setEditing(true)}
            data-testid="project-edit"
          >
            {t('projects.edit')}
          </Button>
        )
      }
    >
      {editing && <EditProjectModal p={p} onClose={() => setEditing(false)} />}
      <Descriptions size="small" column={{ xs: 1, md: 2 }}>
        <Descriptions.Item label={t('projects.fields.investor')}>
          {p.investorEnterpriseId ? (
            <Link to={`/enterprises/${p.investorEnterpriseId}`}>{p.investorName}</Link>
          ) : (
            p.investorName
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('projects.fields.county')}>
          {localName(p.regionName)}
          {p.zoneName ? ` · ${localName(p.zoneName)}` : ''}
        </Descriptions.Item>
        <Descriptions.Item label={t('projects.fields.cluster')}>
          {p.clusterName ? localName(p.clusterName) : MISSING}
        </Descriptions.Item>
        <Descriptions.Item label={t('projects.fields.chainNode')}>
          {p.chainNodeName ?? p.chainNodeId ?? MISSING}
        </Descriptions.Item>
        <Descriptions.Item label={t('projects.fields.plannedTotal')}>
          {formatMoney(p.plannedTotalInvestment, t)}
        </Descriptions.Item>
        <Descriptions.Item label={t('projects.fields.plannedFixed')}>
          {formatMoney(p.plannedFixedInvestment, t)}
        </Descriptions.Item>
        <Descriptions.Item label={t('projects.fields.land')}>
          {formatWithUnit(p.landMu, 'mu', t)}
        </Descriptions.Item>
        <Descriptions.Item label={t('projects.fields.expectedOutput')}>
          {formatMoney(p.expectedOutput, t)}
        </Descriptions.Item>
        <Descriptions.Item label={t('projects.fields.expectedTax')}>
          {formatMoney(p.expectedTax, t)}
        </Descriptions.Item>
        <Descriptions.Item label={t('projects.fields.expectedJobs')}>
          {formatWithUnit(p.expectedJobs, 'persons', t, 0)}
        </Descriptions.Item>
        <Descriptions.Item label={t('projects.fields.priority')}>
          {levelLabel(p.priority, t)}
        </Descriptions.Item>
        <Descriptions.Item label={t('projects.fields.likelihood')}>
          {levelLabel(p.likelihood, t)}
        </Descriptions.Item>
        <Descriptions.Item label={t('projects.fields.owner')}>{p.owner ?? MISSING}</Descriptions.Item>
        <Descriptions.Item label={t('projects.fields.department')}>
          {p.department ? localName(p.department) : MISSING}
        </Descriptions.Item>
        {p.description && (
          <Descriptions.Item label={t('projects.fields.description')} span={2}>
            {p.description}
          </Descriptions.Item>
        )}
      </Descriptions>
    </Card>
  );
}

function Timeline({ p }: { p: ProjectDetail }) {
  const { t } = useTranslation();
  const current = STAGES.indexOf(p.stage);
  return (
    <Card
      size="small"
      title={t('projects.timeline')}
      style={{ marginBottom: 16 }}
      data-testid="project-timeline"
    >
      {/* Seven stages need room: each at least 140 px wide (供地 was one character wide), scrolled on narrow screens. */}
      <div style={{ overflowX: 'auto' }}>
        <Steps
          size="small"
          style={{ minWidth: p.stages.length * 140 }}
          data-testid="project-steps"
          current={current}
          status={p.status === 'active' ? (p.delayed ? 'error' : 'process') : 'wait'}
          items={p.stages.map((s) => {
            const overdue = p.assessment.overdue.find((o) => o.stage === s.stage);
            return {
              title: stageLabel(s.stage, t),
              description: (
                <div style={{ fontSize: 12 }}>
                  <div>
                    {t('projects.planned')} {s.plannedDate ?? MISSING}
                  </div>
                  <div style={{ color: overdue ? '#ff4d4f' : undefined }}>
                    {t('projects.actual')} {s.actualDate ?? MISSING}
                  </div>
                  {s.evidence.map((e, i) => (
                    <div key={i}>
                      <PaperClipOutlined aria-hidden /> <EvidenceLink p={p} e={e} />
                    </div>
                  ))}
                </div>
              ),
            };
          })}
        />
      </div>
    </Card>
  );
}

function EvidenceLink({ p, e }: { p: ProjectDetail; e: Evidence }) {
  if (e.documentId) return <DownloadLink url={documentUrl(p.id, e.documentId)}>{e.title}</DownloadLink>;
  if (e.url && /^https?:\/\//i.test(e.url))
    return (
      <a href={e.url} target="_blank" rel="noreferrer">
        {e.title}
      </a>
    );
  return <>{e.title}</>;
}

/** Evidence of every stage; those allowed attach small files (kept in the database) or remove them. */
function Documents({ p }: { p: ProjectDetail }) {
  const { t, i18n } = useTranslation();
  const upload = useUploadDocument(p.id);
  const remove = useDeleteDocument(p.id);
  const [stage, setStage] = useState<string>(p.stage);
  const rows = p.stages.flatMap((s) =>
    s.evidence.map((e, i) => ({ key: `${s.stage}-${i}`, stage: s.stage, e })),
  );
  return (
    <Card
      size="small"
      title={t('projects.evidence')}
      style={{ marginBottom: 16 }}
      data-testid="project-documents"
    >
      {rows.length === 0 && <Typography.Text type="secondary">{t('projects.noEvidence')}</Typography.Text>}
      {rows.map(({ key, stage: s, e }) => (
        <div key={key} style={{ marginBottom: 4 }}>
          <Tag>{stageLabel(s, t)}</Tag>
          <EvidenceLink p={p} e={e} />
          {e.note && <Typography.Text type="secondary"> · {e.note}</Typography.Text>}
          {p.canEdit && e.documentId && (
            <Popconfirm
              title={t('projects.documents.confirmDelete')}
              onConfirm={() =>
                remove.mutate(e.documentId!, {
                  onError: (err) => void message.error(errorMessage(err, i18n.language)),
                })
              }
            >
              <Button
                size="small"
                type="link"
                danger
                icon={<DeleteOutlined />}
                aria-label={t('projects.documents.delete')}
              />
            </Popconfirm>
          )}
        </div>
      ))}
      {p.canEdit && (
        <Space wrap style={{ marginTop: 8 }}>
          <Select
            size="small"
            value={stage}
            onChange={setStage}
            style={{ width: 110 }}
            aria-label={t('projects.fields.stage')}
            options={STAGES.map((s) => ({ value: s, label: stageLabel(s, t) }))}
          />
          <Upload
            accept={Object.keys(DOCUMENT_TYPES)
              .map((x) => `.${x}`)
              .join(',')}
            showUploadList={false}
            beforeUpload={async (file) => {
              if (file.size > MAX_DOCUMENT_BYTES) {
                void message.error(
                  t('projects.documents.tooLarge', { mb: MAX_DOCUMENT_BYTES / 1024 / 1024 }),
                );
                return false;
              }
              const contentBase64 = await fileToBase64(file);
              upload.mutate(
                { stage, fileName: file.name, contentBase64 },
                {
                  onSuccess: () => void message.success(t('projects.saved')),
                  onError: (err) => void message.error(errorMessage(err, i18n.language)),
                },
              );
              return false;
            }}
          >
            <Button
              size="small"
              icon={<UploadOutlined />}
              loading={upload.isPending}
              data-testid="document-upload"
            >
              {t('projects.documents.upload')}
            </Button>
          </Upload>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('projects.documents.limits', { mb: MAX_DOCUMENT_BYTES / 1024 / 1024 })}
          </Typography.Text>
        </Space>
      )}
    </Card>
  );
}

function Curve({ p }: { p: ProjectDetail }) {
  const { t } = useTranslation();
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      // The legend on its own line above the plot, axis labels inside the grid: they never overlap.
      legend: { type: 'scroll', top: 0 },
      grid: { left: 16, right: 16, top: 44, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: p.progress.map((r) => r.month) },
      yAxis: { type: 'value', name: t('units.wanYuan') },
      series: [
        {
          type: 'bar',
          name: t('projects.curveMonth'),
          data: p.progress.map((r) => r.investmentMonth),
          itemStyle: { color: '#91caff' },
        },
        {
          type: 'line',
          name: t('projects.curveCumulative'),
          data: p.progress.map((r) => r.investmentCumulative),
          smooth: true,
          markLine: {
            symbol: 'none',
            data: [{ yAxis: p.plannedTotalInvestment, name: t('projects.curvePlan') }],
            lineStyle: { type: 'dashed' },
            label: { formatter: t('projects.curvePlan') },
          },
        },
      ],
    }),
    [p.progress, p.plannedTotalInvestment, t],
  );
  const last = p.progress.at(-1);
  return (
    <Card size="small" title={t('projects.curve')} style={{ marginBottom: 16 }}>
      {/* The data attributes let tests (and screen readers' users via the table below) check the curve's points. */}
      <div
        data-testid="investment-curve"
        data-points={p.progress.length}
        data-cumulative={last?.investmentCumulative ?? 0}
      >
        <Chart option={option} height={260} />
      </div>
    </Card>
  );
}

function ProgressTable({ p }: { p: ProjectDetail }) {
  const { t } = useTranslation();
  return (
    <Card size="small" title={t('projects.progressTable')} style={{ marginBottom: 16 }}>
      <Table
        rowKey="month"
        size="small"
        data-testid="progress-table"
        dataSource={[...p.progress].reverse()}
        pagination={{ pageSize: 12 }}
        columns={[
          { title: t('projects.reportMonth'), dataIndex: 'month' },
          {
            title: t('projects.curveMonth'),
            dataIndex: 'investmentMonth',
            align: 'right',
            render: (v: number) => formatMoney(v, t),
          },
          {
            title: t('projects.curveCumulative'),
            dataIndex: 'investmentCumulative',
            align: 'right',
            render: (v: number) => formatMoney(v, t),
          },
          { title: t('projects.statusNote'), dataIndex: 'statusNote' },
          { title: t('projects.reportedBy'), dataIndex: 'reportedBy' },
        ]}
      />
    </Card>
  );
}

function Assessment({ p }: { p: ProjectDetail }) {
  const { t, i18n } = useTranslation();
  const a = p.assessment;
  return (
    <Card
      size="small"
      title={t('projects.assessment')}
      style={{ marginBottom: 16 }}
      data-testid="project-assessment"
    >
      {a.messages.length === 0 && !a.missingReport && p.status === 'active' && (
        <Alert type="success" showIcon title={t('projects.notDelayed')} />
      )}
      {a.messages.map((m, i) => (
        <Alert
          key={i}
          type="error"
          showIcon
          title={i18n.language === 'en' ? m.en : m.zh}
          style={{ marginBottom: 6 }}
        />
      ))}
      {a.missingReport && (
        <Alert
          type="warning"
          showIcon
          title={`${t('projects.missing')} (${a.reportingMonth})`}
          style={{ marginBottom: 6 }}
        />
      )}
      {a.pace.expected !== null && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
          {t('projects.pace', {
            actual: formatMoney(a.pace.actual, t),
            expected: formatMoney(a.pace.expected, t),
          })}
        </Typography.Paragraph>
      )}
    </Card>
  );
}

function ReportForm({ p }: { p: ProjectDetail }) {
  const { t, i18n } = useTranslation();
  const report = useReportProgress(p.id);
  const [form] = Form.useForm<{
    month: string;
    investmentMonth: number;
    investmentCumulative?: number | null;
    statusNote?: string;
  }>();
  if (STAGES.indexOf(p.stage) < STAGES.indexOf('signed') || p.status === 'terminated') return null;
  return (
    <Card size="small" title={t('projects.report')} style={{ marginBottom: 16 }}>
      <Form
        form={form}
        layout="vertical"
        initialValues={{ month: cityMonth() }}
        data-testid="report-form"
        onFinish={(v) =>
          report.mutate(
            {
              month: v.month,
              investmentMonth: v.investmentMonth,
              investmentCumulative: v.investmentCumulative ?? null,
              statusNote: v.statusNote ?? null,
            },
            {
              onSuccess: () => {
                void message.success(t('projects.saved'));
                form.resetFields(['investmentMonth', 'investmentCumulative', 'statusNote']);
              },
            },
          )
        }
      >
        {report.isError && (
          <Alert
            type="error"
            showIcon
            title={errorMessage(report.error, i18n.language)}
            style={{ marginBottom: 8 }}
            data-testid="report-error"
          />
        )}
        <Row gutter={8}>
          <Col span={8}>
            <Form.Item
              name="month"
              label={t('projects.reportMonth')}
              rules={[{ required: true, pattern: /^\d{4}-(0[1-9]|1[0-2])$/, message: 'YYYY-MM' }]}
            >
              <Input data-testid="report-month" />
            </Form.Item>
          </Col>
          <Col span={16}>
            <Form.Item
              name="investmentMonth"
              label={t('projects.investmentMonth')}
              rules={[{ required: true }]}
            >
              <InputNumber min={0} style={{ width: '100%' }} data-testid="report-investment" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="investmentCumulative" label={t('projects.investmentCumulative')}>
          <InputNumber min={0} style={{ width: '100%' }} data-testid="report-cumulative" />
        </Form.Item>
        <Form.Item name="statusNote" label={t('projects.statusNote')}>
          <Input.TextArea rows={2} data-testid="report-note" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={report.isPending} data-testid="report-submit">
          {t('projects.submit')}
        </Button>
      </Form>
    </Card>
  );
}

function StageActions({ p }: { p: ProjectDetail }) {
  const { t, i18n } = useTranslation();
  const move = useTransition(p.id);
  const [asking, setAsking] = useState<null | {
    action: 'advance' | 'pause' | 'resume' | 'terminate';
    to?: string;
    needsReason: boolean;
  }>(null);
  const [reason, setReason] = useState('');
  const next = STAGES[STAGES.indexOf(p.stage) + 1];
  const run = (action: 'advance' | 'pause' | 'resume' | 'terminate', to?: string, why?: string) =>
    move.mutate(
      { action, to: to as never, reason: why ?? null },
      {
        onSuccess: () => setAsking(null),
        onError: (e) => void message.error(errorMessage(e, i18n.language)),
      },
    );
  if (p.status === 'terminated') return null;
  return (
    <Card size="small" style={{ marginBottom: 16 }}>
      <Space wrap>
        {p.status === 'active' && next && (
          <Button onClick={() => run('advance', next)} loading={move.isPending}>
            {t('projects.actions.advance')}: {stageLabel(next, t)}
          </Button>
        )}
        {p.status === 'active' && p.canSkip && (
          <Select
            placeholder={t('projects.actions.skipTo')}
            style={{ width: 160 }}
            options={STAGES.slice(STAGES.indexOf(p.stage) + 2).map((s) => ({
              value: s,
              label: stageLabel(s, t),
            }))}
            onChange={(to: string) => setAsking({ action: 'advance', to, needsReason: true })}
          />
        )}
        {p.status === 'active' && (
          <Button onClick={() => setAsking({ action: 'pause', needsReason: true })}>
            {t('projects.actions.pause')}
          </Button>
        )}
        {p.status === 'paused' && (
          <Button onClick={() => run('resume')}>{t('projects.actions.resume')}</Button>
        )}
        <Button danger onClick={() => setAsking({ action: 'terminate', needsReason: true })}>
          {t('projects.actions.terminate')}
        </Button>
      </Space>
      <Modal
        open={asking !== null}
        title={
          asking
            ? asking.to
              ? `${t('projects.actions.skipTo')}: ${stageLabel(asking.to, t)}`
              : t(`projects.actions.${asking.action}`)
            : ''
        }
        onCancel={() => setAsking(null)}
        okButtonProps={{ disabled: reason.trim().length < 4, loading: move.isPending }}
        onOk={() => asking && run(asking.action, asking.to, reason)}
      >
        <Input.TextArea
          rows={3}
          placeholder={t('projects.reasonPrompt')}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
      </Modal>
    </Card>
  );
}

function Risks({ p }: { p: ProjectDetail }) {
  const { t, i18n } = useTranslation();
  const create = useCreateRisk(p.id);
  const update = useUpdateRisk(p.id);
  const [form] = Form.useForm<{
    kind: 'risk' | 'issue';
    title: string;
    severity: 'low' | 'medium' | 'high';
  }>();
  return (
    <Card size="small" title={t('projects.risks')} style={{ marginBottom: 16 }}>
      <Table<Risk>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={p.risks}
        columns={[
          {
            title: t('projects.fields.kind'),
            dataIndex: 'kind',
            render: (k: string) => t(`projects.riskKind.${k}`),
          },
          { title: t('projects.riskTitle'), dataIndex: 'title' },
          {
            title: t('projects.severity'),
            dataIndex: 'severity',
            render: (s: string) => (
              <Tag color={s === 'high' ? 'red' : s === 'medium' ? 'orange' : 'default'}>
                {levelLabel(s, t)}
              </Tag>
            ),
          },
          { title: t('projects.raisedOn'), dataIndex: 'raisedOn' },
          {
            title: t('projects.fields.status'),
            dataIndex: 'status',
            render: (s: string, r) =>
              s === 'open' && p.canEdit ? (
                <Button size="small" onClick={() => update.mutate({ riskId: r.id, status: 'closed' })}>
                  {t('projects.close')}
                </Button>
              ) : (
                t(`projects.riskStatus.${s}`)
              ),
          },
        ]}
      />
      {p.canEdit && (
        <Form
          form={form}
          layout="inline"
          style={{ marginTop: 8 }}
          initialValues={{ kind: 'issue', severity: 'medium' }}
          onFinish={(v) =>
            create.mutate(v, {
              onSuccess: () => form.resetFields(['title']),
              onError: (e) => void message.error(errorMessage(e, i18n.language)),
            })
          }
        >
          <Form.Item name="kind">
            <Select
              style={{ width: 80 }}
              options={RISK_KINDS.map((k) => ({ value: k, label: t(`projects.riskKind.${k}`) }))}
            />
          </Form.Item>
          <Form.Item name="title" rules={[{ required: true, min: 2 }]}>
            <Input placeholder={t('projects.riskTitle')} style={{ width: 180 }} />
          </Form.Item>
          <Form.Item name="severity">
            <Select
              style={{ width: 70 }}
              options={LEVELS.map((l) => ({ value: l, label: levelLabel(l, t) }))}
            />
          </Form.Item>
          <Button htmlType="submit" loading={create.isPending}>
            {t('projects.addRisk')}
          </Button>
        </Form>
      )}
    </Card>
  );
}

function Changes({ p }: { p: ProjectDetail }) {
  const { t } = useTranslation();
  if (p.changes.length === 0) return null;
  return (
    <Card size="small" title={t('projects.changes')}>
      {p.changes.map((c) => (
        <div key={c.id} style={{ marginBottom: 6 }}>
          {c.on} · {c.username} · {stageLabel(c.fromStage, t)} → {stageLabel(c.toStage, t)}
          {c.toStatus !== c.fromStatus && ` · ${t(`projects.status.${c.toStatus}`)}`}
          {c.skipped.length > 0 && (
            <Tag color="purple" style={{ marginLeft: 4 }}>
              {t('projects.skipped')} {c.skipped.map((s) => stageLabel(s, t)).join('、')}
            </Tag>
          )}
          {c.reason && <div style={{ color: '#888' }}>{c.reason}</div>}
        </div>
      ))}
    </Card>
  );
}
