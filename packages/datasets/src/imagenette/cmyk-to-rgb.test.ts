import { describe, expect, it } from 'vitest';
import { cmykToRgb } from './cmyk-to-rgb';

describe('cmykToRgb (Pillow convert("RGB"))', () => {
  it('matches values Pillow 9.4 gives', () => {
    // Image.open(cmyk.jpg).getpixel((0, 0)) → (0, 152, 248, 47); .convert('RGB') → (208, 84, 6).
    expect([...cmykToRgb(Uint8Array.of(0, 152, 248, 47))]).toEqual([208, 84, 6]);
  });

  it('edges: no ink is white, full K is black, full C/M/Y alone are cyan/magenta/yellow', () => {
    expect([...cmykToRgb(Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 255))]).toEqual([
      255, 255, 255, 0, 0, 0,
    ]);
    expect([...cmykToRgb(Uint8Array.of(255, 0, 0, 0, 0, 255, 0, 0, 0, 0, 255, 0))]).toEqual([
      0, 255, 255, 255, 0, 255, 255, 255, 0,
    ]);
  });

  it('equals round((255−K)(1 − C/255)) over every C for a few K', () => {
    for (const k of [0, 1, 47, 128, 254]) {
      for (let c = 0; c < 256; c++) {
        const [r] = cmykToRgb(Uint8Array.of(c, 0, 0, k));
        const nk = 255 - k;
        expect(r).toBe(nk - Math.round((c * nk) / 255));
      }
    }
  });
});
