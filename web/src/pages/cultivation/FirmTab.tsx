// One firm against every library: which it holds, which it meets, and what it lacks (by how much).
// The enterprise user's own view; officers reach it from a candidate too.
import { Card, Col, Row, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ErrorResult } from '../../components/ErrorResult.tsx';
import { useFirm } from './api.ts';
import { OutcomeTag, criterionText } from './labels.tsx';

export function FirmTab({ enterpriseId }: { enterpriseId: number }) {
  const { t, i18n } = useTranslation();
  const q = useFirm(enterpriseId);
  if (q.error) return <ErrorResult error={q.error} onRetry={() => void q.refetch()} />;
  const d = q.data;
  if (!d) return <Card loading />;
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="firm-libraries">
      <Typography.Text type="secondary">
        {t('cultivation.firmNote', { name: d.name, year: d.year })}
      </Typography.Text>
      <Row gutter={[16, 16]}>
        {d.libraries.map((l) => (
          <Col key={l.library.key} xs={24} md={12} xl={8}>
            <Card
              size="small"
              title={i18n.language === 'en' ? l.library.nameEn : l.library.nameZh}
              extra={
                l.recognised ? (
                  <Tag color="green">{t('cultivation.held')}</Tag>
                ) : l.meetsAll ? (
                  <Tag color="blue">{t('cultivation.meets')}</Tag>
                ) : (
                  <Tag>{t('cultivation.lacks', { n: l.missing })}</Tag>
                )
              }
            >
              {l.library.criteria.map((c) => (
                <div key={c.key} style={{ marginBottom: 4 }}>
                  <Typography.Text>{criterionText(c, i18n.language)}</Typography.Text>{' '}
                  <OutcomeTag c={c} o={l.outcomes.find((o) => o.key === c.key)} t={t} />
                </div>
              ))}
            </Card>
          </Col>
        ))}
      </Row>
    </Space>
  );
}
