// Registers a project: the key facts and planned milestone dates; the rest is edited on the project page.
import { Form, Input, InputNumber, Modal, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { useCurrentUser } from '../../api/auth.ts';
import { errorMessage, fieldErrors } from '../../api/client.ts';
import { useClusters, useRegions } from '../../api/reference.ts';
import { LEVELS, PROJECT_KINDS, type ProjectCreate } from '../../../../src/modules/projects/schemas.ts';
import { useCreateProject } from './api.ts';
import { kindLabel, levelLabel, stageLabel, STAGES } from './labels.ts';

export function CreateProjectModal({
  onClose,
  onSaved,
}: {
  onClose: () => void;
  onSaved: (id: number) => void;
}) {
  const { t, i18n } = useTranslation();
  const user = useCurrentUser();
  const regions = useRegions();
  const clusters = useClusters();
  const create = useCreateProject();
  const [form] = Form.useForm<ProjectCreate>();
  const submit = async () => {
    const values = await form.validateFields();
    const plannedDates = Object.fromEntries(Object.entries(values.plannedDates ?? {}).filter(([, d]) => d));
    create.mutate(
      { ...values, plannedDates },
      {
        onSuccess: (p) => onSaved(p.id),
        onError: (e) =>
          form.setFields(
            fieldErrors(e, i18n.language).map((f) => ({ name: f.name as never, errors: f.errors })),
          ),
      },
    );
  };
  return (
    <Modal
      open
      title={t('projects.create')}
      onCancel={onClose}
      onOk={() => void submit()}
      confirmLoading={create.isPending}
      width={640}
    >
      {create.isError && (
        <div style={{ color: '#ff4d4f', marginBottom: 8 }}>{errorMessage(create.error, i18n.language)}</div>
      )}
      <Form
        form={form}
        layout="vertical"
        initialValues={{
          kind: 'investment',
          priority: 'medium',
          likelihood: 'medium',
          stage: 'negotiation',
          regionCode: user.regionCode ?? undefined,
        }}
      >
        <Form.Item name="name" label={t('projects.fields.name')} rules={[{ required: true, min: 2 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="kind" label={t('projects.fields.kind')}>
          <Select options={PROJECT_KINDS.map((k) => ({ value: k, label: kindLabel(k, t) }))} />
        </Form.Item>
        <Form.Item
          name="investorName"
          label={t('projects.fields.investor')}
          rules={[{ required: true, min: 2 }]}
        >
          <Input />
        </Form.Item>
        <Form.Item name="regionCode" label={t('projects.fields.county')} rules={[{ required: true }]}>
          <Select
            disabled={user.role === 'county'}
            options={(regions.data ?? [])
              .filter((r) => r.level === 'county')
              .map((r) => ({ value: r.code, label: r.name }))}
          />
        </Form.Item>
        <Form.Item name="clusterCode" label={t('projects.fields.cluster')}>
          <Select
            allowClear
            options={(clusters.data ?? []).map((c) => ({
              value: c.code,
              label: i18n.language === 'en' ? c.nameEn : c.name,
            }))}
          />
        </Form.Item>
        <Form.Item
          name="plannedTotalInvestment"
          label={`${t('projects.fields.plannedTotal')} (${t('units.wanYuan')})`}
          rules={[{ required: true }]}
        >
          <InputNumber min={0} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="priority" label={t('projects.fields.priority')}>
          <Select options={LEVELS.map((l) => ({ value: l, label: levelLabel(l, t) }))} />
        </Form.Item>
        <Form.Item name="likelihood" label={t('projects.fields.likelihood')}>
          <Select options={LEVELS.map((l) => ({ value: l, label: levelLabel(l, t) }))} />
        </Form.Item>
        <Form.Item name="stage" label={t('projects.fields.stage')}>
          <Select options={STAGES.map((s) => ({ value: s, label: stageLabel(s, t) }))} />
        </Form.Item>
        {STAGES.slice(1).map((s) => (
          <Form.Item
            key={s}
            name={['plannedDates', s]}
            label={`${t('projects.planned')} · ${stageLabel(s, t)}`}
            rules={[{ pattern: /^\d{4}-\d{2}-\d{2}$/, message: 'YYYY-MM-DD' }]}
          >
            <Input placeholder="YYYY-MM-DD" />
          </Form.Item>
        ))}
      </Form>
    </Modal>
  );
}
