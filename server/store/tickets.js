/**
 * Connection tickets: the single-use, 60-second credential of a socket's `auth` message.
 * In memory.
 * @module
 */
import { randomSecret } from '../ids.js';

const TICKET_TTL_MS = 60_000;

/** @typedef {{ ticket: string, callId: string, expiresAtMs: number, used: boolean }} TicketRecord */

export function createTicketStore() {
  /** @type {Map<string, TicketRecord>} */
  const byTicket = new Map();
  /** @type {Map<string, TicketRecord>} the newest ticket of each call */
  const byCall = new Map();

  return {
    /**
     * Issues a ticket for a call; an earlier ticket of the same call stops working.
     * @param {string} callId
     */
    issue(callId) {
      const previous = byCall.get(callId);
      if (previous) byTicket.delete(previous.ticket);
      const record = { ticket: randomSecret('ctk_'), callId, expiresAtMs: Date.now() + TICKET_TTL_MS, used: false };
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
      return record && !record.used && Date.now() < record.expiresAtMs ? record.ticket : null;
    },

    /**
     * Spends a ticket.
     * @param {string} ticket
     * @returns {{ ok: true, callId: string } | { ok: false, reason: 'invalid' | 'expired' }}
     */
    redeem(ticket) {
      const record = byTicket.get(ticket);
      if (!record || record.used) return { ok: false, reason: 'invalid' };
      if (Date.now() >= record.expiresAtMs) return { ok: false, reason: 'expired' };
      record.used = true;
      return { ok: true, callId: record.callId };
    },
  };
}
