// 2026 public holidays of the People's Republic of China, as the State Council set them.
// Source: 国务院办公厅关于2026年部分节假日安排的通知 (dated 2025-11-04, published by 新华社 the same day; text
// checked against the copy on 光明网, URL below). The notice's 文号 was not seen in the copies reached, so it
// is left empty rather than guessed.
import type { HolidayYear } from '../types.ts';

export const CN_2026: HolidayYear = {
  year: 2026,
  source: {
    title: '国务院办公厅关于2026年部分节假日安排的通知',
    number: null,
    published: '2025-11-04',
    url: 'https://politics.gmw.cn/2025-11/04/content_38391083.htm',
    confirmed: true,
    note: '日期已与新华社通稿核对；文号未核实',
  },
  holidays: [
    { name: '元旦', nameEn: "New Year's Day", from: '2026-01-01', to: '2026-01-03' },
    { name: '春节', nameEn: 'Spring Festival', from: '2026-02-15', to: '2026-02-23' },
    { name: '清明节', nameEn: 'Qingming Festival', from: '2026-04-04', to: '2026-04-06' },
    { name: '劳动节', nameEn: 'Labour Day', from: '2026-05-01', to: '2026-05-05' },
    { name: '端午节', nameEn: 'Dragon Boat Festival', from: '2026-06-19', to: '2026-06-21' },
    { name: '中秋节', nameEn: 'Mid-Autumn Festival', from: '2026-09-25', to: '2026-09-27' },
    { name: '国庆节', nameEn: 'National Day', from: '2026-10-01', to: '2026-10-07' },
  ],
  workingWeekends: [
    { date: '2026-01-04', for: '元旦' }, // 周日
    { date: '2026-02-14', for: '春节' }, // 周六
    { date: '2026-02-28', for: '春节' }, // 周六
    { date: '2026-05-09', for: '劳动节' }, // 周六
    { date: '2026-09-20', for: '国庆节' }, // 周日
    { date: '2026-10-10', for: '国庆节' }, // 周六
  ],
};
