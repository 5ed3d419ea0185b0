/**
 * What one TCP connection has put on the wire, each way, from the kernel's own counters
 * (`ss -ti`: tcp_info). Payload bytes (WebSocket frames with their headers) plus the IPv4 and
 * TCP headers of every segment, pure ACKs included: 20 + 32 bytes, TCP timestamps being on
 * (Linux's default). Link-layer framing is not counted.
 */
import { execFileSync } from 'node:child_process';

/** IPv4 header (20 B) and TCP header with the timestamps option (32 B), per segment. */
export const TCP_IP_HEADER_BYTES = 52;

/**
 * @param {number} localPort the connection's local port (this process's end)
 * @returns {{ sent: number, received: number }} bytes on the wire so far, from this end's view
 */
export function tcpWireBytes(localPort) {
  const info = execFileSync('ss', ['-tinH', 'state', 'established', `( sport = :${localPort} )`], { encoding: 'utf8' });
  /** @param {string} name */
  const field = (name) => {
    const match = info.match(new RegExp(`\\b${name}:(\\d+)`));
    if (!match) throw new Error(`ss shows no ${name} for port ${localPort}`);
    return Number(match[1]);
  };
  return {
    sent: field('bytes_sent') + TCP_IP_HEADER_BYTES * field('segs_out'),
    received: field('bytes_received') + TCP_IP_HEADER_BYTES * field('segs_in'),
  };
}
