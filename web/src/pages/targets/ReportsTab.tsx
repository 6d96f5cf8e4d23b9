// Reported values: the list the user may see, a form to report (with evidence), the xlsx import, and a
// drawer with every revision, the evidence, the review history and the review or correction the server
// allows this user now (通过 / 退回 with a reason for the city; a correction for the reporter).
import { useState } from 'react';
import {
  Alert,
  Button,
  Drawer,
  Form,
  Input,
  InputNumber,
  Select,
  Space,
  Table,
  Tag,
  Timeline,
  Typography,
  Upload,
  message,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { useCurrentUser } from '../../api/auth.ts';
import { errorMessage } from '../../api/client.ts';
import { ErrorResult } from '../../components/ErrorResult.tsx';
import { formatDateTime, formatNumber } from '../../format.ts';
import { can, ownRegionOf } from '../../../../src/domain/policy/index.ts';
import type { LedgerAnswer, ReportDetail } from '../../../../src/modules/targets/schemas.ts';
import { useLocalName } from '../../names.ts';
import { fileToBase64, useImportReports, useReport, useReports, useReview, useSubmitReport } from './api.ts';
import { DownloadLink } from '../../components/DownloadButton.tsx';

const STATUS_COLOUR: Record<string, string> = { approved: 'green', pending: 'gold', returned: 'red' };
type FileField = { originFileObj?: File }[];

export function ReportsTab({ ledger, year }: { ledger?: LedgerAnswer; year?: number }) {
  const { t, i18n } = useTranslation();
  const localName = useLocalName();
  // a report names its target in Chinese; the ledger's row has the config's English name
  const nameEn = new Map((ledger?.rows ?? []).map((r) => [r.code, r.nameEn]));
  const targetName = (r: { targetCode: string; targetName: string }) =>
    (i18n.language === 'en' && nameEn.get(r.targetCode)) || r.targetName;
  const user = useCurrentUser();
  const q = useReports({ year });
  const [open, setOpen] = useState<number | null>(null);
  const [form, setForm] = useState(false);
  // the region this user reports for (its county; the city for the city and those acting for it)
  const reportRegion = ledger ? ownRegionOf(user, 'targets.report', ledger.cityCode) : null;
  if (q.error) return <ErrorResult error={q.error} onRetry={() => void q.refetch()} />;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        {can(user, 'targets.report', 'create') && reportRegion && (
          <Button type="primary" onClick={() => setForm(true)} data-testid="report-new">
            {t('tgt.newReport')}
          </Button>
        )}
        {can(user, 'targets.report', 'import') && <ImportButton />}
      </Space>
      <Table
        rowKey="id"
        size="small"
        loading={q.isLoading}
        dataSource={q.data?.items ?? []}
        data-testid="reports-table"
        onRow={(r) => ({ onClick: () => setOpen(r.id), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('tgt.target'), key: 'target', render: (_, r) => targetName(r) },
          { title: t('tgt.region'), key: 'region', render: (_, r) => localName(r.regionName) },
          { title: t('tgt.year'), dataIndex: 'year' },
          { title: t('tgt.value'), render: (_, r) => `${formatNumber(r.value, 2)} ${r.unit}` },
          {
            title: t('tgt.status'),
            render: (_, r) => <Tag color={STATUS_COLOUR[r.status]}>{t(`tgt.reportStatus.${r.status}`)}</Tag>,
          },
          { title: t('tgt.due'), dataIndex: 'dueOn', responsive: ['md'] },
        ]}
      />
      <Drawer open={open !== null} onClose={() => setOpen(null)} width={560} title={t('tgt.report')}>
        {open !== null && <ReportView id={open} />}
      </Drawer>
      <Drawer open={form} onClose={() => setForm(false)} width={480} title={t('tgt.newReport')}>
        {form && ledger && reportRegion && (
          <ReportForm ledger={ledger} region={reportRegion} year={year} onDone={() => setForm(false)} />
        )}
      </Drawer>
    </Space>
  );
}

function ImportButton() {
  const { t, i18n } = useTranslation();
  const imp = useImportReports();
  return (
    <Space>
      <Upload
        accept=".xlsx"
        showUploadList={false}
        beforeUpload={(file) => {
          void fileToBase64(file).then((contentBase64) =>
            imp.mutate(
              { fileName: file.name, contentBase64 },
              {
                onSuccess: (r) =>
                  r.imported
                    ? void message.success(t('tgt.imported', { n: r.imported }))
                    : void message.error(
                        `${t('tgt.importRefused')}：${r.problems
                          .slice(0, 3)
                          .map((p) =>
                            i18n.language.startsWith('zh')
                              ? `${p.file} 第${p.row ?? '-'}行 ${p.column ?? ''} ${p.zh}`
                              : `${p.file} row ${p.row ?? '-'} ${p.column ?? ''} ${p.en}`,
                          )
                          .join('；')}`,
                      ),
                onError: (err) => void message.error(errorMessage(err, i18n.language)),
              },
            ),
          );
          return false;
        }}
      >
        <Button loading={imp.isPending}>{t('tgt.import')}</Button>
      </Upload>
      <DownloadLink url="/api/targets/reports-template">{t('tgt.template')}</DownloadLink>
    </Space>
  );
}

async function evidenceOf(files: FileField | undefined) {
  return Promise.all(
    (files ?? [])
      .map((f) => f.originFileObj)
      .filter((f): f is File => !!f)
      .map(async (f) => ({ fileName: f.name, contentBase64: await fileToBase64(f) })),
  );
}

function ReportForm({
  ledger,
  region,
  year,
  onDone,
}: {
  ledger: LedgerAnswer;
  region: string;
  year?: number;
  onDone: () => void;
}) {
  const { t, i18n } = useTranslation();
  const user = useCurrentUser();
  const submit = useSubmitReport();
  const reported = ledger.rows.filter((r) => r.measurement === 'reported');
  type V = { targetCode: string; year: number; value: number; note?: string; file?: FileField };
  const onFinish = async (v: V) => {
    submit.mutate(
      {
        setCode: ledger.set.code,
        targetCode: v.targetCode,
        regionCode: region,
        year: v.year,
        value: v.value,
        note: v.note || undefined,
        evidence: await evidenceOf(v.file),
      },
      {
        onSuccess: () => {
          void message.success(t('tgt.submitted'));
          onDone();
        },
        onError: (err) => void message.error(errorMessage(err, i18n.language)),
      },
    );
  };
  return (
    <Form
      layout="vertical"
      onFinish={(v: V) => void onFinish(v)}
      initialValues={{ year }}
      data-testid="report-form"
    >
      <Form.Item name="targetCode" label={t('tgt.target')} rules={[{ required: true }]}>
        <Select
          showSearch
          optionFilterProp="label"
          data-testid="report-target"
          options={reported
            .filter((r) => region === ledger.cityCode || r.countySplit !== 'none')
            .map((r) => ({
              value: r.code,
              label: `${i18n.language === 'en' && r.nameEn ? r.nameEn : r.name}（${r.unit}）`,
            }))}
        />
      </Form.Item>
      <Form.Item label={t('tgt.region')}>{user.regionName ?? region}</Form.Item>
      <Form.Item name="year" label={t('tgt.year')} rules={[{ required: true }]}>
        <InputNumber min={2020} max={2030} />
      </Form.Item>
      <Form.Item name="value" label={t('tgt.value')} rules={[{ required: true }]}>
        <InputNumber style={{ width: 200 }} data-testid="report-value" />
      </Form.Item>
      <Form.Item name="note" label={t('tgt.note')}>
        <Input.TextArea rows={2} maxLength={2000} />
      </Form.Item>
      <EvidenceField />
      <Button type="primary" htmlType="submit" loading={submit.isPending} data-testid="report-submit">
        {t('tgt.submit')}
      </Button>
    </Form>
  );
}

function EvidenceField() {
  const { t } = useTranslation();
  return (
    <Form.Item
      name="file"
      label={t('tgt.evidence')}
      valuePropName="fileList"
      getValueFromEvent={(ev: { fileList: unknown[] }) => ev.fileList.slice(-5)}
    >
      <Upload
        beforeUpload={() => false}
        maxCount={5}
        accept=".pdf,.ofd,.png,.jpg,.jpeg,.doc,.docx,.xls,.xlsx"
      >
        <Button data-testid="evidence-button">{t('tgt.chooseFile')}</Button>
      </Upload>
    </Form.Item>
  );
}

function ReportView({ id }: { id: number }) {
  const { t } = useTranslation();
  const q = useReport(id);
  if (q.error) return <ErrorResult error={q.error} />;
  const r = q.data;
  if (!r) return null;
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="report-view">
      <Typography.Title level={5} style={{ margin: 0 }}>
        {r.targetName} · {r.regionName} · {r.year}
      </Typography.Title>
      <Typography.Text data-testid="report-status">
        <Tag color={STATUS_COLOUR[r.status]}>{t(`tgt.reportStatus.${r.status}`)}</Tag>
        {formatNumber(r.value, 2)} {r.unit} · {t('tgt.revision', { n: r.revision })}
      </Typography.Text>
      {r.returnReason && r.status === 'returned' && (
        <Alert
          type="warning"
          message={`${t('tgt.returnReason')}：${r.returnReason}`}
          data-testid="return-reason"
        />
      )}
      <Typography.Title level={5}>{t('tgt.documents')}</Typography.Title>
      {r.documents.map((d) => (
        <div key={d.id}>
          <DownloadLink
            url={`/api/targets/documents/${d.id}`}
            fileName={d.fileName}
            data-testid="report-document"
          >
            📄 {d.fileName}
          </DownloadLink>{' '}
          <Typography.Text type="secondary">{t('tgt.revision', { n: d.revision })}</Typography.Text>
        </div>
      ))}
      <Typography.Title level={5}>{t('tgt.history')}</Typography.Title>
      <Timeline
        data-testid="report-history"
        items={r.events.map((e) => ({
          children: (
            <div>
              {t(`tgt.events.${e.transition ?? 'submit'}`, e.transition ?? '')} · {e.username} ·{' '}
              {formatDateTime(e.at)}
              {e.reason && <div>{e.reason}</div>}
            </div>
          ),
        }))}
      />
      <Typography.Title level={5}>{t('tgt.revisions')}</Typography.Title>
      {r.revisions.map((v) => (
        <div key={v.revision}>
          {t('tgt.revision', { n: v.revision })}：{formatNumber(v.value, 2)} {r.unit} · {v.username} ·{' '}
          {formatDateTime(v.at)} {v.note ?? ''}
        </div>
      ))}
      <Actions r={r} />
    </Space>
  );
}

function Actions({ r }: { r: ReportDetail }) {
  const { t, i18n } = useTranslation();
  const review = useReview(r.id);
  const submit = useSubmitReport();
  const [reason, setReason] = useState('');
  const fail = (err: unknown) => void message.error(errorMessage(err, i18n.language));
  type V = { value: number; note?: string; file?: FileField };
  const correct = async (v: V) =>
    submit.mutate(
      {
        setCode: r.setCode,
        targetCode: r.targetCode,
        regionCode: r.regionCode,
        year: r.year,
        value: v.value,
        note: v.note || undefined,
        evidence: await evidenceOf(v.file),
      },
      { onSuccess: () => void message.success(t('tgt.submitted')), onError: fail },
    );
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {r.actions.includes('approve') && (
        <Space wrap>
          <Button
            type="primary"
            loading={review.isPending}
            data-testid="review-approve"
            onClick={() =>
              review.mutate(
                { decision: 'approve' },
                { onSuccess: () => void message.success(t('tgt.reviewed')), onError: fail },
              )
            }
          >
            {t('tgt.approve')}
          </Button>
          <Input
            placeholder={t('tgt.returnReason')}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            style={{ width: 240 }}
            data-testid="review-reason"
          />
          <Button
            danger
            disabled={!reason.trim()}
            loading={review.isPending}
            data-testid="review-return"
            onClick={() =>
              review.mutate(
                { decision: 'return', reason: reason.trim() },
                { onSuccess: () => void message.success(t('tgt.reviewed')), onError: fail },
              )
            }
          >
            {t('tgt.return')}
          </Button>
        </Space>
      )}
      {r.actions.includes('resubmit') && (
        <Form layout="vertical" onFinish={(v: V) => void correct(v)} initialValues={{ value: r.value }}>
          <Typography.Title level={5}>{t('tgt.resubmit')}</Typography.Title>
          <Form.Item name="value" label={t('tgt.value')} rules={[{ required: true }]}>
            <InputNumber style={{ width: 200 }} data-testid="resubmit-value" />
          </Form.Item>
          <Form.Item name="note" label={t('tgt.note')}>
            <Input.TextArea rows={2} maxLength={2000} />
          </Form.Item>
          <EvidenceField />
          <Button type="primary" htmlType="submit" loading={submit.isPending} data-testid="resubmit-submit">
            {t('tgt.resubmit')}
          </Button>
        </Form>
      )}
    </Space>
  );
}
