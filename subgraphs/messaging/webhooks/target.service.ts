import { lookup } from 'node:dns';
import { promises as dns } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { BlockList, isIP } from 'node:net';
import { badInput } from '../../../core/errors';

/**
 * SSRF guard of outbound webhooks: a tenant or partner names the URL, our servers call
 * it, so it must never reach our own network. Refused: anything but https, credentials
 * in the URL, and addresses that are not public unicast (private, loopback, link-local
 * incl. the 169.254.169.254 metadata service, CGNAT, multicast, reserved, documentation,
 * IPv6 ULA / link-local / NAT64, IPv4-mapped forms of all those). Checked when the URL is
 * saved AND on every send, where the connection is pinned to the address just checked
 * (a DNS rebinding between check and connect cannot swap it). `allowPrivate` (env
 * WEBHOOKS_ALLOW_PRIVATE_TARGETS) relaxes all of it for tests and local use.
 */
const blocked = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blocked.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const)
  blocked.addSubnet(net, bits, 'ipv6');

/** True when `ip` is not a public unicast address (IPv4-mapped IPv6 judged as its IPv4). */
export function isBlockedAddress(ip: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return isBlockedAddress(mapped[1]);
  const family = isIP(ip);
  if (family === 4) return blocked.check(ip, 'ipv4');
  if (family === 6) return /^::ffff:/i.test(ip) || blocked.check(ip, 'ipv6');
  return true;
}

/** The refusal of a send to a target the guard blocks (the attempt's errorClass BLOCKED_TARGET). */
export class BlockedTargetError extends Error {
  readonly code = 'BLOCKED_TARGET';
}

const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, '');

/** A URL that may be saved: BAD_USER_INPUT (field `url`) otherwise. Resolves its name and checks every address. */
export async function checkTargetUrl(raw: string, allowPrivate: boolean): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw badInput('url', 'is not a valid URL');
  }
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) throw badInput('url', 'must be an https:// URL');
  if (url.username || url.password) throw badInput('url', 'must not contain credentials');
  if (allowPrivate) return url;
  const host = hostOf(url);
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = (await dns.lookup(host, { all: true, verbatim: true })).map((a) => a.address);
    } catch {
      throw badInput('url', 'host name does not resolve');
    }
  }
  if (!addresses.length || addresses.some(isBlockedAddress))
    throw badInput('url', 'must point to a public internet address (private, loopback, link-local and metadata addresses are refused)');
  return url;
}

/**
 * The send-time half: throws BlockedTargetError for a blocked IP literal; otherwise gives
 * the `lookup` for the request, which resolves once, checks EVERY address and hands the
 * socket only checked ones (the connection is pinned to them).
 */
export function guardedLookup(url: URL, allowPrivate: boolean): LookupFunction | undefined {
  if (allowPrivate) return undefined;
  const host = hostOf(url);
  if (isIP(host)) {
    if (isBlockedAddress(host)) throw new BlockedTargetError(`blocked target address`);
    return undefined;
  }
  return (hostname, options, callback) => {
    lookup(hostname, { ...options, all: true, verbatim: true }, (err, addresses) => {
      if (err) return callback(err, '', 4);
      const list = addresses as unknown as { address: string; family: number }[];
      if (!list.length || list.some((a) => isBlockedAddress(a.address))) return callback(new BlockedTargetError('blocked target address'), '', 4);
      if (options.all) return (callback as unknown as (e: null, a: typeof list) => void)(null, list);
      callback(null, list[0].address, list[0].family);
    });
  };
}
