// The libraries: who recognises them, their entry criteria with sources, and how many firms in the
// user's scope are recognised, candidates, near and in the pipeline.
import { Alert, Button, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ErrorResult } from '../../components/ErrorResult.tsx';
import { useLibraries } from './api.ts';
import { criterionText } from './labels.tsx';
import { useLocalName } from '../../names.ts';

export function LibrariesTab({ cluster, onPick }: { cluster?: string; onPick: (key: string) => void }) {
  const { t, i18n } = useTranslation();
  const localName = useLocalName();
  const q = useLibraries({ cluster });
  if (q.error) return <ErrorResult error={q.error} onRetry={() => void q.refetch()} />;
  const rows = q.data?.libraries ?? [];
  return (
    <>
      {q.data && (
        <Typography.Paragraph type="secondary" data-testid="cultivation-year">
          {t('cultivation.yearNote', { year: q.data.year })}
        </Typography.Paragraph>
      )}
      <Table
        rowKey={(r) => r.library.key}
        loading={q.isLoading}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 900 }}
        data-testid="cultivation-libraries"
        expandable={{
          expandedRowRender: (r) => (
            <div>
              <ul style={{ margin: 0 }}>
                {r.library.criteria.map((c) => (
                  <li key={c.key}>
                    {criterionText(c, i18n.language)}
                    {c.testable === false && <Tag style={{ marginLeft: 8 }}>{t('cultivation.manual')}</Tag>}
                    {c.note && <Typography.Text type="secondary">（{c.note}）</Typography.Text>}
                  </li>
                ))}
              </ul>
              <Typography.Text type="secondary">
                {t('cultivation.source')}：{r.library.source}
              </Typography.Text>
            </div>
          ),
        }}
        columns={[
          {
            title: t('cultivation.library'),
            render: (_, r) => (i18n.language === 'en' ? r.library.nameEn : r.library.nameZh),
          },
          {
            title: t('cultivation.body'),
            render: (_, r) => (i18n.language === 'en' && r.library.bodyEn) || localName(r.library.body),
            responsive: ['md'],
          },
          { title: t('cultivation.recognised'), dataIndex: 'recognised', align: 'right' },
          {
            title: t('cultivation.candidates'),
            align: 'right',
            render: (_, r) => (
              <Button
                type="link"
                size="small"
                onClick={() => onPick(r.library.key)}
                data-testid={`candidates-${r.library.key}`}
              >
                {r.candidates}
              </Button>
            ),
          },
          { title: t('cultivation.near'), dataIndex: 'nearCandidates', align: 'right' },
          {
            title: t('cultivation.inPipeline'),
            align: 'right',
            render: (_, r) => (r.pipeline.nurturing ?? 0) + (r.pipeline.applying ?? 0),
          },
        ]}
      />
      {q.data && <Alert style={{ marginTop: 12 }} type="info" showIcon message={q.data.provenance} />}
    </>
  );
}
