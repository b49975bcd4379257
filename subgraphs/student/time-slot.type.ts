import { registerEnumType } from 'type-graphql';

/** The old fixed daily slots: each now stands for a library's shift (shift.service.ts shiftForSlot). Claims are whole hours. */
export enum TimeSlot {
  MORNING = 'morning',
  EVENING = 'evening',
  FULL_DAY = 'full_day',
}
registerEnumType(TimeSlot, {
  name: 'TimeSlot',
  description:
    "The old fixed slots, kept for old clients: each stands for the library's shift of that slot (MORNING 06-14, EVENING 14-22, FULL_DAY 06-22 for a library open 06-22; Asia/Kolkata).",
});

export const OPEN_HOUR = 6;
export const CLOSE_HOUR = 22;

export const SLOT_HOURS: Record<TimeSlot, [number, number]> = {
  [TimeSlot.MORNING]: [6, 14],
  [TimeSlot.EVENING]: [14, 22],
  [TimeSlot.FULL_DAY]: [6, 22],
};
