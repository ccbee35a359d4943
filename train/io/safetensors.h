// The safetensors format (https://github.com/huggingface/safetensors): an 8-byte little-endian
// header length N, N bytes of JSON {"__metadata__": {str: str}, name: {"dtype", "shape",
// "data_offsets": [begin, end]}, ...} padded with spaces to a multiple of 8, then the tensors'
// bytes packed in header order. Supported dtypes: F32, F64, I32, I64, BOOL, BF16, F16.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "layers/module.h"

namespace lm::train {

// Writes the tensors (any device and layout; copied to contiguous host memory) atomically: a
// temporary file, fsync, rename, fsync of the directory. Names must be unique and non-empty.
void save_safetensors(const std::string& path,
                      const nn::NamedTensors& tensors,
                      const std::map<std::string, std::string>& metadata = {});

struct SafetensorsFile {
    nn::NamedTensors tensors;  // CPU tensors in file order
    std::map<std::string, std::string> metadata;
};

// Reads a file, treating it as untrusted: the header length, JSON, dtypes, shapes and data
// offsets (in range, sized dtype * numel, non-overlapping, covering the data) are validated
// before any tensor is read. Errors name the file, the tensor and the problem.
SafetensorsFile load_safetensors(const std::string& path);
// The same checks on the bytes of a whole file in memory (`what` names it in errors).
SafetensorsFile parse_safetensors(std::string_view bytes, const std::string& what);

// The safetensors dtype string of a dtype ("F32", ...) and back (errors list the valid ones).
const char* safetensors_dtype_name(DType dtype);
DType safetensors_dtype_from_name(const std::string& name);

}  // namespace lm::train
