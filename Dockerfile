# Multi-stage build: compile a release binary, then run it on a slim image with
# the index on a volume.
#
#   docker build -t verbatim .
#   docker run -p 7700:7700 -v verbatim-index:/app/index \
#     -e VERBATIM_ADMIN_KEY=... -e VERBATIM_SEARCH_KEY=... verbatim
#
# The server listens on 0.0.0.0 here, so it refuses to start without API keys
# (at least 16 characters each) unless VERBATIM_ALLOW_UNAUTHENTICATED=1 is set.

FROM rust:1.95-bookworm AS builder
WORKDIR /build
# Build the dependencies first so that code changes do not rebuild them.
COPY Cargo.toml Cargo.lock ./
RUN mkdir -p src benches tests/it \
    && echo 'fn main() {}' > src/main.rs && touch src/lib.rs \
    && echo 'fn main() {}' > benches/analysis.rs && touch tests/it/main.rs \
    && cargo build --release --locked \
    && rm -rf src benches tests
COPY . .
RUN touch src/main.rs src/lib.rs && cargo build --release --locked --bin verbatim

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates mecab-ipadic \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /app verbatim
WORKDIR /app
COPY --from=builder /build/target/release/verbatim /usr/local/bin/verbatim
COPY config ./config
# The Japanese dictionary is built once into the image, outside the index volume.
RUN verbatim dict build --out /app/dictionaries/ipadic \
    && mkdir -p /app/index && chown verbatim /app/index
USER verbatim
VOLUME ["/app/index"]
ENV VERBATIM_LISTEN=0.0.0.0:7700 \
    VERBATIM_INDEX_DIR=/app/index \
    VERBATIM_JA_DICTIONARY=/app/dictionaries/ipadic
EXPOSE 7700
STOPSIGNAL SIGTERM
CMD ["verbatim", "serve"]
