// 2025 public holidays of the People's Republic of China, as the State Council set them.
// Source: 国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号，2024-11-12）. 2025 is the first
// year under the revised 全国年节及纪念日放假办法 (国务院令第798号): 春节 and 劳动节 each gained one statutory
// day (除夕 and 5月2日), which is why 春节 runs eight days and 劳动节 five.
import type { HolidayYear } from '../types.ts';

export const CN_2025: HolidayYear = {
  year: 2025,
  source: {
    title: '国务院办公厅关于2025年部分节假日安排的通知',
    number: '国办发明电〔2024〕12号',
    published: '2024-11-12',
    url: null,
    confirmed: true,
    note: '日期已与新华社2024-11-12授权发布的全文核对',
  },
  holidays: [
    { name: '元旦', nameEn: "New Year's Day", from: '2025-01-01', to: '2025-01-01' },
    { name: '春节', nameEn: 'Spring Festival', from: '2025-01-28', to: '2025-02-04' },
    { name: '清明节', nameEn: 'Qingming Festival', from: '2025-04-04', to: '2025-04-06' },
    { name: '劳动节', nameEn: 'Labour Day', from: '2025-05-01', to: '2025-05-05' },
    { name: '端午节', nameEn: 'Dragon Boat Festival', from: '2025-05-31', to: '2025-06-02' },
    { name: '国庆节、中秋节', nameEn: 'National Day and Mid-Autumn Festival', from: '2025-10-01', to: '2025-10-08' },
  ],
  workingWeekends: [
    { date: '2025-01-26', for: '春节' }, // 周日
    { date: '2025-02-08', for: '春节' }, // 周六
    { date: '2025-04-27', for: '劳动节' }, // 周日
    { date: '2025-09-28', for: '国庆节、中秋节' }, // 周日
    { date: '2025-10-11', for: '国庆节、中秋节' }, // 周六
  ],
};
