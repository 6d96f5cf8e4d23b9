// The import kinds and their columns: the template header (with its unit), the aliases and
// English names accepted, the type and the rules of each value. Shared by the reader, the templates
// and the exports, so what is exported reads back in.
import type { UnitKind } from '../units.ts';
import { MAX_PRODUCT_LENGTH, MAX_PRODUCTS } from '../products.ts';
import { FLAG_KEYS, FLAGS } from '../evaluation/flags.ts';

export const IMPORT_KINDS = ['enterprises', 'monthly', 'annual', 'tiers', 'flags'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export function isImportKind(value: unknown): value is ImportKind {
  return (IMPORT_KINDS as readonly unknown[]).includes(value);
}

/** Emissions are in tonnes; there is no conversion table for them, only the unit 吨. */
export type QuantityKind = UnitKind | 'tonnes';

export type ColumnType =
  | { type: 'uscc' }
  | { type: 'text'; max: number }
  /** several values in one cell, separated by 、，,;；/ (src/domain/products.ts); stored as a JSON list */
  | { type: 'list'; maxItem: number; maxItems: number }
  | {
      type: 'quantity';
      unit: QuantityKind;
      /** 'any' where a negative is possible (tax refunds, losses) */
      sign: 'any' | 'nonNegative' | 'positive';
      integer?: boolean;
      /** the header must name its unit (元/千元/万元 …): a factor of 10,000 is never guessed */
      unitRequired: boolean;
    }
  | { type: 'month' }
  | { type: 'year' }
  | { type: 'date' }
  | { type: 'enum'; values: readonly EnumValue[] }
  | { type: 'county' }
  | { type: 'zone' }
  | { type: 'industry' };

export interface EnumValue {
  value: string;
  zh: string;
  /** spellings accepted besides zh and value */
  aliases: readonly string[];
}

export interface ColumnDef {
  /** the database column the value goes to */
  key: string;
  /** template header without unit, e.g. 工业总产值 */
  zh: string;
  en: string;
  /** canonical unit written in the template header: 工业总产值(万元) */
  unit?: string;
  aliases: readonly string[];
  required: boolean;
  spec: ColumnType;
  noteZh: string;
  noteEn: string;
  example: string | number;
}

export interface KindDef {
  kind: ImportKind;
  zh: string;
  en: string;
  /** the database table the rows go to */
  table: string;
  columns: readonly ColumnDef[];
  /** keys of the columns that identify a row (besides the enterprise): month, year, tier+year */
  periodKeys: readonly string[];
  /** groups of which at least one column must be present, e.g. county code or county name */
  oneOf?: readonly (readonly string[])[];
}

const USCC_COLUMN: ColumnDef = {
  key: 'uscc',
  zh: '统一社会信用代码',
  en: 'Unified social credit code',
  aliases: [
    '社会信用代码',
    '信用代码',
    '统一代码',
    'uscc',
    'credit code',
    'unified social credit code',
    'usci',
    '组织机构代码(统一社会信用代码)',
  ],
  required: true,
  spec: { type: 'uscc' },
  noteZh: '18位，校验位须正确；全角字符自动转换',
  noteEn: '18 characters with a valid check character; full-width characters are converted',
  example: '91330402MA2B3C4D5E',
};

const money = (
  key: string,
  zh: string,
  en: string,
  aliases: string[],
  sign: 'any' | 'nonNegative' = 'nonNegative',
): ColumnDef => ({
  key,
  zh,
  en,
  unit: '万元',
  aliases,
  required: false,
  spec: { type: 'quantity', unit: 'money', sign, unitRequired: true },
  noteZh: `金额，表头须注明单位（元/千元/万元/亿元，自动换算为万元）${sign === 'any' ? '；可为负数' : '；不能为负数'}`,
  noteEn: `Money; the header must name the unit (元/千元/万元/亿元, converted to 万元)${sign === 'any' ? '; may be negative' : '; cannot be negative'}`,
  example: sign === 'any' ? 85.5 : 1234.5,
});

const energy = (key: string, aliases: string[]): ColumnDef => ({
  key,
  zh: '综合能耗',
  en: 'Energy consumption',
  unit: '吨标准煤',
  aliases,
  required: false,
  spec: { type: 'quantity', unit: 'energy', sign: 'nonNegative', unitRequired: true },
  noteZh: '吨标准煤（或万吨标准煤，自动换算）',
  noteEn: 'Tonnes of coal equivalent (tce; 10k tce is converted)',
  example: 356.2,
});

const electricity = (key: string, aliases: string[]): ColumnDef => ({
  key,
  zh: '用电量',
  en: 'Electricity use',
  unit: '万千瓦时',
  aliases,
  required: false,
  spec: { type: 'quantity', unit: 'electricity', sign: 'nonNegative', unitRequired: true },
  noteZh: '万千瓦时（千瓦时/度 自动换算）',
  noteEn: '10k kWh (kWh is converted)',
  example: 120.8,
});

const persons = (key: string, zh: string, en: string, aliases: string[]): ColumnDef => ({
  key,
  zh,
  en,
  unit: '人',
  aliases,
  required: false,
  spec: { type: 'quantity', unit: 'count', sign: 'nonNegative', integer: true, unitRequired: false },
  noteZh: '人，整数；表头未注明单位时按“人”',
  noteEn: 'Persons, a whole number; taken as persons when the header names no unit',
  example: 120,
});

const tonnes = (key: string, zh: string, en: string, aliases: string[]): ColumnDef => ({
  key,
  zh,
  en,
  unit: '吨',
  aliases,
  required: false,
  spec: { type: 'quantity', unit: 'tonnes', sign: 'nonNegative', unitRequired: false },
  noteZh: '吨；表头未注明单位时按“吨”',
  noteEn: 'Tonnes; taken as tonnes when the header names no unit',
  example: 1.25,
});

export const SCALE_VALUES: readonly EnumValue[] = [
  {
    value: 'above',
    zh: '规上',
    aliases: ['规模以上', '规上企业', '规模以上工业', 'above', 'designated', 'above designated size', '是'],
  },
  { value: 'below', zh: '规下', aliases: ['规模以下', '规下企业', 'below', 'below designated size', '否'] },
];

export const STATUS_VALUES: readonly EnumValue[] = [
  {
    value: 'operating',
    zh: '在营',
    aliases: ['存续', '在业', '营业', '开业', '正常', 'operating', 'active'],
  },
  { value: 'suspended', zh: '停业', aliases: ['歇业', '停产', 'suspended'] },
  { value: 'closed', zh: '注销', aliases: ['吊销', '关闭', '已注销', 'closed', 'deregistered'] },
];

export const TIER_VALUES: readonly EnumValue[] = [
  { value: 'xiongying', zh: '雄鹰', aliases: ['雄鹰企业', '雄鹰行动', 'xiongying', 'eagle'] },
  { value: 'chuying', zh: '雏鹰', aliases: ['雏鹰企业', '雏鹰行动', 'chuying', 'young eagle'] },
  {
    value: 'zhuanjingtexin',
    zh: '专精特新',
    aliases: ['专精特新中小企业', '专精特新企业', 'zhuanjingtexin', 'specialised and sophisticated', 'srdi'],
  },
  {
    value: 'little_giant',
    zh: '小巨人',
    aliases: ['专精特新小巨人', '专精特新“小巨人”', '“小巨人”', 'little giant', 'little_giant'],
  },
  {
    value: 'single_champion',
    zh: '单项冠军',
    aliases: ['制造业单项冠军', '单项冠军企业', 'single champion', 'single_champion'],
  },
  {
    value: 'hidden_champion',
    zh: '隐形冠军',
    aliases: ['隐形冠军企业', 'hidden champion', 'hidden_champion'],
  },
  { value: 'listed', zh: '上市', aliases: ['上市企业', '上市公司', 'listed'] },
  {
    value: 'listing_reserve',
    zh: '上市后备',
    aliases: ['拟上市', '上市后备企业', 'listing reserve', 'listing_reserve'],
  },
];

export const LEVEL_VALUES: readonly EnumValue[] = [
  { value: 'national', zh: '国家级', aliases: ['国家', '国家级', 'national'] },
  { value: 'provincial', zh: '省级', aliases: ['省', '浙江省', 'provincial', 'province'] },
  { value: 'city', zh: '市级', aliases: ['市', '嘉兴市', 'city', 'municipal'] },
];

const ENTERPRISES: KindDef = {
  kind: 'enterprises',
  zh: '企业名录',
  en: 'Enterprise registry',
  table: 'enterprises',
  periodKeys: [],
  oneOf: [['region_code', 'region_name']],
  columns: [
    USCC_COLUMN,
    {
      key: 'name',
      zh: '企业名称',
      en: 'Enterprise name',
      aliases: [
        '单位名称',
        '单位详细名称',
        '企业名',
        '公司名称',
        'name',
        'enterprise name',
        'company name',
        'enterprise',
      ],
      required: true,
      spec: { type: 'text', max: 200 },
      noteZh: '营业执照上的全称',
      noteEn: 'Full name as on the business licence',
      example: '嘉兴市示例纺织有限公司',
    },
    {
      key: 'region_code',
      zh: '区县代码',
      en: 'County code',
      aliases: ['行政区划代码', '区划代码', '县区代码', 'county code', 'region code', 'region_code'],
      required: false,
      spec: { type: 'county' },
      noteZh: 'GB/T 2260 六位代码，如 330402；也可只填“所属区县”列（名称）',
      noteEn: 'GB/T 2260 six-digit code such as 330402; or fill the county-name column instead',
      example: '330402',
    },
    {
      key: 'region_name',
      zh: '所属区县',
      en: 'County',
      aliases: ['区县', '县(市、区)', '县市区', '所在区县', '区县名称', 'county', 'county name', 'district'],
      required: false,
      spec: { type: 'county' },
      noteZh: '区县名称，如 南湖区；与“区县代码”同时填写时须一致',
      noteEn: 'County name such as 南湖区; must agree with the county code when both are given',
      example: '南湖区',
    },
    {
      key: 'industry_code',
      zh: '行业代码',
      en: 'Industry code',
      aliases: [
        '国民经济行业代码',
        '国民经济行业分类代码',
        '行业分类代码',
        '行业小类代码',
        'industry code',
        'industry',
        'gb/t 4754',
        'nic code',
      ],
      required: true,
      spec: { type: 'industry' },
      noteZh: 'GB/T 4754-2017 国民经济行业分类 2–4 位代码，如 1711',
      noteEn: 'GB/T 4754-2017 industry code, 2–4 digits, such as 1711',
      example: '1711',
    },
    {
      key: 'scale',
      zh: '规模',
      en: 'Scale',
      aliases: ['企业规模', '是否规上', '规上/规下', '规模类型', 'scale', 'size'],
      required: true,
      spec: { type: 'enum', values: SCALE_VALUES },
      noteZh: '规上 或 规下',
      noteEn: '规上 (above designated size) or 规下 (below)',
      example: '规上',
    },
    {
      key: 'zone_code',
      zh: '所属园区',
      en: 'Zone',
      aliases: ['园区', '所在园区', '开发区', '所属开发区', '功能区', 'zone', 'park', 'zone code'],
      required: false,
      spec: { type: 'zone' },
      noteZh: '园区名称或代码（如 经开区、Z-JXETDZ），须位于所填区县',
      noteEn: 'Zone name or code (e.g. 经开区, Z-JXETDZ); must lie in the given county',
      example: '经开区',
    },
    {
      key: 'founded',
      zh: '成立日期',
      en: 'Founded',
      aliases: [
        '成立时间',
        '注册日期',
        '登记日期',
        'founded',
        'founding date',
        'established',
        'date founded',
      ],
      required: false,
      spec: { type: 'date' },
      noteZh: '日期，如 2005-03-01',
      noteEn: 'A date such as 2005-03-01',
      example: '2005-03-01',
    },
    {
      key: 'status',
      zh: '状态',
      en: 'Status',
      aliases: ['经营状态', '登记状态', '企业状态', 'status'],
      required: false,
      spec: { type: 'enum', values: STATUS_VALUES },
      noteZh: '在营 / 停业 / 注销；空为在营',
      noteEn: '在营 operating / 停业 suspended / 注销 closed; blank means operating',
      example: '在营',
    },
    {
      key: 'address',
      zh: '地址',
      en: 'Address',
      aliases: ['注册地址', '经营地址', '详细地址', '企业地址', 'address'],
      required: false,
      spec: { type: 'text', max: 300 },
      noteZh: '经营地址',
      noteEn: 'Business address',
      example: '南湖区示例路1号',
    },
    {
      key: 'main_products',
      zh: '主要产品',
      en: 'Main products',
      aliases: ['主营产品', '产品', '主要产品名称', 'main products', 'main product', 'products'],
      required: false,
      spec: { type: 'list', maxItem: MAX_PRODUCT_LENGTH, maxItems: MAX_PRODUCTS },
      noteZh: `可填多项，用 、，,;；/ 分隔（每项最多 ${MAX_PRODUCT_LENGTH} 字，最多 ${MAX_PRODUCTS} 项）；用于产业链环节归属`,
      noteEn: `Several allowed, separated by 、，,;；/ (at most ${MAX_PRODUCT_LENGTH} characters each, ${MAX_PRODUCTS} items); places the firm on industry-chain nodes`,
      example: 'PERC电池片、TOPCon电池片',
    },
  ],
};

const MONTHLY: KindDef = {
  kind: 'monthly',
  zh: '月度统计',
  en: 'Monthly statistics',
  table: 'monthly_stats',
  periodKeys: ['month'],
  columns: [
    USCC_COLUMN,
    {
      key: 'month',
      zh: '统计月份',
      en: 'Month',
      aliases: ['月份', '报告期', '统计期', '所属月份', '统计期别', 'month', 'period', 'reporting month'],
      required: true,
      spec: { type: 'month' },
      noteZh: '如 2024-03、2024/3、2024年3月 或 Excel 日期',
      noteEn: 'Such as 2024-03, 2024/3, 2024年3月 or an Excel date',
      example: '2025-03',
    },
    money('output_value', '工业总产值', 'Gross industrial output', [
      '总产值',
      '工业总产值(当年价格)',
      '工业总产值当月',
      'output value',
      'gross output',
      'industrial output',
      'output',
    ]),
    money('revenue', '营业收入', 'Revenue', [
      '营收',
      '营业收入当月',
      'revenue',
      'operating revenue',
      'sales revenue',
    ]),
    money('profit', '利润总额', 'Total profit', ['利润', '利润总额当月', 'profit', 'total profit'], 'any'),
    money('tax', '税金', 'Taxes', ['税金总额', '应交税金', '税收', '税金合计', 'tax', 'taxes'], 'any'),
    energy('energy_tce', [
      '综合能源消费量',
      '综合能源消费',
      '能耗',
      'energy',
      'energy consumption',
      'energy use',
    ]),
    electricity('electricity', [
      '用电',
      '工业用电量',
      '电力消费量',
      'electricity',
      'electricity use',
      'power consumption',
    ]),
    persons('employees', '从业人员', 'Employees', [
      '从业人员数',
      '从业人员期末人数',
      '用工人数',
      '职工人数',
      'employees',
      'staff',
      'headcount',
    ]),
    money('export_value', '出口交货值', 'Export delivery value', [
      '出口交货',
      '出口',
      'export value',
      'exports',
      'export delivery value',
    ]),
  ],
};

const ANNUAL: KindDef = {
  kind: 'annual',
  zh: '亩均评价基础数据',
  en: 'Annual evaluation inputs',
  table: 'annual_inputs',
  periodKeys: ['year'],
  columns: [
    USCC_COLUMN,
    {
      key: 'year',
      zh: '年度',
      en: 'Year',
      aliases: ['年份', '评价年度', '数据年度', '统计年度', 'year', 'fiscal year'],
      required: true,
      spec: { type: 'year' },
      noteZh: '如 2024',
      noteEn: 'Such as 2024',
      example: 2025,
    },
    {
      key: 'land_mu',
      zh: '用地面积',
      en: 'Land area',
      unit: '亩',
      aliases: [
        '用地',
        '占地面积',
        '土地面积',
        '实际用地面积',
        '用地面积合计',
        'land',
        'land area',
        'land use',
      ],
      required: false,
      spec: { type: 'quantity', unit: 'land', sign: 'positive', unitRequired: true },
      noteZh: '亩（平方米/公顷 自动换算），须大于 0',
      noteEn: 'Mu (m² and hectares are converted); must be above 0',
      example: 50,
    },
    money(
      'tax_paid',
      '实缴税金',
      'Tax paid',
      ['实缴税收', '税收实际贡献', '实际缴纳税金', '实缴税费', '税收', 'tax paid', 'taxes paid'],
      'any',
    ),
    money('value_added', '工业增加值', 'Industrial value added', [
      '增加值',
      'value added',
      'industrial value added',
    ]),
    money('revenue', '营业收入', 'Revenue', ['营收', 'revenue', 'operating revenue']),
    money('main_revenue', '主营业务收入', 'Main business revenue', [
      '主营收入',
      '主营业务收入合计',
      'main revenue',
      'main business revenue',
    ]),
    energy('energy_tce', ['综合能源消费量', '能耗', '总能耗', 'energy', 'energy consumption']),
    electricity('electricity', ['用电', '总用电量', 'electricity', 'electricity use']),
    tonnes('cod', '化学需氧量', 'COD', ['COD', 'cod排放量', '化学需氧量排放量', 'chemical oxygen demand']),
    tonnes('ammonia_nitrogen', '氨氮', 'Ammonia nitrogen', [
      '氨氮排放量',
      'nh3-n',
      'ammonia nitrogen',
      'ammonia',
    ]),
    tonnes('so2', '二氧化硫', 'SO2', ['二氧化硫排放量', 'so2', 'sulphur dioxide', 'sulfur dioxide']),
    tonnes('nox', '氮氧化物', 'NOx', ['氮氧化物排放量', 'nox', 'nitrogen oxides']),
    money('rd_expense', 'R&D经费支出', 'R&D expenditure', [
      '研发经费',
      '研发费用',
      '研发经费支出',
      'r&d经费',
      'r&d支出',
      'r&d expenditure',
      'r&d',
      'rd expense',
    ]),
    persons('avg_employees', '年平均职工人数', 'Average employees', [
      '平均职工人数',
      '年平均从业人员',
      '职工人数',
      '从业人员',
      'average employees',
      'employees',
    ]),
  ],
};

const TIERS: KindDef = {
  kind: 'tiers',
  zh: '企业梯队/荣誉',
  en: 'Enterprise tiers and honours',
  table: 'enterprise_tiers',
  periodKeys: ['tier', 'year'],
  columns: [
    USCC_COLUMN,
    {
      key: 'tier',
      zh: '类别',
      en: 'Category',
      aliases: [
        '梯队类别',
        '荣誉类别',
        '称号',
        '荣誉称号',
        '梯队',
        '类型',
        'category',
        'tier',
        'honour',
        'honor',
      ],
      required: true,
      spec: { type: 'enum', values: TIER_VALUES },
      noteZh: '雄鹰 / 雏鹰 / 专精特新 / 小巨人 / 单项冠军 / 隐形冠军 / 上市 / 上市后备',
      noteEn:
        'One of 雄鹰, 雏鹰, 专精特新, 小巨人, 单项冠军, 隐形冠军, 上市 (listed), 上市后备 (listing reserve)',
      example: '专精特新',
    },
    {
      key: 'year',
      zh: '认定年度',
      en: 'Year recognised',
      aliases: ['认定年份', '年度', '认定时间', '入选年度', 'year', 'year recognised', 'year recognized'],
      required: true,
      spec: { type: 'year' },
      noteZh: '如 2024',
      noteEn: 'Such as 2024',
      example: 2024,
    },
    {
      key: 'level',
      zh: '认定级别',
      en: 'Level',
      aliases: ['级别', '认定层级', '层级', 'level'],
      required: false,
      spec: { type: 'enum', values: LEVEL_VALUES },
      noteZh: '国家级 / 省级 / 市级',
      noteEn: '国家级 national / 省级 provincial / 市级 city',
      example: '省级',
    },
    {
      key: 'source',
      zh: '来源',
      en: 'Source',
      aliases: ['认定文件', '文件依据', '依据', '文号', 'source', 'reference'],
      required: false,
      spec: { type: 'text', max: 300 },
      noteZh: '认定文件或公告',
      noteEn: 'The notice or document of recognition',
      example: '浙经信企业〔2024〕XX号',
    },
  ],
};

/** The 亩均 evaluation's adjustment flags (src/domain/evaluation/flags.ts). */
export const FLAG_VALUES: readonly EnumValue[] = FLAG_KEYS.map((k) => ({
  value: k,
  zh: FLAGS[k].zh,
  aliases: [k, ...FLAGS[k].aliases],
}));

const FLAG_KIND: KindDef = {
  kind: 'flags',
  zh: '亩均评价调整标记',
  en: 'Evaluation adjustment flags',
  table: 'evaluation_flags',
  periodKeys: ['flag', 'year'],
  columns: [
    USCC_COLUMN,
    {
      key: 'flag',
      zh: '调整标记',
      en: 'Flag',
      aliases: ['标记', '调整事项', '事项', '类别', 'flag'],
      required: true,
      spec: { type: 'enum', values: FLAG_VALUES },
      noteZh: FLAG_KEYS.map((k) => FLAGS[k].zh).join(' / '),
      noteEn: FLAG_KEYS.map((k) => `${FLAGS[k].zh} (${FLAGS[k].en})`).join(', '),
      example: '新设立企业',
    },
    {
      key: 'year',
      zh: '评价年度',
      en: 'Evaluation year',
      aliases: ['年度', '年份', 'year', 'evaluation year'],
      required: true,
      spec: { type: 'year' },
      noteZh: '标记所适用的评价年度，如 2024',
      noteEn: 'The evaluation year the flag applies to, such as 2024',
      example: 2024,
    },
    {
      key: 'evidence',
      zh: '依据',
      en: 'Evidence',
      aliases: ['证明材料', '依据文件', '文号', '说明', 'evidence', 'source'],
      required: true,
      spec: { type: 'text', max: 1000 },
      noteZh: '认定文件、事故通报或其他依据（标记会改变评价等级，须写明依据）',
      noteEn: 'The notice, accident report or other evidence (a flag changes classes: say why)',
      example: '嘉应急〔2024〕XX号事故通报',
    },
  ],
};

export const KINDS: Readonly<Record<ImportKind, KindDef>> = {
  enterprises: ENTERPRISES,
  monthly: MONTHLY,
  annual: ANNUAL,
  tiers: TIERS,
  flags: FLAG_KIND,
};

/** The template header of a column: 工业总产值(万元). */
export function templateHeader(c: ColumnDef): string {
  return c.unit && c.spec.type === 'quantity' ? `${c.zh}(${c.unit})` : c.zh;
}

/** The database columns a kind writes, beside enterprise_id and import_id. */
export function factColumns(def: KindDef): ColumnDef[] {
  return def.columns.filter((c) => c.key !== 'uscc' && c.key !== 'region_name');
}
