// Evaluation runs: officials create, submit, publish and correct; enterprise users see published runs.
import { useState } from 'react';
import { useDataYear } from '../../data-year.ts';
import { Alert, Button, Input, InputNumber, Modal, Space, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCurrentUser } from '../../api/auth.ts';
import { errorMessage } from '../../api/client.ts';
import { ErrorResult } from '../../components/ErrorResult.tsx';
import { useRegionName } from '../../names.ts';
import { useCreateRun, useEvaluationYears, useRuns, useRunStep, type Run } from './api.ts';
import { ruleSetName } from './labels.ts';

export function RunsPage() {
  const { t, i18n } = useTranslation();
  const regionName = useRegionName();
  const user = useCurrentUser();
  const runs = useRuns();
  const create = useCreateRun();
  const step = useRunStep();
  const official = ['admin', 'analyst', 'county'].includes(user.role);
  // a new run's year: the newest with annual inputs or a run, not the clock's last year
  const [year, setYear] = useDataYear(useEvaluationYears(official));
  const [correcting, setCorrecting] = useState<Run | null>(null);
  const [reason, setReason] = useState('');
  const city = ['admin', 'analyst'].includes(user.role);
  if (runs.error) return <ErrorResult error={runs.error} onRetry={() => void runs.refetch()} />;
  const error = create.error ?? step.error;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {official && (
        <Space>
          <InputNumber
            value={year}
            min={2000}
            max={2100}
            onChange={(v) => v && setYear(v)}
            aria-label={t('evaluation.run.year')}
          />
          <Button
            type="primary"
            loading={create.isPending}
            disabled={year === undefined}
            onClick={() => year !== undefined && create.mutate({ year })}
            data-testid="evaluation-create"
          >
            {t('evaluation.run.create')}
          </Button>
        </Space>
      )}
      {error && <Alert type="error" message={errorMessage(error, i18n.language)} />}
      <Table<Run>
        rowKey="id"
        loading={runs.isLoading}
        dataSource={runs.data?.items ?? []}
        locale={{ emptyText: t('evaluation.run.none') }}
        data-testid="evaluation-runs"
        pagination={false}
        columns={[
          { title: t('evaluation.run.year'), dataIndex: 'year' },
          {
            title: t('evaluation.run.region'),
            dataIndex: 'regionCode',
            render: (v: string) => <span title={v}>{regionName(v)}</span>,
          },
          { title: t('evaluation.run.version'), dataIndex: 'version' },
          {
            title: t('evaluation.run.ruleSet'),
            render: (_, r) => `${ruleSetName(r.ruleSetName, i18n.language)} v${r.ruleSetVersion}`,
          },
          {
            title: t('evaluation.run.status'),
            render: (_, r) => (
              <Space>
                <Tag color={r.status === 'published' ? 'green' : r.status === 'review' ? 'gold' : 'default'}>
                  {t(`evaluation.run.statuses.${r.status}`)}
                </Tag>
                {r.supersededByRunId && (
                  <Tag>{t('evaluation.run.superseded', { id: r.supersededByRunId })}</Tag>
                )}
              </Space>
            ),
          },
          {
            title: t('evaluation.run.evaluated'),
            render: (_, r) => `${r.summary.evaluated} / ${r.summary.population}`,
          },
          {
            title: '',
            render: (_, r) => (
              <Space>
                <Link to={`/evaluation/runs/${r.id}`}>{t('evaluation.run.open')}</Link>
                {official && r.status === 'draft' && (
                  <Button size="small" onClick={() => step.mutate({ id: r.id, step: 'submit' })}>
                    {t('evaluation.run.submit')}
                  </Button>
                )}
                {city && r.status === 'review' && (
                  <Button
                    size="small"
                    type="primary"
                    onClick={() => step.mutate({ id: r.id, step: 'publish' })}
                  >
                    {t('evaluation.run.publish')}
                  </Button>
                )}
                {city && r.status === 'published' && !r.supersededByRunId && (
                  <Button size="small" onClick={() => setCorrecting(r)}>
                    {t('evaluation.run.correct')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={correcting != null}
        title={t('evaluation.run.correct')}
        onCancel={() => setCorrecting(null)}
        okButtonProps={{ disabled: reason.trim().length < 2 }}
        onOk={() => {
          if (correcting) step.mutate({ id: correcting.id, step: 'correct', reason });
          setCorrecting(null);
          setReason('');
        }}
      >
        <Input.TextArea
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder={t('evaluation.run.reason')}
        />
      </Modal>
    </Space>
  );
}
