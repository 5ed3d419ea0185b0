import { expect, test } from '@playwright/test';
import type * as AthosSdk from '../src/index.ts';

declare global {
  interface Window {
    /** The script-tag build's global, when it loaded. */
    AthosRoleplay?: typeof AthosSdk;
  }
}

test('the script-tag build exposes the AthosRoleplay global', async ({ page }) => {
  const pageErrors: Error[] = [];
  page.on('pageerror', (error) => pageErrors.push(error));
  await page.goto('/e2e/script-tag.html');
  const global = await page.evaluate(() => {
    const athos = window.AthosRoleplay;
    return {
      create: typeof athos?.create,
      codes: athos?.ATHOS_ERROR_CODES,
      supported: athos?.detectBrowserSupport(navigator.userAgent),
      state: athos?.create({ token: 'ast_x', drillKey: 'ma-full-sale' }).state,
    };
  });
  expect(global.create).toBe('function');
  expect(global.codes).toHaveLength(20);
  expect(global.codes![0]).toBe('MIC_PERMISSION_DENIED');
  expect(global.supported).toEqual({ supported: true });
  expect(global.state).toBe('idle');
  expect(pageErrors).toEqual([]);
});
