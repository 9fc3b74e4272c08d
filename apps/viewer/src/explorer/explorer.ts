import type { ColormapName } from '@trustgrad/attribution';
import { MapCache } from '../explain/map-cache';
import type { SaliencyMap } from '../explain/saliency-map';
import { type ResultsFolder, rowVariant } from '../folder/results-folder';
import { decodeImage, greyLevels, type ImagePixels } from '../image/image-pixels';
import { el, formatNumber } from '../render/dom';
import { drawOverlay } from '../render/draw-overlay';

/** Colour scales offered: perceptually uniform, and cividis for red-green colour blindness. */
export const EXPLORER_COLORMAPS: ColormapName[] = ['viridis', 'cividis', 'inferno'];

interface ExplorerImage {
  id: string;
  label: string;
  pixels: ImagePixels;
}

/**
 * The explorer: pick an image (the folder's test images or one dropped in),
 * variants and explainers; each map is computed live from the variant's
 * saved model on the wasm backend and drawn over the image with an opacity
 * slider and a colour scale; clicking a pixel (or moving with the arrow keys
 * on a focused map) shows its value in every map; the image's own metrics and
 * the folder's results sit beside the maps.
 */
export async function startExplorer(root: HTMLElement, folder: ResultsFolder): Promise<void> {
  const cache = new MapCache(folder);
  const images: ExplorerImage[] = [];
  const state = {
    image: 0,
    variants: new Set(folder.variants),
    explainers: new Set(folder.explainers.slice(0, 1)),
    colormap: EXPLORER_COLORMAPS[0],
    opacity: 0.7,
    cursor: { row: 0, col: 0 },
  };

  const status = el(
    'p',
    { id: 'status', role: 'status', 'aria-live': 'polite' },
    'Loading models…',
  );
  const imageSelect = el('select', { id: 'image-select' }) as HTMLSelectElement;
  const variantBoxes = el('fieldset', { id: 'variant-choices' }, el('legend', {}, 'Variants'));
  const explainerBoxes = el(
    'fieldset',
    { id: 'explainer-choices' },
    el('legend', {}, 'Explainers'),
  );
  const colormapSelect = el('select', { id: 'colormap-select' }) as HTMLSelectElement;
  for (const name of EXPLORER_COLORMAPS) colormapSelect.append(el('option', { value: name }, name));
  const opacity = el('input', {
    id: 'opacity',
    type: 'range',
    min: '0',
    max: '100',
    value: String(state.opacity * 100),
  }) as HTMLInputElement;
  const fileInput = el('input', {
    id: 'image-file',
    type: 'file',
    accept: 'image/*',
  }) as HTMLInputElement;
  const dropZone = el(
    'div',
    { id: 'drop-zone', class: 'drop-zone' },
    'Drop an image here to explain it live, or choose a file: ',
    fileInput,
  );
  const mapGrid = el('section', { id: 'maps', 'aria-label': 'Saliency maps' });
  const readout = el('table', { id: 'pixel-readout' });
  const imageMetrics = el('table', { id: 'image-metrics' });
  const folderMetrics = el('table', { id: 'folder-metrics' });

  for (const [set, box, names] of [
    [state.variants, variantBoxes, folder.variants],
    [state.explainers, explainerBoxes, folder.explainers],
  ] as const) {
    for (const name of names) {
      const input = el('input', { type: 'checkbox', value: name }) as HTMLInputElement;
      input.checked = set.has(name);
      input.addEventListener('change', () => {
        if (input.checked) set.add(name);
        else set.delete(name);
        void render();
      });
      box.append(el('label', {}, input, ` ${name}`));
    }
  }

  root.replaceChildren(
    el('header', {}, el('h1', {}, `trustgrad explorer: ${folder.preset}`), status),
    el(
      'section',
      { id: 'controls', 'aria-label': 'What to show' },
      el('label', {}, 'Image ', imageSelect),
      variantBoxes,
      explainerBoxes,
      el('label', {}, 'Colour scale ', colormapSelect),
      el('label', {}, 'Map opacity ', opacity),
      dropZone,
    ),
    mapGrid,
    el(
      'aside',
      { id: 'details' },
      el('h2', {}, 'Selected pixel'),
      readout,
      el('h2', {}, 'Metrics of this image'),
      imageMetrics,
      el('h2', {}, 'Results of the folder (all test images)'),
      folderMetrics,
    ),
  );

  const addImage = (image: ExplorerImage) => {
    images.push(image);
    imageSelect.append(el('option', { value: String(images.length - 1) }, image.label));
  };

  const shape = await cache.inputShape();
  for (const [i, input] of folder.inputs.entries()) {
    const bytes = await folder.source.read(input.path);
    if (!bytes) continue;
    addImage({
      id: `input-${i}`,
      label: `${i}: ${input.label}`,
      pixels: await decodeImage(new Blob([bytes]), shape),
    });
  }

  const mapOf = (image: ExplorerImage, variant: string, explainer: string) =>
    cache.map(image.id, image.pixels, variant, explainer);

  let shown: Array<{
    variant: string;
    explainer: string;
    map: SaliencyMap;
    canvas: HTMLCanvasElement;
  }> = [];

  const draw = () => {
    const image = images[state.image];
    const grey = greyLevels(image.pixels);
    for (const item of shown) {
      drawOverlay(item.canvas, grey, item.map.values, item.map, {
        colormap: state.colormap,
        opacity: state.opacity,
        scale: Math.max(4, Math.floor(224 / item.map.width)),
        cursor: state.cursor,
      });
    }
    const { row, col } = state.cursor;
    readout.replaceChildren(
      el('caption', {}, `Pixel row ${row}, column ${col} of ${image.label}`),
      el('tr', {}, el('th', {}, 'variant'), el('th', {}, 'explainer'), el('th', {}, 'value')),
      ...shown.map((item) => {
        const value = item.map.values[row * item.map.width + col];
        return el(
          'tr',
          { 'data-variant': item.variant, 'data-explainer': item.explainer },
          el('td', {}, item.variant),
          el('td', {}, item.explainer),
          el('td', { class: 'value', 'data-value': String(value) }, formatNumber(value)),
        );
      }),
    );
  };

  const moveCursor = (row: number, col: number) => {
    const image = images[state.image].pixels;
    state.cursor = {
      row: Math.min(image.height - 1, Math.max(0, row)),
      col: Math.min(image.width - 1, Math.max(0, col)),
    };
    draw();
  };

  let rendering = 0;
  const render = async () => {
    const ticket = ++rendering;
    const image = images[state.image];
    const pairs = folder.variants
      .filter((v) => state.variants.has(v))
      .flatMap((variant) =>
        folder.explainers
          .filter((e) => state.explainers.has(e))
          .map((explainer) => ({ variant, explainer })),
      );
    status.textContent = `Explaining ${image.label} with ${pairs.length} map${pairs.length === 1 ? '' : 's'}…`;
    const computed = await Promise.all(
      pairs.map(async (pair) => ({
        ...pair,
        map: await mapOf(image, pair.variant, pair.explainer),
      })),
    );
    if (ticket !== rendering) return;
    shown = computed.map((item) => {
      const canvas = el('canvas', {
        tabindex: '0',
        role: 'img',
        'aria-label': describeMap(item.variant, item.explainer, image.label, item.map),
        'data-variant': item.variant,
        'data-explainer': item.explainer,
      }) as HTMLCanvasElement;
      canvas.addEventListener('click', (event) => {
        const box = canvas.getBoundingClientRect();
        moveCursor(
          Math.floor(((event.clientY - box.top) / box.height) * item.map.height),
          Math.floor(((event.clientX - box.left) / box.width) * item.map.width),
        );
      });
      canvas.addEventListener('keydown', (event) => {
        const step: Record<string, [number, number]> = {
          ArrowUp: [-1, 0],
          ArrowDown: [1, 0],
          ArrowLeft: [0, -1],
          ArrowRight: [0, 1],
        };
        const move = step[event.key];
        if (!move) return;
        event.preventDefault();
        moveCursor(state.cursor.row + move[0], state.cursor.col + move[1]);
      });
      return { ...item, canvas };
    });
    mapGrid.replaceChildren(
      ...shown.map((item) =>
        el(
          'figure',
          { class: 'map' },
          item.canvas,
          el(
            'figcaption',
            {},
            `${item.variant} · ${item.explainer} · Gini ${formatNumber(item.map.gini)}`,
          ),
        ),
      ),
    );
    imageMetrics.replaceChildren(
      el(
        'tr',
        {},
        ...['variant', 'explainer', 'Gini', 'predicted class', 'probability'].map((h) =>
          el('th', {}, h),
        ),
      ),
      ...shown.map((item) =>
        el(
          'tr',
          { 'data-variant': item.variant, 'data-explainer': item.explainer },
          el('td', {}, item.variant),
          el('td', {}, item.explainer),
          el(
            'td',
            { class: 'gini', 'data-value': String(item.map.gini) },
            formatNumber(item.map.gini),
          ),
          el('td', { class: 'predicted' }, String(item.map.predicted)),
          el('td', {}, formatNumber(item.map.probability)),
        ),
      ),
    );
    renderFolderMetrics();
    draw();
    status.textContent = `${image.label}: ${shown.length} map${shown.length === 1 ? '' : 's'} on the wasm backend`;
  };

  const renderFolderMetrics = () => {
    const rows = folder.rows.filter(
      (row) => state.variants.has(rowVariant(row)) && state.explainers.has(row.explainer),
    );
    const keys = [...new Set(rows.flatMap((row) => Object.keys(row.metrics)))];
    folderMetrics.replaceChildren(
      el(
        'tr',
        {},
        el('th', {}, 'variant'),
        el('th', {}, 'explainer'),
        ...keys.map((k) => el('th', {}, k)),
      ),
      ...rows.map((row) =>
        el(
          'tr',
          {},
          el('td', {}, rowVariant(row)),
          el('td', {}, row.explainer),
          ...keys.map((k) => {
            const ci = row.ci?.[k];
            const text = `${formatNumber(row.metrics[k])}${ci ? ` [${formatNumber(ci[0])}, ${formatNumber(ci[1])}]` : ''}`;
            return el('td', {}, text);
          }),
        ),
      ),
    );
  };

  imageSelect.addEventListener('change', () => {
    state.image = Number(imageSelect.value);
    void render();
  });
  colormapSelect.addEventListener('change', () => {
    state.colormap = colormapSelect.value as ColormapName;
    draw();
  });
  opacity.addEventListener('input', () => {
    state.opacity = Number(opacity.value) / 100;
    draw();
  });

  const explainFile = async (file: File) => {
    addImage({
      id: `dropped-${images.length}`,
      label: `dropped: ${file.name}`,
      pixels: await decodeImage(file, shape),
    });
    state.image = images.length - 1;
    imageSelect.value = String(state.image);
    await render();
  };
  fileInput.addEventListener('change', () => {
    if (fileInput.files?.[0]) void explainFile(fileInput.files[0]);
  });
  dropZone.addEventListener('dragover', (event) => {
    event.preventDefault();
    dropZone.classList.add('over');
  });
  dropZone.addEventListener('dragleave', () => dropZone.classList.remove('over'));
  dropZone.addEventListener('drop', (event) => {
    event.preventDefault();
    dropZone.classList.remove('over');
    const file = event.dataTransfer?.files[0];
    if (file) void explainFile(file);
  });

  await render();
}

/** Alt text of a map: what it is and where it is strongest, for a screen reader. */
function describeMap(variant: string, explainer: string, image: string, map: SaliencyMap): string {
  let peak = 0;
  for (let p = 1; p < map.values.length; p++)
    if (Math.abs(map.values[p]) > Math.abs(map.values[peak])) peak = p;
  const row = Math.floor(peak / map.width);
  const col = peak % map.width;
  return (
    `${explainer} saliency map of model ${variant} for image ${image}: strongest at row ${row}, column ${col}; ` +
    `Gini sparsity ${formatNumber(map.gini)}; predicted class ${map.predicted}`
  );
}
