// A step loop's small elementwise state update becomes vector arithmetic
// and the state a vector the loop carries (read once before the loop,
// written once after it); updates that are too large for the registers,
// not elementwise, of more than one dimension, or with operations that have
// no vector code are left alone.
// RUN: seq-opt %s -pass-pipeline='builtin.module(func.func(seq-step-state-in-registers{register-bytes=512},canonicalize,cse))' | FileCheck %s
// RUN: not seq-opt %s -pass-pipeline='builtin.module(func.func(seq-step-state-in-registers{register-bytes=-1}))' 2>&1 | FileCheck %s --check-prefix=BAD
// BAD: error: seq-step-state-in-registers: option 'register-bytes' must be at least 0, not -1

#id = affine_map<(d0) -> (d0)>

// h = a_t * h + b_t over 64 channels (256 bytes), each step also written
// to the output's row t.
// CHECK-LABEL: func.func @scan
// CHECK-SAME:    (%[[A:.*]]: tensor<100x64xf32>, %[[B:.*]]: tensor<100x64xf32>, %[[H0:.*]]: tensor<64xf32>
// CHECK:         %[[INIT:.*]] = vector.transfer_read %[[H0]]
// CHECK:         %[[LOOP:.*]]:2 = scf.for {{.*}} iter_args(%[[OUT:.*]] = %{{.*}}, %[[H:.*]] = %[[INIT]]) -> (tensor<100x64xf32>, vector<64xf32>)
// CHECK-NOT:       linalg.generic
// CHECK:           %[[AS:.*]] = tensor.extract_slice %[[A]]
// CHECK:           %[[BS:.*]] = tensor.extract_slice %[[B]]
// CHECK:           %[[AT:.*]] = vector.transfer_read %[[AS]]
// CHECK:           %[[BT:.*]] = vector.transfer_read %[[BS]]
// CHECK:           %[[MUL:.*]] = arith.mulf %[[AT]], %[[H]] : vector<64xf32>
// CHECK:           %[[ADD:.*]] = arith.addf %[[MUL]], %[[BT]] : vector<64xf32>
// CHECK:           %[[ROW:.*]] = vector.transfer_write %[[ADD]]
// CHECK:           %[[ROWS:.*]] = tensor.insert_slice %[[ROW]] into %[[OUT]]
// CHECK:           scf.yield %[[ROWS]], %[[ADD]] : tensor<100x64xf32>, vector<64xf32>
// CHECK:         %[[LAST:.*]] = vector.transfer_write %[[LOOP]]#1, %[[H0]]
// CHECK:         return %[[LOOP]]#0, %[[LAST]]
func.func @scan(%a: tensor<100x64xf32>, %b: tensor<100x64xf32>,
                %h0: tensor<64xf32>, %out: tensor<100x64xf32>)
    -> (tensor<100x64xf32>, tensor<64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c100 = arith.constant 100 : index
  %r:2 = scf.for %t = %c0 to %c100 step %c1 iter_args(%o = %out, %h = %h0)
      -> (tensor<100x64xf32>, tensor<64xf32>) {
    %at = tensor.extract_slice %a[%t, 0] [1, 64] [1, 1]
        : tensor<100x64xf32> to tensor<64xf32>
    %bt = tensor.extract_slice %b[%t, 0] [1, 64] [1, 1]
        : tensor<100x64xf32> to tensor<64xf32>
    %ot = tensor.extract_slice %o[%t, 0] [1, 64] [1, 1]
        : tensor<100x64xf32> to tensor<64xf32>
    %u:2 = linalg.generic
        {indexing_maps = [#id, #id, #id, #id],
         iterator_types = ["parallel"]}
        ins(%at, %bt : tensor<64xf32>, tensor<64xf32>)
        outs(%h, %ot : tensor<64xf32>, tensor<64xf32>) {
    ^bb0(%x: f32, %y: f32, %s: f32, %unused: f32):
      %m = arith.mulf %x, %s : f32
      %n = arith.addf %m, %y : f32
      linalg.yield %n, %n : f32, f32
    } -> (tensor<64xf32>, tensor<64xf32>)
    %w = tensor.insert_slice %u#1 into %o[%t, 0] [1, 64] [1, 1]
        : tensor<64xf32> into tensor<100x64xf32>
    scf.yield %w, %u#0 : tensor<100x64xf32>, tensor<64xf32>
  }
  return %r#0, %r#1 : tensor<100x64xf32>, tensor<64xf32>
}

// 256 channels (1 KiB) do not fit register-bytes = 512: left in memory.
// CHECK-LABEL: func.func @too_large
// CHECK:         scf.for {{.*}} -> (tensor<256xf32>)
// CHECK:           linalg.generic
// CHECK-NOT:     vector.
func.func @too_large(%a: tensor<256xf32>, %h0: tensor<256xf32>)
    -> tensor<256xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c100 = arith.constant 100 : index
  %r = scf.for %t = %c0 to %c100 step %c1 iter_args(%h = %h0)
      -> (tensor<256xf32>) {
    %u = linalg.generic
        {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
        ins(%a : tensor<256xf32>) outs(%h : tensor<256xf32>) {
    ^bb0(%x: f32, %s: f32):
      %m = arith.mulf %x, %s : f32
      linalg.yield %m : f32
    } -> tensor<256xf32>
    scf.yield %u : tensor<256xf32>
  }
  return %r : tensor<256xf32>
}

// math.log has no vector code on the CPU (a libm call per element).
// CHECK-LABEL: func.func @no_vector_code
// CHECK:         linalg.generic
// CHECK:           math.log
// CHECK-NOT:     vector.
func.func @no_vector_code(%h0: tensor<64xf32>) -> tensor<64xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c100 = arith.constant 100 : index
  %r = scf.for %t = %c0 to %c100 step %c1 iter_args(%h = %h0)
      -> (tensor<64xf32>) {
    %u = linalg.generic
        {indexing_maps = [#id], iterator_types = ["parallel"]}
        outs(%h : tensor<64xf32>) {
    ^bb0(%s: f32):
      %m = math.log %s : f32
      linalg.yield %m : f32
    } -> tensor<64xf32>
    scf.yield %u : tensor<64xf32>
  }
  return %r : tensor<64xf32>
}

// Two dimensions (8 x 8): left alone (n-D transfers need another lowering).
// CHECK-LABEL: func.func @two_dimensions
// CHECK:         linalg.generic
// CHECK-NOT:     vector.
#id2 = affine_map<(d0, d1) -> (d0, d1)>
func.func @two_dimensions(%h0: tensor<8x8xf32>) -> tensor<8x8xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c100 = arith.constant 100 : index
  %r = scf.for %t = %c0 to %c100 step %c1 iter_args(%h = %h0)
      -> (tensor<8x8xf32>) {
    %u = linalg.generic
        {indexing_maps = [#id2], iterator_types = ["parallel", "parallel"]}
        outs(%h : tensor<8x8xf32>) {
    ^bb0(%s: f32):
      %m = arith.mulf %s, %s : f32
      linalg.yield %m : f32
    } -> tensor<8x8xf32>
    scf.yield %u : tensor<8x8xf32>
  }
  return %r : tensor<8x8xf32>
}

// Not in a step loop: nothing to carry.
// CHECK-LABEL: func.func @outside_loops
// CHECK:         linalg.generic
// CHECK-NOT:     vector.
func.func @outside_loops(%h: tensor<64xf32>) -> tensor<64xf32> {
  %u = linalg.generic
      {indexing_maps = [#id], iterator_types = ["parallel"]}
      outs(%h : tensor<64xf32>) {
  ^bb0(%s: f32):
    %m = arith.mulf %s, %s : f32
    linalg.yield %m : f32
  } -> tensor<64xf32>
  return %u : tensor<64xf32>
}

// A column of a row-major tensor is strided: its transfer would be a
// gather. Left alone.
// CHECK-LABEL: func.func @strided_column
// CHECK:         linalg.generic
// CHECK-NOT:     vector.
func.func @strided_column(%m: tensor<64x100xf32>, %h0: tensor<64xf32>)
    -> tensor<64xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c100 = arith.constant 100 : index
  %r = scf.for %t = %c0 to %c100 step %c1 iter_args(%h = %h0)
      -> (tensor<64xf32>) {
    %col = tensor.extract_slice %m[0, %t] [64, 1] [1, 1]
        : tensor<64x100xf32> to tensor<64xf32>
    %u = linalg.generic
        {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
        ins(%col : tensor<64xf32>) outs(%h : tensor<64xf32>) {
    ^bb0(%x: f32, %s: f32):
      %m2 = arith.addf %x, %s : f32
      linalg.yield %m2 : f32
    } -> tensor<64xf32>
    scf.yield %u : tensor<64xf32>
  }
  return %r : tensor<64xf32>
}
