// The evaluation pages' strings, under `evaluation.*`, added to the app's bundles when the pages load.
import i18n from 'i18next';
import en from '../../i18n/evaluation.en.json';
import zhCN from '../../i18n/evaluation.zh-CN.json';

i18n.addResourceBundle('zh-CN', 'translation', { evaluation: zhCN }, true, false);
i18n.addResourceBundle('en', 'translation', { evaluation: en }, true, false);
