import { moneyPart } from './money';
import { studentsPart } from './students';
import type { AnalyticsBenchPart } from './types';

/** The analytics benchmark's parts, one per domain (run.ts seeds and times each). */
export const PARTS: AnalyticsBenchPart[] = [studentsPart, moneyPart];
