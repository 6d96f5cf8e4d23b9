// Filing a request: a firm online (works on a phone), an officer recording a call, visit, 12345 transfer or
// leader assignment. Possible duplicates of the firm's open requests are shown before saving; the text can
// be added to one of them instead.
import { useState } from 'react';
import {
  Alert,
  Button,
  Checkbox,
  Form,
  Input,
  InputNumber,
  List,
  Select,
  Space,
  message,
  type UploadFile,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useCurrentUser } from '../../api/auth.ts';
import { api, errorMessage } from '../../api/client.ts';
import { ownFirmOf } from '../../../../src/domain/policy/index.ts';
import { duplicateListSchema } from '../../../../src/modules/service/schemas.ts';
import { useFile, useServiceMeta, useSupplement } from './api.ts';
import { FilePicker, pickedFiles, uploadsOf } from './files.tsx';

interface Values {
  enterpriseId?: number;
  nature: string;
  category: string;
  channel?: string;
  level?: string;
  chainCommon?: boolean;
  title: string;
  description: string;
  contactName?: string;
  contactPhone?: string;
  tags?: string[];
  files?: UploadFile[];
}

export function FileRequestForm() {
  const { t, i18n } = useTranslation();
  const user = useCurrentUser();
  const meta = useServiceMeta();
  const file = useFile();
  const supplement = useSupplement();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const [dups, setDups] = useState<{ id: number; code: string; title: string }[] | null>(null);
  const firm = ownFirmOf(user) != null; // a firm files for itself, online

  const save = async (values: Values, force: boolean) => {
    if (!force) {
      const found = await api('/api/service/requests/duplicates', {
        query: { enterpriseId: values.enterpriseId, title: values.title, description: values.description },
        schema: duplicateListSchema,
      }).catch(() => ({ items: [] }));
      if (found.items.length) return setDups(found.items);
    }
    const files = await uploadsOf(values.files);
    file.mutate(
      {
        ...values,
        files,
        channel: (firm ? 'online' : values.channel) as never,
        tags: values.tags ?? [],
      } as never,
      {
        onSuccess: (d) => {
          void message.success(t('service.filed', { code: d.request.code }));
          navigate(`/service/requests/${d.request.id}`);
        },
        onError: (e) => void message.error(errorMessage(e, i18n.language)),
      },
    );
  };

  const opts = (list: { key: string; zh: string; en: string }[] | undefined) =>
    (list ?? []).map((x) => ({ value: x.key, label: i18n.language === 'en' ? x.en : x.zh }));
  return (
    <Form
      form={form}
      layout="vertical"
      style={{ maxWidth: 640 }}
      onFinish={(v) => void save(v, false)}
      data-testid="file-form"
    >
      {!firm && (
        <Form.Item name="enterpriseId" label={t('service.enterprise')} rules={[{ required: true }]}>
          <InputNumber style={{ width: '100%' }} min={1} />
        </Form.Item>
      )}
      <Form.Item name="nature" label={t('service.nature')} rules={[{ required: true }]}>
        <Select options={opts(meta.data?.natures)} data-testid="nature" />
      </Form.Item>
      <Form.Item name="category" label={t('service.category')} rules={[{ required: true }]}>
        <Select options={opts(meta.data?.categories)} data-testid="category" />
      </Form.Item>
      {!firm && (
        <Form.Item name="channel" label={t('service.channel')} initialValue="hotline">
          <Select
            options={opts(meta.data?.channels.filter((c) => c.key !== 'online' && c.key !== 'alert'))}
          />
        </Form.Item>
      )}
      <Form.Item name="level" label={t('service.level')} initialValue="city">
        <Select options={opts(meta.data?.levels)} />
      </Form.Item>
      <Form.Item name="chainCommon" valuePropName="checked">
        <Checkbox>{t('service.chainCommon')}</Checkbox>
      </Form.Item>
      <Form.Item name="title" label={t('service.titleField')} rules={[{ required: true, min: 2 }]}>
        <Input data-testid="title" />
      </Form.Item>
      <Form.Item name="description" label={t('service.description')} rules={[{ required: true, min: 5 }]}>
        <Input.TextArea rows={4} data-testid="description" />
      </Form.Item>
      <Form.Item
        name="files"
        label={t('service.files')}
        valuePropName="fileList"
        getValueFromEvent={pickedFiles}
      >
        <FilePicker testId="intake-files" />
      </Form.Item>
      <Form.Item name="tags" label={t('service.tags')}>
        <Select mode="tags" />
      </Form.Item>
      <Space wrap>
        <Form.Item name="contactName" label={t('service.contactName')}>
          <Input />
        </Form.Item>
        <Form.Item name="contactPhone" label={t('service.contactPhone')}>
          <Input />
        </Form.Item>
      </Space>
      {dups && (
        <Alert
          type="warning"
          data-testid="duplicates"
          message={t('service.duplicates')}
          description={
            <List
              size="small"
              dataSource={dups}
              renderItem={(d) => (
                <List.Item
                  actions={[
                    <Button
                      key="add"
                      size="small"
                      onClick={() =>
                        void uploadsOf(form.getFieldValue('files') as UploadFile[]).then((files) =>
                          supplement.mutate(
                            { id: d.id, text: form.getFieldValue('description') as string, files },
                            { onSuccess: () => navigate(`/service/requests/${d.id}`) },
                          ),
                        )
                      }
                    >
                      {t('service.addToExisting')}
                    </Button>,
                  ]}
                >
                  {d.code} {d.title}
                </List.Item>
              )}
            />
          }
          action={
            <Button
              size="small"
              onClick={() => void save(form.getFieldsValue(), true)}
              data-testid="file-anyway"
            >
              {t('service.fileAnyway')}
            </Button>
          }
        />
      )}
      <Button type="primary" htmlType="submit" loading={file.isPending} block data-testid="submit">
        {t('service.submit')}
      </Button>
    </Form>
  );
}
