;; The inner loop of a linear map (`apply-linear.ts`): sums[k] += a_i * m[r_i + k] for each
;; non-zero input i, eight rows at a time, four outputs per step in float32 lanes. Every lane adds in
;; the order the JavaScript loop does (sums + a0*m0 + a1*m1 + ... + a7*m7, each product and sum
;; rounded to float32 on its own: there is no fused multiply-add in either), so the results are
;; bit-identical.
;; Build: `node tools/wasm/build-linear-kernel.mjs` (writes src/linear-kernel-wasm.ts).
(module
  (memory (export "memory") 1)

  ;; $m: byte offset of the float32 matrix; $rows: int32 element offsets of the used rows (j * outputs);
  ;; $values: their float32 inputs; $n: how many; $sums: float32 outputs, already holding the bias;
  ;; $outputs: the row length, a multiple of four.
  (func (export "accumulate")
    (param $m i32) (param $rows i32) (param $values i32) (param $n i32) (param $sums i32) (param $outputs i32)
    (local $t i32) (local $k i32) (local $s v128) (local $sp i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $a4 v128) (local $a5 v128) (local $a6 v128) (local $a7 v128)
    (local $p0 i32) (local $p1 i32) (local $p2 i32) (local $p3 i32) (local $p4 i32) (local $p5 i32) (local $p6 i32) (local $p7 i32)
    ;; Groups of eight rows.
    (block $groups_done
      (loop $groups
        (br_if $groups_done (i32.gt_s (i32.add (local.get $t) (i32.const 8)) (local.get $n)))
        (local.set $a0 (f32x4.splat (f32.load (i32.add (local.get $values) (i32.shl (i32.add (local.get $t) (i32.const 0)) (i32.const 2))))))
        (local.set $p0 (i32.add (local.get $m) (i32.shl (i32.load (i32.add (local.get $rows) (i32.shl (i32.add (local.get $t) (i32.const 0)) (i32.const 2)))) (i32.const 2))))
        (local.set $a1 (f32x4.splat (f32.load (i32.add (local.get $values) (i32.shl (i32.add (local.get $t) (i32.const 1)) (i32.const 2))))))
        (local.set $p1 (i32.add (local.get $m) (i32.shl (i32.load (i32.add (local.get $rows) (i32.shl (i32.add (local.get $t) (i32.const 1)) (i32.const 2)))) (i32.const 2))))
        (local.set $a2 (f32x4.splat (f32.load (i32.add (local.get $values) (i32.shl (i32.add (local.get $t) (i32.const 2)) (i32.const 2))))))
        (local.set $p2 (i32.add (local.get $m) (i32.shl (i32.load (i32.add (local.get $rows) (i32.shl (i32.add (local.get $t) (i32.const 2)) (i32.const 2)))) (i32.const 2))))
        (local.set $a3 (f32x4.splat (f32.load (i32.add (local.get $values) (i32.shl (i32.add (local.get $t) (i32.const 3)) (i32.const 2))))))
        (local.set $p3 (i32.add (local.get $m) (i32.shl (i32.load (i32.add (local.get $rows) (i32.shl (i32.add (local.get $t) (i32.const 3)) (i32.const 2)))) (i32.const 2))))
        (local.set $a4 (f32x4.splat (f32.load (i32.add (local.get $values) (i32.shl (i32.add (local.get $t) (i32.const 4)) (i32.const 2))))))
        (local.set $p4 (i32.add (local.get $m) (i32.shl (i32.load (i32.add (local.get $rows) (i32.shl (i32.add (local.get $t) (i32.const 4)) (i32.const 2)))) (i32.const 2))))
        (local.set $a5 (f32x4.splat (f32.load (i32.add (local.get $values) (i32.shl (i32.add (local.get $t) (i32.const 5)) (i32.const 2))))))
        (local.set $p5 (i32.add (local.get $m) (i32.shl (i32.load (i32.add (local.get $rows) (i32.shl (i32.add (local.get $t) (i32.const 5)) (i32.const 2)))) (i32.const 2))))
        (local.set $a6 (f32x4.splat (f32.load (i32.add (local.get $values) (i32.shl (i32.add (local.get $t) (i32.const 6)) (i32.const 2))))))
        (local.set $p6 (i32.add (local.get $m) (i32.shl (i32.load (i32.add (local.get $rows) (i32.shl (i32.add (local.get $t) (i32.const 6)) (i32.const 2)))) (i32.const 2))))
        (local.set $a7 (f32x4.splat (f32.load (i32.add (local.get $values) (i32.shl (i32.add (local.get $t) (i32.const 7)) (i32.const 2))))))
        (local.set $p7 (i32.add (local.get $m) (i32.shl (i32.load (i32.add (local.get $rows) (i32.shl (i32.add (local.get $t) (i32.const 7)) (i32.const 2)))) (i32.const 2))))
        (local.set $k (i32.const 0))
        (local.set $sp (local.get $sums))
        (block $cols_done
          (loop $cols
            (br_if $cols_done (i32.ge_s (local.get $k) (local.get $outputs)))
            (local.set $s (v128.load (local.get $sp)))
            (local.set $s (f32x4.add (local.get $s) (f32x4.mul (local.get $a0) (v128.load (local.get $p0)))))
            (local.set $s (f32x4.add (local.get $s) (f32x4.mul (local.get $a1) (v128.load (local.get $p1)))))
            (local.set $s (f32x4.add (local.get $s) (f32x4.mul (local.get $a2) (v128.load (local.get $p2)))))
            (local.set $s (f32x4.add (local.get $s) (f32x4.mul (local.get $a3) (v128.load (local.get $p3)))))
            (local.set $s (f32x4.add (local.get $s) (f32x4.mul (local.get $a4) (v128.load (local.get $p4)))))
            (local.set $s (f32x4.add (local.get $s) (f32x4.mul (local.get $a5) (v128.load (local.get $p5)))))
            (local.set $s (f32x4.add (local.get $s) (f32x4.mul (local.get $a6) (v128.load (local.get $p6)))))
            (local.set $s (f32x4.add (local.get $s) (f32x4.mul (local.get $a7) (v128.load (local.get $p7)))))
            (v128.store (local.get $sp) (local.get $s))
            (local.set $p0 (i32.add (local.get $p0) (i32.const 16)))
            (local.set $p1 (i32.add (local.get $p1) (i32.const 16)))
            (local.set $p2 (i32.add (local.get $p2) (i32.const 16)))
            (local.set $p3 (i32.add (local.get $p3) (i32.const 16)))
            (local.set $p4 (i32.add (local.get $p4) (i32.const 16)))
            (local.set $p5 (i32.add (local.get $p5) (i32.const 16)))
            (local.set $p6 (i32.add (local.get $p6) (i32.const 16)))
            (local.set $p7 (i32.add (local.get $p7) (i32.const 16)))
            (local.set $sp (i32.add (local.get $sp) (i32.const 16)))
            (local.set $k (i32.add (local.get $k) (i32.const 4)))
            (br $cols)))
        (local.set $t (i32.add (local.get $t) (i32.const 8)))
        (br $groups)))
    ;; The rows left over, one at a time.
    (block $rest_done
      (loop $rest
        (br_if $rest_done (i32.ge_s (local.get $t) (local.get $n)))
        (local.set $a0 (f32x4.splat (f32.load (i32.add (local.get $values) (i32.shl (local.get $t) (i32.const 2))))))
        (local.set $p0 (i32.add (local.get $m) (i32.shl (i32.load (i32.add (local.get $rows) (i32.shl (local.get $t) (i32.const 2)))) (i32.const 2))))
        (local.set $k (i32.const 0))
        (local.set $sp (local.get $sums))
        (block $cols1_done
          (loop $cols1
            (br_if $cols1_done (i32.ge_s (local.get $k) (local.get $outputs)))
            (v128.store (local.get $sp) (f32x4.add (v128.load (local.get $sp)) (f32x4.mul (local.get $a0) (v128.load (local.get $p0)))))
            (local.set $p0 (i32.add (local.get $p0) (i32.const 16)))
            (local.set $sp (i32.add (local.get $sp) (i32.const 16)))
            (local.set $k (i32.add (local.get $k) (i32.const 4)))
            (br $cols1)))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $rest)))))
