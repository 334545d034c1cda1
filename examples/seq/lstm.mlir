// An LSTM layer written with seq primitives (what seqnn-expand produces for
// seqnn.lstm): the input projection is hoisted out of the recurrence as one
// matmul over all B*T steps, and the cell is the body of a seq.recurrence
// with the recurrent matrix R captured as a weight. Gates i, f, g, o.
// B = 4 sequences, T = 64 steps, 32 inputs, 64 hidden units.
//
// Run and check: build/bin/seqc run examples/seq/lstm.mlir --target=cpu --check

func.func @lstm(%x: tensor<4x64x32xf32>, %w: tensor<32x256xf32>, %r: tensor<64x256xf32>,
                %h0: tensor<4x64xf32>, %c0: tensor<4x64xf32>)
    -> (tensor<4x64x64xf32>, tensor<4x64xf32>, tensor<4x64xf32>) {
  // x W for every step at once: [B*T, I] x [I, 4H].
  %x2 = tensor.collapse_shape %x [[0, 1], [2]] : tensor<4x64x32xf32> into tensor<256x32xf32>
  %zero = arith.constant dense<0.0> : tensor<256x256xf32>
  %xw2 = linalg.matmul ins(%x2, %w : tensor<256x32xf32>, tensor<32x256xf32>)
                       outs(%zero : tensor<256x256xf32>) -> tensor<256x256xf32>
  %xw = tensor.expand_shape %xw2 [[0, 1], [2]] output_shape [4, 64, 256]
      : tensor<256x256xf32> into tensor<4x64x256xf32>

  %hs, %h, %c = seq.recurrence ins(%xw : tensor<4x64x256xf32>)
      init(%h0, %c0 : tensor<4x64xf32>, tensor<4x64xf32>)
      weights(%r : tensor<64x256xf32>)
      -> (tensor<4x64x64xf32>) final (tensor<4x64xf32>, tensor<4x64xf32>) {
  ^bb0(%xt: tensor<4x256xf32>, %hp: tensor<4x64xf32>, %cp: tensor<4x64xf32>, %rt: tensor<64x256xf32>):
    %z = arith.constant dense<0.0> : tensor<4x256xf32>
    %hr = linalg.matmul ins(%hp, %rt : tensor<4x64xf32>, tensor<64x256xf32>)
                        outs(%z : tensor<4x256xf32>) -> tensor<4x256xf32>
    %pre = arith.addf %xt, %hr : tensor<4x256xf32>
    %pi = tensor.extract_slice %pre[0, 0] [4, 64] [1, 1] : tensor<4x256xf32> to tensor<4x64xf32>
    %pf = tensor.extract_slice %pre[0, 64] [4, 64] [1, 1] : tensor<4x256xf32> to tensor<4x64xf32>
    %pg = tensor.extract_slice %pre[0, 128] [4, 64] [1, 1] : tensor<4x256xf32> to tensor<4x64xf32>
    %po = tensor.extract_slice %pre[0, 192] [4, 64] [1, 1] : tensor<4x256xf32> to tensor<4x64xf32>
    // sigmoid(v) = 1 / (1 + exp(-v))
    %one = arith.constant dense<1.0> : tensor<4x64xf32>
    %ni = arith.negf %pi : tensor<4x64xf32>
    %ei = math.exp %ni : tensor<4x64xf32>
    %di = arith.addf %one, %ei : tensor<4x64xf32>
    %i = arith.divf %one, %di : tensor<4x64xf32>
    %nf = arith.negf %pf : tensor<4x64xf32>
    %ef = math.exp %nf : tensor<4x64xf32>
    %df = arith.addf %one, %ef : tensor<4x64xf32>
    %f = arith.divf %one, %df : tensor<4x64xf32>
    %no = arith.negf %po : tensor<4x64xf32>
    %eo = math.exp %no : tensor<4x64xf32>
    %do = arith.addf %one, %eo : tensor<4x64xf32>
    %o = arith.divf %one, %do : tensor<4x64xf32>
    %g = math.tanh %pg : tensor<4x64xf32>
    // c' = f c + i g, h' = o tanh(c')
    %fc = arith.mulf %f, %cp : tensor<4x64xf32>
    %ig = arith.mulf %i, %g : tensor<4x64xf32>
    %cn = arith.addf %fc, %ig : tensor<4x64xf32>
    %tc = math.tanh %cn : tensor<4x64xf32>
    %hn = arith.mulf %o, %tc : tensor<4x64xf32>
    seq.yield %hn, %cn, %hn : tensor<4x64xf32>, tensor<4x64xf32>, tensor<4x64xf32>
  }
  return %hs, %h, %c : tensor<4x64x64xf32>, tensor<4x64xf32>, tensor<4x64xf32>
}
