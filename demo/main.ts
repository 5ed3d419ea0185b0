/**
 * The QA demo page. It starts calls the way an integrator would (a token from its own backend,
 * then `create()` and `connect()`), shows everything the SDK reports, and, when the local
 * server runs with fault controls, breaks calls on purpose.
 *
 * One state object (demo/state.ts) and a file per thing the page shows: "Check my setup"
 * (demo/setupCheck.ts, demo/tone.ts), the call (demo/call.ts, demo/figures.ts), the QA panel
 * (demo/qaPanel.ts, demo/faults.ts), the event log (demo/log.ts) and the errors
 * (demo/errors.ts).
 */
import { ATHOS_DRILL_KEYS, detectBrowserSupport } from '../src/index.ts';
import { showStartControls, wireCallControls } from './call.ts';
import { demoApi } from './demoApi.ts';
import { element } from './dom.ts';
import { backendReport, showEndingError } from './errors.ts';
import { refreshFaultStatus } from './faults.ts';
import { clearLog, onClick } from './log.ts';
import { wireQaPanel } from './qaPanel.ts';
import { wireSetupCheck } from './setupCheck.ts';
import { createDemoState, type DemoConfig } from './state.ts';

async function init(): Promise<void> {
  const state = createDemoState();
  const support = detectBrowserSupport(navigator.userAgent);
  if (!support.supported) {
    const banner = element('support-banner');
    banner.hidden = false;
    banner.textContent = `This browser is not supported (${support.reason}). Use desktop Chrome, Edge or Firefox; starting a call will fail with BROWSER_NOT_SUPPORTED.`;
  }
  element<HTMLSelectElement>('drill').replaceChildren(...ATHOS_DRILL_KEYS.map((key) => new Option(key, key)));
  wireSetupCheck(state);
  wireCallControls(state);
  wireQaPanel(state);
  onClick('clear-log', clearLog);
  try {
    state.config = await demoApi<DemoConfig>('GET', '/config');
  } catch (error) {
    showEndingError(backendReport('GET /demo-api/config', error), 'The page cannot start calls: its backend did not answer.');
    return;
  }
  element('server-url').textContent = state.config.apiBase;
  element('faults-badge').hidden = !state.config.faults;
  element('qa').hidden = !state.config.faults;
  showStartControls(state);
  await refreshFaultStatus(state);
  document.body.dataset.ready = 'true';
}

void init();
