/**
 * The three clients of the migration plan (docs: /work/shared/reference, "clientConfigs"):
 * names, domains and brand colours as there; libraries and sizes made up but plausible.
 */
/** A shift beyond the defaults a library gets from its opening hours (Morning, Evening, Full day; Night when open 24 h). */
export interface DemoShift {
  name: string;
  startTime: string;
  endTime: string;
  days?: ('MONDAY' | 'TUESDAY' | 'WEDNESDAY' | 'THURSDAY' | 'FRIDAY' | 'SATURDAY' | 'SUNDAY')[];
  /** Billing's demo fee plans price this shift (found by library and name). */
  priced?: boolean;
}

export interface DemoLibrary {
  name: string;
  city: string;
  address: string;
  capacity: number;
  amenities: string[];
  /** Students enrolled here. */
  students: number;
  /** Share of them checked in right now (the dashboard's bars). */
  present: number;
  /** HH:MM; equal = open 24 h (default 06:00-22:00). */
  openingTime?: string;
  closingTime?: string;
  shifts?: DemoShift[];
}

export interface DemoTenant {
  slug: string;
  name: string;
  domain: string;
  branding: { displayName: string; primaryColor: string; secondaryColor: string; pageTitle: string; fontFamily: string };
  libraries: DemoLibrary[];
  /** Credits allocated per channel from the platform master wallet. */
  credits: { SMS: number; WHATSAPP: number; EMAIL: number };
}

export const DEMO_TENANTS: readonly DemoTenant[] = [
  {
    slug: 'zenith',
    name: 'Zenith Education',
    domain: 'zenith.edu',
    branding: {
      displayName: 'Zenith Education',
      primaryColor: '#1e40af',
      secondaryColor: '#93c5fd',
      pageTitle: 'Zenith Education · Study Centres',
      fontFamily: 'Inter',
    },
    libraries: [
      {
        name: 'Zenith Central',
        city: 'Pune',
        address: 'FC Road, Shivajinagar',
        capacity: 12,
        amenities: ['wifi', 'ac', 'lockers'],
        students: 9,
        present: 0.65,
        // Open round the clock: the defaults include Night 22:00-06:00; Night owl is the priced late shift.
        openingTime: '00:00',
        closingTime: '00:00',
        shifts: [{ name: 'Night owl', startTime: '20:00', endTime: '02:00', priced: true }],
      },
      { name: 'Zenith North', city: 'Pune', address: 'Baner Road, Baner', capacity: 10, amenities: ['wifi', 'ac'], students: 6, present: 0.35 },
    ],
    credits: { SMS: 800, WHATSAPP: 400, EMAIL: 1500 },
  },
  {
    slug: 'vedic-maths',
    name: 'Vedic Maths India',
    domain: 'vedicmathsindia.com',
    branding: {
      displayName: 'Vedic Maths India',
      primaryColor: '#dc2626',
      secondaryColor: '#fecaca',
      pageTitle: 'Vedic Maths India · Study Halls',
      fontFamily: 'Poppins',
    },
    libraries: [
      {
        name: 'Vedic Study Hall',
        city: 'Jaipur',
        address: 'Malviya Nagar',
        capacity: 7,
        amenities: ['wifi', 'water'],
        students: 7,
        present: 0.85,
        openingTime: '07:00',
        closingTime: '21:00',
        shifts: [{ name: 'Weekend', startTime: '09:00', endTime: '18:00', days: ['SATURDAY', 'SUNDAY'], priced: true }],
      },
      { name: 'Vedic Annexe', city: 'Jaipur', address: 'Vaishali Nagar', capacity: 6, amenities: ['wifi'], students: 5, present: 0.2 },
    ],
    credits: { SMS: 500, WHATSAPP: 150, EMAIL: 600 },
  },
  {
    slug: 'math-academy',
    name: 'Math Academy',
    domain: 'mathacademy.com',
    branding: { displayName: 'Math Academy', primaryColor: '#059669', secondaryColor: '#a7f3d0', pageTitle: 'Math Academy · Library', fontFamily: 'Roboto' },
    libraries: [
      {
        name: 'Math Academy Koramangala',
        city: 'Bengaluru',
        address: '5th Block, Koramangala',
        capacity: 10,
        amenities: ['wifi', 'ac', 'cafe'],
        students: 8,
        present: 0.5,
        openingTime: '06:00',
        closingTime: '23:00',
        shifts: [{ name: 'Late evening', startTime: '18:00', endTime: '23:00', priced: true }],
      },
    ],
    credits: { SMS: 300, WHATSAPP: 300, EMAIL: 900 },
  },
];

export const FIRST_NAMES = [
  'Aarav',
  'Diya',
  'Kabir',
  'Ananya',
  'Rohan',
  'Meera',
  'Vihaan',
  'Ishita',
  'Arjun',
  'Saanvi',
  'Aditya',
  'Kavya',
  'Reyansh',
  'Tara',
  'Yash',
  'Nisha',
  'Dev',
  'Riya',
  'Kunal',
  'Pooja',
] as const;
export const LAST_NAMES = [
  'Sharma',
  'Patel',
  'Singh',
  'Iyer',
  'Gupta',
  'Nair',
  'Reddy',
  'Joshi',
  'Menon',
  'Kulkarni',
  'Desai',
  'Rao',
  'Verma',
  'Chopra',
  'Bose',
] as const;

/** DLT registration used for every demo SMS template (made-up ids of the right shape). */
export const DEMO_DLT = { entityId: '1201160000000012345', templateId: '1207160000000054321', senderId: 'STDSPT' };
