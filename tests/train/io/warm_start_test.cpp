// Warm start (train/io/warm_start.h): matching tensors are copied, the rest reported; the
// position table is tiled or cut to a new length; a shape conflict or no shared name is an error.
#include <gtest/gtest.h>

#include "layers/linear.h"
#include "tests/support/tensor_testing.h"
#include "train/io/warm_start.h"

namespace lm::train {
namespace {

// A module with a "position" table under "encoder." and a linear head.
class Toy : public nn::Module {
  public:
    Toy(int64_t positions, int64_t classes, uint64_t seed) {
        Generator gen(seed);
        encoder = register_module("encoder", std::make_shared<Encoderish>(positions, gen));
        head = register_module("head", std::make_shared<nn::Linear>(4, classes, true, gen));
    }
    struct Encoderish : nn::Module {
        Encoderish(int64_t positions, Generator& gen) {
            position =
                register_module("position", std::make_shared<nn::Linear>(4, positions, false, gen));
        }
        std::shared_ptr<nn::Linear> position;  // weight [positions, 4], named position.weight
    };
    std::shared_ptr<Encoderish> encoder;
    std::shared_ptr<nn::Linear> head;
};

TEST(WarmStart, CopiesMatchesReportsTheRestAndTilesThePositionTable) {
    const Toy source(3, 2, 1);
    Toy target(7, 5, 2);  // a longer position table, another head
    // the encoder of the source, and a head of another kind
    nn::NamedTensors checkpoint = {{"encoder.position.weight", source.encoder->position->weight},
                                   {"mlm_head.bias", zeros({9})}};
    const WarmStartReport r = warm_start(target, checkpoint, "ck");
    EXPECT_EQ(r.loaded, std::vector<std::string>{"encoder.position.weight"});
    EXPECT_EQ(r.initialised, (std::vector<std::string>{"head.weight", "head.bias"}));
    EXPECT_EQ(r.unused, std::vector<std::string>{"mlm_head.bias"});
    ASSERT_EQ(r.resized.size(), 1u);
    EXPECT_EQ(r.resized[0], "encoder.position.weight: from [3, 4] to [7, 4]");
    // rows 0 1 2 0 1 2 0 of the learned table
    const auto src = source.encoder->position->weight.to_vector<float>();
    const auto got = target.encoder->position->weight.to_vector<float>();
    for (int64_t row = 0; row < 7; ++row) {
        for (int64_t c = 0; c < 4; ++c)
            EXPECT_EQ(got[row * 4 + c], src[(row % 3) * 4 + c]) << row << "," << c;
    }
    // a shorter table keeps the first rows
    Toy shorter(2, 2, 3);
    warm_start(shorter, checkpoint, "ck");
    EXPECT_EQ(shorter.encoder->position->weight.to_vector<float>(),
              std::vector<float>(src.begin(), src.begin() + 8));
    const auto lines = describe(r, "ck");
    ASSERT_EQ(lines.size(), 4u);
    EXPECT_EQ(lines[0], "init_from ck: loaded 1 (encoder.position.weight)");
    EXPECT_EQ(lines[1], "newly initialised 2 (head.weight, head.bias)");
}

TEST(WarmStart, AShapeConflictOrNoSharedNameIsAnError) {
    const Toy source(3, 2, 1);
    Toy other_head(3, 5, 2);
    nn::NamedTensors checkpoint = source.named_parameters();
    try {
        warm_start(other_head, checkpoint, "run/ck");
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(),
                     "run/ck: tensor 'head.weight' is [2, 4] in the checkpoint but "
                     "[5, 4] in the model");
    }
    // nothing was copied before the error
    EXPECT_FALSE(testing::bitwise_equal(other_head.encoder->position->weight,
                                        source.encoder->position->weight));
    nn::Linear unrelated(4, 4, true, *std::make_unique<Generator>(5));
    try {
        warm_start(unrelated, checkpoint, "run/ck");
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("run/ck: shares no tensor name with the model"),
                  std::string::npos)
            << e.what();
    }
}

}  // namespace
}  // namespace lm::train
