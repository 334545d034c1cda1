// Counting in bf16: h_t = h_{t-1} + 1 over 1000 steps (linear_scan in the
// sequential and prefix forms) and S_t = S_{t-1} + k v^T with q = k = v = 1
// (linear_attention, whose sequential form shares the delta rule's loop).
func.func @count() -> (tensor<1x1000x4xbf16>, tensor<1x4xbf16>, tensor<1x1000x4xbf16>, tensor<1x4xbf16>, tensor<1x1000x1x1xbf16>, tensor<1x1x1x1xbf16>) {
  %one = arith.constant dense<1.0> : tensor<1x1000x4xbf16>
  %h, %last = seq.linear_scan %one, %one {form = #seq.form<sequential>} : (tensor<1x1000x4xbf16>, tensor<1x1000x4xbf16>) -> (tensor<1x1000x4xbf16>, tensor<1x4xbf16>)
  %hp, %lastp = seq.linear_scan %one, %one {form = #seq.form<prefix, chunk_size = 64, workers = 2>} : (tensor<1x1000x4xbf16>, tensor<1x1000x4xbf16>) -> (tensor<1x1000x4xbf16>, tensor<1x4xbf16>)
  %u = arith.constant dense<1.0> : tensor<1x1000x1x1xbf16>
  %o, %s = seq.linear_attention %u, %u, %u {scale = 1.0 : f64, form = #seq.form<sequential>} : (tensor<1x1000x1x1xbf16>, tensor<1x1000x1x1xbf16>, tensor<1x1000x1x1xbf16>) -> (tensor<1x1000x1x1xbf16>, tensor<1x1x1x1xbf16>)
  return %h, %last, %hp, %lastp, %o, %s : tensor<1x1000x4xbf16>, tensor<1x4xbf16>, tensor<1x1000x4xbf16>, tensor<1x4xbf16>, tensor<1x1000x1x1xbf16>, tensor<1x1x1x1xbf16>
}
