import { useEffect } from 'react';
import { releasePageRule, setPageRule } from './printRoot';

/** A4 landscape with a 12 mm margin: the journals and the commission's agenda on paper. */
export const A4_LANDSCAPE_RULE = '@page { size: A4 landscape; margin: 12mm; }';
export const A4_PORTRAIT_RULE = '@page { size: A4 portrait; margin: 15mm; }';

/**
 * The paper a screen prints on, for as long as it is shown (a job being printed sets its own on
 * top, and the screen's is back once the job is done). One rule for the whole document rather than
 * a CSS named page: content outside a named page starts a page of the default size, which put a
 * blank portrait page after the landscape journal.
 */
export function usePageRule(rule: string): void {
  useEffect(() => {
    const owner = {};
    setPageRule(owner, rule);
    return () => releasePageRule(owner);
  }, [rule]);
}
