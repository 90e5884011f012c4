//===- ElfDataObject.h - A relocatable object of one data blob -*- C++ -*-===//
//
// Writes the model's weights straight into an ELF64 relocatable object: one
// 64-byte aligned, read-only `.rodata` section and one global symbol. The
// assembler route (`.incbin` in a .S file) wrote the ~155 MB of ResNet-50's
// weights twice more (a .bin for `as` to read, then `as`'s object) and cost
// ~0.3-0.7 s of a 4-5 s cached compile.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_LINK_ELFDATAOBJECT_H
#define KILN_COMPILER_LINK_ELFDATAOBJECT_H

#include <cstddef>
#include <cstdint>
#include <string>

namespace kiln {

enum class ElfMachine { X86_64, AArch64 };

/// Writes `path`: an ELF64 little-endian relocatable object whose `.rodata`
/// holds `bytes` (followed by one zero byte, so that an empty blob still has
/// an address of its own) and a global STT_OBJECT `symbol` of size `size`
/// at its start. Also marks the stack non-executable (.note.GNU-stack).
bool writeElfDataObject(const std::string &path, ElfMachine machine,
                        const std::string &symbol, const void *bytes,
                        size_t size, std::string &error);

} // namespace kiln

#endif // KILN_COMPILER_LINK_ELFDATAOBJECT_H
