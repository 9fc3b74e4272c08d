import { describe, expect, it } from 'vitest';
import { formatGridStatus, type GridJobStatus } from './grid-status';

describe('formatGridStatus', () => {
  it('counts jobs by state and shows a running job with its last progress and worker', () => {
    const jobs: GridJobStatus[] = [
      {
        state: 'active',
        id: 'train-ST-1',
        stage: 'train 1/2 ST',
        seed: 0,
        out: '/shared/a',
        progress: {
          stage: 'train 1/2 ST',
          done: 6,
          total: 24,
          details: { loss: 2.25, epoch: '1/1' },
        },
        worker: 'gpu-1:42',
      },
      {
        state: 'waiting-children',
        id: 'evaluate-ST-1',
        stage: 'evaluate 1/2 ST',
        seed: 0,
        out: '/shared/a',
      },
      {
        state: 'failed',
        id: 'train-AT-1',
        stage: 'train 2/2 AT+FMS',
        seed: 0,
        out: '/shared/a',
        failedReason: 'out of memory',
      },
    ];
    expect(formatGridStatus('redis://h:1', jobs).split('\n')).toEqual([
      'grid redis://h:1 (queue trustgrad-grid): 3 jobs — 1 active, 1 waiting-children, 1 failed',
      '',
      '/shared/a',
      '  active           train 1/2 ST seed 0  [train 1/2 ST] 6/24 (25%) loss 2.250  epoch 1/1  on gpu-1:42',
      '  waiting-children evaluate 1/2 ST seed 0',
      '  failed           train 2/2 AT+FMS seed 0  — out of memory',
    ]);
    expect(formatGridStatus('redis://h:1', [])).toBe(
      'grid redis://h:1 (queue trustgrad-grid): 0 jobs',
    );
  });
});
