/**
 * One voice socket: the first-message handshake, control messages, uplink validation and
 * heartbeats. Everything about the call itself is the CallSession's.
 * @module
 */
import WebSocket from 'ws';
import {
  AUTH_TIMEOUT_MS,
  CLOSE,
  CLOSE_GRACE_MS,
  HEARTBEAT_MS,
  isSeq,
  LINK_TIMEOUT_MS,
  parseControlMessage,
  SEND_QUEUE_CLOSE_MS,
  SEND_QUEUE_LIMIT_BYTES,
  UPLINK_BURST_MS,
  UPLINK_EXCESS_CLOSE_MS,
} from './protocol.js';

/** At most one AUDIO_TOO_FAST warning per this long. */
const TOO_FAST_WARNING_MS = 1000;

/**
 * @typedef {object} ConnectionDeps
 * @property {import('../faults.js').Faults} faults
 * @property {(line: string) => void} log
 * @property {(conn: Connection, message: import('./protocol.js').ControlMessage) => void} onAuth
 * @property {(conn: Connection, message: import('./protocol.js').ControlMessage) => void} onResume
 * @property {(conn: Connection) => void} onClosed
 */

export class Connection {
  /**
   * @param {WebSocket} ws
   * @param {import('node:stream').Duplex} socket the connection under it
   * @param {ConnectionDeps} deps
   */
  constructor(ws, socket, deps) {
    this.ws = ws;
    this.socket = socket;
    this.deps = deps;
    /** @type {import('./call-session.js').CallSession | null} */
    this.session = null;
    /** Set once this side started closing: later messages are ignored. */
    this.closing = false;
    this.lastHeardAt = Date.now();
    this.pingId = 0;
    /** @type {NodeJS.Timeout | undefined} */
    this.heartbeat = undefined;
    /** @type {NodeJS.Timeout | undefined} */
    this.authTimer = undefined;
    /** @type {NodeJS.Timeout | undefined} cuts off a peer that does not complete a 4413 close */
    this.graceTimer = undefined;
    /** When a heartbeat first saw the send queue over its limit; null while it is not. */
    this.congestedSince = /** @type {number | null} */ (null);
    /** Uplink audio (ms) that may still arrive ahead of real time. */
    this.uplinkAllowanceMs = UPLINK_BURST_MS;
    /** Uplink audio (ms) dropped for arriving too fast, less the real time passed since. */
    this.uplinkExcessMs = 0;
    this.uplinkMeteredAt = Date.now();
    this.tooFastWarnedAt = 0;
    this.armAuthTimer(AUTH_TIMEOUT_MS);
    ws.on('message', (data, isBinary) => this.guard(() => this.receive(/** @type {Buffer} */ (data), isBinary)));
    ws.on('close', () => this.guard(() => this.closed()));
    // A 'close' event always follows; the error itself needs no answer.
    ws.on('error', (error) => deps.log(`voice socket error: ${error.message}`));
  }

  /**
   * The socket now carries this call.
   * @param {import('./call-session.js').CallSession} session
   */
  attach(session) {
    this.session = session;
    clearTimeout(this.authTimer);
    this.heartbeat = setInterval(() => this.guard(() => this.beat()), HEARTBEAT_MS);
  }

  /**
   * Sends a message the client needs (`live`, `resumed`, `clear`, `ended`), however full the
   * send queue is: these are few and small.
   * @param {Record<string, unknown>} message
   */
  send(message) {
    this.write(JSON.stringify(message));
  }

  /**
   * Sends a message the client can do without (`ping`, `pong`, `warning`), unless the send
   * queue is over its limit.
   * @param {Record<string, unknown>} message
   */
  offer(message) {
    if (!this.congested()) this.send(message);
  }

  /**
   * Sends downlink audio; the downlink asks {@link congested} first.
   * @param {Buffer} packet
   */
  sendBinary(packet) {
    this.write(packet);
  }

  /** @param {string | Buffer} data */
  write(data) {
    if (!this.writable()) return;
    this.ws.send(data);
    if (this.session) {
      const { stats } = this.session.call;
      stats.sendQueuePeak = Math.max(stats.sendQueuePeak, this.ws.bufferedAmount);
    }
  }

  /** Whether more than SEND_QUEUE_LIMIT_BYTES wait to be sent: the client is not reading. */
  congested() {
    return this.ws.bufferedAmount > SEND_QUEUE_LIMIT_BYTES;
  }

  /**
   * @param {'BAD_MESSAGE' | 'UNKNOWN_TYPE' | 'BAD_AUDIO_FRAME' | 'AUDIO_TOO_FAST'} code
   * @param {string} message
   */
  warn(code, message) {
    this.offer({ type: 'warning', code, message });
  }

  /**
   * @param {number} code
   * @param {string} reason
   */
  close(code, reason) {
    this.stopTimers();
    this.closing = true;
    this.ws.close(code, reason);
  }

  /**
   * Closes with 4413 a socket that exceeded a limit, and cuts it off if the peer does not
   * complete the close soon: one that does not read never will.
   * @param {string} reason
   */
  closeOverLimit(reason) {
    this.deps.log(`voice socket of ${this.session?.call.callId ?? 'no call'} closed: ${reason}`);
    this.close(CLOSE.LIMIT_EXCEEDED, reason);
    this.graceTimer = setTimeout(() => this.ws.terminate(), CLOSE_GRACE_MS);
  }

  /** Drops the socket without a close frame (the peer sees 1006). */
  terminate() {
    this.stopTimers();
    this.closing = true;
    this.ws.terminate();
  }

  writable() {
    return this.ws.readyState === WebSocket.OPEN && !this.deps.faults.stalled();
  }

  /**
   * A handler that throws must not take the server down: the socket closes with 1011.
   * @param {() => void} handler
   */
  guard(handler) {
    try {
      handler();
    } catch (error) {
      this.deps.log(`voice socket handler failed: ${error instanceof Error ? error.stack : error}`);
      if (!this.closing) this.close(CLOSE.INTERNAL_ERROR, 'internal error');
    }
  }

  /**
   * @param {Buffer} data
   * @param {boolean} isBinary
   */
  receive(data, isBinary) {
    if (this.closing || this.deps.faults.stalled()) return;
    this.lastHeardAt = Date.now();
    if (!this.session) {
      this.receiveFirst(data, isBinary);
    } else if (isBinary) {
      this.receiveAudio(this.session, data);
    } else {
      this.receiveControl(this.session, data);
    }
  }

  /**
   * @param {Buffer} data
   * @param {boolean} isBinary
   */
  receiveFirst(data, isBinary) {
    const message = isBinary ? null : parseControlMessage(data);
    if (message?.type === 'auth') {
      this.deps.onAuth(this, message);
    } else if (message?.type === 'resume') {
      this.deps.onResume(this, message);
    } else {
      this.close(CLOSE.PROTOCOL_VIOLATION, isBinary ? 'audio before auth' : 'expected auth or resume');
    }
  }

  /**
   * @param {import('./call-session.js').CallSession} session
   * @param {Buffer} data
   */
  receiveAudio(session, data) {
    const { uplink } = session;
    const ms = uplink.frameMs(data);
    if (ms !== null && !this.admitUplink(ms)) return;
    const pcm = ms === null ? null : uplink.decode(data);
    if (!pcm) {
      this.warn('BAD_AUDIO_FRAME', `Dropped an audio frame of ${data.length} bytes: ${uplink.expected}.`);
      return;
    }
    session.onUplink(pcm, data.length);
  }

  /**
   * Meters uplink audio against real time. A frame more than UPLINK_BURST_MS ahead is dropped
   * with a warning; when dropping goes on at more than twice real time, the socket is closed.
   * @param {number} ms the frame's duration
   * @returns {boolean} whether to accept the frame
   */
  admitUplink(ms) {
    const now = Date.now();
    const elapsed = now - this.uplinkMeteredAt;
    this.uplinkMeteredAt = now;
    this.uplinkAllowanceMs = Math.min(UPLINK_BURST_MS, this.uplinkAllowanceMs + elapsed);
    this.uplinkExcessMs = Math.max(0, this.uplinkExcessMs - elapsed);
    if (ms <= this.uplinkAllowanceMs) {
      this.uplinkAllowanceMs -= ms;
      return true;
    }
    this.uplinkExcessMs += ms;
    if (this.uplinkExcessMs > UPLINK_EXCESS_CLOSE_MS) {
      this.closeOverLimit('uplink audio far faster than real time');
    } else if (now - this.tooFastWarnedAt >= TOO_FAST_WARNING_MS) {
      this.tooFastWarnedAt = now;
      this.warn(
        'AUDIO_TOO_FAST',
        `Uplink audio arrives faster than real time; frames more than ${UPLINK_BURST_MS} ms ahead are dropped.`,
      );
    }
    return false;
  }

  /**
   * @param {import('./call-session.js').CallSession} session
   * @param {Buffer} data
   */
  receiveControl(session, data) {
    const message = parseControlMessage(data);
    if (!message) {
      this.warn('BAD_MESSAGE', 'Expected one JSON object with a string "type", at most 16 KiB.');
      return;
    }
    switch (message.type) {
      case 'ping':
        if (!Number.isSafeInteger(message.id) || (message.ack !== undefined && !isSeq(message.ack))) {
          this.warn('BAD_MESSAGE', 'ping needs an integer "id" and, optionally, a non-negative integer "ack".');
          return;
        }
        this.offer({ type: 'pong', id: message.id });
        if (isSeq(message.ack)) session.ack(message.ack);
        return;
      case 'pong':
        return;
      case 'bye':
        session.end('client');
        return;
      case 'auth':
      case 'resume':
        this.warn('BAD_MESSAGE', `This socket is already live; "${message.type}" is only valid as the first message.`);
        return;
      default:
        this.warn('UNKNOWN_TYPE', `Unknown message type "${message.type.slice(0, 64)}".`);
    }
  }

  beat() {
    const { faults, log } = this.deps;
    if (faults.stalled()) return;
    const quietSince = Math.max(this.lastHeardAt, faults.stallEndsAt());
    if (Date.now() - quietSince >= LINK_TIMEOUT_MS) {
      log(`voice socket of ${this.session?.call.callId} silent for ${LINK_TIMEOUT_MS} ms: dropped`);
      this.terminate();
      return;
    }
    if (!this.congested()) {
      this.congestedSince = null;
    } else {
      this.congestedSince ??= Date.now();
      if (Date.now() - this.congestedSince >= SEND_QUEUE_CLOSE_MS) {
        this.closeOverLimit(`send queue over ${SEND_QUEUE_LIMIT_BYTES} bytes for ${SEND_QUEUE_CLOSE_MS} ms`);
        return;
      }
    }
    this.pingId += 1;
    this.offer({ type: 'ping', id: this.pingId });
  }

  /** @param {number} delayMs */
  armAuthTimer(delayMs) {
    this.authTimer = setTimeout(
      () =>
        this.guard(() => {
          // A stalled gateway does not notice the time pass: the wait starts over when it ends.
          const { faults } = this.deps;
          if (faults.stalled()) this.armAuthTimer(faults.stallEndsAt() - Date.now() + AUTH_TIMEOUT_MS);
          else this.close(CLOSE.AUTH_TIMEOUT, 'no auth or resume in time');
        }),
      delayMs,
    );
  }

  stopTimers() {
    clearTimeout(this.authTimer);
    clearInterval(this.heartbeat);
  }

  closed() {
    this.stopTimers();
    clearTimeout(this.graceTimer);
    this.closing = true;
    this.deps.onClosed(this);
    this.session?.detach(this);
  }
}
