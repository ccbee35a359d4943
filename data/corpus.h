// Unlabeled text for masked-language-model pre-training: plain-text documents and their packing
// into token sequences of a fixed length (the `corpus` task, data/tasks/corpus_task.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace lm::data {

// How a plain-text file holds its documents: one per non-blank line, or blocks separated by
// blank lines (a block's lines joined with "\n").
enum class DocumentFormat { Lines, Paragraphs };
DocumentFormat parse_document_format(const std::string& name);  // "lines" | "paragraphs"

// How documents become sequences of `length` tokens:
//   Pack:  the documents' tokens concatenated in order and cut into windows of `length` (Hugging
//          Face's group_texts); the last window may be shorter.
//   Chunk: each document cut into windows on its own, the last piece of each kept, so no
//          sequence crosses a document boundary.
enum class Packing { Pack, Chunk };
Packing parse_packing(const std::string& name);  // "pack" | "chunk"

// The documents of a plain-text file ("\r\n" line ends accepted). Throws DataError naming the
// file when it cannot be read or holds no document, and, with require_utf8 (SentencePiece), the
// line and byte of the first invalid UTF-8 sequence.
std::vector<std::string> read_documents(const std::string& path,
                                        DocumentFormat format,
                                        bool require_utf8);

// Splits text (already in memory) into documents the same way; `source` names it in errors.
std::vector<std::string> split_documents(const std::string& text,
                                         DocumentFormat format,
                                         bool require_utf8,
                                         const std::string& source);

// Sequences of at most `length` tokens from the documents' token ids (empty documents skipped).
std::vector<std::vector<int32_t>> pack_sequences(const std::vector<std::vector<int32_t>>& documents,
                                                 int64_t length,
                                                 Packing packing);

}  // namespace lm::data
