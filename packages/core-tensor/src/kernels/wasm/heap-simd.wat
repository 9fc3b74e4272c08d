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
  ;; maxPool2x2 / maxPoolGrad2x2: maxPool's and maxPoolGrad's path for 2×2
  ;; windows with C >= 4 (the zoo's and LeNet-5's pooling), called by them
  ;; with the same arguments less fh/fw. Same rule, same results: only the
  ;; walk differs. Addresses advance by pointer steps instead of being
  ;; recomputed per tap, and the channels go 4 at a time with the last group
  ;; starting at C - 4 (overlapping the one before when C is no multiple of 4:
  ;; its lanes get the same values again) instead of a scalar tail.
  (func $maxPool2x2 (param $x i32) (param $out i32) (param $batch i32) (param $inH i32) (param $inW i32) (param $C i32) (param $outH i32) (param $outW i32) (local $b i32) (local $i i32) (local $j i32) (local $d i32) (local $off i32) (local $src i32) (local $dst i32) (local $rowBytes i32) (local $pixBytes i32) (local $lastBytes i32) (local $chBytes i32) (local $at i32) (local $v v128) (local $best v128)
    (local.set $pixBytes (i32.shl (local.get $C) (i32.const 2)))
    (local.set $rowBytes (i32.mul (local.get $inW) (local.get $pixBytes)))
    (local.set $chBytes (local.get $pixBytes))
    (local.set $lastBytes (i32.sub (local.get $pixBytes) (i32.const 16)))
    (local.set $dst (local.get $out))
    (local.set $b (i32.const 0))
    (block $b_end (loop $lb
      (br_if $b_end (i32.ge_s (local.get $b) (local.get $batch)))
      (local.set $i (i32.const 0))
      (block $i_end (loop $li
        (br_if $i_end (i32.ge_s (local.get $i) (local.get $outH)))
        ;; x[b, 2i, 0, 0]
        (local.set $src (i32.add (local.get $x) (i32.mul (i32.add (i32.mul (local.get $b) (local.get $inH)) (i32.shl (local.get $i) (i32.const 1))) (local.get $rowBytes))))
        (local.set $j (i32.const 0))
        (block $j_end (loop $lj
          (br_if $j_end (i32.ge_s (local.get $j) (local.get $outW)))
          (local.set $d (i32.const 0))
          (block $d_end (loop $ld
            (br_if $d_end (i32.ge_s (local.get $d) (local.get $chBytes)))
            (local.set $off (select (local.get $d) (local.get $lastBytes) (i32.lt_s (local.get $d) (local.get $lastBytes))))
            (local.set $at (i32.add (local.get $src) (local.get $off)))
            (local.set $best (v128.const f32x4 -inf -inf -inf -inf))
            (local.set $v (v128.load (local.get $at)))
            (local.set $best (v128.bitselect (local.get $v) (local.get $best) (f32x4.gt (local.get $v) (local.get $best))))
            (local.set $v (v128.load (i32.add (local.get $at) (local.get $pixBytes))))
            (local.set $best (v128.bitselect (local.get $v) (local.get $best) (f32x4.gt (local.get $v) (local.get $best))))
            (local.set $at (i32.add (local.get $at) (local.get $rowBytes)))
            (local.set $v (v128.load (local.get $at)))
            (local.set $best (v128.bitselect (local.get $v) (local.get $best) (f32x4.gt (local.get $v) (local.get $best))))
            (local.set $v (v128.load (i32.add (local.get $at) (local.get $pixBytes))))
            (local.set $best (v128.bitselect (local.get $v) (local.get $best) (f32x4.gt (local.get $v) (local.get $best))))
            (v128.store (i32.add (local.get $dst) (local.get $off)) (local.get $best))
            (local.set $d (i32.add (local.get $d) (i32.const 16)))
            (br $ld)))
          (local.set $dst (i32.add (local.get $dst) (local.get $pixBytes)))
          (local.set $src (i32.add (local.get $src) (i32.shl (local.get $pixBytes) (i32.const 1))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $lj)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $li)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $lb)))
  )
  (func $maxPoolGrad2x2 (param $x i32) (param $dy i32) (param $dx i32) (param $batch i32) (param $inH i32) (param $inW i32) (param $C i32) (param $outH i32) (param $outW i32) (local $b i32) (local $i i32) (local $j i32) (local $d i32) (local $off i32) (local $src i32) (local $dst i32) (local $g i32) (local $rowBytes i32) (local $pixBytes i32) (local $lastBytes i32) (local $at i32) (local $v v128) (local $m v128) (local $best v128) (local $idx v128) (local $gv v128)
    (local.set $pixBytes (i32.shl (local.get $C) (i32.const 2)))
    (local.set $rowBytes (i32.mul (local.get $inW) (local.get $pixBytes)))
    (local.set $lastBytes (i32.sub (local.get $pixBytes) (i32.const 16)))
    (local.set $g (local.get $dy))
    (local.set $b (i32.const 0))
    (block $b_end (loop $lb
      (br_if $b_end (i32.ge_s (local.get $b) (local.get $batch)))
      (local.set $i (i32.const 0))
      (block $i_end (loop $li
        (br_if $i_end (i32.ge_s (local.get $i) (local.get $outH)))
        ;; byte offset of x[b, 2i, 0, 0] (and of dx's same element)
        (local.set $src (i32.mul (i32.add (i32.mul (local.get $b) (local.get $inH)) (i32.shl (local.get $i) (i32.const 1))) (local.get $rowBytes)))
        (local.set $j (i32.const 0))
        (block $j_end (loop $lj
          (br_if $j_end (i32.ge_s (local.get $j) (local.get $outW)))
          (local.set $d (i32.const 0))
          (block $d_end (loop $ld
            (br_if $d_end (i32.ge_s (local.get $d) (local.get $pixBytes)))
            (local.set $off (select (local.get $d) (local.get $lastBytes) (i32.lt_s (local.get $d) (local.get $lastBytes))))
            (local.set $at (i32.add (local.get $src) (local.get $off)))
            ;; taps 0 (r0 c0), 1 (r0 c1), 2 (r1 c0), 3 (r1 c1): scan order
            (local.set $best (v128.const f32x4 -inf -inf -inf -inf))
            (local.set $idx (v128.const i32x4 -1 -1 -1 -1))
            (local.set $v (v128.load (i32.add (local.get $x) (local.get $at))))
            (local.set $m (f32x4.gt (local.get $v) (local.get $best)))
            (local.set $best (v128.bitselect (local.get $v) (local.get $best) (local.get $m)))
            (local.set $idx (v128.bitselect (v128.const i32x4 0 0 0 0) (local.get $idx) (local.get $m)))
            (local.set $v (v128.load (i32.add (local.get $x) (i32.add (local.get $at) (local.get $pixBytes)))))
            (local.set $m (f32x4.gt (local.get $v) (local.get $best)))
            (local.set $best (v128.bitselect (local.get $v) (local.get $best) (local.get $m)))
            (local.set $idx (v128.bitselect (v128.const i32x4 1 1 1 1) (local.get $idx) (local.get $m)))
            (local.set $v (v128.load (i32.add (local.get $x) (i32.add (local.get $at) (local.get $rowBytes)))))
            (local.set $m (f32x4.gt (local.get $v) (local.get $best)))
            (local.set $best (v128.bitselect (local.get $v) (local.get $best) (local.get $m)))
            (local.set $idx (v128.bitselect (v128.const i32x4 2 2 2 2) (local.get $idx) (local.get $m)))
            (local.set $v (v128.load (i32.add (local.get $x) (i32.add (i32.add (local.get $at) (local.get $rowBytes)) (local.get $pixBytes)))))
            (local.set $m (f32x4.gt (local.get $v) (local.get $best)))
            (local.set $idx (v128.bitselect (v128.const i32x4 3 3 3 3) (local.get $idx) (local.get $m)))
            (local.set $gv (v128.load (i32.add (local.get $g) (local.get $off))))
            (local.set $at (i32.add (local.get $dx) (local.get $at)))
            (v128.store (local.get $at) (v128.and (local.get $gv) (i32x4.eq (local.get $idx) (v128.const i32x4 0 0 0 0))))
            (v128.store (i32.add (local.get $at) (local.get $pixBytes)) (v128.and (local.get $gv) (i32x4.eq (local.get $idx) (v128.const i32x4 1 1 1 1))))
            (local.set $at (i32.add (local.get $at) (local.get $rowBytes)))
            (v128.store (local.get $at) (v128.and (local.get $gv) (i32x4.eq (local.get $idx) (v128.const i32x4 2 2 2 2))))
            (v128.store (i32.add (local.get $at) (local.get $pixBytes)) (v128.and (local.get $gv) (i32x4.eq (local.get $idx) (v128.const i32x4 3 3 3 3))))
            (local.set $d (i32.add (local.get $d) (i32.const 16)))
            (br $ld)))
          (local.set $g (i32.add (local.get $g) (local.get $pixBytes)))
          (local.set $src (i32.add (local.get $src) (i32.shl (local.get $pixBytes) (i32.const 1))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $lj)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $li)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $lb)))
  )
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
    (if (i32.and (i32.and (i32.eq (local.get $fh) (i32.const 2)) (i32.eq (local.get $fw) (i32.const 2))) (i32.ge_s (local.get $C) (i32.const 4)))
      (then (call $maxPoolGrad2x2 (local.get $x) (local.get $dy) (local.get $dx) (local.get $batch) (local.get $inH) (local.get $inW) (local.get $C) (local.get $outH) (local.get $outW)) (return)))
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
  ;; bandedSeparable(x, tmp, y, n0, n1, H, W, C, rowOff, rowWt, Th, colOff, colWt, Tw)
  ;; A separable filter with a few taps per output row and column (banded
  ;; operators: Gaussian blur, bilinear resize and their adjoints):
  ;;   x   [batch, H, W, C]  input (float32, C a multiple of 4)
  ;;   tmp [H, W, C]         scratch for one image's vertical pass
  ;;   y   [batch, H, W, C]  output
  ;;   rowOff, rowWt [H, Th]  for output row h: its source rows as byte offsets
  ;;                          in an image (int32, row * W*C*4) and their weights
  ;;   colOff, colWt [W, Tw]  for output column w: its source pixels as byte
  ;;                          offsets in a row (column * C*4) and their weights
  ;; (offsets, not indices: the tap loop then adds one loaded offset, where an
  ;; index took a multiply, a shift and the tap's own address arithmetic; 27%
  ;; faster on [64, 28, 28, 32] with 5 taps).
  ;; For the images n0 <= b < n1, one at a time: the vertical pass over whole
  ;; rows of W*C floats into tmp, then the horizontal pass over C floats per
  ;; pixel from tmp into y; both 32 floats at a time (8 accumulators), then 16
  ;; (4), then 4. One image's tmp stays in cache between the two passes (a
  ;; whole batch's went through memory), and disjoint image ranges can run on
  ;; separate threads, each with its own tmp.
  (func (export "bandedSeparable") (param $x i32) (param $tmp i32) (param $y i32) (param $n0 i32) (param $n1 i32) (param $H i32) (param $W i32) (param $C i32) (param $rowOff i32) (param $rowWt i32) (param $Th i32) (param $colOff i32) (param $colWt i32) (param $Tw i32) (local $b i32) (local $tend i32) (local $h i32) (local $w i32) (local $j i32) (local $t i32) (local $group i32) (local $rowLen i32) (local $plane i32) (local $dst i32) (local $src i32) (local $base i32) (local $s v128) (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128) (local $acc4 v128) (local $acc5 v128) (local $acc6 v128) (local $acc7 v128)
    (local.set $rowLen (i32.mul (local.get $W) (local.get $C)))
    (local.set $plane (i32.mul (local.get $H) (local.get $rowLen)))
    (local.set $b (local.get $n0))
    (block $vb_end (loop $vb
        (br_if $vb_end (i32.ge_s (local.get $b) (local.get $n1)))
        ;; vertical pass: tmp[h, :] = sum_t rowWt[h, t] * x[b, (row at rowOff[h, t]), :]
        (local.set $base (i32.add (local.get $x) (i32.shl (i32.mul (local.get $b) (local.get $plane)) (i32.const 2))))
        (local.set $h (i32.const 0))
        (block $vh_end (loop $vh
            (br_if $vh_end (i32.ge_s (local.get $h) (local.get $H)))
            (local.set $dst (i32.add (local.get $tmp) (i32.shl (i32.mul (local.get $h) (local.get $rowLen)) (i32.const 2))))
            (local.set $j (i32.const 0))
            (block $vj32_end (loop $vj32
                (br_if $vj32_end (i32.gt_s (i32.add (local.get $j) (i32.const 32)) (local.get $rowLen)))
                (local.set $acc0 (v128.const i32x4 0 0 0 0)) (local.set $acc1 (v128.const i32x4 0 0 0 0)) (local.set $acc2 (v128.const i32x4 0 0 0 0)) (local.set $acc3 (v128.const i32x4 0 0 0 0)) (local.set $acc4 (v128.const i32x4 0 0 0 0)) (local.set $acc5 (v128.const i32x4 0 0 0 0)) (local.set $acc6 (v128.const i32x4 0 0 0 0)) (local.set $acc7 (v128.const i32x4 0 0 0 0))
                (local.set $t (i32.shl (i32.mul (local.get $h) (local.get $Th)) (i32.const 2)))
                (local.set $group (i32.add (local.get $base) (i32.shl (local.get $j) (i32.const 2))))
                (local.set $tend (i32.add (local.get $t) (i32.shl (local.get $Th) (i32.const 2))))
                (if (i32.lt_u (local.get $t) (local.get $tend)) (then ;; an operator may have no taps
                (loop $vt32
                    (local.set $s (v128.load32_splat (i32.add (local.get $rowWt) (local.get $t))))
                    (local.set $src (i32.add (local.get $group) (i32.load (i32.add (local.get $rowOff) (local.get $t)))))
                    (local.set $acc0 (f32x4.add (local.get $acc0) (f32x4.mul (local.get $s) (v128.load offset=0 (local.get $src)))))
                    (local.set $acc1 (f32x4.add (local.get $acc1) (f32x4.mul (local.get $s) (v128.load offset=16 (local.get $src)))))
                    (local.set $acc2 (f32x4.add (local.get $acc2) (f32x4.mul (local.get $s) (v128.load offset=32 (local.get $src)))))
                    (local.set $acc3 (f32x4.add (local.get $acc3) (f32x4.mul (local.get $s) (v128.load offset=48 (local.get $src)))))
                    (local.set $acc4 (f32x4.add (local.get $acc4) (f32x4.mul (local.get $s) (v128.load offset=64 (local.get $src)))))
                    (local.set $acc5 (f32x4.add (local.get $acc5) (f32x4.mul (local.get $s) (v128.load offset=80 (local.get $src)))))
                    (local.set $acc6 (f32x4.add (local.get $acc6) (f32x4.mul (local.get $s) (v128.load offset=96 (local.get $src)))))
                    (local.set $acc7 (f32x4.add (local.get $acc7) (f32x4.mul (local.get $s) (v128.load offset=112 (local.get $src)))))
                    (br_if $vt32 (i32.lt_u (local.tee $t (i32.add (local.get $t) (i32.const 4))) (local.get $tend))))))
                (v128.store offset=0 (local.get $dst) (local.get $acc0)) (v128.store offset=16 (local.get $dst) (local.get $acc1)) (v128.store offset=32 (local.get $dst) (local.get $acc2)) (v128.store offset=48 (local.get $dst) (local.get $acc3)) (v128.store offset=64 (local.get $dst) (local.get $acc4)) (v128.store offset=80 (local.get $dst) (local.get $acc5)) (v128.store offset=96 (local.get $dst) (local.get $acc6)) (v128.store offset=112 (local.get $dst) (local.get $acc7))
                (local.set $dst (i32.add (local.get $dst) (i32.const 128)))
                (local.set $j (i32.add (local.get $j) (i32.const 32)))
                (br $vj32)))
            (block $vj16_end (loop $vj16
                (br_if $vj16_end (i32.gt_s (i32.add (local.get $j) (i32.const 16)) (local.get $rowLen)))
                (local.set $acc0 (v128.const i32x4 0 0 0 0)) (local.set $acc1 (v128.const i32x4 0 0 0 0)) (local.set $acc2 (v128.const i32x4 0 0 0 0)) (local.set $acc3 (v128.const i32x4 0 0 0 0))
                (local.set $t (i32.shl (i32.mul (local.get $h) (local.get $Th)) (i32.const 2)))
                (local.set $group (i32.add (local.get $base) (i32.shl (local.get $j) (i32.const 2))))
                (local.set $tend (i32.add (local.get $t) (i32.shl (local.get $Th) (i32.const 2))))
                (if (i32.lt_u (local.get $t) (local.get $tend)) (then ;; an operator may have no taps
                (loop $vt16
                    (local.set $s (v128.load32_splat (i32.add (local.get $rowWt) (local.get $t))))
                    (local.set $src (i32.add (local.get $group) (i32.load (i32.add (local.get $rowOff) (local.get $t)))))
                    (local.set $acc0 (f32x4.add (local.get $acc0) (f32x4.mul (local.get $s) (v128.load offset=0 (local.get $src)))))
                    (local.set $acc1 (f32x4.add (local.get $acc1) (f32x4.mul (local.get $s) (v128.load offset=16 (local.get $src)))))
                    (local.set $acc2 (f32x4.add (local.get $acc2) (f32x4.mul (local.get $s) (v128.load offset=32 (local.get $src)))))
                    (local.set $acc3 (f32x4.add (local.get $acc3) (f32x4.mul (local.get $s) (v128.load offset=48 (local.get $src)))))
                    (br_if $vt16 (i32.lt_u (local.tee $t (i32.add (local.get $t) (i32.const 4))) (local.get $tend))))))
                (v128.store offset=0 (local.get $dst) (local.get $acc0)) (v128.store offset=16 (local.get $dst) (local.get $acc1)) (v128.store offset=32 (local.get $dst) (local.get $acc2)) (v128.store offset=48 (local.get $dst) (local.get $acc3))
                (local.set $dst (i32.add (local.get $dst) (i32.const 64)))
                (local.set $j (i32.add (local.get $j) (i32.const 16)))
                (br $vj16)))
            (block $vj4_end (loop $vj4
                (br_if $vj4_end (i32.ge_s (local.get $j) (local.get $rowLen)))
                (local.set $acc0 (v128.const i32x4 0 0 0 0))
                (local.set $t (i32.shl (i32.mul (local.get $h) (local.get $Th)) (i32.const 2)))
                (local.set $group (i32.add (local.get $base) (i32.shl (local.get $j) (i32.const 2))))
                (local.set $tend (i32.add (local.get $t) (i32.shl (local.get $Th) (i32.const 2))))
                (if (i32.lt_u (local.get $t) (local.get $tend)) (then ;; an operator may have no taps
                (loop $vt4
                    (local.set $s (v128.load32_splat (i32.add (local.get $rowWt) (local.get $t))))
                    (local.set $src (i32.add (local.get $group) (i32.load (i32.add (local.get $rowOff) (local.get $t)))))
                    (local.set $acc0 (f32x4.add (local.get $acc0) (f32x4.mul (local.get $s) (v128.load (local.get $src)))))
                    (br_if $vt4 (i32.lt_u (local.tee $t (i32.add (local.get $t) (i32.const 4))) (local.get $tend))))))
                (v128.store (local.get $dst) (local.get $acc0))
                (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
                (local.set $j (i32.add (local.get $j) (i32.const 4)))
                (br $vj4)))
            (local.set $h (i32.add (local.get $h) (i32.const 1)))
            (br $vh)))
        ;; horizontal pass: y[b, h, w, :] = sum_t colWt[w, t] * tmp[h, (column at colOff[w, t]), :]
        (local.set $dst (i32.add (local.get $y) (i32.shl (i32.mul (local.get $b) (local.get $plane)) (i32.const 2))))
        (local.set $h (i32.const 0))
        (block $hb_end (loop $hb
            (br_if $hb_end (i32.ge_s (local.get $h) (local.get $H)))
            (local.set $base (i32.add (local.get $tmp) (i32.shl (i32.mul (local.get $h) (local.get $rowLen)) (i32.const 2))))
            (local.set $w (i32.const 0))
            (block $hw_end (loop $hw
                (br_if $hw_end (i32.ge_s (local.get $w) (local.get $W)))
                (local.set $j (i32.const 0))
                (block $hj32_end (loop $hj32
                    (br_if $hj32_end (i32.gt_s (i32.add (local.get $j) (i32.const 32)) (local.get $C)))
                    (local.set $acc0 (v128.const i32x4 0 0 0 0)) (local.set $acc1 (v128.const i32x4 0 0 0 0)) (local.set $acc2 (v128.const i32x4 0 0 0 0)) (local.set $acc3 (v128.const i32x4 0 0 0 0)) (local.set $acc4 (v128.const i32x4 0 0 0 0)) (local.set $acc5 (v128.const i32x4 0 0 0 0)) (local.set $acc6 (v128.const i32x4 0 0 0 0)) (local.set $acc7 (v128.const i32x4 0 0 0 0))
                    (local.set $t (i32.shl (i32.mul (local.get $w) (local.get $Tw)) (i32.const 2)))
                    (local.set $group (i32.add (local.get $base) (i32.shl (local.get $j) (i32.const 2))))
                    (local.set $tend (i32.add (local.get $t) (i32.shl (local.get $Tw) (i32.const 2))))
                    (if (i32.lt_u (local.get $t) (local.get $tend)) (then ;; an operator may have no taps
                    (loop $ht32
                        (local.set $s (v128.load32_splat (i32.add (local.get $colWt) (local.get $t))))
                        (local.set $src (i32.add (local.get $group) (i32.load (i32.add (local.get $colOff) (local.get $t)))))
                        (local.set $acc0 (f32x4.add (local.get $acc0) (f32x4.mul (local.get $s) (v128.load offset=0 (local.get $src)))))
                        (local.set $acc1 (f32x4.add (local.get $acc1) (f32x4.mul (local.get $s) (v128.load offset=16 (local.get $src)))))
                        (local.set $acc2 (f32x4.add (local.get $acc2) (f32x4.mul (local.get $s) (v128.load offset=32 (local.get $src)))))
                        (local.set $acc3 (f32x4.add (local.get $acc3) (f32x4.mul (local.get $s) (v128.load offset=48 (local.get $src)))))
                        (local.set $acc4 (f32x4.add (local.get $acc4) (f32x4.mul (local.get $s) (v128.load offset=64 (local.get $src)))))
                        (local.set $acc5 (f32x4.add (local.get $acc5) (f32x4.mul (local.get $s) (v128.load offset=80 (local.get $src)))))
                        (local.set $acc6 (f32x4.add (local.get $acc6) (f32x4.mul (local.get $s) (v128.load offset=96 (local.get $src)))))
                        (local.set $acc7 (f32x4.add (local.get $acc7) (f32x4.mul (local.get $s) (v128.load offset=112 (local.get $src)))))
                        (br_if $ht32 (i32.lt_u (local.tee $t (i32.add (local.get $t) (i32.const 4))) (local.get $tend))))))
                    (v128.store offset=0 (local.get $dst) (local.get $acc0)) (v128.store offset=16 (local.get $dst) (local.get $acc1)) (v128.store offset=32 (local.get $dst) (local.get $acc2)) (v128.store offset=48 (local.get $dst) (local.get $acc3)) (v128.store offset=64 (local.get $dst) (local.get $acc4)) (v128.store offset=80 (local.get $dst) (local.get $acc5)) (v128.store offset=96 (local.get $dst) (local.get $acc6)) (v128.store offset=112 (local.get $dst) (local.get $acc7))
                    (local.set $dst (i32.add (local.get $dst) (i32.const 128)))
                    (local.set $j (i32.add (local.get $j) (i32.const 32)))
                    (br $hj32)))
                (block $hj16_end (loop $hj16
                    (br_if $hj16_end (i32.gt_s (i32.add (local.get $j) (i32.const 16)) (local.get $C)))
                    (local.set $acc0 (v128.const i32x4 0 0 0 0)) (local.set $acc1 (v128.const i32x4 0 0 0 0)) (local.set $acc2 (v128.const i32x4 0 0 0 0)) (local.set $acc3 (v128.const i32x4 0 0 0 0))
                    (local.set $t (i32.shl (i32.mul (local.get $w) (local.get $Tw)) (i32.const 2)))
                    (local.set $group (i32.add (local.get $base) (i32.shl (local.get $j) (i32.const 2))))
                    (local.set $tend (i32.add (local.get $t) (i32.shl (local.get $Tw) (i32.const 2))))
                    (if (i32.lt_u (local.get $t) (local.get $tend)) (then ;; an operator may have no taps
                    (loop $ht16
                        (local.set $s (v128.load32_splat (i32.add (local.get $colWt) (local.get $t))))
                        (local.set $src (i32.add (local.get $group) (i32.load (i32.add (local.get $colOff) (local.get $t)))))
                        (local.set $acc0 (f32x4.add (local.get $acc0) (f32x4.mul (local.get $s) (v128.load offset=0 (local.get $src)))))
                        (local.set $acc1 (f32x4.add (local.get $acc1) (f32x4.mul (local.get $s) (v128.load offset=16 (local.get $src)))))
                        (local.set $acc2 (f32x4.add (local.get $acc2) (f32x4.mul (local.get $s) (v128.load offset=32 (local.get $src)))))
                        (local.set $acc3 (f32x4.add (local.get $acc3) (f32x4.mul (local.get $s) (v128.load offset=48 (local.get $src)))))
                        (br_if $ht16 (i32.lt_u (local.tee $t (i32.add (local.get $t) (i32.const 4))) (local.get $tend))))))
                    (v128.store offset=0 (local.get $dst) (local.get $acc0)) (v128.store offset=16 (local.get $dst) (local.get $acc1)) (v128.store offset=32 (local.get $dst) (local.get $acc2)) (v128.store offset=48 (local.get $dst) (local.get $acc3))
                    (local.set $dst (i32.add (local.get $dst) (i32.const 64)))
                    (local.set $j (i32.add (local.get $j) (i32.const 16)))
                    (br $hj16)))
                (block $hj4_end (loop $hj4
                    (br_if $hj4_end (i32.ge_s (local.get $j) (local.get $C)))
                    (local.set $acc0 (v128.const i32x4 0 0 0 0))
                    (local.set $t (i32.shl (i32.mul (local.get $w) (local.get $Tw)) (i32.const 2)))
                    (local.set $group (i32.add (local.get $base) (i32.shl (local.get $j) (i32.const 2))))
                    (local.set $tend (i32.add (local.get $t) (i32.shl (local.get $Tw) (i32.const 2))))
                    (if (i32.lt_u (local.get $t) (local.get $tend)) (then ;; an operator may have no taps
                    (loop $ht4
                        (local.set $s (v128.load32_splat (i32.add (local.get $colWt) (local.get $t))))
                        (local.set $src (i32.add (local.get $group) (i32.load (i32.add (local.get $colOff) (local.get $t)))))
                        (local.set $acc0 (f32x4.add (local.get $acc0) (f32x4.mul (local.get $s) (v128.load (local.get $src)))))
                        (br_if $ht4 (i32.lt_u (local.tee $t (i32.add (local.get $t) (i32.const 4))) (local.get $tend))))))
                    (v128.store (local.get $dst) (local.get $acc0))
                    (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
                    (local.set $j (i32.add (local.get $j) (i32.const 4)))
                    (br $hj4)))
                (local.set $w (i32.add (local.get $w) (i32.const 1)))
                (br $hw)))
            (local.set $h (i32.add (local.get $h) (i32.const 1)))
            (br $hb)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $vb)))
  )
  ;; planarCorrelate(P, K, out, N, inPlanes, outPlanes, outH, Wq, Hp, Wp, fh, fw)
  ;; A small-channel convolution on channel-planar data (the direct kernel of
  ;; conv2d-backprop-input.ts, whose callers lay the tensors out):
  ;;   P   [N, inPlanes, Hp, Wp]         input planes, borders already zero-padded
  ;;   K   [outPlanes, inPlanes, fh, fw] filter taps
  ;;   out [N, outPlanes, outH, Wq]      written:
  ;;   out[n, q, y, x] = sum over p, a, b of P[n, p, y + a, x + b] * K[q, p, a, b]
  ;; Wq is a multiple of 4 and Hp >= outH + fh - 1, Wp >= Wq + fw - 1, so no
  ;; read leaves a plane. Output columns go 16 at a time (4 accumulators: four
  ;; independent add chains), then 8 (2), then 4; each tap is one
  ;; load32_splat shared by the accumulators and one unaligned load per accumulator.
  (func (export "planarCorrelate") (param $P i32) (param $K i32) (param $out i32) (param $N i32) (param $inPlanes i32) (param $outPlanes i32) (param $outH i32) (param $Wq i32) (param $Hp i32) (param $Wp i32) (param $fh i32) (param $fw i32) (local $n i32) (local $q i32) (local $y i32) (local $x i32) (local $p i32) (local $a i32) (local $b i32) (local $dst i32) (local $row i32) (local $k i32) (local $kq i32) (local $imageAt i32) (local $planeBytes i32) (local $rowBytes i32) (local $s v128) (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128)
    (local.set $rowBytes (i32.shl (local.get $Wp) (i32.const 2)))
    (local.set $planeBytes (i32.mul (local.get $Hp) (local.get $rowBytes)))
    (local.set $dst (local.get $out))
    (local.set $n (i32.const 0))
    (block $ln_end (loop $ln
        (br_if $ln_end (i32.ge_s (local.get $n) (local.get $N)))
        (local.set $imageAt (i32.add (local.get $P) (i32.mul (i32.mul (local.get $n) (local.get $inPlanes)) (local.get $planeBytes))))
        (local.set $q (i32.const 0))
        (block $lq_end (loop $lq
            (br_if $lq_end (i32.ge_s (local.get $q) (local.get $outPlanes)))
            ;; kq: byte address of K[q, 0, 0, 0]
            (local.set $kq (i32.add (local.get $K) (i32.shl (i32.mul (i32.mul (i32.mul (local.get $q) (local.get $inPlanes)) (local.get $fh)) (local.get $fw)) (i32.const 2))))
            (local.set $y (i32.const 0))
            (block $ly_end (loop $ly
                (br_if $ly_end (i32.ge_s (local.get $y) (local.get $outH)))
                (local.set $x (i32.const 0))
                ;; 16 output columns per pass
                (block $x16_end (loop $x16
                    (br_if $x16_end (i32.gt_s (i32.add (local.get $x) (i32.const 16)) (local.get $Wq)))
                    (local.set $acc0 (v128.const i32x4 0 0 0 0)) (local.set $acc1 (v128.const i32x4 0 0 0 0)) (local.set $acc2 (v128.const i32x4 0 0 0 0)) (local.set $acc3 (v128.const i32x4 0 0 0 0))
                    (local.set $k (local.get $kq))
                    (local.set $p (i32.const 0))
                    (block $p16_end (loop $p16
                        (br_if $p16_end (i32.ge_s (local.get $p) (local.get $inPlanes)))
                        (local.set $a (i32.const 0))
                        (block $a16_end (loop $a16
                            (br_if $a16_end (i32.ge_s (local.get $a) (local.get $fh)))
                            ;; row: byte address of P[n, p, y + a, x]
                            (local.set $row (i32.add (i32.add (local.get $imageAt) (i32.mul (local.get $p) (local.get $planeBytes))) (i32.add (i32.mul (i32.add (local.get $y) (local.get $a)) (local.get $rowBytes)) (i32.shl (local.get $x) (i32.const 2)))))
                            (local.set $b (i32.const 0))
                            (block $b16_end (loop $b16
                                (br_if $b16_end (i32.ge_s (local.get $b) (local.get $fw)))
                                (local.set $s (v128.load32_splat (local.get $k)))
                                (local.set $acc0 (f32x4.add (local.get $acc0) (f32x4.mul (local.get $s) (v128.load offset=0 (local.get $row)))))
                                (local.set $acc1 (f32x4.add (local.get $acc1) (f32x4.mul (local.get $s) (v128.load offset=16 (local.get $row)))))
                                (local.set $acc2 (f32x4.add (local.get $acc2) (f32x4.mul (local.get $s) (v128.load offset=32 (local.get $row)))))
                                (local.set $acc3 (f32x4.add (local.get $acc3) (f32x4.mul (local.get $s) (v128.load offset=48 (local.get $row)))))
                                (local.set $row (i32.add (local.get $row) (i32.const 4)))
                                (local.set $k (i32.add (local.get $k) (i32.const 4)))
                                (local.set $b (i32.add (local.get $b) (i32.const 1)))
                                (br $b16)))
                            (local.set $a (i32.add (local.get $a) (i32.const 1)))
                            (br $a16)))
                        (local.set $p (i32.add (local.get $p) (i32.const 1)))
                        (br $p16)))
                    (v128.store offset=0 (local.get $dst) (local.get $acc0)) (v128.store offset=16 (local.get $dst) (local.get $acc1)) (v128.store offset=32 (local.get $dst) (local.get $acc2)) (v128.store offset=48 (local.get $dst) (local.get $acc3))
                    (local.set $dst (i32.add (local.get $dst) (i32.const 64)))
                    (local.set $x (i32.add (local.get $x) (i32.const 16)))
                    (br $x16)))
                ;; then 8 columns per pass
                (block $x8_end (loop $x8
                    (br_if $x8_end (i32.gt_s (i32.add (local.get $x) (i32.const 8)) (local.get $Wq)))
                    (local.set $acc0 (v128.const i32x4 0 0 0 0)) (local.set $acc1 (v128.const i32x4 0 0 0 0))
                    (local.set $k (local.get $kq))
                    (local.set $p (i32.const 0))
                    (block $p8_end (loop $p8
                        (br_if $p8_end (i32.ge_s (local.get $p) (local.get $inPlanes)))
                        (local.set $a (i32.const 0))
                        (block $a8_end (loop $a8
                            (br_if $a8_end (i32.ge_s (local.get $a) (local.get $fh)))
                            (local.set $row (i32.add (i32.add (local.get $imageAt) (i32.mul (local.get $p) (local.get $planeBytes))) (i32.add (i32.mul (i32.add (local.get $y) (local.get $a)) (local.get $rowBytes)) (i32.shl (local.get $x) (i32.const 2)))))
                            (local.set $b (i32.const 0))
                            (block $b8_end (loop $b8
                                (br_if $b8_end (i32.ge_s (local.get $b) (local.get $fw)))
                                (local.set $s (v128.load32_splat (local.get $k)))
                                (local.set $acc0 (f32x4.add (local.get $acc0) (f32x4.mul (local.get $s) (v128.load offset=0 (local.get $row)))))
                                (local.set $acc1 (f32x4.add (local.get $acc1) (f32x4.mul (local.get $s) (v128.load offset=16 (local.get $row)))))
                                (local.set $row (i32.add (local.get $row) (i32.const 4)))
                                (local.set $k (i32.add (local.get $k) (i32.const 4)))
                                (local.set $b (i32.add (local.get $b) (i32.const 1)))
                                (br $b8)))
                            (local.set $a (i32.add (local.get $a) (i32.const 1)))
                            (br $a8)))
                        (local.set $p (i32.add (local.get $p) (i32.const 1)))
                        (br $p8)))
                    (v128.store offset=0 (local.get $dst) (local.get $acc0)) (v128.store offset=16 (local.get $dst) (local.get $acc1))
                    (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
                    (local.set $x (i32.add (local.get $x) (i32.const 8)))
                    (br $x8)))
                ;; the last 4 columns, if any
                (block $x4_end (loop $x4
                    (br_if $x4_end (i32.ge_s (local.get $x) (local.get $Wq)))
                    (local.set $acc0 (v128.const i32x4 0 0 0 0))
                    (local.set $k (local.get $kq))
                    (local.set $p (i32.const 0))
                    (block $p4_end (loop $p4
                        (br_if $p4_end (i32.ge_s (local.get $p) (local.get $inPlanes)))
                        (local.set $a (i32.const 0))
                        (block $a4_end (loop $a4
                            (br_if $a4_end (i32.ge_s (local.get $a) (local.get $fh)))
                            (local.set $row (i32.add (i32.add (local.get $imageAt) (i32.mul (local.get $p) (local.get $planeBytes))) (i32.add (i32.mul (i32.add (local.get $y) (local.get $a)) (local.get $rowBytes)) (i32.shl (local.get $x) (i32.const 2)))))
                            (local.set $b (i32.const 0))
                            (block $b4_end (loop $b4
                                (br_if $b4_end (i32.ge_s (local.get $b) (local.get $fw)))
                                (local.set $acc0 (f32x4.add (local.get $acc0) (f32x4.mul (v128.load32_splat (local.get $k)) (v128.load (local.get $row)))))
                                (local.set $row (i32.add (local.get $row) (i32.const 4)))
                                (local.set $k (i32.add (local.get $k) (i32.const 4)))
                                (local.set $b (i32.add (local.get $b) (i32.const 1)))
                                (br $b4)))
                            (local.set $a (i32.add (local.get $a) (i32.const 1)))
                            (br $a4)))
                        (local.set $p (i32.add (local.get $p) (i32.const 1)))
                        (br $p4)))
                    (v128.store (local.get $dst) (local.get $acc0))
                    (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
                    (local.set $x (i32.add (local.get $x) (i32.const 4)))
                    (br $x4)))
                (local.set $y (i32.add (local.get $y) (i32.const 1)))
                (br $ly)))
            (local.set $q (i32.add (local.get $q) (i32.const 1)))
            (br $lq)))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $ln)))
  )
  ;; toPlanes(src, dst, N, H, W, C, Hp, Wp, top, left)
  ;; NHWC -> zero-bordered channel planes for planarCorrelate:
  ;;   dst[n, c, top + h, left + w] = src[n, h, w, c]   (src [N, H, W, C], dst [N, C, Hp, Wp])
  ;; Only those entries are written: the caller zeroes dst first and checks
  ;; top + H <= Hp, left + W <= Wp. Pixels go 4 at a time: per channel, the 4
  ;; pixels' values gathered into one vector by lane loads, then one store into
  ;; the channel's plane (a float each was a load, a store and the loop's
  ;; arithmetic: LeNet-5's planes took ~8% of a PGD step); the last W mod 4
  ;; pixels of a row one float at a time.
  (func (export "toPlanes") (param $src i32) (param $dst i32) (param $N i32) (param $H i32) (param $W i32) (param $C i32) (param $Hp i32) (param $Wp i32) (param $top i32) (param $left i32) (local $n i32) (local $h i32) (local $w i32) (local $c i32) (local $from i32) (local $to i32) (local $planeBytes i32) (local $Cb i32) (local $at i32) (local $v v128)
    (local.set $planeBytes (i32.shl (i32.mul (local.get $Hp) (local.get $Wp)) (i32.const 2)))
    (local.set $Cb (i32.shl (local.get $C) (i32.const 2)))
    (local.set $from (local.get $src))
    (local.set $n (i32.const 0))
    (block $n_end (loop $ln
        (br_if $n_end (i32.ge_s (local.get $n) (local.get $N)))
        (local.set $h (i32.const 0))
        (block $h_end (loop $lh
            (br_if $h_end (i32.ge_s (local.get $h) (local.get $H)))
            (local.set $w (i32.const 0))
            ;; to: byte address of dst[n, 0, top + h, left]
            (local.set $to (i32.add (local.get $dst) (i32.shl (i32.add (i32.mul (i32.add (i32.mul (i32.mul (local.get $n) (local.get $C)) (local.get $Hp)) (i32.add (local.get $top) (local.get $h))) (local.get $Wp)) (local.get $left)) (i32.const 2))))
            (block $w4_end (loop $lw4
                (br_if $w4_end (i32.gt_s (i32.add (local.get $w) (i32.const 4)) (local.get $W)))
                ;; from: src[n, h, w, 0]; at: dst[n, c, top + h, left + w]
                (local.set $at (local.get $to))
                (local.set $c (i32.const 0))
                (block $c4_end (loop $lc4
                    (br_if $c4_end (i32.ge_s (local.get $c) (local.get $C)))
                    (local.set $v (v128.load32_zero (local.get $from)))
                    (local.set $v (v128.load32_lane 1 (i32.add (local.get $from) (local.get $Cb)) (local.get $v)))
                    (local.set $v (v128.load32_lane 2 (i32.add (local.get $from) (i32.shl (local.get $Cb) (i32.const 1))) (local.get $v)))
                    (local.set $v (v128.load32_lane 3 (i32.add (local.get $from) (i32.mul (local.get $Cb) (i32.const 3))) (local.get $v)))
                    (v128.store (local.get $at) (local.get $v))
                    (local.set $from (i32.add (local.get $from) (i32.const 4)))
                    (local.set $at (i32.add (local.get $at) (local.get $planeBytes)))
                    (local.set $c (i32.add (local.get $c) (i32.const 1)))
                    (br $lc4)))
                ;; from went C floats on; the quad's other three pixels are 3 · C further
                (local.set $from (i32.add (local.get $from) (i32.mul (local.get $Cb) (i32.const 3))))
                (local.set $to (i32.add (local.get $to) (i32.const 16)))
                (local.set $w (i32.add (local.get $w) (i32.const 4)))
                (br $lw4)))
            (block $w_end (loop $lw
                (br_if $w_end (i32.ge_s (local.get $w) (local.get $W)))
                (local.set $at (local.get $to))
                (local.set $c (i32.const 0))
                (block $c_end (loop $lc
                    (br_if $c_end (i32.ge_s (local.get $c) (local.get $C)))
                    (f32.store (local.get $at) (f32.load (local.get $from)))
                    (local.set $from (i32.add (local.get $from) (i32.const 4)))
                    (local.set $at (i32.add (local.get $at) (local.get $planeBytes)))
                    (local.set $c (i32.add (local.get $c) (i32.const 1)))
                    (br $lc)))
                (local.set $to (i32.add (local.get $to) (i32.const 4)))
                (local.set $w (i32.add (local.get $w) (i32.const 1)))
                (br $lw)))
            (local.set $h (i32.add (local.get $h) (i32.const 1)))
            (br $lh)))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $ln)))
  )
  ;; fromPlanes(src, dst, N, H, W, C, Wq)
  ;; Channel planes with rows of Wq >= W floats -> NHWC:
  ;;   dst[n, h, w, c] = src[n, c, h, w]   (src [N, C, H, Wq], dst [N, H, W, C])
  ;; Pixels go 4 at a time as in toPlanes: per channel one load of the plane's 4
  ;; values, scattered by lane stores; the last W mod 4 one float at a time.
  (func (export "fromPlanes") (param $src i32) (param $dst i32) (param $N i32) (param $H i32) (param $W i32) (param $C i32) (param $Wq i32) (local $n i32) (local $h i32) (local $w i32) (local $c i32) (local $from i32) (local $to i32) (local $planeBytes i32) (local $Cb i32) (local $at i32) (local $v v128)
    (local.set $planeBytes (i32.shl (i32.mul (local.get $H) (local.get $Wq)) (i32.const 2)))
    (local.set $Cb (i32.shl (local.get $C) (i32.const 2)))
    (local.set $to (local.get $dst))
    (local.set $n (i32.const 0))
    (block $n_end (loop $ln
        (br_if $n_end (i32.ge_s (local.get $n) (local.get $N)))
        (local.set $h (i32.const 0))
        (block $h_end (loop $lh
            (br_if $h_end (i32.ge_s (local.get $h) (local.get $H)))
            (local.set $w (i32.const 0))
            ;; from: byte address of src[n, 0, h, 0]
            (local.set $from (i32.add (local.get $src) (i32.shl (i32.mul (i32.add (i32.mul (i32.mul (local.get $n) (local.get $C)) (local.get $H)) (local.get $h)) (local.get $Wq)) (i32.const 2))))
            (block $w4_end (loop $lw4
                (br_if $w4_end (i32.gt_s (i32.add (local.get $w) (i32.const 4)) (local.get $W)))
                ;; at: src[n, c, h, w]; to: dst[n, h, w, c]
                (local.set $at (local.get $from))
                (local.set $c (i32.const 0))
                (block $c4_end (loop $lc4
                    (br_if $c4_end (i32.ge_s (local.get $c) (local.get $C)))
                    (local.set $v (v128.load (local.get $at)))
                    (v128.store32_lane 0 (local.get $to) (local.get $v))
                    (v128.store32_lane 1 (i32.add (local.get $to) (local.get $Cb)) (local.get $v))
                    (v128.store32_lane 2 (i32.add (local.get $to) (i32.shl (local.get $Cb) (i32.const 1))) (local.get $v))
                    (v128.store32_lane 3 (i32.add (local.get $to) (i32.mul (local.get $Cb) (i32.const 3))) (local.get $v))
                    (local.set $to (i32.add (local.get $to) (i32.const 4)))
                    (local.set $at (i32.add (local.get $at) (local.get $planeBytes)))
                    (local.set $c (i32.add (local.get $c) (i32.const 1)))
                    (br $lc4)))
                ;; to went C floats on; the quad's other three pixels are 3 · C further
                (local.set $to (i32.add (local.get $to) (i32.mul (local.get $Cb) (i32.const 3))))
                (local.set $from (i32.add (local.get $from) (i32.const 16)))
                (local.set $w (i32.add (local.get $w) (i32.const 4)))
                (br $lw4)))
            (block $w_end (loop $lw
                (br_if $w_end (i32.ge_s (local.get $w) (local.get $W)))
                (local.set $at (local.get $from))
                (local.set $c (i32.const 0))
                (block $c_end (loop $lc
                    (br_if $c_end (i32.ge_s (local.get $c) (local.get $C)))
                    (f32.store (local.get $to) (f32.load (local.get $at)))
                    (local.set $to (i32.add (local.get $to) (i32.const 4)))
                    (local.set $at (i32.add (local.get $at) (local.get $planeBytes)))
                    (local.set $c (i32.add (local.get $c) (i32.const 1)))
                    (br $lc)))
                (local.set $from (i32.add (local.get $from) (i32.const 4)))
                (local.set $w (i32.add (local.get $w) (i32.const 1)))
                (br $lw)))
            (local.set $h (i32.add (local.get $h) (i32.const 1)))
            (br $lh)))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $ln)))
  )
  ;; pgdLinfStep(xAdv, g, x0, alpha, eps, out, batch, perSample, clip, lo, hi)
  ;; One PGD-L-inf update in one pass (pgd-linf-step.ts):
  ;;   out = clip_[lo,hi]( x0 + min(max(xAdv + alpha_b * sign(g) - x0, -eps_b), eps_b) )
  ;; (max/min as tf.maximum/tf.minimum, i.e. Math.max/Math.min: NaN wins, -0 < +0;
  ;; the clip as tf.clipByValue)
  ;; xAdv, g, x0, out [batch, perSample] float32; alpha, eps [batch] float32
  ;; (per-sample step and radius); the final clip only when clip != 0.
  ;; Matches the cpu composition bit for bit: sign(g) is built as
  ;; and(1, g > 0) | and(-1, g < 0), i.e. +1 / -1 / +0 (NaN and +-0 give 0, as
  ;; cpu's Sign), then multiplied by alpha as cpu's Mul does (so even the sign
  ;; of a zero step agrees).
  (func (export "pgdLinfStep") (param $xa i32) (param $g i32) (param $x0 i32) (param $alpha i32) (param $eps i32) (param $out i32) (param $batch i32) (param $perSample i32) (param $clip i32) (param $lo f32) (param $hi f32) (local $b i32) (local $i i32) (local $at i32) (local $va v128) (local $ve v128) (local $vne v128) (local $vlo v128) (local $vhi v128) (local $vg v128) (local $vx0 v128) (local $r v128) (local $sa f32) (local $se f32) (local $sg f32) (local $sx0 f32) (local $sr f32)
    (local.set $vlo (f32x4.splat (local.get $lo)))
    (local.set $vhi (f32x4.splat (local.get $hi)))
    (local.set $at (i32.const 0))
    (local.set $b (i32.const 0))
    (block $b_end (loop $lb
        (br_if $b_end (i32.ge_s (local.get $b) (local.get $batch)))
        (local.set $sa (f32.load (i32.add (local.get $alpha) (i32.shl (local.get $b) (i32.const 2)))))
        (local.set $se (f32.load (i32.add (local.get $eps) (i32.shl (local.get $b) (i32.const 2)))))
        (local.set $va (f32x4.splat (local.get $sa)))
        (local.set $ve (f32x4.splat (local.get $se)))
        (local.set $vne (f32x4.neg (local.get $ve)))
        (local.set $i (i32.const 0))
        (block $v_end (loop $lv
            (br_if $v_end (i32.gt_s (i32.add (local.get $i) (i32.const 4)) (local.get $perSample)))
            (local.set $vg (v128.load (i32.add (local.get $g) (local.get $at))))
            (local.set $vx0 (v128.load (i32.add (local.get $x0) (local.get $at))))
            (local.set $r (f32x4.add (v128.load (i32.add (local.get $xa) (local.get $at)))
              (f32x4.mul (local.get $va)
                (v128.or (v128.and (v128.const f32x4 1 1 1 1) (f32x4.gt (local.get $vg) (v128.const f32x4 0 0 0 0)))
                         (v128.and (v128.const f32x4 -1 -1 -1 -1) (f32x4.lt (local.get $vg) (v128.const f32x4 0 0 0 0)))))))
            (local.set $r (f32x4.add (local.get $vx0) (f32x4.min (f32x4.max (f32x4.sub (local.get $r) (local.get $vx0)) (local.get $vne)) (local.get $ve))))
            (if (local.get $clip) (then
              ;; clipByValue as cpu: v > hi ? hi : v < lo ? lo : v (NaN and -0 pass unchanged)
              (local.set $r (v128.bitselect (local.get $vhi) (local.get $r) (f32x4.gt (local.get $r) (local.get $vhi))))
              (local.set $r (v128.bitselect (local.get $vlo) (local.get $r) (f32x4.lt (local.get $r) (local.get $vlo))))))
            (v128.store (i32.add (local.get $out) (local.get $at)) (local.get $r))
            (local.set $at (i32.add (local.get $at) (i32.const 16)))
            (local.set $i (i32.add (local.get $i) (i32.const 4)))
            (br $lv)))
        ;; the last perSample mod 4 entries of this sample, same formula on scalars
        (block $s_end (loop $ls
            (br_if $s_end (i32.ge_s (local.get $i) (local.get $perSample)))
            (local.set $sg (f32.load (i32.add (local.get $g) (local.get $at))))
            (local.set $sx0 (f32.load (i32.add (local.get $x0) (local.get $at))))
            (local.set $sr (f32.add (f32.load (i32.add (local.get $xa) (local.get $at)))
              (f32.mul (local.get $sa) (select (f32.const 1) (select (f32.const -1) (f32.const 0) (f32.lt (local.get $sg) (f32.const 0))) (f32.gt (local.get $sg) (f32.const 0))))))
            (local.set $sr (f32.add (local.get $sx0) (f32.min (f32.max (f32.sub (local.get $sr) (local.get $sx0)) (f32.neg (local.get $se))) (local.get $se))))
            (if (local.get $clip) (then
              (local.set $sr (select (local.get $hi) (local.get $sr) (f32.gt (local.get $sr) (local.get $hi))))
              (local.set $sr (select (local.get $lo) (local.get $sr) (f32.lt (local.get $sr) (local.get $lo))))))
            (f32.store (i32.add (local.get $out) (local.get $at)) (local.get $sr))
            (local.set $at (i32.add (local.get $at) (i32.const 4)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $ls)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $lb)))
  )
  ;; adamUpdate(value, m, v, g, outValue, outM, outV, n, b1, omb1, b2, omb2, c1, c2, eps, negLr)
  ;; One Adam step on n floats, as tfjs's AdamOptimizer composes it from
  ;; float32 kernels, each intermediate rounded to float32 in this order:
  ;;   m' = m*b1 + g*omb1            v' = v*b2 + (g*g)*omb2
  ;;   value' = ((m'/c1) / (sqrt(v'/c2) + eps)) * negLr + value
  ;; (b1, b2 the betas, omb1 = 1 - b1 and omb2 = 1 - b2 rounded to float32,
  ;; c1 = 1 - b1^t and c2 = 1 - b2^t its bias corrections, negLr = -lr). f32x4
  ;; mul, add, div and sqrt are IEEE-754 exactly as the scalar ones, so the
  ;; SIMD body and the scalar tail agree with the cpu composition bit for bit.
  (func (export "adamUpdate") (param $w i32) (param $m i32) (param $v i32) (param $g i32) (param $ow i32) (param $om i32) (param $ov i32) (param $n i32) (param $b1 f32) (param $omb1 f32) (param $b2 f32) (param $omb2 f32) (param $c1 f32) (param $c2 f32) (param $eps f32) (param $negLr f32) (local $i i32) (local $at i32) (local $vb1 v128) (local $vomb1 v128) (local $vb2 v128) (local $vomb2 v128) (local $vc1 v128) (local $vc2 v128) (local $veps v128) (local $vlr v128) (local $vg v128) (local $vm v128) (local $vv v128) (local $sg f32) (local $sm f32) (local $sv f32)
    (local.set $vb1 (f32x4.splat (local.get $b1)))
    (local.set $vomb1 (f32x4.splat (local.get $omb1)))
    (local.set $vb2 (f32x4.splat (local.get $b2)))
    (local.set $vomb2 (f32x4.splat (local.get $omb2)))
    (local.set $vc1 (f32x4.splat (local.get $c1)))
    (local.set $vc2 (f32x4.splat (local.get $c2)))
    (local.set $veps (f32x4.splat (local.get $eps)))
    (local.set $vlr (f32x4.splat (local.get $negLr)))
    (local.set $i (i32.const 0))
    (local.set $at (i32.const 0))
    (block $v_end (loop $lv
        (br_if $v_end (i32.gt_s (i32.add (local.get $i) (i32.const 4)) (local.get $n)))
        (local.set $vg (v128.load (i32.add (local.get $g) (local.get $at))))
        (local.set $vm (f32x4.add (f32x4.mul (v128.load (i32.add (local.get $m) (local.get $at))) (local.get $vb1))
                                  (f32x4.mul (local.get $vg) (local.get $vomb1))))
        (local.set $vv (f32x4.add (f32x4.mul (v128.load (i32.add (local.get $v) (local.get $at))) (local.get $vb2))
                                  (f32x4.mul (f32x4.mul (local.get $vg) (local.get $vg)) (local.get $vomb2))))
        (v128.store (i32.add (local.get $om) (local.get $at)) (local.get $vm))
        (v128.store (i32.add (local.get $ov) (local.get $at)) (local.get $vv))
        (v128.store (i32.add (local.get $ow) (local.get $at))
          (f32x4.add
            (f32x4.mul
              (f32x4.div (f32x4.div (local.get $vm) (local.get $vc1))
                         (f32x4.add (f32x4.sqrt (f32x4.div (local.get $vv) (local.get $vc2))) (local.get $veps)))
              (local.get $vlr))
            (v128.load (i32.add (local.get $w) (local.get $at)))))
        (local.set $at (i32.add (local.get $at) (i32.const 16)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $lv)))
    ;; the last n mod 4 floats, the same formula on scalars
    (block $s_end (loop $ls
        (br_if $s_end (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $sg (f32.load (i32.add (local.get $g) (local.get $at))))
        (local.set $sm (f32.add (f32.mul (f32.load (i32.add (local.get $m) (local.get $at))) (local.get $b1))
                                (f32.mul (local.get $sg) (local.get $omb1))))
        (local.set $sv (f32.add (f32.mul (f32.load (i32.add (local.get $v) (local.get $at))) (local.get $b2))
                                (f32.mul (f32.mul (local.get $sg) (local.get $sg)) (local.get $omb2))))
        (f32.store (i32.add (local.get $om) (local.get $at)) (local.get $sm))
        (f32.store (i32.add (local.get $ov) (local.get $at)) (local.get $sv))
        (f32.store (i32.add (local.get $ow) (local.get $at))
          (f32.add
            (f32.mul
              (f32.div (f32.div (local.get $sm) (local.get $c1))
                       (f32.add (f32.sqrt (f32.div (local.get $sv) (local.get $c2))) (local.get $eps)))
              (local.get $negLr))
            (f32.load (i32.add (local.get $w) (local.get $at)))))
        (local.set $at (i32.add (local.get $at) (i32.const 4)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $ls)))
  )
  ;; momentumUpdate(value, acc, g, outValue, outAcc, n, mu, negLr, nesterov)
  ;; One momentum-SGD step on n floats, as tfjs's MomentumOptimizer composes
  ;; it from float32 kernels, each intermediate rounded to float32 in this order:
  ;;   acc' = mu*acc + g
  ;;   value' = negLr*acc' + value                 (nesterov 0)
  ;;   value' = negLr*(g + acc'*mu) + value        (nesterov 1)
  ;; (mu the momentum, negLr = -lr, both float32). f32x4 mul and add are
  ;; IEEE-754 exactly as the scalar ones, so the SIMD body and the scalar tail
  ;; agree with the cpu composition bit for bit (separate mul and add: no fusing).
  (func (export "momentumUpdate") (param $w i32) (param $a i32) (param $g i32) (param $ow i32) (param $oa i32) (param $n i32) (param $mu f32) (param $negLr f32) (param $nesterov i32) (local $i i32) (local $at i32) (local $vmu v128) (local $vlr v128) (local $vg v128) (local $va v128) (local $sg f32) (local $sa f32)
    (local.set $vmu (f32x4.splat (local.get $mu)))
    (local.set $vlr (f32x4.splat (local.get $negLr)))
    (local.set $i (i32.const 0))
    (local.set $at (i32.const 0))
    (block $v_end (loop $lv
        (br_if $v_end (i32.gt_s (i32.add (local.get $i) (i32.const 4)) (local.get $n)))
        (local.set $vg (v128.load (i32.add (local.get $g) (local.get $at))))
        (local.set $va (f32x4.add (f32x4.mul (local.get $vmu) (v128.load (i32.add (local.get $a) (local.get $at))))
                                  (local.get $vg)))
        (v128.store (i32.add (local.get $oa) (local.get $at)) (local.get $va))
        (v128.store (i32.add (local.get $ow) (local.get $at))
          (f32x4.add
            (f32x4.mul (local.get $vlr)
              (if (result v128) (local.get $nesterov)
                (then (f32x4.add (local.get $vg) (f32x4.mul (local.get $va) (local.get $vmu))))
                (else (local.get $va))))
            (v128.load (i32.add (local.get $w) (local.get $at)))))
        (local.set $at (i32.add (local.get $at) (i32.const 16)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $lv)))
    ;; the last n mod 4 floats, the same formula on scalars
    (block $s_end (loop $ls
        (br_if $s_end (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $sg (f32.load (i32.add (local.get $g) (local.get $at))))
        (local.set $sa (f32.add (f32.mul (local.get $mu) (f32.load (i32.add (local.get $a) (local.get $at))))
                                (local.get $sg)))
        (f32.store (i32.add (local.get $oa) (local.get $at)) (local.get $sa))
        (f32.store (i32.add (local.get $ow) (local.get $at))
          (f32.add
            (f32.mul (local.get $negLr)
              (if (result f32) (local.get $nesterov)
                (then (f32.add (local.get $sg) (f32.mul (local.get $sa) (local.get $mu))))
                (else (local.get $sa))))
            (f32.load (i32.add (local.get $w) (local.get $at)))))
        (local.set $at (i32.add (local.get $at) (i32.const 4)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $ls)))
  )
  ;; planarFilterGradient5(P, D, out, n0, n1, C, O, outH, outW, Hp, Wp, fh, fw)
  ;; Filter gradient of a stride-1 convolution on channel planes, summed over
  ;; the images n0 .. n1-1 in float32 (the caller adds chunks in float64):
  ;;   out[o, c, a, b] = sum_(n, i < outH, j < outW) P[n, c, i + a, j + b] * D[n, o, i, j]
  ;;   P [N, C, Hp, Wp]  the input, zero-bordered (x[n, r, q, c] at P[n, c, top + r, left + q])
  ;;   D [N, O, outH, outW]  the output gradient as planes
  ;;   out [O, C, fh, fw]  written (overwritten)
  ;; Taps go 5 at a time (b0, b0+1, .., b0+4: five accumulators sharing one
  ;; load of D), so P's rows are read up to column outW - 1 + 5*ceil(fw/5) - 1:
  ;; the caller makes Wp at least outW + 5*ceil(fw/5) - 1 and Hp at least
  ;; outH + fh - 1; taps past fw are computed and dropped. Columns j go 4 at a
  ;; time, then one at a time for the last outW mod 4, so no product outside
  ;; the output is ever formed (an infinite x never meets a padding zero of D).
  ;; Each tap's sum is (lane0 + lane1) + (lane2 + lane3) of its accumulator
  ;; plus its scalar tail.
  (func (export "planarFilterGradient5") (param $P i32) (param $D i32) (param $out i32) (param $n0 i32) (param $n1 i32) (param $C i32) (param $O i32) (param $outH i32) (param $outW i32) (param $Hp i32) (param $Wp i32) (param $fh i32) (param $fw i32) (local $o i32) (local $c i32) (local $a i32) (local $b0 i32) (local $n i32) (local $i i32) (local $j i32) (local $rowP i32) (local $rowD i32) (local $pAt i32) (local $outAt i32) (local $rowBytesP i32) (local $rowBytesD i32) (local $planeBytesP i32) (local $planeBytesD i32) (local $d v128) (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128) (local $acc4 v128) (local $sd f32) (local $s0 f32) (local $s1 f32) (local $s2 f32) (local $s3 f32) (local $s4 f32)
    (local.set $rowBytesP (i32.shl (local.get $Wp) (i32.const 2)))
    (local.set $rowBytesD (i32.shl (local.get $outW) (i32.const 2)))
    (local.set $planeBytesP (i32.mul (local.get $Hp) (local.get $rowBytesP)))
    (local.set $planeBytesD (i32.mul (local.get $outH) (local.get $rowBytesD)))
    (local.set $outAt (local.get $out))
    (local.set $o (i32.const 0))
    (block $o_end (loop $lo
      (br_if $o_end (i32.ge_s (local.get $o) (local.get $O)))
      (local.set $c (i32.const 0))
      (block $c_end (loop $lc
        (br_if $c_end (i32.ge_s (local.get $c) (local.get $C)))
        (local.set $a (i32.const 0))
        (block $a_end (loop $la
          (br_if $a_end (i32.ge_s (local.get $a) (local.get $fh)))
          (local.set $b0 (i32.const 0))
          (block $g_end (loop $lg
            (br_if $g_end (i32.ge_s (local.get $b0) (local.get $fw)))
        (local.set $acc0 (v128.const f32x4 0 0 0 0)) (local.set $s0 (f32.const 0))
        (local.set $acc1 (v128.const f32x4 0 0 0 0)) (local.set $s1 (f32.const 0))
        (local.set $acc2 (v128.const f32x4 0 0 0 0)) (local.set $s2 (f32.const 0))
        (local.set $acc3 (v128.const f32x4 0 0 0 0)) (local.set $s3 (f32.const 0))
        (local.set $acc4 (v128.const f32x4 0 0 0 0)) (local.set $s4 (f32.const 0))
            (local.set $n (local.get $n0))
            (block $n_end (loop $ln
              (br_if $n_end (i32.ge_s (local.get $n) (local.get $n1)))
              ;; row a of plane (n, c) of P, row 0 of plane (n, o) of D
              (local.set $rowP (i32.add (local.get $P) (i32.add
                (i32.mul (i32.add (i32.mul (local.get $n) (local.get $C)) (local.get $c)) (local.get $planeBytesP))
                (i32.mul (local.get $a) (local.get $rowBytesP)))))
              (local.set $rowD (i32.add (local.get $D)
                (i32.mul (i32.add (i32.mul (local.get $n) (local.get $O)) (local.get $o)) (local.get $planeBytesD))))
              (local.set $i (i32.const 0))
              (block $i_end (loop $li
                (br_if $i_end (i32.ge_s (local.get $i) (local.get $outH)))
                (local.set $j (i32.const 0))
                (block $jv_end (loop $ljv
                  (br_if $jv_end (i32.gt_s (i32.add (local.get $j) (i32.const 4)) (local.get $outW)))
                  (local.set $d (v128.load (i32.add (local.get $rowD) (i32.shl (local.get $j) (i32.const 2)))))
                  (local.set $pAt (i32.add (local.get $rowP) (i32.shl (i32.add (local.get $j) (local.get $b0)) (i32.const 2))))
            (local.set $acc0 (f32x4.add (local.get $acc0) (f32x4.mul (v128.load (local.get $pAt)) (local.get $d))))
            (local.set $acc1 (f32x4.add (local.get $acc1) (f32x4.mul (v128.load offset=4 (local.get $pAt)) (local.get $d))))
            (local.set $acc2 (f32x4.add (local.get $acc2) (f32x4.mul (v128.load offset=8 (local.get $pAt)) (local.get $d))))
            (local.set $acc3 (f32x4.add (local.get $acc3) (f32x4.mul (v128.load offset=12 (local.get $pAt)) (local.get $d))))
            (local.set $acc4 (f32x4.add (local.get $acc4) (f32x4.mul (v128.load offset=16 (local.get $pAt)) (local.get $d))))
                  (local.set $j (i32.add (local.get $j) (i32.const 4)))
                  (br $ljv)))
                (block $js_end (loop $ljs
                  (br_if $js_end (i32.ge_s (local.get $j) (local.get $outW)))
                  (local.set $sd (f32.load (i32.add (local.get $rowD) (i32.shl (local.get $j) (i32.const 2)))))
                  (local.set $pAt (i32.add (local.get $rowP) (i32.shl (i32.add (local.get $j) (local.get $b0)) (i32.const 2))))
            (local.set $s0 (f32.add (local.get $s0) (f32.mul (f32.load (local.get $pAt)) (local.get $sd))))
            (local.set $s1 (f32.add (local.get $s1) (f32.mul (f32.load offset=4 (local.get $pAt)) (local.get $sd))))
            (local.set $s2 (f32.add (local.get $s2) (f32.mul (f32.load offset=8 (local.get $pAt)) (local.get $sd))))
            (local.set $s3 (f32.add (local.get $s3) (f32.mul (f32.load offset=12 (local.get $pAt)) (local.get $sd))))
            (local.set $s4 (f32.add (local.get $s4) (f32.mul (f32.load offset=16 (local.get $pAt)) (local.get $sd))))
                  (local.set $j (i32.add (local.get $j) (i32.const 1)))
                  (br $ljs)))
                (local.set $rowP (i32.add (local.get $rowP) (local.get $rowBytesP)))
                (local.set $rowD (i32.add (local.get $rowD) (local.get $rowBytesD)))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $li)))
              (local.set $n (i32.add (local.get $n) (i32.const 1)))
              (br $ln)))
            ;; out[o, c, a, b0 .. min(b0 + 5, fw) - 1]
        (f32.store (local.get $outAt) (f32.add (f32.add (f32.add (f32x4.extract_lane 0 (local.get $acc0)) (f32x4.extract_lane 1 (local.get $acc0))) (f32.add (f32x4.extract_lane 2 (local.get $acc0)) (f32x4.extract_lane 3 (local.get $acc0)))) (local.get $s0)))
        (if (i32.lt_s (i32.add (local.get $b0) (i32.const 1)) (local.get $fw)) (then (f32.store offset=4 (local.get $outAt) (f32.add (f32.add (f32.add (f32x4.extract_lane 0 (local.get $acc1)) (f32x4.extract_lane 1 (local.get $acc1))) (f32.add (f32x4.extract_lane 2 (local.get $acc1)) (f32x4.extract_lane 3 (local.get $acc1)))) (local.get $s1)))))
        (if (i32.lt_s (i32.add (local.get $b0) (i32.const 2)) (local.get $fw)) (then (f32.store offset=8 (local.get $outAt) (f32.add (f32.add (f32.add (f32x4.extract_lane 0 (local.get $acc2)) (f32x4.extract_lane 1 (local.get $acc2))) (f32.add (f32x4.extract_lane 2 (local.get $acc2)) (f32x4.extract_lane 3 (local.get $acc2)))) (local.get $s2)))))
        (if (i32.lt_s (i32.add (local.get $b0) (i32.const 3)) (local.get $fw)) (then (f32.store offset=12 (local.get $outAt) (f32.add (f32.add (f32.add (f32x4.extract_lane 0 (local.get $acc3)) (f32x4.extract_lane 1 (local.get $acc3))) (f32.add (f32x4.extract_lane 2 (local.get $acc3)) (f32x4.extract_lane 3 (local.get $acc3)))) (local.get $s3)))))
        (if (i32.lt_s (i32.add (local.get $b0) (i32.const 4)) (local.get $fw)) (then (f32.store offset=16 (local.get $outAt) (f32.add (f32.add (f32.add (f32x4.extract_lane 0 (local.get $acc4)) (f32x4.extract_lane 1 (local.get $acc4))) (f32.add (f32x4.extract_lane 2 (local.get $acc4)) (f32x4.extract_lane 3 (local.get $acc4)))) (local.get $s4)))))
            (local.set $outAt (i32.add (local.get $outAt) (i32.const 20)))
            (local.set $b0 (i32.add (local.get $b0) (i32.const 5)))
            (br $lg)))
          ;; a group past fw advanced outAt by 5 taps; step back to a + 1's row start
          (local.set $outAt (i32.add (local.get $out) (i32.shl
            (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $o) (local.get $C)) (local.get $c)) (local.get $fh)) (i32.add (local.get $a) (i32.const 1))) (local.get $fw))
            (i32.const 2))))
          (local.set $a (i32.add (local.get $a) (i32.const 1)))
          (br $la)))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $lc)))
      (local.set $o (i32.add (local.get $o) (i32.const 1)))
      (br $lo)))
  )
  ;; planarFilterGradient3(...): the same loop with taps 3 at a time (3x3 filters
  ;; waste no accumulator), so Wp at least outW + 3*ceil(fw/3) - 1.
  (func (export "planarFilterGradient3") (param $P i32) (param $D i32) (param $out i32) (param $n0 i32) (param $n1 i32) (param $C i32) (param $O i32) (param $outH i32) (param $outW i32) (param $Hp i32) (param $Wp i32) (param $fh i32) (param $fw i32) (local $o i32) (local $c i32) (local $a i32) (local $b0 i32) (local $n i32) (local $i i32) (local $j i32) (local $rowP i32) (local $rowD i32) (local $pAt i32) (local $outAt i32) (local $rowBytesP i32) (local $rowBytesD i32) (local $planeBytesP i32) (local $planeBytesD i32) (local $d v128) (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $sd f32) (local $s0 f32) (local $s1 f32) (local $s2 f32)
    (local.set $rowBytesP (i32.shl (local.get $Wp) (i32.const 2)))
    (local.set $rowBytesD (i32.shl (local.get $outW) (i32.const 2)))
    (local.set $planeBytesP (i32.mul (local.get $Hp) (local.get $rowBytesP)))
    (local.set $planeBytesD (i32.mul (local.get $outH) (local.get $rowBytesD)))
    (local.set $outAt (local.get $out))
    (local.set $o (i32.const 0))
    (block $o_end (loop $lo
      (br_if $o_end (i32.ge_s (local.get $o) (local.get $O)))
      (local.set $c (i32.const 0))
      (block $c_end (loop $lc
        (br_if $c_end (i32.ge_s (local.get $c) (local.get $C)))
        (local.set $a (i32.const 0))
        (block $a_end (loop $la
          (br_if $a_end (i32.ge_s (local.get $a) (local.get $fh)))
          (local.set $b0 (i32.const 0))
          (block $g_end (loop $lg
            (br_if $g_end (i32.ge_s (local.get $b0) (local.get $fw)))
        (local.set $acc0 (v128.const f32x4 0 0 0 0)) (local.set $s0 (f32.const 0))
        (local.set $acc1 (v128.const f32x4 0 0 0 0)) (local.set $s1 (f32.const 0))
        (local.set $acc2 (v128.const f32x4 0 0 0 0)) (local.set $s2 (f32.const 0))
            (local.set $n (local.get $n0))
            (block $n_end (loop $ln
              (br_if $n_end (i32.ge_s (local.get $n) (local.get $n1)))
              ;; row a of plane (n, c) of P, row 0 of plane (n, o) of D
              (local.set $rowP (i32.add (local.get $P) (i32.add
                (i32.mul (i32.add (i32.mul (local.get $n) (local.get $C)) (local.get $c)) (local.get $planeBytesP))
                (i32.mul (local.get $a) (local.get $rowBytesP)))))
              (local.set $rowD (i32.add (local.get $D)
                (i32.mul (i32.add (i32.mul (local.get $n) (local.get $O)) (local.get $o)) (local.get $planeBytesD))))
              (local.set $i (i32.const 0))
              (block $i_end (loop $li
                (br_if $i_end (i32.ge_s (local.get $i) (local.get $outH)))
                (local.set $j (i32.const 0))
                (block $jv_end (loop $ljv
                  (br_if $jv_end (i32.gt_s (i32.add (local.get $j) (i32.const 4)) (local.get $outW)))
                  (local.set $d (v128.load (i32.add (local.get $rowD) (i32.shl (local.get $j) (i32.const 2)))))
                  (local.set $pAt (i32.add (local.get $rowP) (i32.shl (i32.add (local.get $j) (local.get $b0)) (i32.const 2))))
            (local.set $acc0 (f32x4.add (local.get $acc0) (f32x4.mul (v128.load (local.get $pAt)) (local.get $d))))
            (local.set $acc1 (f32x4.add (local.get $acc1) (f32x4.mul (v128.load offset=4 (local.get $pAt)) (local.get $d))))
            (local.set $acc2 (f32x4.add (local.get $acc2) (f32x4.mul (v128.load offset=8 (local.get $pAt)) (local.get $d))))
                  (local.set $j (i32.add (local.get $j) (i32.const 4)))
                  (br $ljv)))
                (block $js_end (loop $ljs
                  (br_if $js_end (i32.ge_s (local.get $j) (local.get $outW)))
                  (local.set $sd (f32.load (i32.add (local.get $rowD) (i32.shl (local.get $j) (i32.const 2)))))
                  (local.set $pAt (i32.add (local.get $rowP) (i32.shl (i32.add (local.get $j) (local.get $b0)) (i32.const 2))))
            (local.set $s0 (f32.add (local.get $s0) (f32.mul (f32.load (local.get $pAt)) (local.get $sd))))
            (local.set $s1 (f32.add (local.get $s1) (f32.mul (f32.load offset=4 (local.get $pAt)) (local.get $sd))))
            (local.set $s2 (f32.add (local.get $s2) (f32.mul (f32.load offset=8 (local.get $pAt)) (local.get $sd))))
                  (local.set $j (i32.add (local.get $j) (i32.const 1)))
                  (br $ljs)))
                (local.set $rowP (i32.add (local.get $rowP) (local.get $rowBytesP)))
                (local.set $rowD (i32.add (local.get $rowD) (local.get $rowBytesD)))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $li)))
              (local.set $n (i32.add (local.get $n) (i32.const 1)))
              (br $ln)))
            ;; out[o, c, a, b0 .. min(b0 + 3, fw) - 1]
        (f32.store (local.get $outAt) (f32.add (f32.add (f32.add (f32x4.extract_lane 0 (local.get $acc0)) (f32x4.extract_lane 1 (local.get $acc0))) (f32.add (f32x4.extract_lane 2 (local.get $acc0)) (f32x4.extract_lane 3 (local.get $acc0)))) (local.get $s0)))
        (if (i32.lt_s (i32.add (local.get $b0) (i32.const 1)) (local.get $fw)) (then (f32.store offset=4 (local.get $outAt) (f32.add (f32.add (f32.add (f32x4.extract_lane 0 (local.get $acc1)) (f32x4.extract_lane 1 (local.get $acc1))) (f32.add (f32x4.extract_lane 2 (local.get $acc1)) (f32x4.extract_lane 3 (local.get $acc1)))) (local.get $s1)))))
        (if (i32.lt_s (i32.add (local.get $b0) (i32.const 2)) (local.get $fw)) (then (f32.store offset=8 (local.get $outAt) (f32.add (f32.add (f32.add (f32x4.extract_lane 0 (local.get $acc2)) (f32x4.extract_lane 1 (local.get $acc2))) (f32.add (f32x4.extract_lane 2 (local.get $acc2)) (f32x4.extract_lane 3 (local.get $acc2)))) (local.get $s2)))))
            (local.set $outAt (i32.add (local.get $outAt) (i32.const 12)))
            (local.set $b0 (i32.add (local.get $b0) (i32.const 3)))
            (br $lg)))
          ;; a group past fw advanced outAt by 3 taps; step back to a + 1's row start
          (local.set $outAt (i32.add (local.get $out) (i32.shl
            (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $o) (local.get $C)) (local.get $c)) (local.get $fh)) (i32.add (local.get $a) (i32.const 1))) (local.get $fw))
            (i32.const 2))))
          (local.set $a (i32.add (local.get $a) (i32.const 1)))
          (br $la)))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $lc)))
      (local.set $o (i32.add (local.get $o) (i32.const 1)))
      (br $lo)))
  )
  ;; perChannelBinary(op, x, pattern, out, k0, k1, L)
  ;; out[k] = x[k] op pattern[(k - k0) mod L] for k0 <= k < k1 (k0 a multiple of L
  ;; for pattern[k mod L]), op 0: +, 1: *, 2: x - pattern,
  ;; 3: pattern - x: a per-channel operand (bias add, BatchNorm's scale and
  ;; shift) repeated to L = lcm(C, 4) floats by the caller, so whole blocks of L
  ;; go 4 floats at a time; the last n mod L floats one at a time. f32x4 add,
  ;; mul and sub are IEEE-754 like the scalar ones.
  (func (export "perChannelBinary") (param $op i32) (param $x i32) (param $pattern i32) (param $out i32) (param $k0 i32) (param $k1 i32) (param $L i32) (local $k i32) (local $at i32) (local $pAt i32) (local $LBytes i32) (local $n i32)
    (local.set $LBytes (i32.shl (local.get $L) (i32.const 2)))
    (local.set $n (i32.sub (local.get $k1) (local.get $k0)))
    (local.set $x (i32.add (local.get $x) (i32.shl (local.get $k0) (i32.const 2))))
    (local.set $out (i32.add (local.get $out) (i32.shl (local.get $k0) (i32.const 2))))
    (local.set $k (i32.const 0))
    (local.set $at (i32.const 0))
    (if (i32.eq (local.get $op) (i32.const 0)) (then
      (block $v0_end (loop $lv0
        (br_if $v0_end (i32.gt_s (i32.add (local.get $k) (local.get $L)) (local.get $n)))
        (local.set $pAt (i32.const 0))
        (block $p0_end (loop $lp0
          (br_if $p0_end (i32.ge_s (local.get $pAt) (local.get $LBytes)))
          (v128.store (i32.add (local.get $out) (local.get $at)) (f32x4.add (v128.load (i32.add (local.get $x) (local.get $at))) (v128.load (i32.add (local.get $pattern) (local.get $pAt)))))
          (local.set $at (i32.add (local.get $at) (i32.const 16)))
          (local.set $pAt (i32.add (local.get $pAt) (i32.const 16)))
          (br $lp0)))
        (local.set $k (i32.add (local.get $k) (local.get $L)))
        (br $lv0)))
      (local.set $pAt (i32.const 0))
      (block $s0_end (loop $ls0
        (br_if $s0_end (i32.ge_s (local.get $k) (local.get $n)))
        (f32.store (i32.add (local.get $out) (local.get $at)) (f32.add (f32.load (i32.add (local.get $x) (local.get $at))) (f32.load (i32.add (local.get $pattern) (local.get $pAt)))))
        (local.set $at (i32.add (local.get $at) (i32.const 4)))
        (local.set $pAt (i32.add (local.get $pAt) (i32.const 4)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $ls0)))))
    (if (i32.eq (local.get $op) (i32.const 1)) (then
      (block $v1_end (loop $lv1
        (br_if $v1_end (i32.gt_s (i32.add (local.get $k) (local.get $L)) (local.get $n)))
        (local.set $pAt (i32.const 0))
        (block $p1_end (loop $lp1
          (br_if $p1_end (i32.ge_s (local.get $pAt) (local.get $LBytes)))
          (v128.store (i32.add (local.get $out) (local.get $at)) (f32x4.mul (v128.load (i32.add (local.get $x) (local.get $at))) (v128.load (i32.add (local.get $pattern) (local.get $pAt)))))
          (local.set $at (i32.add (local.get $at) (i32.const 16)))
          (local.set $pAt (i32.add (local.get $pAt) (i32.const 16)))
          (br $lp1)))
        (local.set $k (i32.add (local.get $k) (local.get $L)))
        (br $lv1)))
      (local.set $pAt (i32.const 0))
      (block $s1_end (loop $ls1
        (br_if $s1_end (i32.ge_s (local.get $k) (local.get $n)))
        (f32.store (i32.add (local.get $out) (local.get $at)) (f32.mul (f32.load (i32.add (local.get $x) (local.get $at))) (f32.load (i32.add (local.get $pattern) (local.get $pAt)))))
        (local.set $at (i32.add (local.get $at) (i32.const 4)))
        (local.set $pAt (i32.add (local.get $pAt) (i32.const 4)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $ls1)))))
    (if (i32.eq (local.get $op) (i32.const 2)) (then
      (block $v2_end (loop $lv2
        (br_if $v2_end (i32.gt_s (i32.add (local.get $k) (local.get $L)) (local.get $n)))
        (local.set $pAt (i32.const 0))
        (block $p2_end (loop $lp2
          (br_if $p2_end (i32.ge_s (local.get $pAt) (local.get $LBytes)))
          (v128.store (i32.add (local.get $out) (local.get $at)) (f32x4.sub (v128.load (i32.add (local.get $x) (local.get $at))) (v128.load (i32.add (local.get $pattern) (local.get $pAt)))))
          (local.set $at (i32.add (local.get $at) (i32.const 16)))
          (local.set $pAt (i32.add (local.get $pAt) (i32.const 16)))
          (br $lp2)))
        (local.set $k (i32.add (local.get $k) (local.get $L)))
        (br $lv2)))
      (local.set $pAt (i32.const 0))
      (block $s2_end (loop $ls2
        (br_if $s2_end (i32.ge_s (local.get $k) (local.get $n)))
        (f32.store (i32.add (local.get $out) (local.get $at)) (f32.sub (f32.load (i32.add (local.get $x) (local.get $at))) (f32.load (i32.add (local.get $pattern) (local.get $pAt)))))
        (local.set $at (i32.add (local.get $at) (i32.const 4)))
        (local.set $pAt (i32.add (local.get $pAt) (i32.const 4)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $ls2)))))
    (if (i32.eq (local.get $op) (i32.const 3)) (then
      (block $v3_end (loop $lv3
        (br_if $v3_end (i32.gt_s (i32.add (local.get $k) (local.get $L)) (local.get $n)))
        (local.set $pAt (i32.const 0))
        (block $p3_end (loop $lp3
          (br_if $p3_end (i32.ge_s (local.get $pAt) (local.get $LBytes)))
          (v128.store (i32.add (local.get $out) (local.get $at)) (f32x4.sub (v128.load (i32.add (local.get $pattern) (local.get $pAt))) (v128.load (i32.add (local.get $x) (local.get $at)))))
          (local.set $at (i32.add (local.get $at) (i32.const 16)))
          (local.set $pAt (i32.add (local.get $pAt) (i32.const 16)))
          (br $lp3)))
        (local.set $k (i32.add (local.get $k) (local.get $L)))
        (br $lv3)))
      (local.set $pAt (i32.const 0))
      (block $s3_end (loop $ls3
        (br_if $s3_end (i32.ge_s (local.get $k) (local.get $n)))
        (f32.store (i32.add (local.get $out) (local.get $at)) (f32.sub (f32.load (i32.add (local.get $pattern) (local.get $pAt))) (f32.load (i32.add (local.get $x) (local.get $at)))))
        (local.set $at (i32.add (local.get $at) (i32.const 4)))
        (local.set $pAt (i32.add (local.get $pAt) (i32.const 4)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $ls3)))))
  )
  ;; matMul(a, b, bias, out, M, K, N, relu)
  ;; out[m, n] = act(bias[n] + sum_k a[m, k] * b[k, n]), a [M, K], b [K, N], out
  ;; [M, N] row-major float32; bias 0 means none (the sum starts from +0), relu 0
  ;; the identity, else cpu's relu (x < 0 ? 0 : x, NaN kept). Each output is one
  ;; float32 chain over k in order, as XNNPACK's GEMM microkernels accumulate:
  ;; columns 16 at a time (4 accumulators sharing one splat of a[m, k]), then 4,
  ;; then one at a time for the last N mod 4. On the calling thread, no pool: for
  ;; the small products of small models (dense layers of LeNet-5), where waking
  ;; XNNPACK's threads costs more than the product.
  (func $activate (param $v v128) (param $relu i32) (result v128)
    (if (result v128) (local.get $relu)
      (then (v128.bitselect (v128.const i32x4 0 0 0 0) (local.get $v) (f32x4.lt (local.get $v) (v128.const i32x4 0 0 0 0))))
      (else (local.get $v))))
  ;; $matMulRows: the rows m0 ≤ m < M of matMul below, from column n0 on (16 columns a
  ;; pass, then 4, then one at a time), one row of a at a time.
  (func $matMulRows (param $a i32) (param $b i32) (param $bias i32) (param $out i32) (param $m0 i32) (param $M i32) (param $K i32) (param $N i32) (param $relu i32) (param $n0 i32) (local $m i32) (local $n i32) (local $k i32) (local $aRow i32) (local $outRow i32) (local $aAt i32) (local $bAt i32) (local $outAt i32) (local $bStep i32) (local $s v128) (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128) (local $init0 v128) (local $init1 v128) (local $init2 v128) (local $init3 v128) (local $ss f32) (local $sa f32)
    (local.set $bStep (i32.shl (local.get $N) (i32.const 2)))
    (local.set $m (local.get $m0))
    (block $lm_end (loop $lm
        (br_if $lm_end (i32.ge_s (local.get $m) (local.get $M)))
        (local.set $aRow (i32.add (local.get $a) (i32.shl (i32.mul (local.get $m) (local.get $K)) (i32.const 2))))
        (local.set $outRow (i32.add (local.get $out) (i32.shl (i32.mul (local.get $m) (local.get $N)) (i32.const 2))))
        (local.set $n (local.get $n0))
        (block $n16_end (loop $n16
            (br_if $n16_end (i32.gt_s (i32.add (local.get $n) (i32.const 16)) (local.get $N)))
            (local.set $init0 (if (result v128) (local.get $bias) (then (v128.load offset=0 (i32.add (local.get $bias) (i32.shl (local.get $n) (i32.const 2))))) (else (v128.const i32x4 0 0 0 0)))) (local.set $init1 (if (result v128) (local.get $bias) (then (v128.load offset=16 (i32.add (local.get $bias) (i32.shl (local.get $n) (i32.const 2))))) (else (v128.const i32x4 0 0 0 0)))) (local.set $init2 (if (result v128) (local.get $bias) (then (v128.load offset=32 (i32.add (local.get $bias) (i32.shl (local.get $n) (i32.const 2))))) (else (v128.const i32x4 0 0 0 0)))) (local.set $init3 (if (result v128) (local.get $bias) (then (v128.load offset=48 (i32.add (local.get $bias) (i32.shl (local.get $n) (i32.const 2))))) (else (v128.const i32x4 0 0 0 0)))) 
            (local.set $acc0 (local.get $init0)) (local.set $acc1 (local.get $init1)) (local.set $acc2 (local.get $init2)) (local.set $acc3 (local.get $init3)) 
            (local.set $aAt (local.get $aRow))
            (local.set $bAt (i32.add (local.get $b) (i32.shl (local.get $n) (i32.const 2))))
            (local.set $k (i32.const 0))
            (block $n16k_end (loop $n16k
                (br_if $n16k_end (i32.ge_s (local.get $k) (local.get $K)))
                (local.set $s (f32x4.splat (f32.load (local.get $aAt))))
                (local.set $acc0 (f32x4.add (local.get $acc0) (f32x4.mul (local.get $s) (v128.load offset=0 (local.get $bAt)))))
                (local.set $acc1 (f32x4.add (local.get $acc1) (f32x4.mul (local.get $s) (v128.load offset=16 (local.get $bAt)))))
                (local.set $acc2 (f32x4.add (local.get $acc2) (f32x4.mul (local.get $s) (v128.load offset=32 (local.get $bAt)))))
                (local.set $acc3 (f32x4.add (local.get $acc3) (f32x4.mul (local.get $s) (v128.load offset=48 (local.get $bAt)))))
                (local.set $aAt (i32.add (local.get $aAt) (i32.const 4)))
                (local.set $bAt (i32.add (local.get $bAt) (local.get $bStep)))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $n16k)))
            (local.set $outAt (i32.add (local.get $outRow) (i32.shl (local.get $n) (i32.const 2))))
            (v128.store offset=0 (local.get $outAt) (call $activate (local.get $acc0) (local.get $relu))) (v128.store offset=16 (local.get $outAt) (call $activate (local.get $acc1) (local.get $relu))) (v128.store offset=32 (local.get $outAt) (call $activate (local.get $acc2) (local.get $relu))) (v128.store offset=48 (local.get $outAt) (call $activate (local.get $acc3) (local.get $relu))) 
            (local.set $n (i32.add (local.get $n) (i32.const 16)))
            (br $n16)))
        (block $n4_end (loop $n4
            (br_if $n4_end (i32.gt_s (i32.add (local.get $n) (i32.const 4)) (local.get $N)))
            (local.set $init0 (if (result v128) (local.get $bias) (then (v128.load offset=0 (i32.add (local.get $bias) (i32.shl (local.get $n) (i32.const 2))))) (else (v128.const i32x4 0 0 0 0)))) 
            (local.set $acc0 (local.get $init0)) 
            (local.set $aAt (local.get $aRow))
            (local.set $bAt (i32.add (local.get $b) (i32.shl (local.get $n) (i32.const 2))))
            (local.set $k (i32.const 0))
            (block $n4k_end (loop $n4k
                (br_if $n4k_end (i32.ge_s (local.get $k) (local.get $K)))
                (local.set $s (f32x4.splat (f32.load (local.get $aAt))))
                (local.set $acc0 (f32x4.add (local.get $acc0) (f32x4.mul (local.get $s) (v128.load offset=0 (local.get $bAt)))))
                (local.set $aAt (i32.add (local.get $aAt) (i32.const 4)))
                (local.set $bAt (i32.add (local.get $bAt) (local.get $bStep)))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $n4k)))
            (local.set $outAt (i32.add (local.get $outRow) (i32.shl (local.get $n) (i32.const 2))))
            (v128.store offset=0 (local.get $outAt) (call $activate (local.get $acc0) (local.get $relu))) 
            (local.set $n (i32.add (local.get $n) (i32.const 4)))
            (br $n4)))
        ;; the last N mod 4 columns, one chain each
        (block $n1_end (loop $n1
            (br_if $n1_end (i32.ge_s (local.get $n) (local.get $N)))
            (local.set $ss (if (result f32) (local.get $bias) (then (f32.load (i32.add (local.get $bias) (i32.shl (local.get $n) (i32.const 2))))) (else (f32.const 0))))
            (local.set $aAt (local.get $aRow))
            (local.set $bAt (i32.add (local.get $b) (i32.shl (local.get $n) (i32.const 2))))
            (local.set $k (i32.const 0))
            (block $n1k_end (loop $n1k
                (br_if $n1k_end (i32.ge_s (local.get $k) (local.get $K)))
                (local.set $ss (f32.add (local.get $ss) (f32.mul (f32.load (local.get $aAt)) (f32.load (local.get $bAt)))))
                (local.set $aAt (i32.add (local.get $aAt) (i32.const 4)))
                (local.set $bAt (i32.add (local.get $bAt) (local.get $bStep)))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $n1k)))
            (if (i32.and (local.get $relu) (f32.lt (local.get $ss) (f32.const 0))) (then (local.set $ss (f32.const 0))))
            (f32.store (i32.add (local.get $outRow) (i32.shl (local.get $n) (i32.const 2))) (local.get $ss))
            (local.set $n (i32.add (local.get $n) (i32.const 1)))
            (br $n1)))
        (local.set $m (i32.add (local.get $m) (i32.const 1)))
        (br $lm)))
  )
  ;; matMul itself (as described above, the same chains bit for bit): rows of a go two at
  ;; a time through the 16-column passes, so each load of b feeds both rows' multiply-adds
  ;; (LeNet-5's [32,256]·[256,120] streams its 120 KB b 16 times instead of 32); the pair's
  ;; last columns and an odd last row go through $matMulRows.
  (func (export "matMul") (param $a i32) (param $b i32) (param $bias i32) (param $out i32) (param $M i32) (param $K i32) (param $N i32) (param $relu i32) (local $m i32) (local $n i32) (local $k i32) (local $aRow i32) (local $outRow i32) (local $aAt0 i32) (local $aAt1 i32) (local $bAt i32) (local $outAt i32) (local $bStep i32) (local $rowBytes i32) (local $outBytes i32) (local $s0 v128) (local $s1 v128) (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $b3 v128) (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128) (local $acc4 v128) (local $acc5 v128) (local $acc6 v128) (local $acc7 v128)
    (local.set $bStep (i32.shl (local.get $N) (i32.const 2)))
    (local.set $rowBytes (i32.shl (local.get $K) (i32.const 2)))
    (local.set $outBytes (local.get $bStep))
    (local.set $m (i32.const 0))
    (block $lm_end (loop $lm
        ;; under 16 columns there is no pass to pair: every row through $matMulRows at once
        (br_if $lm_end (i32.or (i32.lt_s (local.get $N) (i32.const 16)) (i32.gt_s (i32.add (local.get $m) (i32.const 2)) (local.get $M))))
        (local.set $aRow (i32.add (local.get $a) (i32.mul (local.get $m) (local.get $rowBytes))))
        (local.set $outRow (i32.add (local.get $out) (i32.mul (local.get $m) (local.get $outBytes))))
        (local.set $n (i32.const 0))
        (block $n16_end (loop $n16
            (br_if $n16_end (i32.gt_s (i32.add (local.get $n) (i32.const 16)) (local.get $N)))
            (local.set $acc0 (if (result v128) (local.get $bias) (then (v128.load offset=0 (i32.add (local.get $bias) (i32.shl (local.get $n) (i32.const 2))))) (else (v128.const i32x4 0 0 0 0)))) (local.set $acc1 (if (result v128) (local.get $bias) (then (v128.load offset=16 (i32.add (local.get $bias) (i32.shl (local.get $n) (i32.const 2))))) (else (v128.const i32x4 0 0 0 0)))) (local.set $acc2 (if (result v128) (local.get $bias) (then (v128.load offset=32 (i32.add (local.get $bias) (i32.shl (local.get $n) (i32.const 2))))) (else (v128.const i32x4 0 0 0 0)))) (local.set $acc3 (if (result v128) (local.get $bias) (then (v128.load offset=48 (i32.add (local.get $bias) (i32.shl (local.get $n) (i32.const 2))))) (else (v128.const i32x4 0 0 0 0))))
            (local.set $acc4 (local.get $acc0)) (local.set $acc5 (local.get $acc1)) (local.set $acc6 (local.get $acc2)) (local.set $acc7 (local.get $acc3))
            (local.set $aAt0 (local.get $aRow))
            (local.set $aAt1 (i32.add (local.get $aRow) (local.get $rowBytes)))
            (local.set $bAt (i32.add (local.get $b) (i32.shl (local.get $n) (i32.const 2))))
            (local.set $k (i32.const 0))
            (block $n16k_end (loop $n16k
                (br_if $n16k_end (i32.ge_s (local.get $k) (local.get $K)))
                (local.set $s0 (f32x4.splat (f32.load (local.get $aAt0))))
                (local.set $s1 (f32x4.splat (f32.load (local.get $aAt1))))
                (local.set $b0 (v128.load offset=0 (local.get $bAt)))
                (local.set $acc0 (f32x4.add (local.get $acc0) (f32x4.mul (local.get $s0) (local.get $b0))))
                (local.set $acc4 (f32x4.add (local.get $acc4) (f32x4.mul (local.get $s1) (local.get $b0))))
                (local.set $b1 (v128.load offset=16 (local.get $bAt)))
                (local.set $acc1 (f32x4.add (local.get $acc1) (f32x4.mul (local.get $s0) (local.get $b1))))
                (local.set $acc5 (f32x4.add (local.get $acc5) (f32x4.mul (local.get $s1) (local.get $b1))))
                (local.set $b2 (v128.load offset=32 (local.get $bAt)))
                (local.set $acc2 (f32x4.add (local.get $acc2) (f32x4.mul (local.get $s0) (local.get $b2))))
                (local.set $acc6 (f32x4.add (local.get $acc6) (f32x4.mul (local.get $s1) (local.get $b2))))
                (local.set $b3 (v128.load offset=48 (local.get $bAt)))
                (local.set $acc3 (f32x4.add (local.get $acc3) (f32x4.mul (local.get $s0) (local.get $b3))))
                (local.set $acc7 (f32x4.add (local.get $acc7) (f32x4.mul (local.get $s1) (local.get $b3))))
                (local.set $aAt0 (i32.add (local.get $aAt0) (i32.const 4)))
                (local.set $aAt1 (i32.add (local.get $aAt1) (i32.const 4)))
                (local.set $bAt (i32.add (local.get $bAt) (local.get $bStep)))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $n16k)))
            (local.set $outAt (i32.add (local.get $outRow) (i32.shl (local.get $n) (i32.const 2))))
            (v128.store offset=0 (local.get $outAt) (call $activate (local.get $acc0) (local.get $relu))) (v128.store offset=16 (local.get $outAt) (call $activate (local.get $acc1) (local.get $relu))) (v128.store offset=32 (local.get $outAt) (call $activate (local.get $acc2) (local.get $relu))) (v128.store offset=48 (local.get $outAt) (call $activate (local.get $acc3) (local.get $relu)))
            (local.set $outAt (i32.add (local.get $outAt) (local.get $outBytes)))
            (v128.store offset=0 (local.get $outAt) (call $activate (local.get $acc4) (local.get $relu))) (v128.store offset=16 (local.get $outAt) (call $activate (local.get $acc5) (local.get $relu))) (v128.store offset=32 (local.get $outAt) (call $activate (local.get $acc6) (local.get $relu))) (v128.store offset=48 (local.get $outAt) (call $activate (local.get $acc7) (local.get $relu)))
            (local.set $n (i32.add (local.get $n) (i32.const 16)))
            (br $n16)))
        (call $matMulRows (local.get $a) (local.get $b) (local.get $bias) (local.get $out) (local.get $m) (i32.add (local.get $m) (i32.const 2)) (local.get $K) (local.get $N) (local.get $relu) (local.get $n))
        (local.set $m (i32.add (local.get $m) (i32.const 2)))
        (br $lm)))
    (call $matMulRows (local.get $a) (local.get $b) (local.get $bias) (local.get $out) (local.get $m) (local.get $M) (local.get $K) (local.get $N) (local.get $relu) (i32.const 0))
  )
  ;; sumLeadingRows(x, acc, rows, inner)
  ;; acc[k] += sum_r x[r, k] (x [rows, inner] float32, acc [inner] float64, not
  ;; zeroed here), in float64 exactly as sum.ts's JavaScript loop: four rows per
  ;; pass, acc[k] += (x0 + x1) + (x2 + x3) with every x promoted to float64, then
  ;; the last rows mod 4 one at a time; channels two at a time (f64x2), then the
  ;; last inner mod 2.
  (func (export "sumLeadingRows") (param $x i32) (param $acc i32) (param $rows i32) (param $inner i32) (local $r i32) (local $k i32) (local $rowBytes i32) (local $at i32) (local $accAt i32) (local $s v128) (local $sd f64)
    (local.set $rowBytes (i32.shl (local.get $inner) (i32.const 2)))
    (local.set $r (i32.const 0))
    (block $r4_end (loop $r4
        (br_if $r4_end (i32.gt_s (i32.add (local.get $r) (i32.const 4)) (local.get $rows)))
        (local.set $at (i32.add (local.get $x) (i32.mul (local.get $r) (local.get $rowBytes))))
        (local.set $accAt (local.get $acc))
        (local.set $k (i32.const 0))
        (block $k2_end (loop $k2
            (br_if $k2_end (i32.gt_s (i32.add (local.get $k) (i32.const 2)) (local.get $inner)))
            (local.set $s (f64x2.add
              (f64x2.add (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $at)))
                         (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $at) (local.get $rowBytes)))))
              (f64x2.add (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $at) (i32.shl (local.get $rowBytes) (i32.const 1)))))
                         (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $at) (i32.mul (local.get $rowBytes) (i32.const 3))))))))
            (v128.store (local.get $accAt) (f64x2.add (v128.load (local.get $accAt)) (local.get $s)))
            (local.set $at (i32.add (local.get $at) (i32.const 8)))
            (local.set $accAt (i32.add (local.get $accAt) (i32.const 16)))
            (local.set $k (i32.add (local.get $k) (i32.const 2)))
            (br $k2)))
        (if (i32.lt_s (local.get $k) (local.get $inner)) (then
            (local.set $sd (f64.add
              (f64.add (f64.promote_f32 (f32.load (local.get $at)))
                       (f64.promote_f32 (f32.load (i32.add (local.get $at) (local.get $rowBytes)))))
              (f64.add (f64.promote_f32 (f32.load (i32.add (local.get $at) (i32.shl (local.get $rowBytes) (i32.const 1)))))
                       (f64.promote_f32 (f32.load (i32.add (local.get $at) (i32.mul (local.get $rowBytes) (i32.const 3))))))))
            (f64.store (local.get $accAt) (f64.add (f64.load (local.get $accAt)) (local.get $sd)))))
        (local.set $r (i32.add (local.get $r) (i32.const 4)))
        (br $r4)))
    (block $r1_end (loop $r1
        (br_if $r1_end (i32.ge_s (local.get $r) (local.get $rows)))
        (local.set $at (i32.add (local.get $x) (i32.mul (local.get $r) (local.get $rowBytes))))
        (local.set $accAt (local.get $acc))
        (local.set $k (i32.const 0))
        (block $k1_end (loop $k1
            (br_if $k1_end (i32.ge_s (local.get $k) (local.get $inner)))
            (f64.store (local.get $accAt) (f64.add (f64.load (local.get $accAt)) (f64.promote_f32 (f32.load (local.get $at)))))
            (local.set $at (i32.add (local.get $at) (i32.const 4)))
            (local.set $accAt (i32.add (local.get $accAt) (i32.const 8)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $k1)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $r1)))
  )
  ;; planarFilterGradient3x2(...): planarFilterGradient3 for an even O, two
  ;; output channels per pass sharing each load of P (each tap's sum is the same
  ;; float32 chain as there, so the results are bit-identical). Not done for 5
  ;; taps: ten accumulators plus operands leave x64's 16 vector registers
  ;; short, and the measured gain there was within noise.
  (func (export "planarFilterGradient3x2") (param $P i32) (param $D i32) (param $out i32) (param $n0 i32) (param $n1 i32) (param $C i32) (param $O i32) (param $outH i32) (param $outW i32) (param $Hp i32) (param $Wp i32) (param $fh i32) (param $fw i32) (local $o i32) (local $c i32) (local $a i32) (local $b0 i32) (local $n i32) (local $i i32) (local $j i32) (local $rowP i32) (local $rowD i32) (local $pAt i32) (local $dAt i32) (local $outAt i32) (local $outAt1 i32) (local $rowBytesP i32) (local $rowBytesD i32) (local $planeBytesP i32) (local $planeBytesD i32) (local $tapsPerO i32) (local $p v128) (local $d0 v128) (local $d1 v128) (local $sp f32) (local $sd0 f32) (local $sd1 f32) (local $acc0_0 v128) (local $acc0_1 v128) (local $acc0_2 v128) (local $acc1_0 v128) (local $acc1_1 v128) (local $acc1_2 v128) (local $s0_0 f32) (local $s0_1 f32) (local $s0_2 f32) (local $s1_0 f32) (local $s1_1 f32) (local $s1_2 f32)
    (local.set $rowBytesP (i32.shl (local.get $Wp) (i32.const 2)))
    (local.set $rowBytesD (i32.shl (local.get $outW) (i32.const 2)))
    (local.set $planeBytesP (i32.mul (local.get $Hp) (local.get $rowBytesP)))
    (local.set $planeBytesD (i32.mul (local.get $outH) (local.get $rowBytesD)))
    ;; bytes from out[o, ...] to out[o + 1, ...]
    (local.set $tapsPerO (i32.shl (i32.mul (i32.mul (local.get $C) (local.get $fh)) (local.get $fw)) (i32.const 2)))
    (local.set $o (i32.const 0))
    (block $o_end (loop $lo
      (br_if $o_end (i32.ge_s (local.get $o) (local.get $O)))
      (local.set $c (i32.const 0))
      (block $c_end (loop $lc
        (br_if $c_end (i32.ge_s (local.get $c) (local.get $C)))
        (local.set $a (i32.const 0))
        (block $a_end (loop $la
          (br_if $a_end (i32.ge_s (local.get $a) (local.get $fh)))
          (local.set $b0 (i32.const 0))
          (block $g_end (loop $lg
            (br_if $g_end (i32.ge_s (local.get $b0) (local.get $fw)))
            (local.set $acc0_0 (v128.const i32x4 0 0 0 0)) (local.set $s0_0 (f32.const 0))
            (local.set $acc0_1 (v128.const i32x4 0 0 0 0)) (local.set $s0_1 (f32.const 0))
            (local.set $acc0_2 (v128.const i32x4 0 0 0 0)) (local.set $s0_2 (f32.const 0))
            (local.set $acc1_0 (v128.const i32x4 0 0 0 0)) (local.set $s1_0 (f32.const 0))
            (local.set $acc1_1 (v128.const i32x4 0 0 0 0)) (local.set $s1_1 (f32.const 0))
            (local.set $acc1_2 (v128.const i32x4 0 0 0 0)) (local.set $s1_2 (f32.const 0))
            (local.set $n (local.get $n0))
            (block $n_end (loop $ln
              (br_if $n_end (i32.ge_s (local.get $n) (local.get $n1)))
              (local.set $rowP (i32.add (local.get $P) (i32.add
                (i32.mul (i32.add (i32.mul (local.get $n) (local.get $C)) (local.get $c)) (local.get $planeBytesP))
                (i32.mul (local.get $a) (local.get $rowBytesP)))))
              ;; row 0 of plane (n, o) of D; plane (n, o + 1) follows it
              (local.set $rowD (i32.add (local.get $D)
                (i32.mul (i32.add (i32.mul (local.get $n) (local.get $O)) (local.get $o)) (local.get $planeBytesD))))
              (local.set $i (i32.const 0))
              (block $i_end (loop $li
                (br_if $i_end (i32.ge_s (local.get $i) (local.get $outH)))
                (local.set $j (i32.const 0))
                (block $jv_end (loop $ljv
                  (br_if $jv_end (i32.gt_s (i32.add (local.get $j) (i32.const 4)) (local.get $outW)))
                  (local.set $dAt (i32.add (local.get $rowD) (i32.shl (local.get $j) (i32.const 2))))
                  (local.set $d0 (v128.load (local.get $dAt)))
                  (local.set $d1 (v128.load (i32.add (local.get $dAt) (local.get $planeBytesD))))
                  (local.set $pAt (i32.add (local.get $rowP) (i32.shl (i32.add (local.get $j) (local.get $b0)) (i32.const 2))))
                  (local.set $p (v128.load (local.get $pAt)))
                  (local.set $acc0_0 (f32x4.add (local.get $acc0_0) (f32x4.mul (local.get $p) (local.get $d0))))
                  (local.set $acc1_0 (f32x4.add (local.get $acc1_0) (f32x4.mul (local.get $p) (local.get $d1))))
                  (local.set $p (v128.load offset=4 (local.get $pAt)))
                  (local.set $acc0_1 (f32x4.add (local.get $acc0_1) (f32x4.mul (local.get $p) (local.get $d0))))
                  (local.set $acc1_1 (f32x4.add (local.get $acc1_1) (f32x4.mul (local.get $p) (local.get $d1))))
                  (local.set $p (v128.load offset=8 (local.get $pAt)))
                  (local.set $acc0_2 (f32x4.add (local.get $acc0_2) (f32x4.mul (local.get $p) (local.get $d0))))
                  (local.set $acc1_2 (f32x4.add (local.get $acc1_2) (f32x4.mul (local.get $p) (local.get $d1))))
                  (local.set $j (i32.add (local.get $j) (i32.const 4)))
                  (br $ljv)))
                (block $js_end (loop $ljs
                  (br_if $js_end (i32.ge_s (local.get $j) (local.get $outW)))
                  (local.set $dAt (i32.add (local.get $rowD) (i32.shl (local.get $j) (i32.const 2))))
                  (local.set $sd0 (f32.load (local.get $dAt)))
                  (local.set $sd1 (f32.load (i32.add (local.get $dAt) (local.get $planeBytesD))))
                  (local.set $pAt (i32.add (local.get $rowP) (i32.shl (i32.add (local.get $j) (local.get $b0)) (i32.const 2))))
                  (local.set $sp (f32.load (local.get $pAt)))
                  (local.set $s0_0 (f32.add (local.get $s0_0) (f32.mul (local.get $sp) (local.get $sd0))))
                  (local.set $s1_0 (f32.add (local.get $s1_0) (f32.mul (local.get $sp) (local.get $sd1))))
                  (local.set $sp (f32.load offset=4 (local.get $pAt)))
                  (local.set $s0_1 (f32.add (local.get $s0_1) (f32.mul (local.get $sp) (local.get $sd0))))
                  (local.set $s1_1 (f32.add (local.get $s1_1) (f32.mul (local.get $sp) (local.get $sd1))))
                  (local.set $sp (f32.load offset=8 (local.get $pAt)))
                  (local.set $s0_2 (f32.add (local.get $s0_2) (f32.mul (local.get $sp) (local.get $sd0))))
                  (local.set $s1_2 (f32.add (local.get $s1_2) (f32.mul (local.get $sp) (local.get $sd1))))
                  (local.set $j (i32.add (local.get $j) (i32.const 1)))
                  (br $ljs)))
                (local.set $rowP (i32.add (local.get $rowP) (local.get $rowBytesP)))
                (local.set $rowD (i32.add (local.get $rowD) (local.get $rowBytesD)))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $li)))
              (local.set $n (i32.add (local.get $n) (i32.const 1)))
              (br $ln)))
            ;; out[o, c, a, b0 ..] and out[o + 1, c, a, b0 ..], taps below fw only
            (local.set $outAt (i32.add (local.get $out) (i32.shl
              (i32.add (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $o) (local.get $C)) (local.get $c)) (local.get $fh)) (local.get $a)) (local.get $fw)) (local.get $b0))
              (i32.const 2))))
            (local.set $outAt1 (i32.add (local.get $outAt) (local.get $tapsPerO)))
            (f32.store (local.get $outAt) (f32.add (f32.add (f32.add (f32x4.extract_lane 0 (local.get $acc0_0)) (f32x4.extract_lane 1 (local.get $acc0_0))) (f32.add (f32x4.extract_lane 2 (local.get $acc0_0)) (f32x4.extract_lane 3 (local.get $acc0_0)))) (local.get $s0_0)))
            (if (i32.lt_s (i32.add (local.get $b0) (i32.const 1)) (local.get $fw)) (then (f32.store offset=4 (local.get $outAt) (f32.add (f32.add (f32.add (f32x4.extract_lane 0 (local.get $acc0_1)) (f32x4.extract_lane 1 (local.get $acc0_1))) (f32.add (f32x4.extract_lane 2 (local.get $acc0_1)) (f32x4.extract_lane 3 (local.get $acc0_1)))) (local.get $s0_1)))))
            (if (i32.lt_s (i32.add (local.get $b0) (i32.const 2)) (local.get $fw)) (then (f32.store offset=8 (local.get $outAt) (f32.add (f32.add (f32.add (f32x4.extract_lane 0 (local.get $acc0_2)) (f32x4.extract_lane 1 (local.get $acc0_2))) (f32.add (f32x4.extract_lane 2 (local.get $acc0_2)) (f32x4.extract_lane 3 (local.get $acc0_2)))) (local.get $s0_2)))))
            (f32.store (local.get $outAt1) (f32.add (f32.add (f32.add (f32x4.extract_lane 0 (local.get $acc1_0)) (f32x4.extract_lane 1 (local.get $acc1_0))) (f32.add (f32x4.extract_lane 2 (local.get $acc1_0)) (f32x4.extract_lane 3 (local.get $acc1_0)))) (local.get $s1_0)))
            (if (i32.lt_s (i32.add (local.get $b0) (i32.const 1)) (local.get $fw)) (then (f32.store offset=4 (local.get $outAt1) (f32.add (f32.add (f32.add (f32x4.extract_lane 0 (local.get $acc1_1)) (f32x4.extract_lane 1 (local.get $acc1_1))) (f32.add (f32x4.extract_lane 2 (local.get $acc1_1)) (f32x4.extract_lane 3 (local.get $acc1_1)))) (local.get $s1_1)))))
            (if (i32.lt_s (i32.add (local.get $b0) (i32.const 2)) (local.get $fw)) (then (f32.store offset=8 (local.get $outAt1) (f32.add (f32.add (f32.add (f32x4.extract_lane 0 (local.get $acc1_2)) (f32x4.extract_lane 1 (local.get $acc1_2))) (f32.add (f32x4.extract_lane 2 (local.get $acc1_2)) (f32x4.extract_lane 3 (local.get $acc1_2)))) (local.get $s1_2)))))
            (local.set $b0 (i32.add (local.get $b0) (i32.const 3)))
            (br $lg)))
          (local.set $a (i32.add (local.get $a) (i32.const 1)))
          (br $la)))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $lc)))
      (local.set $o (i32.add (local.get $o) (i32.const 2)))
      (br $lo)))
  )
  ;; maxPool(x, out, batch, inH, inW, C, outH, outW, fh, fw)
  ;; Max pooling with non-overlapping windows (stride = window, no padding, every
  ;; window inside the image), cpu's rule: start from -inf and keep a value only
  ;; when v > best, so NaN is never taken (a window of NaN gives -inf); 4 channels
  ;; per instruction, then the last C mod 4 one at a time.
  (func (export "maxPool") (param $x i32) (param $out i32) (param $batch i32) (param $inH i32) (param $inW i32) (param $C i32) (param $outH i32) (param $outW i32) (param $fh i32) (param $fw i32) (local $b i32) (local $i i32) (local $j i32) (local $d i32) (local $r i32) (local $c i32) (local $windowAt i32) (local $at i32) (local $dst i32) (local $v v128) (local $best v128) (local $sv f32) (local $sbest f32)
    (if (i32.and (i32.and (i32.eq (local.get $fh) (i32.const 2)) (i32.eq (local.get $fw) (i32.const 2))) (i32.ge_s (local.get $C) (i32.const 4)))
      (then (call $maxPool2x2 (local.get $x) (local.get $out) (local.get $batch) (local.get $inH) (local.get $inW) (local.get $C) (local.get $outH) (local.get $outW)) (return)))
    (local.set $dst (local.get $out))
    (local.set $b (i32.const 0))
    (block $b_end (loop $lb
      (br_if $b_end (i32.ge_s (local.get $b) (local.get $batch)))
      (local.set $i (i32.const 0))
      (block $i_end (loop $li
        (br_if $i_end (i32.ge_s (local.get $i) (local.get $outH)))
        (local.set $j (i32.const 0))
        (block $j_end (loop $lj
          (br_if $j_end (i32.ge_s (local.get $j) (local.get $outW)))
          ;; element index of the window's top-left pixel, channel 0
          (local.set $windowAt (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $b) (local.get $inH)) (i32.mul (local.get $i) (local.get $fh))) (local.get $inW)) (i32.mul (local.get $j) (local.get $fw))) (local.get $C)))
          (local.set $d (i32.const 0))
          (block $d4_end (loop $ld4
            (br_if $d4_end (i32.gt_s (i32.add (local.get $d) (i32.const 4)) (local.get $C)))
            (local.set $best (v128.const f32x4 -inf -inf -inf -inf))
            (local.set $r (i32.const 0))
            (block $r_end (loop $lr
              (br_if $r_end (i32.ge_s (local.get $r) (local.get $fh)))
              (local.set $c (i32.const 0))
              (block $c_end (loop $lc
                (br_if $c_end (i32.ge_s (local.get $c) (local.get $fw)))
                (local.set $at (i32.add (local.get $windowAt) (i32.add (i32.mul (i32.add (i32.mul (local.get $r) (local.get $inW)) (local.get $c)) (local.get $C)) (local.get $d))))
                (local.set $v (v128.load (i32.add (local.get $x) (i32.shl (local.get $at) (i32.const 2)))))
                (local.set $best (v128.bitselect (local.get $v) (local.get $best) (f32x4.gt (local.get $v) (local.get $best))))
                (local.set $c (i32.add (local.get $c) (i32.const 1)))
                (br $lc)))
              (local.set $r (i32.add (local.get $r) (i32.const 1)))
              (br $lr)))
            (v128.store (local.get $dst) (local.get $best))
            (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
            (local.set $d (i32.add (local.get $d) (i32.const 4)))
            (br $ld4)))
          (block $d1_end (loop $ld1
            (br_if $d1_end (i32.ge_s (local.get $d) (local.get $C)))
            (local.set $sbest (f32.const -inf))
            (local.set $r (i32.const 0))
            (block $r1_end (loop $lr1
              (br_if $r1_end (i32.ge_s (local.get $r) (local.get $fh)))
              (local.set $c (i32.const 0))
              (block $c1_end (loop $lc1
                (br_if $c1_end (i32.ge_s (local.get $c) (local.get $fw)))
                (local.set $at (i32.add (local.get $windowAt) (i32.add (i32.mul (i32.add (i32.mul (local.get $r) (local.get $inW)) (local.get $c)) (local.get $C)) (local.get $d))))
                (local.set $sv (f32.load (i32.add (local.get $x) (i32.shl (local.get $at) (i32.const 2)))))
                (if (f32.gt (local.get $sv) (local.get $sbest)) (then (local.set $sbest (local.get $sv))))
                (local.set $c (i32.add (local.get $c) (i32.const 1)))
                (br $lc1)))
              (local.set $r (i32.add (local.get $r) (i32.const 1)))
              (br $lr1)))
            (f32.store (local.get $dst) (local.get $sbest))
            (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
            (local.set $d (i32.add (local.get $d) (i32.const 1)))
            (br $ld1)))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $lj)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $li)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $lb)))
  )
  ;; zeroFill(at, bytes): memory.fill of `bytes` zero bytes from byte address `at` (TypedArray
  ;; fill on the shared heap takes ~7× longer: 0.28 against 0.04 ms for 4 MB).
  (func (export "zeroFill") (param $at i32) (param $bytes i32)
    (memory.fill (local.get $at) (i32.const 0) (local.get $bytes)))
  ;; relu(x, out, k0, k1): out[k] = max(x[k], 0) for k0 <= k < k1, as cpu's Math.max(0, x): NaN stays NaN and
  ;; -0 becomes +0 (f32x4.max is IEEE maximum: NaN wins, -0 < +0).
  (func (export "relu") (param $x i32) (param $out i32) (param $k0 i32) (param $k1 i32) (local $i i32) (local $at i32) (local $n i32)
    (local.set $i (i32.const 0))
    (local.set $n (i32.sub (local.get $k1) (local.get $k0)))
    (local.set $x (i32.add (local.get $x) (i32.shl (local.get $k0) (i32.const 2))))
    (local.set $out (i32.add (local.get $out) (i32.shl (local.get $k0) (i32.const 2))))
    (local.set $at (i32.const 0))
    (block $v_end (loop $lv
      (br_if $v_end (i32.gt_s (i32.add (local.get $i) (i32.const 4)) (local.get $n)))
      (v128.store (i32.add (local.get $out) (local.get $at)) (f32x4.max (v128.load (i32.add (local.get $x) (local.get $at))) (v128.const i32x4 0 0 0 0)))
      (local.set $at (i32.add (local.get $at) (i32.const 16)))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $lv)))
    (block $s_end (loop $ls
      (br_if $s_end (i32.ge_s (local.get $i) (local.get $n)))
      (f32.store (i32.add (local.get $out) (local.get $at)) (f32.max (f32.load (i32.add (local.get $x) (local.get $at))) (f32.const 0)))
      (local.set $at (i32.add (local.get $at) (i32.const 4)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $ls)))
  )
  ;; planarCorrelate3q(P, K, out, N, inPlanes, outPlanes, outH, Wq, Hp, Wp, fh, fw, rowLo, rowHi)
  ;; planarCorrelate for outPlanes a multiple of 3, three output planes per pass:
  ;; each tap loads P's row once (12 columns: 3 vectors, then 4) and K's three taps
  ;; as splats, for 9 (then 3) multiply-adds, where planarCorrelate does one splat
  ;; and one load per multiply-add. Every output is the same float32 chain over
  ;; (p, a, b) as there, so the results are bit-identical. Rows of P outside
  ;; [rowLo, rowHi) are the caller's zero border: taps a reading them are skipped
  ;; (the cpu kernel never forms those products either; 0 .. Hp skips nothing).
  (func (export "planarCorrelate3q") (param $P i32) (param $K i32) (param $out i32) (param $N i32) (param $inPlanes i32) (param $outPlanes i32) (param $outH i32) (param $Wq i32) (param $Hp i32) (param $Wp i32) (param $fh i32) (param $fw i32) (param $rowLo i32) (param $rowHi i32) (local $aLo i32) (local $aHi i32) (local $n i32) (local $q i32) (local $y i32) (local $x i32) (local $pp i32) (local $a i32) (local $b i32) (local $row i32) (local $k i32) (local $kq i32) (local $kStride i32) (local $kStride2 i32) (local $imageAt i32) (local $planeBytes i32) (local $rowBytes i32) (local $outAt i32) (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $p0 v128) (local $p1 v128) (local $p2 v128) (local $a00 v128) (local $a01 v128) (local $a02 v128) (local $a10 v128) (local $a11 v128) (local $a12 v128) (local $a20 v128) (local $a21 v128) (local $a22 v128)
    (local.set $rowBytes (i32.shl (local.get $Wp) (i32.const 2)))
    (local.set $planeBytes (i32.mul (local.get $Hp) (local.get $rowBytes)))
    ;; bytes from K[q, ...] to K[q + 1, ...]
    (local.set $kStride (i32.shl (i32.mul (i32.mul (local.get $inPlanes) (local.get $fh)) (local.get $fw)) (i32.const 2)))
    (local.set $kStride2 (i32.shl (local.get $kStride) (i32.const 1)))
    (local.set $n (i32.const 0))
    (block $ln_end (loop $ln
      (br_if $ln_end (i32.ge_s (local.get $n) (local.get $N)))
      (local.set $imageAt (i32.add (local.get $P) (i32.mul (i32.mul (local.get $n) (local.get $inPlanes)) (local.get $planeBytes))))
      (local.set $q (i32.const 0))
      (block $lq_end (loop $lq
        (br_if $lq_end (i32.ge_s (local.get $q) (local.get $outPlanes)))
        (local.set $kq (i32.add (local.get $K) (i32.mul (local.get $q) (local.get $kStride))))
        (local.set $y (i32.const 0))
        (block $ly_end (loop $ly
          (br_if $ly_end (i32.ge_s (local.get $y) (local.get $outH)))
          ;; taps a with P row y + a inside [rowLo, rowHi)
          (local.set $aLo (i32.sub (local.get $rowLo) (local.get $y)))
          (if (i32.lt_s (local.get $aLo) (i32.const 0)) (then (local.set $aLo (i32.const 0))))
          (local.set $aHi (i32.sub (local.get $rowHi) (local.get $y)))
          (if (i32.gt_s (local.get $aHi) (local.get $fh)) (then (local.set $aHi (local.get $fh))))
          (local.set $x (i32.const 0))
          (block $x12_end (loop $x12
            (br_if $x12_end (i32.gt_s (i32.add (local.get $x) (i32.const 12)) (local.get $Wq)))
            (local.set $a00 (v128.const i32x4 0 0 0 0)) (local.set $a01 (v128.const i32x4 0 0 0 0)) (local.set $a02 (v128.const i32x4 0 0 0 0)) (local.set $a10 (v128.const i32x4 0 0 0 0)) (local.set $a11 (v128.const i32x4 0 0 0 0)) (local.set $a12 (v128.const i32x4 0 0 0 0)) (local.set $a20 (v128.const i32x4 0 0 0 0)) (local.set $a21 (v128.const i32x4 0 0 0 0)) (local.set $a22 (v128.const i32x4 0 0 0 0))
            (local.set $k (local.get $kq))
            (local.set $pp (i32.const 0))
            (block $x12p_end (loop $x12p
              (br_if $x12p_end (i32.ge_s (local.get $pp) (local.get $inPlanes)))
              (local.set $a (local.get $aLo))
              (block $x12a_end (loop $x12a
                (br_if $x12a_end (i32.ge_s (local.get $a) (local.get $aHi)))
                ;; k: byte address of K[q, pp, a, 0]
                (local.set $k (i32.add (local.get $kq) (i32.shl (i32.mul (i32.add (i32.mul (local.get $pp) (local.get $fh)) (local.get $a)) (local.get $fw)) (i32.const 2))))
                ;; row: byte address of P[n, pp, y + a, x]
                (local.set $row (i32.add (i32.add (local.get $imageAt) (i32.mul (local.get $pp) (local.get $planeBytes))) (i32.add (i32.mul (i32.add (local.get $y) (local.get $a)) (local.get $rowBytes)) (i32.shl (local.get $x) (i32.const 2)))))
                (local.set $b (i32.const 0))
                (block $x12b_end (loop $x12b
                  (br_if $x12b_end (i32.ge_s (local.get $b) (local.get $fw)))
                        (local.set $s0 (v128.load32_splat (local.get $k)))
                        (local.set $s1 (v128.load32_splat (i32.add (local.get $k) (local.get $kStride))))
                        (local.set $s2 (v128.load32_splat (i32.add (local.get $k) (local.get $kStride2))))
                        (local.set $p0 (v128.load offset=0 (local.get $row)))
                        (local.set $p1 (v128.load offset=16 (local.get $row)))
                        (local.set $p2 (v128.load offset=32 (local.get $row)))
                        (local.set $a00 (f32x4.add (local.get $a00) (f32x4.mul (local.get $s0) (local.get $p0))))
                        (local.set $a01 (f32x4.add (local.get $a01) (f32x4.mul (local.get $s0) (local.get $p1))))
                        (local.set $a02 (f32x4.add (local.get $a02) (f32x4.mul (local.get $s0) (local.get $p2))))
                        (local.set $a10 (f32x4.add (local.get $a10) (f32x4.mul (local.get $s1) (local.get $p0))))
                        (local.set $a11 (f32x4.add (local.get $a11) (f32x4.mul (local.get $s1) (local.get $p1))))
                        (local.set $a12 (f32x4.add (local.get $a12) (f32x4.mul (local.get $s1) (local.get $p2))))
                        (local.set $a20 (f32x4.add (local.get $a20) (f32x4.mul (local.get $s2) (local.get $p0))))
                        (local.set $a21 (f32x4.add (local.get $a21) (f32x4.mul (local.get $s2) (local.get $p1))))
                        (local.set $a22 (f32x4.add (local.get $a22) (f32x4.mul (local.get $s2) (local.get $p2))))
                  (local.set $row (i32.add (local.get $row) (i32.const 4)))
                  (local.set $k (i32.add (local.get $k) (i32.const 4)))
                  (local.set $b (i32.add (local.get $b) (i32.const 1)))
                  (br $x12b)))
                (local.set $a (i32.add (local.get $a) (i32.const 1)))
                (br $x12a)))
              (local.set $pp (i32.add (local.get $pp) (i32.const 1)))
              (br $x12p)))
            (local.set $outAt (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $n) (local.get $outPlanes)) (i32.add (local.get $q) (i32.const 0))) (local.get $outH)) (local.get $y)) (local.get $Wq)) (local.get $x)) (i32.const 2)))) (v128.store offset=0 (local.get $outAt) (local.get $a00)) (v128.store offset=16 (local.get $outAt) (local.get $a01)) (v128.store offset=32 (local.get $outAt) (local.get $a02))
            (local.set $outAt (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $n) (local.get $outPlanes)) (i32.add (local.get $q) (i32.const 1))) (local.get $outH)) (local.get $y)) (local.get $Wq)) (local.get $x)) (i32.const 2)))) (v128.store offset=0 (local.get $outAt) (local.get $a10)) (v128.store offset=16 (local.get $outAt) (local.get $a11)) (v128.store offset=32 (local.get $outAt) (local.get $a12))
            (local.set $outAt (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $n) (local.get $outPlanes)) (i32.add (local.get $q) (i32.const 2))) (local.get $outH)) (local.get $y)) (local.get $Wq)) (local.get $x)) (i32.const 2)))) (v128.store offset=0 (local.get $outAt) (local.get $a20)) (v128.store offset=16 (local.get $outAt) (local.get $a21)) (v128.store offset=32 (local.get $outAt) (local.get $a22))
            (local.set $x (i32.add (local.get $x) (i32.const 12)))
            (br $x12)))
          (block $x4_end (loop $x4
            (br_if $x4_end (i32.gt_s (i32.add (local.get $x) (i32.const 4)) (local.get $Wq)))
            (local.set $a00 (v128.const i32x4 0 0 0 0)) (local.set $a10 (v128.const i32x4 0 0 0 0)) (local.set $a20 (v128.const i32x4 0 0 0 0))
            (local.set $k (local.get $kq))
            (local.set $pp (i32.const 0))
            (block $x4p_end (loop $x4p
              (br_if $x4p_end (i32.ge_s (local.get $pp) (local.get $inPlanes)))
              (local.set $a (local.get $aLo))
              (block $x4a_end (loop $x4a
                (br_if $x4a_end (i32.ge_s (local.get $a) (local.get $aHi)))
                ;; k: byte address of K[q, pp, a, 0]
                (local.set $k (i32.add (local.get $kq) (i32.shl (i32.mul (i32.add (i32.mul (local.get $pp) (local.get $fh)) (local.get $a)) (local.get $fw)) (i32.const 2))))
                ;; row: byte address of P[n, pp, y + a, x]
                (local.set $row (i32.add (i32.add (local.get $imageAt) (i32.mul (local.get $pp) (local.get $planeBytes))) (i32.add (i32.mul (i32.add (local.get $y) (local.get $a)) (local.get $rowBytes)) (i32.shl (local.get $x) (i32.const 2)))))
                (local.set $b (i32.const 0))
                (block $x4b_end (loop $x4b
                  (br_if $x4b_end (i32.ge_s (local.get $b) (local.get $fw)))
                        (local.set $s0 (v128.load32_splat (local.get $k)))
                        (local.set $s1 (v128.load32_splat (i32.add (local.get $k) (local.get $kStride))))
                        (local.set $s2 (v128.load32_splat (i32.add (local.get $k) (local.get $kStride2))))
                        (local.set $p0 (v128.load offset=0 (local.get $row)))
                        (local.set $a00 (f32x4.add (local.get $a00) (f32x4.mul (local.get $s0) (local.get $p0))))
                        (local.set $a10 (f32x4.add (local.get $a10) (f32x4.mul (local.get $s1) (local.get $p0))))
                        (local.set $a20 (f32x4.add (local.get $a20) (f32x4.mul (local.get $s2) (local.get $p0))))
                  (local.set $row (i32.add (local.get $row) (i32.const 4)))
                  (local.set $k (i32.add (local.get $k) (i32.const 4)))
                  (local.set $b (i32.add (local.get $b) (i32.const 1)))
                  (br $x4b)))
                (local.set $a (i32.add (local.get $a) (i32.const 1)))
                (br $x4a)))
              (local.set $pp (i32.add (local.get $pp) (i32.const 1)))
              (br $x4p)))
            (local.set $outAt (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $n) (local.get $outPlanes)) (i32.add (local.get $q) (i32.const 0))) (local.get $outH)) (local.get $y)) (local.get $Wq)) (local.get $x)) (i32.const 2)))) (v128.store offset=0 (local.get $outAt) (local.get $a00))
            (local.set $outAt (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $n) (local.get $outPlanes)) (i32.add (local.get $q) (i32.const 1))) (local.get $outH)) (local.get $y)) (local.get $Wq)) (local.get $x)) (i32.const 2)))) (v128.store offset=0 (local.get $outAt) (local.get $a10))
            (local.set $outAt (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $n) (local.get $outPlanes)) (i32.add (local.get $q) (i32.const 2))) (local.get $outH)) (local.get $y)) (local.get $Wq)) (local.get $x)) (i32.const 2)))) (v128.store offset=0 (local.get $outAt) (local.get $a20))
            (local.set $x (i32.add (local.get $x) (i32.const 4)))
            (br $x4)))
          (local.set $y (i32.add (local.get $y) (i32.const 1)))
          (br $ly)))
        (local.set $q (i32.add (local.get $q) (i32.const 3)))
        (br $lq)))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $ln)))
  )
  ;; planarCorrelate3r: planarCorrelate's sums (the same order: planes, tap rows, tap
  ;; columns; bit-identical), three output rows per pass, for output planes one at a time
  ;; (planarCorrelate3q takes them three at a time where outPlanes is a multiple of 3).
  ;; The rows share their loads: source row yy + s serves output row yy + i with tap row
  ;; s − i, so one load of P feeds up to three rows' multiply-adds where planarCorrelate
  ;; loads it once per row (LeNet-5's conv1 input gradient, one output plane). Columns go
  ;; 12 at a time (9 accumulators), then 4; source rows outside [rowLo, rowHi) (the zero
  ;; border) are skipped, as in planarCorrelate3q. outH ≥ 3 and fh ≥ 2; the last pass
  ;; starts at outH − 3 (it rewrites up to two rows with the same values).
  ;; The tap loop is written out once per phase of s (output rows {0}, {0,1}, {0,1,2}, {1,2},
  ;; {2}) in each column block, ten copies printed by a one-off script that is not kept:
  ;; a change to one copy belongs in all ten.
  (func (export "planarCorrelate3r") (param $P i32) (param $K i32) (param $out i32) (param $N i32) (param $inPlanes i32) (param $outPlanes i32) (param $outH i32) (param $Wq i32) (param $Hp i32) (param $Wp i32) (param $fh i32) (param $fw i32) (param $rowLo i32) (param $rowHi i32) (local $n i32) (local $q i32) (local $y i32) (local $yy i32) (local $x i32) (local $pp i32) (local $s i32) (local $r i32) (local $b i32) (local $row i32) (local $plane i32) (local $kp i32) (local $k0 i32) (local $k1 i32) (local $k2 i32) (local $kq i32) (local $kStride i32) (local $imageAt i32) (local $planeBytes i32) (local $rowBytes i32) (local $tapRowBytes i32) (local $outAt i32) (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $p0 v128) (local $p1 v128) (local $p2 v128) (local $a00 v128) (local $a01 v128) (local $a02 v128) (local $a10 v128) (local $a11 v128) (local $a12 v128) (local $a20 v128) (local $a21 v128) (local $a22 v128)
    (local.set $rowBytes (i32.shl (local.get $Wp) (i32.const 2)))
    (local.set $planeBytes (i32.mul (local.get $Hp) (local.get $rowBytes)))
    (local.set $tapRowBytes (i32.shl (local.get $fw) (i32.const 2)))
    (local.set $kStride (i32.mul (i32.mul (local.get $inPlanes) (local.get $fh)) (local.get $tapRowBytes)))
    (local.set $n (i32.const 0))
    (block $ln_end (loop $ln
      (br_if $ln_end (i32.ge_s (local.get $n) (local.get $N)))
      (local.set $imageAt (i32.add (local.get $P) (i32.mul (i32.mul (local.get $n) (local.get $inPlanes)) (local.get $planeBytes))))
      (local.set $q (i32.const 0))
      (block $lq_end (loop $lq
        (br_if $lq_end (i32.ge_s (local.get $q) (local.get $outPlanes)))
        (local.set $kq (i32.add (local.get $K) (i32.mul (local.get $q) (local.get $kStride))))
        (local.set $y (i32.const 0))
        (block $ly_end (loop $ly
          (br_if $ly_end (i32.ge_s (local.get $y) (local.get $outH)))
          ;; yy: the pass's first output row, pulled back so the three fit
          (local.set $yy (local.get $y))
          (if (i32.gt_s (i32.add (local.get $yy) (i32.const 3)) (local.get $outH)) (then (local.set $yy (i32.sub (local.get $outH) (i32.const 3)))))
          (local.set $x (i32.const 0))
          (block $x12_end (loop $x12
            (br_if $x12_end (i32.gt_s (i32.add (local.get $x) (i32.const 12)) (local.get $Wq)))
            (local.set $a00 (v128.const i32x4 0 0 0 0)) (local.set $a01 (v128.const i32x4 0 0 0 0)) (local.set $a02 (v128.const i32x4 0 0 0 0)) (local.set $a10 (v128.const i32x4 0 0 0 0)) (local.set $a11 (v128.const i32x4 0 0 0 0)) (local.set $a12 (v128.const i32x4 0 0 0 0)) (local.set $a20 (v128.const i32x4 0 0 0 0)) (local.set $a21 (v128.const i32x4 0 0 0 0)) (local.set $a22 (v128.const i32x4 0 0 0 0))
            (local.set $pp (i32.const 0))
            (block $x12p_end (loop $x12p
              (br_if $x12p_end (i32.ge_s (local.get $pp) (local.get $inPlanes)))
              ;; kp: byte address of K[q, pp, 0, 0]; plane: of P[n, pp, 0, x]
              (local.set $kp (i32.add (local.get $kq) (i32.mul (i32.mul (local.get $pp) (local.get $fh)) (local.get $tapRowBytes))))
              (local.set $plane (i32.add (i32.add (local.get $imageAt) (i32.mul (local.get $pp) (local.get $planeBytes))) (i32.shl (local.get $x) (i32.const 2))))
              (local.set $s (i32.const 0))
              (block $x12s_end (loop $x12s
                (br_if $x12s_end (i32.gt_s (local.get $s) (i32.add (local.get $fh) (i32.const 1))))
                ;; source row yy + s, skipped outside [rowLo, rowHi) (zero rows)
                (local.set $r (i32.add (local.get $yy) (local.get $s)))
                (if (i32.and (i32.ge_s (local.get $r) (local.get $rowLo)) (i32.lt_s (local.get $r) (local.get $rowHi))) (then
                  (local.set $row (i32.add (local.get $plane) (i32.mul (local.get $r) (local.get $rowBytes))))
                  ;; output row i takes tap row a = s − i: k_i = K[q, pp, s − i, 0] (read only where 0 ≤ a < fh)
                  (local.set $k0 (i32.add (local.get $kp) (i32.mul (local.get $s) (local.get $tapRowBytes))))
                  (local.set $k1 (i32.sub (local.get $k0) (local.get $tapRowBytes)))
                  (local.set $k2 (i32.sub (local.get $k1) (local.get $tapRowBytes)))
                  (if (i32.eqz (local.get $s)) (then
                    (local.set $b (i32.const 0))
                    (block $b3_0_end (loop $b3_0
                      (br_if $b3_0_end (i32.ge_s (local.get $b) (local.get $fw)))
                      (local.set $p0 (v128.load offset=0 (local.get $row)))
                      (local.set $p1 (v128.load offset=16 (local.get $row)))
                      (local.set $p2 (v128.load offset=32 (local.get $row)))
                      (local.set $s0 (v128.load32_splat (local.get $k0)))
                      (local.set $a00 (f32x4.add (local.get $a00) (f32x4.mul (local.get $s0) (local.get $p0))))
                      (local.set $a01 (f32x4.add (local.get $a01) (f32x4.mul (local.get $s0) (local.get $p1))))
                      (local.set $a02 (f32x4.add (local.get $a02) (f32x4.mul (local.get $s0) (local.get $p2))))
                      (local.set $row (i32.add (local.get $row) (i32.const 4)))
                      (local.set $k0 (i32.add (local.get $k0) (i32.const 4)))
                      (local.set $b (i32.add (local.get $b) (i32.const 1)))
                      (br $b3_0)))
                  ) (else (if (i32.eq (local.get $s) (i32.const 1)) (then
                    (local.set $b (i32.const 0))
                    (block $b3_01_end (loop $b3_01
                      (br_if $b3_01_end (i32.ge_s (local.get $b) (local.get $fw)))
                      (local.set $p0 (v128.load offset=0 (local.get $row)))
                      (local.set $p1 (v128.load offset=16 (local.get $row)))
                      (local.set $p2 (v128.load offset=32 (local.get $row)))
                      (local.set $s0 (v128.load32_splat (local.get $k0)))
                      (local.set $a00 (f32x4.add (local.get $a00) (f32x4.mul (local.get $s0) (local.get $p0))))
                      (local.set $a01 (f32x4.add (local.get $a01) (f32x4.mul (local.get $s0) (local.get $p1))))
                      (local.set $a02 (f32x4.add (local.get $a02) (f32x4.mul (local.get $s0) (local.get $p2))))
                      (local.set $s1 (v128.load32_splat (local.get $k1)))
                      (local.set $a10 (f32x4.add (local.get $a10) (f32x4.mul (local.get $s1) (local.get $p0))))
                      (local.set $a11 (f32x4.add (local.get $a11) (f32x4.mul (local.get $s1) (local.get $p1))))
                      (local.set $a12 (f32x4.add (local.get $a12) (f32x4.mul (local.get $s1) (local.get $p2))))
                      (local.set $row (i32.add (local.get $row) (i32.const 4)))
                      (local.set $k0 (i32.add (local.get $k0) (i32.const 4)))
                      (local.set $k1 (i32.add (local.get $k1) (i32.const 4)))
                      (local.set $b (i32.add (local.get $b) (i32.const 1)))
                      (br $b3_01)))
                  ) (else (if (i32.lt_s (local.get $s) (local.get $fh)) (then
                    (local.set $b (i32.const 0))
                    (block $b3_012_end (loop $b3_012
                      (br_if $b3_012_end (i32.ge_s (local.get $b) (local.get $fw)))
                      (local.set $p0 (v128.load offset=0 (local.get $row)))
                      (local.set $p1 (v128.load offset=16 (local.get $row)))
                      (local.set $p2 (v128.load offset=32 (local.get $row)))
                      (local.set $s0 (v128.load32_splat (local.get $k0)))
                      (local.set $a00 (f32x4.add (local.get $a00) (f32x4.mul (local.get $s0) (local.get $p0))))
                      (local.set $a01 (f32x4.add (local.get $a01) (f32x4.mul (local.get $s0) (local.get $p1))))
                      (local.set $a02 (f32x4.add (local.get $a02) (f32x4.mul (local.get $s0) (local.get $p2))))
                      (local.set $s1 (v128.load32_splat (local.get $k1)))
                      (local.set $a10 (f32x4.add (local.get $a10) (f32x4.mul (local.get $s1) (local.get $p0))))
                      (local.set $a11 (f32x4.add (local.get $a11) (f32x4.mul (local.get $s1) (local.get $p1))))
                      (local.set $a12 (f32x4.add (local.get $a12) (f32x4.mul (local.get $s1) (local.get $p2))))
                      (local.set $s2 (v128.load32_splat (local.get $k2)))
                      (local.set $a20 (f32x4.add (local.get $a20) (f32x4.mul (local.get $s2) (local.get $p0))))
                      (local.set $a21 (f32x4.add (local.get $a21) (f32x4.mul (local.get $s2) (local.get $p1))))
                      (local.set $a22 (f32x4.add (local.get $a22) (f32x4.mul (local.get $s2) (local.get $p2))))
                      (local.set $row (i32.add (local.get $row) (i32.const 4)))
                      (local.set $k0 (i32.add (local.get $k0) (i32.const 4)))
                      (local.set $k1 (i32.add (local.get $k1) (i32.const 4)))
                      (local.set $k2 (i32.add (local.get $k2) (i32.const 4)))
                      (local.set $b (i32.add (local.get $b) (i32.const 1)))
                      (br $b3_012)))
                  ) (else (if (i32.eq (local.get $s) (local.get $fh)) (then
                    (local.set $b (i32.const 0))
                    (block $b3_12_end (loop $b3_12
                      (br_if $b3_12_end (i32.ge_s (local.get $b) (local.get $fw)))
                      (local.set $p0 (v128.load offset=0 (local.get $row)))
                      (local.set $p1 (v128.load offset=16 (local.get $row)))
                      (local.set $p2 (v128.load offset=32 (local.get $row)))
                      (local.set $s1 (v128.load32_splat (local.get $k1)))
                      (local.set $a10 (f32x4.add (local.get $a10) (f32x4.mul (local.get $s1) (local.get $p0))))
                      (local.set $a11 (f32x4.add (local.get $a11) (f32x4.mul (local.get $s1) (local.get $p1))))
                      (local.set $a12 (f32x4.add (local.get $a12) (f32x4.mul (local.get $s1) (local.get $p2))))
                      (local.set $s2 (v128.load32_splat (local.get $k2)))
                      (local.set $a20 (f32x4.add (local.get $a20) (f32x4.mul (local.get $s2) (local.get $p0))))
                      (local.set $a21 (f32x4.add (local.get $a21) (f32x4.mul (local.get $s2) (local.get $p1))))
                      (local.set $a22 (f32x4.add (local.get $a22) (f32x4.mul (local.get $s2) (local.get $p2))))
                      (local.set $row (i32.add (local.get $row) (i32.const 4)))
                      (local.set $k1 (i32.add (local.get $k1) (i32.const 4)))
                      (local.set $k2 (i32.add (local.get $k2) (i32.const 4)))
                      (local.set $b (i32.add (local.get $b) (i32.const 1)))
                      (br $b3_12)))
                  ) (else
                    (local.set $b (i32.const 0))
                    (block $b3_2_end (loop $b3_2
                      (br_if $b3_2_end (i32.ge_s (local.get $b) (local.get $fw)))
                      (local.set $p0 (v128.load offset=0 (local.get $row)))
                      (local.set $p1 (v128.load offset=16 (local.get $row)))
                      (local.set $p2 (v128.load offset=32 (local.get $row)))
                      (local.set $s2 (v128.load32_splat (local.get $k2)))
                      (local.set $a20 (f32x4.add (local.get $a20) (f32x4.mul (local.get $s2) (local.get $p0))))
                      (local.set $a21 (f32x4.add (local.get $a21) (f32x4.mul (local.get $s2) (local.get $p1))))
                      (local.set $a22 (f32x4.add (local.get $a22) (f32x4.mul (local.get $s2) (local.get $p2))))
                      (local.set $row (i32.add (local.get $row) (i32.const 4)))
                      (local.set $k2 (i32.add (local.get $k2) (i32.const 4)))
                      (local.set $b (i32.add (local.get $b) (i32.const 1)))
                      (br $b3_2)))
                  ))))))))
                ))
                (local.set $s (i32.add (local.get $s) (i32.const 1)))
                (br $x12s)))
              (local.set $pp (i32.add (local.get $pp) (i32.const 1)))
              (br $x12p)))
            (local.set $outAt (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $n) (local.get $outPlanes)) (local.get $q)) (local.get $outH)) (i32.add (local.get $yy) (i32.const 0))) (local.get $Wq)) (local.get $x)) (i32.const 2)))) (v128.store offset=0 (local.get $outAt) (local.get $a00)) (v128.store offset=16 (local.get $outAt) (local.get $a01)) (v128.store offset=32 (local.get $outAt) (local.get $a02))
            (local.set $outAt (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $n) (local.get $outPlanes)) (local.get $q)) (local.get $outH)) (i32.add (local.get $yy) (i32.const 1))) (local.get $Wq)) (local.get $x)) (i32.const 2)))) (v128.store offset=0 (local.get $outAt) (local.get $a10)) (v128.store offset=16 (local.get $outAt) (local.get $a11)) (v128.store offset=32 (local.get $outAt) (local.get $a12))
            (local.set $outAt (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $n) (local.get $outPlanes)) (local.get $q)) (local.get $outH)) (i32.add (local.get $yy) (i32.const 2))) (local.get $Wq)) (local.get $x)) (i32.const 2)))) (v128.store offset=0 (local.get $outAt) (local.get $a20)) (v128.store offset=16 (local.get $outAt) (local.get $a21)) (v128.store offset=32 (local.get $outAt) (local.get $a22))
            (local.set $x (i32.add (local.get $x) (i32.const 12)))
            (br $x12)))
          (block $x4_end (loop $x4
            (br_if $x4_end (i32.gt_s (i32.add (local.get $x) (i32.const 4)) (local.get $Wq)))
            (local.set $a00 (v128.const i32x4 0 0 0 0)) (local.set $a10 (v128.const i32x4 0 0 0 0)) (local.set $a20 (v128.const i32x4 0 0 0 0))
            (local.set $pp (i32.const 0))
            (block $x4p_end (loop $x4p
              (br_if $x4p_end (i32.ge_s (local.get $pp) (local.get $inPlanes)))
              ;; kp: byte address of K[q, pp, 0, 0]; plane: of P[n, pp, 0, x]
              (local.set $kp (i32.add (local.get $kq) (i32.mul (i32.mul (local.get $pp) (local.get $fh)) (local.get $tapRowBytes))))
              (local.set $plane (i32.add (i32.add (local.get $imageAt) (i32.mul (local.get $pp) (local.get $planeBytes))) (i32.shl (local.get $x) (i32.const 2))))
              (local.set $s (i32.const 0))
              (block $x4s_end (loop $x4s
                (br_if $x4s_end (i32.gt_s (local.get $s) (i32.add (local.get $fh) (i32.const 1))))
                ;; source row yy + s, skipped outside [rowLo, rowHi) (zero rows)
                (local.set $r (i32.add (local.get $yy) (local.get $s)))
                (if (i32.and (i32.ge_s (local.get $r) (local.get $rowLo)) (i32.lt_s (local.get $r) (local.get $rowHi))) (then
                  (local.set $row (i32.add (local.get $plane) (i32.mul (local.get $r) (local.get $rowBytes))))
                  ;; output row i takes tap row a = s − i: k_i = K[q, pp, s − i, 0] (read only where 0 ≤ a < fh)
                  (local.set $k0 (i32.add (local.get $kp) (i32.mul (local.get $s) (local.get $tapRowBytes))))
                  (local.set $k1 (i32.sub (local.get $k0) (local.get $tapRowBytes)))
                  (local.set $k2 (i32.sub (local.get $k1) (local.get $tapRowBytes)))
                  (if (i32.eqz (local.get $s)) (then
                    (local.set $b (i32.const 0))
                    (block $b1_0_end (loop $b1_0
                      (br_if $b1_0_end (i32.ge_s (local.get $b) (local.get $fw)))
                      (local.set $p0 (v128.load offset=0 (local.get $row)))
                      (local.set $s0 (v128.load32_splat (local.get $k0)))
                      (local.set $a00 (f32x4.add (local.get $a00) (f32x4.mul (local.get $s0) (local.get $p0))))
                      (local.set $row (i32.add (local.get $row) (i32.const 4)))
                      (local.set $k0 (i32.add (local.get $k0) (i32.const 4)))
                      (local.set $b (i32.add (local.get $b) (i32.const 1)))
                      (br $b1_0)))
                  ) (else (if (i32.eq (local.get $s) (i32.const 1)) (then
                    (local.set $b (i32.const 0))
                    (block $b1_01_end (loop $b1_01
                      (br_if $b1_01_end (i32.ge_s (local.get $b) (local.get $fw)))
                      (local.set $p0 (v128.load offset=0 (local.get $row)))
                      (local.set $s0 (v128.load32_splat (local.get $k0)))
                      (local.set $a00 (f32x4.add (local.get $a00) (f32x4.mul (local.get $s0) (local.get $p0))))
                      (local.set $s1 (v128.load32_splat (local.get $k1)))
                      (local.set $a10 (f32x4.add (local.get $a10) (f32x4.mul (local.get $s1) (local.get $p0))))
                      (local.set $row (i32.add (local.get $row) (i32.const 4)))
                      (local.set $k0 (i32.add (local.get $k0) (i32.const 4)))
                      (local.set $k1 (i32.add (local.get $k1) (i32.const 4)))
                      (local.set $b (i32.add (local.get $b) (i32.const 1)))
                      (br $b1_01)))
                  ) (else (if (i32.lt_s (local.get $s) (local.get $fh)) (then
                    (local.set $b (i32.const 0))
                    (block $b1_012_end (loop $b1_012
                      (br_if $b1_012_end (i32.ge_s (local.get $b) (local.get $fw)))
                      (local.set $p0 (v128.load offset=0 (local.get $row)))
                      (local.set $s0 (v128.load32_splat (local.get $k0)))
                      (local.set $a00 (f32x4.add (local.get $a00) (f32x4.mul (local.get $s0) (local.get $p0))))
                      (local.set $s1 (v128.load32_splat (local.get $k1)))
                      (local.set $a10 (f32x4.add (local.get $a10) (f32x4.mul (local.get $s1) (local.get $p0))))
                      (local.set $s2 (v128.load32_splat (local.get $k2)))
                      (local.set $a20 (f32x4.add (local.get $a20) (f32x4.mul (local.get $s2) (local.get $p0))))
                      (local.set $row (i32.add (local.get $row) (i32.const 4)))
                      (local.set $k0 (i32.add (local.get $k0) (i32.const 4)))
                      (local.set $k1 (i32.add (local.get $k1) (i32.const 4)))
                      (local.set $k2 (i32.add (local.get $k2) (i32.const 4)))
                      (local.set $b (i32.add (local.get $b) (i32.const 1)))
                      (br $b1_012)))
                  ) (else (if (i32.eq (local.get $s) (local.get $fh)) (then
                    (local.set $b (i32.const 0))
                    (block $b1_12_end (loop $b1_12
                      (br_if $b1_12_end (i32.ge_s (local.get $b) (local.get $fw)))
                      (local.set $p0 (v128.load offset=0 (local.get $row)))
                      (local.set $s1 (v128.load32_splat (local.get $k1)))
                      (local.set $a10 (f32x4.add (local.get $a10) (f32x4.mul (local.get $s1) (local.get $p0))))
                      (local.set $s2 (v128.load32_splat (local.get $k2)))
                      (local.set $a20 (f32x4.add (local.get $a20) (f32x4.mul (local.get $s2) (local.get $p0))))
                      (local.set $row (i32.add (local.get $row) (i32.const 4)))
                      (local.set $k1 (i32.add (local.get $k1) (i32.const 4)))
                      (local.set $k2 (i32.add (local.get $k2) (i32.const 4)))
                      (local.set $b (i32.add (local.get $b) (i32.const 1)))
                      (br $b1_12)))
                  ) (else
                    (local.set $b (i32.const 0))
                    (block $b1_2_end (loop $b1_2
                      (br_if $b1_2_end (i32.ge_s (local.get $b) (local.get $fw)))
                      (local.set $p0 (v128.load offset=0 (local.get $row)))
                      (local.set $s2 (v128.load32_splat (local.get $k2)))
                      (local.set $a20 (f32x4.add (local.get $a20) (f32x4.mul (local.get $s2) (local.get $p0))))
                      (local.set $row (i32.add (local.get $row) (i32.const 4)))
                      (local.set $k2 (i32.add (local.get $k2) (i32.const 4)))
                      (local.set $b (i32.add (local.get $b) (i32.const 1)))
                      (br $b1_2)))
                  ))))))))
                ))
                (local.set $s (i32.add (local.get $s) (i32.const 1)))
                (br $x4s)))
              (local.set $pp (i32.add (local.get $pp) (i32.const 1)))
              (br $x4p)))
            (local.set $outAt (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $n) (local.get $outPlanes)) (local.get $q)) (local.get $outH)) (i32.add (local.get $yy) (i32.const 0))) (local.get $Wq)) (local.get $x)) (i32.const 2)))) (v128.store offset=0 (local.get $outAt) (local.get $a00))
            (local.set $outAt (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $n) (local.get $outPlanes)) (local.get $q)) (local.get $outH)) (i32.add (local.get $yy) (i32.const 1))) (local.get $Wq)) (local.get $x)) (i32.const 2)))) (v128.store offset=0 (local.get $outAt) (local.get $a10))
            (local.set $outAt (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $n) (local.get $outPlanes)) (local.get $q)) (local.get $outH)) (i32.add (local.get $yy) (i32.const 2))) (local.get $Wq)) (local.get $x)) (i32.const 2)))) (v128.store offset=0 (local.get $outAt) (local.get $a20))
            (local.set $x (i32.add (local.get $x) (i32.const 4)))
            (br $x4)))
          (local.set $y (i32.add (local.get $yy) (i32.const 3)))
          (br $ly)))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br $lq)))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $ln)))
  )
  ;; $channelMomentSums(x, shift, acc, rows, L, tileRows), run chunk by chunk by channelMomentChunks
  ;; below: BatchNorm's per-channel statistics in one pass: for x [rows, L] float32 (L a
  ;; multiple of 4: the channels repeated to lcm(C, 4)), shift [L] float32 and
  ;; acc [2L] float64 (added to, not zeroed here):
  ;;   acc[k]     += sum_r (x[r, k] - shift[k])
  ;;   acc[L + k] += sum_r (x[r, k] - shift[k])^2
  ;; every x and shift promoted to float64 first. Shifting by a value of the
  ;; channel (its first sample) keeps the one-pass variance Q/M - (S/M)^2 free
  ;; of cancellation. Rows go in tiles of tileRows (the caller sizes a tile to
  ;; stay in L1): per tile and per 4 lanes the four sums run in registers, row
  ;; by row in order, then are added to acc, so each lane is one float64 chain
  ;; per tile that batch-norm-training-arrays.ts repeats in JavaScript bit for bit.
  (func $channelMomentSums (param $x i32) (param $shift i32) (param $acc i32) (param $rows i32) (param $L i32) (param $tileRows i32) (local $r0 i32) (local $r1 i32) (local $r i32) (local $c i32) (local $at i32) (local $rowBytes i32) (local $accAt i32) (local $shLo v128) (local $shHi v128) (local $dLo v128) (local $dHi v128) (local $sLo v128) (local $sHi v128) (local $qLo v128) (local $qHi v128)
    (local.set $rowBytes (i32.shl (local.get $L) (i32.const 2)))
    (local.set $r0 (i32.const 0))
    (block $tiles_end (loop $tiles
        (br_if $tiles_end (i32.ge_s (local.get $r0) (local.get $rows)))
        (local.set $r1 (i32.add (local.get $r0) (local.get $tileRows)))
        (if (i32.gt_s (local.get $r1) (local.get $rows)) (then (local.set $r1 (local.get $rows))))
        (local.set $c (i32.const 0))
        (block $groups_end (loop $groups
            (br_if $groups_end (i32.ge_s (local.get $c) (local.get $L)))
            (local.set $at (i32.add (local.get $shift) (i32.shl (local.get $c) (i32.const 2))))
            (local.set $shLo (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $at))))
            (local.set $shHi (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 (local.get $at))))
            (local.set $sLo (v128.const i64x2 0 0))
            (local.set $sHi (v128.const i64x2 0 0))
            (local.set $qLo (v128.const i64x2 0 0))
            (local.set $qHi (v128.const i64x2 0 0))
            (local.set $at (i32.add (i32.add (local.get $x) (i32.mul (local.get $r0) (local.get $rowBytes))) (i32.shl (local.get $c) (i32.const 2))))
            (local.set $r (local.get $r0))
            (block $rows_end (loop $lrows
                (br_if $rows_end (i32.ge_s (local.get $r) (local.get $r1)))
                (local.set $dLo (f64x2.sub (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $at))) (local.get $shLo)))
                (local.set $dHi (f64x2.sub (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 (local.get $at))) (local.get $shHi)))
                (local.set $sLo (f64x2.add (local.get $sLo) (local.get $dLo)))
                (local.set $sHi (f64x2.add (local.get $sHi) (local.get $dHi)))
                (local.set $qLo (f64x2.add (local.get $qLo) (f64x2.mul (local.get $dLo) (local.get $dLo))))
                (local.set $qHi (f64x2.add (local.get $qHi) (f64x2.mul (local.get $dHi) (local.get $dHi))))
                (local.set $at (i32.add (local.get $at) (local.get $rowBytes)))
                (local.set $r (i32.add (local.get $r) (i32.const 1)))
                (br $lrows)))
            (local.set $accAt (i32.add (local.get $acc) (i32.shl (local.get $c) (i32.const 3))))
            (v128.store (local.get $accAt) (f64x2.add (v128.load (local.get $accAt)) (local.get $sLo)))
            (v128.store offset=16 (local.get $accAt) (f64x2.add (v128.load offset=16 (local.get $accAt)) (local.get $sHi)))
            (local.set $accAt (i32.add (local.get $accAt) (i32.shl (local.get $L) (i32.const 3))))
            (v128.store (local.get $accAt) (f64x2.add (v128.load (local.get $accAt)) (local.get $qLo)))
            (v128.store offset=16 (local.get $accAt) (f64x2.add (v128.load offset=16 (local.get $accAt)) (local.get $qHi)))
            (local.set $c (i32.add (local.get $c) (i32.const 4)))
            (br $groups)))
        (local.set $r0 (local.get $r1))
        (br $tiles)))
  )
  ;; $channelGradientSums(dy, x, mean, acc, rows, L, tileRows), run chunk by chunk by
  ;; channelGradientChunks below: BatchNorm's backward reduction in one pass over dy and x ([rows, L] float32,
  ;; L as in channelMomentSums), mean [L] float32, acc [2L] float64 (added to):
  ;;   acc[k]     += sum_r dy[r, k]
  ;;   acc[L + k] += sum_r dy[r, k] * (x[r, k] - mean[k])
  ;; in float64, tiled and ordered exactly as channelMomentSums.
  (func $channelGradientSums (param $dy i32) (param $x i32) (param $mean i32) (param $acc i32) (param $rows i32) (param $L i32) (param $tileRows i32) (local $r0 i32) (local $r1 i32) (local $r i32) (local $c i32) (local $at i32) (local $dyAt i32) (local $rowBytes i32) (local $accAt i32) (local $mLo v128) (local $mHi v128) (local $gLo v128) (local $gHi v128) (local $sLo v128) (local $sHi v128) (local $pLo v128) (local $pHi v128)
    (local.set $rowBytes (i32.shl (local.get $L) (i32.const 2)))
    (local.set $r0 (i32.const 0))
    (block $tiles_end (loop $tiles
        (br_if $tiles_end (i32.ge_s (local.get $r0) (local.get $rows)))
        (local.set $r1 (i32.add (local.get $r0) (local.get $tileRows)))
        (if (i32.gt_s (local.get $r1) (local.get $rows)) (then (local.set $r1 (local.get $rows))))
        (local.set $c (i32.const 0))
        (block $groups_end (loop $groups
            (br_if $groups_end (i32.ge_s (local.get $c) (local.get $L)))
            (local.set $at (i32.add (local.get $mean) (i32.shl (local.get $c) (i32.const 2))))
            (local.set $mLo (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $at))))
            (local.set $mHi (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 (local.get $at))))
            (local.set $sLo (v128.const i64x2 0 0))
            (local.set $sHi (v128.const i64x2 0 0))
            (local.set $pLo (v128.const i64x2 0 0))
            (local.set $pHi (v128.const i64x2 0 0))
            (local.set $at (i32.add (i32.mul (local.get $r0) (local.get $rowBytes)) (i32.shl (local.get $c) (i32.const 2))))
            (local.set $dyAt (i32.add (local.get $dy) (local.get $at)))
            (local.set $at (i32.add (local.get $x) (local.get $at)))
            (local.set $r (local.get $r0))
            (block $rows_end (loop $lrows
                (br_if $rows_end (i32.ge_s (local.get $r) (local.get $r1)))
                (local.set $gLo (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $dyAt))))
                (local.set $gHi (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 (local.get $dyAt))))
                (local.set $sLo (f64x2.add (local.get $sLo) (local.get $gLo)))
                (local.set $sHi (f64x2.add (local.get $sHi) (local.get $gHi)))
                (local.set $pLo (f64x2.add (local.get $pLo) (f64x2.mul (local.get $gLo) (f64x2.sub (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $at))) (local.get $mLo)))))
                (local.set $pHi (f64x2.add (local.get $pHi) (f64x2.mul (local.get $gHi) (f64x2.sub (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 (local.get $at))) (local.get $mHi)))))
                (local.set $at (i32.add (local.get $at) (local.get $rowBytes)))
                (local.set $dyAt (i32.add (local.get $dyAt) (local.get $rowBytes)))
                (local.set $r (i32.add (local.get $r) (i32.const 1)))
                (br $lrows)))
            (local.set $accAt (i32.add (local.get $acc) (i32.shl (local.get $c) (i32.const 3))))
            (v128.store (local.get $accAt) (f64x2.add (v128.load (local.get $accAt)) (local.get $sLo)))
            (v128.store offset=16 (local.get $accAt) (f64x2.add (v128.load offset=16 (local.get $accAt)) (local.get $sHi)))
            (local.set $accAt (i32.add (local.get $accAt) (i32.shl (local.get $L) (i32.const 3))))
            (v128.store (local.get $accAt) (f64x2.add (v128.load (local.get $accAt)) (local.get $pLo)))
            (v128.store offset=16 (local.get $accAt) (f64x2.add (v128.load offset=16 (local.get $accAt)) (local.get $pHi)))
            (local.set $c (i32.add (local.get $c) (i32.const 4)))
            (br $groups)))
        (local.set $r0 (local.get $r1))
        (br $tiles)))
  )
  ;; channelMomentChunks(x, shift, partials, c0, c1, rows, L, tileRows, chunkRows)
  ;; $channelMomentSums over the chunks c0 <= c < c1 of chunkRows rows each (a
  ;; multiple of tileRows; the last chunk ends at row `rows`), chunk c adding to its
  ;; own partials[c] ([2L] float64 at partials + 16·L·c, zeroed by the caller). The
  ;; caller adds the partials in chunk order, so the sums do not depend on which
  ;; thread ran which chunk, nor on how many threads there were.
  (func (export "channelMomentChunks") (param $x i32) (param $shift i32) (param $partials i32) (param $c0 i32) (param $c1 i32) (param $rows i32) (param $L i32) (param $tileRows i32) (param $chunkRows i32) (local $c i32) (local $r0 i32) (local $r1 i32)
    (local.set $c (local.get $c0))
    (block $end (loop $chunks
        (br_if $end (i32.ge_s (local.get $c) (local.get $c1)))
        (local.set $r0 (i32.mul (local.get $c) (local.get $chunkRows)))
        (local.set $r1 (i32.add (local.get $r0) (local.get $chunkRows)))
        (if (i32.gt_s (local.get $r1) (local.get $rows)) (then (local.set $r1 (local.get $rows))))
        (call $channelMomentSums
          (i32.add (local.get $x) (i32.shl (i32.mul (local.get $r0) (local.get $L)) (i32.const 2)))
          (local.get $shift)
          (i32.add (local.get $partials) (i32.shl (i32.mul (local.get $c) (local.get $L)) (i32.const 4)))
          (i32.sub (local.get $r1) (local.get $r0))
          (local.get $L)
          (local.get $tileRows))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $chunks)))
  )
  ;; channelGradientChunks(dy, x, mean, partials, c0, c1, rows, L, tileRows, chunkRows)
  ;; $channelGradientSums chunk by chunk, as channelMomentChunks.
  (func (export "channelGradientChunks") (param $dy i32) (param $x i32) (param $mean i32) (param $partials i32) (param $c0 i32) (param $c1 i32) (param $rows i32) (param $L i32) (param $tileRows i32) (param $chunkRows i32) (local $c i32) (local $r0 i32) (local $r1 i32) (local $skip i32)
    (local.set $c (local.get $c0))
    (block $end (loop $chunks
        (br_if $end (i32.ge_s (local.get $c) (local.get $c1)))
        (local.set $r0 (i32.mul (local.get $c) (local.get $chunkRows)))
        (local.set $r1 (i32.add (local.get $r0) (local.get $chunkRows)))
        (if (i32.gt_s (local.get $r1) (local.get $rows)) (then (local.set $r1 (local.get $rows))))
        (local.set $skip (i32.shl (i32.mul (local.get $r0) (local.get $L)) (i32.const 2)))
        (call $channelGradientSums
          (i32.add (local.get $dy) (local.get $skip))
          (i32.add (local.get $x) (local.get $skip))
          (local.get $mean)
          (i32.add (local.get $partials) (i32.shl (i32.mul (local.get $c) (local.get $L)) (i32.const 4)))
          (i32.sub (local.get $r1) (local.get $r0))
          (local.get $L)
          (local.get $tileRows))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $chunks)))
  )
  ;; channelNormalize(x, mean, factor, offset, out, k0, k1, L)
  ;; out[k] = (x[k] - mean[j]) * factor[j] + offset[j], j = (k - k0) mod L, for
  ;; k0 <= k < k1 (k0 a multiple of L, so j = k mod L):
  ;; BatchNorm's normalize pass with factor = gamma / sqrt(var + eps) per
  ;; channel, the per-channel operands repeated to L = lcm(C, 4) floats by the
  ;; caller (as perChannelBinary); whole blocks of L 4 floats at a time, the
  ;; last n mod L one at a time. Three float32 operations, each rounded.
  (func (export "channelNormalize") (param $x i32) (param $mean i32) (param $factor i32) (param $offset i32) (param $out i32) (param $k0 i32) (param $k1 i32) (param $L i32) (local $k i32) (local $at i32) (local $pAt i32) (local $LBytes i32) (local $n i32)
    (local.set $LBytes (i32.shl (local.get $L) (i32.const 2)))
    (local.set $n (i32.sub (local.get $k1) (local.get $k0)))
    (local.set $x (i32.add (local.get $x) (i32.shl (local.get $k0) (i32.const 2))))
    (local.set $out (i32.add (local.get $out) (i32.shl (local.get $k0) (i32.const 2))))
    (local.set $k (i32.const 0))
    (local.set $at (i32.const 0))
    (block $v_end (loop $lv
        (br_if $v_end (i32.gt_s (i32.add (local.get $k) (local.get $L)) (local.get $n)))
        (local.set $pAt (i32.const 0))
        (block $p_end (loop $lp
            (br_if $p_end (i32.ge_s (local.get $pAt) (local.get $LBytes)))
            (v128.store (i32.add (local.get $out) (local.get $at))
              (f32x4.add
                (f32x4.mul
                  (f32x4.sub (v128.load (i32.add (local.get $x) (local.get $at))) (v128.load (i32.add (local.get $mean) (local.get $pAt))))
                  (v128.load (i32.add (local.get $factor) (local.get $pAt))))
                (v128.load (i32.add (local.get $offset) (local.get $pAt)))))
            (local.set $at (i32.add (local.get $at) (i32.const 16)))
            (local.set $pAt (i32.add (local.get $pAt) (i32.const 16)))
            (br $lp)))
        (local.set $k (i32.add (local.get $k) (local.get $L)))
        (br $lv)))
    (local.set $pAt (i32.const 0))
    (block $s_end (loop $ls
        (br_if $s_end (i32.ge_s (local.get $k) (local.get $n)))
        (f32.store (i32.add (local.get $out) (local.get $at))
          (f32.add
            (f32.mul
              (f32.sub (f32.load (i32.add (local.get $x) (local.get $at))) (f32.load (i32.add (local.get $mean) (local.get $pAt))))
              (f32.load (i32.add (local.get $factor) (local.get $pAt))))
            (f32.load (i32.add (local.get $offset) (local.get $pAt)))))
        (local.set $at (i32.add (local.get $at) (i32.const 4)))
        (local.set $pAt (i32.add (local.get $pAt) (i32.const 4)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $ls)))
  )
  ;; channelNormalizeGradient(dy, x, dyFactor, mean, xFactor, shift, out, k0, k1, L)
  ;; out[k] = (dyFactor[j] * dy[k] + xFactor[j] * (x[k] - mean[j])) + shift[j],
  ;; j = (k - k0) mod L, for k0 <= k < k1 (k0 a multiple of L): BatchNorm's input gradient in one pass, its
  ;; per-channel coefficients (batch-norm-training-arrays.ts) folding in the
  ;; paths through the batch mean and variance; operands repeated to L floats
  ;; and the loop as in channelNormalize. Float32, each operation rounded.
  (func (export "channelNormalizeGradient") (param $dy i32) (param $x i32) (param $dyFactor i32) (param $mean i32) (param $xFactor i32) (param $shift i32) (param $out i32) (param $k0 i32) (param $k1 i32) (param $L i32) (local $k i32) (local $at i32) (local $pAt i32) (local $LBytes i32) (local $n i32)
    (local.set $LBytes (i32.shl (local.get $L) (i32.const 2)))
    (local.set $n (i32.sub (local.get $k1) (local.get $k0)))
    (local.set $dy (i32.add (local.get $dy) (i32.shl (local.get $k0) (i32.const 2))))
    (local.set $x (i32.add (local.get $x) (i32.shl (local.get $k0) (i32.const 2))))
    (local.set $out (i32.add (local.get $out) (i32.shl (local.get $k0) (i32.const 2))))
    (local.set $k (i32.const 0))
    (local.set $at (i32.const 0))
    (block $v_end (loop $lv
        (br_if $v_end (i32.gt_s (i32.add (local.get $k) (local.get $L)) (local.get $n)))
        (local.set $pAt (i32.const 0))
        (block $p_end (loop $lp
            (br_if $p_end (i32.ge_s (local.get $pAt) (local.get $LBytes)))
            (v128.store (i32.add (local.get $out) (local.get $at))
              (f32x4.add
                (f32x4.add
                  (f32x4.mul (v128.load (i32.add (local.get $dyFactor) (local.get $pAt))) (v128.load (i32.add (local.get $dy) (local.get $at))))
                  (f32x4.mul
                    (v128.load (i32.add (local.get $xFactor) (local.get $pAt)))
                    (f32x4.sub (v128.load (i32.add (local.get $x) (local.get $at))) (v128.load (i32.add (local.get $mean) (local.get $pAt))))))
                (v128.load (i32.add (local.get $shift) (local.get $pAt)))))
            (local.set $at (i32.add (local.get $at) (i32.const 16)))
            (local.set $pAt (i32.add (local.get $pAt) (i32.const 16)))
            (br $lp)))
        (local.set $k (i32.add (local.get $k) (local.get $L)))
        (br $lv)))
    (local.set $pAt (i32.const 0))
    (block $s_end (loop $ls
        (br_if $s_end (i32.ge_s (local.get $k) (local.get $n)))
        (f32.store (i32.add (local.get $out) (local.get $at))
          (f32.add
            (f32.add
              (f32.mul (f32.load (i32.add (local.get $dyFactor) (local.get $pAt))) (f32.load (i32.add (local.get $dy) (local.get $at))))
              (f32.mul
                (f32.load (i32.add (local.get $xFactor) (local.get $pAt)))
                (f32.sub (f32.load (i32.add (local.get $x) (local.get $at))) (f32.load (i32.add (local.get $mean) (local.get $pAt))))))
            (f32.load (i32.add (local.get $shift) (local.get $pAt)))))
        (local.set $at (i32.add (local.get $at) (i32.const 4)))
        (local.set $pAt (i32.add (local.get $pAt) (i32.const 4)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $ls)))
  )
  ;; binaryElementwise(op, a, b, out, k0, k1)
  ;; out[k] = a[k] op b[k] for k0 <= k < k1, op 0: +, 1: *, 2: -: same-shape Add,
  ;; Multiply and Sub (a residual add, a sum of two gradients), 4 floats at a
  ;; time, then one at a time; IEEE-754 float32 like every backend's.
  (func (export "binaryElementwise") (param $op i32) (param $a i32) (param $b i32) (param $out i32) (param $k0 i32) (param $k1 i32) (local $i i32) (local $o i32) (local $va v128) (local $vb v128) (local $sa f32) (local $sb f32) (local $n i32)
    (local.set $n (i32.sub (local.get $k1) (local.get $k0)))
    (local.set $a (i32.add (local.get $a) (i32.shl (local.get $k0) (i32.const 2))))
    (local.set $b (i32.add (local.get $b) (i32.shl (local.get $k0) (i32.const 2))))
    (local.set $out (i32.add (local.get $out) (i32.shl (local.get $k0) (i32.const 2))))
    (block $vecDone (loop $vec
      (br_if $vecDone (i32.gt_s (i32.add (local.get $i) (i32.const 4)) (local.get $n)))
      (local.set $va (v128.load (i32.add (local.get $a) (local.get $o))))
      (local.set $vb (v128.load (i32.add (local.get $b) (local.get $o))))
      (v128.store (i32.add (local.get $out) (local.get $o))
        (if (result v128) (i32.eqz (local.get $op)) (then (f32x4.add (local.get $va) (local.get $vb)))
          (else (if (result v128) (i32.eq (local.get $op) (i32.const 1)) (then (f32x4.mul (local.get $va) (local.get $vb)))
            (else (f32x4.sub (local.get $va) (local.get $vb)))))))
      (local.set $o (i32.add (local.get $o) (i32.const 16)))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $vec)))
    (block $done (loop $scalar
      (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
      (local.set $sa (f32.load (i32.add (local.get $a) (local.get $o))))
      (local.set $sb (f32.load (i32.add (local.get $b) (local.get $o))))
      (f32.store (i32.add (local.get $out) (local.get $o))
        (if (result f32) (i32.eqz (local.get $op)) (then (f32.add (local.get $sa) (local.get $sb)))
          (else (if (result f32) (i32.eq (local.get $op) (i32.const 1)) (then (f32.mul (local.get $sa) (local.get $sb)))
            (else (f32.sub (local.get $sa) (local.get $sb)))))))
      (local.set $o (i32.add (local.get $o) (i32.const 4)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $scalar)))
  )
  ;; reluGradient(dy, x, out, k0, k1): for k0 <= i < k1,
  ;; out[i] = dy[i] · step(x[i]), step 1 for x > 0, NaN for NaN, 0 otherwise
  ;; (cpu's Step then Multiply, bit for bit), 4 values at a time, then one at a time.
  (func $reluGradient (export "reluGradient") (param $dy i32) (param $x i32) (param $out i32) (param $k0 i32) (param $k1 i32)
    (local $i i32) (local $o i32) (local $xv v128) (local $step v128) (local $xs f32) (local $n i32)
    (local.set $n (i32.sub (local.get $k1) (local.get $k0)))
    (local.set $dy (i32.add (local.get $dy) (i32.shl (local.get $k0) (i32.const 2))))
    (local.set $x (i32.add (local.get $x) (i32.shl (local.get $k0) (i32.const 2))))
    (local.set $out (i32.add (local.get $out) (i32.shl (local.get $k0) (i32.const 2))))
    (block $vecDone (loop $vec
      (br_if $vecDone (i32.gt_s (i32.add (local.get $i) (i32.const 4)) (local.get $n)))
      (local.set $xv (v128.load (i32.add (local.get $x) (local.get $o))))
      (local.set $step (v128.and (f32x4.gt (local.get $xv) (v128.const f32x4 0 0 0 0)) (v128.const f32x4 1 1 1 1)))
      (local.set $step (v128.bitselect (v128.const f32x4 nan nan nan nan) (local.get $step) (f32x4.ne (local.get $xv) (local.get $xv))))
      (v128.store (i32.add (local.get $out) (local.get $o))
        (f32x4.mul (v128.load (i32.add (local.get $dy) (local.get $o))) (local.get $step)))
      (local.set $o (i32.add (local.get $o) (i32.const 16)))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $vec)))
    (block $done (loop $scalar
      (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
      (local.set $xs (f32.load (i32.add (local.get $x) (local.get $o))))
      (f32.store (i32.add (local.get $out) (local.get $o))
        (f32.mul (f32.load (i32.add (local.get $dy) (local.get $o)))
          (if (result f32) (f32.gt (local.get $xs) (f32.const 0)) (then (f32.const 1))
            (else (if (result f32) (f32.ne (local.get $xs) (local.get $xs)) (then (f32.const nan)) (else (f32.const 0)))))))
      (local.set $o (i32.add (local.get $o) (i32.const 4)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $scalar)))
  )
)
