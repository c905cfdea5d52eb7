/** Service categories (DESIGN §3): stable codes with their Chinese names. */
export const SERVICE_CATEGORIES = {
  environment: '环境整治',
  'digital-inclusion': '数字助老',
  'anti-fraud': '反诈宣传',
  'garbage-sorting': '垃圾分类',
  'errand-escort': '跑腿代办/送医陪护',
  'elder-rides': '爱心送乘',
  'safety-patrol': '安全巡查',
  'public-opinion': '社情民意收集',
  'legal-aid': '法律援助',
  'skills-training': '技能培训',
  other: '其他',
} as const;

export type ServiceCategory = keyof typeof SERVICE_CATEGORIES;
export const SERVICE_CATEGORY_CODES = Object.keys(SERVICE_CATEGORIES) as ServiceCategory[];

export function isServiceCategory(value: unknown): value is ServiceCategory {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(SERVICE_CATEGORIES, value);
}

/** Occupations that reports group volunteers by. */
export const OCCUPATIONS = {
  courier: '快递员',
  'food-delivery': '外卖骑手',
  'ride-hailing': '网约车司机',
  other: '其他',
} as const;
export type Occupation = keyof typeof OCCUPATIONS;
export const OCCUPATION_CODES = Object.keys(OCCUPATIONS) as Occupation[];
