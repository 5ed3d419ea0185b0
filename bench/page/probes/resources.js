// Init script: notes everything the page acquires that must be released, so that a leak shows
// as a non-zero count in window.__resources.leftovers(): media tracks still live,
// AudioContexts, RTCPeerConnections and WebSockets not closed, <audio> elements still in the
// page or still holding a stream, and any of those still in memory (call it after a garbage
// collection); listeners on window/document/navigator.mediaDevices not removed, intervals not
// cleared, Blob URLs not revoked. Objects are held weakly, so the probe keeps nothing alive.
(() => {
  const KINDS = {
    tracks: { name: 'media tracks', notReleased: 'still live', held: (track) => track.readyState === 'live' },
    audioContexts: { name: 'AudioContexts', notReleased: 'not closed', held: (context) => context.state !== 'closed' },
    peerConnections: { name: 'RTCPeerConnections', notReleased: 'not closed', held: (peer) => peer.signalingState !== 'closed' },
    webSockets: { name: 'WebSockets', notReleased: 'not closed', held: (socket) => socket.readyState !== WebSocket.CLOSED },
    audioElements: {
      name: '`<audio>` elements',
      notReleased: 'in the page or holding a stream',
      held: (element) => element.isConnected || element.srcObject !== null,
    },
  };
  const held = Object.fromEntries(Object.keys(KINDS).map((kind) => [kind, []]));
  const note = (kind, object) => {
    held[kind].push(new WeakRef(object));
    return object;
  };
  const noteTracks = (stream) => stream.getTracks().forEach((track) => note('tracks', track));

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
    constructor(...args) {
      super(...args);
      note('audioContexts', this);
    }
  };
  window.RTCPeerConnection = class extends window.RTCPeerConnection {
    constructor(...args) {
      super(...args);
      note('peerConnections', this);
      this.addEventListener('track', ({ track }) => note('tracks', track));
    }
  };
  window.WebSocket = class extends window.WebSocket {
    constructor(...args) {
      super(...args);
      note('webSockets', this);
    }
  };
  const createElement = Document.prototype.createElement;
  Document.prototype.createElement = function (tagName, options) {
    const element = createElement.call(this, tagName, options);
    return element instanceof HTMLAudioElement ? note('audioElements', element) : element;
  };
  const NativeAudio = window.Audio;
  window.Audio = function Audio(src) {
    return note('audioElements', new NativeAudio(src));
  };
  window.Audio.prototype = NativeAudio.prototype;

  /** Live registrations on `target`, as the browser keeps them: one per listener, type and capture. */
  function countListeners(target) {
    const live = new Map();
    const add = target.addEventListener;
    const remove = target.removeEventListener;
    const keyOf = (type, options) => `${type}|${typeof options === 'boolean' ? options : Boolean(options?.capture)}`;
    const forget = (listener, key) => {
      live.get(listener)?.delete(key);
      if (live.get(listener)?.size === 0) live.delete(listener);
    };
    target.addEventListener = function (type, listener, options) {
      add.call(this, type, listener, options);
      if (!listener || options?.signal?.aborted) return;
      const key = keyOf(type, options);
      if (!live.has(listener)) live.set(listener, new Set());
      live.get(listener).add(key);
      options?.signal?.addEventListener('abort', () => forget(listener, key), { once: true });
      if (options?.once) add.call(this, type, () => forget(listener, key), { once: true, capture: Boolean(options.capture) });
    };
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
  const HANDLER_PROPERTIES = [
    [window, ['ononline', 'onoffline', 'onpagehide', 'onbeforeunload', 'onunload', 'onfocus', 'onblur']],
    [document, ['onvisibilitychange']],
    [mediaDevices, ['ondevicechange']],
  ];

  const intervals = new Set();
  const setInterval = window.setInterval;
  const clearInterval = window.clearInterval;
  window.setInterval = (...args) => {
    const id = setInterval(...args);
    intervals.add(id);
    return id;
  };
  window.clearInterval = (id) => {
    intervals.delete(id);
    clearInterval(id);
  };

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
      const counts = {};
      for (const [kind, { name, notReleased, held: isHeld }] of Object.entries(KINDS)) {
        held[kind] = held[kind].filter((ref) => ref.deref() !== undefined);
        const alive = held[kind].map((ref) => ref.deref());
        counts[`${name} ${notReleased}`] = alive.filter(isHeld).length;
        counts[`${name} still in memory`] = alive.length;
      }
      for (const [name, count] of Object.entries(listeners)) counts[`${name} listeners`] = count();
      counts['on… handler properties set'] = HANDLER_PROPERTIES.flatMap(([target, names]) =>
        names.filter((name) => target[name]),
      ).length;
      counts['intervals not cleared'] = intervals.size;
      counts['Blob URLs not revoked'] = blobUrls.size;
      return counts;
    },
  };
})();
