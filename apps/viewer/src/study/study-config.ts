import { InvalidOptionError, resolveOptions } from '@trustgrad/core-tensor';

/** One judgement a participant makes about a map (Likert) or a pair of maps (pairwise). */
export interface StudyQuestion {
  /** Key in the answers and the analysis (`sufficiency`, `trust`). */
  id: string;
  /** Likert: a statement to agree with; pairwise: a question answered by picking a map. `{label}` is the image's class. */
  text: string;
}

/**
 * A human study of saliency maps, as data (`<results>/study/<id>/study.json`).
 * Every key is optional but `id`; unknown keys are rejected.
 */
export interface StudyConfig {
  /** Folder name under `study/` and the key of saved answers: letters, digits, `-`, `_`. */
  id: string;
  /** Title shown to participants. */
  title: string;
  /** Variants compared (labels of the results folder). Default: all. */
  variants: string[];
  /** Explainers whose maps are shown. Default: the folder's first. */
  explainers: string[];
  /** Indices of the folder's test images used. Default: all. */
  images: number[];
  /** Trials per participant, attention checks not counted. */
  trials: number;
  /** `likert`: one map at a time, rated per question; `pairwise`: two variants side by side, one picked per question. */
  design: 'likert' | 'pairwise';
  /** Points of the Likert scale (5: strongly disagree … strongly agree). */
  likertPoints: number;
  /** Attention checks inserted at seeded positions; a failed one marks the participant in the answers. */
  attentionChecks: number;
  /** Seed of every participant's order and left/right placement (mixed with the participant id). */
  seed: number;
  /** The judgements asked; by default the FMS paper's two, sufficiency and trust. */
  questions: StudyQuestion[];
  /** Colour scale and opacity of the maps over their images. */
  colormap: 'viridis' | 'cividis' | 'inferno';
  opacity: number;
}

/**
 * The FMS paper's judgements (Xue et al., human study with 65 participants):
 * whether the highlighted region suffices to recognise the object, and
 * whether the explanation makes the model trustworthy. The wording here is
 * ours, phrased for both designs.
 */
export const PAPER_QUESTIONS: StudyQuestion[] = [
  {
    id: 'sufficiency',
    text: 'The highlighted region alone is enough to recognise the {label}.',
  },
  {
    id: 'trust',
    text: 'Given this explanation, I would trust the model that classified this image as {label}.',
  },
];

/** Defaults of {@link StudyConfig}; the keys are the accepted ones. */
export const STUDY_DEFAULTS: Readonly<
  Omit<StudyConfig, 'id' | 'variants' | 'explainers' | 'images'>
> = Object.freeze({
  title: 'Which explanations are convincing?',
  trials: 8,
  design: 'likert' as const,
  likertPoints: 5,
  attentionChecks: 1,
  seed: 0,
  questions: PAPER_QUESTIONS,
  colormap: 'viridis' as const,
  opacity: 0.6,
});

/** What the results folder offers a study: its variants, explainers and image count. */
export interface StudyMaterial {
  variants: string[];
  explainers: string[];
  imageCount: number;
}

/** Validates a study config against the folder and fills the defaults; errors name the key and the fix. */
export function resolveStudyConfig(
  given: Record<string, unknown>,
  material: StudyMaterial,
): StudyConfig {
  const { id, variants, explainers, images, ...rest } = given;
  const options = resolveOptions('study', STUDY_DEFAULTS, rest);
  if (typeof id !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(id)) {
    throw new InvalidOptionError(`study id "${String(id)}" must be 1–64 letters, digits, - or _`);
  }
  const pick = (key: string, value: unknown, known: string[], fallback: string[]): string[] => {
    const list = value === undefined ? fallback : value;
    if (!Array.isArray(list) || list.length === 0 || list.some((v) => !known.includes(v))) {
      throw new InvalidOptionError(
        `study ${key} ${JSON.stringify(value)}: use some of ${known.join(', ')}`,
      );
    }
    return list;
  };
  const config: StudyConfig = {
    id,
    ...options,
    variants: pick('variants', variants, material.variants, material.variants),
    explainers: pick(
      'explainers',
      explainers,
      material.explainers,
      material.explainers.slice(0, 1),
    ),
    images:
      (images as number[] | undefined) ?? Array.from({ length: material.imageCount }, (_, i) => i),
  };
  if (config.images.some((i) => !Number.isInteger(i) || i < 0 || i >= material.imageCount)) {
    throw new InvalidOptionError(
      `study images must be indices from 0 to ${material.imageCount - 1}`,
    );
  }
  if (config.design !== 'likert' && config.design !== 'pairwise') {
    throw new InvalidOptionError(`study design "${config.design}": use likert or pairwise`);
  }
  if (config.design === 'pairwise' && config.variants.length < 2) {
    throw new InvalidOptionError('a pairwise study needs at least two variants');
  }
  for (const question of config.questions) {
    if (
      !/^[A-Za-z0-9_-]{1,64}$/.test(String(question?.id)) ||
      question.id === 'attention' ||
      typeof question.text !== 'string'
    ) {
      throw new InvalidOptionError(
        `study question ${JSON.stringify(question)}: each is { id, text } with an id of letters, digits, - or _ ('attention' is reserved)`,
      );
    }
  }
  for (const [key, min] of [
    ['trials', 1],
    ['likertPoints', 2],
    ['attentionChecks', 0],
  ] as const) {
    if (!Number.isInteger(config[key]) || config[key] < min) {
      throw new InvalidOptionError(`study ${key} must be an integer ≥ ${min}, got ${config[key]}`);
    }
  }
  return config;
}
