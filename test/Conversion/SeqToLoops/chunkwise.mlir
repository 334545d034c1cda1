// The chunkwise form of seq.linear_attention with a vector gate: T = 37
// padded to 2 chunks of 32, every chunk of both heads at once ([M = 4, C,
// d]) as batched matmuls; only the state carried from chunk to chunk is a
// loop. Exponents are only of differences of in-chunk cumulative sums (f64)
// that are <= 0; the intra-chunk scores use sub-blocks of 16 steps.
// RUN: seq-opt %s -seq-lower-forms -canonicalize | FileCheck %s

// CHECK-DAG:  #[[LHS_T:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, d1)>
// CHECK-DAG:  #[[RHS:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
// CHECK-DAG:  #[[OUT:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @gla_chunks
// Inputs are zero-padded to 64 steps, head-major, viewed as [M, C, d].
// CHECK:      tensor.insert_slice %{{.*}} into %{{.*}}[0, 0, 0, 0] [1, 2, 37, 8] [1, 1, 1, 1] : tensor<1x2x37x8xf32> into tensor<1x2x64x8xf32>
// CHECK:      tensor.expand_shape %{{.*}} output_shape [4, 32, 8]
// The in-chunk cumulative log gate: C steps over all chunks, in f64.
// CHECK:      %[[L:.*]]:2 = scf.for %{{.*}} = %c0 to %c32 step %c1 iter_args({{.*}}) -> (tensor<4x8xf64>, tensor<4x32x8xf64>)
// Each chunk's state contribution U = (K exp(L_C - L))^T V, one batched
// matmul over all chunks.
// CHECK:      %[[U:.*]] = linalg.batch_matmul indexing_maps = [#[[LHS_T]], #[[RHS]], #[[OUT]]] ins(%{{.*}}, %{{.*}} : tensor<4x32x8xf32>, tensor<4x32x8xf32>) outs(%{{.*}} : tensor<4x8x8xf32>)
// The only sequential loop: the state entering each of the 2 chunks.
// CHECK:      scf.for %{{.*}} = %c0 to %c2 step %c1 iter_args({{.*}}) -> (tensor<2x8x8xf32>, tensor<2x2x8x8xf32>)
// CHECK-NOT:    linalg.batch_matmul
// CHECK:      scf.yield
// O = (Q exp(L)) S_in.
// CHECK:      linalg.batch_matmul ins(%{{.*}}, %{{.*}} : tensor<4x32x8xf32>, tensor<4x8x8xf32>) outs(%{{.*}} : tensor<4x32x8xf32>)
// Off-diagonal sub-blocks: (block start) - (block end) of an earlier block,
// masked to earlier key blocks, and one batched matmul of rescaled keys and
// queries per key block.
// CHECK:      arith.cmpi ult
// CHECK:      %[[DIFF:.*]] = arith.subf %{{.*}}, %{{.*}} : f64
// CHECK-NEXT: %[[NARROW:.*]] = arith.truncf %[[DIFF]] : f64 to f32
// CHECK-NEXT: math.exp %[[NARROW]] : f32
// CHECK:      linalg.batch_matmul ins(%{{.*}}, %{{.*}} : tensor<8x16x8xf32>, tensor<8x8x32xf32>) outs(%{{.*}} : tensor<8x16x32xf32>)
// CHECK:      linalg.batch_matmul indexing_maps = [#[[LHS_T]], #[[RHS]], #[[OUT]]] ins(%{{.*}}, %{{.*}} : tensor<4x32x32xf32>, tensor<4x32x8xf32>)
// Diagonal 16 x 16 blocks, exponent by exponent, masked to j <= i.
// CHECK:      iterator_types = ["parallel", "parallel", "parallel", "reduction", "parallel"]
// CHECK:      math.exp
// CHECK:      arith.cmpi ule
// CHECK:      linalg.batch_matmul indexing_maps = [#[[LHS_T]], #[[RHS]], #[[OUT]]] ins(%{{.*}}, %{{.*}} : tensor<8x16x16xf32>, tensor<8x16x8xf32>)
// Only the first 37 steps are returned.
// CHECK:      tensor.extract_slice %{{.*}}[0, 0, 0, 0] [1, 2, 37, 8] [1, 1, 1, 1] : tensor<1x2x64x8xf32> to tensor<1x2x37x8xf32>
func.func @gla_chunks(%q: tensor<1x37x2x8xf32>, %g: tensor<1x37x2x8xf32>) -> (tensor<1x37x2x8xf32>, tensor<1x2x8x8xf32>) {
  %o, %s = seq.linear_attention %q, %q, %q gate <vector> %g {form = #seq.form<chunkwise, chunk_size = 32>}
      : (tensor<1x37x2x8xf32>, tensor<1x37x2x8xf32>, tensor<1x37x2x8xf32>, tensor<1x37x2x8xf32>)
      -> (tensor<1x37x2x8xf32>, tensor<1x2x8x8xf32>)
  return %o, %s : tensor<1x37x2x8xf32>, tensor<1x2x8x8xf32>
}

// A bf16 output: every matmul takes bf16 operands (converted once each)
// into an f32 accumulator; the state carry and the decays stay f32.
// CHECK-LABEL: func.func @gla_bf16
// CHECK:      linalg.batch_matmul indexing_maps = [#[[LHS_T]], #[[RHS]], #[[OUT]]] ins(%{{.*}}, %{{.*}} : tensor<4x64x16xbf16>, tensor<4x64x16xbf16>) outs(%{{.*}} : tensor<4x16x16xf32>)
// CHECK:      scf.for %{{.*}} -> (tensor<2x16x16xf32>, tensor<2x2x16x16xf32>)
// CHECK-NOT:    linalg.batch_matmul
// CHECK:      scf.yield
// CHECK:      linalg.batch_matmul ins(%{{.*}}, %{{.*}} : tensor<4x64x16xbf16>, tensor<4x16x16xbf16>) outs(%{{.*}} : tensor<4x64x16xf32>)
// CHECK:      linalg.batch_matmul ins(%{{.*}}, %{{.*}} : tensor<16x16x16xbf16>, tensor<16x16x64xbf16>) outs(%{{.*}} : tensor<16x16x64xf32>)
// CHECK:      linalg.batch_matmul indexing_maps = [#[[LHS_T]], #[[RHS]], #[[OUT]]] ins(%{{.*}}, %{{.*}} : tensor<4x64x64xbf16>, tensor<4x64x16xbf16>)
// CHECK:      linalg.batch_matmul indexing_maps = [#[[LHS_T]], #[[RHS]], #[[OUT]]] ins(%{{.*}}, %{{.*}} : tensor<16x16x16xbf16>, tensor<16x16x16xbf16>) outs(%{{.*}} : tensor<16x16x16xf32>)
// CHECK-NOT:  linalg.batch_matmul
// CHECK:      return {{.*}} : tensor<1x128x2x16xbf16>, tensor<1x2x16x16xbf16>
func.func @gla_bf16(%q: tensor<1x128x2x16xbf16>, %k: tensor<1x128x2x16xbf16>, %v: tensor<1x128x2x16xbf16>, %g: tensor<1x128x2x16xf32>) -> (tensor<1x128x2x16xbf16>, tensor<1x2x16x16xbf16>) {
  %o, %s = seq.linear_attention %q, %k, %v gate <vector> %g {form = #seq.form<chunkwise, chunk_size = 64>}
      : (tensor<1x128x2x16xbf16>, tensor<1x128x2x16xbf16>, tensor<1x128x2x16xbf16>, tensor<1x128x2x16xf32>) -> (tensor<1x128x2x16xbf16>, tensor<1x2x16x16xbf16>)
  return %o, %s : tensor<1x128x2x16xbf16>, tensor<1x2x16x16xbf16>
}
