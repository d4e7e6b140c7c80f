// Result<T>: a value or a one-line error, shaped like std::expected so a later switch is mechanical.
// Worker code never throws; anything that can fail returns a Result (STYLE.md, "Errors").
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace surge::core {

// One line: what failed, where, what was expected (and the errno name for a syscall).
struct Error {
  std::string message;
};

template <class E>
struct Unexpected {
  E error;
};

// fail("...") is the `return std::unexpected(...)` of this codebase.
inline Unexpected<Error> fail(std::string message) { return {Error{std::move(message)}}; }

template <class T, class E = Error>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit like expected
  Result(Unexpected<E> unexpected)                                       // NOLINT
      : state_(std::in_place_index<1>, std::move(unexpected.error)) {}

  bool has_value() const { return state_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  T& value() & {
    assert(has_value() && "Result::value() on an error");
    return std::get<0>(state_);
  }
  const T& value() const& {
    assert(has_value() && "Result::value() on an error");
    return std::get<0>(state_);
  }
  T&& value() && {
    assert(has_value() && "Result::value() on an error");
    return std::get<0>(std::move(state_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const E& error() const {
    assert(!has_value() && "Result::error() on a value");
    return std::get<1>(state_);
  }

 private:
  std::variant<T, E> state_;
};

template <class E>
class [[nodiscard]] Result<void, E> {
 public:
  Result() = default;
  Result(Unexpected<E> unexpected) : error_(std::move(unexpected.error)), has_value_(false) {}  // NOLINT

  bool has_value() const { return has_value_; }
  explicit operator bool() const { return has_value_; }
  void value() const { assert(has_value_ && "Result::value() on an error"); }
  const E& error() const {
    assert(!has_value_ && "Result::error() on a value");
    return error_;
  }

 private:
  E error_{};
  bool has_value_ = true;
};

}  // namespace surge::core
