// Pre-norm transformer encoder as in the reference LRA model:
//   x = dropout(embed(ids) + pos)
//   per block: x = x + dropout(attn(LN1(x), mask)); x = x + FFN(LN2(x))
//   out = LN_final(x) * mask   (padded positions are exactly zero)
// With skip_padding, everything but the attention core runs on the unmasked rows only.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "layers/attention/multi_head.h"
#include "layers/dropout.h"
#include "layers/embedding.h"
#include "layers/feed_forward.h"
#include "layers/layer_norm.h"
#include "layers/position.h"

namespace lm::nn {

struct EncoderConfig {
    int64_t vocab_size = 0;
    int64_t max_len = 0;
    int64_t dim = 64;
    int64_t ffn_dim = 128;
    int64_t heads = 2;
    int64_t head_dim = 32;
    int64_t layers = 2;
    double dropout = 0.1;
    std::string activation = "gelu";
    std::string position = "learned";
    double layer_norm_eps = 1e-5;
    AttentionConfig attention;
    // Run the row-wise parts (norms, projections, feed-forward, dropout, residuals) on the
    // unmasked positions only, when the attention kernel ignores masked rows: the same function
    // of the real tokens, without the work on padding.
    bool skip_padding = true;
};

class EncoderBlock : public Module {
  public:
    EncoderBlock(const EncoderConfig& cfg, Generator& init, Generator& dropout_gen);
    Tensor forward(const Tensor& x, const Tensor& mask) const;
    // The block on the unmasked rows x_rows [R, D] (rows `rows` of the flattened [B * N, D]).
    Tensor forward_rows(
        const Tensor& x_rows, const Tensor& rows, int64_t B, int64_t N, const Tensor& mask) const;
    const MultiHeadAttention& attention() const { return *attention_; }
    const LayerNorm& norm1() const { return *norm1_; }

  private:
    std::shared_ptr<LayerNorm> norm1_, norm2_;
    std::shared_ptr<MultiHeadAttention> attention_;
    std::shared_ptr<Dropout> dropout_;
    std::shared_ptr<FeedForward> ffn_;
};

class Encoder : public Module {
  public:
    Encoder(const EncoderConfig& cfg, Generator& init, Generator& dropout_gen);
    // ids [B, N] int32/int64, mask [B, N] float -> [B, N, D]
    Tensor forward(const Tensor& ids, const Tensor& mask) const;
    // The input of each block's attention (LN1 of the block input), for extracting q/k/v.
    std::vector<Tensor> attention_inputs(const Tensor& ids, const Tensor& mask) const;
    const std::vector<std::shared_ptr<EncoderBlock>>& blocks() const { return blocks_; }
    const EncoderConfig& config() const { return cfg_; }
    const Embedding& token_embedding() const { return *token_; }
    // The strongest ExampleCoupling of its blocks' attention kernels.
    ExampleCoupling coupling() const;

  private:
    Tensor embed(const Tensor& ids) const;
    bool skips_padding() const;  // skip_padding set and every block's kernel allows it
    Tensor forward_unpadded(const Tensor& x,
                            const Tensor& mask,
                            const std::vector<double>& mask_values) const;

    EncoderConfig cfg_;
    std::shared_ptr<Embedding> token_;
    std::shared_ptr<PositionEmbedding> position_;
    std::shared_ptr<Dropout> dropout_;
    std::vector<std::shared_ptr<EncoderBlock>> blocks_;
    std::shared_ptr<LayerNorm> final_norm_;
};

}  // namespace lm::nn
