import { useCallback, useState } from 'react';
import { PAGE_SIZE } from '../data';

/**
 * How many rows a list asks for: a page at first, a page more each time the end comes into view,
 * and a page again whenever the list's query (its `signature`) changes.
 */
export function usePaging(signature: string): [number, (loaded: number) => void] {
  const [paging, setPaging] = useState({ signature, limit: PAGE_SIZE });
  const limit = paging.signature === signature ? paging.limit : PAGE_SIZE;
  const more = useCallback(
    (loaded: number) =>
      setPaging((p) => ({
        signature,
        limit: Math.max(p.signature === signature ? p.limit : PAGE_SIZE, loaded + PAGE_SIZE),
      })),
    [signature],
  );
  return [limit, more];
}
