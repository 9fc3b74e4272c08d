/**
 * The Winograd F(2×2, 3×3) and F(4×4, 3×3) kernels of `conv-fma.wat` (see `conv-fma-wat.mjs`):
 * 3×3 stride-1 convolutions of NHWC tensors as 16 small matrix products in
 * the transformed domain, 16 multiply-adds per 2×2 output tile and channel
 * pair instead of direct convolution's 36 (Lavin & Gray, "Fast Algorithms for
 * Convolutional Neural Networks", 2016; the F(2, 3) matrices below are theirs).
 *
 *   forward:          Y-tile = Aᵀ [ (G g Gᵀ) ⊙ (Bᵀ d B) ] A, summed over input channels
 *   filter gradient:  dg     = Gᵀ [ Σ_tiles (A dY Aᵀ) ⊙ (Bᵀ d B) ] G
 *
 * with d a 4×4 input patch, dY a 2×2 output-gradient tile and
 *   Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1], Aᵀ = [1 1 1 0; 0 1 −1 −1],
 *   G  = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1].
 * The filter transforms (G g Gᵀ before, Gᵀ · G after) are per call and small:
 * they run in JavaScript (`winograd-filter-transforms.ts`). Transformed inputs
 * and outputs are laid out as 16 planes `[tiles, channels]`, so each of the 16
 * products is a plain row-major matrix product that the 4 × 8 register tiles
 * of `convForward` and `convFilterGradient` stream. The planes sit `pStride`
 * bytes apart, one cache line more than `tiles · channels` floats: planes a
 * multiple of 4 KiB apart put a tile's 16 values in one L1 set, and the input
 * transform ran 3× slower.
 *
 * F(4×4, 3×3) (`winogradForward4x4` and `winogradFilterGradient4x4`: the forward convolution,
 * the input gradient and the filter gradient where the output's sides are multiples of 4)
 * uses 6×6 patches, 4×4 output tiles and 36
 * planes, with Lavin & Gray's points 0, ±1, ±2, ∞:
 *   Bᵀ = [4 0 −5 0 1 0; 0 −4 −4 1 1 0; 0 4 −4 −1 1 0; 0 −2 −1 2 1 0; 0 2 −1 −2 1 0; 0 4 0 −5 0 1],
 *   Aᵀ = [1 1 1 1 1 0; 0 1 −1 2 −2 0; 0 1 1 4 4 0; 0 1 −1 8 −8 1],
 *   G  = [¼ 0 0; −⅙ −⅙ −⅙; −⅙ ⅙ −⅙; 1/24 1/12 ⅙; 1/24 −1/12 ⅙; 0 0 1];
 * 36 multiply-adds per 4×4 tile and channel pair (F(2×2, 3×3): 64 for the same outputs).
 * Its planes are tile-major (`[tiles, 36, channels]`): a tile's 36 stores and loads then
 * run in one stream, where 36 plane-major streams outnumber those a core's prefetcher
 * follows (its output transform took as long as the products). The same product kernel
 * serves both layouts through its plane and row strides.
 *
 * The transforms mix a patch's values by additions, so a ±∞ or NaN input
 * would spread over its tile where a direct convolution keeps it to the taps
 * that read it: the input and gradient transforms add their values into a
 * per-thread check sum (stored at `check`, four lanes), which is non-finite
 * whenever an input was, and the caller then runs the direct kernel instead.
 */

const get = (name) => `(local.get $${name})`;
const range = (n) => [...Array(n).keys()];

function madd(fused, a, b, c) {
  return fused ? `(f32x4.relaxed_madd ${a} ${b} ${c})` : `(f32x4.add (f32x4.mul ${a} ${b}) ${c})`;
}

const add = (a, b) => `(f32x4.add ${a} ${b})`;
const sub = (a, b) => `(f32x4.sub ${a} ${b})`;

/** Stores `values[k]` at `pointer + k·stride` through the running local `$q`. */
function storeStrided(pointer, stride, values) {
  return [
    `(local.set $q ${pointer})`,
    ...values.map(
      (value, k) =>
        `(v128.store ${get('q')} ${value})${k < values.length - 1 ? ` (local.set $q (i32.add ${get('q')} ${stride}))` : ''}`,
    ),
  ].join('\n          ');
}

/** Loads `names[k]` from `pointer + k·stride` through `$q`. */
function loadStrided(pointer, stride, names) {
  return [
    `(local.set $q ${pointer})`,
    ...names.map(
      (name, k) =>
        `(local.set $${name} (v128.load ${get('q')}))${k < names.length - 1 ? ` (local.set $q (i32.add ${get('q')} ${stride}))` : ''}`,
    ),
  ].join('\n          ');
}

/**
 * The F(4×4, 3×3) transforms' staging: 36 vectors right after a part's check sum (the
 * caller's scratch head, `WINOGRAD_HEAD_FLOATS` in conv-winograd-ops.ts), `stagingAt(check)`
 * its address and `staged(i, j)` the memory operand of row `i`, column `j`.
 */
const stagingAt = (check) => `(i32.add ${check} (i32.const 16))`;
const staged = (i, j) => `offset=${16 * (6 * i + j)} ${get('E')}`;

/** Adds the check sum `$check` of this call into the four floats at `check`. */
const storeCheck = `(v128.store ${get('checkAt')} (f32x4.add (v128.load ${get('checkAt')}) ${get('check')}))`;

/**
 * `V[p, t, c] = (Bᵀ d B)[p]` for the 4×4 patch `d` of every 2×2 output tile `t`
 * of the images `n0 ≤ n < n1` (tiles numbered image by image, row by row), 4
 * channels a vector; `pStride` bytes between the 16 planes `p`.
 */
const inputTransform = `
  (func $winogradInputTransform
    (param $P i32) (param $V i32) (param $n0 i32) (param $n1 i32) (param $Hp i32) (param $Wp i32)
    (param $C i32) (param $tilesH i32) (param $tilesW i32) (param $pStride i32) (param $checkAt i32)
    (local $n i32) (local $ty i32) (local $tx i32) (local $Cb i32) (local $Cb2 i32) (local $Cb3 i32)
    (local $rowB i32) (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32) (local $cend i32)
    (local $v i32) (local $q i32) (local $check v128)
    (local $d0 v128) (local $d1 v128) (local $d2 v128) (local $d3 v128)
    ${range(16)
      .map((k) => `(local $e${k >> 2}${k & 3} v128)`)
      .join(' ')}
    (local.set $Cb (i32.shl ${get('C')} (i32.const 2)))
    (local.set $Cb2 (i32.shl ${get('Cb')} (i32.const 1)))
    (local.set $Cb3 (i32.add ${get('Cb2')} ${get('Cb')}))
    (local.set $rowB (i32.mul ${get('Wp')} ${get('Cb')}))
    (local.set $v ${get('V')})
    (local.set $n ${get('n0')})
    (block $nDone (loop $nLoop
      (br_if $nDone (i32.ge_u ${get('n')} ${get('n1')}))
      (local.set $ty (i32.const 0))
      (loop $yLoop
        (local.set $tx (i32.const 0))
        (loop $xLoop
          (local.set $r0 (i32.add ${get('P')} (i32.mul ${get('Cb')} (i32.add
            (i32.mul (i32.add (i32.mul ${get('n')} ${get('Hp')}) (i32.shl ${get('ty')} (i32.const 1))) ${get('Wp')})
            (i32.shl ${get('tx')} (i32.const 1))))))
          (local.set $r1 (i32.add ${get('r0')} ${get('rowB')}))
          (local.set $r2 (i32.add ${get('r1')} ${get('rowB')}))
          (local.set $r3 (i32.add ${get('r2')} ${get('rowB')}))
          (local.set $cend (i32.add ${get('r0')} ${get('Cb')}))
          (loop $cLoop
          ${range(4)
            .map((j) => {
              const at = (i) =>
                j === 0
                  ? get(`r${i}`)
                  : `(i32.add ${get(`r${i}`)} ${get(j === 1 ? 'Cb' : j === 2 ? 'Cb2' : 'Cb3')})`;
              return `
          ;; column ${j}: Bᵀ down the rows
          ${range(4)
            .map((i) => `(local.set $d${i} (v128.load ${at(i)}))`)
            .join(' ')}
          (local.set $e0${j} ${sub(get('d0'), get('d2'))})
          (local.set $e1${j} ${add(get('d1'), get('d2'))})
          (local.set $e2${j} ${sub(get('d2'), get('d1'))})
          (local.set $e3${j} ${sub(get('d1'), get('d3'))})
          (local.set $check ${add(get('check'), add(get(`e0${j}`), get(`e3${j}`)))})`;
            })
            .join('')}
          ;; B across the columns, the 16 planes
          ${storeStrided(
            get('v'),
            get('pStride'),
            range(4).flatMap((i) => [
              sub(get(`e${i}0`), get(`e${i}2`)),
              add(get(`e${i}1`), get(`e${i}2`)),
              sub(get(`e${i}2`), get(`e${i}1`)),
              sub(get(`e${i}1`), get(`e${i}3`)),
            ]),
          )}
          (local.set $v (i32.add ${get('v')} (i32.const 16)))
          ${range(4)
            .map((i) => `(local.set $r${i} (i32.add ${get(`r${i}`)} (i32.const 16)))`)
            .join(' ')}
          (br_if $cLoop (i32.lt_u ${get('r0')} ${get('cend')})))
          (br_if $xLoop (i32.lt_u (local.tee $tx (i32.add ${get('tx')} (i32.const 1))) ${get('tilesW')})))
        (br_if $yLoop (i32.lt_u (local.tee $ty (i32.add ${get('ty')} (i32.const 1))) ${get('tilesH')})))
      (local.set $n (i32.add ${get('n')} (i32.const 1)))
      (br $nLoop)))
    ${storeCheck}
  )`;

/**
 * `Z[p, t, o] = (A dY Aᵀ)[p]` for the 2×2 tiles of `DY` `[N, 2·tilesH, 2·tilesW, O]`
 * of the images `n0 ≤ n < n1`, laid out as {@link inputTransform}'s `V`.
 */
const gradientTransform = `
  (func $winogradGradientTransform
    (param $DY i32) (param $Z i32) (param $n0 i32) (param $n1 i32) (param $tilesH i32) (param $tilesW i32)
    (param $O i32) (param $pStride i32) (param $checkAt i32)
    (local $n i32) (local $ty i32) (local $tx i32) (local $Ob i32) (local $rowB i32) (local $y0 i32)
    (local $oend i32) (local $z i32) (local $q i32) (local $check v128)
    (local $a v128) (local $b v128) (local $c v128) (local $d v128)
    ${range(4)
      .map((i) => `(local $r${i}0 v128) (local $r${i}1 v128)`)
      .join(' ')}
    (local.set $Ob (i32.shl ${get('O')} (i32.const 2)))
    (local.set $rowB (i32.shl (i32.mul ${get('tilesW')} ${get('Ob')}) (i32.const 1)))
    (local.set $z ${get('Z')})
    (local.set $n ${get('n0')})
    (block $nDone (loop $nLoop
      (br_if $nDone (i32.ge_u ${get('n')} ${get('n1')}))
      (local.set $ty (i32.const 0))
      (loop $yLoop
        (local.set $tx (i32.const 0))
        (loop $xLoop
          (local.set $y0 (i32.add ${get('DY')} (i32.add
            (i32.mul (i32.add (i32.shl (i32.mul ${get('n')} ${get('tilesH')}) (i32.const 1)) (i32.shl ${get('ty')} (i32.const 1))) ${get('rowB')})
            (i32.shl (i32.mul ${get('tx')} ${get('Ob')}) (i32.const 1)))))
          (local.set $oend (i32.add ${get('y0')} ${get('Ob')}))
          (loop $oLoop
          ;; dY[0][0], dY[0][1], dY[1][0], dY[1][1]
          (local.set $a (v128.load ${get('y0')}))
          (local.set $b (v128.load (i32.add ${get('y0')} ${get('Ob')})))
          (local.set $c (v128.load (i32.add ${get('y0')} ${get('rowB')})))
          (local.set $d (v128.load (i32.add (i32.add ${get('y0')} ${get('rowB')}) ${get('Ob')})))
          (local.set $check ${add(get('check'), add(add(get('a'), get('b')), add(get('c'), get('d'))))})
          ;; A down the rows: dY₀, dY₀ + dY₁, dY₀ − dY₁, −dY₁
          (local.set $r00 ${get('a')}) (local.set $r01 ${get('b')})
          (local.set $r10 ${add(get('a'), get('c'))}) (local.set $r11 ${add(get('b'), get('d'))})
          (local.set $r20 ${sub(get('a'), get('c'))}) (local.set $r21 ${sub(get('b'), get('d'))})
          (local.set $r30 (f32x4.neg ${get('c')})) (local.set $r31 (f32x4.neg ${get('d')}))
          ;; and across the columns
          ${storeStrided(
            get('z'),
            get('pStride'),
            range(4).flatMap((i) => [
              get(`r${i}0`),
              add(get(`r${i}0`), get(`r${i}1`)),
              sub(get(`r${i}0`), get(`r${i}1`)),
              `(f32x4.neg ${get(`r${i}1`)})`,
            ]),
          )}
          (local.set $z (i32.add ${get('z')} (i32.const 16)))
          (br_if $oLoop (i32.lt_u (local.tee $y0 (i32.add ${get('y0')} (i32.const 16))) ${get('oend')})))
          (br_if $xLoop (i32.lt_u (local.tee $tx (i32.add ${get('tx')} (i32.const 1))) ${get('tilesW')})))
        (br_if $yLoop (i32.lt_u (local.tee $ty (i32.add ${get('ty')} (i32.const 1))) ${get('tilesH')})))
      (local.set $n (i32.add ${get('n')} (i32.const 1)))
      (br $nLoop)))
    ${storeCheck}
  )`;

/**
 * `M[p] = V[p] · U[p]` for the `planes` planes (16 for F(2×2, 3×3), 36 for F(4×4, 3×3)):
 * `V[p]` `[T, C]`, `U[p]` `[C, O]`, `M[p]` `[T, O]`; register tiles of 4 rows × 8 columns
 * (`T ≥ 4`: the last row tile starts at `T − 4` and may store rows of the one before
 * again, same values). Row `t` of plane `p` is at `V + p·vStride + t·vRow` and
 * `M + p·mStride + t·mRow`: plane-major (`vRow = 4·C`) or tile-major (`vStride = 4·C`).
 */
function product(fused) {
  const accumulators = range(4).flatMap((i) => [`a${i}0`, `a${i}1`]);
  return `
  (func $winogradProduct (param $V i32) (param $U i32) (param $M i32) (param $T i32) (param $C i32) (param $O i32)
    (param $vStride i32) (param $mStride i32) (param $vRow i32) (param $mRow i32) (param $planes i32)
    (local $p i32) (local $t0 i32) (local $o0 i32) (local $Cb i32) (local $Ob i32)
    (local $pV i32) (local $pU i32) (local $pM i32) (local $wp i32) (local $cend i32) (local $mp i32)
    (local $v0 i32) (local $v1 i32) (local $v2 i32) (local $v3 i32)
    (local $s v128) (local $w0 v128) (local $w1 v128)
    ${accumulators.map((a) => `(local $${a} v128)`).join(' ')}
    (local.set $Cb (i32.shl ${get('C')} (i32.const 2)))
    (local.set $Ob (i32.shl ${get('O')} (i32.const 2)))
    (local.set $p (i32.const 0))
    (loop $pLoop
      (local.set $pV (i32.add ${get('V')} (i32.mul ${get('p')} ${get('vStride')})))
      (local.set $pU (i32.add ${get('U')} (i32.mul ${get('p')} (i32.mul ${get('C')} ${get('Ob')}))))
      (local.set $pM (i32.add ${get('M')} (i32.mul ${get('p')} ${get('mStride')})))
      (local.set $t0 (i32.const 0))
      (loop $tLoop
        (if (i32.gt_s ${get('t0')} (i32.sub ${get('T')} (i32.const 4)))
          (then (local.set $t0 (i32.sub ${get('T')} (i32.const 4)))))
        (local.set $o0 (i32.const 0))
        (loop $oLoop
          ${accumulators.map((a) => `(local.set $${a} (v128.const f32x4 0 0 0 0))`).join(' ')}
          (local.set $v0 (i32.add ${get('pV')} (i32.mul ${get('t0')} ${get('vRow')})))
          (local.set $v1 (i32.add ${get('v0')} ${get('vRow')}))
          (local.set $v2 (i32.add ${get('v1')} ${get('vRow')}))
          (local.set $v3 (i32.add ${get('v2')} ${get('vRow')}))
          (local.set $cend (i32.add ${get('v0')} ${get('Cb')}))
          (local.set $wp (i32.add ${get('pU')} (i32.shl ${get('o0')} (i32.const 2))))
          (loop $cLoop
            (local.set $w0 (v128.load ${get('wp')}))
            (local.set $w1 (v128.load offset=16 ${get('wp')}))
            ${range(4)
              .map(
                (i) => `(local.set $s (v128.load32_splat ${get(`v${i}`)}))
            (local.set $a${i}0 ${madd(fused, get('s'), get('w0'), get(`a${i}0`))})
            (local.set $a${i}1 ${madd(fused, get('s'), get('w1'), get(`a${i}1`))})`,
              )
              .join('\n            ')}
            (local.set $wp (i32.add ${get('wp')} ${get('Ob')}))
            ${range(4)
              .map((i) => `(local.set $v${i} (i32.add ${get(`v${i}`)} (i32.const 4)))`)
              .join(' ')}
            (br_if $cLoop (i32.lt_u ${get('v0')} ${get('cend')})))
          (local.set $mp (i32.add ${get('pM')} (i32.add (i32.mul ${get('t0')} ${get('mRow')}) (i32.shl ${get('o0')} (i32.const 2)))))
          ${range(4)
            .flatMap((i) =>
              [0, 1].map(
                (j) =>
                  `(v128.store offset=${16 * j} (i32.add ${get('mp')} (i32.mul (i32.const ${i}) ${get('mRow')})) ${get(`a${i}${j}`)})`,
              ),
            )
            .join('\n          ')}
          (br_if $oLoop (i32.lt_u (local.tee $o0 (i32.add ${get('o0')} (i32.const 8))) ${get('O')})))
        (br_if $tLoop (i32.lt_u (local.tee $t0 (i32.add ${get('t0')} (i32.const 4))) ${get('T')})))
      (br_if $pLoop (i32.lt_u (local.tee $p (i32.add ${get('p')} (i32.const 1))) ${get('planes')})))
  )`;
}

/**
 * `UW[p] += V[p]ᵀ · Z[p]` for the `planes` planes (16 for F(2×2, 3×3), 36 for F(4×4, 3×3)):
 * `V[p]` `[T, C]`, `Z[p]` `[T, O]`, `UW[p]` `[C, O]`; register tiles of 4 input × 8 output
 * channels summing all `T` tiles in float32 (tile by tile, in order), then added into `UW`.
 * Row `t` of plane `p` is at `V + p·vStride + t·vRow` and `Z + p·zStride + t·zRow`, plane-major
 * or tile-major as for {@link product}.
 */
function productAccumulate(fused) {
  const accumulators = range(4).flatMap((i) => [`a${i}0`, `a${i}1`]);
  return `
  (func $winogradProductAccumulate (param $V i32) (param $Z i32) (param $UW i32) (param $T i32) (param $C i32) (param $O i32)
    (param $vStride i32) (param $zStride i32) (param $vRow i32) (param $zRow i32) (param $planes i32)
    (local $p i32) (local $c0 i32) (local $o0 i32) (local $Cb i32) (local $Ob i32)
    (local $pV i32) (local $pZ i32) (local $pU i32) (local $xp i32) (local $dp i32) (local $dend i32) (local $up i32)
    (local $s v128) (local $d0 v128) (local $d1 v128)
    ${accumulators.map((a) => `(local $${a} v128)`).join(' ')}
    (local.set $Cb (i32.shl ${get('C')} (i32.const 2)))
    (local.set $Ob (i32.shl ${get('O')} (i32.const 2)))
    (local.set $p (i32.const 0))
    (loop $pLoop
      (local.set $pV (i32.add ${get('V')} (i32.mul ${get('p')} ${get('vStride')})))
      (local.set $pZ (i32.add ${get('Z')} (i32.mul ${get('p')} ${get('zStride')})))
      (local.set $pU (i32.add ${get('UW')} (i32.mul ${get('p')} (i32.mul ${get('C')} ${get('Ob')}))))
      (local.set $c0 (i32.const 0))
      (loop $cLoop
        (local.set $o0 (i32.const 0))
        (loop $oLoop
          ${accumulators.map((a) => `(local.set $${a} (v128.const f32x4 0 0 0 0))`).join(' ')}
          (local.set $xp (i32.add ${get('pV')} (i32.shl ${get('c0')} (i32.const 2))))
          (local.set $dp (i32.add ${get('pZ')} (i32.shl ${get('o0')} (i32.const 2))))
          (local.set $dend (i32.add ${get('dp')} (i32.mul ${get('T')} ${get('zRow')})))
          (loop $tLoop
            (local.set $d0 (v128.load ${get('dp')}))
            (local.set $d1 (v128.load offset=16 ${get('dp')}))
            ${range(4)
              .map(
                (i) => `(local.set $s (v128.load32_splat offset=${4 * i} ${get('xp')}))
            (local.set $a${i}0 ${madd(fused, get('s'), get('d0'), get(`a${i}0`))})
            (local.set $a${i}1 ${madd(fused, get('s'), get('d1'), get(`a${i}1`))})`,
              )
              .join('\n            ')}
            (local.set $xp (i32.add ${get('xp')} ${get('vRow')}))
            (br_if $tLoop (i32.lt_u (local.tee $dp (i32.add ${get('dp')} ${get('zRow')})) ${get('dend')})))
          (local.set $up (i32.add ${get('pU')} (i32.add (i32.mul ${get('c0')} ${get('Ob')}) (i32.shl ${get('o0')} (i32.const 2)))))
          ${range(4)
            .flatMap((i) =>
              [0, 1].map((j) => {
                const at = `(i32.add ${get('up')} (i32.mul (i32.const ${i}) ${get('Ob')}))`;
                return `(v128.store offset=${16 * j} ${at} (f32x4.add (v128.load offset=${16 * j} ${at}) ${get(`a${i}${j}`)}))`;
              }),
            )
            .join('\n          ')}
          (br_if $oLoop (i32.lt_u (local.tee $o0 (i32.add ${get('o0')} (i32.const 8))) ${get('O')})))
        (br_if $cLoop (i32.lt_u (local.tee $c0 (i32.add ${get('c0')} (i32.const 4))) ${get('C')})))
      (br_if $pLoop (i32.lt_u (local.tee $p (i32.add ${get('p')} (i32.const 1))) ${get('planes')})))
  )`;
}

/**
 * `Y[n, 2ty + i, 2tx + j, o] = act(bias[o] + (Aᵀ m A)[i, j])` for the tiles of the
 * images `n0 ≤ n < n1`, `m` the 16 planes of `M` (`[16][tiles][O]`) at one tile.
 */
const outputTransform = `
  (func $winogradOutputTransform
    (param $M i32) (param $bias i32) (param $relu i32) (param $Y i32) (param $n0 i32) (param $n1 i32)
    (param $tilesH i32) (param $tilesW i32) (param $O i32) (param $yImage i32) (param $yRow i32)
    (param $yPixel i32) (param $pStride i32)
    (local $n i32) (local $ty i32) (local $tx i32) (local $o0 i32) (local $Ob i32) (local $mt i32)
    (local $yp i32) (local $q i32) (local $b v128)
    ${range(16)
      .map((k) => `(local $m${k >> 2}${k & 3} v128)`)
      .join(' ')}
    ${range(2)
      .flatMap((i) => range(4).map((j) => `(local $u${i}${j} v128)`))
      .join(' ')}
    (local.set $Ob (i32.shl ${get('O')} (i32.const 2)))
    (local.set $mt ${get('M')})
    (local.set $n ${get('n0')})
    (block $nDone (loop $nLoop
      (br_if $nDone (i32.ge_u ${get('n')} ${get('n1')}))
      (local.set $ty (i32.const 0))
      (loop $yLoop
        (local.set $tx (i32.const 0))
        (loop $xLoop
          (local.set $yp (i32.add ${get('Y')} (i32.add (i32.mul ${get('n')} ${get('yImage')})
            (i32.add (i32.mul (i32.shl ${get('ty')} (i32.const 1)) ${get('yRow')})
              (i32.mul (i32.shl ${get('tx')} (i32.const 1)) ${get('yPixel')})))))
          (local.set $o0 (i32.const 0))
          (loop $oLoop
          ${loadStrided(
            `(i32.add ${get('mt')} ${get('o0')})`,
            get('pStride'),
            range(16).map((k) => `m${k >> 2}${k & 3}`),
          )}
          ;; Aᵀ down the rows
          ${range(4)
            .map(
              (j) =>
                `(local.set $u0${j} ${add(add(get(`m0${j}`), get(`m1${j}`)), get(`m2${j}`))}) (local.set $u1${j} ${sub(sub(get(`m1${j}`), get(`m2${j}`)), get(`m3${j}`))})`,
            )
            .join('\n          ')}
          (local.set $b (if (result v128) ${get('bias')}
            (then (v128.load (i32.add ${get('bias')} ${get('o0')})))
            (else (v128.const f32x4 0 0 0 0))))
          ;; A across the columns, the bias and the activation
          ${range(2)
            .flatMap((i) =>
              range(2).map((j) => {
                const u = (k) => get(`u${i}${k}`);
                const value = j === 0 ? add(add(u(0), u(1)), u(2)) : sub(sub(u(1), u(2)), u(3));
                const at = `(i32.add (i32.add ${get('yp')} ${get('o0')}) ${
                  i === 0 ? '(i32.const 0)' : get('yRow')
                })`;
                const pixel = j === 0 ? at : `(i32.add ${at} ${get('yPixel')})`;
                return `(v128.store ${pixel} (if (result v128) ${get('relu')}
            (then (f32x4.max ${add(value, get('b'))} (v128.const f32x4 0 0 0 0)))
            (else ${add(value, get('b'))})))`;
              }),
            )
            .join('\n          ')}
          (br_if $oLoop (i32.lt_u (local.tee $o0 (i32.add ${get('o0')} (i32.const 16))) ${get('Ob')})))
          (local.set $mt (i32.add ${get('mt')} ${get('Ob')}))
          (br_if $xLoop (i32.lt_u (local.tee $tx (i32.add ${get('tx')} (i32.const 1))) ${get('tilesW')})))
        (br_if $yLoop (i32.lt_u (local.tee $ty (i32.add ${get('ty')} (i32.const 1))) ${get('tilesH')})))
      (local.set $n (i32.add ${get('n')} (i32.const 1)))
      (br $nLoop)))
  )`;

/** A four-lane constant. */
const splat = (k) => `(v128.const f32x4 ${k} ${k} ${k} ${k})`;
/** `k · a` for a power of two `k`: exact, so the fused and unfused builds agree. */
const times = (k, a) => `(f32x4.mul ${a} ${splat(k)})`;

/**
 * `Bᵀ x` of F(4×4, 3×3) for six values `x` (expressions),
 * `Bᵀ = [4 0 −5 0 1 0; 0 −4 −4 1 1 0; 0 4 −4 −1 1 0; 0 −2 −1 2 1 0; 0 2 −1 −2 1 0; 0 4 0 −5 0 1]`,
 * through shared partial sums in `$t0…$t3`: `prelude` sets them, `values` are the six rows.
 * Every multiplier is 2 or 4 (exact), and each row rounds its three or four adds.
 */
function inputRows4x4(x) {
  return {
    prelude: [
      `(local.set $t0 ${sub(x[4], times(4, x[2]))})`,
      `(local.set $t1 ${sub(x[3], times(4, x[1]))})`,
      `(local.set $t2 ${sub(x[4], x[2])})`,
      `(local.set $t3 ${times(2, sub(x[3], x[1]))})`,
    ].join(' '),
    values: [
      add(times(4, sub(x[0], x[2])), get('t2')),
      add(get('t0'), get('t1')),
      sub(get('t0'), get('t1')),
      add(get('t2'), get('t3')),
      sub(get('t2'), get('t3')),
      add(times(4, sub(x[1], x[3])), sub(x[5], x[3])),
    ],
  };
}

/**
 * `Aᵀ m` of F(4×4, 3×3) for six values `m`,
 * `Aᵀ = [1 1 1 1 1 0; 0 1 −1 2 −2 0; 0 1 1 4 4 0; 0 1 −1 8 −8 1]`, through the pair sums and
 * differences `$s12 = m₁ + m₂`, `$d12`, `$s34`, `$d34` (`prelude`); `values` are the four rows.
 */
function outputRows4x4(m) {
  return {
    prelude: [
      `(local.set $s12 ${add(m[1], m[2])})`,
      `(local.set $d12 ${sub(m[1], m[2])})`,
      `(local.set $s34 ${add(m[3], m[4])})`,
      `(local.set $d34 ${sub(m[3], m[4])})`,
    ].join(' '),
    values: [
      add(add(m[0], get('s12')), get('s34')),
      add(get('d12'), times(2, get('d34'))),
      add(get('s12'), times(4, get('s34'))),
      add(add(get('d12'), times(8, get('d34'))), m[5]),
    ],
  };
}

/**
 * F(4×4, 3×3)'s {@link inputTransform}: `V[t, p, c] = (Bᵀ d B)[p]` for the 6×6 patch `d` at
 * `(4ty, 4tx)` of every 4×4 output tile `t`, tile-major: a tile's 36 planes lie together,
 * `pStride` bytes (its `4·C4` floats' bytes) apart, so the stores run in one stream where
 * 36 plane-major ones would outnumber the streams a core's prefetcher follows; `tileRow`
 * bytes from one tile's first plane to the next's (`36·pStride`, or more with a gap). The patch's
 * columns first (Bᵀ down each), then its rows (B across each, six planes stored a row); the
 * check sum adds each column's first and last row, which together read all six of its
 * inputs. The column pass's 36 vectors go through 576 bytes of staging after the check sum
 * (`checkAt + 16`): kept in locals, they outnumber the 16 vector registers, and the
 * engine's spills made the transform 16–20% slower (same bits either way).
 */
const inputTransform4x4 = `
  (func $winogradInputTransform4x4
    (param $P i32) (param $V i32) (param $n0 i32) (param $n1 i32) (param $Hp i32) (param $Wp i32)
    (param $C i32) (param $tilesH i32) (param $tilesW i32) (param $pStride i32) (param $tileRow i32)
    (param $checkAt i32)
    (local $n i32) (local $ty i32) (local $tx i32) (local $Cb i32) (local $rowB i32) (local $cend i32)
    (local $v i32) (local $q i32) (local $check v128)
    ${range(6)
      .map((i) => `(local $r${i} i32) (local $d${i} v128)`)
      .join(' ')}
    ${range(5)
      .map((j) => `(local $col${j + 1} i32)`)
      .join(' ')}
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local $first v128) (local $last v128) (local $E i32)
    (local.set $E ${stagingAt(get('checkAt'))})
    (local.set $Cb (i32.shl ${get('C')} (i32.const 2)))
    ${range(5)
      .map((j) => `(local.set $col${j + 1} (i32.mul ${get('Cb')} (i32.const ${j + 1})))`)
      .join(' ')}
    (local.set $rowB (i32.mul ${get('Wp')} ${get('Cb')}))
    (local.set $v ${get('V')})
    (local.set $n ${get('n0')})
    (block $nDone (loop $nLoop
      (br_if $nDone (i32.ge_u ${get('n')} ${get('n1')}))
      (local.set $ty (i32.const 0))
      (loop $yLoop
        (local.set $tx (i32.const 0))
        (loop $xLoop
          (local.set $r0 (i32.add ${get('P')} (i32.mul ${get('Cb')} (i32.add
            (i32.mul (i32.add (i32.mul ${get('n')} ${get('Hp')}) (i32.shl ${get('ty')} (i32.const 2))) ${get('Wp')})
            (i32.shl ${get('tx')} (i32.const 2))))))
          ${range(5)
            .map((i) => `(local.set $r${i + 1} (i32.add ${get(`r${i}`)} ${get('rowB')}))`)
            .join(' ')}
          (local.set $cend (i32.add ${get('r0')} ${get('Cb')}))
          (loop $cLoop
          ${range(6)
            .map((j) => {
              const at = (i) =>
                j === 0 ? get(`r${i}`) : `(i32.add ${get(`r${i}`)} ${get(`col${j}`)})`;
              const rows = inputRows4x4(range(6).map((i) => get(`d${i}`)));
              return `
          ;; column ${j}: Bᵀ down the rows
          ${range(6)
            .map((i) => `(local.set $d${i} (v128.load ${at(i)}))`)
            .join(' ')}
          ${rows.prelude}
          (local.set $first ${rows.values[0]}) (local.set $last ${rows.values[5]})
          (local.set $check ${add(get('check'), add(get('first'), get('last')))})
          ${rows.values
            .map((value, i) => {
              const kept = i === 0 ? get('first') : i === 5 ? get('last') : value;
              return `(v128.store ${staged(i, j)} ${kept})`;
            })
            .join('\n          ')}`;
            })
            .join('')}
          ;; B across the columns, six planes a row
          (local.set $q ${get('v')})
          ${range(6)
            .map((i) => {
              const rows = inputRows4x4(range(6).map((j) => `(v128.load ${staged(i, j)})`));
              return `${rows.prelude}
          ${rows.values
            .map(
              (value) =>
                `(v128.store ${get('q')} ${value}) (local.set $q (i32.add ${get('q')} ${get('pStride')}))`,
            )
            .join('\n          ')}`;
            })
            .join('\n          ')}
          (local.set $v (i32.add ${get('v')} (i32.const 16)))
          ${range(6)
            .map((i) => `(local.set $r${i} (i32.add ${get(`r${i}`)} (i32.const 16)))`)
            .join(' ')}
          (br_if $cLoop (i32.lt_u ${get('r0')} ${get('cend')})))
          ;; past the tile's other 35 planes (and any gap) to the next tile's row
          (local.set $v (i32.add ${get('v')} (i32.sub ${get('tileRow')} ${get('pStride')})))
          (br_if $xLoop (i32.lt_u (local.tee $tx (i32.add ${get('tx')} (i32.const 1))) ${get('tilesW')})))
        (br_if $yLoop (i32.lt_u (local.tee $ty (i32.add ${get('ty')} (i32.const 1))) ${get('tilesH')})))
      (local.set $n (i32.add ${get('n')} (i32.const 1)))
      (br $nLoop)))
    ${storeCheck}
  )`;

/**
 * `A y` of F(4×4, 3×3) for four values `y` (expressions), `A = (Aᵀ)ᵀ` (6×4): the rows
 * `y₀, (y₀ + y₂) + (y₁ + y₃), (y₀ + y₂) − (y₁ + y₃), (y₀ + 4y₂) + 2(y₁ + 4y₃),
 * (y₀ + 4y₂) − 2(y₁ + 4y₃), y₃` through the partial sums `$g0…$g3` (`prelude`); every
 * multiplier is a power of two (exact).
 */
function gradientRows4x4(y) {
  return {
    prelude: [
      `(local.set $g0 ${add(y[0], y[2])})`,
      `(local.set $g1 ${add(y[1], y[3])})`,
      `(local.set $g2 ${add(y[0], times(4, y[2]))})`,
      `(local.set $g3 ${times(2, add(y[1], times(4, y[3])))})`,
    ].join(' '),
    values: [
      y[0],
      add(get('g0'), get('g1')),
      sub(get('g0'), get('g1')),
      add(get('g2'), get('g3')),
      sub(get('g2'), get('g3')),
      y[3],
    ],
  };
}

/**
 * F(4×4, 3×3)'s {@link gradientTransform}: `Z[t, p, o] = (A dY Aᵀ)[p]` for the 4×4 tiles of
 * `DY` `[N, 4·tilesH, 4·tilesW, O]` of the images `n0 ≤ n < n1`, tile-major as
 * {@link inputTransform4x4}'s `V` (a tile's 36 planes `pStride = 4·O` bytes apart, tiles
 * `tileRow` bytes apart): A down
 * each of the tile's four columns (24 values kept), then A across each of the six rows, six
 * planes stored a row. The check sum adds each column's second row, the sum of its four values.
 */
const gradientTransform4x4 = `
  (func $winogradGradientTransform4x4
    (param $DY i32) (param $Z i32) (param $n0 i32) (param $n1 i32) (param $tilesH i32) (param $tilesW i32)
    (param $O i32) (param $pStride i32) (param $tileRow i32) (param $checkAt i32)
    (local $n i32) (local $ty i32) (local $tx i32) (local $Ob i32) (local $rowB i32) (local $oend i32)
    (local $z i32) (local $q i32) (local $check v128)
    ${range(4)
      .map((i) => `(local $r${i} i32) (local $d${i} v128)`)
      .join(' ')}
    ${range(3)
      .map((j) => `(local $col${j + 1} i32)`)
      .join(' ')}
    (local $g0 v128) (local $g1 v128) (local $g2 v128) (local $g3 v128)
    ${range(24)
      .map((k) => `(local $u${Math.floor(k / 4)}${k % 4} v128)`)
      .join(' ')}
    (local.set $Ob (i32.shl ${get('O')} (i32.const 2)))
    ${range(3)
      .map((j) => `(local.set $col${j + 1} (i32.mul ${get('Ob')} (i32.const ${j + 1})))`)
      .join(' ')}
    (local.set $rowB (i32.shl (i32.mul ${get('tilesW')} ${get('Ob')}) (i32.const 2)))
    (local.set $z ${get('Z')})
    (local.set $n ${get('n0')})
    (block $nDone (loop $nLoop
      (br_if $nDone (i32.ge_u ${get('n')} ${get('n1')}))
      (local.set $ty (i32.const 0))
      (loop $yLoop
        (local.set $tx (i32.const 0))
        (loop $xLoop
          (local.set $r0 (i32.add ${get('DY')} (i32.add
            (i32.mul (i32.add (i32.shl (i32.mul ${get('n')} ${get('tilesH')}) (i32.const 2)) (i32.shl ${get('ty')} (i32.const 2))) ${get('rowB')})
            (i32.shl (i32.mul ${get('tx')} ${get('Ob')}) (i32.const 2)))))
          ${range(3)
            .map((i) => `(local.set $r${i + 1} (i32.add ${get(`r${i}`)} ${get('rowB')}))`)
            .join(' ')}
          (local.set $oend (i32.add ${get('r0')} ${get('Ob')}))
          (loop $oLoop
          ${range(4)
            .map((j) => {
              const at = (i) =>
                j === 0 ? get(`r${i}`) : `(i32.add ${get(`r${i}`)} ${get(`col${j}`)})`;
              const rows = gradientRows4x4(range(4).map((i) => get(`d${i}`)));
              return `
          ;; column ${j}: A down the rows
          ${range(4)
            .map((i) => `(local.set $d${i} (v128.load ${at(i)}))`)
            .join(' ')}
          ${rows.prelude}
          ${rows.values.map((value, i) => `(local.set $u${i}${j} ${value})`).join('\n          ')}
          (local.set $check ${add(get('check'), get(`u1${j}`))})`;
            })
            .join('')}
          ;; A across the columns, six planes a row
          (local.set $q ${get('z')})
          ${range(6)
            .map((i) => {
              const rows = gradientRows4x4(range(4).map((j) => get(`u${i}${j}`)));
              return `${rows.prelude}
          ${rows.values
            .map(
              (value) =>
                `(v128.store ${get('q')} ${value}) (local.set $q (i32.add ${get('q')} ${get('pStride')}))`,
            )
            .join('\n          ')}`;
            })
            .join('\n          ')}
          (local.set $z (i32.add ${get('z')} (i32.const 16)))
          ${range(4)
            .map((i) => `(local.set $r${i} (i32.add ${get(`r${i}`)} (i32.const 16)))`)
            .join(' ')}
          (br_if $oLoop (i32.lt_u ${get('r0')} ${get('oend')})))
          ;; past the tile's other 35 planes and the gap to the next tile's row
          (local.set $z (i32.add ${get('z')} (i32.sub ${get('tileRow')} ${get('pStride')})))
          (br_if $xLoop (i32.lt_u (local.tee $tx (i32.add ${get('tx')} (i32.const 1))) ${get('tilesW')})))
        (br_if $yLoop (i32.lt_u (local.tee $ty (i32.add ${get('ty')} (i32.const 1))) ${get('tilesH')})))
      (local.set $n (i32.add ${get('n')} (i32.const 1)))
      (br $nLoop)))
    ${storeCheck}
  )`;

/**
 * F(4×4, 3×3)'s {@link outputTransform}: `Y[n, 4ty + i, 4tx + j, o] = act(bias[o] + (Aᵀ m A)[i, j])`,
 * `m` the 36 planes of `M` at one tile, tile-major as {@link inputTransform4x4}'s `V`
 * (`[tiles][36][O]`, `pStride = 4·O`): Aᵀ down each of the six columns, then A across
 * each of the four rows, 16 pixels stored. The column pass's 24 vectors go through the
 * staging at `E` (384 bytes), as {@link inputTransform4x4}'s do.
 */
const outputTransform4x4 = `
  (func $winogradOutputTransform4x4
    (param $M i32) (param $bias i32) (param $relu i32) (param $Y i32) (param $n0 i32) (param $n1 i32)
    (param $tilesH i32) (param $tilesW i32) (param $O i32) (param $yImage i32) (param $yRow i32)
    (param $yPixel i32) (param $pStride i32) (param $E i32)
    (local $n i32) (local $ty i32) (local $tx i32) (local $o0 i32) (local $Ob i32) (local $mt i32)
    (local $yp i32) (local $q i32) (local $p6 i32) (local $b v128) (local $floor v128)
    (local $s12 v128) (local $d12 v128) (local $s34 v128) (local $d34 v128)
    ${range(6)
      .map((i) => `(local $m${i} v128)`)
      .join(' ')}
    (local.set $Ob (i32.shl ${get('O')} (i32.const 2)))
    (local.set $p6 (i32.mul ${get('pStride')} (i32.const 6)))
    ;; ReLU as max(·, 0), the identity as max(·, −∞) (every value but NaN, which stays NaN):
    ;; one instruction a store and no branch
    (local.set $floor (if (result v128) ${get('relu')}
      (then (v128.const f32x4 0 0 0 0))
      (else (v128.const f32x4 -inf -inf -inf -inf))))
    (local.set $mt ${get('M')})
    (local.set $n ${get('n0')})
    (block $nDone (loop $nLoop
      (br_if $nDone (i32.ge_u ${get('n')} ${get('n1')}))
      (local.set $ty (i32.const 0))
      (loop $yLoop
        (local.set $tx (i32.const 0))
        (loop $xLoop
          (local.set $yp (i32.add ${get('Y')} (i32.add (i32.mul ${get('n')} ${get('yImage')})
            (i32.add (i32.mul (i32.shl ${get('ty')} (i32.const 2)) ${get('yRow')})
              (i32.mul (i32.shl ${get('tx')} (i32.const 2)) ${get('yPixel')})))))
          (local.set $o0 (i32.const 0))
          (loop $oLoop
          ${range(6)
            .map((j) => {
              const rows = outputRows4x4(range(6).map((i) => get(`m${i}`)));
              return `;; column ${j}: planes ${j}, ${j + 6}, …, ${j + 30}; Aᵀ down the rows
          ${loadStrided(
            `(i32.add (i32.add ${get('mt')} ${get('o0')}) ${j === 0 ? '(i32.const 0)' : `(i32.mul ${get('pStride')} (i32.const ${j}))`})`,
            get('p6'),
            range(6).map((i) => `m${i}`),
          )}
          ${rows.prelude}
          ${rows.values.map((value, i) => `(v128.store ${staged(i, j)} ${value})`).join(' ')}`;
            })
            .join('\n          ')}
          (local.set $b (if (result v128) ${get('bias')}
            (then (v128.load (i32.add ${get('bias')} ${get('o0')})))
            (else (v128.const f32x4 0 0 0 0))))
          ;; A across the columns, the bias and the activation
          ${range(4)
            .map((i) => {
              const rows = outputRows4x4(range(6).map((j) => `(v128.load ${staged(i, j)})`));
              const row = `(i32.add (i32.add ${get('yp')} ${get('o0')}) (i32.mul ${get('yRow')} (i32.const ${i})))`;
              return `${rows.prelude}
          ${rows.values
            .map((value, j) => {
              const pixel = `(i32.add ${row} (i32.mul ${get('yPixel')} (i32.const ${j})))`;
              return `(v128.store ${pixel} (f32x4.max ${add(value, get('b'))} ${get('floor')}))`;
            })
            .join('\n          ')}`;
            })
            .join('\n          ')}
          (br_if $oLoop (i32.lt_u (local.tee $o0 (i32.add ${get('o0')} (i32.const 16))) ${get('Ob')})))
          (local.set $mt (i32.add ${get('mt')} (i32.mul ${get('pStride')} (i32.const 36))))
          (br_if $xLoop (i32.lt_u (local.tee $tx (i32.add ${get('tx')} (i32.const 1))) ${get('tilesW')})))
        (br_if $yLoop (i32.lt_u (local.tee $ty (i32.add ${get('ty')} (i32.const 1))) ${get('tilesH')})))
      (local.set $n (i32.add ${get('n')} (i32.const 1)))
      (br $nLoop)))
  )`;

/**
 * \`C4\`: the input channels rounded up to 4, the transformed planes' row length. The input
 * transform reads whole vectors, so with \`C\` not a multiple of 4 a pixel's last vector
 * carries the next pixel's first channels (or, after an image's last pixel, the 4 floats
 * the caller zeroes past its scratch image): the filter's transform has zero rows there,
 * and the filter gradient's rows past \`C\` are dropped.
 */
const roundChannels = `(local.set $C4 (i32.and (i32.add ${get('C')} (i32.const 3)) (i32.const -4)))`;

/**
 * The forward export of one tile size: `winogradForward` runs F(2×2, 3×3), `winogradForward4x4`
 * F(4×4, 3×3); the same steps, arguments and scratch layout, their transforms and plane
 * counts (16, 36) apart.
 */
function forward(m) {
  const planes = (m + 2) * (m + 2);
  const [exportName, inputStep, outputStep] =
    m === 2
      ? ['winogradForward', '$winogradInputTransform', '$winogradOutputTransform']
      : ['winogradForward4x4', '$winogradInputTransform4x4', '$winogradOutputTransform4x4'];
  const rowBytes = (channels) => `(i32.shl ${channels} (i32.const 2))`;
  // F(2×2, 3×3) plane-major, each plane a cache line longer (the file comment); F(4×4, 3×3)
  // tile-major (see inputTransform4x4), its plane stride a row of channels.
  const strides =
    m === 2
      ? `(local.set $vStride (i32.add (i32.shl (i32.mul ${get('T')} ${get('C4')}) (i32.const 2)) (i32.const 64)))
      (local.set $mStride (i32.add (i32.shl (i32.mul ${get('T')} ${get('O')}) (i32.const 2)) (i32.const 64)))
      (local.set $vRow ${rowBytes(get('C4'))}) (local.set $mRow ${rowBytes(get('O'))})`
      : `(local.set $vStride ${rowBytes(get('C4'))}) (local.set $mStride ${rowBytes(get('O'))})
      (local.set $vRow (i32.mul ${get('vStride')} (i32.const ${planes})))
      (local.set $mRow (i32.mul ${get('mStride')} (i32.const ${planes})))`;
  return `
  ;; Y[n, y, x, o] = act(bias[o] + Σ_{a,b,c} P[n, y + a, x + b, c] · g[a, b, c, o]) for n0 ≤ n < n1,
  ;; 3×3 stride 1, by Winograd F(${m}×${m}, 3×3): X [N, H, W, C] unpadded, P its image with top/left
  ;; zero rows/columns and zeros after, [Hp, Wp, C] (Hp ≥ ${m}·tilesH + 2, Hp ≥ H + top, …),
  ;; U [${planes}, C, O] = G g Gᵀ, Y as in convForward (outH = ${m}·tilesH, outW = ${m}·tilesW).
  ;; \`chunk\` images at a time through this thread's scratch: S their padded copies
  ;; [chunk, Hp, Wp, C] (built here, so the padded batch is never written out), V and M ${planes}
  ;; planes [chunk·tiles, C] and [chunk·tiles, O], each plane 16 floats longer (see the file
  ;; comment); more images a chunk give the products more rows for each plane of U they
  ;; stream (tiles = tilesH · tilesW ≥ 4). U has C4 = ⌈C/4⌉·4 rows (zero past C), O a
  ;; multiple of 8. The input's check sum goes to check. Each output pixel depends on its own
  ;; image alone, whatever the chunks.
  (func (export "${exportName}")
    (param $X i32) (param $U i32) (param $bias i32) (param $Y i32) (param $n0 i32) (param $n1 i32)
    (param $H i32) (param $W i32) (param $C i32) (param $top i32) (param $left i32)
    (param $Hp i32) (param $Wp i32) (param $tilesH i32) (param $tilesW i32) (param $O i32)
    (param $relu i32) (param $yImage i32) (param $yRow i32) (param $yPixel i32)
    (param $chunk i32) (param $S i32) (param $V i32) (param $M i32) (param $check i32)
    (local $nc i32) (local $ncEnd i32) (local $T i32) (local $vStride i32) (local $mStride i32) (local $C4 i32)
    (local $vRow i32) (local $mRow i32)
    ${roundChannels}
    (local.set $nc ${get('n0')})
    (block $done (loop $chunks
      (br_if $done (i32.ge_u ${get('nc')} ${get('n1')}))
      (local.set $ncEnd (i32.add ${get('nc')} ${get('chunk')}))
      (if (i32.gt_u ${get('ncEnd')} ${get('n1')}) (then (local.set $ncEnd ${get('n1')})))
      (local.set $T (i32.mul (i32.sub ${get('ncEnd')} ${get('nc')}) (i32.mul ${get('tilesH')} ${get('tilesW')})))
      ${strides}
      (call $padImages (i32.add ${get('X')} (i32.shl (i32.mul ${get('nc')} (i32.mul (i32.mul ${get('H')} ${get('W')}) ${get('C')})) (i32.const 2)))
        ${get('S')} (i32.const 0) (i32.sub ${get('ncEnd')} ${get('nc')}) ${get('H')} ${get('W')} ${get('C')} ${get('C')} ${get('Hp')} ${get('Wp')} ${get('top')} ${get('left')})
      (call ${inputStep} ${get('S')} ${get('V')} (i32.const 0) (i32.sub ${get('ncEnd')} ${get('nc')})
        ${get('Hp')} ${get('Wp')} ${get('C')} ${get('tilesH')} ${get('tilesW')} ${get('vStride')}${m === 2 ? '' : ` ${get('vRow')}`} ${get('check')})
      (call $winogradProduct ${get('V')} ${get('U')} ${get('M')} ${get('T')} ${get('C4')} ${get('O')}
        ${get('vStride')} ${get('mStride')} ${get('vRow')} ${get('mRow')} (i32.const ${planes}))
      (call ${outputStep} ${get('M')} ${get('bias')} ${get('relu')} ${get('Y')} ${get('nc')} ${get('ncEnd')}
        ${get('tilesH')} ${get('tilesW')} ${get('O')} ${get('yImage')} ${get('yRow')} ${get('yPixel')} ${get('mStride')}${m === 2 ? '' : ` ${stagingAt(get('check'))}`})
      (local.set $nc ${get('ncEnd')})
      (br $chunks)))
  )`;
}

/**
 * The filter-gradient export of one tile size: `winogradFilterGradient` runs F(2×2, 3×3)
 * (16 planes, plane-major, each a cache line longer), `winogradFilterGradient4x4` F(4×4, 3×3)
 * (36 planes, tile-major as its forward's, each tile's row a cache line longer: rows of
 * `36·4·C4` bytes, a multiple of 1 KiB at 64 channels, would put a plane's rows in a
 * quarter of L1's sets, and the sums stream a plane's rows once per channel block); the
 * same steps, arguments and scratch use.
 */
function filterGradient(m) {
  const planes = (m + 2) * (m + 2);
  const [exportName, inputStep, gradientStep] =
    m === 2
      ? ['winogradFilterGradient', '$winogradInputTransform', '$winogradGradientTransform']
      : [
          'winogradFilterGradient4x4',
          '$winogradInputTransform4x4',
          '$winogradGradientTransform4x4',
        ];
  const rowBytes = (channels) => `(i32.shl ${channels} (i32.const 2))`;
  const strides =
    m === 2
      ? `(local.set $vStride (i32.add (i32.shl (i32.mul ${get('T')} ${get('C4')}) (i32.const 2)) (i32.const 64)))
      (local.set $zStride (i32.add (i32.shl (i32.mul ${get('T')} ${get('O')}) (i32.const 2)) (i32.const 64)))
      (local.set $vRow ${rowBytes(get('C4'))}) (local.set $zRow ${rowBytes(get('O'))})`
      : `(local.set $vStride ${rowBytes(get('C4'))}) (local.set $zStride ${rowBytes(get('O'))})
      (local.set $vRow (i32.add (i32.mul ${get('vStride')} (i32.const ${planes})) (i32.const 64)))
      (local.set $zRow (i32.add (i32.mul ${get('zStride')} (i32.const ${planes})) (i32.const 64)))`;
  return `
  ;; UW[p, c, o] += Σ_{n0 ≤ n < n1, tiles} (Bᵀ d B)[p, c] · (A dY Aᵀ)[p, o]: the filter gradient of a
  ;; 3×3 stride-1 convolution in the transformed domain by F(${m}×${m}, 3×3) (the caller applies
  ;; Gᵀ · G), X and its padding as in ${m === 2 ? 'winogradForward' : 'winogradForward4x4'}, DY [N, ${m}·tilesH, ${m}·tilesW, O].
  ;; Images go \`chunk\` at a time through this thread's scratch S (their padded copies), V and Z
  ;; (${planes} planes [chunk·tiles, C] and [chunk·tiles, O]${m === 2 ? ', 16 floats longer each' : ', tile-major, each tile 16 floats longer'}); UW
  ;; [${planes}, C4, O], C4 = ⌈C/4⌉·4 rows, O a multiple of 8. The inputs' check sum goes to check.
  (func (export "${exportName}")
    (param $X i32) (param $DY i32) (param $UW i32) (param $n0 i32) (param $n1 i32)
    (param $H i32) (param $W i32) (param $C i32) (param $top i32) (param $left i32)
    (param $Hp i32) (param $Wp i32) (param $tilesH i32) (param $tilesW i32) (param $O i32)
    (param $chunk i32) (param $S i32) (param $V i32) (param $Z i32) (param $check i32)
    (local $nc i32) (local $ncEnd i32) (local $T i32) (local $vStride i32) (local $zStride i32) (local $C4 i32)
    (local $vRow i32) (local $zRow i32)
    ${roundChannels}
    (local.set $nc ${get('n0')})
    (block $done (loop $chunks
      (br_if $done (i32.ge_u ${get('nc')} ${get('n1')}))
      (local.set $ncEnd (i32.add ${get('nc')} ${get('chunk')}))
      (if (i32.gt_u ${get('ncEnd')} ${get('n1')}) (then (local.set $ncEnd ${get('n1')})))
      (local.set $T (i32.mul (i32.sub ${get('ncEnd')} ${get('nc')}) (i32.mul ${get('tilesH')} ${get('tilesW')})))
      ${strides}
      (call $padImages (i32.add ${get('X')} (i32.shl (i32.mul ${get('nc')} (i32.mul (i32.mul ${get('H')} ${get('W')}) ${get('C')})) (i32.const 2)))
        ${get('S')} (i32.const 0) (i32.sub ${get('ncEnd')} ${get('nc')}) ${get('H')} ${get('W')} ${get('C')} ${get('C')} ${get('Hp')} ${get('Wp')} ${get('top')} ${get('left')})
      (call ${inputStep} ${get('S')} ${get('V')} (i32.const 0) (i32.sub ${get('ncEnd')} ${get('nc')})
        ${get('Hp')} ${get('Wp')} ${get('C')} ${get('tilesH')} ${get('tilesW')} ${get('vStride')}${m === 2 ? '' : ` ${get('vRow')}`} ${get('check')})
      (call ${gradientStep} ${get('DY')} ${get('Z')} ${get('nc')} ${get('ncEnd')}
        ${get('tilesH')} ${get('tilesW')} ${get('O')} ${get('zStride')}${m === 2 ? '' : ` ${get('zRow')}`} ${get('check')})
      (call $winogradProductAccumulate ${get('V')} ${get('Z')} ${get('UW')} ${get('T')} ${get('C4')} ${get('O')}
        ${get('vStride')} ${get('zStride')} ${get('vRow')} ${get('zRow')} (i32.const ${planes}))
      (local.set $nc ${get('ncEnd')})
      (br $chunks)))
  )`;
}

/** The Winograd functions of the module (four exports and their internal steps). */
export function convWinogradWat(fused) {
  return [
    inputTransform,
    gradientTransform,
    product(fused),
    productAccumulate(fused),
    outputTransform,
    inputTransform4x4,
    gradientTransform4x4,
    outputTransform4x4,
    forward(2),
    forward(4),
    filterGradient(2),
    filterGradient(4),
  ].join('\n');
}
