/**
 * The signed `call.scored` webhook.
 * @module
 */
import { createHmac } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { randomId } from './ids.js';

const ATTEMPT_TIMEOUT_MS = 5000;
const RETRY_DELAY_MS = 1000;

/**
 * @param {{ url: string | null, secret: string, log: (line: string) => void }} options
 */
export function createWebhookSender({ url, secret, log }) {
  const shutdown = new AbortController();

  /**
   * Posts `call.scored` for a scored call: once, and once more if that fails. The retry keeps
   * the webhook id, so receivers can deduplicate; it gets a fresh timestamp and signature.
   * @param {import('./store/calls.js').CallRecord} call
   */
  async function callScored(call) {
    if (!url) return;
    const webhookId = randomId('wh_');
    const body = JSON.stringify({
      event: 'call.scored',
      success: true,
      callId: call.callId,
      source: 'sdk',
      externalUserId: call.externalUserId,
      externalAgencyId: call.externalAgencyId,
      occurredAt: new Date().toISOString(),
      requestId: call.requestId,
    });
    for (let attempt = 1; attempt <= 2 && !shutdown.signal.aborted; attempt++) {
      const problem = await post(url, body, webhookId);
      if (!problem) return;
      log(`webhook ${webhookId} for ${call.callId} attempt ${attempt} failed: ${problem}`);
      if (attempt === 1) await sleep(RETRY_DELAY_MS, undefined, { signal: shutdown.signal }).catch(() => {});
    }
  }

  /**
   * @param {string} target
   * @param {string} body
   * @param {string} webhookId
   * @returns {Promise<string | null>} what went wrong, or null on a 2xx
   */
  async function post(target, body, webhookId) {
    const t = Math.floor(Date.now() / 1000);
    const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    try {
      const response = await fetch(target, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'athos-local-server',
          'X-Athos-Signature': `t=${t},v1=${v1}`,
          'X-Athos-Webhook-Id': webhookId,
        },
        body,
        signal: AbortSignal.any([shutdown.signal, AbortSignal.timeout(ATTEMPT_TIMEOUT_MS)]),
      });
      await response.body?.cancel();
      return response.ok ? null : `HTTP ${response.status}`;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }

  return {
    callScored,
    /** Abandons deliveries in flight. */
    close: () => shutdown.abort(),
  };
}
