# syntax=docker/dockerfile:1
# escape=\
ARG BASE=alpine:3.19

# build stage
FROM golang:1.22 AS build
WORKDIR /src
COPY --from=deps --chown=app:app go.mod go.sum ./
RUN go mod download && \
    # a comment inside a continuation
    go build -o /out/app ./cmd/app
ENV GOOS=linux CGO_ENABLED="0"
ENV LEGACY value with spaces
LABEL org.opencontainers.image.title="my app" version=1
RUN <<EOF
apk add --no-cache curl
echo done
EOF

FROM ${BASE}
EXPOSE 8080 8443/tcp
USER 1000:1000
HEALTHCHECK --interval=30s --timeout=3s CMD ["wget", "-q", "http://localhost:8080/health"]
ONBUILD RUN echo triggered
COPY --from=build /out/app /usr/local/bin/app
SHELL ["/bin/sh", "-c"]
CMD []
ENTRYPOINT ["/usr/local/bin/app"]
