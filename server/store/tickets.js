/**
 * Connection tickets: the single-use, 60-second credential of a socket's `auth` message.
 * In memory.
 * @module
 */
import { randomSecret } from '../ids.js';

export const TICKET_TTL_MS = 60_000;

/**
 * A ticket is forgotten as soon as it is used, or one lifetime after it expired: until then
 * it is refused as expired rather than unknown.
 * @typedef {{ ticket: string, callId: string, expiresAtMs: number }} TicketRecord
 */

export function createTicketStore() {
  /** @type {Map<string, TicketRecord>} */
  const byTicket = new Map();
  /** @type {Map<string, TicketRecord>} the newest ticket of each call */
  const byCall = new Map();

  /** @param {TicketRecord} record */
  function forget(record) {
    byTicket.delete(record.ticket);
    if (byCall.get(record.callId) === record) byCall.delete(record.callId);
  }

  return {
    /**
     * Issues a ticket for a call; an earlier ticket of the same call stops working.
     * @param {string} callId
     */
    issue(callId) {
      const previous = byCall.get(callId);
      if (previous) byTicket.delete(previous.ticket);
      const record = { ticket: randomSecret('ctk_'), callId, expiresAtMs: Date.now() + TICKET_TTL_MS };
      byTicket.set(record.ticket, record);
      byCall.set(callId, record);
      return record.ticket;
    },

    /**
     * The newest ticket of a call if it can still be used.
     * @param {string} callId
     */
    usable(callId) {
      const record = byCall.get(callId);
      return record && Date.now() < record.expiresAtMs ? record.ticket : null;
    },

    /**
     * Spends a ticket.
     * @param {string} ticket
     * @returns {{ ok: true, callId: string } | { ok: false, reason: 'invalid' | 'expired' }}
     */
    redeem(ticket) {
      const record = byTicket.get(ticket);
      if (!record || Date.now() >= record.expiresAtMs + TICKET_TTL_MS) return { ok: false, reason: 'invalid' };
      if (Date.now() >= record.expiresAtMs) return { ok: false, reason: 'expired' };
      forget(record);
      return { ok: true, callId: record.callId };
    },

    /**
     * Forgets the tickets expired for a lifetime.
     * @param {number} now
     */
    sweep(now) {
      for (const record of byTicket.values()) if (now >= record.expiresAtMs + TICKET_TTL_MS) forget(record);
    },
  };
}
