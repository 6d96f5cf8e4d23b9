// 审计日志: who changed what, with the record before and after. Filters and page live in the URL.
import { Alert, Button, Col, Form, Input, Result, Row, Table, Tag, Typography, type TableProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useCurrentUser } from '../../api/auth.ts';
import { useAuditList, type AuditFilter } from '../../api/audit.ts';
import { errorMessage } from '../../api/client.ts';
import type { AuditRow } from '../../api/contract.ts';
import { formatDateTime, MISSING } from '../../format.ts';
import { actionName } from '../../names.ts';
import { canSeeAudit } from '../../permissions.ts';

const PAGE_SIZE = 50;

interface FilterValues {
  entity?: string;
  entityId?: string;
  username?: string;
}

function positive(value: string | null, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

function readFilter(search: URLSearchParams): AuditFilter {
  return {
    entity: search.get('entity') || undefined,
    entityId: search.get('entityId') || undefined,
    username: search.get('username') || undefined,
    page: positive(search.get('page'), 1),
    pageSize: Math.min(positive(search.get('pageSize'), PAGE_SIZE), 200),
  };
}

/** Top-level keys whose values differ between before and after, so a reviewer sees the change first. */
function changedKeys(before: unknown, after: unknown): string[] {
  const record = (v: unknown): Record<string, unknown> =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  const a = record(before);
  const b = record(after);
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter(
    (key) => JSON.stringify(a[key]) !== JSON.stringify(b[key]),
  );
}

function Json({ value }: { value: unknown }) {
  if (value === null || value === undefined)
    return <Typography.Text type="secondary">{MISSING}</Typography.Text>;
  return (
    <pre style={{ margin: 0, fontSize: 12, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}

export default function AuditPage() {
  const user = useCurrentUser();
  const { t } = useTranslation();
  // The server refuses too (403); this avoids a request that can only fail.
  if (!canSeeAudit(user)) return <Result status="403" title={t('errors.forbidden')} />;
  return <AuditLog />;
}

function AuditLog() {
  const { t, i18n } = useTranslation();
  const [search, setSearch] = useSearchParams();
  const filter = readFilter(search);
  const list = useAuditList(filter);

  const apply = (next: Partial<AuditFilter>) => {
    const merged: AuditFilter = { ...filter, page: 1, ...next };
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(merged)) {
      if (
        value !== undefined &&
        value !== '' &&
        !(key === 'page' && value === 1) &&
        !(key === 'pageSize' && value === PAGE_SIZE)
      ) {
        params.set(key, String(value));
      }
    }
    setSearch(params);
  };

  const columns: TableProps<AuditRow>['columns'] = [
    {
      key: 'at',
      title: t('audit.at'),
      dataIndex: 'at',
      width: 180,
      render: (v: string) => formatDateTime(v),
    },
    {
      key: 'username',
      title: t('audit.username'),
      dataIndex: 'username',
      render: (v: string | null) => v ?? MISSING,
    },
    {
      key: 'action',
      title: t('audit.action'),
      dataIndex: 'action',
      // The name people read; the code in a tooltip (it is what the API filter takes).
      render: (v: string) => (
        <span title={v} data-testid="audit-action">
          {actionName(v, t)}
        </span>
      ),
    },
    { key: 'entity', title: t('audit.entity'), dataIndex: 'entity' },
    {
      key: 'entityId',
      title: t('audit.entityId'),
      dataIndex: 'entityId',
      render: (v: string | null) => v ?? MISSING,
    },
    { key: 'ip', title: t('audit.ip'), dataIndex: 'ip', render: (v: string | null) => v ?? MISSING },
  ];

  return (
    <>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t('capabilities.audit.name')}
      </Typography.Title>
      <Form<FilterValues>
        layout="inline"
        // Remount when the URL changes from outside (back button), so the inputs show what is applied.
        key={search.toString()}
        initialValues={{ entity: filter.entity, entityId: filter.entityId, username: filter.username }}
        onFinish={(v) =>
          apply({
            entity: v.entity?.trim() || undefined,
            entityId: v.entityId?.trim() || undefined,
            username: v.username?.trim() || undefined,
          })
        }
        style={{ marginBottom: 16, rowGap: 8 }}
      >
        <Form.Item name="entity" label={t('audit.entity')}>
          <Input allowClear style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="entityId" label={t('audit.entityId')}>
          <Input allowClear style={{ width: 120 }} />
        </Form.Item>
        <Form.Item name="username" label={t('audit.username')}>
          <Input allowClear style={{ width: 160 }} />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          {t('common.search')}
        </Button>
      </Form>
      {list.isError && (
        <Alert
          type="error"
          showIcon
          title={errorMessage(list.error, i18n.language)}
          style={{ marginBottom: 16 }}
        />
      )}
      <div data-testid="audit-table">
        <Table<AuditRow>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={list.data?.items}
          loading={list.isFetching}
          expandable={{
            rowExpandable: (row) => row.before != null || row.after != null,
            expandedRowRender: (row) => (
              <Row gutter={[16, 8]}>
                {row.before != null && row.after != null && (
                  <Col span={24}>
                    <Typography.Text strong>{t('audit.changedFields')}: </Typography.Text>
                    {changedKeys(row.before, row.after).map((key) => (
                      <Tag key={key} color="orange">
                        {key}
                      </Tag>
                    ))}
                  </Col>
                )}
                <Col xs={24} md={12}>
                  <Typography.Text strong>{t('audit.before')}</Typography.Text>
                  <Json value={row.before} />
                </Col>
                <Col xs={24} md={12}>
                  <Typography.Text strong>{t('audit.after')}</Typography.Text>
                  <Json value={row.after} />
                </Col>
              </Row>
            ),
          }}
          pagination={{
            current: filter.page,
            pageSize: filter.pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: [20, 50, 100, 200],
            showTotal: (total) => t('audit.total', { count: total }),
            onChange: (page, pageSize) => apply({ page, pageSize }),
          }}
        />
      </div>
    </>
  );
}
