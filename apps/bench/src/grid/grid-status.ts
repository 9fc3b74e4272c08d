import type { ProgressEvent } from '@trustgrad/core-tensor';
import { type Job, Queue } from 'bullmq';
import { GridError } from './grid-error';
import type { GridJobData } from './grid-jobs';
import { connectionFor, GRID_QUEUE } from './redis-connection';

const STATES = [
  'active',
  'waiting',
  'waiting-children',
  'prioritized',
  'delayed',
  'failed',
  'completed',
] as const;

/** One job of the grid as `bench status` shows it. */
export interface GridJobStatus {
  state: (typeof STATES)[number];
  id: string;
  /** e.g. `train 2/2 AT+FMS`. */
  stage: string;
  seed: number;
  out: string;
  /** The worker's last progress report (from the job's progress events). */
  progress?: ProgressEvent;
  worker?: string;
  failedReason?: string;
}

/** Every job of the grid with its state and last progress, by results folder, seed and variant. */
export async function gridJobs(url: string): Promise<GridJobStatus[]> {
  const queue = new Queue<GridJobData>(GRID_QUEUE, {
    connection: { ...connectionFor(url), enableOfflineQueue: false },
  });
  let lastError = '';
  queue.on('error', (error) => {
    lastError = error.message;
  });
  try {
    await Promise.race([
      queue.waitUntilReady(),
      new Promise((_, fail) =>
        setTimeout(
          () => fail(new GridError(`cannot reach Redis at ${url} (${lastError || 'no answer'})`)),
          10_000,
        ).unref(),
      ),
    ]);
    const rows: GridJobStatus[] = [];
    for (const state of STATES) {
      const jobs: Job<GridJobData>[] = await queue.getJobs([state]);
      for (const job of jobs) {
        if (!job?.data?.stage) continue;
        const progress =
          typeof job.progress === 'object' && job.progress && 'stage' in job.progress
            ? (job.progress as unknown as ProgressEvent)
            : undefined;
        rows.push({
          state,
          id: job.id!,
          stage: job.data.stage,
          seed: job.data.seed,
          out: job.data.out,
          ...(progress ? { progress } : {}),
          ...(job.processedBy ? { worker: job.processedBy } : {}),
          ...(job.failedReason ? { failedReason: job.failedReason } : {}),
        });
      }
    }
    return rows.sort(
      (a, b) =>
        a.out.localeCompare(b.out) ||
        a.seed - b.seed ||
        stageIndex(a.stage) - stageIndex(b.stage) ||
        a.stage.localeCompare(b.stage),
    );
  } finally {
    await queue.close().catch(() => {});
  }
}

/** `train 2/4 …` → 2, so a variant's train and evaluate rows sit together. */
function stageIndex(stage: string): number {
  return Number(/ (\d+)\//.exec(stage)?.[1] ?? 0);
}

/** The text of `bench status --queue`: counts by state, then one line per job with its progress. */
export function formatGridStatus(url: string, jobs: GridJobStatus[]): string {
  const counts = STATES.map((s) => [s, jobs.filter((j) => j.state === s).length] as const).filter(
    ([, n]) => n > 0,
  );
  const lines = [
    `grid ${url} (queue ${GRID_QUEUE}): ${jobs.length} jobs` +
      (counts.length ? ` — ${counts.map(([s, n]) => `${n} ${s}`).join(', ')}` : ''),
  ];
  let out = '';
  for (const job of jobs) {
    if (job.out !== out) {
      out = job.out;
      lines.push(`\n${out}`);
    }
    const p = job.progress;
    const pct = p?.total ? ` ${p.done}/${p.total} (${Math.floor((100 * p.done) / p.total)}%)` : '';
    const facts = p?.details
      ? ` ${Object.entries(p.details)
          .map(
            ([k, v]) => `${k} ${typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(3) : v}`,
          )
          .join('  ')}`
      : '';
    const now = job.state === 'active' && p ? `  [${p.stage}]${pct}${facts}` : '';
    const where = job.worker ? `  on ${job.worker}` : '';
    const why = job.failedReason ? `  — ${job.failedReason}` : '';
    lines.push(`  ${job.state.padEnd(16)} ${job.stage} seed ${job.seed}${now}${where}${why}`);
  }
  return lines.join('\n');
}
