import { badInput } from '../../core/errors';
import { TimeSlot, SLOT_HOURS } from './time-slot.type';

/**
 * Shift times and library opening hours, in minutes since midnight (Asia/Kolkata,
 * like the fixed slots). Seats are claimed per whole hour (claim.service.ts), so a
 * shift starts and ends on the hour.
 */
export const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
export const DAY_MINUTES = 24 * 60;

export const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
export const toHHMM = (minutes: number) => {
  const m = ((minutes % DAY_MINUTES) + DAY_MINUTES) % DAY_MINUTES;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
};

/** A shift's span: end after start, past midnight (end + 24 h) when overnight. */
export interface Span {
  start: number;
  end: number;
}

export function shiftSpan(startTime: string, endTime: string): Span {
  const start = toMinutes(startTime);
  const end = toMinutes(endTime);
  return { start, end: end <= start ? end + DAY_MINUTES : end };
}

/** The library's opening hours. closingTime before openingTime: closes after midnight; equal: open 24 h. */
export interface OpeningHours {
  openingTime: string;
  closingTime: string;
}

export function hoursSpan(h: OpeningHours): Span & { allDay: boolean } {
  const allDay = h.openingTime === h.closingTime;
  const span = shiftSpan(h.openingTime, h.closingTime);
  return { ...span, allDay, ...(allDay ? { end: span.start + DAY_MINUTES } : {}) };
}

export const openAcrossMidnight = (h: OpeningHours) => hoursSpan(h).end > DAY_MINUTES;

/** Refuses (BAD_USER_INPUT) a shift that is malformed or leaves the library's opening hours. */
export function checkShiftTimes(startTime: string, endTime: string, hours: OpeningHours, prefix = 'input') {
  for (const [field, value] of [
    ['startTime', startTime],
    ['endTime', endTime],
  ] as const) {
    if (!HHMM.test(value)) throw badInput(`${prefix}.${field}`, 'must be HH:MM (24 h)');
    if (!value.endsWith(':00')) throw badInput(`${prefix}.${field}`, 'must be on the hour (HH:00): seats are reserved in whole hours');
  }
  if (startTime === endTime) throw badInput(`${prefix}.endTime`, 'must differ from startTime');
  const shift = shiftSpan(startTime, endTime);
  const open = hoursSpan(hours);
  if (open.allDay) return;
  const overnight = shift.end > DAY_MINUTES;
  if (overnight && !openAcrossMidnight(hours)) {
    throw badInput(`${prefix}.endTime`, `an overnight shift needs a library open across midnight (its hours are ${hours.openingTime}–${hours.closingTime})`);
  }
  // A shift may also start after midnight inside hours that began the evening before (e.g. 00:00–02:00 of 18:00–03:00).
  const inside = (offset: number) => shift.start + offset >= open.start && shift.end + offset <= open.end;
  if (!inside(0) && !inside(DAY_MINUTES)) {
    throw badInput(`${prefix}.startTime`, `the shift must lie within the library's opening hours ${hours.openingTime}–${hours.closingTime}`);
  }
}

export interface DefaultShift {
  name: string;
  startTime: string;
  endTime: string;
  slot: TimeSlot | null;
}

const SLOT_NAMES: Record<TimeSlot, string> = { [TimeSlot.MORNING]: 'Morning', [TimeSlot.EVENING]: 'Evening', [TimeSlot.FULL_DAY]: 'Full day' };
export const slotShiftName = (slot: TimeSlot) => SLOT_NAMES[slot];

/** The old fixed slot as a shift (06–14, 14–22, 06–22): what bookings made before shifts held. */
export const legacyShift = (slot: TimeSlot): DefaultShift => {
  const [from, to] = SLOT_HOURS[slot];
  return { name: SLOT_NAMES[slot], startTime: toHHMM(from * 60), endTime: toHHMM(to * 60), slot };
};

/**
 * A new library's shifts, from its hours (whole hours inside them): Full day = all
 * of it, Morning = the first half, Evening = the second; a library open 24 h gets
 * the fixed slots plus Night 22:00–06:00. Each stands for the old slot of its name.
 */
export function defaultShifts(hours: OpeningHours): DefaultShift[] {
  const open = hoursSpan(hours);
  if (open.allDay) {
    return [...Object.values(TimeSlot).map(legacyShift), { name: 'Night', startTime: '22:00', endTime: '06:00', slot: null }];
  }
  const start = Math.ceil(open.start / 60) * 60;
  const end = Math.floor(open.end / 60) * 60;
  if (end - start < 120) {
    // Too short to split: one Full day shift (or none when under an hour).
    return end > start ? [{ name: 'Full day', startTime: toHHMM(start), endTime: toHHMM(end), slot: TimeSlot.FULL_DAY }] : [];
  }
  const mid = start + Math.floor((end - start) / 120) * 60;
  return [
    { name: 'Morning', startTime: toHHMM(start), endTime: toHHMM(mid), slot: TimeSlot.MORNING },
    { name: 'Evening', startTime: toHHMM(mid), endTime: toHHMM(end), slot: TimeSlot.EVENING },
    { name: 'Full day', startTime: toHHMM(start), endTime: toHHMM(end), slot: TimeSlot.FULL_DAY },
  ];
}
