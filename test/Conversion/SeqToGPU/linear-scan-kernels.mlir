// RUN: seq-opt %s -seq-lower-to-gpu-kernels -split-input-file | FileCheck %s

// Sequential form, 1024 channels: 4 per thread with 16-byte accesses, the
// step loop unrolled by items_per_thread with every load of a group first.
// CHECK-LABEL: func.func @sequential
// CHECK-DAG:     %[[A:.*]] = bufferization.to_buffer %arg0 read_only
// CHECK-DAG:     %[[H:.*]] = memref.alloc() : memref<16x64x1024xf32>
// CHECK:         gpu.launch blocks({{.*}}) in ({{.*}} = %c1, {{.*}} = %c16, {{.*}} = %c1) threads({{.*}}) in ({{.*}} = %c256
// CHECK:           scf.for {{.*}} step %c2 iter_args({{.*}}) -> (vector<4xf32>)
// CHECK-COUNT-4:     vector.load {{.*}} {alignment = 16 : i64} : memref<16x64x1024xf32>, vector<4xf32>
// CHECK:             arith.mulf {{.*}} : vector<4xf32>
// CHECK:             vector.store {{.*}} {alignment = 16 : i64} : memref<16x64x1024xf32>, vector<4xf32>
// CHECK:         } {seq.gpu_kernel = #seq.gpu_kernel<linear_scan_sequential, vector_width = 4>}
// CHECK:         bufferization.to_tensor %[[H]] restrict writable
func.func @sequential(%a: tensor<16x64x1024xf32>, %b: tensor<16x64x1024xf32>)
    -> (tensor<16x64x1024xf32>, tensor<16x1024xf32>) {
  %h, %last = seq.linear_scan %a, %b {form = #seq.form<sequential, items_per_thread = 2>}
      : (tensor<16x64x1024xf32>, tensor<16x64x1024xf32>) -> (tensor<16x64x1024xf32>, tensor<16x1024xf32>)
  return %h, %last : tensor<16x64x1024xf32>, tensor<16x1024xf32>
}

// -----

// Prefix form, chunks of 16 over T = 100 (7 chunks, the last one short):
// aggregate per (channel, chunk), carry over chunks, apply. 30 channels do
// not divide by 4: scalar accesses. bf16 inputs accumulate in f32.
// CHECK-LABEL: func.func @prefix
// CHECK:         %[[P:.*]] = memref.alloc() : memref<2x7x30xf32>
// CHECK:         %[[L:.*]] = memref.alloc() : memref<2x7x30xf32>
// CHECK:         gpu.launch blocks({{.*}}) in ({{.*}} = %c1, {{.*}} = %c7, {{.*}} = %c2) threads({{.*}}) in ({{.*}} = %c128
// CHECK:           arith.minui
// CHECK:           memref.load {{.*}} : memref<2x100x30xbf16>
// CHECK:           arith.extf {{.*}} : bf16 to f32
// CHECK:         } {seq.gpu_kernel = #seq.gpu_kernel<linear_scan_prefix_aggregate, vector_width = 1>}
// The carry over 7 chunks: one warp per channel (a block of 32 threads),
// lane composites, a 5-step shfl.up scan, the exclusive composite, a
// rescan; one warp needs no barrier.
// CHECK:         gpu.launch blocks({{.*}}) in ({{.*}} = %c30, {{.*}} = %c2, {{.*}} = %c1) threads({{.*}}) in ({{.*}} = %c32
// CHECK:           scf.for
// CHECK-COUNT-12:  gpu.shuffle  up {{.*}}, %c32_i32 : f32
// CHECK-NOT:       seq.block_barrier
// CHECK:           memref.load %{{.*}}[%{{.*}}] : memref<2x30xf32>
// CHECK:           scf.for
// CHECK:           scf.if
// CHECK:             memref.store {{.*}} : memref<2x30xf32>
// CHECK:         } {seq.gpu_kernel = #seq.gpu_kernel<linear_scan_prefix_carry, vector_width = 1, carry_warps = 1>}
// CHECK:         gpu.launch
// CHECK:         } {seq.gpu_kernel = #seq.gpu_kernel<linear_scan_prefix_apply, vector_width = 1>}
func.func @prefix(%a: tensor<2x100x30xbf16>, %b: tensor<2x100x30xbf16>, %h0: tensor<2x30xf32>)
    -> (tensor<2x100x30xf32>, tensor<2x30xf32>) {
  %h, %last = seq.linear_scan %a, %b init %h0 {form = #seq.form<prefix, chunk_size = 16, block_threads = 128>}
      : (tensor<2x100x30xbf16>, tensor<2x100x30xbf16>, tensor<2x30xf32>) -> (tensor<2x100x30xf32>, tensor<2x30xf32>)
  return %h, %last : tensor<2x100x30xf32>, tensor<2x30xf32>
}

// -----

// Many chunks (T = 1000 in chunks of 8: 125): the carry takes a block of
// two warps per channel, whose composites meet in the block's shared memory
// (allocas marked seq.workgroup, made workgroup attributions by
// seq-workgroup-allocas) after a block barrier.
// CHECK-LABEL: func.func @many_chunks
// CHECK:         gpu.launch
// CHECK:         } {seq.gpu_kernel = #seq.gpu_kernel<linear_scan_prefix_aggregate
// CHECK:         gpu.launch blocks({{.*}}) in ({{.*}} = %c8, {{.*}} = %c2, {{.*}} = %c1) threads({{.*}}) in ({{.*}} = %c64
// CHECK:           %[[P:.*]] = memref.alloca() {seq.workgroup} : memref<2xf32>
// CHECK:           %[[S:.*]] = memref.alloca() {seq.workgroup} : memref<2xf32>
// CHECK-COUNT-10:  gpu.shuffle  up
// CHECK:           memref.store {{.*}}, %[[P]][
// CHECK:           seq.block_barrier
// CHECK:           memref.load %[[P]][
// CHECK:         } {seq.gpu_kernel = #seq.gpu_kernel<linear_scan_prefix_carry, vector_width = 1, carry_warps = 2>}
// CHECK:         } {seq.gpu_kernel = #seq.gpu_kernel<linear_scan_prefix_apply
func.func @many_chunks(%a: tensor<2x1000x8xf32>, %b: tensor<2x1000x8xf32>)
    -> (tensor<2x1000x8xf32>, tensor<2x8xf32>) {
  %h, %last = seq.linear_scan %a, %b {form = #seq.form<prefix, chunk_size = 8>}
      : (tensor<2x1000x8xf32>, tensor<2x1000x8xf32>) -> (tensor<2x1000x8xf32>, tensor<2x8xf32>)
  return %h, %last : tensor<2x1000x8xf32>, tensor<2x8xf32>
}

// -----

// Complex scans and other ops are left to seq-lower-forms.
// CHECK-LABEL: func.func @complex
// CHECK:         seq.linear_scan
// CHECK-NOT:     gpu.launch
func.func @complex(%a: tensor<2x8x4xcomplex<f32>>, %b: tensor<2x8x4xcomplex<f32>>)
    -> (tensor<2x8x4xcomplex<f32>>, tensor<2x4xcomplex<f32>>) {
  %h, %last = seq.linear_scan %a, %b
      : (tensor<2x8x4xcomplex<f32>>, tensor<2x8x4xcomplex<f32>>) -> (tensor<2x8x4xcomplex<f32>>, tensor<2x4xcomplex<f32>>)
  return %h, %last : tensor<2x8x4xcomplex<f32>>, tensor<2x4xcomplex<f32>>
}
