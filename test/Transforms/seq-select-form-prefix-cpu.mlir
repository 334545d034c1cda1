// The prefix linear scan on a CPU model of 4 cores whose team forks and
// joins in 2 us: one sequence of 64 channels splits over all 4 cores
// (workers = 4) in chunks whose a, b and h fit half of the 2 MiB L2
// (chunk_size * 64 * 12 B <= 1 MiB: at most 1365 steps, so 1024); sixteen
// sequences already fill the cores, one each, in the sequential form.
// RUN: seq-opt %s -seq-select-form=target=%S/Inputs/four-core-cpu.json | FileCheck %s
// RUN: seqc explain %s --target=%S/Inputs/four-core-cpu.json | FileCheck %s --check-prefix=EXPLAIN

// CHECK-LABEL: func.func @one_sequence
// CHECK: seq.linear_scan {{.*}} {form = #seq.form<prefix, chunk_size = 1024, workers = 4>}
// EXPLAIN: prefix      chunk_size=1024 workers=4 {{.*}} <- chosen
func.func @one_sequence(%a: tensor<1x65536x64xf32>) -> tensor<1x65536x64xf32> {
  %h, %f = seq.linear_scan %a, %a : (tensor<1x65536x64xf32>, tensor<1x65536x64xf32>) -> (tensor<1x65536x64xf32>, tensor<1x64xf32>)
  return %h : tensor<1x65536x64xf32>
}

// CHECK-LABEL: func.func @many_sequences
// CHECK: seq.linear_scan {{.*}} {form = #seq.form<sequential>}
func.func @many_sequences(%a: tensor<16x4096x1024xf32>) -> tensor<16x4096x1024xf32> {
  %h, %f = seq.linear_scan %a, %a : (tensor<16x4096x1024xf32>, tensor<16x4096x1024xf32>) -> (tensor<16x4096x1024xf32>, tensor<16x1024xf32>)
  return %h : tensor<16x4096x1024xf32>
}
