// A form without a lowering is an error at the op, not a silent fallback.
// RUN: seq-opt %s -seq-lower-forms -verify-diagnostics -mlir-print-op-on-diagnostic=false

// The chunkwise scan takes its products in log space: real types only.
func.func @chunkwise(%a: tensor<2x8x4xcomplex<f32>>) -> tensor<2x8x4xcomplex<f32>> {
  // expected-error @+1 {{'seq.linear_scan' op has no lowering for the 'chunkwise' form yet; use #seq.form<sequential>}}
  %h, %f = seq.linear_scan %a, %a {form = #seq.form<chunkwise, chunk_size = 4>}
      : (tensor<2x8x4xcomplex<f32>>, tensor<2x8x4xcomplex<f32>>) -> (tensor<2x8x4xcomplex<f32>>, tensor<2x4xcomplex<f32>>)
  return %h : tensor<2x8x4xcomplex<f32>>
}
