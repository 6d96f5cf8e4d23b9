// 新建产业链 (administrators): a button on the atlas opening a small form — code, cluster, names, the
// landmark flag with its policy basis, and optionally nodes copied from another chain (all, or the ones
// picked; the edges between them come along). The server validates again (POST /api/chains).
import { useState } from 'react';
import { Alert, App, Button, Form, Input, Modal, Select, Switch } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useCurrentUser } from '../../api/auth.ts';
import { api, errorMessage, fieldErrors } from '../../api/client.ts';
import { useClusters } from '../../api/reference.ts';
import './i18n.ts';
import { chainSummarySchema, useChain, type ChainCreate, type ChainSummary } from './api.ts';

interface Values {
  code: string;
  clusterCode: string;
  name: string;
  nameEn?: string;
  description?: string;
  landmark?: boolean;
  policyNote?: string;
  copyChain?: string;
  copyNodes?: string[];
}

/** The server's field names → the form's. */
const FIELD_OF: Record<string, keyof Values> = {
  code: 'code',
  clusterCode: 'clusterCode',
  name: 'name',
  nameEn: 'nameEn',
  description: 'description',
  policyNote: 'policyNote',
  'copyFrom.chainCode': 'copyChain',
  'copyFrom.nodeCodes': 'copyNodes',
};

function useCreateChain() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: ChainCreate) =>
      api('/api/chains', { method: 'POST', body, schema: chainSummarySchema }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['chains', 'list'] }),
  });
}

const trimmed = (v: string | undefined) => {
  const s = (v ?? '').trim();
  return s === '' ? undefined : s;
};

export function NewChainButton({ chains }: { chains: readonly ChainSummary[] }) {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const [open, setOpen] = useState(false);
  if (user.role !== 'admin') return null;
  return (
    <>
      <Button type="primary" onClick={() => setOpen(true)} data-testid="chain-create-open">
        {t('chains.create.button')}
      </Button>
      {open && <NewChainModal chains={chains} onClose={() => setOpen(false)} />}
    </>
  );
}

function NewChainModal({ chains, onClose }: { chains: readonly ChainSummary[]; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const [generalError, setGeneralError] = useState<string | null>(null);
  const clusters = useClusters();
  const create = useCreateChain();
  const landmark = Form.useWatch('landmark', form);
  const copyChain = Form.useWatch('copyChain', form);
  const source = useChain(copyChain);
  const en = i18n.language === 'en';

  const onFinish = (v: Values) => {
    setGeneralError(null);
    const body: ChainCreate = {
      code: v.code.trim(),
      clusterCode: v.clusterCode,
      name: v.name.trim(),
      nameEn: trimmed(v.nameEn),
      description: trimmed(v.description),
      landmark: v.landmark ?? false,
      policyNote: v.landmark ? trimmed(v.policyNote) : undefined,
      copyFrom: v.copyChain
        ? { chainCode: v.copyChain, nodeCodes: v.copyNodes?.length ? v.copyNodes : undefined }
        : undefined,
    };
    create.mutate(body, {
      onSuccess: (c) => {
        void message.success(t('chains.create.created', { name: c.name }));
        onClose();
        void navigate(`/chains/${c.code}`);
      },
      onError: (e) => {
        const errors = fieldErrors(e, i18n.language);
        const known = errors.filter((x) => FIELD_OF[x.name]);
        form.setFields(known.map((x) => ({ name: FIELD_OF[x.name]!, errors: x.errors })));
        const rest = errors.filter((x) => !FIELD_OF[x.name]).flatMap((x) => x.errors);
        setGeneralError(
          known.length && !rest.length ? null : [errorMessage(e, i18n.language), ...rest].join(' '),
        );
      },
    });
  };

  return (
    <Modal
      open
      title={t('chains.create.title')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={create.isPending}
      width={640}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'chain-create-save' }}
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
      <Form<Values> form={form} layout="vertical" onFinish={onFinish} initialValues={{ landmark: false }}>
        <Form.Item
          name="code"
          label={t('chains.create.code')}
          extra={t('chains.create.codeHint')}
          rules={[
            { required: true, message: t('chains.create.required') },
            { pattern: /^[a-z][a-z0-9_]*$/, message: t('chains.create.codeFormat') },
          ]}
        >
          <Input maxLength={40} data-testid="chain-create-code" />
        </Form.Item>
        <Form.Item
          name="clusterCode"
          label={t('chains.create.cluster')}
          rules={[{ required: true, message: t('chains.create.required') }]}
        >
          <Select
            loading={clusters.isLoading}
            data-testid="chain-create-cluster"
            options={(clusters.data ?? []).map((c) => ({ value: c.code, label: en ? c.nameEn : c.name }))}
          />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('chains.create.name')}
          rules={[{ required: true, whitespace: true, message: t('chains.create.required') }]}
        >
          <Input maxLength={100} data-testid="chain-create-name" />
        </Form.Item>
        <Form.Item name="nameEn" label={t('chains.create.nameEn')}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="description" label={t('chains.create.description')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <Form.Item name="landmark" label={t('chains.create.landmark')} valuePropName="checked">
          <Switch />
        </Form.Item>
        {landmark && (
          <Form.Item name="policyNote" label={t('chains.create.policyNote')} extra={t('chains.landmarkHint')}>
            <Input.TextArea rows={2} maxLength={2000} />
          </Form.Item>
        )}
        <Form.Item
          name="copyChain"
          label={t('chains.create.copyFrom')}
          extra={t('chains.create.copyFromHint')}
        >
          <Select
            allowClear
            onChange={() => form.setFieldValue('copyNodes', [])}
            options={chains.map((c) => ({
              value: c.code,
              label: `${en && c.nameEn ? c.nameEn : c.name} (${c.code})`,
            }))}
          />
        </Form.Item>
        {copyChain && (
          <Form.Item
            name="copyNodes"
            label={t('chains.create.copyNodes')}
            extra={t('chains.create.copyNodesHint')}
          >
            <Select
              mode="multiple"
              allowClear
              loading={source.isLoading}
              optionFilterProp="label"
              options={(source.data?.nodes ?? []).map((n) => ({
                value: n.code,
                label: `${n.name} (${n.code})`,
              }))}
            />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
