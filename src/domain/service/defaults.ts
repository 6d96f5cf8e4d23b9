// Defaults of the enterprise service (企业服务 / 96871) capability, as data with their sources. Taken from
// the shared reference "index-warning-service-assessment" §3 (Zhejiang practice: 企呼我应, 衢州, 泉州, 中山,
// 枣庄, the 12345 rules, 榆林 department scores) and its default method (b) B3. Jiaxing's own 96871 rules were
// not found (reference §3.1 "[gap] Jiaxing 96871"): an administrator replaces these when they are.

export const NATURES = ['consult', 'help', 'complaint', 'suggestion'] as const;
export type Nature = (typeof NATURES)[number];
/** Nature of a request [src 12345 rules, 中山 — reference B3.2] */
export const NATURE_ZH: Record<Nature, string> = {
  consult: '咨询',
  help: '求助',
  complaint: '投诉举报',
  suggestion: '建议',
};
/** The natures in English (the UI's second language; the Chinese names are the source's) */
export const NATURE_EN: Record<Nature, string> = {
  consult: 'Consultation',
  help: 'Request for help',
  complaint: 'Complaint / report',
  suggestion: 'Suggestion',
};

/** The seven business categories [src 衢州市经委 企业服务信息平台 rules — reference B3.2] */
export const CATEGORIES = [
  'new_issue',
  'financing',
  'investment',
  'department_matter',
  'construction',
  'policy',
  'other',
] as const;
export type Category = (typeof CATEGORIES)[number];
export const CATEGORY_ZH: Record<Category, string> = {
  new_issue: '新情况新问题',
  financing: '融资',
  investment: '投资咨询与项目申报',
  department_matter: '涉部门事项',
  construction: '项目建设协调',
  policy: '政策咨询',
  other: '其他',
};
export const CATEGORY_EN: Record<Category, string> = {
  new_issue: 'New situations and problems',
  financing: 'Financing',
  investment: 'Investment advice and project applications',
  department_matter: 'Matters of departments',
  construction: 'Project construction coordination',
  policy: 'Policy consultation',
  other: 'Other',
};

/** Channels feeding the one 涉企问题池 [src NDRC 2026, 衢州 — reference §3.1, B3.1] */
export const CHANNELS = ['online', 'hotline', 'visit', 'transfer_12345', 'leader', 'alert'] as const;
export type Channel = (typeof CHANNELS)[number];
export const CHANNEL_ZH: Record<Channel, string> = {
  online: '企业在线提交',
  hotline: '96871热线',
  visit: '走访',
  transfer_12345: '12345转办',
  leader: '领导交办',
  alert: '预警转办',
};
export const CHANNEL_EN: Record<Channel, string> = {
  online: 'Filed online by the firm',
  hotline: '96871 hotline',
  visit: 'Visit',
  transfer_12345: 'Transferred from 12345',
  leader: 'Assigned by a leader',
  alert: 'Transferred from an alert',
};

export const RATINGS = ['satisfied', 'basic', 'unsatisfied'] as const;
export type Rating = (typeof RATINGS)[number];
/** 回访 scale (满意 / 基本满意 / 不满意) [inference on the scale — reference B3.6] */
export const RATING_ZH: Record<Rating, string> = {
  satisfied: '满意',
  basic: '基本满意',
  unsatisfied: '不满意',
};
export const RATING_EN: Record<Rating, string> = {
  satisfied: 'Satisfied',
  basic: 'Basically satisfied',
  unsatisfied: 'Not satisfied',
};

export const LEVELS = ['city', 'county', 'town'] as const;
export type RequestLevel = (typeof LEVELS)[number];
export const LEVEL_ZH: Record<RequestLevel, string> = { city: '市级', county: '县级', town: '镇级' };
export const LEVEL_EN: Record<RequestLevel, string> = { city: 'City', county: 'County', town: 'Town' };

/** Time limits in working days / office hours, each with its source (reference §3.2 and B3.4–B3.6). */
export const TIME_LIMITS = {
  /** the coordinator dispatches a filed request the same day [src 泉州: 受理单 filed the same day] */
  dispatchWorkingDays: { value: 0, source: '泉州 万名干部进万企 (2022)' },
  /** the lead unit contacts the firm within one working hour of assignment [src 中山] */
  firstContactWorkingHours: { value: 1, source: '中山 企业诉求"马上办"' },
  /** policy consultation answered the same day [src 浙江 惠企政策平台, 中山] */
  consultWorkingDays: { value: 0, source: '浙江 惠企政策信息平台; 中山' },
  /** co-handling units (协办) give their input within three working days [src 泉州, 中山] */
  assistWorkingDays: { value: 3, source: '泉州 万名干部进万企 (2022)' },
  /** close within seven working days [src 泉州] */
  closeWorkingDays: { value: 7, source: '泉州 万名干部进万企 (2022)' },
  /** complex cases at most 25 working days [src 枣庄] */
  complexMaxWorkingDays: { value: 25, source: '枣庄 企呼枣应' },
  /** an extension is asked at least one working day before the deadline [src 泉州] */
  extensionNoticeWorkingDays: { value: 1, source: '泉州 万名干部进万企 (2022)' },
  /** a unit may contest its assignment within one working day; the coordinator decides the same day [src 泉州] */
  contestWorkingDays: { value: 1, source: '泉州 万名干部进万企 (2022)' },
  /** 回访 on the next working day after the answer [src 12345 rule] */
  followUpWorkingDays: { value: 1, source: '12345 局级 rule' },
} as const;

/** Escalation: reminder before the deadline, 催办 the day after, 督办 five working days later [src 12345 rule]. */
export const SERVICE_ESCALATION = {
  remindBeforeWorkingHours: 4,
  urgeAfterWorkingDays: 1,
  escalateAfterWorkingDays: 5,
} as const;

/**
 * Department score (承办单位评分) [src 榆林 12345 monthly — reference §3.4, B3.7]: five indicators, equal
 * weights (榆林 published none: [inference]); 红榜 the top five, 黑榜 the bottom five, counties and
 * departments ranked apart.
 */
export const SCORE_INDICATORS = [
  'timelyReceipt',
  'onTime',
  'satisfaction',
  'returnRate',
  'redoRate',
] as const;
export type ScoreIndicator = (typeof SCORE_INDICATORS)[number];
export const SCORE_WEIGHTS: Record<ScoreIndicator, number> = {
  timelyReceipt: 0.2,
  onTime: 0.2,
  satisfaction: 0.2,
  returnRate: 0.2,
  redoRate: 0.2,
};
export const BOARD_SIZE = 5;
/** a unit with fewer requests in the period is listed but not ranked */
export const MIN_RANKED_REQUESTS = 5;

/** Category → the duty a department must list to be its competent department (routing). */
export const CATEGORY_DUTY: Record<Category, string> = {
  new_issue: 'new_issue',
  financing: 'financing',
  investment: 'investment',
  department_matter: 'department_matter',
  construction: 'construction',
  policy: 'policy',
  other: 'other',
};

/** A recurring problem: the same tag raised by at least this many firms of one chain in the period. */
export const RECURRING_MIN_FIRMS = 3;
