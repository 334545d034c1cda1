// An LSTM (B = 2, T = 16, 32 hidden units) at the seq level, its recurrence in
// the sequential form's fused variant: on GPUs one persistent kernel with a
// grid barrier between the kernels of each step (seq-persistent-time-loops).
// Written by seqc compile --emit=seq from seqnn.lstm, variant added by hand.
#map = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#map1 = affine_map<(d0, d1, d2) -> (d2)>
#map2 = affine_map<(d0, d1, d2) -> (d0, 0, d1, d2)>
#map3 = affine_map<(d0, d1, d2) -> (d0, 1, d1, d2)>
#map4 = affine_map<(d0, d1, d2) -> (d0, 2, d1, d2)>
#map5 = affine_map<(d0, d1, d2) -> (d0, 3, d1, d2)>
#map6 = affine_map<(d0, d1, d2) -> (d1, d0, 0, d2)>
#map7 = affine_map<(d0, d1, d2) -> (d1, d0, 1, d2)>
#map8 = affine_map<(d0, d1, d2) -> (d1, d0, 2, d2)>
#map9 = affine_map<(d0, d1, d2) -> (d1, d0, 3, d2)>
module {
  func.func @lstm_fused(%arg0: tensor<2x16x32xf32>, %arg1: tensor<32x128xf32>, %arg2: tensor<1x32x128xf32>, %arg3: tensor<128xf32>, %arg4: tensor<128xf32>, %arg5: tensor<2x32xf32>, %arg6: tensor<2x32xf32>) -> (tensor<2x16x32xf32>, tensor<2x32xf32>, tensor<2x32xf32>) {
    %cst = arith.constant 0.000000e+00 : f32
    %collapsed = tensor.collapse_shape %arg0 [[0, 1], [2]] : tensor<2x16x32xf32> into tensor<32x32xf32>
    %0 = tensor.empty() : tensor<32x128xf32>
    %1 = linalg.fill ins(%cst : f32) outs(%0 : tensor<32x128xf32>) -> tensor<32x128xf32>
    %2 = linalg.matmul ins(%collapsed, %arg1 : tensor<32x32xf32>, tensor<32x128xf32>) outs(%1 : tensor<32x128xf32>) -> tensor<32x128xf32>
    %expanded = tensor.expand_shape %2 [[0, 1], [2]] output_shape [2, 16, 128] : tensor<32x128xf32> into tensor<2x16x128xf32>
    %3 = tensor.empty() : tensor<2x16x128xf32>
    %4 = linalg.generic {indexing_maps = [#map, #map1, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%expanded, %arg3 : tensor<2x16x128xf32>, tensor<128xf32>) outs(%3 : tensor<2x16x128xf32>) {
    ^bb0(%in: f32, %in_7: f32, %out: f32):
      %6 = arith.addf %in, %in_7 : f32
      linalg.yield %6 : f32
    } -> tensor<2x16x128xf32>
    %5 = linalg.generic {indexing_maps = [#map, #map1, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%4, %arg4 : tensor<2x16x128xf32>, tensor<128xf32>) outs(%3 : tensor<2x16x128xf32>) {
    ^bb0(%in: f32, %in_7: f32, %out: f32):
      %6 = arith.addf %in, %in_7 : f32
      linalg.yield %6 : f32
    } -> tensor<2x16x128xf32>
    %expanded_0 = tensor.expand_shape %5 [[0], [1], [2, 3, 4]] output_shape [2, 16, 4, 1, 32] : tensor<2x16x128xf32> into tensor<2x16x4x1x32xf32>
    %expanded_1 = tensor.expand_shape %arg2 [[0], [1], [2, 3]] output_shape [1, 32, 4, 32] : tensor<1x32x128xf32> into tensor<1x32x4x32xf32>
    %expanded_2 = tensor.expand_shape %arg5 [[0], [1, 2]] output_shape [2, 1, 32] : tensor<2x32xf32> into tensor<2x1x32xf32>
    %expanded_3 = tensor.expand_shape %arg6 [[0], [1, 2]] output_shape [2, 1, 32] : tensor<2x32xf32> into tensor<2x1x32xf32>
    %outputs, %final_states:2 = seq.recurrence ins(%expanded_0 : tensor<2x16x4x1x32xf32>) init(%expanded_2, %expanded_3 : tensor<2x1x32xf32>, tensor<2x1x32xf32>) weights(%expanded_1 : tensor<1x32x4x32xf32>) attributes {form = #seq.form<sequential, variant = fused>} -> (tensor<2x16x1x32xf32>) final(tensor<2x1x32xf32>, tensor<2x1x32xf32>) {
    ^bb0(%arg7: tensor<2x4x1x32xf32>, %arg8: tensor<2x1x32xf32>, %arg9: tensor<2x1x32xf32>, %arg10: tensor<1x32x4x32xf32>):
      %cst_7 = arith.constant 1.000000e+00 : f32
      %cst_8 = arith.constant 0.000000e+00 : f32
      %6 = tensor.empty() : tensor<1x2x32xf32>
      %transposed = linalg.transpose ins(%arg8 : tensor<2x1x32xf32>) outs(%6 : tensor<1x2x32xf32>) permutation = [1, 0, 2] 
      %collapsed_9 = tensor.collapse_shape %arg10 [[0], [1], [2, 3]] : tensor<1x32x4x32xf32> into tensor<1x32x128xf32>
      %7 = tensor.empty() : tensor<1x2x128xf32>
      %8 = linalg.fill ins(%cst_8 : f32) outs(%7 : tensor<1x2x128xf32>) -> tensor<1x2x128xf32>
      %9 = linalg.batch_matmul ins(%transposed, %collapsed_9 : tensor<1x2x32xf32>, tensor<1x32x128xf32>) outs(%8 : tensor<1x2x128xf32>) -> tensor<1x2x128xf32>
      %expanded_10 = tensor.expand_shape %9 [[0], [1], [2, 3]] output_shape [1, 2, 4, 32] : tensor<1x2x128xf32> into tensor<1x2x4x32xf32>
      %10 = tensor.empty() : tensor<2x1x32xf32>
      %11:2 = linalg.generic {indexing_maps = [#map2, #map3, #map4, #map5, #map6, #map7, #map8, #map9, #map, #map, #map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg7, %arg7, %arg7, %arg7, %expanded_10, %expanded_10, %expanded_10, %expanded_10, %arg8, %arg9 : tensor<2x4x1x32xf32>, tensor<2x4x1x32xf32>, tensor<2x4x1x32xf32>, tensor<2x4x1x32xf32>, tensor<1x2x4x32xf32>, tensor<1x2x4x32xf32>, tensor<1x2x4x32xf32>, tensor<1x2x4x32xf32>, tensor<2x1x32xf32>, tensor<2x1x32xf32>) outs(%10, %10 : tensor<2x1x32xf32>, tensor<2x1x32xf32>) {
      ^bb0(%in: f32, %in_11: f32, %in_12: f32, %in_13: f32, %in_14: f32, %in_15: f32, %in_16: f32, %in_17: f32, %in_18: f32, %in_19: f32, %out: f32, %out_20: f32):
        %12 = arith.addf %in, %in_14 : f32
        %13 = arith.negf %12 : f32
        %14 = math.exp %13 : f32
        %15 = arith.addf %14, %cst_7 : f32
        %16 = arith.divf %cst_7, %15 : f32
        %17 = arith.addf %in_11, %in_15 : f32
        %18 = arith.negf %17 : f32
        %19 = math.exp %18 : f32
        %20 = arith.addf %19, %cst_7 : f32
        %21 = arith.divf %cst_7, %20 : f32
        %22 = arith.addf %in_12, %in_16 : f32
        %23 = math.tanh %22 : f32
        %24 = arith.addf %in_13, %in_17 : f32
        %25 = arith.negf %24 : f32
        %26 = math.exp %25 : f32
        %27 = arith.addf %26, %cst_7 : f32
        %28 = arith.divf %cst_7, %27 : f32
        %29 = arith.mulf %21, %in_19 : f32
        %30 = arith.mulf %16, %23 : f32
        %31 = arith.addf %29, %30 : f32
        %32 = math.tanh %31 : f32
        %33 = arith.mulf %28, %32 : f32
        linalg.yield %33, %31 : f32, f32
      } -> (tensor<2x1x32xf32>, tensor<2x1x32xf32>)
      seq.yield %11#0, %11#1, %11#0 : tensor<2x1x32xf32>, tensor<2x1x32xf32>, tensor<2x1x32xf32>
    }
    %collapsed_4 = tensor.collapse_shape %outputs [[0], [1], [2, 3]] : tensor<2x16x1x32xf32> into tensor<2x16x32xf32>
    %collapsed_5 = tensor.collapse_shape %final_states#0 [[0], [1, 2]] : tensor<2x1x32xf32> into tensor<2x32xf32>
    %collapsed_6 = tensor.collapse_shape %final_states#1 [[0], [1, 2]] : tensor<2x1x32xf32> into tensor<2x32xf32>
    return %collapsed_4, %collapsed_5, %collapsed_6 : tensor<2x16x32xf32>, tensor<2x32xf32>, tensor<2x32xf32>
  }
}
