//===- KilnDialect.td - The kiln dialect ---------------------*- tablegen -*-===//
//
// Kiln's own dialect: CNN operators on ranked f32 tensors with static shapes,
// value semantics, ONNX (NCHW) layout at import. Passes fuse these ops into
// kernel-sized ops; each surviving op becomes one Halide pipeline.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_DIALECT_TD
#define KILN_DIALECT_TD

include "mlir/IR/OpBase.td"

def Kiln_Dialect : Dialect {
  let name = "kiln";
  let summary = "Convolutional-network operators for the Kiln compiler";
  let description = [{
    The kiln dialect models inference-time CNN graphs imported from ONNX:
    convolutions (dense, grouped, depthwise), batch normalization, local
    response normalization, activations, pooling, elementwise additions and
    multiplications, concatenation, dense layers, reshapes, transposes and
    softmax. Tensors are ranked, statically shaped and f32;
    4-D activations are NCHW. Convolution carries an epilogue (bias,
    residual operand, activation) so that fusion passes can fold the ops
    that follow it into one kernel.
  }];
  let cppNamespace = "::kiln";
  let hasConstantMaterializer = 1;
}

class Kiln_Op<string mnemonic, list<Trait> traits = []>
    : Op<Kiln_Dialect, mnemonic, traits>;

// Every dimension is static and at least 1: kernels index every tensor with
// compile-time extents, and no CNN operator needs an empty tensor. (Without
// this, a dynamic dimension would reach shape arithmetic as a negative
// sentinel.)
def Kiln_PositiveStaticShapePred : CPred<
    "::llvm::all_of(::llvm::cast<::mlir::ShapedType>($_self).getShape(), "
    "[](int64_t dim) { return dim > 0; })">;

class Kiln_StaticTensorOf<Type base>
    : ConfinedType<base, [Kiln_PositiveStaticShapePred],
                   base.summary # " with static, non-zero dimensions">;

// Every kiln tensor: statically shaped, f32.
def Kiln_Tensor : Kiln_StaticTensorOf<TensorRankOf<[F32], [1, 2, 3, 4, 5, 6, 7, 8]>>;
def Kiln_Tensor4D : Kiln_StaticTensorOf<4DTensorOf<[F32]>>;
def Kiln_Tensor2D : Kiln_StaticTensorOf<2DTensorOf<[F32]>>;
def Kiln_Tensor1D : Kiln_StaticTensorOf<1DTensorOf<[F32]>>;

#endif // KILN_DIALECT_TD
