import {
  attendanceRecordId, type Occupation, type OrgUnitKind, type ServiceCategory, type TeamKind,
} from '@haitang/domain';
import type { PersonalData } from '@haitang/auth';
import { type DemoStep, DemoScript, local, shiftMinutes } from './demo-script';
import { mobileNumber, REGION_CODES, residentIdNumber } from './fake-identity';

/*
 * The demo data: the people, places and activities of the seed news page
 * (/work/shared/seed, DESIGN §1), told as ledger commands with fixed ids.
 * Everything happens between August and mid-November 2026, so every
 * check-in, check-out and completion lies in the past.
 */

// ---------------------------------------------------------------- org units

interface UnitSpec { id: string; kind: OrgUnitKind; name: string; parentId: string | null }

/** 区 > 街道/镇 > 社区. 相城高新区 and 元和街道 are one administration in the seed ("相城高新区(元和街道)"). */
export const DEMO_UNITS: readonly UnitSpec[] = [
  { id: 'gusu', kind: 'district', name: '姑苏区', parentId: null },
  { id: 'canglang', kind: 'street', name: '沧浪街道', parentId: 'gusu' },
  { id: 'jinchang', kind: 'street', name: '金阊街道', parentId: 'gusu' },
  { id: 'taohuawu', kind: 'community', name: '桃花坞社区', parentId: 'jinchang' },
  { id: 'maojiaqiao', kind: 'community', name: '毛家桥社区', parentId: 'jinchang' },
  { id: 'huqiu', kind: 'street', name: '虎丘街道', parentId: 'gusu' },
  { id: 'hufu', kind: 'community', name: '虎阜社区', parentId: 'huqiu' },
  { id: 'shantang', kind: 'community', name: '山塘社区', parentId: 'huqiu' },
  { id: 'xiangcheng', kind: 'district', name: '相城区', parentId: null },
  { id: 'yuanhe', kind: 'street', name: '元和街道（相城高新区）', parentId: 'xiangcheng' },
  { id: 'fuyuan', kind: 'community', name: '富元社区', parentId: 'yuanhe' },
  { id: 'qingyuanjiayuan', kind: 'community', name: '庆元家园社区', parentId: 'yuanhe' },
  { id: 'fenghuiyuan', kind: 'community', name: '峰汇园社区', parentId: 'yuanhe' },
  { id: 'wangting', kind: 'town', name: '望亭镇', parentId: 'xiangcheng' },
  { id: 'yuting', kind: 'community', name: '御亭社区', parentId: 'wangting' },
  { id: 'huangdai', kind: 'town', name: '黄埭镇', parentId: 'xiangcheng' },
  { id: 'chunshen', kind: 'community', name: '春申社区', parentId: 'huangdai' },
];

// ---------------------------------------------------------------- volunteers

interface VolunteerSpec {
  id: string; home: string; name: string; occupation: Occupation;
  partyMember?: boolean; senior?: boolean;
  /** Fictitious personal data, passed in clear: the ledger seals it before any event is made. */
  personal?: { realName: string; phoneSerial: number; birthDate: string };
}

const gusuHomes = new Set(['canglang', 'taohuawu', 'maojiaqiao', 'hufu', 'shantang']);

export const DEMO_VOLUNTEERS: readonly VolunteerSpec[] = [
  // 红引擎志愿服务队: ride-hailing drivers of two platforms, based in 沧浪街道.
  { id: 'v-001', home: 'canglang', name: '陈师傅', occupation: 'ride-hailing', partyMember: true, personal: { realName: '陈建华', phoneSerial: 50_0001, birthDate: '1978-03-12' } },
  { id: 'v-002', home: 'canglang', name: '王师傅', occupation: 'ride-hailing', personal: { realName: '王国强', phoneSerial: 50_0002, birthDate: '1982-07-05' } },
  { id: 'v-003', home: 'canglang', name: '李师傅', occupation: 'ride-hailing', partyMember: true },
  { id: 'v-004', home: 'canglang', name: '张师傅', occupation: 'ride-hailing', personal: { realName: '张永明', phoneSerial: 50_0004, birthDate: '1975-11-20' } },
  { id: 'v-005', home: 'canglang', name: '刘师傅', occupation: 'ride-hailing' },
  { id: 'v-006', home: 'canglang', name: '孙师傅', occupation: 'ride-hailing', personal: { realName: '孙立新', phoneSerial: 50_0006, birthDate: '1986-02-28' } },
  // 先锋骑行队: couriers and food-delivery riders, party members in the lead.
  { id: 'v-007', home: 'canglang', name: '小周', occupation: 'courier', partyMember: true, personal: { realName: '周晓东', phoneSerial: 50_0007, birthDate: '1994-05-16' } },
  { id: 'v-008', home: 'canglang', name: '小吴', occupation: 'food-delivery' },
  { id: 'v-009', home: 'canglang', name: '老杨', occupation: 'courier', partyMember: true },
  { id: 'v-010', home: 'canglang', name: '小黄', occupation: 'food-delivery', personal: { realName: '黄宇航', phoneSerial: 50_0010, birthDate: '1998-09-03' } },
  { id: 'v-011', home: 'canglang', name: '小徐', occupation: 'food-delivery' },
  { id: 'v-012', home: 'canglang', name: '小马', occupation: 'courier' },
  { id: 'v-013', home: 'canglang', name: '小胡', occupation: 'food-delivery', partyMember: true },
  { id: 'v-014', home: 'canglang', name: '小朱', occupation: 'courier', personal: { realName: '朱浩然', phoneSerial: 50_0014, birthDate: '1996-12-24' } },
  { id: 'v-015', home: 'canglang', name: '小高', occupation: 'food-delivery' },
  { id: 'v-016', home: 'canglang', name: '小林', occupation: 'courier' },
  // 小蜜蜂垃圾分类志愿队, 虎丘街道 (赵阿姨 is the star of the training day).
  { id: 'v-017', home: 'hufu', name: '赵阿姨', occupation: 'other', senior: true, personal: { realName: '赵秀英', phoneSerial: 50_0017, birthDate: '1958-04-09' } },
  { id: 'v-018', home: 'hufu', name: '钱阿姨', occupation: 'other', senior: true },
  { id: 'v-019', home: 'hufu', name: '孙阿姨', occupation: 'other', partyMember: true },
  { id: 'v-020', home: 'shantang', name: '陆阿姨', occupation: 'other', senior: true },
  { id: 'v-021', home: 'shantang', name: '沈伯伯', occupation: 'other', senior: true, partyMember: true, personal: { realName: '沈根生', phoneSerial: 50_0021, birthDate: '1953-10-01' } },
  { id: 'v-022', home: 'shantang', name: '顾阿姨', occupation: 'other' },
  // 银发老党员, 富元社区党支部.
  { id: 'v-023', home: 'fuyuan', name: '吴老伯', occupation: 'other', senior: true, partyMember: true, personal: { realName: '吴志刚', phoneSerial: 50_0023, birthDate: '1950-06-18' } },
  { id: 'v-024', home: 'fuyuan', name: '郑老师', occupation: 'other', senior: true, partyMember: true },
  { id: 'v-025', home: 'fuyuan', name: '冯阿姨', occupation: 'other', senior: true, partyMember: true },
  { id: 'v-026', home: 'fuyuan', name: '蒋老伯', occupation: 'other', senior: true, partyMember: true },
  { id: 'v-027', home: 'fuyuan', name: '韩阿姨', occupation: 'other', senior: true, partyMember: true, personal: { realName: '韩桂芳', phoneSerial: 50_0027, birthDate: '1955-01-30' } },
  { id: 'v-028', home: 'fuyuan', name: '朱老伯', occupation: 'other', senior: true, partyMember: true },
  // 庆元家园社区: the smartphone class helpers.
  { id: 'v-029', home: 'qingyuanjiayuan', name: '小唐', occupation: 'other', personal: { realName: '唐诗雨', phoneSerial: 50_0029, birthDate: '2001-08-14' } },
  { id: 'v-030', home: 'qingyuanjiayuan', name: '许老师', occupation: 'other', partyMember: true },
  { id: 'v-031', home: 'qingyuanjiayuan', name: '何姐', occupation: 'other' },
  { id: 'v-032', home: 'qingyuanjiayuan', name: '吕同学', occupation: 'other' },
  // 桃花坞社区 (俞阿姨 of 铁路新村).
  { id: 'v-033', home: 'taohuawu', name: '俞阿姨', occupation: 'other', senior: true, personal: { realName: '俞美华', phoneSerial: 50_0033, birthDate: '1956-03-22' } },
  { id: 'v-034', home: 'taohuawu', name: '施大爷', occupation: 'other', senior: true, partyMember: true },
  { id: 'v-035', home: 'taohuawu', name: '曹阿姨', occupation: 'other', senior: true },
  // 海棠先锋, 毛家桥社区.
  { id: 'v-036', home: 'maojiaqiao', name: '金叔叔', occupation: 'other', partyMember: true },
  { id: 'v-037', home: 'maojiaqiao', name: '姚阿姨', occupation: 'other', senior: true },
  { id: 'v-038', home: 'maojiaqiao', name: '邵老师', occupation: 'other', partyMember: true, personal: { realName: '邵文博', phoneSerial: 50_0038, birthDate: '1983-09-09' } },
  // 峰汇园社区, 望亭镇, 黄埭镇.
  { id: 'v-039', home: 'fenghuiyuan', name: '范阿姨', occupation: 'other', senior: true, partyMember: true },
  { id: 'v-040', home: 'yuting', name: '彭大哥', occupation: 'other' },
  { id: 'v-041', home: 'yuting', name: '严阿姨', occupation: 'other', senior: true },
  { id: 'v-042', home: 'chunshen', name: '潘姐', occupation: 'courier', personal: { realName: '潘丽娟', phoneSerial: 50_0042, birthDate: '1988-12-05' } },
];

function personalDataOf(v: VolunteerSpec, sequence: number): PersonalData | undefined {
  if (!v.personal) return undefined;
  const region = gusuHomes.has(v.home) ? REGION_CODES.gusu : REGION_CODES.xiangcheng;
  return {
    realName: v.personal.realName,
    phone: mobileNumber(8, v.personal.phoneSerial),
    idNumber: residentIdNumber(region, v.personal.birthDate, sequence),
  };
}

/** The personal data the demo passes in clear: it must never appear in an event. */
export function demoPersonalData(): PersonalData[] {
  return DEMO_VOLUNTEERS.map((v, i) => personalDataOf(v, 100 + i)).filter((p): p is PersonalData => p !== undefined);
}

// ---------------------------------------------------------------- teams

interface TeamSpec { id: string; orgUnitId: string; name: string; kind: TeamKind; members: string[] }

export const DEMO_TEAMS: readonly TeamSpec[] = [
  { id: 'red-engine', orgUnitId: 'canglang', name: '“红引擎”志愿服务队', kind: 'red-engine', members: ['v-001', 'v-002', 'v-003', 'v-004', 'v-005', 'v-006'] },
  { id: 'pioneer-riders', orgUnitId: 'canglang', name: '先锋骑行队', kind: 'rider-team', members: ['v-007', 'v-008', 'v-009', 'v-010', 'v-011', 'v-012', 'v-013', 'v-014', 'v-015', 'v-016'] },
  { id: 'vibrant-haitang', orgUnitId: 'canglang', name: '“活力海棠 先锋聚能”党建共建联盟', kind: 'party-alliance', members: ['v-001', 'v-003', 'v-007', 'v-009', 'v-013'] },
  { id: 'haitang-pioneers', orgUnitId: 'maojiaqiao', name: '“海棠先锋”志愿服务队', kind: 'service-team', members: ['v-036', 'v-037', 'v-038'] },
  { id: 'little-bees', orgUnitId: 'huqiu', name: '“小蜜蜂”垃圾分类志愿队', kind: 'service-team', members: ['v-017', 'v-018', 'v-019', 'v-020', 'v-021', 'v-022'] },
  { id: 'silver-party-members', orgUnitId: 'fuyuan', name: '“银发老党员”志愿服务队', kind: 'service-team', members: ['v-023', 'v-024', 'v-025', 'v-026', 'v-027', 'v-028'] },
];

// ---------------------------------------------------------------- activities

/**
 * One attendee. `in` is minutes after the start (negative: early; the ledger
 * accepts up to 60 min early and credits only from the start), `out` minutes
 * after the end (positive: late, clamped to the end), 'missed' for a missing
 * check-out (flagged, never credited), 'no-show' for enrolled but never came.
 * `walkIn`: checked in without enrolling first.
 */
interface Attendee { v: string; in?: number; out?: number | 'missed'; noShow?: boolean; walkIn?: boolean }

interface ActivitySpec {
  id: string; orgUnitId: string; title: string; category: ServiceCategory; location: string;
  date: string; from: string; to: string; capacity?: number; personInCharge: string; description: string;
  attendees: Attendee[];
  beneficiaries?: number;
  /** Cancelled before it took place (after the enrollments). */
  cancelled?: string;
}

// Typical small differences between volunteers: a few minutes early or late at either end.
const TYPICAL_IN = [-15, -5, 0, 3, -25, -10, -2];
const TYPICAL_OUT = [5, 0, 12, -4, 20, 2, 8];

const all = (...ids: string[]): Attendee[] => ids.map((v) => ({ v }));

export const DEMO_ACTIVITIES: readonly ActivitySpec[] = [
  {
    id: 'a-phone-class-1', orgUnitId: 'qingyuanjiayuan', category: 'digital-inclusion',
    title: '“玩转智能手机”课堂（一）：手机上网与微信', location: '庆元家园社区党群服务中心',
    date: '2026-08-08', from: '09:00', to: '11:00', capacity: 8, personInCharge: '陆晓雯', beneficiaries: 26,
    description: '庆元家园社区联合富元家园社区开展“玩转智能手机”系列课堂：志愿者手把手辅导老人手机上网、聊微信、看朋友圈。',
    attendees: [...all('v-029', 'v-030', 'v-031', 'v-032'), { v: 'v-025', in: -35 }],
  },
  {
    id: 'a-bees-sorting-1', orgUnitId: 'hufu', category: 'garbage-sorting',
    title: '“小蜜蜂”垃圾分类点位督导', location: '虎阜社区各垃圾分类投放点',
    date: '2026-08-12', from: '07:00', to: '09:00', personInCharge: '蔡丽', beneficiaries: 180,
    description: '早高峰定时定点督导：指引居民破袋投放，厨余垃圾投放到灰色厨余桶内，现场二次分拣。',
    attendees: all('v-017', 'v-018', 'v-019', 'v-020'),
  },
  {
    id: 'a-silver-env-1', orgUnitId: 'fuyuan', category: 'environment',
    title: '“银发老党员”小区环境治理', location: '富元社区楼道、绿化带',
    date: '2026-08-15', from: '07:30', to: '09:30', personInCharge: '钱国平', beneficiaries: 300,
    description: '银发老党员带头捡拾楼道、绿化带垃圾，在垃圾分类督导员指导下分类投放，带动居民共同参与小区治理。',
    attendees: [{ v: 'v-023' }, { v: 'v-024' }, { v: 'v-025' }, { v: 'v-026', in: -50, out: 10 }, { v: 'v-027' }, { v: 'v-028' }],
  },
  {
    id: 'a-rider-patrol-1', orgUnitId: 'canglang', category: 'safety-patrol',
    title: '先锋骑行队文明巡查', location: '沧浪街道快递、外卖骑手集中的街巷楼宇',
    date: '2026-08-20', from: '19:00', to: '21:00', personInCharge: '高燕',
    description: '骑手们做文明巡查“网格员”：沿配送路线巡查占道、消防通道堵塞、电动车违规充电等安全隐患，随手拍上报。',
    attendees: all('v-007', 'v-008', 'v-009', 'v-010', 'v-011', 'v-012'),
  },
  {
    id: 'a-phone-class-2', orgUnitId: 'qingyuanjiayuan', category: 'digital-inclusion',
    title: '“玩转智能手机”课堂（二）：健康码与出行', location: '庆元家园社区党群服务中心',
    date: '2026-08-22', from: '09:00', to: '11:00', capacity: 8, personInCharge: '陆晓雯', beneficiaries: 22,
    description: '辅导老人申请和出示健康码、使用打车和公交软件，针对记不清操作步骤的老人反复演示。',
    attendees: [...all('v-029', 'v-030', 'v-031'), { v: 'v-024', walkIn: true, in: 20 }],
  },
  {
    id: 'a-wangting-birth', orgUnitId: 'yuting', category: 'other',
    title: '新生儿“出生一件事”集成服务宣传', location: '望亭镇御亭社区党群服务中心',
    date: '2026-08-28', from: '09:30', to: '11:30', personInCharge: '孙思雨', beneficiaries: 40,
    description: '向年轻家庭讲解“出生一件事”：一次提交材料、填写一张表，出生医学证明、户口登记、社保卡、医保参保等多证联办。',
    attendees: all('v-040', 'v-041'),
  },
  {
    id: 'a-phone-class-3', orgUnitId: 'qingyuanjiayuan', category: 'digital-inclusion',
    title: '“玩转智能手机”课堂（三）：查话费账单与手机支付', location: '庆元家园社区党群服务中心',
    date: '2026-09-05', from: '09:00', to: '11:00', capacity: 8, personInCharge: '陆晓雯', beneficiaries: 24,
    description: '教老人查看手机话费账单、安全使用手机支付，识别陌生链接和诈骗短信。',
    attendees: [...all('v-029', 'v-030', 'v-032'), { v: 'v-027', in: -45 }],
  },
  {
    id: 'a-anti-fraud-qingyuan', orgUnitId: 'qingyuanjiayuan', category: 'anti-fraud',
    title: '反诈骗普法宣传', location: '庆元家园社区广场',
    date: '2026-09-05', from: '11:00', to: '12:00', personInCharge: '陆晓雯', beneficiaries: 60,
    description: '课堂结束后，志愿者向老人讲解冒充公检法、保健品推销、刷单返利等常见诈骗手段，增强防骗意识。',
    attendees: [{ v: 'v-029', in: -5 }, { v: 'v-030', in: -5 }, { v: 'v-031', out: 15 }],
  },
  {
    id: 'a-taohuawu-council', orgUnitId: 'taohuawu', category: 'public-opinion',
    title: '社情民意议事会：老旧小区电动车充电难', location: '桃花坞社区党群服务中心议事厅',
    date: '2026-09-10', from: '14:00', to: '16:00', personInCharge: '徐荣', beneficiaries: 35,
    description: '社区党委召集居民代表商讨铁路新村等老旧小区电动车充电需求，走访后决定在边角空地安装一批充电桩。',
    attendees: [{ v: 'v-033' }, { v: 'v-034' }, { v: 'v-035', walkIn: true, in: 10 }],
  },
  {
    id: 'a-phone-class-fuyuan', orgUnitId: 'fuyuan', category: 'digital-inclusion',
    title: '“玩转智能手机”课堂（富元家园场）', location: '富元社区老年活动室',
    date: '2026-09-19', from: '14:00', to: '16:00', capacity: 8, personInCharge: '钱国平', beneficiaries: 18,
    description: '庆元家园社区与富元家园社区联合开课，志愿者到富元家园为行动不便的老人一对一辅导手机使用。',
    attendees: all('v-029', 'v-032', 'v-025'),
  },
  {
    id: 'a-silver-env-2', orgUnitId: 'fuyuan', category: 'environment',
    title: '“银发老党员”小区环境治理', location: '富元社区楼道、绿化带',
    date: '2026-09-19', from: '07:30', to: '09:30', personInCharge: '钱国平', beneficiaries: 300,
    description: '老党员分片包干清理楼道堆物和绿化带垃圾，动员居民一起参与。',
    attendees: [...all('v-023', 'v-024', 'v-025', 'v-027', 'v-028'), { v: 'v-026', noShow: true }],
  },
  {
    id: 'a-rider-patrol-2', orgUnitId: 'canglang', category: 'safety-patrol',
    title: '先锋骑行队文明巡查', location: '沧浪街道快递、外卖骑手集中的街巷楼宇',
    date: '2026-09-24', from: '19:00', to: '21:00', personInCharge: '高燕',
    description: '夜间巡查沿街商铺消防通道和电动车停放，顺带收集居民反映的问题。',
    attendees: [...all('v-009', 'v-010', 'v-013', 'v-015'), { v: 'v-014', out: 'missed' }],
  },
  {
    id: 'a-bees-sorting-typhoon', orgUnitId: 'hufu', category: 'garbage-sorting',
    title: '“小蜜蜂”垃圾分类点位督导', location: '虎阜社区各垃圾分类投放点',
    date: '2026-09-26', from: '07:00', to: '09:00', personInCharge: '蔡丽',
    description: '早高峰定时定点督导。',
    attendees: all('v-017', 'v-018', 'v-021'),
    cancelled: '受台风影响，气象台发布暴雨橙色预警，为保障志愿者和居民安全，本次督导取消。',
  },
  {
    id: 'a-skills-training', orgUnitId: 'canglang', category: 'skills-training',
    title: '新就业群体技能培训：电动车安全驾驶与应急救护', location: '沧浪街道“安全训练营”服务阵地',
    date: '2026-10-10', from: '14:00', to: '17:00', personInCharge: '高燕', beneficiaries: 45,
    description: '联动消防、人社部门为快递员、外卖骑手开展安全驾驶和心肺复苏培训，党员骑手担任助教。',
    attendees: [{ v: 'v-007', in: -30 }, { v: 'v-009' }, { v: 'v-013', out: 25 }],
  },
  {
    id: 'a-anti-fraud-canglang', orgUnitId: 'canglang', category: 'anti-fraud',
    title: '反诈宣传进“海棠加油站”', location: '沧浪街道“海棠加油站”服务阵地',
    date: '2026-10-15', from: '15:00', to: '16:30', personInCharge: '高燕', beneficiaries: 80,
    description: '在骑手歇脚充电的“海棠加油站”讲解刷单、网贷、冒充平台客服等诈骗手法，发放反诈宣传册。',
    attendees: all('v-001', 'v-002', 'v-008', 'v-010'),
  },
  {
    id: 'a-maojiaqiao-fitness', orgUnitId: 'maojiaqiao', category: 'safety-patrol',
    title: '“海棠先锋”健身场地安全查勘', location: '金之枫花园10幢南侧健身场地',
    date: '2026-10-17', from: '09:00', to: '10:30', personInCharge: '周勇俊', beneficiaries: 120,
    description: '志愿者反映健身场地地面凹凸不平，随社区党委书记现场查勘，与居民代表和物业商议修缮方案。',
    attendees: all('v-036', 'v-037', 'v-038'),
  },
  {
    id: 'a-bees-training', orgUnitId: 'huqiu', category: 'garbage-sorting',
    title: '垃圾分类督导员现场培训会', location: '虎丘街道党群服务中心',
    date: '2026-10-20', from: '14:00', to: '16:30', personInCharge: '蔡丽', beneficiaries: 30,
    description: '在姑苏区环卫支持下，督导员和“小蜜蜂”志愿者参加情景模拟、知识问答和分类游戏，学习与居民沟通的技巧。',
    attendees: [{ v: 'v-017', in: -20, out: 40 }, ...all('v-018', 'v-019', 'v-020', 'v-021', 'v-022')],
  },
  {
    id: 'a-silver-env-3', orgUnitId: 'fuyuan', category: 'environment',
    title: '“银发老党员”小区环境治理', location: '富元社区楼道、绿化带',
    date: '2026-10-24', from: '07:30', to: '09:30', personInCharge: '钱国平', beneficiaries: 300,
    description: '秋季大扫除：清理绿化带落叶和垃圾，劝导居民规范停放电动车。',
    attendees: all('v-023', 'v-024', 'v-025', 'v-026', 'v-027', 'v-028'),
  },
  {
    id: 'a-bees-sorting-2', orgUnitId: 'shantang', category: 'garbage-sorting',
    title: '“小蜜蜂”垃圾分类点位督导', location: '山塘社区各垃圾分类投放点',
    date: '2026-10-31', from: '07:00', to: '09:00', personInCharge: '蔡丽', beneficiaries: 150,
    description: '全域覆盖垃圾分类点位：以宣传引导和投放点位日巡查为主，重点分出厨余垃圾。',
    attendees: all('v-019', 'v-020', 'v-021', 'v-022'),
  },
  {
    id: 'a-rider-patrol-3', orgUnitId: 'canglang', category: 'safety-patrol',
    title: '先锋骑行队文明巡查', location: '沧浪街道快递、外卖骑手集中的街巷楼宇',
    date: '2026-11-05', from: '19:00', to: '21:00', personInCharge: '高燕',
    description: '入冬前巡查楼道电动车违规充电，发现隐患当场劝导并报告社区。',
    attendees: all('v-007', 'v-011', 'v-012', 'v-013', 'v-016'),
  },
  {
    id: 'a-legal-aid', orgUnitId: 'canglang', category: 'legal-aid',
    title: '新就业群体法律援助与权益保护咨询日', location: '沧浪街道党群服务中心',
    date: '2026-11-08', from: '10:00', to: '12:00', personInCharge: '高燕', beneficiaries: 32,
    description: '为快递员、外卖骑手提供劳动合同、社保、交通事故理赔等法律咨询，志愿者协助登记诉求、引导分流。',
    attendees: [{ v: 'v-038', in: -40 }, ...all('v-001', 'v-008')],
  },
  {
    id: 'a-huangdai-consumer', orgUnitId: 'chunshen', category: 'legal-aid',
    title: '消费维权普法宣传', location: '黄埭镇春申社区广场',
    date: '2026-11-12', from: '14:00', to: '16:00', personInCharge: '吕红', beneficiaries: 70,
    description: '配合综合行政执法局讲解购房、购物中的消费者权益，提醒居民保留书面承诺，遇到纠纷及时申请调解。',
    attendees: [...all('v-042', 'v-040'), { v: 'v-041', out: -30 }],
  },
  {
    id: 'a-fenghuiyuan-green', orgUnitId: 'fenghuiyuan', category: 'environment',
    title: '“绿色文明”社区共建：楼道清理与环保宣传', location: '峰汇园社区',
    date: '2026-11-14', from: '09:00', to: '11:00', personInCharge: '何静', beneficiaries: 90,
    description: '党员志愿者清理楼道杂物、宣传生态文明和垃圾分类知识，共建“绿色文明”社区。',
    attendees: all('v-039', 'v-023'),
  },
];

// ---------------------------------------------------------------- service records

interface RecordSpec {
  recordId: string; volunteerId: string; orgUnitId: string; category: ServiceCategory;
  serviceDate: string; minutes: number; description: string;
  source: 'staff' | 'self-report'; activityId?: string; location?: string;
  /** What happened to the record afterwards (a self-report stays pending when absent). */
  then?: ({ type: 'approve' } | { type: 'reject'; reason: string } | { type: 'amend'; minutes: number; reason: string } | { type: 'revoke'; reason: string })[];
}

const approve = { type: 'approve' } as const;

/** 红引擎 self-reports (跑腿代办, 送医陪护, 爱心送乘) and staff entries. */
export const DEMO_RECORDS: readonly RecordSpec[] = [
  { recordId: 'r-self-001', volunteerId: 'v-001', orgUnitId: 'canglang', category: 'errand-escort', serviceDate: '2026-08-12', minutes: 90, source: 'self-report',
    description: '送独居高龄老人到医院复诊，陪同挂号、取药后送回家。', then: [approve] },
  { recordId: 'r-self-002', volunteerId: 'v-002', orgUnitId: 'canglang', category: 'elder-rides', serviceDate: '2026-08-26', minutes: 40, source: 'self-report',
    description: '为行动不便的残疾人居民提供就近乘车服务，送至社区卫生服务站。',
    then: [approve, { type: 'amend', minutes: 35, reason: '按网约车平台行程记录核对，实际服务 35 分钟。' }] },
  { recordId: 'r-self-003', volunteerId: 'v-003', orgUnitId: 'canglang', category: 'errand-escort', serviceDate: '2026-09-09', minutes: 60, source: 'self-report',
    description: '为居民跑腿代办：代取处方药品、代缴水电费。', then: [approve] },
  { recordId: 'r-self-004', volunteerId: 'v-004', orgUnitId: 'canglang', category: 'elder-rides', serviceDate: '2026-09-18', minutes: 30, source: 'self-report',
    description: '为孕妇提供就近乘车服务，送至妇幼保健院产检。', then: [approve] },
  { recordId: 'r-self-005', volunteerId: 'v-004', orgUnitId: 'canglang', category: 'elder-rides', serviceDate: '2026-09-18', minutes: 30, source: 'self-report',
    description: '为孕妇提供就近乘车服务，送至妇幼保健院产检。',
    then: [{ type: 'reject', reason: '与 9 月 18 日已申报的同一趟行程重复（见记录 r-self-004），不重复计时。' }] },
  { recordId: 'r-self-006', volunteerId: 'v-005', orgUnitId: 'canglang', category: 'errand-escort', serviceDate: '2026-10-09', minutes: 120, source: 'self-report',
    description: '陪护高龄老人就医：挂号、检查、取药全程陪同。', then: [approve] },
  { recordId: 'r-self-007', volunteerId: 'v-003', orgUnitId: 'canglang', category: 'safety-patrol', serviceDate: '2026-10-21', minutes: 20, source: 'self-report',
    description: '行车途中发现窨井盖缺失，现场摆放警示并报告社区，预警安全隐患。', then: [approve] },
  { recordId: 'r-self-008', volunteerId: 'v-006', orgUnitId: 'canglang', category: 'elder-rides', serviceDate: '2026-10-28', minutes: 45, source: 'self-report',
    description: '为高龄老人提供就近乘车服务，往返社区老年活动中心。', then: [approve] },
  { recordId: 'r-self-009', volunteerId: 'v-001', orgUnitId: 'canglang', category: 'elder-rides', serviceDate: '2026-11-16', minutes: 50, source: 'self-report',
    description: '雨天接送高龄老人往返医院。' },
  { recordId: 'r-staff-001', volunteerId: 'v-034', orgUnitId: 'taohuawu', category: 'public-opinion', serviceDate: '2026-09-17', minutes: 60, source: 'staff',
    description: '走访铁路新村居民，收集电动车充电桩选址意见。' },
  { recordId: 'r-staff-002', volunteerId: 'v-022', orgUnitId: 'hufu', category: 'garbage-sorting', serviceDate: '2026-10-08', minutes: 60, source: 'staff',
    description: '垃圾分类点位督导。',
    then: [{ type: 'revoke', reason: '录入错误：该志愿者当日未参加督导，经本人和队长确认后撤销。' }] },
  { recordId: 'r-staff-003', volunteerId: 'v-036', orgUnitId: 'maojiaqiao', category: 'other', serviceDate: '2026-10-22', minutes: 120, source: 'staff',
    description: '协助社区与物业监督健身场地修缮施工，竣工后参与验收。' },
  { recordId: 'r-staff-004', volunteerId: 'v-007', orgUnitId: 'canglang', category: 'public-opinion', serviceDate: '2026-10-30', minutes: 90, source: 'staff',
    description: '担任社情民意“收集员”，整理新就业群体困难诉求 12 条并反馈街道。' },
  // 小朱 forgot to check out of the second patrol: completion flagged it, the team leader confirmed, staff record it by hand.
  { recordId: attendanceRecordId('a-rider-patrol-2', 'v-014'), volunteerId: 'v-014', orgUnitId: 'canglang', category: 'safety-patrol', serviceDate: '2026-09-24', minutes: 120, source: 'staff',
    activityId: 'a-rider-patrol-2', description: '巡查结束时漏签退，经队长核实全程参加，补录服务时长。' },
];

/** A correction to an attendance record made at completion. */
export const DEMO_ATTENDANCE_AMENDMENT = {
  activityId: 'a-silver-env-1', volunteerId: 'v-026', minutes: 100,
  reason: '蒋老伯中途因身体不适提前离开约 20 分钟，按活动负责人签到表更正。',
} as const;

// ---------------------------------------------------------------- the story as commands

function attendanceSteps(script: DemoScript, a: ActivitySpec): void {
  const startsAt = local(a.date, a.from);
  const endsAt = local(a.date, a.to);
  for (const p of a.attendees) {
    if (p.walkIn) continue;
    script.add(`enroll:${a.id}:${p.v}`, { aggregate: 'activity', command: { type: 'EnrollVolunteer', activityId: a.id, volunteerId: p.v } });
  }
  if (a.cancelled) {
    script.add(`cancel:${a.id}`, { aggregate: 'activity', command: { type: 'CancelActivity', activityId: a.id, reason: a.cancelled } });
    return;
  }
  const present = a.attendees.map((p, i) => ({ p, i })).filter(({ p }) => !p.noShow);
  for (const { p, i } of present) {
    const at = shiftMinutes(startsAt, p.in ?? TYPICAL_IN[i % TYPICAL_IN.length]);
    script.add(`check-in:${a.id}:${p.v}`, { aggregate: 'activity', command: { type: 'CheckIn', activityId: a.id, volunteerId: p.v, at } });
  }
  for (const { p, i } of present) {
    if (p.out === 'missed') continue;
    const at = shiftMinutes(endsAt, p.out ?? TYPICAL_OUT[i % TYPICAL_OUT.length]);
    script.add(`check-out:${a.id}:${p.v}`, { aggregate: 'activity', command: { type: 'CheckOut', activityId: a.id, volunteerId: p.v, at } });
  }
  script.add(`complete:${a.id}`, { aggregate: 'activity', command: { type: 'CompleteActivity', activityId: a.id, beneficiaries: a.beneficiaries ?? null } });
}

/** The whole demo, in the order a community would have recorded it. */
export function seedStory(): readonly DemoStep[] {
  const script = new DemoScript();
  for (const u of DEMO_UNITS) {
    script.add(`register-org-unit:${u.id}`, { aggregate: 'org-unit', command: { type: 'RegisterOrgUnit', orgUnitId: u.id, kind: u.kind, name: u.name, parentId: u.parentId } });
  }
  DEMO_VOLUNTEERS.forEach((v, i) => {
    script.add(`register-volunteer:${v.id}`, {
      aggregate: 'volunteer',
      command: {
        type: 'RegisterVolunteer', volunteerId: v.id, homeOrgUnitId: v.home, displayName: v.name,
        partyMember: v.partyMember ?? false, senior: v.senior ?? false, occupation: v.occupation,
        clearPersonalData: personalDataOf(v, 100 + i),
      },
    });
  });
  for (const t of DEMO_TEAMS) {
    script.add(`form-team:${t.id}`, { aggregate: 'team', command: { type: 'FormTeam', teamId: t.id, orgUnitId: t.orgUnitId, name: t.name, kind: t.kind } });
    for (const m of t.members) script.add(`join-team:${t.id}:${m}`, { aggregate: 'team', command: { type: 'JoinTeam', teamId: t.id, volunteerId: m } });
  }
  for (const a of DEMO_ACTIVITIES) {
    script.add(`plan-activity:${a.id}`, {
      aggregate: 'activity',
      command: {
        type: 'PlanActivity', activityId: a.id, orgUnitId: a.orgUnitId, title: a.title, category: a.category, location: a.location,
        startsAt: local(a.date, a.from), endsAt: local(a.date, a.to), capacity: a.capacity ?? null,
        description: a.description, personInCharge: a.personInCharge,
      },
    });
    attendanceSteps(script, a);
  }
  for (const r of DEMO_RECORDS) {
    script.add(`record-service:${r.recordId}`, {
      aggregate: 'record',
      command: {
        type: 'RecordService', recordId: r.recordId, volunteerId: r.volunteerId, orgUnitId: r.orgUnitId, category: r.category,
        serviceDate: r.serviceDate, minutes: r.minutes, description: r.description, source: r.source,
        activityId: r.activityId ?? null, location: r.location ?? null,
      },
    });
    for (const next of r.then ?? []) {
      const command = next.type === 'approve' ? { type: 'ApproveService' as const, recordId: r.recordId }
        : next.type === 'reject' ? { type: 'RejectService' as const, recordId: r.recordId, reason: next.reason }
          : next.type === 'amend' ? { type: 'AmendService' as const, recordId: r.recordId, minutes: next.minutes, reason: next.reason }
            : { type: 'RevokeService' as const, recordId: r.recordId, reason: next.reason };
      script.add(`${next.type}-service:${r.recordId}`, { aggregate: 'record', command });
    }
  }
  const amend = DEMO_ATTENDANCE_AMENDMENT;
  const recordId = attendanceRecordId(amend.activityId, amend.volunteerId);
  script.add(`amend-service:${recordId}`, { aggregate: 'record', command: { type: 'AmendService', recordId, minutes: amend.minutes, reason: amend.reason } });
  return script.toArray();
}
