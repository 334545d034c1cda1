// seq-differentiate refuses what has no gradient, naming it.
// RUN: seq-opt %s -split-input-file -seq-differentiate -verify-diagnostics

// expected-error @+1 {{'func.func' op cannot be differentiated with respect to argument #1 of type 'tensor<2x8xi32>': it does not have float elements (f32, f16, bf16, f64 or complex<f32>)}}
func.func @integer_argument(%x: tensor<2x8xf32>, %ids: tensor<2x8xi32>) -> tensor<2x8xf32> {
  return %x : tensor<2x8xf32>
}

// -----

// expected-error @+1 {{'func.func' op cannot be differentiated with respect to argument #0 of type 'tensor<?x8xf32>': it has a dynamic shape (gradients need static shapes)}}
func.func @dynamic_argument(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  return %x : tensor<?x8xf32>
}

// -----

// expected-error @+1 {{'func.func' op cannot be differentiated: a symbol @taken_fwd exists already}}
func.func @taken(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  return %x : tensor<2x8xf32>
}
func.func private @taken_fwd()

// -----

func.func @no_rule(%x: tensor<2x8xf32>, %y: tensor<2x8xf32>) -> tensor<4x8xf32> {
  // expected-error @+2 {{'tensor.concat' op has no derivative rule, so gradients cannot flow through it}}
  // expected-note @+1 {{seq-differentiate knows the seq primitives}}
  %z = tensor.concat dim(0) %x, %y : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<4x8xf32>
  return %z : tensor<4x8xf32>
}

// -----

func.func @no_scalar_rule(%x: tensor<8xf32>) -> tensor<8xf32> {
  %e = tensor.empty() : tensor<8xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>], iterator_types = ["parallel"]}
      ins(%x : tensor<8xf32>) outs(%e : tensor<8xf32>) {
  ^bb0(%a: f32, %o: f32):
    // expected-error @+2 {{'math.atan' op has no derivative rule, so gradients cannot flow through this elementwise body}}
    // expected-note @+1 {{rules exist for arith add/sub/mul/div/neg/max/min/select}}
    %t = math.atan %a : f32
    linalg.yield %t : f32
  } -> tensor<8xf32>
  return %y : tensor<8xf32>
}

// -----

func.func @max_reduction(%x: tensor<8x4xf32>, %init: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'linalg.generic' op has no derivative rule: it reduces other than by addition}}
  %y = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (j)>], iterator_types = ["reduction", "parallel"]}
      ins(%x : tensor<8x4xf32>) outs(%init : tensor<4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %a, %o : f32
    linalg.yield %m : f32
  } -> tensor<4xf32>
  return %y : tensor<4xf32>
}

