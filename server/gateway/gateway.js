/**
 * The voice gateway: accepts WebSocket upgrades on /v1/voice, authenticates sockets with a
 * ticket or a resume token, and keeps the live calls.
 * @module
 */
import { WebSocketServer } from 'ws';
import { randomSecret } from '../ids.js';
import { CallSession } from './call-session.js';
import { chooseCodec, readCodecOffer } from './codecs.js';
import { Connection } from './connection.js';
import { CLOSE, isSeq, MAX_PAYLOAD_BYTES, SUPPORTED_PROTOCOL_VERSIONS, VOICE_PATH } from './protocol.js';

/**
 * @typedef {object} GatewayDeps
 * @property {{ maxCallSec: number, resumeWindowSec: number }} limits
 * @property {ReturnType<typeof import('../store/calls.js').createCallStore>} calls
 * @property {ReturnType<typeof import('../store/tickets.js').createTicketStore>} tickets
 * @property {import('../faults.js').Faults} faults
 * @property {import('../persona/engine.js').PersonaFactory} createPersona
 * @property {(call: import('../store/calls.js').CallRecord) => void} onCallEnded
 * @property {(socket: import('node:stream').Duplex) => void} onAuthenticated a voice socket's
 *   connection authenticated with a ticket or a resume token
 * @property {(line: string) => void} log
 */

/** @param {GatewayDeps} deps */
export function createGateway({ limits, calls, tickets, faults, createPersona, onCallEnded, onAuthenticated, log }) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD_BYTES });
  /** @type {Set<Connection>} */
  const connections = new Set();
  /** @type {Map<string, CallSession>} live calls by call id */
  const sessions = new Map();
  /** @type {Map<string, CallSession>} live calls by resume token */
  const byResumeToken = new Map();

  /** @type {import('./connection.js').ConnectionDeps} */
  const connectionDeps = {
    faults,
    log,
    onAuth: authenticate,
    onResume: resume,
    onClosed: (conn) => connections.delete(conn),
  };

  /**
   * @param {Connection} conn
   * @param {import('./protocol.js').ControlMessage} message
   */
  function authenticate(conn, message) {
    if (!SUPPORTED_PROTOCOL_VERSIONS.includes(/** @type {number} */ (message.protocol))) {
      conn.close(CLOSE.PROTOCOL_VIOLATION, `unsupported protocol; expected one of ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')}`);
      return;
    }
    const offer = readCodecOffer(message.codecs);
    if (!offer) {
      conn.close(CLOSE.PROTOCOL_VIOLATION, 'codecs must be an array of codec names');
      return;
    }
    const codec = chooseCodec(offer);
    if (!codec) {
      conn.close(CLOSE.PROTOCOL_VIOLATION, 'no codec in common');
      return;
    }
    if (faults.tenant() === 'inactive') {
      conn.close(CLOSE.TENANT_INACTIVE, 'tenant inactive');
      return;
    }
    if (faults.tenant() === 'over_quota') {
      conn.close(CLOSE.TENANT_QUOTA_EXCEEDED, 'tenant over quota');
      return;
    }
    const redeemed = typeof message.ticket === 'string' ? tickets.redeem(message.ticket) : null;
    if (!redeemed?.ok) {
      const expired = redeemed?.reason === 'expired';
      conn.close(expired ? CLOSE.TICKET_EXPIRED : CLOSE.INVALID_TICKET, expired ? 'ticket expired' : 'invalid ticket');
      return;
    }
    // A call is kept until its last possible ticket has expired (store/calls.js).
    const call = /** @type {import('../store/calls.js').CallRecord} */ (calls.get(redeemed.callId));
    const session = new CallSession({
      call,
      engine: createPersona({
        callId: call.callId,
        drillKey: call.drillKey,
        difficulty: call.difficulty,
        persona: call.persona,
        profile: call.profile,
      }),
      resumeToken: randomSecret('art_'),
      codec,
      limits,
      faults,
      onEnded: ended,
    });
    sessions.set(call.callId, session);
    byResumeToken.set(session.resumeToken, session);
    onAuthenticated(conn.socket);
    session.start(conn);
    log(`call ${call.callId} live (${call.drillKey}, ${call.difficulty}, ${codec})`);
  }

  /**
   * @param {Connection} conn
   * @param {import('./protocol.js').ControlMessage} message
   */
  function resume(conn, message) {
    if (!isSeq(message.lastSeq)) {
      conn.close(CLOSE.PROTOCOL_VIOLATION, 'lastSeq must be a non-negative integer');
      return;
    }
    const offer = readCodecOffer(message.codecs);
    if (!offer) {
      conn.close(CLOSE.PROTOCOL_VIOLATION, 'codecs must be an array of codec names');
      return;
    }
    if (faults.refusingResumes()) {
      conn.close(CLOSE.UNAVAILABLE, 'gateway unavailable');
      return;
    }
    const session = typeof message.resumeToken === 'string' ? byResumeToken.get(message.resumeToken) : undefined;
    if (!session) {
      conn.close(CLOSE.RESUME_REFUSED, 'resume refused');
      return;
    }
    if (!offer.includes(session.codec)) {
      conn.close(CLOSE.PROTOCOL_VIOLATION, `the call's codec ${session.codec} is not offered`);
      return;
    }
    onAuthenticated(conn.socket);
    session.resume(conn, message.lastSeq);
    log(`call ${session.call.callId} resumed`);
  }

  /** @param {CallSession} session */
  function ended(session) {
    sessions.delete(session.call.callId);
    byResumeToken.delete(session.resumeToken);
    log(`call ${session.call.callId} ended: ${session.call.endedReason}`);
    onCallEnded(session.call);
  }

  return {
    /**
     * The http server's `upgrade` listener.
     * @param {import('node:http').IncomingMessage} req
     * @param {import('node:stream').Duplex} socket
     * @param {Buffer} head
     */
    handleUpgrade(req, socket, head) {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (path !== VOICE_PATH) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => connections.add(new Connection(ws, socket, connectionDeps)));
    },

    /**
     * Drops every voice socket: without a close frame, or closed with `closeCode` when given.
     * Returns how many.
     * @param {number} [closeCode]
     */
    dropAll(closeCode) {
      const count = connections.size;
      for (const conn of connections) {
        if (closeCode === undefined) conn.terminate();
        else conn.close(closeCode, 'closed by a fault control');
      }
      return count;
    },

    /**
     * Ends one live call, or all of them, with reason `ended_by_athos`.
     * @param {string} [callId]
     * @returns {string[]} the ended call ids
     */
    endCalls(callId) {
      const targets = callId === undefined ? [...sessions.values()] : [sessions.get(callId)].filter((s) => s !== undefined);
      for (const session of targets) session.end('ended_by_athos');
      return targets.map((session) => session.call.callId);
    },

    /** Closes every socket with 1001 and stops the live calls' timers. */
    close() {
      for (const conn of connections) conn.close(CLOSE.GOING_AWAY, 'server shutting down');
      for (const session of sessions.values()) session.stop();
      sessions.clear();
      byResumeToken.clear();
      wss.close();
    },
  };
}
