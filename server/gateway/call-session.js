/**
 * A live call on the gateway: which socket carries it, the persona engine, the downlink, the
 * transcript, the resume window and the duration ceiling.
 * @module
 */
import { rms, VOICED_RMS } from '../persona/vad.js';
import { createUplinkDecoder } from './codecs.js';
import { Downlink } from './downlink.js';
import { AUDIO_FORMAT, CLOSE, HEARTBEAT_MS } from './protocol.js';

/**
 * @typedef {object} CallSessionDeps
 * @property {import('../store/calls.js').CallRecord} call
 * @property {import('../persona/engine.js').PersonaEngine} engine
 * @property {string} resumeToken
 * @property {import('./codecs.js').Codec} codec the call's codec, both ways, for its whole life
 * @property {{ maxCallSec: number, resumeWindowSec: number }} limits
 * @property {import('../faults.js').Faults} faults
 * @property {(session: CallSession) => void} onEnded
 */

export class CallSession {
  /** @param {CallSessionDeps} deps */
  constructor({ call, engine, resumeToken, codec, limits, faults, onEnded }) {
    this.call = call;
    this.engine = engine;
    this.resumeToken = resumeToken;
    this.codec = codec;
    /** Reads the rep's frames; its memory is freed when the call ends. */
    this.uplink = createUplinkDecoder(codec);
    this.limits = limits;
    this.onEnded = onEnded;
    /** @type {import('./connection.js').Connection | null} */
    this.conn = null;
    this.ended = false;
    this.startedAtMs = 0;
    /** @type {NodeJS.Timeout | undefined} */
    this.maxDurationTimer = undefined;
    /** @type {NodeJS.Timeout | undefined} */
    this.resumeTimer = undefined;
    this.downlink = new Downlink({
      send: (packet) => {
        this.conn?.sendBinary(packet);
        call.stats.downlinkFrames += 1;
        call.stats.lastSeqSent = this.downlink.lastSeq;
      },
      canSend: () => this.conn !== null && !faults.stalled() && !this.conn.congested(),
      finished: (text, { outcome, startedAt, endedAt }) => {
        if (startedAt === null) return;
        call.transcript.push({
          role: 'assistant',
          content: text,
          startedAtMs: startedAt - this.startedAtMs,
          endedAtMs: endedAt - this.startedAtMs,
          ...(outcome === 'cleared' ? { interrupted: true } : {}),
        });
      },
    });
  }

  /**
   * The ticket was accepted on `conn`: the call goes live.
   * @param {import('./connection.js').Connection} conn
   */
  start(conn) {
    this.startedAtMs = Date.now();
    this.call.state = 'live';
    this.call.codec = this.codec;
    this.call.startedAt = new Date(this.startedAtMs).toISOString();
    this.armCeiling();
    this.bind(conn);
    conn.send({
      type: 'live',
      callId: this.call.callId,
      sessionId: this.call.sessionId,
      resumeToken: this.resumeToken,
      ...this.timing(),
    });
    this.downlink.attach(0);
    this.engine.start({
      now: () => Date.now() - this.startedAtMs,
      speak: (audio, text) => this.downlink.play(audio[this.codec], text),
      clear: () => {
        const seq = this.downlink.clear();
        if (seq !== null) this.conn?.send({ type: 'clear', seq });
      },
      userTurn: (turn) => this.call.transcript.push({ role: 'user', ...turn }),
    });
  }

  /**
   * A `resume` for this call arrived on `conn`; it replaces any socket still attached.
   * @param {import('./connection.js').Connection} conn
   * @param {number} lastSeq
   */
  resume(conn, lastSeq) {
    const wasDetached = this.conn === null;
    this.conn?.close(CLOSE.REPLACED, 'replaced by a newer socket');
    clearTimeout(this.resumeTimer);
    this.bind(conn);
    this.call.stats.resumes += 1;
    conn.send({ type: 'resumed', callId: this.call.callId, ...this.timing() });
    this.downlink.attach(lastSeq);
    if (wasDetached) this.engine.resume();
  }

  /**
   * `conn` closed or was dropped; if it carried the call, the resume window opens.
   * @param {import('./connection.js').Connection} conn
   */
  detach(conn) {
    if (conn !== this.conn || this.ended) return;
    this.conn = null;
    this.downlink.detach();
    this.engine.pause();
    this.resumeTimer = setTimeout(() => this.end('resume_timeout'), this.limits.resumeWindowSec * 1000);
  }

  /**
   * A valid uplink frame arrived.
   * @param {Int16Array} pcm its audio
   * @param {number} bytes its size on the wire
   */
  onUplink(pcm, bytes) {
    const { stats } = this.call;
    stats.uplinkFrames += 1;
    stats.uplinkBytes += bytes;
    for (const sample of pcm) stats.uplinkPeak = Math.max(stats.uplinkPeak, Math.min(32767, Math.abs(sample)));
    if (rms(pcm) >= VOICED_RMS) stats.uplinkVoicedFrames += 1;
    this.engine.onUserAudio(pcm);
  }

  /** @param {number} seq */
  ack(seq) {
    this.downlink.ack(seq);
  }

  /**
   * Ends the call: `ended` and close 1000 on the attached socket, if any.
   * @param {import('../store/calls.js').EndReason} reason
   */
  end(reason) {
    if (this.ended) return;
    this.stop();
    const endedAtMs = Date.now();
    const durationSec = Math.floor((endedAtMs - this.startedAtMs) / 1000);
    Object.assign(this.call, {
      state: 'ended',
      endedAt: new Date(endedAtMs).toISOString(),
      durationSec,
      endedReason: reason,
    });
    this.call.transcript.sort((a, b) => a.startedAtMs - b.startedAtMs);
    if (this.conn) {
      this.conn.send({ type: 'ended', reason, callId: this.call.callId, durationSec });
      this.conn.close(CLOSE.NORMAL, 'call ended');
      this.conn = null;
    }
    this.onEnded(this);
  }

  /** Releases every timer without ending the call (server shutdown). */
  stop() {
    this.ended = true;
    clearTimeout(this.maxDurationTimer);
    clearTimeout(this.resumeTimer);
    this.engine.stop();
    this.downlink.stop();
    this.uplink.close();
  }

  /** Ends the call at the duration ceiling; timers may fire a little early, so it re-checks. */
  armCeiling() {
    const remaining = this.startedAtMs + this.limits.maxCallSec * 1000 - Date.now();
    if (remaining <= 0) this.end('max_duration');
    else this.maxDurationTimer = setTimeout(() => this.armCeiling(), remaining);
  }

  /** @param {import('./connection.js').Connection} conn */
  bind(conn) {
    this.conn = conn;
    conn.attach(this);
  }

  timing() {
    return {
      startedAt: this.call.startedAt,
      resumeWindowSec: this.limits.resumeWindowSec,
      heartbeatMs: HEARTBEAT_MS,
      audio: { codec: this.codec, ...AUDIO_FORMAT },
    };
  }
}
