import type * as tfl from '@tensorflow/tfjs-layers';
import type { ResultsFolder } from '../folder/results-folder';
import type { ImagePixels } from '../image/image-pixels';
import { loadVariantModel } from '../model/load-model';
import { type SaliencyMap, saliencyMap } from './saliency-map';

/**
 * The results folder's models, loaded once each, and the maps computed from
 * them, once per image × variant × explainer (the explorer and the study share it).
 */
export class MapCache {
  private readonly models = new Map<string, Promise<tfl.LayersModel | null>>();
  private readonly maps = new Map<string, Promise<SaliencyMap>>();

  constructor(private readonly folder: ResultsFolder) {}

  /** A variant's saved model, or null when the folder has none. */
  model(variant: string): Promise<tfl.LayersModel | null> {
    if (!this.models.has(variant)) {
      const key = this.folder.modelKeys[variant];
      this.models.set(
        variant,
        key ? loadVariantModel(this.folder.source, key) : Promise.resolve(null),
      );
    }
    return this.models.get(variant)!;
  }

  /** The input size of the folder's models (the first variant with a saved model). */
  async inputShape(): Promise<{ height: number; width: number; channels: number }> {
    for (const variant of this.folder.variants) {
      const model = await this.model(variant);
      if (model) {
        const [, height, width, channels] = model.inputs[0].shape as number[];
        return { height, width, channels };
      }
    }
    throw new Error(`${this.folder.source.label}: no variant has a saved model under checkpoints/`);
  }

  /** The map of `pixels` (cached under `imageId`) for a variant and explainer, with the bench's explainer options. */
  map(
    imageId: string,
    pixels: ImagePixels,
    variant: string,
    explainer: string,
  ): Promise<SaliencyMap> {
    const key = `${imageId}|${variant}|${explainer}`;
    if (!this.maps.has(key)) {
      this.maps.set(
        key,
        this.model(variant).then((model) => {
          if (!model) throw new Error(`${this.folder.source.label}: no saved model for ${variant}`);
          return saliencyMap(model, pixels, explainer, this.folder.explainerOptions[explainer]);
        }),
      );
    }
    return this.maps.get(key)!;
  }
}
