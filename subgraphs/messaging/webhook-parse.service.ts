import { MessageStatus } from './message.type';
import type { DeliveryReport } from './delivery-report.service';

const MAX_REPORTS = 1000;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function cap(reports: DeliveryReport[]): DeliveryReport[] {
  if (reports.length > MAX_REPORTS) throw new Error('too many reports');
  return reports;
}

/** WhatsApp Cloud API: entry[].changes[].value.statuses[] { id, status: sent|delivered|read|failed }. */
export function parseWhatsAppReports(payload: unknown): DeliveryReport[] {
  if (!isObject(payload)) throw new Error('not an object');
  const map: Record<string, DeliveryReport['status']> = {
    delivered: MessageStatus.DELIVERED,
    read: MessageStatus.READ,
    failed: MessageStatus.FAILED,
  };
  const reports: DeliveryReport[] = [];
  for (const entry of list(payload.entry)) {
    for (const change of list(isObject(entry) ? entry.changes : undefined)) {
      const value = isObject(change) && isObject(change.value) ? change.value : {};
      for (const s of list(value.statuses)) {
        if (!isObject(s) || typeof s.id !== 'string' || typeof s.status !== 'string') continue;
        const status = map[s.status];
        if (status) reports.push({ providerMessageId: s.id, status });
      }
    }
  }
  return cap(reports);
}

/** MSG91 numeric report codes: 1 delivered; 2 failed; 9 NDNC; 16, 17, 25, 26 rejected/blocked. */
const MSG91_CODES: Record<string, DeliveryReport['status']> = {
  '1': MessageStatus.DELIVERED,
  '2': MessageStatus.FAILED,
  '9': MessageStatus.FAILED,
  '16': MessageStatus.FAILED,
  '17': MessageStatus.FAILED,
  '25': MessageStatus.FAILED,
  '26': MessageStatus.FAILED,
};
const MSG91_WORDS: Record<string, DeliveryReport['status']> = {
  DELIVERED: MessageStatus.DELIVERED,
  FAILED: MessageStatus.FAILED,
  REJECTED: MessageStatus.FAILED,
  NDNC: MessageStatus.FAILED,
  BLOCKED: MessageStatus.FAILED,
};

/** MSG91 delivery reports: [{ requestId, report: [{ status, desc }] }] or { data: [...] }; the request id is our provider id. */
export function parseMsg91Reports(payload: unknown): DeliveryReport[] {
  const items = Array.isArray(payload) ? payload : isObject(payload) ? list(payload.data) : null;
  if (!items) throw new Error('not a report list');
  const reports: DeliveryReport[] = [];
  for (const item of items) {
    if (!isObject(item) || typeof item.requestId !== 'string') continue;
    for (const r of list(item.report)) {
      if (!isObject(r)) continue;
      const status = MSG91_CODES[String(r.status)] ?? MSG91_WORDS[String(r.desc ?? '').toUpperCase()];
      if (status) reports.push({ providerMessageId: item.requestId, status });
    }
  }
  return cap(reports);
}
