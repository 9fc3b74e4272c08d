;; trustgrad's SIMD kernels on tfjs-backend-wasm's heap (see heap-simd.ts).
;;
;; The module owns no memory: it imports the backend's linear memory, so every
;; pointer argument is a byte address of a tensor's data on that heap
;; (`heapAddress` in heap-simd.ts) and the kernels read and write tensors in
;; place. All tensors are float32 (index tables int32), row-major, NHWC; the
;; channel loops go 4 floats (one v128) at a time, so channel counts must be
;; multiples of 4 except in maxPoolGrad, which finishes the rest one channel at
;; a time (the TypeScript callers check every precondition in the comment
;; above each function before calling).
;; The import below is the threaded build's shared memory; the assembler
;; (scripts/assemble-heap-simd.mjs) also emits a copy importing `(memory 1)`
;; for the single-threaded build. Comments do not change the binary: after an
;; edit, reassemble and the embedded modules in heap-simd.ts are compared by a test.
(module
  (import "env" "memory" (memory 1 65536 shared))
  ;; maxPoolGrad(x, dy, dx, batch, inH, inW, C, outH, outW, fh, fw)
  ;; Gradient of a max-pool whose windows do not overlap (stride = window, no
  ;; padding, every window inside the image), any channel count:
  ;;   x  [batch, inH, inW, C]    the pool's input
  ;;   dy [batch, outH, outW, C]  the gradient of its output
  ;;   dx [batch, inH, inW, C]    written: dy at the first maximum of each window,
  ;;                              0 at the window's other taps (rows/columns no
  ;;                              window covers are left alone; the caller zeroes them)
  ;; "First maximum" is `v > best` in scan order (row, then column): the cpu
  ;; backend's tie rule. A window of only -inf/NaN keeps idx = -1 and routes nothing.
  ;; Per (b, i, j) window and 4 channels d..d+3 (then one at a time for the last
  ;; C mod 4): pass 1 keeps per lane the best value
  ;; and the tap number t (0 .. fh*fw-1) where it was found; pass 2 stores
  ;; dy & (idx == t) at every tap t, i.e. dy at the winning tap and +0 elsewhere.
  (func (export "maxPoolGrad") (param $x i32) (param $dy i32) (param $dx i32) (param $batch i32) (param $inH i32) (param $inW i32) (param $C i32) (param $outH i32) (param $outW i32) (param $fh i32) (param $fw i32) (local $b i32) (local $i i32) (local $j i32) (local $d i32) (local $r i32) (local $c i32) (local $windowAt i32) (local $dyAt i32) (local $t i32) (local $v v128) (local $m v128) (local $best v128) (local $idx v128) (local $g v128) (local $sv f32) (local $sbest f32) (local $sidx i32) (local $sg f32)
    (local.set $b (i32.const 0))
    (block $lb_end (loop $lb
        (br_if $lb_end (i32.ge_s (local.get $b) (local.get $batch)))
        (local.set $i (i32.const 0))
        (block $li_end (loop $li
            (br_if $li_end (i32.ge_s (local.get $i) (local.get $outH)))
            (local.set $j (i32.const 0))
            (block $lj_end (loop $lj
                (br_if $lj_end (i32.ge_s (local.get $j) (local.get $outW)))
                ;; windowAt: element index of x[b, i*fh, j*fw, 0]; dyAt: of dy[b, i, j, 0].
                (local.set $windowAt (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $b) (local.get $inH)) (i32.mul (local.get $i) (local.get $fh))) (local.get $inW)) (i32.mul (local.get $j) (local.get $fw))) (local.get $C)))
                (local.set $dyAt (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $b) (local.get $outH)) (local.get $i)) (local.get $outW)) (local.get $j)) (local.get $C)))
                (local.set $d (i32.const 0))
                (block $ld_end (loop $ld
                    (br_if $ld_end (i32.gt_s (i32.add (local.get $d) (i32.const 4)) (local.get $C)))
                    ;; pass 1: argmax over the window, 4 lanes at once
                    (local.set $best (f32x4.splat (f32.const -inf)))
                    (local.set $idx (i32x4.splat (i32.const -1)))
                    (local.set $t (i32.const 0))
                    (local.set $r (i32.const 0))
                    (block $sr_end (loop $sr
                        (br_if $sr_end (i32.ge_s (local.get $r) (local.get $fh)))
                        (local.set $c (i32.const 0))
                        (block $sc_end (loop $sc
                            (br_if $sc_end (i32.ge_s (local.get $c) (local.get $fw)))
                            (local.set $v (v128.load (i32.add (local.get $x) (i32.shl (i32.add (i32.add (local.get $windowAt) (i32.mul (i32.add (i32.mul (local.get $r) (local.get $inW)) (local.get $c)) (local.get $C))) (local.get $d)) (i32.const 2)))))
                            ;; m: lanes where this tap beats the best so far (false for NaN)
                            (local.set $m (f32x4.gt (local.get $v) (local.get $best)))
                            (local.set $best (v128.bitselect (local.get $v) (local.get $best) (local.get $m)))
                            (local.set $idx (v128.bitselect (i32x4.splat (local.get $t)) (local.get $idx) (local.get $m)))
                            (local.set $t (i32.add (local.get $t) (i32.const 1)))
                            (local.set $c (i32.add (local.get $c) (i32.const 1)))
                            (br $sc)))
                        (local.set $r (i32.add (local.get $r) (i32.const 1)))
                        (br $sr)))
                    ;; pass 2: route dy[b, i, j, d..d+3] to the winning tap of each lane
                    (local.set $g (v128.load (i32.add (local.get $dy) (i32.shl (i32.add (local.get $dyAt) (local.get $d)) (i32.const 2)))))
                    (local.set $t (i32.const 0))
                    (local.set $r (i32.const 0))
                    (block $wr_end (loop $wr
                        (br_if $wr_end (i32.ge_s (local.get $r) (local.get $fh)))
                        (local.set $c (i32.const 0))
                        (block $wc_end (loop $wc
                            (br_if $wc_end (i32.ge_s (local.get $c) (local.get $fw)))
                            (v128.store (i32.add (local.get $dx) (i32.shl (i32.add (i32.add (local.get $windowAt) (i32.mul (i32.add (i32.mul (local.get $r) (local.get $inW)) (local.get $c)) (local.get $C))) (local.get $d)) (i32.const 2))) (v128.and (local.get $g) (i32x4.eq (local.get $idx) (i32x4.splat (local.get $t)))))
                            (local.set $t (i32.add (local.get $t) (i32.const 1)))
                            (local.set $c (i32.add (local.get $c) (i32.const 1)))
                            (br $wc)))
                        (local.set $r (i32.add (local.get $r) (i32.const 1)))
                        (br $wr)))
                    (local.set $d (i32.add (local.get $d) (i32.const 4)))
                    (br $ld)))
                ;; the last C mod 4 channels one at a time, same rule: t == idx gets dy, others +0
                (block $ls_end (loop $ls
                  (br_if $ls_end (i32.ge_s (local.get $d) (local.get $C)))
                  (local.set $sbest (f32.const -inf))
                  (local.set $sidx (i32.const -1))
                  (local.set $t (i32.const 0))
                  (local.set $r (i32.const 0))
                  (block $ssr_end (loop $ssr
                      (br_if $ssr_end (i32.ge_s (local.get $r) (local.get $fh)))
                      (local.set $c (i32.const 0))
                      (block $ssc_end (loop $ssc
                          (br_if $ssc_end (i32.ge_s (local.get $c) (local.get $fw)))
                          (local.set $sv (f32.load (i32.add (local.get $x) (i32.shl (i32.add (i32.add (local.get $windowAt) (i32.mul (i32.add (i32.mul (local.get $r) (local.get $inW)) (local.get $c)) (local.get $C))) (local.get $d)) (i32.const 2)))))
                          (if (f32.gt (local.get $sv) (local.get $sbest))
                            (then (local.set $sbest (local.get $sv)) (local.set $sidx (local.get $t))))
                          (local.set $t (i32.add (local.get $t) (i32.const 1)))
                          (local.set $c (i32.add (local.get $c) (i32.const 1)))
                          (br $ssc)))
                      (local.set $r (i32.add (local.get $r) (i32.const 1)))
                      (br $ssr)))
                  (local.set $sg (f32.load (i32.add (local.get $dy) (i32.shl (i32.add (local.get $dyAt) (local.get $d)) (i32.const 2)))))
                  (local.set $t (i32.const 0))
                  (local.set $r (i32.const 0))
                  (block $swr_end (loop $swr
                      (br_if $swr_end (i32.ge_s (local.get $r) (local.get $fh)))
                      (local.set $c (i32.const 0))
                      (block $swc_end (loop $swc
                          (br_if $swc_end (i32.ge_s (local.get $c) (local.get $fw)))
                          (f32.store (i32.add (local.get $dx) (i32.shl (i32.add (i32.add (local.get $windowAt) (i32.mul (i32.add (i32.mul (local.get $r) (local.get $inW)) (local.get $c)) (local.get $C))) (local.get $d)) (i32.const 2)))
                            (select (local.get $sg) (f32.const 0) (i32.eq (local.get $t) (local.get $sidx))))
                          (local.set $t (i32.add (local.get $t) (i32.const 1)))
                          (local.set $c (i32.add (local.get $c) (i32.const 1)))
                          (br $swc)))
                      (local.set $r (i32.add (local.get $r) (i32.const 1)))
                      (br $swr)))
                  (local.set $d (i32.add (local.get $d) (i32.const 1)))
                  (br $ls)))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $lj)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $li)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $lb)))
  )
  ;; accumulateOuter(a, b, out, p0, p1, R, O)
  ;; out[r, o] += sum over p in [p0, p1) of a[p, r] * b[p, o]
  ;;   a   [pixels, R]  float32, read one scalar at a time (stride R)
  ;;   b   [pixels, O]  float32, read as rows of O (O a multiple of 4)
  ;;   out [R, O]       float32, accumulated into (the caller zeroes it first)
  ;; A sum of outer products over a range of pixels: conv2d-backprop-filter.ts
  ;; calls it with a = the im2col patch matrix, b = dy, out = a partial dw, one
  ;; chunk of pixels at a time (summed across chunks in float64 in JavaScript).
  ;; Per output row r, columns go 16 at a time (4 accumulators, so four
  ;; independent add chains) and then 4 at a time for the rest.
  (func (export "accumulateOuter") (param $a i32) (param $b i32) (param $out i32) (param $p0 i32) (param $p1 i32) (param $R i32) (param $O i32) (local $p i32) (local $r i32) (local $ov i32) (local $aAt i32) (local $bAt i32) (local $outAt i32) (local $aStep i32) (local $bStep i32) (local $s v128) (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128)
    ;; aStep / bStep: bytes from pixel p to p+1 in a and in b
    (local.set $aStep (i32.shl (local.get $R) (i32.const 2)))
    (local.set $bStep (i32.shl (local.get $O) (i32.const 2)))
    (local.set $r (i32.const 0))
    (block $lr_end (loop $lr
        (br_if $lr_end (i32.ge_s (local.get $r) (local.get $R)))
        (local.set $ov (i32.const 0))
        ;; 16 output columns per pass
        (block $l16_end (loop $l16
            (br_if $l16_end (i32.gt_s (i32.add (local.get $ov) (i32.const 16)) (local.get $O)))
            (local.set $aAt (i32.add (local.get $a) (i32.shl (i32.add (i32.mul (local.get $p0) (local.get $R)) (local.get $r)) (i32.const 2))))
            (local.set $bAt (i32.add (local.get $b) (i32.shl (i32.add (i32.mul (local.get $p0) (local.get $O)) (local.get $ov)) (i32.const 2))))
            (local.set $outAt (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $r) (local.get $O)) (local.get $ov)) (i32.const 2))))
            (local.set $acc0 (v128.const i32x4 0 0 0 0)) (local.set $acc1 (v128.const i32x4 0 0 0 0)) (local.set $acc2 (v128.const i32x4 0 0 0 0)) (local.set $acc3 (v128.const i32x4 0 0 0 0))
            (local.set $p (local.get $p0))
            (block $lp4_end (loop $lp4
                (br_if $lp4_end (i32.ge_s (local.get $p) (local.get $p1)))
                (local.set $s (f32x4.splat (f32.load (local.get $aAt))))
                (local.set $acc0 (f32x4.add (local.get $acc0) (f32x4.mul (local.get $s) (v128.load offset=0 (local.get $bAt)))))
                (local.set $acc1 (f32x4.add (local.get $acc1) (f32x4.mul (local.get $s) (v128.load offset=16 (local.get $bAt)))))
                (local.set $acc2 (f32x4.add (local.get $acc2) (f32x4.mul (local.get $s) (v128.load offset=32 (local.get $bAt)))))
                (local.set $acc3 (f32x4.add (local.get $acc3) (f32x4.mul (local.get $s) (v128.load offset=48 (local.get $bAt)))))
                (local.set $aAt (i32.add (local.get $aAt) (local.get $aStep)))
                (local.set $bAt (i32.add (local.get $bAt) (local.get $bStep)))
                (local.set $p (i32.add (local.get $p) (i32.const 1)))
                (br $lp4)))
            (v128.store offset=0 (local.get $outAt) (f32x4.add (v128.load offset=0 (local.get $outAt)) (local.get $acc0))) (v128.store offset=16 (local.get $outAt) (f32x4.add (v128.load offset=16 (local.get $outAt)) (local.get $acc1))) (v128.store offset=32 (local.get $outAt) (f32x4.add (v128.load offset=32 (local.get $outAt)) (local.get $acc2))) (v128.store offset=48 (local.get $outAt) (f32x4.add (v128.load offset=48 (local.get $outAt)) (local.get $acc3)))
            (local.set $ov (i32.add (local.get $ov) (i32.const 16)))
            (br $l16)))
        ;; the remaining output columns, 4 per pass
        (block $l4_end (loop $l4
            (br_if $l4_end (i32.ge_s (local.get $ov) (local.get $O)))
            (local.set $aAt (i32.add (local.get $a) (i32.shl (i32.add (i32.mul (local.get $p0) (local.get $R)) (local.get $r)) (i32.const 2))))
            (local.set $bAt (i32.add (local.get $b) (i32.shl (i32.add (i32.mul (local.get $p0) (local.get $O)) (local.get $ov)) (i32.const 2))))
            (local.set $outAt (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $r) (local.get $O)) (local.get $ov)) (i32.const 2))))
            (local.set $acc0 (v128.const i32x4 0 0 0 0))
            (local.set $p (local.get $p0))
            (block $lp1_end (loop $lp1
                (br_if $lp1_end (i32.ge_s (local.get $p) (local.get $p1)))
                (local.set $s (f32x4.splat (f32.load (local.get $aAt))))
                (local.set $acc0 (f32x4.add (local.get $acc0) (f32x4.mul (local.get $s) (v128.load offset=0 (local.get $bAt)))))
                (local.set $aAt (i32.add (local.get $aAt) (local.get $aStep)))
                (local.set $bAt (i32.add (local.get $bAt) (local.get $bStep)))
                (local.set $p (i32.add (local.get $p) (i32.const 1)))
                (br $lp1)))
            (v128.store offset=0 (local.get $outAt) (f32x4.add (v128.load offset=0 (local.get $outAt)) (local.get $acc0)))
            (local.set $ov (i32.add (local.get $ov) (i32.const 4)))
            (br $l4)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $lr)))
  )
  ;; bandedSeparable(x, tmp, y, batch, H, W, C, rowIdx, rowWt, Th, colIdx, colWt, Tw)
  ;; A separable filter with a few taps per output row and column (banded
  ;; operators: Gaussian blur, bilinear resize and their adjoints):
  ;;   x   [batch, H, W, C]  input (float32, C a multiple of 4)
  ;;   tmp [batch, H, W, C]  scratch for the vertical pass
  ;;   y   [batch, H, W, C]  output
  ;;   rowIdx, rowWt [H, Th]  for output row h: source rows (int32) and weights
  ;;   colIdx, colWt [W, Tw]  for output column w: source columns and weights
  ;; Vertical pass over whole rows of W*C floats, then horizontal pass over C
  ;; floats per pixel; both 16 floats at a time (4 accumulators), then 4.
  (func (export "bandedSeparable") (param $x i32) (param $tmp i32) (param $y i32) (param $batch i32) (param $H i32) (param $W i32) (param $C i32) (param $rowIdx i32) (param $rowWt i32) (param $Th i32) (param $colIdx i32) (param $colWt i32) (param $Tw i32) (local $b i32) (local $h i32) (local $w i32) (local $j i32) (local $t i32) (local $k i32) (local $rowLen i32) (local $plane i32) (local $dst i32) (local $src i32) (local $base i32) (local $s v128) (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128)
    (local.set $rowLen (i32.mul (local.get $W) (local.get $C)))
    (local.set $plane (i32.mul (local.get $H) (local.get $rowLen)))
    ;; vertical pass: tmp[b, h, :] = sum_t rowWt[h, t] * x[b, rowIdx[h, t], :]
    (local.set $b (i32.const 0))
    (block $vb_end (loop $vb
        (br_if $vb_end (i32.ge_s (local.get $b) (local.get $batch)))
        (local.set $base (i32.add (local.get $x) (i32.shl (i32.mul (local.get $b) (local.get $plane)) (i32.const 2))))
        (local.set $h (i32.const 0))
        (block $vh_end (loop $vh
            (br_if $vh_end (i32.ge_s (local.get $h) (local.get $H)))
            (local.set $dst (i32.add (local.get $tmp) (i32.shl (i32.add (i32.mul (local.get $b) (local.get $plane)) (i32.mul (local.get $h) (local.get $rowLen))) (i32.const 2))))
            (local.set $j (i32.const 0))
            (block $vj16_end (loop $vj16
                (br_if $vj16_end (i32.gt_s (i32.add (local.get $j) (i32.const 16)) (local.get $rowLen)))
                (local.set $acc0 (v128.const i32x4 0 0 0 0)) (local.set $acc1 (v128.const i32x4 0 0 0 0)) (local.set $acc2 (v128.const i32x4 0 0 0 0)) (local.set $acc3 (v128.const i32x4 0 0 0 0))
                (local.set $t (i32.const 0))
                (block $vt16_end (loop $vt16
                    (br_if $vt16_end (i32.ge_s (local.get $t) (local.get $Th)))
                    (local.set $k (i32.shl (i32.add (i32.mul (local.get $h) (local.get $Th)) (local.get $t)) (i32.const 2)))
                    (local.set $s (f32x4.splat (f32.load (i32.add (local.get $rowWt) (local.get $k)))))
                    (local.set $src (i32.add (local.get $base) (i32.shl (i32.add (i32.mul (i32.load (i32.add (local.get $rowIdx) (local.get $k))) (local.get $rowLen)) (local.get $j)) (i32.const 2))))
                    (local.set $acc0 (f32x4.add (local.get $acc0) (f32x4.mul (local.get $s) (v128.load offset=0 (local.get $src)))))
                    (local.set $acc1 (f32x4.add (local.get $acc1) (f32x4.mul (local.get $s) (v128.load offset=16 (local.get $src)))))
                    (local.set $acc2 (f32x4.add (local.get $acc2) (f32x4.mul (local.get $s) (v128.load offset=32 (local.get $src)))))
                    (local.set $acc3 (f32x4.add (local.get $acc3) (f32x4.mul (local.get $s) (v128.load offset=48 (local.get $src)))))
                    (local.set $t (i32.add (local.get $t) (i32.const 1)))
                    (br $vt16)))
                (v128.store offset=0 (local.get $dst) (local.get $acc0)) (v128.store offset=16 (local.get $dst) (local.get $acc1)) (v128.store offset=32 (local.get $dst) (local.get $acc2)) (v128.store offset=48 (local.get $dst) (local.get $acc3))
                (local.set $dst (i32.add (local.get $dst) (i32.const 64)))
                (local.set $j (i32.add (local.get $j) (i32.const 16)))
                (br $vj16)))
            (block $vj4_end (loop $vj4
                (br_if $vj4_end (i32.ge_s (local.get $j) (local.get $rowLen)))
                (local.set $acc0 (v128.const i32x4 0 0 0 0))
                (local.set $t (i32.const 0))
                (block $vt4_end (loop $vt4
                    (br_if $vt4_end (i32.ge_s (local.get $t) (local.get $Th)))
                    (local.set $k (i32.shl (i32.add (i32.mul (local.get $h) (local.get $Th)) (local.get $t)) (i32.const 2)))
                    (local.set $s (f32x4.splat (f32.load (i32.add (local.get $rowWt) (local.get $k)))))
                    (local.set $src (i32.add (local.get $base) (i32.shl (i32.add (i32.mul (i32.load (i32.add (local.get $rowIdx) (local.get $k))) (local.get $rowLen)) (local.get $j)) (i32.const 2))))
                    (local.set $acc0 (f32x4.add (local.get $acc0) (f32x4.mul (local.get $s) (v128.load (local.get $src)))))
                    (local.set $t (i32.add (local.get $t) (i32.const 1)))
                    (br $vt4)))
                (v128.store (local.get $dst) (local.get $acc0))
                (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
                (local.set $j (i32.add (local.get $j) (i32.const 4)))
                (br $vj4)))
            (local.set $h (i32.add (local.get $h) (i32.const 1)))
            (br $vh)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $vb)))
    ;; horizontal pass: y[b, h, w, :] = sum_t colWt[w, t] * tmp[b, h, colIdx[w, t], :]
    (local.set $dst (local.get $y))
    (local.set $b (i32.const 0))
    (block $hb_end (loop $hb
        (br_if $hb_end (i32.ge_s (local.get $b) (i32.mul (local.get $batch) (local.get $H))))
        (local.set $base (i32.add (local.get $tmp) (i32.shl (i32.mul (local.get $b) (local.get $rowLen)) (i32.const 2))))
        (local.set $w (i32.const 0))
        (block $hw_end (loop $hw
            (br_if $hw_end (i32.ge_s (local.get $w) (local.get $W)))
            (local.set $j (i32.const 0))
            (block $hj16_end (loop $hj16
                (br_if $hj16_end (i32.gt_s (i32.add (local.get $j) (i32.const 16)) (local.get $C)))
                (local.set $acc0 (v128.const i32x4 0 0 0 0)) (local.set $acc1 (v128.const i32x4 0 0 0 0)) (local.set $acc2 (v128.const i32x4 0 0 0 0)) (local.set $acc3 (v128.const i32x4 0 0 0 0))
                (local.set $t (i32.const 0))
                (block $ht16_end (loop $ht16
                    (br_if $ht16_end (i32.ge_s (local.get $t) (local.get $Tw)))
                    (local.set $k (i32.shl (i32.add (i32.mul (local.get $w) (local.get $Tw)) (local.get $t)) (i32.const 2)))
                    (local.set $s (f32x4.splat (f32.load (i32.add (local.get $colWt) (local.get $k)))))
                    (local.set $src (i32.add (local.get $base) (i32.shl (i32.add (i32.mul (i32.load (i32.add (local.get $colIdx) (local.get $k))) (local.get $C)) (local.get $j)) (i32.const 2))))
                    (local.set $acc0 (f32x4.add (local.get $acc0) (f32x4.mul (local.get $s) (v128.load offset=0 (local.get $src)))))
                    (local.set $acc1 (f32x4.add (local.get $acc1) (f32x4.mul (local.get $s) (v128.load offset=16 (local.get $src)))))
                    (local.set $acc2 (f32x4.add (local.get $acc2) (f32x4.mul (local.get $s) (v128.load offset=32 (local.get $src)))))
                    (local.set $acc3 (f32x4.add (local.get $acc3) (f32x4.mul (local.get $s) (v128.load offset=48 (local.get $src)))))
                    (local.set $t (i32.add (local.get $t) (i32.const 1)))
                    (br $ht16)))
                (v128.store offset=0 (local.get $dst) (local.get $acc0)) (v128.store offset=16 (local.get $dst) (local.get $acc1)) (v128.store offset=32 (local.get $dst) (local.get $acc2)) (v128.store offset=48 (local.get $dst) (local.get $acc3))
                (local.set $dst (i32.add (local.get $dst) (i32.const 64)))
                (local.set $j (i32.add (local.get $j) (i32.const 16)))
                (br $hj16)))
            (block $hj4_end (loop $hj4
                (br_if $hj4_end (i32.ge_s (local.get $j) (local.get $C)))
                (local.set $acc0 (v128.const i32x4 0 0 0 0))
                (local.set $t (i32.const 0))
                (block $ht4_end (loop $ht4
                    (br_if $ht4_end (i32.ge_s (local.get $t) (local.get $Tw)))
                    (local.set $k (i32.shl (i32.add (i32.mul (local.get $w) (local.get $Tw)) (local.get $t)) (i32.const 2)))
                    (local.set $s (f32x4.splat (f32.load (i32.add (local.get $colWt) (local.get $k)))))
                    (local.set $src (i32.add (local.get $base) (i32.shl (i32.add (i32.mul (i32.load (i32.add (local.get $colIdx) (local.get $k))) (local.get $C)) (local.get $j)) (i32.const 2))))
                    (local.set $acc0 (f32x4.add (local.get $acc0) (f32x4.mul (local.get $s) (v128.load (local.get $src)))))
                    (local.set $t (i32.add (local.get $t) (i32.const 1)))
                    (br $ht4)))
                (v128.store (local.get $dst) (local.get $acc0))
                (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
                (local.set $j (i32.add (local.get $j) (i32.const 4)))
                (br $hj4)))
            (local.set $w (i32.add (local.get $w) (i32.const 1)))
            (br $hw)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $hb)))
  )
)
