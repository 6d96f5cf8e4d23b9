import { Segmented } from 'antd';
import { useTranslation } from 'react-i18next';
import { currentLanguage, setLanguage, type Language } from '../i18n/index.ts';

// Each language is named in itself, so a user who cannot read the current one still finds theirs.
const OPTIONS: { label: string; value: Language }[] = [
  { label: '中文', value: 'zh-CN' },
  { label: 'English', value: 'en' },
];

export function LanguageSwitch() {
  useTranslation(); // re-render on language change
  return (
    <Segmented<Language>
      size="small"
      data-testid="language-switch"
      options={OPTIONS}
      value={currentLanguage()}
      onChange={setLanguage}
    />
  );
}
