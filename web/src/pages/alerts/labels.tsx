// Shared bits of the alerts pages: level tags, evidence text, the handling drawer.
import { useState } from 'react';
import { Alert, Button, Descriptions, Drawer, Input, Space, Tag, Timeline, Typography, message } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCurrentUser } from '../../api/auth.ts';
import { errorMessage } from '../../api/client.ts';
import { can } from '../../../../src/domain/policy/index.ts';
import type { AlertView } from '../../../../src/modules/alerts/schemas.ts';
import { useAlert, useHandle } from './api.ts';
import './i18n.ts';

export const LEVEL_COLOR: Record<string, string> = { red: 'red', orange: 'orange', yellow: 'gold' };
const STEPS = ['verify', 'visit', 'support', 'close', 'false_alarm'] as const;
const STEP_FROM: Record<(typeof STEPS)[number], string[]> = {
  verify: ['open'],
  visit: ['open', 'verifying'],
  support: ['open', 'verifying', 'visited'],
  close: ['open', 'verifying', 'visited', 'supporting'],
  false_alarm: ['open', 'verifying', 'visited', 'supporting'],
};

export function LevelTag({ level }: { level: string }) {
  const { t } = useTranslation();
  return <Tag color={LEVEL_COLOR[level]}>{t(`alerts.level.${level}`)}</Tag>;
}

export function evidenceText(a: Pick<AlertView, 'evidence'>, t: (k: string) => string): string {
  return a.evidence
    .map(
      (e) =>
        `${e.month} ${Object.entries(e.values)
          .map(([k, v]) => `${t(`alerts.signal.${k}`)} ${v}`)
          .join('，')}`,
    )
    .join('；');
}

export function profileKey(a: Pick<AlertView, 'subjectKey'>): string {
  return `/alerts/profile/${encodeURIComponent(a.subjectKey)}`;
}

/** One alert: what fired it, its history, and the handling steps the user may take. */
export function HandleDrawer({ id, onClose }: { id: number | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const user = useCurrentUser();
  const detail = useAlert(id);
  const handle = useHandle(id ?? 0);
  const [reason, setReason] = useState('');
  const a = detail.data?.alert;
  const mayHandle = can(user ?? null, 'alerts.alert', 'handle');
  const take = (step: (typeof STEPS)[number]) => {
    if ((step === 'close' || step === 'false_alarm') && !reason.trim()) {
      void message.warning(t('alerts.reasonRequired'));
      return;
    }
    handle.mutate(
      { step, reason: reason.trim() || undefined },
      {
        onSuccess: () => {
          setReason('');
          void message.success(t('alerts.done'));
        },
      },
    );
  };
  return (
    <Drawer
      open={id != null}
      onClose={onClose}
      width={560}
      title={a ? `${a.subjectName}` : t('alerts.handle')}
      destroyOnHidden
    >
      {a && (
        <Space direction="vertical" style={{ width: '100%' }} data-testid="alert-drawer">
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('alerts.col.level')}>
              <LevelTag level={a.level} />
            </Descriptions.Item>
            <Descriptions.Item label={t('alerts.col.rule')}>
              {i18n.language === 'en' ? a.ruleNameEn : a.ruleNameZh}{' '}
              <Typography.Text type="secondary">
                {t('alerts.ruleSetVersion', { v: a.ruleSetVersion })}
              </Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('alerts.col.evidence')}>{evidenceText(a, t)}</Descriptions.Item>
            <Descriptions.Item label={t('alerts.col.status')}>
              <span data-testid="alert-status">{t(`alerts.status.${a.status}`)}</span>
              {a.closedReason ? `（${a.closedReason}）` : ''}
            </Descriptions.Item>
            <Descriptions.Item label={t('alerts.col.deadline')}>
              {a.deadline ? new Date(a.deadline).toLocaleString() : '—'}{' '}
              {a.overdue && <Tag color="red">{t('alerts.overdue')}</Tag>}
            </Descriptions.Item>
          </Descriptions>
          <Link to={profileKey(a)}>{t('alerts.profile')}</Link>
          {handle.error && <Alert type="error" message={errorMessage(handle.error, i18n.language)} />}
          {mayHandle && a.open && (
            <>
              <Input.TextArea
                rows={2}
                maxLength={1000}
                placeholder={t('alerts.reason')}
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                data-testid="alert-reason"
              />
              <Space wrap>
                {STEPS.filter((s) => STEP_FROM[s].includes(a.status)).map((s) => (
                  <Button
                    key={s}
                    data-testid={`alert-step-${s}`}
                    danger={s === 'close' || s === 'false_alarm'}
                    loading={handle.isPending}
                    onClick={() => take(s)}
                  >
                    {t(`alerts.step.${s}`)}
                  </Button>
                ))}
              </Space>
            </>
          )}
          <Typography.Title level={5}>{t('alerts.history')}</Typography.Title>
          <Timeline
            data-testid="alert-history"
            items={(detail.data?.events ?? []).map((e) => ({
              children: (
                <span>
                  {e.at.slice(0, 16).replace('T', ' ')} ·{' '}
                  {t(`alerts.event.${e.kind}`, { defaultValue: e.kind })}
                  {e.month ? ` · ${e.month}` : ''}
                  {e.level ? ` · ${t(`alerts.level.${e.level}`)}` : ''}
                  {e.username ? ` · ${e.username}` : ''}
                  {e.reason ? ` · ${e.reason}` : ''}
                </span>
              ),
            }))}
          />
        </Space>
      )}
    </Drawer>
  );
}
