import { trusted } from 'mongoose';
import type { TenantContext } from './context';
import { libraryModel, type LibraryDoc } from './library.model';
import { toLibrary } from './library.service';
import { LibraryStatus } from './library.type';

const EARTH_RADIUS_KM = 6371.0088;
const KM_PER_DEG_LAT = 111.32;
/** Upper bound on candidates read from the bounding box (a dense city at a large radius). */
const MAX_CANDIDATES = 5000;

const rad = (deg: number) => (deg * Math.PI) / 180;

export function haversineKm(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const a = Math.sin(rad(lat2 - lat1) / 2) ** 2 + Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(rad(lng2 - lng1) / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Longitude range(s) of the box; split in two where it crosses the antimeridian, none near a pole. */
function lngRanges(lat: number, lng: number, radiusKm: number, latSpan: number): [number, number][] | null {
  const cos = Math.cos(rad(lat));
  if (Math.abs(lat) + latSpan >= 89 || cos < 0.01) return null;
  const d = radiusKm / (KM_PER_DEG_LAT * cos);
  if (d >= 180) return null;
  const lo = lng - d,
    hi = lng + d;
  if (lo < -180)
    return [
      [lo + 360, 180],
      [-180, hi],
    ];
  if (hi > 180)
    return [
      [lo, 180],
      [-180, hi - 360],
    ];
  return [[lo, hi]];
}

/**
 * Active libraries within `radiusKm`, nearest first. Works without geo indexes
 * (FerretDB): a bounding-box range query on the {status, latitude, longitude}
 * index, then the exact great-circle distance in code.
 */
export async function librariesNear(ctx: TenantContext, lat: number, lng: number, radiusKm: number, first: number) {
  const latSpan = radiusKm / KM_PER_DEG_LAT;
  const base = { status: LibraryStatus.ACTIVE, latitude: trusted({ $gte: lat - latSpan, $lte: lat + latSpan }) };
  const ranges = lngRanges(lat, lng, radiusKm, latSpan);
  const Library = libraryModel(await ctx.tenantDb());
  const queries = ranges
    ? ranges.map(([lo, hi]) => ({ ...base, longitude: trusted({ $gte: lo, $lte: hi }) }))
    : [{ ...base, longitude: trusted({ $ne: null }) }];
  const docs = (await Promise.all(queries.map((q) => Library.find(q).limit(MAX_CANDIDATES).lean<LibraryDoc[]>()))).flat();
  return docs
    .map((d) => ({ library: toLibrary(d), distanceKm: haversineKm(lat, lng, d.latitude!, d.longitude!) }))
    .filter((r) => r.distanceKm <= radiusKm)
    .sort((a, b) => a.distanceKm - b.distanceKm || a.library.id.localeCompare(b.library.id))
    .slice(0, first)
    .map((r) => ({ ...r, distanceKm: Math.round(r.distanceKm * 1000) / 1000 }));
}
