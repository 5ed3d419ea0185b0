/** How the conversation went, from the SDK's own speaking timelines. Every duration is in ms. */
export interface AthosTalkMetrics {
  /** How long the rep spoke (`userSpeaking` was `true`). */
  repTalkMs: number;
  /** How long the persona was heard speaking (`personaSpeaking` was `true`). */
  personaTalkMs: number;
  /** The rep's share of the talk time, `repTalkMs / (repTalkMs + personaTalkMs)`, 0–1; 0 before anyone spoke. */
  talkRatio: number;
  /**
   * The rep's longest monologue: a stretch that starts when the rep speaks while the persona is
   * silent, goes on across the rep's pauses of up to 3 s, and ends when the persona speaks or the
   * rep stays silent for more than 3 s; measured from its start to the end of the rep's last
   * speech in it.
   */
  longestRepMonologueMs: number;
  /** How often the rep started speaking while the persona was speaking (talked over it). */
  interruptions: number;
  /** How many times neither side spoke for more than 3 s. */
  deadAirCount: number;
  /** The total length of those silences (each counted whole, not only beyond 3 s). */
  deadAirMs: number;
}

/** A silence of both sides longer than this is dead air; a rep pause longer than this ends a monologue. */
export const DEAD_AIR_MS = 3_000;

/**
 * Turns the rep's and the persona's speaking timelines into {@link AthosTalkMetrics}. Pure: it
 * is told every change with its time (any monotonic clock in ms) and keeps no timer.
 *
 * Only time while the call is live counts: the clock starts with {@link TalkMetrics.start},
 * stands still between {@link TalkMetrics.pause} and {@link TalkMetrics.resume} (a dropped
 * link, when nobody can hear anybody), and stops for good with {@link TalkMetrics.stop}.
 */
export class TalkMetrics {
  #running = false;
  #stopped = false;
  #rep = false;
  #persona = false;
  #repSince = 0;
  #personaSince = 0;
  #repTalk = 0;
  #personaTalk = 0;
  #interruptions = 0;
  /** When the current silence of both sides began, if there is one. */
  #silentSince: number | undefined;
  #deadAirCount = 0;
  #deadAir = 0;
  /** When the current monologue began, if one is open. */
  #monologueStart: number | undefined;
  /** When the rep last stopped holding the floor in the current monologue. */
  #monologueEnd = 0;
  #longestMonologue = 0;

  /** The call went live at `now`. */
  start(now: number): void {
    this.resume(now);
  }

  /** The link dropped at `now`: open stretches end here and the clock stands still. */
  pause(now: number): void {
    if (!this.#running) return;
    this.#closeAll(now);
    this.#running = false;
  }

  /** The call is live again at `now`. */
  resume(now: number): void {
    if (this.#running || this.#stopped) return;
    this.#running = true;
    this.#repSince = now;
    this.#personaSince = now;
    if (this.#holdsFloor()) this.#monologueStart = now;
    if (!this.#rep && !this.#persona) this.#silentSince = now;
  }

  /** The call ended at `now`; later changes are ignored. */
  stop(now: number): void {
    this.pause(now);
    this.#stopped = true;
  }

  /** The rep started or stopped speaking at `now`. */
  setRep(speaking: boolean, now: number): void {
    if (speaking === this.#rep || this.#stopped) return;
    if (!this.#running) {
      this.#rep = speaking;
      return;
    }
    const wasHolding = this.#holdsFloor();
    this.#endSilence(now);
    if (speaking) {
      this.#repSince = now;
      if (this.#persona) this.#interruptions += 1;
    } else {
      this.#repTalk += now - this.#repSince;
    }
    this.#rep = speaking;
    this.#floorChanged(wasHolding, now);
    this.#startSilence(now);
  }

  /** The persona became audible or silent at `now`. */
  setPersona(speaking: boolean, now: number): void {
    if (speaking === this.#persona || this.#stopped) return;
    if (!this.#running) {
      this.#persona = speaking;
      return;
    }
    const wasHolding = this.#holdsFloor();
    this.#endSilence(now);
    if (speaking) this.#personaSince = now;
    else this.#personaTalk += now - this.#personaSince;
    this.#persona = speaking;
    this.#floorChanged(wasHolding, now);
    // The persona speaking ends the rep's monologue, whether or not the rep still talks.
    if (speaking) this.#endMonologue();
    this.#startSilence(now);
  }

  /** The metrics as of `now`, open stretches included (after {@link stop}: as of the end). */
  read(now: number): AthosTalkMetrics {
    let repTalk = this.#repTalk;
    let personaTalk = this.#personaTalk;
    let longest = this.#longestMonologue;
    let deadAirCount = this.#deadAirCount;
    let deadAir = this.#deadAir;
    if (this.#running) {
      if (this.#rep) repTalk += now - this.#repSince;
      if (this.#persona) personaTalk += now - this.#personaSince;
      if (this.#holdsFloor() && this.#monologueStart !== undefined) longest = Math.max(longest, now - this.#monologueStart);
      if (this.#silentSince !== undefined && now - this.#silentSince > DEAD_AIR_MS) {
        deadAirCount += 1;
        deadAir += now - this.#silentSince;
      }
    }
    const talk = repTalk + personaTalk;
    return {
      repTalkMs: Math.round(repTalk),
      personaTalkMs: Math.round(personaTalk),
      talkRatio: talk > 0 ? repTalk / talk : 0,
      longestRepMonologueMs: Math.round(longest),
      interruptions: this.#interruptions,
      deadAirCount,
      deadAirMs: Math.round(deadAir),
    };
  }

  /** Whether the rep holds the floor: speaking while the persona is silent. */
  #holdsFloor(): boolean {
    return this.#rep && !this.#persona;
  }

  #floorChanged(wasHolding: boolean, now: number): void {
    const holding = this.#holdsFloor();
    if (holding && !wasHolding) {
      const continues = this.#monologueStart !== undefined && now - this.#monologueEnd <= DEAD_AIR_MS;
      if (!continues) this.#monologueStart = now;
    } else if (wasHolding && !holding && this.#monologueStart !== undefined) {
      this.#monologueEnd = now;
      this.#longestMonologue = Math.max(this.#longestMonologue, now - this.#monologueStart);
    }
  }

  #endMonologue(): void {
    this.#monologueStart = undefined;
  }

  #startSilence(now: number): void {
    if (!this.#rep && !this.#persona) this.#silentSince = now;
  }

  #endSilence(now: number): void {
    if (this.#silentSince === undefined) return;
    const length = now - this.#silentSince;
    this.#silentSince = undefined;
    if (length > DEAD_AIR_MS) {
      this.#deadAirCount += 1;
      this.#deadAir += length;
    }
  }

  /** Ends every open stretch at `now`, as if both sides fell silent and the silence ended. */
  #closeAll(now: number): void {
    const wasHolding = this.#holdsFloor();
    if (this.#rep) this.#repTalk += now - this.#repSince;
    if (this.#persona) this.#personaTalk += now - this.#personaSince;
    if (wasHolding && this.#monologueStart !== undefined) {
      this.#longestMonologue = Math.max(this.#longestMonologue, now - this.#monologueStart);
    }
    this.#endMonologue();
    this.#endSilence(now);
  }
}
