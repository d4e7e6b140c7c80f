// load_first_document: YAML::Load reads one document; a parser over the same text with an event handler that
// only notes document starts tells whether a second follows, and stops there, where LoadAll may not.
#include "plan/yaml_document.h"

#include <yaml-cpp/eventhandler.h>

#include <sstream>

namespace surge::plan {
namespace {

// Notes where each document's root node starts (the first node event after a document start).
class RootMarks final : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark&) override { wants_root_ = true; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { on_node(mark); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { on_node(mark); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t, const std::string&) override {
    on_node(mark);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    on_node(mark);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    on_node(mark);
  }
  void OnMapEnd() override {}

  YAML::Mark root = YAML::Mark::null_mark();

 private:
  void on_node(const YAML::Mark& mark) {
    if (wants_root_) root = mark;
    wants_root_ = false;
  }
  bool wants_root_ = false;
};

}  // namespace

YamlDocument load_first_document(const std::string& text) {
  YamlDocument document;
  document.root = YAML::Load(text);
  std::istringstream stream(text);
  YAML::Parser parser(stream);
  RootMarks marks;
  if (!parser.HandleNextDocument(marks)) return document;
  const YAML::Mark first = marks.root;
  if (!parser.HandleNextDocument(marks)) return document;
  // A second document whose root is where the first one's was consumed nothing: the LoadAll loop bug.
  if (!first.is_null() && marks.root.pos == first.pos) throw YAML::ParserException(first, "unexpected token");
  document.second_start = marks.root;
  return document;
}

}  // namespace surge::plan
