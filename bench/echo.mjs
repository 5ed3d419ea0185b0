#!/usr/bin/env node
import { readFileSync } from 'node:fs';
/**
 * Which playback routes each engine's echo canceller removes: the evidence behind
 * `PeerConnectionLoopback` (src/media/PeerConnectionLoopback.ts) and where the SDK uses it.
 *
 * A private PulseAudio whose default microphone is the monitor of its default speakers, so the
 * microphone hears exactly what the browser plays, like a laptop's microphone hears its
 * speakers. In each engine, for each route, the page plays a spoken sentence in a loop and
 * measures the level its own microphone captures, with the echo canceller on and off:
 *
 * - `web-audio`: an AudioContext's destination;
 * - `element`: a MediaStream from Web Audio played by an `<audio>` element (the SDK without
 *   the loopback);
 * - `peer-connection`: the same stream sent through a local RTCPeerConnection pair first (the
 *   SDK with the loopback).
 *
 * The echo-return-loss enhancement is how much quieter the capture is with the canceller on
 * (dB, the median over the seconds in which the sentence was heard; ≥ 20 dB means the echo is
 * removed, about 0 dB that the canceller does not know that sound). Noise suppression and gain control stay off in both runs so they cannot pass for
 * cancellation. `node bench/echo.mjs` (about 9 minutes); runs in a private network namespace.
 */
import { createServer } from 'node:http';
import { resolve } from 'node:path';
import { chromium } from '@playwright/test';
import puppeteer from 'puppeteer-core';
import { ensureChromium } from '../scripts/lib/chromium.mjs';
import { ensureFirefox } from '../scripts/lib/firefox.mjs';
import { startPulseAudio } from '../scripts/lib/pulseaudio.mjs';
import { enterPrivateNetwork } from './lib/netns.mjs';

if (process.env.ATHOS_BENCH_NETNS !== '1') {
  ensureChromium();
  ensureFirefox();
}
enterPrivateNetwork();

const SPEECH = resolve(import.meta.dirname, '../e2e/fixtures/rep-speech.wav');
/** How long each measurement plays; the first seconds, while the canceller adapts, are skipped. */
const PLAY_MS = 24_000;
const SKIP_MS = 10_000;

/**
 * The page: plays the sentence on `route` and returns the capture's RMS level in each second
 * once the canceller had time to adapt. The sentence loops from the same start in every run, so
 * second k of one run plays what second k of another plays.
 */
/**
 * @param {{ route: string, echoCancellation: boolean, playMs: number, skipMs: number }} options
 * @returns {Promise<number[]>}
 */
function measure({ route, echoCancellation, playMs, skipMs }) {
  return (async () => {
    const microphone = await navigator.mediaDevices.getUserMedia({
      audio: { echoCancellation, noiseSuppression: false, autoGainControl: false },
    });
    const context = new AudioContext();
    await context.resume();
    const speech = await context.decodeAudioData(await (await fetch('/speech.wav')).arrayBuffer());
    const source = context.createBufferSource();
    source.buffer = speech;
    source.loop = true;
    const peers = [];
    let element;
    if (route === 'web-audio') {
      source.connect(context.destination);
    } else {
      const destination = context.createMediaStreamDestination();
      source.connect(destination);
      let stream = destination.stream;
      if (route === 'peer-connection') {
        const [sender, receiver] = [new RTCPeerConnection(), new RTCPeerConnection()];
        peers.push(sender, receiver);
        sender.onicecandidate = ({ candidate }) => candidate && receiver.addIceCandidate(candidate);
        receiver.onicecandidate = ({ candidate }) => candidate && sender.addIceCandidate(candidate);
        /** @type {Promise<MediaStream>} */
        const received = new Promise((done) => {
          receiver.ontrack = ({ streams }) => done(/** @type {MediaStream} */ (streams[0]));
        });
        for (const track of stream.getAudioTracks()) sender.addTrack(track, stream);
        await sender.setLocalDescription();
        await receiver.setRemoteDescription(/** @type {RTCSessionDescription} */ (sender.localDescription));
        await receiver.setLocalDescription();
        await sender.setRemoteDescription(/** @type {RTCSessionDescription} */ (receiver.localDescription));
        stream = await received;
      }
      element = new Audio();
      element.srcObject = stream;
      await element.play();
    }
    const analyser = context.createAnalyser();
    analyser.fftSize = 2048;
    context.createMediaStreamSource(microphone).connect(analyser);
    source.start();
    const samples = new Float32Array(analyser.fftSize);
    /** @type {Array<{ sum: number, count: number }>} */
    const seconds = [];
    const started = performance.now();
    while (performance.now() - started < playMs) {
      await new Promise((done) => setTimeout(done, 40));
      const elapsed = performance.now() - started;
      if (elapsed < skipMs) continue;
      const second = Math.floor((elapsed - skipMs) / 1000);
      seconds[second] ??= { sum: 0, count: 0 };
      const bucket = seconds[second];
      analyser.getFloatTimeDomainData(samples);
      for (const sample of samples) bucket.sum += sample * sample;
      bucket.count += samples.length;
    }
    source.stop();
    element?.pause();
    for (const peer of peers) peer.close();
    for (const track of microphone.getTracks()) track.stop();
    await context.close();
    return seconds.map(({ sum, count }) => Math.sqrt(sum / count));
  })();
}

const ROUTES = ['web-audio', 'element', 'peer-connection'];

/**
 * @typedef {{ goto(url: string): Promise<unknown>, evaluate: (fn: typeof measure, options: Parameters<typeof measure>[0]) => Promise<number[]>, close(): Promise<void> }} EchoPage
 * @typedef {{ route: string, offDbfs: number, onDbfs: number, erleDb: number, erleRange: Array<number | undefined> }} EchoRow
 */

/**
 * Measures every route in one engine; `open()` gives a fresh page, loaded at `url` here.
 * @param {() => Promise<EchoPage>} open
 * @param {string} url
 * @returns {Promise<EchoRow[]>}
 */
async function measureEngine(open, url) {
  const rows = [];
  for (const route of ROUTES) {
    /** @type {{ on: number[], off: number[] }} */
    const levels = { on: [], off: [] };
    for (const echoCancellation of [false, true]) {
      const page = await open();
      await page.goto(url);
      levels[echoCancellation ? 'on' : 'off'] = await page.evaluate(measure, {
        route,
        echoCancellation,
        playMs: PLAY_MS,
        skipMs: SKIP_MS,
      });
      await page.close();
    }
    const dbfs = (/** @type {number} */ rms) => 20 * Math.log10(Math.max(rms, 1e-6));
    const mean = (/** @type {number[]} */ values) =>
      Math.sqrt(values.reduce((sum, value) => sum + value * value, 0) / values.length);
    // Per second in which the sentence was heard (canceller off louder than -50 dBFS), then the median.
    const erle = levels.off
      .map((off, second) => ({ off, on: levels.on[second] ?? 0 }))
      .filter(({ off }) => dbfs(off) > -50)
      .map(({ off, on }) => dbfs(off) - dbfs(on))
      .sort((a, b) => a - b);
    rows.push({
      route,
      offDbfs: dbfs(mean(levels.off)),
      onDbfs: dbfs(mean(levels.on)),
      erleDb: erle[Math.floor(erle.length / 2)] ?? Number.NaN,
      erleRange: [erle[0], erle.at(-1)],
    });
  }
  return rows;
}

const pulse = await startPulseAudio(SPEECH, { echo: true });
const wav = readFileSync(SPEECH);
const server = createServer((request, response) => {
  if (request.url === '/speech.wav') response.writeHead(200, { 'Content-Type': 'audio/wav' }).end(wav);
  else response.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>echo</title>');
});
await new Promise((listening) => server.listen(0, '127.0.0.1', () => listening(undefined)));
const url = `http://localhost:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}/`;
const env = { ...process.env, PULSE_SERVER: pulse.server, XDG_RUNTIME_DIR: pulse.runtimeDir };

/** @type {Record<string, EchoRow[]>} */
const results = {};
try {
  const chrome = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    env,
    // Playwright mutes Chromium's output by default; the microphone must hear it here.
    ignoreDefaultArgs: ['--mute-audio'],
    args: ['--no-sandbox', '--disable-gpu', '--allow-loopback-in-peer-connection', '--autoplay-policy=no-user-gesture-required'],
  });
  const chromeContext = await chrome.newContext({ permissions: ['microphone'] });
  results[`Chromium ${chrome.version()}`] = await measureEngine(() => chromeContext.newPage(), url);
  await chrome.close();

  const firefox = await puppeteer.launch({
    browser: 'firefox',
    executablePath: '/usr/bin/firefox-esr',
    headless: true,
    env,
    extraPrefsFirefox: {
      'media.navigator.streams.fake': false,
      'media.navigator.permission.disabled': true,
      'media.autoplay.default': 0,
      'media.peerconnection.ice.loopback': true,
      'media.peerconnection.ice.obfuscate_host_addresses': false,
    },
  });
  results[`Firefox ${(await firefox.version()).replace('firefox/', '')}`] = await measureEngine(() => firefox.newPage(), url);
  await firefox.close();
} finally {
  server.close();
  await pulse.stop();
}

const fixed = (/** @type {number | undefined} */ value) =>
  value !== undefined && Number.isFinite(value) ? value.toFixed(1) : '-∞';
console.log(
  '| engine | route | capture, canceller off (dBFS) | canceller on (dBFS) | echo removed, median of seconds (dB) | range (dB) |',
);
console.log('| --- | --- | --- | --- | --- | --- |');
for (const [engine, rows] of Object.entries(results)) {
  for (const row of rows) {
    const range = row.erleRange.map(fixed).join(' … ');
    console.log(`| ${engine} | ${row.route} | ${fixed(row.offDbfs)} | ${fixed(row.onDbfs)} | ${fixed(row.erleDb)} | ${range} |`);
  }
}
