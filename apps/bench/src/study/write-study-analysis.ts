import { dirname, join, resolve } from 'node:path';
import { writeAtomic } from '@trustgrad/core-tensor';
import { type AnalyseOptions, analyseStudy, studyMarkdown, studyPlotSvg } from './analyse-study';
import { readStudyAnswers } from './study-answers';

/**
 * `bench study analyse`: reads the answers (file or folder), writes
 * `analysis.json`, `analysis.md` and `analysis.svg` to `out` (default: the
 * folder holding the answers file or folder) and returns the Markdown.
 */
export async function writeStudyAnalysis(
  answersPath: string,
  out?: string,
  options: AnalyseOptions = {},
): Promise<{ markdown: string; files: string[] }> {
  const analysis = analyseStudy(readStudyAnswers(answersPath), options);
  // Beside the answers, not among them: a folder's analysis goes to its parent (study/<id>/), which a re-run does not read.
  const dir = resolve(out ?? dirname(resolve(answersPath)));
  const markdown = studyMarkdown(analysis);
  const files = [join(dir, 'analysis.json'), join(dir, 'analysis.md'), join(dir, 'analysis.svg')];
  writeAtomic(files[0], `${JSON.stringify(analysis, null, 2)}\n`);
  writeAtomic(files[1], markdown);
  writeAtomic(files[2], await studyPlotSvg(analysis));
  return { markdown, files };
}
