;; SIMD kernels of lib/runtime/kernels/simd: WebAssembly text, assembled at run time by module.ts (wabt).
;; Every address is a byte offset into the memory the module imports (tfjs-wasm's heap); every matrix is float32,
;; row-major.
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; C[m, n] = (fresh ? 0 : C[m, n]) + sum over k < blocks, p < count of A[k, p, m] * B[k * count + p, n], for
  ;; m < 6 * mTiles and n < 8 * nTiles. A[k, p, m] is at a + k * aBlockStride + p * aStride + m * aStep, B[q, n] at
  ;; b + q * bStride + 4 * n, C[m, n] at c + m * cStride + 4 * n.
  ;; Each 6 x 8 tile of C stays in twelve registers through the whole reduction (fused multiply-adds; 6 rows
  ;; measured fastest: 4 rows ran 17 % slower, 7 or 8 spill registers). A filter gradient reduces over pixels (one
  ;; block, aStep 4: m is an input channel); a convolution reduces over its filter rows (blocks), and within each
  ;; over filter columns and input channels, which lie contiguous in x (aStride 4, aStep: the distance between
  ;; output pixels' input pixels).
  (func $accumulate
    (param $a i32) (param $aStride i32) (param $b i32) (param $bStride i32) (param $count i32)
    (param $c i32) (param $cStride i32) (param $mTiles i32) (param $nTiles i32) (param $aStep i32)
    (param $blocks i32) (param $aBlockStride i32) (param $fresh i32)
    (local $mt i32) (local $nt i32) (local $i i32) (local $k i32) (local $pa i32) (local $pb i32) (local $tileA i32)
    (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32) (local $r4 i32) (local $r5 i32)
    (local $s1 i32) (local $s2 i32) (local $s3 i32) (local $s4 i32) (local $s5 i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128) (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128) (local $c40 v128) (local $c41 v128) (local $c50 v128) (local $c51 v128)
    (local $b0 v128) (local $b1 v128) (local $x v128)
    ;; s_k = k * aStep: the A offsets of a tile's rows
    (local.set $s1 (local.get $aStep))
    (local.set $s2 (i32.add (local.get $s1) (local.get $aStep)))
    (local.set $s3 (i32.add (local.get $s2) (local.get $aStep)))
    (local.set $s4 (i32.add (local.get $s3) (local.get $aStep)))
    (local.set $s5 (i32.add (local.get $s4) (local.get $aStep)))
    (local.set $mt (i32.const 0))
    (block $mDone (loop $mLoop
      (br_if $mDone (i32.ge_u (local.get $mt) (local.get $mTiles)))
      (local.set $nt (i32.const 0))
      (block $nDone (loop $nLoop
        (br_if $nDone (i32.ge_u (local.get $nt) (local.get $nTiles)))
        ;; the tile's rows of C
        (local.set $r0 (i32.add
          (i32.add (local.get $c) (i32.mul (i32.mul (local.get $mt) (i32.const 6)) (local.get $cStride)))
          (i32.shl (local.get $nt) (i32.const 5))))
        (local.set $r1 (i32.add (local.get $r0) (local.get $cStride)))
        (local.set $r2 (i32.add (local.get $r1) (local.get $cStride)))
        (local.set $r3 (i32.add (local.get $r2) (local.get $cStride)))
        (local.set $r4 (i32.add (local.get $r3) (local.get $cStride)))
        (local.set $r5 (i32.add (local.get $r4) (local.get $cStride)))
        (if (local.get $fresh)
          (then
          (local.set $c00 (v128.const i32x4 0 0 0 0))
          (local.set $c01 (v128.const i32x4 0 0 0 0))
          (local.set $c10 (v128.const i32x4 0 0 0 0))
          (local.set $c11 (v128.const i32x4 0 0 0 0))
          (local.set $c20 (v128.const i32x4 0 0 0 0))
          (local.set $c21 (v128.const i32x4 0 0 0 0))
          (local.set $c30 (v128.const i32x4 0 0 0 0))
          (local.set $c31 (v128.const i32x4 0 0 0 0))
          (local.set $c40 (v128.const i32x4 0 0 0 0))
          (local.set $c41 (v128.const i32x4 0 0 0 0))
          (local.set $c50 (v128.const i32x4 0 0 0 0))
          (local.set $c51 (v128.const i32x4 0 0 0 0))
          )
          (else
            (local.set $c00 (v128.load (local.get $r0)))
            (local.set $c01 (v128.load offset=16 (local.get $r0)))
            (local.set $c10 (v128.load (local.get $r1)))
            (local.set $c11 (v128.load offset=16 (local.get $r1)))
            (local.set $c20 (v128.load (local.get $r2)))
            (local.set $c21 (v128.load offset=16 (local.get $r2)))
            (local.set $c30 (v128.load (local.get $r3)))
            (local.set $c31 (v128.load offset=16 (local.get $r3)))
            (local.set $c40 (v128.load (local.get $r4)))
            (local.set $c41 (v128.load offset=16 (local.get $r4)))
            (local.set $c50 (v128.load (local.get $r5)))
            (local.set $c51 (v128.load offset=16 (local.get $r5)))
          ))
        (local.set $tileA (i32.add (local.get $a) (i32.mul (local.get $mt) (i32.mul (local.get $aStep) (i32.const 6)))))
        (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $nt) (i32.const 5))))
        (local.set $k (i32.const 0))
        (block $kDone (loop $kLoop
          (br_if $kDone (i32.ge_u (local.get $k) (local.get $blocks)))
          (local.set $pa (i32.add (local.get $tileA) (i32.mul (local.get $k) (local.get $aBlockStride))))
          (local.set $i (local.get $count))
          (block $pDone (loop $pLoop
            (br_if $pDone (i32.eqz (local.get $i)))
            (local.set $b0 (v128.load (local.get $pb)))
            (local.set $b1 (v128.load offset=16 (local.get $pb)))
            (local.set $x (v128.load32_splat (local.get $pa)))
            (local.set $c00 (f32x4.relaxed_madd (local.get $x) (local.get $b0) (local.get $c00)))
            (local.set $c01 (f32x4.relaxed_madd (local.get $x) (local.get $b1) (local.get $c01)))
            (local.set $x (v128.load32_splat (i32.add (local.get $pa) (local.get $s1))))
            (local.set $c10 (f32x4.relaxed_madd (local.get $x) (local.get $b0) (local.get $c10)))
            (local.set $c11 (f32x4.relaxed_madd (local.get $x) (local.get $b1) (local.get $c11)))
            (local.set $x (v128.load32_splat (i32.add (local.get $pa) (local.get $s2))))
            (local.set $c20 (f32x4.relaxed_madd (local.get $x) (local.get $b0) (local.get $c20)))
            (local.set $c21 (f32x4.relaxed_madd (local.get $x) (local.get $b1) (local.get $c21)))
            (local.set $x (v128.load32_splat (i32.add (local.get $pa) (local.get $s3))))
            (local.set $c30 (f32x4.relaxed_madd (local.get $x) (local.get $b0) (local.get $c30)))
            (local.set $c31 (f32x4.relaxed_madd (local.get $x) (local.get $b1) (local.get $c31)))
            (local.set $x (v128.load32_splat (i32.add (local.get $pa) (local.get $s4))))
            (local.set $c40 (f32x4.relaxed_madd (local.get $x) (local.get $b0) (local.get $c40)))
            (local.set $c41 (f32x4.relaxed_madd (local.get $x) (local.get $b1) (local.get $c41)))
            (local.set $x (v128.load32_splat (i32.add (local.get $pa) (local.get $s5))))
            (local.set $c50 (f32x4.relaxed_madd (local.get $x) (local.get $b0) (local.get $c50)))
            (local.set $c51 (f32x4.relaxed_madd (local.get $x) (local.get $b1) (local.get $c51)))
            (local.set $pa (i32.add (local.get $pa) (local.get $aStride)))
            (local.set $pb (i32.add (local.get $pb) (local.get $bStride)))
            (local.set $i (i32.sub (local.get $i) (i32.const 1)))
            (br $pLoop)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $kLoop)))
        (v128.store (local.get $r0) (local.get $c00))
        (v128.store offset=16 (local.get $r0) (local.get $c01))
        (v128.store (local.get $r1) (local.get $c10))
        (v128.store offset=16 (local.get $r1) (local.get $c11))
        (v128.store (local.get $r2) (local.get $c20))
        (v128.store offset=16 (local.get $r2) (local.get $c21))
        (v128.store (local.get $r3) (local.get $c30))
        (v128.store offset=16 (local.get $r3) (local.get $c31))
        (v128.store (local.get $r4) (local.get $c40))
        (v128.store offset=16 (local.get $r4) (local.get $c41))
        (v128.store (local.get $r5) (local.get $c50))
        (v128.store offset=16 (local.get $r5) (local.get $c51))
        (local.set $nt (i32.add (local.get $nt) (i32.const 1)))
        (br $nLoop)))
      (local.set $mt (i32.add (local.get $mt) (i32.const 1)))
      (br $mLoop))))

    ;; C[j] += sum over p < count of A[p, j] * B[p, j] for j < 16 * blocks (a depthwise filter tap's gradient over
  ;; a run of pixels). A[p, j] is at a + p * aStride + 4 * j, B[p, j] at b + p * bStride + 4 * j, C[j] at c + 4 * j.
  (func $accumulateProducts
    (param $a i32) (param $aStride i32) (param $b i32) (param $bStride i32) (param $count i32)
    (param $c i32) (param $blocks i32)
    (local $blk i32) (local $i i32) (local $pa i32) (local $pb i32) (local $pc i32)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128)
    (local.set $blk (i32.const 0))
    (block $blkDone (loop $blkLoop
      (br_if $blkDone (i32.ge_u (local.get $blk) (local.get $blocks)))
      (local.set $pc (i32.add (local.get $c) (i32.shl (local.get $blk) (i32.const 6))))
      (local.set $c0 (v128.load (local.get $pc)))
      (local.set $c1 (v128.load offset=16 (local.get $pc)))
      (local.set $c2 (v128.load offset=32 (local.get $pc)))
      (local.set $c3 (v128.load offset=48 (local.get $pc)))
      (local.set $pa (i32.add (local.get $a) (i32.shl (local.get $blk) (i32.const 6))))
      (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $blk) (i32.const 6))))
      (local.set $i (local.get $count))
      (block $pDone (loop $pLoop
        (br_if $pDone (i32.eqz (local.get $i)))
        (local.set $c0 (f32x4.relaxed_madd (v128.load (local.get $pa)) (v128.load (local.get $pb)) (local.get $c0)))
        (local.set $c1
          (f32x4.relaxed_madd (v128.load offset=16 (local.get $pa)) (v128.load offset=16 (local.get $pb)) (local.get $c1)))
        (local.set $c2
          (f32x4.relaxed_madd (v128.load offset=32 (local.get $pa)) (v128.load offset=32 (local.get $pb)) (local.get $c2)))
        (local.set $c3
          (f32x4.relaxed_madd (v128.load offset=48 (local.get $pa)) (v128.load offset=48 (local.get $pb)) (local.get $c3)))
        (local.set $pa (i32.add (local.get $pa) (local.get $aStride)))
        (local.set $pb (i32.add (local.get $pb) (local.get $bStride)))
        (local.set $i (i32.sub (local.get $i) (i32.const 1)))
        (br $pLoop)))
      (v128.store (local.get $pc) (local.get $c0))
      (v128.store offset=16 (local.get $pc) (local.get $c1))
      (v128.store offset=32 (local.get $pc) (local.get $c2))
      (v128.store offset=48 (local.get $pc) (local.get $c3))
      (local.set $blk (i32.add (local.get $blk) (i32.const 1)))
      (br $blkLoop))))

;; out[i] = dy[i] where 0 < y[i] < 6, else 0, for i < count: a ReLU6's input gradient from its output y.
  (func $relu6Backprop (param $y i32) (param $dy i32) (param $out i32) (param $count i32)
    (local $end i32) (local $vectorEnd i32) (local $v v128) (local $f f32)
    (local.set $end (i32.add (local.get $y) (i32.shl (local.get $count) (i32.const 2))))
    (local.set $vectorEnd (i32.add (local.get $y) (i32.shl (i32.and (local.get $count) (i32.const -4)) (i32.const 2))))
    (block $vDone (loop $vLoop
      (br_if $vDone (i32.ge_u (local.get $y) (local.get $vectorEnd)))
      (local.set $v (v128.load (local.get $y)))
      (v128.store (local.get $out) (v128.and (v128.load (local.get $dy))
        (v128.and (f32x4.gt (local.get $v) (f32x4.splat (f32.const 0))) (f32x4.lt (local.get $v) (f32x4.splat (f32.const 6))))))
      (local.set $y (i32.add (local.get $y) (i32.const 16)))
      (local.set $dy (i32.add (local.get $dy) (i32.const 16)))
      (local.set $out (i32.add (local.get $out) (i32.const 16)))
      (br $vLoop)))
    (block $done (loop $loop
      (br_if $done (i32.ge_u (local.get $y) (local.get $end)))
      (local.set $f (f32.load (local.get $y)))
      (f32.store (local.get $out) (select (f32.load (local.get $dy)) (f32.const 0)
        (i32.and (f32.gt (local.get $f) (f32.const 0)) (f32.lt (local.get $f) (f32.const 6)))))
      (local.set $y (i32.add (local.get $y) (i32.const 4)))
      (local.set $dy (i32.add (local.get $dy) (i32.const 4)))
      (local.set $out (i32.add (local.get $out) (i32.const 4)))
      (br $loop))))

  ;; out[i] = x[i] * (min(max(x[i] + 3, 0), 6) * scale) for i < count, scale given as its f32 bits: hard-swish, operation
  ;; for operation as four tfjs ops compute it (lib/runtime/hard_swish.ts), so the values are the same bit for bit.
  (func $hardSwish (param $x i32) (param $out i32) (param $count i32) (param $scaleBits i32)
    (local $end i32) (local $vectorEnd i32) (local $v v128) (local $scale v128) (local $f f32)
    (local.set $scale (f32x4.splat (f32.reinterpret_i32 (local.get $scaleBits))))
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $count) (i32.const 2))))
    (local.set $vectorEnd (i32.add (local.get $x) (i32.shl (i32.and (local.get $count) (i32.const -4)) (i32.const 2))))
    (block $vDone (loop $vLoop
      (br_if $vDone (i32.ge_u (local.get $x) (local.get $vectorEnd)))
      (local.set $v (v128.load (local.get $x)))
      (v128.store (local.get $out) (f32x4.mul (local.get $v) (f32x4.mul (local.get $scale)
        (f32x4.min (f32x4.max (f32x4.add (local.get $v) (f32x4.splat (f32.const 3))) (f32x4.splat (f32.const 0)))
          (f32x4.splat (f32.const 6))))))
      (local.set $x (i32.add (local.get $x) (i32.const 16)))
      (local.set $out (i32.add (local.get $out) (i32.const 16)))
      (br $vLoop)))
    (block $done (loop $loop
      (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
      (local.set $f (f32.load (local.get $x)))
      (f32.store (local.get $out) (f32.mul (local.get $f) (f32.mul (f32x4.extract_lane 0 (local.get $scale))
        (f32.min (f32.max (f32.add (local.get $f) (f32.const 3)) (f32.const 0)) (f32.const 6)))))
      (local.set $x (i32.add (local.get $x) (i32.const 4)))
      (local.set $out (i32.add (local.get $out) (i32.const 4)))
      (br $loop))))

  ;; e^x in each lane for x <= 0 (relative error ~1e-7; x below -87 counts as -87, e^-87 ~ 1.6e-38):
  ;; x = k ln2 + r, |r| <= ln2 / 2, e^r by its Taylor polynomial to r^6, 2^k from the exponent bits.
  (func $exp4 (param $x v128) (result v128)
    (local $k v128) (local $r v128) (local $p v128)
    (local.set $x (f32x4.max (local.get $x) (f32x4.splat (f32.const -87))))
    (local.set $k (f32x4.nearest (f32x4.mul (local.get $x) (f32x4.splat (f32.const 1.44269504)))))
    (local.set $r (f32x4.sub
      (f32x4.sub (local.get $x) (f32x4.mul (local.get $k) (f32x4.splat (f32.const 0.693359375))))
      (f32x4.mul (local.get $k) (f32x4.splat (f32.const -2.12194440e-4)))))
    (local.set $p (f32x4.splat (f32.const 0.00138888889)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 0.00833333333))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 0.0416666667))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 0.166666667))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 0.5))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 1))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 1))))
    (f32x4.mul (local.get $p)
      (i32x4.shl (i32x4.add (i32x4.trunc_sat_f32x4_s (local.get $k)) (i32x4.splat (i32.const 127))) (i32.const 23))))

  ;; softmaxCrossEntropy (below) for 4 pixels at once, a pixel per lane: z, grad at 4 * classes bytes per pixel.
  (func $softmaxCrossEntropy4
    (param $z i32) (param $labels i32) (param $grad i32) (param $sum i32) (param $offset i32) (param $classes i32)
    (local $row i32) (local $o i32) (local $end i32) (local $k i32)
    (local $z0 i32) (local $z1 i32) (local $z2 i32) (local $z3 i32)
    (local $g0 i32) (local $g1 i32) (local $g2 i32) (local $g3 i32)
    (local $label v128) (local $valid v128) (local $max v128) (local $total v128) (local $e v128) (local $inv v128)
    (local $picked v128)
    (local.set $row (i32.shl (local.get $classes) (i32.const 2)))
    (local.set $end (local.get $row))
    (local.set $z0 (local.get $z))
    (local.set $z1 (i32.add (local.get $z0) (local.get $row)))
    (local.set $z2 (i32.add (local.get $z1) (local.get $row)))
    (local.set $z3 (i32.add (local.get $z2) (local.get $row)))
    (local.set $g0 (local.get $grad))
    (local.set $g1 (i32.add (local.get $g0) (local.get $row)))
    (local.set $g2 (i32.add (local.get $g1) (local.get $row)))
    (local.set $g3 (i32.add (local.get $g2) (local.get $row)))
    (local.set $label (v128.load (local.get $labels)))
    (local.set $valid (i32x4.lt_u (local.get $label) (i32x4.splat (local.get $classes))))
    ;; the largest logit of each pixel
    (local.set $max (f32x4.splat (f32.const -inf)))
    (local.set $o (i32.const 0))
    (block $mDone (loop $mLoop
      (br_if $mDone (i32.ge_u (local.get $o) (local.get $end)))
      (local.set $max (f32x4.max (local.get $max) (f32x4.replace_lane 3 (f32x4.replace_lane 2 (f32x4.replace_lane 1 (v128.load32_zero (i32.add (local.get $z0) (local.get $o))) (f32.load (i32.add (local.get $z1) (local.get $o)))) (f32.load (i32.add (local.get $z2) (local.get $o)))) (f32.load (i32.add (local.get $z3) (local.get $o))))))
      (local.set $o (i32.add (local.get $o) (i32.const 4)))
      (br $mLoop)))
    ;; e^(z - max) into grad, and their sums
    (local.set $total (f32x4.splat (f32.const 0)))
    (local.set $o (i32.const 0))
    (block $eDone (loop $eLoop
      (br_if $eDone (i32.ge_u (local.get $o) (local.get $end)))
      (local.set $e (call $exp4 (f32x4.sub (f32x4.replace_lane 3 (f32x4.replace_lane 2 (f32x4.replace_lane 1 (v128.load32_zero (i32.add (local.get $z0) (local.get $o))) (f32.load (i32.add (local.get $z1) (local.get $o)))) (f32.load (i32.add (local.get $z2) (local.get $o)))) (f32.load (i32.add (local.get $z3) (local.get $o)))) (local.get $max))))
            (f32.store (i32.add (local.get $g0) (local.get $o)) (f32x4.extract_lane 0 (local.get $e)))
            (f32.store (i32.add (local.get $g1) (local.get $o)) (f32x4.extract_lane 1 (local.get $e)))
            (f32.store (i32.add (local.get $g2) (local.get $o)) (f32x4.extract_lane 2 (local.get $e)))
            (f32.store (i32.add (local.get $g3) (local.get $o)) (f32x4.extract_lane 3 (local.get $e)))
      (local.set $total (f32x4.add (local.get $total) (local.get $e)))
      (local.set $o (i32.add (local.get $o) (i32.const 4)))
      (br $eLoop)))
    ;; grad = softmax - onehot(label), zero for ignored pixels
    (local.set $inv (f32x4.div (f32x4.splat (f32.const 1)) (local.get $total)))
    (local.set $o (i32.const 0))
    (local.set $k (i32.const 0))
    (block $gDone (loop $gLoop
      (br_if $gDone (i32.ge_u (local.get $o) (local.get $end)))
      (local.set $e (v128.and (local.get $valid) (f32x4.sub (f32x4.mul (f32x4.replace_lane 3 (f32x4.replace_lane 2 (f32x4.replace_lane 1 (v128.load32_zero (i32.add (local.get $g0) (local.get $o))) (f32.load (i32.add (local.get $g1) (local.get $o)))) (f32.load (i32.add (local.get $g2) (local.get $o)))) (f32.load (i32.add (local.get $g3) (local.get $o)))) (local.get $inv))
        (v128.and (i32x4.eq (local.get $label) (i32x4.splat (local.get $k))) (f32x4.splat (f32.const 1))))))
            (f32.store (i32.add (local.get $g0) (local.get $o)) (f32x4.extract_lane 0 (local.get $e)))
            (f32.store (i32.add (local.get $g1) (local.get $o)) (f32x4.extract_lane 1 (local.get $e)))
            (f32.store (i32.add (local.get $g2) (local.get $o)) (f32x4.extract_lane 2 (local.get $e)))
            (f32.store (i32.add (local.get $g3) (local.get $o)) (f32x4.extract_lane 3 (local.get $e)))
      (local.set $o (i32.add (local.get $o) (i32.const 4)))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $gLoop)))
    ;; z at each pixel's label (offset 0 for ignored pixels)
    (local.set $picked (f32x4.replace_lane 3 (f32x4.replace_lane 2 (f32x4.replace_lane 1
      (v128.load32_zero (i32.add (local.get $z0) (i32.shl (select (i32x4.extract_lane 0 (local.get $label)) (i32.const 0) (i32x4.extract_lane 0 (local.get $valid))) (i32.const 2))))
      (f32.load (i32.add (local.get $z1) (i32.shl (select (i32x4.extract_lane 1 (local.get $label)) (i32.const 0) (i32x4.extract_lane 1 (local.get $valid))) (i32.const 2)))))
      (f32.load (i32.add (local.get $z2) (i32.shl (select (i32x4.extract_lane 2 (local.get $label)) (i32.const 0) (i32x4.extract_lane 2 (local.get $valid))) (i32.const 2)))))
      (f32.load (i32.add (local.get $z3) (i32.shl (select (i32x4.extract_lane 3 (local.get $label)) (i32.const 0) (i32x4.extract_lane 3 (local.get $valid))) (i32.const 2))))))
    (v128.store (local.get $sum) (v128.bitselect (local.get $total) (f32x4.splat (f32.const 1)) (local.get $valid)))
    (v128.store (local.get $offset) (v128.and (local.get $valid) (f32x4.sub (local.get $max) (local.get $picked)))))

  ;; Softmax cross-entropy of `count` pixels of `classes` logits (z at z + 4 * classes * p) against int32 labels
  ;; (labels outside 0..classes-1 are ignored). Writes the gradient softmax(z) - onehot(label) (zeros when
  ;; ignored), and sum[p] = sum_k e^(z_k - max z), offset[p] = max z - z_label (1 and 0 when ignored), so that the
  ;; pixel's loss is log(sum[p]) + offset[p].
  (func $softmaxCrossEntropy
    (param $z i32) (param $labels i32) (param $grad i32) (param $sum i32) (param $offset i32)
    (param $count i32) (param $classes i32)
    (local $p i32) (local $k i32) (local $label i32) (local $max f32) (local $total f32) (local $e f32)
    (local $row i32) (local $pixels4 i32)
    ;; four pixels at a time, then one at a time
    (local.set $pixels4 (i32.shl (local.get $classes) (i32.const 4)))
    (block $vDone (loop $vLoop
      (br_if $vDone (i32.lt_u (i32.sub (local.get $count) (local.get $p)) (i32.const 4)))
      (call $softmaxCrossEntropy4 (local.get $z) (local.get $labels) (local.get $grad) (local.get $sum)
        (local.get $offset) (local.get $classes))
      (local.set $z (i32.add (local.get $z) (local.get $pixels4)))
      (local.set $grad (i32.add (local.get $grad) (local.get $pixels4)))
      (local.set $labels (i32.add (local.get $labels) (i32.const 16)))
      (local.set $sum (i32.add (local.get $sum) (i32.const 16)))
      (local.set $offset (i32.add (local.get $offset) (i32.const 16)))
      (local.set $p (i32.add (local.get $p) (i32.const 4)))
      (br $vLoop)))
    (block $pDone (loop $pLoop
      (br_if $pDone (i32.ge_u (local.get $p) (local.get $count)))
      (local.set $label (i32.load (local.get $labels)))
      (if (i32.ge_u (local.get $label) (local.get $classes))
        (then
          (memory.fill (local.get $grad) (i32.const 0) (i32.shl (local.get $classes) (i32.const 2)))
          (f32.store (local.get $sum) (f32.const 1))
          (f32.store (local.get $offset) (f32.const 0)))
        (else
          (local.set $max (f32.load (local.get $z)))
          (local.set $k (i32.const 1))
          (block $mDone (loop $mLoop
            (br_if $mDone (i32.ge_u (local.get $k) (local.get $classes)))
            (local.set $max (f32.max (local.get $max) (f32.load (i32.add (local.get $z) (i32.shl (local.get $k) (i32.const 2))))))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $mLoop)))
          (local.set $total (f32.const 0))
          (local.set $k (i32.const 0))
          (block $eDone (loop $eLoop
            (br_if $eDone (i32.ge_u (local.get $k) (local.get $classes)))
            (local.set $row (i32.shl (local.get $k) (i32.const 2)))
            (local.set $e (f32x4.extract_lane 0 (call $exp4 (f32x4.splat
              (f32.sub (f32.load (i32.add (local.get $z) (local.get $row))) (local.get $max))))))
            (f32.store (i32.add (local.get $grad) (local.get $row)) (local.get $e))
            (local.set $total (f32.add (local.get $total) (local.get $e)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $eLoop)))
          (local.set $e (f32.div (f32.const 1) (local.get $total)))
          (local.set $k (i32.const 0))
          (block $gDone (loop $gLoop
            (br_if $gDone (i32.ge_u (local.get $k) (local.get $classes)))
            (local.set $row (i32.add (local.get $grad) (i32.shl (local.get $k) (i32.const 2))))
            (f32.store (local.get $row) (f32.sub (f32.mul (f32.load (local.get $row)) (local.get $e))
              (select (f32.const 1) (f32.const 0) (i32.eq (local.get $k) (local.get $label)))))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $gLoop)))
          (f32.store (local.get $sum) (local.get $total))
          (f32.store (local.get $offset) (f32.sub (local.get $max)
            (f32.load (i32.add (local.get $z) (i32.shl (local.get $label) (i32.const 2))))))))
      (local.set $z (i32.add (local.get $z) (i32.shl (local.get $classes) (i32.const 2))))
      (local.set $grad (i32.add (local.get $grad) (i32.shl (local.get $classes) (i32.const 2))))
      (local.set $labels (i32.add (local.get $labels) (i32.const 4)))
      (local.set $sum (i32.add (local.get $sum) (i32.const 4)))
      (local.set $offset (i32.add (local.get $offset) (i32.const 4)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $pLoop))))

  ;; Runs `count` calls of kernel number `kernel` (pool_control.ts: KERNELS) whose i32 arguments lie thirteen to a row
  ;; from `table` on (a kernel taking fewer ignores the rest of its row).
  (func (export "runTable") (param $kernel i32) (param $table i32) (param $count i32)
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $count)))
      (block $call
        (block $k4 (block $k3 (block $k2 (block $k1 (block $k0
          (br_table $k0 $k1 $k2 $k3 $k4 $call (local.get $kernel)))
          (call $accumulate
            (i32.load offset=0 (local.get $table)) (i32.load offset=4 (local.get $table))
            (i32.load offset=8 (local.get $table)) (i32.load offset=12 (local.get $table))
            (i32.load offset=16 (local.get $table)) (i32.load offset=20 (local.get $table))
            (i32.load offset=24 (local.get $table)) (i32.load offset=28 (local.get $table))
            (i32.load offset=32 (local.get $table)) (i32.load offset=36 (local.get $table))
            (i32.load offset=40 (local.get $table)) (i32.load offset=44 (local.get $table))
            (i32.load offset=48 (local.get $table)))
          (br $call))
          (call $accumulateProducts
            (i32.load offset=0 (local.get $table)) (i32.load offset=4 (local.get $table))
            (i32.load offset=8 (local.get $table)) (i32.load offset=12 (local.get $table))
            (i32.load offset=16 (local.get $table)) (i32.load offset=20 (local.get $table))
            (i32.load offset=24 (local.get $table)))
          (br $call))
          (call $relu6Backprop
            (i32.load offset=0 (local.get $table)) (i32.load offset=4 (local.get $table))
            (i32.load offset=8 (local.get $table)) (i32.load offset=12 (local.get $table)))
          (br $call))
          (call $softmaxCrossEntropy
            (i32.load offset=0 (local.get $table)) (i32.load offset=4 (local.get $table))
            (i32.load offset=8 (local.get $table)) (i32.load offset=12 (local.get $table))
            (i32.load offset=16 (local.get $table)) (i32.load offset=20 (local.get $table))
            (i32.load offset=24 (local.get $table)))
          (br $call))
        (call $hardSwish
          (i32.load offset=0 (local.get $table)) (i32.load offset=4 (local.get $table))
          (i32.load offset=8 (local.get $table)) (i32.load offset=12 (local.get $table))))
      (local.set $table (i32.add (local.get $table) (i32.const 52)))
      (local.set $count (i32.sub (local.get $count) (i32.const 1)))
      (br $next))))
)
