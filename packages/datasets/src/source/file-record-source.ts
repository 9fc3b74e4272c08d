import { open } from 'node:fs/promises';
import type { ImageShape } from './image-shape';
import type { ImageSource } from './image-source';

/** Where fixed-size byte records sit in a file. */
export interface FileRecordSourceInit {
  /** The file. */
  readonly path: string;
  /** Byte offset of record 0. */
  readonly offset: number;
  /** Number of records. */
  readonly length: number;
  /** Shape of one image; a record is `h * w * c` bytes, NHWC. */
  readonly imageShape: ImageShape;
}

/**
 * An {@link ImageSource} that reads each batch's images from a file of packed
 * byte records, so memory holds one batch, not the split. Used for the
 * ImageNette cache (9 469 × 160 × 160 × 3 B = 727 MB would not fit comfortably).
 */
export function fileRecordSource(init: FileRecordSourceInit): ImageSource {
  const [h, w, c] = init.imageShape;
  const recordBytes = h * w * c;
  return {
    length: init.length,
    imageShape: init.imageShape,
    hasMasks: false,
    async read(indices, images) {
      const handle = await open(init.path, 'r');
      try {
        const buffer = Buffer.allocUnsafe(recordBytes);
        for (let k = 0; k < indices.length; k++) {
          const index = indices[k];
          if (!(index >= 0 && index < init.length)) {
            throw new RangeError(`record index ${index} is outside 0..${init.length - 1}`);
          }
          const { bytesRead } = await handle.read(
            buffer,
            0,
            recordBytes,
            init.offset + index * recordBytes,
          );
          if (bytesRead !== recordBytes) {
            throw new RangeError(
              `${init.path}: record ${index} is cut short (${bytesRead} of ${recordBytes} bytes); delete the file to rebuild it`,
            );
          }
          const to = k * recordBytes;
          for (let i = 0; i < recordBytes; i++) images[to + i] = buffer[i] / 255;
        }
      } finally {
        await handle.close();
      }
    },
  };
}
