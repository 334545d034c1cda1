// Mamba's selective scan at the seq level: the discretized decay
// a = exp(dt * A) and input b = dt * B_t * u_t are [B, T, D, N] (bf16), the
// state accumulates in f32. B = 2, T = 128, D = 32 channels, N = 16.
//
// Run and check: build/bin/seqc run examples/seq/selective_scan.mlir --check

func.func @selective_scan(%a: tensor<2x128x32x16xbf16>, %b: tensor<2x128x32x16xbf16>,
                          %h0: tensor<2x32x16xf32>)
    -> (tensor<2x128x32x16xf32>, tensor<2x32x16xf32>) {
  %h, %last = seq.linear_scan %a, %b init %h0
      : (tensor<2x128x32x16xbf16>, tensor<2x128x32x16xbf16>, tensor<2x32x16xf32>)
      -> (tensor<2x128x32x16xf32>, tensor<2x32x16xf32>)
  return %h, %last : tensor<2x128x32x16xf32>, tensor<2x32x16xf32>
}
