// The platforms and assessment pages' strings, merged into the app's resources on load.
import i18n from '../../i18n/index.ts';
import en from '../../i18n/platforms.en.json';
import zhCN from '../../i18n/platforms.zh-CN.json';

i18n.addResourceBundle('zh-CN', 'translation', zhCN, true, false);
i18n.addResourceBundle('en', 'translation', en, true, false);
