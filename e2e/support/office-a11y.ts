// Accessibility check for the office e2e: axe-core on the current page, failing on serious or critical violations.
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/** Runs axe (WCAG 2.x A/AA rules) on `page` and expects no serious or critical violation, listing any found. */
export async function expectNoSeriousA11yViolations(page: Page, screen: string): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(serious, `axe on ${screen}`).toEqual([]);
}

/**
 * Visible controls of the office screens smaller than 44 × 44 CSS px: buttons, selects, text inputs and
 * stand-alone links (links inside running text are exempt, as in WCAG 2.5.8).
 */
export async function smallOfficeTargets(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const selector = [
      'main button',
      'main select',
      'main input:not([type="checkbox"])',
      'main .office-check',
      'main a.office-link-button',
      'main a.office-back',
      'main [data-testid="file-row"]',
      'nav a',
    ].join(', ');
    return [...document.querySelectorAll<HTMLElement>(selector)]
      .filter((el) => el.offsetParent !== null)
      .filter((el) => {
        const box = el.getBoundingClientRect();
        return box.height < 44 || box.width < 44;
      })
      .map(
        (el) =>
          `${el.tagName} "${el.textContent?.trim() ?? ''}" ${Math.round(el.getBoundingClientRect().width)}×${Math.round(el.getBoundingClientRect().height)}`,
      );
  });
}
