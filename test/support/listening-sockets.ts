import { readFileSync } from 'node:fs';

/** A listening TCP socket as the Linux kernel reports it in /proc/net/tcp and /proc/net/tcp6. */
export interface ListeningSocket {
  readonly port: number;
  /** The bound address, e.g. `127.0.0.1`, `0.0.0.0`, `::`, `::ffff:127.0.0.1`. */
  readonly address: string;
}

const LISTEN = '0A';

/** /proc writes each 32-bit word of the address in host (little-endian) byte order. */
const decodeIPv4 = (hex: string) =>
  [6, 4, 2, 0].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)).join('.');

const decodeIPv6 = (hex: string): string => {
  const bytes = [0, 8, 16, 24].flatMap((word) => [6, 4, 2, 0].map((i) => hex.slice(word + i, word + i + 2)));
  if (bytes.slice(0, 10).every((b) => b === '00') && bytes[10] === 'FF' && bytes[11] === 'FF') {
    return `::ffff:${bytes
      .slice(12)
      .map((b) => Number.parseInt(b, 16))
      .join('.')}`;
  }
  const groups = [];
  for (let i = 0; i < 16; i += 2) groups.push(Number.parseInt(`${bytes[i]}${bytes[i + 1]}`, 16).toString(16));
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
};

const read = (file: string, decode: (hex: string) => string): ListeningSocket[] => {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields[3] === LISTEN)
    .map((fields) => {
      const [hexAddress = '', hexPort = '0'] = (fields[1] ?? '').split(':');
      return { address: decode(hexAddress), port: Number.parseInt(hexPort, 16) };
    });
};

/** Every listening TCP socket on this Linux machine. */
export const listeningSockets = (): ListeningSocket[] => [
  ...read('/proc/net/tcp', decodeIPv4),
  ...read('/proc/net/tcp6', decodeIPv6),
];

/** True for 127.0.0.0/8, ::1 and their IPv4-mapped form. */
export const isLoopback = (address: string): boolean => /^(::ffff:)?127\./.test(address) || address === '::1';
