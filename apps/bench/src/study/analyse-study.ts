import { bootstrapMeanCi } from '@trustgrad/metrics';
import { type VegaLiteSpec, vegaLiteSvg } from '../report/vega-svg';
import type { StudyAnswer } from './study-answers';
import { StudyAnswersError } from './study-answers';

/** One variant's figure for one question. */
export interface VariantScore {
  variant: string;
  /**
   * Likert: mean rating; pairwise: preference rate (share of its comparisons
   * in which it was picked). Each participant's own mean/rate first, then
   * the mean over participants, so each participant weighs the same.
   */
  mean: number;
  /** 95% percentile-bootstrap CI over participants (seeded). */
  ci: [number, number];
  participants: number;
  answers: number;
}

/** What `bench study analyse` reports. */
export interface StudyAnalysis {
  study: string;
  design: 'likert' | 'pairwise';
  /** Participants analysed (who passed every attention check). */
  participants: string[];
  /** Participants left out for a failed attention check. */
  excluded: string[];
  /** Per question, per variant (in order of first appearance). */
  questions: Record<string, VariantScore[]>;
  seed: number;
}

/** Options of {@link analyseStudy}. */
export interface AnalyseOptions {
  /** Seed of the bootstrap. Default 0. */
  seed?: number;
  /** Bootstrap resamples. Default 2000. */
  resamples?: number;
}

/**
 * Mean ratings (Likert) or preference rates (pairwise) per variant and
 * question, with bootstrap CIs over participants. Participants who failed
 * any attention check are left out (and listed); attention-check answers
 * are not judgements and are never counted.
 */
export function analyseStudy(answers: StudyAnswer[], options: AnalyseOptions = {}): StudyAnalysis {
  const { seed = 0, resamples = 2000 } = options;
  if (answers.length === 0) throw new StudyAnswersError('no answers to analyse');
  const studies = [...new Set(answers.map((a) => a.study))];
  const designs = [...new Set(answers.map((a) => a.design))];
  if (studies.length > 1 || designs.length > 1) {
    throw new StudyAnswersError(
      `answers of more than one study or design (${studies.join(', ')}; ${designs.join(', ')}): analyse each study's answers apart`,
    );
  }
  const failed = new Set(
    answers.filter((a) => a.attentionPassed === false).map((a) => a.participant),
  );
  const kept = answers.filter((a) => a.attentionPassed === undefined && !failed.has(a.participant));
  const participants = [...new Set(kept.map((a) => a.participant))];
  const design = designs[0];
  const questions: Record<string, VariantScore[]> = {};
  for (const question of [...new Set(kept.map((a) => a.question))]) {
    const ofQuestion = kept.filter((a) => a.question === question);
    const variants = [...new Set(ofQuestion.flatMap((a) => a.variants))];
    questions[question] = variants.map((variant) => {
      const involved = ofQuestion.filter((a) => a.variants.includes(variant));
      const perParticipant: number[] = [];
      for (const participant of participants) {
        const own = involved.filter((a) => a.participant === participant);
        if (own.length === 0) continue;
        const score = (a: StudyAnswer) =>
          design === 'likert' ? a.rating! : a.chosen === variant ? 1 : 0;
        perParticipant.push(own.reduce((sum, a) => sum + score(a), 0) / own.length);
      }
      const { mean, ci } = bootstrapMeanCi(perParticipant, { seed, resamples });
      return { variant, mean, ci, participants: perParticipant.length, answers: involved.length };
    });
  }
  return { study: studies[0], design, participants, excluded: [...failed], questions, seed };
}

/** The analysis as a Markdown table, one line per question × variant. */
export function studyMarkdown(analysis: StudyAnalysis): string {
  const what = analysis.design === 'likert' ? 'mean rating' : 'preference rate';
  const lines = [
    `# Study ${analysis.study} (${analysis.design})`,
    '',
    `${analysis.participants.length} participants analysed${analysis.excluded.length ? `; left out for a failed attention check: ${analysis.excluded.join(', ')}` : ''}. ` +
      `${what} per variant with a 95% bootstrap CI over participants (seed ${analysis.seed}).`,
    '',
    `| question | variant | ${what} | 95% CI | participants | answers |`,
    '|---|---|---:|---|---:|---:|',
  ];
  for (const [question, scores] of Object.entries(analysis.questions))
    for (const s of scores)
      lines.push(
        `| ${question} | ${s.variant} | ${s.mean.toFixed(3)} | [${s.ci[0].toFixed(3)}, ${s.ci[1].toFixed(3)}] | ${s.participants} | ${s.answers} |`,
      );
  return `${lines.join('\n')}\n`;
}

/** Bars per variant, one panel per question, with the CIs as error bars (Vega-Lite to SVG, no browser). */
export async function studyPlotSvg(analysis: StudyAnalysis): Promise<string> {
  const values = Object.entries(analysis.questions).flatMap(([question, scores]) =>
    scores.map((s) => ({
      question,
      variant: s.variant,
      mean: s.mean,
      low: s.ci[0],
      high: s.ci[1],
    })),
  );
  const title = analysis.design === 'likert' ? 'mean rating' : 'preference rate';
  const spec: VegaLiteSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    data: { values },
    facet: { column: { field: 'question', type: 'nominal', title: null } },
    spec: {
      width: 220,
      height: 220,
      layer: [
        {
          mark: { type: 'bar' },
          encoding: {
            x: { field: 'variant', type: 'nominal', title: null, sort: null },
            y: { field: 'mean', type: 'quantitative', title },
            color: { field: 'variant', type: 'nominal', legend: null },
          },
        },
        {
          mark: { type: 'rule', strokeWidth: 2 },
          encoding: {
            x: { field: 'variant', type: 'nominal', sort: null },
            y: { field: 'low', type: 'quantitative' },
            y2: { field: 'high' },
          },
        },
      ],
    },
  };
  return vegaLiteSvg(spec);
}
