/**
 * The class-deciding shapes of the synthetic dataset, each a membership test
 * on local coordinates `(u, v) ∈ [-1, 1]²` (u to the right, v downwards) of
 * the square the shape is drawn in. Forms differ in topology and outline, not
 * in size, brightness or colour, so only the form tells the class.
 */
export interface ShapeClass {
  readonly name: string;
  readonly contains: (u: number, v: number) => boolean;
}

const inBox = (u: number, v: number, r = 0.9) => Math.abs(u) <= r && Math.abs(v) <= r;

export const SYNTHETIC_SHAPES: readonly ShapeClass[] = [
  { name: 'square', contains: (u, v) => inBox(u, v, 0.75) },
  { name: 'disc', contains: (u, v) => u * u + v * v <= 0.85 * 0.85 },
  {
    name: 'triangle',
    contains: (u, v) => v >= -0.85 && v <= 0.85 && Math.abs(u) <= ((v + 0.85) / 1.7) * 0.9,
  },
  { name: 'plus', contains: (u, v) => inBox(u, v) && (Math.abs(u) <= 0.28 || Math.abs(v) <= 0.28) },
  { name: 'ring', contains: (u, v) => u * u + v * v <= 0.9 * 0.9 && u * u + v * v >= 0.45 * 0.45 },
  { name: 'diamond', contains: (u, v) => Math.abs(u) + Math.abs(v) <= 0.95 },
  {
    name: 'x-cross',
    contains: (u, v) => inBox(u, v) && (Math.abs(u - v) <= 0.4 || Math.abs(u + v) <= 0.4),
  },
  { name: 'ell', contains: (u, v) => inBox(u, v) && (u <= -0.3 || v >= 0.3) },
  { name: 'tee', contains: (u, v) => inBox(u, v) && (v <= -0.35 || Math.abs(u) <= 0.28) },
  {
    name: 'stripes',
    contains: (u, v) => inBox(u, v) && Math.floor(((v + 0.9) / 1.8) * 5) % 2 === 0,
  },
];
