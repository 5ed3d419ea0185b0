/**
 * "Check my setup": runs `AthosRoleplay.preflight()` and shows its report item by item, then
 * plays a test tone on the chosen speaker and asks whether it was heard. The speaker the rep
 * confirms is the one the next calls play on.
 */
import { type AthosPreflightCheck, type AthosPreflightReport, AthosRoleplay } from '../src/index.ts';
import { element } from './dom.ts';
import { note, onClick } from './log.ts';
import type { DemoState } from './state.ts';
import { playTone } from './tone.ts';

const ui = {
  run: element<HTMLButtonElement>('check-setup'),
  verdict: element('check-verdict'),
  items: element('check-items'),
  tone: element('tone'),
  speaker: element<HTMLSelectElement>('check-speaker'),
  play: element<HTMLButtonElement>('play-tone'),
  question: element('tone-question'),
  result: element('tone-result'),
};

/** The report's items, in the order the panel lists them, with their names for people. */
const ITEMS: ReadonlyArray<[keyof Omit<AthosPreflightReport, 'verdict'>, string]> = [
  ['browser', 'Browser'],
  ['secureContext', 'Secure page'],
  ['microphone', 'Microphone'],
  ['microphoneSignal', 'Microphone signal'],
  ['speakers', 'Speakers'],
  ['autoplay', 'Audio without a click'],
  ['api', 'Athos API'],
  ['gateway', 'Voice connection'],
];

const VERDICTS = {
  pass: 'Everything is ready for a call.',
  warn: 'A call may work, but see the warnings.',
  fail: 'A call would fail here: see below.',
};

function showItem(name: string, check: AthosPreflightCheck, extra: string): HTMLLIElement {
  const item = document.createElement('li');
  item.className = `check check-${check.verdict}`;
  item.dataset.item = name;
  const verdict = document.createElement('span');
  verdict.className = 'check-verdict';
  verdict.textContent = check.verdict;
  const title = document.createElement('strong');
  title.textContent = name;
  item.append(verdict, ' ', title, ` ${check.message}${extra}`);
  if (check.errorCode) {
    const code = document.createElement('code');
    code.textContent = check.errorCode;
    item.append(' (a call would report ', code, ')');
  }
  return item;
}

function showReport(report: AthosPreflightReport): void {
  ui.verdict.textContent = VERDICTS[report.verdict];
  ui.verdict.className = `check-summary check-${report.verdict}`;
  ui.items.replaceChildren(
    ...ITEMS.map(([key, name]) => {
      const extra =
        key === 'api' && report.api.rttMs !== undefined
          ? ` Round trip ${report.api.rttMs} ms.`
          : key === 'gateway' && report.gateway.connectMs !== undefined
            ? ` Opened in ${report.gateway.connectMs} ms.`
            : '';
      return showItem(name, report[key], extra);
    }),
  );
  const { devices, canChoose } = report.speakers;
  ui.speaker.replaceChildren(
    new Option('Default output', ''),
    ...(canChoose ? devices.filter(({ deviceId }) => deviceId !== 'default') : []).map(
      ({ deviceId, label }) => new Option(label || deviceId, deviceId),
    ),
  );
  ui.tone.hidden = false;
  ui.question.hidden = true;
  ui.result.textContent = canChoose ? '' : 'This browser plays on the default output only.';
}

/** Wires the panel. */
export function wireSetupCheck(state: DemoState): void {
  onClick('check-setup', async () => {
    if (!state.config) return;
    ui.run.disabled = true;
    ui.verdict.textContent = 'Checking… say something: the microphone is listening.';
    ui.verdict.className = 'check-summary';
    ui.items.replaceChildren();
    ui.tone.hidden = true;
    try {
      const report = await AthosRoleplay.preflight({ apiBase: state.config.apiBase });
      note(`preflight() → ${report.verdict}`, report);
      showReport(report);
    } finally {
      ui.run.disabled = false;
    }
  });
  onClick('play-tone', async () => {
    const speakerId = ui.speaker.value;
    const label = ui.speaker.selectedOptions[0]?.text ?? 'the default output';
    ui.play.disabled = true;
    ui.question.hidden = true;
    ui.result.textContent = `Playing a tone on ${label}…`;
    try {
      await playTone(speakerId);
      note(`test tone played on ${JSON.stringify(speakerId || 'default')}`);
      ui.result.textContent = `Played a 1 s tone on ${label}.`;
      ui.question.hidden = false;
    } catch (error) {
      note('the test tone failed', error);
      ui.result.textContent = `The tone could not play on ${label}: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      ui.play.disabled = false;
    }
  });
  onClick('tone-heard', () => {
    state.speakerId = ui.speaker.value;
    ui.question.hidden = true;
    ui.result.textContent = `Speaker confirmed: ${ui.speaker.selectedOptions[0]?.text}. Your calls play on it.`;
    note(`speaker confirmed: ${JSON.stringify(state.speakerId || 'default')}`);
  });
  onClick('tone-not-heard', () => {
    ui.question.hidden = true;
    ui.result.textContent =
      'Not heard: check the volume and that the speaker is connected, pick another speaker and play the tone again.';
  });
}
