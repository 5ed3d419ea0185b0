/**
 * Network: the persona's lines through a real call (Chromium, the SDK from dist/, the local
 * server) over impaired links, compared with the reference lines as they reach the SDK's
 * <audio> element. The link is lib/network/lab.mjs: a user-space emulator between two TUN
 * devices, the server in a namespace nested inside the benchmark's. The instruments are checked
 * first (lib/network/self-test.mjs); then every profile runs REPEATS calls per codec, the
 * codecs taking turns, and last the clean link again with a rep who talks all the time.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import type { Browser, BrowserType, Page } from '@playwright/test';
import { addWorkerProbe, installWorkerProbe, withoutWebCodecs } from '../../e2e/workerProbe.ts';
import { AUTOPLAY_ARGS, CHROMIUM_ARGS, FAKE_MIC_ARGS } from '../../playwright.config.ts';
import { epochNow } from '../lib/network/frame-tap.mjs';
import { startLab } from '../lib/network/lab.mjs';
import { BOTH_TALK, CODECS, LINES, PROFILES, talkingRepPcm } from '../lib/network/profiles.mjs';
import { analyseCall, networkReport } from '../lib/network/report.mjs';
import { checkInstruments } from '../lib/network/self-test.mjs';
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

async function openPage(browser: Browser, pageUrl: string, codec: string): Promise<Page> {
  const context = await browser.newContext({ permissions: ['microphone'] });
  const page = await context.newPage();
  await installWorkerProbe(page);
  await page.addInitScript({ path: `${PROBES}playback-recorder.js` });
  await page.goto(pageUrl);
  await page.waitForFunction(() => 'bench' in window);
  if (CODECS[codec]?.withoutWebCodecs) await addWorkerProbe(page, withoutWebCodecs);
  return page;
}

/**
 * One call: the lines one after the other, each once the one before has arrived and the element
 * has been silent for PAUSE_MS (a stall longer than that only costs realism: the analysis aligns
 * the whole call at once).
 */
async function runCall(lab: Lab, browser: Browser, pageUrl: string, profile: string, codec: string): Promise<CallRecord> {
  const page = await openPage(browser, pageUrl, codec);
  const record: CallRecord = { profile, codec, lines: [], batches: [], reconnecting: 0, uplink: { transitMs: [], lost: 0 } };
  try {
    await startCall(page, { url: lab.apiBase, mintToken: lab.mintToken });
    if (lab.traffic.codec !== codec) throw new Error(`asked for ${codec}, the gateway chose ${lab.traffic.codec}`);
    await page.waitForFunction(() => window.__playback.recording || window.__playback.error, undefined, { timeout: 10_000 });
    for (const file of LINES) {
      const saidAt = epochNow();
      const giveUpAt = saidAt + LINE_TIMEOUT_MS;
      const { firstSeq, lastSeq } = await lab.say(file);
      const line = {
        file,
        saidAt,
        firstSeq,
        lastSeq,
        complete: false,
        bytes: null,
        arrivalMs: 0,
      };
      record.lines.push(line);
      const arrivedAt = await lab.traffic.arrivalOf(lastSeq, LINE_TIMEOUT_MS);
      await page.waitForFunction(
        ([arrived, pauseMs]) => {
          const playback = window.__playback;
          return playback.recordedUntil - Math.max(arrived, playback.loudUntil) >= pauseMs;
        },
        [arrivedAt, PAUSE_MS] as const,
        { timeout: Math.max(1000, giveUpAt - epochNow()), polling: 20 },
      );
      line.complete = true;
    }
  } catch (error) {
    record.error = error instanceof Error ? error.message.split('\n')[0] : String(error);
  }
  const seen = await page.evaluate(() => ({
    playback: window.__playback,
    reconnecting: window.bench.events.filter((event) => event.name === 'reconnecting').length,
  }));
  record.batches = seen.playback.batches;
  record.reconnecting = seen.reconnecting;
  if (seen.playback.error) record.error ??= `recorder: ${seen.playback.error}`;
  const { arrivals } = lab.traffic;
  for (const line of record.lines) {
    const first = arrivals.get(line.firstSeq);
    const last = arrivals.get(line.lastSeq);
    if (first === undefined || last === undefined || last <= first) continue;
    line.arrivalMs = last - first;
    line.bytes = await lab.bytesBetween(first, last);
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

/** What the rep's fake microphone plays in each part of the run. */
const RUNS = [
  // The end-to-end fixture's sentence and silence, looped, over every profile.
  { micArgs: () => FAKE_MIC_ARGS, profiles },
  // A rep who talks all the time while the persona speaks, on a clean link.
  { micArgs: () => fakeMicArgs('talking-rep', talkingRepPcm()), profiles: [BOTH_TALK] },
];

test('network', async ({ playwright, pageUrl }) => {
  test.setTimeout(90 * 60_000);
  const lab = await startLab();
  try {
    const started = performance.now();
    const load = [{ step: 'start', loadAverage1m: loadavg()[0] ?? 0 }];
    const check = await checkInstruments(lab);
    console.error(`  link and analysis checks passed in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    const codecs = Object.keys(CODECS);
    const recorded: CallRecord[] = [];
    const rows: { profile: string; codec: string; calls: ReturnType<typeof analyseCall>[] }[] = [];
    for (const { micArgs, profiles: measured } of RUNS) {
      const browser = await launch(playwright.chromium, micArgs());
      try {
        for (const { name, link } of measured) {
          await lab.impair({ up: link, down: link });
          const byCodec = codecs.map((codec) => ({ profile: name, codec, calls: [] as ReturnType<typeof analyseCall>[] }));
          for (let repeat = 1; repeat <= REPEATS; repeat += 1) {
            for (const row of byCodec) {
              const record = await runCall(lab, browser, pageUrl, name, row.codec);
              recorded.push(record);
              row.calls.push(analyseCall(record));
              console.error(`  ${name}, ${row.codec}, call ${repeat}: ${record.error ?? 'ok'}`);
            }
          }
          rows.push(...byCodec);
          load.push({ step: name, loadAverage1m: loadavg()[0] ?? 0 });
        }
      } finally {
        await browser.close();
      }
    }
    mkdirSync(new URL('.', RECORDINGS_FILE), { recursive: true });
    writeFileSync(RECORDINGS_FILE, JSON.stringify(recorded));
    const report = networkReport({
      rows,
      repeats: REPEATS,
      runMinutes: (performance.now() - started) / 60_000,
      load,
      linkCounts: await lab.counts(),
    });
    recordBench('network', [...check.figures, ...report.figures], { ...report.details, linkCheck: check.details });
  } finally {
    await lab.close();
  }
});
