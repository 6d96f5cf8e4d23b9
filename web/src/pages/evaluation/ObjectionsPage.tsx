// Objections (异议) within the user's scope; officers resolve the open ones.
import { useState } from 'react';
import { Button, Input, Modal, Space, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useCurrentUser } from '../../api/auth.ts';
import { ErrorResult } from '../../components/ErrorResult.tsx';
import { useObjectionFiles, useObjections, useResolveObjection, type Objection } from './api.ts';
import { DownloadLink } from '../../components/DownloadButton.tsx';

export function ObjectionsPage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const list = useObjections();
  const resolve = useResolveObjection();
  const files = useObjectionFiles();
  const [open, setOpen] = useState<{ o: Objection; status: 'upheld' | 'rejected' } | null>(null);
  const [text, setText] = useState('');
  const officer = ['admin', 'analyst', 'county'].includes(user.role);
  if (list.error) return <ErrorResult error={list.error} />;
  return (
    <>
      <Table<Objection>
        rowKey="id"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        columns={[
          { title: t('evaluation.objection.enterprise'), dataIndex: 'enterpriseName' },
          { title: t('evaluation.objection.text'), dataIndex: 'text' },
          { title: t('evaluation.objection.evidence'), dataIndex: 'evidence' },
          {
            title: t('evaluation.objection.files'),
            render: (_, o) => (
              <Space direction="vertical" size={0} data-testid={`objection-files-${o.id}`}>
                {(files.data?.items ?? [])
                  .filter((f) => f.objectionId === o.id)
                  .map((f) => (
                    <DownloadLink
                      key={f.id}
                      url={`/api/evaluation/objections/${o.id}/files/${f.id}`}
                      fileName={f.fileName}
                    >
                      {f.fileName}
                    </DownloadLink>
                  ))}
              </Space>
            ),
          },
          {
            title: t('evaluation.objection.status'),
            render: (_, o) => <Tag>{t(`evaluation.objection.statuses.${o.status}`)}</Tag>,
          },
          { title: t('evaluation.objection.resolution'), render: (_, o) => o.resolution ?? '' },
          {
            title: '',
            render: (_, o) =>
              officer && o.status === 'open' ? (
                <Space>
                  <Button size="small" onClick={() => setOpen({ o, status: 'upheld' })}>
                    {t('evaluation.objection.uphold')}
                  </Button>
                  <Button size="small" onClick={() => setOpen({ o, status: 'rejected' })}>
                    {t('evaluation.objection.reject')}
                  </Button>
                </Space>
              ) : null,
          },
        ]}
      />
      <Modal
        open={open != null}
        title={
          open
            ? t(open.status === 'upheld' ? 'evaluation.objection.uphold' : 'evaluation.objection.reject')
            : ''
        }
        okButtonProps={{ disabled: text.trim().length < 2 }}
        onCancel={() => setOpen(null)}
        onOk={() => {
          if (open) resolve.mutate({ id: open.o.id, status: open.status, resolution: text });
          setOpen(null);
          setText('');
        }}
      >
        <Input.TextArea
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={t('evaluation.objection.resolution')}
        />
      </Modal>
    </>
  );
}
