/** Every operation the dashboard sends. Panels load separately, so one forbidden panel (e.g. wallet for staff) leaves the rest. */
export const LOGIN = `mutation Login($i: LoginInput!) { login(input: $i) { accessToken refreshToken role mfaRequired totpEnrollmentRequired mfaToken } }`;
export const LOGIN_TOTP = `mutation LoginTotp($i: LoginWithTotpInput!) { loginWithTotp(input: $i) { accessToken refreshToken role } }`;
export const REFRESH = `mutation Refresh($t: String!) { refreshToken(token: $t) { accessToken refreshToken role } }`;
export const LOGOUT = `mutation Logout($t: String!) { logout(token: $t) }`;

export const TENANT = `query Tenant { tenant { name slug branding { displayName primaryColor } } me { user { name email } } }`;

const LIBRARY_FIELDS = 'id name city capacity occupancy { occupied free percent }';
export const LIBRARIES = `query Libraries { libraries { ${LIBRARY_FIELDS} } }`;
/** No libraryId: every library of the caller's tenant. */
export const OCCUPANCY_CHANGED = `subscription Occupancy { occupancyChanged { ${LIBRARY_FIELDS} } }`;

const NOTIFICATION_FIELDS = 'id type title body read createdAt student { name }';
export const NOTIFICATIONS = `query Notifications { notifications(first: 20) { ${NOTIFICATION_FIELDS} } }`;
export const NOTIFICATION_RECEIVED = `subscription Feed { notificationReceived { ${NOTIFICATION_FIELDS} } }`;

export const WALLET = `query Wallet { wallet { sms whatsapp email updatedAt thresholds { sms whatsapp email } } }`;

export interface AuthPayload {
  accessToken: string;
  refreshToken: string;
  role: string;
}
/** What login answers: tokens, or (tokens null) a second-factor challenge. */
export interface LoginPayload {
  accessToken: string | null;
  refreshToken: string | null;
  role: string;
  mfaRequired: boolean;
  totpEnrollmentRequired: boolean;
  mfaToken: string | null;
}
export interface TenantInfo {
  tenant: { name: string; slug: string; branding: { displayName: string | null; primaryColor: string | null } };
  me: { user: { name: string; email: string } | null };
}
export interface LibraryRow {
  id: string;
  name: string;
  city: string | null;
  capacity: number;
  occupancy: { occupied: number; free: number; percent: number };
}
export interface NotificationRow {
  id: string;
  type: string;
  title: string;
  body: string;
  read: boolean;
  createdAt: string;
  student: { name: string } | null;
}
export interface WalletInfo {
  sms: number;
  whatsapp: number;
  email: number;
  updatedAt: string | null;
  thresholds: { sms: number; whatsapp: number; email: number };
}

/** The tenant's calendar: the analytics ranges are its days. */
export const STUDENT_TIMEZONE = `query StudentTimezone { studentSettings { timezone } }`;
/** Student analytics (students:read: owners and managers). */
export const ANALYTICS = `query Analytics($from: String!, $to: String!, $cohortFrom: String!, $cohortTo: String!) {
  occupancyHeatmap(from: $from, to: $to) { from to timezone checkIns weekdayDays checkInsByHour averagePresentByHour }
  studentActivity(from: $from, to: $to, granularity: DAY) { period activeStudents newStudents }
  studentRetention(fromMonth: $cohortFrom, toMonth: $cohortTo) { month joined retained { monthsLater active rate complete } }
}`;

export interface AnalyticsData {
  occupancyHeatmap: {
    from: string;
    to: string;
    timezone: string;
    checkIns: number;
    weekdayDays: number[];
    checkInsByHour: number[][];
    averagePresentByHour: number[][];
  };
  studentActivity: { period: string; activeStudents: number; newStudents: number }[];
  studentRetention: { month: string; joined: number; retained: { monthsLater: number; active: number; rate: number; complete: boolean }[] }[];
}

/** Finance panel (finance.tsx): money analytics over a month range (YYYY-MM, Asia/Kolkata months). */
export const FINANCE = {
  collections: `query Collections($from: String!, $to: String!) { collectionsReport(fromMonth: $from, toMonth: $to) { month billed collected outstanding collectionRate } }`,
  revenueByMethod: `query RevenueByMethod($from: String!, $to: String!) { revenueBreakdown(fromMonth: $from, toMonth: $to, groupBy: [MONTH, METHOD]) { month method net } }`,
  revenueByPlan: `query RevenueByPlan($from: String!, $to: String!) { revenueBreakdown(fromMonth: $from, toMonth: $to, groupBy: [PLAN]) { planId planName net payments } }`,
  spend: `query MessagingSpend($from: String!, $to: String!) { messagingSpend(fromMonth: $from, toMonth: $to, by: MONTH) { period channel creditsSpent sent failed } }`,
};
export interface CollectionsPoint {
  month: string;
  billed: number;
  collected: number;
  outstanding: number;
  collectionRate: number | null;
}
export interface RevenuePoint {
  month: string | null;
  method: string | null;
  planId: string | null;
  planName: string | null;
  net: number;
  payments?: number;
}
export interface SpendPoint {
  period: string;
  channel: string;
  creditsSpent: number;
  sent: number;
  failed: number;
}
