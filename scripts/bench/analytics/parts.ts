import { moneyPart } from './money';
import type { AnalyticsBenchPart } from './types';

/** The analytics benchmark's parts (run.ts seeds and times each). */
export const PARTS: AnalyticsBenchPart[] = [moneyPart];
