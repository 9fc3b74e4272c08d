import { type ColormapName, colormap } from '@trustgrad/attribution';

/** How a map is drawn over its image. */
export interface OverlayStyle {
  colormap: ColormapName;
  /** Weight of the map's colour over the grey image, 0 (image only) to 1 (map only). */
  opacity: number;
  /** Screen pixels per image pixel. */
  scale: number;
  /** The selected pixel, outlined. */
  cursor?: { row: number; col: number };
}

/**
 * Draws `|map| / max |map|` in a colour scale over the grey image:
 * `colour = (1 − α)·grey + α·scale(|m|/max|m|)`, nearest-neighbour upscaled.
 * An all-zero map shows the scale's low end.
 */
export function drawOverlay(
  canvas: HTMLCanvasElement,
  grey: Float32Array,
  map: Float32Array,
  size: { height: number; width: number },
  style: OverlayStyle,
): void {
  const { height, width } = size;
  let peak = 0;
  for (const v of map) peak = Math.max(peak, Math.abs(v));
  const pixels = new ImageData(width, height);
  const alpha = Math.min(1, Math.max(0, style.opacity));
  for (let p = 0; p < height * width; p++) {
    const rgb = colormap(style.colormap, peak > 0 ? Math.abs(map[p]) / peak : 0);
    for (let c = 0; c < 3; c++)
      pixels.data[p * 4 + c] = Math.round(255 * ((1 - alpha) * grey[p] + alpha * rgb[c]));
    pixels.data[p * 4 + 3] = 255;
  }
  const native = document.createElement('canvas');
  native.width = width;
  native.height = height;
  native.getContext('2d')!.putImageData(pixels, 0, 0);
  canvas.width = width * style.scale;
  canvas.height = height * style.scale;
  const context = canvas.getContext('2d')!;
  context.imageSmoothingEnabled = false;
  context.drawImage(native, 0, 0, canvas.width, canvas.height);
  if (style.cursor) {
    context.strokeStyle = '#ff2d95';
    context.lineWidth = Math.max(2, style.scale / 4);
    context.strokeRect(
      style.cursor.col * style.scale,
      style.cursor.row * style.scale,
      style.scale,
      style.scale,
    );
  }
}
