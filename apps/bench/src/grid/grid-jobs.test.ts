import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config';
import { variantCell } from '../run/variant-steps';
import { gridFlows, gridJobIds } from './grid-jobs';
import { GRID_QUEUE } from './redis-connection';

describe('gridFlows', () => {
  const config = loadConfig({ preset: 'smoke', set: ['seeds=[3,4]'] });

  it("one evaluate parent per (seed, variant) with its train child, in the local run's order", () => {
    const cells = gridFlows(config, '/shared/run', false);
    expect(cells.map((c) => [c.seed, c.index])).toEqual([
      [3, 0],
      [3, 1],
      [4, 0],
      [4, 1],
    ]);
    for (const cell of cells) {
      expect(cell.flow).toMatchObject({ name: 'evaluate', queueName: GRID_QUEUE });
      expect(cell.flow.opts?.jobId).toBe(cell.evaluateId);
      const [child] = cell.flow.children!;
      expect(child).toMatchObject({
        name: 'train',
        queueName: GRID_QUEUE,
        opts: { jobId: cell.trainId, failParentOnFailure: true },
      });
      expect(child.data).toEqual({ ...cell.flow.data, stage: child.data.stage });
      expect(cell.flow.data).toMatchObject({
        out: '/shared/run',
        seed: cell.seed,
        index: cell.index,
        resume: false,
      });
      expect(child.data.stage).toBe(variantCell(config, cell.seed, cell.index).stage('train'));
    }
    expect(cells[1].flow.data.stage).toBe('evaluate 2/2 AT+FMS seed 3');
  });

  it('job ids: the same settings give the same ids (a second coordinator queues nothing new); any change gives new ones', () => {
    const ids = gridJobIds(config, '/shared/run', 3, 1);
    expect(
      gridJobIds(loadConfig({ preset: 'smoke', set: ['seeds=[3,4]'] }), '/shared/run/', 3, 1),
    ).toEqual(ids);
    expect(ids.train).toMatch(/^train-AT-FMS-[0-9a-f]{12}-[0-9a-f]{16}$/);
    expect(ids.evaluate.replace(/^evaluate/, 'train')).toBe(ids.train);
    // BullMQ reserves ':' in custom ids.
    expect(ids.train).not.toContain(':');
    const others = [
      gridJobIds(config, '/shared/other', 3, 1),
      gridJobIds(config, '/shared/run', 4, 1),
      gridJobIds(config, '/shared/run', 3, 0),
      gridJobIds(
        loadConfig({ preset: 'smoke', set: ['seeds=[3,4]', 'evaluation.samples=16'] }),
        '/shared/run',
        3,
        1,
      ),
    ];
    for (const other of others) expect(other.evaluate).not.toBe(ids.evaluate);
  });
});
