/**
 * What TCP connections have put on the wire, each way, from the kernel's own counters
 * (`ss -ti`: tcp_info). Payload bytes (WebSocket frames with their headers) plus the IPv4 and
 * TCP headers of every segment, pure ACKs included: 20 + 32 bytes, TCP timestamps being on
 * (Linux's default). Link-layer framing is not counted.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/** IPv4 header (20 B) and TCP header with the timestamps option (32 B), per segment. */
export const TCP_IP_HEADER_BYTES = 52;

/**
 * One `ss` run for all of them, so that they are read at the same moment.
 * @param {number[]} localPorts the connections' local ports (this process's ends)
 * @returns {Promise<Map<number, { sent: number, received: number }>>} bytes on the wire so far, from this end's view
 */
export async function tcpWireBytes(localPorts) {
  const filter = `( ${localPorts.map((port) => `sport = :${port}`).join(' or ')} )`;
  const { stdout } = await promisify(execFile)('ss', ['-tinH', 'state', 'established', filter], { encoding: 'utf8' });
  /** @type {Map<number, { sent: number, received: number }>} */
  const bytes = new Map();
  // Each connection: a line with its addresses, then an indented line of tcp_info fields.
  for (const [, port, info] of stdout.matchAll(/:(\d+)\s+\S+\s*\n\s+([^\n]*)/g)) {
    /** @param {string} name */
    const field = (name) => Number(info?.match(new RegExp(`\\b${name}:(\\d+)`))?.[1] ?? 0);
    bytes.set(Number(port), {
      sent: field('bytes_sent') + TCP_IP_HEADER_BYTES * field('segs_out'),
      received: field('bytes_received') + TCP_IP_HEADER_BYTES * field('segs_in'),
    });
  }
  for (const port of localPorts) if (!bytes.has(port)) throw new Error(`ss shows no connection from port ${port}`);
  return bytes;
}
