import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootstrapMeanCi } from '@trustgrad/metrics';
import { describe, expect, it } from 'vitest';
import { analyseStudy, studyPlotSvg } from './analyse-study';
import { readStudyAnswers, type StudyAnswer, StudyAnswersError } from './study-answers';
import { writeStudyAnalysis } from './write-study-analysis';

let trial = 0;
const base = { study: 's', explainer: 'vg', image: 0, ms: 100, at: '2026-12-01T00:00:00Z' };
const likert = (
  participant: string,
  variant: string,
  rating: number,
  question = 'sufficiency',
): StudyAnswer => ({
  ...base,
  participant,
  trial: trial++,
  question,
  design: 'likert',
  variants: [variant],
  rating,
});
const pair = (participant: string, left: string, right: string, chosen: string): StudyAnswer => ({
  ...base,
  participant,
  trial: trial++,
  question: 'trust',
  design: 'pairwise',
  variants: [left, right],
  chosen,
});

describe('analyseStudy', () => {
  it('Likert: mean of participant means per variant, failed attention checks left out (hand-computed)', () => {
    const answers = [
      likert('p1', 'AT', 2),
      likert('p1', 'AT', 4),
      likert('p1', 'AT+FMS', 5),
      likert('p2', 'AT', 1),
      likert('p2', 'AT+FMS', 4),
      likert('p2', 'AT+FMS', 3),
      { ...likert('p2', 'AT', 4, 'attention'), attentionPassed: true },
      likert('p3', 'AT', 5),
      { ...likert('p3', 'AT', 2, 'attention'), attentionPassed: false },
    ];
    const analysis = analyseStudy(answers, { seed: 3 });
    expect(analysis.participants).toEqual(['p1', 'p2']);
    expect(analysis.excluded).toEqual(['p3']);
    expect(Object.keys(analysis.questions)).toEqual(['sufficiency']);
    const [at, fms] = analysis.questions.sufficiency;
    // p1: AT (2+4)/2 = 3, AT+FMS 5; p2: AT 1, AT+FMS (4+3)/2 = 3.5.
    expect(at).toMatchObject({ variant: 'AT', mean: 2, participants: 2, answers: 3 });
    expect(fms).toMatchObject({ variant: 'AT+FMS', mean: 4.25, participants: 2, answers: 3 });
    expect(at.ci).toEqual(bootstrapMeanCi([3, 1], { seed: 3, resamples: 2000 }).ci);
    expect(at.ci[0]).toBeGreaterThanOrEqual(1);
    expect(at.ci[1]).toBeLessThanOrEqual(3);
    expect(analyseStudy(answers, { seed: 3 })).toEqual(analysis);
  });

  it('pairwise: preference rate = share of its comparisons a variant won, per participant, then averaged', () => {
    const answers = [
      pair('p1', 'AT', 'AT+FMS', 'AT+FMS'),
      pair('p1', 'AT+FMS', 'AT', 'AT+FMS'),
      pair('p1', 'AT', 'AT+FMS', 'AT'),
      pair('p2', 'AT+FMS', 'AT', 'AT+FMS'),
    ];
    const { questions } = analyseStudy(answers);
    const rate = Object.fromEntries(questions.trust.map((s) => [s.variant, s.mean]));
    // p1: AT+FMS 2/3, AT 1/3; p2: AT+FMS 1, AT 0.
    expect(rate['AT+FMS']).toBeCloseTo((2 / 3 + 1) / 2, 12);
    expect(rate.AT).toBeCloseTo(1 / 6, 12);
  });

  it('refuses mixed studies and empty input', () => {
    expect(() => analyseStudy([])).toThrow(StudyAnswersError);
    expect(() =>
      analyseStudy([likert('p1', 'AT', 2), { ...likert('p2', 'AT', 2), study: 'other' }]),
    ).toThrow(/more than one study/);
  });
});

describe('readStudyAnswers and writeStudyAnalysis', () => {
  it('reads bench serve files, JSON and CSV exports alike, and writes the analysis beside them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'study-answers-'));
    const answersDir = join(dir, 'answers');
    mkdirSync(answersDir);
    const p1 = [likert('p1', 'AT', 2), likert('p1', 'AT+FMS', 5)];
    writeFileSync(
      join(answersDir, 'p1.json'),
      JSON.stringify({ study: 's', participant: 'p1', answers: p1 }),
    );
    writeFileSync(
      join(answersDir, 'p2.csv'),
      'study,participant,trial,image,explainer,question,design,variants,rating,chosen,attentionPassed,ms,at\n' +
        's,p2,0,1,vg,sufficiency,likert,AT,4,,,120,2026-12-01T00:00:01Z\n' +
        's,p2,1,1,vg,sufficiency,likert,"AT+FMS",1,,,90,2026-12-01T00:00:02Z\n',
    );
    const read = readStudyAnswers(answersDir);
    expect(read).toHaveLength(4);
    expect(read[2]).toMatchObject({ participant: 'p2', rating: 4, variants: ['AT'], image: 1 });
    const { markdown, files } = await writeStudyAnalysis(answersDir);
    expect(files[0]).toBe(join(dir, 'analysis.json'));
    // AT: p1 2, p2 4 → 3; AT+FMS: 5, 1 → 3.
    expect(markdown).toContain('| sufficiency | AT | 3.000 |');
    expect(JSON.parse(readFileSync(files[0], 'utf8')).questions.sufficiency[1].mean).toBe(3);
    const svg = readFileSync(files[2], 'utf8');
    expect(svg).toContain('<svg');
    expect(svg).toContain('mean rating');
    writeFileSync(join(answersDir, 'bad.json'), JSON.stringify([{ ...p1[0], rating: 'four' }]));
    expect(() => readStudyAnswers(answersDir)).toThrow(/bad\.json: answer 0: rating/);
  });

  it('plots one bar and one CI rule per variant and question', async () => {
    const answers = [
      likert('a', 'AT', 2),
      likert('a', 'AT+FMS', 4),
      likert('b', 'AT', 3),
      likert('b', 'AT', 1, 'trust'),
    ];
    const svg = await studyPlotSvg(analyseStudy(answers));
    const marks = (role: string) => svg.split(`aria-roledescription="${role}"`).length - 1;
    // sufficiency: AT, AT+FMS; trust: AT.
    expect(marks('bar')).toBe(3);
    expect(marks('rule mark')).toBe(3);
    expect(svg).toContain('aria-label="variant: AT+FMS; mean rating: 4"');
  });
});
