import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { useLogin, useMe } from '../../api/auth.ts';
import { errorMessage } from '../../api/client.ts';
import { useCity } from '../../api/reference.ts';
import { DemoBanner } from '../../components/DemoBanner.tsx';
import { LanguageSwitch } from '../../components/LanguageSwitch.tsx';
import type { LoginRedirectState } from '../../components/RequireAuth.tsx';

interface LoginValues {
  username: string;
  password: string;
}

/** Only same-app paths are followed after login, never an absolute URL smuggled into the state. */
function safeTarget(state: unknown): string {
  const from = (state as LoginRedirectState | null)?.from;
  return typeof from === 'string' && from.startsWith('/') && !from.startsWith('//') && from !== '/login'
    ? from
    : '/';
}

export default function LoginPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const city = useCity();
  const login = useLogin();
  const location = useLocation();
  const navigate = useNavigate();
  const target = safeTarget(location.state);

  if (me.data) return <Navigate to={target} replace />;

  const onFinish = (values: LoginValues) =>
    login.mutate(values, { onSuccess: () => void navigate(target, { replace: true }) });

  const cityName = city.data ? (i18n.language === 'en' ? city.data.nameEn : city.data.name) : '';

  return (
    <div style={{ minHeight: '100vh', background: '#f0f2f5', display: 'flex', flexDirection: 'column' }}>
      <div style={{ display: 'flex', justifyContent: 'flex-end', padding: 16 }}>
        <LanguageSwitch />
      </div>
      <div
        style={{
          flex: 1,
          display: 'flex',
          justifyContent: 'center',
          alignItems: 'flex-start',
          paddingTop: '8vh',
        }}
      >
        <Card style={{ width: 400, maxWidth: 'calc(100vw - 32px)' }}>
          <Typography.Title level={3} style={{ marginTop: 0 }}>
            {t('app.title')}
          </Typography.Title>
          <Typography.Paragraph type="secondary">
            {cityName ? `${cityName} · ` : ''}
            {t('login.subtitle')}
          </Typography.Paragraph>
          <DemoBanner variant="alert" />
          {login.isError && (
            <Alert
              data-testid="login-error"
              type="error"
              showIcon
              title={errorMessage(login.error, i18n.language)}
              style={{ marginBottom: 16 }}
            />
          )}
          <Form<LoginValues>
            layout="vertical"
            onFinish={onFinish}
            requiredMark={false}
            disabled={login.isPending}
          >
            <Form.Item
              name="username"
              label={t('login.username')}
              rules={[{ required: true, whitespace: true, message: t('login.usernameRequired') }]}
            >
              <Input
                prefix={<UserOutlined />}
                autoComplete="username"
                autoFocus
                data-testid="login-username"
              />
            </Form.Item>
            <Form.Item
              name="password"
              label={t('login.password')}
              rules={[{ required: true, message: t('login.passwordRequired') }]}
            >
              <Input.Password
                prefix={<LockOutlined />}
                autoComplete="current-password"
                data-testid="login-password"
              />
            </Form.Item>
            <Button
              type="primary"
              htmlType="submit"
              block
              loading={login.isPending}
              data-testid="login-submit"
            >
              {t('login.submit')}
            </Button>
          </Form>
        </Card>
      </div>
    </div>
  );
}
