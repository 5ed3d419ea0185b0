import type { AthosErrorPhase, AthosRoleplayError } from '../errors/AthosRoleplayError.ts';
import type { Logger } from '../utils/logger.ts';
import { errorForClose } from './closeCodes.ts';
import { type ClientMessage, type GatewayMessage, type GatewayMessageType, parseGatewayText } from './protocol.ts';

/** What a socket reports once its handshake is done; see {@link GatewaySocket.attach}. */
export interface GatewaySocketHandlers {
  onMessage(message: GatewayMessage): void;
  /** A binary frame, as received: its body is read in the call's codec. */
  onFrame(data: ArrayBuffer): void;
  onClose(code: number, reason: string): void;
}

/** Payload bytes both ways, counted across every socket of a call. */
export interface ByteCounters {
  sent: number;
  received: number;
}

const OPEN = 1; // WebSocket.OPEN

/**
 * One WebSocket to the voice gateway. It validates everything that arrives (logging and
 * dropping what is malformed), remembers when anything last arrived, and offers the handshake
 * as promises: {@link GatewaySocket.opened}, then {@link GatewaySocket.reply}. Once the
 * handshake is done, {@link GatewaySocket.attach} routes what arrives to the live call.
 */
export class GatewaySocket {
  /** Resolves when the socket opens; rejects with the close's error if it closes first. */
  readonly opened: Promise<void>;
  readonly #socket: WebSocket;
  readonly #logger: Logger;
  readonly #bytes: ByteCounters;
  readonly #listeners = new AbortController();
  readonly #closed: Promise<never>;
  #lastHeardAt = performance.now();
  #awaited: { type: GatewayMessageType; resolve: (message: GatewayMessage) => void } | undefined;
  #handlers: GatewaySocketHandlers | undefined;

  /**
   * Opens a socket to `url`.
   *
   * @param phase - the phase of the errors that a close turns into.
   * @param bytes - where the payload bytes sent and received are added up.
   */
  constructor(WebSocketClass: typeof WebSocket, url: string, phase: AthosErrorPhase, logger: Logger, bytes: ByteCounters) {
    this.#logger = logger;
    this.#bytes = bytes;
    const socket = new WebSocketClass(url);
    this.#socket = socket;
    socket.binaryType = 'arraybuffer';
    const { signal } = this.#listeners;
    let fail!: (error: AthosRoleplayError) => void;
    this.#closed = new Promise<never>((_, reject) => (fail = reject));
    this.#closed.catch(() => undefined);
    this.opened = Promise.race([
      new Promise<void>((resolve) => socket.addEventListener('open', () => resolve(), { signal })),
      this.#closed,
    ]);
    socket.addEventListener('message', (event) => this.#receive(event.data), { signal });
    socket.addEventListener(
      'close',
      ({ code, reason }) => {
        fail(errorForClose(code, reason, phase));
        this.#handlers?.onClose(code, reason);
      },
      { signal },
    );
  }

  /** When anything (text or binary, valid or not) last arrived, in `performance.now()` ms. */
  get lastHeardAt(): number {
    return this.#lastHeardAt;
  }

  /**
   * Resolves with the next message of `type` (others are logged and ignored until then);
   * rejects with the close's error if the socket closes first.
   */
  reply<T extends GatewayMessageType>(type: T): Promise<Extract<GatewayMessage, { type: T }>> {
    const reply = new Promise<GatewayMessage>((resolve) => (this.#awaited = { type, resolve }));
    return Promise.race([reply, this.#closed]) as Promise<Extract<GatewayMessage, { type: T }>>;
  }

  /** Routes every later message, frame and the close to `handlers`. */
  attach(handlers: GatewaySocketHandlers): void {
    this.#awaited = undefined;
    this.#handlers = handlers;
  }

  /** Sends a control message if the socket is open. */
  send(message: ClientMessage): void {
    if (this.#socket.readyState !== OPEN) return;
    const text = JSON.stringify(message);
    this.#socket.send(text);
    // The protocol's messages are ASCII: one byte per character.
    this.#bytes.sent += text.length;
  }

  /** Sends one encoded frame of captured audio if the socket is open. */
  sendAudio(frame: ArrayBuffer): void {
    if (this.#socket.readyState !== OPEN) return;
    this.#bytes.sent += frame.byteLength;
    this.#socket.send(frame);
  }

  /** Closes the socket. Nothing is reported afterwards and pending promises stay pending. */
  close(): void {
    this.#listeners.abort();
    this.#handlers = undefined;
    this.#awaited = undefined;
    this.#socket.close();
  }

  #receive(data: unknown): void {
    this.#lastHeardAt = performance.now();
    this.#bytes.received += typeof data === 'string' ? data.length : data instanceof ArrayBuffer ? data.byteLength : 0;
    if (typeof data === 'string') {
      const parsed = parseGatewayText(data);
      if ('ignored' in parsed) this.#logger.debug(`ignored ${parsed.ignored} from the voice gateway`);
      else this.#dispatch(parsed.message);
      return;
    }
    if (!(data instanceof ArrayBuffer)) this.#logger.debug('ignored a binary frame that is not an ArrayBuffer');
    else if (this.#handlers) this.#handlers.onFrame(data);
    else this.#logger.debug('ignored an audio frame that came before the handshake finished');
  }

  #dispatch(message: GatewayMessage): void {
    if (this.#handlers) {
      this.#handlers.onMessage(message);
    } else if (this.#awaited?.type === message.type) {
      this.#awaited.resolve(message);
      this.#awaited = undefined;
    } else {
      this.#logger.debug(`ignored a '${message.type}' message that came before the handshake finished`);
    }
  }
}
