// 账户: who am I, and change my password.
import { useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Form, Input, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useChangePassword, useCurrentUser } from '../../api/auth.ts';
import { errorMessage, fieldErrors } from '../../api/client.ts';
import { useClusters } from '../../api/reference.ts';
import { describeScope } from '../../scope.ts';

interface PasswordValues {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

// Mirrors passwordChangeBody (src/modules/auth/schemas.ts) so the user learns the rule before sending.
const MIN_LENGTH = 10;

export default function AccountPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const user = useCurrentUser();
  const clusters = useClusters();
  const change = useChangePassword();
  const [form] = Form.useForm<PasswordValues>();
  const [generalError, setGeneralError] = useState<string | null>(null);

  const onFinish = ({ currentPassword, newPassword }: PasswordValues) => {
    setGeneralError(null);
    change.mutate(
      { currentPassword, newPassword },
      {
        onSuccess: () => {
          form.resetFields();
          void message.success(t('account.changed'));
        },
        onError: (error) => {
          const errors = fieldErrors(error, i18n.language).filter(
            (e) => e.name === 'currentPassword' || e.name === 'newPassword',
          );
          form.setFields(errors.map((e) => ({ name: e.name as keyof PasswordValues, errors: e.errors })));
          if (errors.length === 0) setGeneralError(errorMessage(error, i18n.language));
        },
      },
    );
  };

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%', maxWidth: 720 }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('capabilities.account.name')}
      </Typography.Title>
      <Card size="small">
        <Descriptions
          column={1}
          size="small"
          items={[
            { key: 'username', label: t('account.username'), children: user.username },
            { key: 'displayName', label: t('account.displayName'), children: user.displayName },
            { key: 'role', label: t('account.role'), children: t(`roles.${user.role}`) },
            {
              key: 'scope',
              label: t('account.scope'),
              children: describeScope(user, t, clusters.data, i18n.language),
            },
          ]}
        />
      </Card>
      <Card title={t('account.changePassword')} size="small">
        {generalError && <Alert type="error" showIcon title={generalError} style={{ marginBottom: 16 }} />}
        <Form<PasswordValues>
          form={form}
          layout="vertical"
          onFinish={onFinish}
          disabled={change.isPending}
          style={{ maxWidth: 400 }}
          data-testid="password-form"
        >
          <Form.Item
            name="currentPassword"
            label={t('account.currentPassword')}
            rules={[{ required: true, message: t('enterpriseForm.required') }]}
          >
            <Input.Password autoComplete="current-password" data-testid="password-current" />
          </Form.Item>
          <Form.Item
            name="newPassword"
            label={t('account.newPassword')}
            rules={[
              { required: true, message: t('enterpriseForm.required') },
              { min: MIN_LENGTH, message: t('account.tooShort', { count: MIN_LENGTH }) },
              { max: 200 },
            ]}
          >
            <Input.Password autoComplete="new-password" data-testid="password-new" />
          </Form.Item>
          <Form.Item
            name="confirm"
            label={t('account.confirm')}
            dependencies={['newPassword']}
            rules={[
              { required: true, message: t('enterpriseForm.required') },
              ({ getFieldValue }) => ({
                validator: (_rule, value: string | undefined) =>
                  !value || value === getFieldValue('newPassword')
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('account.mismatch'))),
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" data-testid="password-confirm" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={change.isPending} data-testid="password-submit">
            {t('account.submit')}
          </Button>
        </Form>
      </Card>
    </Space>
  );
}
