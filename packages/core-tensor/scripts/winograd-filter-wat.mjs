/**
 * Writes the WAT of `winogradFilterTransform`, the filter-side transform `U = G g Gᵀ` of
 * Winograd F(2×2, 3×3) and F(4×4, 3×3) for the conv-fma module (`conv-fma-wat.mjs`
 * includes it). It computes in float64 exactly the operations, in the same order, of
 * `src/kernels/wasm/winograd-filter-transforms.ts`'s `winogradFilter` (which stays the
 * reference and the fallback), each value rounded once to float32: bit-identical to it,
 * without JavaScript's per-filter overhead (a 64 × 64-channel F(4×4) transform took
 * 0.58 ms there). Generated because the two transforms are 48 and 72 straight-line
 * assignments.
 */

const get = (name) => `(local.get $${name})`;
const range = (n) => [...Array(n).keys()];
const half = (e) => `(f64.mul (f64.const 0.5) ${e})`;

/** F(2×2, 3×3): `[x0, x1, x2] Gᵀ` with `G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1]`, as `gTimes`. */
function g2(x0, x1, x2, names) {
  return [
    [names[0], get(x0)],
    [names[1], half(`(f64.add (f64.add ${get(x0)} ${get(x1)}) ${get(x2)})`)],
    [names[2], half(`(f64.add (f64.sub ${get(x0)} ${get(x1)}) ${get(x2)})`)],
    [names[3], get(x2)],
  ];
}

/** F(4×4, 3×3): `[x0, x1, x2] Gᵀ` as `g4Times` (`even = x0 + x2`, `quarter = x0/24 + x2/6`). */
function g4(x0, x1, x2, names) {
  const even = `(f64.add ${get(x0)} ${get(x2)})`;
  const quarter = `(f64.add (f64.div ${get(x0)} (f64.const 24)) (f64.div ${get(x2)} (f64.const 6)))`;
  return [
    [names[0], `(f64.div ${get(x0)} (f64.const 4))`],
    [names[1], `(f64.div (f64.neg (f64.add ${even} ${get(x1)})) (f64.const 6))`],
    [names[2], `(f64.div (f64.neg (f64.sub ${even} ${get(x1)})) (f64.const 6))`],
    [names[3], `(f64.add ${quarter} (f64.div ${get(x1)} (f64.const 12)))`],
    [names[4], `(f64.sub ${quarter} (f64.div ${get(x1)} (f64.const 12)))`],
    [names[5], get(x2)],
  ];
}

/** `G g Gᵀ` for one filter (`g0…g8` row-major) into `u0…u(n²−1)`, through `r…` = `G g` by columns. */
function assignments(tile) {
  const out = [];
  if (tile === 2) {
    // transform2x2: rows[b], rows[3 + b], rows[6 + b], rows[9 + b] = G g's column b; then each row · Gᵀ.
    for (const b of range(3)) {
      for (const [name, e] of g2(
        `g${b}`,
        `g${3 + b}`,
        `g${6 + b}`,
        [0, 3, 6, 9].map((k) => `r${k + b}`),
      ))
        out.push([name, e]);
    }
    for (const row of range(4)) {
      out.push(
        ...g2(
          `r${3 * row}`,
          `r${3 * row + 1}`,
          `r${3 * row + 2}`,
          range(4).map((k) => `u${4 * row + k}`),
        ),
      );
    }
  } else {
    // transform4x4: columns[6b + k] = (G g)[k, b]; then row k of G g times Gᵀ.
    for (const b of range(3))
      out.push(
        ...g4(
          `g${b}`,
          `g${3 + b}`,
          `g${6 + b}`,
          range(6).map((k) => `r${6 * b + k}`),
        ),
      );
    for (const row of range(6)) {
      out.push(
        ...g4(
          `r${row}`,
          `r${6 + row}`,
          `r${12 + row}`,
          range(6).map((k) => `u${6 * row + k}`),
        ),
      );
    }
  }
  return out;
}

/** One filter: its 9 taps from `s` (256 floats apart), its planes to `d` (256 floats apart). */
function filterBody(tile) {
  const planes = (tile + 2) ** 2;
  return [
    ...range(9).map(
      (t) => `(local.set $g${t} (f64.promote_f32 (f32.load offset=${1024 * t} ${get('s')})))`,
    ),
    ...assignments(tile).map(([name, e]) => `(local.set $${name} ${e})`),
    ...range(planes).map(
      (p) => `(f32.store offset=${1024 * p} ${get('d')} (f32.demote_f64 ${get(`u${p}`)}))`,
    ),
  ].join('\n              ');
}

/** The function's text (no memory import: the conv-fma module's). */
export function winogradFilterWat() {
  const locals = [
    ...range(9).map((t) => `(local $g${t} f64)`),
    ...range(18).map((k) => `(local $r${k} f64)`),
    ...range(36).map((k) => `(local $u${k} f64)`),
  ].join(' ');
  return `
  ;; U[p, i, o] = (G g_(i,o) Gᵀ)[p], the filter transform of Winograd F(2×2, 3×3) (tile 2, 16
  ;; planes) or F(4×4, 3×3) (tile 4, 36 planes): g_(i,o)[t] = src[T(t) + i·inStride + o·outStride]
  ;; (floats; T(t) = t·tapFloats, or (8 − t)·tapFloats with \`reverse\`: the filter rotated 180°),
  ;; U at dst as [planes, targetInC, outC], rows inC ≤ i < targetInC zero. Float64 arithmetic as
  ;; winograd-filter-transforms.ts's winogradFilter does it, rounded once: bit-identical to it.
  ;; Filters go in tiles of 16 × 16 (i, o) through \`scratch\` (45 · 256 floats): the taps gathered
  ;; tile by tile, the planes written row by row, so cache lines are used whole whatever the strides.
  (func (export "winogradFilterTransform")
    (param $src i32) (param $dst i32) (param $scratch i32) (param $inC i32) (param $outC i32)
    (param $tapFloats i32) (param $reverse i32) (param $inStride i32) (param $outStride i32)
    (param $targetInC i32) (param $tile i32)
    (local $i0 i32) (local $o0 i32) (local $ni i32) (local $no i32) (local $ii i32) (local $oo i32)
    (local $t i32) (local $p i32) (local $planes i32) (local $plane i32) (local $s i32) (local $d i32)
    (local $from i32) (local $to i32) (local $k i32) (local $T i32)
    ${locals}
    (local.set $planes (select (i32.const 36) (i32.const 16) (i32.eq ${get('tile')} (i32.const 4))))
    (local.set $plane (i32.mul ${get('targetInC')} ${get('outC')}))
    (local.set $T (i32.add ${get('scratch')} (i32.const ${4 * 9 * 256})))
    (local.set $i0 (i32.const 0))
    (block $iEnd (loop $iLoop
      (br_if $iEnd (i32.ge_s ${get('i0')} ${get('inC')}))
      (local.set $ni (i32.sub ${get('inC')} ${get('i0')}))
      (if (i32.gt_s ${get('ni')} (i32.const 16)) (then (local.set $ni (i32.const 16))))
      (local.set $o0 (i32.const 0))
      (block $oEnd (loop $oLoop
        (br_if $oEnd (i32.ge_s ${get('o0')} ${get('outC')}))
        (local.set $no (i32.sub ${get('outC')} ${get('o0')}))
        (if (i32.gt_s ${get('no')} (i32.const 16)) (then (local.set $no (i32.const 16))))
        ;; gather: scratch[t·256 + ii·16 + oo] = tap t of filter (i0 + ii, o0 + oo)
        (local.set $t (i32.const 0))
        (block $tEnd (loop $tLoop
          (br_if $tEnd (i32.ge_s ${get('t')} (i32.const 9)))
          (local.set $from (i32.mul ${get('tapFloats')} (select (i32.sub (i32.const 8) ${get('t')}) ${get('t')} ${get('reverse')})))
          (local.set $ii (i32.const 0))
          (block $giEnd (loop $giLoop
            (br_if $giEnd (i32.ge_s ${get('ii')} ${get('ni')}))
            (local.set $oo (i32.const 0))
            (block $goEnd (loop $goLoop
              (br_if $goEnd (i32.ge_s ${get('oo')} ${get('no')}))
              (f32.store
                (i32.add ${get('scratch')} (i32.shl (i32.add (i32.shl ${get('t')} (i32.const 8)) (i32.add (i32.shl ${get('ii')} (i32.const 4)) ${get('oo')})) (i32.const 2)))
                (f32.load (i32.add ${get('src')} (i32.shl (i32.add ${get('from')} (i32.add
                  (i32.mul (i32.add ${get('i0')} ${get('ii')}) ${get('inStride')})
                  (i32.mul (i32.add ${get('o0')} ${get('oo')}) ${get('outStride')}))) (i32.const 2)))))
              (local.set $oo (i32.add ${get('oo')} (i32.const 1)))
              (br $goLoop)))
            (local.set $ii (i32.add ${get('ii')} (i32.const 1)))
            (br $giLoop)))
          (local.set $t (i32.add ${get('t')} (i32.const 1)))
          (br $tLoop)))
        ;; transform the tile's filters (slots past ni × no hold stale taps; their planes are not written out)
        (local.set $k (i32.const 0))
        (block $kEnd (loop $kLoop
          (br_if $kEnd (i32.ge_s ${get('k')} (i32.const 256)))
          (local.set $s (i32.add ${get('scratch')} (i32.shl ${get('k')} (i32.const 2))))
          (local.set $d (i32.add ${get('T')} (i32.shl ${get('k')} (i32.const 2))))
          (if (i32.eq ${get('tile')} (i32.const 4))
            (then
              ${filterBody(4)})
            (else
              ${filterBody(2)}))
          (local.set $k (i32.add ${get('k')} (i32.const 1)))
          (br $kLoop)))
        ;; scatter: plane p, row i0 + ii, columns o0 … o0 + no
        (local.set $p (i32.const 0))
        (block $pEnd (loop $pLoop
          (br_if $pEnd (i32.ge_s ${get('p')} ${get('planes')}))
          (local.set $ii (i32.const 0))
          (block $siEnd (loop $siLoop
            (br_if $siEnd (i32.ge_s ${get('ii')} ${get('ni')}))
            (memory.copy
              (i32.add ${get('dst')} (i32.shl (i32.add (i32.mul ${get('p')} ${get('plane')})
                (i32.add (i32.mul (i32.add ${get('i0')} ${get('ii')}) ${get('outC')}) ${get('o0')})) (i32.const 2)))
              (i32.add ${get('T')} (i32.shl (i32.add (i32.shl ${get('p')} (i32.const 8)) (i32.shl ${get('ii')} (i32.const 4))) (i32.const 2)))
              (i32.shl ${get('no')} (i32.const 2)))
            (local.set $ii (i32.add ${get('ii')} (i32.const 1)))
            (br $siLoop)))
          (local.set $p (i32.add ${get('p')} (i32.const 1)))
          (br $pLoop)))
        (local.set $o0 (i32.add ${get('o0')} (i32.const 16)))
        (br $oLoop)))
      (local.set $i0 (i32.add ${get('i0')} (i32.const 16)))
      (br $iLoop)))
    ;; rows inC ≤ i < targetInC of every plane
    (if (i32.gt_s ${get('targetInC')} ${get('inC')}) (then
      (local.set $p (i32.const 0))
      (block $zEnd (loop $zLoop
        (br_if $zEnd (i32.ge_s ${get('p')} ${get('planes')}))
        (memory.fill
          (i32.add ${get('dst')} (i32.shl (i32.add (i32.mul ${get('p')} ${get('plane')}) (i32.mul ${get('inC')} ${get('outC')})) (i32.const 2)))
          (i32.const 0)
          (i32.shl (i32.mul (i32.sub ${get('targetInC')} ${get('inC')}) ${get('outC')}) (i32.const 2)))
        (local.set $p (i32.add ${get('p')} (i32.const 1)))
        (br $zLoop)))))
  )`;
}
