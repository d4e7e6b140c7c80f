// read_results_file: two SAX readers over results.json. The head pass builds every value but the elements of
// the top-level `timeseries` array; a rows pass builds each of those elements alone and hands it out.
#include "cli/results_file.h"

#include <cerrno>
#include <fstream>
#include <vector>

#include "core/errno_text.h"

namespace surge::cli {
namespace {

using nlohmann::json;

// Builds one JSON value from SAX events (the way json::parse builds its tree).
class ValueBuilder {
 public:
  bool is_done() const { return done_; }
  json take() {
    done_ = false;
    return std::move(root_);
  }

  void scalar(json value) { (void)place(std::move(value)); }
  void start(json container) { open_.push_back(place(std::move(container))); }
  void end() {
    open_.pop_back();
    if (open_.empty()) done_ = true;
  }
  void key(std::string name) { key_ = std::move(name); }

 private:
  json* place(json value) {
    if (open_.empty()) {
      root_ = std::move(value);
      done_ = !root_.is_structured();
      return &root_;
    }
    json& parent = *open_.back();
    if (parent.is_array()) {
      parent.push_back(std::move(value));
      return &parent.back();
    }
    json& slot = parent[key_];
    slot = std::move(value);
    return &slot;
  }

  json root_;
  std::vector<json*> open_;  // the containers the next value goes into, innermost last
  std::string key_;
  bool done_ = false;
};

// The SAX reader of both passes. Outside the top-level `timeseries` array, events build the head (the head
// pass) or are dropped (a rows pass); inside it, each element is built alone and handed to on_row.
class ResultsReader : public json::json_sax_t {
 public:
  ResultsReader(bool builds_head, const report::SecondVisitor* on_row)
      : builds_head_(builds_head), on_row_(on_row) {}

  bool null() override { return value(json(nullptr)); }
  bool boolean(bool v) override { return value(json(v)); }
  bool number_integer(number_integer_t v) override { return value(json(v)); }
  bool number_unsigned(number_unsigned_t v) override { return value(json(v)); }
  bool number_float(number_float_t v, const string_t&) override { return value(json(v)); }
  bool string(string_t& v) override { return value(json(std::move(v))); }
  bool binary(binary_t& v) override { return value(json::binary(std::move(v))); }
  bool start_object(std::size_t) override { return open(json::object()); }
  bool start_array(std::size_t) override { return open(json::array()); }
  bool end_object() override { return close(); }
  bool end_array() override { return close(); }
  bool key(string_t& name) override {
    if (in_a_row()) {
      row_.key(std::move(name));
      return true;
    }
    if (depth_ == 1 && name == "timeseries") {
      timeseries_key_pending_ = true;  // an array follows (the rows), or another value that stays in the head
      return true;
    }
    if (builds_head_) head_.key(std::move(name));
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) override {
    error_ = e.what();
    return false;
  }

  json take_head() { return head_.take(); }
  bool saw_rows() const { return saw_rows_; }
  const std::string& error() const { return error_; }
  bool stopped_by_row() const { return row_failed_; }

 private:
  // Directly in the rows' array (where each value or container starts a row), or deeper.
  bool in_rows_array() const { return rows_depth_ != 0 && depth_ >= rows_depth_; }
  // Inside one row's container (where keys and the closing of containers belong to the row).
  bool in_a_row() const { return rows_depth_ != 0 && depth_ > rows_depth_; }

  // A key "timeseries" held back: it goes to the head after all, when its value is not the rows' array.
  void release_pending_key() {
    if (!timeseries_key_pending_) return;
    timeseries_key_pending_ = false;
    if (builds_head_) head_.key("timeseries");
  }

  bool value(json v) {
    if (in_rows_array()) {
      row_.scalar(std::move(v));
      return row_.is_done() ? hand_out_row() : true;
    }
    release_pending_key();
    if (builds_head_) head_.scalar(std::move(v));
    return true;
  }

  bool open(json container) {
    if (in_rows_array()) {
      ++depth_;
      row_.start(std::move(container));
      return true;
    }
    if (timeseries_key_pending_ && container.is_array()) {
      timeseries_key_pending_ = false;
      saw_rows_ = true;
      ++depth_;
      rows_depth_ = depth_;
      return true;
    }
    release_pending_key();
    ++depth_;
    if (builds_head_) head_.start(std::move(container));
    return true;
  }

  bool close() {
    if (in_a_row()) {
      --depth_;
      row_.end();
      return row_.is_done() ? hand_out_row() : true;
    }
    if (rows_depth_ != 0 && depth_ == rows_depth_) {
      rows_depth_ = 0;  // the rows' array ended
      --depth_;
      return true;
    }
    --depth_;
    if (builds_head_) head_.end();
    return true;
  }

  bool hand_out_row() {
    json row = row_.take();
    if (on_row_ == nullptr) return true;
    if (auto visited = (*on_row_)(row); !visited) {
      error_ = visited.error().message;
      row_failed_ = true;
      return false;
    }
    return true;
  }

  const bool builds_head_;
  const report::SecondVisitor* on_row_;
  ValueBuilder head_, row_;
  int depth_ = 0;
  int rows_depth_ = 0;  // the depth inside the top-level timeseries array; 0 outside it
  bool timeseries_key_pending_ = false;
  bool saw_rows_ = false;
  bool row_failed_ = false;
  std::string error_;
};

std::string parse_reason(const std::string& path, std::string reason) {
  const std::string noise = "[json.exception.parse_error.101] parse error at ";
  if (reason.rfind(noise, 0) == 0) reason.erase(0, noise.size());
  return "'" + path + "' is not valid JSON: " + reason;
}

// One pass over the file; the reader's error (a parse error, or the row visitor's) when it stopped.
core::Result<void> read_pass(const std::string& path, ResultsReader& reader) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return core::fail("cannot read '" + path + "': " + core::errno_text(errno));
  const bool parsed = json::sax_parse(file, &reader);
  if (file.bad()) return core::fail("cannot read '" + path + "': " + core::errno_text(errno));
  if (parsed) return {};
  if (reader.stopped_by_row()) return core::fail(reader.error());
  return core::fail(parse_reason(path, reader.error()));
}

}  // namespace

core::Result<report::ResultsDocument> read_results_file(const std::string& path) {
  ResultsReader head_reader(true, nullptr);
  if (auto read = read_pass(path, head_reader); !read) return core::fail(read.error().message);
  json head = head_reader.take_head();
  if (!head_reader.saw_rows()) return report::ResultsDocument(std::move(head));
  return report::ResultsDocument(std::move(head),
                                 [path](const report::SecondVisitor& visit) -> core::Result<void> {
                                   ResultsReader rows_reader(false, &visit);
                                   return read_pass(path, rows_reader);
                                 });
}

}  // namespace surge::cli
