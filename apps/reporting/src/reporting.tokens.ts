/** Star thresholds in hours (configuration: HAITANG_STAR_THRESHOLDS). */
export const STAR_THRESHOLDS = Symbol('StarThresholds');
