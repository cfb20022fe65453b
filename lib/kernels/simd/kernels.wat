;; SIMD kernels of lib/kernels/simd: WebAssembly text, assembled at run time by module.ts (wabt).
;; Every address is a byte offset into the shared memory the module imports; every matrix is float32, row-major.
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; C[m, n] += sum over p < count of A[p, m] * B[p, n], for m < 4 * mTiles and n < 8 * nTiles.
  ;; A[p, m] is at a + p * aStride + 4 * m, B[p, n] at b + p * bStride + 4 * n, C[m, n] at c + m * cStride + 4 * n.
  ;; Each 4 x 8 tile of C stays in eight registers while p runs over the whole segment (fused multiply-adds).
  (func $accumulate
    (param $a i32) (param $aStride i32) (param $b i32) (param $bStride i32) (param $count i32)
    (param $c i32) (param $cStride i32) (param $mTiles i32) (param $nTiles i32)
    (local $mt i32) (local $nt i32) (local $i i32) (local $pa i32) (local $pb i32)
    (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $b0 v128) (local $b1 v128) (local $x v128)
    (local.set $mt (i32.const 0))
    (block $mDone (loop $mLoop
      (br_if $mDone (i32.ge_u (local.get $mt) (local.get $mTiles)))
      (local.set $nt (i32.const 0))
      (block $nDone (loop $nLoop
        (br_if $nDone (i32.ge_u (local.get $nt) (local.get $nTiles)))
        ;; the tile's four rows of C
        (local.set $r0 (i32.add
          (i32.add (local.get $c) (i32.mul (i32.shl (local.get $mt) (i32.const 2)) (local.get $cStride)))
          (i32.shl (local.get $nt) (i32.const 5))))
        (local.set $r1 (i32.add (local.get $r0) (local.get $cStride)))
        (local.set $r2 (i32.add (local.get $r1) (local.get $cStride)))
        (local.set $r3 (i32.add (local.get $r2) (local.get $cStride)))
        (local.set $c00 (v128.load (local.get $r0)))
        (local.set $c01 (v128.load offset=16 (local.get $r0)))
        (local.set $c10 (v128.load (local.get $r1)))
        (local.set $c11 (v128.load offset=16 (local.get $r1)))
        (local.set $c20 (v128.load (local.get $r2)))
        (local.set $c21 (v128.load offset=16 (local.get $r2)))
        (local.set $c30 (v128.load (local.get $r3)))
        (local.set $c31 (v128.load offset=16 (local.get $r3)))
        (local.set $pa (i32.add (local.get $a) (i32.shl (local.get $mt) (i32.const 4))))
        (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $nt) (i32.const 5))))
        (local.set $i (local.get $count))
        (block $pDone (loop $pLoop
          (br_if $pDone (i32.eqz (local.get $i)))
          (local.set $b0 (v128.load (local.get $pb)))
          (local.set $b1 (v128.load offset=16 (local.get $pb)))
          (local.set $x (v128.load32_splat (local.get $pa)))
          (local.set $c00 (f32x4.relaxed_madd (local.get $x) (local.get $b0) (local.get $c00)))
          (local.set $c01 (f32x4.relaxed_madd (local.get $x) (local.get $b1) (local.get $c01)))
          (local.set $x (v128.load32_splat offset=4 (local.get $pa)))
          (local.set $c10 (f32x4.relaxed_madd (local.get $x) (local.get $b0) (local.get $c10)))
          (local.set $c11 (f32x4.relaxed_madd (local.get $x) (local.get $b1) (local.get $c11)))
          (local.set $x (v128.load32_splat offset=8 (local.get $pa)))
          (local.set $c20 (f32x4.relaxed_madd (local.get $x) (local.get $b0) (local.get $c20)))
          (local.set $c21 (f32x4.relaxed_madd (local.get $x) (local.get $b1) (local.get $c21)))
          (local.set $x (v128.load32_splat offset=12 (local.get $pa)))
          (local.set $c30 (f32x4.relaxed_madd (local.get $x) (local.get $b0) (local.get $c30)))
          (local.set $c31 (f32x4.relaxed_madd (local.get $x) (local.get $b1) (local.get $c31)))
          (local.set $pa (i32.add (local.get $pa) (local.get $aStride)))
          (local.set $pb (i32.add (local.get $pb) (local.get $bStride)))
          (local.set $i (i32.sub (local.get $i) (i32.const 1)))
          (br $pLoop)))
        (v128.store (local.get $r0) (local.get $c00))
        (v128.store offset=16 (local.get $r0) (local.get $c01))
        (v128.store (local.get $r1) (local.get $c10))
        (v128.store offset=16 (local.get $r1) (local.get $c11))
        (v128.store (local.get $r2) (local.get $c20))
        (v128.store offset=16 (local.get $r2) (local.get $c21))
        (v128.store (local.get $r3) (local.get $c30))
        (v128.store offset=16 (local.get $r3) (local.get $c31))
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

  ;; Runs `count` calls of kernel `kernel` (0: accumulate, 1: accumulateProducts, which takes the first seven
  ;; arguments) whose nine i32 arguments lie one after another from `table` on.
  (func (export "runTable") (param $kernel i32) (param $table i32) (param $count i32)
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $count)))
      (if (i32.eqz (local.get $kernel))
        (then (call $accumulate
          (i32.load offset=0 (local.get $table)) (i32.load offset=4 (local.get $table))
          (i32.load offset=8 (local.get $table)) (i32.load offset=12 (local.get $table))
          (i32.load offset=16 (local.get $table)) (i32.load offset=20 (local.get $table))
          (i32.load offset=24 (local.get $table)) (i32.load offset=28 (local.get $table))
          (i32.load offset=32 (local.get $table))))
        (else (call $accumulateProducts
          (i32.load offset=0 (local.get $table)) (i32.load offset=4 (local.get $table))
          (i32.load offset=8 (local.get $table)) (i32.load offset=12 (local.get $table))
          (i32.load offset=16 (local.get $table)) (i32.load offset=20 (local.get $table))
          (i32.load offset=24 (local.get $table)))))
      (local.set $table (i32.add (local.get $table) (i32.const 36)))
      (local.set $count (i32.sub (local.get $count) (i32.const 1)))
      (br $next))))
)
