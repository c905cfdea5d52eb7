/** The national draft's thresholds for 1–5 stars (星级志愿者), in hours. */
export const DEFAULT_STAR_THRESHOLDS_HOURS = [100, 300, 600, 1000, 1500] as const;

export interface StarStanding {
  readonly starLevel: number;
  readonly nextStar: { level: number; minutesToGo: number } | null;
}

/** Star level from cumulative approved minutes; thresholds are configuration (hours, ascending). */
export function starStanding(approvedMinutes: number, thresholdsHours: readonly number[] = DEFAULT_STAR_THRESHOLDS_HOURS): StarStanding {
  const thresholds = thresholdsHours.map((h) => h * 60);
  const starLevel = thresholds.filter((t) => approvedMinutes >= t).length;
  const next = thresholds[starLevel];
  return { starLevel, nextStar: next === undefined ? null : { level: starLevel + 1, minutesToGo: next - approvedMinutes } };
}

/** Parses "100,300,600,1000,1500" (hours); refuses anything not strictly ascending and positive. */
export function parseStarThresholds(text: string | undefined): number[] {
  if (!text) return [...DEFAULT_STAR_THRESHOLDS_HOURS];
  const values = text.split(',').map((v) => Number(v.trim()));
  if (values.length === 0 || values.some((v, i) => !Number.isFinite(v) || v <= 0 || (i > 0 && v <= values[i - 1]))) {
    throw new Error(`Star thresholds must be ascending positive hours, e.g. 100,300,600,1000,1500 (got "${text}")`);
  }
  return values;
}
