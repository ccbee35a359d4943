// The attention-type registry: every type of AttentionTypes with its factory and options, so
// unknown names get the list back and every tool iterates one table.
#include "layers/attention/registry.h"

#include <algorithm>
#include <functional>
#include <map>

#include "core/base/check.h"
#include "core/base/strings.h"

namespace lm::nn {

namespace {

using Factory = std::function<std::shared_ptr<AttentionKernel>(const AttentionConfig&,
                                                               const AttentionContext&)>;

struct Entry {
    AttentionTypeInfo info;
    Factory make;
};

template <class K>
Entry entry() {
    Entry e{{K::kName, K::kSize, K::options()}, nullptr};
    e.make = [](const AttentionConfig& cfg, const AttentionContext& ctx) {
        return std::make_shared<K>(cfg, ctx);
    };
    return e;
}

template <class... Kernels>
std::vector<Entry> entries(AttentionTypeList<Kernels...>) {
    return {entry<Kernels>()...};
}

const std::vector<Entry>& registry() {
    static const std::vector<Entry> table = entries(AttentionTypes{});
    return table;
}

[[noreturn]] void unknown_type(const std::string& type) {
    LM_CHECK(false, "unknown attention type '", type, "'",
             suggestion(type, attention_kernel_names()), "; expected one of ",
             join(attention_kernel_names()));
}

const Entry& find_entry(const std::string& type) {
    for (const Entry& e : registry()) {
        if (e.info.name == type) return e;
    }
    unknown_type(type);
}

std::vector<AttentionOption> merged_options() {
    std::vector<AttentionOption> out;
    std::vector<std::vector<std::string>> users;
    std::map<std::string, size_t> index;
    for (const Entry& e : registry()) {
        for (const AttentionOption& o : e.info.options) {
            auto [it, added] = index.emplace(o.key, out.size());
            if (added) {
                out.push_back(o);
                users.emplace_back();
            }
            users[it->second].push_back(e.info.name);
        }
    }
    for (size_t i = 0; i < out.size(); ++i)
        out[i].doc = join(users[i]) + ": " + out[i].doc;
    return out;
}

}  // namespace

std::vector<AttentionOption> options_named(const std::vector<AttentionOption>& all,
                                           const std::vector<std::string>& keys) {
    std::vector<AttentionOption> out;
    for (const std::string& key : keys) {
        auto it = std::find_if(all.begin(), all.end(), [&](const auto& o) { return o.key == key; });
        LM_ASSERT(it != all.end(), "no attention option '", key, "'");
        out.push_back(*it);
    }
    return out;
}

const std::vector<AttentionTypeInfo>& attention_types() {
    static const std::vector<AttentionTypeInfo> types = [] {
        std::vector<AttentionTypeInfo> out;
        for (const Entry& e : registry())
            out.push_back(e.info);
        return out;
    }();
    return types;
}

const std::vector<AttentionOption>& attention_options() {
    static const std::vector<AttentionOption> options = merged_options();
    return options;
}

const char* coupling_name(ExampleCoupling c) {
    switch (c) {
        case ExampleCoupling::None:
            return "none";
        case ExampleCoupling::PaddedLength:
            return "the padded length";
        case ExampleCoupling::Batch:
            return "the other examples of the batch";
    }
    return "?";
}

std::vector<std::string> attention_kernel_names() {
    std::vector<std::string> names;
    for (const Entry& e : registry())
        names.push_back(e.info.name);
    return names;
}

std::string attention_size_option(const std::string& type) {
    return find_entry(type).info.size_option;
}

// Each option's value printed and parsed back through its declaration.
void validate_attention_config(const AttentionConfig& cfg) {
    AttentionConfig scratch = cfg;
    for (const AttentionOption& o : attention_options()) {
        try {
            o.set(scratch, o.get(cfg));
        } catch (const OptionError& e) {
            throw OptionError("model.attention." + o.key + ": " + e.what());
        }
    }
}

std::shared_ptr<AttentionKernel> make_attention_kernel(const AttentionConfig& cfg,
                                                       const AttentionContext& ctx) {
    validate_attention_config(cfg);
    LM_CHECK(ctx.init && ctx.dropout, "make_attention_kernel: generators are required");
    return find_entry(cfg.type).make(cfg, ctx);
}

}  // namespace lm::nn
