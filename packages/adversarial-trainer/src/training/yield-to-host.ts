/**
 * Resolves after the host has had a turn: `setImmediate` in Node (after
 * pending I/O, without a timer's delay), a zero-delay timer where there is no
 * `setImmediate` (browsers), so a page stays responsive between training steps.
 */
export function yieldToHost(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof setImmediate === 'function') setImmediate(resolve);
    else setTimeout(resolve, 0);
  });
}
