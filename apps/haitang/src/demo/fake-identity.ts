/**
 * Well-formed but fictitious personal data for the demo volunteers. The numbers
 * pass the format checks (11-digit mobile number, 18-character resident ID with
 * a valid GB 11643 check digit) and belong to nobody.
 */

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK_CHARS = '10X98765432';

/** Region codes of the two districts in the seed story. */
export const REGION_CODES = { gusu: '320508', xiangcheng: '320507' } as const;

/** An 18-character resident ID number: region (6), birth date (8), sequence (3), check character. */
export function residentIdNumber(region: string, birthDate: string, sequence: number): string {
  const body = `${region}${birthDate.replace(/-/g, '')}${String(sequence).padStart(3, '0')}`;
  if (!/^\d{17}$/.test(body)) throw new Error(`Cannot make an ID number from ${region}, ${birthDate}, ${sequence}`);
  const sum = [...body].reduce((total, digit, i) => total + Number(digit) * ID_WEIGHTS[i], 0);
  return body + ID_CHECK_CHARS[sum % 11];
}

/** An 11-digit mobile number in the 13x range: 13 + one digit + 8 digits. */
export function mobileNumber(secondDigit: number, serial: number): string {
  return `13${secondDigit}${String(serial).padStart(8, '0')}`;
}
