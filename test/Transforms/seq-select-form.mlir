// seq-select-form writes Z3's cheapest configuration under the cost model
// as #seq.form (with tiles), never overrides a form already set (but warns
// when it breaks a constraint of the target), and `force` sets one form
// wherever valid.
// RUN: seq-opt %s -seq-select-form=target=cpu | FileCheck %s --check-prefix=CPU
// RUN: seq-opt %s -seq-select-form=target=sm_90 | FileCheck %s --check-prefix=GPU
// RUN: seq-opt %s '-seq-select-form=force=chunkwise:32' | FileCheck %s --check-prefix=FORCE
// RUN: not seq-opt %s -seq-select-form=target=tpu 2>&1 | FileCheck %s --check-prefix=TARGET
// RUN: not seq-opt %s -seq-select-form=force=sideways 2>&1 | FileCheck %s --check-prefix=BADFORCE
// RUN: seq-opt %s -seq-select-form=target=sm_90 2>&1 >/dev/null | FileCheck %s --check-prefix=WARN
// RUN: not seq-opt %s '-seq-select-form=target=sm_90 state-terms=4' 2>&1 | FileCheck %s --check-prefix=BADTERMS

// On one CPU thread the sequential forms win (the prefix and chunkwise
// lowerings are scalar today); on an H100 the parallel forms do.
// CPU-LABEL: func.func @gla
// CPU: seq.linear_attention {{.*}} {form = #seq.form<sequential>}
// GPU-LABEL: func.func @gla
// GPU: seq.linear_attention {{.*}} {form = #seq.form<chunkwise, chunk_size = {{[0-9]+}}>}
// FORCE-LABEL: func.func @gla
// FORCE: seq.linear_attention {{.*}} {form = #seq.form<chunkwise, chunk_size = 32>}
func.func @gla(%q: tensor<2x512x4x32xf32>, %g: tensor<2x512x4x32xf32>) -> tensor<2x512x4x32xf32> {
  %o, %s = seq.linear_attention %q, %q, %q gate <vector> %g
      : (tensor<2x512x4x32xf32>, tensor<2x512x4x32xf32>, tensor<2x512x4x32xf32>, tensor<2x512x4x32xf32>)
      -> (tensor<2x512x4x32xf32>, tensor<2x4x32x32xf32>)
  return %o : tensor<2x512x4x32xf32>
}

// CPU-LABEL: func.func @scan
// CPU: seq.linear_scan {{.*}} {form = #seq.form<sequential>}
// GPU-LABEL: func.func @scan
// GPU: seq.linear_scan {{.*}} {form = #seq.form<prefix, chunk_size = {{[0-9]+}}, block_threads = {{[0-9]+}}, items_per_thread = {{[0-9]+}}>}
// FORCE-LABEL: func.func @scan
// FORCE: seq.linear_scan {{.*}} {form = #seq.form<chunkwise, chunk_size = 32>}
func.func @scan(%a: tensor<1x65536x64xf32>) -> tensor<1x65536x64xf32> {
  %h, %f = seq.linear_scan %a, %a : (tensor<1x65536x64xf32>, tensor<1x65536x64xf32>) -> (tensor<1x65536x64xf32>, tensor<1x64xf32>)
  return %h : tensor<1x65536x64xf32>
}

// A forced form that does not apply (a complex scan has no chunkwise
// lowering) leaves the op alone.
// FORCE-LABEL: func.func @complex_scan
// FORCE-NOT: form =
// FORCE: return
func.func @complex_scan(%a: tensor<1x16x4xcomplex<f32>>) -> tensor<1x16x4xcomplex<f32>> {
  %h, %f = seq.linear_scan %a, %a : (tensor<1x16x4xcomplex<f32>>, tensor<1x16x4xcomplex<f32>>) -> (tensor<1x16x4xcomplex<f32>>, tensor<1x4xcomplex<f32>>)
  return %h : tensor<1x16x4xcomplex<f32>>
}

// A form someone wrote is kept.
// CPU-LABEL: func.func @user_form
// CPU: {form = #seq.form<prefix, chunk_size = 8>}
// GPU-LABEL: func.func @user_form
// GPU: {form = #seq.form<prefix, chunk_size = 8>}
func.func @user_form(%a: tensor<1x64x4xf32>) -> tensor<1x64x4xf32> {
  %h, %f = seq.linear_scan %a, %a {form = #seq.form<prefix, chunk_size = 8>} : (tensor<1x64x4xf32>, tensor<1x64x4xf32>) -> (tensor<1x64x4xf32>, tensor<1x4xf32>)
  return %h : tensor<1x64x4xf32>
}

// A GPU block of 48 threads is kept, with a warning naming the constraint.
// GPU-LABEL: func.func @odd_block
// GPU: {form = #seq.form<sequential, block_threads = 48>}
// WARN: warning: the form written here breaks 1 constraint of target 'sm_90'; it is kept
// WARN: note: block_threads is a multiple of the warp size 32 (warp_multiple)
// WARN-NOT: warning
func.func @odd_block(%a: tensor<1x64x4xf32>) -> tensor<1x64x4xf32> {
  %h, %f = seq.linear_scan %a, %a {form = #seq.form<sequential, block_threads = 48>} : (tensor<1x64x4xf32>, tensor<1x64x4xf32>) -> (tensor<1x64x4xf32>, tensor<1x4xf32>)
  return %h : tensor<1x64x4xf32>
}

// TARGET: error: seq-select-form: unknown target 'tpu' (expected cpu, sm_80, a100, sm_90, h100, h200 or a .json model file)
// BADTERMS: error: seq-select-form: state-terms must be 1, 2 or 3
// BADFORCE: error: seq-select-form: cannot parse force='sideways' (expected sequential, prefix, chunkwise[:C] or parallel)

