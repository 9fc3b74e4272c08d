/**
 * Writes the text of `src/kernels/wasm/conv-fma.wat`: trustgrad's register-
 * blocked convolution kernels for NHWC tensors on tfjs-backend-wasm's heap.
 * The micro-kernels are unrolled (4 pixels × 8 output channels, 4 input
 * channels × 8 output channels), which is why the text is generated rather
 * than kept by hand. `fused: true` multiplies-adds with `f32x4.relaxed_madd`
 * (one FMA instruction on x86-64 with FMA3 and on arm64), `fused: false` with
 * `f32x4.mul` then `f32x4.add`, for engines without relaxed SIMD.
 */

import { convWinogradWat } from './conv-winograd-wat.mjs';
import { winogradFilterBackWat, winogradFilterWat } from './winograd-filter-wat.mjs';

/** `a · b + c`, four lanes. */
function madd(fused, a, b, c) {
  return fused ? `(f32x4.relaxed_madd ${a} ${b} ${c})` : `(f32x4.add (f32x4.mul ${a} ${b}) ${c})`;
}

const get = (name) => `(local.get $${name})`;
const range = (n) => [...Array(n).keys()];
const PIXELS = 4;
const OUTPUTS = 8;

function convForward(fused) {
  const accumulators = range(PIXELS).flatMap((i) => [`a${i}0`, `a${i}1`]);
  const taps = range(PIXELS)
    .map(
      (i) => `
                  (local.set $s (v128.load32_splat ${get(`p${i}`)}))
                  (local.set $a${i}0 ${madd(fused, get('s'), get('w0'), get(`a${i}0`))})
                  (local.set $a${i}1 ${madd(fused, get('s'), get('w1'), get(`a${i}1`))})`,
    )
    .join('');
  const stores = range(PIXELS)
    .flatMap((i) =>
      [0, 1].map(
        (j) => `
            (v128.store offset=${16 * j} (i32.add ${get('yp')} (i32.mul (i32.const ${i}) ${get('yPixel')}))
              (if (result v128) ${get('relu')}
                (then (f32x4.max ${get(`a${i}${j}`)} (v128.const f32x4 0 0 0 0)))
                (else ${get(`a${i}${j}`)})))`,
      ),
    )
    .join('');
  return `
  ;; Y[n, y, x, o] = act(bias[o] + Σ_{a,b,c} P[n, y·sH + a, x·sW + b, c] · W[a, b, c, o]) for n0 ≤ n < n1:
  ;; P [N, Hp, Wp, C] (padding already in place), W [fh, fw, C, O]; Y[n, y, x, :] at byte
  ;; Y + n·yImage + y·yRow + x·yPixel (a dense [N, outH, outW, O] has yPixel = 4·O, …).
  ;; O a multiple of ${OUTPUTS}, outW ≥ ${PIXELS}; bias 0 for none; relu 1 for max(·, 0).
  ;; Tiles of ${PIXELS} output pixels of a row × ${OUTPUTS} output channels; a row's last tile
  ;; starts at outW − ${PIXELS} and may redo pixels of the one before (same values, stored again).
  (func (export "convForward")
    (param $P i32) (param $W i32) (param $bias i32) (param $Y i32) (param $n0 i32) (param $n1 i32)
    (param $Hp i32) (param $Wp i32) (param $C i32) (param $outH i32) (param $outW i32) (param $O i32)
    (param $fh i32) (param $fw i32) (param $sH i32) (param $sW i32) (param $relu i32)
    (param $yImage i32) (param $yRow i32) (param $yPixel i32)
    (local $n i32) (local $y i32) (local $x0 i32) (local $o0 i32) (local $a i32) (local $b i32)
    ${range(PIXELS)
      .map((i) => `(local $p${i} i32)`)
      .join(' ')} (local $wp i32) (local $ps i32)
    (local $Cb i32) (local $Ob i32) (local $rowBase i32) (local $cend i32) (local $yp i32)
    (local $s v128) (local $w0 v128) (local $w1 v128) (local $init0 v128) (local $init1 v128)
    ${accumulators.map((a) => `(local $${a} v128)`).join(' ')}
    (local.set $Cb (i32.shl ${get('C')} (i32.const 2)))
    (local.set $Ob (i32.shl ${get('O')} (i32.const 2)))
    (local.set $ps (i32.mul ${get('sW')} ${get('Cb')}))
    (local.set $n ${get('n0')})
    (block $nDone (loop $nLoop
      (br_if $nDone (i32.ge_u ${get('n')} ${get('n1')}))
      (local.set $y (i32.const 0))
      (loop $yLoop
        (local.set $x0 (i32.const 0))
        (loop $xLoop
          (if (i32.gt_s ${get('x0')} (i32.sub ${get('outW')} (i32.const ${PIXELS})))
            (then (local.set $x0 (i32.sub ${get('outW')} (i32.const ${PIXELS})))))
          (local.set $rowBase (i32.add ${get('P')} (i32.mul ${get('Cb')}
            (i32.add
              (i32.mul (i32.add (i32.mul ${get('n')} ${get('Hp')}) (i32.mul ${get('y')} ${get('sH')})) ${get('Wp')})
              (i32.mul ${get('x0')} ${get('sW')})))))
          (local.set $yp (i32.add ${get('Y')} (i32.add (i32.mul ${get('n')} ${get('yImage')})
            (i32.add (i32.mul ${get('y')} ${get('yRow')}) (i32.mul ${get('x0')} ${get('yPixel')})))))
          (local.set $o0 (i32.const 0))
          (loop $oLoop
            (if ${get('bias')}
              (then
                (local.set $init0 (v128.load (i32.add ${get('bias')} (i32.shl ${get('o0')} (i32.const 2)))))
                (local.set $init1 (v128.load offset=16 (i32.add ${get('bias')} (i32.shl ${get('o0')} (i32.const 2))))))
              (else
                (local.set $init0 (v128.const f32x4 0 0 0 0))
                (local.set $init1 (v128.const f32x4 0 0 0 0))))
            ${accumulators.map((a) => `(local.set $${a} ${get(`init${a[2]}`)})`).join('\n            ')}
            (local.set $wp (i32.add ${get('W')} (i32.shl ${get('o0')} (i32.const 2))))
            (local.set $a (i32.const 0))
            (loop $aLoop
              (local.set $b (i32.const 0))
              (loop $bLoop
                (local.set $p0 (i32.add ${get('rowBase')}
                  (i32.mul ${get('Cb')} (i32.add (i32.mul ${get('a')} ${get('Wp')}) ${get('b')}))))
                ${range(PIXELS - 1)
                  .map((i) => `(local.set $p${i + 1} (i32.add ${get(`p${i}`)} ${get('ps')}))`)
                  .join('\n                ')}
                (local.set $cend (i32.add ${get('p0')} ${get('Cb')}))
                (loop $cLoop
                  (local.set $w0 (v128.load ${get('wp')}))
                  (local.set $w1 (v128.load offset=16 ${get('wp')}))${taps}
                  (local.set $wp (i32.add ${get('wp')} ${get('Ob')}))
                  ${range(PIXELS)
                    .map((i) => `(local.set $p${i} (i32.add ${get(`p${i}`)} (i32.const 4)))`)
                    .join('\n                  ')}
                  (br_if $cLoop (i32.lt_u ${get('p0')} ${get('cend')})))
                (br_if $bLoop (i32.lt_u (local.tee $b (i32.add ${get('b')} (i32.const 1))) ${get('fw')})))
              (br_if $aLoop (i32.lt_u (local.tee $a (i32.add ${get('a')} (i32.const 1))) ${get('fh')})))${stores}
            (local.set $yp (i32.add ${get('yp')} (i32.const ${4 * OUTPUTS})))
            (br_if $oLoop (i32.lt_u (local.tee $o0 (i32.add ${get('o0')} (i32.const ${OUTPUTS}))) ${get('O')})))
          (br_if $xLoop (i32.lt_s (local.tee $x0 (i32.add ${get('x0')} (i32.const ${PIXELS}))) ${get('outW')})))
        (br_if $yLoop (i32.lt_u (local.tee $y (i32.add ${get('y')} (i32.const 1))) ${get('outH')})))
      (local.set $n (i32.add ${get('n')} (i32.const 1)))
      (br $nLoop)))
  )`;
}

function convFilterGradient(fused) {
  const ROWS = 4;
  const accumulators = range(ROWS).flatMap((i) => [`a${i}0`, `a${i}1`]);
  const taps = range(ROWS)
    .map(
      (i) => `
                    (local.set $s (v128.load32_splat offset=${4 * i} ${get('xp')}))
                    (local.set $a${i}0 ${madd(fused, get('s'), get('d0'), get(`a${i}0`))})
                    (local.set $a${i}1 ${madd(fused, get('s'), get('d1'), get(`a${i}1`))})`,
    )
    .join('');
  const stores = range(ROWS)
    .flatMap((i) =>
      [0, 1].map((j) => {
        const at = `(i32.add ${get('dwp')} (i32.mul (i32.const ${i}) ${get('Ob')}))`;
        return `
              (v128.store offset=${16 * j} ${at} (f32x4.add (v128.load offset=${16 * j} ${at}) ${get(`a${i}${j}`)}))`;
      }),
    )
    .join('');
  return `
  ;; DW[a, b, c, o] += Σ_{n0 ≤ n < n1, y, x} P[n, y·sH + a, x·sW + b, c] · DY[n, y, x, o]:
  ;; P [N, Hp, Wp, C] (padding in place), DY [N, outH, outW, O], DW [fh, fw, C, O].
  ;; C a multiple of ${ROWS}, O of ${OUTPUTS}. Images go in chunks of \`chunk\`: a tile of ${ROWS} filter rows ×
  ;; ${OUTPUTS} output channels sums a chunk's pixels in float32 registers, then adds into DW.
  (func (export "convFilterGradient")
    (param $P i32) (param $DY i32) (param $DW i32) (param $n0 i32) (param $n1 i32)
    (param $Hp i32) (param $Wp i32) (param $C i32) (param $outH i32) (param $outW i32) (param $O i32)
    (param $fh i32) (param $fw i32) (param $sH i32) (param $sW i32) (param $chunk i32)
    (local $n i32) (local $nc i32) (local $ncEnd i32) (local $y i32) (local $c0 i32) (local $o0 i32)
    (local $a i32) (local $b i32) (local $xp i32) (local $dp i32) (local $dend i32) (local $dwp i32)
    (local $ps i32) (local $Cb i32) (local $Ob i32)
    (local $s v128) (local $d0 v128) (local $d1 v128)
    ${accumulators.map((a) => `(local $${a} v128)`).join(' ')}
    (local.set $Cb (i32.shl ${get('C')} (i32.const 2)))
    (local.set $Ob (i32.shl ${get('O')} (i32.const 2)))
    (local.set $ps (i32.mul ${get('sW')} ${get('Cb')}))
    (local.set $nc ${get('n0')})
    (block $chunkDone (loop $chunkLoop
      (br_if $chunkDone (i32.ge_u ${get('nc')} ${get('n1')}))
      (local.set $ncEnd (i32.add ${get('nc')} ${get('chunk')}))
      (if (i32.gt_u ${get('ncEnd')} ${get('n1')}) (then (local.set $ncEnd ${get('n1')})))
      (local.set $a (i32.const 0))
      (loop $aLoop
        (local.set $b (i32.const 0))
        (loop $bLoop
          (local.set $c0 (i32.const 0))
          (loop $cLoop
            (local.set $o0 (i32.const 0))
            (loop $oLoop
              ${accumulators.map((a) => `(local.set $${a} (v128.const f32x4 0 0 0 0))`).join('\n              ')}
              (local.set $n ${get('nc')})
              (loop $imageLoop
                (local.set $y (i32.const 0))
                (loop $yLoop
                  (local.set $xp (i32.add ${get('P')} (i32.add (i32.shl ${get('c0')} (i32.const 2))
                    (i32.mul ${get('Cb')} (i32.add
                      (i32.mul (i32.add (i32.mul ${get('n')} ${get('Hp')}) (i32.add (i32.mul ${get('y')} ${get('sH')}) ${get('a')})) ${get('Wp')})
                      ${get('b')})))))
                  (local.set $dp (i32.add ${get('DY')} (i32.add (i32.shl ${get('o0')} (i32.const 2))
                    (i32.mul ${get('Ob')} (i32.mul (i32.add (i32.mul ${get('n')} ${get('outH')}) ${get('y')}) ${get('outW')})))))
                  (local.set $dend (i32.add ${get('dp')} (i32.mul ${get('outW')} ${get('Ob')})))
                  (loop $xLoop
                    (local.set $d0 (v128.load ${get('dp')}))
                    (local.set $d1 (v128.load offset=16 ${get('dp')}))${taps}
                    (local.set $xp (i32.add ${get('xp')} ${get('ps')}))
                    (br_if $xLoop (i32.lt_u (local.tee $dp (i32.add ${get('dp')} ${get('Ob')})) ${get('dend')})))
                  (br_if $yLoop (i32.lt_u (local.tee $y (i32.add ${get('y')} (i32.const 1))) ${get('outH')})))
                (br_if $imageLoop (i32.lt_u (local.tee $n (i32.add ${get('n')} (i32.const 1))) ${get('ncEnd')})))
              (local.set $dwp (i32.add ${get('DW')} (i32.shl
                (i32.add ${get('o0')} (i32.mul ${get('O')}
                  (i32.add ${get('c0')} (i32.mul ${get('C')} (i32.add ${get('b')} (i32.mul ${get('a')} ${get('fw')}))))))
                (i32.const 2))))${stores}
              (br_if $oLoop (i32.lt_u (local.tee $o0 (i32.add ${get('o0')} (i32.const ${OUTPUTS}))) ${get('O')})))
            (br_if $cLoop (i32.lt_u (local.tee $c0 (i32.add ${get('c0')} (i32.const ${ROWS}))) ${get('C')})))
          (br_if $bLoop (i32.lt_u (local.tee $b (i32.add ${get('b')} (i32.const 1))) ${get('fw')})))
        (br_if $aLoop (i32.lt_u (local.tee $a (i32.add ${get('a')} (i32.const 1))) ${get('fh')})))
      (local.set $nc ${get('ncEnd')})
      (br $chunkLoop)))
  )`;
}

const padImages = `
  ;;  P[n, top + i, left + j, c] = X[n, i, j, c] for c < C, 0 elsewhere: X [N, H, W, C], P [N, Hp, Wp, Cp],
  ;;  n0 ≤ n < n1, Cp ≥ C (Cp > C rounds the channels up for the kernels: the extra ones are zero).
  (func $padImages (export "padImages")
    (param $X i32) (param $P i32) (param $n0 i32) (param $n1 i32) (param $H i32) (param $W i32) (param $C i32)
    (param $Cp i32) (param $Hp i32) (param $Wp i32) (param $top i32) (param $left i32)
    (local $n i32) (local $i i32) (local $j i32) (local $k i32) (local $src i32) (local $dst i32) (local $rowIn i32) (local $rowOut i32)
    (local $leftBytes i32) (local $rightBytes i32) (local $bottomRows i32) (local $pixIn i32) (local $pixOut i32) (local $last i32)
    (if (i32.ne ${get('C')} ${get('Cp')}) (then
      ;; rounded channels: zero each image, then copy pixel by pixel (4 floats at a time, the
      ;; last group of C ≥ 4 overlapping the one before; fewer channels one float at a time)
      (local.set $pixIn (i32.shl ${get('C')} (i32.const 2)))
      (local.set $pixOut (i32.shl ${get('Cp')} (i32.const 2)))
      (local.set $last (i32.sub ${get('pixIn')} (i32.const 16)))
      (local.set $n ${get('n0')})
      (block $pdone (loop $pimages
        (br_if $pdone (i32.ge_u ${get('n')} ${get('n1')}))
        (local.set $src (i32.add ${get('X')} (i32.mul ${get('n')} (i32.mul (i32.mul ${get('H')} ${get('W')}) ${get('pixIn')}))))
        (local.set $dst (i32.add ${get('P')} (i32.mul ${get('n')} (i32.mul (i32.mul ${get('Hp')} ${get('Wp')}) ${get('pixOut')}))))
        (memory.fill ${get('dst')} (i32.const 0) (i32.mul (i32.mul ${get('Hp')} ${get('Wp')}) ${get('pixOut')}))
        (local.set $dst (i32.add ${get('dst')} (i32.mul (i32.add (i32.mul ${get('top')} ${get('Wp')}) ${get('left')}) ${get('pixOut')})))
        (local.set $i (i32.const 0))
        (block $prowsDone (loop $prows
          (br_if $prowsDone (i32.ge_u ${get('i')} ${get('H')}))
          (local.set $j (i32.const 0))
          (block $pxDone (loop $px
            (br_if $pxDone (i32.ge_u ${get('j')} ${get('W')}))
            (local.set $k (i32.const 0))
            (if (i32.ge_s ${get('last')} (i32.const 0))
              (then
                (block $vDone (loop $v
                  (br_if $vDone (i32.ge_s ${get('k')} ${get('pixIn')}))
                  (if (i32.gt_s ${get('k')} ${get('last')}) (then (local.set $k ${get('last')})))
                  (v128.store (i32.add ${get('dst')} ${get('k')}) (v128.load (i32.add ${get('src')} ${get('k')})))
                  (local.set $k (i32.add ${get('k')} (i32.const 16)))
                  (br $v))))
              (else
                (block $sDone (loop $sc
                  (br_if $sDone (i32.ge_s ${get('k')} ${get('pixIn')}))
                  (f32.store (i32.add ${get('dst')} ${get('k')}) (f32.load (i32.add ${get('src')} ${get('k')})))
                  (local.set $k (i32.add ${get('k')} (i32.const 4)))
                  (br $sc)))))
            (local.set $src (i32.add ${get('src')} ${get('pixIn')}))
            (local.set $dst (i32.add ${get('dst')} ${get('pixOut')}))
            (local.set $j (i32.add ${get('j')} (i32.const 1)))
            (br $px)))
          (local.set $dst (i32.add ${get('dst')} (i32.mul (i32.sub ${get('Wp')} ${get('W')}) ${get('pixOut')})))
          (local.set $i (i32.add ${get('i')} (i32.const 1)))
          (br $prows)))
        (local.set $n (i32.add ${get('n')} (i32.const 1)))
        (br $pimages)))
      (return)))
    (local.set $rowIn (i32.shl (i32.mul ${get('W')} ${get('C')}) (i32.const 2)))
    (local.set $rowOut (i32.shl (i32.mul ${get('Wp')} ${get('C')}) (i32.const 2)))
    (local.set $leftBytes (i32.shl (i32.mul ${get('left')} ${get('C')}) (i32.const 2)))
    (local.set $rightBytes (i32.sub (i32.sub ${get('rowOut')} ${get('rowIn')}) ${get('leftBytes')}))
    (local.set $bottomRows (i32.sub (i32.sub ${get('Hp')} ${get('H')}) ${get('top')}))
    (local.set $n ${get('n0')})
    (block $done (loop $images
      (br_if $done (i32.ge_u ${get('n')} ${get('n1')}))
      (local.set $src (i32.add ${get('X')} (i32.mul ${get('n')} (i32.mul ${get('H')} ${get('rowIn')}))))
      (local.set $dst (i32.add ${get('P')} (i32.mul ${get('n')} (i32.mul ${get('Hp')} ${get('rowOut')}))))
      (memory.fill ${get('dst')} (i32.const 0) (i32.mul ${get('top')} ${get('rowOut')}))
      (local.set $dst (i32.add ${get('dst')} (i32.mul ${get('top')} ${get('rowOut')})))
      (local.set $i (i32.const 0))
      (block $rowsDone (loop $rows
        (br_if $rowsDone (i32.ge_u ${get('i')} ${get('H')}))
        (memory.fill ${get('dst')} (i32.const 0) ${get('leftBytes')})
        (memory.copy (i32.add ${get('dst')} ${get('leftBytes')}) ${get('src')} ${get('rowIn')})
        (memory.fill (i32.add (i32.add ${get('dst')} ${get('leftBytes')}) ${get('rowIn')}) (i32.const 0) ${get('rightBytes')})
        (local.set $src (i32.add ${get('src')} ${get('rowIn')}))
        (local.set $dst (i32.add ${get('dst')} ${get('rowOut')}))
        (local.set $i (i32.add ${get('i')} (i32.const 1)))
        (br $rows)))
      (memory.fill ${get('dst')} (i32.const 0) (i32.mul ${get('bottomRows')} ${get('rowOut')}))
      (local.set $n (i32.add ${get('n')} (i32.const 1)))
      (br $images)))
  )`;

/** The module's text; `memoryImport` is the heap import line (shared or not). */
export function convFmaWat({ fused, memoryImport }) {
  return `;; Generated by scripts/conv-fma-wat.mjs (${fused ? 'f32x4.relaxed_madd' : 'f32x4.mul + f32x4.add'}); edit that script, not this file.
(module
  ${memoryImport}
${convForward(fused)}
${convFilterGradient(fused)}
${padImages}
${convWinogradWat(fused)}
${winogradFilterWat()}
${winogradFilterBackWat()}
)
`;
}
