// The GPU pipeline, stage by stage, on a linear scan (vectorized kernel)
// and an elementwise tail (a generic parallel loop): one kernel module,
// NVVM for the chip, host code calling the runtime ABI, PTX with 16-byte
// accesses.
// RUN: seq-opt %s '--seqc-gpu-pipeline=target=sm_90 stop=kernels' | FileCheck %s --check-prefix=KERNELS
// RUN: seq-opt %s '--seqc-gpu-pipeline=target=sm_80' | FileCheck %s --check-prefix=LLVM
// RUN: seq-opt %s '--seqc-gpu-pipeline=target=sm_90' -gpu-module-to-binary=format=isa | FileCheck %s --check-prefix=PTX
// RUN: seq-opt %S/Inputs/many-chunks.mlir '--seqc-gpu-pipeline=target=sm_90' -gpu-module-to-binary=format=isa | FileCheck %s --check-prefix=BLOCK

// A prefix scan over many chunks: the block-level carry synchronizes its
// warps with bar.sync.
// BLOCK: gpu.binary @seqc_kernels
// BLOCK-SAME: shfl.sync.up.b32
// BLOCK-SAME: bar.sync

// KERNELS-LABEL: func.func @scan_then_scale
// KERNELS-SAME:    %{{.*}}: memref<4x32x64xf32> {llvm.noalias}
// The scan's kernel is named after its function and op (scan0), so that
// ptxas reports and manifests map back to the op; generic kernels keep
// the outliner's names.
// KERNELS:         gpu.launch_func @seqc_kernels::@scan_then_scale_scan0_sequential blocks in (%c1, %c4, %c1) threads in (%c256, %c1, %c1)
// KERNELS:         gpu.launch_func @seqc_kernels::@scan_then_scale_kernel
// KERNELS:         gpu.dealloc
// KERNELS:       gpu.module @seqc_kernels
// KERNELS:         gpu.func @scan_then_scale_scan0_sequential({{.*}}) kernel
// KERNELS:           vector.load
// KERNELS:         gpu.func @scan_then_scale_kernel({{.*}}) kernel
// KERNELS:           arith.mulf {{.*}} : f32

// LLVM:       llvm.func @scan_then_scale(
// LLVM:         llvm.call @mgpuStreamCreate()
// LLVM:         llvm.call @mgpuMemAlloc(
// LLVM:         gpu.launch_func <%{{.*}} : !llvm.ptr> @seqc_kernels::@scan_then_scale_scan0_sequential
// LLVM:       llvm.func @_mlir_ciface_scan_then_scale(
// LLVM:       gpu.module @seqc_kernels [#nvvm.target<O = 3, chip = "sm_80", features = "+ptx80">]
// LLVM:         llvm.func @scan_then_scale_scan0_sequential({{.*}}) attributes {gpu.kernel

// PTX:     gpu.binary @seqc_kernels
// PTX-SAME:  .target sm_90
// PTX-SAME:  .entry scan_then_scale_scan0_sequential(
// PTX-SAME:  ld.global.v4.b32
// PTX-SAME:  st.global.v4.b32
// PTX-SAME:  .entry scan_then_scale_kernel(

func.func @scan_then_scale(%a: tensor<4x32x64xf32>, %b: tensor<4x32x64xf32>)
    -> (tensor<4x32x64xf32>, tensor<4x64xf32>) {
  %h, %last = seq.linear_scan %a, %b {form = #seq.form<sequential>}
      : (tensor<4x32x64xf32>, tensor<4x32x64xf32>) -> (tensor<4x32x64xf32>, tensor<4x64xf32>)
  %two = arith.constant dense<2.0> : tensor<4x32x64xf32>
  %scaled = arith.mulf %h, %two : tensor<4x32x64xf32>
  return %scaled, %last : tensor<4x32x64xf32>, tensor<4x64xf32>
}
