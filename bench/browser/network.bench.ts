/**
 * Network: the persona's lines through a real call (Chromium, the SDK from dist/, the local
 * server) over impaired links, compared with the reference lines as they reach the SDK's
 * <audio> element. The link is lib/network/lab.mjs: a user-space emulator between two TUN
 * devices, the server in a namespace nested inside the benchmark's. The emulator is checked
 * first (lib/network/self-test.mjs); then every profile runs REPEATS calls per codec, the
 * codecs taking turns, and last a clean call in which the rep talks all the time.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import type { Browser, BrowserType, Page } from '@playwright/test';
import { AUTOPLAY_ARGS, CHROMIUM_ARGS, FAKE_MIC_ARGS } from '../../playwright.config.ts';
import { startLab } from '../lib/network/lab.mjs';
import { CODECS, LINES, linePcm, PROFILES, talkingRepPcm } from '../lib/network/profiles.mjs';
import { analyseCall, bothTalkTable, profileTable, summariseCalls, targetFigures } from '../lib/network/report.mjs';
import { checkAnalysis, checkLink } from '../lib/network/self-test.mjs';
import { recordBench } from '../lib/results.mjs';
import { fakeMicArgs } from '../lib/wav.mjs';
import { endCall, startCall } from './calls.ts';
import { test } from './fixtures.ts';

/** Calls per profile and codec; ATHOS_BENCH_REPEATS=1 for a quick look. */
const REPEATS = Number(process.env.ATHOS_BENCH_REPEATS) || 3;
/** ATHOS_BENCH_PROFILES=clean,mobile runs only the profiles whose names start so; the link check always runs. */
const ONLY = process.env.ATHOS_BENCH_PROFILES?.split(',').map((prefix) => prefix.trim());
const profiles = PROFILES.filter(({ name }) => !ONLY || ONLY.some((prefix) => name.startsWith(prefix)));
/** The next line starts once the element has been silent this long after the line's last frame arrived. */
const PAUSE_MS = 500;
/** A line that has not arrived and played out by then is given up on, with the call. */
const LINE_TIMEOUT_MS = 60_000;
const PROBES = new URL('../page/probes/', import.meta.url).pathname;
/** Every call's recording and line timings, for a closer look (not committed). */
const RECORDINGS_FILE = new URL('../results/network-recordings.json', import.meta.url);

type Lab = Awaited<ReturnType<typeof startLab>>;
type CallRecord = Parameters<typeof analyseCall>[0];

interface Playback {
  batches: { at: number; levels: number[] }[];
  frames: [number, number][];
  lastSeq: number;
  codec: string | undefined;
  recording: boolean;
  loudUntil: number;
  recordedUntil: number;
  error?: string;
}

declare global {
  interface Window {
    __playback: Playback;
  }
}

async function openPage(browser: Browser, pageUrl: string, codec: string): Promise<Page> {
  const context = await browser.newContext({ permissions: ['microphone'] });
  const page = await context.newPage();
  for (const probe of ['playback-recorder', ...(CODECS[codec]?.probes ?? [])]) {
    await page.addInitScript({ path: `${PROBES}${probe}.js` });
  }
  await page.goto(pageUrl);
  await page.waitForFunction(() => 'bench' in window);
  return page;
}

/** One call: the lines one after the other, each once the one before has reached the page and played out. */
async function runCall(lab: Lab, browser: Browser, pageUrl: string, profile: string, codec: string): Promise<CallRecord> {
  const page = await openPage(browser, pageUrl, codec);
  const record: CallRecord = { profile, codec, lines: [], batches: [], reconnecting: 0, uplink: { transitMs: [], lost: 0 } };
  try {
    await startCall(page, { url: lab.apiBase, mintToken: lab.mintToken });
    const negotiated = await page.evaluate(() => window.__playback.codec);
    if (negotiated !== codec) throw new Error(`asked for ${codec}, the gateway chose ${negotiated}`);
    await page.waitForFunction(() => window.__playback.recording || window.__playback.error, undefined, { timeout: 10_000 });
    for (const file of LINES) {
      const saidAt = await page.evaluate(() => performance.now());
      const { firstSeq, lastSeq } = await lab.say(file);
      const line = {
        file,
        saidAt,
        until: Number.POSITIVE_INFINITY,
        firstSeq,
        lastSeq,
        complete: false,
        bytes: null,
        arrivalMs: 0,
      };
      record.lines.push(line);
      await page.waitForFunction(
        ([seq, pauseMs]) => {
          const playback = window.__playback;
          const arrived = playback.lastSeq >= seq ? playback.frames.at(-1)?.[1] : undefined;
          return arrived !== undefined && playback.recordedUntil - Math.max(arrived, playback.loudUntil) >= pauseMs;
        },
        [lastSeq, PAUSE_MS] as const,
        { timeout: LINE_TIMEOUT_MS, polling: 20 },
      );
      line.complete = true;
    }
  } catch (error) {
    record.error = error instanceof Error ? error.message.split('\n')[0] : String(error);
  }
  const seen = await page.evaluate(() => ({
    playback: window.__playback,
    timeOrigin: performance.timeOrigin,
    now: performance.now(),
    reconnecting: window.bench.events.filter((event) => event.name === 'reconnecting').length,
  }));
  record.batches = seen.playback.batches;
  record.reconnecting = seen.reconnecting;
  if (seen.playback.error) record.error ??= `recorder: ${seen.playback.error}`;
  record.lines.forEach((line, index) => {
    line.until = record.lines[index + 1]?.saidAt ?? seen.now;
  });
  const arrivals = new Map(seen.playback.frames);
  for (const line of record.lines) {
    const first = arrivals.get(line.firstSeq);
    const last = arrivals.get(line.lastSeq);
    if (first === undefined || last === undefined || last <= first) continue;
    line.arrivalMs = last - first;
    line.bytes = await lab.bytesBetween(seen.timeOrigin + first, seen.timeOrigin + last);
  }
  await endCall(page).catch(() => undefined);
  await page.context().close();
  record.uplink = await lab.uplinkTransits();
  await lab.reset();
  return record;
}

function launch(browserType: BrowserType, micArgs: string[]): Promise<Browser> {
  return browserType.launch({ executablePath: '/usr/bin/chromium', args: [...CHROMIUM_ARGS, ...micArgs, ...AUTOPLAY_ARGS] });
}

test('network', async ({ playwright, pageUrl }) => {
  test.setTimeout(90 * 60_000);
  const lab = await startLab();
  const started = performance.now();
  const load: { step: string; loadAverage1m: number }[] = [];
  const noteLoad = (step: string) => load.push({ step, loadAverage1m: loadavg()[0] ?? 0 });
  try {
    noteLoad('start');
    const check = await checkLink(lab);
    const problems = [...check.problems, ...checkAnalysis()];
    if (problems.length > 0) throw new Error(`the instruments miss: ${problems.join('; ')}`);
    console.error(`  link and analysis checks passed in ${((performance.now() - started) / 1000).toFixed(0)} s`);

    const codecs = Object.keys(CODECS);
    const recorded: CallRecord[] = [];
    const measure = async (browser: Browser, profile: string, codec: string) => {
      const record = await runCall(lab, browser, pageUrl, profile, codec);
      recorded.push(record);
      return analyseCall(record);
    };
    const rows: { profile: string; codec: string; calls: ReturnType<typeof analyseCall>[] }[] = [];
    // The rep's fake microphone: the end-to-end fixture's sentence and silence, looped.
    const browser = await launch(playwright.chromium, FAKE_MIC_ARGS);
    try {
      for (const { name, link } of profiles) {
        await lab.impair({ up: link, down: link });
        const byCodec = new Map(codecs.map((codec) => [codec, [] as ReturnType<typeof analyseCall>[]]));
        for (let repeat = 0; repeat < REPEATS; repeat += 1) {
          for (const codec of codecs) {
            const call = await measure(browser, name, codec);
            byCodec.get(codec)?.push(call);
            console.error(`  ${name}, ${codec}, call ${repeat + 1}: ${call.error ?? 'ok'}`);
          }
        }
        noteLoad(name);
        for (const [codec, calls] of byCodec) rows.push({ profile: name, codec, calls });
      }
    } finally {
      await browser.close();
    }

    // Both talk: a clean link, and a rep who talks all the time while the persona speaks.
    await lab.impair({ up: {}, down: {} });
    const bothTalk: { codec: string; calls: ReturnType<typeof analyseCall>[] }[] = codecs.map((codec) => ({ codec, calls: [] }));
    const talking = await launch(playwright.chromium, fakeMicArgs('talking-rep', talkingRepPcm()));
    try {
      for (let repeat = 0; repeat < REPEATS; repeat += 1) {
        for (const row of bothTalk) row.calls.push(await measure(talking, 'both talk', row.codec));
      }
    } finally {
      await talking.close();
    }
    noteLoad('both talk');

    mkdirSync(new URL('.', RECORDINGS_FILE), { recursive: true });
    writeFileSync(RECORDINGS_FILE, JSON.stringify(recorded));
    const summarised = rows.map((row) => ({ ...row, summary: summariseCalls(row.calls) }));
    const bothSummarised = bothTalk.map((row) => ({ ...row, summary: summariseCalls(row.calls) }));
    const runMinutes = (performance.now() - started) / 60_000;
    const loads = load.map(({ loadAverage1m }) => loadAverage1m);
    const heading = `Network benchmark, ${REPEATS} calls of ${LINES.length} lines per profile and codec; run took ${runMinutes.toFixed(1)} min; 1-minute load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}.`;
    const tables = [
      `${heading}\n\n${profileTable(summarised)}`,
      `Bytes on the wire while both talk (clean link, IP bytes per direction while the persona's frames arrive):\n\n${bothTalkTable(bothSummarised)}`,
    ];
    recordBench('network', [...check.figures, ...targetFigures(summarised, bothSummarised)], {
      tables,
      load,
      runMinutes,
      lineSeconds: Object.fromEntries(LINES.map((file) => [file, linePcm(file).length / 16_000])),
      linkCheck: check.details,
      rows: summarised,
      bothTalk: bothSummarised,
    });
  } finally {
    await lab.close();
  }
});
