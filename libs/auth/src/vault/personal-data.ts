/** The personal data the regulations require (志愿服务条例 art. 19–20). */
export interface PersonalData {
  realName?: string | null;
  phone?: string | null;
  idNumber?: string | null;
}

/** 张三 -> 张*, 欧阳娜娜 -> 欧***. */
export function maskName(name: string): string {
  const chars = [...name];
  return chars.length <= 1 ? '*' : chars[0] + '*'.repeat(chars.length - 1);
}

/** 13812345678 -> 138****5678. */
export function maskPhone(phone: string): string {
  return phone.length < 7 ? '*'.repeat(phone.length) : phone.slice(0, 3) + '*'.repeat(phone.length - 7) + phone.slice(-4);
}

/** 320508199001011234 -> 3205**********1234. */
export function maskIdNumber(id: string): string {
  return id.length < 8 ? '*'.repeat(id.length) : id.slice(0, 4) + '*'.repeat(id.length - 8) + id.slice(-4);
}

export function maskPersonalData(data: PersonalData): Required<PersonalData> {
  return {
    realName: data.realName ? maskName(data.realName) : null,
    phone: data.phone ? maskPhone(data.phone) : null,
    idNumber: data.idNumber ? maskIdNumber(data.idNumber) : null,
  };
}
