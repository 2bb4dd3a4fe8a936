;; The resample kernels of harness/stats/shared-resamples.ts in WebAssembly
;; SIMD: each unit's four interleaved values are two f64x2 pairs, so one
;; index costs two vector loads and two vector adds instead of four of each.
;; Every lane is summed in exactly the order of the JavaScript kernels (IEEE
;; adds, one lane per accumulator), so the results are the same bits as the
;; scalar kernels they replaced (test/harness/stats/old-kernels.ts).
;; Compiled to resample-kernels.wasm by `npm run wasm` (wabt); a test checks the
;; committed binary is this text compiled.
(module
  (memory (export "memory") 1)

  ;; out[4r .. 4r + 3] = the means of resample r of the four vectors interleaved
  ;; at x (32 bytes per unit), in the mean kernel's four-accumulator order.
  ;; buf, start, main: the block's indices and bounds (i32); all byte offsets.
  (func (export "means4")
    (param $buf i32) (param $start i32) (param $main i32) (param $count i32)
    (param $x i32) (param $out i32) (param $n f64)
    (local $r i32) (local $p i32) (local $m i32) (local $end i32) (local $q i32) (local $d i32)
    (local $nv v128)
    (local $A0 v128) (local $C0 v128) (local $A1 v128) (local $C1 v128)
    (local $A2 v128) (local $C2 v128) (local $A3 v128) (local $C3 v128)
    (local.set $nv (f64x2.splat (local.get $n)))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $count)))
        (local.set $A0 (v128.const i64x2 0 0))
        (local.set $C0 (v128.const i64x2 0 0))
        (local.set $A1 (v128.const i64x2 0 0))
        (local.set $C1 (v128.const i64x2 0 0))
        (local.set $A2 (v128.const i64x2 0 0))
        (local.set $C2 (v128.const i64x2 0 0))
        (local.set $A3 (v128.const i64x2 0 0))
        (local.set $C3 (v128.const i64x2 0 0))
        (local.set $q (i32.add (local.get $start) (i32.shl (local.get $r) (i32.const 2))))
        (local.set $p (i32.load (local.get $q)))
        (local.set $end (i32.load offset=4 (local.get $q)))
        (local.set $m (i32.load (i32.add (local.get $main) (i32.shl (local.get $r) (i32.const 2)))))
        (block $main_done
          (loop $main
            (br_if $main_done (i32.ge_s (local.get $p) (local.get $m)))
            (local.set $q (i32.add (local.get $buf) (i32.shl (local.get $p) (i32.const 2))))
            (local.set $d (i32.add (local.get $x) (i32.shl (i32.load offset=0 (local.get $q)) (i32.const 5))))
            (local.set $A0 (f64x2.add (local.get $A0) (v128.load (local.get $d))))
            (local.set $C0 (f64x2.add (local.get $C0) (v128.load offset=16 (local.get $d))))
            (local.set $d (i32.add (local.get $x) (i32.shl (i32.load offset=4 (local.get $q)) (i32.const 5))))
            (local.set $A1 (f64x2.add (local.get $A1) (v128.load (local.get $d))))
            (local.set $C1 (f64x2.add (local.get $C1) (v128.load offset=16 (local.get $d))))
            (local.set $d (i32.add (local.get $x) (i32.shl (i32.load offset=8 (local.get $q)) (i32.const 5))))
            (local.set $A2 (f64x2.add (local.get $A2) (v128.load (local.get $d))))
            (local.set $C2 (f64x2.add (local.get $C2) (v128.load offset=16 (local.get $d))))
            (local.set $d (i32.add (local.get $x) (i32.shl (i32.load offset=12 (local.get $q)) (i32.const 5))))
            (local.set $A3 (f64x2.add (local.get $A3) (v128.load (local.get $d))))
            (local.set $C3 (f64x2.add (local.get $C3) (v128.load offset=16 (local.get $d))))
            (local.set $p (i32.add (local.get $p) (i32.const 4)))
            (br $main)))
        (block $tail_done
          (loop $tail
            (br_if $tail_done (i32.ge_s (local.get $p) (local.get $end)))
            (local.set $q (i32.add (local.get $buf) (i32.shl (local.get $p) (i32.const 2))))
            (local.set $d (i32.add (local.get $x) (i32.shl (i32.load offset=0 (local.get $q)) (i32.const 5))))
            (local.set $A0 (f64x2.add (local.get $A0) (v128.load (local.get $d))))
            (local.set $C0 (f64x2.add (local.get $C0) (v128.load offset=16 (local.get $d))))
            (local.set $d (i32.add (local.get $x) (i32.shl (i32.load offset=4 (local.get $q)) (i32.const 5))))
            (local.set $A1 (f64x2.add (local.get $A1) (v128.load (local.get $d))))
            (local.set $C1 (f64x2.add (local.get $C1) (v128.load offset=16 (local.get $d))))
            (local.set $p (i32.add (local.get $p) (i32.const 2)))
            (br $tail)))
        (local.set $q (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 5))))
        (v128.store (local.get $q)
          (f64x2.div
            (f64x2.add (f64x2.add (local.get $A0) (local.get $A1)) (f64x2.add (local.get $A2) (local.get $A3)))
            (local.get $nv)))
        (v128.store offset=16 (local.get $q)
          (f64x2.div
            (f64x2.add (f64x2.add (local.get $C0) (local.get $C1)) (f64x2.add (local.get $C2) (local.get $C3)))
            (local.get $nv)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows))))

  ;; out[4r .. 4r + 3] = the left-to-right sums, in draw order, of resample r
  ;; of the four vectors interleaved at x.
  (func (export "sums4")
    (param $buf i32) (param $start i32) (param $count i32) (param $x i32) (param $out i32)
    (local $r i32) (local $p i32) (local $end i32) (local $q i32) (local $d i32)
    (local $S v128) (local $T v128)
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $count)))
        (local.set $S (v128.const i64x2 0 0))
        (local.set $T (v128.const i64x2 0 0))
        (local.set $q (i32.add (local.get $start) (i32.shl (local.get $r) (i32.const 2))))
        (local.set $p (i32.load (local.get $q)))
        (local.set $end (i32.load offset=4 (local.get $q)))
        (block $done
          (loop $each
            (br_if $done (i32.ge_s (local.get $p) (local.get $end)))
            (local.set $d (i32.add (local.get $x)
              (i32.shl (i32.load (i32.add (local.get $buf) (i32.shl (local.get $p) (i32.const 2)))) (i32.const 5))))
            (local.set $S (f64x2.add (local.get $S) (v128.load (local.get $d))))
            (local.set $T (f64x2.add (local.get $T) (v128.load offset=16 (local.get $d))))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $each)))
        (local.set $q (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 5))))
        (v128.store (local.get $q) (local.get $S))
        (v128.store offset=16 (local.get $q) (local.get $T))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows)))))
