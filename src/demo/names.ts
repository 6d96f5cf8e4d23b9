// Believable, synthetic Chinese enterprise names: "{地名}{字号}{行业词}{组织形式}", e.g. 嘉兴市恒翔纺织有限公司,
// 桐乡市瑞丰化纤股份有限公司, 平湖华瑞新材料科技有限公司. 字号 are drawn from two character lists; 字号 of
// well-known real enterprises are blocked, so the demo never impersonates a real firm (a random
// combination can still coincide with some registered name — the data are flagged synthetic).
import { type Rng } from './random.ts';

const ZIHAO_FIRST = [
  ...'恒华瑞新鑫宏泰嘉盛达永兴裕凯天宇博汇金中东海诚信德利通联明光伟立正元和顺安康福佳星晨越卓睿远峰腾捷奥浩振万长亿祥荣丰昌广大金银恩乐君凌铭',
];
const ZIHAO_SECOND = [
  ...'翔华瑞达泰盛源隆昌丰兴鑫宇辉阳成发林洋邦川力宏晟锦程升业峰帆创嘉恒亚益利通诚信美德新康润泽航博科骏弘合旺豪凯欣运祺耀驰舜杰煌',
];
const ZIHAO_THIRD = [...'达兴盛源泰昌隆丰鑫华'];

/**
 * 字号 (or two-character fragments of them) of real enterprises named in the project's reference
 * pack and other well-known Jiaxing firms. Never generated.
 */
export const BLOCKED_ZIHAO = new Set([
  '桐昆',
  '新凤',
  '凤鸣',
  '晶科',
  '阿特',
  '隆基',
  '福莱',
  '福斯',
  '协成',
  '合盛',
  '信汇',
  '帝人',
  '赞宇',
  '国鸿',
  '合众',
  '哪吒',
  '吉奥',
  '吉利',
  '双环',
  '华友',
  '浦项',
  '火星',
  '鼎美',
  '奥普',
  '美尔',
  '来斯',
  '今顶',
  '品格',
  '奥华',
  '卫星',
  '三江',
  '巨石',
  '敏实',
  '闻泰',
  '正泰',
  '昱能',
  '晓星',
  '秦山',
  '中核',
  '华业',
  '博凡',
  '多角',
  '中达',
  '力源',
  '海重',
  '斯达',
  '天通',
  '嘉欣',
  '海利',
  '景兴',
  '京华',
  '雅莹',
  '民丰',
  '嘉化',
  '嘉澳',
  '晨丰',
  '佳利',
  '正凯',
  '天能',
  '天合',
  '通威',
  '荣盛',
  '恒逸',
  '恒力',
  '盛虹',
  '万凯',
  '加西',
  '彩虹',
  '中石',
  '石化',
  '东方',
  '中国',
  '中华',
  '国家',
  '华为',
  '美的',
  '格力',
  '海尔',
  '万达',
  '联想',
  '福耀',
  '宏达',
  '恒通',
  '华联',
  '永利',
  '长城',
  '长安',
  '天宇',
  '正泰',
  '金华',
  '东海',
  '嘉兴',
  '华东',
  '华中',
  '中宏',
  '天达',
  '兴达',
  '大华',
  '海康',
  '宇通',
  '比亚',
  '宁德',
  '恒瑞',
]);

/** Industry words by code prefix (class, group, division or section); the most specific wins. */
export const INDUSTRY_WORDS: Record<string, readonly string[]> = {
  B: ['矿业', '石料'],
  D: ['能源', '热电'],
  '13': ['食品', '粮油', '农产品'],
  '14': ['食品', '食品科技'],
  '15': ['饮料', '酒业'],
  '17': ['纺织', '织造', '纺织科技', '面料'],
  '171': ['纺织', '棉纺'],
  '1713': ['印染', '染整'],
  '174': ['丝绸', '绢纺'],
  '1743': ['丝绸印染'],
  '175': ['织造', '纺织', '化纤织造'],
  '1752': ['印染', '染整'],
  '176': ['针织', '经编', '纺织'],
  '1762': ['针织印染'],
  '177': ['家纺', '家用纺织'],
  '1773': ['布艺', '窗饰'],
  '178': ['非织造', '产业用布', '纺织材料'],
  '1781': ['无纺布', '非织造布'],
  '18': ['服饰', '服装', '制衣', '时装'],
  '1829': ['毛衫', '针织服饰', '羊毛衫'],
  '1830': ['服饰'],
  '19': ['皮革', '皮业'],
  '192': ['皮革制品', '箱包', '皮具'],
  '193': ['皮草', '裘皮'],
  '194': ['羽绒', '羽绒制品'],
  '195': ['鞋业', '制鞋'],
  '20': ['木业', '木制品'],
  '2032': ['门业', '木门'],
  '21': ['家具', '家居'],
  '22': ['纸业', '造纸'],
  '223': ['包装', '纸制品'],
  '23': ['印刷', '彩印'],
  '24': ['文体用品', '工艺品', '玩具'],
  '25': ['石化', '能源'],
  '26': ['化工', '化学', '精细化工', '新材料'],
  '264': ['涂料', '颜料'],
  '2645': ['染料'],
  '265': ['新材料', '高分子材料', '树脂'],
  '2652': ['橡胶', '合成橡胶'],
  '2659': ['有机硅', '新材料'],
  '266': ['化学品', '助剂', '精细化工'],
  '268': ['日化', '日用化学品'],
  '27': ['药业', '制药', '生物医药'],
  '28': ['化纤', '化学纤维', '纤维'],
  '2821': ['锦纶', '化纤'],
  '2822': ['化纤', '聚酯', '涤纶'],
  '2826': ['氨纶', '化纤'],
  '283': ['生物材料', '生物基材料'],
  '29': ['塑业', '橡塑', '塑胶'],
  '291': ['橡胶', '橡胶制品'],
  '2911': ['轮胎'],
  '2922': ['塑料型材', '管业', '建材'],
  '30': ['建材', '新型建材'],
  '304': ['玻璃', '光伏玻璃'],
  '306': ['玻纤', '复合材料'],
  '307': ['陶瓷'],
  '31': ['钢铁', '特钢'],
  '32': ['金属材料', '铜业', '铝业'],
  '3218': ['硅业', '硅材料'],
  '33': ['金属制品', '五金'],
  '3311': ['钢构', '钢结构'],
  '3312': ['门窗', '幕墙'],
  '3399': ['集成吊顶', '顶墙', '装饰材料'],
  '34': ['机械', '精工', '机电'],
  '344': ['泵业', '阀门'],
  '345': ['轴承', '传动'],
  '3453': ['齿轮', '传动'],
  '35': ['机械', '装备', '智能装备'],
  '3551': ['纺织机械'],
  '36': ['汽车部件', '汽配', '汽车零部件'],
  '361': ['汽车'],
  '3612': ['新能源汽车'],
  '366': ['车业', '车身'],
  '37': ['船舶', '车辆'],
  '38': ['电气', '电器', '机电'],
  '381': ['电机'],
  '382': ['电气', '电力设备'],
  '3825': ['光伏', '新能源', '光电'],
  '383': ['电缆', '线缆'],
  '384': ['电池', '能源科技'],
  '385': ['电器', '家电'],
  '3854': ['厨具', '厨电', '集成灶'],
  '386': ['燃气具', '厨具'],
  '387': ['照明', '光电'],
  '39': ['电子', '光电', '微电子', '智能科技'],
  '392': ['通讯', '通信'],
  '396': ['智能科技'],
  '397': ['电子', '半导体'],
  '3985': ['电子材料', '新材料'],
  '40': ['仪器', '仪表'],
  '41': ['制品', '工艺'],
  '42': ['再生资源', '环保'],
  '43': ['机电'],
  '44': ['热电', '能源'],
  '4416': ['光伏电力', '新能源'],
  '443': ['热力', '热能'],
  '45': ['燃气', '能源'],
  '46': ['水务', '供水'],
  '462': ['水处理', '环保'],
};

const FALLBACK_WORDS = ['实业', '制造', '科技'];

export function industryWords(code: string, section: string): readonly string[] {
  for (let len = code.length; len >= 2; len--) {
    const w = INDUSTRY_WORDS[code.slice(0, len)];
    if (w) return w;
  }
  return INDUSTRY_WORDS[section] ?? FALLBACK_WORDS;
}

export interface NamePlace {
  /** county-level name as configured, e.g. 桐乡市, 南湖区 */
  countyName: string;
  cityName: string; // 嘉兴市
  provinceName: string; // 浙江省
}

/** Short form: 桐乡市 → 桐乡, 嘉兴市 → 嘉兴, 浙江省 → 浙江. */
export function shortPlace(name: string): string {
  return name.length > 2 ? name.replace(/(市|县|区|省)$/, '') : name;
}

export interface NameRequest {
  place: NamePlace;
  industryCode: string;
  section: string;
  /** 0 small … 3 very large; large firms prefer 浙江 / 股份 / 集团 */
  size: number;
}

export function randomZihao(rng: Rng, long = false): string {
  for (;;) {
    const a = rng.pick(ZIHAO_FIRST);
    const b = rng.pick(ZIHAO_SECOND);
    if (a === b) continue;
    const z = a + b;
    if (BLOCKED_ZIHAO.has(z)) continue;
    if (!long) return z;
    const c = rng.pick(ZIHAO_THIRD);
    if (c === b || BLOCKED_ZIHAO.has(b + c)) continue;
    return z + c;
  }
}

function placePrefix(rng: Rng, req: NameRequest): { prefix: string; foreign: string | null } {
  const county = req.place.countyName;
  const isDistrict = county.endsWith('区');
  const r = rng.next();
  if (req.size >= 2 && r < 0.55) return { prefix: shortPlace(req.place.provinceName), foreign: null };
  if (r < 0.05) return { prefix: '', foreign: shortPlace(isDistrict ? req.place.cityName : county) };
  if (isDistrict)
    return { prefix: r < 0.6 ? req.place.cityName : shortPlace(req.place.cityName), foreign: null };
  return { prefix: r < 0.65 ? county : shortPlace(county), foreign: null };
}

function orgForm(rng: Rng, req: NameRequest, word: string): string {
  const r = rng.next();
  if (req.size >= 3) return r < 0.5 ? '集团有限公司' : '股份有限公司';
  if (req.size >= 2 && r < 0.45) return '股份有限公司';
  if (r < 0.14 && !word.endsWith('科技')) return '科技有限公司';
  return '有限公司';
}

/** One candidate name (not checked for uniqueness). */
export function candidateName(rng: Rng, req: NameRequest, longZihao = false): string {
  const { prefix, foreign } = placePrefix(rng, req);
  const zihao = randomZihao(rng, longZihao);
  const word = rng.pick(industryWords(req.industryCode, req.section));
  const form = orgForm(rng, req, word);
  if (foreign) return `${zihao}（${foreign}）${word}${form}`;
  return `${prefix}${zihao}${word}${form}`;
}

/** Hands out unique names; after a few collisions it moves to three-character 字号. */
export class NameBook {
  private readonly used = new Set<string>();

  get size(): number {
    return this.used.size;
  }

  has(name: string): boolean {
    return this.used.has(name);
  }

  next(rng: Rng, req: NameRequest): string {
    for (let attempt = 0; ; attempt++) {
      const name = candidateName(rng, req, attempt >= 8);
      if (!this.used.has(name)) {
        this.used.add(name);
        return name;
      }
      if (attempt > 200) throw new Error('name space exhausted');
    }
  }
}

const ROADS =
  '工业路 兴业路 创业路 发展大道 科技大道 经一路 经二路 纬一路 纬三路 振兴路 新兴路 环城路 开发路 富民路 世纪大道 滨海大道 平安路 长盛路 金星路 华丰路 园区路 胜利路 建设路 文昌路'.split(
    ' ',
  );

/** A synthetic address: 浙江省嘉兴市桐乡市高桥街道兴业路128号. */
export function randomAddress(
  rng: Rng,
  province: string,
  city: string,
  county: string,
  town: string | null,
): string {
  return `${province}${city}${county}${town ?? ''}${rng.pick(ROADS)}${rng.int(1, 999)}号`;
}
