// Edits a project's details (not its stage: that changes through transitions). Only the fields changed
// are sent; the server's per-field problems are shown on the fields, anything else above the form.
import { Alert, Col, Form, Input, InputNumber, Modal, Row, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { useCurrentUser } from '../../api/auth.ts';
import { errorMessage, fieldErrors } from '../../api/client.ts';
import { useClusters, useRegions, useZones } from '../../api/reference.ts';
import {
  LEVELS,
  PROJECT_KINDS,
  type ProjectDetail,
  type ProjectUpdate,
} from '../../../../src/modules/projects/schemas.ts';
import { useChainNodes, useUpdateProject } from './api.ts';
import { kindLabel, levelLabel } from './labels.ts';

/** The editable fields, in the order of the form. */
export const EDIT_FIELDS = [
  'name',
  'kind',
  'investorName',
  'regionCode',
  'zoneCode',
  'clusterCode',
  'chainNodeId',
  'plannedTotalInvestment',
  'plannedFixedInvestment',
  'landMu',
  'expectedOutput',
  'expectedTax',
  'expectedJobs',
  'priority',
  'likelihood',
  'owner',
  'department',
  'description',
] as const satisfies readonly (keyof ProjectUpdate & keyof ProjectDetail)[];

type Field = (typeof EDIT_FIELDS)[number];
type Values = Record<Field, string | number | null | undefined>;

const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
const normalise = (v: unknown) => (blank(v) ? null : typeof v === 'string' ? v.trim() : v);

/** The PATCH body: the fields whose value differs from the project's, emptied fields as null. */
export function changedFields(p: ProjectDetail, values: Partial<Values>): ProjectUpdate {
  const body: Record<string, unknown> = {};
  for (const f of EDIT_FIELDS) {
    if (!(f in values)) continue;
    const next = normalise(values[f]);
    if (next !== normalise(p[f])) body[f] = next;
  }
  return body as ProjectUpdate;
}

export function EditProjectModal({ p, onClose }: { p: ProjectDetail; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const user = useCurrentUser();
  const regions = useRegions();
  const zones = useZones();
  const clusters = useClusters();
  const nodes = useChainNodes();
  const update = useUpdateProject(p.id);
  const [form] = Form.useForm<Values>();
  const regionCode = Form.useWatch('regionCode', form) ?? p.regionCode;
  const clusterCode = Form.useWatch('clusterCode', form) ?? null;
  const initialValues = Object.fromEntries(EDIT_FIELDS.map((f) => [f, p[f] ?? undefined])) as Values;

  const submit = async () => {
    const values = await form.validateFields();
    const body = changedFields(p, values);
    if (Object.keys(body).length === 0) return onClose();
    update.mutate(body, {
      onSuccess: onClose,
      onError: (e) => {
        const known = new Set<string>(EDIT_FIELDS);
        form.setFields(
          fieldErrors(e, i18n.language)
            .filter((f) => known.has(f.name))
            .map((f) => ({ name: f.name as Field, errors: f.errors })),
        );
      },
    });
  };

  const money = (name: Field, label: string) => (
    <Form.Item name={name} label={`${label} (${t('units.wanYuan')})`}>
      <InputNumber min={0} style={{ width: '100%' }} data-testid={`edit-${name}`} />
    </Form.Item>
  );

  return (
    <Modal
      open
      title={t('projects.edit')}
      onCancel={onClose}
      onOk={() => void submit()}
      confirmLoading={update.isPending}
      okText={t('projects.save')}
      okButtonProps={{ 'data-testid': 'edit-submit' } as never}
      width={720}
    >
      {update.isError && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          title={errorMessage(update.error, i18n.language)}
          data-testid="edit-error"
        />
      )}
      <Form
        form={form}
        layout="vertical"
        initialValues={initialValues}
        data-testid="edit-form"
        onValuesChange={(changed: Partial<Values>) => {
          // a zone belongs to a county, a chain node to a cluster
          if ('regionCode' in changed) form.setFieldValue('zoneCode', undefined);
          if ('clusterCode' in changed) form.setFieldValue('chainNodeId', undefined);
        }}
      >
        <Row gutter={12}>
          <Col xs={24} md={16}>
            <Form.Item name="name" label={t('projects.fields.name')} rules={[{ required: true, min: 2 }]}>
              <Input data-testid="edit-name" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="kind" label={t('projects.fields.kind')}>
              <Select options={PROJECT_KINDS.map((k) => ({ value: k, label: kindLabel(k, t) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="investorName"
              label={t('projects.fields.investor')}
              rules={[{ required: true, min: 2 }]}
            >
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24} md={6}>
            <Form.Item name="regionCode" label={t('projects.fields.county')} rules={[{ required: true }]}>
              <Select
                // only an administrator moves a project to another county
                disabled={user.role !== 'admin'}
                options={(regions.data ?? [])
                  .filter((r) => r.level === 'county')
                  .map((r) => ({ value: r.code, label: en ? (r.nameEn ?? r.name) : r.name }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={6}>
            <Form.Item name="zoneCode" label={t('projects.fields.zone')}>
              <Select
                allowClear
                options={(zones.data ?? [])
                  .filter((z) => z.hostRegionCode === regionCode)
                  .map((z) => ({ value: z.code, label: en ? (z.nameEn ?? z.name) : z.name }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="clusterCode" label={t('projects.fields.cluster')}>
              <Select
                allowClear
                options={(clusters.data ?? []).map((c) => ({
                  value: c.code,
                  label: en ? c.nameEn : c.name,
                }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="chainNodeId" label={t('projects.fields.chainNode')}>
              <Select
                allowClear
                showSearch={{ optionFilterProp: 'label' }}
                disabled={!clusterCode}
                options={(nodes.data?.items ?? [])
                  .filter((n) => n.clusterCode === clusterCode)
                  .map((n) => ({ value: n.id, label: n.name }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="plannedTotalInvestment"
              label={`${t('projects.fields.plannedTotal')} (${t('units.wanYuan')})`}
              rules={[{ required: true }]}
            >
              <InputNumber min={0} style={{ width: '100%' }} data-testid="edit-plannedTotalInvestment" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            {money('plannedFixedInvestment', t('projects.fields.plannedFixed'))}
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="landMu" label={`${t('projects.fields.land')} (${t('units.mu')})`}>
              <InputNumber min={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="expectedJobs"
              label={`${t('projects.fields.expectedJobs')} (${t('units.persons')})`}
            >
              <InputNumber min={0} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            {money('expectedOutput', t('projects.fields.expectedOutput'))}
          </Col>
          <Col xs={24} md={12}>
            {money('expectedTax', t('projects.fields.expectedTax'))}
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="priority" label={t('projects.fields.priority')}>
              <Select options={LEVELS.map((l) => ({ value: l, label: levelLabel(l, t) }))} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="likelihood" label={t('projects.fields.likelihood')}>
              <Select options={LEVELS.map((l) => ({ value: l, label: levelLabel(l, t) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} md={6}>
            <Form.Item name="owner" label={t('projects.fields.owner')}>
              <Input data-testid="edit-owner" />
            </Form.Item>
          </Col>
          <Col xs={24} md={6}>
            <Form.Item name="department" label={t('projects.fields.department')}>
              <Input />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="description" label={t('projects.fields.description')}>
              <Input.TextArea rows={3} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}
