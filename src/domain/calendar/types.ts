// The shape of a public-holiday calendar as data: one file per year, taken from the State Council's
// notice (国务院办公厅关于 YYYY 年部分节假日安排的通知), with the notice cited.

export interface HolidayPeriod {
  /** 春节, 国庆节 … as the notice names it */
  name: string;
  nameEn: string;
  /** first and last day off, inclusive, 'YYYY-MM-DD' (China Standard Time) */
  from: string;
  to: string;
}

export interface WorkingWeekend {
  /** a Saturday or Sunday that is a working day (调休上班) */
  date: string;
  /** the holiday it makes up for */
  for: string;
}

export interface HolidayYear {
  year: number;
  source: {
    title: string;
    /** 文号, when known */
    number: string | null;
    published: string;
    url: string | null;
    /** false when the dates were not checked against a reachable copy of the notice */
    confirmed: boolean;
    note?: string;
  };
  holidays: readonly HolidayPeriod[];
  workingWeekends: readonly WorkingWeekend[];
}

/** Office hours of a working day, local time 'HH:MM'; windows in order, not overlapping. */
export type OfficeHours = readonly (readonly [string, string])[];
