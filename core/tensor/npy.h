// NumPy .npy files (format versions 1.0-3.0) for every dtype: float32 '<f4', float64 '<f8',
// int32 '<i4', int64 '<i8', bool '|b1', float16 '<f2', and bfloat16 written as 2-byte void
// '<V2' (NumPy has no bfloat16; '<V2' reads back as bfloat16). Reading treats the file as
// untrusted: the header is parsed strictly and sizes are checked against the file length.
#pragma once

#include <string>

#include "core/tensor/tensor.h"

namespace lm {

// Reads a CPU tensor; throws lm::Error naming the file and the problem.
Tensor load_npy(const std::string& path);
// Parses .npy bytes (`what` names the source in errors).
Tensor parse_npy(const std::string& bytes, const std::string& what);
// Writes any tensor (copied to host and made contiguous); atomic (temp file + rename).
void save_npy(const std::string& path, const Tensor& t);
std::string serialize_npy(const Tensor& t);

}  // namespace lm
