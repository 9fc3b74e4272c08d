import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { TrustgradError } from '../errors/trustgrad-error';
import { writeAtomic } from './write-atomic';

/** A saved model folder is missing or unreadable. */
export class ModelFileError extends TrustgradError {
  override name = 'ModelFileError';
}

const MODEL_JSON = 'model.json';
const WEIGHTS_BIN = 'weights.bin';

/**
 * A tfjs IO handler that saves to / loads from a folder on disk
 * (`model.json` + `weights.bin`), the same layout as tfjs-node's `file://`.
 * Each file is replaced atomically ({@link writeAtomic}: weights first, then
 * `model.json`), so a crash never leaves a half-written file; to replace a
 * whole model at once, save into a fresh folder and rename that.
 *
 * @example
 * await model.save(fileSystemIO('out/model'));
 * const again = await tf.loadLayersModel(fileSystemIO('out/model'));
 */
export function fileSystemIO(folder: string): tf.io.IOHandler {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      mkdirSync(folder, { recursive: true });
      const weightData = artifacts.weightData
        ? Buffer.from(tf.io.CompositeArrayBuffer.join(artifacts.weightData))
        : Buffer.alloc(0);
      const modelJson = {
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        modelTopology: artifacts.modelTopology,
        trainingConfig: artifacts.trainingConfig,
        userDefinedMetadata: artifacts.userDefinedMetadata,
        weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs ?? [] }],
      };
      writeAtomic(join(folder, WEIGHTS_BIN), weightData);
      writeAtomic(join(folder, MODEL_JSON), Buffer.from(JSON.stringify(modelJson)));
      return {
        modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts),
      };
    },
    async load(): Promise<tf.io.ModelArtifacts> {
      const jsonPath = join(folder, MODEL_JSON);
      if (!existsSync(jsonPath)) {
        throw new ModelFileError(
          `${jsonPath} does not exist; expected a folder written by model.save('file://${folder}')`,
        );
      }
      let modelJson: tf.io.ModelJSON;
      try {
        modelJson = JSON.parse(readFileSync(jsonPath, 'utf8'));
      } catch (error) {
        throw new ModelFileError(
          `${jsonPath} is not valid JSON (${(error as Error).message}); save the model again`,
        );
      }
      const specs: tf.io.WeightsManifestEntry[] = [];
      const buffers: Buffer[] = [];
      for (const group of modelJson.weightsManifest ?? []) {
        specs.push(...group.weights);
        for (const path of group.paths) {
          const weightsPath = join(folder, path);
          if (!existsSync(weightsPath)) {
            throw new ModelFileError(
              `${weightsPath} listed in ${jsonPath} is missing; save the model again`,
            );
          }
          buffers.push(readFileSync(weightsPath));
        }
      }
      const joined = Buffer.concat(buffers);
      const weightData = joined.buffer.slice(
        joined.byteOffset,
        joined.byteOffset + joined.byteLength,
      );
      return {
        modelTopology: modelJson.modelTopology,
        format: modelJson.format,
        generatedBy: modelJson.generatedBy,
        convertedBy: modelJson.convertedBy,
        trainingConfig: modelJson.trainingConfig,
        userDefinedMetadata: modelJson.userDefinedMetadata,
        weightSpecs: specs,
        weightData,
      };
    },
  };
}

let routersRegistered = false;

/**
 * Makes `model.save('file://dir')` and `tf.loadLayersModel('file://dir')` work
 * without tfjs-node. When tfjs-node is loaded its own handler answers instead.
 */
export function registerFileSystemRouters(): void {
  if (routersRegistered) return;
  routersRegistered = true;
  const router = ((url: string | string[]) => {
    if (Array.isArray(url) || !url.startsWith('file://')) return null;
    if (tf.findBackendFactory('tensorflow')) return null;
    return fileSystemIO(url.slice('file://'.length));
  }) as Parameters<typeof tf.io.registerSaveRouter>[0]; // tfjs treats a null answer as "not mine", its type just omits it
  tf.io.registerSaveRouter(router);
  tf.io.registerLoadRouter(router);
}
