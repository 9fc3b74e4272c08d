import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TrustgradError, writeAtomic } from '@trustgrad/core-tensor';

/** Options of {@link serveResults}. */
export interface ServeOptions {
  /** The results folder (written by `bench run`), served under `/results/`. */
  dir: string;
  /** The built viewer (apps/viewer/dist), served at `/`. Default: found beside the bench in the workspace. */
  viewerDir?: string;
  /** Port; 0 picks a free one. Default 4173. */
  port?: number;
  /** Interface to listen on. Default 127.0.0.1 (this machine only). */
  host?: string;
}

/** A running `bench serve`. */
export interface ServedResults {
  url: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.csv': 'text/csv; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.bin': 'application/octet-stream',
};

/** Study and participant ids become file names: letters, digits, `-` and `_` only. */
const ID = /^[A-Za-z0-9_-]{1,64}$/;
/** Largest answers upload accepted (a study's answers are a few kB). */
const MAX_BODY = 1 << 20;

/**
 * `bench serve <dir>`: serves the viewer at `/` and the results folder under
 * `/results/` (read-only, nothing outside it), and keeps study answers:
 * `POST /api/answers` with `{ study, participant, answers: [...] }` replaces
 * `<dir>/study/<study>/answers/<participant>.json` atomically, so a
 * participant's answers are saved as they go.
 */
export async function serveResults(options: ServeOptions): Promise<ServedResults> {
  const dir = resolve(options.dir);
  if (!existsSync(join(dir, 'results.json')) && !existsSync(join(dir, 'heatmaps', 'index.json'))) {
    throw new TrustgradError(
      `bench serve needs a results folder written by \`bench run\` (results.json, heatmaps/), got "${options.dir}"`,
    );
  }
  const viewerDir = resolve(options.viewerDir ?? findViewer());
  if (!existsSync(join(viewerDir, 'index.html'))) {
    throw new TrustgradError(
      `the viewer is not built at ${viewerDir}; run \`pnpm --filter @trustgrad/viewer build\` (or pass --viewer <dist folder>)`,
    );
  }
  const server = createServer((request, response) => {
    handle(request, response, dir, viewerDir).catch((error: Error) => {
      send(response, 500, 'text/plain; charset=utf-8', `${error.name}: ${error.message}`);
    });
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 4173, options.host ?? '127.0.0.1', done);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}/`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  dir: string,
  viewerDir: string,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const path = decodeURIComponent(url.pathname);
  if (path === '/api/answers') {
    if (request.method !== 'POST') return send(response, 405, 'text/plain', 'POST answers here');
    let body: { study?: string; participant?: string; answers?: unknown[] };
    try {
      body = JSON.parse(await readBody(request));
    } catch {
      return send(response, 400, 'text/plain; charset=utf-8', 'the body is not JSON');
    }
    if (
      !ID.test(body.study ?? '') ||
      !ID.test(body.participant ?? '') ||
      !Array.isArray(body.answers)
    ) {
      return send(
        response,
        400,
        'text/plain; charset=utf-8',
        'expected { study, participant, answers: [...] } with ids of letters, digits, - and _',
      );
    }
    const folder = join(dir, 'study', body.study!, 'answers');
    mkdirSync(folder, { recursive: true });
    writeAtomic(join(folder, `${body.participant}.json`), `${JSON.stringify(body, null, 2)}\n`);
    return send(response, 200, TYPES['.json'], JSON.stringify({ saved: body.answers.length }));
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return send(response, 405, 'text/plain', 'read-only');
  }
  const [base, relative] = path.startsWith('/results/')
    ? [dir, path.slice('/results/'.length)]
    : [viewerDir, path === '/' ? 'index.html' : path.slice(1)];
  const file = resolve(base, relative);
  // Nothing outside the two folders, whatever the path says (`..`, encoded slashes).
  if (file !== base && !file.startsWith(base + sep))
    return send(response, 403, 'text/plain', 'outside');
  if (!existsSync(file) || !statSync(file).isFile())
    return send(response, 404, 'text/plain', 'not found');
  send(response, 200, TYPES[extname(file)] ?? 'application/octet-stream', readFileSync(file));
}

function send(response: ServerResponse, status: number, type: string, body: string | Buffer): void {
  response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  response.end(body);
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        fail(new TrustgradError(`answers upload over ${MAX_BODY} bytes`));
        request.destroy();
      } else chunks.push(chunk);
    });
    request.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
    request.on('error', fail);
  });
}

/** The workspace's built viewer: apps/viewer/dist beside apps/bench, from src/ or dist/. */
function findViewer(): string {
  let at = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 5; up++) {
    const candidate = join(at, 'viewer', 'dist');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
    at = dirname(at);
  }
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'viewer', 'dist');
}
