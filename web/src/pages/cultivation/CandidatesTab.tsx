// Candidates of one library: firms that meet every data-testable criterion (and, if asked, those that
// miss one by a little), each criterion's value beside its threshold, and 入库培育 for who may.
import { Button, Select, Space, Switch, Table, Typography, message } from 'antd';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useCurrentUser } from '../../api/auth.ts';
import { errorMessage } from '../../api/client.ts';
import { ErrorResult } from '../../components/ErrorResult.tsx';
import { can } from '../../../../src/domain/policy/index.ts';
import { useState } from 'react';
import { useCandidates, useEnter, useLibraries } from './api.ts';
import { OutcomeTag, criterionText } from './labels.tsx';
import { exportXlsx } from '../monitoring/exporting.ts';

export function CandidatesTab({
  cluster,
  library,
  onLibrary,
}: {
  cluster?: string;
  library?: string;
  onLibrary: (key: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const user = useCurrentUser();
  const [near, setNear] = useState(false);
  const libs = useLibraries({ cluster });
  const current = library ?? libs.data?.libraries[0]?.library.key;
  const q = useCandidates({ cluster, library: current, maxMissing: near ? 1 : 0 });
  const enter = useEnter();
  const mayEnter = can(user, 'cultivation.pipeline', 'create');
  if (q.error) return <ErrorResult error={q.error} onRetry={() => void q.refetch()} />;
  const lib = q.data?.library;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Select
          style={{ minWidth: 220 }}
          value={current}
          onChange={onLibrary}
          data-testid="candidates-library"
          options={(libs.data?.libraries ?? []).map((l) => ({
            value: l.library.key,
            label: i18n.language === 'en' ? l.library.nameEn : l.library.nameZh,
          }))}
        />
        <Space>
          <Switch checked={near} onChange={setNear} />
          <Typography.Text>{t('cultivation.showNear')}</Typography.Text>
        </Space>
        {q.data && (
          <Button
            size="small"
            data-testid="candidates-export"
            onClick={() => {
              const d = q.data!;
              void exportXlsx(
                `${d.library.key}-${d.year}.xlsx`,
                `${d.library.nameZh} · ${d.year}`,
                [
                  {
                    header: t('cultivation.enterprise'),
                    value: (r: (typeof d.items)[number]) => r.name,
                    width: 36,
                  },
                  ...d.library.criteria.map((c) => ({
                    header: criterionText(c, i18n.language),
                    value: (r: (typeof d.items)[number]) => {
                      const o = r.outcomes.find((x) => x.key === c.key);
                      if (!o) return null;
                      if (o.status === 'manual') return t('cultivation.manual');
                      if (o.status === 'no_data') return t('cultivation.noData');
                      return o.value ?? null;
                    },
                  })),
                  {
                    header: t('cultivation.stage'),
                    value: (r: (typeof d.items)[number]) => t(`cultivation.stages.${r.stage ?? 'candidate'}`),
                  },
                ],
                d.items,
              );
            }}
          >
            {t('cultivation.export')}
          </Button>
        )}
        {q.data && (
          <Typography.Text type="secondary" data-testid="candidates-count">
            {t('cultivation.candidateCount', { n: q.data.items.length, year: q.data.year })}
          </Typography.Text>
        )}
      </Space>
      <Table
        rowKey="enterpriseId"
        loading={q.isLoading}
        dataSource={q.data?.items ?? []}
        scroll={{ x: 1000 }}
        data-testid="candidates-table"
        columns={[
          {
            title: t('cultivation.enterprise'),
            fixed: 'left',
            render: (_, r) => <Link to={`/enterprises/${r.enterpriseId}`}>{r.name}</Link>,
          },
          ...(lib?.criteria ?? []).map((c) => ({
            key: c.key,
            title: criterionText(c, i18n.language),
            render: (
              _: unknown,
              r: {
                outcomes: {
                  key: string;
                  status: 'met' | 'missed' | 'no_data' | 'manual';
                  value?: number;
                  gap?: number;
                }[];
              },
            ) => <OutcomeTag c={c} o={r.outcomes.find((o) => o.key === c.key)} t={t} />,
          })),
          {
            title: t('cultivation.stage'),
            render: (_, r) => t(`cultivation.stages.${r.stage ?? 'candidate'}`),
          },
          ...(mayEnter
            ? [
                {
                  key: 'action',
                  title: '',
                  render: (_: unknown, r: { enterpriseId: number; stage: string | null; missing: number }) =>
                    r.stage === 'candidate' && r.missing === 0 ? (
                      <Button
                        size="small"
                        loading={enter.isPending}
                        data-testid={`enter-${r.enterpriseId}`}
                        onClick={() =>
                          enter.mutate(
                            { enterpriseId: r.enterpriseId, library: current! },
                            {
                              onSuccess: () => void message.success(t('cultivation.entered')),
                              onError: (e) => void message.error(errorMessage(e, i18n.language)),
                            },
                          )
                        }
                      >
                        {t('cultivation.enter')}
                      </Button>
                    ) : null,
                },
              ]
            : []),
        ]}
      />
    </Space>
  );
}
