/** The two REST calls a benchmark makes to the local Athos server, as an integrator would. */

/** @typedef {{ url: string, apiKey: string }} AthosEndpoint the local server and its API key */

/**
 * @template T what the endpoint answers
 * @param {string} url
 * @param {string} credential
 * @param {object} body
 * @param {Record<string, string>} [headers]
 * @returns {Promise<T>}
 */
async function post(url, credential, body, headers = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { Authorization: `Bearer ${credential}`, 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${new URL(url).pathname}: HTTP ${response.status}`);
  return response.json();
}

/**
 * Mints a session token, as the integrator's backend does.
 * @param {AthosEndpoint} endpoint
 * @returns {Promise<string>}
 */
export async function mintToken({ url, apiKey }, externalUserId = 'rep-bench') {
  /** @type {{ token: string }} */
  const { token } = await post(`${url}/api/external/v1/session`, apiKey, { externalUserId });
  return token;
}

/**
 * Redeems a token, as the SDK does.
 * @param {Pick<AthosEndpoint, 'url'>} endpoint
 * @param {string} token
 * @returns {Promise<{ connectionUrl: string, connectionTicket: string, callId: string }>}
 */
export function redeem({ url }, token) {
  return post(`${url}/api/external/v1/roleplay/session`, token, { drillKey: 'ma-full-sale' });
}
