// One request: what the firm asked, where it stands (state, lead unit, deadline, SLA), the steps the
// caller may take (assign, acknowledge, contest, answer, rate …) and every step so far.
import { useState } from 'react';
import {
  Button,
  Card,
  Checkbox,
  Descriptions,
  Form,
  Input,
  Modal,
  Radio,
  Select,
  Space,
  Tag,
  Timeline,
  Typography,
  message,
  type UploadFile,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { errorMessage } from '../../api/client.ts';
import { useAct, useAssistInput, useRequest, useServiceMeta, useServiceNames } from './api.ts';
import { FileLinks, FilePicker, pickedFiles, uploadsOf } from './files.tsx';
import { cst, SLA_COLOUR } from './labels.ts';
import './i18n.ts';

interface ActionValues {
  reason?: string;
  ownerUnitId?: number;
  rating?: 'satisfied' | 'basic' | 'unsatisfied';
  subjective?: boolean;
  assistUnitIds?: number[];
  files?: UploadFile[];
}

/** A 协办 unit's input: text and files, due 3 working days after the unit was named. */
function AssistInput({ id, unitId }: { id: number; unitId: number }) {
  const { t, i18n } = useTranslation();
  const send = useAssistInput(id);
  const [form] = Form.useForm<{ text: string; files?: UploadFile[] }>();
  return (
    <Form
      form={form}
      layout="vertical"
      data-testid="assist-form"
      onFinish={(v) =>
        void uploadsOf(v.files).then((files) =>
          send.mutate(
            { unitId, text: v.text, files },
            {
              onSuccess: () => form.resetFields(),
              onError: (e) => void message.error(errorMessage(e, i18n.language)),
            },
          ),
        )
      }
    >
      <Form.Item name="text" label={t('service.assistInput')} rules={[{ required: true, min: 2 }]}>
        <Input.TextArea rows={3} data-testid="assist-text" />
      </Form.Item>
      <Form.Item name="files" valuePropName="fileList" getValueFromEvent={pickedFiles}>
        <FilePicker testId="assist-files" />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={send.isPending} data-testid="assist-submit">
        {t('service.submit')}
      </Button>
    </Form>
  );
}

export default function RequestPage() {
  const { t, i18n } = useTranslation();
  const names = useServiceNames();
  const id = Number(useParams().id);
  const q = useRequest(id);
  const meta = useServiceMeta();
  const act = useAct(id);
  const [open, setOpen] = useState<{ name: string; zh: string; assigns: boolean } | null>(null);
  const [form] = Form.useForm<ActionValues>();
  if (!q.data)
    return <Card loading={q.isLoading}>{q.isError ? errorMessage(q.error, i18n.language) : null}</Card>;
  const { request: r, history, actions, suggestedUnit, assists, files } = q.data;
  const owed = assists.find((a) => a.mine && !a.doneAt);
  const rate = { name: 'rate', zh: t('service.rating'), assigns: false };
  const canRate = r.item.state === 'answered' && actions.some((a) => a.name === 'close');
  const buttons = [
    ...actions.filter((a) => a.name !== 'close' && a.name !== 'reopen'),
    ...(canRate ? [{ ...rate, en: 'Rate', reasonRequired: false }] : []),
  ];
  const answering = open?.name === 'answer' || open?.name === 'answer_direct';
  const submit = async (v: ActionValues) =>
    act.mutate(
      {
        transition: open!.name,
        reason: v.reason ?? null,
        ownerUnitId: v.ownerUnitId ?? null,
        assistUnitIds: open?.assigns ? (v.assistUnitIds ?? []) : undefined,
        rating: v.rating,
        subjective: v.subjective,
        expectedVersion: r.item.version,
        files: answering ? await uploadsOf(v.files) : undefined,
      },
      {
        onSuccess: () => {
          setOpen(null);
          form.resetFields();
        },
        onError: (e) => void message.error(errorMessage(e, i18n.language)),
      },
    );
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="request-page">
      <Link to="/service">{t('service.back')}</Link>
      <Card
        title={
          <Space wrap>
            <span>{r.code}</span>
            <span>{r.title}</span>
          </Space>
        }
        extra={
          <Tag color={SLA_COLOUR[r.item.sla]} data-testid="state">
            {names.state(r.item)} · {names.level(r.item)}
          </Tag>
        }
      >
        <Descriptions column={{ xs: 1, sm: 2 }} size="small">
          <Descriptions.Item label={t('service.firm')}>{r.enterpriseName}</Descriptions.Item>
          <Descriptions.Item label={t('service.received')}>{cst(r.receivedAt)}</Descriptions.Item>
          <Descriptions.Item label={t('service.owner')}>
            <span data-testid="owner">{r.item.ownerUnitName ?? '—'}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('service.deadline')}>{cst(r.item.deadlineAt)}</Descriptions.Item>
          {assists.length > 0 && (
            <Descriptions.Item label={t('service.assist')}>
              <Space direction="vertical" size={2} data-testid="assists">
                {assists.map((a) => (
                  <span key={a.unitId}>
                    {names.unit(a.unitName)}{' '}
                    <Tag color={SLA_COLOUR[a.sla]}>
                      {a.doneAt
                        ? `${t('service.assistDone')} ${cst(a.doneAt)}`
                        : `${t('service.assistDue')} ${cst(a.dueAt)}`}
                    </Tag>
                    {a.note ? <Typography.Text type="secondary">{a.note}</Typography.Text> : null}
                  </span>
                ))}
              </Space>
            </Descriptions.Item>
          )}
          {files.length > 0 && (
            <Descriptions.Item label={t('service.files')}>
              <FileLinks requestId={r.id} files={files} />
            </Descriptions.Item>
          )}
          {r.answer && <Descriptions.Item label={t('service.answer')}>{r.answer}</Descriptions.Item>}
          {r.rating && (
            <Descriptions.Item label={t('service.rating')}>
              {names.label(
                meta.data?.ratings.find((x) => x.key === r.rating) ?? { zh: r.rating, en: r.rating },
              )}
            </Descriptions.Item>
          )}
        </Descriptions>
        <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{r.description}</Typography.Paragraph>
        <Space wrap data-testid="actions">
          {buttons.length === 0 && (
            <Typography.Text type="secondary">{t('service.noActions')}</Typography.Text>
          )}
          {buttons.map((a) => (
            <Button
              key={a.name}
              data-testid={`action-${a.name}`}
              onClick={() => {
                setOpen(a);
                form.setFieldsValue({ ownerUnitId: suggestedUnit?.unitId ?? undefined });
              }}
            >
              {a.zh}
            </Button>
          ))}
        </Space>
      </Card>
      {owed && (
        <Card title={`${t('service.assistInput')}（${names.unit(owed.unitName)}）`} size="small">
          <AssistInput id={r.id} unitId={owed.unitId} />
        </Card>
      )}
      <Card title={t('service.history')} size="small">
        <Timeline
          data-testid="history"
          items={history.map((e) => ({
            children: (
              <span>
                {cst(e.at)} ·{' '}
                {e.transitionZh ??
                  (e.type === 'level'
                    ? t('service.event.level', { level: e.level })
                    : e.type === 'created' || e.type === 'note'
                      ? t(`service.event.${e.type}`)
                      : e.type)}
                {e.toUnitName && e.transition ? ` → ${names.unit(e.toUnitName)}` : ''}
                {e.reason ? `：${e.reason}` : ''}{' '}
                <Typography.Text type="secondary">{e.actorUsername}</Typography.Text>
              </span>
            ),
          }))}
        />
      </Card>
      <Modal
        open={open != null}
        title={open?.zh}
        onCancel={() => setOpen(null)}
        onOk={() => form.submit()}
        okText={t('service.confirm')}
        confirmLoading={act.isPending}
        okButtonProps={{ 'data-testid': 'confirm' } as never}
      >
        <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
          {open?.assigns && (
            <Form.Item
              name="ownerUnitId"
              label={t('service.assignTo')}
              rules={[{ required: true }]}
              extra={suggestedUnit ? `${t('service.suggested')}：${suggestedUnit.zh}` : undefined}
            >
              <Select
                data-testid="unit-select"
                showSearch
                optionFilterProp="label"
                options={(meta.data?.units ?? []).map((u) => ({ value: u.id, label: u.name }))}
              />
            </Form.Item>
          )}
          {open?.assigns && (
            <Form.Item name="assistUnitIds" label={t('service.assistUnits')}>
              <Select
                mode="multiple"
                data-testid="assist-select"
                optionFilterProp="label"
                options={(meta.data?.units ?? []).map((u) => ({ value: u.id, label: u.name }))}
              />
            </Form.Item>
          )}
          {answering && (
            <Form.Item
              name="files"
              label={t('service.files')}
              valuePropName="fileList"
              getValueFromEvent={pickedFiles}
            >
              <FilePicker testId="answer-files" />
            </Form.Item>
          )}
          {open?.name === 'rate' && (
            <>
              <Form.Item name="rating" label={t('service.rating')} rules={[{ required: true }]}>
                <Radio.Group
                  data-testid="rating"
                  options={(meta.data?.ratings ?? []).map((x) => ({
                    value: x.key,
                    label: i18n.language === 'en' ? x.en : x.zh,
                  }))}
                />
              </Form.Item>
              <Form.Item name="subjective" valuePropName="checked" initialValue={true}>
                <Checkbox>{t('service.subjective')}</Checkbox>
              </Form.Item>
            </>
          )}
          <Form.Item name="reason" label={t('service.reason')}>
            <Input.TextArea rows={3} data-testid="reason" />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
