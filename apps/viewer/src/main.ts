import { startWasm } from './backend/start-wasm';
import { startExplorer } from './explorer/explorer';
import { openResultsFolder } from './folder/results-folder';
import { filesSource, httpSource, type ResultsSource } from './folder/results-source';
import { el } from './render/dom';
import { startStudy } from './study/study-page';

/**
 * The viewer's entry. `?results=<url>` names the results folder (default
 * `results/`, where `bench serve` puts it); without one, the page asks for a
 * folder to open from disk. `?study=<id>` runs that study for
 * `&participant=<id>` (a new id is made and put in the link when absent).
 */
async function main(): Promise<void> {
  const root = document.getElementById('app')!;
  const params = new URLSearchParams(location.search);
  await startWasm();
  const open = async (source: ResultsSource) => {
    try {
      const folder = await openResultsFolder(source);
      const study = params.get('study');
      if (study) {
        let participant = params.get('participant');
        if (!participant) {
          // getRandomValues, not randomUUID: participants may reach `bench serve --host` over plain http.
          participant = Array.from(crypto.getRandomValues(new Uint8Array(4)), (b) =>
            b.toString(16).padStart(2, '0'),
          ).join('');
          params.set('participant', participant);
          history.replaceState(null, '', `?${params}`);
        }
        await startStudy(root, folder, study, participant);
      } else {
        await startExplorer(root, folder);
      }
    } catch (error) {
      showPicker(root, open, (error as Error).message);
    }
  };
  await open(httpSource(params.get('results') ?? 'results/'));
}

/** Offline use: pick a results folder from disk. */
function showPicker(
  root: HTMLElement,
  open: (source: ResultsSource) => Promise<void>,
  why: string,
): void {
  const input = el('input', {
    id: 'open-folder',
    type: 'file',
    webkitdirectory: '',
    multiple: '',
  }) as HTMLInputElement;
  input.addEventListener('change', () => {
    if (input.files?.length) void open(filesSource(input.files));
  });
  root.replaceChildren(
    el(
      'header',
      {},
      el('h1', {}, 'trustgrad viewer'),
      el('p', { id: 'status', role: 'status' }, why),
    ),
    el('label', {}, 'Open a results folder (written by bench run): ', input),
  );
}

main().catch((error: Error) => {
  document
    .getElementById('app')!
    .replaceChildren(el('p', { id: 'status', role: 'alert' }, `${error.name}: ${error.message}`));
});
