/**
 * Where the viewer reads a results folder from: over HTTP (`bench serve`
 * serves it under `results/`) or from files the user picked (a folder chosen
 * with the file dialog, which works offline with no server).
 */
export interface ResultsSource {
  /** Shown in the page: the URL or the folder name. */
  label: string;
  /** The bytes of a file, by its path inside the results folder (`results.json`); null when absent. */
  read(path: string): Promise<ArrayBuffer | null>;
}

/** A results folder served over HTTP at `base` (a URL ending in `/`). */
export function httpSource(base: string): ResultsSource {
  const root = new URL(base, document.baseURI);
  return {
    label: root.href,
    async read(path) {
      const response = await fetch(new URL(path, root));
      return response.ok ? response.arrayBuffer() : null;
    },
  };
}

/**
 * A results folder the user picked (`<input type="file" webkitdirectory>`):
 * each file's `webkitRelativePath` starts with the folder's own name, dropped here.
 */
export function filesSource(files: ArrayLike<File>): ResultsSource {
  const byPath = new Map<string, File>();
  let folder = '';
  for (const file of Array.from(files)) {
    const relative = file.webkitRelativePath || file.name;
    const slash = relative.indexOf('/');
    if (slash > 0) folder = relative.slice(0, slash);
    byPath.set(slash > 0 ? relative.slice(slash + 1) : relative, file);
  }
  return {
    label: folder || 'picked files',
    async read(path) {
      const file = byPath.get(path);
      return file ? file.arrayBuffer() : null;
    },
  };
}

/** Reads a JSON file of the folder; null when absent. */
export async function readJson<T>(source: ResultsSource, path: string): Promise<T | null> {
  const bytes = await source.read(path);
  return bytes ? (JSON.parse(new TextDecoder().decode(bytes)) as T) : null;
}
