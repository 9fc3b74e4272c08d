import { MapCache } from '../explain/map-cache';
import type { ResultsFolder } from '../folder/results-folder';
import { readJson } from '../folder/results-source';
import { decodeImage, greyLevels, type ImagePixels } from '../image/image-pixels';
import { el } from '../render/dom';
import { drawOverlay } from '../render/draw-overlay';
import { answersCsv, type StudyAnswer, storageKey } from './study-answers';
import { resolveStudyConfig } from './study-config';
import { type StudyTrial, studyPlan } from './study-plan';

const FIVE_POINTS = [
  'Strongly disagree',
  'Disagree',
  'Neither agree nor disagree',
  'Agree',
  'Strongly agree',
];
const SIDE_NAMES = ['Map A (left)', 'Map B (right)'];

/** The label of Likert point `value` (1-based) of a `points`-point scale. */
function likertLabel(value: number, points: number): string {
  if (points === 5) return `${value} – ${FIVE_POINTS[value - 1]}`;
  if (value === 1) return `${value} – strongly disagree`;
  if (value === points) return `${value} – strongly agree`;
  return String(value);
}

/**
 * A participant's run of a study (`?study=<id>&participant=<id>`): the
 * config from `study/<id>/study.json` in the results folder, the
 * participant's seeded, blinded plan (variant names never shown; maps are
 * "Map A"/"Map B"), one screen per trial with every question, answers saved
 * after each screen to localStorage and, when served by `bench serve`, to the
 * folder; a reload resumes where the participant stopped; at the end the
 * answers download as CSV or JSON.
 */
export async function startStudy(
  root: HTMLElement,
  folder: ResultsFolder,
  studyId: string,
  participant: string,
): Promise<void> {
  const given = await readJson<Record<string, unknown>>(
    folder.source,
    `study/${studyId}/study.json`,
  );
  if (!given) throw new Error(`${folder.source.label}: no study/${studyId}/study.json`);
  const config = resolveStudyConfig(given, {
    variants: folder.variants,
    explainers: folder.explainers,
    imageCount: folder.inputs.length,
  });
  const plan = studyPlan(config, participant);
  const cache = new MapCache(folder);
  const shape = await cache.inputShape();
  const images = new Map<number, ImagePixels>();
  const imageOf = async (i: number) => {
    if (!images.has(i)) {
      const bytes = await folder.source.read(folder.inputs[i].path);
      if (!bytes) throw new Error(`${folder.source.label}: ${folder.inputs[i].path} is missing`);
      images.set(i, await decodeImage(new Blob([bytes]), shape));
    }
    return images.get(i)!;
  };

  const key = storageKey(config.id, participant);
  const answers: StudyAnswer[] = JSON.parse(localStorage.getItem(key) ?? '[]');
  const saved = el('p', { id: 'saved', role: 'status', 'aria-live': 'polite' });
  const save = async () => {
    localStorage.setItem(key, JSON.stringify(answers));
    saved.textContent = `${answers.length} answers saved in this browser`;
    try {
      const response = await fetch('api/answers', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ study: config.id, participant, answers }),
      });
      if (response.ok)
        saved.textContent = `${answers.length} answers saved in this browser and on the server`;
    } catch {
      // Offline (a folder opened from disk): the browser copy and the export remain.
    }
  };

  const section = el('section', { class: 'study', id: 'study', 'aria-labelledby': 'study-title' });
  root.replaceChildren(section);

  const showTrial = async (trial: StudyTrial) => {
    const label = folder.inputs[trial.image].label;
    const pixels = await imageOf(trial.image);
    const grey = greyLevels(pixels);
    const figures = await Promise.all(
      trial.variants.map(async (variant, side) => {
        const map = await cache.map(`input-${trial.image}`, pixels, variant, trial.explainer);
        const name = trial.variants.length === 1 ? 'The map' : SIDE_NAMES[side];
        const canvas = el('canvas', {
          role: 'img',
          'aria-label': `${name}: a saliency map over the image of a ${label}; brighter means more important to the model`,
        }) as HTMLCanvasElement;
        drawOverlay(canvas, grey, map.values, map, {
          colormap: config.colormap,
          opacity: config.opacity,
          scale: Math.max(4, Math.floor(280 / map.width)),
        });
        return el('figure', { class: 'map' }, canvas, el('figcaption', {}, name));
      }),
    );
    const form = el('form', { id: 'trial-form' }) as HTMLFormElement;
    const questions =
      trial.attention === undefined
        ? config.questions.map((q) => ({ id: q.id, text: q.text.replaceAll('{label}', label) }))
        : [
            {
              id: 'attention',
              text:
                typeof trial.attention === 'number'
                  ? `Attention check: please choose “${likertLabel(trial.attention, config.likertPoints)}”.`
                  : `Attention check: please choose “${SIDE_NAMES[trial.attention === 'left' ? 0 : 1]}”.`,
            },
          ];
    for (const question of questions) {
      const options =
        config.design === 'likert'
          ? Array.from({ length: config.likertPoints }, (_, i) => ({
              value: String(i + 1),
              text: likertLabel(i + 1, config.likertPoints),
            }))
          : [
              { value: 'left', text: SIDE_NAMES[0] },
              { value: 'right', text: SIDE_NAMES[1] },
            ];
      form.append(
        el(
          'fieldset',
          { 'data-question': question.id },
          el('legend', {}, question.text),
          ...options.map((option) =>
            el(
              'label',
              {},
              el('input', { type: 'radio', name: question.id, value: option.value, required: '' }),
              ` ${option.text} `,
            ),
          ),
        ),
      );
    }
    const count = plan.length;
    form.append(
      el('button', { type: 'submit', id: 'next' }, trial.index + 1 === count ? 'Finish' : 'Next'),
    );
    const started = performance.now();
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const data = new FormData(form);
      const at = new Date().toISOString();
      const ms = Math.round(performance.now() - started);
      for (const question of questions) {
        const value = String(data.get(question.id));
        const answer: StudyAnswer = {
          study: config.id,
          participant,
          trial: trial.index,
          image: trial.image,
          explainer: trial.explainer,
          question: question.id,
          design: config.design,
          variants: trial.variants,
          ms,
          at,
        };
        if (config.design === 'likert') answer.rating = Number(value);
        else answer.chosen = trial.variants[value === 'left' ? 0 : 1];
        if (trial.attention !== undefined)
          answer.attentionPassed = value === String(trial.attention);
        answers.push(answer);
      }
      void save().then(next);
    });
    section.replaceChildren(
      el('h1', { id: 'study-title' }, config.title),
      el('p', { id: 'progress' }, `Screen ${trial.index + 1} of ${count}`),
      el('div', { class: 'pair' }, ...figures),
      form,
      saved,
    );
    (form.querySelector('input') as HTMLInputElement | null)?.focus();
  };

  const showDone = () => {
    const download = (id: string, text: string, type: string, name: string) =>
      el('a', { id, href: URL.createObjectURL(new Blob([text], { type })), download: name }, name);
    const base = `answers-${config.id}-${participant}`;
    section.replaceChildren(
      el('h1', { id: 'study-title' }, 'Thank you'),
      el('p', { id: 'progress' }, `All ${plan.length} screens answered.`),
      saved,
      el(
        'p',
        {},
        'Download your answers: ',
        download('download-csv', answersCsv(answers), 'text/csv', `${base}.csv`),
        ' ',
        download(
          'download-json',
          `${JSON.stringify(answers, null, 2)}\n`,
          'application/json',
          `${base}.json`,
        ),
      ),
    );
  };

  const next = () => {
    const done = new Set(answers.map((a) => a.trial));
    const trial = plan.find((t) => !done.has(t.index));
    return trial ? showTrial(trial) : showDone();
  };

  if (answers.length === 0) {
    const start = el('button', { type: 'button', id: 'start' }, 'Start');
    start.addEventListener('click', () => void next());
    section.replaceChildren(
      el('h1', { id: 'study-title' }, config.title),
      el(
        'p',
        {},
        `You will see ${plan.length} screens, each with ${config.design === 'likert' ? 'a saliency map' : 'two saliency maps'} ` +
          'over a small image. A saliency map shows which pixels the model relied on: brighter is more important. ' +
          (config.design === 'likert'
            ? 'Say how much you agree with each statement.'
            : 'For each question, pick the map that fits it better.') +
          ' Your answers are saved as you go; you can close the tab and come back to this link.',
      ),
      el('p', {}, `Participant ${participant}`),
      start,
    );
    start.focus();
  } else {
    await next();
  }
}
