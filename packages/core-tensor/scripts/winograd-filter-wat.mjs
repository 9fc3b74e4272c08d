/**
 * Writes the WAT of the filter-side transforms of Winograd F(2×2, 3×3) and F(4×4, 3×3) for
 * the conv-fma module (`conv-fma-wat.mjs` includes them): `winogradFilterTransform`
 * (`U = G g Gᵀ`, before a forward convolution) and `winogradFilterGradientBack`
 * (`dg = Gᵀ Ũ G`, after a filter gradient summed in the transformed domain). They compute in
 * float64 exactly the operations, in the same order, of
 * `src/kernels/wasm/winograd-filter-transforms.ts`'s `winogradFilter` and
 * `winogradFilterGradientBack` (which stay the references), each value rounded once to
 * float32: bit-identical to them, without JavaScript's per-filter overhead (64 × 64 channels
 * at F(4×4): 0.58 ms for the forward transform there, 1.56 ms for the back transform).
 * Generated because the transforms are 30 to 72 straight-line assignments.
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

/** F(2×2, 3×3): `[u0 … u3] G` as `gTransposeTimes` (`half = ½(u1 + u2)`). */
function gt2(u, names, half) {
  return [
    [half, `(f64.mul (f64.const 0.5) (f64.add ${get(u[1])} ${get(u[2])}))`],
    [names[0], `(f64.add ${get(u[0])} ${get(half)})`],
    [names[1], `(f64.mul (f64.const 0.5) (f64.sub ${get(u[1])} ${get(u[2])}))`],
    [names[2], `(f64.add ${get(half)} ${get(u[3])})`],
  ];
}

/** F(4×4, 3×3): `[u0 … u5] G` as `g4TransposeTimes` (`s12 = u1 + u2`, `s34 = u3 + u4`). */
function gt4(u, names) {
  const div = (e, d) => `(f64.div ${e} (f64.const ${d}))`;
  return [
    ['s12', `(f64.add ${get(u[1])} ${get(u[2])})`],
    ['s34', `(f64.add ${get(u[3])} ${get(u[4])})`],
    [
      names[0],
      `(f64.add (f64.sub ${div(get(u[0]), 4)} ${div(get('s12'), 6)}) ${div(get('s34'), 24)})`,
    ],
    [
      names[1],
      `(f64.add ${div(`(f64.sub ${get(u[2])} ${get(u[1])})`, 6)} ${div(`(f64.sub ${get(u[3])} ${get(u[4])})`, 12)})`,
    ],
    [names[2], `(f64.add ${div(`(f64.sub ${get('s34')} ${get('s12')})`, 6)} ${get(u[5])})`],
  ];
}

/** `Gᵀ Ũ G` for one filter (`u0…u(n²−1)` row-major) into `d0…d8`, through `r…` = `Gᵀ Ũ` by columns. */
function backAssignments(tile) {
  const out = [];
  const n = tile + 2;
  const gt = (u, names) => (tile === 2 ? gt2(u, names, 'half') : gt4(u, names));
  // Column j of Ũ (values n apart) times G into rows[3j + a]; then row a of that times G.
  for (const j of range(n)) {
    out.push(
      ...gt(
        range(n).map((m) => `u${j + n * m}`),
        range(3).map((a) => `r${3 * j + a}`),
      ),
    );
  }
  for (const a of range(3)) {
    out.push(
      ...gt(
        range(n).map((m) => `r${a + 3 * m}`),
        range(3).map((b) => `d${3 * a + b}`),
      ),
    );
  }
  return out;
}

/** One filter: its planes from `s` (64 floats apart), its 9 taps to `d` (64 floats apart). */
function backBody(tile) {
  const planes = (tile + 2) ** 2;
  return [
    ...range(planes).map(
      (p) => `(local.set $u${p} (f64.promote_f32 (f32.load offset=${256 * p} ${get('s')})))`,
    ),
    ...backAssignments(tile).map(([name, e]) => `(local.set $${name} ${e})`),
    ...range(9).map(
      (t) => `(f32.store offset=${256 * t} ${get('d')} (f32.demote_f64 ${get(`d${t}`)}))`,
    ),
  ].join('\n            ');
}

/** The back transform's text (no memory import: the conv-fma module's). */
export function winogradFilterBackWat() {
  const locals = [
    ...range(36).map((k) => `(local $u${k} f64)`),
    ...range(18).map((k) => `(local $r${k} f64)`),
    ...range(9).map((k) => `(local $d${k} f64)`),
    '(local $half f64) (local $s12 f64) (local $s34 f64)',
  ].join(' ');
  return `
  ;; dg[t, f] = (Gᵀ Ũ_f G)[t] for the filters f < filters (f = c·O + o) of a filter gradient
  ;; summed in the transformed domain of Winograd F(2×2, 3×3) (tile 2, 16 planes) or F(4×4, 3×3)
  ;; (tile 4, 36): Ũ_f[p] = src[p·planeFloats + f] (floats), dg at dst as [9, filters]. Float64
  ;; arithmetic as winograd-filter-transforms.ts's winogradFilterGradientBack does it, rounded
  ;; once: bit-identical to it. The planes lie planeFloats apart, a multiple of 4 KiB for ResNet-20
  ;; (all in one L1 set), so 64 filters at a time are copied plane by plane into \`scratch\`
  ;; (45 · 64 floats), transformed there, and copied out tap by tap.
  (func (export "winogradFilterGradientBack")
    (param $src i32) (param $dst i32) (param $scratch i32) (param $filters i32)
    (param $planeFloats i32) (param $tile i32)
    (local $f0 i32) (local $nb i32) (local $p i32) (local $planes i32) (local $k i32)
    (local $s i32) (local $d i32) (local $T i32)
    ${locals}
    (local.set $planes (select (i32.const 36) (i32.const 16) (i32.eq ${get('tile')} (i32.const 4))))
    (local.set $T (i32.add ${get('scratch')} (i32.const ${4 * 36 * 64})))
    (local.set $f0 (i32.const 0))
    (block $fEnd (loop $fLoop
      (br_if $fEnd (i32.ge_s ${get('f0')} ${get('filters')}))
      (local.set $nb (i32.sub ${get('filters')} ${get('f0')}))
      (if (i32.gt_s ${get('nb')} (i32.const 64)) (then (local.set $nb (i32.const 64))))
      ;; gather: scratch[p·64 + k] = Ũ_(f0 + k)[p]
      (local.set $p (i32.const 0))
      (block $gEnd (loop $gLoop
        (br_if $gEnd (i32.ge_s ${get('p')} ${get('planes')}))
        (memory.copy
          (i32.add ${get('scratch')} (i32.shl ${get('p')} (i32.const 8)))
          (i32.add ${get('src')} (i32.shl (i32.add (i32.mul ${get('p')} ${get('planeFloats')}) ${get('f0')}) (i32.const 2)))
          (i32.shl ${get('nb')} (i32.const 2)))
        (local.set $p (i32.add ${get('p')} (i32.const 1)))
        (br $gLoop)))
      (local.set $k (i32.const 0))
      (block $kEnd (loop $kLoop
        (br_if $kEnd (i32.ge_s ${get('k')} ${get('nb')}))
        (local.set $s (i32.add ${get('scratch')} (i32.shl ${get('k')} (i32.const 2))))
        (local.set $d (i32.add ${get('T')} (i32.shl ${get('k')} (i32.const 2))))
        (if (i32.eq ${get('tile')} (i32.const 4))
          (then
            ${backBody(4)})
          (else
            ${backBody(2)}))
        (local.set $k (i32.add ${get('k')} (i32.const 1)))
        (br $kLoop)))
      ;; scatter: tap t, filters f0 … f0 + nb
      (local.set $p (i32.const 0))
      (block $sEnd (loop $sLoop
        (br_if $sEnd (i32.ge_s ${get('p')} (i32.const 9)))
        (memory.copy
          (i32.add ${get('dst')} (i32.shl (i32.add (i32.mul ${get('p')} ${get('filters')}) ${get('f0')}) (i32.const 2)))
          (i32.add ${get('T')} (i32.shl ${get('p')} (i32.const 8)))
          (i32.shl ${get('nb')} (i32.const 2)))
        (local.set $p (i32.add ${get('p')} (i32.const 1)))
        (br $sLoop)))
      (local.set $f0 (i32.add ${get('f0')} (i32.const 64)))
      (br $fLoop)))
  )`;
}
