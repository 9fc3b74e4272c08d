import { InvalidOptionError } from '@trustgrad/core-tensor';
import { describe, expect, it } from 'vitest';
import { parseS3Url, S3Store } from './s3-store';

describe('parseS3Url', () => {
  it('reads bucket, prefix, endpoint and region', () => {
    expect(
      parseS3Url('s3://grid/runs/fmnist/?endpoint=http://10.0.0.2:9000&region=eu-west-1'),
    ).toEqual({
      bucket: 'grid',
      prefix: 'runs/fmnist',
      endpoint: 'http://10.0.0.2:9000',
      region: 'eu-west-1',
    });
    expect(parseS3Url('s3://grid')).toMatchObject({ bucket: 'grid', prefix: '' });
    expect(parseS3Url('s3://grid').endpoint).toBeUndefined();
  });

  it('rejects other schemes, a missing bucket and unknown parameters', () => {
    expect(() => parseS3Url('https://grid/x')).toThrow(InvalidOptionError);
    expect(() => parseS3Url('s3:///x')).toThrow(/expected s3:\/\/bucket\/prefix/);
    expect(() => parseS3Url('s3://grid?endpont=http://h')).toThrow(
      /unknown parameter "endpont"; known: endpoint, region/,
    );
  });

  it('gives each worker process its own scratch folder per store', () => {
    const a = new S3Store('s3://grid/a');
    expect(a.localRoot).toContain(`trustgrad-grid-${process.pid}`);
    expect(new S3Store('s3://grid/a').localRoot).toBe(a.localRoot);
    expect(new S3Store('s3://grid/b').localRoot).not.toBe(a.localRoot);
  });
});
