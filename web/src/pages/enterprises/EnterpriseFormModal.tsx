// Create or edit an enterprise. The server is the judge (USCC check digit, scope, uniqueness); its
// per-field problems are put next to the fields they concern.
import { useMemo, useState } from 'react';
import { Alert, App, Form, Input, Modal, Radio, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { useCurrentUser } from '../../api/auth.ts';
import { errorMessage, fieldErrors } from '../../api/client.ts';
import {
  SCALES,
  STATUSES,
  type EnterpriseCreate,
  type EnterpriseProfile,
  type EnterpriseUpdate,
} from '../../api/contract.ts';
import { useCreateEnterprise, useUpdateEnterprise } from '../../api/enterprises.ts';
import { useIndustries, useRegions, useZones } from '../../api/reference.ts';
import { editsRegistryFacts } from '../../permissions.ts';
import { industryOptions, scaleLabel, statusLabel } from './labels.ts';

export type FormMode = { kind: 'create' } | { kind: 'edit'; profile: EnterpriseProfile };

interface Props {
  mode: FormMode;
  onClose: () => void;
  onSaved?: (profile: EnterpriseProfile) => void;
}

interface Values {
  uscc?: string;
  name?: string;
  regionCode?: string;
  zoneCode?: string | null;
  industryCode?: string;
  scale?: EnterpriseCreate['scale'];
  founded?: string;
  status?: EnterpriseCreate['status'];
  address?: string;
  mainProducts?: string[];
}

const FIELDS = [
  'uscc',
  'name',
  'regionCode',
  'zoneCode',
  'industryCode',
  'scale',
  'founded',
  'status',
  'address',
  'mainProducts',
] as const satisfies readonly (keyof Values)[];

// 18 characters of the GB 32100 alphabet (no I, O, S, V, Z); the check digit is the server's job.
const USCC_SHAPE = /^[0-9A-HJ-NPQRTUWXY]{18}$/;

const text = (value: string | undefined): string => value?.trim() ?? '';
const orNull = (value: string | null | undefined): string | null => value?.trim() || null;

function initialValues(mode: FormMode, regionCode: string | null): Values {
  if (mode.kind === 'create')
    return { regionCode: regionCode ?? undefined, scale: 'above', status: 'operating' };
  const p = mode.profile;
  return {
    name: p.name,
    regionCode: p.regionCode,
    zoneCode: p.zoneCode,
    industryCode: p.industryCode,
    scale: p.scale,
    founded: p.founded ?? undefined,
    status: p.status,
    address: p.address ?? undefined,
    mainProducts: p.mainProducts,
  };
}

/** 主要产品 as typed: trimmed, blanks and repeats dropped (the server splits at separators too). */
const productList = (value: string[] | undefined): string[] => [
  ...new Set((value ?? []).map((p) => p.trim()).filter(Boolean)),
];
const PRODUCT_SEPARATORS = ['、', '，', ',', ';', '；', '/'];

function changedFields(candidate: EnterpriseUpdate, profile: EnterpriseProfile): EnterpriseUpdate {
  const same = (a: unknown, b: unknown) =>
    Array.isArray(a) ? JSON.stringify(a) === JSON.stringify(b) : a === b;
  const entries = Object.entries(candidate).filter(
    ([key, value]) => value !== undefined && !same(value, profile[key as keyof EnterpriseUpdate]),
  );
  return Object.fromEntries(entries) as EnterpriseUpdate;
}

export function EnterpriseFormModal({ mode, onClose, onSaved }: Props) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const user = useCurrentUser();
  const [form] = Form.useForm<Values>();
  const [generalError, setGeneralError] = useState<string | null>(null);
  const create = useCreateEnterprise();
  const update = useUpdateEnterprise(mode.kind === 'edit' ? mode.profile.id : 0);
  // An enterprise user edits only its own contact details (see permissions.ts).
  const full = mode.kind === 'create' || editsRegistryFacts(user);
  const regions = useRegions();
  const zones = useZones();
  const industries = useIndustries({ level: 'class' }, full);
  const regionCode = Form.useWatch('regionCode', form);
  const en = i18n.language === 'en';
  const countyLocked = user.role === 'county';

  const counties = useMemo(
    () =>
      (regions.data ?? [])
        .filter((r) => r.level === 'county')
        .filter((r) => !countyLocked || r.code === user.regionCode)
        .map((r) => ({ value: r.code, label: en && r.nameEn ? r.nameEn : r.name })),
    [regions.data, countyLocked, user.regionCode, en],
  );
  // A zone belongs to one host county; only that county's zones are offered.
  const zoneOptions = useMemo(
    () =>
      (zones.data ?? [])
        .filter((z) => z.hostRegionCode === regionCode)
        .map((z) => ({ value: z.code, label: en && z.nameEn ? z.nameEn : z.name })),
    [zones.data, regionCode, en],
  );
  const industryChoices = useMemo(() => industryOptions(industries.data), [industries.data]);

  const onValuesChange = (changed: Partial<Values>) => {
    if ('regionCode' in changed) {
      const zone = zones.data?.find((z) => z.code === form.getFieldValue('zoneCode'));
      if (zone && zone.hostRegionCode !== changed.regionCode) form.setFieldValue('zoneCode', null);
    }
  };

  const onError = (error: unknown) => {
    const errors = fieldErrors(error, i18n.language);
    const known = errors.filter((e) => (FIELDS as readonly string[]).includes(e.name));
    const unknown = errors.filter((e) => !known.includes(e));
    form.setFields(known.map((e) => ({ name: e.name as keyof Values, errors: e.errors })));
    setGeneralError(
      known.length > 0 && unknown.length === 0
        ? null
        : [errorMessage(error, i18n.language), ...unknown.flatMap((e) => e.errors)].join(' '),
    );
  };

  const onSuccess = (profile: EnterpriseProfile) => {
    void message.success(mode.kind === 'create' ? t('enterpriseForm.created') : t('enterpriseForm.saved'));
    onSaved?.(profile);
    onClose();
  };

  const onFinish = (v: Values) => {
    setGeneralError(null);
    if (mode.kind === 'create') {
      const body: EnterpriseCreate = {
        uscc: text(v.uscc).toUpperCase(),
        name: text(v.name),
        regionCode: v.regionCode ?? '',
        zoneCode: v.zoneCode ?? null,
        industryCode: v.industryCode ?? '',
        scale: v.scale ?? 'above',
        founded: orNull(v.founded),
        status: v.status ?? 'operating',
        address: orNull(v.address),
        mainProducts: productList(v.mainProducts),
      };
      create.mutate(body, { onSuccess, onError });
      return;
    }
    const candidate: EnterpriseUpdate = full
      ? {
          name: text(v.name),
          regionCode: v.regionCode,
          zoneCode: v.zoneCode ?? null,
          industryCode: v.industryCode,
          scale: v.scale,
          founded: orNull(v.founded),
          status: v.status,
          address: orNull(v.address),
          mainProducts: productList(v.mainProducts),
        }
      : { address: orNull(v.address), mainProducts: productList(v.mainProducts) };
    // Only what changed is sent: the server refuses a field the role may not change (a county
    // officer's regionCode) even when its value is the same, and the audit log stays to the point.
    const body = changedFields(candidate, mode.profile);
    if (Object.keys(body).length === 0) {
      void message.info(t('enterpriseForm.unchanged'));
      onClose();
      return;
    }
    update.mutate(body, { onSuccess, onError });
  };

  return (
    <Modal
      open
      title={mode.kind === 'create' ? t('enterpriseForm.createTitle') : t('enterpriseForm.editTitle')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={create.isPending || update.isPending}
      width={640}
      destroyOnHidden
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
        initialValues={initialValues(mode, user.regionCode)}
        onValuesChange={onValuesChange}
        onFinish={onFinish}
        data-testid="enterprise-form"
      >
        {mode.kind === 'create' && (
          <Form.Item
            name="uscc"
            label={t('enterprise.fields.uscc')}
            normalize={(value: string) => value.toUpperCase().replace(/\s+/g, '')}
            rules={[
              { required: true, message: t('enterpriseForm.required') },
              { pattern: USCC_SHAPE, message: t('enterpriseForm.usccShape') },
            ]}
          >
            <Input maxLength={18} data-testid="form-uscc" />
          </Form.Item>
        )}
        {full && (
          <>
            <Form.Item
              name="name"
              label={t('enterprise.fields.name')}
              rules={[
                { required: true, whitespace: true, message: t('enterpriseForm.required') },
                { min: 2, max: 200, message: t('enterpriseForm.nameLength') },
              ]}
            >
              <Input data-testid="form-name" />
            </Form.Item>
            <Form.Item
              name="regionCode"
              label={t('enterprise.fields.county')}
              rules={[{ required: true, message: t('enterpriseForm.required') }]}
            >
              <Select
                options={counties}
                disabled={countyLocked}
                loading={regions.isPending}
                data-testid="form-county"
              />
            </Form.Item>
            <Form.Item name="zoneCode" label={t('enterprise.fields.zone')}>
              <Select
                allowClear
                options={zoneOptions}
                placeholder={regionCode ? undefined : t('enterpriseForm.pickCountyFirst')}
                disabled={!regionCode}
                data-testid="form-zone"
              />
            </Form.Item>
            <Form.Item
              name="industryCode"
              label={t('enterprise.fields.industry')}
              extra={t('enterpriseForm.industryHint')}
              rules={[{ required: true, message: t('enterpriseForm.required') }]}
            >
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                options={industryChoices}
                loading={industries.isPending}
                data-testid="form-industry"
              />
            </Form.Item>
            <Form.Item name="scale" label={t('enterprise.fields.scale')} rules={[{ required: true }]}>
              <Radio.Group options={SCALES.map((s) => ({ value: s, label: scaleLabel(s, t) }))} />
            </Form.Item>
            <Form.Item
              name="founded"
              label={t('enterprise.fields.founded')}
              rules={[{ pattern: /^\d{4}-\d{2}-\d{2}$/, message: t('enterpriseForm.dateShape') }]}
            >
              <Input type="date" style={{ width: 200 }} data-testid="form-founded" />
            </Form.Item>
            <Form.Item name="status" label={t('enterprise.fields.status')} rules={[{ required: true }]}>
              <Select
                options={STATUSES.map((s) => ({ value: s, label: statusLabel(s, t) }))}
                style={{ width: 200 }}
              />
            </Form.Item>
          </>
        )}
        <Form.Item name="address" label={t('enterprise.fields.address')} rules={[{ max: 300 }]}>
          <Input.TextArea rows={2} maxLength={300} data-testid="form-address" />
        </Form.Item>
        <Form.Item
          name="mainProducts"
          label={t('enterprise.fields.mainProducts')}
          extra={t('enterpriseForm.mainProductsHint')}
        >
          <Select
            mode="tags"
            open={false}
            tokenSeparators={PRODUCT_SEPARATORS}
            maxCount={30}
            placeholder={t('enterpriseForm.mainProductsPlaceholder')}
            data-testid="form-main-products"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
