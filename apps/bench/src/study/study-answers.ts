import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { TrustgradError } from '@trustgrad/core-tensor';
import { z } from 'zod';

/** The answers contract of the viewer's study mode (apps/viewer/src/study/study-answers.ts), checked at the edge. */
export const studyAnswerSchema = z.object({
  study: z.string(),
  participant: z.string(),
  trial: z.number().int().nonnegative(),
  image: z.number().int().nonnegative(),
  explainer: z.string(),
  question: z.string(),
  design: z.enum(['likert', 'pairwise']),
  variants: z.array(z.string()).min(1).max(2),
  rating: z.number().optional(),
  chosen: z.string().optional(),
  attentionPassed: z.boolean().optional(),
  ms: z.number(),
  at: z.string(),
});

export type StudyAnswer = z.infer<typeof studyAnswerSchema>;

/** Study answers that cannot be read: names the file and the field. */
export class StudyAnswersError extends TrustgradError {
  override name = 'StudyAnswersError';
}

/**
 * Reads study answers from a file or a folder: the viewer's JSON export (an
 * array), what `bench serve` saves (`{ study, participant, answers }`, one file
 * per participant in `study/<id>/answers/`) or the CSV export.
 */
export function readStudyAnswers(path: string): StudyAnswer[] {
  if (!existsSync(path))
    throw new StudyAnswersError(`${path}: no such file or folder of study answers`);
  const files = statSync(path).isDirectory()
    ? readdirSync(path)
        .filter((f) => ['.json', '.csv'].includes(extname(f)))
        .sort()
        .map((f) => join(path, f))
    : [path];
  if (files.length === 0) throw new StudyAnswersError(`${path}: holds no .json or .csv answers`);
  return files.flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    const raw = extname(file) === '.csv' ? csvAnswers(text) : jsonAnswers(text);
    return raw.map((answer, i) => {
      const parsed = studyAnswerSchema.safeParse(answer);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new StudyAnswersError(
          `${file}: answer ${i}: ${issue.path.join('.') || 'answer'}: ${issue.message}`,
        );
      }
      return parsed.data;
    });
  });
}

function jsonAnswers(text: string): unknown[] {
  const data = JSON.parse(text) as unknown;
  if (Array.isArray(data)) return data;
  const answers = (data as { answers?: unknown }).answers;
  if (Array.isArray(answers)) return answers;
  throw new StudyAnswersError(
    'expected an array of answers or { study, participant, answers: [...] }',
  );
}

/** The viewer's CSV export back to answers (RFC 4180 quoting; variants `|`-joined; empty = absent). */
function csvAnswers(text: string): unknown[] {
  const rows = parseCsv(text);
  const [header, ...lines] = rows;
  const numbers = new Set(['trial', 'image', 'rating', 'ms']);
  return lines
    .filter((line) => line.length > 1 || line[0] !== '')
    .map((line) => {
      const answer: Record<string, unknown> = {};
      header.forEach((name, i) => {
        const value = line[i] ?? '';
        if (value === '') return;
        if (name === 'variants') answer[name] = value.split('|');
        else if (name === 'attentionPassed') answer[name] = value === 'true';
        else answer[name] = numbers.has(name) ? Number(value) : value;
      });
      return answer;
    });
}

function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) rows.push([...row, field]);
  return rows;
}
