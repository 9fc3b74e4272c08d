/**
 * One answer as saved and exported, one per trial and question. `bench study
 * analyse` reads these (JSON or CSV); the field names are the contract.
 */
export interface StudyAnswer {
  study: string;
  participant: string;
  trial: number;
  image: number;
  explainer: string;
  question: string;
  design: 'likert' | 'pairwise';
  /** Likert: the one variant rated; pairwise: left and right, `|`-joined in CSV. */
  variants: string[];
  /** Likert: 1 … likertPoints. */
  rating?: number;
  /** Pairwise: the variant picked. */
  chosen?: string;
  /** Attention checks only: whether the asked-for answer was given. */
  attentionPassed?: boolean;
  /** Milliseconds from the trial's start to this answer's submission. */
  ms: number;
  /** ISO time of the submission. */
  at: string;
}

const CSV_FIELDS: Array<keyof StudyAnswer> = [
  'study',
  'participant',
  'trial',
  'image',
  'explainer',
  'question',
  'design',
  'variants',
  'rating',
  'chosen',
  'attentionPassed',
  'ms',
  'at',
];

/** RFC 4180 CSV of answers, one line each, variants joined with `|`. */
export function answersCsv(answers: StudyAnswer[]): string {
  const field = (value: unknown) => {
    const text = value === undefined ? '' : Array.isArray(value) ? value.join('|') : String(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return `${[CSV_FIELDS.join(','), ...answers.map((a) => CSV_FIELDS.map((k) => field(a[k])).join(','))].join('\n')}\n`;
}

/** Where a participant's answers live in the browser, so a closed tab loses nothing. */
export function storageKey(study: string, participant: string): string {
  return `trustgrad-study:${study}:${participant}`;
}
