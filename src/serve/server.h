// `surge serve`: the built-in HTTP/1.1 target. Listens, prints where, and serves until SIGINT or SIGTERM,
// in this process (--workers 1) or in N forked workers sharing the port through SO_REUSEPORT.
#pragma once

#include "core/result.h"
#include "serve/options.h"

namespace surge::serve {

// Binds every worker's listening socket (the first learns the port when options.port is 0), prints exactly
// "listening on ADDR:PORT\n" to stdout and flushes it, then serves until SIGINT or SIGTERM arrives and
// returns (success). With workers > 1 the calling process only forwards those signals to its children and
// waits for them; a worker that dies on its own stops the others and is an error. Fails before printing
// when the options are invalid (worker count; stalls, which need 0 < stall_for < stall_every) or the address
// cannot be bound. Blocks SIGINT/SIGTERM (and SIGCHLD) while it runs, in the calling
// thread; call it from a single-threaded process.
core::Result<void> run_server(const ServeOptions& options);

}  // namespace surge::serve
