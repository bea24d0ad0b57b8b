import { test as base, type BrowserContext, type Page } from '@playwright/test';

/** At most this many of a test's browser errors go into its report (a loop of errors would drown it). */
const MAX_ERRORS = 50;

/** Records what a desk's pages report as going wrong: uncaught errors and console errors. */
function watch(context: BrowserContext, label: string, errors: string[]): void {
  const note = (line: string): void => {
    if (errors.length < MAX_ERRORS) errors.push(`[${label}] ${line}`);
  };
  context.on('weberror', (e) => note(`uncaught: ${e.error().stack ?? e.error().message}`));
  context.on('console', (m) => {
    // A failed load's message does not name what failed to load; its location does.
    const where = m.location().url;
    if (m.type() === 'error') note(`console: ${m.text()}${where ? ` (${where})` : ''}`);
  });
  context.on('page', (p) => p.on('crash', () => note('the page crashed')));
}

export interface DeskFixtures {
  /**
   * Another computer: a fresh browser context (its own IndexedDB and localStorage) with a page,
   * closed when the test ends — a desk left open would go on syncing through the tests after it.
   */
  newDesk: () => Promise<Page>;
  /** What the test's pages reported as errors; attached to the test's report when it fails. */
  browserErrors: string[];
}

/**
 * Playwright's `test` with the e2e suite's fixtures. Every spec imports `test` from here, so that a
 * failure's report says what the pages said (the CI log is often all there is to read), and the
 * extra desks a test opens are closed with it.
 */
export const test = base.extend<DeskFixtures>({
  // Playwright reads a fixture's dependencies from its first parameter's pattern: this one has none.
  // eslint-disable-next-line no-empty-pattern
  browserErrors: async ({}, use, testInfo) => {
    const errors: string[] = [];
    await use(errors);
    if (testInfo.status !== testInfo.expectedStatus && errors.length > 0)
      await testInfo.attach('browser-errors', { body: errors.join('\n'), contentType: 'text/plain' });
  },
  context: async ({ context, browserErrors }, use) => {
    watch(context, 'page', browserErrors);
    await use(context);
  },
  newDesk: async ({ browser, browserErrors }, use) => {
    const opened: BrowserContext[] = [];
    await use(async () => {
      const context = await browser.newContext();
      opened.push(context);
      watch(context, `desk ${opened.length}`, browserErrors);
      return context.newPage();
    });
    for (const context of opened) await context.close();
  },
});

export { expect } from '@playwright/test';
export type { Browser, Locator, Page, Route } from '@playwright/test';
