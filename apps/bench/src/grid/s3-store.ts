import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { InvalidOptionError, optionalDependency } from '@trustgrad/core-tensor';
import type { ArtefactStore, StoredOutcome } from './artefact-store';

type S3Module = typeof import('@aws-sdk/client-s3');
const loadS3 = optionalDependency<S3Module>(
  '@aws-sdk/client-s3',
  "the grid's S3 store (--store s3://…)",
  () => import('@aws-sdk/client-s3'),
);

/** This process's scratch folder for S3 stores; a worker removes it when it stops. */
export function scratchRoot(): string {
  return join(tmpdir(), `trustgrad-grid-${process.pid}`);
}

/** A parsed `s3://bucket/prefix?endpoint=…&region=…` store URL. */
export interface S3Location {
  bucket: string;
  /** Key prefix without a trailing slash, '' for the bucket's root. */
  prefix: string;
  /** An S3-compatible server (MinIO, s3rver, Ceph): path-style requests to it. Absent: AWS. */
  endpoint?: string;
  region: string;
}

/**
 * Reads `s3://bucket[/prefix][?endpoint=http://host:9000][&region=eu-west-1]`.
 * Credentials come the AWS SDK's usual way (AWS_ACCESS_KEY_ID and
 * AWS_SECRET_ACCESS_KEY, a profile, an instance role).
 */
export function parseS3Url(url: string): S3Location {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidOptionError(`--store "${url}" is not a URL; expected s3://bucket/prefix`);
  }
  if (parsed.protocol !== 's3:' || !parsed.hostname)
    throw new InvalidOptionError(
      `--store "${url}": expected s3://bucket/prefix[?endpoint=http://host:port] (the default store is the --out folder)`,
    );
  for (const key of parsed.searchParams.keys())
    if (key !== 'endpoint' && key !== 'region')
      throw new InvalidOptionError(
        `--store "${url}": unknown parameter "${key}"; known: endpoint, region`,
      );
  const endpoint = parsed.searchParams.get('endpoint') ?? undefined;
  return {
    bucket: parsed.hostname,
    prefix: parsed.pathname.replace(/^\/+|\/+$/g, ''),
    ...(endpoint ? { endpoint } : {}),
    region: parsed.searchParams.get('region') ?? process.env.AWS_REGION ?? 'us-east-1',
  };
}

/**
 * The grid's S3-compatible object store. Each worker process works in its own
 * scratch folder (`<tmpdir>/trustgrad-grid-<pid>/<store hash>`); before a job it
 * downloads the cell's `checkpoints/<key>/`, during training it uploads each
 * new checkpoint (its files first, `latest.json` last, so a worker taking the
 * job over never sees a pointer to a half-uploaded checkpoint; then the ones the
 * trainer pruned are deleted from the bucket), and after the
 * job the trained model, heatmaps and outcome. The coordinator reads outcomes
 * and, at the end, downloads the heatmaps into its results folder.
 */
export class S3Store implements ArtefactStore {
  readonly localRoot: string;
  private readonly location: S3Location;
  private client:
    | Promise<{ s3: S3Module; send: (command: unknown) => Promise<unknown> }>
    | undefined;
  /** Files already uploaded, with the size and mtime they had. */
  private readonly pushed = new Map<string, string>();

  constructor(
    readonly url: string,
    localRoot?: string,
  ) {
    this.location = parseS3Url(url);
    const hash = createHash('sha256').update(url).digest('hex').slice(0, 12);
    this.localRoot = localRoot ?? join(scratchRoot(), hash);
  }

  private connect() {
    this.client ??= loadS3().then((s3) => {
      const { endpoint, region } = this.location;
      const client = new s3.S3Client({
        region,
        ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
      });
      return { s3, send: (command: unknown) => client.send(command as never) };
    });
    return this.client;
  }

  private key(path: string): string {
    return this.location.prefix ? `${this.location.prefix}/${path}` : path;
  }

  private async put(path: string, body: Uint8Array | string): Promise<void> {
    const { s3, send } = await this.connect();
    await send(
      new s3.PutObjectCommand({ Bucket: this.location.bucket, Key: this.key(path), Body: body }),
    );
  }

  private async get(path: string): Promise<Uint8Array | null> {
    const { s3, send } = await this.connect();
    try {
      const object = (await send(
        new s3.GetObjectCommand({ Bucket: this.location.bucket, Key: this.key(path) }),
      )) as { Body: { transformToByteArray(): Promise<Uint8Array> } };
      return await object.Body.transformToByteArray();
    } catch (error) {
      if ((error as Error).name === 'NoSuchKey') return null;
      throw error;
    }
  }

  /** Store paths (relative to the prefix) under `folder/`. */
  private async list(folder: string): Promise<string[]> {
    const { s3, send } = await this.connect();
    const paths: string[] = [];
    let token: string | undefined;
    do {
      const page = (await send(
        new s3.ListObjectsV2Command({
          Bucket: this.location.bucket,
          Prefix: this.key(`${folder}/`),
          ...(token ? { ContinuationToken: token } : {}),
        }),
      )) as {
        Contents?: { Key?: string }[];
        NextContinuationToken?: string;
        IsTruncated?: boolean;
      };
      for (const item of page.Contents ?? [])
        if (item.Key)
          paths.push(
            this.location.prefix ? item.Key.slice(this.location.prefix.length + 1) : item.Key,
          );
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return paths;
  }

  private async download(paths: string[], into: string): Promise<void> {
    for (const path of paths) {
      const bytes = await this.get(path);
      if (!bytes) continue;
      mkdirSync(dirname(join(into, path)), { recursive: true });
      writeFileSync(join(into, path), bytes);
    }
  }

  async pullCheckpoints(key: string): Promise<void> {
    const folder = `checkpoints/${key}`;
    // The bucket is the truth: a scratch copy left by an earlier job of this process may be older or newer.
    rmSync(join(this.localRoot, folder), { recursive: true, force: true });
    const paths = await this.list(folder);
    const latest = paths.filter((p) => p.endsWith('/steps/latest.json'));
    // Pointers last, as they were uploaded.
    await this.download([...paths.filter((p) => !latest.includes(p)), ...latest], this.localRoot);
    for (const path of paths) this.remember(path);
    for (const path of latest) dropDanglingPointer(join(this.localRoot, path));
  }

  async pushCheckpoints(key: string): Promise<void> {
    const root = join(this.localRoot, 'checkpoints', key);
    if (!existsSync(root)) return;
    const steps = join(root, 'steps');
    const latestPath = join(steps, 'latest.json');
    // A snapshot of the pointer: the trainer may move it on (and prune older checkpoints) while this uploads.
    const latest = existsSync(latestPath) ? readFileSync(latestPath) : null;
    const named = latest ? checkpointNamed(latest) : null;
    // Only the live checkpoint, its files in parallel: the uploads finish while training yields between steps.
    if (named && existsSync(join(steps, named)))
      await Promise.all(filesUnder(join(steps, named)).map((file) => this.pushFile(file)));
    // The pointer goes up only once every file of the checkpoint it names has.
    if (latest && named && this.uploaded(steps, latest)) {
      await this.put(relative(this.localRoot, latestPath), latest);
      await this.prunePushed(steps, named);
    }
    const final = join(root, 'final');
    if (existsSync(join(root, 'done.json')) && existsSync(final)) {
      await Promise.all(filesUnder(final).map((file) => this.pushFile(file)));
      // done.json last: it marks the model finished.
      await this.pushFile(join(root, 'done.json'));
    }
  }

  /** Uploads one file unless it went up unchanged already; a file the trainer pruned meanwhile is skipped. */
  private async pushFile(file: string): Promise<void> {
    const path = relative(this.localRoot, file);
    let bytes: Buffer;
    let stamp: string;
    try {
      const stat = statSync(file);
      stamp = `${stat.size}:${stat.mtimeMs}`;
      if (this.pushed.get(path) === stamp) return;
      bytes = readFileSync(file);
    } catch {
      return;
    }
    await this.put(path, bytes);
    this.pushed.set(path, stamp);
  }

  /**
   * Deletes from the bucket the checkpoints the trainer pruned locally (it keeps
   * the newest few), once the pointer names a newer one: the bucket holds what
   * the local folder holds, not every checkpoint of the run. The one the
   * uploaded pointer names is never deleted, even if the trainer moved on.
   */
  private async prunePushed(steps: string, live: string): Promise<void> {
    const prefix = `${relative(this.localRoot, steps)}/`;
    const gone = [...this.pushed.keys()].filter((path) => {
      if (!path.startsWith(prefix)) return false;
      // Files inside a step folder (not latest.json beside them) whose folder is gone locally.
      const folder = path.slice(prefix.length).split('/');
      return folder.length > 1 && folder[0] !== live && !existsSync(join(steps, folder[0]));
    });
    if (gone.length === 0) return;
    const { s3, send } = await this.connect();
    // DeleteObjects takes at most 1000 keys a request.
    for (let i = 0; i < gone.length; i += 1000) {
      const batch = gone.slice(i, i + 1000);
      await send(
        new s3.DeleteObjectsCommand({
          Bucket: this.location.bucket,
          Delete: { Objects: batch.map((path) => ({ Key: this.key(path) })), Quiet: true },
        }),
      );
      for (const path of batch) this.pushed.delete(path);
    }
  }

  /** Whether the checkpoint a `latest.json` snapshot names is uploaded whole (its manifest and every file it lists). */
  private uploaded(steps: string, latest: Buffer): boolean {
    try {
      const folder = join(steps, checkpointNamed(latest)!);
      const manifest = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8')) as {
        files: Record<string, unknown>;
      };
      return ['manifest.json', ...Object.keys(manifest.files)].every((file) =>
        this.pushed.has(relative(this.localRoot, join(folder, file))),
      );
    } catch {
      return false;
    }
  }

  private remember(path: string): void {
    try {
      const stat = statSync(join(this.localRoot, path));
      this.pushed.set(path, `${stat.size}:${stat.mtimeMs}`);
    } catch {
      // Not downloaded (removed meanwhile): uploaded again if it appears.
    }
  }

  async writeOutcome(jobId: string, stored: StoredOutcome): Promise<void> {
    for (const files of Object.values(stored.outcome.heatmapFiles))
      for (const file of files) await this.pushFile(join(this.localRoot, file));
    // The outcome last: its presence means the heatmaps are there.
    await this.put(`grid/${jobId}.json`, JSON.stringify(stored));
  }

  async readOutcome(jobId: string): Promise<StoredOutcome | null> {
    const bytes = await this.get(`grid/${jobId}.json`);
    return bytes ? (JSON.parse(Buffer.from(bytes).toString('utf8')) as StoredOutcome) : null;
  }

  async pullHeatmaps(keys: string[], into: string): Promise<void> {
    const paths = await this.list('heatmaps');
    await this.download(
      paths.filter((p) => keys.some((key) => p.startsWith(`heatmaps/${key}_`))),
      into,
    );
  }
}

/** The checkpoint folder a `latest.json` names, or null when it is unreadable. */
function checkpointNamed(latest: Buffer): string | null {
  try {
    const { checkpoint } = JSON.parse(latest.toString('utf8')) as { checkpoint?: unknown };
    return typeof checkpoint === 'string' && !checkpoint.includes('/') ? checkpoint : null;
  } catch {
    return null;
  }
}

/**
 * Removes a downloaded `latest.json` whose checkpoint lacks a file its
 * manifest lists (an upload cut short by a killed worker): the trainer then
 * resumes from the newest intact checkpoint, or starts over, instead of
 * finding the pointer's name taken when it saves that step again.
 */
function dropDanglingPointer(latestPath: string): void {
  try {
    const { checkpoint } = JSON.parse(readFileSync(latestPath, 'utf8')) as { checkpoint: string };
    const folder = join(dirname(latestPath), checkpoint);
    const manifest = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8')) as {
      files: Record<string, unknown>;
    };
    if (Object.keys(manifest.files).every((file) => existsSync(join(folder, file)))) return;
  } catch {
    // Unreadable pointer or manifest: dangling too.
  }
  rmSync(latestPath, { force: true });
}

function filesUnder(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    // Half-written temps of an atomic write are not artefacts.
    if (entry.name.includes('.tmp')) continue;
    if (entry.isDirectory()) files.push(...filesUnder(path));
    else files.push(path);
  }
  return files;
}
