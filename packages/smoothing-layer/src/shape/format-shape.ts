/** Writes a tfjs-layers shape for an error message, unknown dimensions as `null`: `null, 28, 28, 1`. */
export function formatShape(shape: ReadonlyArray<number | null>): string {
  return shape.map((d) => (d === null ? 'null' : String(d))).join(', ');
}
