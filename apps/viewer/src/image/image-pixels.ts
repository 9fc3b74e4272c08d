/** An image as the models read it: `height × width × channels` floats in [0, 1], row-major (NHWC without the batch). */
export interface ImagePixels {
  height: number;
  width: number;
  channels: number;
  data: Float32Array;
}

/**
 * Decodes an image file (PNG, JPEG, …) to the model's input size. The bench
 * saves its test images upscaled by an integer factor with nearest
 * neighbours, so when the file is a whole multiple of the size each block's
 * centre pixel is read (exact); anything else is resized by the browser.
 * One channel: luminance `(299 R + 587 G + 114 B) / 1000` (a grey pixel keeps its value).
 */
export async function decodeImage(
  bytes: Blob,
  size: { height: number; width: number; channels: number },
): Promise<ImagePixels> {
  const bitmap = await createImageBitmap(bytes);
  const { height, width, channels } = size;
  const fx = bitmap.width / width;
  const fy = bitmap.height / height;
  const exact = Number.isInteger(fx) && Number.isInteger(fy);
  const canvas = document.createElement('canvas');
  canvas.width = exact ? bitmap.width : width;
  canvas.height = exact ? bitmap.height : height;
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  context.imageSmoothingQuality = 'high';
  context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  const rgba = context.getImageData(0, 0, canvas.width, canvas.height).data;
  const data = new Float32Array(height * width * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const sx = exact ? x * fx + Math.floor(fx / 2) : x;
      const sy = exact ? y * fy + Math.floor(fy / 2) : y;
      const at = (sy * canvas.width + sx) * 4;
      const out = (y * width + x) * channels;
      if (channels === 1) {
        data[out] = (299 * rgba[at] + 587 * rgba[at + 1] + 114 * rgba[at + 2]) / 1000 / 255;
      } else {
        for (let c = 0; c < channels; c++) data[out + c] = rgba[at + Math.min(c, 2)] / 255;
      }
    }
  }
  return { height, width, channels, data };
}

/** One grey level per pixel (the channel mean) for drawing an image under its maps. */
export function greyLevels(image: ImagePixels): Float32Array {
  const grey = new Float32Array(image.height * image.width);
  for (let p = 0; p < grey.length; p++) {
    let sum = 0;
    for (let c = 0; c < image.channels; c++) sum += image.data[p * image.channels + c];
    grey[p] = sum / image.channels;
  }
  return grey;
}
