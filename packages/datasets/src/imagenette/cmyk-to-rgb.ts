/**
 * CMYK pixels to RGB exactly as Pillow's `Image.convert('RGB')` does
 * (`cmyk2rgb` in Pillow's `libImaging/Convert.c`), which is what torchvision's
 * `ImageFolder` loader applies to CMYK JPEGs: no colour profile, per channel
 * `R = (255 − K) − round((255 − K)·C / 255)` (likewise G from M, B from Y),
 * with Pillow's integer rounding `MULDIV255`.
 *
 * @param cmyk interleaved `C, M, Y, K` bytes (as decoded, Adobe inversion undone), `[pixels · 4]`.
 * @returns interleaved `R, G, B` bytes, `[pixels · 3]`.
 * @example cmykToRgb(Uint8Array.of(0, 152, 248, 47)) // → [208, 84, 6], as Pillow 9.4 gives
 */
export function cmykToRgb(cmyk: Uint8Array): Uint8Array {
  const pixels = cmyk.length >> 2;
  const rgb = new Uint8Array(pixels * 3);
  for (let p = 0; p < pixels; p++) {
    const nk = 255 - cmyk[4 * p + 3];
    for (let k = 0; k < 3; k++) rgb[3 * p + k] = nk - mulDiv255(cmyk[4 * p + k], nk);
  }
  return rgb;
}

/** Pillow's `MULDIV255(a, b)`: `a·b/255` rounded, in integers. */
function mulDiv255(a: number, b: number): number {
  const t = a * b + 128;
  return ((t >> 8) + t) >> 8;
}
