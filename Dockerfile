# The surge image: `docker build -t surge:0.1.0 .` at the repo root, then `docker run --rm surge:0.1.0 --help`.
# Kubernetes manifests that run it are in deploy/k8s/ (docs/distributed.md).
#
# Two stages. "build" compiles surge with Debian 12's own toolchain and libraries, the same packages
# scripts/install-deps.sh installs for a developer (a subset: no test peers, browsers or fuzzing tools).
# "runtime" is Debian 12 slim with only the shared libraries the binary links (ldd build/surge), so the
# image carries no compiler and stays small. The test suite checks both lists (tests/deploy).

FROM debian:bookworm AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      build-essential cmake ninja-build pkg-config \
      libyaml-cpp-dev nlohmann-json3-dev libcli11-dev libfmt-dev libssl-dev zlib1g-dev \
      libgtest-dev libgmock-dev libwslay-dev libpcre2-dev libnghttp2-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# GoogleTest is needed to configure (tests/ is part of the project), but only the surge binary is built.
RUN cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release \
 && cmake --build build --target surge \
 && strip build/surge

FROM debian:bookworm-slim AS runtime
# One package per library of `ldd build/surge` (libc6 is in the base image). ca-certificates: the
# system trust store that https:// and wss:// targets are verified against (docs/tls.md).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libyaml-cpp0.7 libfmt9 libssl3 zlib1g libwslay1 libpcre2-8-0 libnghttp2-14 libstdc++6 libgcc-s1 \
      ca-certificates \
 && rm -rf /var/lib/apt/lists/*
# A fixed numeric uid, so Kubernetes' runAsNonRoot can check it and fsGroup can give it the results volume.
RUN useradd --uid 10001 --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin surge
COPY --from=build /src/build/surge /usr/local/bin/surge
USER 10001:10001
WORKDIR /tmp
# --prometheus serves /metrics here (docs/prometheus.md); `surge serve` listens on 8080 by default in deploy/k8s.
EXPOSE 9464
ENTRYPOINT ["surge"]
CMD ["--help"]
