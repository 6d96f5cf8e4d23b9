// The index pages' strings, under `clusterIndex.*`, added to the app's bundles when the pages load.
import i18n from 'i18next';
import en from '../../i18n/cluster-index.en.json';
import zhCN from '../../i18n/cluster-index.zh-CN.json';

i18n.addResourceBundle('zh-CN', 'translation', { clusterIndex: zhCN }, true, false);
i18n.addResourceBundle('en', 'translation', { clusterIndex: en }, true, false);
