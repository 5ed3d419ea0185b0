// Init script: notes everything the page acquires that must be released, so that a leak shows
// as a non-zero count in window.__resources.leftovers(): media tracks still live,
// AudioContexts, RTCPeerConnections and WebSockets not closed, Workers not terminated, <audio>
// elements still in the page or still holding a stream, and any of those still in memory (call
// it after a garbage collection); in the SDK's Workers (through e2e/workerProbe.ts's resource
// probe), WebSockets and WebCodecs encoders and decoders not closed; listeners on
// window/document/navigator.mediaDevices not removed, intervals not cleared, Blob URLs not
// revoked. Objects are held weakly, so the probe keeps nothing alive.
/**
 * What the probe holds, by kind.
 * @typedef {{ tracks: MediaStreamTrack, audioContexts: AudioContext, peerConnections: RTCPeerConnection,
 *   webSockets: WebSocket, workers: Worker, audioElements: HTMLAudioElement }} Held
 * @typedef {keyof Held} Kind
 */
(() => {
  /** @type {{ [K in Kind]: { name: string, notReleased: string, held: (object: Held[K]) => boolean } }} */
  const KINDS = {
    tracks: { name: 'media tracks', notReleased: 'still live', held: (track) => track.readyState === 'live' },
    audioContexts: { name: 'AudioContexts', notReleased: 'not closed', held: (context) => context.state !== 'closed' },
    peerConnections: { name: 'RTCPeerConnections', notReleased: 'not closed', held: (peer) => peer.signalingState !== 'closed' },
    webSockets: { name: 'WebSockets', notReleased: 'not closed', held: (socket) => socket.readyState !== WebSocket.CLOSED },
    workers: { name: 'Workers', notReleased: 'not terminated', held: (worker) => !terminated.has(worker) },
    audioElements: {
      name: '`<audio>` elements',
      notReleased: 'in the page or holding a stream',
      held: (element) => element.isConnected || element.srcObject !== null,
    },
  };
  /** @type {{ [K in Kind]: WeakRef<Held[K]>[] }} */
  const held = { tracks: [], audioContexts: [], peerConnections: [], webSockets: [], workers: [], audioElements: [] };
  /** @type {WeakSet<Worker>} */
  const terminated = new WeakSet();
  /**
   * @template {Kind} K
   * @param {K} kind
   * @param {Held[K]} object
   */
  const note = (kind, object) => {
    held[kind].push(new WeakRef(object));
    return object;
  };
  /** @param {MediaStream} stream */
  const noteTracks = (stream) => {
    for (const track of stream.getTracks()) note('tracks', track);
  };

  const mediaDevices = navigator.mediaDevices;
  const getUserMedia = mediaDevices.getUserMedia.bind(mediaDevices);
  mediaDevices.getUserMedia = async (constraints) => {
    const stream = await getUserMedia(constraints);
    noteTracks(stream);
    return stream;
  };
  const clone = MediaStreamTrack.prototype.clone;
  MediaStreamTrack.prototype.clone = function () {
    return note('tracks', clone.call(this));
  };
  const createDestination = AudioContext.prototype.createMediaStreamDestination;
  AudioContext.prototype.createMediaStreamDestination = function () {
    const node = createDestination.call(this);
    noteTracks(node.stream);
    return node;
  };
  window.AudioContext = class extends window.AudioContext {
    /** @param {ConstructorParameters<typeof AudioContext>} args */
    constructor(...args) {
      super(...args);
      note('audioContexts', this);
    }
  };
  window.RTCPeerConnection = class extends window.RTCPeerConnection {
    /** @param {ConstructorParameters<typeof RTCPeerConnection>} args */
    constructor(...args) {
      super(...args);
      note('peerConnections', this);
      this.addEventListener('track', ({ track }) => note('tracks', track));
    }
  };
  window.WebSocket = class extends window.WebSocket {
    /** @param {ConstructorParameters<typeof WebSocket>} args */
    constructor(...args) {
      super(...args);
      note('webSockets', this);
    }
  };
  window.Worker = class extends window.Worker {
    /** @param {ConstructorParameters<typeof Worker>} args */
    constructor(...args) {
      super(...args);
      note('workers', this);
    }

    /** @override */
    terminate() {
      terminated.add(this);
      super.terminate();
    }
  };
  const createElement = Document.prototype.createElement;
  Document.prototype.createElement = /** @type {typeof createElement} */ (
    /**
     * @this {Document}
     * @param {string} tagName
     * @param {ElementCreationOptions} [options]
     */
    function (tagName, options) {
      const element = createElement.call(this, tagName, options);
      return element instanceof HTMLAudioElement ? note('audioElements', element) : element;
    }
  );
  const NativeAudio = window.Audio;
  /**
   * Serves `new Audio(src)`: a function called with `new` that returns an object yields that object.
   * @param {string} [src]
   */
  function Audio(src) {
    return note('audioElements', new NativeAudio(src));
  }
  window.Audio = /** @type {typeof NativeAudio} */ (/** @type {unknown} */ (Audio));
  window.Audio.prototype = NativeAudio.prototype;

  /**
   * Live registrations on `target`, as the browser keeps them: one per listener, type and capture.
   * @param {EventTarget} target
   */
  function countListeners(target) {
    /** @type {Map<EventListenerOrEventListenerObject, Set<string>>} */
    const live = new Map();
    const add = target.addEventListener;
    const remove = target.removeEventListener;
    /** @type {(type: string, options?: boolean | EventListenerOptions) => string} */
    const keyOf = (type, options) => `${type}|${typeof options === 'boolean' ? options : Boolean(options?.capture)}`;
    /** @type {(listener: EventListenerOrEventListenerObject | null, key: string) => void} */
    const forget = (listener, key) => {
      if (!listener) return;
      live.get(listener)?.delete(key);
      if (live.get(listener)?.size === 0) live.delete(listener);
    };
    /** @this {EventTarget} */
    target.addEventListener = function (type, listener, options) {
      add.call(this, type, listener, options);
      const flags = typeof options === 'object' ? options : undefined;
      if (!listener || flags?.signal?.aborted) return;
      const key = keyOf(type, options);
      const keys = live.get(listener) ?? new Set();
      live.set(listener, keys);
      keys.add(key);
      flags?.signal?.addEventListener('abort', () => forget(listener, key), { once: true });
      if (flags?.once) add.call(this, type, () => forget(listener, key), { once: true, capture: Boolean(flags.capture) });
    };
    /** @this {EventTarget} */
    target.removeEventListener = function (type, listener, options) {
      remove.call(this, type, listener, options);
      forget(listener, keyOf(type, options));
    };
    return () => [...live.values()].reduce((sum, keys) => sum + keys.size, 0);
  }
  const listeners = {
    window: countListeners(window),
    document: countListeners(document),
    'navigator.mediaDevices': countListeners(mediaDevices),
  };
  /** @type {[object, string[]][]} */
  const HANDLER_PROPERTIES = [
    [window, ['ononline', 'onoffline', 'onpagehide', 'onbeforeunload', 'onunload', 'onfocus', 'onblur']],
    [document, ['onvisibilitychange']],
    [mediaDevices, ['ondevicechange']],
  ];

  /** @type {Set<number | undefined>} */
  const intervals = new Set();
  const setInterval = window.setInterval;
  const clearInterval = window.clearInterval;
  /** @param {Parameters<typeof setInterval>} args */
  window.setInterval = (...args) => {
    const id = setInterval(...args);
    intervals.add(id);
    return id;
  };
  window.clearInterval = (id) => {
    intervals.delete(id);
    clearInterval(id);
  };

  /** @type {Set<string>} */
  const blobUrls = new Set();
  const createObjectURL = URL.createObjectURL;
  const revokeObjectURL = URL.revokeObjectURL;
  URL.createObjectURL = (object) => {
    const url = createObjectURL(object);
    blobUrls.add(url);
    return url;
  };
  URL.revokeObjectURL = (url) => {
    blobUrls.delete(url);
    revokeObjectURL(url);
  };

  window.__resources = {
    /** What is still held, by description. */
    leftovers() {
      /** @type {Record<string, number>} */
      const counts = {};
      /**
       * @template {Kind} K
       * @param {K} kind
       */
      const countKind = (kind) => {
        const { name, notReleased, held: isHeld } = KINDS[kind];
        const refs = held[kind];
        /** @type {Held[K][]} */
        const alive = [];
        for (const ref of refs.splice(0)) {
          const object = ref.deref();
          if (object === undefined) continue;
          refs.push(ref);
          alive.push(object);
        }
        counts[`${name} ${notReleased}`] = alive.filter(isHeld).length;
        counts[`${name} still in memory`] = alive.length;
      };
      for (const kind of /** @type {Kind[]} */ (Object.keys(KINDS))) countKind(kind);
      for (const [name, count] of Object.entries(listeners)) counts[`${name} listeners`] = count();
      counts['on… handler properties set'] = HANDLER_PROPERTIES.flatMap(([target, names]) =>
        names.filter((name) => Reflect.get(target, name)),
      ).length;
      counts['intervals not cleared'] = intervals.size;
      counts['Blob URLs not revoked'] = blobUrls.size;
      // The latest counts each of the SDK's Workers reported before it was terminated.
      /** @type {Map<string, { sockets: number, codecs: number }>} */
      const inWorkers = new Map();
      for (const report of window.workerProbe.reports) {
        if (report.kind === 'resources')
          inWorkers.set(report.worker, { sockets: Number(report.sockets), codecs: Number(report.codecs) });
      }
      const total = (/** @type {'sockets' | 'codecs'} */ what) =>
        [...inWorkers.values()].reduce((sum, counts) => sum + counts[what], 0);
      counts['WebSockets in Workers not closed'] = total('sockets');
      counts['WebCodecs encoders and decoders not closed'] = total('codecs');
      return counts;
    },
  };
})();
