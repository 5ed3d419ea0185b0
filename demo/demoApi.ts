/** The page's calls to its own backend (demo/backend.js), which holds the API key. */

/** A failed call to the demo backend: the response's status and body (an Athos error envelope). */
export interface DemoApiFailure extends Error {
  status: number;
  body: { error?: { code?: string; message?: string; requestId?: string } } | undefined;
}

/** Calls `/demo-api{path}` and resolves with its JSON body; rejects with a {@link DemoApiFailure}. */
export async function demoApi<T>(method: 'GET' | 'POST', path: string): Promise<T> {
  const response = await fetch(`/demo-api${path}`, { method });
  const body = await response.json();
  if (!response.ok)
    throw Object.assign(new Error(body?.error?.message ?? `HTTP ${response.status}`), { body, status: response.status });
  return body as T;
}
