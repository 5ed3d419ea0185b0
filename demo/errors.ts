/**
 * The error views. An error that ended the call (or kept it from starting) fills the error
 * panel; one that did not end it is listed in the call card as such, so a good call never reads
 * as a failed one. Both are cleared when the next call starts.
 */
import { AthosRoleplayError } from '../src/index.ts';
import type { DemoApiFailure } from './demoApi.ts';
import { element, fillFields } from './dom.ts';
import { note } from './log.ts';
import { RECOVERY } from './recovery.ts';

/** What an error view shows: an SDK error's JSON form, or an error of the demo backend. */
export type ErrorReport = { code: string; message: string } & Record<string, unknown>;

const ui = {
  panel: element('error-panel'),
  effect: element('error-effect'),
  code: element('error-code'),
  message: element('error-message'),
  recovery: element('error-recovery'),
  fields: element('error-fields'),
  ongoing: element('call-errors'),
  ongoingList: element('call-errors-list'),
};

/** The error views' form of anything thrown: an SDK error's JSON form, or its message. */
export function reportOf(error: unknown): ErrorReport {
  if (AthosRoleplayError.is(error)) return { ...error.toJSON() };
  return { code: 'UNEXPECTED', message: error instanceof Error ? error.message : String(error) };
}

/** The error views' form of a failed call to the demo backend (or to Athos behind it); logs it. */
export function backendReport(what: string, error: unknown): ErrorReport {
  const failure = error as Partial<DemoApiFailure>;
  const envelope = failure.body?.error;
  note(`${what} failed`, failure.body ?? String(error));
  return {
    code: envelope?.code ?? 'UNEXPECTED',
    message: envelope?.message ?? (error instanceof Error ? error.message : String(error)),
    source: what,
    httpStatus: failure.status,
    requestId: envelope?.requestId,
  };
}

function recoveryFor(code: string): string {
  return RECOVERY[code as keyof typeof RECOVERY] ?? 'None from the SDK: see the event log.';
}

/** Shows the error that ended the call or kept it from starting; `effect` says which. */
export function showEndingError(report: ErrorReport, effect: string): void {
  const { code, message, name: _name, ...fields } = report;
  ui.panel.hidden = false;
  ui.effect.textContent = effect;
  ui.code.textContent = code;
  ui.message.textContent = message;
  ui.recovery.textContent = recoveryFor(code);
  fillFields(ui.fields, fields);
}

/** Lists an error that did not end the call (the event log has its fields). */
export function showOngoingError({ code, message }: ErrorReport): void {
  const item = document.createElement('li');
  const name = document.createElement('code');
  name.textContent = code;
  const recovery = document.createElement('span');
  recovery.className = 'hint';
  recovery.textContent = `Recommended recovery: ${recoveryFor(code)}`;
  item.append(name, ` ${message} `, recovery);
  ui.ongoingList.append(item);
  ui.ongoing.hidden = false;
}

/** Clears both error views, for the next call. */
export function clearErrors(): void {
  ui.panel.hidden = true;
  ui.ongoing.hidden = true;
  ui.ongoingList.replaceChildren();
}
