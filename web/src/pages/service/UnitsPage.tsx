// 承办单位名录: the register of units that own enterprise requests (departments, county offices, cluster task
// forces, the coordinating and supervising offices) with the users who act for them. Everyone with the read
// right sees it; an administrator (service.unit manage) renames a unit, sets the categories it is
// competent for (routing), stops or restarts it, and adds or removes its members. Every change is audited
// by the server.
import { useState } from 'react';
import {
  Button,
  Card,
  Checkbox,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  message,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { z } from 'zod';
import { useCurrentUser } from '../../api/auth.ts';
import { errorMessage } from '../../api/client.ts';
import { can } from '../../../../src/domain/policy/index.ts';
import type { unitSchema } from '../../../../src/modules/workitems/schemas.ts';
import { useServiceMeta, useUnitEdit, useUnitMember, useUnits } from './api.ts';
import './i18n.ts';

type Unit = z.infer<typeof unitSchema>;

export default function UnitsPage() {
  const { t, i18n } = useTranslation();
  const user = useCurrentUser();
  const manage = can(user, 'service.unit', 'manage');
  const [all, setAll] = useState(false);
  const units = useUnits(all);
  const meta = useServiceMeta();
  const edit = useUnitEdit();
  const member = useUnitMember();
  const [editing, setEditing] = useState<Unit | null>(null);
  const [adding, setAdding] = useState<Unit | null>(null);
  const [form] = Form.useForm<{ name: string; duties: string[] }>();
  const [memberForm] = Form.useForm<{ username: string; duty: 'handler' | 'head' }>();
  const fail = (e: unknown) => void message.error(errorMessage(e, i18n.language));
  const en = i18n.language === 'en';
  const categoryName = new Map((meta.data?.categories ?? []).map((c) => [c.key, en ? c.en : c.zh]));
  return (
    <Card
      title={t('service.units')}
      extra={<Link to="/service">{t('service.back')}</Link>}
      data-testid="units-page"
    >
      <Space style={{ marginBottom: 12 }}>
        <Checkbox checked={all} onChange={(e) => setAll(e.target.checked)}>
          {t('service.all')}
        </Checkbox>
      </Space>
      <Table<Unit>
        rowKey="id"
        size="small"
        loading={units.isLoading}
        dataSource={units.data?.items ?? []}
        pagination={false}
        scroll={{ x: true }}
        columns={[
          {
            title: t('service.unitName'),
            dataIndex: 'name',
            render: (v: string, u) => (i18n.language === 'en' ? (u.nameEn ?? v) : v),
          },
          {
            title: t('service.unitKind'),
            dataIndex: 'kind',
            render: (k: string) => t(`service.kind.${k}`, { defaultValue: k }),
          },
          {
            title: t('service.duties'),
            dataIndex: 'duties',
            render: (d: string[]) => d.map((x) => <Tag key={x}>{categoryName.get(x) ?? x}</Tag>),
          },
          {
            title: t('service.members'),
            render: (_, u) => (
              <Space wrap size={4}>
                {u.members.map((m) => (
                  <Tag
                    key={m.userId}
                    color={m.duty === 'head' ? 'blue' : undefined}
                    closable={manage}
                    onClose={(e) => {
                      e.preventDefault();
                      member.mutate({ unitId: u.id, username: m.username, remove: true }, { onError: fail });
                    }}
                  >
                    {m.displayName}（{m.username}）
                  </Tag>
                ))}
              </Space>
            ),
          },
          {
            title: t('service.active'),
            dataIndex: 'active',
            render: (v: boolean, u) =>
              manage ? (
                <Popconfirm
                  title={t(v ? 'service.toggleUnit.off' : 'service.toggleUnit.on', { name: u.name })}
                  onConfirm={() => edit.mutate({ id: u.id, active: !v }, { onError: fail })}
                >
                  <Switch checked={v} size="small" data-testid={`active-${u.code}`} />
                </Popconfirm>
              ) : v ? (
                '✓'
              ) : (
                '—'
              ),
          },
          ...(manage
            ? [
                {
                  title: '',
                  render: (_: unknown, u: Unit) => (
                    <Space>
                      <Button
                        size="small"
                        data-testid={`edit-${u.code}`}
                        onClick={() => {
                          setEditing(u);
                          form.setFieldsValue({ name: u.name, duties: u.duties });
                        }}
                      >
                        {t('service.edit')}
                      </Button>
                      <Button size="small" onClick={() => setAdding(u)} data-testid={`add-member-${u.code}`}>
                        {t('service.addMember')}
                      </Button>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Modal
        open={editing != null}
        title={editing?.name}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        confirmLoading={edit.isPending}
        okButtonProps={{ 'data-testid': 'unit-save' } as never}
      >
        <Form
          form={form}
          layout="vertical"
          onFinish={(v) =>
            edit.mutate(
              { id: editing!.id, ...v },
              {
                onSuccess: () => {
                  setEditing(null);
                  void message.success(t('service.saved'));
                },
                onError: fail,
              },
            )
          }
        >
          <Form.Item name="name" label={t('service.unitName')} rules={[{ required: true }]}>
            <Input data-testid="unit-name" />
          </Form.Item>
          <Form.Item name="duties" label={t('service.duties')}>
            <Select
              mode="multiple"
              options={(meta.data?.categories ?? []).map((c) => ({ value: c.key, label: en ? c.en : c.zh }))}
            />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={adding != null}
        title={`${adding?.name ?? ''} · ${t('service.addMember')}`}
        onCancel={() => setAdding(null)}
        onOk={() => memberForm.submit()}
        confirmLoading={member.isPending}
      >
        <Form
          form={memberForm}
          layout="vertical"
          initialValues={{ duty: 'handler' }}
          onFinish={(v) =>
            member.mutate(
              { unitId: adding!.id, ...v },
              {
                onSuccess: () => {
                  setAdding(null);
                  memberForm.resetFields();
                },
                onError: fail,
              },
            )
          }
        >
          <Form.Item name="username" label={t('service.username')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="duty">
            <Select
              options={[
                { value: 'handler', label: t('service.handler') },
                { value: 'head', label: t('service.head') },
              ]}
            />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
