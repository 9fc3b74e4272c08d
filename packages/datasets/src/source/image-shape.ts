/** `[height, width, channels]` of one image. */
export type ImageShape = readonly [height: number, width: number, channels: number];
