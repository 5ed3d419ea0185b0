/**
 * The figures a call screen can show besides its state: the call statistics and the talk
 * metrics, as the SDK reports them (`getStats()`, `getTalkMetrics()`, `ended.metrics`).
 */
import type { AthosCallStats, AthosTalkMetrics } from '../src/index.ts';
import { fillFields } from './dom.ts';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const kilobytes = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

/** Fills `list` with the call statistics. */
export function showStats(list: HTMLElement, stats: AthosCallStats): void {
  fillFields(list, {
    'round trip': stats.rttMs === undefined ? '–' : `${stats.rttMs} ms`,
    'jitter buffer': `${stats.jitterBufferMs} ms`,
    'late / lost / concealed frames': `${stats.lateFrames} / ${stats.lostFrames} / ${stats.concealedFrames}`,
    'sent / received': `${kilobytes(stats.bytesSent)} / ${kilobytes(stats.bytesReceived)}`,
    reconnects: `${stats.reconnects} (${seconds(stats.reconnectingMs)})`,
  });
}

/** Fills `list` with the talk metrics. */
export function showTalkMetrics(list: HTMLElement, metrics: AthosTalkMetrics): void {
  fillFields(list, {
    'you talked': seconds(metrics.repTalkMs),
    'persona talked': seconds(metrics.personaTalkMs),
    'talk ratio (yours)': `${Math.round(metrics.talkRatio * 100)} %`,
    'longest monologue': seconds(metrics.longestRepMonologueMs),
    interruptions: String(metrics.interruptions),
    'dead air': `${metrics.deadAirCount} (${seconds(metrics.deadAirMs)})`,
  });
}
