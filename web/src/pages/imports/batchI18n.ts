// The import batch strings (importBatch.*), added to the shared i18n instance beside the imports bundle.
import i18n from '../../i18n/index.ts';
import en from '../../i18n/import-batches.en.json';
import zhCN from '../../i18n/import-batches.zh-CN.json';
import './i18n.ts';

i18n.addResourceBundle('zh-CN', 'translation', zhCN, true, false);
i18n.addResourceBundle('en', 'translation', en, true, false);
