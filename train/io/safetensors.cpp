// Writing safetensors files, and the dtype names shared with the reader.
#include "train/io/safetensors.h"

#include <bit>
#include <cstdint>
#include <set>

#include <nlohmann/json.hpp>

#include "core/base/atomic_file.h"
#include "core/ops/elementwise.h"

namespace lm::train {

static_assert(std::endian::native == std::endian::little,
              "safetensors I/O assumes a little-endian host");

namespace {
struct DTypeName {
    DType dtype;
    const char* name;
};
constexpr DTypeName kDTypeNames[] = {
    {DType::Float32, "F32"}, {DType::Float64, "F64"}, {DType::Int32, "I32"},
    {DType::Int64, "I64"},   {DType::Bool, "BOOL"},   {DType::BFloat16, "BF16"},
    {DType::Float16, "F16"},
};

// Contiguous host copy (or the tensor itself when it already is one).
Tensor host_contiguous(const Tensor& t) {
    Tensor h = t.detach();
    if (!h.device().is_cpu()) h = h.to(Device::cpu());
    return ops::contiguous(h);
}

void check_names(const std::string& path, const nn::NamedTensors& tensors) {
    std::set<std::string> seen;
    for (const auto& [name, t] : tensors) {
        LM_CHECK(!name.empty(), "safetensors file '", path, "': empty tensor name");
        LM_CHECK(name != "__metadata__", "safetensors file '", path,
                 "': '__metadata__' is reserved and cannot name a tensor");
        LM_CHECK(seen.insert(name).second, "safetensors file '", path, "': tensor '", name,
                 "' is listed twice");
        LM_CHECK(t.defined(), "safetensors file '", path, "': tensor '", name, "' is undefined");
    }
}

// The JSON header for tensors packed in order, padded with spaces to a multiple of 8 bytes.
std::string make_header(const nn::NamedTensors& tensors,
                        const std::map<std::string, std::string>& metadata) {
    nlohmann::ordered_json header = nlohmann::ordered_json::object();
    if (!metadata.empty()) header["__metadata__"] = metadata;
    uint64_t offset = 0;
    for (const auto& [name, t] : tensors) {
        const uint64_t end = offset + t.nbytes();
        header[name] = {{"dtype", safetensors_dtype_name(t.dtype())},
                        {"shape", t.shape().vec()},
                        {"data_offsets", {offset, end}}};
        offset = end;
    }
    std::string text = header.dump();
    text.append((8 - text.size() % 8) % 8, ' ');
    return text;
}
}  // namespace

const char* safetensors_dtype_name(DType dtype) {
    for (const DTypeName& d : kDTypeNames) {
        if (d.dtype == dtype) return d.name;
    }
    LM_CHECK(false, "safetensors: dtype ", dtype_name(dtype), " has no safetensors name");
    return "";
}

DType safetensors_dtype_from_name(const std::string& name) {
    for (const DTypeName& d : kDTypeNames) {
        if (name == d.name) return d.dtype;
    }
    LM_CHECK(false, "unsupported dtype '", name, "' (expected one of: F32, F64, I32, I64, BOOL, ",
             "BF16, F16)");
    return DType::Float32;
}

void save_safetensors(const std::string& path,
                      const nn::NamedTensors& tensors,
                      const std::map<std::string, std::string>& metadata) {
    check_names(path, tensors);
    nn::NamedTensors host;
    for (const auto& [name, t] : tensors)
        host.emplace_back(name, host_contiguous(t));
    const std::string header = make_header(host, metadata);
    write_file_atomic(path, [&](FileWriter& w) {
        const uint64_t n = header.size();  // little-endian on this host
        w.write(&n, sizeof n);
        w.write(header.data(), header.size());
        for (const auto& [name, t] : host) {
            if (t.numel() > 0) w.write(t.raw_data(), t.nbytes());
        }
    });
}

}  // namespace lm::train
