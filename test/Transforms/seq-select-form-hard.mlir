// A form written in the IR that the target cannot run at all (a hard
// constraint: the block's threads or registers) is an error naming the
// constraint; one that only runs slowly is a warning (seq-select-form.mlir).
// Every broken constraint is listed, not a minimal unsat core (here the
// per-thread register bound, a soft one, is broken too).
// RUN: not seq-opt %s -seq-select-form=target=sm_90 2>&1 | FileCheck %s --check-prefix=HARD
// 1024 threads of 28 + 2*4*64 = 540 registers each are over an SM's 65536.
// HARD: error: the form written here cannot run on target 'sm_90': it breaks 1 hard constraint
// HARD: note: block_threads * registers per thread <= 65536 (one block fits an SM's register file) (registers_per_block)
func.func @impossible_block(%a: tensor<1x65536x4xf32>) -> tensor<1x65536x4xf32> {
  %h, %f = seq.linear_scan %a, %a {form = #seq.form<prefix, chunk_size = 64, block_threads = 1024, items_per_thread = 64>} : (tensor<1x65536x4xf32>, tensor<1x65536x4xf32>) -> (tensor<1x65536x4xf32>, tensor<1x4xf32>)
  return %h : tensor<1x65536x4xf32>
}
