// The chain pages' strings live in their own bundles, added to the shared i18n instance.
import i18n from '../../i18n/index.ts';
import en from '../../i18n/chains.en.json';
import zhCN from '../../i18n/chains.zh-CN.json';

i18n.addResourceBundle('zh-CN', 'translation', zhCN, true, false);
i18n.addResourceBundle('en', 'translation', en, true, false);
