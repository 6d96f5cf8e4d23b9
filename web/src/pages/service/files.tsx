// Files of a request in the web: a picker that keeps the chosen files until the step is sent (they go as
// base64 in the step's JSON body, checked again by the server), and the list of a request's files as
// download links (served as attachments, only to who sees the request).
import { Button, Space, Tag, Typography, Upload, type UploadFile } from 'antd';
import { PaperClipOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { RequestDetail } from '../../../../src/modules/service/schemas.ts';
import { DownloadLink } from '../../components/DownloadButton.tsx';

export const ACCEPT = '.pdf,.ofd,.png,.jpg,.jpeg,.doc,.docx,.xls,.xlsx';
export const MAX_FILES = 3;

function base64Of(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(file);
  });
}

/** The picked files as the API takes them (undefined when none). */
export async function uploadsOf(
  list: UploadFile[] | undefined,
): Promise<{ fileName: string; contentBase64: string }[] | undefined> {
  const files = (list ?? []).flatMap((f) => (f.originFileObj ? [f.originFileObj as File] : []));
  if (!files.length) return undefined;
  return Promise.all(files.map(async (f) => ({ fileName: f.name, contentBase64: await base64Of(f) })));
}

/** For Form.Item: `valuePropName="fileList"` with `getValueFromEvent={pickedFiles}`. */
export const pickedFiles = (e: { fileList: UploadFile[] } | UploadFile[]) =>
  Array.isArray(e) ? e : e.fileList;

export function FilePicker(props: {
  fileList?: UploadFile[];
  onChange?: (e: unknown) => void;
  testId?: string;
}) {
  const { t } = useTranslation();
  return (
    <Upload
      multiple
      accept={ACCEPT}
      maxCount={MAX_FILES}
      fileList={props.fileList}
      beforeUpload={() => false}
      onChange={props.onChange}
      data-testid={props.testId ?? 'files'}
    >
      <Button icon={<PaperClipOutlined />}>{t('service.addFiles')}</Button>
    </Upload>
  );
}

export function FileLinks({ requestId, files }: { requestId: number; files: RequestDetail['files'] }) {
  const { t } = useTranslation();
  if (!files.length) return null;
  return (
    <Space direction="vertical" size={2} data-testid="request-files">
      {files.map((f) => (
        <Space key={f.id} wrap size={4}>
          <Tag>{t(`service.fileStage.${f.stage}`, { defaultValue: f.stage })}</Tag>
          <DownloadLink url={`/api/service/requests/${requestId}/files/${f.id}`} fileName={f.fileName}>
            {f.fileName}
          </DownloadLink>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {Math.max(1, Math.round(f.sizeBytes / 1024))} KB · {f.uploadedByName ?? ''}
          </Typography.Text>
        </Space>
      ))}
    </Space>
  );
}
