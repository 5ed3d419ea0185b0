/**
 * A pair of `RTCPeerConnection`s in the same page, sender to receiver, with no ICE servers.
 *
 * Chromium's echo canceller has been documented to remove only audio that arrived from a peer
 * connection, so persona audio played straight from Web Audio would reach the rep's microphone
 * and go back to the persona. Sent through this loopback, it is played as remote WebRTC audio,
 * which is cancelled. Firefox does not need it (see `echoCancellerHearsWebAudio`).
 */
export class PeerConnectionLoopback {
  /** The audio as received, to play in an `<audio>` element. */
  readonly stream: MediaStream;
  readonly #peers: readonly RTCPeerConnection[];

  private constructor(stream: MediaStream, peers: readonly RTCPeerConnection[]) {
    this.stream = stream;
    this.#peers = peers;
  }

  /**
   * Connects a new pair and sends `local` through it.
   *
   * @param onFailed - called if the connection fails later (e.g. a policy forbids local
   *   candidates), so the caller can play `local` directly instead.
   */
  static async open(local: MediaStream, Peer: typeof RTCPeerConnection, onFailed: () => void): Promise<PeerConnectionLoopback> {
    const sender = new Peer();
    const receiver = new Peer();
    try {
      const forward = (to: RTCPeerConnection) => (event: RTCPeerConnectionIceEvent) => {
        if (event.candidate) to.addIceCandidate(event.candidate).catch(() => undefined);
      };
      sender.addEventListener('icecandidate', forward(receiver));
      receiver.addEventListener('icecandidate', forward(sender));
      receiver.addEventListener('connectionstatechange', () => {
        if (receiver.connectionState === 'failed') onFailed();
      });
      const received = new Promise<MediaStream | undefined>((resolve) => {
        receiver.addEventListener('track', (event) => resolve(event.streams[0]), { once: true });
      });
      for (const track of local.getAudioTracks()) sender.addTrack(track, local);
      await sender.setLocalDescription();
      // biome-ignore lint/style/noNonNullAssertion: set by the setLocalDescription() just awaited.
      await receiver.setRemoteDescription(sender.localDescription!);
      await receiver.setLocalDescription();
      // biome-ignore lint/style/noNonNullAssertion: set by the setLocalDescription() just awaited.
      await sender.setRemoteDescription(receiver.localDescription!);
      const stream = await received;
      if (!stream) throw new Error('The loopback peer connection received no stream.');
      return new PeerConnectionLoopback(stream, [sender, receiver]);
    } catch (error) {
      sender.close();
      receiver.close();
      throw error;
    }
  }

  /** Closes both peer connections, which ends the received track. */
  close(): void {
    for (const peer of this.#peers) peer.close();
  }
}
